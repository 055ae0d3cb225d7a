import base64

from odoo import _, fields, models
from odoo.exceptions import UserError


class LbeRegionImport(models.TransientModel):
    """Load another province's divisions from a CSV of the shipped file's columns."""

    _name = "lbe.region.import"
    _description = "Import Administrative Regions"
    _inherit = ["lbe.wizard.mixin"]

    file = fields.Binary(string="CSV File", required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        if not self.file:
            raise UserError(_("Choose a CSV file first."))
        count = self.env["lbe.region"]._load_csv(base64.b64decode(self.file))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%(count)s regions were imported.", count=count),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
