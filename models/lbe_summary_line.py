from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..annex.annex2 import COLUMN_OF, COLUMNS
from .tiers import CITY, PROVINCE

COUNT_FIELDS = [column.field for column in COLUMNS]
# Column 17 comes from registration statistics, not from the ledger.
ENTERED_FIELD = "rural_elderly_60_plus_count"
LEDGER_FIELDS = [name for name in COUNT_FIELDS if name != ENTERED_FIELD]
COLUMN_HELP = {
    ENTERED_FIELD: "All people aged 60 or more with rural household registration in the "
    "sub-region, left-behind or not. Entered by the reporting unit from registration statistics.",
}
SUMMARY_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("accepted", "Accepted"),
    ("returned", "Returned"),
]


def count_field(name, **kwargs):
    """The field of one column of the form, labelled with the column's number."""
    column = COLUMN_OF[name]
    return fields.Integer(string=f"{column.label} ({column.number})", **kwargs)


class LbeSummaryLine(models.Model):
    """One row of Annex 2: the figures of one direct sub-region of the reporting unit."""

    _name = "lbe.summary.line"
    _description = "Yearly Summary Line"
    _inherit = ["lbe.area.mixin"]
    _order = "summary_id, region_id"
    _lbe_area_field = "summary_region_id"
    _lbe_workflow_fields = tuple(LEDGER_FIELDS)

    summary_id = fields.Many2one("lbe.summary", required=True, index=True, ondelete="cascade")
    # Stored so that the area rule is one indexed match, as for elders.
    summary_region_id = fields.Many2one(
        related="summary_id.region_id", store=True, index=True, string="Reporting Unit"
    )
    state = fields.Selection(related="summary_id.state")
    region_id = fields.Many2one(
        "lbe.region", string="Sub-region", required=True, ondelete="restrict"
    )
    # The row's own short name (人和镇), not the five-level path of display_name.
    region_name = fields.Char(related="region_id.name", string="Unit")
    # One count per column of the form (annex/annex2.py's COLUMNS, in its order),
    # labelled with the column's number.
    total_count = count_field("total_count")
    age_60_79_count = count_field("age_60_79_count")
    age_80_plus_count = count_field("age_80_plus_count")
    both_spouses_alive_count = count_field("both_spouses_alive_count")
    one_spouse_alive_count = count_field("one_spouse_alive_count")
    healthy_count = count_field("healthy_count")
    disabled_count = count_field("disabled_count")
    ill_count = count_field("ill_count")
    one_child_count = count_field("one_child_count")
    two_children_count = count_field("two_children_count")
    three_plus_children_count = count_field("three_plus_children_count")
    children_away_count = count_field("children_away_count")
    income_children_wages_count = count_field("income_children_wages_count")
    income_farming_count = count_field("income_farming_count")
    income_government_aid_count = count_field("income_government_aid_count")
    income_other_count = count_field("income_other_count")
    rural_elderly_60_plus_count = count_field(ENTERED_FIELD, help=COLUMN_HELP[ENTERED_FIELD])
    sub_summary_id = fields.Many2one(
        "lbe.summary",
        compute="_compute_sub_summary",
        string="Sub-region's Summary",
        help="The summary the sub-region reported for the same year, if any.",
    )
    sub_summary_state = fields.Selection(
        [("missing", "Not created"), *SUMMARY_STATES],
        compute="_compute_sub_summary",
        string="Sub-region's Status",
    )

    _sql_constraints = [
        (
            "region_unique",
            "unique(summary_id, region_id)",
            "A summary has one line per sub-region.",
        ),
        (
            "counts_not_negative",
            "CHECK(" + " AND ".join(f"{name} >= 0" for name in COUNT_FIELDS) + ")",
            "The figures of a summary cannot be negative.",
        ),
    ]

    @api.depends("region_id", "summary_id.year", "summary_id.level")
    def _compute_sub_summary(self):
        # Townships report no summary: only city and province lines have one.
        upper = self.filtered(lambda line: line.summary_id.level in (CITY, PROVINCE))
        subs = self.env["lbe.summary"].search(
            [
                ("region_id", "in", upper.region_id.ids),
                ("year", "in", upper.summary_id.mapped("year")),
            ]
        )
        by_key = {(sub.region_id.id, sub.year): sub for sub in subs}
        for line in self:
            sub = by_key.get((line.region_id.id, line.summary_id.year))
            line.sub_summary_id = sub
            if sub:
                line.sub_summary_state = sub.state
            else:
                line.sub_summary_state = "missing" if line in upper else False

    def write(self, vals):
        # Only column 17 is typed in, by the unit preparing an open summary; the
        # computation writes the rest as superuser after its own checks.
        if not self.env.su:
            if set(vals) - {ENTERED_FIELD}:
                raise UserError(
                    _("Only column 17 is entered by hand; the other figures are computed.")
                )
            self.summary_id._check_open()
            self.summary_id._check_preparer()
        return super().write(vals)
