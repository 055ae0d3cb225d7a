import io
import shutil
import subprocess
import tempfile
import unicodedata
from datetime import date

import openpyxl
from stdnum.cn import ric

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

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
        summary.action_submit()
        return summary


@tagged("post_install", "-at_install")
class TestSummaryXlsx(LbeExportCase):
    def test_annex2_workbook(self):
        book = openpyxl.load_workbook(io.BytesIO(self.summary._annex2_xlsx()))
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


@tagged("post_install", "-at_install")
class TestSummaryDownload(LbeExportCase, HttpCase):
    def test_annex2_xlsx_route(self):
        url = f"/left_behind_elderly/summary/{self.summary.id}/annex2.xlsx"
        self.authenticate("lbe_b_sg_city", "lbe_b_sg_city")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet["A1"].value, "农村留守老年人基本信息汇总表")
        # Another city's officer is refused.
        self.authenticate("lbe_test_city", "lbe_test_city")
        self.assertEqual(self.url_open(url).status_code, 403)
