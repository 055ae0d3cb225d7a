from odoo import api, fields, models

from ..annex import definition
from ..annex.annex1 import LABELS

# The columns whose group leaves an elder out for want of a fact of Annex 1 (the
# health, the other such fact, is required of every record).
MISSING_FACT_COLUMNS = {"spouse_status": {4, 5}}
# The columns that follow the definition's children (9 to 11: how many; 12: away).
CHILDREN_COLUMNS = {9, 10, 11, 12}


class LbeElderDefinition(models.Model):
    """Why an elder of a failed cross-check is counted in one column of the yearly
    summary and not in the others, in words."""

    _inherit = "lbe.elder"

    summary_reason = fields.Char(
        string="Why Not Counted",
        compute="_compute_summary_reason",
        help="Why the elder is counted in column 1 of the summary and not in the "
        "columns compared with it, as of 30 September of its year.",
    )

    # The summary's day and the columns compared come from the context of the
    # action listing the elders (lbe.summary.check.action_open_elders).
    @api.depends("birth_date", "spouse_status", "child_ids.away_since")
    @api.depends_context("lbe_summary_day", "lbe_summary_columns")
    def _compute_summary_reason(self):
        day = fields.Date.to_date(self.env.context.get("lbe_summary_day"))
        columns = set(self.env.context.get("lbe_summary_columns") or ())
        for elder in self:
            elder.summary_reason = elder._summary_reasons(day, columns) if day else False

    def _summary_reasons(self, day, columns):
        """The reasons, in words, that leave this elder out of `columns` on `day`."""
        self.ensure_one()
        reasons = [
            f"{LABELS[key]}未填写"
            for key, fact_columns in MISSING_FACT_COLUMNS.items()
            if columns & fact_columns and not self[key]
        ]
        if columns & CHILDREN_COLUMNS:
            problems = self._definition_problems(day)
            if problems:
                reasons.append(definition.words(problems, day))
        return "；".join(reasons)
