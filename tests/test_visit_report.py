import shutil
from datetime import date, datetime, time, timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import pdf_text
from .test_summary import LbeSummaryCase

# Simplified forms the CJK fonts map back to radicals of the supplement, which
# NFKC leaves as they are (pdf_text brings back the Kangxi radicals only).
RADICALS = str.maketrans({"⻛": "风", "⻔": "门"})
NARRATIVE = "武江区以区为单位建立定期巡访制度，村委会每月上门探访。"


@tagged("post_install", "-at_install")
class TestVisitReport(LbeSummaryCase):
    """The visit system report (巡访制度建设情况) of 武江区 for last year, on
    hand-made visits, follow-ups, agreements and pairings with known answers.

    The counted elders (Annex 2's column 1) are e_60, e_79, e_80, e_exit_after
    and e_y; the period runs from 1 October of the year before to the cutoff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, y, c = cls.env, cls.year, cls.cutoff
        # A ledger that passes the cross-checks, so that the summary can go up.
        cls.e_y.child_ids.away_since = date(y - 2, 1, 1)
        params = env["ir.config_parameter"].sudo()
        params.set_param("left_behind_elderly.visit_interval_focus", 30)
        params.set_param("left_behind_elderly.visit_interval_other", 90)
        clerk = cls._tier_user("village", cls.village_d1, login="h8_sg_village")
        officer = cls._tier_user("township", cls.sg_township_x, login="h8_sg_township")
        no_tier = new_test_user(env, login="h8_no_tier", groups="base.group_user")

        def visit(elder, day, method, user, **vals):
            record = env["lbe.visit"].create(
                {
                    "elder_id": elder.id,
                    "visit_date": day,
                    "method": method,
                    "user_id": user.id,
                    **vals,
                }
            )
            record.action_done()
            return record

        def at(day, hour=2):  # 10:00 in China
            return datetime.combine(day, time(hour))

        # In the period: 5 visits (home 2, phone 2, video 1; village 2, township
        # 1, county 1, no tier 1); 3 found a risk.
        visit(cls.e_79, c - timedelta(days=10), "home", clerk)
        cls.v_open = visit(cls.e_79, c - timedelta(days=40), "phone", clerk, risk_level="high")
        visit(cls.e_80, c - timedelta(days=100), "phone", officer)
        cls.v_in_time = visit(
            cls.e_y, c - timedelta(days=20), "video", cls.sg_county_user, risk_level="high"
        )
        cls.v_late = visit(cls.e_60, c, "home", no_tier, safety_risk=True)
        # Not in the period: before it, after the cutoff, a draft, another county.
        visit(cls.e_79, date(y - 1, 9, 30), "phone", clerk)
        visit(cls.e_80, c + timedelta(days=5), "video", cls.sg_county_user)
        env["lbe.visit"].create({"elder_id": cls.e_79.id, "visit_date": c - timedelta(days=2)})
        visit(cls.e_other, c - timedelta(days=5), "home", cls.user_village, risk_level="high")
        # Followed up in time: told the township next day, the son two days after.
        cls.v_in_time.township_report_date = at(c - timedelta(days=19))
        cls.v_late.township_report_date = at(c + timedelta(days=1))
        Followup = env["lbe.visit.followup"]
        Followup.create(
            {
                "visit_id": cls.v_in_time.id,
                "contact_name": "儿子",
                "contact_date": at(c - timedelta(days=18)),
            }
        )
        # Late: a portal notification the family never acknowledged, then a call
        # ten days after the visit.
        Followup.create(
            {
                "visit_id": cls.v_late.id,
                "contact_name": "女儿",
                "channel": "portal",
                "contact_date": at(c + timedelta(days=1)),
            }
        )
        Followup.create(
            {
                "visit_id": cls.v_late.id,
                "contact_name": "女儿",
                "contact_date": at(c + timedelta(days=10)),
            }
        )

        # Agreements in force on the cutoff: 2 (active, expired since).
        def agreement(elder, start, end, state):
            env["lbe.care.agreement"].create(
                {
                    "elder_id": elder.id,
                    "caregiver_name": "邻居",
                    "date_start": start,
                    "date_end": end,
                    "state": state,
                }
            )

        agreement(cls.e_79, c - timedelta(days=100), c + timedelta(days=100), "active")
        agreement(cls.e_80, date(y - 1, 1, 1), c, "expired")
        agreement(cls.e_y, c - timedelta(days=10), c + timedelta(days=10), "draft")
        agreement(cls.e_60, c + timedelta(days=1), c + timedelta(days=200), "active")
        agreement(cls.e_79, c - timedelta(days=100), c + timedelta(days=100), "terminated")
        agreement(cls.e_other, c - timedelta(days=100), c + timedelta(days=100), "active")
        # Pairings in force on the cutoff: 2 (active, ended after it).
        volunteer = env["lbe.volunteer"].create({"name": "志愿者", "region_id": cls.village_d1.id})

        def pairing(elder, start, end, state):
            env["lbe.volunteer.pairing"].create(
                {
                    "elder_id": elder.id,
                    "volunteer_id": volunteer.id,
                    "date_start": start,
                    "date_end": end,
                    "state": state,
                }
            )

        pairing(cls.e_79, c - timedelta(days=30), False, "active")
        pairing(cls.e_80, c - timedelta(days=200), c - timedelta(days=1), "ended")
        pairing(cls.e_y, c - timedelta(days=200), c + timedelta(days=3), "ended")
        pairing(cls.e_60, c - timedelta(days=10), False, "draft")

    def _computed(self, region=None, user=None):
        summary = (
            self.env["lbe.summary"]
            .with_user(user or self.sg_county_user)
            .create({"region_id": (region or self.sg_county).id, "year": self.year})
        )
        summary.action_compute()
        self._fill_col17(summary)
        return summary, self._report(summary)

    def _report(self, summary):
        report = self.env["lbe.visit.report"].search([("summary_id", "=", summary.id)])
        self.assertEqual(len(report), 1)
        return report

    def test_figures(self):
        summary, report = self._computed()
        self.assertEqual(report.region_id, self.sg_county)
        self.assertEqual(report.year, self.year)
        self.assertEqual(
            (report.period_start, report.period_end, report.as_of_date),
            (date(self.year - 1, 10, 1), self.cutoff, self.cutoff),
        )
        figures = {name: report[name] for name in report._fields if name.endswith("_count")}
        self.assertEqual(
            figures,
            {
                "visit_count": 5,
                "visit_home_count": 2,
                "visit_phone_count": 2,
                "visit_video_count": 1,
                "visit_village_count": 2,
                "visit_township_count": 1,
                "visit_county_count": 1,
                "visit_other_tier_count": 1,
                # e_60, e_79 and e_y; e_80 was last visited 100 days before, e_exit_after never.
                "elder_count": 5,
                "elder_visited_count": 3,
                "risk_count": 3,
                "risk_in_time_count": 1,
                "risk_late_count": 1,
                "risk_open_count": 1,
                "agreement_count": 2,
                "pairing_count": 2,
            },
        )
        self.assertEqual(report.visited_share, 60.0)
        self.assertEqual((report.interval_focus_days, report.interval_other_days), (30, 90))
        # The same elders as Annex 2's column 1.
        self.assertEqual(report.elder_count, summary._totals()["total_count"])

    def test_policy_in_force_and_recompute(self):
        summary, report = self._computed()
        # e_y is at risk since its visit 20 days before the cutoff: with a 14-day
        # interval it is no longer visited within it.
        self.env["ir.config_parameter"].sudo().set_param(
            "left_behind_elderly.visit_interval_focus", 14
        )
        # The pending risk is followed up, in time, on the next computation.
        self.v_open.township_report_date = datetime.combine(
            self.v_open.visit_date + timedelta(days=1), time(2)
        )
        self.env["lbe.visit.followup"].create(
            {
                "visit_id": self.v_open.id,
                "contact_name": "儿子",
                "contact_date": datetime.combine(self.v_open.visit_date, time(9)),
            }
        )
        summary.action_compute()
        self.assertEqual(report.interval_focus_days, 14)
        self.assertEqual(report.elder_visited_count, 2)
        self.assertEqual((report.risk_in_time_count, report.risk_open_count), (2, 0))
        self.assertEqual(
            len(self.env["lbe.visit.report"].search([("summary_id", "=", summary.id)])), 1
        )

    def test_narrative_required_then_locked_with_the_summary(self):
        summary, report = self._computed()
        as_county = report.with_user(self.sg_county_user)
        self.assertTrue(as_county.narrative_editable)
        with self._refused("巡访制度建设情况"):
            summary.action_submit()
        as_county.narrative = "   "
        with self._refused("巡访制度建设情况"):
            summary.action_submit()
        self.assertEqual(summary.state, "draft")
        as_county.narrative = NARRATIVE
        summary.action_submit()
        self.assertEqual(report.state, "submitted")
        as_county.invalidate_recordset()
        self.assertFalse(as_county.narrative_editable)
        with self._refused("locked"):
            as_county.narrative = "改写"
        # Returned, the county can change it again; accepted, it is locked.
        summary.with_user(self.sg_city_user).action_return("请补充巡访情况")
        as_county.narrative = NARRATIVE + "补充"
        summary.action_submit()
        summary.with_user(self.sg_city_user).action_accept()
        self.assertEqual(report.state, "accepted")
        with self._refused("locked"):
            as_county.narrative = "改写"
        self.assertEqual(report.narrative, NARRATIVE + "补充")

    def test_nil_return_needs_no_narrative(self):
        other = (self.sg_counties - self.sg_county)[0]
        summary, report = self._computed(other, self.user_manager)
        self.assertEqual((report.elder_count, report.visit_count), (0, 0))
        summary.action_submit()
        self.assertEqual(summary.state, "submitted")

    def test_who_writes_what(self):
        summary, report = self._computed()
        # The reviewers read it, and do not write it.
        as_city = report.with_user(self.sg_city_user)
        self.assertEqual(as_city.elder_count, 5)
        self.assertFalse(as_city.narrative_editable)
        with self.assertRaises(AccessError):
            as_city.narrative = "市里改写"
        # Their form shows the narrative read-only.
        arch = (
            self.env["lbe.visit.report"]
            .with_user(self.sg_city_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('readonly="not narrative_editable"', arch)
        action = summary.with_user(self.sg_city_user).action_open_visit_report()
        self.assertEqual((action["res_model"], action["res_id"]), ("lbe.visit.report", report.id))
        # Only the addon writes the figures, and reports are made by computing.
        as_county = report.with_user(self.sg_county_user)
        for vals in ({"visit_count": 99}, {"summary_id": summary.id}, {"period_end": "2000-01-01"}):
            with self.assertRaisesRegex(AccessError, "set by the application itself", msg=vals):
                as_county.write(vals)
        with self.assertRaises(AccessError):
            self.env["lbe.visit.report"].with_user(self.sg_county_user).create(
                {"summary_id": summary.id}
            )

    def test_demo_reports(self):
        """白云区's report went up with its summary and was accepted; 花都区's went up
        with its summary and waits for the city's review."""
        for xmlid, state in (
            ("lbe_summary_demo_baiyun", "accepted"),
            ("lbe_summary_demo_huadu", "submitted"),
        ):
            summary = self.env.ref(f"left_behind_elderly.{xmlid}")
            report = self._report(summary)
            self.assertEqual(report.state, state)
            self.assertIn("巡访", report.narrative)
            self.assertEqual(report.elder_count, summary._totals()["total_count"])
            # The demo's visits are dated from the day of the install: whether they
            # fall in the period depends on it.
            self.assertTrue(report.elder_count)
            self.assertTrue(report.computed_date)

    def test_each_tier_sees_its_area(self):
        _summary, report = self._computed()
        _baiyun, baiyun = self._computed(self.county, self.user_county)
        Report = self.env["lbe.visit.report"]
        domain = [("id", "in", (report | baiyun).ids)]
        for user, visible in (
            (self.sg_county_user, report),
            (self.sg_city_user, report),
            (self.user_county, baiyun),
            (self.user_city, baiyun),
            (self.user_province, report | baiyun),
            (self.user_manager, report | baiyun),
            (self.user_no_area, Report),
        ):
            self.assertEqual(
                set(Report.with_user(user).search(domain).ids), set(visible.ids), user.login
            )
        with self.assertRaises(AccessError):
            report.with_user(self.user_county).read(["narrative"])
        with self.assertRaises(AccessError):
            report.with_user(self.user_county).narrative = "越界"
        # Village and township staff have no summaries, nor their reports.
        for user in (self.user_village, self.user_township):
            with self.assertRaises(AccessError):
                Report.with_user(user).search([])

    def test_print(self):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed: cannot read the PDF text")
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:1")
        summary, report = self._computed()
        report.with_user(self.sg_county_user).narrative = NARRATIVE

        def printed(user):
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(user)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("left_behind_elderly.lbe_visit_report_pdf", report.ids)
            )
            self.assertEqual(kind, "pdf")
            return "".join(pdf_text(pdf).split()).translate(RADICALS)

        text = printed(self.sg_county_user)
        for words in (
            f"{self.year}年农村留守老年人巡访制度建设情况",
            "填报单位：韶关市武江区",
            "草稿",
            f"统计期间：{self.year - 1}年10月1日至{self.year}年9月30日",
            "重点关注和存在风险的留守老年人每30天至少巡访一次",
            "其他留守老年人每90天至少巡访一次",
            "登记在册的农村留守老年人5人，在规定间隔内巡访3人，占60.0%",
            "巡访发现存在风险3人次，其中7日内及时跟进",
            "有效的委托照顾协议2份，志愿者结对帮扶2对",
            "工作情况说明",
            NARRATIVE,
        ):
            self.assertIn(words, text)
        summary.action_submit()
        summary.with_user(self.sg_city_user).action_accept()
        text = printed(self.sg_city_user)
        self.assertNotIn("草稿", text)
        self.assertIn("填报单位：韶关市武江区", text)
        # Another county's staff cannot print it.
        with self.assertRaises(AccessError):
            printed(self.user_county)
