from dateutil.relativedelta import relativedelta
from stdnum.cn import ric

from odoo import fields, models

from ..annex import annex1
from ..models.tiers import VILLAGE
from ..wizard import elder_import_columns as cols

# Columns kept as text, so that Excel does not turn their digits into numbers
# (an ID number into 4.40111E+17) nor "2025.3" into a figure.
TEXT_COLUMNS = (
    "id_number",
    "village_code",
    "guardian_mobile",
    "child_birth_dates",
    "last_home_visit",
)
DATE_COLUMNS = ("birth_date", "registration_date")
# Rows of the first sheet whose cells carry their column's format themselves: a
# column's format alone is lost when cells are pasted in, and some spreadsheet
# programs (WPS) do not apply it to new cells.
FORMATTED_ROWS = 2000
LAST_ROW = 1048575  # Excel's last row, 0-based: the drop-downs cover the whole column


class ReportLbeElderImportTemplate(models.AbstractModel):
    """The Excel template of the import: the header, drop-downs, an example."""

    _name = "report.left_behind_elderly.report_lbe_elder_import_template"
    _inherit = "report.report_xlsx.abstract"
    _description = "Template of the Excel Import of Elders"

    def generate_xlsx_report(self, workbook, data, wizards):
        # The wizard is its creator's alone (a record rule); the template holds
        # no one's data.
        wizards.check_access("read")
        formats = self._formats(workbook)
        sheet = workbook.add_worksheet("农村留守老年人")
        example = workbook.add_worksheet("示例")
        notes = workbook.add_worksheet("填写说明")
        options = workbook.add_worksheet("选项")
        self._write_options(options)
        self._write_header(sheet, formats)
        self._format_cells(sheet, formats)
        self._write_validations(sheet)
        self._write_header(example, formats)
        self._write_row(example, 1, self._example(), formats)
        self._write_notes(notes, formats)
        options.hide()
        sheet.activate()

    @staticmethod
    def _formats(book):
        font = {"font_name": "宋体", "font_size": 11}
        return {
            "head": book.add_format(
                {**font, "bold": True, "border": 1, "text_wrap": True, "valign": "vcenter"}
            ),
            "required": book.add_format(
                {
                    **font,
                    "bold": True,
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                    "font_color": "#C00000",
                }
            ),
            "text": book.add_format({**font, "num_format": "@"}),
            "date": book.add_format({**font, "num_format": "yyyy-mm-dd"}),
            "plain": book.add_format(font),
            "wrap": book.add_format({**font, "text_wrap": True, "valign": "top"}),
        }

    def _write_header(self, sheet, formats):
        for col, key in enumerate(cols.KEYS):
            head = formats["required" if key in cols.REQUIRED else "head"]
            sheet.write_string(0, col, cols.HEADER_OF[key], head)
            if key in TEXT_COLUMNS:
                column_format = formats["text"]
            elif key in DATE_COLUMNS:
                column_format = formats["date"]
            else:
                column_format = formats["plain"]
            width = 20 if key in ("id_number", "address", "household_registration") else 13
            sheet.set_column(col, col, width, column_format)
        sheet.set_row(0, 32)
        sheet.freeze_panes(1, 1)

    @staticmethod
    def _format_cells(sheet, formats):
        for col, key in enumerate(cols.KEYS):
            if key in TEXT_COLUMNS:
                cell_format = formats["text"]
            elif key in DATE_COLUMNS:
                cell_format = formats["date"]
            else:
                continue
            for row in range(1, FORMATTED_ROWS + 1):
                sheet.write_blank(row, col, None, cell_format)

    @staticmethod
    def _write_options(sheet):
        for col, key in enumerate(cols.OPTIONS):
            sheet.write_string(0, col, cols.HEADER_OF[key])
            for row, text in enumerate(cols.option_texts(key), start=1):
                sheet.write_string(row, col, text)

    @staticmethod
    def _write_validations(sheet):
        option_columns = list(cols.OPTIONS)
        for col, key in enumerate(cols.KEYS):
            # What the column takes, shown when a cell is selected.
            hint = annex1.fact(key).hint
            validation = {"validate": "any"}
            if key in cols.OPTIONS:
                # A range of the hidden sheet: 56 ethnic groups exceed the 255
                # characters an inline list may hold.
                letter = chr(ord("A") + option_columns.index(key))
                size = len(cols.OPTIONS[key])
                validation = {
                    "validate": "list",
                    "source": f"='选项'!${letter}$2:${letter}${size + 1}",
                    "error_title": cols.HEADER_OF[key],
                    "error_message": "请从下拉列表中选择",
                }
            elif key in cols.INCOME_FIELDS and key != "income_other":
                validation = {
                    "validate": "list",
                    "source": [annex1.TICK],
                    "error_title": cols.HEADER_OF[key],
                    "error_message": "是则填“√”，否则留空",
                }
            if hint:
                validation |= {"input_title": cols.HEADER_OF[key][:32], "input_message": hint}
            if validation["validate"] != "any" or hint:
                sheet.data_validation(1, col, LAST_ROW, col, validation)

    def _example(self):
        """One filled-in row: a woman of 76 with two children away."""
        today = fields.Date.context_today(self)
        born = today.replace(month=3, day=15) - relativedelta(years=76)
        village = self.env["lbe.region"].search(
            [("level", "=", VILLAGE), ("id", "child_of", self.env.user.lbe_region_ids.ids)],
            order="code",
            limit=1,
        )
        code = village.code or "440111103200"
        id_number = self._example_id_number(code[:6], born)
        return {
            "name": "王桂英",
            "id_number": id_number,
            "birth_date": born,
            "gender": "女",
            "ethnic_group": "汉族",
            "household_registration": village.complete_name or "广东省广州市白云区人和镇",
            "address": f"{village.name or '人和村'}1号",
            "village_code": code,
            "health_status": "残疾",
            "disability_category": "肢体残疾",
            "disability_grade": "二级",
            "education": "小学",
            "spouse_status": "一方健在",
            "child_count": 2,
            "child_birth_dates": f"{born.year + 25}-06-01；{born.year + 28}-09-12",
            "years_away": 3,
            "last_home_visit": annex1.year_month(today.year - 1, 2),
            "reunions_per_year": 2,
            "reunion_days_avg": 7,
            "income_children_wages": annex1.TICK,
            "income_farming": annex1.TICK,
            "guardian_name": "王强",
            "guardian_gender": "男",
            "guardian_address": "广东省深圳市宝安区",
            "guardian_mobile": "13800000000",
            "registration_date": today,
        }

    @staticmethod
    def _example_id_number(county_code, born):
        # The national list of area codes may lag behind the newest counties.
        for area in (county_code, "440111"):
            body = f"{area}{born:%Y%m%d}122"
            number = body + ric.calc_check_digit(body + "0")
            if ric.is_valid(number):
                return number
        return number

    @staticmethod
    def _write_row(sheet, row, values, formats):
        for col, key in enumerate(cols.KEYS):
            value = values.get(key)
            if value is None:
                continue
            if hasattr(value, "isoformat"):
                sheet.write_datetime(row, col, value, formats["date"])
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value)
            else:
                sheet.write_string(row, col, value, formats["text"])

    @staticmethod
    def _write_notes(sheet, formats):
        sheet.set_column(0, 0, 26)
        sheet.set_column(1, 1, 90, formats["wrap"])
        sheet.write_string(0, 0, "列", formats["head"])
        sheet.write_string(0, 1, "填写要求", formats["head"])
        for row, key in enumerate(cols.KEYS, start=1):
            sheet.write_string(row, 0, cols.HEADER_OF[key])
            sheet.write_string(row, 1, annex1.fact(key).hint)
        sheet.write_string(
            len(cols.KEYS) + 2,
            0,
            "每行一位老年人，从第一张表的第2行起填写；表头不要改动，标红的列必须填写。"
            "导入时先检查全部行，有错误时不导入任何一行，可下载错误文件修改后重新上传。",
        )
