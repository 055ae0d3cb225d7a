from odoo import fields, models

from .lbe_elder import GENDERS, SENSITIVE


class LbeGuardian(models.Model):
    """A main supporter (主要赡养人或扶养人) of an elder: a child or another obliged person."""

    _name = "lbe.guardian"
    _description = "Main Supporter of an Elder"
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
    is_primary = fields.Boolean(string="Primary")
