import io
import shutil
from datetime import date

import openpyxl
from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..models.lbe_summary_cycle import ACT_ACCEPTED, ACT_RETURNED, ACT_REVIEW
from .common import pdf_text
from .test_summary import LbeSummaryCase
from .test_summary_exports import LbeExportCase

BUTTONS = ("action_compute", "action_submit", "action_accept", "action_return")


class LbeCycleCase(LbeSummaryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A ledger that passes the cross-checks.
        cls.e_y.child_ids.away_since = date(cls.year - 2, 1, 1)
        cls.Summary = cls.env["lbe.summary"]

    def _of(self, region, year=None):
        return self.Summary.search(
            [("region_id", "=", region.id), ("year", "=", year or self.year)]
        )

    def _county_submitted(self, year=None):
        summary = self.Summary.with_user(self.sg_county_user).create(
            {"region_id": self.sg_county.id, "year": year or self.year}
        )
        summary.action_compute()
        self._fill_col17(summary)
        # The county's account of its visits, asked for before submitting.
        self.env["lbe.visit.report"].search([("summary_id", "=", summary.id)]).narrative = "巡访"
        summary.action_submit()
        return summary.with_user(self.env.user)


@tagged("post_install", "-at_install")
class TestNilReturns(LbeCycleCase):
    def test_city_computing_makes_the_nil_returns(self):
        empty = self.sg_counties - self.sg_county
        self.assertFalse(
            self.Summary.search([("region_id", "in", empty.ids), ("year", "=", self.year)])
        )
        # One county without elders had started a draft; nobody submitted it.
        started = self._summary(empty[0], self.user_manager, compute=False)
        city = self._summary(self.sg_city, self.sg_city_user)
        nils = self.Summary.search([("region_id", "in", empty.ids), ("year", "=", self.year)])
        self.assertEqual(nils.region_id, empty)
        self.assertIn(started, nils)
        for nil in nils:
            with self.subTest(county=nil.region_id.name):
                self.assertTrue(nil.is_nil_return)
                self.assertEqual(nil.state, "accepted")
                self.assertFalse(nil.is_late, "nobody was due to submit it")
                self.assertFalse(nil.submit_date)
                self.assertFalse(nil.violations)
                self.assertEqual(
                    nil.line_ids.region_id,
                    self.env["lbe.region"].search([("parent_id", "=", nil.region_id.id)]),
                )
                self.assertEqual(set(nil._totals().values()), {0})
                self.assertIn("零报告", nil._annex2_marks()[0])
        # The county with elders made no return: it is not a nil one.
        self.assertFalse(self._of(self.sg_county))
        states = {line.region_id: line.sub_summary_state for line in city.line_ids}
        self.assertEqual(states.pop(self.sg_county), "missing")
        self.assertEqual(set(states.values()), {"accepted"})
        with self._refused(f"{self.sg_county.name}（not created）"):
            city.action_submit()
        # The city submits once its county with elders is accepted.
        self._county_submitted().with_user(self.sg_city_user).action_accept()
        city.action_submit()
        self.assertEqual(city.state, "submitted")
        self.assertEqual(city._totals(), self._of(self.sg_county)._totals())
        # Shown as such: the list's filter, the city's page of its units' summaries.
        self.assertEqual(
            self.Summary.search(
                [("is_nil_return", "=", True), ("region_id", "in", self.sg_counties.ids)]
            ),
            nils,
        )
        self.assertEqual(city.sub_summary_ids, nils | self._of(self.sg_county))

    def test_a_submitted_summary_stays_the_units_own(self):
        empty = (self.sg_counties - self.sg_county)[0]
        own = self._summary(empty, self.user_manager)
        own.action_submit()
        self._summary(self.sg_city, self.sg_city_user)
        self.assertEqual((own.state, own.is_nil_return), ("submitted", False))
        own.with_user(self.sg_city_user).action_return("请补充说明")
        self._of(self.sg_city).with_user(self.sg_city_user).action_compute()
        self.assertEqual((own.state, own.is_nil_return), ("returned", False))

    def test_a_nil_return_is_frozen_and_goes_back_when_elders_come(self):
        empty = (self.sg_counties - self.sg_county)[0]
        city = self._summary(self.sg_city, self.sg_city_user)
        nil = self._of(empty)
        self.assertTrue(nil.is_nil_return)
        with self._refused("nil return"):
            nil.with_user(self.sg_city_user).action_return("退回")
        with self._refused("frozen"):
            nil.with_user(self.user_manager).action_compute()
        # An elder of the county registered before the cutoff: the next computation
        # gives the summary back to the county, as a draft.
        township = self.env["lbe.region"].search([("parent_id", "=", empty.id)], limit=1)
        village = self.env["lbe.region"].search([("parent_id", "=", township.id)], limit=1)
        self._counted("补登老人", village, date(self.year - 70, 5, 1))
        city.action_compute()
        self.assertEqual((nil.state, nil.is_nil_return), ("draft", False))
        with self._refused(empty.name):
            city.action_submit()

    def test_province_computing_makes_nil_returns_of_cities(self):
        Region = self.env["lbe.region"]
        counted = self.env["lbe.elder"]._read_group(
            [("state", "in", ["active", "exited"])], ["city_id"]
        )
        with_elders = Region.union(*(city for (city,) in counted))
        empty_city = Region.search(
            [("level", "=", "city"), ("id", "not in", with_elders.ids)], limit=1
        )
        self._summary(self.province, self.user_province)
        nil = self._of(empty_city)
        self.assertTrue(nil.is_nil_return)
        self.assertEqual(nil.state, "accepted")
        counties = Region.search([("parent_id", "=", empty_city.id)])
        self.assertEqual(nil.sub_summary_ids.region_id, counties)
        self.assertTrue(all(nil.sub_summary_ids.mapped("is_nil_return")))
        self.assertEqual(nil.line_ids.mapped("sub_summary_state"), ["accepted"] * len(counties))


@tagged("post_install", "-at_install")
class TestSummaryButtons(LbeCycleCase):
    """Each tier sees the buttons its actions let it use, from the same checks."""

    def _visible(self, summary, user):
        """The workflow buttons of the form the user sees on the summary."""
        record = summary.with_user(user)
        arch = record.get_views([(False, "form")])["views"]["form"]["arch"]
        header = etree.fromstring(arch).find(".//header")
        values = record.read(
            [
                "state",
                "level",
                "can_compute",
                "can_submit",
                "can_review",
                "is_nil_return",
                "is_final",
            ]
        )[0]
        return {
            button.get("name")
            for button in header.iter("button")
            if button.get("name") in BUTTONS
            and not safe_eval(button.get("invisible") or "False", values)
        }

    def test_each_tier_its_buttons(self):
        county = self._summary(self.sg_county, self.sg_county_user)
        self._fill_col17(county)
        self.assertEqual(
            self._visible(county, self.sg_county_user), {"action_compute", "action_submit"}
        )
        self.assertEqual(self._visible(county, self.sg_city_user), set())
        self.assertEqual(self._visible(county, self.user_province), set())
        self.assertEqual(
            self._visible(county, self.user_manager), {"action_compute", "action_submit"}
        )
        county.with_user(self.sg_county_user).action_submit()
        self.assertEqual(self._visible(county, self.sg_county_user), set())
        self.assertEqual(
            self._visible(county, self.sg_city_user), {"action_accept", "action_return"}
        )
        self.assertEqual(self._visible(county, self.user_province), set())
        county.with_user(self.sg_city_user).action_accept()
        self.assertEqual(self._visible(county, self.sg_city_user), {"action_return"})

        city = self._summary(self.sg_city, self.sg_city_user)
        self.assertEqual(
            self._visible(city, self.sg_city_user), {"action_compute", "action_submit"}
        )
        self.assertEqual(self._visible(city, self.user_province), set())
        nil = self._of((self.sg_counties - self.sg_county)[0])
        for user in (self.sg_city_user, self.user_manager):
            self.assertEqual(self._visible(nil, user), set(), "a nil return is not returned")
        province = self._summary(self.province, self.user_province)
        self.assertEqual(self._visible(province, self.user_province), {"action_compute"})

    def test_booleans_follow_the_checks(self):
        county = self._summary(self.sg_county, self.sg_county_user)
        for user in (self.sg_county_user, self.sg_city_user, self.user_province, self.user_manager):
            record = county.with_user(user)
            with self.subTest(user=user.login):
                self.assertEqual(record.can_compute, record._passes(record._check_preparer))
                self.assertEqual(record.can_review, record._passes(record._check_reviewer))


@tagged("post_install", "-at_install")
class TestSummaryActivities(LbeCycleCase):
    def _todos(self, summary, xmlid, user=None):
        domain = [
            ("res_model", "=", "lbe.summary"),
            ("res_id", "=", summary.id),
            ("activity_type_id", "=", self.env.ref(xmlid).id),
        ]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    def test_each_step_leaves_the_next_unit_a_todo(self):
        county = self._county_submitted()
        review = self._todos(county, ACT_REVIEW)
        # The reviewers of the unit above, not those of another city nor the county.
        self.assertEqual(review.user_id, self.sg_city_user)
        self.assertIn(county.display_name, review.note)

        county.with_user(self.sg_city_user).action_return("请核对西联镇数据")
        self.assertFalse(review.exists(), "the reviewer's to-do is done")
        returned = self._todos(county, ACT_RETURNED)
        self.assertEqual(returned.user_id, self.sg_county_user)
        self.assertIn("请核对西联镇数据", returned.note)
        # The county sees it on its start page: among its to-dos and by name.
        home = self.env["lbe.home"].with_user(self.sg_county_user).get_home()
        todos = next(card for card in home["cards"] if card["key"] == "activities")
        figure = next(
            f for f in todos["figures"] if f["key"] == f"activity_{returned.activity_type_id.id}"
        )
        self.assertEqual(figure["count"], 1)

        county.with_user(self.sg_county_user).action_compute()
        county.with_user(self.sg_county_user).action_submit()
        self.assertFalse(returned.exists(), "resubmitting answers the return")
        review = self._todos(county, ACT_REVIEW, self.sg_city_user)
        self.assertEqual(len(review), 1)
        county.with_user(self.sg_city_user).action_accept()
        self.assertFalse(review.exists())
        accepted = self._todos(county, ACT_ACCEPTED)
        self.assertEqual(accepted.user_id, self.sg_county_user)
        # The done to-dos are in the chatter, as the reviewer's.
        done = county.message_ids.filtered(
            lambda message: message.mail_activity_type_id == self.env.ref(ACT_REVIEW)
        )
        self.assertEqual(done.author_id, self.sg_city_user.partner_id)
        self.assertEqual(len(done), 2)

    def test_city_submission_goes_to_the_province(self):
        self._county_submitted().with_user(self.sg_city_user).action_accept()
        city = self._summary(self.sg_city, self.sg_city_user)
        city.action_submit()
        reviewers = self._todos(city, ACT_REVIEW).user_id
        self.assertIn(self.user_province, reviewers)
        self.assertEqual({user._lbe_tier() for user in reviewers}, {"province"})
        # Nil returns leave nobody a to-do.
        nils = city.sub_summary_ids.filtered("is_nil_return")
        self.assertTrue(nils)
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "lbe.summary"), ("res_id", "in", nils.ids)]
            )
        )


@tagged("post_install", "-at_install")
class TestSummaryShownToEachTier(LbeCycleCase):
    def test_lines_name_their_own_unit(self):
        county = self._summary(self.sg_county, self.sg_county_user)
        self.assertEqual(
            set(county.line_ids.mapped("region_name")),
            set(county.line_ids.region_id.mapped("name")),
        )
        self.assertIn("西联镇", county.line_ids.mapped("region_name"))
        self.assertNotIn("/", "".join(county.line_ids.mapped("region_name")))
        arch = etree.fromstring(county.get_views([(False, "form")])["views"]["form"]["arch"])
        columns = arch.find(".//field[@name='line_ids']/list")
        self.assertEqual(columns.find("field").get("name"), "region_id")
        self.assertEqual(columns.find("field").get("column_invisible"), "1")
        self.assertEqual(columns.findall("field")[1].get("name"), "region_name")

    def test_home_lists_returned_and_late_summaries(self):
        year = fields.Date.today().year
        county = self._county_submitted(year)
        county.with_user(self.sg_city_user).action_return("第17列请核对")
        late = self.Summary.with_user(self.user_manager).create(
            {"region_id": (self.sg_counties - self.sg_county)[0].id, "year": year}
        )
        for user in (self.sg_county_user, self.sg_city_user, self.user_province):
            home = self.env["lbe.home"].with_user(user).get_home()
            card = next(card for card in home["cards"] if card["key"] == "summaries")
            figures = {figure["key"]: figure for figure in card["figures"]}
            items = {item["res_id"]: item["detail"] for item in card["items"]}
            with self.subTest(user=user.login):
                self.assertIn("第17列请核对", items[county.id])
                self.assertGreaterEqual(figures["summary_returned"]["count"], 1)
                self.assertTrue(figures["summary_returned"]["alert"])
                if late.is_late and user != self.sg_county_user:
                    self.assertIn(late.id, items)
                    self.assertGreaterEqual(figures["summary_late"]["count"], 1)
        figures = {
            figure["key"]: figure["count"]
            for card in self.env["lbe.home"].with_user(self.sg_county_user).get_home()["cards"]
            for figure in card["figures"]
        }
        self.assertEqual(figures["summary_returned"], 1)
        self.assertNotIn(late.id, figures, "another county's summary")


@tagged("post_install", "-at_install")
class TestSummaryPrintedMarks(LbeExportCase):
    """The printed Annex 2 names its year and unit; until accepted it is a draft."""

    def setUp(self):
        super().setUp()
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed: cannot read the PDF text")
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:1")

    def _pdf(self, summary, user):
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("left_behind_elderly.lbe_summary_annex2_report", summary.ids)
        )
        return pdf_text(pdf)

    def _sheet(self, summary, user):
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx(
                "left_behind_elderly.report_lbe_summary_annex2_xlsx", summary.ids, data=None
            )
        )
        return openpyxl.load_workbook(io.BytesIO(content)).active

    def test_draft_until_accepted(self):
        submitted = self._pdf(self.summary, self.sg_city_user)
        self.assertIn(f"统计年度：{self.year}年", submitted)
        self.assertIn("地市（盖章）：韶关市武江区", submitted)
        self.assertIn("草稿", submitted)
        sheet = self._sheet(self.summary, self.sg_city_user)
        self.assertIn("草稿", sheet["A1"].value)
        self.assertEqual(sheet["G2"].value, f"统计年度：{self.year}年")

        self.summary.with_user(self.sg_city_user).action_accept()
        accepted = self._pdf(self.summary, self.sg_city_user)
        self.assertIn(f"统计年度：{self.year}年", accepted)
        self.assertNotIn("草稿", accepted)
        self.assertEqual(
            self._sheet(self.summary, self.sg_city_user)["A1"].value, "农村留守老年人基本信息汇总表"
        )

    def test_nil_return_prints_as_such(self):
        self._summary(self.sg_city, self.sg_city_user)
        nil = self.env["lbe.summary"].search(
            [
                ("region_id", "=", (self.sg_counties - self.sg_county)[0].id),
                ("year", "=", self.year),
            ]
        )
        text = self._pdf(nil, self.sg_city_user)
        self.assertIn("零报告", text)
        self.assertNotIn("草稿", text)
        self.assertIn(f"统计年度：{self.year}年", text)
