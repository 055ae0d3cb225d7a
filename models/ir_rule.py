from odoo import _, models
from odoo.exceptions import AccessError


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        # In debug mode Odoo names the refused records in the message; for
        # elders' data that would tell a user who lives in another area, for a
        # wizard what another user is doing (the file they import).
        model = self.env["ir.model"]._get(records._name).name
        if records._name in self.env["lbe.area.mixin"]._lbe_area_models():
            failing = self._get_failing(records, mode=operation)
            if operation == "unlink" and not failing.filtered("global"):
                # Within the area, refused by the delete rules of the ledger tiers.
                return AccessError(
                    _(
                        "Once an elder is registered, only managers delete their records "
                        "(%(model)s); before that, the ledger staff may.",
                        model=model,
                    )
                )
            return AccessError(
                _(
                    "You may only see and change the records of your own area (%(model)s).",
                    model=model,
                )
            )
        if records._name in self.env.registry.descendants(["lbe.wizard.mixin"], "_inherit"):
            return AccessError(_("You may only see and change your own %(model)s.", model=model))
        return super()._make_access_error(operation, records)
