from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LbeCommon


@tagged("post_install", "-at_install")
class TestAreaAccess(LbeCommon):
    """Each tier sees and changes only the elders of its own area."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.elder_a1 = cls._create_elder("甲一", cls.village_a1)
        cls.elder_a2 = cls._create_elder("甲二", cls.village_a2)
        cls.elder_b1 = cls._create_elder("乙一", cls.village_b1)
        cls.elder_c1 = cls._create_elder("丙一", cls.village_c1)
        cls.elder_d1 = cls._create_elder("丁一", cls.village_d1)
        cls.all_elders = cls.elder_a1 | cls.elder_a2 | cls.elder_b1 | cls.elder_c1 | cls.elder_d1

    def _assert_sees_exactly(self, user, visible):
        Elder = self.env["lbe.elder"].with_user(user)
        domain = [("id", "in", self.all_elders.ids)]
        hidden = self.all_elders - visible
        self.assertEqual(Elder.search(domain), visible.with_user(user))
        self.assertEqual(Elder.search_count(domain), len(visible))
        names = {name for _id, name in Elder.name_search("", args=domain, limit=None)}
        self.assertEqual(names, set(visible.mapped("name")))
        groups = Elder.read_group(domain, ["region_id"], ["region_id"])
        self.assertEqual(sum(g["region_id_count"] for g in groups), len(visible))
        self.assertEqual({g["region_id"][0] for g in groups}, set(visible.mapped("region_id").ids))
        if user.has_groups("left_behind_elderly.group_county,left_behind_elderly.group_city"):
            self.assertEqual(
                sorted(Elder.search(domain).export_data(["name"])["datas"]),
                sorted([name] for name in visible.mapped("name")),
            )
        elif visible:
            # Village and township staff print forms; they export nothing.
            with self.assertRaises(AccessError):
                Elder.search(domain).export_data(["name"])
        if visible:
            visible.with_user(user).read(["name", "region_id"])
        for elder in hidden:
            with self.assertRaises(AccessError):
                elder.with_user(user).read(["name"])

    def test_village_sees_own_village_only(self):
        self._assert_sees_exactly(self.user_village, self.elder_a1)

    def test_township_sees_its_villages(self):
        self._assert_sees_exactly(self.user_township, self.elder_a1 | self.elder_a2)

    def test_county_sees_its_townships(self):
        self._assert_sees_exactly(self.user_county, self.elder_a1 | self.elder_a2 | self.elder_b1)

    def test_city_sees_its_counties(self):
        self._assert_sees_exactly(self.user_city, self.all_elders - self.elder_d1)

    def test_province_sees_whole_province(self):
        self._assert_sees_exactly(self.user_province, self.all_elders)

    def test_user_without_area_sees_nothing(self):
        self._assert_sees_exactly(self.user_no_area, self.env["lbe.elder"])
        self.assertFalse(self.env["lbe.elder"].with_user(self.user_no_area).search([]))

    def test_area_change_applies_at_once(self):
        Elder = self.env["lbe.elder"].with_user(self.user_no_area)
        self.assertFalse(Elder.search([("id", "=", self.elder_c1.id)]))
        self.user_no_area.lbe_region_ids = self.village_c1
        self.assertEqual(Elder.search([("id", "in", self.all_elders.ids)]).ids, self.elder_c1.ids)

    def test_ledger_tiers_create_and_write_in_own_area(self):
        for user, village in [
            (self.user_village, self.village_a1),
            (self.user_township, self.village_a2),
            (self.user_county, self.village_b1),
        ]:
            elder = (
                self.env["lbe.elder"]
                .with_user(user)
                .create({"name": "新登记", "region_id": village.id})
            )
            elder.name = "新登记（改）"
            self.assertEqual(elder.sudo().name, "新登记（改）")

    def test_ledger_tiers_cannot_touch_other_areas(self):
        with self.assertRaises(AccessError):
            self.env["lbe.elder"].with_user(self.user_village).create(
                {"name": "越界", "region_id": self.village_a2.id}
            )
        with self.assertRaises(AccessError):
            self.elder_b1.with_user(self.user_township).write({"name": "越界"})
        with self.assertRaises(AccessError):
            self.elder_c1.with_user(self.user_county).write({"name": "越界"})
        # Moving an own elder into a foreign village is refused too.
        with self.assertRaises(AccessError):
            self.elder_a1.with_user(self.user_village).write({"region_id": self.village_a2.id})

    def test_city_and_province_only_read(self):
        for user in (self.user_city, self.user_province):
            with self.assertRaises(AccessError):
                self.elder_a1.with_user(user).write({"name": "只读"})
            with self.assertRaises(AccessError):
                self.env["lbe.elder"].with_user(user).create(
                    {"name": "只读", "region_id": self.village_a1.id}
                )

    def test_only_managers_delete(self):
        for user in (
            self.user_village,
            self.user_township,
            self.user_county,
            self.user_city,
            self.user_province,
        ):
            with self.assertRaises(AccessError):
                self.elder_a1.with_user(user).unlink()
        self.elder_a1.with_user(self.user_manager).unlink()
        self.assertFalse(self.elder_a1.exists())

    def test_manager_without_area_deletes_nothing(self):
        manager = self._tier_user("manager", self.env["lbe.region"], login="manager_no_area")
        with self.assertRaises(AccessError):
            self.elder_a1.with_user(manager).unlink()

    def test_areas_are_set_by_managers_only(self):
        with self.assertRaises(AccessError):
            self.user_county.with_user(self.user_county).write(
                {"lbe_region_ids": [Command.set(self.province.ids)]}
            )
        self.user_village.with_user(self.user_manager).lbe_region_ids = self.village_a2
        self.assertEqual(
            self.env["lbe.elder"]
            .with_user(self.user_village)
            .search([("id", "in", self.all_elders.ids)]),
            self.elder_a2.with_user(self.user_village),
        )
