from odoo import fields, models

from ..models.lbe_elder import EXIT_REASONS


class LbeElderExit(models.TransientModel):
    """Ask for the reason when elders leave the ledger; nobody but managers deletes."""

    _name = "lbe.elder.exit"
    _description = "Exit Elders from the Ledger"
    _inherit = ["lbe.wizard.mixin"]

    elder_ids = fields.Many2many(
        "lbe.elder", default=lambda self: self.env.context.get("active_ids"), required=True
    )
    exit_reason = fields.Selection(EXIT_REASONS, required=True)
    exit_date = fields.Date(default=fields.Date.context_today, required=True)
    exit_note = fields.Char()

    def action_confirm(self):
        self.elder_ids.action_exit(self.exit_reason, self.exit_date, self.exit_note)
        return {"type": "ir.actions.act_window_close"}
