from odoo import fields, models


class LbeLedgerExport(models.TransientModel):
    """Ask which area's ledger to export as XLSX (the report
    `report.left_behind_elderly.report_lbe_ledger_xlsx` builds the file).

    The file holds elders' personal data: it is for county staff and up, shows
    ID and phone numbers masked unless full values are asked for, and every
    export is written to the audit log. Nothing is stored: the file is built
    when it is downloaded.
    """

    _name = "lbe.ledger.export"
    _description = "Export the Ledger of an Area"
    _inherit = ["lbe.wizard.mixin"]

    region_id = fields.Many2one(
        "lbe.region",
        string="Area",
        required=True,
        default=lambda self: self.env.user.lbe_region_ids[:1],
        domain=lambda self: [("id", "child_of", self.env.user.lbe_region_ids.ids)],
    )
    include_all = fields.Boolean(
        string="Include Draft and Exited Records",
        help="By default only the elders registered in the ledger are exported.",
    )
    full_values = fields.Boolean(
        string="Full ID and Phone Numbers",
        help="By default ID and phone numbers are masked (440111********3655, "
        "135****4309). Full values are for a stated need; the export is logged.",
    )

    def action_export(self):
        self.ensure_one()
        # Like every button, refused on another user's export.
        self.check_access("read")
        return self.env.ref("left_behind_elderly.lbe_ledger_export_report_xlsx").report_action(self)
