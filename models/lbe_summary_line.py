from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Annex 2's numbered columns and the fields holding them, in the form's order.
COLUMNS = [
    (1, "total_count"),
    (2, "age_60_79_count"),
    (3, "age_80_plus_count"),
    (4, "both_spouses_alive_count"),
    (5, "one_spouse_alive_count"),
    (6, "healthy_count"),
    (7, "disabled_count"),
    (8, "ill_count"),
    (9, "one_child_count"),
    (10, "two_children_count"),
    (11, "three_plus_children_count"),
    (12, "children_away_count"),
    (13, "income_children_wages_count"),
    (14, "income_farming_count"),
    (15, "income_government_aid_count"),
    (16, "income_other_count"),
    (17, "rural_elderly_60_plus_count"),
]
COUNT_FIELDS = [name for _number, name in COLUMNS]
# Column 17 comes from registration statistics, not from the ledger.
ENTERED_FIELD = "rural_elderly_60_plus_count"
LEDGER_FIELDS = [name for name in COUNT_FIELDS if name != ENTERED_FIELD]
SUMMARY_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("accepted", "Accepted"),
    ("returned", "Returned"),
]


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
    total_count = fields.Integer(string="Left-behind Elders (1)")
    age_60_79_count = fields.Integer(string="Aged 60-79 (2)")
    age_80_plus_count = fields.Integer(string="Aged 80+ (3)")
    both_spouses_alive_count = fields.Integer(string="Both Spouses Alive (4)")
    one_spouse_alive_count = fields.Integer(string="One Spouse Alive (5)")
    healthy_count = fields.Integer(string="Healthy (6)")
    disabled_count = fields.Integer(string="Disabled (7)")
    ill_count = fields.Integer(string="Ill (8)")
    one_child_count = fields.Integer(string="One Child (9)")
    two_children_count = fields.Integer(string="Two Children (10)")
    three_plus_children_count = fields.Integer(string="Three or More Children (11)")
    children_away_count = fields.Integer(string="Children Away a Year or More (12)")
    income_children_wages_count = fields.Integer(string="Income: Children's Wages (13)")
    income_farming_count = fields.Integer(string="Income: Farming (14)")
    income_government_aid_count = fields.Integer(string="Income: Government Assistance (15)")
    income_other_count = fields.Integer(string="Income: Other (16)")
    rural_elderly_60_plus_count = fields.Integer(
        string="Rural Residents Aged 60+ (17)",
        help="All people aged 60 or more with rural household registration in the sub-region, "
        "left-behind or not. Entered by the reporting unit from registration statistics.",
    )
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
        upper = self.filtered(lambda line: line.summary_id.level in ("city", "province"))
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
