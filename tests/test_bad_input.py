import base64
import csv
from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.res_config_settings import VISIT_INTERVAL_FOCUS, VISIT_INTERVAL_OTHER
from .common import LbeCommon

HEADER = "code,name,level,parent_code\n"


@tagged("post_install", "-at_install")
class TestBadInput(LbeCommon):
    """Input that is wrong is refused with a message that says why; nothing is stored."""

    def _region_count(self):
        return self.env["lbe.region"].with_context(active_test=False).search_count([])

    def _import(self, content):
        if isinstance(content, str):
            content = content.encode()
        wizard = (
            self.env["lbe.region.import"]
            .with_user(self.user_manager)
            .create({"file": base64.b64encode(content), "filename": "regions.csv"})
        )
        return wizard.action_import()

    def _assert_import_refused(self, content, *texts):
        before = self._region_count()
        with self.assertRaises(UserError) as caught:
            self._import(content)
        message = str(caught.exception)
        self.assertIn("Nothing was imported", message)
        for text in texts:
            self.assertIn(text, message)
        self.assertEqual(self._region_count(), before)
        self.assertFalse(self.env["lbe.region"].search([("code", "=like", "46%")]))
        return message

    # ------------------------------------------------------------------
    # Region CSV
    # ------------------------------------------------------------------
    def test_csv_with_a_huge_field_names_the_line(self):
        # The limit the Odoo server sets (odoo/cli/server.py), also under pytest-odoo,
        # which does not start through it.
        self.addCleanup(csv.field_size_limit, csv.field_size_limit(500 * 1024 * 1024))
        content = HEADER + "46,海南省,province,\n" + f"4601,{'海' * 200_000},city,46\n"
        message = self._assert_import_refused(content, "Line 3", "200000 characters")
        self.assertLess(len(message), 1000, "the message does not repeat the field")

    def test_csv_the_parser_refuses_names_the_line(self):
        # The Odoo server raises csv's field size limit; a process that does not
        # (a shell, a script) meets the csv module's own error on the same file.
        self.addCleanup(csv.field_size_limit, csv.field_size_limit(131_072))
        content = HEADER + "46,海南省,province,\n" + f"4601,{'海' * 200_000},city,46\n"
        message = self._assert_import_refused(content, "Line 3", "cannot be read as CSV")
        self.assertLess(len(message), 1000, "the message does not repeat the field")

    def test_csv_with_a_nul_byte_names_the_line(self):
        content = HEADER + "46,海南省,province,\n4601,海口\x00市,city,46\n"
        self._assert_import_refused(content, "Line 3")
        # A NUL in the header line is refused the same way.
        self._assert_import_refused(
            "code,na\x00me,level,parent_code\n46,海南省,province,\n", "Line 1"
        )

    def test_csv_codes_take_ascii_digits_only(self):
        for code in ("٤٦", "４６"):
            message = self._assert_import_refused(
                HEADER + "46,海南省,province,\n" + f"{code},又一省,province,\n", "Line 3"
            )
            self.assertIn("0-9", message)
            self.assertNotIn("Line 2", message)

    def test_csv_code_length_must_match_the_level(self):
        message = self._assert_import_refused(
            HEADER + "46,海南省,province,\n"
            "4601,海口市,city,46\n"
            "460105,秀英区,county,4601\n"
            "46010510,长流镇,township,460105\n"
            "460105100201123,某村,village,460105100\n",
            "Line 5",
            "Line 6",
        )
        self.assertNotIn("Line 4", message)

    def test_region_code_constraint(self):
        Region = self.env["lbe.region"]
        before = self._region_count()
        bad = [
            # Each of these passes the hierarchy checks.
            {"name": "阿拉伯数字省", "code": "٤٦", "level": "province"},
            {"name": "全角省", "code": "４６", "level": "province"},
            {"name": "三位省", "code": "460", "level": "province"},
            {
                "name": "十位镇",
                "code": "4401119999",
                "level": "township",
                "parent_id": self.county.id,
            },
            {
                "name": "混合镇",
                "code": "440111٩٩٩",
                "level": "township",
                "parent_id": self.county.id,
            },
        ]
        for vals in bad:
            with self.subTest(code=vals["code"]):
                with self.assertRaises(ValidationError) as caught:
                    Region.create(vals)
                self.assertIn(vals["code"], str(caught.exception))
                self.assertIn("0-9", str(caught.exception))
        self.assertEqual(self._region_count(), before)
        with self.assertRaises(ValidationError):
            self.village_a1.code = "４４０１１１１０３２００"
        self.assertEqual(self.village_a1.code, "440111103200")
        # A well-formed code is accepted.
        township = Region.create(
            {"name": "新镇", "code": "440111999", "level": "township", "parent_id": self.county.id}
        )
        self.assertEqual(township.complete_name, "广东省/广州市/白云区/新镇")

    # ------------------------------------------------------------------
    # Visit intervals
    # ------------------------------------------------------------------
    def _params(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        return get(VISIT_INTERVAL_FOCUS), get(VISIT_INTERVAL_OTHER)

    def test_visit_interval_is_bounded(self):
        before = self._params()
        for field, days in (
            ("lbe_visit_interval_other", 3_000_000),
            ("lbe_visit_interval_focus", 367),
            ("lbe_visit_interval_focus", 0),
            ("lbe_visit_interval_other", -5),
        ):
            with self.subTest(field=field, days=days):
                with self.assertRaises(ValidationError) as caught:
                    self.env["res.config.settings"].create({field: days}).execute()
                self.assertIn("between 1 and 366 days", str(caught.exception))
                self.assertEqual(self._params(), before)
        # The bounds themselves are accepted.
        self.env["res.config.settings"].create(
            {"lbe_visit_interval_focus": 1, "lbe_visit_interval_other": 366}
        ).execute()
        self.assertEqual(self._params(), ("1", "366"))
        self.assertEqual(self.env["res.config.settings"]._lbe_visit_intervals(), (1, 366))

    def test_bad_stored_visit_interval_falls_back_to_the_default(self):
        elder = self._create_elder(
            "参数", self.village_a1, registration_date=fields.Date.today() - timedelta(days=10)
        )
        params = self.env["ir.config_parameter"].sudo()
        Settings = self.env["res.config.settings"]
        for focus, other in (("abc", "3000000"), ("3000000", ""), ("-4", "9.5")):
            with self.subTest(focus=focus, other=other):
                params.set_param(VISIT_INTERVAL_FOCUS, focus)
                params.set_param(VISIT_INTERVAL_OTHER, other)
                self.assertEqual(Settings._lbe_visit_intervals(), (30, 90))
                # Both ways the visit schedule is computed keep working.
                elder.registration_date -= timedelta(days=1)
                self.assertEqual(elder.next_visit_date, elder.registration_date + timedelta(90))
                self.env["lbe.elder"]._reschedule_visits()
                self.assertEqual(elder.next_visit_date, elder.registration_date + timedelta(90))
        params.set_param(VISIT_INTERVAL_FOCUS, "45")
        params.set_param(VISIT_INTERVAL_OTHER, "120")
        self.assertEqual(Settings._lbe_visit_intervals(), (45, 120))

    # ------------------------------------------------------------------
    # Birth dates
    # ------------------------------------------------------------------
    def test_elder_born_before_1900_is_refused(self):
        Elder = self.env["lbe.elder"]
        with self.assertRaises(ValidationError) as caught:
            self._create_elder("古人", self.village_a1, birth_date=date(1800, 5, 1))
        self.assertIn("古人", str(caught.exception))
        self.assertIn("before 1900", str(caught.exception))
        self.assertFalse(Elder.search([("name", "=", "古人")]))

        elder = self._create_elder("百岁", self.village_a1, birth_date=date(1900, 1, 1))
        with self.assertRaises(ValidationError) as caught:
            elder.birth_date = date(1899, 12, 31)
        self.assertIn("before 1900", str(caught.exception))
        self.assertEqual(elder.birth_date, date(1900, 1, 1))

    def test_child_born_before_1900_is_refused(self):
        Child = self.env["lbe.elder.child"]
        with self.assertRaises(ValidationError) as caught:
            self._create_elder(
                "老人",
                self.village_a1,
                birth_date=date(1950, 1, 1),
                child_ids=[Command.create({"name": "古子", "birth_date": date(1850, 1, 1)})],
            )
        self.assertIn("古子", str(caught.exception))
        self.assertIn("before 1900", str(caught.exception))
        self.assertFalse(Child.search([("name", "=", "古子")]))
        self.assertFalse(self.env["lbe.elder"].search([("name", "=", "老人")]))
