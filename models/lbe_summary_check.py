from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..annex import definition
from .lbe_summary_figures import behind_domain
from .tiers import COUNTY

# The relations of a failed check, as Annex 2's cross-checks forbid them.
RELATIONS = [("≠", "≠"), (">", ">"), ("<", "<")]


class LbeSummaryCheck(models.Model):
    """One failed cross-check (表间钩稽关系) of a yearly summary, by row: what the
    county clicks to see the elders behind it, or a city the summary below.

    Written by the summary's computation alone (lbe.summary._sync_checks), as
    superuser; it holds figures, no personal data, and belongs to its summary's area.
    """

    _name = "lbe.summary.check"
    _description = "Failed Cross-check of a Yearly Summary"
    _inherit = ["lbe.area.mixin"]
    _order = "summary_id, id"
    _lbe_area_field = "summary_region_id"

    summary_id = fields.Many2one(
        "lbe.summary", required=True, index=True, ondelete="cascade", readonly=True
    )
    # Stored so that the area rule is one indexed match, as for the summary's lines.
    summary_region_id = fields.Many2one(
        related="summary_id.region_id", store=True, index=True, string="Reporting Unit"
    )
    line_id = fields.Many2one(
        "lbe.summary.line",
        ondelete="cascade",
        readonly=True,
        help="The row of the form; empty for the total row.",
    )
    region_id = fields.Many2one(related="line_id.region_id", string="Sub-region")
    sub_summary_id = fields.Many2one(related="line_id.sub_summary_id")
    row_label = fields.Char(string="Row", readonly=True)
    column = fields.Integer(readonly=True)
    column_value = fields.Integer(string="Figure", readonly=True)
    relation = fields.Selection(RELATIONS, readonly=True)
    compared_columns = fields.Char(string="Compared With", readonly=True)
    compared_value = fields.Integer(string="Compared Figure", readonly=True)
    name = fields.Char(string="Cross-check", readonly=True)
    can_open = fields.Boolean(
        compute="_compute_can_open",
        help="The elders behind the figures (a county's summary) or the sub-region's "
        "summary (a city's or the province's) can be opened.",
    )

    @api.depends("summary_id.level", "line_id", "column", "relation", "compared_columns")
    def _compute_can_open(self):
        for check in self:
            if check.summary_id.level == COUNTY:
                check.can_open = bool(check._behind_columns())
            else:
                check.can_open = bool(check.sub_summary_id)

    def _behind_columns(self):
        """(column, compared columns) whose elders are behind this check, or None."""
        self.ensure_one()
        if self.column == 1 and self.relation == "≠":
            return 1, tuple(int(n) for n in self.compared_columns.split("+"))
        return None

    def action_open_elders(self):
        """The elders counted in one column and not in the others, for this row's
        township (the county's, for the total row) and year, each with the reason in
        words; for a city's or the province's summary, the summary below instead.
        The elders are read under the user's own rules."""
        self.ensure_one()
        self.check_access("read")
        summary = self.summary_id
        if summary.level != COUNTY:
            if not self.sub_summary_id:
                raise UserError(_("The sub-region has no summary for this year."))
            return {
                "type": "ir.actions.act_window",
                "res_model": "lbe.summary",
                "res_id": self.sub_summary_id.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        columns = self._behind_columns()
        if not columns:
            raise UserError(
                _("No elder of the ledger is behind this check: column 17 is entered by hand.")
            )
        column, compared = columns
        area = [("township_id", "=", self.region_id.id)] if self.line_id else []
        domain = expression.AND(
            [
                [("county_id", "=", summary.region_id.id)],
                area,
                behind_domain(summary.year, column, compared),
            ]
        )
        day = definition.cutoff(summary.year)
        return {
            "type": "ir.actions.act_window",
            "name": _("Elders Behind %(check)s", check=self.name),
            "res_model": "lbe.elder",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("left_behind_elderly.lbe_elder_view_list_behind_check").id, "list"),
                (False, "form"),
            ],
            "domain": domain,
            "context": {
                "lbe_summary_day": fields.Date.to_string(day),
                "lbe_summary_columns": list(compared),
                "create": False,
            },
        }
