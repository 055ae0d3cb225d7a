from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LbeCareCommon, LbeCommon, call_kw, login_session


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
            read = visible.with_user(user).read(["name", "region_id"])
            self.assertEqual({r["name"] for r in read}, set(visible.mapped("name")))
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

    def test_first_page_keeps_the_rule_beside_its_code_ranges(self):
        """The list's first page as the web client asks for it, by a province user
        of another province and by a city user: each gets their own elders only.
        The query holds the area rule and its restatement as village code ranges
        (lbe.elder._search), which lets one index range serve the page."""
        Region = self.env["lbe.region"]
        province = region = Region.create(
            {"code": "45", "name": "广西壮族自治区", "level": "province"}
        )
        for code, name, level in (
            ("4501", "南宁市", "city"),
            ("450102", "兴宁区", "county"),
            ("450102100", "三塘镇", "township"),
            ("450102100201", "四联村委会", "village"),
        ):
            region = Region.create(
                {"code": code, "name": name, "level": level, "parent_id": region.id}
            )
        guangxi = self._create_elder("桂一", region)
        user_guangxi = self._tier_user("province", province, login="province_45")
        domain = [("id", "in", (self.all_elders | guangxi).ids)]
        for user, own in (
            (user_guangxi, guangxi),
            (self.user_province, self.all_elders),
            (self.user_city, self.all_elders - self.elder_d1),
        ):
            Elder = self.env["lbe.elder"].with_user(user)
            page = Elder.web_search_read(domain, {"name": {}}, limit=80, count_limit=10001)
            self.assertEqual({r["id"] for r in page["records"]}, set(own.ids), user.login)
            self.assertEqual(Elder.search_count(domain, limit=10001), len(own), user.login)
            query = Elder._search(domain).select()
            sql = self.env.cr.mogrify(query.code, query.params).decode()
            for region in user.lbe_region_ids:
                self.assertIn(f'"lbe_region"."parent_path" LIKE \'{region.parent_path}%\'', sql)
                self.assertIn(f'"lbe_elder"."region_code" >= \'{region.code:0<12}\'', sql)
                self.assertIn(f'"lbe_elder"."region_code" <= \'{region.code:9<12}\'', sql)

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
            # From the database: not the value the test just wrote to the cache.
            self.env.flush_all()
            self.env.invalidate_all()
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


@tagged("post_install", "-at_install")
class TestAccessDeletes(LbeCareCommon, HttpCase):
    """The ledger tiers delete a child or supporter line only while its elder is
    a draft; once registered, only managers delete them. Over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        child = {"name": "长子", "away_since": cls.today - timedelta(days=730)}
        supporter = {"guardian_ids": [Command.create({"name": "赡养人"})]}
        # Registered with a child away, as the definition asks.
        cls.registered = cls._registered_elder("在册老人", cls.village_a1, **supporter)
        cls.draft, cls.draft_a2 = (
            cls._create_elder(name, village, child_ids=[Command.create(child)], **supporter)
            for name, village in (("草稿老人", cls.village_a1), ("邻村草稿", cls.village_a2))
        )

    def _rpc(self, opener, model, method, args, kwargs=None):
        with mute_logger("odoo.http"):
            return call_kw(opener, self.base_url(), model, method, args, kwargs)

    def _unlink(self, opener, records):
        return self._rpc(opener, records._name, "unlink", [records.ids])

    def _assert_refused(self, opener, records, message):
        answer = self._unlink(opener, records)
        error = (answer.get("error") or {}).get("data", {})
        self.assertEqual(error.get("name"), "odoo.exceptions.AccessError", answer)
        self.assertIn(message, error["message"])
        self.assertEqual(records.exists(), records)

    def test_ledger_tiers_delete_lines_of_draft_elders_only(self):
        self.assertEqual(self.registered.state, "active")
        for user in (self.user_village, self.user_township, self.user_county):
            with self.subTest(user=user.login):
                opener = login_session(self, user)
                for lines in (self.registered.child_ids[:1], self.registered.guardian_ids):
                    self._assert_refused(opener, lines, "only managers delete")
                # Nor through the elder, as the form would send it.
                answer = self._rpc(
                    opener,
                    "lbe.elder",
                    "write",
                    [self.registered.ids, {"child_ids": [[2, self.registered.child_ids[0].id]]}],
                )
                self.assertEqual(
                    (answer.get("error") or {}).get("data", {}).get("name"),
                    "odoo.exceptions.AccessError",
                    answer,
                )
        self.registered.invalidate_recordset()
        self.assertEqual(len(self.registered.child_ids), 1)
        self.assertEqual(len(self.registered.guardian_ids), 1)

        # A line typed by mistake on a draft is the clerk's to delete...
        opener = login_session(self, self.user_village)
        child = self.draft.child_ids[:1]
        self.assertIs(self._unlink(opener, child).get("result"), True)
        self.assertFalse(child.exists())
        answer = self._rpc(
            opener,
            "lbe.elder",
            "web_save",
            [self.draft.ids, {"guardian_ids": [[2, self.draft.guardian_ids.id]]}],
            {"specification": {"guardian_ids": {}}},
        )
        self.assertEqual(answer.get("result"), [{"id": self.draft.id, "guardian_ids": []}])
        # ...of the clerk's own village only.
        self._assert_refused(opener, self.draft_a2.child_ids[:1], "records of your own area")

    def test_managers_delete_any(self):
        opener = login_session(self, self.user_manager)
        for lines in (self.registered.child_ids[:1], self.registered.guardian_ids):
            self.assertIs(self._unlink(opener, lines).get("result"), True)
            self.assertFalse(lines.exists())
