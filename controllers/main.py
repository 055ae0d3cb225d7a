from odoo import http
from odoo.http import content_disposition, request

from ..reports.annex_labels import ANNEX2_TITLE

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LbeSummaryController(http.Controller):
    @http.route(
        "/left_behind_elderly/summary/<int:summary_id>/annex2.xlsx", type="http", auth="user"
    )
    def summary_annex2_xlsx(self, summary_id):
        # As the logged-in user: the summaries' area rule decides.
        summary = request.env["lbe.summary"].browse(summary_id).exists()
        if not summary:
            raise request.not_found()
        summary.check_access("read")
        filename = f"{ANNEX2_TITLE}_{summary.year}_{summary.region_id.name}.xlsx"
        return request.make_response(
            summary._annex2_xlsx(),
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
