import base64

from psycopg2.errors import UniqueViolation

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LbeCommon, call_kw, login_session


@tagged("post_install", "-at_install")
class TestRegion(LbeCommon):
    def test_guangdong_is_shipped_whole(self):
        Region = self.env["lbe.region"].with_context(active_test=False)
        counts = dict(Region._read_group([("code", "=like", "44%")], ["level"], ["__count"]))
        self.assertEqual(
            counts,
            {"province": 1, "city": 21, "county": 124, "township": 1757, "village": 26842},
        )
        self.assertEqual(self.village_a1.complete_name, "广东省/广州市/白云区/人和镇/东华村委会")
        self.assertEqual(self.env.ref("left_behind_elderly.region_440111103200"), self.village_a1)
        self.assertTrue(self.village_a1.parent_path.startswith(self.province.parent_path))

    def test_child_of_and_code_search(self):
        Region = self.env["lbe.region"]
        villages = Region.search([("id", "child_of", self.township.id), ("level", "=", "village")])
        self.assertIn(self.village_a1, villages)
        self.assertNotIn(self.village_b1, villages)
        self.assertEqual(Region.name_search("440111103200")[0][0], self.village_a1.id)

    def test_parent_must_be_one_level_up(self):
        with self.assertRaises(ValidationError):
            self.env["lbe.region"].create(
                {
                    "name": "跳级村",
                    "code": "440111999001",
                    "level": "village",
                    "parent_id": self.county.id,
                }
            )

    def test_code_must_start_with_parent_code(self):
        with self.assertRaises(ValidationError):
            self.env["lbe.region"].create(
                {
                    "name": "错码镇",
                    "code": "440222999",
                    "level": "township",
                    "parent_id": self.county.id,
                }
            )

    def test_only_province_has_no_parent(self):
        with self.assertRaises(ValidationError):
            self.env["lbe.region"].create({"name": "孤城", "code": "4499", "level": "city"})

    def test_code_is_unique(self):
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["lbe.region"].create(
                {"name": "重复", "code": "440111", "level": "county", "parent_id": self.city.id}
            )

    def _import(self, text, user=None):
        wizard = (
            self.env["lbe.region.import"]
            .with_user(user or self.user_manager)
            .create({"file": base64.b64encode(text.encode()), "filename": "regions.csv"})
        )
        return wizard.action_import()

    def test_import_another_province(self):
        # Another province is an Odoo administrator's to load, not a manager's
        # of 广东.
        text = "code,name,level,parent_code\n45,广西壮族自治区,province,\n"
        with self.assertRaisesRegex(AccessError, "another province is loaded by an Odoo"):
            self._import(text)
        self.assertFalse(self.env["lbe.region"].search([("code", "=like", "45%")]))
        admin = self.env.ref("base.user_admin")
        self._import(
            "code,name,level,parent_code\n"
            "45,广西壮族自治区,province,\n"
            "4501,南宁市,city,45\n"
            "450102,兴宁区,county,4501\n"
            "450102100,三塘镇,township,450102\n"
            "450102100201,四联村委会,village,450102100\n",
            admin,
        )
        village = self.env["lbe.region"].search([("code", "=", "450102100201")])
        self.assertEqual(village.complete_name, "广西壮族自治区/南宁市/兴宁区/三塘镇/四联村委会")
        # The planner counts the new divisions at once (the import analyzes the table),
        # not when autovacuum comes by.
        self.env.cr.execute(
            "SELECT reltuples::int, (SELECT count(*) FROM lbe_region)"
            " FROM pg_class WHERE oid = 'lbe_region'::regclass"
        )
        estimated, counted = self.env.cr.fetchone()
        self.assertEqual(estimated, counted)
        # Loading the same file again adds nothing and fails nothing.
        self._import(text, admin)
        self.assertEqual(self.env["lbe.region"].search_count([("code", "=like", "45%")]), 5)

    def test_import_bad_rows_names_them_and_writes_nothing(self):
        with self.assertRaises(UserError) as caught:
            self._import(
                "code,name,level,parent_code\n"
                "46,海南省,province,\n"
                "4601,海口市,city,46\n"
                "460105,秀英区,county,4699\n"
                "4602,,city,46\n"
                "460201,三亚某区,town,4602\n"
            )
        message = str(caught.exception)
        self.assertIn("Line 4", message)
        self.assertIn("Line 5", message)
        self.assertIn("Line 6", message)
        self.assertNotIn("Line 3", message)
        self.assertFalse(self.env["lbe.region"].search([("code", "=like", "46%")]))

    def test_import_wrong_header(self):
        with self.assertRaises(UserError):
            self._import("code;name;level;parent\n46;海南省;province;\n")

    def test_only_managers_change_regions(self):
        with self.assertRaises(AccessError):
            self.village_a1.with_user(self.user_county).write({"name": "改名"})
        with self.assertRaises(AccessError):
            self._import("code,name,level,parent_code\n46,海南省,province,\n", self.user_county)
        self.assertEqual(self.village_a1.with_user(self.user_village).name, "东华村委会")


@tagged("post_install", "-at_install")
class TestRegionRights(LbeCommon, HttpCase):
    """Over JSON-RPC: only managers of a whole province change regions, in their
    province; a region holding elders keeps its place; every change is audited."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.county_manager = cls._tier_user("manager", cls.county, login="lbe_test_manager_by")
        cls.huadu = cls.village_c1.parent_id.parent_id
        cls.elder_c1 = cls._create_elder("花都老人", cls.village_c1)
        cls.taihe = cls.village_b1.parent_id
        # A village holding no elder, in any state.
        cls.empty_village = cls.env["lbe.region"].create(
            {
                "name": "新建村委会",
                "code": "440111103298",
                "level": "village",
                "parent_id": cls.township.id,
            }
        )

    def _rpc(self, opener, model, method, args, kwargs=None):
        with mute_logger("odoo.http"):
            return call_kw(opener, self.base_url(), model, method, args, kwargs)

    def _assert_error(self, answer, exception, message):
        error = (answer.get("error") or {}).get("data", {})
        self.assertEqual(error.get("name"), f"odoo.exceptions.{exception}", answer)
        self.assertIn(message, error["message"])

    def _village_vals(self, name, code):
        return {"name": name, "code": code, "level": "village", "parent_id": self.township.id}

    def _place(self, region):
        self.env.invalidate_all()
        return region.read(["parent_id", "code", "name", "level"])

    def _entries(self, regions):
        return (
            self.env["lbe.audit.log"]
            .search([("action", "=", "region_change"), ("res_model", "=", "lbe.region")])
            .filtered(lambda entry: set(map(int, entry.res_ids.split(","))) & set(regions.ids))
        )

    def test_county_manager_changes_no_region(self):
        opener = login_session(self, self.county_manager)
        refused = "changed only by managers who serve a whole province"
        foreign, own = self.village_c1, self.village_a1
        before = self._place(foreign) + self._place(own)
        # The attack: a 花都区 village put under 人和镇 with a matching code.
        move = {"parent_id": self.township.id, "code": "440111103297"}
        for method in ("write", "web_save"):
            for region, vals in (
                (foreign, move),
                (foreign, {"name": "改名"}),
                (own, {"name": "改名"}),
            ):
                with self.subTest(method=method, region=region.code, vals=vals):
                    kwargs = {"specification": {"code": {}}} if method == "web_save" else {}
                    answer = self._rpc(opener, "lbe.region", method, [[region.id], vals], kwargs)
                    self._assert_error(answer, "AccessError", refused)
        answer = self._rpc(
            opener,
            "lbe.region",
            "create",
            [self._village_vals("新村", "440111103296")],
        )
        self._assert_error(answer, "AccessError", refused)
        answer = self._rpc(opener, "lbe.region", "unlink", [self.empty_village.ids])
        self._assert_error(answer, "AccessError", refused)
        # Nor through the import.
        wizard = self._rpc(
            opener,
            "lbe.region.import",
            "create",
            [
                {
                    "file": base64.b64encode(
                        "code,name,level,parent_code\n440111103296,新村,village,440111103\n".encode()
                    ).decode(),
                    "filename": "regions.csv",
                }
            ],
        )["result"]
        answer = self._rpc(opener, "lbe.region.import", "action_import", [[wizard]])
        self._assert_error(answer, "AccessError", refused)
        self.assertEqual(self._place(foreign) + self._place(own), before)
        self.assertTrue(self.empty_village.exists())
        self.assertFalse(self.env["lbe.region"].search([("code", "=", "440111103296")]))
        self.assertFalse(self._entries(foreign | own | self.empty_village))

    def test_region_holding_elders_keeps_its_place(self):
        opener = login_session(self, self.user_manager)
        kept = "A region that holds elders keeps its parent region, code and level."
        county_before = self._place(self.huadu)
        village_before = self._place(self.village_c1)
        for region, vals in (
            (self.village_c1, {"parent_id": self.township.id, "code": "440111103297"}),
            (self.village_c1, {"code": "440114104299"}),
            (self.village_c1, {"parent_id": self.village_c1.parent_id.id, "code": "440114104299"}),
            # Above the elder's village too.
            (self.huadu, {"code": "440199"}),
            (self.village_c1.parent_id, {"parent_id": self.county.id, "code": "440111198"}),
        ):
            with self.subTest(region=region.code, vals=vals):
                answer = self._rpc(opener, "lbe.region", "write", [region.ids, vals])
                self._assert_error(answer, "ValidationError", kept)
        self.assertEqual(self._place(self.huadu), county_before)
        self.assertEqual(self._place(self.village_c1), village_before)
        self.assertEqual(self.elder_c1.region_id, self.village_c1)

        # Renamed it may be, and the audit log says from what to what, in the
        # village's own area.
        answer = self._rpc(opener, "lbe.region", "write", [self.village_c1.ids, {"name": "新名村"}])
        self.assertIs(answer.get("result"), True, answer)
        entry = self._entries(self.village_c1)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.user_id, self.user_manager)
        self.assertEqual(entry.region_id, self.village_c1)
        self.assertIn(f"{village_before[0]['name']} → 新名村", entry.detail)

    def test_province_manager_moves_and_deletes_an_empty_region(self):
        opener = login_session(self, self.user_manager)
        created = self._rpc(
            opener,
            "lbe.region",
            "create",
            [self._village_vals("又一村", "440111103296")],
        )
        region = self.env["lbe.region"].browse(created["result"])
        self.assertEqual(region.complete_name, "广东省/广州市/白云区/人和镇/又一村")
        [entry] = self._entries(region)
        self.assertIn("440111103296 又一村", entry.detail)
        self.assertEqual(entry.region_id, region)

        # Moved from 人和镇 to 太和镇, with the code that goes with it.
        answer = self._rpc(
            opener,
            "lbe.region",
            "write",
            [self.empty_village.ids, {"parent_id": self.taihe.id, "code": "440111107298"}],
        )
        self.assertIs(answer.get("result"), True, answer)
        self.assertEqual(self.empty_village.parent_id, self.taihe)
        [entry] = self._entries(self.empty_village)
        self.assertIn("440111103298 → 440111107298", entry.detail)
        self.assertIn(
            f"{self.township.code} {self.township.name} → {self.taihe.code} {self.taihe.name}",
            entry.detail,
        )
        # Both townships are concerned: the entry is in the county holding them.
        self.assertEqual(entry.region_id, self.county)
        CountyLog = self.env["lbe.audit.log"].with_user(self.county_manager)
        self.assertEqual(CountyLog.search([("id", "=", entry.id)]), entry)

        answer = self._rpc(opener, "lbe.region", "unlink", [region.ids])
        self.assertIs(answer.get("result"), True, answer)
        self.assertFalse(region.exists())
        entry = self._entries(region).filtered(lambda entry: entry.detail.startswith("Deleted"))
        self.assertEqual(len(entry), 1)
        self.assertIn("440111103296 又一村", entry.detail)
        # Above the deleted village, whose own area is gone.
        self.assertEqual(entry.region_id, self.township)

    def test_province_manager_changes_no_other_province(self):
        Region = self.env["lbe.region"]
        guangxi = Region.create({"name": "广西壮族自治区", "code": "45", "level": "province"})
        nanning = Region.create(
            {"name": "南宁市", "code": "4501", "level": "city", "parent_id": guangxi.id}
        )
        opener = login_session(self, self.user_manager)
        other = "You may change only the regions of the province you serve"
        for model, method, args in (
            ("lbe.region", "write", [nanning.ids, {"name": "改名"}]),
            ("lbe.region", "unlink", [nanning.ids]),
            ("lbe.region", "create", [{"name": "海南省", "code": "46", "level": "province"}]),
            (
                "lbe.region",
                "create",
                [{"name": "柳州市", "code": "4502", "level": "city", "parent_id": guangxi.id}],
            ),
            # Moving an empty 广东 village there is leaving the province too.
            ("lbe.region", "write", [self.empty_village.ids, {"parent_id": nanning.id}]),
        ):
            with self.subTest(method=method, args=args):
                self._assert_error(self._rpc(opener, model, method, args), "AccessError", other)
        self.assertEqual(nanning.name, "南宁市")
        self.assertEqual(Region.search_count([("code", "in", ["46", "4502"])]), 0)
        # An Odoo administrator changes any.
        nanning.with_user(self.env.ref("base.user_admin")).name = "南宁"
        self.assertEqual(nanning.name, "南宁")
