import base64
import csv
from contextlib import contextmanager
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from ..models.res_config_settings import VISIT_INTERVAL_FOCUS, VISIT_INTERVAL_OTHER
from .common import LbeCareCommon, LbeCommon, call_kw, login_session

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


@tagged("post_install", "-at_install")
class TestBoundsOfEldersData(LbeCareCommon):
    """Values no ledger holds, entered by a clerk (the form and JSON-RPC both
    create and write), are refused with a message in words; nothing is stored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.records = cls._elder_with_records("界", cls.village_a1)
        cls.elder = cls.records["lbe.elder"]

    def _count(self, model):
        return self.env[model].with_context(active_test=False).search_count([])

    def _assert_refused(self, model, action, *fragments, error=ValidationError):
        """`action` raises `error` whose message holds `fragments`, and leaves
        `model` with as many records as before; returns the message."""
        before = self._count(model)
        with self.assertRaises(error) as caught:
            action()
            self.env.flush_all()
        message = str(caught.exception)
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.assertLess(len(message), 500, "the message does not repeat the value")
        self.env.invalidate_all()
        self.assertEqual(self._count(model), before)
        return message

    def _as_clerk(self, model):
        return self.env[model].with_user(self.user_village)

    @contextmanager
    def _refused(self, fragment):
        """A ValidationError whose message holds `fragment`; what the block
        wrote is rolled back, as a request's would be."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertIn(fragment, str(caught.exception))

    # ------------------------------------------------------------------
    # Dates of past facts: from 1900 to today
    # ------------------------------------------------------------------
    def test_visits_before_1900_are_refused(self):
        Visit = self._as_clerk("lbe.visit")
        for day in ("1800-01-01", "0001-01-01", "1899-12-31"):
            with self.subTest(day=day):
                self._assert_refused(
                    "lbe.visit",
                    lambda day=day: Visit.create({"elder_id": self.elder.id, "visit_date": day}),
                    self.elder.name,
                    f"{day} is before 1900",
                )
        visit = self.records["lbe.visit"].with_user(self.user_village)
        with self._refused("before 1900"):
            visit.visit_date = date(1800, 1, 1)
        visit.invalidate_recordset()
        self.assertEqual(visit.visit_date, self.today)
        # The floor itself is a date.
        self.assertTrue(Visit.create({"elder_id": self.elder.id, "visit_date": "1900-01-01"}))

    def test_registration_before_1900_is_refused(self):
        Elder = self._as_clerk("lbe.elder")
        self._assert_refused(
            "lbe.elder",
            lambda: Elder.create(
                {"name": "旧档", "region_id": self.village_a1.id, "registration_date": "1800-06-01"}
            ),
            "旧档",
            "1800-06-01 is before 1900",
        )
        with self._refused("before 1900"):
            self.elder.with_user(self.user_village).registration_date = date(1899, 12, 31)

    def test_last_visit_home_before_1900_is_refused(self):
        elder = self.elder.with_user(self.user_village)
        recorded = elder.last_home_visit_year
        for year in (-5, 1, 1899):
            with self.subTest(year=year):
                with self.assertRaises(ValidationError) as caught:
                    elder.write({"last_home_visit_year": year, "last_home_visit_month": "3"})
                self.assertIn(f"{year} is before 1900", str(caught.exception))
                elder.invalidate_recordset()
                self.assertEqual(elder.last_home_visit_year, recorded)
        elder.last_home_visit_year = 1900
        self.assertEqual(elder.last_home_visit_year, 1900)

    def test_other_dates_of_past_facts_before_1900_are_refused(self):
        records = {
            model: record.with_user(self.user_village) for model, record in self.records.items()
        }
        cases = [
            ("lbe.elder.child", "away_since", "1899-01-01"),
            ("lbe.visit.followup", "contact_date", "1800-01-01 10:00:00"),
            ("lbe.service.record", "date", "1800-01-01"),
            ("lbe.volunteer", "birth_date", "1800-01-01"),
            ("lbe.volunteer.pairing", "date_start", "1800-01-01"),
        ]
        for model, field, value in cases:
            with self.subTest(model=model, field=field):
                record = records[model]
                kept = record[field]
                with self.assertRaises(ValidationError) as caught:
                    record.write({field: value})
                    self.env.flush_all()
                self.assertIn("is before 1900", str(caught.exception))
                record.invalidate_recordset()
                self.assertEqual(record[field], kept)
        # A contact of a supporter, entered by the clerk.
        self._assert_refused(
            "lbe.family.contact",
            lambda: self._as_clerk("lbe.family.contact").create(
                {
                    "elder_id": self.elder.id,
                    "guardian_id": self.records["lbe.guardian"].id,
                    "kind": "visit_home",
                    "contact_date": "1800-01-01",
                }
            ),
            "is before 1900",
        )
        # The exit, through its public action (callable over JSON-RPC).
        with self._refused("is before 1900"):
            self.elder.with_user(self.user_village).action_exit("moved_away", date(1800, 1, 1))
        self.elder.invalidate_recordset()
        self.assertEqual(self.elder.state, "active")
        # A facility's opening, by the county.
        facility = self.env["lbe.facility"].create(
            {"name": "界幸福院", "region_id": self.village_a1.id, "facility_type": "happiness_home"}
        )
        with self._refused("is before 1900"):
            facility.with_user(self.user_county).opening_date = date(1800, 1, 1)

    def test_agreement_dates_are_bounded(self):
        agreement = self.records["lbe.care.agreement"]
        vals = {
            "elder_id": self.elder.id,
            "guardian_id": self.records["lbe.guardian"].id,
            "caregiver_name": "邻居老王",
        }
        Agreement = self._as_clerk("lbe.care.agreement")
        for dates, fragment in (
            ({"date_start": "1800-01-01", "date_end": "2100-01-01"}, "1800-01-01 is before 1900"),
            ({"date_start": str(self.today), "date_end": "2100-01-01"}, "30 years at most"),
            ({"signed_date": str(self.today + timedelta(days=1))}, "cannot be in the future"),
            ({"signed_date": "1899-12-31"}, "is before 1900"),
        ):
            with self.subTest(dates=dates):
                self._assert_refused(
                    "lbe.care.agreement",
                    lambda dates=dates: Agreement.create({**vals, **dates}),
                    fragment,
                )
        with self._refused("30 years at most"):
            agreement.with_user(self.user_village).date_end = agreement.date_start + relativedelta(
                years=30, days=1
            )
        # Thirty years is a term.
        longest = agreement.date_start + relativedelta(years=30)
        agreement.with_user(self.user_village).date_end = longest
        self.assertEqual(agreement.date_end, longest)

    # ------------------------------------------------------------------
    # Children and the years they have been away
    # ------------------------------------------------------------------
    def test_children_are_at_most_twenty(self):
        Elder = self._as_clerk("lbe.elder")
        children = [Command.create({"name": f"子{rank}"}) for rank in range(21)]
        self._assert_refused(
            "lbe.elder",
            lambda: Elder.create(
                {"name": "多子", "region_id": self.village_a1.id, "child_ids": children}
            ),
            "多子",
            "21 children",
            "at most 20",
        )
        # Added one by one to an elder of 1, past 20.
        Child = self._as_clerk("lbe.elder.child")
        Child.create([{"elder_id": self.elder.id, "name": f"子{rank}"} for rank in range(19)])
        self.env.flush_all()
        self.assertEqual(self.elder.child_count, 20)
        self._assert_refused(
            "lbe.elder.child",
            lambda: Child.create({"elder_id": self.elder.id, "name": "第二十一子"}),
            "at most 20",
        )

    def test_years_away_are_at_most_the_age_less_16(self):
        elder = self.elder.with_user(self.user_village)  # born 1950-03-15
        most = relativedelta(self.today, date(1950, 3, 15)).years - 16
        for years in (5000, most + 1):
            with self.subTest(years=years):
                with self.assertRaises(ValidationError) as caught:
                    elder.years_away = years
                self.assertIn(f"{years} years", str(caught.exception))
                self.assertIn(f"at most {most}", str(caught.exception))
                elder.invalidate_recordset()
                self.assertEqual(elder.years_away, 3)
        elder.years_away = most
        self.assertEqual(elder.years_away, most)
        # Without a birth date, bounded by the oldest age the ledger knows.
        self._assert_refused(
            "lbe.elder",
            lambda: self._as_clerk("lbe.elder").create(
                {"name": "无生日", "region_id": self.village_a1.id, "years_away": 5000}
            ),
            "5000 years",
        )

    # ------------------------------------------------------------------
    # Bounds of every field of elders' data (the area mixin)
    # ------------------------------------------------------------------
    def test_text_is_bounded_by_its_kind(self):
        Elder = self._as_clerk("lbe.elder")
        village = self.village_a1.id
        for vals, fragment in (
            ({"name": "名" * 101}, "101 characters, at most 100"),
            ({"name": "x" * 10_000_000}, "10000000 characters, at most 100"),
            ({"name": "长址", "address": "址" * 256}, "256 characters, at most 255"),
        ):
            with self.subTest(field=next(iter(vals)), size=len(next(iter(vals.values())))):
                self._assert_refused(
                    "lbe.elder",
                    lambda vals=vals: Elder.create({"region_id": village, **vals}),
                    "of Left-behind Elder is too long",
                    fragment,
                )
        visit = self.records["lbe.visit"].with_user(self.user_village)
        with self._refused("10001 characters, at most 10000"):
            visit.needs = "需" * 10_001
        # The bounds themselves are accepted; a file's name is a line of text.
        Elder.create({"name": "名" * 100, "region_id": village, "address": "址" * 255})
        visit.needs = "需" * 10_000
        agreement = self.records["lbe.care.agreement"].with_user(self.user_village)
        agreement.agreement_copy_name = "协" * 200 + ".pdf"
        # An action writing what the user gave is bounded too.
        with self._refused("at most 255"):
            self.elder.with_user(self.user_village).action_exit("moved_away", note="因" * 300)
        self.elder.invalidate_recordset()
        self.assertEqual(self.elder.state, "active")

    def test_numbers_dates_and_ids_are_bounded_by_their_column(self):
        elder = self.elder.with_user(self.user_village)
        for vals, error in (
            ({"years_away": 2**40}, "must be a whole number from -2147483648 to 2147483647"),
            ({"last_home_visit_year": -(2**31) - 1}, "must be a whole number"),
            ({"years_away": "many"}, "must be a whole number"),
            ({"reunions_per_year": 1e300}, "must be a number from -999.9 to 999.9"),
            ({"reunion_days_avg": float("nan")}, "must be a number"),
            ({"birth_date": "the fifth of May"}, "must be a date (YYYY-MM-DD)"),
            ({"region_id": 2**40}, "A record you chose does not exist."),
            ({"child_ids": [Command.link(2**40)]}, "A record you chose does not exist."),
        ):
            with self.subTest(vals=vals):
                with self.assertRaises(ValidationError) as caught:
                    elder.write(vals)
                self.assertIn(error, str(caught.exception))
        service = self.records["lbe.service.record"].with_user(self.user_village)
        with self._refused("Hours of Service Record must be a number"):
            service.duration = 10_000
        self._assert_refused(
            "lbe.visit",
            lambda: self._as_clerk("lbe.visit").create(
                {"elder_id": 2**40, "visit_date": str(self.today)}
            ),
            "A record you chose does not exist.",
        )
        # PostgreSQL's integer, to its last value, and the digits of a figure.
        elder.write({"reunions_per_year": 999.9, "reunion_days_avg": 0})
        self.assertEqual(elder.reunions_per_year, 999.9)


@tagged("post_install", "-at_install")
class TestBoundsOverHttp(LbeCareCommon, HttpCase):
    """What a client sending bad values over JSON-RPC reads: a ValidationError
    in the user's language, not PostgreSQL's words."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["left_behind_elderly"], ["zh_CN"])
        cls.user_village.lang = "zh_CN"
        cls.elder = cls._registered_elder("远程老人", cls.village_a1, birth_date=date(1950, 3, 15))

    def _error(self, opener, method, args):
        # With the context the web client sends: the user's language.
        kwargs = {"context": {"lang": "zh_CN"}}
        body = call_kw(opener, self.base_url(), "lbe.elder", method, args, kwargs)
        self.assertIn("error", body, body.get("result"))
        data = body["error"]["data"]
        self.assertEqual(data["name"], "odoo.exceptions.ValidationError", data["message"][:300])
        self.assertLess(len(data["message"]), 500, "the message does not repeat the value")
        return data["message"]

    def test_a_client_reads_a_clear_refusal(self):
        opener = login_session(self, self.user_village)
        count = self.env["lbe.elder"].search_count([])
        village = self.village_a1.id
        message = self._error(opener, "create", [{"name": "x" * 10_000_000, "region_id": village}])
        self.assertIn("太长", message)
        self.assertIn("最多100个字", message)
        message = self._error(
            opener, "create", [{"name": "整数", "region_id": village, "years_away": 2**40}]
        )
        self.assertIn("必须是-2147483648至2147483647之间的整数", message)
        message = self._error(
            opener,
            "create",
            [{"name": "古档", "region_id": village, "registration_date": "1800-01-01"}],
        )
        self.assertIn("早于1900年", message)
        message = self._error(opener, "write", [[self.elder.id], {"last_home_visit_year": -5}])
        self.assertIn("早于1900年", message)
        self.env.invalidate_all()
        self.assertEqual(self.env["lbe.elder"].search_count([]), count)
        self.assertFalse(self.elder.last_home_visit_year == -5)
