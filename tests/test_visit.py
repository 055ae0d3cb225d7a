from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..models import lbe_elder_care
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


@tagged("post_install", "-at_install")
class TestOverdueReminders(LbeCareCommon):
    """The daily overdue run's reminders: every clerk of the village, in batches
    that the scheduled action commits and resumes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref("left_behind_elderly.mail_activity_type_visit_overdue")
        cls.clerk_a1_b1 = cls._tier_user("village", cls.village_a1 | cls.village_b1, "lbe_a1_b1")
        cls.clerk_c1 = cls._tier_user("village", cls.village_c1, "lbe_c1")
        cls.Elder = cls.env["lbe.elder"]
        # The overdue elders of the demo data get theirs first: each test counts its own.
        cls.Elder._cron_visits_overdue()

    def _clerks(self, village):
        return self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("left_behind_elderly.group_village").id),
                ("lbe_region_ids", "in", village.id),
            ]
        )

    def _reminders(self, elders):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "lbe.elder"),
                ("res_id", "in", elders.ids),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def _overdue(self, count, village):
        return self.Elder.concat(
            *(
                self._registered_elder(f"逾期{village.code}-{n}", village, registered_days_ago=200)
                for n in range(count)
            )
        )

    def _in_cron(self):
        """The elders as the scheduled action calls them, and its progress."""
        cron = self.env.ref("left_behind_elderly.lbe_elder_cron_visits_overdue")
        cron, progress = cron._add_progress()
        return self.Elder.with_context(cron_id=cron.id, **cron.env.context), progress

    def test_every_clerk_of_the_village_and_no_other(self):
        a1 = self._registered_elder("甲村", self.village_a1, registered_days_ago=200)
        b1 = self._registered_elder("乙村", self.village_b1, registered_days_ago=200)
        stranded = self._registered_elder("无人", self.village_d1, registered_days_ago=200)
        clerks_a1 = self._clerks(self.village_a1)
        self.assertGreaterEqual(len(clerks_a1), 2)
        self.assertNotIn(self.user_township, clerks_a1, "the township is not the village's clerk")
        self.Elder._cron_visits_overdue()
        self.Elder._cron_visits_overdue()
        for elder, clerks in ((a1, clerks_a1), (b1, self.clerk_a1_b1)):
            reminders = self._reminders(elder)
            self.assertEqual(sorted(reminders.user_id.ids), sorted(clerks.ids))
            self.assertEqual(len(reminders), len(clerks), "one each, also after a second run")
            self.assertLessEqual(clerks.partner_id, elder.message_partner_ids)
        self.assertNotIn(self.clerk_c1, self._reminders(a1 | b1).user_id)
        self.assertNotIn(self.clerk_c1.partner_id, (a1 | b1).message_partner_ids)
        self.assertFalse(self._reminders(stranded), "no clerk serves that village")
        # What Odoo's create would have written.
        reminder = self._reminders(b1)
        self.assertRecordValues(
            reminder,
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id("lbe.elder"),
                    "res_name": b1.name,
                    "automated": True,
                    "active": True,
                    "date_deadline": self.today,
                    "user_tz": self.clerk_a1_b1.tz,
                    "summary": f"Visit overdue since {b1.next_visit_date}: visit the elder.",
                    "create_uid": self.env.uid,
                }
            ],
        )
        self.assertEqual(reminder.state, "today")
        follower = b1.message_follower_ids.filtered(
            lambda f: f.partner_id == self.clerk_a1_b1.partner_id
        )
        self.assertEqual(
            follower.subtype_ids.ids,
            self.env["mail.message.subtype"]._default_subtypes("lbe.elder")[0],
        )
        # A clerk who is given the village later is reminded of the elders still waiting.
        self.clerk_c1.lbe_region_ids |= self.village_d1
        self.Elder._cron_visits_overdue()
        self.assertEqual(self._reminders(stranded).user_id, self.clerk_c1)

    def test_batches_committed_under_the_scheduled_action(self):
        elders = self._overdue(5, self.village_b1)
        Elder, progress = self._in_cron()
        with (
            patch.object(lbe_elder_care, "REMINDER_BATCH", 2),
            patch.object(self.env.cr, "commit") as commit,
        ):
            Elder._cron_visits_overdue()
        self.assertEqual(commit.call_count, 3, "batches of 2, 2 and 1 elders")
        self.assertEqual((progress.done, progress.remaining), (5, 0))
        self.assertEqual(len(self._reminders(elders)), 5)
        # Outside the scheduled action (a test, a button) nothing is committed.
        more = self._overdue(3, self.village_b1)
        with (
            patch.object(lbe_elder_care, "REMINDER_BATCH", 2),
            patch.object(self.env.cr, "commit") as commit,
        ):
            self.Elder._cron_visits_overdue()
        commit.assert_not_called()
        self.assertEqual(len(self._reminders(more)), 3)

    def test_interrupted_run_resumes_with_one_reminder_each(self):
        elders = self._overdue(3, self.village_a1) | self._overdue(2, self.village_b1)
        remind = type(self.Elder)._lbe_remind_overdue
        batches = []

        def killed_after_one_batch(model, elder_ids, activity_type):
            if batches:
                raise RuntimeError("the worker was killed")
            batches.append(elder_ids)
            return remind(model, elder_ids, activity_type)

        Elder, progress = self._in_cron()
        with (
            patch.object(lbe_elder_care, "REMINDER_BATCH", 2),
            patch.object(self.env.cr, "commit") as commit,
            patch.object(type(self.Elder), "_lbe_remind_overdue", killed_after_one_batch),
        ):
            # Not assertRaises: it would roll back what the first batch wrote.
            interrupted = False
            try:
                Elder._cron_visits_overdue()
            except RuntimeError:
                interrupted = True
        self.assertTrue(interrupted, "the run was to stop after its first batch")
        # What was committed: the first batch, and the progress that makes the
        # cron runner run the action again.
        self.assertEqual(commit.call_count, 1)
        self.assertEqual((progress.done, progress.remaining), (2, 3))
        self.assertEqual(set(self._reminders(elders).mapped("res_id")), set(batches[0]))

        Elder, progress = self._in_cron()
        with (
            patch.object(lbe_elder_care, "REMINDER_BATCH", 2),
            patch.object(self.env.cr, "commit"),
        ):
            Elder._cron_visits_overdue()
        self.assertEqual((progress.done, progress.remaining), (3, 0), "only the rest")
        reminders = self._reminders(elders)
        pairs = [(r.res_id, r.user_id.id) for r in reminders]
        self.assertEqual(len(pairs), len(set(pairs)), "one reminder per elder and clerk")
        for elder in elders:
            self.assertEqual(
                sorted(reminders.filtered(lambda r, e=elder: r.res_id == e.id).user_id.ids),
                sorted(self._clerks(elder.region_id).ids),
            )
