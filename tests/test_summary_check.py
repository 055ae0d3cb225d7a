import base64
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from ..annex import definition
from ..annex.annex1 import zh_date
from ..models.lbe_summary_figures import violations_of
from ..models.lbe_summary_line import ENTERED_FIELD
from .common import LbeCareCommon, make_id_number
from .test_elder_import import workbook
from .test_summary import LbeSummaryCase


@tagged("post_install", "-at_install")
class TestDefinition(LbeCareCommon):
    """One definition: the pure function, registration as of its date, the import."""

    def test_problems_on_a_day(self):
        day = date(2025, 9, 30)
        self.assertEqual(
            definition.dates_on(day), definition.Dates(date(1965, 9, 30), date(2024, 9, 30))
        )
        self.assertEqual(definition.problems(date(1965, 9, 30), [date(2024, 9, 30)], day), [])
        found = definition.problems(date(1965, 10, 1), [date(2020, 1, 1), date(2024, 11, 5)], day)
        self.assertEqual(
            [problem.key for problem in found], [definition.UNDER_AGE, definition.AWAY_TOO_SHORT]
        )
        self.assertEqual(
            definition.words(found, day),
            "2025年9月30日：未满60周岁；子女外出务工自2024年11月起，不满一年",
        )
        self.assertEqual(
            [p.key for p in definition.problems(None, [], day)],
            [definition.BIRTH_DATE_UNKNOWN, definition.NO_CHILD],
        )
        self.assertEqual(
            [p.key for p in definition.problems(date(1950, 1, 1), [None], day)],
            [definition.AWAY_SINCE_UNKNOWN],
        )

    def _elder(self, registered, away_since, name="登记日老人"):
        return self._create_elder(
            name,
            self.village_a1,
            birth_date=date(1950, 3, 15),
            registration_date=registered,
            child_ids=[Command.create({"name": f"{name}之子", "away_since": away_since})],
        )

    def test_registration_checks_its_own_date(self):
        # Away for 18 months today, but for six months only on the registration date.
        registered = self.today - relativedelta(years=1)
        away = self.today - relativedelta(months=18)
        elder = self._elder(registered, away)
        words = f"子女外出务工自{away.year}年{away.month}月起，不满一年"
        with self.assertRaises(ValidationError) as caught:
            elder.action_activate()
        self.assertIn(zh_date(registered), str(caught.exception))
        self.assertIn(words, str(caught.exception))
        # Registered today, the same elder meets it.
        elder.registration_date = self.today
        elder.action_activate()
        self.assertEqual(elder.state, "active")
        # A registered elder's registration date cannot move before the definition held.
        with self.assertRaises(ValidationError):
            elder.registration_date = registered
        # Meeting it on an old registration date is enough.
        old = self._elder(self.today - relativedelta(years=3), self.today - relativedelta(years=5))
        old.action_activate()
        self.assertEqual(old.state, "active")

    def test_import_refuses_the_row_with_the_same_words(self):
        registered = self.today - relativedelta(months=6)
        row = {
            "姓名": "导入未满一年",
            "身份证号码": make_id_number("440111", date(1950, 3, 15), "611"),
            "村（居）委会代码": self.village_a1.code,
            "身体情况": "健康",
            "子女数量": 1,
            "外出务工年限": 0,
            "登记日期": registered.isoformat(),
        }
        wizard = (
            self.env["lbe.elder.import"]
            .with_user(self.user_village)
            .create({"file": base64.b64encode(workbook([row])), "filename": "台账.xlsx"})
        )
        wizard.action_import()
        messages = {(e.column, e.message) for e in wizard.error_ids}
        # The import records the child away since the registration date: registration
        # refuses that elder with these words.
        elder = self._elder(registered, registered, name="登记未满一年")
        with self.assertRaises(ValidationError) as caught:
            elder.action_activate()
        words = definition.words(elder._definition_problems())
        self.assertIn(words, str(caught.exception))
        self.assertIn(("外出务工年限", f"{words}，{definition.NOT_ELIGIBLE}"), messages)


@tagged("post_install", "-at_install")
class TestSummaryCheck(LbeSummaryCase):
    """Each failed cross-check of a summary is a record, opening the elders behind it."""

    def _checks(self, summary):
        return {(check.line_id.region_id, check.name) for check in summary.check_ids}

    def _behind(self, check, user):
        action = check.with_user(user).action_open_elders()
        elders = (self.env["lbe.elder"].with_user(user).with_context(**action["context"])).search(
            action["domain"]
        )
        return elders, action

    def test_a_child_gone_recently_opens_that_elder(self):
        summary = self._summary(self.sg_county, self.sg_county_user)
        self._fill_col17(summary)
        self.assertEqual(len(summary.line_ids), len(self.sg_county.child_ids))
        row = list(summary.line_ids).index(
            summary.line_ids.filtered(lambda line: line.region_id == self.sg_township_y)
        )
        self.assertEqual(
            self._checks(summary),
            {
                (
                    self.sg_township_y,
                    f"第{row + 1}行（{self.sg_township_y.name}）：第1列 1 ≠ 第12列 0",
                ),
                (self.env["lbe.region"], "合计：第1列 5 ≠ 第12列 4"),
            },
        )
        self.assertEqual(summary.violations, "\n".join(summary.check_ids.mapped("name")))
        for check in summary.check_ids.with_user(self.sg_county_user):
            self.assertTrue(check.can_open)
            elders, action = self._behind(check, self.sg_county_user)
            self.assertEqual(elders, self.e_y)
            self.assertEqual(
                elders.summary_reason,
                f"{self.year}年9月30日：子女外出务工自{self.year - 1}年10月起，不满一年",
            )
            self.assertEqual(action["res_model"], "lbe.elder")
        # The elder's child has been away long enough: the check goes with the recompute.
        self.e_y.child_ids[-1].away_since = date(self.year - 2, 1, 1)
        summary.action_compute()
        self.assertFalse(summary.check_ids)
        self.assertFalse(summary.violations)

    def test_a_missing_fact_is_the_reason(self):
        self.e_79.spouse_status = False
        summary = self._summary(self.sg_county, self.sg_county_user)
        self._fill_col17(summary)
        by_columns = {
            check.compared_columns: check
            for check in summary.check_ids
            if check.line_id.region_id == self.sg_township_x
        }
        self.assertEqual(set(by_columns), {"4+5"})
        elders, _action = self._behind(by_columns["4+5"], self.sg_county_user)
        self.assertEqual(elders, self.e_79)
        self.assertEqual(elders.summary_reason, "夫妻情况未填写")

    def test_column_17_follows_the_line(self):
        summary = self._summary(self.sg_county, self.sg_county_user)
        line_x = summary.line_ids.filtered(lambda line: line.region_id == self.sg_township_x)
        entered = summary.check_ids.filtered(lambda check: check.column == 17)
        self.assertIn(line_x, entered.line_id)
        self.assertFalse(any(entered.mapped("can_open")))
        line_x.with_user(self.sg_county_user)[ENTERED_FIELD] = 900
        self.assertNotIn(
            line_x, summary.check_ids.filtered(lambda check: check.column == 17).line_id
        )

    def test_an_upper_summary_opens_the_summary_below(self):
        # The other counties of the city, without elders: their summaries pass.
        others = self.sg_counties - self.sg_county
        self._submit_and_accept_counties(others)
        city = self._summary(self.sg_city, self.sg_city_user)
        self.assertFalse(city.check_ids)
        line = city.line_ids.filtered(lambda line: line.region_id == others[0])
        line.sudo().write({"total_count": 1})
        city._sync_checks()
        check = city.check_ids.filtered(lambda check: check.line_id == line)[:1]
        self.assertTrue(check.with_user(self.sg_city_user).can_open)
        action = check.with_user(self.sg_city_user).action_open_elders()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("lbe.summary", line.sub_summary_id.id)
        )

    def test_checks_belong_to_the_summary_area(self):
        summary = self._summary(self.sg_county, self.sg_county_user)
        Check = self.env["lbe.summary.check"]
        self.assertTrue(
            Check.with_user(self.sg_county_user).search([("summary_id", "=", summary.id)])
        )
        self.assertTrue(
            Check.with_user(self.sg_city_user).search([("summary_id", "=", summary.id)])
        )
        self.assertFalse(
            Check.with_user(self.user_county).search([("summary_id", "=", summary.id)])
        )
        check = summary.check_ids[:1]
        with self.assertRaises(AccessError):
            check.with_user(self.user_county).action_open_elders()
        with self.assertRaises(AccessError):
            check.with_user(self.sg_county_user).write({"name": "改"})
        with self.assertRaises(AccessError):
            Check.with_user(self.sg_county_user).create({"summary_id": summary.id, "name": "造"})


@tagged("post_install", "-at_install")
class TestDemoCrossChecks(TransactionCase):
    """The demo's counties pass their own cross-checks, every year of its ledger."""

    def test_demo_counties_pass(self):
        if not self.env.ref("left_behind_elderly.user_village", raise_if_not_found=False):
            self.skipTest("demo data not installed")
        Summary = self.env["lbe.summary"]
        counties = self.env["lbe.elder"].search([("state", "!=", "draft")]).county_id
        self.assertTrue(counties)
        this_year = fields.Date.today().year
        for year in range(2022, this_year + 1):
            for county in counties:
                summary = Summary.search([("region_id", "=", county.id), ("year", "=", year)])
                if not summary:
                    summary = Summary.create({"region_id": county.id, "year": year})
                    summary._compute_lines()
                    summary.line_ids.write({ENTERED_FIELD: 10000})
                    self.assertFalse(summary.check_ids, summary.violations)
                for township, figures in summary._ledger_figures()[summary.id].items():
                    with self.subTest(year=year, township=township):
                        self.assertEqual(violations_of({**figures, ENTERED_FIELD: 10000}), [])


@tagged("post_install", "-at_install")
class TestSupervisionFigures(LbeCareCommon):
    """Each figure of the supervision list opens exactly the elders it counts."""

    def test_each_figure_opens_its_elders(self):
        key = self._registered_elder("督查重点", self.village_a2, key_focus=True)
        at_risk = self._registered_elder("督查风险", self.village_a2)
        self._done_visit(at_risk, risk_level="high")
        self._create_elder("督查草稿", self.village_a2)
        self.env.flush_all()
        row = self.env["lbe.supervision"].with_user(self.user_township)
        row = row.search([("region_id", "=", self.village_a2.id)])
        self.assertTrue(row)
        Elder = self.env["lbe.elder"].with_user(self.user_township)
        figures = ["key_focus_count", "overdue_count", "risk_pending_count", "incomplete_count"]
        for figure in figures:
            with self.subTest(figure=figure):
                action = row.with_context(lbe_figure=figure).action_open_figure()
                elders = Elder.search(action["domain"])
                self.assertEqual(len(elders), row[figure])
                self.assertEqual(set(elders.mapped("state")), {"active"})
                self.assertEqual(elders.region_id, self.village_a2)
        opened = Elder.search(
            row.with_context(lbe_figure="key_focus_count").action_open_figure()["domain"]
        )
        self.assertIn(key, opened)
        self.assertNotIn(at_risk, opened)
        risk = Elder.search(
            row.with_context(lbe_figure="risk_pending_count").action_open_figure()["domain"]
        )
        self.assertIn(at_risk, risk)
        action = row.with_context(lbe_figure="key_focus_without_facility").action_open_figure()
        expected = row.key_focus_count if row.key_focus_without_facility else 0
        self.assertEqual(Elder.search_count(action["domain"]), expected)
        with self.assertRaises(UserError):
            row.with_context(lbe_figure="name").action_open_figure()
