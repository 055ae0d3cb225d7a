from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import LbeCareCommon


@tagged("post_install", "-at_install")
class TestVolunteer(LbeCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.elder = cls._registered_elder("结对", cls.village_a1)
        Volunteer = cls.env["lbe.volunteer"]
        cls.station = Volunteer.create(
            {"name": "镇社工站", "kind": "social_work", "region_id": cls.township.id}
        )
        cls.helper = Volunteer.create(
            {"name": "低龄老人", "kind": "elder_helper", "region_id": cls.village_a1.id}
        )
        cls.foreign = Volunteer.create(
            {"name": "外镇志愿者", "kind": "individual", "region_id": cls.village_b1.id}
        )
        cls.daily_care = cls.env.ref("left_behind_elderly.lbe_service_type_daily_care")
        cls.emotional = cls.env.ref("left_behind_elderly.lbe_service_type_emotional")

    def test_volunteer_serves_a_village_or_a_township(self):
        with self.assertRaises(ValidationError):
            self.env["lbe.volunteer"].create(
                {"name": "区级", "kind": "organisation", "region_id": self.county.id}
            )

    def test_village_reads_its_township_volunteers_but_changes_only_its_own(self):
        Volunteer = self.env["lbe.volunteer"].with_user(self.user_village)
        ids = (self.station | self.helper | self.foreign).ids
        self.assertEqual(
            Volunteer.search([("id", "in", ids)]),
            (self.station | self.helper).with_user(self.user_village),
        )
        self.helper.with_user(self.user_village).skills = "代购"
        with self.assertRaises(AccessError):
            self.station.with_user(self.user_village).skills = "心理疏导"
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.user_village).read(["name"])
        with self.assertRaises(AccessError):
            Volunteer.create({"name": "越界", "region_id": self.township.id})
        with self.assertRaises(AccessError):
            self.helper.with_user(self.user_village).region_id = self.village_a2
        Township = self.env["lbe.volunteer"].with_user(self.user_township)
        self.assertEqual(
            Township.search([("id", "in", ids)]),
            (self.station | self.helper).with_user(self.user_township),
        )
        self.station.with_user(self.user_township).skills = "心理疏导"
        self.assertFalse(
            self.env["lbe.volunteer"].with_user(self.user_no_area).search([("id", "in", ids)])
        )
        County = self.env["lbe.volunteer"].with_user(self.user_county)
        self.assertEqual(len(County.search([("id", "in", ids)])), 3)
        with self.assertRaises(AccessError):
            self.station.with_user(self.user_city).skills = "只读"
        self.assertEqual(
            len(self.env["lbe.volunteer"].with_user(self.user_city).search([("id", "in", ids)])), 3
        )

    def test_pairing_and_service_records(self):
        pairing = (
            self.env["lbe.volunteer.pairing"]
            .with_user(self.user_village)
            .create(
                {
                    "elder_id": self.elder.id,
                    "volunteer_id": self.station.id,
                    "date_start": self.today - timedelta(days=30),
                    "frequency": "weekly",
                }
            )
        )
        self.assertEqual(pairing.region_id, self.village_a1)
        with self.assertRaisesRegex(UserError, "services"):
            pairing.action_start()
        Record = self.env["lbe.service.record"].with_user(self.user_village)
        record_vals = {
            "pairing_id": pairing.id,
            "service_type_id": self.daily_care.id,
            "description": "打扫卫生",
            "duration": 2,
        }
        with self.assertRaises(ValidationError):
            Record.create(record_vals)
        pairing.service_type_ids = self.daily_care | self.emotional
        pairing.action_start()
        Record.create({**record_vals, "date": self.today - timedelta(days=7)})
        Record.create(
            {
                **record_vals,
                "service_type_id": self.emotional.id,
                "description": "陪伴聊天",
                "duration": 1.5,
                "performed_by": "社工 罗敏",
            }
        )
        with self.assertRaises(ValidationError):
            Record.create({**record_vals, "date": self.today - timedelta(days=31)})
        with self.assertRaises(ValidationError):
            Record.create({**record_vals, "date": self.today + timedelta(days=1)})
        self.assertEqual(pairing.service_count, 2)
        self.assertAlmostEqual(pairing.service_hours, 3.5)
        self.assertEqual(pairing.service_record_ids.region_id, self.village_a1)
        self.assertEqual(pairing.service_record_ids.volunteer_id, self.station)
        self.assertEqual(self.station.pairing_count, 1)
        self.assertEqual(self.elder.pairing_count, 1)
        pairing.action_end()
        self.assertEqual(pairing.state, "ended")
        self.assertEqual(pairing.date_end, self.today)
        self.station.invalidate_recordset(["pairing_count"])
        self.assertEqual(self.station.pairing_count, 0)
