from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LbeCareCommon


@tagged("post_install", "-at_install")
class TestCareAccess(LbeCareCommon):
    """Every care record is scoped by its elder's village, for every tier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.records = {
            key: cls._elder_with_records(f"权限{key}", village, sequence)
            for key, village, sequence in (
                ("a1", cls.village_a1, "771"),
                ("b1", cls.village_b1, "773"),
                ("d1", cls.village_d1, "775"),
            )
        }
        # A harmless change per model, to try writing.
        cls.edits = {
            "lbe.visit": {"companions": "村医"},
            "lbe.visit.followup": {"answer": "已知悉"},
            "lbe.care.agreement": {"duties": "每日看望"},
            "lbe.volunteer": {"skills": "护理"},
            "lbe.volunteer.pairing": {"note": "每周"},
            "lbe.service.record": {"performed_by": "志愿者"},
        }
        cls.models = list(cls.edits)

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
                # A value of this user's own, read back from the database.
                fname, value = next(iter(vals.items()))
                vals = {fname: f"{value}（{user.login}）"}
                recs[model].with_user(user).write(vals)
                self.env.flush_all()
                self.env.invalidate_all()
                self.assertEqual(recs[model][fname], vals[fname], model)
                with self.assertRaises(AccessError, msg=f"{model} by {user.login}"):
                    other[model].with_user(user).write(vals)
                self.assertNotEqual(other[model][fname], vals[fname], model)
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
        for model in ("lbe.service.record", "lbe.visit.followup"):
            self.records["a1"][model].with_user(self.user_manager).unlink()
            self.assertFalse(self.records["a1"][model].exists(), model)
