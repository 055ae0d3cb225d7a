import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """Chinese users see Chinese: every term of the addon has a zh_CN translation."""

    def test_every_term_has_a_chinese_translation(self):
        po = polib.pofile(file_path("left_behind_elderly/i18n/zh_CN.po"))
        translated = {
            entry.msgid
            for entry in po
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
        }
        terms = {
            source
            for _module, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(self.env.cr, modules=["left_behind_elderly"])
            )
            if source
        }
        self.assertGreater(len(terms), 200)
        missing = sorted(terms - translated)
        self.assertFalse(
            missing,
            f"{len(missing)} terms lack a zh_CN translation "
            f"(run tools/update_translations.sh): {missing[:20]}",
        )

    def test_chinese_user_sees_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["left_behind_elderly"], ["zh_CN"])
        env = self.env(context={"lang": "zh_CN"})
        self.assertEqual(env.ref("left_behind_elderly.lbe_menu_root").name, "留守老人关爱")
        fields = env["lbe.elder"].fields_get(["id_number", "health_status"])
        self.assertEqual(fields["id_number"]["string"], "身份证号码")
        self.assertIn(("disabled", "残疾"), fields["health_status"]["selection"])
