from odoo import api, models


class ReportLbeVisitReport(models.AbstractModel):
    """Values of the visit system report (巡访制度建设情况), one per page."""

    _name = "report.left_behind_elderly.report_lbe_visit_report"
    _description = "Visit System Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        reports = self.env["lbe.visit.report"].browse(docids)
        reports.check_access("read")
        return {"doc_ids": docids, "doc_model": "lbe.visit.report", "docs": reports}
