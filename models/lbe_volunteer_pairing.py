from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .lbe_elder import check_date_floor


class LbeVolunteerPairing(models.Model):
    """A volunteer paired with an elder (结对帮扶), with the services it gives."""

    _name = "lbe.volunteer.pairing"
    _description = "Volunteer Pairing"
    _inherit = ["lbe.elder.record.mixin"]
    _order = "date_start desc, id desc"
    _lbe_workflow_fields = ("state",)

    # Part of the record of the work done: the elder cannot be deleted while it exists.
    elder_id = fields.Many2one(ondelete="restrict", domain=[("state", "=", "active")])
    volunteer_id = fields.Many2one("lbe.volunteer", required=True, index=True, ondelete="restrict")
    volunteer_kind = fields.Selection(related="volunteer_id.kind")
    date_start = fields.Date(string="Start Date", required=True, default=fields.Date.context_today)
    date_end = fields.Date(string="End Date")
    service_type_ids = fields.Many2many("lbe.service.type", string="Services")
    frequency = fields.Selection(
        [
            ("weekly", "Weekly"),
            ("fortnightly", "Every two weeks"),
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("on_demand", "When needed"),
        ],
        default="monthly",
        required=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("ended", "Ended")],
        default="draft",
        required=True,
        index=True,
        copy=False,
    )
    note = fields.Text()
    service_record_ids = fields.One2many(
        "lbe.service.record", "pairing_id", string="Service Records"
    )
    service_count = fields.Integer(compute="_compute_service_totals")
    service_hours = fields.Float(compute="_compute_service_totals", string="Hours of Service")

    @api.depends("elder_id.name", "volunteer_id.name")
    def _compute_display_name(self):
        for pairing in self:
            pairing.display_name = (
                f"{pairing.elder_id.name or ''} – {pairing.volunteer_id.name or ''}"
            )

    @api.depends("service_record_ids.duration")
    def _compute_service_totals(self):
        totals = {
            pairing: (count, hours)
            for pairing, count, hours in self.env["lbe.service.record"]._read_group(
                [("pairing_id", "in", self.ids)], ["pairing_id"], ["__count", "duration:sum"]
            )
        }
        for pairing in self:
            pairing.service_count, pairing.service_hours = totals.get(pairing, (0, 0.0))

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for pairing in self:
            check_date_floor(pairing, ("date_start", "date_end"))
            if pairing.date_end and pairing.date_end < pairing.date_start:
                raise ValidationError(
                    _(
                        "%(name)s: the end date comes before the start date.",
                        name=pairing.display_name,
                    )
                )

    def action_start(self):
        if self.filtered(lambda p: p.state != "draft"):
            raise UserError(_("Only draft pairings can start."))
        for pairing in self:
            if not pairing.service_type_ids:
                raise UserError(
                    _(
                        "%(name)s: choose the services the volunteer gives first.",
                        name=pairing.display_name,
                    )
                )
        self._lbe_workflow_write({"state": "active"})

    def action_end(self):
        if self.filtered(lambda p: p.state != "active"):
            raise UserError(_("Only active pairings can end."))
        today = fields.Date.context_today(self)
        for pairing in self:
            pairing._lbe_workflow_write({"state": "ended", "date_end": pairing.date_end or today})
