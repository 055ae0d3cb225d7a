from odoo import _, models
from odoo.exceptions import AccessError


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        # In debug mode Odoo names the refused records in the message; for
        # elders' data that would tell a user who lives in another area.
        if records._name in self.env["lbe.area.mixin"]._lbe_area_models():
            return AccessError(
                _(
                    "You may only see and change the records of your own area (%(model)s).",
                    model=self.env["ir.model"]._get(records._name).name,
                )
            )
        return super()._make_access_error(operation, records)
