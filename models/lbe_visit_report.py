"""The county's second yearly report (巡访制度建设情况): how its regular visits
work, computed from the data beside Annex 2 and sent up with the summary."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..annex import definition
from ..annex.annex1 import zh_date
from .lbe_summary_figures import counted_domain
from .tiers import COUNTY, MANAGER, TOWNSHIP, VILLAGE

# A risk found by a visit is followed up in time when, by the end of this many
# days after the visit (China's clock), the township has been told and a
# supporter notified (a notification on the family portal once acknowledged),
# the two steps of lbe.visit's follow-up.
FOLLOWUP_DAYS = 7
TIMEZONE = "Asia/Shanghai"
# The visitor's tier a visit is counted under; the higher tiers and users
# without a tier are "other".
VISITOR_TIERS = (VILLAGE, TOWNSHIP, COUNTY)
METHODS = ("home", "phone", "video")
FIGURE_FIELDS = (
    "period_start",
    "period_end",
    "as_of_date",
    "interval_focus_days",
    "interval_other_days",
    "visit_count",
    *(f"visit_{method}_count" for method in METHODS),
    *(f"visit_{tier}_count" for tier in VISITOR_TIERS),
    "visit_other_tier_count",
    "elder_count",
    "elder_visited_count",
    "risk_count",
    "risk_in_time_count",
    "risk_late_count",
    "risk_open_count",
    "agreement_count",
    "pairing_count",
    "computed_date",
)


def local_date(column):
    """The date in China of a UTC timestamp column."""
    return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", column, TIMEZONE)


class LbeVisitReport(models.Model):
    """How a county's regular visits work (巡访制度建设情况), one per county summary.

    The action plan asks each county to report it with Annex 2 by 31 October. Its
    figures are computed with the summary (`lbe.summary.action_compute`), as
    superuser over the county's data, and stored; the county adds its narrative
    while the summary is open. It has no workflow of its own: it is submitted,
    returned, accepted and printed with its summary.

    Definitions, for the summary's year Y:
    - the period is the statistical year that ends on the day Annex 2 counts
      elders: 1 October Y-1 to 30 September Y (`period_start`, `period_end`);
    - the visits are the completed visits dated in the period of elders of the
      county, by method and by the visitor's tier (as the user is now);
    - the registered elders are those of Annex 2's column 1 (`counted_domain`);
      one is visited within their interval when a completed visit lies within
      the policy's interval (key-focus or at-risk elders, other elders; as the
      elder stands now) before `as_of_date`, 30 September Y or today if earlier;
    - a risk is a completed visit of the period that found a high or a safety
      risk; followed up in time, late or not yet: see FOLLOWUP_DAYS;
    - agreements in force: active or since expired, started on or before
      `as_of_date` and ending on or after it; pairings likewise, started and not
      ended before it.
    """

    _name = "lbe.visit.report"
    _description = "Visit System Report"
    _inherit = ["lbe.area.mixin"]
    _order = "year desc, region_id"
    _lbe_workflow_fields = ("summary_id", *FIGURE_FIELDS)

    summary_id = fields.Many2one(
        "lbe.summary",
        string="Yearly Summary",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    # Stored so that the area rule is one indexed match, as for the summary.
    region_id = fields.Many2one(
        related="summary_id.region_id", store=True, index=True, string="Reporting Unit"
    )
    year = fields.Integer(related="summary_id.year", store=True, aggregator=False)
    state = fields.Selection(related="summary_id.state", string="Summary Status")
    name = fields.Char(related="summary_id.name")
    narrative = fields.Text(
        string="How the County's Visits Work",
        help="The county's own account: how visits are organised (county, townships, "
        "villages), who visits, training, checks, problems and next steps.",
    )
    narrative_editable = fields.Boolean(compute="_compute_narrative_editable")

    # The figures, written by _lbe_refresh only.
    computed_date = fields.Datetime(string="Computed On", readonly=True)
    period_start = fields.Date(readonly=True)
    period_end = fields.Date(readonly=True)
    as_of_date = fields.Date(
        string="In Force On",
        readonly=True,
        help="30 September of the year, or the day of the computation if earlier.",
    )
    interval_focus_days = fields.Integer(string="Interval, Key-focus and At-risk", readonly=True)
    interval_other_days = fields.Integer(string="Interval, Other Elders", readonly=True)
    visit_count = fields.Integer(string="Visits", readonly=True)
    visit_home_count = fields.Integer(string="Home Visits", readonly=True)
    visit_phone_count = fields.Integer(string="Phone Calls", readonly=True)
    visit_video_count = fields.Integer(string="Video Calls", readonly=True)
    visit_village_count = fields.Integer(string="By Village Staff", readonly=True)
    visit_township_count = fields.Integer(string="By Township Staff", readonly=True)
    visit_county_count = fields.Integer(string="By County Staff", readonly=True)
    visit_other_tier_count = fields.Integer(string="By Other Staff", readonly=True)
    elder_count = fields.Integer(string="Registered Elders", readonly=True)
    elder_visited_count = fields.Integer(string="Visited Within Their Interval", readonly=True)
    visited_share = fields.Float(
        string="Share Visited Within Their Interval (%)",
        compute="_compute_visited_share",
        digits=(5, 1),
    )
    risk_count = fields.Integer(string="Risks Found", readonly=True)
    risk_in_time_count = fields.Integer(string="Followed Up in Time", readonly=True)
    risk_late_count = fields.Integer(string="Followed Up Late", readonly=True)
    risk_open_count = fields.Integer(string="Not Followed Up Yet", readonly=True)
    agreement_count = fields.Integer(string="Care Agreements in Force", readonly=True)
    pairing_count = fields.Integer(string="Volunteer Pairings in Force", readonly=True)

    _sql_constraints = [
        ("summary_unique", "unique(summary_id)", "A summary has one visit system report."),
    ]

    @api.depends("elder_count", "elder_visited_count")
    def _compute_visited_share(self):
        for report in self:
            report.visited_share = (
                100.0 * report.elder_visited_count / report.elder_count
                if report.elder_count
                else 0.0
            )

    @api.depends_context("uid")
    @api.depends("summary_id.state")
    def _compute_narrative_editable(self):
        tier = self.env.user._lbe_tier()
        for report in self:
            report.narrative_editable = tier in (MANAGER, COUNTY) and report.state in (
                "draft",
                "returned",
            )

    @api.depends("summary_id.name")
    def _compute_display_name(self):
        for report in self:
            report.display_name = _("%(summary)s Visit System", summary=report.summary_id.name)

    def write(self, vals):
        if "narrative" in vals and not self.env.su:
            self.check_access("write")
            self.summary_id._check_preparer()
            for report in self:
                if report.state not in ("draft", "returned"):
                    raise UserError(
                        _(
                            "%(report)s has been submitted with its summary: the narrative is "
                            "locked until the summary is returned.",
                            report=report.display_name,
                        )
                    )
        return super().write(vals)

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------
    @api.model
    def _lbe_refresh(self, summaries):
        """Create the missing reports of these county summaries and write their
        figures, one query per figure and year for all the counties."""
        summaries = summaries.filtered(lambda summary: summary.level == COUNTY)
        Report = self.sudo()
        reports = Report.search([("summary_id", "in", summaries.ids)])
        reports |= Report.create([{"summary_id": s.id} for s in summaries - reports.summary_id])
        for model in (
            "lbe.elder",
            "lbe.visit",
            "lbe.visit.followup",
            "lbe.care.agreement",
            "lbe.volunteer.pairing",
        ):
            self.env[model].flush_model()
        intervals = self.env["res.config.settings"]._lbe_visit_intervals()
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        for year, of_year in reports.grouped("year").items():
            cutoff = definition.cutoff(year)
            period = (cutoff.replace(year=year - 1) + timedelta(days=1), cutoff)
            as_of = min(cutoff, today)
            counties = of_year.region_id.ids
            figures = {county: {} for county in counties}
            for part in (
                self._lbe_visit_figures(counties, period),
                self._lbe_elder_figures(counties, year, as_of, intervals),
                self._lbe_risk_figures(counties, period),
                self._lbe_in_force_figures(counties, as_of),
            ):
                for county, values in part.items():
                    figures[county].update(values)
            for report in of_year:
                values = dict.fromkeys(FIGURE_FIELDS[5:-1], 0)
                values.update(figures[report.region_id.id])
                report.write(
                    {
                        **values,
                        "period_start": period[0],
                        "period_end": period[1],
                        "as_of_date": as_of,
                        "interval_focus_days": intervals[0],
                        "interval_other_days": intervals[1],
                        "computed_date": now,
                    }
                )
        return reports

    def _lbe_visit_figures(self, counties, period):
        """Completed visits of the period by method and by the visitor's tier."""
        self.env.cr.execute(
            SQL(
                """
                SELECT e.county_id, v.method, v.user_id, count(*)
                  FROM lbe_visit v JOIN lbe_elder e ON e.id = v.elder_id
                 WHERE v.state = 'done' AND v.visit_date BETWEEN %s AND %s
                   AND e.county_id IN %s
                 GROUP BY 1, 2, 3
                """,
                *period,
                tuple(counties),
            )
        )
        rows = self.env.cr.fetchall()
        users = self.env["res.users"].sudo().with_context(active_test=False)
        tier_of = {user.id: user._lbe_tier() for user in users.browse({row[2] for row in rows})}
        figures = {}
        for county, method, user_id, count in rows:
            values = figures.setdefault(county, {})
            tier = tier_of[user_id] if tier_of[user_id] in VISITOR_TIERS else "other_tier"
            for key in ("visit_count", f"visit_{method}_count", f"visit_{tier}_count"):
                values[key] = values.get(key, 0) + count
        return figures

    def _lbe_elder_figures(self, counties, year, as_of, intervals):
        """Annex 2's elders of the year, and those visited within their interval."""
        Elder = self.env["lbe.elder"].sudo()
        query = Elder._where_calc([("county_id", "in", counties), *counted_domain(year)])
        elder = SQL.identifier(query.table)
        visited = SQL(
            """count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM lbe_visit v
                    WHERE v.elder_id = %(elder)s.id AND v.state = 'done'
                      AND v.visit_date <= %(as_of)s
                      AND v.visit_date >= %(as_of)s::date - CASE
                          WHEN %(elder)s.is_key_focus OR %(elder)s.is_at_risk
                          THEN %(focus)s ELSE %(other)s END))""",
            elder=elder,
            as_of=as_of,
            focus=intervals[0],
            other=intervals[1],
        )
        query.groupby = SQL("1")
        self.env.cr.execute(
            query.select(Elder._field_to_sql(query.table, "county_id"), SQL("count(*)"), visited)
        )
        return {
            county: {"elder_count": count, "elder_visited_count": count_visited}
            for county, count, count_visited in self.env.cr.fetchall()
        }

    def _lbe_risk_figures(self, counties, period):
        """Risks found in the period: followed up in time, late, not yet."""
        deadline = SQL("v.visit_date + %s", FOLLOWUP_DAYS)
        in_time = SQL(
            """%(reported)s <= %(deadline)s AND EXISTS (
                   SELECT 1 FROM lbe_visit_followup f
                    WHERE f.visit_id = v.id AND %(notified)s <= %(deadline)s)""",
            reported=local_date(SQL("v.township_report_date")),
            notified=local_date(
                SQL(
                    "CASE WHEN f.channel = 'portal' THEN f.acknowledged_date "
                    "ELSE f.contact_date END"
                )
            ),
            deadline=deadline,
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT e.county_id, count(*),
                       count(*) FILTER (WHERE v.followup_state = 'done' AND %(in_time)s),
                       count(*) FILTER (WHERE v.followup_state = 'done'
                                          AND NOT coalesce(%(in_time)s, false)),
                       count(*) FILTER (WHERE v.followup_state = 'pending')
                  FROM lbe_visit v JOIN lbe_elder e ON e.id = v.elder_id
                 WHERE v.state = 'done' AND v.needs_followup
                   AND v.visit_date BETWEEN %(start)s AND %(end)s AND e.county_id IN %(counties)s
                 GROUP BY 1
                """,
                in_time=in_time,
                start=period[0],
                end=period[1],
                counties=tuple(counties),
            )
        )
        keys = ("risk_count", "risk_in_time_count", "risk_late_count", "risk_open_count")
        return {
            county: dict(zip(keys, counts, strict=True))
            for county, *counts in self.env.cr.fetchall()
        }

    def _lbe_in_force_figures(self, counties, as_of):
        """Care agreements and volunteer pairings in force on `as_of`."""
        figures = {}
        for key, query in (
            (
                "agreement_count",
                """SELECT e.county_id, count(*)
                     FROM lbe_care_agreement r JOIN lbe_elder e ON e.id = r.elder_id
                    WHERE r.state IN ('active', 'expired') AND e.county_id IN %(counties)s
                      AND r.date_start <= %(as_of)s AND r.date_end >= %(as_of)s
                    GROUP BY 1""",
            ),
            (
                "pairing_count",
                """SELECT e.county_id, count(*)
                     FROM lbe_volunteer_pairing r JOIN lbe_elder e ON e.id = r.elder_id
                    WHERE r.state IN ('active', 'ended') AND e.county_id IN %(counties)s
                      AND r.date_start <= %(as_of)s
                      AND (r.date_end IS NULL OR r.date_end >= %(as_of)s)
                    GROUP BY 1""",
            ),
        ):
            self.env.cr.execute(SQL(query, counties=tuple(counties), as_of=as_of))
            for county, count in self.env.cr.fetchall():
                figures.setdefault(county, {})[key] = count
        return figures

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_print(self):
        self.check_access("read")
        return self.env.ref("left_behind_elderly.lbe_visit_report_pdf").report_action(self)

    # ------------------------------------------------------------------
    # The printed form
    # ------------------------------------------------------------------
    def _zh_date(self, value):
        return zh_date(value)

    def _share_text(self):
        self.ensure_one()
        return f"{self.visited_share:.1f}"

    def _followup_days(self):
        return FOLLOWUP_DAYS
