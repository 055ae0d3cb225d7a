import io
import shutil
import subprocess
import tempfile
import unicodedata
from datetime import date

import openpyxl
from lxml import etree
from stdnum.cn import ric

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..annex.annex2 import ANNEX2_HEADER, COLUMNS
from ..models.lbe_summary_line import COUNT_FIELDS
from ..reports.report_lbe_summary_annex2_xlsx import unique_sheet_name
from .test_summary import LbeSummaryCase


def pdf_text(pdf):
    """The text of a PDF, pages separated by form feeds.

    The CJK fonts map some glyphs back to Kangxi radicals (⽼ for 老): those
    characters, and those only, are brought back to the unified ideographs.
    """
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True, text=True
        ).stdout
    return "".join(
        unicodedata.normalize("NFKC", char) if "\u2e80" <= char <= "\u2fdf" else char
        for char in text
    )


class LbeExportCase(LbeSummaryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.e_y.child_ids.away_since = date(cls.year - 2, 1, 1)
        cls.summary = cls._make_summary()

    @classmethod
    def _make_summary(cls):
        summary = (
            cls.env["lbe.summary"]
            .with_user(cls.sg_county_user)
            .create({"region_id": cls.sg_county.id, "year": cls.year})
        )
        summary.action_compute()
        summary.line_ids.write({"rural_elderly_60_plus_count": 700})
        cls.env["lbe.visit.report"].search([("summary_id", "=", summary.id)]).narrative = "巡访"
        summary.action_submit()
        return summary


@tagged("post_install", "-at_install")
class TestSummaryXlsx(LbeExportCase):
    ANNEX2_XLSX = "left_behind_elderly.report_lbe_summary_annex2_xlsx"

    def _annex2_book(self, summaries, user):
        """The workbook as the Print menu and the button make it, rendered as user."""
        action = summaries.with_user(user).action_export_xlsx()
        self.assertEqual(
            (action["type"], action["report_type"], action["report_name"]),
            ("ir.actions.report", "xlsx", self.ANNEX2_XLSX),
        )
        content, report_type = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx(self.ANNEX2_XLSX, summaries.ids, data=None)
        )
        self.assertEqual(report_type, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def test_annex2_report_is_in_the_print_menu(self):
        report = self.env.ref("left_behind_elderly.lbe_summary_annex2_report_xlsx")
        self.assertEqual((report.report_name, report.model), (self.ANNEX2_XLSX, "lbe.summary"))
        self.assertEqual(report.binding_model_id.model, "lbe.summary")
        self.assertEqual(report.binding_type, "report")

    def test_annex2_workbook(self):
        book = self._annex2_book(self.summary, self.sg_county_user)
        self.assertEqual(book.sheetnames, [f"{self.year} 武江区"])
        sheet = book.active
        self.assertEqual(sheet["A1"].value, "农村留守老年人基本信息汇总表")
        self.assertEqual(sheet["A2"].value, "地市（盖章）：韶关市武江区")
        self.assertTrue(sheet["J2"].value.startswith("填报时间："))
        merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
        # Columns without a group span both header rows; groups span their columns.
        for cell_range in ("A1:R1", "A3:A4", "B3:B4", "C3:D3", "E3:F3", "G3:I3", "J3:L3"):
            self.assertIn(cell_range, merged)
        for cell_range in ("M3:M4", "N3:Q3", "R3:R4"):
            self.assertIn(cell_range, merged)
        self.assertEqual(sheet["B3"].value, "农村户籍留守老人总数")
        self.assertEqual(sheet["C3"].value, "其中：")
        self.assertEqual(sheet["C4"].value, "60（含）-80岁")
        self.assertEqual(sheet["D4"].value, "80岁（含）以上")
        self.assertEqual(sheet["M3"].value, "子女外出务工或经商，一年以上未与父母共同生活")
        self.assertEqual(sheet["N3"].value, "家庭主要经济来源")
        self.assertEqual(sheet["Q4"].value, "其他")
        self.assertEqual(sheet["R3"].value, "60周岁以上农村户籍老年人数")
        self.assertEqual([sheet.cell(5, col).value for col in range(2, 19)], list(range(1, 18)))

        rows = {
            sheet.cell(row, 1).value: [sheet.cell(row, col).value for col in range(2, 19)]
            for row in range(6, 6 + len(self.summary.line_ids) + 1)
        }
        self.assertEqual(len(rows), len(self.summary.line_ids) + 1)
        self.assertEqual(rows["西联镇"], [4, 3, 1, 2, 2, 2, 1, 1, 2, 1, 1, 4, 3, 1, 1, 1, 700])
        total = rows["合计"]
        self.assertEqual(total[:12], [5, 4, 1, 2, 3, 3, 1, 1, 2, 2, 1, 5])
        self.assertEqual(total[16], 700 * len(self.summary.line_ids))
        self.assertTrue(all(isinstance(value, int) for value in total))
        texts = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
        self.assertIn("分管领导（签名）：", texts)
        self.assertIn("填表人：（签名）", texts)
        self.assertIn("2.表间钩稽关系：1列=2列+3列=4列+5列=6列+7列+8列=9列+10列+11列=12列", texts)

    def test_annex2_workbook_as_the_city(self):
        """The city reads its counties' summaries, one sheet each, named apart."""
        other = self.sg_counties.filtered(lambda county: county != self.sg_county)[:1]
        other_summary = self.env["lbe.summary"].create({"region_id": other.id, "year": self.year})
        summaries = self.summary | other_summary
        book = self._annex2_book(summaries, self.sg_city_user)
        self.assertEqual(book.sheetnames, [f"{self.year} 武江区", f"{self.year} {other.name}"])
        for sheet, summary in zip(book.worksheets, summaries, strict=True):
            self.assertEqual(sheet["A1"].value, "农村留守老年人基本信息汇总表")
            self.assertEqual(sheet["A2"].value, f"地市（盖章）：韶关市{summary.region_id.name}")
            self.assertIn("C3:D3", {str(cell_range) for cell_range in sheet.merged_cells.ranges})
            total = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "合计")
            self.assertEqual(total[1], 5 if summary == self.summary else 0)

    def test_annex2_workbook_of_another_area_is_refused(self):
        # 白云区's county officer and 广州市's city officer, for a summary of 韶关市.
        for user in (self.user_county, self.user_city):
            with self.assertRaises(AccessError):
                self.env["ir.actions.report"].with_user(user)._render_xlsx(
                    self.ANNEX2_XLSX, self.summary.ids, data=None
                )
        # Not even beside a summary of the user's own area.
        own = self.env["lbe.summary"].create({"region_id": self.county.id, "year": self.year})
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.user_county)._render_xlsx(
                self.ANNEX2_XLSX, (own | self.summary).ids, data=None
            )

    def test_annex2_sheet_names(self):
        taken = set()
        names = [
            unique_sheet_name(name, taken)
            for name in ("2025 城区", "2025 城区", "2025 城区", "a/b:c", "x" * 40, "X" * 40)
        ]
        self.assertEqual(
            names,
            ["2025 城区", "2025 城区 (2)", "2025 城区 (3)", "a b c", "x" * 31, "X" * 27 + " (2)"],
        )

    def test_annex2_columns_come_from_one_list(self):
        """The form's header, the line fields' labels and the summary form's list
        all follow COLUMNS, itself the form's header paired with the fields."""
        self.assertEqual([column.number for column in COLUMNS], list(range(1, 18)))
        header = [(number, text) for _group, columns in ANNEX2_HEADER for number, text in columns]
        self.assertEqual(header, [(column.number, column.text) for column in COLUMNS])
        Line = self.env["lbe.summary.line"]
        for column in COLUMNS:
            self.assertTrue(Line._fields[column.field].string.endswith(f"({column.number})"))
        arch = self.env["lbe.summary"].get_view(view_type="form")["arch"]
        lines = etree.fromstring(arch).find(".//field[@name='line_ids']/list")
        shown = [node.get("name") for node in lines.iter("field")]
        self.assertEqual([name for name in shown if name in COUNT_FIELDS], COUNT_FIELDS)
        for node in lines.iter("field"):
            if node.get("name") in COUNT_FIELDS:
                self.assertEqual(node.get("sum"), "Total")

    def _ledger_sheet(self, user, region):
        wizard = self.env["lbe.ledger.export"].with_user(user).create({"region_id": region.id})
        action = wizard.action_export()
        self.assertEqual((action["type"], action["report_type"]), ("ir.actions.report", "xlsx"))
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx(action["report_name"], wizard.ids, data=None)
        )
        return openpyxl.load_workbook(io.BytesIO(content)).active

    def test_ledger_workbook_of_an_area(self):
        sheet = self._ledger_sheet(self.sg_county_user, self.sg_county)
        header = [cell.value for cell in sheet[2]]
        self.assertEqual(header[:6], ["序号", "姓名", "性别", "出生日期", "民族", "身份证号码"])
        names = {row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
        # Registered elders of the county only: no draft, no exited, no other county.
        active = self.env["lbe.elder"].search(
            [("region_id", "child_of", self.sg_county.id), ("state", "=", "active")]
        )
        self.assertEqual(names, set(active.mapped("name")))
        self.assertNotIn("草稿", names)
        self.assertNotIn("白云区老人", names)
        row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == "七十九岁")
        by_head = dict(zip(header, row, strict=True))
        self.assertEqual(by_head["身体情况"], "残疾")
        self.assertEqual(by_head["子女数量"], 2)
        self.assertEqual(by_head["种养殖业"], "√")
        self.assertIsNone(by_head["子女打工收入"])
        self.assertEqual(by_head["出生日期"].date(), date(self.year - 80, 10, 1))

    def test_ledger_export_is_for_county_staff_and_own_area(self):
        for user in (self.user_city, self.user_province, self.user_village, self.user_township):
            with self.assertRaises(AccessError):
                self.env["lbe.ledger.export"].with_user(user).create({"region_id": self.city.id})
        # 白云区's officer asking for 武江区 gets none of its elders.
        sheet = self._ledger_sheet(self.user_county, self.sg_county)
        self.assertEqual(sheet.max_row, 2)


@tagged("post_install", "-at_install")
class TestSummaryPdf(LbeExportCase):
    def setUp(self):
        super().setUp()
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed: cannot read the PDF text")
        # wkhtmltopdf would fetch the report assets from this very server, which
        # cannot answer while the test holds the transaction (it hangs): point it
        # at a closed port instead. The forms carry their own CSS.
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:1")

    def _render(self, report, records, user):
        # Test mode renders HTML unless a PDF is asked for explicitly.
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf_text(pdf)

    def test_annex2_pdf(self):
        text = self._render(
            "left_behind_elderly.lbe_summary_annex2_report", self.summary, self.sg_city_user
        )
        lines = [line.split() for line in text.splitlines()]
        # The numbering row of the two-level header.
        self.assertIn([str(n) for n in range(1, 18)], lines)
        for words in (
            "农村留守老年人基本信息汇总表",
            "地市（盖章）：韶关市武江区",
            "填报时间：",
            "其中：",
            "夫妻情况",
            "健康状况",
            "家庭主要经济来源",
            "分管领导（签名）：",
            "填表人：（签名）",
            "表间钩稽关系：1列=2列+3列=4列+5列=6列+7列+8列=9列+10列+11列=12列",
            "患病：指患有重特大疾病。",
        ):
            self.assertIn(words, text)
        total = next(line for line in lines if line and line[0] == "合计")
        expected = [5, 4, 1, 2, 3, 3, 1, 1, 2, 2, 1, 5, 4, 1, 1, 1]
        self.assertEqual(
            total[1:], [str(n) for n in expected] + [str(700 * len(self.summary.line_ids))]
        )
        self.assertEqual(text.count("\f"), 1)

    def test_annex1_pdf_one_page_per_elder(self):
        elders = self.e_60 | self.e_79
        base = f"440203{self.e_79.birth_date:%Y%m%d}001"
        id_number = base + ric.calc_check_digit(base + "0")
        self.e_79.write(
            {
                "id_number": id_number,
                "disability_category": "physical",
                "disability_grade": "2",
                "education": "primary",
            }
        )
        self.e_79.guardian_ids = [
            Command.create(
                {"name": "王建国", "gender": "male", "mobile": "13800000000", "is_primary": True}
            )
        ]
        text = self._render(
            "left_behind_elderly.lbe_elder_annex1_report", elders, self.sg_county_user
        )
        pages = [page for page in text.split("\f") if page.strip()]
        self.assertEqual(len(pages), 2)
        page = next(page for page in pages if "七十九岁" in page)
        for words in (
            "农村留守老年人基本情况登记表",
            "填报单位：",
            "（盖章）",
            id_number,
            "残疾（√）",
            "肢体残疾",
            "二级",
            "小学（√）",
            "一方健在（√）",
            "种养殖业（√）",
            "政府救助（√）",
            "以上选项可多选",
            "1990年1月1日、1990年1月2日",
            "王建国",
            "13800000000",
            "单位负责人（签名）：",
            "复核人（签名）：",
            "填表人（签名）：",
            "4.每年团聚次数：最近五年内平均每年团聚次数。",
        ):
            self.assertIn(words, page)
        self.assertNotIn("健康（√）", page)
        self.assertNotIn("双方健在（√）", page)

    def test_annex1_is_not_for_city_or_province(self):
        for user in (self.user_city, self.user_province):
            with self.assertRaises(AccessError):
                self.env["ir.actions.report"].with_user(user)._render_qweb_html(
                    "left_behind_elderly.lbe_elder_annex1_report", self.e_other.ids
                )
        # Nor for a ledger tier outside the elder's area.
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.user_county)._render_qweb_html(
                "left_behind_elderly.lbe_elder_annex1_report", self.e_60.ids
            )
