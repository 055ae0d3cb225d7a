import base64
from collections import defaultdict
from datetime import datetime

from odoo import _, models
from odoo.exceptions import UserError

from ..wizard import elder_import_columns as cols
from ..wizard import elder_import_sheet as sheets

ERROR_HEADER = "错误信息"


class ReportLbeElderImportErrors(models.AbstractModel):
    """The uploaded rows again, each with its problems in one more column, for
    the clerk to correct and upload again. Rows keep their numbers, so that the
    error list and the file point at the same rows."""

    _name = "report.left_behind_elderly.report_lbe_elder_import_errors"
    _inherit = "report.report_xlsx.abstract"
    _description = "Errors of an Excel Import of Elders"

    def get_workbook_options(self):
        # Rows are written in order: a file of 100,000 rows is streamed to disk.
        return {"constant_memory": True}

    def generate_xlsx_report(self, workbook, data, wizards):
        if len(wizards) != 1:
            raise UserError(_("Download the errors of one import at a time."))
        # The wizard, its file and its errors are its creator's alone (record rules).
        wizards.check_access("read")
        if not wizards.file:
            raise UserError(_("Upload an Excel file (.xlsx) first."))
        messages, bad_columns = defaultdict(list), defaultdict(set)
        for error in wizards.error_ids:
            messages[error.row].append(error.message)
            bad_columns[error.row].add(error.column)
        try:
            source = sheets.ImportSheet(base64.b64decode(wizards.file))
        except sheets.FileError as e:
            raise UserError(wizards._file_error_message(e)) from e
        try:
            self._write(workbook, source, messages, bad_columns)
        finally:
            source.close()

    @staticmethod
    def _write(book, source, messages, bad_columns):
        font = {"font_name": "宋体", "font_size": 11}
        kinds = {
            "text": "@",
            "number": "General",
            "date": "yyyy-mm-dd",
            "moment": "yyyy-mm-dd hh:mm",
        }
        # A format per kind of value, and its variant marking a cell in error.
        formats = {
            (kind, marked): book.add_format(
                {**font, "num_format": num_format, **({"bg_color": "#FFC7CE"} if marked else {})}
            )
            for kind, num_format in kinds.items()
            for marked in (False, True)
        }
        head = book.add_format({**font, "bold": True, "border": 1})
        message = book.add_format({**font, "font_color": "#C00000", "text_wrap": True})
        sheet = book.add_worksheet(source.sheet.title)
        error_col = len(source.header)
        index_of = {cols.HEADER_OF[key]: index for key, index in source.columns.items()}
        sheet.set_column(0, error_col - 1, 14)
        sheet.set_column(error_col, error_col, 60)
        for row_number, values in enumerate(source.all_rows(), start=1):
            row = row_number - 1
            if row_number == source.header_row:
                for col, value in enumerate(values):
                    sheet.write_string(row, col, cols.cell_text(value), head)
                sheet.write_string(row, error_col, ERROR_HEADER, head)
                continue
            marked = {index_of.get(column) for column in bad_columns.get(row_number, ())}
            for col, value in enumerate(values):
                is_bad = col in marked
                if value is None:
                    if is_bad:
                        sheet.write_blank(row, col, None, formats["text", True])
                elif isinstance(value, bool):
                    sheet.write_boolean(row, col, value, formats["number", is_bad])
                elif isinstance(value, int | float):
                    sheet.write_number(row, col, value, formats["number", is_bad])
                elif isinstance(value, datetime):
                    kind = "moment" if value.time() else "date"
                    sheet.write_datetime(row, col, value, formats[kind, is_bad])
                elif hasattr(value, "isoformat"):
                    sheet.write_datetime(row, col, value, formats["date", is_bad])
                else:
                    # As a string, even one that looks like a number or a formula.
                    sheet.write_string(row, col, str(value), formats["text", is_bad])
            if row_number in messages:
                sheet.write_string(row, error_col, "；".join(messages[row_number]), message)
        sheet.freeze_panes(source.header_row, 0)
