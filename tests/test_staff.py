import ast
import re

from odoo import Command
from odoo.addons.base.models.res_users import name_boolean_group, name_selection_groups
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import LbeCommon, call_kw, login_session


@tagged("post_install", "-at_install")
class TestStaff(LbeCommon, HttpCase):
    """Managers set users' served areas and tiers, and nothing else of users:
    they are not Odoo's user administrators."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls.user_village
        cls.elder_a1 = cls._create_elder("甲一", cls.village_a1)
        cls.elder_a2 = cls._create_elder("甲二", cls.village_a2)
        cls.elder_b1 = cls._create_elder("乙一", cls.village_b1)
        cls.elders = cls.elder_a1 | cls.elder_a2 | cls.elder_b1
        cls.erp_manager = cls.env.ref("base.group_erp_manager")
        cls.system = cls.env.ref("base.group_system")
        cls.auditlog_manager = cls.env.ref("auditlog.group_auditlog_manager")
        cls.portal = new_test_user(cls.env, login="lbe_test_portal", groups="base.group_portal")

    def _sees(self, user):
        return self.env["lbe.elder"].with_user(user).search([("id", "in", self.elders.ids)]).sudo()

    def _assert_refused(self, user, vals, by=None, exception=AccessError):
        """`by` (the manager by default) writing `vals` on `user` is refused and
        changes nothing of the user."""
        by = by or self.user_manager
        before = self._snapshot(user)
        with self.assertRaises(exception):
            user.with_user(by).write(vals)
        self.assertEqual(self._snapshot(user), before)

    def _snapshot(self, users):
        self.env.invalidate_all()
        return users.sudo().read(["login", "name", "share", "groups_id", "lbe_region_ids"])

    def test_manager_is_no_odoo_administrator(self):
        manager_group = self.env.ref("left_behind_elderly.group_manager")
        self.assertFalse(manager_group.trans_implied_ids & (self.erp_manager | self.system))
        self.assertFalse(self.user_manager.has_group("base.group_erp_manager"))
        self.assertFalse(self.user_manager.has_group("base.group_system"))
        # Still all the rights of the county and province tiers.
        self.assertTrue(self.user_manager.has_group("left_behind_elderly.group_county"))
        self.assertTrue(self.user_manager.has_group("left_behind_elderly.group_province"))

    def test_manager_sets_areas_and_tier(self):
        Supervision = self.env["lbe.supervision"].with_user(self.clerk)
        self.assertEqual(self.clerk.lbe_tier, "village")
        self.assertEqual(self._sees(self.clerk), self.elder_a1)
        with self.assertRaises(AccessError):
            Supervision.check_access("read")

        self.clerk.with_user(self.user_manager).write(
            {"lbe_region_ids": [Command.set(self.township.ids)], "lbe_tier": "township"}
        )
        # Effective at once: the township clerk sees the township and supervises.
        self.assertEqual(self._sees(self.clerk), self.elder_a1 | self.elder_a2)
        Supervision.check_access("read")
        self.env.invalidate_all()  # the tier as the groups give it, not as written
        self.assertEqual(self.clerk.lbe_tier, "township")
        self.assertEqual(self.clerk._lbe_tier(), "township")
        self.assertEqual(self.clerk.sudo().write_uid, self.user_manager)

        # A demoted manager keeps none of the tiers above the new one.
        other_manager = self._tier_user("manager", self.county, login="lbe_test_manager2")
        other_manager.with_user(self.user_manager).lbe_tier = "village"
        self.assertEqual(other_manager._lbe_tier(), "village")
        for tier in ("manager", "province", "city", "county", "township"):
            self.assertFalse(other_manager.has_group(f"left_behind_elderly.group_{tier}"), tier)

        # No tier: still an internal user, without access to the ledger.
        self.clerk.with_user(self.user_manager).lbe_tier = False
        self.env.invalidate_all()
        self.assertFalse(self.clerk.lbe_tier)
        self.assertTrue(self.clerk.has_group("base.group_user"))
        with self.assertRaises(AccessError):
            self._sees(self.clerk)

    def test_manager_saves_the_staff_screen(self):
        action = (
            self.env["ir.actions.act_window"]
            .with_user(self.user_manager)
            ._for_xml_id("left_behind_elderly.res_users_lbe_staff_action")
        )
        staff = (
            self.env["res.users"]
            .with_user(self.user_manager)
            .search(ast.literal_eval(action["domain"]))
        )
        self.assertIn(self.clerk, staff)
        self.assertNotIn(self.portal, staff)
        views = (
            self.env["res.users"]
            .with_user(self.user_manager)
            .get_views(
                [(view_id, mode) for view_id, mode in action["views"]]
                + [(action["search_view_id"][0], "search")]
            )
        )
        self.assertEqual(
            set(views["views"]), {mode for _view, mode in action["views"]} | {"search"}
        )

        form = Form(
            self.clerk.with_user(self.user_manager),
            view="left_behind_elderly.res_users_view_form_lbe_staff",
        )
        form.lbe_tier = "county"
        form.lbe_region_ids.remove(id=self.village_a1.id)
        form.lbe_region_ids.add(self.county)
        form.save()
        self.env.invalidate_all()
        self.assertEqual(self.clerk.lbe_region_ids, self.county)
        self.assertEqual(self.clerk._lbe_tier(), "county")
        self.assertEqual(self._sees(self.clerk), self.elders)

    def test_staff_screen_over_jsonrpc(self):
        self.authenticate(self.user_manager.login, self.user_manager.login)
        action = self.make_jsonrpc_request(
            "/web/action/load", {"action_id": "left_behind_elderly.res_users_lbe_staff_action"}
        )
        self.assertEqual(action["res_model"], "res.users")

        def call(method, args, kwargs=None):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/res.users/{method}",
                {"model": "res.users", "method": method, "args": args, "kwargs": kwargs or {}},
            )

        # What the web client sends on saving the form: the changed fields only.
        [saved] = call(
            "web_save",
            [[self.clerk.id], {"lbe_region_ids": [[4, self.township.id]], "lbe_tier": "township"}],
            {"specification": {"lbe_tier": {}, "lbe_region_ids": {}}},
        )
        self.assertEqual(saved["lbe_tier"], "township")
        self.assertEqual(set(saved["lbe_region_ids"]), {self.village_a1.id, self.township.id})

        for vals in (
            {"groups_id": [[4, self.erp_manager.id]]},
            {name_boolean_group(self.system.id): True},
            {"lbe_tier": "county", "login": "admin2"},
        ):
            with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.http"):
                call("web_save", [[self.user_manager.id], vals], {"specification": {}})
            self.assertIn("AccessError", str(caught.exception))
        self.assertFalse(self.user_manager.has_group("base.group_erp_manager"))
        self.assertEqual(self.user_manager.login, "lbe_test_manager")

    def test_manager_grants_no_other_group(self):
        administration = next(
            gs
            for app, kind, gs, _category in self.env["res.groups"].get_groups_by_application()
            if app == self.env.ref("base.module_category_administration_administration")
        )
        vectors = [
            {"groups_id": [Command.link(self.erp_manager.id)]},
            {"groups_id": [Command.link(self.system.id)]},
            {"groups_id": [Command.link(self.auditlog_manager.id)]},
            {"groups_id": [Command.set(self.system.ids)]},
            {name_boolean_group(self.erp_manager.id): True},
            {name_boolean_group(self.auditlog_manager.id): True},
            {name_selection_groups(administration.ids): self.system.id},
            {"lbe_tier": "county", "groups_id": [Command.link(self.erp_manager.id)]},
            {
                "lbe_region_ids": [Command.link(self.county.id)],
                name_boolean_group(self.system.id): 1,
            },
        ]
        for user in (self.clerk, self.user_manager):
            for vals in vectors:
                with self.subTest(user=user.login, vals=vals):
                    self._assert_refused(user, vals)
        # Only the tiers of this application are on offer.
        for tier in ("erp_manager", "system", "user", "portal"):
            with self.subTest(tier=tier):
                self._assert_refused(self.clerk, {"lbe_tier": tier}, exception=ValueError)
        # Groups cannot be edited from their side either, nor users created.
        with self.assertRaises(AccessError):
            self.erp_manager.with_user(self.user_manager).write(
                {"users": [Command.link(self.user_manager.id)]}
            )
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(self.user_manager).create(
                {
                    "name": "Root",
                    "login": "lbe_root",
                    "lbe_tier": "manager",
                    "lbe_region_ids": [Command.link(self.county.id)],
                    "lbe_initial_password": "lbe_root_password",
                    "groups_id": [Command.link(self.system.id)],
                }
            )
        # Areas are linked, not created or edited through the user: that runs as
        # superuser, past the rights on regions.
        for command in (
            Command.create({"name": "新村", "code": "440111103299", "parent_id": self.township.id}),
            Command.update(self.village_a1.id, {"name": "改名"}),
            Command.delete(self.village_a1.id),
        ):
            with self.subTest(command=command):
                self._assert_refused(self.clerk, {"lbe_region_ids": [command]})
        self.assertNotEqual(self.village_a1.name, "改名")
        self.assertFalse(self.env["lbe.region"].search([("code", "=", "440111103299")]))

    def test_manager_makes_no_internal_user(self):
        public = self.env.ref("base.public_user")
        template = self.env.ref("base.default_user")
        root = self.env.ref("base.user_root")
        for user in (self.portal, public, template, root):
            for vals in (
                {"lbe_tier": "village"},
                {"lbe_region_ids": [Command.link(self.village_a1.id)]},
            ):
                with self.subTest(user=user.login, vals=vals):
                    self._assert_refused(user.with_context(active_test=False), vals)
        self.assertTrue(self.portal.share)
        self.assertFalse(self.portal.has_group("base.group_user"))
        # A list holding one such user is refused as a whole.
        self._assert_refused(self.clerk | self.portal, {"lbe_tier": "county"})

    def test_manager_changes_no_password_or_contact(self):
        # A manager who set another's password could sign in as them, and the
        # user's e-mail is where Odoo sends a password reset. Own password stays
        # the user's, as for every user (preferences).
        admin = self.env.ref("base.user_admin")
        for user in (self.clerk, self.user_county):
            for vals in (
                {"password": "lbe_taken_over"},
                {"lbe_initial_password": "lbe_taken_over"},
                {"lbe_password_change": True},
                {"email": "taken@example.com"},
                {"lbe_region_ids": [Command.set(self.province.ids)], "password": "x" * 12},
                {"lbe_tier": "manager", "login": "lbe_taken_over", "password": "x" * 12},
                {"name": "冒名", "partner_id": admin.partner_id.id},
                {"login": "lbe_taken_over", "company_ids": [Command.link(self.env.company.id)]},
                {"active": False, "share": True},
            ):
                with self.subTest(user=user.login, vals=vals):
                    self._assert_refused(user, vals)
        # An Odoo administrator's login, name, password or active flag is not the
        # manager's, even with the staff fields only.
        for vals in (
            {"login": "lbe_admin_taken_over"},
            {"name": "冒名"},
            {"active": False},
            {"password": "lbe_taken_over"},
        ):
            with self.subTest(vals=vals):
                self._assert_refused(admin, vals)
        with self.assertRaises(AccessError):
            admin.with_user(self.user_manager).action_archive()
        self.assertTrue(admin.active)

    def test_manager_renames_and_archives_staff(self):
        clerk = self.clerk.with_user(self.user_manager)
        clerk.write({"name": "东华村委会 新文书", "login": "13800138000"})
        self.env.invalidate_all()
        self.assertEqual((self.clerk.name, self.clerk.login), ("东华村委会 新文书", "13800138000"))
        self.assertEqual(self.clerk.sudo().write_uid, self.user_manager)
        # Archived from the form's action menu, and back.
        clerk.action_archive()
        self.assertFalse(self.clerk.active)
        clerk.with_context(active_test=False).action_unarchive()
        self.assertTrue(self.clerk.active)
        self.assertEqual(self._sees(self.clerk), self.elder_a1)
        clerk.write({"active": False})
        self.assertFalse(self.clerk.active)
        # Values a form does not send are refused before anything is written.
        for vals in ({"login": ""}, {"name": "  "}, {"login": 13800138000}, {"active": "no"}):
            with self.subTest(vals=vals):
                self._assert_refused(self.clerk, vals, exception=UserError)

    def test_other_tiers_set_no_areas_or_tiers(self):
        for by in (self.user_county, self.user_province, self.clerk):
            for user in (self.clerk, by):
                for vals in (
                    {"lbe_region_ids": [Command.set(self.province.ids)]},
                    {"lbe_tier": "manager"},
                    {"lbe_tier": False},
                ):
                    with self.subTest(by=by.login, user=user.login, vals=vals):
                        self._assert_refused(user, vals, by=by)

    def test_audit_log_records_areas_and_tiers(self):
        self.clerk.with_user(self.user_manager).write(
            {"lbe_region_ids": [Command.set(self.village_a2.ids)]}
        )
        self.clerk.with_user(self.user_manager).lbe_tier = "county"
        Log = self.env["auditlog.log"]
        logs = Log.search(
            [
                ("model_model", "=", "res.users"),
                ("res_id", "=", self.clerk.id),
                ("method", "=", "write"),
                ("user_id", "=", self.user_manager.id),
            ]
        )
        areas = logs.line_ids.filtered(lambda line: line.field_name == "lbe_region_ids")
        self.assertEqual(len(areas), 1)
        self.assertEqual(ast.literal_eval(areas.old_value), self.village_a1.ids)
        self.assertEqual(ast.literal_eval(areas.new_value), self.village_a2.ids)
        self.assertIn(self.village_a1.display_name, areas.old_value_text)
        self.assertIn(self.village_a2.display_name, areas.new_value_text)
        groups = logs.line_ids.filtered(lambda line: line.field_name == "groups_id")
        county = self.env.ref("left_behind_elderly.group_county")
        self.assertTrue(groups)
        for line in groups:
            self.assertNotIn(county.id, ast.literal_eval(line.old_value))
            self.assertIn(county.id, ast.literal_eval(line.new_value))

        # Managers read the logs of users, and no other.
        ManagerLog = Log.with_user(self.user_manager)
        self.assertEqual(ManagerLog.search([("id", "in", logs.ids)]), logs)
        # Through the "View logs" action that auditlog binds to users.
        rule = self.env.ref("left_behind_elderly.auditlog_rule_res_users")
        self.assertEqual(rule.state, "subscribed")
        self.assertEqual(rule.action_id.binding_model_id.model, "res.users")
        views = ManagerLog.get_views([(False, "list"), (False, "form"), (False, "search")])
        self.assertEqual(set(views["views"]), {"list", "form", "search"})
        read = ManagerLog.browse(logs.ids).web_read(
            {"name": {}, "user_id": {"fields": {"display_name": {}}}, "line_ids": {}}
        )
        self.assertEqual([values["id"] for values in read], logs.ids)
        self.assertTrue(ManagerLog.browse(areas.log_id.id).line_ids)
        other = Log.create(
            {
                "name": self.elder_a1.name,
                "model_id": self.env["ir.model"]._get_id("lbe.elder"),
                "res_id": self.elder_a1.id,
                "method": "write",
                "user_id": self.clerk.id,
            }
        )
        self.assertFalse(ManagerLog.search([("id", "=", other.id)]))
        with self.assertRaises(AccessError):
            logs[:1].with_user(self.user_manager).unlink()
        with self.assertRaises(AccessError):
            areas.with_user(self.user_manager).write({"new_value": "[]"})

        # A password set by an administrator leaves no trace of it in the log.
        self.clerk.password = "lbe_new_secret"
        lines = Log.search([("res_id", "=", self.clerk.id), ("model_model", "=", "res.users")])
        self.assertNotIn("password", lines.line_ids.mapped("field_name"))
        self.assertFalse(
            [line for line in lines.line_ids if "lbe_new_secret" in (line.new_value or "")]
        )


@tagged("post_install", "-at_install")
class TestStaffAreaEscape(LbeCommon, HttpCase):
    """A manager limited to an area stays in it: over JSON-RPC, as a hostile
    manager of 白云区 would try, they give no area outside their own, to
    themselves or anyone, and touch no user serving outside it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._tier_user("manager", cls.county, login="lbe_test_manager_by")
        cls.huadu = cls.village_c1.parent_id.parent_id
        cls.clerk_c1 = cls._tier_user("village", cls.village_c1, login="lbe_test_village_c1")
        cls.admin = cls.env.ref("base.user_admin")
        cls.elder_c1 = cls._create_elder("花都老人", cls.village_c1)

    def _rpc(self, opener, method, user, vals):
        args = [[user.id], vals]
        kwargs = {"specification": {"lbe_region_ids": {}}} if method == "web_save" else {}
        with mute_logger("odoo.http"):
            return call_kw(opener, self.base_url(), "res.users", method, args, kwargs)

    def _snapshot(self, users):
        self.env.invalidate_all()
        return users.sudo().read(["groups_id", "lbe_region_ids"])

    def _assert_refused_over_http(self, opener, user, vals, message):
        before = self._snapshot(user)
        for method in ("write", "web_save"):
            with self.subTest(user=user.login, vals=vals, method=method):
                answer = self._rpc(opener, method, user, vals)
                error = answer.get("error") or {}
                self.assertEqual(
                    error.get("data", {}).get("name"), "odoo.exceptions.AccessError", answer
                )
                text = error["data"]["message"]
                self.assertIn(message, text)
                # Nothing outside the manager's area is named.
                for name in (self.huadu.name, self.city.name, user.login, user.name):
                    self.assertNotRegex(text, rf"\b{re.escape(name)}\b")
                self.assertEqual(self._snapshot(user), before)

    def test_manager_gives_no_area_outside_their_own(self):
        opener = login_session(self, self.manager)
        outside = "You may give only areas inside your own served areas."
        for vals in (
            {"lbe_region_ids": [[4, self.huadu.id]]},
            {"lbe_region_ids": [[4, self.village_c1.id]]},
            {"lbe_region_ids": [[4, self.city.id]]},
            {"lbe_region_ids": [[6, 0, [self.county.id, self.huadu.id]]]},
            {"lbe_region_ids": [[3, self.county.id], [4, self.province.id]], "lbe_tier": "county"},
        ):
            for user in (self.manager, self.user_village, self.user_no_area):
                self._assert_refused_over_http(opener, user, vals, outside)
        # The administrator is not the manager's to change at all, even within.
        for vals in (
            {"lbe_region_ids": [[4, self.huadu.id]]},
            {"lbe_region_ids": [[4, self.county.id]]},
            {"lbe_tier": "village"},
        ):
            self._assert_refused_over_http(
                opener, self.admin, vals, "are set by Odoo administrators only"
            )
        # Still blind to 花都区.
        found = call_kw(
            opener,
            self.base_url(),
            "lbe.elder",
            "search_read",
            [[("id", "=", self.elder_c1.id)]],
            {"fields": ["name"]},
        )
        self.assertEqual(found.get("result"), [], found)

    def test_manager_changes_only_users_serving_inside(self):
        opener = login_session(self, self.manager)
        wider = "only of users who serve inside your own areas"
        # Users serving outside, or wider than, 白云区: not even their tier, not
        # even to remove an area.
        for user, vals in (
            (self.clerk_c1, {"lbe_tier": "township"}),
            (self.clerk_c1, {"lbe_region_ids": [[3, self.village_c1.id]]}),
            (self.clerk_c1, {"lbe_region_ids": [[5, 0, 0]]}),
            (self.user_city, {"lbe_tier": "village"}),
            (self.user_province, {"lbe_region_ids": [[6, 0, [self.village_a1.id]]]}),
            (self.user_manager, {"lbe_tier": False}),
        ):
            self._assert_refused_over_http(opener, user, {**vals}, wider)
        # A user serving outside is not made a manager either.
        self._assert_refused_over_http(opener, self.user_city, {"lbe_tier": "manager"}, wider)

        # Inside: the clerk of 人和镇 A1 becomes the township's clerk, a user without
        # an area gets one, and the manager narrows their own areas.
        answer = self._rpc(
            opener,
            "web_save",
            self.user_village,
            {"lbe_region_ids": [[6, 0, [self.township.id]]], "lbe_tier": "township"},
        )
        self.assertEqual(answer["result"][0]["lbe_region_ids"], self.township.ids, answer)
        self.assertEqual(self.user_village.lbe_tier, "township")
        answer = self._rpc(
            opener, "write", self.user_no_area, {"lbe_region_ids": [[4, self.village_b1.id]]}
        )
        self.assertIs(answer.get("result"), True, answer)
        self.assertEqual(self.user_no_area.lbe_region_ids, self.village_b1)
        answer = self._rpc(
            opener, "write", self.manager, {"lbe_region_ids": [[6, 0, [self.township.id]]]}
        )
        self.assertIs(answer.get("result"), True, answer)
        # Narrowed, the manager may no longer give what they gave up.
        self._assert_refused_over_http(
            opener,
            self.user_village,
            {"lbe_region_ids": [[4, self.county.id]]},
            "You may give only areas inside your own served areas.",
        )

    def test_changes_of_areas_and_tiers_are_audited(self):
        Log = self.env["lbe.audit.log"]
        self.user_village.with_user(self.manager).write(
            {"lbe_region_ids": [Command.set(self.township.ids)], "lbe_tier": "township"}
        )
        entry = Log.search([("action", "=", "staff_areas"), ("user_id", "=", self.manager.id)])
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.res_model, "res.users")
        self.assertEqual(entry.res_ids, str(self.user_village.id))
        # Before → after, and in the smallest area holding both.
        self.assertIn(f"{self.village_a1.code} {self.village_a1.name}", entry.detail)
        self.assertIn(f"→ {self.township.code} {self.township.name}", entry.detail)
        self.assertIn("Village → Township", entry.detail)
        self.assertEqual(entry.region_id, self.township)
        # The managers of the area read it; those of another area do not.
        self.assertEqual(Log.with_user(self.manager).search([("id", "=", entry.id)]), entry)
        huadu_manager = self._tier_user("manager", self.huadu, login="lbe_test_manager_hd")
        self.assertFalse(Log.with_user(huadu_manager).search([("id", "=", entry.id)]))

        # An Odoo administrator's change through the users' form is audited too.
        admin_entries = Log.search(
            [("action", "=", "staff_areas"), ("user_id", "=", self.admin.id)]
        )
        self.clerk_c1.with_user(self.admin).write({"lbe_region_ids": [Command.set(self.huadu.ids)]})
        entry = (
            Log.search([("action", "=", "staff_areas"), ("user_id", "=", self.admin.id)])
            - admin_entries
        )
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.region_id, self.huadu)
        self.assertIn(f"{self.village_c1.code} {self.village_c1.name} → ", entry.detail)
        # A write that changes nothing of areas or tiers leaves no entry.
        count = Log.search_count([])
        self.clerk_c1.with_user(self.admin).write({"lbe_region_ids": [Command.set(self.huadu.ids)]})
        self.assertEqual(Log.search_count([]), count)


STAFF_FORM = "left_behind_elderly.res_users_view_form_lbe_staff"
INITIAL_PASSWORD = "chushi-mima-1"


@tagged("post_install", "-at_install")
class TestStaffScreen(LbeCommon, HttpCase):
    """A manager of 白云区, not an Odoo administrator, creates and changes the
    staff of the county on the Staff and Areas screen, and nobody else; the
    visit policy is on the managers' own screen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._tier_user("manager", cls.county, login="lbe_test_manager_by")
        cls.clerk_c1 = cls._tier_user("village", cls.village_c1, login="lbe_test_village_c1")
        cls.admin = cls.env.ref("base.user_admin")
        cls.system = cls.env.ref("base.group_system")
        cls.portal_group = cls.env.ref("base.group_portal")
        cls.elder_a1 = cls._create_elder("甲一", cls.village_a1)
        cls.elder_c1 = cls._create_elder("花都老人", cls.village_c1)

    def _new_staff(self, **vals):
        return {
            "name": "东华村委会 李文书",
            "login": "13800138001",
            "lbe_initial_password": INITIAL_PASSWORD,
            "lbe_tier": "village",
            "lbe_region_ids": [Command.link(self.village_a1.id)],
            **vals,
        }

    def _offered(self, form):
        """The regions the areas' picker of the form offers."""
        return (
            self.env["lbe.region"]
            .with_user(self.manager)
            .search(ast.literal_eval(form.lbe_area_domain))
        )

    def _staff_action_domain(self):
        action = (
            self.env["ir.actions.act_window"]
            .with_user(self.manager)
            ._for_xml_id("left_behind_elderly.res_users_lbe_staff_action")
        )
        return ast.literal_eval(action["domain"])

    def test_manager_creates_staff_on_screen(self):
        # What the screen does: the list's New button opens the staff form.
        views = (
            self.env["res.users"]
            .with_user(self.manager)
            .get_views([(self.env.ref(STAFF_FORM).id, "form")])
        )
        arch = views["views"]["form"]["arch"]
        self.assertIn('create="1"', arch)
        self.assertIn('edit="1"', arch)

        form = Form(self.env["res.users"].with_user(self.manager), view=STAFF_FORM)
        form.name = "东华村委会 李文书"
        form.login = "13800138001"
        form.lbe_initial_password = INITIAL_PASSWORD
        form.lbe_tier = "village"
        # The picker offers villages of the manager's county only.
        offered = self._offered(form)
        self.assertIn(self.village_a1, offered)
        self.assertNotIn(self.village_c1, offered)
        self.assertEqual(set(offered.mapped("level")), {"village"})
        form.lbe_region_ids.add(self.village_a1)
        clerk = form.save()

        self.assertEqual(clerk._lbe_tier(), "village")
        self.assertEqual(clerk.lbe_region_ids, self.village_a1)
        self.assertTrue(clerk.has_group("base.group_user"))
        self.assertFalse(clerk.share)
        for group in (
            "base.group_erp_manager",
            "base.group_system",
            "left_behind_elderly.group_township",
        ):
            self.assertFalse(clerk.has_group(group), group)
        self.assertEqual(clerk.sudo().create_uid, self.manager)
        self.assertTrue(clerk.sudo().lbe_password_change)
        self.assertEqual(
            self.env["lbe.elder"]
            .with_user(clerk)
            .search([("id", "in", (self.elder_a1 | self.elder_c1).ids)]),
            self.elder_a1,
        )
        self.assertIn(clerk, self.env["res.users"].search(self._staff_action_domain()))
        entry = self.env["lbe.audit.log"].search(
            [("action", "=", "staff_areas"), ("res_ids", "=", str(clerk.id))]
        )
        self.assertEqual(entry.user_id, self.manager)
        self.assertIn("- → Village", entry.detail)

        # A county officer: the picker offers the county itself, no village.
        form = Form(self.env["res.users"].with_user(self.manager), view=STAFF_FORM)
        form.name = "白云区民政局 王干部"
        form.login = "wang@baiyun.example.com"
        form.lbe_initial_password = INITIAL_PASSWORD
        form.lbe_tier = "county"
        self.assertEqual(self._offered(form), self.county)
        form.lbe_region_ids.add(self.county)
        officer = form.save()
        self.assertEqual(officer._lbe_tier(), "county")
        self.assertEqual(officer.lbe_region_ids, self.county)

        # Then the clerk moves up to the township, on the same form.
        form = Form(clerk.with_user(self.manager), view=STAFF_FORM)
        form.lbe_tier = "township"
        self.assertEqual(set(self._offered(form).mapped("level")), {"township"})
        form.lbe_region_ids.remove(id=self.village_a1.id)
        form.lbe_region_ids.add(self.township)
        form.save()
        self.env.invalidate_all()
        self.assertEqual(clerk._lbe_tier(), "township")
        self.assertEqual(clerk.lbe_region_ids, self.township)

    def test_manager_creates_staff_over_jsonrpc(self):
        opener = login_session(self, self.manager)

        def web_save(vals, context=None):
            with mute_logger("odoo.http"):
                return call_kw(
                    opener,
                    self.base_url(),
                    "res.users",
                    "web_save",
                    [[], vals],
                    {
                        "specification": {"lbe_tier": {}, "lbe_region_ids": {}},
                        "context": context or {},
                    },
                )

        Users = self.env["res.users"].with_context(active_test=False)
        administration = next(
            gs
            for app, _kind, gs, _category in self.env["res.groups"].get_groups_by_application()
            if app == self.env.ref("base.module_category_administration_administration")
        )
        refused = [
            # Areas outside or wider than the manager's, or made through the user.
            {"lbe_region_ids": [Command.link(self.village_c1.id)]},
            {"lbe_region_ids": [Command.set([self.city.id])]},
            {"lbe_region_ids": [Command.create({"name": "新村", "code": "440111103299"})]},
            {"lbe_region_ids": []},
            # Groups other than the tiers, whatever the field.
            {"groups_id": [Command.link(self.system.id)]},
            {"groups_id": [Command.set(self.portal_group.ids)]},
            {name_boolean_group(self.system.id): True},
            {name_selection_groups(administration.ids): self.system.id},
            {"lbe_tier": "base.group_system"},
            {"lbe_tier": "portal"},
            # Anything else of a user or their partner.
            {"password": "x" * 12},
            {"lbe_password_change": False},
            {"share": True},
            {"partner_id": self.admin.partner_id.id},
            {"company_id": self.env.company.id},
            {"email": "li@example.com"},
            # A way in, a tier and a login are required.
            {"lbe_initial_password": False},
            {"lbe_initial_password": "short"},
            {"lbe_tier": False},
            {"login": ""},
        ]
        for change in refused:
            with self.subTest(change=change):
                answer = web_save(self._new_staff(**change))
                self.assertIn("error", answer)
                self.assertFalse(Users.search([("login", "=", "13800138001")]))

        # The context's defaults set nothing past the check: no group, no partner.
        answer = web_save(
            self._new_staff(),
            {
                "default_groups_id": [Command.set((self.system | self.portal_group).ids)],
                "default_partner_id": self.admin.partner_id.id,
                "default_share": True,
                "default_lbe_password_change": False,
            },
        )
        [saved] = answer["result"]
        self.assertEqual(saved["lbe_tier"], "village")
        clerk = Users.browse(saved["id"])
        self.assertNotEqual(clerk.partner_id, self.admin.partner_id)
        self.assertFalse(clerk.share)
        self.assertFalse(clerk.has_group("base.group_system"))
        self.assertFalse(clerk.has_group("base.group_portal"))
        self.assertTrue(clerk.sudo().lbe_password_change)
        self.assertEqual(self.admin.partner_id.user_ids, self.admin)

        # Other tiers create no user at all.
        for by in (self.user_county, self.user_province):
            with self.subTest(by=by.login), self.assertRaises(AccessError):
                self.env["res.users"].with_user(by).create(self._new_staff(login="lbe_other"))

    def test_manager_changes_only_the_staff_of_their_area(self):
        # Outside 白云区, and Odoo administrators: nothing, not even a name.
        for user in (self.clerk_c1, self.admin):
            for vals in (
                {"name": "冒名"},
                {"login": "lbe_taken_over"},
                {"active": False},
                {"password": "x" * 12},
            ):
                with self.subTest(user=user.login, vals=vals):
                    before = user.sudo().read(["name", "login", "active"])
                    with self.assertRaises(AccessError):
                        user.with_user(self.manager).write(vals)
                    self.env.invalidate_all()
                    self.assertEqual(user.sudo().read(["name", "login", "active"]), before)
            with self.assertRaises(AccessError):
                user.with_user(self.manager).action_archive()
            self.assertTrue(user.active)
        # Inside: the county's clerk is renamed, archived and restored.
        clerk = self.user_village.with_user(self.manager)
        clerk.write({"name": "东华村委会 文书", "login": "13800138002"})
        clerk.action_archive()
        self.assertFalse(self.user_village.active)
        clerk.action_unarchive()
        self.assertTrue(self.user_village.active)
        self.assertEqual(self.user_village.login, "13800138002")

    def test_staff_list_shows_staff_only(self):
        domain = self._staff_action_domain()
        Users = self.env["res.users"].with_user(self.manager)
        listed = Users.search(domain)
        non_staff = new_test_user(self.env, login="lbe_test_plain", groups="base.group_user")
        portal = new_test_user(self.env, login="lbe_test_portal", groups="base.group_portal")
        listed = Users.search(domain)
        self.assertIn(self.user_village, listed)
        self.assertIn(self.user_city, listed)
        self.assertIn(self.manager, listed)
        for user in (
            non_staff,
            portal,
            self.admin,
            self.env.ref("base.user_demo", raise_if_not_found=False),
        ):
            if user:
                with self.subTest(user=user.login):
                    self.assertNotIn(user, listed)
        self.assertFalse(listed.filtered("share"))
        # Archived staff under the Archived filter.
        self.user_village.active = False
        self.assertEqual(
            Users.search([*domain, ("active", "=", False), ("id", "=", self.user_village.id)]),
            self.user_village,
        )

    def test_first_sign_in_asks_for_an_own_password(self):
        clerk = self.env["res.users"].with_user(self.manager).create(self._new_staff())
        self.authenticate(clerk.login, INITIAL_PASSWORD)
        response = self.url_open("/odoo", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/web/lbe/password"))

        def post(old, new, confirm):
            page = self.url_open("/web/lbe/password")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            return self.url_open(
                "/web/lbe/password",
                data={
                    "csrf_token": token,
                    "old_password": old,
                    "new_password": new,
                    "confirm_password": confirm,
                },
                allow_redirects=False,
            )

        for old, new, confirm, error in (
            (
                "wrong-initial",
                "mein-passwort-1",
                "mein-passwort-1",
                "The initial password is not right.",
            ),
            (
                INITIAL_PASSWORD,
                "mein-passwort-1",
                "mein-passwort-2",
                "The two new passwords differ.",
            ),
            (INITIAL_PASSWORD, "short", "short", "at least 8 characters"),
            (INITIAL_PASSWORD, INITIAL_PASSWORD, INITIAL_PASSWORD, "other than the initial one"),
        ):
            with self.subTest(error=error):
                response = post(old, new, confirm)
                self.assertEqual(response.status_code, 200)
                self.assertIn(error, response.text)
                self.assertTrue(clerk.sudo().lbe_password_change)
        response = post(INITIAL_PASSWORD, "mein-passwort-1", "mein-passwort-1")
        self.assertEqual(response.status_code, 303)
        self.assertFalse(clerk.sudo().lbe_password_change)
        # Still signed in, now into the web client.
        response = self.url_open("/odoo", allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.authenticate(clerk.login, "mein-passwort-1")

    def test_manager_sets_the_visit_policy(self):
        Settings = self.env["res.config.settings"]
        Policy = self.env["lbe.visit.policy"]
        province_manager = self.user_manager
        menu = self.env.ref("left_behind_elderly.lbe_visit_policy_menu")
        self.assertIn(
            menu.id, self.env["ir.ui.menu"].with_user(province_manager)._visible_menu_ids()
        )
        self.assertNotIn(
            menu.id, self.env["ir.ui.menu"].with_user(self.user_county)._visible_menu_ids()
        )
        self.assertFalse(province_manager.has_group("base.group_system"))

        form = Form(Policy.with_user(province_manager))
        self.assertEqual((form.visit_interval_focus, form.visit_interval_other), (30, 90))
        self.assertTrue(form.may_change)
        form.visit_interval_focus = 14
        form.visit_interval_other = 60
        form.save().action_save()
        self.assertEqual(Settings._lbe_visit_intervals(), (14, 60))
        self.elder_a1.invalidate_recordset(["next_visit_date"])
        self.assertEqual(
            (self.elder_a1.next_visit_date - self.elder_a1.registration_date).days,
            14 if self.elder_a1.is_key_focus or self.elder_a1.is_at_risk else 60,
        )
        with self.assertRaises(ValidationError):
            Policy.with_user(province_manager).create(
                {"visit_interval_focus": 0, "visit_interval_other": 60}
            )

        # The policy holds for the province: a county's manager reads it only.
        form = Form(Policy.with_user(self.manager))
        self.assertEqual((form.visit_interval_focus, form.visit_interval_other), (14, 60))
        self.assertFalse(form.may_change)
        policy = Policy.with_user(self.manager).create(
            {"visit_interval_focus": 7, "visit_interval_other": 7}
        )
        with self.assertRaises(AccessError):
            policy.action_save()
        # Another manager's policy is not theirs to save either.
        with self.assertRaises(AccessError):
            policy.with_user(province_manager).action_save()
        # Other tiers have no policy screen at all.
        for user in (self.user_county, self.user_province, self.user_village):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Policy.with_user(user).create(
                    {"visit_interval_focus": 7, "visit_interval_other": 7}
                )
        self.assertEqual(Settings._lbe_visit_intervals(), (14, 60))
