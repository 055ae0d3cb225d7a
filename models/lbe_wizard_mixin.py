from odoo import _, api, models
from odoo.exceptions import AccessError

from .masking import check_bulk_path, mask_onchange_lines


class LbeWizardMixin(models.AbstractModel):
    """The area contract of the addon's wizards (transient models).

    A wizard is its creator's alone (a record rule on `create_uid`), but the ORM
    reads what it points at as superuser: the display name of a many2one, a
    related or computed value. So a wizard, like a record of elders' data (see
    `lbe.area.mixin`), may only be given records the user can read: on create
    (defaults taken from the context included), on write and in an onchange,
    whose answer is checked too. The refusal names none of those records.
    Through its lines a wizard answers personal data as a read of them does,
    and it is not exported.
    """

    _name = "lbe.wizard.mixin"
    _description = "Area Contract of Wizards"

    @api.model_create_multi
    def create(self, vals_list):
        missing = [
            name
            for name, field in self._fields.items()
            if field.relational and any(name not in vals for vals in vals_list)
        ]
        defaults = self.default_get(missing) if missing else {}
        self.env["lbe.area.mixin"]._lbe_check_references(
            self, [{**defaults, **vals} for vals in vals_list]
        )
        return super().create(vals_list)

    def write(self, vals):
        self.env["lbe.area.mixin"]._lbe_check_references(self, [vals])
        return super().write(vals)

    def onchange(self, values, field_names, fields_spec):
        self.env["lbe.area.mixin"]._lbe_check_references(self, [values])
        result = super().onchange(values, field_names, fields_spec)
        self.env["lbe.area.mixin"]._lbe_check_references(self, [result.get("value") or {}])
        mask_onchange_lines(self, result.get("value") or {}, fields_spec)
        return result

    def mapped(self, func):
        if isinstance(func, str):
            check_bulk_path(self, func)
        return super().mapped(func)

    def export_data(self, fields_to_export):
        # Through its lines (elder_ids/id_number) an export would take elders'
        # data out unmasked and unlogged; a wizard is no list to export.
        if not self.env.su:
            raise AccessError(_("A wizard cannot be exported."))
        return super().export_data(fields_to_export)
