from odoo import fields, models


class LbeSummaryReturn(models.TransientModel):
    """Ask the reviewing unit why it sends summaries back."""

    _name = "lbe.summary.return"
    _description = "Return Yearly Summaries"
    _inherit = ["lbe.wizard.mixin"]

    summary_ids = fields.Many2many("lbe.summary", required=True)
    reason = fields.Text(required=True, help="What the reporting unit must correct.")

    def action_confirm(self):
        self.summary_ids.action_return(self.reason)
        return {"type": "ir.actions.act_window_close"}
