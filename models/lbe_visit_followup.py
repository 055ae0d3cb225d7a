from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .lbe_elder import check_date_floor
from .tiers import SENSITIVE_GROUP


class LbeVisitFollowup(models.Model):
    """A notification of an elder's children or supporter after a visit found a risk:
    who was told, when, how, and what they answered."""

    _name = "lbe.visit.followup"
    _description = "Notification of a Supporter after a Visit"
    _inherit = ["lbe.area.mixin", "lbe.mobile.mixin"]
    _order = "visit_id, contact_date, id"
    _lbe_masks = {"contact_mobile": "phone"}
    _lbe_mobile_fields = ("contact_mobile",)
    _lbe_workflow_fields = ("acknowledged_date",)

    visit_id = fields.Many2one("lbe.visit", required=True, index=True, ondelete="cascade")
    elder_id = fields.Many2one(related="visit_id.elder_id", store=True, index=True)
    region_id = fields.Many2one(related="visit_id.region_id", store=True, index=True)
    guardian_id = fields.Many2one(
        "lbe.guardian",
        string="Supporter",
        domain="[('elder_id', '=', elder_id)]",
        help="The main supporter notified, when it is one of those in the ledger.",
    )
    contact_name = fields.Char(string="Person Notified", required=True)
    contact_mobile = fields.Char(string="Mobile", groups=SENSITIVE_GROUP)
    contact_date = fields.Datetime(string="Notified On", required=True, default=fields.Datetime.now)
    channel = fields.Selection(
        [
            ("phone", "Phone call"),
            ("message", "Text or instant message"),
            ("video", "Video call"),
            ("in_person", "In person"),
            ("portal", "Family portal"),
        ],
        string="How",
        required=True,
        default="phone",
    )
    answer = fields.Text(string="Their Answer", help="What the person answered or promised.")
    acknowledged_date = fields.Datetime(
        string="Acknowledged On",
        copy=False,
        help="When the supporter acknowledged the notification on the family portal. A "
        "notification through the portal counts as the supporter notified once acknowledged.",
    )
    user_id = fields.Many2one(
        "res.users", string="Notified By", required=True, default=lambda self: self.env.user
    )

    @api.onchange("guardian_id")
    def _onchange_guardian_id(self):
        if self.guardian_id:
            self.contact_name = self.guardian_id.name
            self.contact_mobile = self.guardian_id.mobile

    @api.constrains("contact_date")
    def _check_contact_date(self):
        now = fields.Datetime.now()
        for followup in self:
            check_date_floor(followup, ("contact_date",), followup.contact_name)
            if followup.contact_date > now:
                raise ValidationError(
                    _(
                        "%(name)s: a notification cannot be dated in the future.",
                        name=followup.contact_name,
                    )
                )
