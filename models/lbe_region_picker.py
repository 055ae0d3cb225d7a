from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LbeRegion(models.Model):
    """How pickers and lists show regions to the user: a village picker offers
    the user's own villages, a ledger list names the village alone."""

    _inherit = "lbe.region"

    # Views cannot read the user's areas in a domain; this field says it for them:
    # [('lbe_in_my_area', '=', True)] keeps a clerk's picker to their villages,
    # not the province's 26,000.
    lbe_in_my_area = fields.Boolean(
        string="In My Area",
        compute="_compute_lbe_in_my_area",
        search="_search_lbe_in_my_area",
    )

    @api.depends_context("uid")
    def _compute_lbe_in_my_area(self):
        mine = self.search([("id", "in", self.ids), ("lbe_in_my_area", "=", True)])
        for region in self:
            region.lbe_in_my_area = region in mine

    def _search_lbe_in_my_area(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on the user's areas."))
        domain = [("id", "child_of", self.env.user.lbe_region_ids.ids)]
        return domain if (operator == "=") == value else ["!", *domain]

    # A list whose column is the village says so in its header: the name is
    # enough there, the five levels of `complete_name` bury it.
    @api.depends_context("lbe_short_name")
    def _compute_display_name(self):
        if not self.env.context.get("lbe_short_name"):
            return super()._compute_display_name()
        for region in self:
            region.display_name = region.name
        return None
