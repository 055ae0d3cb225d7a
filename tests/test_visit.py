from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import LbeCareCommon


@tagged("post_install", "-at_install")
class TestVisit(LbeCareCommon):
    def test_overdue_at_the_edges_of_the_policy(self):
        for key_focus, interval in ((False, 90), (True, 30)):
            for days_ago, overdue in (
                (interval - 1, False),
                (interval, False),
                (interval + 1, True),
            ):
                elder = self._registered_elder(
                    f"巡访{interval}-{days_ago}", self.village_a1, key_focus=key_focus
                )
                self.assertEqual(elder.is_key_focus, key_focus)
                self._done_visit(elder, days_ago)
                self.assertEqual(elder.last_visit_date, self.today - timedelta(days=days_ago))
                self.assertEqual(
                    elder.next_visit_date, elder.last_visit_date + timedelta(days=interval)
                )
                self.assertEqual(
                    elder.is_visit_overdue,
                    overdue,
                    f"{interval}-day policy, visited {days_ago} days ago",
                )

    def test_never_visited_counts_from_registration(self):
        fresh = self._registered_elder("新登记", self.village_a1, registered_days_ago=90)
        late = self._registered_elder("久未访", self.village_a1, registered_days_ago=91)
        self.assertFalse(fresh.is_visit_overdue)
        self.assertTrue(late.is_visit_overdue)
        draft = self._create_elder(
            "草稿", self.village_a1, registration_date=self.today - timedelta(days=400)
        )
        self.assertFalse(draft.is_visit_overdue, "only registered elders are due a visit")

    def test_high_risk_elder_is_visited_like_a_key_focus_one(self):
        elder = self._registered_elder("高风险", self.village_a1)
        self._done_visit(elder, 31, risk_level="medium")
        self.assertFalse(elder.is_visit_overdue)
        self._done_visit(elder, 31, risk_level="high")
        self.assertTrue(elder.is_at_risk)
        self.assertTrue(elder.is_visit_overdue)

    def test_policy_change_reschedules_every_elder(self):
        elder = self._registered_elder("政策", self.village_a1)
        self._done_visit(elder, 61)
        self.assertFalse(elder.is_visit_overdue)
        settings = self.env["res.config.settings"].create({"lbe_visit_interval_other": 60})
        settings.execute()
        self.assertEqual(elder.next_visit_date, elder.last_visit_date + timedelta(days=60))
        self.assertTrue(elder.is_visit_overdue)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"lbe_visit_interval_focus": 0})

    def test_cron_marks_overdue_as_time_passes(self):
        elder = self._registered_elder("时间", self.village_a1)
        self._done_visit(elder, 80)
        self.assertFalse(elder.is_visit_overdue)
        with freeze_time(self.today + timedelta(days=11)):
            self.env["lbe.elder"]._cron_visits_overdue()
        self.assertTrue(elder.is_visit_overdue)
        # A visit puts the elder back on time and settles the reminder.
        self.assertTrue(elder.activity_ids)
        self._done_visit(elder, 0)
        self.assertFalse(elder.is_visit_overdue)
        self.assertFalse(elder.activity_ids)

    def test_cron_run_twice_gives_one_activity(self):
        elder = self._registered_elder("两次", self.village_a1, registered_days_ago=200)
        stranded = self._registered_elder("无人", self.village_d1, registered_days_ago=200)
        activity_type = self.env.ref("left_behind_elderly.mail_activity_type_visit_overdue")
        Elder = self.env["lbe.elder"]
        Elder._cron_visits_overdue()
        Elder._cron_visits_overdue()
        activities = elder.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(activities), 1)
        village_clerks = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("left_behind_elderly.group_village").id),
                ("lbe_region_ids", "in", self.village_a1.id),
            ]
        )
        self.assertIn(activities.user_id, village_clerks)
        self.assertFalse(stranded.activity_ids, "no clerk serves that village: nobody to remind")
        # Once done without a visit, the next run reminds again.
        activities.action_feedback()
        Elder._cron_visits_overdue()
        self.assertEqual(len(elder.activity_ids), 1)

    def test_visit_cannot_be_dated_in_the_future_nor_of_a_draft_elder(self):
        elder = self._registered_elder("未来", self.village_a1)
        with self.assertRaises(ValidationError):
            self.env["lbe.visit"].create(
                {"elder_id": elder.id, "visit_date": self.today + timedelta(days=1)}
            )
        draft = self._create_elder("草稿", self.village_a1)
        visit = self.env["lbe.visit"].create({"elder_id": draft.id})
        with self.assertRaises(ValidationError):
            visit.action_done()
        done = self._done_visit(elder)
        with self.assertRaises(UserError):
            done.action_done()

    def test_completed_visit_updates_the_ledger_with_tracking(self):
        elder = self._registered_elder("更新", self.village_a1, self_care="independent")
        # As if registered earlier: changes of a record created in the same transaction
        # are not tracked.
        self.env.cr.precommit.clear()
        visit = self._done_visit(
            elder,
            user=self.user_village,
            found_self_care="dependent",
            found_living_alone="yes",
        )
        self.assertEqual(elder.self_care, "dependent")
        self.assertTrue(elder.living_alone)
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = (
            self.env["mail.tracking.value"]
            .search(
                [
                    ("mail_message_id.model", "=", "lbe.elder"),
                    ("mail_message_id.res_id", "=", elder.id),
                ]
            )
            .field_id.mapped("name")
        )
        self.assertIn("self_care", tracked)
        self.assertEqual(visit.create_uid, self.user_village)

    def test_high_risk_visit_starts_the_follow_up(self):
        elder = self._registered_elder("风险", self.village_a1)
        guardian = self.env["lbe.guardian"].create(
            {"elder_id": elder.id, "name": "风险之子", "mobile": "13800000000", "is_primary": True}
        )
        visit = self._done_visit(
            elder, user=self.user_village, risk_level="high", safety_risk_note="电线裸露"
        )
        self.assertTrue(visit.needs_followup)
        self.assertTrue(visit.township_report_date)
        self.assertEqual(visit.followup_state, "pending")
        self.assertTrue(elder.risk_not_followed_up)
        # The township's users each have an activity on the visit.
        activity_type = self.env.ref("left_behind_elderly.mail_activity_type_elder_at_risk")
        reported = visit.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertIn(self.user_township, reported.user_id)
        self.assertNotIn(self.user_county, reported.user_id)
        self.assertNotIn(self.user_village, reported.user_id)
        self.assertTrue(reported.with_user(self.user_township).read(["summary"]))
        # The clerk records the call to the son and his answer.
        form = Form(visit.with_user(self.user_village))
        with form.followup_ids.new() as line:
            line.guardian_id = guardian
            line.channel = "phone"
            line.answer = "本周回家"
        form.save()
        self.assertEqual(visit.followup_ids.contact_name, "风险之子")
        self.assertEqual(visit.followup_state, "done")
        self.assertFalse(elder.risk_not_followed_up)

    def test_safety_risk_alone_starts_the_follow_up(self):
        elder = self._registered_elder("安全", self.village_a1)
        visit = self._done_visit(elder, risk_level="low", safety_risk=True)
        self.assertTrue(visit.needs_followup)
        self.assertTrue(elder.is_at_risk)
        low = self._done_visit(self._registered_elder("低", self.village_a1), risk_level="medium")
        self.assertEqual(low.followup_state, "none")

    def test_record_a_visit_from_the_elder(self):
        elder = self._registered_elder("一键", self.village_a1)
        action = elder.with_user(self.user_village).action_record_visit()
        visit_form = Form(
            self.env["lbe.visit"].with_user(self.user_village).with_context(**action["context"])
        )
        visit_form.living_conditions = "生活正常"
        visit = visit_form.save()
        self.assertEqual(visit.elder_id, elder)
        self.assertEqual(visit.user_id, self.user_village)
        self.assertEqual(visit.region_id, self.village_a1)
        visit.action_done()
        self.assertEqual(elder.visit_count, 1)
        self.assertEqual(elder.last_visit_date, self.today)

    def test_missing_annex_facts(self):
        elder = self._registered_elder("缺项", self.village_a1)
        self.assertTrue(elder.missing_annex_facts)
        self.assertIn("income sources", elder.missing_annex_facts_list)
        complete = self.env.ref("left_behind_elderly.lbe_elder_demo_01")
        self.assertFalse(complete.missing_annex_facts, complete.missing_annex_facts_list)

    def _notes(self, record):
        return "\n".join(
            self.env["mail.message"]
            .search([("model", "=", record._name), ("res_id", "=", record.id)])
            .mapped("body")
        )

    def test_clerk_without_email_completes_a_high_risk_visit(self):
        # Village clerks rarely have an e-mail address; the addon's own notes and the
        # closing of the overdue reminder must not need one.
        clerk = new_test_user(
            self.env,
            login="lbe_test_village_no_email",
            groups="left_behind_elderly.group_village",
            email=False,
            lbe_region_ids=[Command.set((self.village_a1 | self.village_d1).ids)],
        )
        self.assertFalse(clerk.partner_id.email)
        elder = self._registered_elder("无邮箱", self.village_a1, registered_days_ago=200)
        self.env["lbe.elder"]._cron_visits_overdue()
        overdue_type = self.env.ref("left_behind_elderly.mail_activity_type_visit_overdue")
        self.assertTrue(elder.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type))

        visit = self._done_visit(elder, user=clerk, risk_level="high", safety_risk_note="屋顶漏雨")
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.township_report_date)
        at_risk_type = self.env.ref("left_behind_elderly.mail_activity_type_elder_at_risk")
        reported = visit.activity_ids.filtered(lambda a: a.activity_type_id == at_risk_type)
        self.assertIn(self.user_township, reported.user_id)
        self.assertIn("it was reported to the township", self._notes(elder))
        self.assertFalse(elder.is_visit_overdue)
        self.assertFalse(elder.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type))
        self.assertIn("Visited.", self._notes(elder))

        # No township user to report to: the visit itself records it, by the same clerk.
        stranded = self._registered_elder("无人镇", self.village_d1)
        visit = self._done_visit(stranded, user=clerk, risk_level="high")
        self.assertEqual(visit.state, "done")
        self.assertFalse(visit.township_report_date)
        self.assertIn("report this risk to the township by other means", self._notes(visit))
