from odoo import api, models, tools

from .tiers import FIELD_TIERS

# Odoo's own technical apps: base_install_request opens the Apps menu to every
# internal user, so that they may ask for a module; civil-affairs staff have
# nothing to ask there.
TECHNICAL_ROOTS = ("base.menu_management", "base.menu_administration")


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    @api.model
    @tools.ormcache("frozenset(self.env.user.groups_id.ids)", "debug")
    def _visible_menu_ids(self, debug=False):
        """Menus offer each tier what it can use. A tier follows from the groups,
        the key of this cache, as of the standard one."""
        visible = super()._visible_menu_ids(debug)
        user = self.env.user
        tier = user._lbe_tier()
        if not tier:
            return visible
        hidden = []
        # The county's group implies the township's and the village's, so no
        # groups= attribute can keep the field app from the county and managers.
        if tier not in FIELD_TIERS:
            hidden.append("left_behind_elderly.lbe_field_app_menu")
        if not user.has_group("base.group_system"):
            hidden.extend(TECHNICAL_ROOTS)
        roots = [
            menu_id
            for menu_id in (
                self.env["ir.model.data"]._xmlid_to_res_id(xmlid, raise_if_not_found=False)
                for xmlid in hidden
            )
            if menu_id
        ]
        subtrees = self.with_context(**{"ir.ui.menu.full_list": True}).search(
            [("id", "child_of", roots)]
        )
        return visible - set(subtrees.ids)
