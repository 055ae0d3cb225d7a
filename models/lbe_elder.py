from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import create_index

from ..annex.annex1 import (
    DISABILITY_CATEGORY_OPTIONS,
    DISABILITY_GRADE_OPTIONS,
    EDUCATION_OPTIONS,
    ETHNIC_GROUP_OPTIONS,
    GENDER_OPTIONS,
    HEALTH_OPTIONS,
    INCOME_OPTIONS,
    SPOUSE_OPTIONS,
    STATE_OPTIONS,
    selection,
)
from .collation import collate_by_pinyin
from .lbe_region import CODE_LENGTHS
from .tiers import SENSITIVE_GROUP, VILLAGE

# The selections of Annex 1's facts, with the form's wording beside them (annex1.py).
ETHNIC_GROUPS = selection(ETHNIC_GROUP_OPTIONS)
GENDERS = selection(GENDER_OPTIONS)
HEALTH = selection(HEALTH_OPTIONS)
INCOME_LABELS = dict(selection(INCOME_OPTIONS))
MONTHS = [(str(m), str(m)) for m in range(1, 13)]
# The self-care ability of the key-focus screening (not a fact of Annex 1), which a
# visit finds again.
SELF_CARE = [
    ("independent", "Independent"),
    ("partly_dependent", "Partly dependent"),
    ("dependent", "Dependent"),
]
EXIT_REASONS = [
    ("deceased", "Deceased"),
    ("child_returned", "A child returned"),
    ("moved_away", "Moved away"),
    ("institution", "Entered an institution"),
    ("not_eligible", "No longer meets the definition"),
    ("other", "Other"),
]
# Facts whose change the chatter records: the ledger is managed dynamically and
# a supervisor must see who changed what, when.
TRACKED = {"tracking": True}


# The floor of every date (and year) of elders' data: nobody alive was born
# before it, and an earlier visit, registration or agreement is a typing error.
EARLIEST_DATE = date(1900, 1, 1)
# Children an elder may have, at most: more is a typing error (2,000 for 2).
MAX_CHILDREN = 20
# Children leave home for work at 16 at the earliest, so they have been away at
# most for the elder's age less 16 years.
AWAY_MIN_AGE = 16


def check_date_floor(record, names, label=None):
    """Refuse the dates, datetimes or years `names` of `record` that lie before
    EARLIEST_DATE; the message calls the record `label` (its display name)."""
    for name in names:
        value = record[name]
        if not value:
            continue
        if isinstance(value, int):
            too_early = value < EARLIEST_DATE.year
        else:
            too_early = (value.date() if isinstance(value, datetime) else value) < EARLIEST_DATE
        if too_early:
            raise ValidationError(
                record.env._(
                    "%(name)s: %(field)s %(value)s is before %(year)s; enter the real date.",
                    name=label or record.display_name,
                    field=record._fields[name]._description_string(record.env),
                    value=value,
                    year=EARLIEST_DATE.year,
                )
            )


def max_years_away(birth_date, on_day):
    """The most years children can have been away from an elder born on
    `birth_date` (unknown: the earliest date), as of `on_day`."""
    return relativedelta(on_day, birth_date or EARLIEST_DATE).years - AWAY_MIN_AGE


class LbeElder(models.Model):
    """A rural left-behind elderly person in the information ledger (Annex 1)."""

    _name = "lbe.elder"
    _description = "Left-behind Elder"
    _inherit = ["mail.thread", "mail.activity.mixin", "lbe.area.mixin"]
    # The village's code orders the ledger by city, county, township and village
    # without joining the regions, and one index serves a province's first page.
    _order = "region_code, name, id"
    _lbe_workflow_fields = (
        "state",
        "registered_by_id",
        "exit_date",
        "exit_reason",
        "exit_note",
        "family_portal_consent",
        "family_portal_consent_user_id",
        "family_portal_consent_date",
    )
    _lbe_masks = {"id_number": "id_number"}

    # Basic facts
    name = fields.Char(required=True, **TRACKED)
    id_number = fields.Char(
        string="ID Number",
        size=18,
        index=True,
        copy=False,
        groups=SENSITIVE_GROUP,
        **TRACKED,
    )
    birth_date = fields.Date(**TRACKED)
    age = fields.Integer(compute="_compute_age", help="Age in full years as of today.")
    gender = fields.Selection(GENDERS, **TRACKED)
    ethnic_group = fields.Selection(ETHNIC_GROUPS, default="01")
    household_registration = fields.Char(string="Household Registration Place")
    address = fields.Char(string="Current Address", **TRACKED)
    region_id = fields.Many2one(
        "lbe.region",
        string="Village",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("level", "=", VILLAGE)],
        **TRACKED,
    )
    region_code = fields.Char(related="region_id.code", store=True)
    township_id = fields.Many2one("lbe.region", compute="_compute_tiers", store=True, index=True)
    county_id = fields.Many2one("lbe.region", compute="_compute_tiers", store=True, index=True)
    city_id = fields.Many2one("lbe.region", compute="_compute_tiers", store=True, index=True)
    registration_date = fields.Date(default=fields.Date.context_today, required=True)

    # Health and education
    health_status = fields.Selection(
        HEALTH,
        default="healthy",
        required=True,
        help="The primary status the yearly summary counts. A person both disabled and ill "
        "keeps the details of both below.",
        **TRACKED,
    )
    disability_category = fields.Selection(
        selection(DISABILITY_CATEGORY_OPTIONS), groups=SENSITIVE_GROUP
    )
    disability_grade = fields.Selection(selection(DISABILITY_GRADE_OPTIONS), groups=SENSITIVE_GROUP)
    disease_type = fields.Char(groups=SENSITIVE_GROUP)
    education = fields.Selection(selection(EDUCATION_OPTIONS))

    # Family
    spouse_status = fields.Selection(selection(SPOUSE_OPTIONS), **TRACKED)
    child_ids = fields.One2many("lbe.elder.child", "elder_id", string="Children")
    child_count = fields.Integer(compute="_compute_child_count", store=True)
    years_away = fields.Integer(
        string="Years Children Away", help="Years the children have been away for work."
    )
    # A year, not a quantity: never summed in grouped lists (views show it unformatted).
    last_home_visit_year = fields.Integer(string="Last Visit Home (Year)", aggregator=False)
    last_home_visit_month = fields.Selection(MONTHS, string="Last Visit Home (Month)")
    reunions_per_year = fields.Float(
        digits=(4, 1), help="Yearly average number of reunions over the last five years."
    )
    reunion_days_avg = fields.Float(string="Average Days per Reunion", digits=(4, 1))
    income_children_wages = fields.Boolean(string=INCOME_LABELS["income_children_wages"])
    income_farming = fields.Boolean(string=INCOME_LABELS["income_farming"])
    income_government_aid = fields.Boolean(string=INCOME_LABELS["income_government_aid"])
    income_other = fields.Boolean(string=INCOME_LABELS["income_other"])
    income_other_note = fields.Char(string="Other Income")
    guardian_ids = fields.One2many("lbe.guardian", "elder_id", string="Main Supporters")
    # Stored so that a change made on a supporter directly (not through the
    # elder's form) recomputes it, which runs the one-primary check.
    primary_guardian_id = fields.Many2one(
        "lbe.guardian", compute="_compute_primary_guardian", store=True, string="Primary Supporter"
    )

    # Key-focus screening (重点排查)
    economic_hardship = fields.Boolean(
        help="Low-income, extreme-poverty or registered-poor household.", **TRACKED
    )
    self_care = fields.Selection(
        SELF_CARE,
        string="Self-care Ability",
        default="independent",
        **TRACKED,
    )
    living_alone = fields.Boolean(**TRACKED)
    is_key_focus = fields.Boolean(
        compute="_compute_is_key_focus",
        store=True,
        index=True,
        help="Economic hardship and aged 80 or more, disabled, or partly or fully dependent.",
    )

    # Life cycle
    state = fields.Selection(
        selection(STATE_OPTIONS),
        default="draft",
        required=True,
        index=True,
        copy=False,
        **TRACKED,
    )
    exit_date = fields.Date(copy=False, **TRACKED)
    exit_reason = fields.Selection(EXIT_REASONS, copy=False, **TRACKED)
    exit_note = fields.Char(copy=False)

    # Annex 1 footer
    # The clerk at the keyboard; never OdooBot, which loads data, not forms.
    filler_id = fields.Many2one(
        "res.users",
        string="Filled in by",
        default=lambda self: self.env.user if not self.env.user._is_superuser() else False,
    )
    reviewer_id = fields.Many2one("res.users")
    registered_by_id = fields.Many2one(
        "res.users",
        string="Registered by",
        readonly=True,
        copy=False,
        help="The staff member who registered the elder in the ledger.",
    )
    unit_head = fields.Char(string="Head of Unit")

    _sql_constraints = [
        (
            "counts_not_negative",
            "CHECK(years_away >= 0 AND reunions_per_year >= 0 AND reunion_days_avg >= 0)",
            "Years away, reunions and days per reunion cannot be negative.",
        ),
    ]

    def init(self):
        # One active record per person, whatever writes to the table.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS lbe_elder_active_id_number_uniq"
            " ON lbe_elder (id_number) WHERE state = 'active'"
        )
        # Names by pinyin; the order index below then sorts them so too.
        collate_by_pinyin(self.env.cr, self._table, "name")
        create_index(
            self.env.cr, "lbe_elder_order_index", self._table, ["region_code", "name", "id"]
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("region_id.parent_id.parent_id.parent_id")
    def _compute_tiers(self):
        for elder in self:
            township = elder.region_id.parent_id
            elder.township_id = township
            elder.county_id = township.parent_id
            elder.city_id = township.parent_id.parent_id

    @api.depends("birth_date")
    def _compute_age(self):
        today = fields.Date.context_today(self)
        for elder in self:
            elder.age = relativedelta(today, elder.birth_date).years if elder.birth_date else 0

    @api.depends("child_ids")
    def _compute_child_count(self):
        for elder in self:
            elder.child_count = len(elder.child_ids)

    @api.depends("guardian_ids.is_primary")
    def _compute_primary_guardian(self):
        for elder in self:
            elder.primary_guardian_id = elder.guardian_ids.filtered("is_primary")[:1]

    @api.depends("economic_hardship", "birth_date", "health_status", "self_care")
    def _compute_is_key_focus(self):
        eighty = fields.Date.context_today(self) - relativedelta(years=80)
        for elder in self:
            elder.is_key_focus = elder.economic_hardship and (
                bool(elder.birth_date and elder.birth_date <= eighty)
                or elder.health_status == "disabled"
                or elder.self_care in ("partly_dependent", "dependent")
            )

    # ------------------------------------------------------------------
    # Constraints (the ID number's: lbe_elder_id_number.py; the definition's:
    # lbe_elder_life_cycle.py)
    # ------------------------------------------------------------------
    @api.constrains("region_id")
    def _check_region_is_village(self):
        for elder in self:
            if elder.region_id.level != VILLAGE:
                raise ValidationError(
                    _(
                        "%(name)s: the region must be a village, not %(region)s.",
                        name=elder.name,
                        region=elder.region_id.complete_name,
                    )
                )

    @api.constrains(
        "birth_date",
        "registration_date",
        "exit_date",
        "last_home_visit_year",
        "last_home_visit_month",
    )
    def _check_dates_not_future(self):
        today = fields.Date.context_today(self)
        for elder in self:
            check_date_floor(
                elder, ("birth_date", "registration_date", "exit_date", "last_home_visit_year")
            )
            for field in ("birth_date", "registration_date", "exit_date"):
                if elder[field] and elder[field] > today:
                    raise ValidationError(
                        _(
                            "%(name)s: %(field)s cannot be in the future.",
                            name=elder.name,
                            field=self._fields[field].get_description(self.env)["string"],
                        )
                    )
            visit = (elder.last_home_visit_year, int(elder.last_home_visit_month or 1))
            if elder.last_home_visit_year and visit > (today.year, today.month):
                raise ValidationError(
                    _("%(name)s: the last visit home cannot be in the future.", name=elder.name)
                )

    @api.constrains("years_away", "birth_date")
    def _check_years_away(self):
        today = fields.Date.context_today(self)
        for elder in self:
            limit = max(max_years_away(elder.birth_date, today), 0)
            if elder.years_away > limit:
                raise ValidationError(
                    _(
                        "%(name)s: the children cannot have been away for %(years)s years; "
                        "at most %(max)s (the elder's age less %(min_age)s).",
                        name=elder.name,
                        years=elder.years_away,
                        max=limit,
                        min_age=AWAY_MIN_AGE,
                    )
                )

    # On `child_count` too: it is recomputed, and so checked, when a child is
    # added directly.
    @api.constrains("child_ids", "child_count")
    def _check_child_count(self):
        for elder in self:
            if len(elder.child_ids) > MAX_CHILDREN:
                raise ValidationError(
                    _(
                        "%(name)s: %(count)s children is more than a family has; at most %(max)s.",
                        name=elder.name,
                        count=len(elder.child_ids),
                        max=MAX_CHILDREN,
                    )
                )

    # On `primary_guardian_id` too: it is recomputed, and so checked, whenever
    # a supporter changes, however the change is made.
    @api.constrains("guardian_ids", "primary_guardian_id")
    def _check_one_primary_guardian(self):
        for elder in self:
            primaries = len(elder.guardian_ids.filtered("is_primary"))
            if elder.guardian_ids and primaries != 1:
                raise ValidationError(
                    _(
                        "%(name)s: exactly one main supporter must be marked as primary "
                        "(%(count)s are).",
                        name=elder.name,
                        count=primaries,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        to_register = []
        for vals in vals_list:
            self._fill_from_id_number(vals)
            # A record created as registered (an import) goes through the same
            # step as the Register button: created as a draft, then registered,
            # so that the duplicate check speaks before the unique index does.
            to_register.append(vals.get("state") == "active")
            if to_register[-1]:
                vals["state"] = "draft"
        elders = super().create(vals_list)
        elders.browse(e.id for e, flag in zip(elders, to_register, strict=True) if flag).write(
            {"state": "active"}
        )
        return elders

    def write(self, vals):
        self._fill_from_id_number(vals)
        # Registering, by the button, a reactivation or an import, records who did;
        # the application's own loading (demo data, as superuser) is nobody's.
        if vals.get("state") == "active" and not self.env.user._is_superuser():
            vals = {**vals, "registered_by_id": self.env.uid}
        return super().write(vals)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su and self.env.user.lbe_region_ids:
            # The area rule restated on the village code, which starts with the codes
            # of the regions above it (the regions' constraint): a range of the order
            # index per area. The rule's child_of subquery leaves the planner guessing
            # how many elders an area holds, and it then walks the whole index for a
            # county's first page.
            domain = expression.AND([domain, self._lbe_area_code_ranges()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _lbe_area_code_ranges(self):
        width = CODE_LENGTHS[VILLAGE]
        return expression.OR(
            [
                [
                    ("region_code", ">=", area.code.ljust(width, "0")),
                    ("region_code", "<=", area.code.ljust(width, "9")),
                ]
                for area in self.env.user.lbe_region_ids.sudo()
            ]
        )
