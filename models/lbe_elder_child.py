from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .lbe_elder import GENDERS, check_date_floor
from .tiers import SENSITIVE_GROUP


class LbeElderChild(models.Model):
    """A child of an elder; the definition asks that every child be away."""

    _name = "lbe.elder.child"
    _description = "Child of an Elder"
    _inherit = ["lbe.elder.record.mixin", "lbe.mobile.mixin"]
    _lbe_masks = {"mobile": "phone"}
    _lbe_mobile_fields = ("mobile",)
    _order = "elder_id, birth_date, id"

    name = fields.Char(required=True)
    gender = fields.Selection(GENDERS)
    birth_date = fields.Date()
    mobile = fields.Char(groups=SENSITIVE_GROUP)
    work_place = fields.Char(string="Where They Work")
    away_since = fields.Date(help="Since when the child has lived and worked away from home.")

    @api.constrains("birth_date", "away_since")
    def _check_dates_not_future(self):
        today = fields.Date.context_today(self)
        for child in self:
            check_date_floor(child, ("birth_date", "away_since"))
            if (child.birth_date and child.birth_date > today) or (
                child.away_since and child.away_since > today
            ):
                raise ValidationError(
                    _("%(name)s: a child's dates cannot be in the future.", name=child.name)
                )
