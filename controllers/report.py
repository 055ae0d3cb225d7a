from odoo import http
from odoo.addons.report_xlsx.controllers.main import ReportController
from odoo.http import request

# The reports whose printing is written to the audit log (PIPL).
AUDITED_REPORTS = frozenset(
    {
        "left_behind_elderly.report_lbe_elder_annex1",
        "left_behind_elderly.report_lbe_ledger_xlsx",
    }
)


def _report_readonly(controller):
    """Reports are served in a read-only transaction (on the replica, when there
    is one), as Odoo has it, but those written to the audit log: on the primary,
    where the entry is written with the report and the wizard of a ledger export,
    created just before, already stands."""
    # /report/<converter>/<reportname>[/<docids>]
    parts = request.httprequest.path.split("/")
    return len(parts) < 4 or parts[3] not in AUDITED_REPORTS


class LbeReportController(ReportController):
    @http.route(readonly=_report_readonly)
    def report_routes(self, reportname, docids=None, converter=None, **data):
        return super().report_routes(reportname, docids=docids, converter=converter, **data)
