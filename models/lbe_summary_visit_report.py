from odoo import _, models
from odoo.exceptions import UserError

from .tiers import COUNTY


class LbeSummaryVisitReport(models.Model):
    """A county summary's visit system report (lbe.visit.report): computed with
    the summary, required to carry the county's narrative before submitting."""

    _inherit = "lbe.summary"

    def action_compute(self):
        result = super().action_compute()
        self.env["lbe.visit.report"]._lbe_refresh(self)
        return result

    def action_submit(self):
        self.check_access("write")
        self._check_preparer()
        self._check_visit_report_narrative()
        return super().action_submit()

    def _check_visit_report_narrative(self):
        """A county with registered elders describes how its visits work before
        its summary goes up; a nil return (no elders) has nothing to describe."""
        reports = self.env["lbe.visit.report"].search(
            [("summary_id", "in", self.filtered(lambda s: s.level == COUNTY).ids)]
        )
        for report in reports:
            if report.elder_count and not (report.narrative or "").strip():
                raise UserError(
                    _(
                        "%(summary)s cannot be submitted yet: write the county's account of its "
                        "regular visits in the visit system report (巡访制度建设情况) first.",
                        summary=report.summary_id.display_name,
                    )
                )

    def action_open_visit_report(self):
        """Open the county's visit system report, read-only for its reviewers."""
        self.ensure_one()
        self.check_access("read")
        if self.level != COUNTY:
            raise UserError(_("Only county summaries have a visit system report."))
        report = self.env["lbe.visit.report"].search([("summary_id", "=", self.id)])
        if not report:
            raise UserError(
                _(
                    "%(summary)s has not been computed yet: its visit system report is made "
                    "when it is.",
                    summary=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Visit System Report"),
            "res_model": "lbe.visit.report",
            "res_id": report.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
