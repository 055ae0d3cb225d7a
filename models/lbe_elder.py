import unicodedata

from dateutil.relativedelta import relativedelta
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# GB/T 3304 codes and the 56 ethnic groups, in the standard's order.
ETHNIC_GROUPS = [
    ("01", "Han"), ("02", "Mongol"), ("03", "Hui"), ("04", "Tibetan"), ("05", "Uyghur"),
    ("06", "Miao"), ("07", "Yi"), ("08", "Zhuang"), ("09", "Buyei"), ("10", "Korean"),
    ("11", "Manchu"), ("12", "Dong"), ("13", "Yao"), ("14", "Bai"), ("15", "Tujia"),
    ("16", "Hani"), ("17", "Kazakh"), ("18", "Dai"), ("19", "Li"), ("20", "Lisu"),
    ("21", "Va"), ("22", "She"), ("23", "Gaoshan"), ("24", "Lahu"), ("25", "Sui"),
    ("26", "Dongxiang"), ("27", "Naxi"), ("28", "Jingpo"), ("29", "Kyrgyz"), ("30", "Tu"),
    ("31", "Daur"), ("32", "Mulao"), ("33", "Qiang"), ("34", "Blang"), ("35", "Salar"),
    ("36", "Maonan"), ("37", "Gelao"), ("38", "Xibe"), ("39", "Achang"), ("40", "Pumi"),
    ("41", "Tajik"), ("42", "Nu"), ("43", "Uzbek"), ("44", "Russian"), ("45", "Evenki"),
    ("46", "De'ang"), ("47", "Bonan"), ("48", "Yugur"), ("49", "Gin"), ("50", "Tatar"),
    ("51", "Derung"), ("52", "Oroqen"), ("53", "Hezhen"), ("54", "Monba"), ("55", "Lhoba"),
    ("56", "Jino"),
]  # fmt: skip
GENDERS = [("male", "Male"), ("female", "Female")]
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


def id_number_facts(number):
    """Return (birth_date, gender) from a valid resident ID number, or raise."""
    ric.validate(number)
    gender = "male" if int(number[16]) % 2 else "female"
    return ric.get_birth_date(number), gender


class LbeElder(models.Model):
    """A rural left-behind elderly person in the information ledger (Annex 1)."""

    _name = "lbe.elder"
    _description = "Left-behind Elder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "region_id, name"

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
    township_id = fields.Many2one("lbe.region", compute="_compute_tiers", store=True, index=True)
    county_id = fields.Many2one("lbe.region", compute="_compute_tiers", store=True, index=True)
    city_id = fields.Many2one("lbe.region", compute="_compute_tiers", store=True, index=True)
    registration_date = fields.Date(default=fields.Date.context_today, required=True)

    # Health and education
    health_status = fields.Selection(
        [("healthy", "Healthy"), ("disabled", "Disabled"), ("ill", "Ill")],
        default="healthy",
        required=True,
        help="The primary status the yearly summary counts. A person both disabled and ill "
        "keeps the details of both below.",
        **TRACKED,
    )
    disability_category = fields.Selection(
        [
            ("vision", "Visual"),
            ("hearing", "Hearing"),
            ("speech", "Speech"),
            ("physical", "Physical"),
            ("intellectual", "Intellectual"),
            ("mental", "Mental"),
            ("multiple", "Multiple"),
        ],
        groups=SENSITIVE,
    )
    disability_grade = fields.Selection(
        [("1", "Grade 1"), ("2", "Grade 2"), ("3", "Grade 3"), ("4", "Grade 4")],
        groups=SENSITIVE,
    )
    disease_type = fields.Char(groups=SENSITIVE)
    education = fields.Selection(
        [
            ("illiterate", "Illiterate"),
            ("primary", "Primary School"),
            ("junior", "Junior Secondary School"),
            ("senior", "Senior Secondary or Vocational School"),
            ("college", "College or Above"),
        ]
    )

    # Family
    spouse_status = fields.Selection(
        [("both_alive", "Both alive"), ("one_alive", "One alive")], **TRACKED
    )
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
    income_children_wages = fields.Boolean(string="Income: Children's Wages")
    income_farming = fields.Boolean(string="Income: Farming")
    income_government_aid = fields.Boolean(string="Income: Government Assistance")
    income_other = fields.Boolean(string="Income: Other")
    income_other_note = fields.Char(string="Other Income")
    guardian_ids = fields.One2many("lbe.guardian", "elder_id", string="Main Supporters")
    primary_guardian_id = fields.Many2one(
        "lbe.guardian", compute="_compute_primary_guardian", string="Primary Supporter"
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
        [("draft", "Draft"), ("active", "Registered"), ("exited", "Exited")],
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
        counts = {
            elder.id: count
            for elder, count in self.env["lbe.elder.child"]._read_group(
                [("elder_id", "in", self.ids)], ["elder_id"], ["__count"]
            )
        }
        for elder in self:
            elder.child_count = counts.get(elder.id, len(elder.child_ids))

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
        for vals in vals_list:
            self._fill_from_id_number(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._fill_from_id_number(vals)
        res = super().write(vals)
        if "region_id" in vals:
            # Rules are checked before a write; moving an elder out of one's own
            # area must be refused as creating one there is.
            self.check_access("write")
        return res

    @api.onchange("id_number")
    def _onchange_id_number(self):
        vals = {"id_number": self.id_number}
        if self.id_number:
            self._fill_from_id_number(vals)
            self.update(vals)

    def _fill_from_id_number(self, vals):
        """Normalise the ID number and fill birth date and gender from it."""
        if not vals.get("id_number"):
            return
        number = normalize_id_number(vals["id_number"])
        vals["id_number"] = number
        try:
            birth_date, gender = id_number_facts(number)
        except StdnumError as e:
            raise ValidationError(
                _(
                    "The ID number %(number)s is not valid: %(reason)s",
                    number=number,
                    reason=self._id_number_reason(e),
                )
            ) from e
        vals.setdefault("birth_date", birth_date)
        vals.setdefault("gender", gender)

    @api.model
    def _id_number_reason(self, error):
        if isinstance(error, ric.InvalidLength):
            return _("it must have 18 characters.")
        if isinstance(error, ric.InvalidChecksum):
            return _("the check digit does not match.")
        if isinstance(error, ric.InvalidComponent):
            return _("the date of birth or the area code in it is wrong.")
        return _("only digits, with X as the last character, are allowed.")

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

    @api.constrains("id_number", "state")
    def _check_one_active_per_person(self):
        active = self.filtered(lambda e: e.state == "active" and e.id_number)
        if not active:
            return
        duplicates = self.sudo().search(
            [
                ("state", "=", "active"),
                ("id_number", "in", active.mapped("id_number")),
                ("id", "not in", active.ids),
            ],
            limit=1,
        )
        if duplicates:
            raise ValidationError(
                _(
                    "The ID number %(number)s is already registered in the ledger "
                    "(%(name)s, %(village)s).",
                    number=duplicates.id_number,
                    name=duplicates.name,
                    village=duplicates.region_id.complete_name,
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
                        "%(name)s: the region must be a village (村委会), not %(region)s.",
                        name=elder.name,
                        region=elder.region_id.complete_name,
                    )
                )

    @api.constrains("birth_date", "registration_date", "exit_date", "last_home_visit_year")
    def _check_dates_not_future(self):
        today = fields.Date.context_today(self)
        for elder in self:
            for field in ("birth_date", "registration_date", "exit_date"):
                if elder[field] and elder[field] > today:
                    raise ValidationError(
                        _(
                            "%(name)s: %(field)s cannot be in the future.",
                            name=elder.name,
                            field=self._fields[field].get_description(self.env)["string"],
                        )
                    )
            if elder.last_home_visit_year and elder.last_home_visit_year > today.year:
                raise ValidationError(
                    _("%(name)s: the last visit home cannot be in the future.", name=elder.name)
                )

    @api.constrains("guardian_ids")
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
        """What keeps this elder from meeting the legal definition, in words."""
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
        if self.region_id.level != "village":
            problems.append(_("the region is not a village"))
        return problems

    def action_activate(self):
        for elder in self:
            if elder.state != "draft":
                raise UserError(_("%(name)s is not a draft record.", name=elder.name))
            problems = elder._definition_problems()
            if problems:
                raise UserError(
                    _(
                        "%(name)s cannot be registered as a left-behind elder: %(problems)s.",
                        name=elder.name,
                        problems="; ".join(problems),
                    )
                )
        self.write({"state": "active"})

    def action_exit(self, reason, exit_date=None, note=None):
        if reason not in dict(EXIT_REASONS):
            raise UserError(_("Choose a reason for the exit."))
        if self.filtered(lambda e: e.state != "active"):
            raise UserError(_("Only registered elders can exit the ledger."))
        self.write(
            {
                "state": "exited",
                "exit_reason": reason,
                "exit_date": exit_date or fields.Date.context_today(self),
                "exit_note": note,
            }
        )

    def action_open_exit_wizard(self):
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
        self.write({"state": "draft", "exit_date": False, "exit_reason": False, "exit_note": False})
        self.action_activate()
