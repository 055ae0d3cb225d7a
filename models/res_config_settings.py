from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

VISIT_INTERVAL_FOCUS = "left_behind_elderly.visit_interval_focus"
VISIT_INTERVAL_OTHER = "left_behind_elderly.visit_interval_other"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lbe_visit_interval_focus = fields.Integer(
        string="Visit Key-focus and At-risk Elders Every",
        config_parameter=VISIT_INTERVAL_FOCUS,
        default=30,
        help="Days at most between two visits of a key-focus elder or an elder whose last "
        "visit found a high or a safety risk.",
    )
    lbe_visit_interval_other = fields.Integer(
        string="Visit Other Elders Every",
        config_parameter=VISIT_INTERVAL_OTHER,
        default=90,
        help="Days at most between two visits of any other registered elder.",
    )

    @api.constrains("lbe_visit_interval_focus", "lbe_visit_interval_other")
    def _check_visit_intervals(self):
        for settings in self:
            if min(settings.lbe_visit_interval_focus, settings.lbe_visit_interval_other) < 1:
                raise ValidationError(_("The visit intervals must be one day or more."))

    @api.model
    def _lbe_visit_intervals(self):
        """Days between visits: (key-focus or at-risk elders, other elders)."""
        params = self.env["ir.config_parameter"].sudo()
        return (
            int(params.get_param(VISIT_INTERVAL_FOCUS, 30)),
            int(params.get_param(VISIT_INTERVAL_OTHER, 90)),
        )

    def set_values(self):
        before = self._lbe_visit_intervals()
        res = super().set_values()
        if self._lbe_visit_intervals() != before:
            self.env["lbe.elder"]._reschedule_visits()
        return res
