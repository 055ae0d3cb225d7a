from odoo import api, models

from .tiers import VILLAGE


class LbeAreaMixin(models.AbstractModel):
    """A new record of elders' data starts in the user's village when the user
    serves exactly one: a village clerk's records all lie there."""

    _inherit = "lbe.area.mixin"

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        name = self._lbe_area_field
        field = self._fields.get(name)
        # Only where the area is chosen: a visit's comes from its elder.
        if (
            name in fields_list
            and not defaults.get(name)
            and field is not None
            and field.type == "many2one"
            and not (field.compute or field.related or field.readonly)
        ):
            areas = self.env.user.lbe_region_ids
            if len(areas) == 1 and areas.sudo().level == VILLAGE:
                defaults[name] = areas.id
        return defaults
