import base64
import pickle
import tempfile
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from . import elder_import_columns as cols

# Elders created per ORM call: large enough that the per-call costs (checks,
# computed fields, SQL round trips) are shared, small enough that the cache,
# emptied after each batch, stays small.
BATCH_SIZE = 1000
# The children the import creates are named by their rank until the clerk
# enters their names: "子女1", "子女2", …
CHILD_NAME = "子女{}"
OTHER_AREA = "该身份证号码已在其他地区的台账中登记；请联系县级民政部门，核实此人的居住地后再登记"


class LbeElderImport(models.TransientModel):
    """Register elders from an Excel file in the template's columns (Annex 1's facts).

    The whole file is checked first, every problem listed by row and column; while
    any remains nothing is written. Otherwise every row is written in the one
    transaction, as the user (record rules and the area contract apply): new elders
    are created in batches and registered through the Register step, elders whose
    ID number is already in the user's area are updated (a tracked write) or skipped,
    as chosen. The file is kept on the wizard only (no attachment), which its creator
    alone reads.
    """

    _name = "lbe.elder.import"
    _description = "Import Elders from Excel"
    _inherit = ["lbe.wizard.mixin"]
    _rec_name = "filename"

    file = fields.Binary(string="Excel File", attachment=False)
    filename = fields.Char()
    existing_action = fields.Selection(
        [("update", "Update them"), ("skip", "Skip them")],
        string="Elders Already in Your Area",
        default="update",
        required=True,
        help="What to do with a row whose ID number is already in the ledger of your area: "
        "update the elder with the row's facts (the changes show in the elder's history), "
        "or leave the elder as it is.",
    )
    state = fields.Selection(
        [("upload", "Upload"), ("checked", "Checked"), ("done", "Imported")],
        default="upload",
        required=True,
        readonly=True,
    )
    row_count = fields.Integer(string="Rows Read", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    created_count = fields.Integer(string="New Elders", readonly=True)
    updated_count = fields.Integer(string="Updated Elders", readonly=True)
    skipped_count = fields.Integer(string="Skipped Rows", readonly=True)
    error_ids = fields.One2many(
        "lbe.elder.import.error", "import_id", string="Error List", readonly=True
    )

    # Rows between two progress notices.
    _progress_step = 5000

    @api.onchange("file")
    def _onchange_file(self):
        # Another file: what was found in the previous one no longer holds.
        self.update(
            {
                "state": "upload",
                "row_count": 0,
                "error_count": 0,
                "created_count": 0,
                "updated_count": 0,
                "skipped_count": 0,
                "error_ids": [Command.clear()],
            }
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_validate(self):
        """Check every row of the file; list the problems, write nothing else."""
        self.ensure_one()
        self._check_file()
        return self._reopen()

    def action_import(self):
        """Check the file again, and write all its rows if no problem is left."""
        self.ensure_one()
        # The rows as checked, kept on disk for the writing: the file is parsed
        # once, and a long file does not stay in memory.
        with tempfile.TemporaryFile() as checked:
            plan = self._check_file(checked)
            if not self.error_count:
                checked.seek(0)
                self._import(plan, checked)
        return self._reopen()

    def action_download_errors(self):
        self.ensure_one()
        # Like every button, refused on another user's import.
        self.check_access("read")
        return self.env.ref(
            "left_behind_elderly.lbe_elder_import_errors_report_xlsx"
        ).report_action(self)

    def action_download_template(self):
        self.ensure_one()
        self.check_access("read")
        return self.env.ref(
            "left_behind_elderly.lbe_elder_import_template_report_xlsx"
        ).report_action(self)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Import from Excel"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _open_sheet(self):
        """The sheet holding the template's header; one clear message otherwise."""
        if not self.file:
            raise UserError(_("Upload an Excel file (.xlsx) first."))
        try:
            return cols.ImportSheet(base64.b64decode(self.file))
        except cols.FileError as e:
            raise UserError(self._file_error_message(e)) from e

    @api.model
    def _file_error_message(self, error):
        if error.kind == "not_xlsx":
            return _(
                "The file is not an Excel workbook (.xlsx). Open it in Excel or WPS and save "
                "it as an Excel workbook (.xlsx), then upload it again."
            )
        if error.kind == "damaged":
            return _(
                "The file could not be read to the end: it may be damaged. Open it in Excel "
                "or WPS, save it again as an Excel workbook (.xlsx), then upload it again."
            )
        if error.kind == "empty":
            return _("The file is empty: fill in the template, one row per elder.")
        if error.kind == "missing":
            return _(
                "The header row lacks these columns of the template: %(columns)s. "
                "Download the template and keep its columns.",
                columns="、".join(error.missing),
            )
        return _(
            "No header row found: one of the first %(count)s rows of a sheet must hold "
            "the template's column headers (%(first)s, %(second)s, …). Download the template "
            "and fill it in.",
            count=cols.HEADER_SCAN_ROWS,
            first=cols.HEADERS[0],
            second=cols.HEADERS[1],
        )

    def _notify_progress(self, message):
        """Tell the user how far a long file has come, while it runs.

        The main transaction is committed only at the end, so the notice goes
        through a cursor of its own; the web client shows it as a toast.
        """
        partner = self.env.user.partner_id
        with self.env.registry.cursor() as cr:
            # The bus's own machinery, which writes its messages as superuser;
            # the channel is named from the record, which is not read again.
            self.env(cr=cr, user=SUPERUSER_ID)["bus.bus"]._sendone(
                partner,
                "simple_notification",
                {"type": "info", "title": _("Import from Excel"), "message": message},
            )

    def _progress(self, done, total, message):
        if done % self._progress_step == 0:
            self._notify_progress(message % {"done": done, "total": total or "?"})

    @api.model
    def _own_villages(self):
        """The user's villages by code, in one query."""
        regions = self.env["lbe.region"].search_fetch(
            [("level", "=", "village"), ("id", "child_of", self.env.user.lbe_region_ids.ids)],
            ["code"],
        )
        return {region.code: region.id for region in regions}

    # ------------------------------------------------------------------
    # Checking
    # ------------------------------------------------------------------
    def _check_file(self, checked=None):
        """Read the whole file, record its problems as error lines, and return
        the plan: by row, ("create", None) or ("update" | "skip", elder id).
        The values of the rows without problems are written to `checked`."""
        sheet = self._open_sheet()
        try:
            plan, errors, count = self._check_rows(sheet, checked)
        except cols.FileError as e:
            raise UserError(self._file_error_message(e)) from e
        finally:
            sheet.close()
        self.error_ids.unlink()
        self.env["lbe.elder.import.error"].create(
            [{"import_id": self.id, **error} for error in errors]
        )
        actions = [action for action, _elder in plan.values()]
        self.write(
            {
                "state": "checked",
                "row_count": count,
                "error_count": len(errors),
                "created_count": actions.count("create"),
                "updated_count": actions.count("update"),
                "skipped_count": actions.count("skip"),
            }
        )
        return plan

    @staticmethod
    def _error(row, key, value, message):
        return {
            "row": row,
            "column": cols.HEADER_OF.get(key, ""),
            "value": cols.quoted(value, cols.VALUE_LENGTH),
            "message": message,
        }

    @api.model
    def _text_limits(self):
        """The characters each text column may hold: those of the field it fills."""
        return {
            key: self.env[model]._lbe_text_limit(field)
            for key, (model, field) in cols.TEXT_KEYS.items()
        }

    def _check_rows(self, sheet, checked):
        today = fields.Date.context_today(self)
        villages = self._own_villages()
        limits = self._text_limits()
        errors = []
        rows_of_number = defaultdict(list)
        rows_of_foreign_code = defaultdict(list)
        # What the cross-row checks need of a row without problems: kept small,
        # so that a file of 100,000 rows is checked in little memory.
        facts = {}
        count = 0
        progress = _("Import from Excel: %(done)s of about %(total)s rows checked.")
        for number, _row, cells in sheet.rows():
            count += 1
            values, problems = cols.parse_row(cells, today, limits)
            errors += [self._error(number, key, cells.get(key), msg) for key, msg in problems]
            code = values.get("village_code")
            if code and code not in villages:
                rows_of_foreign_code[code].append(number)
            if "id_number" in values:
                rows_of_number[values["id_number"][0]].append(number)
            if not problems and not (code and code not in villages):
                facts[number] = (
                    values["child_count"],
                    tuple(values.get("child_birth_dates", ())),
                )
                if checked is not None:
                    pickle.dump((number, values), checked, pickle.HIGHEST_PROTOCOL)
            self._progress(count, sheet.size and sheet.size - sheet.header_row, progress)
        if not count:
            raise UserError(_("The file has no rows below its header row."))
        errors += self._village_errors(rows_of_foreign_code)
        plan = self._plan(rows_of_number, facts, errors, set(villages.values()), today)
        errors.sort(key=lambda error: error["row"])
        return plan, errors, count

    @api.model
    def _village_errors(self, rows_of_code):
        if not rows_of_code:
            return []
        known = {
            region.code: region
            for region in self.env["lbe.region"].search_fetch(
                [("code", "in", list(rows_of_code))], ["code", "level"]
            )
        }
        errors = []
        for code, rows in rows_of_code.items():
            region = known.get(code)
            if not region:
                message = f"村（居）委会代码“{code}”不存在"
            elif region.level != "village":
                message = f"代码“{code}”不是村（居）委会一级的代码"
            else:
                message = f"村（居）委会代码“{code}”不在您负责的地区内"
            errors += [self._error(row, "village_code", code, message) for row in rows]
        return errors

    def _plan(self, rows_of_number, facts, errors, own_villages, today):
        """Decide, by ID number, what becomes of each row; add the problems found."""
        existing = defaultdict(list)
        if rows_of_number:
            Elder = self.env["lbe.elder"]
            Elder.flush_model(["id_number", "state", "region_id"])
            # One query for every number of the file, whoever's area it lies in:
            # the user is told only that a number is taken elsewhere, nothing more.
            self.env.cr.execute(
                SQL(
                    "SELECT id_number, id, state, region_id FROM lbe_elder"
                    " WHERE id_number = ANY(%s) ORDER BY id",
                    list(rows_of_number),
                )
            )
            for number, elder_id, state, region_id in self.env.cr.fetchall():
                existing[number].append((elder_id, state, region_id))
        # An own record to update: the registered one, else the latest.
        rank = {"active": 2, "draft": 1, "exited": 0}
        plan, to_update = {}, {}
        for number, rows in rows_of_number.items():
            if len(rows) > 1:
                listed = "、".join(str(row) for row in rows)
                message = f"身份证号码在文件中重复出现（第{listed}行）"
                errors += [self._error(row, "id_number", number, message) for row in rows]
                continue
            row = rows[0]
            records = existing.get(number, [])
            own = max(
                (r for r in records if r[2] in own_villages),
                key=lambda r: (rank[r[1]], r[0]),
                default=None,
            )
            elsewhere = any(r[1] == "active" and r[2] not in own_villages for r in records)
            if own and self.existing_action == "skip":
                action = ("skip", own[0])
            elif elsewhere:
                errors.append(self._error(row, "id_number", number, OTHER_AREA))
                continue
            elif own:
                action = ("update", own[0])
                to_update[row] = own
            else:
                action = ("create", None)
            if row in facts:
                plan[row] = action
        errors += self._update_errors(
            {row: own for row, own in to_update.items() if row in facts}, facts, today
        )
        return plan

    def _update_errors(self, to_update, facts, today):
        """The children recorded on the elders to update must fit the rows."""
        if not to_update:
            return []
        children = defaultdict(list)
        self.env["lbe.elder.child"].flush_model(["elder_id", "away_since"])
        self.env.cr.execute(
            SQL(
                "SELECT elder_id, away_since FROM lbe_elder_child WHERE elder_id = ANY(%s)",
                [own[0] for own in to_update.values()],
            )
        )
        for elder_id, away_since in self.env.cr.fetchall():
            children[elder_id].append(away_since)
        year_ago = today - relativedelta(years=1)
        errors = []
        for row, (elder_id, state, _region) in to_update.items():
            recorded = children[elder_id]
            count = facts[row][0]
            if len(recorded) > count:
                errors.append(
                    self._error(
                        row,
                        "child_count",
                        count,
                        f"台账中该老人已登记{len(recorded)}名子女，多于子女数量{count}；"
                        "减少子女请在台账中修改",
                    )
                )
            # A draft is registered by the import: the definition looks at the
            # children recorded already, whose dates the import does not change.
            elif state == "draft" and any(away and away > year_ago for away in recorded):
                errors.append(
                    self._error(
                        row,
                        "years_away",
                        count,
                        "台账中该老人有子女外出务工不满1年，不符合农村留守老年人的认定条件",
                    )
                )
        return errors

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------
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
        for elder, (_elder_id, values) in zip(elders, items, strict=True):
            vals = self._elder_vals(values, villages, creating=False)
            vals["child_ids"] = self._child_commands(elder.child_ids, values, today)
            vals["guardian_ids"] = self._guardian_commands(elder.primary_guardian_id, values)
            elder.write({name: value for name, value in vals.items() if value != []})
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
        for key in (
            "name",
            "ethnic_group",
            "household_registration",
            "address",
            "health_status",
            "disability_category",
            "disability_grade",
            "disease_type",
            "education",
            "spouse_status",
            "years_away",
            "reunions_per_year",
            "reunion_days_avg",
            "registration_date",
        ):
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
        registered = values.get("registration_date", today)
        return registered - relativedelta(years=values["years_away"])

    def _create_vals(self, values, villages, today):
        vals = self._elder_vals(values, villages, creating=True)
        dates = values.get("child_birth_dates", [])
        away_since = self._away_since(values, today)
        vals["child_ids"] = [
            Command.create(
                {
                    "name": CHILD_NAME.format(rank),
                    "birth_date": dates[rank - 1] if rank <= len(dates) else False,
                    "away_since": away_since,
                }
            )
            for rank in range(1, values["child_count"] + 1)
        ]
        vals["guardian_ids"] = self._guardian_commands(self.env["lbe.guardian"], values)
        return vals

    def _child_commands(self, children, values, today):
        """The recorded children, completed: the file's dates go to the children
        who have them already, then to those without a date, then correct the
        others; children beyond those recorded are added. The count cannot shrink
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
        commands = []
        for child in children:
            vals = {}
            if child in unmatched[: len(dates)]:
                vals["birth_date"] = dates[unmatched.index(child)]
            if not child.away_since:
                vals["away_since"] = away_since
            if vals:
                commands.append(Command.update(child.id, vals))
        dates = dates[len(unmatched) :]
        for rank in range(len(children) + 1, values["child_count"] + 1):
            commands.append(
                Command.create(
                    {
                        "name": CHILD_NAME.format(rank),
                        "birth_date": dates.pop(0) if dates else False,
                        "away_since": away_since,
                    }
                )
            )
        return commands

    @staticmethod
    def _guardian_commands(primary, values):
        vals = {
            field: values[key]
            for key, field in (
                ("guardian_name", "name"),
                ("guardian_gender", "gender"),
                ("guardian_address", "address"),
                ("guardian_mobile", "mobile"),
            )
            if key in values
        }
        if primary:
            return [Command.update(primary.id, vals)] if vals else []
        if "name" in vals:
            return [Command.create({**vals, "is_primary": True})]
        return []
