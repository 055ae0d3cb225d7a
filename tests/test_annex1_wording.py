import base64
import contextlib
import importlib.util
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

import openpyxl
from lxml import html

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.translate import TranslationImporter

from ..annex import annex1
from .common import LbeCareCommon, make_id_number

ADDON_DIR = Path(__file__).resolve().parent.parent


@tagged("post_install", "-at_install")
class TestAnnex1Wording(LbeCareCommon):
    """Annex 1's options and wording come from one module, and the PDF form and
    the ledger XLSX print the same text for the same fact."""

    def test_selections_come_from_the_single_source(self):
        Elder = self.env["lbe.elder"]
        for field, options in (
            ("gender", annex1.GENDER_OPTIONS),
            ("ethnic_group", annex1.ETHNIC_GROUP_OPTIONS),
            ("health_status", annex1.HEALTH_OPTIONS),
            ("disability_category", annex1.DISABILITY_CATEGORY_OPTIONS),
            ("disability_grade", annex1.DISABILITY_GRADE_OPTIONS),
            ("education", annex1.EDUCATION_OPTIONS),
            ("spouse_status", annex1.SPOUSE_OPTIONS),
            ("state", annex1.STATE_OPTIONS),
        ):
            self.assertEqual(Elder._fields[field].selection, annex1.selection(options), field)
        for field, label, _text in annex1.INCOME_OPTIONS:
            self.assertEqual(Elder._fields[field].string, label)
        self.assertEqual(
            self.env["lbe.guardian"]._fields["gender"].selection,
            annex1.selection(annex1.GENDER_OPTIONS),
        )

    def test_pdf_and_ledger_xlsx_print_the_same_text(self):
        elder = self._registered_elder(
            "同文老人",
            self.village_a1,
            id_number=make_id_number("440111", date(1950, 3, 15), "912"),
            birth_date=date(1950, 3, 15),
            education="college",
            years_away=3,
            reunions_per_year=1.5,
            last_home_visit_year=2025,
            income_farming=True,
            income_other=True,
            income_other_note="养老金",
            guardian_ids=[Command.create({"name": "同文之子", "mobile": "13800000009"})],
        )
        # A second child, whose birth date is not known.
        elder.child_ids.birth_date = date(1990, 1, 1)
        elder.child_ids = [Command.create({"name": "次子", "away_since": self.today})]
        page = html.fromstring(
            self.env["ir.actions.report"]
            .with_user(self.user_county)
            ._render_qweb_html("left_behind_elderly.lbe_elder_annex1_report", elder.ids)[0]
        ).text_content()
        page = " ".join(page.split())

        wizard = (
            self.env["lbe.ledger.export"]
            .with_user(self.user_county)
            .create({"region_id": self.village_a1.id, "full_values": True})
        )
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(self.user_county)
            ._render_xlsx(wizard.action_export()["report_name"], wizard.ids, data=None)
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        header = [cell.value for cell in sheet[2]]
        row = next(
            dict(zip(header, values, strict=True))
            for values in sheet.iter_rows(min_row=3, values_only=True)
            if values[1] == "同文老人"
        )

        # Children without a birth date are counted, not listed; no empty item.
        self.assertEqual(row["子女数量"], 2)
        self.assertEqual(row["子女出生日期"], "1990年1月1日")
        self.assertIn("子女数量：（ 2 ）个", page)
        self.assertIn("出生日期分别为：（ 1990年1月1日 ）", page)
        # The last visit home: the year alone when the month is unknown.
        self.assertEqual(row["最近一次回家探望时间"], "2025年")
        self.assertIn("最近一次回家探望时间：（ 2025年 ）", page)
        # A figure as the form writes it.
        self.assertEqual(row["每年团聚次数"], 1.5)
        self.assertIn("每年团聚次数：（ 1.5 ）次", page)
        self.assertIsNone(row["平均天数"])
        # Ticks, and the note of "other".
        self.assertEqual((row["种养殖业"], row["其他"]), ("√", "√：养老金"))
        self.assertIn("种养殖业（√）", page)
        self.assertIn("其他（√）：养老金", page)
        # The state in the interface's words.
        self.assertEqual(row["状态"], "已登记")
        # College: no box of the form; the ledger names it.
        self.assertEqual(row["文化程度"], "大专及以上")
        self.assertNotIn("（√）", page.split("文化程度")[1].split("夫妻情况")[0])
        # The labels are the single source's.
        for key in ("name", "id_number", "health_status", "education", "spouse_status"):
            self.assertIn(annex1.LABELS[key], header)
            self.assertIn(annex1.LABELS[key], page)

    def test_print_keeps_the_annex_wording(self):
        """The form's own wording, as the annex prints it, around the facts."""
        elder = self._registered_elder("原文老人", self.village_a1)
        page = self._annex1_page(elder)
        for text in (
            "农村留守老年人基本情况登记表",
            "填报单位：",
            "（盖章）",
            "填报日期：",
            "基本情况",
            "残疾类别及等级",
            "家庭情况",
            "子女情况",
            "出生日期分别为：",
            "子女外出务工情况",
            "家庭经济来源情况",
            "以上选项可多选",
            "主要赡养人或扶养人情况",
            "联系电话（手机）：",
            "单位负责人（签名）：",
            "复核人（签名）：",
            "填表人（签名）：",
        ):
            self.assertIn(text, page)

    def test_ledger_form_shows_the_annex_wording(self):
        """The ledger's screens label each fact in the annex's wording for Chinese
        users: the labels of the fields holding facts come from the one list."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["left_behind_elderly"], ["zh_CN"])
        names = annex1.elder_fields()
        self.assertIn("last_home_visit_year", names)
        self.assertNotIn("village_code", names)
        labels = self.env["lbe.elder"].with_context(lang="zh_CN").fields_get(names, ["string"])
        for fact in annex1.FACTS:
            if fact.field:
                self.assertEqual(labels[fact.field]["string"], fact.ledger_label, fact.key)

    def test_missing_facts_follow_the_list(self):
        """The ledger's missing facts are the list's needed ones: a fact the list
        no longer needs is no longer missing."""
        elder = self._registered_elder("缺项老人", self.village_a1)
        elder.sudo().ethnic_group = False
        label = elder._fields["ethnic_group"].get_description(self.env)["string"]
        self.assertIn(label, elder._missing_annex_facts())
        facts = [
            fact._replace(needed=False) if fact.key == "ethnic_group" else fact
            for fact in annex1.FACTS
        ]
        with patch.object(annex1, "FACTS", facts):
            self.assertNotIn(label, elder._missing_annex_facts())

    def test_one_label_changes_everywhere(self):
        """Changing a fact's label in the one list changes the ledger's form, the
        PDF, the import template, the ledger XLSX and the import: the old label is
        no longer read."""
        old, new = "文化程度", "受教育程度"
        facts = [
            fact._replace(label=new) if fact.key == "education" else fact for fact in annex1.FACTS
        ]
        elder = self._registered_elder("改名老人", self.village_a1, education="primary")
        Report = self.env["ir.actions.report"].with_user(self.user_county)

        # The form's label: the Chinese terms as tools/update_translations.sh
        # writes them from the list (tools/annex1_field_labels.py), loaded.
        self.assertEqual(self._form_label("education", annex1.FACTS), old)
        self.assertEqual(self._form_label("education", facts), new)

        with patch.object(annex1, "FACTS", facts):
            # The printed Annex 1.
            page = self._annex1_page(elder)
            self.assertIn(f"{new} 文盲（ ）小学（√）", page)
            self.assertNotIn(old, page)

            # The import template's header.
            wizard = self.env["lbe.elder.import"].with_user(self.user_village).create({})
            content, _type = Report.with_user(self.user_village)._render_xlsx(
                wizard.action_download_template()["report_name"], wizard.ids, data=None
            )
            template = [
                cell.value for cell in openpyxl.load_workbook(io.BytesIO(content)).worksheets[0][1]
            ]
            self.assertIn(new, template)
            self.assertNotIn(old, template)

            # The ledger XLSX's header row.
            export = (
                self.env["lbe.ledger.export"]
                .with_user(self.user_county)
                .create({"region_id": self.village_a1.id})
            )
            content, _type = Report._render_xlsx(
                export.action_export()["report_name"], export.ids, data=None
            )
            sheet = openpyxl.load_workbook(io.BytesIO(content)).active
            ledger = [cell.value for cell in sheet[2]]
            self.assertIn(new, ledger)
            self.assertNotIn(old, ledger)
            row = next(
                dict(zip(ledger, values, strict=True))
                for values in sheet.iter_rows(min_row=3, values_only=True)
                if values[1] == "改名老人"
            )
            self.assertEqual(row[new], "小学")

            # The import: a file headed as the new template is read, the old
            # label is not (the column is reported missing, by its new label).
            born = date(1950, 3, 15)
            cells = {
                "name": "改名导入老人",
                "id_number": make_id_number("440111", born, "915"),
                "village_code": self.village_a1.code,
                "household_registration": "广东省广州市白云区人和镇",
                "address": "人和村9号",
                "health_status": "健康",
                "education": "初中",
                "spouse_status": "双方健在",
                "child_count": 1,
                "years_away": 3,
            }
            imported = self._import_file(template, cells)
            imported.action_import()
            self.assertEqual((imported.error_count, imported.created_count), (0, 1))
            created = self.env["lbe.elder"].search([("id_number", "=", cells["id_number"])])
            self.assertEqual(created.education, "junior")
            with self.assertRaisesRegex(UserError, new):
                self._import_file(
                    [old if header == new else header for header in template], cells
                ).action_validate()

    def _form_label(self, field, facts):
        """The Chinese label of the elder's `field` once the terms written by
        tools/annex1_field_labels.py from `facts` are loaded."""
        spec = importlib.util.spec_from_file_location(
            "lbe_annex1_field_labels", ADDON_DIR / "tools" / "annex1_field_labels.py"
        )
        tool = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(tool)
        self.env["res.lang"]._activate_lang("zh_CN")
        with tempfile.TemporaryDirectory() as folder:
            po = Path(folder) / "zh_CN.po"
            shutil.copy(ADDON_DIR / "i18n" / "zh_CN.po", po)
            with (
                patch.object(tool, "_annex1", lambda: SimpleNamespace(FACTS=facts)),
                contextlib.redirect_stdout(io.StringIO()),
            ):
                tool.main(str(po))
            importer = TranslationImporter(self.env.cr, verbose=False)
            with po.open("rb") as terms:
                importer.load(terms, "po", "zh_CN")
            importer.save(overwrite=True)
        self.env.registry.clear_cache()
        labels = self.env["lbe.elder"].with_context(lang="zh_CN").fields_get([field], ["string"])
        return labels[field]["string"]

    def _annex1_page(self, elder):
        page = html.fromstring(
            self.env["ir.actions.report"]
            .with_user(self.user_county)
            ._render_qweb_html("left_behind_elderly.lbe_elder_annex1_report", elder.ids)[0]
        ).text_content()
        return " ".join(page.split())

    def _import_file(self, header, cells):
        """An import wizard of the village clerk with a file of one row, headed by
        `header` in the template's order; `cells` are by key."""
        book = openpyxl.Workbook()
        book.active.append(header)
        book.active.append([cells.get(fact.key) for fact in annex1.FACTS])
        buffer = io.BytesIO()
        book.save(buffer)
        return (
            self.env["lbe.elder.import"]
            .with_user(self.user_village)
            .create({"file": base64.b64encode(buffer.getvalue()), "filename": "台账.xlsx"})
        )
