from psycopg2.errors import ReadOnlySqlTransaction

from odoo import _, api, fields, models
from odoo.exceptions import UserError

AUDIT_ACTIONS = [
    ("export", "Export of elders' data"),
    ("full_export", "Export with full ID and phone numbers"),
    ("print_annex1", "Registration form (Annex 1) printed"),
]


class LbeAuditLog(models.Model):
    """Who took elders' personal data out of the application, when, and which.

    PIPL asks that processing of sensitive personal information be traceable.
    Entries are written by the application only; managers read them; nobody
    edits or deletes them.
    """

    _name = "lbe.audit.log"
    _description = "Audit Log of Personal Data"
    _inherit = ["lbe.area.mixin"]
    _order = "id desc"
    _rec_name = "action"

    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    region_id = fields.Many2one(
        "lbe.region",
        string="Area",
        readonly=True,
        index=True,
        help="The smallest area holding every record concerned: the managers of that area "
        "read the entry.",
    )
    action = fields.Selection(AUDIT_ACTIONS, required=True, readonly=True, index=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_ids = fields.Text(string="Record IDs", readonly=True)
    record_count = fields.Integer(string="Records", readonly=True)
    detail = fields.Text(readonly=True, help="The fields exported, or the report printed.")

    @api.model
    def _log(self, action, records, detail=None):
        """Record that the current user took `records` out, as `action`."""
        if self.env.cr.readonly:
            # A report is served in a read-only transaction first; Odoo runs it
            # again in a read/write one when it writes, as logging must.
            raise ReadOnlySqlTransaction("the audit log is written on a read/write cursor")
        return self.sudo().create(
            {
                "user_id": self.env.uid,
                "region_id": self._lbe_common_area(records).id,
                "action": action,
                "res_model": records._name,
                "res_ids": ",".join(str(i) for i in records.ids),
                "record_count": len(records),
                "detail": detail,
            }
        )

    @api.model
    def _lbe_common_area(self, records):
        """The smallest region holding the areas of all `records`."""
        paths = [
            area.parent_path.split("/")[:-1] for area in records.sudo()[records._lbe_area_field]
        ]
        common = []
        for ancestors in zip(*paths, strict=False):
            if len(set(ancestors)) > 1:
                break
            common.append(ancestors[0])
        return self.env["lbe.region"].browse(int(common[-1]) if common else [])

    def write(self, vals):
        if vals:
            raise UserError(_("The audit log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("The audit log cannot be deleted."))
