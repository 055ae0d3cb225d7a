from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import get_lang

from .lbe_elder import HEALTH, SELF_CARE, check_date_floor
from .tiers import SENSITIVE_GROUP, TOWNSHIP, group_xmlid

RISK_LEVELS = [("none", "None"), ("low", "Low"), ("medium", "Medium"), ("high", "High")]
YES_NO = [("yes", "Yes"), ("no", "No")]


class LbeVisit(models.Model):
    """A regular visit (定期巡访) of an elder by the village committee.

    A completed visit moves the elder's visit schedule, may correct the ledger
    with what was found, and, when it finds the elder at risk, starts the
    follow-up the plan asks for: notify the children, report to the township.
    """

    _name = "lbe.visit"
    _description = "Elder Visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "lbe.elder.record.mixin"]
    _order = "visit_date desc, id desc"
    _lbe_workflow_fields = ("state", "township_report_date", "client_uuid")

    # Part of the record of the work done: the elder cannot be deleted while it exists.
    elder_id = fields.Many2one(
        ondelete="restrict", domain=[("state", "=", "active")], tracking=True
    )
    township_id = fields.Many2one(related="elder_id.township_id")
    visit_date = fields.Date(
        required=True, index=True, default=fields.Date.context_today, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Visitor",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    companions = fields.Char(
        help="Other people on the visit, e.g. the village doctor or a volunteer."
    )
    method = fields.Selection(
        [("home", "Home visit"), ("phone", "Phone call"), ("video", "Video call")],
        required=True,
        default="home",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        default="draft",
        required=True,
        index=True,
        copy=False,
        tracking=True,
    )

    # What the plan asks a visit to assess
    living_conditions = fields.Text()
    safety_risk = fields.Boolean(
        string="Safety Risk Found",
        help="A danger to the elder's safety: housing, fire, falls, being left without care…",
    )
    safety_risk_note = fields.Text(string="Safety Risk Details")
    health_change = fields.Text(groups=SENSITIVE_GROUP)
    duty_fulfilment = fields.Selection(
        [("yes", "Fulfilled"), ("partly", "Partly fulfilled"), ("no", "Not fulfilled")],
        string="Supporters Fulfil Their Duties",
        help="Whether the children or other supporters fulfil their duty to support the elder "
        "(赡养责任落实情况).",
    )
    needs = fields.Text(string="Needs and Difficulties")
    help_given = fields.Text(help="The assistance services provided.")
    risk_level = fields.Selection(RISK_LEVELS, required=True, default="none", tracking=True)
    photo = fields.Image(max_width=1280, max_height=1280, groups=SENSITIVE_GROUP)

    # Facts found that correct the ledger when the visit is completed
    found_health_status = fields.Selection(
        HEALTH,
        string="Health Found",
        help="Leave empty when unchanged; otherwise completing the visit updates the ledger.",
    )
    found_self_care = fields.Selection(
        SELF_CARE,
        string="Self-care Found",
        help="Leave empty when unchanged; otherwise completing the visit updates the ledger.",
    )
    found_living_alone = fields.Selection(
        YES_NO,
        string="Living Alone Found",
        help="Leave empty when unchanged; otherwise completing the visit updates the ledger.",
    )

    # Follow-up of an elder at risk
    needs_followup = fields.Boolean(
        compute="_compute_needs_followup",
        store=True,
        help="A completed visit that found a high risk or a safety risk.",
    )
    followup_ids = fields.One2many(
        "lbe.visit.followup", "visit_id", string="Notifications of Supporters"
    )
    township_report_date = fields.Datetime(string="Reported to Township", readonly=True, copy=False)
    followup_state = fields.Selection(
        [("none", "Not needed"), ("pending", "To follow up"), ("done", "Followed up")],
        compute="_compute_followup_state",
        store=True,
        index=True,
    )

    @api.depends("elder_id.name", "visit_date")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = f"{visit.elder_id.name or ''} {visit.visit_date or ''}".strip()

    @api.depends("state", "risk_level", "safety_risk")
    def _compute_needs_followup(self):
        for visit in self:
            visit.needs_followup = visit.state == "done" and (
                visit.risk_level == "high" or visit.safety_risk
            )

    @api.depends(
        "needs_followup",
        "followup_ids.channel",
        "followup_ids.acknowledged_date",
        "township_report_date",
    )
    def _compute_followup_state(self):
        for visit in self:
            # A notification left on the family portal counts once the supporter
            # has acknowledged it; until then the clerk still has to reach them.
            notified = visit.followup_ids.filtered(
                lambda f: f.channel != "portal" or f.acknowledged_date
            )
            if not visit.needs_followup:
                visit.followup_state = "none"
            elif notified and visit.township_report_date:
                visit.followup_state = "done"
            else:
                visit.followup_state = "pending"

    @api.constrains("visit_date")
    def _check_visit_date(self):
        today = fields.Date.context_today(self)
        for visit in self:
            check_date_floor(visit, ("visit_date",), visit.elder_id.name)
            if visit.visit_date > today:
                raise ValidationError(
                    _("%(name)s: a visit cannot be dated in the future.", name=visit.display_name)
                )

    @api.constrains("elder_id", "state")
    def _check_elder_registered(self):
        for visit in self:
            if visit.state == "done" and visit.elder_id.state != "active":
                raise ValidationError(
                    _(
                        "%(name)s is not registered in the ledger; only registered elders "
                        "are visited.",
                        name=visit.elder_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Completing a visit
    # ------------------------------------------------------------------
    def action_done(self):
        if self.filtered(lambda v: v.state != "draft"):
            raise UserError(_("Only draft visits can be completed."))
        self._lbe_workflow_write({"state": "done"})
        for visit in self:
            visit._update_ledger()
        # The reminder of an overdue visit is settled once the elder is on time again.
        self.elder_id.filtered(lambda e: not e.is_visit_overdue).activity_feedback(
            ["left_behind_elderly.mail_activity_type_visit_overdue"],
            feedback=_("Visited."),
        )
        at_risk = self.filtered("needs_followup")
        at_risk._report_to_township()
        at_risk._notify_family_portal()
        return True

    def action_draft(self):
        if self.filtered(lambda v: v.state != "done" or v.township_report_date):
            raise UserError(
                _("Only completed visits not yet reported to the township can be reopened.")
            )
        self._lbe_workflow_write({"state": "draft"})

    def _update_ledger(self):
        """Write the facts found to the elder, through the tracked write of the ledger."""
        self.ensure_one()
        elder = self.elder_id
        vals = {}
        if self.found_health_status and self.found_health_status != elder.health_status:
            vals["health_status"] = self.found_health_status
        if self.found_self_care and self.found_self_care != elder.self_care:
            vals["self_care"] = self.found_self_care
        if self.found_living_alone:
            living_alone = self.found_living_alone == "yes"
            if living_alone != elder.living_alone:
                vals["living_alone"] = living_alone
        if vals:
            elder.write(vals)

    def _report_to_township(self):
        """Give every user of the elder's township an activity on the visit."""
        activity_type = self.env.ref("left_behind_elderly.mail_activity_type_elder_at_risk")
        users_by_township = self.env["lbe.elder"]._lbe_users_by_region(
            group_xmlid(TOWNSHIP), self.elder_id.township_id
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        reported = self.browse()
        for visit in self:
            users = users_by_township.get(visit.elder_id.township_id.id)
            if not users:
                # A log, not a post: notes of the addon itself must not need the
                # e-mail address that message_post asks of the author.
                visit._message_log(
                    body=_(
                        "No user serves the township %(township)s: report this risk to the "
                        "township by other means.",
                        township=visit.elder_id.township_id.display_name,
                    )
                )
                continue
            reported |= visit
            for user in users:
                # In the reader's language: the visit may be done by OdooBot (the field
                # app's sync, demo data) or by a clerk who reads another.
                summary = self.with_context(lang=get_lang(self.env, user.lang).code).env._(
                    "Elder at risk: %(name)s", name=visit.elder_id.name
                )
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": visit.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "date_deadline": fields.Date.context_today(self),
                        "summary": summary,
                        "automated": True,
                    }
                )
        # The activity is the report: it waits in the township's to-do list, no e-mail.
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)
        reported._lbe_workflow_write({"township_report_date": fields.Datetime.now()})
        for visit in reported:
            visit.elder_id._message_log(
                body=_(
                    "The visit of %(date)s found the elder at risk; it was reported to the "
                    "township.",
                    date=visit.visit_date,
                )
            )

    def _notify_family_portal(self):
        """Notify at once the supporters who use the family portal: a notification
        addressed to each (shown on the portal, where they acknowledge and
        answer it) and an e-mail to those with an address."""
        guardians = (
            self.elder_id.filtered("family_portal_consent")
            .guardian_ids.sudo()
            .filtered("portal_access")
        )
        if not guardians:
            return
        vals_list = [
            {
                "visit_id": visit.id,
                "guardian_id": guardian.id,
                "contact_name": guardian.name,
                "channel": "portal",
            }
            for visit in self
            for guardian in guardians
            # A visit reopened and completed again does not notify twice.
            if guardian.elder_id == visit.elder_id
            and guardian
            not in visit.followup_ids.filtered(lambda f: f.channel == "portal").guardian_id
        ]
        followups = self.env["lbe.visit.followup"].create(vals_list)
        # Rendered as superuser: the template is the addon's, and the clerk may
        # not render templates (Settings → restrict template rendering).
        template = self.env.ref("left_behind_elderly.mail_template_family_risk_notification").sudo()
        for followup in followups.sudo().filtered("guardian_id.partner_id.email"):
            template.send_mail(followup.id, email_layout_xmlid="mail.mail_notification_light")
