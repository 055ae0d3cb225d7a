import base64
import tempfile

from odoo import SUPERUSER_ID, Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.tiers import VILLAGE
from . import elder_import_columns as cols
from . import elder_import_sheet as sheets


class LbeElderImport(models.TransientModel):
    """Register elders from an Excel file in the template's columns (Annex 1's facts).

    The whole file is checked first, every problem listed by row and column; while
    any remains nothing is written. Otherwise every row is written in the one
    transaction, as the user (record rules and the area contract apply): new elders
    are created in batches and registered through the Register step, elders whose
    ID number is already in the user's area are updated (a tracked write) or skipped,
    as chosen. The file is kept on the wizard only (no attachment), which its creator
    alone reads.
    """

    _name = "lbe.elder.import"
    _description = "Import Elders from Excel"
    _inherit = ["lbe.wizard.mixin"]
    _rec_name = "filename"

    file = fields.Binary(string="Excel File", attachment=False)
    filename = fields.Char()
    existing_action = fields.Selection(
        [("update", "Update them"), ("skip", "Skip them")],
        string="Elders Already in Your Area",
        default="update",
        required=True,
        help="What to do with a row whose ID number is already in the ledger of your area: "
        "update the elder with the row's facts (the changes show in the elder's history), "
        "or leave the elder as it is.",
    )
    state = fields.Selection(
        [("upload", "Upload"), ("checked", "Checked"), ("done", "Imported")],
        default="upload",
        required=True,
        readonly=True,
    )
    row_count = fields.Integer(string="Rows Read", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    created_count = fields.Integer(string="New Elders", readonly=True)
    updated_count = fields.Integer(string="Updated Elders", readonly=True)
    skipped_count = fields.Integer(string="Skipped Rows", readonly=True)
    error_ids = fields.One2many(
        "lbe.elder.import.error", "import_id", string="Error List", readonly=True
    )

    # Rows between two progress notices.
    _progress_step = 5000

    @api.onchange("file")
    def _onchange_file(self):
        # Another file: what was found in the previous one no longer holds.
        self.update(
            {
                "state": "upload",
                "row_count": 0,
                "error_count": 0,
                "created_count": 0,
                "updated_count": 0,
                "skipped_count": 0,
                "error_ids": [Command.clear()],
            }
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_validate(self):
        """Check every row of the file; list the problems, write nothing else."""
        self.ensure_one()
        self._check_file()
        return self._reopen()

    def action_import(self):
        """Check the file again, and write all its rows if no problem is left."""
        self.ensure_one()
        # The rows as checked, kept on disk for the writing: the file is parsed
        # once, and a long file does not stay in memory.
        with tempfile.TemporaryFile() as checked:
            plan = self._check_file(checked)
            if not self.error_count:
                checked.seek(0)
                self._import(plan, checked)
        return self._reopen()

    def action_download_errors(self):
        self.ensure_one()
        # Like every button, refused on another user's import.
        self.check_access("read")
        return self.env.ref(
            "left_behind_elderly.lbe_elder_import_errors_report_xlsx"
        ).report_action(self)

    def action_download_template(self):
        self.ensure_one()
        self.check_access("read")
        return self.env.ref(
            "left_behind_elderly.lbe_elder_import_template_report_xlsx"
        ).report_action(self)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Import from Excel"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _open_sheet(self):
        """The sheet holding the template's header; one clear message otherwise."""
        if not self.file:
            raise UserError(_("Upload an Excel file (.xlsx) first."))
        try:
            return sheets.ImportSheet(base64.b64decode(self.file))
        except sheets.FileError as e:
            raise UserError(self._file_error_message(e)) from e

    @api.model
    def _file_error_message(self, error):
        if error.kind == "not_xlsx":
            return _(
                "The file is not an Excel workbook (.xlsx). Open it in Excel or WPS and save "
                "it as an Excel workbook (.xlsx), then upload it again."
            )
        if error.kind == "damaged":
            return _(
                "The file could not be read to the end: it may be damaged. Open it in Excel "
                "or WPS, save it again as an Excel workbook (.xlsx), then upload it again."
            )
        if error.kind == "empty":
            return _("The file is empty: fill in the template, one row per elder.")
        if error.kind == "missing":
            return _(
                "The header row lacks these columns of the template: %(columns)s. "
                "Download the template and keep its columns.",
                columns="、".join(error.missing),
            )
        return _(
            "No header row found: one of the first %(count)s rows of a sheet must hold "
            "the template's column headers (%(first)s, %(second)s, …). Download the template "
            "and fill it in.",
            count=sheets.HEADER_SCAN_ROWS,
            first=cols.HEADERS[0],
            second=cols.HEADERS[1],
        )

    def _notify_progress(self, message):
        """Tell the user how far a long file has come, while it runs.

        The main transaction is committed only at the end, so the notice goes
        through a cursor of its own; the web client shows it as a toast.
        """
        partner = self.env.user.partner_id
        with self.env.registry.cursor() as cr:
            # The bus's own machinery, which writes its messages as superuser;
            # the channel is named from the record, which is not read again.
            self.env(cr=cr, user=SUPERUSER_ID)["bus.bus"]._sendone(
                partner,
                "simple_notification",
                {"type": "info", "title": _("Import from Excel"), "message": message},
            )

    def _progress(self, done, total, message):
        if done % self._progress_step == 0:
            self._notify_progress(message % {"done": done, "total": total or "?"})

    @api.model
    def _own_villages(self):
        """The user's villages by code, in one query."""
        regions = self.env["lbe.region"].search_fetch(
            [("level", "=", VILLAGE), ("id", "child_of", self.env.user.lbe_region_ids.ids)],
            ["code"],
        )
        return {region.code: region.id for region in regions}
