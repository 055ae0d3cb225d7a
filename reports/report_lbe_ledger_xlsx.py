from odoo import _, models
from odoo.exceptions import AccessError, UserError

from ..models.lbe_area_mixin import mask_id_number, mask_phone
from .annex_labels import (
    DISABILITY_CATEGORIES_ZH,
    DISABILITY_GRADES_ZH,
    EDUCATION_ZH,
    ETHNIC_GROUPS_ZH,
    GENDERS_ZH,
    HEALTH_ZH,
    INCOME_ZH,
    SPOUSE_ZH,
    STATES_ZH,
    zh_date,
)

LEDGER_TITLE = "农村留守老年人信息台账"
# Annex 1's fields, one column each, in the form's order.
LEDGER_HEADER = [
    "序号",
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "身份证号码",
    "户籍所在地",
    "现居住地址",
    "乡镇（街道）",
    "村（居）委会",
    "登记日期",
    "状态",
    "身体情况",
    "残疾类别及等级",
    "患病类型",
    "文化程度",
    "夫妻情况",
    "子女数量",
    "子女出生日期",
    "外出务工年限（年）",
    "最近一次回家探望时间",
    "每年团聚次数（次）",
    "平均天数（天）",
    *(label for _field, label in INCOME_ZH),
    "主要赡养人或扶养人姓名",
    "性别",
    "联系地址",
    "联系电话（手机）",
]
# Who may export the ledger: county staff and managers, who keep the ledger of
# a whole county; village and township staff print the forms instead.
EXPORT_GROUP = "left_behind_elderly.group_county"


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
        """One list of cell values per elder, as LEDGER_HEADER lists them."""
        health = dict(HEALTH_ZH)
        education = dict(EDUCATION_ZH)
        spouse = dict(SPOUSE_ZH)
        id_number = (lambda v: v or "") if full else (lambda v: mask_id_number(v) or "")
        phone = (lambda v: v or "") if full else (lambda v: mask_phone(v) or "")
        rows = []
        for number, elder in enumerate(elders, start=1):
            supporter = elder.primary_guardian_id
            disability = " ".join(
                filter(
                    None,
                    [
                        DISABILITY_CATEGORIES_ZH.get(elder.disability_category),
                        DISABILITY_GRADES_ZH.get(elder.disability_grade),
                    ],
                )
            )
            last_visit = (
                f"{elder.last_home_visit_year}年{elder.last_home_visit_month or ''}月"
                if elder.last_home_visit_year
                else ""
            )
            rows.append(
                [
                    number,
                    elder.name,
                    GENDERS_ZH.get(elder.gender, ""),
                    elder.birth_date,
                    ETHNIC_GROUPS_ZH.get(elder.ethnic_group, ""),
                    id_number(elder.id_number),
                    elder.household_registration or "",
                    elder.address or "",
                    elder.township_id.name or "",
                    elder.region_id.name,
                    elder.registration_date,
                    STATES_ZH[elder.state],
                    health.get(elder.health_status, ""),
                    disability,
                    elder.disease_type or "",
                    education.get(elder.education, ""),
                    spouse.get(elder.spouse_status, ""),
                    elder.child_count,
                    "、".join(zh_date(child.birth_date) for child in elder.child_ids),
                    elder.years_away,
                    last_visit,
                    elder.reunions_per_year,
                    elder.reunion_days_avg,
                    *("√" if elder[field] else "" for field, _label in INCOME_ZH),
                    supporter.name or "",
                    GENDERS_ZH.get(supporter.gender, ""),
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
        day = book.add_format({**font, "border": 1, "num_format": "yyyy-mm-dd"})
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
