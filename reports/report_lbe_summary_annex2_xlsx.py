import re

from odoo import models

from ..annex.annex2 import (
    ANNEX2_NOTES,
    ANNEX2_ROW_HEAD,
    ANNEX2_SIGNATURES,
    ANNEX2_TITLE,
    COLUMN_GROUPS,
    COLUMNS,
)

# What Excel refuses in a sheet name, and its length limit.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


def unique_sheet_name(name, taken):
    """name made valid for Excel and unlike the (lowercased) names in taken, which it joins."""
    base = SHEET_NAME_FORBIDDEN.sub(" ", name).strip("' ")[:SHEET_NAME_MAX] or "Sheet"
    candidate, number = base, 1
    # Excel compares sheet names without case.
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


class ReportLbeSummaryAnnex2Xlsx(models.AbstractModel):
    """The summary table (Annex 2) as an XLSX workbook laid out as the printed form,
    one sheet per summary."""

    _name = "report.left_behind_elderly.report_lbe_summary_annex2_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Summary Table (Annex 2) (XLSX)"

    def generate_xlsx_report(self, workbook, data, summaries):
        # As the user, whatever model the context names: the summaries' area rule
        # decides, as for the PDF.
        summaries = self.env["lbe.summary"].browse(summaries.ids)
        summaries.check_access("read")
        formats = self._formats(workbook)
        taken = set()
        for summary in summaries:
            name = unique_sheet_name(f"{summary.year} {summary.region_id.name}", taken)
            self._write_sheet(workbook.add_worksheet(name), formats, summary)

    def _formats(self, book):
        font = {"font_name": "宋体", "font_size": 10}
        return {
            "title": book.add_format({**font, "bold": True, "font_size": 16, "align": "center"}),
            "plain": book.add_format(font),
            "head": book.add_format(
                {**font, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
            ),
            "label": book.add_format({**font, "border": 1}),
            "number": book.add_format({**font, "border": 1, "num_format": "0"}),
        }

    def _write_sheet(self, sheet, formats, summary):
        title, plain, head = formats["title"], formats["plain"], formats["head"]
        last = COLUMNS[-1].number
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, last, 8)
        sheet.set_row(3, 90)

        sheet.merge_range(1, 0, 1, 5, f"地市（盖章）：{summary._annex2_unit()}", plain)
        sheet.merge_range(1, 6, 1, 8, summary._annex2_year(), plain)
        sheet.merge_range(1, 9, 1, last, f"填报时间：{summary._annex2_date()}", plain)
        marks = summary._annex2_marks()
        if marks:
            # Beside the title, where a stamp would go: the sheet is not final.
            sheet.set_header(f'&R&"宋体,Bold"&14{" ".join(marks)}')
            sheet.merge_range(0, 0, 0, last, f"{ANNEX2_TITLE}（{'，'.join(marks)}）", title)
        else:
            sheet.merge_range(0, 0, 0, last, ANNEX2_TITLE, title)
        sheet.merge_range(2, 0, 3, 0, ANNEX2_ROW_HEAD, head)
        for group, columns in COLUMN_GROUPS:
            if group is None:
                sheet.merge_range(2, columns[0].number, 3, columns[0].number, columns[0].text, head)
                continue
            sheet.merge_range(2, columns[0].number, 2, columns[-1].number, group, head)
            for column in columns:
                sheet.write_string(3, column.number, column.text, head)
        sheet.write_blank(4, 0, None, head)
        for column in COLUMNS:
            sheet.write_number(4, column.number, column.number, head)
        row = 5
        for text, figures in summary._annex2_rows():
            sheet.write_string(row, 0, text, formats["label"])
            for column, figure in zip(COLUMNS, figures, strict=True):
                sheet.write_number(row, column.number, figure, formats["number"])
            row += 1
        sheet.write_string(row + 1, 0, ANNEX2_SIGNATURES[0], plain)
        sheet.write_string(row + 1, 9, ANNEX2_SIGNATURES[1], plain)
        for offset, note in enumerate(ANNEX2_NOTES, start=3):
            sheet.write_string(row + offset, 0, note, plain)
