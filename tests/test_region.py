import base64

from psycopg2.errors import UniqueViolation

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LbeCommon


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
        self._import(
            "code,name,level,parent_code\n"
            "45,广西壮族自治区,province,\n"
            "4501,南宁市,city,45\n"
            "450102,兴宁区,county,4501\n"
            "450102100,三塘镇,township,450102\n"
            "450102100201,四联村委会,village,450102100\n"
        )
        village = self.env["lbe.region"].search([("code", "=", "450102100201")])
        self.assertEqual(village.complete_name, "广西壮族自治区/南宁市/兴宁区/三塘镇/四联村委会")
        # Loading the same file again adds nothing and fails nothing.
        self._import("code,name,level,parent_code\n45,广西壮族自治区,province,\n")
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
