from odoo import _, models
from odoo.exceptions import AccessError, UserError

from ..annex import annex1
from ..models.masking import mask_id_number, mask_phone
from ..models.tiers import EXPORT_GROUPS, SENSITIVE_GROUP

LEDGER_TITLE = "农村留守老年人信息台账"
# The ledger's own columns, beside Annex 1's facts.
OWN_COLUMNS = {
    "number": "序号",
    "township_name": "乡镇（街道）",
    "village_name": "村（居）委会",
    "state": "状态",
}
# Annex 1's facts, one column each, in the form's order, under the labels the
# import template uses too, between the ledger's own columns: the person first,
# then the facts from the health to the supporter in the list's order.
_FACT_KEYS = [fact.key for fact in annex1.FACTS]
COLUMNS = [
    "number", "name", "gender", "birth_date", "ethnic_group", "id_number",
    "household_registration", "address", "township_name", "village_name", "village_code",
    "registration_date", "state",
    *_FACT_KEYS[_FACT_KEYS.index("health_status") : _FACT_KEYS.index("registration_date")],
]  # fmt: skip


def ledger_header():
    """The header row: Annex 1's labels as the list of facts has them."""
    return [OWN_COLUMNS.get(key) or annex1.LABELS[key] for key in COLUMNS]


# The columns of facts with fixed values, printed in the form's words.
LEDGER_OPTIONS = [key for key in COLUMNS if key in annex1.LABELS and annex1.fact(key).options]


def figure(value):
    """A figure as a number, blank for zero (not filled in), as the form prints it."""
    return value or ""


class ReportLbeLedgerXlsx(models.AbstractModel):
    """The ledger of an area as an XLSX workbook, one row per elder (Annex 1 fields)."""

    _name = "report.left_behind_elderly.report_lbe_ledger_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Ledger of an Area (XLSX)"

    def generate_xlsx_report(self, workbook, data, wizards):
        # The wizard is its creator's alone (a record rule); the elders are
        # searched as the user, so the area rules decide who is in the file.
        if len(wizards) != 1:
            raise UserError(_("Export the ledger of one area at a time."))
        wizards.check_access("read")
        # The ledger is a bulk export (the area mixin's rule) of personal data,
        # which only the tiers reading it may take: county staff and managers.
        user = self.env.user
        if not (user.has_groups(EXPORT_GROUPS) and user.has_group(SENSITIVE_GROUP)):
            raise AccessError(
                _(
                    "Exporting the ledger is for county staff and above; village and "
                    "township staff print the registration forms instead."
                )
            )
        domain = [("region_id", "child_of", wizards.region_id.id)]
        if not wizards.include_all:
            domain.append(("state", "=", "active"))
        elders = self.env["lbe.elder"].search(domain)
        full = wizards.full_values
        self.env["lbe.audit.log"]._log(
            "full_export" if full else "export",
            elders,
            _("Ledger of %(area)s (XLSX)", area=wizards.region_id.complete_name),
        )
        self._write_sheet(workbook, self._ledger_rows(elders, full))

    def _ledger_rows(self, elders, full):
        """One list of cell values per elder, in the order of COLUMNS; the texts
        are those the Annex 1 PDF prints for the same facts."""
        options = {key: annex1.texts(annex1.fact(key).options) for key in LEDGER_OPTIONS}
        state = annex1.texts(annex1.STATE_OPTIONS)
        id_number = (lambda v: v or "") if full else (lambda v: mask_id_number(v) or "")
        phone = (lambda v: v or "") if full else (lambda v: mask_phone(v) or "")
        rows = []
        for number, elder in enumerate(elders, start=1):
            supporter = elder.primary_guardian_id
            values = {
                key: options[key].get(elder[key], "")
                for key in LEDGER_OPTIONS
                if key != "guardian_gender"
            }
            values |= {
                "number": number,
                "name": elder.name,
                "birth_date": elder.birth_date,
                "id_number": id_number(elder.id_number),
                "household_registration": elder.household_registration or "",
                "address": elder.address or "",
                "township_name": elder.township_id.name or "",
                "village_name": elder.region_id.name,
                "village_code": elder.region_id.code,
                "registration_date": elder.registration_date,
                "state": state[elder.state],
                "disease_type": elder.disease_type or "",
                "child_count": elder.child_count,
                "child_birth_dates": annex1.children_birth_dates(elder),
                "years_away": figure(elder.years_away),
                "last_home_visit": annex1.last_home_visit(elder),
                "reunions_per_year": figure(elder.reunions_per_year),
                "reunion_days_avg": figure(elder.reunion_days_avg),
                **{
                    field: annex1.income_text(elder, field)
                    for field, _label, _text in annex1.INCOME_OPTIONS
                },
                "guardian_name": supporter.name or "",
                "guardian_gender": options["guardian_gender"].get(supporter.gender, ""),
                "guardian_address": supporter.address or "",
                "guardian_mobile": phone(supporter.mobile),
            }
            rows.append([values[key] for key in COLUMNS])
        return rows

    def _write_sheet(self, book, rows):
        font = {"font_name": "宋体", "font_size": 10}
        title = book.add_format({**font, "bold": True, "font_size": 14})
        head = book.add_format(
            {**font, "bold": True, "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        text = book.add_format({**font, "border": 1})
        # Dates stay dates (sortable), shown as the form writes them.
        day = book.add_format({**font, "border": 1, "num_format": 'yyyy"年"m"月"d"日"'})
        sheet = book.add_worksheet("台账")
        sheet.write_string(0, 0, LEDGER_TITLE, title)
        sheet.write_row(1, 0, ledger_header(), head)
        sheet.set_column(0, len(COLUMNS) - 1, 12)
        id_column = COLUMNS.index("id_number")
        sheet.set_column(id_column, id_column, 20)
        sheet.freeze_panes(2, 2)
        for row, values in enumerate(rows, start=2):
            for col, value in enumerate(values):
                if isinstance(value, bool) or value == "":
                    sheet.write_blank(row, col, None, text)
                elif isinstance(value, int | float):
                    sheet.write_number(row, col, value, text)
                elif hasattr(value, "isoformat"):
                    sheet.write_datetime(row, col, value, day)
                else:
                    sheet.write_string(row, col, value, text)
