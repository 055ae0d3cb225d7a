import base64
import io
import re
import threading
import time
import zipfile
from collections import Counter
from datetime import date, datetime, timedelta
from unittest.mock import patch

import openpyxl
import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL, mute_logger

from ..wizard import lbe_elder_import_write
from .common import LbeCareCommon, make_id_number, wait_until_blocked

# The template's columns, in order, as the issue lists them.
HEADERS = [
    "姓名",
    "身份证号码",
    "出生日期",
    "性别",
    "民族",
    "户籍所在地",
    "现居住地址",
    "村（居）委会代码",
    "身体情况",
    "残疾类别",
    "残疾等级",
    "患病类型",
    "文化程度",
    "夫妻情况",
    "子女数量",
    "子女出生日期",
    "外出务工年限",
    "最近一次回家探望时间",
    "每年团聚次数",
    "平均天数",
    "子女打工收入",
    "种养殖业",
    "政府救助",
    "其他",
    "主要赡养人姓名",
    "主要赡养人性别",
    "主要赡养人联系地址",
    "主要赡养人联系电话",
    "登记日期",
]
TEMPLATE = "left_behind_elderly.report_lbe_elder_import_template"
ERRORS = "left_behind_elderly.report_lbe_elder_import_errors"


def workbook(rows, header=None, titles=(), sheets_before=(), blank_rows_after=()):
    """An XLSX file: optional title rows (merged across), the header, then the rows
    (dicts by header, or lists); sheets_before are (title, rows) put in front."""
    header = HEADERS if header is None else header
    book = openpyxl.Workbook()
    first = book.active
    for title, other_rows in sheets_before:
        sheet = book.create_sheet(title, 0)
        for values in other_rows:
            sheet.append(values)
    sheet = first
    sheet.title = "台账"
    for number, title in enumerate(titles, start=1):
        sheet.append([title])
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=8)
    sheet.append(header)
    for index, values in enumerate(rows):
        sheet.append([values.get(h) for h in header] if isinstance(values, dict) else values)
        if index in blank_rows_after:
            sheet.append([])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestElderImport(LbeCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Elder = cls.env["lbe.elder"].with_context(active_test=False)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _row(self, sequence, cells=None, village=None, born=date(1950, 3, 15)):
        """A valid row of the template, by header; cells override it."""
        row = {
            "姓名": f"导入老人{sequence}",
            "身份证号码": make_id_number("440111", born, f"{sequence:03d}"),
            "民族": "汉族",
            "户籍所在地": "广东省广州市白云区人和镇",
            "现居住地址": f"人和村{sequence}号",
            "村（居）委会代码": (village or self.village_a1).code,
            "身体情况": "健康",
            "文化程度": "小学",
            "夫妻情况": "双方健在",
            "子女数量": 2,
            "子女出生日期": "1975-06-01；1978-09-12",
            "外出务工年限": 3,
            "最近一次回家探望时间": "2025年2月",
            "每年团聚次数": 2,
            "平均天数": 5,
            "子女打工收入": "√",
            "主要赡养人姓名": f"赡养人{sequence}",
            "主要赡养人性别": "男",
            "主要赡养人联系地址": "深圳市宝安区",
            "主要赡养人联系电话": "13800000000",
        }
        row.update(cells or {})
        return row

    def _wizard(self, content, user=None, **vals):
        user = user or self.user_village
        return (
            self.env["lbe.elder.import"]
            .with_user(user)
            .create({"file": base64.b64encode(content), "filename": "台账.xlsx", **vals})
        )

    def _errors(self, wizard):
        return {(e.row, e.column, e.message) for e in wizard.error_ids}

    def _render(self, action, wizard, user=None):
        self.assertEqual((action["type"], action["report_type"]), ("ir.actions.report", "xlsx"))
        content, report_type = (
            self.env["ir.actions.report"]
            .with_user(user or self.user_village)
            ._render_xlsx(action["report_name"], wizard.ids, data=None)
        )
        self.assertEqual(report_type, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def _assert_nothing_written(self, before):
        self.env.invalidate_all()
        self.assertEqual(self.Elder.search_count([]), before)

    # ------------------------------------------------------------------
    # The template
    # ------------------------------------------------------------------
    def test_template(self):
        wizard = self.env["lbe.elder.import"].with_user(self.user_village).create({})
        book = self._render(wizard.action_download_template(), wizard)
        sheet = book.worksheets[0]
        self.assertEqual([cell.value for cell in sheet[1]], HEADERS)
        # Below the header, cells formatted for typing in, but empty.
        self.assertFalse([row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)])
        validations = {
            str(validation.sqref).split(":")[0]: validation
            for validation in sheet.data_validations.dataValidation
        }
        # Drop-downs for the columns with fixed values, from the hidden options sheet.
        column = {
            header: openpyxl.utils.get_column_letter(i + 1) for i, header in enumerate(HEADERS)
        }
        for header in ("性别", "民族", "身体情况", "残疾类别", "残疾等级", "文化程度", "夫妻情况"):
            validation = validations[f"{column[header]}2"]
            self.assertEqual(validation.type, "list", header)
            self.assertIn("选项", validation.formula1)
        self.assertEqual(validations[f"{column['种养殖业']}2"].formula1, '"√"')
        options = book["选项"]
        self.assertEqual(options.sheet_state, "hidden")
        listed = {
            options.cell(1, col).value: [
                options.cell(row, col).value
                for row in range(2, options.max_row + 1)
                if options.cell(row, col).value
            ]
            for col in range(1, options.max_column + 1)
        }
        self.assertEqual(listed["身体情况"], ["健康", "残疾", "患病"])
        self.assertEqual(listed["夫妻情况"], ["双方健在", "一方健在"])
        self.assertEqual(len(listed["民族"]), 56)
        self.assertEqual(listed["文化程度"][:4], ["文盲", "小学", "初中", "高中或中专"])
        # The example sheet: the header and one row, which imports as it is.
        example = book["示例"]
        self.assertEqual([cell.value for cell in example[1]], HEADERS)
        rows = list(example.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(rows), 1)
        example_row = dict(zip(HEADERS, rows[0], strict=True))
        self.assertEqual(example_row["村（居）委会代码"], self.village_a1.code)
        checked = self._wizard(workbook([example_row]))
        checked.action_validate()
        self.assertFalse(checked.error_ids.mapped("message"))
        self.assertEqual(checked.created_count, 1)

    # ------------------------------------------------------------------
    # Good rows
    # ------------------------------------------------------------------
    def test_rows_become_registered_elders(self):
        born = date(1948, 11, 2)
        id_number = make_id_number("440111", born, "135")
        full_width = id_number[:-1].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
        rows = [
            self._row(
                1,
                {
                    # Full-width digits, spaces around, given as text.
                    "身份证号码": f"  {full_width}{id_number[-1]} ",
                    "出生日期": "1948年11月2日",
                    "性别": "男",
                    "民族": "壮",
                    "现居住地址": " 人和村1号  ",
                    "村（居）委会代码": int(self.village_a2.code),
                    "身体情况": "残疾",
                    "残疾类别": "肢体残疾",
                    "残疾等级": "二级",
                    "患病类型": "高血压",
                    "文化程度": "高中或中专",
                    "夫妻情况": "一方健在",
                    "子女数量": "3",
                    "子女出生日期": "1970/1/5;1972-03-04",
                    "外出务工年限": "4年",
                    "最近一次回家探望时间": datetime(2025, 3, 1),
                    "每年团聚次数": "1.5",
                    "平均天数": 10,
                    "子女打工收入": "√",
                    "种养殖业": "√",
                    "政府救助": None,
                    "其他": "√：养老金",
                    "主要赡养人姓名": "李强",
                    "主要赡养人性别": "男",
                    # A phone number given as a number is fine.
                    "主要赡养人联系电话": 13912345678,
                    "登记日期": datetime(2025, 6, 30),
                },
            ),
            # A lower-case x, a date as Excel's date, a woman.
            self._row(2, {"出生日期": datetime(1950, 3, 15), "性别": "女"}),
        ]
        x_number = next(
            number
            for sequence in range(100, 1000, 2)
            if (number := make_id_number("440111", date(1944, 8, 8), str(sequence))).endswith("X")
        )
        rows.append(
            self._row(3, {"身份证号码": x_number.lower(), "子女出生日期": None, "子女数量": 1})
        )
        # The township's clerk: villages A1 and A2.
        wizard = self._wizard(workbook(rows), user=self.user_township)
        wizard.action_validate()
        self.assertFalse(wizard.error_ids.mapped("message"))
        self.assertEqual((wizard.state, wizard.row_count, wizard.created_count), ("checked", 3, 3))
        self.assertFalse(self.Elder.search([("id_number", "=", id_number)]))
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        elder = self.Elder.search([("id_number", "=", id_number)])
        self.assertEqual(elder.state, "active")
        self.assertEqual(elder.create_uid, self.user_township)
        self.assertEqual(
            (elder.birth_date, elder.gender, elder.ethnic_group, elder.region_id),
            (born, "male", "08", self.village_a2),
        )
        self.assertEqual(elder.address, "人和村1号")
        self.assertEqual(
            (elder.health_status, elder.disability_category, elder.disability_grade),
            ("disabled", "physical", "2"),
        )
        self.assertEqual((elder.disease_type, elder.education), ("高血压", "senior"))
        self.assertEqual(elder.spouse_status, "one_alive")
        self.assertEqual((elder.years_away, elder.reunions_per_year), (4, 1.5))
        self.assertEqual((elder.last_home_visit_year, elder.last_home_visit_month), (2025, "3"))
        self.assertEqual(elder.registration_date, date(2025, 6, 30))
        self.assertEqual(
            [elder[f] for f in ("income_children_wages", "income_farming")], [True, True]
        )
        self.assertFalse(elder.income_government_aid)
        self.assertEqual((elder.income_other, elder.income_other_note), (True, "养老金"))
        # One child per birth date, then the children without a date.
        self.assertEqual(elder.child_ids.mapped("name"), ["子女1", "子女2", "子女3"])
        self.assertEqual(
            elder.child_ids.mapped("birth_date"), [date(1970, 1, 5), date(1972, 3, 4), False]
        )
        self.assertEqual(set(elder.child_ids.mapped("away_since")), {date(2021, 6, 30)})
        supporter = elder.primary_guardian_id
        self.assertEqual(
            (supporter.name, supporter.gender, supporter.mobile), ("李强", "male", "13912345678")
        )
        woman = self.Elder.search([("name", "=", "导入老人2")])
        self.assertEqual((woman.birth_date, woman.gender), (date(1950, 3, 15), "female"))
        self.assertEqual(self.Elder.search([("id_number", "=", x_number)]).child_count, 1)

    def test_titles_blank_rows_extra_sheets_and_formulas(self):
        content = workbook(
            [self._row(1), self._row(2)],
            titles=["农村留守老年人信息台账", "填报单位：人和镇"],
            sheets_before=[("说明", [["请按模板填写"], ["姓名", "身份证号码"]])],
            blank_rows_after=(0,),
        )
        wizard = self._wizard(content)
        wizard.action_import()
        self.assertFalse(wizard.error_ids)
        self.assertEqual((wizard.row_count, wizard.created_count), (2, 2))
        # Formulas count by their value (openpyxl writes none: xlsxwriter does).
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer)
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, HEADERS)
        row = self._row(3)
        for col, header in enumerate(HEADERS):
            if row.get(header) is not None:
                sheet.write(1, col, row[header])
        sheet.write_formula(1, HEADERS.index("子女数量"), "=1+1", None, 2)
        sheet.write_formula(1, HEADERS.index("姓名"), '="导入"&"公式"', None, "导入公式")
        book.close()
        wizard = self._wizard(buffer.getvalue())
        wizard.action_import()
        self.assertFalse(wizard.error_ids.mapped("message"))
        elder = self.Elder.search([("id_number", "=", row["身份证号码"])])
        self.assertEqual((elder.name, elder.child_count), ("导入公式", 2))

    # ------------------------------------------------------------------
    # Bad rows, bad files
    # ------------------------------------------------------------------
    def test_each_bad_value_is_listed_and_nothing_written(self):
        good = make_id_number("440111", date(1950, 3, 15), "201")
        good2 = make_id_number("440111", date(1950, 3, 15), "207")
        bad_check = good[:-1] + ("1" if good[-1] == "0" else "0")
        young = make_id_number("440111", self.today - relativedelta(years=50), "203")
        twice = make_id_number("440111", date(1952, 1, 1), "205")
        future = (self.today + timedelta(days=3)).isoformat()
        next_month = self.today + relativedelta(months=1)
        cases = [
            # (cells, column, message)
            ({"姓名": None}, "姓名", "姓名不能为空"),
            ({"身份证号码": bad_check}, "身份证号码", f"身份证号码“{bad_check}”校验位不正确"),
            ({"身份证号码": good[:17]}, "身份证号码", f"身份证号码“{good[:17]}”应为18位"),
            ({"身份证号码": float(good[:-1] + "0")}, "身份证号码", None),
            ({"身份证号码": "4401111950031520AB"}, "身份证号码", None),
            (
                {"身份证号码": good, "出生日期": "1950-03-16"},
                "出生日期",
                "出生日期与身份证号码不一致（身份证号码中为1950年3月15日）",
            ),
            ({"身份证号码": good2, "性别": "女"}, "性别", "性别与身份证号码不一致"),
            ({"出生日期": "1950-02-30"}, "出生日期", None),
            ({"身份证号码": young}, "身份证号码", "未满60周岁，不符合农村留守老年人的认定条件"),
            ({"登记日期": future}, "登记日期", "登记日期不能晚于今天"),
            ({"子女出生日期": "1899-12-31"}, "子女出生日期", "子女出生日期不能早于1900年"),
            ({"身体情况": "良好"}, "身体情况", "身体情况只能填写：健康、残疾、患病"),
            ({"民族": "火星族"}, "民族", None),
            (
                {"村（居）委会代码": "440111999999"},
                "村（居）委会代码",
                "村（居）委会代码“440111999999”不存在",
            ),
            ({"村（居）委会代码": "4401111032"}, "村（居）委会代码", None),
            (
                {"村（居）委会代码": self.village_d1.code},
                "村（居）委会代码",
                f"村（居）委会代码“{self.village_d1.code}”不在您负责的地区内",
            ),
            (
                {"子女数量": 0, "子女出生日期": None},
                "子女数量",
                "子女数量为0，不符合农村留守老年人的认定条件",
            ),
            ({"子女数量": 1}, "子女出生日期", "子女出生日期有2个，多于子女数量1"),
            ({"子女数量": "两个"}, "子女数量", "子女数量应为不小于0的整数"),
            (
                {"外出务工年限": 0},
                "外出务工年限",
                # Away since the registration date (today): not a year on that day.
                f"子女外出务工自{self.today.year}年{self.today.month}月起，不满一年，"
                "不符合农村留守老年人的认定条件",
            ),
            ({"外出务工年限": None}, "外出务工年限", "外出务工年限不能为空"),
            (
                {"最近一次回家探望时间": f"{next_month:%Y-%m}"},
                "最近一次回家探望时间",
                "最近一次回家探望时间不能晚于本月",
            ),
            ({"每年团聚次数": -1}, "每年团聚次数", "每年团聚次数应为0至999.9之间的数字"),
            ({"政府救助": "有"}, "政府救助", "政府救助只能填写“√”或留空"),
            (
                {"主要赡养人姓名": None},
                "主要赡养人姓名",
                "填写了主要赡养人的其他信息，但缺少主要赡养人姓名",
            ),
            ({"主要赡养人联系电话": "打电话"}, "主要赡养人联系电话", None),
        ]
        rows = [self._row(300 + 2 * i, cells) for i, (cells, _col, _msg) in enumerate(cases)]
        rows += [self._row(500, {"身份证号码": twice}), self._row(502, {"身份证号码": twice})]
        before = self.Elder.search_count([])
        wizard = self._wizard(workbook(rows))
        wizard.action_import()
        self.assertEqual(wizard.state, "checked")
        self._assert_nothing_written(before)
        by_row = {}
        for error in wizard.error_ids:
            by_row.setdefault(error.row, []).append((error.column, error.message))
        for index, (cells, column, message) in enumerate(cases):
            row = index + 2  # below the header
            found = by_row.get(row, [])
            self.assertIn(column, [col for col, _msg in found], (cells, found))
            if message:
                self.assertIn((column, message), found, cells)
        stored = float(good[:-1] + "0")
        self.assertIn(
            (
                "身份证号码",
                f"身份证号码以数字格式保存，已丢失末尾几位（读到{int(stored)}）；"
                "请将该列设为文本格式，重新填写完整的18位号码",
            ),
            by_row[5],
        )
        duplicate = f"身份证号码在文件中重复出现（第{len(cases) + 2}、{len(cases) + 3}行）"
        self.assertEqual(by_row[len(cases) + 2], [("身份证号码", duplicate)])
        self.assertEqual(by_row[len(cases) + 3], [("身份证号码", duplicate)])
        # The value of the cell is quoted on the error line.
        outside = wizard.error_ids.filtered(lambda e: "不在您负责的地区内" in e.message)
        self.assertEqual(outside.value, self.village_d1.code)
        self.assertEqual(wizard.error_count, len(wizard.error_ids))

    def test_bad_files_give_one_message(self):
        before = self.Elder.search_count([])
        no_header = workbook([["王桂英", "440111195003151224"]], header=["甲", "乙"])
        missing = workbook([], header=[h for h in HEADERS if h not in ("残疾等级", "其他")])
        cases = [
            (b"name,id_number\nx,y\n", "not an Excel workbook"),
            (b"%PDF-1.4 not a workbook", "not an Excel workbook"),
            (workbook([], header=[]), "empty"),
            (no_header, "No header row found"),
            (missing, "lacks these columns of the template: 残疾等级、其他"),
            (workbook([]), "no rows below its header row"),
        ]
        for content, message in cases:
            wizard = self._wizard(content)
            for action in (wizard.action_validate, wizard.action_import):
                with self.assertRaises(UserError) as caught:
                    action()
                self.assertIn(message, str(caught.exception))
            self.assertFalse(wizard.error_ids)
        wizard = self.env["lbe.elder.import"].with_user(self.user_village).create({})
        with self.assertRaisesRegex(UserError, "Upload an Excel file"):
            wizard.action_validate()
        self._assert_nothing_written(before)

    def test_values_beyond_the_ledgers_bounds_are_row_errors(self):
        cases = [
            # (cells, column, message)
            ({"子女数量": 2000, "子女出生日期": None}, "子女数量", "子女数量不能超过20个"),
            (
                {"外出务工年限": 5000},
                "外出务工年限",
                "外出务工年限5000年超过了老人的年龄减16岁",
            ),
            ({"姓名": "名" * 101}, "姓名", "姓名最多100个字，这里有101个字"),
            ({"现居住地址": "址" * 256}, "现居住地址", "现居住地址最多255个字，这里有256个字"),
            (
                {"主要赡养人姓名": "赡" * 101},
                "主要赡养人姓名",
                "主要赡养人姓名最多100个字，这里有101个字",
            ),
            ({"其他": "√：" + "说" * 256}, "其他", "其他的说明最多255个字，这里有256个字"),
            ({"登记日期": "1800-01-01"}, "登记日期", "登记日期不能早于1900年"),
            (
                {"最近一次回家探望时间": "1899-12"},
                "最近一次回家探望时间",
                "最近一次回家探望时间不能早于1900年",
            ),
        ]
        rows = [self._row(900 + 2 * i, cells) for i, (cells, _col, _msg) in enumerate(cases)]
        # The bounds themselves are accepted.
        rows.append(self._row(950, {"子女数量": 20, "姓名": "名" * 100}))
        before = self.Elder.search_count([])
        wizard = self._wizard(workbook(rows))
        wizard.action_import()
        self.assertEqual(wizard.state, "checked")
        self._assert_nothing_written(before)
        errors = self._errors(wizard)
        for index, (_cells, column, message) in enumerate(cases):
            found = {(col, msg) for row, col, msg in errors if row == index + 2}
            self.assertTrue(any(m.startswith(message) for c, m in found if c == column), found)
        self.assertFalse({e for e in errors if e[0] == len(cases) + 2})
        # A long cell is quoted short on its error line.
        self.assertEqual(max(len(e.value) for e in wizard.error_ids), 256)

    def test_a_row_beyond_the_bounds_alone_is_listed_not_raised(self):
        # Alone in its file, the row would be written if the check let it pass.
        for cells, message in (
            ({"外出务工年限": 5000}, "外出务工年限5000年超过了老人的年龄减16岁"),
            ({"子女数量": 2000, "子女出生日期": None}, "子女数量不能超过20个"),
        ):
            with self.subTest(cells=cells):
                before = self.Elder.search_count([])
                wizard = self._wizard(workbook([self._row(961, cells)]))
                wizard.action_import()
                self.assertEqual(wizard.state, "checked")
                messages = wizard.error_ids.mapped("message")
                self.assertEqual(len(messages), 1, messages)
                self.assertTrue(messages[0].startswith(message), messages)
                self._assert_nothing_written(before)

    def test_damaged_files_give_one_message(self):
        good = workbook([self._row(971)])

        def damaged(member, change):
            """The workbook with `member` changed (its bytes, or None to drop it)."""
            source = zipfile.ZipFile(io.BytesIO(good))
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
                for name in source.namelist():
                    data = source.read(name)
                    target.writestr(name, change(data) if name == member else data)
            return buffer.getvalue()

        def broken_deflate(content, member):
            """The workbook with `member`'s compressed bytes overwritten."""
            info = zipfile.ZipFile(io.BytesIO(content)).getinfo(member)
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            data = bytearray(content)
            data[start : start + 16] = b"\xff" * 16
            return bytes(data)

        sheet = "xl/worksheets/sheet1.xml"
        cases = [
            ("header cut short", damaged(sheet, lambda data: data[:300])),
            ("sheet not XML", damaged(sheet, lambda data: b"<worksheet><sheetData><row")),
            ("workbook not XML", damaged("xl/workbook.xml", lambda data: b"\xdd\x72garbage")),
            ("content types cut short", damaged("[Content_Types].xml", lambda data: data[:50])),
            ("deflate broken", broken_deflate(good, sheet)),
        ]
        before = self.Elder.search_count([])
        for label, content in cases:
            with self.subTest(label):
                wizard = self._wizard(content)
                for action in (wizard.action_validate, wizard.action_import):
                    with self.assertRaises(UserError) as caught:
                        action()
                    self.assertIn("it may be damaged", str(caught.exception))
                self.assertFalse(wizard.error_ids)
        self._assert_nothing_written(before)

    # ------------------------------------------------------------------
    # ID numbers already in the ledger
    # ------------------------------------------------------------------
    def test_update_or_skip_an_elder_of_the_own_area(self):
        elder = self._registered_elder(
            "王老太",
            self.village_a1,
            id_number=make_id_number("440111", date(1950, 3, 15), "402"),
            birth_date=date(1950, 3, 15),
        )
        elder.child_ids.birth_date = date(1978, 9, 12)
        draft = self._create_elder(
            "李草稿", self.village_a1, id_number=make_id_number("440111", date(1949, 5, 5), "404")
        )
        self.env.flush_all()
        self.env.cr.flush()
        rows = [
            self._row(
                402,
                {
                    "姓名": "王老太",
                    "身体情况": "患病",
                    "患病类型": "糖尿病",
                    "现居住地址": "人和村新址8号",
                },
            ),
            self._row(
                404,
                {"姓名": "李草稿", "子女数量": 1, "子女出生日期": "1975-06-01"},
                born=date(1949, 5, 5),
            ),
        ]
        content = workbook(rows)
        skipped = self._wizard(content, existing_action="skip")
        skipped.action_import()
        self.assertEqual((skipped.skipped_count, skipped.created_count), (2, 0))
        self.assertEqual((elder.health_status, elder.address), ("healthy", False))
        self.assertEqual(draft.state, "draft")

        before = self.Elder.search_count([])
        wizard = self._wizard(content, existing_action="update")
        wizard.action_import()
        self.assertFalse(wizard.error_ids.mapped("message"))
        self.assertEqual((wizard.updated_count, wizard.created_count), (2, 0))
        self.assertEqual(self.Elder.search_count([]), before)
        self.env.cr.flush()  # tracking is finalised when the transaction commits
        self.assertEqual(
            (elder.health_status, elder.disease_type, elder.address),
            ("ill", "糖尿病", "人和村新址8号"),
        )
        # The recorded child keeps its name; its date matched, a second child is added.
        self.assertEqual(elder.child_ids.mapped("name"), ["子女2", "王老太之子"])
        self.assertEqual(
            elder.child_ids.mapped("birth_date"), [date(1975, 6, 1), date(1978, 9, 12)]
        )
        tracked = elder.message_ids.sudo().tracking_value_ids.filtered(
            lambda value: value.field_id.name == "health_status"
        )
        self.assertEqual(
            [(v.old_value_char, v.new_value_char) for v in tracked], [("Healthy", "Ill")]
        )
        self.assertEqual(tracked.mail_message_id.author_id, self.user_village.partner_id)
        # A draft of the own area is registered by the import.
        self.assertEqual(draft.state, "active")
        self.assertEqual(draft.child_ids.mapped("name"), ["子女1"])

    def test_fewer_children_than_recorded_is_an_error(self):
        elder = self._registered_elder(
            "王老太",
            self.village_a1,
            id_number=make_id_number("440111", date(1950, 3, 15), "406"),
            birth_date=date(1950, 3, 15),
        )
        away = self.today - timedelta(days=800)
        elder.child_ids = [
            Command.create({"name": "甲", "away_since": away}),
            Command.create({"name": "乙", "away_since": away}),
        ]
        wizard = self._wizard(workbook([self._row(406, {"子女数量": 1, "子女出生日期": None})]))
        wizard.action_import()
        self.assertEqual(
            self._errors(wizard),
            {(2, "子女数量", "台账中该老人已登记3名子女，多于子女数量1；减少子女请在台账中修改")},
        )

    def test_number_registered_in_another_area_names_nothing(self):
        number = make_id_number("440203", date(1950, 3, 15), "408")
        other = self._registered_elder(
            "韶关赵老人", self.village_d1, id_number=number, birth_date=date(1950, 3, 15)
        )
        before = self.Elder.search_count([])
        wizard = self._wizard(workbook([self._row(408, {"身份证号码": number})]))
        wizard.action_import()
        self.assertEqual(len(wizard.error_ids), 1)
        error = wizard.error_ids
        self.assertEqual((error.row, error.column, error.value), (2, "身份证号码", number))
        self.assertIn("已在其他地区的台账中登记", error.message)
        for word in (other.name, other.region_id.name, other.township_id.name, "韶关"):
            self.assertNotIn(word, error.message)
        self._assert_nothing_written(before)
        # The user serving both areas could register it: none is refused for it.
        self.assertEqual(other.state, "active")

    # ------------------------------------------------------------------
    # The error file
    # ------------------------------------------------------------------
    def test_error_file_is_the_file_with_its_errors(self):
        rows = [
            self._row(601),
            self._row(603, {"身体情况": "良好", "政府救助": "有"}),
            self._row(605, {"村（居）委会代码": self.village_c1.code}),
        ]
        wizard = self._wizard(workbook(rows, titles=["农村留守老年人信息台账"]))
        wizard.action_validate()
        self.assertEqual({error.row for error in wizard.error_ids}, {4, 5})
        book = self._render(wizard.action_download_errors(), wizard)
        sheet = book.worksheets[0]
        self.assertEqual(sheet["A1"].value, "农村留守老年人信息台账")
        self.assertEqual([cell.value for cell in sheet[2]], [*HEADERS, "错误信息"])
        data = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
        self.assertEqual([row[0] for row in data], ["导入老人601", "导入老人603", "导入老人605"])
        self.assertEqual([row[1] for row in data], [r["身份证号码"] for r in rows])
        self.assertIsNone(data[0][-1])
        self.assertEqual(
            data[1][-1], "身体情况只能填写：健康、残疾、患病；政府救助只能填写“√”或留空"
        )
        self.assertIn("不在您负责的地区内", data[2][-1])
        # Only its creator gets it.
        other = self._tier_user("village", self.village_a1, login="other_village")
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(other)._render_xlsx(
                ERRORS, wizard.ids, data=None
            )

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_access(self):
        wizard = self._wizard(workbook([self._row(701, {"身体情况": "良好"})]))
        wizard.action_validate()
        other = self._tier_user("village", self.village_a1, login="other_village")
        with self.assertRaises(AccessError):
            wizard.with_user(other).read(["file"])
        with self.assertRaises(AccessError):
            wizard.error_ids.with_user(other).read(["value"])
        for user in (self.user_city, self.user_province):
            with self.assertRaises(AccessError):
                self.env["lbe.elder.import"].with_user(user).create({})
        self.assertFalse(
            self.env["ir.attachment"].sudo().search_count([("res_model", "=", "lbe.elder.import")])
        )
        self.assertFalse(self.env["lbe.elder.import"]._fields["file"].attachment)

    def test_progress_is_sent_to_the_user(self):
        rows = [self._row(800 + 2 * i) for i in range(5)]
        wizard = self._wizard(workbook(rows))
        # As under the HTTP server's tests: the notices' own cursor is a test cursor.
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        with patch.object(type(wizard), "_progress_step", 2):
            wizard.action_import()
        self.env.cr.flush()
        notices = self.env["bus.bus"].sudo().search([("message", "like", "simple_notification")])
        messages = [n.message for n in notices if str(self.user_village.partner_id.id) in n.channel]
        # Rows 2 and 4 of 5, when checked and when imported.
        self.assertEqual(len(messages), 4)
        self.assertTrue(any("2 of about 5 rows checked" in m for m in messages))
        self.assertTrue(any("4 of 5 rows imported" in m for m in messages))

    # ------------------------------------------------------------------
    # Volume
    # ------------------------------------------------------------------
    def test_a_batch_creates_each_model_at_once(self):
        # Two drafts of the own area without children or supporter, which the
        # file completes, and five new elders: in batches of two rows.
        drafts = [
            self._create_elder(
                f"待补全{sequence}",
                self.village_a1,
                id_number=make_id_number("440111", date(1950, 3, 15), f"{sequence:03d}"),
            )
            for sequence in (902, 904)
        ]
        rows = [self._row(sequence) for sequence in (902, 904, 906, 908, 910, 912, 914)]
        wizard = self._wizard(workbook(rows))
        inserts = Counter()
        execute = sql_db.Cursor.execute

        def counting(cr, query, params=None, log_exceptions=True):
            text = query.code if isinstance(query, SQL) else str(query)
            table = re.match(r'\s*INSERT INTO "?(\w+)"?', text)
            if table:
                inserts[table[1]] += 1
            return execute(cr, query, params, log_exceptions)

        with (
            patch.object(lbe_elder_import_write, "BATCH_SIZE", 2),
            patch.object(sql_db.Cursor, "execute", counting),
        ):
            wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.updated_count), (5, 2))
        self.assertEqual([draft.state for draft in drafts], ["active", "active"])
        self.assertEqual([draft.child_count for draft in drafts], [2, 2])
        # Three batches of new elders (2, 2, 1) and one of updates: each model's
        # records of a batch in one INSERT, however many rows it holds.
        self.assertEqual(
            [inserts[table] for table in ("lbe_elder", "lbe_elder_child", "lbe_guardian")],
            [3, 4, 4],
        )
        # No chatter note per elder created: the creation is the record's history;
        # an updated elder's chatter tracks what the file changed.
        self.env.cr.flush()
        created = self.Elder.search([("name", "in", [f"导入老人{n}" for n in range(906, 915, 2)])])
        self.assertEqual(len(created), 5)
        self.assertFalse(created.message_ids)
        for draft in drafts:
            self.assertIn(
                "state", draft.message_ids.sudo().tracking_value_ids.field_id.mapped("name")
            )

    def test_three_thousand_rows(self):
        villages = [self.village_a1, self.village_a2, self.village_b1]
        rows = []
        for index in range(3000):
            born = date(1940, 1, 1) + timedelta(days=index // 400)
            rows.append(
                self._row(
                    index % 400 * 2 + 1,
                    {
                        "姓名": f"批量{index}",
                        "子女数量": 1 + index % 3,
                        "子女出生日期": "1975-06-01" if index % 2 else None,
                        "主要赡养人姓名": f"批量赡养人{index}",
                    },
                    village=villages[index % 3],
                    born=born,
                )
            )
        before = self.Elder.search_count([])
        wizard = self._wizard(workbook(rows), user=self.user_county)
        start = time.perf_counter()
        wizard.action_import()
        elapsed = time.perf_counter() - start
        self.assertFalse(wizard.error_ids.mapped("message")[:5])
        self.assertEqual((wizard.row_count, wizard.created_count), (3000, 3000))
        self.env.invalidate_all()
        self.assertEqual(self.Elder.search_count([]), before + 3000)
        imported = self.Elder.search([("name", "=like", "批量%")])
        self.assertEqual(len(imported), 3000)
        self.assertEqual(set(imported.mapped("state")), {"active"})
        self.assertEqual(sum(imported.mapped("child_count")), 1000 * (1 + 2 + 3))
        self.assertEqual(len(imported.primary_guardian_id), 3000)
        self.assertEqual(len(imported.filtered(lambda e: e.region_id == self.village_b1)), 1000)
        sample = imported.filtered(lambda e: e.name == "批量1234")
        self.assertEqual(sample.region_id, villages[1234 % 3])
        self.assertEqual(sample.child_count, 1 + 1234 % 3)
        self.assertEqual(sample.birth_date, date(1940, 1, 1) + timedelta(days=1234 // 400))
        self.assertEqual(sample.primary_guardian_id.name, "批量赡养人1234")
        self.assertEqual(
            sample.child_ids.mapped("away_since")[0], self.today - relativedelta(years=3)
        )
        # A few seconds, not minutes (logged for the record).
        self.assertLess(elapsed, 120)


RACE_LOGINS = ("lbe_import_race_1", "lbe_import_race_2")
# How long the test waits for a concurrent transaction; a lock wait never outlasts it.
RACE_TIMEOUT = 20


@tagged("post_install", "-at_install")
class TestElderImportRace(TransactionCase):
    """Two clerks import the same person at the same moment: one import wins,
    the other is refused in words and writes nothing.

    Each import runs in its own connection on data committed for the test (see
    test_summary_race.py); the committed data is removed after the test.
    """

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        self.number = make_id_number("440111", date(1951, 4, 2), "917")
        self.addCleanup(self._remove_committed_data)
        with self.db.cursor() as cr:  # committed when the block ends
            env = api.Environment(cr, SUPERUSER_ID, {})
            village = env["lbe.region"].search([("code", "=", "440111103200")])
            row = {
                "姓名": "同时导入",
                "身份证号码": self.number,
                "村（居）委会代码": village.code,
                "身体情况": "健康",
                "子女数量": 1,
                "外出务工年限": 3,
            }
            content = base64.b64encode(workbook([row]))
            self.wizard_ids = []
            for login in RACE_LOGINS:
                user = new_test_user(
                    env,
                    login=login,
                    groups="left_behind_elderly.group_village",
                    context={"no_reset_password": True},  # no invitation e-mail
                    lbe_region_ids=[Command.set(village.ids)],
                )
                wizard = (
                    env["lbe.elder.import"]
                    .with_user(user)
                    .create({"file": content, "filename": "台账.xlsx"})
                )
                self.wizard_ids.append((user.id, wizard.id))

    def _remove_committed_data(self):
        with self.db.cursor() as cr:
            cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["lbe.elder"].with_context(active_test=False).search(
                [("id_number", "=", self.number)]
            ).unlink()
            env["lbe.elder.import"].browse(wizard for _user, wizard in self.wizard_ids).unlink()
            users = (
                env["res.users"]
                .with_context(active_test=False)
                .search([("login", "in", RACE_LOGINS)])
            )
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            # leaving the block commits

    def _import_in(self, index):
        """The import of clerk `index`, in a connection of its own (not committed)."""
        cr = self.db.cursor()
        self.addCleanup(cr.close)  # rolls back whatever was left uncommitted
        cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
        user_id, wizard_id = self.wizard_ids[index]
        env = api.Environment(cr, user_id, {})
        return cr, lambda: env["lbe.elder.import"].browse(wizard_id).action_import()

    def _committed_elders(self):
        with self.db.cursor() as cr:
            cr.execute(SQL("SELECT state FROM lbe_elder WHERE id_number = %s", self.number))
            return [state for (state,) in cr.fetchall()]

    @mute_logger("odoo.sql_db")
    def test_the_losing_import_is_refused_in_words(self):
        cr_first, first = self._import_in(0)
        cr_second, second = self._import_in(1)
        first()  # not committed yet
        errors = []

        def run_second():
            try:
                second()
                cr_second.commit()
            except Exception as error:  # the test looks at what it was
                errors.append(error)
                cr_second.rollback()

        thread = threading.Thread(target=run_second, name="lbe_import_race")
        thread.start()
        blocked = wait_until_blocked(self.db, cr_second, thread, RACE_TIMEOUT)
        cr_first.commit()
        thread.join(RACE_TIMEOUT)
        self.assertFalse(thread.is_alive())
        self.assertTrue(blocked, "the second import did not wait for the first")
        self.assertEqual(len(errors), 1, "the second import went through")
        self.assertIsInstance(errors[0], ValidationError)
        message = str(errors[0])
        self.assertIn("another user registered the same person", message)
        self.assertIn("Nothing was saved", message)
        self.assertNotIn("lbe_elder_active_id_number_uniq", message)
        self.assertNotIn(self.number, message)
        self.assertEqual(self._committed_elders(), ["active"])
