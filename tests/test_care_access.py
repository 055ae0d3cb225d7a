import base64
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_visit import LbeCareCommon


@tagged("post_install", "-at_install")
class TestCareAccess(LbeCareCommon):
    """Every care record is scoped by its elder's village, for every tier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.records = {}
        for key, village in (
            ("a1", cls.village_a1),
            ("b1", cls.village_b1),
            ("d1", cls.village_d1),
        ):
            elder = cls._registered_elder(f"权限{key}", village)
            guardian = cls.env["lbe.guardian"].create(
                {
                    "elder_id": elder.id,
                    "name": f"子{key}",
                    "mobile": "13800000000",
                    "is_primary": True,
                }
            )
            visit = cls._done_visit(elder, risk_level="high")
            followup = cls.env["lbe.visit.followup"].create(
                {"visit_id": visit.id, "guardian_id": guardian.id, "contact_name": guardian.name}
            )
            agreement = cls.env["lbe.care.agreement"].create(
                {
                    "elder_id": elder.id,
                    "guardian_id": guardian.id,
                    "caregiver_name": "照顾人",
                    "caregiver_mobile": "13700000000",
                    "date_start": cls.today,
                    "date_end": cls.today + timedelta(days=10),
                    "signed_date": cls.today,
                    "elder_consent": True,
                    "agreement_copy": base64.b64encode(b"scan"),
                }
            )
            agreement.action_activate()
            volunteer = cls.env["lbe.volunteer"].create(
                {"name": f"志愿者{key}", "region_id": village.id}
            )
            pairing = cls.env["lbe.volunteer.pairing"].create(
                {
                    "elder_id": elder.id,
                    "volunteer_id": volunteer.id,
                    "date_start": cls.today,
                    "service_type_ids": cls.env.ref(
                        "left_behind_elderly.lbe_service_type_daily_care"
                    ).ids,
                }
            )
            pairing.action_start()
            record = cls.env["lbe.service.record"].create(
                {
                    "pairing_id": pairing.id,
                    "service_type_id": pairing.service_type_ids.id,
                    "description": "看望",
                }
            )
            cls.records[key] = {
                "lbe.visit": visit,
                "lbe.visit.followup": followup,
                "lbe.care.agreement": agreement,
                "lbe.volunteer": volunteer,
                "lbe.volunteer.pairing": pairing,
                "lbe.service.record": record,
            }
        cls.models = list(cls.records["a1"])
        # A harmless change per model, to try writing.
        cls.edits = {
            "lbe.visit": {"companions": "村医"},
            "lbe.visit.followup": {"answer": "已知悉"},
            "lbe.care.agreement": {"duties": "每日看望"},
            "lbe.volunteer": {"skills": "护理"},
            "lbe.volunteer.pairing": {"note": "每周"},
            "lbe.service.record": {"performed_by": "志愿者"},
        }

    def _all(self, model):
        return self.env[model].browse([self.records[key][model].id for key in self.records])

    def _assert_reads(self, user, keys):
        for model in self.models:
            visible = self.env[model].browse([self.records[key][model].id for key in keys])
            found = self.env[model].with_user(user).search([("id", "in", self._all(model).ids)])
            self.assertEqual(set(found.ids), set(visible.ids), f"{model} for {user.login}")
            for key in set(self.records) - set(keys):
                with self.assertRaises(AccessError, msg=f"{model} {key} for {user.login}"):
                    self.records[key][model].with_user(user).read(["display_name"])

    def test_each_tier_reads_its_own_area(self):
        self._assert_reads(self.user_village, ["a1"])
        self._assert_reads(self.user_township, ["a1"])
        self._assert_reads(self.user_county, ["a1", "b1"])
        self._assert_reads(self.user_city, ["a1", "b1"])
        self._assert_reads(self.user_province, ["a1", "b1", "d1"])
        self._assert_reads(self.user_no_area, [])

    def test_ledger_tiers_write_in_own_area_only(self):
        for user, own, foreign in (
            (self.user_village, "a1", "b1"),
            (self.user_township, "a1", "b1"),
            (self.user_county, "b1", "d1"),
        ):
            recs, other = self.records[own], self.records[foreign]
            for model, vals in self.edits.items():
                recs[model].with_user(user).write(vals)
                self.assertEqual(recs[model][next(iter(vals))], next(iter(vals.values())))
                with self.assertRaises(AccessError, msg=f"{model} by {user.login}"):
                    other[model].with_user(user).write(vals)
            with self.assertRaises(AccessError):
                self.env["lbe.visit"].with_user(user).create(
                    {"elder_id": other["lbe.visit"].elder_id.id}
                )
            with self.assertRaises(AccessError):
                recs["lbe.visit"].with_user(user).elder_id = other["lbe.visit"].elder_id

    def test_city_and_province_only_read(self):
        for user in (self.user_city, self.user_province):
            for model in self.models:
                record = self.records["a1"][model]
                with self.assertRaises(AccessError, msg=f"{model} by {user.login}"):
                    record.with_user(user).write(self.edits[model])
            with self.assertRaises(AccessError):
                self.env["lbe.visit"].with_user(user).create(
                    {"elder_id": self.records["a1"]["lbe.visit"].elder_id.id}
                )

    def test_only_managers_delete(self):
        for user in (self.user_village, self.user_township, self.user_county, self.user_city):
            for model in self.models:
                with self.assertRaises(AccessError, msg=f"{model} by {user.login}"):
                    self.records["a1"][model].with_user(user).unlink()
        self.records["a1"]["lbe.service.record"].with_user(self.user_manager).unlink()
        self.records["a1"]["lbe.visit.followup"].with_user(self.user_manager).unlink()
