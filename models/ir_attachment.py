from collections import defaultdict

from odoo import _, api, models, tools
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL

from .lbe_area_mixin import domain_fields


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # Odoo checks the groups of a binary field when the field is read through
    # its record, but not when its attachment is read by id (/web/content/<id>,
    # read(['datas'])): a scanned agreement would be open to those who may not
    # read the numbers printed on it. These two overrides apply the field's groups.

    def _lbe_forbidden_fields(self):
        """The attachments of `self` that hold a binary field the user may not read."""
        if self.env.su or not self._ids:
            return self.browse()
        ids = tuple(i for i in self._ids if isinstance(i, int))
        if not ids:
            return self.browse()
        rows = self.env.execute_query(
            SQL(
                "SELECT id, res_model, res_field FROM ir_attachment"
                " WHERE id IN %s AND res_field IS NOT NULL",
                ids,
            )
        )
        return self.browse(
            id_
            for id_, res_model, res_field in rows
            if res_model in self.env
            and res_field in self.env[res_model]._fields
            and not self.env[res_model]._fields[res_field].is_accessible(self.env)
        )

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result:
            return result
        forbidden = self._lbe_forbidden_fields()
        if forbidden:
            return forbidden, lambda: AccessError(
                _("Sorry, you are not allowed to access this document.")
            )
        return None

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Odoo shows field attachments only to a search by id or res_field (or
        # told to): leave out those of fields the user may not read in the
        # search itself, so that the limit counts what the user gets.
        if not self.env.su and (
            self.env.context.get("skip_res_field_check")
            or {"id", "res_field"} & domain_fields(self, domain)[self._name]
        ):
            hidden = defaultdict(list)
            for model_name, field_name in self._lbe_guarded_fields():
                if not self.env[model_name]._fields[field_name].is_accessible(self.env):
                    hidden[model_name].append(field_name)
            if hidden:
                domain = expression.AND(
                    [
                        domain,
                        *(
                            ["|", ("res_model", "!=", model_name), ("res_field", "not in", names)]
                            for model_name, names in hidden.items()
                        ),
                    ]
                )
        return super()._search(domain, offset, limit, order)

    @api.model
    @tools.ormcache()
    def _lbe_guarded_fields(self):
        """(model, field) of the binary fields kept as attachments that only
        some groups may read."""
        return tuple(
            (model_name, name)
            for model_name, model in self.env.registry.items()
            for name, field in model._fields.items()
            if field.type == "binary" and field.attachment and field.groups
        )
