from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    lbe_region_ids = fields.Many2many(
        "lbe.region",
        "lbe_region_res_users_rel",
        "user_id",
        "region_id",
        string="Served Areas",
        help="The administrative regions this user serves. Record rules let the user see "
        "only the elders of these regions and their sub-regions; a user without an area "
        "sees no elder at all.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "lbe_region_ids" in vals:
            # Record rules are cached per user; the area is part of their domain.
            self.env.registry.clear_cache()
        return res
