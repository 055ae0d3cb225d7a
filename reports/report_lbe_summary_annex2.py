from odoo import api, models

from ..annex.annex2 import (
    ANNEX2_NOTES,
    ANNEX2_ROW_HEAD,
    ANNEX2_SIGNATURES,
    ANNEX2_TITLE,
    COLUMN_GROUPS,
    COLUMNS,
)


def header_rows():
    """The form's two header rows, as cells (text, colspan, rowspan)."""
    top, bottom = [(ANNEX2_ROW_HEAD, 1, 2)], []
    for group, columns in COLUMN_GROUPS:
        if group is None:
            top.append((columns[0].text, 1, 2))
        else:
            top.append((group, len(columns), 1))
            bottom.extend((column.text, 1, 1) for column in columns)
    return top, bottom


class ReportLbeSummaryAnnex2(models.AbstractModel):
    """Values of the summary table (Annex 2), one summary per landscape page."""

    _name = "report.left_behind_elderly.report_lbe_summary_annex2"
    _description = "Summary Table (Annex 2)"

    @api.model
    def _get_report_values(self, docids, data=None):
        summaries = self.env["lbe.summary"].browse(docids)
        summaries.check_access("read")
        top, bottom = header_rows()
        return {
            "doc_ids": docids,
            "doc_model": "lbe.summary",
            "docs": summaries,
            "title": ANNEX2_TITLE,
            "header_top": top,
            "header_bottom": bottom,
            "column_numbers": [column.number for column in COLUMNS],
            "notes": ANNEX2_NOTES,
            "signatures": ANNEX2_SIGNATURES,
        }
