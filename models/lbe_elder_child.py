from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .lbe_area_mixin import mask_phone
from .lbe_elder import GENDERS, SENSITIVE, check_date_floor


class LbeElderChild(models.Model):
    """A child of an elder; the definition asks that every child be away."""

    _name = "lbe.elder.child"
    _description = "Child of an Elder"
    _inherit = ["lbe.area.mixin", "lbe.mobile.mixin"]
    _lbe_masked_fields = {"mobile": "mobile_masked"}
    _lbe_mobile_fields = ("mobile",)
    _order = "elder_id, birth_date, id"

    elder_id = fields.Many2one("lbe.elder", required=True, index=True, ondelete="cascade")
    region_id = fields.Many2one(related="elder_id.region_id", store=True, index=True)
    name = fields.Char(required=True)
    gender = fields.Selection(GENDERS)
    birth_date = fields.Date()
    mobile = fields.Char(groups=SENSITIVE)
    mobile_masked = fields.Char(
        string="Mobile (masked)", compute="_compute_mobile_masked", groups=SENSITIVE
    )
    work_place = fields.Char(string="Where They Work")
    away_since = fields.Date(help="Since when the child has lived and worked away from home.")

    @api.depends("mobile")
    def _compute_mobile_masked(self):
        for child in self:
            child.mobile_masked = mask_phone(child.mobile)

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
