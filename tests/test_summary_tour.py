from odoo.tests import tagged

from .common import LbeSummaryTourCommon, load_chinese


@tagged("post_install", "-at_install")
class TestSummaryTour(LbeSummaryTourCommon):
    """The summaries' part of the year alone, with a county officer of the test's own
    (tests/test_year_tour.py runs it after the rest of the year)."""

    def test_the_year_through_the_screens(self):
        load_chinese(self.env)
        county = self.env["lbe.region"].search([("code", "=", "440203")])
        officer = self._summary_user("lbe_tour_wj", "武江区民政干部", "county", county)
        self._summary_year(officer)
        self._summaries_through_the_screens()
