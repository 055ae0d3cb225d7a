"""The import's check of a whole file: every row read, normalised and checked
against the ledger, every problem listed by row and column, and the plan of what
to create and update."""

import pickle
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..annex import definition
from ..models.tiers import VILLAGE
from . import elder_import_columns as cols
from . import elder_import_sheet as sheets

OTHER_AREA = "该身份证号码已在其他地区的台账中登记；请联系县级民政部门，核实此人的居住地后再登记"


class LbeElderImportCheck(models.TransientModel):
    _inherit = "lbe.elder.import"

    def _check_file(self, checked=None):
        """Read the whole file, record its problems as error lines, and return
        the plan: by row, ("create", None) or ("update" | "skip", elder id).
        The values of the rows without problems are written to `checked`."""
        sheet = self._open_sheet()
        try:
            plan, errors, count = self._check_rows(sheet, checked)
        except sheets.FileError as e:
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
                    values.get("registration_date"),
                )
                if checked is not None:
                    pickle.dump((number, values), checked, pickle.HIGHEST_PROTOCOL)
            self._progress(count, sheet.size and sheet.size - sheet.header_row, progress)
        if not count:
            raise UserError(_("The file has no rows below its header row."))
        errors += self._village_errors(rows_of_foreign_code)
        plan = self._plan(rows_of_number, facts, errors, set(villages.values()))
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
            elif region.level != VILLAGE:
                message = f"代码“{code}”不是村（居）委会一级的代码"
            else:
                message = f"村（居）委会代码“{code}”不在您负责的地区内"
            errors += [self._error(row, "village_code", code, message) for row in rows]
        return errors

    def _plan(self, rows_of_number, facts, errors, own_villages):
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
            {row: own for row, own in to_update.items() if row in facts}, facts
        )
        return plan

    def _update_errors(self, to_update, facts):
        """The children recorded on the elders to update must fit the rows."""
        if not to_update:
            return []
        children, registered = defaultdict(list), {}
        self.env["lbe.elder.child"].flush_model(["elder_id", "away_since"])
        self.env["lbe.elder"].flush_model(["registration_date"])
        self.env.cr.execute(
            SQL(
                "SELECT c.elder_id, c.away_since, e.registration_date FROM lbe_elder_child c"
                " JOIN lbe_elder e ON e.id = c.elder_id WHERE c.elder_id = ANY(%s)",
                [own[0] for own in to_update.values()],
            )
        )
        for elder_id, away_since, registration_date in self.env.cr.fetchall():
            children[elder_id].append(away_since)
            registered[elder_id] = registration_date
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
            # A draft is registered by the import, as of its registration date: the
            # definition looks at the children recorded already, whose dates the
            # import does not change.
            elif state == "draft" and any(
                away and away > definition.dates_on(facts[row][2] or registered[elder_id]).away_by
                for away in recorded
            ):
                errors.append(
                    self._error(
                        row,
                        "years_away",
                        count,
                        "台账中该老人有子女外出务工不满1年，不符合农村留守老年人的认定条件",
                    )
                )
        return errors
