from odoo import api, fields, models

from .lbe_area_mixin import mask_phone
from .lbe_elder import GENDERS, SENSITIVE


class LbeGuardian(models.Model):
    """A main supporter (主要赡养人或扶养人) of an elder: a child or another obliged person."""

    _name = "lbe.guardian"
    _description = "Main Supporter of an Elder"
    _inherit = ["lbe.area.mixin"]
    _lbe_masked_fields = {"mobile": "mobile_masked"}
    _order = "elder_id, is_primary desc, id"

    elder_id = fields.Many2one("lbe.elder", required=True, index=True, ondelete="cascade")
    region_id = fields.Many2one(related="elder_id.region_id", store=True, index=True)
    name = fields.Char(required=True)
    gender = fields.Selection(GENDERS)
    relationship = fields.Selection(
        [
            ("son", "Son"),
            ("daughter", "Daughter"),
            ("son_in_law", "Son-in-law"),
            ("daughter_in_law", "Daughter-in-law"),
            ("grandchild", "Grandchild"),
            ("sibling", "Sibling"),
            ("relative", "Other relative"),
            ("other", "Other"),
        ]
    )
    address = fields.Char(groups=SENSITIVE)
    mobile = fields.Char(groups=SENSITIVE)
    mobile_masked = fields.Char(
        string="Mobile (masked)", compute="_compute_mobile_masked", groups=SENSITIVE
    )
    is_primary = fields.Boolean(string="Primary")

    @api.depends("mobile")
    def _compute_mobile_masked(self):
        for guardian in self:
            guardian.mobile_masked = mask_phone(guardian.mobile)

    @api.model_create_multi
    def create(self, vals_list):
        # Clerks expect the first supporter they enter to be the primary one; a
        # second primary, or none left by unticking it, is refused by the elder.
        elders = self.env["lbe.elder"].browse(
            {vals["elder_id"] for vals in vals_list if vals.get("elder_id")}
        )
        with_primary = set(elders.guardian_ids.filtered("is_primary").elder_id.ids)
        with_primary.update(vals.get("elder_id") for vals in vals_list if vals.get("is_primary"))
        for vals in vals_list:
            if vals.get("elder_id") and vals["elder_id"] not in with_primary:
                vals["is_primary"] = True
                with_primary.add(vals["elder_id"])
        return super().create(vals_list)
