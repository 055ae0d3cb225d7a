from odoo import fields, models


class LbeServiceType(models.Model):
    """A kind of care service a volunteer gives (生活照料, 精神慰藉, 安全防护 …)."""

    _name = "lbe.service.type"
    _description = "Care Service Type"
    _order = "sequence, id"

    name = fields.Char(string="Service Type Name", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_unique", "unique(name)", "This service type exists already.")]
