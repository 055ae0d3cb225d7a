import io
import json
from datetime import timedelta

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from ..models.lbe_area_mixin import domain_fields
from .common import LbeCareCommon, call_kw, login_session


class LbeContractCase(LbeCareCommon):
    """An elder with every kind of record in 人和镇 A1 (own) and in 韶关 D1 (foreign)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._elder_with_records("本村", cls.village_a1, "122")
        cls.foreign = cls._elder_with_records("外地", cls.village_d1, "124")


@tagged("post_install", "-at_install")
class TestAreaContract(LbeContractCase):
    def test_every_model_with_elders_data_keeps_the_contract(self):
        """The mixin and one global area rule on each model holding elders' data."""
        area_models = self.env["lbe.area.mixin"]._lbe_area_models()
        for model_name in (*self.own, "lbe.supervision", "lbe.summary", "lbe.summary.line"):
            self.assertIn(model_name, area_models)
        for model_name in area_models:
            model = self.env[model_name]
            field = model._fields[model._lbe_area_field]
            # A SQL view (supervision) has no index of its own; its source tables do.
            self.assertTrue(field.store and (field.index or not model._auto), model_name)
            rules = self.env["ir.rule"].search(
                [("model_id.model", "=", model_name), ("global", "=", True)]
            )
            expected = f"('{model._lbe_area_field}', 'child_of', user.lbe_region_ids.ids)"
            self.assertTrue(
                any(expected in domain for domain in rules.mapped("domain_force")), model_name
            )

    # 1. Wizards are their creator's --------------------------------------
    def test_wizards_are_readable_by_their_creator_only(self):
        other_county = self._tier_user("county", self.county, login="other_county")
        wizards = {
            "lbe.elder.exit": {
                "elder_ids": [Command.set(self.own["lbe.elder"].ids)],
                "exit_reason": "deceased",
            },
            "lbe.ledger.export": {"region_id": self.county.id},
        }
        for model_name, vals in wizards.items():
            wizard = self.env[model_name].with_user(self.user_county).create(vals)
            self.assertEqual([values["id"] for values in wizard.read()], wizard.ids)
            with self.assertRaises(AccessError, msg=model_name):
                wizard.with_user(other_county).read()
        transient = [
            name
            for name, model in self.env.registry.items()
            if name.startswith("lbe.") and model._transient
        ]
        for model_name in transient:
            rules = self.env["ir.rule"].search([("model_id.model", "=", model_name)])
            self.assertIn(
                "[('create_uid', '=', user.id)]", rules.mapped("domain_force"), model_name
            )

    def test_ledger_export_keeps_no_file(self):
        self.assertFalse(
            [f for f in self.env["lbe.ledger.export"]._fields.values() if f.type == "binary"]
        )

    # 2. Related and computed fields as superuser ---------------------------
    def test_onchange_with_a_foreign_record_is_refused(self):
        foreign_guardian = self.foreign["lbe.guardian"]
        with self.assertRaises(AccessError):
            self.env["lbe.care.agreement"].with_user(self.user_village).onchange(
                {"elder_id": self.own["lbe.elder"].id, "guardian_id": foreign_guardian.id},
                ["guardian_id"],
                {"guardian_id": {"fields": {"display_name": {}}}, "guardian_mobile": {}},
            )
        with self.assertRaises(AccessError):
            self.env["lbe.visit.followup"].with_user(self.user_village).onchange(
                {"visit_id": self.foreign["lbe.visit"].id},
                ["visit_id"],
                {"elder_id": {"fields": {"display_name": {}}}, "region_id": {}},
            )
        # A default taken from the context is an onchange value as well.
        with self.assertRaises(AccessError):
            self.env["lbe.visit"].with_user(self.user_village).with_context(
                default_elder_id=self.foreign["lbe.elder"].id
            ).onchange({}, [], {"elder_id": {"fields": {"display_name": {}}}})
        # The own area's records still work.
        result = (
            self.env["lbe.care.agreement"]
            .with_user(self.user_village)
            .onchange(
                {"elder_id": self.own["lbe.elder"].id, "guardian_id": self.own["lbe.guardian"].id},
                ["guardian_id"],
                {"guardian_id": {"fields": {"display_name": {}}}, "guardian_mobile": {}},
            )
        )
        self.assertEqual(result["value"]["guardian_mobile"], "13800000001")

    def test_no_search_on_a_field_the_user_may_not_read(self):
        Agreement = self.env["lbe.care.agreement"].with_user(self.user_city)
        # guardian_mobile is a related field, not stored: Odoo would search it as superuser.
        for domain in (
            [("guardian_mobile", "like", "135")],
            [("guardian_id.mobile", "like", "135")],
            [("caregiver_mobile", "like", "137")],
        ):
            with self.assertRaises(AccessError, msg=domain):
                Agreement.search_count(domain)
        with self.assertRaises(AccessError):
            self.env["lbe.elder"].with_user(self.user_city).search_count(
                [("id_number", "like", "440111")]
            )

    # 3. Sensitive binaries --------------------------------------------------
    def test_scanned_agreement_is_as_sensitive_as_its_contents(self):
        agreement = self.own["lbe.care.agreement"]
        for user in (self.user_city, self.user_province):
            with self.assertRaises(AccessError):
                agreement.with_user(user).read(["agreement_copy"])
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", agreement._name),
                        ("res_id", "=", agreement.id),
                        ("res_field", "=", "agreement_copy"),
                    ]
                )
            )
            self.assertTrue(attachment)
            with self.assertRaises(AccessError):
                attachment.with_user(user).read(["datas"])
        self.assertTrue(agreement.with_user(self.user_village).agreement_copy)

    # 4. Moving records onto another area's elder ----------------------------
    def test_records_cannot_be_moved_to_a_foreign_elder(self):
        own, foreign = self.own, self.foreign
        moves = [
            (own["lbe.elder.child"], {"elder_id": foreign["lbe.elder"].id}),
            (own["lbe.guardian"], {"elder_id": foreign["lbe.elder"].id}),
            (own["lbe.visit"], {"elder_id": foreign["lbe.elder"].id}),
            (own["lbe.visit.followup"], {"visit_id": foreign["lbe.visit"].id}),
            (own["lbe.visit.followup"], {"guardian_id": foreign["lbe.guardian"].id}),
            (own["lbe.care.agreement"], {"elder_id": foreign["lbe.elder"].id}),
            (own["lbe.volunteer.pairing"], {"elder_id": foreign["lbe.elder"].id}),
            (own["lbe.service.record"], {"pairing_id": foreign["lbe.volunteer.pairing"].id}),
            (own["lbe.volunteer"], {"region_id": self.village_d1.id}),
            (own["lbe.elder"], {"region_id": self.village_d1.id}),
        ]
        for record, vals in moves:
            before = record.read(list(vals))[0]
            with self.assertRaises(AccessError, msg=f"{record._name} {vals}"):
                record.with_user(self.user_village).write(vals)
            self.assertEqual(record.read(list(vals))[0], before)
        # Nor linked through the elder's lists.
        with self.assertRaises(AccessError):
            own["lbe.elder"].with_user(self.user_village).write(
                {"child_ids": [Command.link(foreign["lbe.elder.child"].id)]}
            )
        with self.assertRaises(AccessError):
            self.env["lbe.visit.followup"].with_user(self.user_village).create(
                {
                    "visit_id": own["lbe.visit"].id,
                    "guardian_id": foreign["lbe.guardian"].id,
                    "contact_name": "x",
                }
            )

    # 5. Fields only the addon sets ------------------------------------------
    def test_fields_only_the_addon_sets_are_refused(self):
        elder = self.own["lbe.elder"].with_user(self.user_village)
        for vals in (
            {"county_id": self.village_d1.parent_id.parent_id.id},
            {"township_id": self.village_d1.parent_id.id},
            {"child_count": 5},
            {"next_visit_date": self.today + timedelta(days=400)},
            {"missing_annex_facts": False},
            {"is_visit_overdue": False},
            {"state": "exited"},
            {"create_uid": self.user_manager.id},
        ):
            with self.assertRaises(AccessError, msg=vals):
                elder.write(vals)
        self.assertEqual(self.own["lbe.elder"].county_id, self.county)
        visit = (
            self.env["lbe.visit"]
            .with_user(self.user_village)
            .create({"elder_id": self.own["lbe.elder"].id, "risk_level": "high"})
        )
        with self.assertRaises(AccessError):
            visit.write({"state": "done"})
        with self.assertRaises(AccessError):
            self.env["lbe.visit"].with_user(self.user_village).create(
                {"elder_id": self.own["lbe.elder"].id, "state": "done"}
            )
        # Completing it through its button starts the follow-up.
        visit.action_done()
        self.assertEqual(visit.followup_state, "pending")
        with self.assertRaises(AccessError):
            self.own["lbe.care.agreement"].with_user(self.user_village).write({"state": "active"})
        with self.assertRaises(AccessError):
            self.own["lbe.volunteer.pairing"].with_user(self.user_village).write({"state": "ended"})

    def test_summary_level_deadline_and_state_are_refused(self):
        Summary = self.env["lbe.summary"].with_user(self.user_county)
        with self.assertRaises(AccessError):
            Summary.create({"region_id": self.county.id, "year": 2025, "state": "accepted"})
        summary = Summary.create({"region_id": self.county.id, "year": 2025})
        for vals in (
            {"level": "province"},
            {"deadline": "2099-12-31"},
            {"state": "accepted"},
            {"submit_date": "2025-10-01 00:00:00"},
        ):
            with self.assertRaisesRegex(AccessError, "set by the application itself", msg=vals):
                summary.write(vals)
        self.assertEqual((summary.level, summary.state), ("county", "draft"))

    # 6. Names of other areas' people ----------------------------------------
    def test_duplicate_id_number_names_nobody_of_another_area(self):
        number = self.foreign["lbe.elder"].sudo().id_number
        draft = (
            self.env["lbe.elder"]
            .with_user(self.user_village)
            .create(
                {
                    "name": "重复",
                    "region_id": self.village_a1.id,
                    "id_number": number,
                    "child_ids": [
                        Command.create(
                            {"name": "子", "away_since": self.today - timedelta(days=800)}
                        )
                    ],
                }
            )
        )
        with self.assertRaises(ValidationError) as caught:
            draft.action_activate()
        message = str(caught.exception)
        self.assertIn("another area", message)
        for secret in ("外地", self.village_d1.name, self.village_d1.parent_id.name):
            self.assertNotIn(secret, message)

    def test_access_errors_name_no_record(self):
        self.user_village.groups_id += self.env.ref("base.group_no_one")
        with self.assertRaises(AccessError) as caught:
            self.foreign["lbe.elder"].with_user(self.user_village).read(["name"])
        self.assertNotIn("外地", str(caught.exception))

    # 8. Reminders follow the record -----------------------------------------
    def test_reminders_follow_an_elder_who_moves(self):
        clerk_a2 = self._tier_user("village", self.village_a2, login="clerk_a2")
        elder = self.own["lbe.elder"]
        overdue = self.env.ref("left_behind_elderly.mail_activity_type_visit_overdue")
        activity = elder.activity_schedule(
            activity_type_id=overdue.id, user_id=self.user_village.id, summary="逾期"
        )
        at_risk = self.own["lbe.visit"].activity_ids
        self.assertTrue(at_risk, "the high-risk visit was reported to the township")
        elder.with_user(self.user_county).region_id = self.village_a2
        self.assertEqual(activity.user_id, clerk_a2)
        self.assertFalse(
            self.env["mail.activity"]
            .with_user(self.user_village)
            .search([("res_model", "=", "lbe.elder"), ("res_id", "=", elder.id)])
        )
        # The township officer serves 人和镇, where A2 lies too: the report stays.
        self.assertIn(self.user_township, at_risk.user_id)
        self.assertTrue(at_risk.exists())
        # Moved where nobody of the tier serves: the reminder goes.
        elder.with_user(self.user_county).region_id = self.village_b1
        self.assertFalse(activity.exists())

    # PIPL -----------------------------------------------------------------
    def test_lists_and_exports_show_masked_numbers(self):
        elder = self.own["lbe.elder"].with_user(self.user_county)
        number = elder.id_number
        self.assertEqual(elder.id_number_masked, number[:6] + "********" + number[-4:])
        self.assertEqual(self.own["lbe.guardian"].mobile_masked, "138****0001")
        rows = elder.export_data(["name", "id_number", "guardian_ids/mobile"])["datas"]
        self.assertEqual(rows[0][1], elder.id_number_masked)
        self.assertEqual(rows[0][2], "138****0001")
        log = self.env["lbe.audit.log"].search([], limit=1)
        self.assertEqual(
            (log.user_id, log.action, log.res_ids), (self.user_county, "export", str(elder.id))
        )

    def test_bulk_export_is_for_county_and_up(self):
        for user in (self.user_village, self.user_township):
            with self.assertRaises(AccessError):
                self.own["lbe.elder"].with_user(user).export_data(["name"])
            with self.assertRaises(AccessError):
                self.env["lbe.ledger.export"].with_user(user).create(
                    {"region_id": self.village_a1.id}
                )
        city_rows = self.own["lbe.elder"].with_user(self.user_city).export_data(["name"])["datas"]
        self.assertEqual(city_rows, [["本村老人甲"]])

    def _ledger_sheet(self, user, **vals):
        wizard = (
            self.env["lbe.ledger.export"]
            .with_user(user)
            .create({"region_id": self.village_a1.id, **vals})
        )
        action = wizard.action_export()
        self.assertEqual(action["report_type"], "xlsx")
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx(action["report_name"], wizard.ids, data=None)
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        header = [cell.value for cell in sheet[2]]
        return [
            dict(zip(header, row, strict=True))
            for row in sheet.iter_rows(min_row=3, values_only=True)
        ]

    def test_ledger_export_masks_unless_full_values_are_asked(self):
        number = self.own["lbe.elder"].id_number
        (row,) = [r for r in self._ledger_sheet(self.user_county) if r["姓名"] == "本村老人甲"]
        self.assertEqual(row["身份证号码"], number[:6] + "********" + number[-4:])
        self.assertEqual(row["主要赡养人联系电话"], "138****0001")
        sheet = self._ledger_sheet(self.user_county, full_values=True)
        (row,) = [r for r in sheet if r["姓名"] == "本村老人甲"]
        self.assertEqual(row["身份证号码"], number)
        logs = self.env["lbe.audit.log"].search([("user_id", "=", self.user_county.id)])
        self.assertEqual(logs.mapped("action"), ["full_export", "export"])

    def test_another_user_cannot_render_my_ledger_export(self):
        wizard = (
            self.env["lbe.ledger.export"]
            .with_user(self.user_county)
            .create({"region_id": self.county.id})
        )
        other_county = self._tier_user("county", self.county, login="other_county2")
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(other_county)._render_xlsx(
                "left_behind_elderly.report_lbe_ledger_xlsx", wizard.ids, data=None
            )

    def test_audit_log_is_read_only_for_everybody(self):
        log = (
            self.env["lbe.audit.log"]
            .with_user(self.user_county)
            ._log("export", self.own["lbe.elder"])
        )
        self.assertEqual(log.with_user(self.user_manager).read(["action"])[0]["action"], "export")
        with self.assertRaises(AccessError):
            log.with_user(self.user_county).read(["action"])
        for user in (self.user_manager, self.env.ref("base.user_admin")):
            with self.assertRaises(UserError):
                log.with_user(user).write({"detail": "x"})
            with self.assertRaises(UserError):
                log.with_user(user).unlink()
        with self.assertRaises(UserError):
            log.sudo().write({"detail": "x"})
        with self.assertRaises(UserError):
            log.sudo().unlink()

    def test_printing_annex1_is_logged(self):
        elder = self.own["lbe.elder"]
        self.env["report.left_behind_elderly.report_lbe_elder_annex1"].with_user(
            self.user_village
        )._get_report_values(elder.ids)
        log = self.env["lbe.audit.log"].search([], limit=1)
        self.assertEqual(
            (log.action, log.user_id, log.res_ids),
            ("print_annex1", self.user_village, str(elder.id)),
        )

    def test_the_elder_form_still_works_for_a_clerk(self):
        with Form(self.env["lbe.care.agreement"].with_user(self.user_village)) as form:
            form.elder_id = self.own["lbe.elder"]
            self.assertEqual(form.guardian_id, self.own["lbe.guardian"])
            form.caregiver_name = "邻居"
        self.assertEqual(form.record.region_id, self.village_a1)


@tagged("post_install", "-at_install")
class TestAreaContractHttp(LbeContractCase, HttpCase):
    """The contract tried from outside: wizards given another area's records,
    attachments searched page by page, the audit log of what is printed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.foreign_facility = cls.env["lbe.facility"].create(
            {
                "name": "外地幸福院",
                "region_id": cls.village_d1.id,
                "opening_date": cls.today,
                "capacity": 20,
            }
        )
        cls.foreign_facility.action_open()
        cls.own_facility = cls.env["lbe.facility"].create(
            {
                "name": "本村长者饭堂",
                "region_id": cls.village_a1.id,
                "opening_date": cls.today,
                "capacity": 20,
            }
        )
        cls.own_facility.action_open()
        cls.meal = cls.env.ref("left_behind_elderly.lbe_service_type_daily_care")

    def _call(self, opener, model, method, *args, **kwargs):
        with mute_logger("odoo.http"):
            body = call_kw(opener, self.base_url(), model, method, args, kwargs)
        return body.get("result"), body.get("error"), json.dumps(body, ensure_ascii=False)

    def _assert_refused(self, opener, secret, model, method, *args, **kwargs):
        result, error, text = self._call(opener, model, method, *args, **kwargs)
        self.assertEqual(
            (error or {}).get("data", {}).get("name"),
            "odoo.exceptions.AccessError",
            f"{model}.{method}: {text[:300]}",
        )
        self.assertNotIn(secret, text, f"{model}.{method}")
        self.assertIsNone(result)

    # 5. Wizards ------------------------------------------------------------
    def test_every_wizard_keeps_the_area_contract(self):
        wizards = self.env.registry.descendants(["lbe.wizard.mixin"], "_inherit")
        transient = {
            name
            for name, model in self.env.registry.items()
            if name.startswith("lbe.") and model._transient
        }
        self.assertTrue(transient)
        self.assertLessEqual(transient, set(wizards))
        # A wizard is no record of elders' data.
        self.assertFalse(transient & set(self.env["lbe.area.mixin"]._lbe_area_models()))

    def test_a_wizard_refuses_another_areas_record_naming_nothing(self):
        clerk = login_session(self, self.user_village)
        secret = self.foreign_facility.name
        vals = {
            "facility_id": self.foreign_facility.id,
            "elder_ids": [Command.set(self.own["lbe.elder"].ids)],
            "service_type_id": self.meal.id,
            "description": "助餐",
        }
        Batch = "lbe.facility.service.batch"
        self._assert_refused(clerk, secret, Batch, "create", [vals])
        spec = {"facility_id": {"fields": {"display_name": {}}}}
        self._assert_refused(clerk, secret, Batch, "web_save", [], vals, specification=spec)
        self._assert_refused(clerk, secret, Batch, "onchange", [], vals, ["facility_id"], spec)
        # Nor given through the context, as a default.
        self._assert_refused(
            clerk,
            secret,
            Batch,
            "onchange",
            [],
            {},
            [],
            spec,
            context={"default_facility_id": self.foreign_facility.id},
        )
        self._assert_refused(
            clerk,
            secret,
            Batch,
            "create",
            [{k: v for k, v in vals.items() if k != "facility_id"}],
            context={"default_facility_id": self.foreign_facility.id},
        )
        own = self.own["lbe.elder"]
        self._assert_refused(
            clerk,
            self.foreign["lbe.elder"].name,
            "lbe.elder.exit",
            "create",
            [{"exit_reason": "other"}],
            context={"active_ids": self.foreign["lbe.elder"].ids},
        )
        # Nor set on a wizard of the user's own.
        wizard, error, text = self._call(
            clerk, Batch, "create", [{**vals, "facility_id": self.own_facility.id}]
        )
        self.assertFalse(error, text)
        self._assert_refused(
            clerk, secret, Batch, "write", wizard, {"facility_id": self.foreign_facility.id}
        )
        # The own area's records still work.
        _result, error, text = self._call(
            clerk,
            "lbe.elder.exit",
            "create",
            [{"exit_reason": "other"}],
            context={"active_ids": own.ids},
        )
        self.assertFalse(error, text)

    def test_an_import_error_line_cannot_point_at_another_users_import(self):
        other = self._tier_user("village", self.village_a1, login="other_clerk")
        theirs = (
            self.env["lbe.elder.import"].with_user(other).create({"filename": "他人的导入.xlsx"})
        )
        # In debug mode, where Odoo names the records it refuses.
        self.user_village.groups_id += self.env.ref("base.group_no_one")
        clerk = login_session(self, self.user_village)
        response = clerk.post(
            f"{self.base_url()}/web/webclient/version_info?debug=1",
            json={"jsonrpc": "2.0", "method": "call", "params": {}},
            timeout=60,
        )
        self.assertEqual(response.status_code, 200)
        self._assert_refused(
            clerk, theirs.filename, "lbe.elder.import", "read", theirs.ids, ["filename"]
        )
        vals = {"import_id": theirs.id, "message": "x"}
        Error = "lbe.elder.import.error"
        self._assert_refused(clerk, theirs.filename, Error, "create", [vals])
        spec = {"import_id": {"fields": {"display_name": {}}}}
        self._assert_refused(
            clerk, theirs.filename, Error, "web_save", [], vals, specification=spec
        )
        self._assert_refused(
            clerk, theirs.filename, Error, "onchange", [], vals, ["import_id"], spec
        )
        mine, error, text = self._call(
            clerk, "lbe.elder.import", "create", [{"filename": "我的.xlsx"}]
        )
        self.assertFalse(error, text)
        _result, error, text = self._call(
            clerk, Error, "create", [{"import_id": mine[0], "message": "x"}]
        )
        self.assertFalse(error, text)

    # Robust to the next Odoo ----------------------------------------------
    def test_domains_are_read_through_odoos_tools(self):
        Agreement = self.env["lbe.care.agreement"]
        found = domain_fields(
            Agreement,
            [
                "|",
                "!",
                ("guardian_mobile", "=", False),
                "&",
                ("elder_id.guardian_ids.mobile", "like", "138"),
                ("elder_id", "any", [("child_ids", "not any", [("mobile", "=", "1")])]),
            ],
        )
        self.assertEqual(
            dict(found),
            {
                "lbe.care.agreement": {"guardian_mobile", "elder_id"},
                "lbe.elder": {"guardian_ids", "child_ids"},
                "lbe.guardian": {"mobile"},
                "lbe.elder.child": {"mobile"},
            },
        )
        for domain in (
            ["!", ("guardian_mobile", "=", False)],
            [("elder_id", "any", [("child_ids", "any", [("mobile", "like", "139")])])],
            [("elder_id.guardian_ids.mobile", "like", "138")],
        ):
            with self.assertRaises(AccessError, msg=domain):
                Agreement.with_user(self.user_city).search_count(domain)

    def test_area_models_are_the_registrys_descendants_of_the_mixin(self):
        mixin = self.env.registry["lbe.area.mixin"]
        expected = sorted(
            name
            for name, model in self.env.registry.items()
            if issubclass(model, mixin) and not model._abstract
        )
        self.assertEqual(self.env["lbe.area.mixin"]._lbe_area_models(), expected)
        self.assertIn("lbe.elder", expected)

    def test_a_limited_attachment_search_returns_a_full_page(self):
        agreement = self.own["lbe.care.agreement"]
        Attachment = self.env["ir.attachment"].sudo()
        # The scans of the agreement come first, the elder's plain files after.
        scans = Attachment.create(
            [
                {
                    "name": f"scan{n}.pdf",
                    "raw": b"scan",
                    "res_model": agreement._name,
                    "res_id": agreement.id,
                    "res_field": "agreement_copy",
                }
                for n in range(3)
            ]
        )
        files = Attachment.create(
            [
                {
                    "name": f"file{n}.txt",
                    "raw": b"file",
                    "res_model": "lbe.elder",
                    "res_id": self.own["lbe.elder"].id,
                }
                for n in range(3)
            ]
        )
        city = login_session(self, self.user_city)
        rows, error, text = self._call(
            city,
            "ir.attachment",
            "search_read",
            [("id", "in", (scans | files).ids)],
            ["name"],
            limit=3,
            order="id",
        )
        self.assertFalse(error, text)
        self.assertEqual([row["id"] for row in rows], files.ids)
        # Told to show field attachments, the search leaves out those the user may not read.
        rows, error, text = self._call(
            city,
            "ir.attachment",
            "search_read",
            [("res_model", "=", agreement._name), ("res_id", "=", agreement.id)],
            ["name", "datas"],
            context={"skip_res_field_check": True},
        )
        self.assertFalse(error, text)
        self.assertFalse(set(scans.ids) & {row["id"] for row in rows}, text[:300])

    def test_audit_entry_is_written_from_a_read_only_transaction(self):
        elder = self.own["lbe.elder"]
        # A request on the replica: nothing may be written in its transaction.
        with self.registry.cursor(readonly=True) as cr:
            env = self.env(cr=cr, user=self.user_village)
            env["lbe.audit.log"]._log("print_annex1", env["lbe.elder"].browse(elder.ids))
            cr.rollback()
        log = self.env["lbe.audit.log"].search([], limit=1)
        self.assertEqual(
            (log.action, log.user_id, log.res_ids),
            ("print_annex1", self.user_village, str(elder.id)),
        )

    def test_printing_over_http_is_logged(self):
        elder = self.own["lbe.elder"]
        Log = self.env["lbe.audit.log"]
        # Printed by URL: the report is served read/write and the entry written
        # with it; Odoo need not run the request again (it warns when it does).
        with self.assertNoLogs("odoo.http", "WARNING"):
            clerk = login_session(self, self.user_village)
            response = clerk.get(
                f"{self.base_url()}/report/pdf/left_behind_elderly.report_lbe_elder_annex1/"
                f"{elder.id}",
                timeout=120,
            )
            self.assertEqual(response.status_code, 200, response.text[:300])
            county = login_session(self, self.user_county)
            wizard, error, text = self._call(
                county, "lbe.ledger.export", "create", [{"region_id": self.village_a1.id}]
            )
            self.assertFalse(error, text)
            response = county.get(
                f"{self.base_url()}/report/xlsx/left_behind_elderly.report_lbe_ledger_xlsx/"
                f"{wizard[0]}",
                timeout=120,
            )
            self.assertEqual(response.status_code, 200, response.text[:300])
        printed = Log.search(
            [("action", "=", "print_annex1"), ("user_id", "=", self.user_village.id)]
        )
        self.assertEqual(printed.mapped("res_ids"), [str(elder.id)])
        exported = Log.search([("action", "=", "export"), ("user_id", "=", self.user_county.id)])
        self.assertIn(str(elder.id), exported.res_ids.split(","))
