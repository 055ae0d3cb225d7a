import csv
import io

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, file_open

from .tiers import CITY, COUNTY, MANAGER, PROVINCE, TOWNSHIP, VILLAGE, group_xmlid
from .tiers import LEVELS as TIER_LEVELS

LEVELS = [
    (PROVINCE, "Province"),
    (CITY, "City"),
    (COUNTY, "County"),
    (TOWNSHIP, "Township"),
    (VILLAGE, "Village"),
]
LEVEL_RANK = {level: rank for rank, level in enumerate(TIER_LEVELS)}
CSV_COLUMNS = ["code", "name", "level", "parent_code"]
# Digits of a code at each level: the NBS statistical division code cut after the
# level's own digits, as in the shipped file (44, 4401, 440111, 440111103, ...).
CODE_LENGTHS = {PROVINCE: 2, CITY: 4, COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12}
# The longest official names are some thirty characters; more is a broken file.
MAX_NAME_LENGTH = 100
# What places a region in the hierarchy: the elders below it would move with it.
PLACE_FIELDS = ("parent_id", "code", "level")
# What the audit log records of a change of regions.
AUDITED_FIELDS = ("parent_id", "code", "name", "level", "phone")


def is_ascii_number(text):
    # str.isdigit() takes full-width and other scripts' digits ("４４", "٤٤") too;
    # such a code would look right and never match the real one.
    return text.isascii() and text.isdigit()


class LbeRegion(models.Model):
    """A unit of China's five-level administrative divisions.

    Every record that holds elders' data points at a village; record rules then
    scope it with ``child_of`` the user's areas, which ``_parent_store`` turns
    into one indexed prefix match on ``parent_path``.
    """

    _name = "lbe.region"
    _description = "Administrative Region"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "code"

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        index=True,
        help="Statistical division code of the National Bureau of Statistics.",
    )
    level = fields.Selection(LEVELS, required=True, index=True)
    parent_id = fields.Many2one(
        "lbe.region", string="Parent Region", index=True, ondelete="restrict"
    )
    child_ids = fields.One2many("lbe.region", "parent_id", string="Sub-regions")
    parent_path = fields.Char(index=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    active = fields.Boolean(default=True)
    # The office of a village committee (or a township), which the family portal
    # gives the families to call.
    phone = fields.Char(
        string="Office Phone",
        size=30,
        help="The phone of the village committee's (or the township's) office, shown to the "
        "families on the family portal.",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The region code must be unique."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for region in self:
            if region.parent_id:
                region.complete_name = f"{region.parent_id.complete_name}/{region.name}"
            else:
                region.complete_name = region.name

    @api.constrains("level", "parent_id", "code")
    def _check_hierarchy(self):
        for region in self:
            parent = region.parent_id
            if region.level == PROVINCE:
                if parent:
                    raise ValidationError(
                        _("%(name)s: a province has no parent region.", name=region.name)
                    )
                continue
            if not parent:
                raise ValidationError(
                    _("%(name)s: only a province may have no parent region.", name=region.name)
                )
            if LEVEL_RANK[parent.level] != LEVEL_RANK[region.level] - 1:
                raise ValidationError(
                    _(
                        "%(name)s: the parent region must be exactly one level up.",
                        name=region.name,
                    )
                )
            if not region.code.startswith(parent.code) or region.code == parent.code:
                raise ValidationError(
                    _(
                        "%(name)s: the code %(code)s must start with the parent's code %(parent)s.",
                        name=region.name,
                        code=region.code,
                        parent=parent.code,
                    )
                )

    @api.constrains("code", "level")
    def _check_code(self):
        for region in self:
            digits = CODE_LENGTHS.get(region.level)
            if digits and not (is_ascii_number(region.code) and len(region.code) == digits):
                raise ValidationError(
                    _(
                        "%(name)s: the code %(code)s is wrong: the code of a %(level)s is "
                        "%(digits)s digits 0-9.",
                        name=region.name,
                        code=region.code,
                        level=region._level_label(region.level),
                        digits=digits,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: who changes regions, and the audit of it
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        parent_ids = [vals.get("parent_id") for vals in vals_list]
        self._lbe_check_may_change(
            self.browse([pid for pid in parent_ids if pid]), new_province=not all(parent_ids)
        )
        regions = super().create(vals_list)
        regions._lbe_log(regions, _("Created: %(regions)s", regions=regions._lbe_listing()))
        return regions

    def write(self, vals):
        self._lbe_check_may_change(self | self.browse(vals.get("parent_id") or []))
        self._lbe_check_keeps_place(vals)
        audited = [name for name in AUDITED_FIELDS if name in vals]
        before = {region: region._lbe_values(audited) for region in self} if audited else {}
        old_parents = {region: region.parent_id for region in self}
        res = super().write(vals)
        if "code" in vals or "level" in vals:
            # The constraint looks at a region and its parent; the sub-regions'
            # codes and levels must still fit the changed one.
            self.with_context(active_test=False).child_ids._check_hierarchy()
        changes = [
            _(
                "%(region)s: %(field)s %(before)s → %(after)s",
                region=region._lbe_listing(),
                field=self._fields[name]._description_string(self.env),
                before=old or "-",
                after=new or "-",
            )
            for region, values in before.items()
            for name, old, new in zip(audited, values, region._lbe_values(audited), strict=True)
            if old != new
        ]
        if changes:
            moved_from = self.browse().union(
                *(old for region, old in old_parents.items() if old != region.parent_id)
            )
            self._lbe_log(self | moved_from, "\n".join(changes))
        return res

    def unlink(self):
        self._lbe_check_may_change(self)
        # The entry's area is above the regions: theirs goes with them.
        self._lbe_log(self.parent_id, _("Deleted: %(regions)s", regions=self._lbe_listing()))
        return super().unlink()

    @api.model
    def _lbe_check_may_change(self, regions, new_province=False):
        """Regions are changed by Odoo administrators, and by the managers of a
        whole province within it (the record rules say the same); `regions` are
        those changed or placed under."""
        user = self.env.user
        if self.env.su or user.has_group("base.group_erp_manager"):
            return
        provinces = user.lbe_region_ids.sudo().filtered(lambda area: area.level == PROVINCE)
        if not provinces or not user.has_group(group_xmlid(MANAGER)):
            raise AccessError(
                _(
                    "Administrative regions are changed only by managers who serve a whole "
                    "province, and by Odoo administrators."
                )
            )
        if new_province or not provinces._lbe_contains(regions):
            raise AccessError(
                _(
                    "You may change only the regions of the province you serve; another "
                    "province is loaded by an Odoo administrator."
                )
            )

    def _lbe_check_keeps_place(self, vals):
        """A region holding elders, in any state, in it or below it, keeps its
        parent, code and level: moving it would move its elders, untracked.
        An elder moves to another village on the elder's own record."""
        placed = [name for name in PLACE_FIELDS if name in vals]
        if not placed:
            return
        moving = self.filtered(
            lambda region: any(
                (region[name].id if name == "parent_id" else region[name]) != (vals[name] or False)
                for name in placed
            )
        )
        Elder = self.env["lbe.elder"].sudo().with_context(active_test=False)
        if moving and Elder.search_count([("region_id", "child_of", moving.ids)], limit=1):
            raise ValidationError(
                _(
                    "A region that holds elders keeps its parent region, code and level. "
                    "To move an elder to another village, change the village on the "
                    "elder's record, where the move is recorded."
                )
            )

    def _lbe_values(self, names):
        """The values of `names` as the audit log shows them."""
        self.ensure_one()
        values = []
        for name in names:
            value = self[name]
            if name == "parent_id":
                value = value._lbe_listing()
            elif name == "level":
                value = self._level_label(value)
            values.append(value or False)
        return values

    def _lbe_listing(self):
        return ", ".join(f"{region.code} {region.name}" for region in self)

    def _lbe_log(self, concerned, detail):
        """Write the change to the audit log, in the smallest area concerned;
        the application's own loading, as superuser, is no user's change."""
        if not self.env.su:
            self.env["lbe.audit.log"]._log(
                "region_change", self, detail, region=concerned._lbe_common_ancestor()
            )

    def _lbe_contains(self, regions):
        """Whether every region of `regions` is one of these or lies below one."""
        prefixes = tuple(self.sudo().mapped("parent_path"))
        return all(region.parent_path.startswith(prefixes) for region in regions.sudo())

    def _lbe_ancestor(self, level):
        """The region of `level` that is this one or lies above it (empty if none)."""
        self.ensure_one()
        ids = [int(part) for part in self.sudo().parent_path.split("/")[:-1]]
        ancestors = self.sudo().browse(ids).filtered(lambda region: region.level == level)
        return self.browse(ancestors[:1].ids)

    def _lbe_common_ancestor(self):
        """The smallest region holding all of these (none if they share none)."""
        common = None
        paths = [region.parent_path.split("/")[:-1] for region in self.sudo()]
        for ancestors in zip(*paths, strict=False):
            if len(set(ancestors)) > 1:
                break
            common = ancestors[0]
        return self.browse(int(common) if common else [])

    def _level_label(self, level):
        return dict(self._fields["level"]._description_selection(self.env)).get(level, level)

    @api.model
    def _search_display_name(self, operator, value):
        # Clerks type a name or a statistical code; both must find the unit.
        domain = super()._search_display_name(operator, value)
        if operator in ("ilike", "=ilike", "like", "=like", "=") and value:
            domain = ["|", ("code", "=like", f"{value}%"), *domain]
        return domain

    # ------------------------------------------------------------------
    # Loading divisions from CSV (code,name,level,parent_code)
    # ------------------------------------------------------------------
    @api.model
    def _load_guangdong(self):
        """Load the shipped Guangdong divisions; called from data at install."""
        with file_open("left_behind_elderly/data/lbe_region_guangdong.csv", "rb") as f:
            self._load_csv(f.read(), xmlid_prefix="left_behind_elderly.region_")

    @api.model
    def _load_csv(self, content, xmlid_prefix=None):
        """Create the divisions listed in a CSV file, all or nothing.

        Rows whose code exists already are left alone, so a file can be loaded
        again. Every bad row is reported with its line number, and nothing is
        written unless the whole file is valid. Returns the number of new units.
        """
        # Who may import at all, before reading the file; where, on creating.
        self._lbe_check_may_change(self.browse())
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise UserError(_("The file is not UTF-8 encoded text.")) from e
        # Python's csv module reads NUL characters, but PostgreSQL cannot store them.
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise UserError(
                _(
                    "Nothing was imported:\n%(errors)s",
                    errors=_(
                        "Line %(line)s: the line holds a NUL character, so the file is not "
                        "plain text. Save it again as CSV (UTF-8, comma-separated) and "
                        "import that file.",
                        line=line,
                    ),
                )
            )
        reader = csv.DictReader(io.StringIO(text))
        try:
            fieldnames = reader.fieldnames
            records = [(reader.line_num, row) for row in reader]
        except csv.Error as e:
            raise UserError(
                _(
                    "Nothing was imported:\n%(errors)s",
                    errors=_(
                        "Line %(line)s: the line cannot be read as CSV (%(error)s). Check "
                        "that it holds only a code, a name, a level and a parent code, "
                        "separated by commas.",
                        # The underlying reader has counted the line it failed on.
                        line=reader.reader.line_num,
                        error=e,
                    ),
                )
            ) from e
        if fieldnames != CSV_COLUMNS:
            raise UserError(
                _(
                    "The file's first line must be exactly: %(columns)s",
                    columns=",".join(CSV_COLUMNS),
                )
            )
        self.env.cr.execute("SELECT code, id, level FROM lbe_region")
        known = {code: (rid, level) for code, rid, level in self.env.cr.fetchall()}
        rows, errors, seen = [], [], {}
        for lineno, row in records:
            code = (row["code"] or "").strip()
            name = (row["name"] or "").strip()
            level = (row["level"] or "").strip()
            parent_code = (row["parent_code"] or "").strip()
            problem = self._csv_row_problem(code, name, level, parent_code, known, seen)
            if problem:
                errors.append(_("Line %(line)s: %(problem)s", line=lineno, problem=problem))
                continue
            seen[code] = level
            if code not in known:
                rows.append((code, name, level, parent_code))
        if errors:
            shown = "\n".join(errors[:50])
            more = len(errors) - 50
            if more > 0:
                shown += "\n" + _("… and %(count)s more errors.", count=more)
            raise UserError(_("Nothing was imported:\n%(errors)s", errors=shown))

        ids_by_code = {code: rid for code, (rid, _level) in known.items()}
        created = self.browse()
        # One batched create per level, parents before children.
        for level, _label in LEVELS:
            vals_list = [
                {
                    "code": code,
                    "name": name,
                    "level": level,
                    "parent_id": ids_by_code.get(parent_code, False),
                }
                for code, name, row_level, parent_code in rows
                if row_level == level
            ]
            if not vals_list:
                continue
            batch = self.create(vals_list)
            ids_by_code.update(zip(batch.mapped("code"), batch.ids, strict=True))
            created |= batch
        # Store the computed complete names now: a later savepoint rollback (a
        # failing data file) must not take them with it.
        created.flush_recordset()
        if created:
            # Statistics for the planner at once. Without them (autovacuum not come
            # by yet, or off) it guesses a few hundred divisions under a province,
            # and the read check of the area rule on a page of elders, a search
            # `id IN (…) AND region_id child_of …`, hashes every division instead of
            # looking up the page's villages (29 ms against 0.4 ms at a million elders).
            self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))
        if xmlid_prefix and created:
            self.env["ir.model.data"]._update_xmlids(
                [
                    {"xml_id": f"{xmlid_prefix}{region.code}", "record": region, "noupdate": True}
                    for region in created
                ]
            )
        return len(created)

    @api.model
    def _csv_row_problem(self, code, name, level, parent_code, known, seen):
        if not is_ascii_number(code):
            return _(
                "the code %(code)r is not a number written with the digits 0-9 "
                "(full-width or other digits are not accepted).",
                code=code,
            )
        if not name:
            return _("the name is empty.")
        if len(name) > MAX_NAME_LENGTH:
            return _(
                "the name has %(count)s characters; a region name has %(max)s at most.",
                count=len(name),
                max=MAX_NAME_LENGTH,
            )
        if level not in LEVEL_RANK:
            return _(
                "the level %(level)r is not one of province, city, county, township, village.",
                level=level,
            )
        if len(code) != CODE_LENGTHS[level]:
            return _(
                "the code %(code)s has %(count)s digits; the code of a %(level)s has %(digits)s.",
                code=code,
                count=len(code),
                level=self._level_label(level),
                digits=CODE_LENGTHS[level],
            )
        if code in seen:
            return _("the code %(code)s appears twice.", code=code)
        if level == PROVINCE:
            return _("a province has no parent code.") if parent_code else None
        parent_level = seen.get(parent_code) or known.get(parent_code, (None, None))[1]
        if not parent_level:
            return _(
                "the parent code %(parent)s is neither in the file above this line "
                "nor in the database.",
                parent=parent_code,
            )
        if LEVEL_RANK[parent_level] != LEVEL_RANK[level] - 1:
            return _("the parent %(parent)s is not exactly one level up.", parent=parent_code)
        if not code.startswith(parent_code) or code == parent_code:
            return _(
                "the code %(code)s does not start with the parent's code %(parent)s.",
                code=code,
                parent=parent_code,
            )
        return None
