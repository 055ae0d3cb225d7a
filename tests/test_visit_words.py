"""A visit is 巡访 in every Chinese word of the addon (issue 20): the back office,
the field app, the family portal and the e-mails never call it 走访 or 探访."""

import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

from .common import load_chinese

# The other words for a visit that the addon once used; a supporter's visit
# home is 回家探望, which is another thing.
NOT_A_VISIT = ("走访", "探访")
# Where the addon's own Chinese is: terms, templates, scripts, data, forms.
SOURCES = (
    "i18n",
    "views",
    "static",
    "data",
    "demo",
    "reports",
    "annex",
    "models",
    "wizard",
    "controllers",
)
SUFFIXES = {".po", ".pot", ".xml", ".js", ".py", ".csv", ".scss"}


@tagged("post_install", "-at_install")
class TestVisitWords(TransactionCase):
    def test_no_chinese_term_calls_a_visit_otherwise(self):
        po = polib.pofile(file_path("left_behind_elderly/i18n/zh_CN.po"))
        wrong = [
            (entry.msgid[:60], entry.msgstr[:60])
            for entry in po
            if any(word in entry.msgstr for word in NOT_A_VISIT)
        ]
        self.assertFalse(wrong, f"Terms calling a visit other than 巡访: {wrong}")
        # The visits are named 巡访 (the field app among them).
        visits = [entry for entry in po if re.search(r"\bvisits?\b", entry.msgid, re.I)]
        self.assertTrue(any("巡访" in entry.msgstr for entry in visits))

    def test_no_source_file_calls_a_visit_otherwise(self):
        root = Path(file_path("left_behind_elderly"))
        wrong = []
        for folder in SOURCES:
            for path in (root / folder).rglob("*"):
                if path.suffix not in SUFFIXES or not path.is_file():
                    continue
                text = path.read_text(encoding="utf-8", errors="ignore")
                wrong += [
                    f"{path.relative_to(root)}: {word}" for word in NOT_A_VISIT if word in text
                ]
        self.assertFalse(wrong, f"Chinese words for a visit other than 巡访: {wrong}")

    def test_menus_and_the_field_app_say_xunfang(self):
        load_chinese(self.env)
        env = self.env(context={"lang": "zh_CN"})
        menu = env.ref("left_behind_elderly.lbe_field_app_menu")
        self.assertEqual(menu.name, "外出巡访")
        self.assertEqual(env.ref("left_behind_elderly.lbe_field_app_action").name, "外出巡访")
        methods = dict(env["lbe.visit"]._fields["method"]._description_selection(env))
        self.assertEqual(methods["home"], "入户巡访")
        names = env["ir.ui.menu"].search([]).mapped("name")
        self.assertFalse([name for name in names if any(w in name for w in NOT_A_VISIT)])
