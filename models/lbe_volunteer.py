from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .collation import collate_by_pinyin
from .lbe_elder import GENDERS, check_date_floor
from .tiers import SENSITIVE_GROUP, SERVICE_LEVELS


class LbeVolunteer(models.Model):
    """A volunteer or an organisation that pairs with elders (结对帮扶).

    Besides individual volunteers, the plan names volunteer organisations, social
    work stations, elders' associations and healthy younger elders helping older
    ones (以老助老). Each serves a village or a whole township.
    """

    _name = "lbe.volunteer"
    _description = "Volunteer"
    _inherit = ["lbe.area.mixin", "lbe.mobile.mixin"]
    _order = "region_id, name"
    _lbe_masks = {"mobile": "phone"}
    _lbe_mobile_fields = ("mobile",)

    name = fields.Char(required=True)
    kind = fields.Selection(
        [
            ("individual", "Volunteer"),
            ("organisation", "Volunteer organisation"),
            ("social_work", "Social work station"),
            ("elders_association", "Elders' association"),
            ("elder_helper", "Younger elder helping older ones"),
        ],
        required=True,
        default="individual",
    )
    is_organisation = fields.Boolean(compute="_compute_is_organisation")
    region_id = fields.Many2one(
        "lbe.region",
        string="Serves",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("level", "in", SERVICE_LEVELS)],
        help="The village, or the whole township, where the volunteer serves.",
    )
    gender = fields.Selection(GENDERS)
    birth_date = fields.Date(groups=SENSITIVE_GROUP)
    contact_person = fields.Char(help="For an organisation: who to contact.")
    mobile = fields.Char(groups=SENSITIVE_GROUP)
    skills = fields.Char(help="E.g. nursing, repairs, legal advice, counselling.")
    note = fields.Text()
    active = fields.Boolean(default=True)
    pairing_ids = fields.One2many("lbe.volunteer.pairing", "volunteer_id", string="Pairings")
    pairing_count = fields.Integer(compute="_compute_pairing_count")

    def init(self):
        collate_by_pinyin(self.env.cr, self._table, "name")

    @api.depends("kind")
    def _compute_is_organisation(self):
        for volunteer in self:
            volunteer.is_organisation = volunteer.kind in (
                "organisation",
                "social_work",
                "elders_association",
            )

    def _compute_pairing_count(self):
        counts = dict(
            self.env["lbe.volunteer.pairing"]._read_group(
                [("volunteer_id", "in", self.ids), ("state", "=", "active")],
                ["volunteer_id"],
                ["__count"],
            )
        )
        for volunteer in self:
            volunteer.pairing_count = counts.get(volunteer, 0)

    @api.constrains("region_id")
    def _check_region_level(self):
        for volunteer in self:
            if volunteer.region_id.level not in SERVICE_LEVELS:
                raise ValidationError(
                    _(
                        "%(name)s: a volunteer serves a village or a township, not %(region)s.",
                        name=volunteer.name,
                        region=volunteer.region_id.complete_name,
                    )
                )

    @api.constrains("birth_date")
    def _check_birth_date(self):
        today = fields.Date.context_today(self)
        for volunteer in self:
            check_date_floor(volunteer, ("birth_date",), volunteer.name)
            if volunteer.birth_date and volunteer.birth_date > today:
                raise ValidationError(
                    _(
                        "%(name)s: %(field)s cannot be in the future.",
                        name=volunteer.name,
                        field=self._fields["birth_date"]._description_string(self.env),
                    )
                )
