from dateutil.relativedelta import relativedelta
from stdnum.exceptions import ValidationError as StdnumError

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .lbe_elder import check_date_floor
from .lbe_elder_id_number import id_number_facts, normalize_id_number
from .tiers import SENSITIVE_GROUP

REMINDER_DAYS = 30
# The longest term of an agreement: the elder is 60 or older, so 90 or more at
# its end; an agreement meant for life is renewed. A later end is a typing error
# (2100 for 2010).
MAX_YEARS = 30


class LbeCareAgreement(models.Model):
    """An entrusted-care agreement (委托照顾协议).

    With the elder's consent, the obliged supporter entrusts the elder's daily care
    to a relative or another capable person; the village committee keeps both
    parties' contacts and a copy of the signed agreement on file.
    """

    _name = "lbe.care.agreement"
    _description = "Entrusted-care Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin", "lbe.elder.record.mixin", "lbe.mobile.mixin"]
    _order = "date_end, id"
    _lbe_workflow_fields = ("state",)
    _lbe_masks = {
        "guardian_mobile": "phone",
        "caregiver_id_number": "id_number",
        "caregiver_mobile": "phone",
    }
    _lbe_mobile_fields = ("guardian_mobile", "caregiver_mobile")

    # Part of the record of the work done: the elder cannot be deleted while it exists.
    elder_id = fields.Many2one(
        ondelete="restrict", domain=[("state", "=", "active")], tracking=True
    )
    guardian_id = fields.Many2one(
        "lbe.guardian",
        string="Obliged Supporter",
        domain="[('elder_id', '=', elder_id)]",
        tracking=True,
        help="The supporter obliged to care for the elder, who entrusts the care.",
    )
    # Read and written as the user: the supporter must be one the user may see.
    guardian_mobile = fields.Char(
        related="guardian_id.mobile",
        string="Supporter's Mobile",
        readonly=False,
        compute_sudo=False,
        groups=SENSITIVE_GROUP,
    )
    caregiver_name = fields.Char(string="Caregiver", tracking=True)
    caregiver_relationship = fields.Selection(
        [
            ("relative", "Relative"),
            ("neighbour", "Neighbour"),
            ("friend", "Friend"),
            ("other", "Other"),
        ],
        string="Caregiver's Relationship",
    )
    caregiver_id_number = fields.Char(
        string="Caregiver's ID Number", size=18, groups=SENSITIVE_GROUP
    )
    caregiver_mobile = fields.Char(string="Caregiver's Mobile", groups=SENSITIVE_GROUP)
    caregiver_address = fields.Char(string="Caregiver's Address", groups=SENSITIVE_GROUP)
    date_start = fields.Date(string="Start Date", tracking=True)
    date_end = fields.Date(string="End Date", index=True, tracking=True)
    duties = fields.Text(help="What the caregiver undertakes to do.")
    signed_date = fields.Date()
    elder_consent = fields.Boolean(
        string="Elder Consents",
        tracking=True,
        help="The elder agreed to be cared for under this agreement.",
    )
    # The signed agreement shows the parties' ID and phone numbers: it is as
    # sensitive as those fields.
    agreement_copy = fields.Binary(
        string="Scanned Copy", attachment=True, copy=False, groups=SENSITIVE_GROUP
    )
    agreement_copy_name = fields.Char(copy=False, groups=SENSITIVE_GROUP)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "In Force"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
        ],
        default="draft",
        required=True,
        index=True,
        copy=False,
        tracking=True,
    )

    @api.depends("elder_id.name", "caregiver_name")
    def _compute_display_name(self):
        for agreement in self:
            agreement.display_name = _(
                "%(elder)s cared for by %(caregiver)s",
                elder=agreement.elder_id.name or "",
                caregiver=agreement.caregiver_name or "…",
            )

    @api.onchange("elder_id")
    def _onchange_elder_id(self):
        if self.guardian_id.elder_id != self.elder_id:
            self.guardian_id = self.elder_id.primary_guardian_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("caregiver_id_number"):
                vals["caregiver_id_number"] = normalize_id_number(vals["caregiver_id_number"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("caregiver_id_number"):
            vals["caregiver_id_number"] = normalize_id_number(vals["caregiver_id_number"])
        return super().write(vals)

    @api.constrains("caregiver_id_number")
    def _check_caregiver_id_number(self):
        for agreement in self.filtered("caregiver_id_number"):
            try:
                id_number_facts(agreement.caregiver_id_number)
            except StdnumError as e:
                raise ValidationError(
                    _(
                        "The caregiver's ID number %(number)s is not valid.",
                        number=agreement.caregiver_id_number,
                    )
                ) from e

    @api.constrains("date_start", "date_end", "signed_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            check_date_floor(agreement, ("date_start", "date_end", "signed_date"))
            if agreement.signed_date and agreement.signed_date > today:
                raise ValidationError(
                    _(
                        "%(name)s: the date of signature cannot be in the future.",
                        name=agreement.display_name,
                    )
                )
            start = agreement.date_start or agreement.signed_date
            if (
                start
                and agreement.date_end
                and agreement.date_end > start + relativedelta(years=MAX_YEARS)
            ):
                raise ValidationError(
                    _(
                        "%(name)s: an agreement runs for %(years)s years at most; the end date "
                        "%(date)s is later than that.",
                        name=agreement.display_name,
                        years=MAX_YEARS,
                        date=agreement.date_end,
                    )
                )

    @api.constrains("date_start", "date_end", "guardian_id", "elder_id")
    def _check_consistency(self):
        for agreement in self:
            if (
                agreement.date_start
                and agreement.date_end
                and agreement.date_end < agreement.date_start
            ):
                raise ValidationError(
                    _(
                        "%(name)s: the end date comes before the start date.",
                        name=agreement.display_name,
                    )
                )
            if agreement.guardian_id and agreement.guardian_id.elder_id != agreement.elder_id:
                raise ValidationError(
                    _(
                        "%(name)s: the obliged supporter must be one of the elder's main "
                        "supporters.",
                        name=agreement.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Life cycle
    # ------------------------------------------------------------------
    def _activation_problems(self):
        """What the village must still file before the agreement can take effect."""
        self.ensure_one()
        # The sensitive contacts are checked whoever activates: presence only.
        agreement = self.sudo()
        problems = []
        if not agreement.agreement_copy:
            problems.append(_("the scanned copy of the signed agreement"))
        if not agreement.elder_consent:
            problems.append(_("the elder's consent"))
        if not agreement.guardian_id:
            problems.append(_("the obliged supporter"))
        elif not agreement.guardian_id.mobile:
            problems.append(_("the obliged supporter's mobile"))
        if not agreement.caregiver_name:
            problems.append(_("the caregiver's name"))
        if not agreement.caregiver_mobile:
            problems.append(_("the caregiver's mobile"))
        if not agreement.date_start or not agreement.date_end:
            problems.append(_("the start and end dates"))
        if not agreement.signed_date:
            problems.append(_("the date of signature"))
        return problems

    def action_activate(self):
        for agreement in self:
            if agreement.state != "draft":
                raise UserError(
                    _("%(name)s is not a draft agreement.", name=agreement.display_name)
                )
            problems = agreement._activation_problems()
            if problems:
                raise UserError(
                    _(
                        "%(name)s cannot take effect; still missing: %(problems)s.",
                        name=agreement.display_name,
                        problems="; ".join(problems),
                    )
                )
        self._lbe_workflow_write({"state": "active"})

    def action_terminate(self):
        if self.filtered(lambda a: a.state != "active"):
            raise UserError(_("Only agreements in force can be terminated."))
        self._lbe_workflow_write({"state": "terminated"})

    def action_draft(self):
        if self.filtered(lambda a: a.state not in ("expired", "terminated")):
            raise UserError(_("Only expired or terminated agreements can be reset to draft."))
        self._lbe_workflow_write({"state": "draft"})

    @api.model
    def _cron_expire_and_remind(self):
        """Expire the agreements past their end; remind the village 30 days before."""
        today = fields.Date.context_today(self)
        agreements = self.sudo()
        agreements.search([("state", "=", "active"), ("date_end", "<", today)]).write(
            {"state": "expired"}
        )
        ending = agreements.search(
            [
                ("state", "=", "active"),
                ("date_end", "<=", today + relativedelta(days=REMINDER_DAYS)),
            ]
        )
        self.env["lbe.elder"]._lbe_remind_village(
            ending,
            self.env.ref("left_behind_elderly.mail_activity_type_agreement_ending"),
            deadline=lambda agreement: agreement.date_end,
            summary=lambda agreement: agreement.env._(
                "The care agreement ends on %(date)s: renew it or arrange other care.",
                date=agreement.date_end,
            ),
        )
