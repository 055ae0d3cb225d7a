"""The yearly cycle of summaries between the tiers: which buttons the user may
use, the summaries of the units below at a glance, and the to-dos each step
leaves for the unit that acts next (as hr_holidays' activity_update)."""

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .lbe_summary import REVIEWER_LEVEL
from .tiers import PROVINCE, TIERS

ACT_REVIEW = "left_behind_elderly.mail_act_lbe_summary_review"
ACT_RETURNED = "left_behind_elderly.mail_act_lbe_summary_returned"
ACT_ACCEPTED = "left_behind_elderly.mail_act_lbe_summary_accepted"
# The printed form's marks: the year it reports, a draft, a nil return.
ANNEX2_YEAR = "统计年度：{year}年"
ANNEX2_DRAFT = "草稿（未经上级接收）"
ANNEX2_NIL = "零报告（本年度无登记的农村留守老年人）"


class LbeSummaryCycle(models.Model):
    _name = "lbe.summary"
    _inherit = ["lbe.summary", "mail.activity.mixin"]

    region_name = fields.Char(related="region_id.name", string="Unit")
    can_compute = fields.Boolean(compute="_compute_can")
    can_submit = fields.Boolean(compute="_compute_can")
    can_review = fields.Boolean(compute="_compute_can")
    sub_summary_ids = fields.One2many(
        "lbe.summary",
        compute="_compute_sub_summary_ids",
        string="Summaries of the Units",
        help="The summaries the units below reported for the same year.",
    )
    is_final = fields.Boolean(
        compute="_compute_is_final",
        help="Accepted by the unit above; for the province, every city's summary accepted. "
        "Until then the form prints as a draft.",
    )

    @api.depends("state", "level", "is_nil_return")
    @api.depends_context("uid")
    def _compute_can(self):
        for summary in self:
            is_open = summary.state in ("draft", "returned") and not summary.is_nil_return
            prepares = bool(summary.level) and summary._passes(summary._check_preparer)
            summary.can_compute = is_open and prepares
            summary.can_submit = summary.can_compute and summary.level in REVIEWER_LEVEL
            summary.can_review = (
                summary.level in REVIEWER_LEVEL
                and not summary.is_nil_return
                and summary._passes(summary._check_reviewer)
            )

    def _passes(self, check):
        """Whether the check an action makes lets the user through."""
        try:
            check()
        except UserError:
            return False
        return True

    @api.depends("region_id", "year")
    def _compute_sub_summary_ids(self):
        subs = self.search(
            [
                ("region_id.parent_id", "in", self.region_id.ids),
                ("year", "in", list(set(self.mapped("year")))),
            ]
        )
        for summary in self:
            summary.sub_summary_ids = subs.filtered(
                lambda sub, summary=summary: (
                    sub.region_id.parent_id == summary.region_id and sub.year == summary.year
                )
            )

    @api.depends("state", "level", "computed_date", "line_ids.sub_summary_state")
    def _compute_is_final(self):
        for summary in self:
            if summary.level == PROVINCE:
                summary.is_final = bool(
                    summary.computed_date
                    and summary.line_ids
                    and set(summary.line_ids.mapped("sub_summary_state")) == {"accepted"}
                )
            else:
                summary.is_final = summary.state == "accepted"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        result = super().action_submit()
        self._lbe_activity_update("submitted")
        return result

    def action_accept(self):
        result = super().action_accept()
        self._lbe_activity_update("accepted")
        return result

    def action_return(self, reason=None):
        result = super().action_return(reason=reason)
        self.filtered(lambda summary: summary.state == "returned")._lbe_activity_update("returned")
        return result

    def action_open(self):
        """The summary on its own page, from the list of the units' summaries."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "lbe.summary",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------
    # To-dos of the next unit to act
    # ------------------------------------------------------------------
    def _lbe_staff_of(self, tier, region):
        """The staff acting as `tier` who serve `region` (or an area holding it)."""
        if not region:
            return self.env["res.users"]
        group = self.env.ref(f"left_behind_elderly.group_{tier}")
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", False),
                    ("groups_id", "in", group.ids),
                    ("lbe_region_ids", "parent_of", region.ids),
                ]
            )
        )
        return users.filtered(lambda user: user._lbe_tier() == tier)

    def _lbe_activity_update(self, step):
        """Close the to-dos the step answers, and give the next unit its own:
        submitted, the reviewers of the unit above; returned or accepted, the
        preparers of the unit."""
        assert step in ("submitted", "returned", "accepted")
        if step == "submitted":
            self.activity_feedback([ACT_RETURNED, ACT_ACCEPTED])
        else:
            self.activity_feedback([ACT_REVIEW])
            if step == "returned":
                self.activity_unlink([ACT_ACCEPTED])
        model_id = self.env["ir.model"]._get_id("lbe.summary")
        vals_list = []
        for summary in self:
            if step == "submitted":
                tier, region = REVIEWER_LEVEL.get(summary.level), summary.region_id.parent_id
                act, note = (
                    ACT_REVIEW,
                    _(
                        "%(unit)s submitted %(summary)s: accept it or return it with a reason.",
                        unit=summary.region_id.name,
                        summary=summary.display_name,
                    ),
                )
            elif step == "returned":
                tier, region = summary.level, summary.region_id
                act, note = (
                    ACT_RETURNED,
                    _(
                        "%(summary)s was returned: %(reason)s",
                        summary=summary.display_name,
                        reason=summary.return_reason,
                    ),
                )
            else:
                tier, region = summary.level, summary.region_id
                act, note = (
                    ACT_ACCEPTED,
                    _(
                        "%(summary)s was accepted by %(unit)s.",
                        summary=summary.display_name,
                        unit=summary.region_id.parent_id.name,
                    ),
                )
            if tier not in TIERS:
                continue
            activity_type = self.env.ref(act)
            vals_list.extend(
                {
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "summary": activity_type.summary,
                    "note": note,
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(summary)
                    + relativedelta(days=activity_type.delay_count),
                    "res_id": summary.id,
                    "res_model_id": model_id,
                }
                for user in summary._lbe_staff_of(tier, region)
            )
        # No e-mail: the to-do waits on the start page of whoever logs in next.
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)

    # ------------------------------------------------------------------
    # The printed form
    # ------------------------------------------------------------------
    def _annex2_year(self):
        self.ensure_one()
        return ANNEX2_YEAR.format(year=self.year)

    def _annex2_marks(self):
        """The marks the printed form carries over its table: 草稿 until it is final."""
        self.ensure_one()
        marks = []
        if self.is_nil_return:
            marks.append(ANNEX2_NIL)
        if not self.is_final:
            marks.append(ANNEX2_DRAFT)
        return marks
