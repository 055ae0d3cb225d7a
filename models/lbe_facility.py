from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .collation import collate_by_pinyin
from .lbe_elder import check_date_floor
from .tiers import SERVICE_LEVELS

# Days without a service after which an operating facility shows as idle.
IDLE_DAYS = 60
# Days over which a facility's use is set against its capacity.
RECENT_DAYS = 30


class LbeFacility(models.Model):
    """A care facility of the 幸福计划 where elders are served: a rural happiness
    home (农村幸福院), a day-care centre, a meal-help point (长者饭堂), a care home,
    the township health centre, an elders' school.

    A facility stands in a village or a township and serves the elders of its
    township; its services are recorded in the care-work diary, each in the
    elder's own village.
    """

    _name = "lbe.facility"
    _description = "Care Facility"
    _inherit = ["mail.thread", "image.mixin", "lbe.area.mixin"]
    _order = "region_id, name"
    _lbe_workflow_fields = ("state",)

    name = fields.Char(string="Facility Name", required=True, tracking=True)
    region_id = fields.Many2one(
        "lbe.region",
        string="Located In",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain=[("level", "in", SERVICE_LEVELS)],
        help="The village or the township where the facility stands; it serves the "
        "elders of the whole township.",
    )
    facility_type = fields.Selection(
        [
            ("happiness_home", "Rural Happiness Home"),
            ("day_care", "Day-care Centre"),
            ("meal_point", "Meal-help Point"),
            ("care_home", "Care Home"),
            ("health_centre", "Township Health Centre"),
            ("culture_centre", "Culture Service Centre / Elders' School"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="happiness_home",
        tracking=True,
    )
    state = fields.Selection(
        [("planned", "Planned"), ("operating", "Operating"), ("closed", "Closed")],
        default="planned",
        required=True,
        index=True,
        copy=False,
        tracking=True,
    )
    capacity = fields.Integer(help="Places, or meals a day for a meal-help point.")
    opening_date = fields.Date()
    service_type_ids = fields.Many2many("lbe.service.type", string="Services Offered")
    operator_id = fields.Many2one(
        "lbe.volunteer",
        string="Operating Organisation",
        ondelete="restrict",
        help="A registered organisation running the facility, such as an elders' association.",
    )
    operator_name = fields.Char(
        string="Operated By", help="Who runs the facility otherwise, e.g. the village committee."
    )
    address = fields.Char()
    contact_name = fields.Char(string="Contact")
    contact_phone = fields.Char()
    note = fields.Text()
    service_record_ids = fields.One2many(
        "lbe.service.record", "facility_id", string="Service Records"
    )
    elder_count = fields.Integer(string="Elders Served", compute="_compute_service_figures")
    service_count = fields.Integer(string="Services", compute="_compute_service_figures")
    recent_service_count = fields.Integer(
        string="Services in 30 Days",
        compute="_compute_service_figures",
        help="Services recorded in the last 30 days, to set against the capacity.",
    )
    last_service_date = fields.Date(compute="_compute_last_service_date")
    is_idle = fields.Boolean(
        string="No Service for 60 Days",
        compute="_compute_last_service_date",
        search="_search_is_idle",
        help="Operating for 60 days or more, and no service recorded in the last 60 days.",
    )

    def init(self):
        collate_by_pinyin(self.env.cr, self._table, "name")

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_service_figures(self):
        # The user's own records only: a village clerk counts the village's elders.
        Record = self.env["lbe.service.record"]
        since = fields.Date.context_today(self) - timedelta(days=RECENT_DAYS)
        totals = {
            facility: (count, elders)
            for facility, count, elders in Record._read_group(
                [("facility_id", "in", self.ids)],
                ["facility_id"],
                ["__count", "elder_id:count_distinct"],
            )
        }
        recent = dict(
            Record._read_group(
                [("facility_id", "in", self.ids), ("date", ">=", since)],
                ["facility_id"],
                ["__count"],
            )
        )
        for facility in self:
            facility.service_count, facility.elder_count = totals.get(facility, (0, 0))
            facility.recent_service_count = recent.get(facility, 0)

    def _compute_last_service_date(self):
        # Whether a facility is in use is a fact about the facility, not about the
        # elders: it counts every service, whoever may read them.
        last = dict(
            self.env["lbe.service.record"]
            .sudo()
            ._read_group([("facility_id", "in", self.ids)], ["facility_id"], ["date:max"])
        )
        idle = self._idle_domain()
        idle_ids = set(self.sudo().search([("id", "in", self.ids), *idle]).ids) if self.ids else ()
        for facility in self:
            facility.last_service_date = last.get(facility.sudo())
            facility.is_idle = facility.id in idle_ids

    @api.model
    def _idle_domain(self):
        since = fields.Date.context_today(self) - timedelta(days=IDLE_DAYS)
        active = (
            self.env["lbe.service.record"]
            .sudo()
            ._read_group([("facility_id", "!=", False), ("date", ">=", since)], ["facility_id"])
        )
        return [
            ("state", "=", "operating"),
            ("id", "not in", [facility.id for (facility,) in active]),
            "|",
            ("opening_date", "=", False),
            ("opening_date", "<=", since),
        ]

    def _search_is_idle(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on idle facilities."))
        idle_ids = self.sudo().search(self._idle_domain()).ids
        wanted = (operator == "=") == value
        return [("id", "in" if wanted else "not in", idle_ids)]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("region_id")
    def _check_region(self):
        for facility in self:
            if facility.region_id.level not in SERVICE_LEVELS:
                raise ValidationError(
                    _(
                        "%(name)s: a facility stands in a village or a township.",
                        name=facility.name,
                    )
                )

    @api.constrains("opening_date")
    def _check_opening_date(self):
        for facility in self:
            check_date_floor(facility, ("opening_date",), facility.name)

    @api.constrains("capacity")
    def _check_capacity(self):
        for facility in self:
            if facility.capacity < 0:
                raise ValidationError(
                    _("%(name)s: the capacity cannot be negative.", name=facility.name)
                )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_open(self):
        if self.filtered(lambda f: f.state != "planned"):
            raise UserError(_("Only planned facilities can open."))
        today = fields.Date.context_today(self)
        for facility in self:
            facility._lbe_workflow_write(
                {"state": "operating", "opening_date": facility.opening_date or today}
            )

    def action_close(self):
        if self.filtered(lambda f: f.state != "operating"):
            raise UserError(_("Only operating facilities can close."))
        self._lbe_workflow_write({"state": "closed"})

    def action_reopen(self):
        if self.filtered(lambda f: f.state != "closed"):
            raise UserError(_("Only closed facilities can reopen."))
        self._lbe_workflow_write({"state": "operating"})

    def action_record_services(self):
        self.ensure_one()
        # Like every button, refused on records outside the user's area.
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Services"),
            "res_model": "lbe.facility.service.batch",
            "view_mode": "form",
            "target": "new",
            "context": {"default_facility_id": self.id},
        }

    def action_open_services(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "left_behind_elderly.lbe_service_record_action"
        )
        action["domain"] = [("facility_id", "=", self.id)]
        action["context"] = {"default_facility_id": self.id}
        action["name"] = _("Services at %(facility)s", facility=self.name)
        return action
