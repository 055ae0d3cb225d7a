from collections import Counter
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import LbeCareCommon


@tagged("post_install", "-at_install")
class TestFacility(LbeCareCommon):
    """Care facilities (幸福计划) and their services, area by area."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_village_a2 = cls._tier_user("village", cls.village_a2, login="lbe_test_village_a2")
        cls.meal_type = cls.env.ref("left_behind_elderly.lbe_service_type_daily_care")
        cls.elder_a1 = cls._registered_elder("设施甲", cls.village_a1)
        cls.elder_a1b = cls._registered_elder("设施乙", cls.village_a1)
        cls.elder_a2 = cls._registered_elder("设施丙", cls.village_a2)
        cls.elder_d1 = cls._registered_elder("设施丁", cls.village_d1)
        cls.health_centre = cls._facility("人和镇卫生院", cls.township, "health_centre")
        cls.meal_point = cls._facility("A1长者饭堂", cls.village_a1, "meal_point")
        cls.foreign = cls._facility("韶关幸福院", cls.village_d1, "happiness_home")

    @classmethod
    def _facility(cls, name, region, facility_type, opened_days_ago=100, **vals):
        facility = cls.env["lbe.facility"].create(
            {
                "name": name,
                "region_id": region.id,
                "facility_type": facility_type,
                "capacity": 20,
                "opening_date": cls.today - timedelta(days=opened_days_ago),
                **vals,
            }
        )
        facility.action_open()
        return facility

    def _service(self, facility, elder, days_ago=0, user=None):
        Record = self.env["lbe.service.record"]
        if user:
            Record = Record.with_user(user)
        return Record.create(
            {
                "facility_id": facility.id,
                "elder_id": elder.id,
                "service_type_id": self.meal_type.id,
                "date": self.today - timedelta(days=days_ago),
                "description": "助餐",
            }
        )

    def _visible(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    # ------------------------------------------------------------------
    def test_area_isolation_for_every_tier(self):
        services = {
            "a1": self._service(self.meal_point, self.elder_a1),
            "a2": self._service(self.health_centre, self.elder_a2),
            "d1": self._service(self.foreign, self.elder_d1),
        }
        facilities = self.health_centre | self.meal_point | self.foreign
        all_services = services["a1"] | services["a2"] | services["d1"]
        guangzhou = (self.health_centre | self.meal_point, services["a1"] | services["a2"])
        expected = {
            # The village clerk reads the township's health centre, not its services
            # for the elders of the other village.
            self.user_village: (self.health_centre | self.meal_point, services["a1"]),
            self.user_village_a2: (self.health_centre, services["a2"]),
            self.user_township: guangzhou,
            self.user_county: guangzhou,
            self.user_city: guangzhou,
            self.user_province: (facilities, all_services),
            self.user_no_area: (self.env["lbe.facility"], self.env["lbe.service.record"]),
        }
        for user, (own_facilities, own_services) in expected.items():
            self.assertEqual(
                self._visible(user, "lbe.facility", facilities), own_facilities, user.login
            )
            self.assertEqual(
                self._visible(user, "lbe.service.record", all_services), own_services, user.login
            )
        # The clerk changes only the facilities of the own village.
        self.meal_point.with_user(self.user_village).write({"capacity": 25})
        with self.assertRaises(AccessError):
            self.health_centre.with_user(self.user_village).write({"capacity": 25})
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.user_village).read(["name"])
        # Nor moves a facility out of the own area, nor sets its state by hand.
        with self.assertRaises(AccessError):
            self.meal_point.with_user(self.user_village).write({"region_id": self.village_d1.id})
        with self.assertRaises(AccessError):
            self.meal_point.with_user(self.user_village).write({"state": "closed"})
        # Nor records a service at a facility of another area.
        with self.assertRaises(AccessError):
            self._service(self.foreign, self.elder_a1, user=self.user_village)

    def test_batch_of_meals_over_a_week(self):
        elders = self.elder_a1 | self.elder_a1b
        first = self.today - timedelta(days=6)
        action = self.meal_point.with_user(self.user_village).action_record_services()
        wizard = (
            self.env["lbe.facility.service.batch"]
            .with_user(self.user_village)
            .with_context(**action["context"])
            .create(
                {
                    "elder_ids": [Command.set(elders.ids)],
                    "service_type_id": self.meal_type.id,
                    "date_from": first,
                    "date_to": self.today,
                    "duration": 1.0,
                    "description": "午餐",
                }
            )
        )
        self.assertEqual(wizard.facility_id, self.meal_point)
        result = wizard.action_create()
        records = self.env["lbe.service.record"].search(result["domain"])
        self.assertEqual(len(records), 14)
        pairs = Counter((r.elder_id, r.date) for r in records)
        self.assertEqual(
            set(pairs),
            {(e, first + timedelta(days=n)) for e in elders for n in range(7)},
        )
        self.assertEqual(set(pairs.values()), {1})
        for record in records:
            self.assertEqual(record.facility_id, self.meal_point)
            self.assertEqual(record.region_id, self.village_a1)
            self.assertEqual(record.service_type_id, self.meal_type)
            self.assertEqual(record.duration, 1.0)
            self.assertEqual(record.description, "午餐")
            self.assertFalse(record.pairing_id)
        meal_point = self.meal_point.with_user(self.user_village)
        self.assertEqual(meal_point.service_count, 14)
        self.assertEqual(meal_point.elder_count, 2)
        self.assertEqual(meal_point.recent_service_count, 14)
        self.assertEqual(meal_point.last_service_date, self.today)
        elder = self.elder_a1.with_user(self.user_village)
        self.assertEqual(elder.facility_ids, self.meal_point)
        self.assertEqual(elder.last_facility_service_date, self.today)

    def test_township_health_centre_serves_two_villages(self):
        own_a1 = self._service(self.health_centre, self.elder_a1, user=self.user_village)
        own_a2 = self._service(self.health_centre, self.elder_a2, user=self.user_village_a2)
        self.assertEqual(own_a1.region_id, self.village_a1)
        self.assertEqual(own_a2.region_id, self.village_a2)
        both = own_a1 | own_a2
        self.assertEqual(self._visible(self.user_village, "lbe.service.record", both), own_a1)
        self.assertEqual(self._visible(self.user_village_a2, "lbe.service.record", both), own_a2)
        self.assertEqual(self._visible(self.user_township, "lbe.service.record", both), both)
        # Each clerk counts the own elders; the township all of them.
        self.assertEqual(self.health_centre.with_user(self.user_village).elder_count, 1)
        self.assertEqual(self.health_centre.with_user(self.user_township).elder_count, 2)
        # A clerk cannot record services for the other village's elders.
        with self.assertRaises(AccessError):
            self._service(self.health_centre, self.elder_a2, user=self.user_village)
        # A facility serves its own township only; and not through a pairing too.
        with self.assertRaises(ValidationError):
            self._service(self.meal_point, self.elder_d1)
        # The elder of a facility service is set by hand, not refused as computed;
        # its area follows the elder (read from the database).
        own_a1.with_user(self.user_village).write({"elder_id": self.elder_a1b.id})
        own_a1.with_user(self.user_township).write({"elder_id": self.elder_a2.id})
        self.env.invalidate_all()
        moved = own_a1.sudo()
        self.assertEqual((moved.elder_id, moved.region_id), (self.elder_a2, self.village_a2))

    def test_monthly_figures_per_facility(self):
        days = [0, 1, 10, 35, 40, 70, 95]
        records = self.env["lbe.service.record"]
        for n, days_ago in enumerate(days):
            facility = self.meal_point if n % 2 else self.health_centre
            records |= self._service(facility, self.elder_a1, days_ago=days_ago)
        expected = Counter((record.facility_id, record.date.replace(day=1)) for record in records)
        groups = (
            self.env["lbe.service.record"]
            .with_user(self.user_township)
            ._read_group([("id", "in", records.ids)], ["facility_id", "date:month"], ["__count"])
        )
        got = {(facility, month): count for facility, month, count in groups}
        self.assertEqual(got, dict(expected))
        self.assertEqual(sum(got.values()), len(days))

    def test_supervision_flags_key_focus_without_facility(self):
        self._registered_elder("重点甲", self.village_b1, key_focus=True)
        self._registered_elder("重点乙", self.village_a2, key_focus=True)
        self.env.flush_all()
        Supervision = self.env["lbe.supervision"]
        row_b1 = Supervision.search([("region_id", "=", self.village_b1.id)])
        row_a2 = Supervision.search([("region_id", "=", self.village_a2.id)])
        # 太和镇 has no facility; 人和镇 has its health centre.
        self.assertFalse(row_b1.has_facility)
        self.assertTrue(row_b1.key_focus_without_facility)
        self.assertTrue(row_a2.has_facility)
        self.assertFalse(row_a2.key_focus_without_facility)
        flagged = Supervision.search([("key_focus_without_facility", "=", True)])
        self.assertIn(row_b1, flagged)
        self.assertNotIn(row_a2, flagged)
        # A happiness home opens in B1; a closed one would not count.
        home = self._facility("B1幸福院", self.village_b1, "happiness_home")
        self.env.invalidate_all()
        self.assertFalse(Supervision.browse(row_b1.id).key_focus_without_facility)
        home.action_close()
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertTrue(Supervision.browse(row_b1.id).key_focus_without_facility)

    def test_idle_after_60_days(self):
        Facility = self.env["lbe.facility"]
        self._service(self.meal_point, self.elder_a1, days_ago=61)
        new = self._facility("新开幸福院", self.village_a1, "happiness_home", opened_days_ago=10)
        planned = Facility.create(
            {"name": "规划中", "region_id": self.village_a1.id, "facility_type": "day_care"}
        )
        ours = self.meal_point | new | planned | self.health_centre
        idle = Facility.with_user(self.user_village).search(
            [("id", "in", ours.ids), ("is_idle", "=", True)]
        )
        # The health centre has never served, and opened 100 days ago.
        self.assertEqual(idle, self.meal_point | self.health_centre)
        self.assertTrue(self.meal_point.is_idle)
        self.assertEqual(self.meal_point.last_service_date, self.today - timedelta(days=61))
        self.assertFalse(new.is_idle)
        self.assertFalse(planned.is_idle)
        self._service(self.meal_point, self.elder_a1, days_ago=59)
        self.env.invalidate_all()
        self.assertFalse(self.meal_point.is_idle)
        self.assertEqual(
            Facility.search([("id", "in", ours.ids), ("is_idle", "=", False)]),
            self.meal_point | new | planned,
        )
        with self.assertRaises(ValidationError):
            planned.capacity = -1
