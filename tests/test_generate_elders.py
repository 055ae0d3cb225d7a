import importlib.util
from collections import Counter
from pathlib import Path

from stdnum.cn import ric

from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

# tools/ is no package of the addon (its scripts are not linted as module code).
_spec = importlib.util.spec_from_file_location(
    "lbe_generate_elders", Path(__file__).resolve().parent.parent / "tools" / "generate_elders.py"
)
generate_elders = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate_elders)

# Stored computed fields the generator writes in SQL: the ORM must find the same.
ELDER_COMPUTED = [
    "region_code",
    "township_id",
    "county_id",
    "city_id",
    "child_count",
    "primary_guardian_id",
    "is_key_focus",
    "last_visit_date",
    "is_at_risk",
    "next_visit_date",
    "is_visit_overdue",
    "risk_not_followed_up",
    "missing_annex_facts",
]
VISIT_COMPUTED = ["region_id", "needs_followup", "followup_state"]


@tagged("post_install", "-at_install")
class TestGenerateElders(TransactionCase):
    """tools/generate_elders.py on a few thousand elders, checked through the ORM."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.today = fields.Date.context_today(env["lbe.elder"])
        intervals = env["res.config.settings"]._lbe_visit_intervals()
        ids = generate_elders.generate(
            env.cr, 3000, cls.today, intervals, env.ref("base.user_admin").id
        )
        cls.elders = env["lbe.elder"].browse(ids)

    def _recomputed(self, records, names):
        """The stored values of these fields, then what the ORM computes for them."""
        stored = {name: {r.id: r[name] for r in records} for name in names}
        records.invalidate_recordset(names)
        for name in names:
            self.env.add_to_compute(records._fields[name], records)
        records._recompute_recordset(names)
        computed = {name: {r.id: r[name] for r in records} for name in names}
        return stored, computed

    def test_records_pass_the_constraints(self):
        elders = self.elders
        self.assertEqual(len(elders), 3000)
        children, guardians, visits = elders.child_ids, elders.guardian_ids, elders.visit_ids
        for records in (elders, children, guardians, visits):
            # Every Python constraint of the model, on every generated record.
            records._validate_fields(records._fields)
        # Registered elders meet the definition checked on registration.
        for elder in elders.filtered(lambda e: e.state == "active"):
            self.assertEqual(elder._definition_problems(), [], elder.name)
        # The ID numbers: valid, unique, agreeing with birth date and gender.
        numbers = elders.mapped("id_number")
        self.assertEqual(len(set(numbers)), len(numbers))
        for elder in elders:
            self.assertTrue(ric.is_valid(elder.id_number), elder.id_number)
            self.assertEqual(ric.get_birth_date(elder.id_number), elder.birth_date)
        self.assertEqual(set(guardians.mapped("is_primary")), {True})
        self.assertEqual(len(guardians), len(elders))

    def test_stored_computed_fields_agree_with_the_orm(self):
        stored, computed = self._recomputed(self.elders, ELDER_COMPUTED)
        for name in ELDER_COMPUTED:
            self.assertEqual(stored[name], computed[name], name)
        visits = self.elders.visit_ids
        stored, computed = self._recomputed(visits, VISIT_COMPUTED)
        for name in VISIT_COMPUTED:
            self.assertEqual(stored[name], computed[name], name)

    def test_shares(self):
        elders = self.elders
        share = {
            key: count / len(elders)
            for key, count in Counter(
                [e.state for e in elders]
                + [e.health_status for e in elders]
                + [f"children {e.child_count}" for e in elders]
            ).items()
        }
        for key, expected in (
            ("active", 0.92),
            ("exited", 0.05),
            ("draft", 0.03),
            ("healthy", 0.62),
            ("ill", 0.30),
            ("disabled", 0.08),
            ("children 1", 0.20),
            ("children 2", 0.38),
        ):
            self.assertAlmostEqual(share[key], expected, delta=0.025, msg=key)
        active = elders.filtered(lambda e: e.state == "active")
        overdue = len(active.filtered("is_visit_overdue")) / len(active)
        self.assertTrue(0.03 < overdue < 0.20, overdue)
        self.assertTrue(active.visit_ids)
        self.assertTrue(elders.filtered("is_key_focus"))
        # Drafts, and only they, still miss an Annex 1 fact (the address).
        self.assertEqual(
            elders.filtered("missing_annex_facts"), elders.filtered(lambda e: e.state == "draft")
        )
        # Spread over the province: every city holds generated elders.
        self.assertEqual(len(elders.city_id), 21)
