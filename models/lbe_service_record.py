from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .lbe_elder import check_date_floor
from .tiers import TOWNSHIP


class LbeServiceRecord(models.Model):
    """One service given to an elder, within a volunteer pairing or at a care
    facility (幸福院, 长者饭堂, 卫生院 …); with the visits, these make the
    care-activity work diary (关爱活动工作日记) the plan asks villages to keep.

    The record lies in the elder's village whatever the facility: a township
    health centre's services for the elders of two villages are each in their
    elder's village, so each village clerk sees their own and the township both.
    """

    _name = "lbe.service.record"
    _description = "Service Record"
    _inherit = ["lbe.elder.record.mixin"]
    _order = "date desc, id desc"

    pairing_id = fields.Many2one("lbe.volunteer.pairing", index=True, ondelete="cascade")
    facility_id = fields.Many2one("lbe.facility", index=True, ondelete="restrict")
    # Taken from the pairing; entered for a facility's services (the constraint
    # below asks for it in words). Part of the work diary: kept with the elder.
    elder_id = fields.Many2one(
        compute="_compute_elder_id",
        store=True,
        readonly=False,
        precompute=True,
        required=False,
        ondelete="restrict",
        domain=[("state", "=", "active")],
    )
    volunteer_id = fields.Many2one(related="pairing_id.volunteer_id", store=True)
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    duration = fields.Float(string="Hours", digits=(4, 1))
    service_type_id = fields.Many2one("lbe.service.type", string="Service", required=True)
    description = fields.Text(string="What Was Done", required=True)
    performed_by = fields.Char(
        string="By Whom", help="Who gave the service, when not the volunteer alone."
    )

    @api.depends("pairing_id.elder_id")
    def _compute_elder_id(self):
        for record in self:
            if record.pairing_id:
                record.elder_id = record.pairing_id.elder_id

    @api.constrains("date", "duration", "pairing_id", "facility_id", "elder_id")
    def _check_record(self):
        today = fields.Date.context_today(self)
        for record in self:
            check_date_floor(record, ("date",), record.elder_id.name)
            if bool(record.pairing_id) == bool(record.facility_id):
                raise ValidationError(
                    _("A service is given either within a pairing or at a facility.")
                )
            if not record.elder_id:
                raise ValidationError(_("Choose the elder who received the service."))
            if record.duration < 0:
                raise ValidationError(_("The hours of a service cannot be negative."))
            if record.facility_id:
                record._check_facility_record(today)
                continue
            pairing = record.pairing_id
            if record.elder_id != pairing.elder_id:
                raise ValidationError(
                    _(
                        "%(name)s: the service goes to the elder of the pairing.",
                        name=pairing.display_name,
                    )
                )
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

    def _check_facility_record(self, today):
        # As superuser: the facility may lie in the township above the user's area.
        facility = self.facility_id.sudo()
        if facility.state != "operating":
            raise ValidationError(
                _(
                    "%(name)s: services are recorded at operating facilities only.",
                    name=facility.name,
                )
            )
        if self.date > today or (facility.opening_date and self.date < facility.opening_date):
            raise ValidationError(
                _(
                    "%(name)s: a service must be dated after the facility opened and not in "
                    "the future.",
                    name=facility.name,
                )
            )
        # A facility serves the elders of its township.
        township = facility.region_id._lbe_ancestor(TOWNSHIP)
        if not township._lbe_contains(self.elder_id.sudo().region_id):
            raise ValidationError(
                _(
                    "%(name)s serves the elders of %(township)s only.",
                    name=facility.name,
                    township=township.name,
                )
            )
