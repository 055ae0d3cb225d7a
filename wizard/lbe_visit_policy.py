from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..models.res_config_settings import VISIT_INTERVAL_FOCUS, VISIT_INTERVAL_OTHER
from ..models.tiers import MANAGER, PROVINCE, group_xmlid


class LbeVisitPolicy(models.TransientModel):
    """The visit policy on the managers' own screen: Odoo's Settings are for its
    administrators, whose rights managers do not hold. The intervals hold for
    every elder of the database, so only a manager serving a whole province (or
    an Odoo administrator) changes them, as with regions; other managers read
    them."""

    _name = "lbe.visit.policy"
    _description = "Visit Policy"
    _inherit = ["lbe.wizard.mixin"]

    visit_interval_focus = fields.Integer(
        string="Visit Key-focus and At-risk Elders Every",
        required=True,
        default=lambda self: self.env["res.config.settings"]._lbe_visit_intervals()[0],
        help="Days at most between two visits of a key-focus elder or an elder whose last "
        "visit found a high or a safety risk.",
    )
    visit_interval_other = fields.Integer(
        string="Visit Other Elders Every",
        required=True,
        default=lambda self: self.env["res.config.settings"]._lbe_visit_intervals()[1],
        help="Days at most between two visits of any other registered elder.",
    )
    # The default fills the form of a new policy, where the compute, depending on
    # no field, would not run.
    may_change = fields.Boolean(
        compute="_compute_may_change", default=lambda self: self._lbe_may_change()
    )

    @api.depends_context("uid")
    def _compute_may_change(self):
        self.may_change = self._lbe_may_change()

    @api.constrains("visit_interval_focus", "visit_interval_other")
    def _check_visit_intervals(self):
        for policy in self:
            self.env["res.config.settings"]._lbe_check_interval_days(
                policy.visit_interval_focus, policy.visit_interval_other
            )

    @api.model
    def _lbe_may_change(self):
        user = self.env.user
        if user.has_group("base.group_system"):
            return True
        provinces = user.lbe_region_ids.sudo().filtered(lambda area: area.level == PROVINCE)
        return bool(provinces) and user.has_group(group_xmlid(MANAGER))

    def action_save(self):
        self.ensure_one()
        if not self._lbe_may_change():
            raise AccessError(
                _(
                    "The visit policy holds for the whole province: it is changed by the "
                    "managers serving the province and by Odoo administrators."
                )
            )
        # As the settings do: every elder rescheduled when the intervals change.
        settings = self.env["res.config.settings"]
        before = settings._lbe_visit_intervals()
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(VISIT_INTERVAL_FOCUS, self.visit_interval_focus)
        params.set_param(VISIT_INTERVAL_OTHER, self.visit_interval_other)
        if settings._lbe_visit_intervals() != before:
            self.env["lbe.elder"]._reschedule_visits()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("The visit policy is saved; the next visit dates follow it."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
