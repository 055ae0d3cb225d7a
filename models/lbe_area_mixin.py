from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.models import LOG_ACCESS_COLUMNS, NewId
from odoo.osv import expression

from .masking import (
    COUNTING_AGGREGATES,
    LBE_FULL_READ_LIMIT,
    MASKS,
    check_bulk_path,
    mask_onchange_lines,
)
from .tiers import EXPORT_GROUPS


def domain_fields(model, domain, found=None):
    """The fields `domain` reads from `model` on, as {model name: field names}:
    every field of every path ('guardian_id.mobile'), and into the sub-domains of
    'any', read through Odoo's own domain tools."""
    found = defaultdict(set) if found is None else found
    for leaf in expression.normalize_domain(domain or []):
        if not expression.is_leaf(leaf) or not isinstance(leaf[0], str):
            continue
        path, operator, value = leaf
        current = model
        for name in path.split("."):
            field = current._fields.get(name)
            if field is None:
                # Not a field: Odoo refuses the domain itself.
                break
            found[current._name].add(name)
            if not field.relational:
                break
            current = model.env[field.comodel_name]
        else:
            if operator in ("any", "not any") and isinstance(value, list | tuple):
                domain_fields(current, value, found)
    return found


class LbeAreaMixin(models.AbstractModel):
    """The area contract of every model that holds elders' data.

    Each such model carries a stored, indexed area field (`_lbe_area_field`, a
    village for elders' records, the reporting unit for summaries) and one global
    record rule `[(area, 'child_of', user.lbe_region_ids.ids)]`. This mixin makes
    the rest of the contract hold on every path a client can take:

    - a record created or written must still lie in the user's area afterwards
      (the rules only look at the record before a write);
    - a record may only point at records the user can read, and an onchange only
      computes from and answers with such records: the ORM reads the display
      name of a many2one as superuser;
    - fields only the addon sets (stored computed fields, workflow states, audit
      dates) are refused on create and write; the addon's own actions set them
      through `_lbe_workflow_write`, after their checks;
    - searching on a field the user may not read is refused, even when the field
      is not stored;
    - bulk export is for county staff and up, shows ID and phone numbers masked,
      and is written to the audit log; a read of more than LBE_FULL_READ_LIMIT
      records answers them masked, and they are neither grouped nor aggregated;
    - open activities and followers follow their record when it moves to another
      area, and followers go when their user's areas change.
    """

    _name = "lbe.area.mixin"
    _inherit = ["lbe.bounds.mixin"]
    _description = "Area Contract of Elders' Data"

    # The field holding the record's area, which the global rule matches.
    _lbe_area_field = "region_id"
    # Fields set by the addon's actions only, besides the stored computed ones.
    _lbe_workflow_fields = ()
    # Personal data shown masked in lists and exports, field -> kind (a key of
    # MASKS): the mixin adds `<field>_masked`, "<string> (masked)", readable by
    # the field's groups.
    _lbe_masks = {}
    # Field -> its masked field, made from `_lbe_masks` at setup.
    _lbe_masked_fields = {}

    # ------------------------------------------------------------------
    # Masked fields
    # ------------------------------------------------------------------
    @api.model
    def _add_inherited_fields(self):
        # The hook of the model's setup that adds fields computed from others,
        # before they are all set up together.
        result = super()._add_inherited_fields()
        cls = self.env.registry[self._name]
        for name in self._lbe_masks:
            source = cls._fields[name]
            masked = fields.Char(
                string=f"{source.string} (masked)",
                compute="_compute_lbe_masked",
                depends=[name],
                groups=source.groups,
            )
            # Odoo adds only the fields its class names: name it first.
            setattr(cls, f"{name}_masked", masked)
            self._add_field(f"{name}_masked", masked)
        if self._lbe_masks:
            cls._lbe_masked_fields = {
                **cls._lbe_masked_fields,
                **{name: f"{name}_masked" for name in self._lbe_masks},
            }
        return result

    def _compute_lbe_masked(self):
        for name, kind in self._lbe_masks.items():
            for record in self:
                record[f"{name}_masked"] = MASKS[kind](record[name])

    # ------------------------------------------------------------------
    # What the addon alone sets
    # ------------------------------------------------------------------
    @api.model
    def _lbe_protected_fields(self):
        """Fields no client may set: stored computed fields without an inverse
        (related ones included) unless declared editable (`readonly=False`, a
        default the user may change), the model's workflow fields and who created
        or last changed the record, when."""
        computed = {
            name
            for name, field in self._fields.items()
            if field.store
            and field.compute
            and not field.inverse
            and field.readonly
            and name != "display_name"
        }
        return computed | set(self._lbe_workflow_fields) | set(LOG_ACCESS_COLUMNS)

    def _lbe_check_protected(self, vals_list, creating):
        if self.env.su:
            return
        protected = self._lbe_protected_fields()
        for vals in vals_list:
            refused = sorted(
                name
                for name in protected.intersection(vals)
                # A new record may be given the value it would get anyway.
                if not (creating and vals[name] == self._lbe_default(name))
            )
            if refused:
                labels = ", ".join(
                    self._fields[name]._description_string(self.env) for name in refused
                )
                raise AccessError(
                    _(
                        "%(fields)s of %(model)s are set by the application itself, not by hand.",
                        fields=labels,
                        model=self._description,
                    )
                )

    def _lbe_default(self, name):
        field = self._fields[name]
        default = self.default_get([name]).get(name, False)
        return field.convert_to_write(field.convert_to_cache(default, self), self) or False

    def _lbe_workflow_write(self, vals):
        """Write fields only the addon sets, for an action that has checked its
        preconditions: the user must still be allowed to write the records."""
        self.check_access("write")
        self._lbe_check_bounds([vals])
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # Pointing only at readable records
    # ------------------------------------------------------------------
    @api.model
    def _lbe_referenced(self, model, vals, found):
        """Collect, by model, the ids of existing records that `vals` (create or
        write values, or onchange values and results) points at."""
        for name, value in vals.items():
            field = model._fields.get(name)
            if not field or not field.relational or not value:
                continue
            comodel = self.env[field.comodel_name]
            ids = found.setdefault(comodel._name, set())
            if field.type == "many2one":
                if isinstance(value, dict):
                    value = value.get("id")
                elif isinstance(value, list | tuple):
                    value = value[0] if value else False
                if isinstance(value, int):
                    ids.add(value)
                continue
            for command in value if isinstance(value, list | tuple) else ():
                if isinstance(command, int):
                    ids.add(command)
                    continue
                if not isinstance(command, list | tuple) or not command:
                    continue
                if command[0] in (Command.UPDATE, Command.LINK) and isinstance(command[1], int):
                    ids.add(command[1])
                elif command[0] == Command.SET:
                    ids.update(i for i in command[2] or () if isinstance(i, int))
                if command[0] in (Command.CREATE, Command.UPDATE) and isinstance(command[-1], dict):
                    self._lbe_referenced(comodel, command[-1], found)
        return found

    @api.model
    def _lbe_check_references(self, model, vals_list):
        """Refuse values that point at records the user cannot read; say nothing
        of those records."""
        if self.env.su:
            return
        found = {}
        for vals in vals_list:
            self._lbe_referenced(model, vals, found)
        for model_name, ids in found.items():
            ids = {i for i in ids if not isinstance(i, NewId)}
            records = self.env[model_name].browse(ids).exists()
            if records and records._filtered_access("read") != records:
                raise AccessError(
                    _(
                        "You may only refer to records of your own area: a %(model)s "
                        "you chose lies outside it.",
                        model=records._description,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._lbe_check_protected(vals_list, creating=True)
        self._lbe_check_bounds(vals_list)
        self._lbe_check_references(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self:
            return super().write(vals)
        self._lbe_check_protected([vals], creating=False)
        self._lbe_check_bounds([vals])
        self._lbe_check_references(self, [vals])
        area = self._lbe_area_field
        # Only a relational field (the village, the elder, the visit) moves a record.
        may_move = any(name in self._fields and self._fields[name].relational for name in vals)
        before = {record.id: record.sudo()[area] for record in self} if may_move else {}
        res = super().write(vals)
        if not self.env.su:
            # The rules judged the records before the write; they must still be
            # the user's after it, or a record could be moved into a foreign area.
            self.check_access("write")
        moved = self.filtered(
            lambda record: record.id in before and record.sudo()[area] != before[record.id]
        )
        if moved:
            moved._lbe_area_moved()
        return res

    def _lbe_area_moved(self):
        """Open activities follow their record: an assignee who no longer sees
        the record hands it to a user of the same tier who does, or it is dropped
        (the supervision view shows what has nobody). Followers who no longer see
        it stop following it: they would be notified of, and so read, every later
        message. Records whose area follows this one's (an elder's visits) are
        handled too.
        """
        users = self.env["res.users"].sudo()
        for records in [self, *self._lbe_dependents()]:
            records._lbe_unfollow_lost()
            activities = (
                self.env["mail.activity"]
                .sudo()
                .search([("res_model", "=", records._name), ("res_id", "in", records.ids)])
            )
            for activity in activities:
                record = records.browse(activity.res_id)
                if record.with_user(activity.user_id).has_access("read"):
                    continue
                area = record.sudo()[record._lbe_area_field]
                successor = users._lbe_successor(activity.user_id, area)
                if successor:
                    activity.user_id = successor
                else:
                    activity.unlink()

    def _lbe_dependents(self):
        """The records, by model, whose area is related through a many2one to
        these records (an elder's visits), and theirs in turn (the visits'
        notifications)."""
        dependents = []
        for model_name in self._lbe_area_models():
            model = self.env[model_name].sudo()
            path = model._fields[model._lbe_area_field].related
            link = path and model._fields.get(path.split(".")[0])
            if link and link.type == "many2one" and link.comodel_name == self._name:
                found = model.search([(link.name, "in", self.ids)])
                if found:
                    dependents += [found, *found._lbe_dependents()]
        return dependents

    def _lbe_unfollow_lost(self, partners=None):
        """Remove the followers of these records (only `partners`, if given)
        whose staff accounts may none of them read the record any more. Partners
        without a staff account (a family, an outside contact) are not followers
        by area, and stay."""
        domain = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        followers = self.env["mail.followers"].sudo().search(domain)
        by_partner = defaultdict(lambda: self.env["mail.followers"].sudo())
        for follower in followers:
            by_partner[follower.partner_id] |= follower
        lost = self.env["mail.followers"].sudo()
        for partner, rows in by_partner.items():
            staff = partner.with_context(active_test=False).user_ids.filtered(
                lambda user: not user.share
            )
            if not staff:
                continue
            records = self.browse(rows.mapped("res_id"))
            readable = set()
            for user in staff:
                readable.update(records.with_user(user)._filtered_access("read").ids)
            lost |= rows.filtered(lambda row, readable=readable: row.res_id not in readable)
        lost.unlink()

    @api.model
    def _lbe_drop_foreign_followers(self, partners):
        """Unfollow `partners` from the records of elders' data that their staff
        accounts may no longer read: to be called when users' areas (or tiers)
        have changed, once the record rules see the change."""
        if not partners:
            return
        followers = (
            self.env["mail.followers"]
            .sudo()
            .search(
                [("partner_id", "in", partners.ids), ("res_model", "in", self._lbe_area_models())]
            )
        )
        res_ids = defaultdict(set)
        for follower in followers:
            res_ids[follower.res_model].add(follower.res_id)
        for model_name, ids in res_ids.items():
            self.env[model_name].browse(ids)._lbe_unfollow_lost(partners)

    @api.model
    def _lbe_area_models(self):
        """The names of the models that hold elders' data."""
        return sorted(
            name
            for name in self.env.registry.descendants(["lbe.area.mixin"], "_inherit")
            if name in self.env and not self.env[name]._abstract
        )

    # ------------------------------------------------------------------
    # Reading: onchange, search, export
    # ------------------------------------------------------------------
    def onchange(self, values, field_names, fields_spec):
        # The values come from the client: a foreign id there would make the
        # server compute from that record, and answer with its display name.
        self._lbe_check_references(self, [values])
        result = super().onchange(values, field_names, fields_spec)
        self._lbe_check_references(self, [result.get("value") or {}])
        mask_onchange_lines(self, result.get("value") or {}, fields_spec)
        return result

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Odoo checks the groups of the stored fields it searches; a field that
        # is not stored (a related phone number) would be searched unchecked, and
        # so would the end of a path searched with the comodel's rules aside.
        if not self.env.su:
            for model_name, names in domain_fields(self, domain).items():
                self.env[model_name].check_field_access_rights("read", sorted(names))
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _read_format(self, fnames, load="_classic_read"):
        # Every client read (read, web_read, search_read, web_search_read) ends
        # here; code reading fields by attribute (reports, computes) does not.
        result = super()._read_format(fnames, load=load)
        if self.env.su or len(result) <= LBE_FULL_READ_LIMIT:
            return result
        masked = {
            name: self._lbe_masked_fields[name]
            for name in fnames
            if name in self._lbe_masked_fields
        }
        if masked:
            records = {record.id: record for record in self}
            for values in result:
                record = records[values["id"]]
                for name, masked_name in masked.items():
                    values[name] = record[masked_name]
        return result

    def mapped(self, func):
        if isinstance(func, str):
            check_bulk_path(self, func)
        return super().mapped(func)

    def copy_data(self, default=None):
        # A client may call it like read(): the values copied are the record's.
        if len(self) > LBE_FULL_READ_LIMIT:
            for name in self._lbe_masked_fields:
                if self._fields[name].copy:
                    check_bulk_path(self, name)
        return super().copy_data(default=default)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        if not self.env.su:
            specs = list(groupby)
            specs += [spec for spec in aggregates if spec != "__count"]
            specs += [
                leaf[0]
                for leaf in expression.normalize_domain(having or [])
                if expression.is_leaf(leaf) and isinstance(leaf[0], str)
            ]
            specs += [term.split()[0] for term in (order or "").split(",") if term.strip()]
            for spec in specs:
                self._lbe_check_groupable(spec, spec in groupby)
        return super()._read_group(
            domain, groupby, aggregates, having=having, offset=offset, limit=limit, order=order
        )

    @api.model
    def _lbe_check_groupable(self, spec, grouping):
        """Refuse a group-by or an aggregate (`field:func`, along a path) that
        would answer personal data of many records at once."""
        path, _sep, func = spec.partition(":")
        if not grouping and func in COUNTING_AGGREGATES:
            return
        model = self
        for name in path.split("."):
            if name in getattr(model, "_lbe_masked_fields", {}):
                raise AccessError(
                    _(
                        "%(field)s of %(model)s is read one record at a time or through the "
                        "audited export: it cannot be grouped or aggregated.",
                        field=model._fields[name]._description_string(self.env),
                        model=model._description,
                    )
                )
            field = model._fields.get(name)
            if field is None or not field.relational:
                return
            model = self.env[field.comodel_name]

    def export_data(self, fields_to_export):
        if self.env.su:
            return super().export_data(fields_to_export)
        if not self.env.user.has_groups(EXPORT_GROUPS):
            raise AccessError(
                _(
                    "Exporting elders' data is for county staff and above; village and "
                    "township staff print the registration forms instead."
                )
            )
        fields_to_export = [self._lbe_masked_path(path) for path in fields_to_export]
        # Odoo's export reads values from the cache, where a computation made as
        # superuser may have left them: check the records and fields first.
        self.check_access("read")
        for path in fields_to_export:
            self._lbe_check_path_access(path)
        result = super().export_data(fields_to_export)
        self.env["lbe.audit.log"]._log("export", self, ", ".join(fields_to_export))
        return result

    @api.model
    def _lbe_check_path_access(self, path):
        model = self
        for part in path.split("/"):
            field = model._fields.get(part)
            if field is None:
                return
            model.check_field_access_rights("read", [part])
            if not field.relational:
                return
            model = self.env[field.comodel_name]

    @api.model
    def _lbe_masked_path(self, path):
        """The export path with personal data replaced by its masked field."""
        model, parts = self, []
        for part in path.split("/"):
            masked = getattr(model, "_lbe_masked_fields", {}).get(part)
            parts.append(masked or part)
            field = model._fields.get(part)
            if field is None or not field.relational:
                model = self.env["lbe.area.mixin"]
            else:
                model = self.env[field.comodel_name]
        return "/".join(parts)
