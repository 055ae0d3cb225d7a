"""Messages and answers of the family (issue 20): what a supporter writes on the
family portal reaches the clerks serving the elder's village as a to-do, the
clerk replies on the message, and the supporter reads the reply on the portal."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import get_lang

from .tiers import SENSITIVE_GROUP, TOWNSHIP, VILLAGE, group_xmlid

ACTIVITY_TYPE = "left_behind_elderly.mail_activity_type_family_message"


class LbeFamilyMessage(models.Model):
    """A message or an answer of a supporter to the village, and its reply.

    Written by the portal's controller only (as superuser, after its access
    check); the village's staff write nothing of it but the reply."""

    _name = "lbe.family.message"
    _description = "Message of a Supporter to the Village"
    _inherit = ["mail.thread", "mail.activity.mixin", "lbe.elder.record.mixin"]
    _order = "create_date desc, id desc"
    _rec_name = "elder_id"
    _lbe_workflow_fields = (
        "guardian_id",
        "kind",
        "followup_id",
        "body",
        "state",
        "reply_date",
        "reply_user_id",
    )

    guardian_id = fields.Many2one(
        "lbe.guardian", string="Supporter", required=True, index=True, ondelete="cascade"
    )
    kind = fields.Selection(
        [("message", "Message"), ("answer", "Answer to a notification")],
        required=True,
        default="message",
    )
    followup_id = fields.Many2one(
        "lbe.visit.followup", string="Notification Answered", ondelete="set null"
    )
    # What families write may hold health details: for the ledger tiers only.
    body = fields.Text(string="What the Family Wrote", required=True, groups=SENSITIVE_GROUP)
    state = fields.Selection(
        [("new", "To reply"), ("replied", "Replied")],
        default="new",
        required=True,
        index=True,
        tracking=True,
    )
    reply = fields.Text(string="Reply of the Village", groups=SENSITIVE_GROUP)
    reply_date = fields.Datetime(string="Replied On", readonly=True)
    reply_user_id = fields.Many2one("res.users", string="Replied By", readonly=True)

    @api.depends("elder_id.name", "guardian_id.name")
    def _compute_display_name(self):
        for message in self:
            message.display_name = _(
                "%(supporter)s about %(elder)s",
                supporter=message.guardian_id.name or "",
                elder=message.elder_id.name or "",
            )

    def write(self, vals):
        if "reply" in vals and self.filtered(lambda m: m.state == "replied"):
            raise UserError(_("A reply sent to the family is not changed afterwards."))
        return super().write(vals)

    @api.model
    def _lbe_receive(self, guardian, body, followup=None):
        """Store what a supporter wrote (as superuser: the portal checked access)
        and give the clerks of the elder's village a to-do; without a clerk,
        the staff of its township."""
        message = (
            self.sudo()
            .with_context(mail_create_nosubscribe=True, mail_create_nolog=True)
            .create(
                {
                    "elder_id": guardian.elder_id.id,
                    "guardian_id": guardian.id,
                    "kind": "answer" if followup else "message",
                    "followup_id": followup.id if followup else False,
                    "body": body,
                }
            )
        )
        message._lbe_assign()
        return message

    def _lbe_assign(self):
        Elder = self.env["lbe.elder"].sudo()
        activity_type = self.env.ref(ACTIVITY_TYPE)
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for message in self.sudo():
            village = message.elder_id.region_id
            users = Elder._lbe_users_by_region(group_xmlid(VILLAGE), village).get(village.id)
            if not users:
                township = message.elder_id.township_id
                users = Elder._lbe_users_by_region(group_xmlid(TOWNSHIP), township).get(township.id)
            for user in users or []:
                env = self.with_context(lang=get_lang(self.env, user.lang).code).env
                summary = (
                    env._("Answer of %(name)s", name=message.guardian_id.name)
                    if message.kind == "answer"
                    else env._("Message of %(name)s", name=message.guardian_id.name)
                )
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": message.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "date_deadline": fields.Date.context_today(message),
                        "summary": summary,
                        "note": message.body,
                        "automated": True,
                    }
                )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            vals_list
        )

    def action_send_reply(self):
        """Send the reply to the family: shown on the portal, the to-do done."""
        for message in self:
            if message.state != "new":
                raise UserError(_("This message has been replied to already."))
            if not (message.reply or "").strip():
                raise UserError(_("Write the reply to the family first."))
        self._lbe_workflow_write(
            {"state": "replied", "reply_date": fields.Datetime.now(), "reply_user_id": self.env.uid}
        )
        # Everyone's to-do on it is done, whoever replied.
        self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(ACTIVITY_TYPE)
        ).action_feedback(feedback=_("Replied to the family."))
        # An e-mail says where to read the reply, not what it says. Rendered as
        # superuser: the clerk may not render templates.
        template = self.env.ref("left_behind_elderly.mail_template_family_reply").sudo()
        for message in self.sudo().filtered("guardian_id.partner_id.email"):
            template.send_mail(message.id, email_layout_xmlid="mail.mail_notification_light")
        return True
