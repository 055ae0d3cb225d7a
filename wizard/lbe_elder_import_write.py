"""The import's writing: the checked rows created and updated in batches, as
the user, with their children and main supporters."""

import pickle

from odoo import Command, _, fields, models

from ..annex import annex1
from . import elder_import_columns as cols

# Elders created per ORM call: large enough that the per-call costs (checks,
# computed fields, SQL round trips) are shared, small enough that the cache,
# emptied after each batch, stays small.
BATCH_SIZE = 1000
# The children the import creates are named by their rank until the clerk
# enters their names: "子女1", "子女2", …
CHILD_NAME = "子女{}"
# The facts a row gives as they are stored: one field of the elder named as
# the column. The identity (number, birth date, gender) comes from the ID
# number, the income boxes are one question, and the others are kept on other
# records or in two fields.
PLAIN_KEYS = [
    fact.key
    for fact in annex1.FACTS
    if fact.field == fact.key
    and fact.key not in ("id_number", "birth_date", "gender", "child_count", *cols.INCOME_FIELDS)
]


class LbeElderImportWrite(models.TransientModel):
    _inherit = "lbe.elder.import"

    def _import(self, plan, checked):
        """Write the rows kept by the check, in batches."""
        today = fields.Date.context_today(self)
        villages = self._own_villages()
        # Creating: the creation is the record's history, not a chatter message per
        # elder; what an update changes is tracked as usual.
        Elder = self.env["lbe.elder"]
        Creating = Elder.with_context(tracking_disable=True)
        to_create, to_update = [], []
        progress = _("Import from Excel: %(done)s of %(total)s rows imported.")
        total = len(plan)
        for done in range(1, total + 1):
            number, values = pickle.load(checked)
            action, elder_id = plan[number]
            if action == "create":
                to_create.append(self._create_vals(values, villages, today))
            elif action == "update":
                to_update.append((elder_id, values))
            if len(to_create) >= BATCH_SIZE:
                self._create_batch(Creating, to_create)
                to_create = []
            if len(to_update) >= BATCH_SIZE:
                self._update_batch(Elder, to_update, villages, today)
                to_update = []
            self._progress(done, total, progress)
        self._create_batch(Creating, to_create)
        self._update_batch(Elder, to_update, villages, today)
        self.state = "done"

    def _create_batch(self, Elder, vals_list):
        if not vals_list:
            return
        # Created as drafts, then registered as the Register button does: the
        # definition and the one-record-per-person check run on the batch.
        Elder.create(vals_list).action_activate()
        self._release()

    def _update_batch(self, Elder, items, villages, today):
        if not items:
            return
        elders = Elder.browse([elder_id for elder_id, _values in items])
        Child, Guardian = Elder.env["lbe.elder.child"], Elder.env["lbe.guardian"]
        # The rows' new children and supporters are created at once, after the
        # writes of what each row changes (the elder's a tracked write).
        new_children, new_guardians = [], []
        for elder, (_elder_id, values) in zip(elders, items, strict=True):
            vals = self._elder_vals(values, villages, creating=False)
            child_updates, children = self._child_changes(elder.child_ids, values, today)
            for child, child_vals in child_updates:
                child.write(child_vals)
            new_children += [{**child, "elder_id": elder.id} for child in children]
            guardian = self._guardian_vals(values)
            if elder.primary_guardian_id:
                if guardian:
                    elder.primary_guardian_id.write(guardian)
            elif "name" in guardian:
                new_guardians.append({**guardian, "is_primary": True, "elder_id": elder.id})
            elder.write(vals)
        Child.create(new_children)
        Guardian.create(new_guardians)
        # Registered once their children are recorded: the definition counts them.
        elders.filtered(lambda elder: elder.state == "draft").action_activate()
        self._release()

    def _release(self):
        # Written rows are not read again: emptying the cache keeps the memory
        # of a long import flat.
        self.env.flush_all()
        self.env.invalidate_all()

    @staticmethod
    def _elder_vals(values, villages, creating):
        """The elder's own facts of a row; an update leaves blank cells' facts alone."""
        number, birth_date, gender = values["id_number"]
        vals = {
            "id_number": number,
            "birth_date": birth_date,
            "gender": gender,
            "region_id": villages[values["village_code"]],
        }
        for key in PLAIN_KEYS:
            if key in values:
                vals[key] = values[key]
        if "last_home_visit" in values:
            year, month = values["last_home_visit"]
            vals["last_home_visit_year"] = year
            vals["last_home_visit_month"] = str(month) if month else False
        # The four income boxes are one question: when any is ticked, the row
        # answers it whole; when none is, an update keeps what was recorded.
        ticks = {key: values.get(key, (False, None)) for key in cols.INCOME_FIELDS}
        if creating or any(ticked for ticked, _note in ticks.values()):
            vals.update({key: ticked for key, (ticked, _note) in ticks.items()})
            if ticks["income_other"][1]:
                vals["income_other_note"] = ticks["income_other"][1]
        return vals

    @staticmethod
    def _away_since(values, today):
        return cols.away_since(values, today)

    def _create_vals(self, values, villages, today):
        """The elder of a row, with its children and primary supporter: the batch's
        create makes each model's records in one call (the one2many's create)."""
        vals = self._elder_vals(values, villages, creating=True)
        _updates, children = self._child_changes([], values, today)
        vals["child_ids"] = [Command.create(child) for child in children]
        guardian = self._guardian_vals(values)
        if "name" in guardian:
            vals["guardian_ids"] = [Command.create({**guardian, "is_primary": True})]
        return vals

    def _child_changes(self, children, values, today):
        """([(child, vals)], [new child's vals]): the recorded children,
        completed: the file's dates go to the children who have them already,
        then to those without a date, then correct the others; children beyond
        those recorded are added, named by their rank. The count cannot shrink
        (checked before)."""
        dates = list(values.get("child_birth_dates", []))
        unmatched = []
        for child in children:
            if child.birth_date in dates:
                dates.remove(child.birth_date)
            else:
                unmatched.append(child)
        unmatched.sort(key=lambda child: bool(child.birth_date))
        away_since = self._away_since(values, today)
        updates = []
        for child in children:
            vals = {}
            if child in unmatched[: len(dates)]:
                vals["birth_date"] = dates[unmatched.index(child)]
            if not child.away_since:
                vals["away_since"] = away_since
            if vals:
                updates.append((child, vals))
        dates = dates[len(unmatched) :]
        new = [
            {
                "name": CHILD_NAME.format(rank),
                "birth_date": dates.pop(0) if dates else False,
                "away_since": away_since,
            }
            for rank in range(len(children) + 1, values["child_count"] + 1)
        ]
        return updates, new

    @staticmethod
    def _guardian_vals(values):
        """The primary supporter's facts the row gives."""
        return {
            field: values[key]
            for key, field in (
                ("guardian_name", "name"),
                ("guardian_gender", "gender"),
                ("guardian_address", "address"),
                ("guardian_mobile", "mobile"),
            )
            if key in values
        }
