from datetime import date

from lxml.builder import E

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..annex.annex2 import ANNEX2_TOTAL, COLUMNS, zh_date
from .lbe_summary_line import (
    COUNT_FIELDS,
    ENTERED_FIELD,
    SUMMARY_STATES,
)
from .tiers import CITY, COUNTY, MANAGER, PROVINCE

# Who reviews a summary: the unit one level up. The province is the top.
REVIEWER_LEVEL = {COUNTY: CITY, CITY: PROVINCE}
# Set by the action buttons only, after their checks.
FLOW_FIELDS = (
    "state",
    "computed_date",
    "submit_date",
    "submitted_by_id",
    "review_date",
    "return_reason",
)


class LbeSummary(models.Model):
    """The yearly summary table (Annex 2) of a county, a city or the province.

    A county computes its figures from the ledger; a city and the province take
    the accepted summaries of the units below them. Submitting freezes the
    figures, and the unit one level up accepts or returns the summary.
    """

    _name = "lbe.summary"
    _description = "Yearly Summary (Annex 2)"
    _inherit = ["mail.thread", "lbe.area.mixin"]
    _lbe_workflow_fields = FLOW_FIELDS
    _order = "year desc, region_id"

    name = fields.Char(compute="_compute_name", store=True)
    region_id = fields.Many2one(
        "lbe.region",
        string="Reporting Unit",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("level", "in", [PROVINCE, CITY, COUNTY])],
    )
    level = fields.Selection(related="region_id.level", store=True)
    year = fields.Integer(
        required=True,
        index=True,
        default=lambda self: fields.Date.context_today(self).year,
        help="Elders are counted as of 30 September of this year.",
    )
    state = fields.Selection(
        SUMMARY_STATES, default="draft", required=True, index=True, copy=False, tracking=True
    )
    line_ids = fields.One2many("lbe.summary.line", "summary_id", string="Lines", copy=False)
    computed_date = fields.Datetime(string="Computed On", readonly=True, copy=False)
    submit_date = fields.Datetime(string="Submitted On", readonly=True, copy=False, tracking=True)
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    review_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    return_reason = fields.Text(readonly=True, copy=False, tracking=True)
    deadline = fields.Date(
        compute="_compute_deadline",
        store=True,
        help="Summaries reach the province by the end of October.",
    )
    submitted_late = fields.Boolean(compute="_compute_submitted_late", store=True)
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        search="_search_is_late",
        help="Submitted after 31 October, or still not submitted after it.",
    )
    violations = fields.Text(string="Cross-check Violations", compute="_compute_violations")

    _sql_constraints = [
        (
            "region_year_unique",
            "unique(region_id, year)",
            "A unit has one summary per year.",
        ),
    ]

    @api.depends("year", "region_id.name")
    def _compute_name(self):
        for summary in self:
            summary.name = f"{summary.year} {summary.region_id.name or ''}".strip()

    @api.depends("year")
    def _compute_deadline(self):
        for summary in self:
            summary.deadline = date(summary.year, 10, 31) if summary.year else False

    @api.depends("submit_date", "deadline")
    def _compute_submitted_late(self):
        for summary in self:
            summary.submitted_late = bool(
                summary.submit_date
                and fields.Date.context_today(summary, summary.submit_date) > summary.deadline
            )

    @api.depends("state", "submitted_late", "deadline", "level")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for summary in self:
            if summary.level == PROVINCE:
                summary.is_late = False
            elif summary.state in ("submitted", "accepted"):
                summary.is_late = summary.submitted_late
            else:
                summary.is_late = bool(summary.deadline and summary.deadline < today)

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search late summaries with “is set” or “is not set”."))
        late = [
            "&",
            ("level", "!=", PROVINCE),
            "|",
            "&",
            ("state", "in", ["submitted", "accepted"]),
            ("submitted_late", "=", True),
            "&",
            ("state", "in", ["draft", "returned"]),
            ("deadline", "<", fields.Date.context_today(self)),
        ]
        return late if (operator == "=") == value else ["!", *late]

    @api.depends("line_ids.region_id", *(f"line_ids.{name}" for name in COUNT_FIELDS))
    def _compute_violations(self):
        for summary in self:
            summary.violations = "\n".join(summary._cross_check())

    @api.constrains("region_id")
    def _check_region_level(self):
        for summary in self:
            if summary.region_id.level not in (PROVINCE, CITY, COUNTY):
                raise ValidationError(
                    _(
                        "%(unit)s: summaries are made by counties, cities and the province.",
                        unit=summary.region_id.complete_name,
                    )
                )

    @api.constrains("year")
    def _check_year(self):
        this_year = fields.Date.context_today(self).year
        for summary in self:
            if not 2000 <= summary.year <= this_year:
                raise ValidationError(
                    _(
                        "The year %(year)s is not a reporting year (2000 to %(this_year)s).",
                        year=summary.year,
                        this_year=this_year,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        summaries = super().create(vals_list)
        summaries._check_preparer()
        return summaries

    def write(self, vals):
        if not self.env.su and {"region_id", "year"} & set(vals):
            raise UserError(
                _("The unit, year and status of a summary change only through its buttons.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open(self):
        for summary in self:
            if summary.state in ("submitted", "accepted"):
                raise UserError(
                    _(
                        "%(summary)s has been submitted: it cannot be deleted.",
                        summary=summary.display_name,
                    )
                )

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form":
            self._add_count_columns(arch)
        return arch, view

    @api.model
    def _add_count_columns(self, arch):
        """Put Annex 2's computed columns into the lines' list, in the form's order.

        The view holds the column typed in only; the others are taken from COLUMNS,
        read-only, and summed as it is (its sum label is translated already).
        """
        entered = arch.find(f".//field[@name='line_ids']/list/field[@name='{ENTERED_FIELD}']")
        if entered is None:
            return
        after = None
        for column in COLUMNS:
            if column.field == ENTERED_FIELD:
                after = entered
                continue
            node = E.field(name=column.field, readonly="1")
            if entered.get("sum"):
                node.set("sum", entered.get("sum"))
            if after is None:
                entered.addprevious(node)
            else:
                after.addnext(node)
                after = node

    # ------------------------------------------------------------------
    # Who may do what
    # ------------------------------------------------------------------
    def _user_tier(self):
        """The tier the user acts as: the highest of the user's groups."""
        return self.env.user._lbe_tier()

    def _check_preparer(self):
        """Only the unit's own tier prepares and submits its summary (managers too).

        The area is the record rules' business; this is about the level: a city
        officer, who sees the county summaries, must not fill them in.
        """
        tier = self._user_tier()
        for summary in self:
            if tier not in (MANAGER, summary.level):
                raise UserError(
                    _(
                        "%(summary)s is prepared and submitted by the staff of %(unit)s.",
                        summary=summary.display_name,
                        unit=summary.region_id.name,
                    )
                )

    def _check_reviewer(self):
        tier = self._user_tier()
        for summary in self:
            if summary.level not in REVIEWER_LEVEL:
                raise UserError(_("The province summary is not submitted to anyone."))
            if tier not in (MANAGER, REVIEWER_LEVEL[summary.level]):
                raise UserError(
                    _(
                        "%(summary)s is accepted or returned by the staff of %(unit)s.",
                        summary=summary.display_name,
                        unit=summary.region_id.parent_id.name,
                    )
                )

    def _check_open(self):
        for summary in self:
            if summary.state not in ("draft", "returned"):
                raise UserError(
                    _(
                        "%(summary)s has been submitted: its figures are frozen until it is "
                        "returned.",
                        summary=summary.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_compute(self):
        self.check_access("write")
        self._check_preparer()
        self._check_open()
        self._compute_lines()
        return True

    def action_submit(self):
        self.check_access("write")
        self._check_preparer()
        if self:
            # Workflow steps lock the summaries they depend on, the upper unit's
            # first, then the lower ones, each level in id order: of two steps that
            # overlap, one waits for the other, then fails with a serialization
            # error (transactions are REPEATABLE READ); Odoo retries it, and the
            # retry sees what the first step did.
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM lbe_summary WHERE id IN %s ORDER BY id FOR UPDATE",
                    tuple(self.ids),
                )
            )
        self._check_open()
        for summary in self:
            if summary.level not in REVIEWER_LEVEL:
                raise UserError(_("The province summary is not submitted to anyone."))
            if summary.level == CITY:
                # The city reports what its counties reported, as accepted.
                summary._check_sub_summaries_accepted()
                summary._compute_lines()
            elif not summary.computed_date:
                raise UserError(
                    _("Compute %(summary)s before submitting it.", summary=summary.display_name)
                )
            violations = summary._cross_check()
            if violations:
                raise UserError(
                    _(
                        "%(summary)s cannot be submitted until the cross-checks pass:\n"
                        "%(violations)s",
                        summary=summary.display_name,
                        violations="\n".join(violations),
                    )
                )
        self.sudo().write(
            {
                "state": "submitted",
                "submit_date": fields.Datetime.now(),
                "submitted_by_id": self.env.uid,
            }
        )
        return True

    def _check_sub_summaries_accepted(self):
        self.ensure_one()
        regions = self.env["lbe.region"].search([("parent_id", "=", self.region_id.id)])
        subs = self.search([("region_id", "in", regions.ids), ("year", "=", self.year)])
        if subs:
            # The city goes up with these summaries' figures: none may be returned
            # before this submission commits, nor have been since it started.
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM lbe_summary WHERE id IN %s ORDER BY id FOR UPDATE",
                    tuple(subs.ids),
                )
            )
        labels = dict(self._fields["state"]._description_selection(self.env))
        state_of = {sub.region_id: labels[sub.state] for sub in subs}
        not_created = _("not created")
        pending = [
            f"{region.name}（{state_of.get(region, not_created)}）"
            for region in regions - subs.filtered(lambda sub: sub.state == "accepted").region_id
        ]
        if pending:
            raise UserError(
                _(
                    "%(summary)s can be submitted once the summaries of all its units are "
                    "accepted. Not accepted yet: %(units)s",
                    summary=self.display_name,
                    units="、".join(pending),
                )
            )

    def action_accept(self):
        self.check_access("write")
        self._check_reviewer()
        for summary in self:
            if summary.state != "submitted":
                raise UserError(
                    _(
                        "%(summary)s has not been submitted: there is nothing to accept.",
                        summary=summary.display_name,
                    )
                )
        self.sudo().write({"state": "accepted", "review_date": fields.Datetime.now()})
        return True

    def action_return(self, reason=None):
        """Send a summary back to its unit, with the reason; without one, ask for it."""
        self.check_access("write")
        self._check_reviewer()
        # Lock the upper summaries before reading their state (see action_submit):
        # a submission of the upper unit and this return must not both go through.
        uppers = self.search(
            [
                ("region_id", "in", self.region_id.parent_id.ids),
                ("year", "in", list(set(self.mapped("year")))),
            ]
        )
        if uppers:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM lbe_summary WHERE id IN %s ORDER BY id FOR UPDATE",
                    tuple(uppers.ids),
                )
            )
        upper_of = {(upper.region_id, upper.year): upper for upper in uppers}
        for summary in self:
            if summary.state not in ("submitted", "accepted"):
                raise UserError(
                    _(
                        "%(summary)s has not been submitted: there is nothing to return.",
                        summary=summary.display_name,
                    )
                )
            upper = upper_of.get((summary.region_id.parent_id, summary.year), self.browse())
            if upper.state in ("submitted", "accepted"):
                raise UserError(
                    _(
                        "%(summary)s cannot be returned: %(upper)s, which reports its figures, "
                        "has been submitted already.",
                        summary=summary.display_name,
                        upper=upper.display_name,
                    )
                )
        if not (reason or "").strip():
            return {
                "type": "ir.actions.act_window",
                "name": _("Return the Summary"),
                "res_model": "lbe.summary.return",
                "view_mode": "form",
                "target": "new",
                "context": {"default_summary_ids": self.ids},
            }
        self.sudo().write(
            {"state": "returned", "return_reason": reason, "review_date": fields.Datetime.now()}
        )
        return True

    def action_export_xlsx(self):
        # Like every button, refused on records outside the user's area.
        self.check_access("read")
        # config=False: the form has its own layout, not the company's document layout.
        report = self.env.ref("left_behind_elderly.lbe_summary_annex2_report_xlsx")
        return report.report_action(self, config=False)

    # ------------------------------------------------------------------
    # The printed form
    # ------------------------------------------------------------------
    def _annex2_rows(self):
        """(label, [17 figures]) per line, then the total row."""
        self.ensure_one()
        rows = [
            (line.region_id.name, [line[name] for name in COUNT_FIELDS]) for line in self.line_ids
        ]
        totals = self._totals()
        return [*rows, (ANNEX2_TOTAL, [totals[name] for name in COUNT_FIELDS])]

    def _annex2_unit(self):
        """The unit as the form's header names it: the city, then the county if any."""
        self.ensure_one()
        if self.level == COUNTY:
            return f"{self.region_id.parent_id.name}{self.region_id.name}"
        return self.region_id.name

    def _annex2_date(self):
        self.ensure_one()
        return zh_date(fields.Date.context_today(self, self.submit_date or None))
