from odoo import fields, models


class LbeElderRecordMixin(models.AbstractModel):
    """A record about one elder (a child, a visit, an agreement), which lies in
    the elder's village: the area the record rules match follows the elder.

    A model needing another link to the elder (kept when the elder is deleted,
    a domain, tracking) redefines `elder_id` with those parameters only."""

    _name = "lbe.elder.record.mixin"
    _inherit = ["lbe.area.mixin"]
    _description = "Record of an Elder"

    elder_id = fields.Many2one("lbe.elder", required=True, index=True, ondelete="cascade")
    region_id = fields.Many2one(related="elder_id.region_id", store=True, index=True)
