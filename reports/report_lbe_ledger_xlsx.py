from odoo import _, models
from odoo.exceptions import AccessError, UserError

from ..models import annex1
from ..models.lbe_area_mixin import mask_id_number, mask_phone

LEDGER_TITLE = "农村留守老年人信息台账"
L = annex1.LABELS
# Annex 1's facts, one column each, in the form's order, under the labels the
# import template uses too, between the ledger's own columns.
LEDGER_HEADER = [
    "序号",
    L["name"],
    L["gender"],
    L["birth_date"],
    L["ethnic_group"],
    L["id_number"],
    L["household_registration"],
    L["address"],
    "乡镇（街道）",
    "村（居）委会",
    L["village_code"],
    L["registration_date"],
    "状态",
    L["health_status"],
    L["disability_category"],
    L["disability_grade"],
    L["disease_type"],
    L["education"],
    L["spouse_status"],
    L["child_count"],
    L["child_birth_dates"],
    L["years_away"],
    L["last_home_visit"],
    L["reunions_per_year"],
    L["reunion_days_avg"],
    *(L[field] for field, _label, _text in annex1.INCOME_OPTIONS),
    L["guardian_name"],
    L["guardian_gender"],
    L["guardian_address"],
    L["guardian_mobile"],
]
# Who may export the ledger: county staff and managers, who keep the ledger of
# a whole county; village and township staff print the forms instead.
EXPORT_GROUP = "left_behind_elderly.group_county"


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
        if not self.env.user.has_group(EXPORT_GROUP):
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
        """One list of cell values per elder, as LEDGER_HEADER lists them; the
        texts are those the Annex 1 PDF prints for the same facts."""
        gender = annex1.texts(annex1.GENDER_OPTIONS)
        ethnic_group = annex1.texts(annex1.ETHNIC_GROUP_OPTIONS)
        state = annex1.texts(annex1.STATE_OPTIONS)
        health = annex1.texts(annex1.HEALTH_OPTIONS)
        category = annex1.texts(annex1.DISABILITY_CATEGORY_OPTIONS)
        grade = annex1.texts(annex1.DISABILITY_GRADE_OPTIONS)
        education = annex1.texts(annex1.EDUCATION_OPTIONS)
        spouse = annex1.texts(annex1.SPOUSE_OPTIONS)
        id_number = (lambda v: v or "") if full else (lambda v: mask_id_number(v) or "")
        phone = (lambda v: v or "") if full else (lambda v: mask_phone(v) or "")
        rows = []
        for number, elder in enumerate(elders, start=1):
            supporter = elder.primary_guardian_id
            rows.append(
                [
                    number,
                    elder.name,
                    gender.get(elder.gender, ""),
                    elder.birth_date,
                    ethnic_group.get(elder.ethnic_group, ""),
                    id_number(elder.id_number),
                    elder.household_registration or "",
                    elder.address or "",
                    elder.township_id.name or "",
                    elder.region_id.name,
                    elder.region_id.code,
                    elder.registration_date,
                    state[elder.state],
                    health.get(elder.health_status, ""),
                    category.get(elder.disability_category, ""),
                    grade.get(elder.disability_grade, ""),
                    elder.disease_type or "",
                    education.get(elder.education, ""),
                    spouse.get(elder.spouse_status, ""),
                    elder.child_count,
                    annex1.children_birth_dates(elder),
                    figure(elder.years_away),
                    annex1.last_home_visit(elder),
                    figure(elder.reunions_per_year),
                    figure(elder.reunion_days_avg),
                    *(
                        annex1.income_text(elder, field)
                        for field, _label, _text in annex1.INCOME_OPTIONS
                    ),
                    supporter.name or "",
                    gender.get(supporter.gender, ""),
                    supporter.address or "",
                    phone(supporter.mobile),
                ]
            )
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
        sheet.write_row(1, 0, LEDGER_HEADER, head)
        sheet.set_column(0, len(LEDGER_HEADER) - 1, 12)
        sheet.set_column(5, 5, 20)
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
