"""A mobile number is a mobile number: every mobile field of the ledger stores the
11 digits of a mainland mobile number, however it was typed, and refuses anything
else (issue 18, finding 1: an e-mail login typed into a supporter's mobile)."""

from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..models.lbe_mobile_mixin import normalize_mobile
from .common import LbeCareCommon, load_chinese

TYPED = {
    "13912345678": "13912345678",
    " 139 1234 5678 ": "13912345678",
    "139-1234-5678": "13912345678",
    "+86 139 1234 5678": "13912345678",
    "+86-13912345678": "13912345678",
    "0086 139 1234 5678": "13912345678",
    "8613912345678": "13912345678",
    "(+86) 199.1234.5678": "19912345678",
    # Full-width digits, plus, hyphens and space, as a Chinese input method types them.
    "＋８６　１３９－１２３４－５６７８": "13912345678",
    "１５８１２３４５６７８": "15812345678",
}
REFUSED = [
    "daughter@example.com",
    "portaltemplate",
    "public",
    "020-86451234",
    "02086451234",
    "12912345678",
    "1391234567",
    "139123456789",
    "+85291234567",
    "+1 415 555 0100",
    "0013912345678",
    "13912345678x",
    "１３９１２３４５６７８９",
    "139 1234 5678 / 138 0000 0000",
]


@tagged("post_install", "-at_install")
class TestMobileNumbers(LbeCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.records = cls._elder_with_records("手机", cls.village_a1)
        # Every mobile field of the ledger, on a record the village clerk may change.
        cls.fields = [
            (cls.records["lbe.guardian"], "mobile"),
            (cls.records["lbe.elder.child"], "mobile"),
            (cls.records["lbe.volunteer"], "mobile"),
            (cls.records["lbe.care.agreement"], "caregiver_mobile"),
            (cls.records["lbe.care.agreement"], "guardian_mobile"),
            (cls.records["lbe.visit.followup"], "contact_mobile"),
        ]

    @contextmanager
    def refused(self, message="is not a mainland mobile number"):
        """The block is refused as giving no mobile number, and undone:
        assertRaises rolls back to a savepoint, assertRaisesRegex does not."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertIn(message, str(caught.exception))

    def test_normalize_mobile(self):
        for typed, stored in TYPED.items():
            self.assertEqual(normalize_mobile(typed), stored, typed)
        for typed in REFUSED:
            self.assertIsNone(normalize_mobile(typed), typed)
        self.assertIsNone(normalize_mobile(False))
        self.assertEqual(normalize_mobile(13912345678), "13912345678")

    def test_every_mobile_field_of_the_addon_is_checked(self):
        """Found in the registry, so that a mobile field added later is checked too."""
        found = set()
        for name, model in self.registry.items():
            if not name.startswith("lbe.") or model._abstract or model._transient:
                continue
            for field_name, field in model._fields.items():
                if field.type != "char" or "mobile" not in field_name or not field.store:
                    continue
                found.add((name, field_name))
                self.assertIn(
                    field_name,
                    getattr(model, "_lbe_mobile_fields", ()),
                    f"{name}.{field_name} is not checked as a mobile number",
                )
        checked = {(r._name, f) for r, f in self.fields if r._fields[f].store}
        self.assertEqual(found, checked)
        # The agreement's supporter's mobile is the supporter's own field.
        self.assertEqual(
            self.env["lbe.care.agreement"]._fields["guardian_mobile"].related,
            "guardian_id.mobile",
        )

    def test_written_mobiles_are_normalised(self):
        for record, name in self.fields:
            record = record.with_user(self.user_village)
            for typed, stored in TYPED.items():
                with self.subTest(model=record._name, field=name, typed=typed):
                    record.write({name: typed})
                    self.assertEqual(record.sudo()[name], stored)
            record.write({name: False})
            self.assertFalse(record.sudo()[name])

    def test_anything_else_is_refused(self):
        for record, name in self.fields:
            record = record.with_user(self.user_village)
            record.write({name: "13800009999"})
            for typed in REFUSED:
                with self.subTest(model=record._name, field=name, typed=typed):
                    with self.refused():
                        record.write({name: typed})
                    self.assertEqual(record.sudo()[name], "13800009999")

    def test_created_with_a_mobile(self):
        elder = self.records["lbe.elder"]
        village = self.user_village
        creates = {
            "lbe.guardian": {"elder_id": elder.id, "name": "新赡养人"},
            "lbe.elder.child": {"elder_id": elder.id, "name": "新子女"},
            "lbe.volunteer": {"name": "新志愿者", "region_id": self.village_a1.id},
        }
        for model, vals in creates.items():
            Model = self.env[model].with_user(village)
            with self.subTest(model=model):
                record = Model.create({**vals, "mobile": "+86 137 0000 1111"})
                self.assertEqual(record.sudo().mobile, "13700001111")
                count = Model.sudo().search_count([])
                with self.refused():
                    Model.create({**vals, "mobile": "daughter@example.com"})
                self.assertEqual(Model.sudo().search_count([]), count)
        # Through the elder's form, as the web client saves its supporters.
        with self.refused():
            elder.with_user(village).write(
                {"guardian_ids": [Command.create({"name": "表单赡养人", "mobile": "020-1234"})]}
            )
        self.assertNotIn("表单赡养人", elder.guardian_ids.mapped("name"))

    def test_the_refusal_is_translated(self):
        load_chinese(self.env)
        guardian = self.records["lbe.guardian"].with_user(self.user_village)
        with self.refused("联系电话（手机）“020-86451234”不是有效的大陆手机号码"):
            guardian.with_context(lang="zh_CN").write({"mobile": "020-86451234"})
