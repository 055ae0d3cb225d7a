import base64
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LbeCareCommon


@tagged("post_install", "-at_install")
class TestSupervision(LbeCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A village of the test township with no demo elders of its own would be ideal;
        # the figures are compared before and after instead, so demo data may be there.
        cls.Supervision = cls.env["lbe.supervision"]

    def _row(self, village, user=None):
        Supervision = self.Supervision.with_user(user) if user else self.Supervision
        return Supervision.search([("region_id", "=", village.id)])

    def _figures(self, village):
        row = self._row(village)
        fields = [
            "elder_count",
            "key_focus_count",
            "overdue_count",
            "risk_pending_count",
            "agreement_ending_count",
            "incomplete_count",
        ]
        return dict.fromkeys(fields, 0) if not row else row.read(fields)[0]

    def test_figures_per_village(self):
        before = self._figures(self.village_a2)
        self._registered_elder("督查一", self.village_a2, key_focus=True, registered_days_ago=31)
        at_risk = self._registered_elder("督查二", self.village_a2)
        self._done_visit(at_risk, risk_level="high")
        guardian = self.env["lbe.guardian"].create(
            {"elder_id": at_risk.id, "name": "子", "mobile": "13800000000", "is_primary": True}
        )
        agreement = self.env["lbe.care.agreement"].create(
            {
                "elder_id": at_risk.id,
                "guardian_id": guardian.id,
                "caregiver_name": "邻居",
                "caregiver_mobile": "13700000000",
                "date_start": self.today,
                "date_end": self.today + timedelta(days=20),
                "signed_date": self.today,
                "elder_consent": True,
                "agreement_copy": base64.b64encode(b"scan"),
            }
        )
        agreement.action_activate()
        self._create_elder("草稿不计", self.village_a2)
        self.env.flush_all()
        self.env.invalidate_all()
        after = self._figures(self.village_a2)
        delta = {key: after[key] - before[key] for key in after if key != "id"}
        self.assertEqual(
            delta,
            {
                "elder_count": 2,
                "key_focus_count": 1,
                "overdue_count": 1,
                "risk_pending_count": 1,
                "agreement_ending_count": 1,
                "incomplete_count": 2,
            },
        )

    def test_supervision_is_one_query(self):
        self._registered_elder("查询", self.village_a1)
        self.env.flush_all()
        Supervision = self.Supervision.with_user(self.user_county)
        Supervision.read_group([], ["overdue_count:sum"], ["township_id"])  # warm the caches
        with self.assertQueryCount(1):
            Supervision.read_group([], ["overdue_count:sum"], ["township_id"])

    def test_access_per_tier(self):
        self._registered_elder("镇内", self.village_a1)
        self._registered_elder("镇外", self.village_b1)
        self._registered_elder("市外", self.village_d1)
        self.env.flush_all()
        township_rows = self.Supervision.with_user(self.user_township).search([])
        self.assertTrue(township_rows)
        self.assertEqual(set(township_rows.township_id.ids), {self.township.id})
        county_rows = self.Supervision.with_user(self.user_county).search([])
        self.assertEqual(set(county_rows.county_id.ids), {self.county.id})
        self.assertIn(self.village_b1, county_rows.region_id)
        city_rows = self.Supervision.with_user(self.user_city).search([])
        self.assertNotIn(self.village_d1, city_rows.region_id)
        self.assertIn(
            self.village_d1, self.Supervision.with_user(self.user_province).search([]).region_id
        )
        self.assertFalse(self.Supervision.with_user(self.user_no_area).search([]))
        with self.assertRaises(AccessError):
            self.Supervision.with_user(self.user_village).search([])
        action = county_rows[:1].with_user(self.user_county).action_open_elders()
        self.assertEqual(action["domain"], [("region_id", "=", county_rows[:1].region_id.id)])
