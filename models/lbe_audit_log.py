from odoo import _, api, fields, models
from odoo.exceptions import UserError

AUDIT_ACTIONS = [
    ("export", "Export of elders' data"),
    ("full_export", "Export with full ID and phone numbers"),
    ("print_annex1", "Registration form (Annex 1) printed"),
    ("staff_areas", "Served areas or tier changed"),
    ("region_change", "Administrative region changed"),
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
    res_model_name = fields.Char(
        string="Record Type",
        compute="_compute_res_model_name",
        help="The kind of records concerned.",
    )
    res_ids = fields.Text(string="Record IDs", readonly=True)
    record_count = fields.Integer(string="Records", readonly=True)
    detail = fields.Text(readonly=True, help="The fields exported, or the report printed.")

    @api.depends_context("lang")
    @api.depends("res_model")
    def _compute_res_model_name(self):
        # A manager reads 老人, not lbe.elder: the model's description, translated.
        for entry in self:
            entry.res_model_name = (
                self.env["ir.model"]._get(entry.res_model).name or entry.res_model or False
            )

    @api.model
    def _log(self, action, records, detail=None, region=None):
        """Record that the current user took `records` out, as `action`; the
        entry's area is `region` when given (users and regions have no area
        field), else the smallest area holding the records.

        The entry is written in the current transaction: the audited reports
        are served read/write (controllers/report.py). In a read-only one (on
        the replica) it is written through a read/write cursor of its own,
        committed at once; Odoo's test cursors cannot open one within a
        read-only one that has read anything."""
        if not self.env.cr.readonly:
            return self._lbe_write_entry(action, records, detail, region)
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr)
            entry = self.with_env(env)._lbe_write_entry(
                action, records.with_env(env), detail, region and region.with_env(env)
            )
        return self.browse(entry.id)

    @api.model
    def _lbe_write_entry(self, action, records, detail, region):
        return self.sudo().create(
            {
                "user_id": self.env.uid,
                "region_id": (
                    region
                    if region is not None
                    else records.sudo()[records._lbe_area_field]._lbe_common_ancestor()
                ).id,
                "action": action,
                "res_model": records._name,
                "res_ids": ",".join(str(i) for i in records.ids),
                "record_count": len(records),
                "detail": detail,
            }
        )

    def write(self, vals):
        if vals:
            raise UserError(_("The audit log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("The audit log cannot be deleted."))
