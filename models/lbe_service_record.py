from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LbeServiceRecord(models.Model):
    """One service given within a pairing; with the visits, these make the
    care-activity work diary (关爱活动工作日记) the plan asks villages to keep."""

    _name = "lbe.service.record"
    _description = "Service Record"
    _inherit = ["lbe.area.mixin"]
    _order = "date desc, id desc"

    pairing_id = fields.Many2one(
        "lbe.volunteer.pairing", required=True, index=True, ondelete="cascade"
    )
    elder_id = fields.Many2one(related="pairing_id.elder_id", store=True, index=True)
    region_id = fields.Many2one(related="pairing_id.region_id", store=True, index=True)
    volunteer_id = fields.Many2one(related="pairing_id.volunteer_id", store=True)
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    duration = fields.Float(string="Hours", digits=(4, 1))
    service_type_id = fields.Many2one("lbe.service.type", string="Service", required=True)
    description = fields.Text(string="What Was Done", required=True)
    performed_by = fields.Char(
        string="By Whom", help="Who gave the service, when not the volunteer alone."
    )

    @api.constrains("date", "duration", "pairing_id")
    def _check_record(self):
        today = fields.Date.context_today(self)
        for record in self:
            pairing = record.pairing_id
            if pairing.state == "draft":
                raise ValidationError(
                    _(
                        "%(name)s: start the pairing before recording services.",
                        name=pairing.display_name,
                    )
                )
            if (
                record.date > today
                or record.date < pairing.date_start
                or (pairing.date_end and record.date > pairing.date_end)
            ):
                raise ValidationError(
                    _(
                        "%(name)s: a service must be dated within the pairing and not in "
                        "the future.",
                        name=pairing.display_name,
                    )
                )
            if record.duration < 0:
                raise ValidationError(_("The hours of a service cannot be negative."))
