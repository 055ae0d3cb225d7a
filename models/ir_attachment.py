from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


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
        query = super()._search(domain, offset, limit, order)
        # Field attachments are found only by id or res_field, as Odoo hides them otherwise.
        if self.env.su or not any(
            isinstance(leaf, list | tuple) and leaf[0] in ("id", "res_field") for leaf in domain
        ):
            return query
        found = self.browse(query)
        forbidden = found._lbe_forbidden_fields()
        if not forbidden:
            return query
        return (found - forbidden)._as_query(order)
