from contextlib import contextmanager
from datetime import date, datetime
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.lbe_summary_figures import cross_check
from ..models.lbe_summary_line import COUNT_FIELDS
from .common import LbeCommon


class LbeSummaryCase(LbeCommon):
    """A county of 韶关市 (武江区) with no demo elders, and a ledger with known answers.

    The reporting year is last year, so that every date of the data set lies in
    the past whatever today is. 西联镇 and 西河镇 are townships of 武江区.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Region = cls.env["lbe.region"]
        cls.year = fields.Date.today().year - 1
        cls.cutoff = date(cls.year, 9, 30)
        cls.sg_city = cls.village_d1.parent_id.parent_id.parent_id
        cls.sg_county = cls.village_d1.parent_id.parent_id
        cls.sg_township_x = cls.village_d1.parent_id
        cls.sg_township_y = Region.search([("code", "=", "440203101")])
        cls.sg_village_y = Region.search([("parent_id", "=", cls.sg_township_y.id)], limit=1)
        cls.sg_counties = Region.search([("parent_id", "=", cls.sg_city.id)])
        cls.sg_county_user = cls._tier_user("county", cls.sg_county, login="lbe_b_sg_county")
        cls.sg_city_user = cls._tier_user("city", cls.sg_city, login="lbe_b_sg_city")

        y = cls.year
        x, v_y = cls.village_d1, cls.sg_village_y
        # Counted in 西联镇.
        # Registered on the cutoff, the day of the 60th birthday.
        cls.e_60 = cls._counted("刚满六十", x, date(y - 60, 9, 30), registration_date=cls.cutoff)
        cls.e_79 = cls._counted(
            "七十九岁",
            x,
            date(y - 80, 10, 1),
            spouse_status="one_alive",
            health_status="disabled",
            children=2,
            income_children_wages=False,
            income_farming=True,
            income_government_aid=True,
        )
        cls.e_80 = cls._counted(
            "刚满八十", x, date(y - 80, 9, 30), health_status="ill", children=3, income_other=True
        )
        cls.e_exit_after = cls._counted(
            "截止后退出",
            x,
            date(y - 70, 5, 1),
            spouse_status="one_alive",
            state="exited",
            exit_reason="deceased",
            exit_date=date(y, 10, 1),
        )
        # Not counted, each for one reason only.
        cls.e_exit_before = cls._counted(
            "截止日退出",
            x,
            date(y - 70, 5, 1),
            state="exited",
            exit_reason="moved_away",
            exit_date=cls.cutoff,
        )
        # Registered at 60, then the birth date corrected: one day short on the cutoff.
        cls.e_young = cls._counted(
            "未满六十", x, date(y - 70, 5, 1), later={"birth_date": date(y - 60, 10, 1)}
        )
        cls.e_late = cls._counted(
            "截止后登记", x, date(y - 70, 5, 1), registration_date=date(y, 10, 1)
        )
        cls.e_draft = cls._counted("草稿", x, date(y - 70, 5, 1), state="draft")
        # Counted in 西河镇; registered with both children away, then one child, back
        # home, left again less than a year before the cutoff.
        cls.e_y = cls._counted(
            "子女外出未满一年",
            v_y,
            date(y - 75, 1, 1),
            spouse_status="one_alive",
            children=2,
            away_since=date(y - 1, 10, 1),
        )
        # Another county, same year: not in 武江区's summary.
        cls.e_other = cls._counted("白云区老人", cls.village_a1, date(y - 70, 5, 1))

    @classmethod
    def _counted(cls, name, village, birth_date, children=1, away_since=None, later=None, **vals):
        """An elder who would be counted for the year but for what vals change, and
        for what changed after the registration: `later`, and a last child away only
        since `away_since` (registration refuses both)."""
        y = cls.year
        child_vals = [
            {
                "name": f"{name}子女{n}",
                "birth_date": date(1990, 1, n),
                "away_since": date(y - 3, 1, 1),
            }
            for n in range(1, children + 1)
        ]
        elder = cls._create_elder(
            name,
            village,
            **{
                "birth_date": birth_date,
                "registration_date": date(y, 1, 10),
                "state": "active",
                "spouse_status": "both_alive",
                "health_status": "healthy",
                "income_children_wages": True,
                "child_ids": [Command.create(c) for c in child_vals],
                **vals,
            },
        )
        if away_since:
            elder.child_ids[-1].away_since = away_since
        if later:
            elder.write(later)
        return elder

    @contextmanager
    def _refused(self, text):
        """A UserError saying text; what was done before it is rolled back."""
        with self.assertRaises(UserError) as caught:
            yield
        self.assertIn(text, str(caught.exception))

    def _summary(self, region, user, compute=True):
        summary = (
            self.env["lbe.summary"]
            .with_user(user)
            .create({"region_id": region.id, "year": self.year})
        )
        if compute:
            summary.action_compute()
            # The county's account of its visits, asked for before submitting.
            report = self.env["lbe.visit.report"].search([("summary_id", "=", summary.id)])
            report.narrative = "巡访"
        return summary

    def _line(self, summary, region):
        line = summary.line_ids.filtered(lambda line: line.region_id == region)
        self.assertEqual(len(line), 1)
        return {name: line[name] for name in COUNT_FIELDS}

    def _fill_col17(self, summary, value=1000):
        summary.line_ids.write({"rural_elderly_60_plus_count": value})

    def _submit_and_accept_counties(self, counties):
        """Zero summaries for the given counties, submitted and accepted (by the manager)."""
        for county in counties:
            summary = self._summary(county, self.user_manager)
            summary.action_submit()
            summary.action_accept()


@tagged("post_install", "-at_install")
class TestSummaryCounts(LbeSummaryCase):
    def test_counts_per_township(self):
        summary = self._summary(self.sg_county, self.sg_county_user)
        townships = self.env["lbe.region"].search([("parent_id", "=", self.sg_county.id)])
        self.assertEqual(summary.line_ids.region_id, townships)
        expected_x = dict.fromkeys(COUNT_FIELDS, 0)
        expected_x.update(
            total_count=4,
            age_60_79_count=3,
            age_80_plus_count=1,
            both_spouses_alive_count=2,
            one_spouse_alive_count=2,
            healthy_count=2,
            disabled_count=1,
            ill_count=1,
            one_child_count=2,
            two_children_count=1,
            three_plus_children_count=1,
            children_away_count=4,
            income_children_wages_count=3,
            income_farming_count=1,
            income_government_aid_count=1,
            income_other_count=1,
        )
        self.assertEqual(self._line(summary, self.sg_township_x), expected_x)
        expected_y = dict.fromkeys(COUNT_FIELDS, 0)
        expected_y.update(
            total_count=1,
            age_60_79_count=1,
            one_spouse_alive_count=1,
            healthy_count=1,
            two_children_count=1,
            income_children_wages_count=1,
        )
        self.assertEqual(self._line(summary, self.sg_township_y), expected_y)
        others = summary.line_ids.filtered(
            lambda line: line.region_id not in self.sg_township_x | self.sg_township_y
        )
        self.assertTrue(others)
        self.assertFalse(any(others.mapped("total_count")))
        self.assertEqual(summary._totals()["total_count"], 5)

    def test_each_exclusion_is_the_only_reason(self):
        summary = self._summary(self.sg_county, self.sg_county_user)
        self.assertEqual(summary._totals()["total_count"], 5)
        self.e_draft.state = "active"
        self.e_young.birth_date = date(self.year - 60, 9, 30)
        self.e_late.registration_date = self.cutoff
        self.e_exit_before.exit_date = date(self.year, 10, 1)
        summary.action_compute()
        self.assertEqual(self._line(summary, self.sg_township_x)["total_count"], 8)

    def test_recompute_keeps_column_17(self):
        summary = self._summary(self.sg_county, self.sg_county_user)
        line = summary.line_ids.filtered(lambda line: line.region_id == self.sg_township_x)
        line.with_user(self.sg_county_user).rural_elderly_60_plus_count = 900
        self.e_draft.state = "active"
        summary.action_compute()
        self.assertEqual(line.rural_elderly_60_plus_count, 900)
        self.assertEqual(line.total_count, 5)

    def _queries(self, func):
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        result = func()
        return self.env.cr.sql_log_count - before, result

    def test_one_query_whatever_the_number_of_elders(self):
        summary = self._summary(self.sg_county, self.sg_county_user, compute=False)
        queries, figures = self._queries(summary._ledger_figures)
        self.assertEqual(queries, 1)
        for n in range(20):
            self._counted(f"新增{n}", self.sg_village_y, date(self.year - 66, 1, 1))
        queries, figures = self._queries(summary._ledger_figures)
        self.assertEqual(queries, 1)
        self.assertEqual(figures[summary.id][self.sg_township_y.id]["total_count"], 21)

    def test_counties_computed_together(self):
        """Every county of a city in one aggregation, each with its own lines; a
        recompute writes only the lines whose figures changed."""
        Summary = self.env["lbe.summary"].with_user(self.user_manager)
        summaries = Summary.create(
            [{"region_id": county.id, "year": self.year} for county in self.sg_counties]
        )
        self.assertGreater(len(summaries), 5)
        queries, figures = self._queries(summaries._ledger_figures)
        self.assertEqual(queries, 1)
        wujiang = summaries.filtered(lambda s: s.region_id == self.sg_county)
        self.assertEqual(figures[wujiang.id][self.sg_township_x.id]["total_count"], 4)
        self.assertEqual(sum(len(by_township) for by_township in figures.values()), 2)
        summaries.action_compute()
        by_township = {line.region_id: line.total_count for line in wujiang.line_ids}
        self.assertEqual(by_township[self.sg_township_x], 4)
        self.assertEqual(by_township[self.sg_township_y], 1)
        for summary in summaries:
            townships = self.env["lbe.region"].search([("parent_id", "=", summary.region_id.id)])
            self.assertEqual(summary.line_ids.region_id, townships)
            self.assertTrue(summary.computed_date)
        Line = type(self.env["lbe.summary.line"])
        with patch.object(Line, "write", autospec=True, side_effect=Line.write) as write:
            summaries.action_compute()
        self.assertEqual(write.call_count, 0)
        self._counted("新登记", self.sg_village_y, date(self.year - 66, 1, 1))
        with patch.object(Line, "write", autospec=True, side_effect=Line.write) as write:
            summaries.action_compute()
        self.assertEqual(write.call_count, 1)
        self.assertEqual(
            wujiang.line_ids.filtered(
                lambda line: line.region_id == self.sg_township_y
            ).total_count,
            2,
        )


@tagged("post_install", "-at_install")
class TestSummaryCrossChecks(LbeSummaryCase):
    def _consistent(self):
        figures = dict.fromkeys(COUNT_FIELDS, 0)
        figures.update(
            total_count=10,
            age_60_79_count=7,
            age_80_plus_count=3,
            both_spouses_alive_count=6,
            one_spouse_alive_count=4,
            healthy_count=5,
            disabled_count=3,
            ill_count=2,
            one_child_count=2,
            two_children_count=5,
            three_plus_children_count=3,
            children_away_count=10,
            income_children_wages_count=8,
            income_farming_count=6,
            income_government_aid_count=1,
            income_other_count=2,
            rural_elderly_60_plus_count=120,
        )
        return figures

    def test_consistent_figures_pass(self):
        self.assertEqual(cross_check("第1行", self._consistent()), [])

    def test_every_check_fires(self):
        cases = [
            ("age_80_plus_count", 2, "第1行：第1列 10 ≠ 第2+3列 9"),
            ("one_spouse_alive_count", 5, "第1行：第1列 10 ≠ 第4+5列 11"),
            ("ill_count", 0, "第1行：第1列 10 ≠ 第6+7+8列 8"),
            ("three_plus_children_count", 1, "第1行：第1列 10 ≠ 第9+10+11列 8"),
            ("children_away_count", 9, "第1行：第1列 10 ≠ 第12列 9"),
            ("income_children_wages_count", 11, "第1行：第13列 11 > 第1列 10"),
            ("income_farming_count", 12, "第1行：第14列 12 > 第1列 10"),
            ("income_government_aid_count", 13, "第1行：第15列 13 > 第1列 10"),
            ("income_other_count", 14, "第1行：第16列 14 > 第1列 10"),
            ("rural_elderly_60_plus_count", 9, "第1行：第17列 9 < 第1列 10"),
        ]
        for name, value, message in cases:
            with self.subTest(column=name):
                figures = {**self._consistent(), name: value}
                self.assertEqual(cross_check("第1行", figures), [message])

    def test_summary_lists_lines_and_total_and_refuses_submission(self):
        summary = self._summary(self.sg_county, self.sg_county_user)
        # Column 17 is still empty, and 西河镇's elder has a child away for less
        # than a year: column 12 falls short of column 1.
        position = summary.line_ids.ids.index(
            summary.line_ids.filtered(lambda line: line.region_id == self.sg_township_y).id
        )
        violations = summary.violations.splitlines()
        self.assertIn(f"第{position + 1}行（西河镇）：第1列 1 ≠ 第12列 0", violations)
        self.assertIn(f"第{position + 1}行（西河镇）：第17列 0 < 第1列 1", violations)
        self.assertIn("合计：第1列 5 ≠ 第12列 4", violations)
        self.assertIn("合计：第17列 0 < 第1列 5", violations)
        with self._refused("第12列"):
            summary.action_submit()
        self.assertEqual(summary.state, "draft")
        # Fixing the ledger and entering column 17 clears every violation.
        self.e_y.child_ids.away_since = date(self.year - 2, 1, 1)
        summary.action_compute()
        self._fill_col17(summary.with_user(self.sg_county_user))
        self.assertFalse(summary.violations)
        summary.action_submit()
        self.assertEqual(summary.state, "submitted")


@tagged("post_install", "-at_install")
class TestSummaryFlow(LbeSummaryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A ledger that passes the cross-checks.
        cls.e_y.child_ids.away_since = date(cls.year - 2, 1, 1)

    def _county_submitted(self):
        summary = self._summary(self.sg_county, self.sg_county_user)
        self._fill_col17(summary.with_user(self.sg_county_user))
        summary.action_submit()
        return summary

    def test_full_upward_flow(self):
        county = self._county_submitted()
        self.assertEqual(county.submitted_by_id, self.sg_county_user)
        self.assertTrue(county.submit_date)
        county.with_user(self.sg_city_user).action_accept()
        self.assertEqual(county.state, "accepted")

        city = self._summary(self.sg_city, self.sg_city_user)
        pending = self.sg_counties - self.sg_county
        with self._refused("not created"):
            city.action_submit()
        # The city's lines show which counties have reported.
        states = {line.region_id: line.sub_summary_state for line in city.line_ids}
        self.assertEqual(states.pop(self.sg_county), "accepted")
        self.assertEqual(set(states.values()), {"missing"})
        self._submit_and_accept_counties(pending[:-1])
        self._summary(pending[-1], self.user_manager).action_submit()
        with self._refused(pending[-1].name):
            city.action_submit()
        self.env["lbe.summary"].search(
            [("region_id", "=", pending[-1].id), ("year", "=", self.year)]
        ).action_accept()
        city.action_submit()
        self.assertEqual(city.state, "submitted")
        self.assertEqual(self._line(city, self.sg_county), county._totals())
        self.assertEqual(city._totals(), county._totals())

        city.with_user(self.user_province).action_accept()
        self.assertEqual(city.state, "accepted")
        province = self._summary(self.province, self.user_province)
        self.assertEqual(self._line(province, self.sg_city), city._totals())
        with self._refused("not submitted to anyone"):
            province.action_submit()

    def test_submission_freezes_the_figures(self):
        county = self._county_submitted()
        before = {line.region_id: self._line(county, line.region_id) for line in county.line_ids}
        self.e_draft.state = "active"
        self._counted("新登记", self.village_d1, date(self.year - 65, 1, 1))
        with self._refused("frozen"):
            county.action_compute()
        line = county.line_ids[:1].with_user(self.sg_county_user)
        with self._refused("frozen"):
            line.rural_elderly_60_plus_count = 5
        county.invalidate_recordset()
        self.assertEqual(
            {line.region_id: self._line(county, line.region_id) for line in county.line_ids},
            before,
        )
        # Returned, it can be computed again and takes the ledger's changes.
        county.with_user(self.sg_city_user).action_return("请核对西联镇数据")
        self.assertEqual(county.state, "returned")
        self.assertEqual(county.return_reason, "请核对西联镇数据")
        county.with_user(self.sg_county_user).action_compute()
        self.assertEqual(self._line(county, self.sg_township_x)["total_count"], 6)
        county.with_user(self.sg_county_user).action_submit()
        self.assertEqual(county.state, "submitted")

    def test_return_asks_for_a_reason(self):
        county = self._county_submitted()
        action = county.with_user(self.sg_city_user).action_return()
        self.assertEqual(action["res_model"], "lbe.summary.return")
        wizard = (
            self.env["lbe.summary.return"]
            .with_user(self.sg_city_user)
            .with_context(**action["context"])
            .create({"reason": "第17列数据来源不明"})
        )
        wizard.action_confirm()
        self.assertEqual(county.state, "returned")
        self.assertEqual(county.return_reason, "第17列数据来源不明")

    def test_no_return_once_the_upper_summary_is_submitted(self):
        county = self._county_submitted()
        county.with_user(self.sg_city_user).action_accept()
        self._submit_and_accept_counties(self.sg_counties - self.sg_county)
        city = self._summary(self.sg_city, self.sg_city_user)
        # Accepted but the city has not reported: the city may still return it.
        city.action_submit()
        with self._refused("cannot be returned"):
            county.with_user(self.sg_city_user).action_return("太迟")
        city.with_user(self.user_province).action_return("请重新核对")
        county.with_user(self.sg_city_user).action_return("请重新核对")
        self.assertEqual(county.state, "returned")

    def test_who_may_do_what(self):
        county = self._summary(self.sg_county, self.sg_county_user)
        self._fill_col17(county.with_user(self.sg_county_user))
        as_city = county.with_user(self.sg_city_user)
        as_province = county.with_user(self.user_province)
        # The city sees the county summary but does not prepare it.
        for action in (as_city.action_compute, as_city.action_submit):
            with self._refused("prepared and submitted by"):
                action()
        with self._refused("prepared and submitted by"):
            as_city.line_ids[:1].rural_elderly_60_plus_count = 1
        with self._refused("prepared and submitted by"):
            self.env["lbe.summary"].with_user(self.sg_city_user).create(
                {"region_id": (self.sg_counties - self.sg_county)[0].id, "year": self.year}
            )
        county.with_user(self.sg_county_user).action_submit()
        # The county does not accept its own summary, nor does the province.
        for user in (self.sg_county_user, self.user_province):
            with self._refused("accepted or returned by"):
                county.with_user(user).action_accept()
        with self._refused("accepted or returned by"):
            as_province.action_return("越级")
        # Status and figures only change through the buttons.
        with self._refused("set by the application itself"):
            as_city.write({"state": "accepted"})
        with self._refused("only through its buttons"):
            as_city.write({"year": self.year - 1})
        with self._refused("Only column 17"):
            county.with_user(self.sg_county_user).line_ids[:1].total_count = 99
        self.assertEqual(county.state, "submitted")
        # The city's own summary is the province's to review, not the city's.
        self._submit_and_accept_counties(self.sg_counties - self.sg_county)
        as_city.action_accept()
        city = self._summary(self.sg_city, self.sg_city_user)
        city.action_submit()
        with self._refused("accepted or returned by"):
            city.action_accept()

    def test_lateness(self):
        county = self._county_submitted()
        Summary = self.env["lbe.summary"]
        domain = [("id", "=", county.id)]
        county.sudo().submit_date = datetime(self.year, 10, 31, 2, 0)
        self.assertFalse(county.is_late)
        self.assertEqual(Summary.search([*domain, ("is_late", "=", True)]), Summary)
        county.sudo().submit_date = datetime(self.year, 11, 2, 2, 0)
        self.assertTrue(county.is_late)
        self.assertEqual(Summary.search([*domain, ("is_late", "=", True)]), county)
        self.assertEqual(Summary.search([*domain, ("is_late", "=", False)]), Summary)
        # Last year's deadline has passed: a summary still in draft is late.
        draft = self._summary((self.sg_counties - self.sg_county)[0], self.user_manager)
        self.assertTrue(draft.is_late)
        self.assertIn(draft, Summary.search([("is_late", "!=", False)]))


@tagged("post_install", "-at_install")
class TestSummaryAccess(LbeSummaryCase):
    def test_each_tier_sees_its_area(self):
        county = self._summary(self.sg_county, self.sg_county_user)
        city = self._summary(self.sg_city, self.sg_city_user)
        baiyun = self._summary(self.county, self.user_county)
        guangzhou = self._summary(self.city, self.user_city)
        everything = county | city | baiyun | guangzhou
        expected = {
            self.sg_county_user: county,
            self.sg_city_user: county | city,
            self.user_county: baiyun,
            self.user_city: baiyun | guangzhou,
            self.user_province: everything,
            self.user_no_area: self.env["lbe.summary"],
        }
        for user, visible in expected.items():
            with self.subTest(user=user.login):
                Summary = self.env["lbe.summary"].with_user(user)
                self.assertEqual(
                    Summary.search([("id", "in", everything.ids)]), visible.with_user(user)
                )
                lines = (
                    self.env["lbe.summary.line"]
                    .with_user(user)
                    .search([("summary_id", "in", everything.ids)])
                )
                self.assertEqual(lines.summary_id, visible.with_user(user))
                for summary in everything - visible:
                    with self.assertRaises(AccessError):
                        summary.with_user(user).read(["state"])

    def test_no_action_outside_the_area(self):
        county = self._summary(self.sg_county, self.sg_county_user)
        with self.assertRaises(AccessError):
            county.with_user(self.user_county).action_compute()
        with self.assertRaises(AccessError):
            self.env["lbe.summary"].with_user(self.user_county).create(
                {"region_id": (self.sg_counties - self.sg_county)[0].id, "year": self.year}
            )
        with self.assertRaises(AccessError):
            self.env["lbe.summary"].with_user(self.user_no_area).create(
                {"region_id": self.county.id, "year": self.year}
            )
        self.e_y.child_ids.away_since = date(self.year - 2, 1, 1)
        county.action_compute()
        self._fill_col17(county.with_user(self.sg_county_user))
        county.with_user(self.sg_county_user).action_submit()
        with self.assertRaises(AccessError):
            county.with_user(self.user_city).action_accept()

    def test_township_and_village_have_no_summaries(self):
        county = self._summary(self.county, self.user_county)
        for user in (self.user_township, self.user_village):
            with self.assertRaises(AccessError):
                county.with_user(user).read(["state"])
