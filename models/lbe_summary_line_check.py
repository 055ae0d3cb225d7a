from odoo import models

from .lbe_summary_line import ENTERED_FIELD


class LbeSummaryLineCheck(models.Model):
    """Column 17, entered by hand, takes part in a cross-check: the failed checks
    of its summary follow it, however the line is written."""

    _inherit = "lbe.summary.line"

    def write(self, vals):
        result = super().write(vals)
        if ENTERED_FIELD in vals:
            self.summary_id._sync_checks()
        return result
