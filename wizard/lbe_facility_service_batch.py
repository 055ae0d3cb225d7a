from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# At most this many records in one batch (a year of daily meals for ten elders).
MAX_BATCH = 3660


class LbeFacilityServiceBatch(models.TransientModel):
    """Record one service at a facility for several elders over one day or a few
    (a week of meals at the 长者饭堂): one record per elder per day."""

    _name = "lbe.facility.service.batch"
    _description = "Record Services at a Facility"
    _inherit = ["lbe.wizard.mixin"]

    facility_id = fields.Many2one(
        "lbe.facility", required=True, domain=[("state", "=", "operating")]
    )
    elder_ids = fields.Many2many(
        "lbe.elder", string="Elders", required=True, domain=[("state", "=", "active")]
    )
    service_type_id = fields.Many2one("lbe.service.type", string="Service", required=True)
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    duration = fields.Float(string="Hours", digits=(4, 1))
    description = fields.Text(string="What Was Done", required=True)
    performed_by = fields.Char(string="By Whom")

    @api.onchange("date_from")
    def _onchange_date_from(self):
        if self.date_from and (not self.date_to or self.date_to < self.date_from):
            self.date_to = self.date_from

    def _days(self):
        if self.date_to < self.date_from:
            raise UserError(_("The last day comes before the first."))
        count = (self.date_to - self.date_from).days + 1
        return [self.date_from + timedelta(days=n) for n in range(count)]

    def action_create(self):
        self.ensure_one()
        days = self._days()
        if len(days) * len(self.elder_ids) > MAX_BATCH:
            raise UserError(
                _("At most %(count)s services can be recorded at once.", count=MAX_BATCH)
            )
        vals_list = [
            {
                "facility_id": self.facility_id.id,
                "elder_id": elder.id,
                "service_type_id": self.service_type_id.id,
                "date": day,
                "duration": self.duration,
                "description": self.description,
                "performed_by": self.performed_by,
            }
            for day in days
            for elder in self.elder_ids
        ]
        records = self.env["lbe.service.record"].create(vals_list)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "left_behind_elderly.lbe_service_record_action"
        )
        action["domain"] = [("id", "in", records.ids)]
        action["name"] = _("Services Recorded")
        action["context"] = {}
        return action
