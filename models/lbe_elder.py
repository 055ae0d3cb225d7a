import functools
import unicodedata
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from psycopg2.errors import UniqueViolation
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import isdigits

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, create_index

from .annex1 import (
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
from .lbe_area_mixin import mask_id_number
from .lbe_region import CODE_LENGTHS

# The selections of Annex 1's facts, with the form's wording beside them (annex1.py).
ETHNIC_GROUPS = selection(ETHNIC_GROUP_OPTIONS)
GENDERS = selection(GENDER_OPTIONS)
INCOME_LABELS = dict(selection(INCOME_OPTIONS))
MONTHS = [(str(m), str(m)) for m in range(1, 13)]
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
# Sensitive personal information under PIPL (ID numbers, health details, phones):
# the tiers that keep the ledger see it; city and province work from aggregates.
SENSITIVE = "left_behind_elderly.group_village"


def normalize_id_number(value):
    """Full-width digits and letters become half-width, a lower-case x upper-case."""
    return unicodedata.normalize("NFKC", value or "").replace(" ", "").upper()


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


def id_number_facts(number):
    """Return (birth_date, gender) from a valid resident ID number, or raise.

    The checks of ric.validate(), in its order; the area code is looked up once
    per code, as stdnum scans its whole list of areas on every lookup (2 ms),
    which an import of many rows would pay several times per row.
    """
    number = ric.compact(number)
    if len(number) != 18:
        raise ric.InvalidLength()
    if not isdigits(number[:-1]):
        raise ric.InvalidFormat()
    if number[-1] != ric.calc_check_digit(number):
        raise ric.InvalidChecksum()
    birth_date = ric.get_birth_date(number)
    _check_area_code(number[:6])
    gender = "male" if int(number[16]) % 2 else "female"
    return birth_date, gender


@functools.lru_cache(maxsize=8192)
def _check_area_code(code):
    """Raise InvalidComponent for an area code stdnum does not know."""
    return ric.get_birth_place(code)


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
        "exit_date",
        "exit_reason",
        "exit_note",
        "family_portal_consent",
        "family_portal_consent_user_id",
        "family_portal_consent_date",
    )
    _lbe_masked_fields = {"id_number": "id_number_masked"}

    # Basic facts
    name = fields.Char(required=True, **TRACKED)
    id_number = fields.Char(
        string="ID Number",
        size=18,
        index=True,
        copy=False,
        groups=SENSITIVE,
        **TRACKED,
    )
    id_number_masked = fields.Char(
        string="ID Number (masked)", compute="_compute_id_number_masked", groups=SENSITIVE
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
        domain=[("level", "=", "village")],
        **TRACKED,
    )
    region_code = fields.Char(related="region_id.code", store=True)
    township_id = fields.Many2one("lbe.region", compute="_compute_tiers", store=True, index=True)
    county_id = fields.Many2one("lbe.region", compute="_compute_tiers", store=True, index=True)
    city_id = fields.Many2one("lbe.region", compute="_compute_tiers", store=True, index=True)
    registration_date = fields.Date(default=fields.Date.context_today, required=True)

    # Health and education
    health_status = fields.Selection(
        selection(HEALTH_OPTIONS),
        default="healthy",
        required=True,
        help="The primary status the yearly summary counts. A person both disabled and ill "
        "keeps the details of both below.",
        **TRACKED,
    )
    disability_category = fields.Selection(selection(DISABILITY_CATEGORY_OPTIONS), groups=SENSITIVE)
    disability_grade = fields.Selection(selection(DISABILITY_GRADE_OPTIONS), groups=SENSITIVE)
    disease_type = fields.Char(groups=SENSITIVE)
    education = fields.Selection(selection(EDUCATION_OPTIONS))

    # Family
    spouse_status = fields.Selection(selection(SPOUSE_OPTIONS), **TRACKED)
    child_ids = fields.One2many("lbe.elder.child", "elder_id", string="Children")
    child_count = fields.Integer(compute="_compute_child_count", store=True)
    years_away = fields.Integer(
        string="Years Children Away", help="Years the children have been away for work."
    )
    last_home_visit_year = fields.Integer(string="Last Visit Home (Year)")
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
        [
            ("independent", "Independent"),
            ("partly_dependent", "Partly dependent"),
            ("dependent", "Dependent"),
        ],
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
    filler_id = fields.Many2one(
        "res.users", string="Filled in by", default=lambda self: self.env.user
    )
    reviewer_id = fields.Many2one("res.users")
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

    @api.depends("id_number")
    def _compute_id_number_masked(self):
        for elder in self:
            elder.id_number_masked = mask_id_number(elder.id_number)

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

    @api.model
    def _cron_refresh_key_focus(self):
        """Elders in hardship who turned 80 since yesterday become key focus."""
        eighty = fields.Date.context_today(self) - relativedelta(years=80)
        turned = self.sudo().search(
            [
                ("economic_hardship", "=", True),
                ("is_key_focus", "=", False),
                ("birth_date", "<=", eighty),
            ]
        )
        self.env.add_to_compute(self._fields["is_key_focus"], turned)
        turned.flush_recordset(["is_key_focus"])

    # ------------------------------------------------------------------
    # ID number
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
        width = CODE_LENGTHS["village"]
        return expression.OR(
            [
                [
                    ("region_code", ">=", area.code.ljust(width, "0")),
                    ("region_code", "<=", area.code.ljust(width, "9")),
                ]
                for area in self.env.user.lbe_region_ids.sudo()
            ]
        )

    @api.onchange("id_number")
    def _onchange_id_number(self):
        if not self.id_number:
            return None
        number = normalize_id_number(self.id_number)
        try:
            birth_date, gender = id_number_facts(number)
        except StdnumError as e:
            # A warning, not an error: the clerk keeps what was typed and corrects it;
            # saving refuses the number all the same.
            return {
                "warning": {
                    "title": _("Invalid ID number"),
                    "message": self._id_number_message(number, e),
                }
            }
        # The ID number is authoritative: what it says replaces what was entered.
        self.update({"id_number": number, "birth_date": birth_date, "gender": gender})
        return None

    def _fill_from_id_number(self, vals):
        """Normalise the ID number and fill birth date and gender from it."""
        if not vals.get("id_number"):
            return
        number = normalize_id_number(vals["id_number"])
        vals["id_number"] = number
        try:
            birth_date, gender = id_number_facts(number)
        except StdnumError as e:
            raise ValidationError(self._id_number_message(number, e)) from e
        # The client sends empty fields as False: fill those too.
        if not vals.get("birth_date"):
            vals["birth_date"] = birth_date
        if not vals.get("gender"):
            vals["gender"] = gender

    @api.model
    def _id_number_message(self, number, error):
        if isinstance(error, ric.InvalidLength):
            reason = _("it must have 18 characters.")
        elif isinstance(error, ric.InvalidChecksum):
            reason = _("the check digit does not match.")
        elif isinstance(error, ric.InvalidComponent):
            reason = _("the date of birth or the area code in it is wrong.")
        else:
            reason = _("only digits, with X as the last character, are allowed.")
        return _("The ID number %(number)s is not valid: %(reason)s", number=number, reason=reason)

    @api.constrains("id_number", "birth_date", "gender")
    def _check_id_number_agrees(self):
        for elder in self.filtered("id_number"):
            birth_date, gender = id_number_facts(elder.id_number)
            if elder.birth_date and elder.birth_date != birth_date:
                raise ValidationError(
                    _(
                        "%(name)s: the date of birth %(date)s does not agree with the ID "
                        "number, which gives %(id_date)s.",
                        name=elder.name,
                        date=elder.birth_date,
                        id_date=birth_date,
                    )
                )
            if elder.gender and elder.gender != gender:
                raise ValidationError(
                    _("%(name)s: the gender does not agree with the ID number.", name=elder.name)
                )

    # Named to run before the other checks on `state`: those may flush the
    # record, and the unique index would then speak first, as a database error.
    @api.constrains("id_number", "state")
    def _check_active_id_number_unique(self):
        active = self.filtered(lambda e: e.state == "active" and e.id_number)
        if not active:
            return
        first_of = {}
        for elder in active:
            first = first_of.setdefault(elder.id_number, elder)
            if first != elder:
                raise self._duplicate_error(elder.id_number, first.id)
        # Plain SQL, as an ORM search would flush these very records first.
        self.env.cr.execute(
            SQL(
                "SELECT id_number, id FROM lbe_elder"
                " WHERE state = 'active' AND id_number IN %s AND id NOT IN %s LIMIT 1",
                tuple(first_of),
                tuple(active.ids),
            )
        )
        row = self.env.cr.fetchone()
        if row:
            raise self._duplicate_error(*row)

    def _duplicate_error(self, number, other_id):
        # Constraints may run as superuser (after a workflow step): ask as the user.
        other = self.browse(other_id).with_user(self.env.uid)
        if other.has_access("read"):
            return ValidationError(
                _(
                    "The ID number %(number)s is already registered in the ledger "
                    "(%(name)s, %(village)s).",
                    number=number,
                    name=other.name,
                    village=other.region_id.complete_name,
                )
            )
        # The other record lies outside the user's area: say nothing of it, only
        # who can settle where the person lives.
        return ValidationError(
            _(
                "The ID number %(number)s is already registered in the ledger of another "
                "area. Ask your county's civil-affairs office, which can reach the other "
                "area, to settle where the person lives.",
                number=number,
            )
        )

    # ------------------------------------------------------------------
    # Other constraints
    # ------------------------------------------------------------------
    @api.constrains("region_id")
    def _check_region_is_village(self):
        for elder in self:
            if elder.region_id.level != "village":
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
    # Life cycle
    # ------------------------------------------------------------------
    def _definition_problems(self):
        """What keeps this elder from meeting the legal definition, in words.

        The village region, the definition's last condition, is a constraint
        of every record (`_check_region_is_village`).
        """
        self.ensure_one()
        problems = []
        today = fields.Date.context_today(self)
        if not self.birth_date or relativedelta(today, self.birth_date).years < 60:
            problems.append(_("aged under 60 or date of birth unknown"))
        if not self.child_ids:
            problems.append(_("no child recorded"))
        year_ago = today - relativedelta(years=1)
        if any(not c.away_since or c.away_since > year_ago for c in self.child_ids):
            problems.append(_("not every child has been away for a year or more"))
        return problems

    # On `state` alone: registering is checked, whatever the path (button, RPC,
    # import); a registered elder whose situation changes leaves by an exit.
    @api.constrains("state")
    def _check_definition(self):
        for elder in self.filtered(lambda e: e.state == "active"):
            problems = elder._definition_problems()
            if problems:
                raise ValidationError(
                    _(
                        "%(name)s cannot be registered as a left-behind elder: %(problems)s.",
                        name=elder.name,
                        problems="; ".join(problems),
                    )
                )

    def action_activate(self):
        not_draft = self.filtered(lambda e: e.state != "draft")
        if not_draft:
            raise UserError(_("%(name)s is not a draft record.", name=not_draft[0].name))
        self._write_active({"state": "active"})

    def _write_active(self, vals):
        """Register the elders, `vals` setting their state to active.

        The duplicate check cannot see a person registered at the same moment by
        another transaction (an import, a clerk): the unique index meets them
        when that one commits. Written and flushed in a savepoint, so that this
        says so in words, not in the index's.
        """
        try:
            with self.env.cr.savepoint():
                self._lbe_workflow_write(vals)
                self.flush_recordset(["state"])
        except UniqueViolation as error:
            if error.diag.constraint_name != "lbe_elder_active_id_number_uniq":
                raise
            raise ValidationError(
                _(
                    "While this was being saved, another user registered the same person "
                    "(the same ID number) in the ledger. Nothing was saved: look the person up "
                    "in the ledger before registering them again."
                )
            ) from None

    def action_exit(self, reason, exit_date=None, note=None):
        if reason not in dict(EXIT_REASONS):
            raise UserError(_("Choose a reason for the exit."))
        if self.filtered(lambda e: e.state != "active"):
            raise UserError(_("Only registered elders can exit the ledger."))
        self._lbe_workflow_write(
            {
                "state": "exited",
                "exit_reason": reason,
                "exit_date": exit_date or fields.Date.context_today(self),
                "exit_note": note,
            }
        )

    def action_open_exit_wizard(self):
        # Like every button, refused on records outside the user's area.
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": _("Exit from the Ledger"),
            "res_model": "lbe.elder.exit",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    def action_reactivate(self):
        if self.filtered(lambda e: e.state != "exited"):
            raise UserError(_("Only exited elders can be reactivated."))
        self._write_active(
            {"state": "active", "exit_date": False, "exit_reason": False, "exit_note": False}
        )

    # ==================================================================
    # Care work (issue 4): visits, follow-up of elders at risk, entrusted-
    # care agreements and volunteer pairing, as they show on the elder.
    # ==================================================================
    visit_ids = fields.One2many("lbe.visit", "elder_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_care_counts")
    agreement_count = fields.Integer(compute="_compute_care_counts")
    pairing_count = fields.Integer(compute="_compute_care_counts")
    last_visit_date = fields.Date(
        compute="_compute_last_visit", store=True, help="Date of the last completed visit."
    )
    is_at_risk = fields.Boolean(
        string="At Risk",
        compute="_compute_last_visit",
        store=True,
        index=True,
        help="The last completed visit found a high risk or a safety risk.",
    )
    next_visit_date = fields.Date(
        compute="_compute_next_visit_date",
        store=True,
        index=True,
        help="The last visit (or the registration) plus the interval of the visit policy: "
        "shorter for key-focus and at-risk elders.",
    )
    is_visit_overdue = fields.Boolean(
        string="Visit Overdue",
        compute="_compute_is_visit_overdue",
        store=True,
        index=True,
        help="Registered and not visited by the next visit date. Kept current every day by "
        "a scheduled action.",
    )
    risk_not_followed_up = fields.Boolean(
        string="At Risk, Not Followed Up",
        compute="_compute_risk_not_followed_up",
        store=True,
        index=True,
        help="A visit found a risk, and the children or supporters have not been notified or "
        "the township has not been told yet.",
    )
    missing_annex_facts = fields.Boolean(
        string="Missing Annex 1 Facts",
        compute="_compute_missing_annex_facts",
        store=True,
        index=True,
    )
    missing_annex_facts_list = fields.Char(
        string="Missing Facts", compute="_compute_missing_annex_facts_list"
    )

    facility_ids = fields.Many2many(
        "lbe.facility",
        string="Facilities",
        compute="_compute_facility_services",
        help="The care facilities that have served the elder.",
    )
    last_facility_service_date = fields.Date(
        string="Last Service at a Facility", compute="_compute_facility_services"
    )

    @api.depends_context("uid")
    def _compute_facility_services(self):
        served = {}
        for elder, facility, last in self.env["lbe.service.record"]._read_group(
            [("elder_id", "in", self.ids), ("facility_id", "!=", False)],
            ["elder_id", "facility_id"],
            ["date:max"],
        ):
            facilities, latest = served.get(elder, (facility.browse(), False))
            served[elder] = (facilities | facility, max(latest or last, last))
        for elder in self:
            elder.facility_ids, elder.last_facility_service_date = served.get(
                elder, (self.env["lbe.facility"], False)
            )

    def _compute_care_counts(self):
        counts = {}
        for model, key in (
            ("lbe.visit", "visit_count"),
            ("lbe.care.agreement", "agreement_count"),
            ("lbe.volunteer.pairing", "pairing_count"),
        ):
            for elder, count in self.env[model]._read_group(
                [("elder_id", "in", self.ids)], ["elder_id"], ["__count"]
            ):
                counts[elder.id, key] = count
        for elder in self:
            elder.visit_count = counts.get((elder.id, "visit_count"), 0)
            elder.agreement_count = counts.get((elder.id, "agreement_count"), 0)
            elder.pairing_count = counts.get((elder.id, "pairing_count"), 0)

    @api.depends(
        "visit_ids.state", "visit_ids.visit_date", "visit_ids.risk_level", "visit_ids.safety_risk"
    )
    def _compute_last_visit(self):
        for elder in self:
            done = elder.visit_ids.filtered(lambda v: v.state == "done")
            last = done.sorted(lambda v: (v.visit_date, v.id))[-1:]
            elder.last_visit_date = last.visit_date
            elder.is_at_risk = bool(last) and (last.risk_level == "high" or last.safety_risk)

    @api.depends("last_visit_date", "registration_date", "is_key_focus", "is_at_risk")
    def _compute_next_visit_date(self):
        # _reschedule_visits() applies the same rule in SQL when the policy changes.
        focus_days, other_days = self.env["res.config.settings"]._lbe_visit_intervals()
        for elder in self:
            since = elder.last_visit_date or elder.registration_date
            days = focus_days if elder.is_key_focus or elder.is_at_risk else other_days
            elder.next_visit_date = since and since + relativedelta(days=days)

    @api.depends("next_visit_date", "state")
    def _compute_is_visit_overdue(self):
        # Time passes without any write: _cron_visits_overdue() moves the flag daily.
        today = fields.Date.context_today(self)
        for elder in self:
            elder.is_visit_overdue = bool(
                elder.state == "active" and elder.next_visit_date and elder.next_visit_date < today
            )

    @api.depends("visit_ids.followup_state")
    def _compute_risk_not_followed_up(self):
        for elder in self:
            elder.risk_not_followed_up = "pending" in elder.visit_ids.mapped("followup_state")

    @api.depends(
        "id_number",
        "birth_date",
        "gender",
        "ethnic_group",
        "household_registration",
        "address",
        "health_status",
        "disability_category",
        "disease_type",
        "education",
        "spouse_status",
        "child_ids.birth_date",
        "years_away",
        "last_home_visit_year",
        "income_children_wages",
        "income_farming",
        "income_government_aid",
        "income_other",
        "guardian_ids.mobile",
    )
    def _compute_missing_annex_facts(self):
        for elder in self:
            elder.missing_annex_facts = bool(elder._missing_annex_facts())

    def _compute_missing_annex_facts_list(self):
        for elder in self:
            elder.missing_annex_facts_list = ", ".join(elder._missing_annex_facts())

    def _missing_annex_facts(self):
        """The labels of the registration form's (Annex 1) facts still blank."""
        self.ensure_one()
        elder = self.sudo()
        blank = [
            field
            for field in (
                "id_number",
                "birth_date",
                "gender",
                "ethnic_group",
                "household_registration",
                "address",
                "education",
                "spouse_status",
                "years_away",
                "last_home_visit_year",
            )
            if not elder[field]
        ]
        if elder.health_status == "disabled" and not elder.disability_category:
            blank.append("disability_category")
        if elder.health_status == "ill" and not elder.disease_type:
            blank.append("disease_type")
        missing = [self._fields[field].get_description(self.env)["string"] for field in blank]
        if not elder.child_ids or not all(elder.child_ids.mapped("birth_date")):
            missing.append(_("children's dates of birth"))
        if not (
            elder.income_children_wages
            or elder.income_farming
            or elder.income_government_aid
            or elder.income_other
        ):
            missing.append(_("income sources"))
        if not elder.guardian_ids or not all(elder.guardian_ids.mapped("mobile")):
            missing.append(_("main supporter's mobile"))
        return missing

    # ==================================================================
    # Family portal (issue 11): the elder's consent to show the family
    # what the care work found, and the family's contacts with the elder.
    # ==================================================================
    family_portal_consent = fields.Boolean(
        copy=False,
        help="The elder agrees that the supporters invited to the family portal see the "
        "visits (what was found, in plain words, and the risk level), the care agreement, "
        "the volunteers and facilities caring for them, and receive the notifications of "
        "risk. Set and withdrawn with the buttons, which record who and when.",
        **TRACKED,
    )
    family_portal_consent_user_id = fields.Many2one(
        "res.users", string="Consent Recorded by", copy=False, **TRACKED
    )
    family_portal_consent_date = fields.Datetime(
        string="Consent Recorded on", copy=False, **TRACKED
    )
    family_contact_ids = fields.One2many(
        "lbe.family.contact", "elder_id", string="Contacts with the Family"
    )

    def action_give_family_portal_consent(self):
        if self.filtered(lambda e: e.state != "active" or e.family_portal_consent):
            raise UserError(
                _("Consent to the family portal is recorded for registered elders without it.")
            )
        self._lbe_workflow_write(
            {
                "family_portal_consent": True,
                "family_portal_consent_user_id": self.env.uid,
                "family_portal_consent_date": fields.Datetime.now(),
            }
        )

    def action_withdraw_family_portal_consent(self):
        """Withdrawn consent closes the portal at once: the portal shows an
        elder only while the consent holds, and the supporters lose their access."""
        if self.filtered(lambda e: not e.family_portal_consent):
            raise UserError(_("Only a recorded consent to the family portal can be withdrawn."))
        self._lbe_workflow_write(
            {
                "family_portal_consent": False,
                "family_portal_consent_user_id": self.env.uid,
                "family_portal_consent_date": fields.Datetime.now(),
            }
        )
        self.guardian_ids.filtered("portal_access").action_revoke_portal()

    def action_record_visit(self):
        """Open a new visit of this elder, ready to fill in."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": _("Record a Visit"),
            "res_model": "lbe.visit",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_elder_id": self.id},
        }

    @api.model
    def _lbe_field_elders(self):
        """The registered elders of the user's area as the field app keeps them on
        the phone: what a clerk needs on a visit, overdue ones first. No ID number,
        birth date, health details or phone number leaves for the device."""
        elders = self.search(
            [("state", "=", "active")],
            order="is_visit_overdue desc, next_visit_date, name, id",
        )
        last_risk = {}
        if elders:
            # The risk found by each elder's last completed visit, in one query;
            # visits lie in their elder's area, which the search above checked.
            self.env["lbe.visit"].flush_model(["elder_id", "state", "visit_date", "risk_level"])
            rows = self.env.execute_query(
                SQL(
                    "SELECT DISTINCT ON (elder_id) elder_id, risk_level FROM lbe_visit"
                    " WHERE state = 'done' AND elder_id IN %s"
                    " ORDER BY elder_id, visit_date DESC, id DESC",
                    tuple(elders.ids),
                )
            )
            last_risk = dict(rows)
        risk_labels = dict(
            self.env["lbe.visit"]._fields["risk_level"]._description_selection(self.env)
        )
        return [
            {
                "id": elder.id,
                "name": elder.name,
                "village": elder.region_id.name,
                "age": elder.age or None,
                "key_focus": elder.is_key_focus,
                "at_risk": elder.is_at_risk,
                "overdue": elder.is_visit_overdue,
                "next_visit_date": fields.Date.to_string(elder.next_visit_date),
                "last_visit_date": fields.Date.to_string(elder.last_visit_date),
                "last_risk": risk_labels.get(last_risk.get(elder.id)) or None,
                "checks": elder._lbe_field_checks(),
            }
            for elder in elders
        ]

    def _lbe_field_checks(self):
        """What to look at on the next visit, in words, from the ledger's facts."""
        self.ensure_one()
        checks = []
        if self.is_at_risk:
            checks.append(_("The last visit found a risk: check it again."))
        if self.living_alone:
            checks.append(_("Lives alone: check safety at home."))
        if self.self_care in ("partly_dependent", "dependent"):
            checks.append(_("Needs help in daily life: check who cares for them."))
        if self.health_status in ("ill", "disabled"):
            checks.append(_("Ill or disabled: ask about their health and treatment."))
        if self.economic_hardship:
            checks.append(_("Economic hardship: check food, housing and aid."))
        if self.missing_annex_facts:
            checks.append(_("Ledger facts are missing: ask about them."))
        return checks

    @api.model
    def _lbe_users_by_region(self, group_xmlid, regions):
        """The users of a tier serving exactly these regions, by region id, in one search."""
        # Who must be told is decided whoever triggers it; users' areas are settings.
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref(group_xmlid).id),
                    ("lbe_region_ids", "in", regions.ids),
                ],
                order="id",
            )
        )
        by_region = {}
        for user in users:
            for region in user.lbe_region_ids & regions:
                by_region[region.id] = by_region.get(region.id, users.browse()) | user
        return by_region

    @api.model
    def _lbe_remind_village(self, records, activity_type, deadline, summary):
        """Give a clerk of each record's village one open activity of this type.

        Works set-wise for the daily scheduled actions: one search for the open
        activities, one for the clerks, one batched create. A record that has an
        open activity of the type already gets no second one.
        """
        reminded = set(
            self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", records._name),
                    ("activity_type_id", "=", activity_type.id),
                    ("res_id", "in", records.ids),
                ],
                ["res_id"],
            )
            .mapped("res_id")
        )
        to_remind = records.filtered(lambda r: r.id not in reminded)
        clerks = self._lbe_users_by_region("left_behind_elderly.group_village", to_remind.region_id)
        model_id = self.env["ir.model"]._get_id(records._name)
        # No clerk serving the village: the supervision view shows the record.
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": record.id,
                "activity_type_id": activity_type.id,
                "user_id": clerks[record.region_id.id][:1].id,
                "date_deadline": deadline(record),
                "summary": summary(record),
                "automated": True,
            }
            for record in to_remind
            if record.region_id.id in clerks
        ]
        # Reminders go to the clerks' to-do lists; no e-mail for each of them.
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            vals_list
        )

    @api.model
    def _reschedule_visits(self):
        """Apply a changed visit policy to every elder in one statement."""
        focus_days, other_days = self.env["res.config.settings"]._lbe_visit_intervals()
        self.flush_model()
        self.env.cr.execute(
            """
            UPDATE lbe_elder
               SET next_visit_date = coalesce(last_visit_date, registration_date)
                   + CASE WHEN is_key_focus OR is_at_risk THEN %s ELSE %s END
            """,
            [focus_days, other_days],
        )
        self.invalidate_model(["next_visit_date"])
        self._mark_visits_overdue()

    @api.model
    def _mark_visits_overdue(self):
        """Set the overdue flag of every elder as of today, in one statement."""
        self.flush_model(["state", "next_visit_date", "is_visit_overdue"])
        self.env.cr.execute(
            """
            UPDATE lbe_elder
               SET is_visit_overdue = NOT coalesce(is_visit_overdue, false)
             WHERE coalesce(is_visit_overdue, false)
                   != (state = 'active' AND coalesce(next_visit_date < %s, false))
            """,
            [fields.Date.context_today(self)],
        )
        self.invalidate_model(["is_visit_overdue"])

    @api.model
    def _cron_visits_overdue(self):
        """Daily: mark overdue visits, and give the village one activity per overdue elder."""
        self._mark_visits_overdue()
        activity_type = self.env.ref("left_behind_elderly.mail_activity_type_visit_overdue")
        self.env["mail.activity"].flush_model(["res_model", "res_id", "activity_type_id"])
        # Only the overdue elders without the open activity, found in the database:
        # on most days few of a province's overdue elders are new.
        self.env.cr.execute(
            SQL(
                """
                SELECT e.id FROM lbe_elder e
                 WHERE e.is_visit_overdue
                   AND NOT EXISTS (
                       SELECT 1 FROM mail_activity a
                        WHERE a.res_model = 'lbe.elder' AND a.res_id = e.id
                          AND a.activity_type_id = %s)
                """,
                activity_type.id,
            )
        )
        self._lbe_remind_village(
            self.sudo().browse(row[0] for row in self.env.cr.fetchall()),
            activity_type,
            deadline=lambda elder: fields.Date.context_today(self),
            summary=lambda elder: self.env._(
                "Visit overdue since %(date)s: visit the elder.", date=elder.next_visit_date
            ),
        )
