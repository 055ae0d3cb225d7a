import shutil
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from ..annex import definition
from .common import load_chinese
from .test_summary_exports import pdf_text

# The tours of each tier, in the order of the year (static/tests/tours/lbe_summary_tour.js).
COUNTY_TOUR = "lbe_summary_county_tour"
NIL_TOUR = "lbe_summary_nil_tour"
CITY_RETURN_TOUR = "lbe_summary_city_return_tour"
COUNTY_RESUBMIT_TOUR = "lbe_summary_county_resubmit_tour"
CITY_TOUR = "lbe_summary_city_tour"
PROVINCE_TOUR = "lbe_summary_province_tour"


@tagged("post_install", "-at_install")
class TestSummaryTour(HttpCase):
    """The year's summaries of 韶关市 through the screens, in Chinese: 武江区 has
    elders, one of them counted wrongly; 浈江区 has none."""

    def setUp(self):
        super().setUp()
        load_chinese(self.env)
        Region = self.env["lbe.region"]
        self.year = fields.Date.today().year
        self.city = Region.search([("code", "=", "4402")])
        self.county = Region.search([("code", "=", "440203")])
        self.empty_county = Region.search([("code", "=", "440204")])
        village = Region.search([("code", "=", "440203100201")])
        self.county_user = self._user("lbe_tour_wj", "武江区民政干部", "county", self.county)
        self.nil_user = self._user("lbe_tour_zj", "浈江区民政干部", "county", self.empty_county)
        self.city_user = self._user("lbe_tour_sg", "韶关市民政干部", "city", self.city)
        self.province_user = self._user(
            "lbe_tour_gd", "广东省民政干部", "province", Region.search([("code", "=", "44")])
        )
        cutoff = definition.cutoff(self.year)
        registered = date(self.year, 1, 10)
        for name, birth in (
            ("刘大伯", date(self.year - 72, 3, 1)),
            ("陈阿婆", date(self.year - 83, 6, 1)),
        ):
            self._elder(name, village, birth, registered, cutoff - relativedelta(years=4))
        # Her child has been away for years; the clerk typed last winter.
        self.elder = self._elder(
            "温桂英",
            village,
            date(self.year - 68, 2, 1),
            registered,
            cutoff - relativedelta(years=3),
        )
        self.elder.child_ids.away_since = cutoff - relativedelta(months=5)
        Summary = self.env["lbe.summary"]
        self.summary = Summary.with_user(self.county_user).create(
            {"region_id": self.county.id, "year": self.year}
        )
        self.summary.action_compute()
        self.summary.line_ids.write({"rural_elderly_60_plus_count": 900})
        self.assertTrue(self.summary.check_ids)
        self.city_summary = Summary.with_user(self.city_user).create(
            {"region_id": self.city.id, "year": self.year}
        )
        self.summary = self.summary.with_user(self.env.user)
        self.city_summary = self.city_summary.with_user(self.env.user)

    def _user(self, login, name, tier, regions):
        return new_test_user(
            self.env,
            login=login,
            name=name,
            groups=f"left_behind_elderly.group_{tier}",
            password=login,
            lang="zh_CN",
            lbe_region_ids=[Command.set(regions.ids)],
        )

    def _elder(self, name, village, birth, registered, away_since):
        return self.env["lbe.elder"].create(
            {
                "name": name,
                "region_id": village.id,
                "birth_date": birth,
                "registration_date": registered,
                "state": "active",
                "spouse_status": "both_alive",
                "health_status": "healthy",
                "income_children_wages": True,
                "child_ids": [
                    Command.create(
                        {
                            "name": f"{name}之子",
                            "birth_date": date(1985, 1, 1),
                            "away_since": away_since,
                        }
                    )
                ],
            }
        )

    def _tour(self, name, user):
        self.start_tour("/odoo", name, login=user.login)
        self.env.invalidate_all()

    def test_the_year_through_the_screens(self):
        self._tour(COUNTY_TOUR, self.county_user)
        self.assertGreater(
            self.year - self.elder.child_ids.away_since.year, 1, "the ledger is corrected"
        )
        self.assertEqual(self.summary.state, "submitted")
        self.assertFalse(self.summary.check_ids)

        self._tour(CITY_RETURN_TOUR, self.city_user)
        self.assertEqual(self.summary.state, "returned")
        self.assertEqual(self.summary.return_reason, "第17列与户籍统计不符，请核对")
        nil = self.city_summary.sub_summary_ids.filtered(
            lambda sub: sub.region_id == self.empty_county
        )
        self.assertTrue(nil.is_nil_return)

        self._tour(NIL_TOUR, self.nil_user)
        self._tour(COUNTY_RESUBMIT_TOUR, self.county_user)
        self.assertEqual(self.summary.state, "submitted")

        self._tour(CITY_TOUR, self.city_user)
        self.assertEqual((self.summary.state, self.city_summary.state), ("accepted", "submitted"))
        self._tour(PROVINCE_TOUR, self.province_user)
        self.assertEqual(self.city_summary.state, "accepted")

        # The province prints Annex 2 of the city: its year, its unit, final.
        report = "left_behind_elderly.lbe_summary_annex2_report"
        Report = self.env["ir.actions.report"].with_user(self.province_user)
        if shutil.which("pdftotext"):
            # wkhtmltopdf would ask this server for the assets: the form has its own CSS.
            self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:1")
            pdf = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                report, self.city_summary.ids
            )[0]
            text = pdf_text(pdf)
        else:
            text = Report._render_qweb_html(report, self.city_summary.ids)[0].decode()
        self.assertIn(f"统计年度：{self.year}年", text)
        self.assertIn("地市（盖章）：韶关市", text)
        self.assertNotIn("草稿", text)
        self.assertIn("浈江区", text)
