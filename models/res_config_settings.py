from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

VISIT_INTERVAL_FOCUS = "left_behind_elderly.visit_interval_focus"
VISIT_INTERVAL_OTHER = "left_behind_elderly.visit_interval_other"
# A year at most: beyond it the next visit dates mean nothing, and far enough
# out they no longer fit in a date at all, which breaks every read of the ledger.
MIN_VISIT_INTERVAL, MAX_VISIT_INTERVAL = 1, 366


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
            self._lbe_check_interval_days(
                settings.lbe_visit_interval_focus, settings.lbe_visit_interval_other
            )

    @api.model
    def _lbe_check_interval_days(self, *intervals):
        """Refuse visit intervals out of bounds (here and on the managers' Visit
        Policy screen)."""
        for days in intervals:
            if not MIN_VISIT_INTERVAL <= days <= MAX_VISIT_INTERVAL:
                raise ValidationError(
                    _(
                        "The visit intervals must be between %(min)s and %(max)s days, "
                        "not %(days)s.",
                        min=MIN_VISIT_INTERVAL,
                        max=MAX_VISIT_INTERVAL,
                        days=days,
                    )
                )

    @api.model
    def _lbe_visit_intervals(self):
        """Days between visits: (key-focus or at-risk elders, other elders)."""
        params = self.env["ir.config_parameter"].sudo()
        intervals = []
        for key, default in ((VISIT_INTERVAL_FOCUS, 30), (VISIT_INTERVAL_OTHER, 90)):
            # The parameters can also be edited by hand (Technical > System Parameters):
            # a bad value must not break every computation of the visit schedule.
            try:
                days = int(params.get_param(key, default))
            except (TypeError, ValueError):
                days = default
            if not MIN_VISIT_INTERVAL <= days <= MAX_VISIT_INTERVAL:
                days = default
            intervals.append(days)
        return tuple(intervals)

    def set_values(self):
        before = self._lbe_visit_intervals()
        res = super().set_values()
        if self._lbe_visit_intervals() != before:
            self.env["lbe.elder"]._reschedule_visits()
        return res
