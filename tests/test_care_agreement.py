import base64
from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import LbeCareCommon

SCAN = base64.b64encode(b"%PDF-1.4 signed agreement")


@tagged("post_install", "-at_install")
class TestCareAgreement(LbeCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.elder = cls._registered_elder("委托", cls.village_a1)
        cls.guardian = cls.env["lbe.guardian"].create(
            {
                "elder_id": cls.elder.id,
                "name": "委托之女",
                "mobile": "13900000000",
                "is_primary": True,
            }
        )

    def _agreement(self, **vals):
        return (
            self.env["lbe.care.agreement"]
            .with_user(self.user_village)
            .create(
                {
                    "elder_id": self.elder.id,
                    "guardian_id": self.guardian.id,
                    "caregiver_name": "邻居老李",
                    "caregiver_relationship": "neighbour",
                    "caregiver_mobile": "13700000000",
                    "date_start": self.today - timedelta(days=100),
                    "date_end": self.today + timedelta(days=265),
                    "signed_date": self.today - timedelta(days=101),
                    "elder_consent": True,
                    "agreement_copy": SCAN,
                    **vals,
                }
            )
        )

    def test_activation_refused_without_the_copy(self):
        agreement = self._agreement(agreement_copy=False)
        with self.assertRaisesRegex(UserError, "scanned copy"):
            agreement.action_activate()
        self.assertEqual(agreement.state, "draft")
        agreement.agreement_copy = SCAN
        agreement.action_activate()
        self.assertEqual(agreement.state, "active")
        # Stored as an attachment, not in the table.
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "lbe.care.agreement"),
                ("res_id", "=", agreement.id),
                ("res_field", "=", "agreement_copy"),
            ]
        )
        self.assertEqual(len(attachment), 1)

    def test_activation_needs_contacts_and_consent(self):
        for vals, missing in (
            ({"elder_consent": False}, "consent"),
            ({"caregiver_mobile": False}, "caregiver's mobile"),
            ({"guardian_id": False}, "obliged supporter"),
        ):
            with self.assertRaisesRegex(UserError, missing):
                self._agreement(**vals).action_activate()
        self.guardian.mobile = False
        with self.assertRaisesRegex(UserError, "supporter's mobile"):
            self._agreement().action_activate()

    def test_consistency(self):
        with self.assertRaises(ValidationError):
            self._agreement(date_end=self.today - timedelta(days=200))
        other = self._registered_elder("他人", self.village_a1)
        other_guardian = self.env["lbe.guardian"].create(
            {"elder_id": other.id, "name": "他人之子", "is_primary": True}
        )
        with self.assertRaises(ValidationError):
            self._agreement(guardian_id=other_guardian.id)
        with self.assertRaises(ValidationError):
            self._agreement(caregiver_id_number="440111194502243940")
        valid = self._agreement(caregiver_id_number="44011119450224394８")
        self.assertEqual(valid.sudo().caregiver_id_number, "440111194502243948")

    def test_expiry_and_reminder(self):
        past = self._agreement(date_end=self.today - timedelta(days=1))
        soon = self._agreement(date_end=self.today + timedelta(days=30))
        later = self._agreement(date_end=self.today + timedelta(days=31))
        (past | soon | later).action_activate()
        Agreement = self.env["lbe.care.agreement"]
        Agreement._cron_expire_and_remind()
        Agreement._cron_expire_and_remind()
        self.assertEqual(past.state, "expired")
        self.assertEqual((soon | later).mapped("state"), ["active", "active"])
        activity_type = self.env.ref("left_behind_elderly.mail_activity_type_agreement_ending")
        self.assertEqual(len(soon.activity_ids), 1)
        self.assertEqual(soon.activity_ids.activity_type_id, activity_type)
        self.assertEqual(soon.activity_ids.date_deadline, soon.date_end)
        self.assertFalse(later.activity_ids)
        self.assertFalse(past.activity_ids)

    def test_life_cycle(self):
        agreement = self._agreement()
        with self.assertRaises(UserError):
            agreement.action_terminate()
        agreement.action_activate()
        with self.assertRaises(UserError):
            agreement.action_activate()
        agreement.action_terminate()
        self.assertEqual(agreement.state, "terminated")
        agreement.action_draft()
        self.assertEqual(agreement.state, "draft")
