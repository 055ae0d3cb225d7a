"""The year's work through the screens, in Chinese, by one person of each tier, one
after the other on the same data: what one leaves, the next finds. Each step is a tour
of the screens a person of that tier uses; their start page is checked as they land."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import LbeFieldAppBrowser, LbeSummaryTourCommon, load_chinese

ELDER_ACTION = "/odoo/action-left_behind_elderly.lbe_elder_action"


@tagged("post_install", "-at_install")
class TestYearTour(LbeFieldAppBrowser, LbeSummaryTourCommon):
    # At a desk, but for the field app and the family portal (on phones).
    browser_size = "1366x768"
    touch_enabled = False

    def _on_phone(self, width):
        """The next tours on a phone `width` pixels wide, or at a desk without one."""
        if width:
            self.browser_size, self.touch_enabled = f"{width}x780", True
        else:
            self.browser_size, self.touch_enabled = "1366x768", False

    def _staff(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        self.assertEqual(len(user), 1, f"No staff member signs in as {login}")
        return user

    def _first_sign_in(self, user):
        """The staff member signs in with the manager's initial password and
        chooses their own before anything else."""
        self.assertTrue(user.lbe_password_change)
        self.start_tour("/odoo", "lbe_year_first_sign_in_tour", login=user.login)
        self.assertFalse(user.lbe_password_change)

    def test_the_year_in_chinese(self):
        load_chinese(self.env)
        county = self.env["lbe.region"].search([("code", "=", "440203")])
        village = self.env["lbe.region"].search([("code", "=", "440203100201")])

        # 武江区's manager sets up a village clerk, a township and a county officer on screen.
        manager = new_test_user(
            self.env,
            login="lbe_year_manager",
            name="武江区民政局 李科长",
            groups="left_behind_elderly.group_manager",
            lang="zh_CN",
            lbe_region_ids=[Command.set(county.ids)],
        )
        self.start_tour(
            "/odoo/action-left_behind_elderly.res_users_lbe_staff_action",
            "lbe_year_staff_tour",
            login=manager.login,
        )
        self.start_tour("/odoo", "lbe_year_manager_home_tour", login=manager.login)
        clerk = self._staff("13800138011")
        township = self._staff("13800138012")
        officer = self._staff("he@wujiang.example.com")
        self.assertEqual((clerk.lang, clerk.lbe_region_ids), ("zh_CN", village))
        self.assertEqual((officer.lang, officer.lbe_region_ids), ("zh_CN", county))

        # The clerk signs in, registers an elder whose son works away, and visits her.
        self._first_sign_in(clerk)
        self.start_tour(ELDER_ACTION, "lbe_year_register_tour", login=clerk.login)
        elder = self.env["lbe.elder"].search([("id_number", "=", "440111194806211259")])
        self.assertRecordValues(
            elder,
            [{"name": "黄秀珍", "state": "active", "region_id": village.id, "filler_id": clerk.id}],
        )
        self.start_tour(f"{ELDER_ACTION}/{elder.id}", "lbe_year_visit_tour", login=clerk.login)
        self.assertRecordValues(elder.visit_ids, [{"state": "done", "user_id": clerk.id}])
        self.assertFalse(elder.is_visit_overdue)

        # Her son works away: the clerk records his phone and the elder's consent to the
        # family portal, and invites him (the buttons of the elder's form).
        supporter = elder.guardian_ids
        supporter.write({"relationship": "son", "mobile": "13902390239"})
        elder.with_user(clerk).action_give_family_portal_consent()
        supporter.with_user(clerk).action_grant_portal()
        son = supporter.partner_id.user_ids
        self.assertTrue(son.share)
        son.lang = "zh_CN"
        # The village committee's phone, which the province's manager keeps.
        village.phone = "0751-8561234"
        self._first_sign_in(township)

        # Out of signal in the village, the clerk finds her at risk; the visit goes when
        # the signal returns, and the app says what happens next and whom to call.
        self._on_phone(390)
        result = self._visits_offline(
            clerk,
            [{"name": "黄秀珍", "risk_level": "high", "safety_risk_note": "屋顶漏雨，无人照料。"}],
        )
        # Without a signal the visit waits on the phone, reopened too; tests/test_field_tour.py
        # also checks the server hears nothing meanwhile (a check that the page's and the
        # worker's network emulation hold, which a loaded machine can upset).
        self.assertEqual(result["waiting"], ["waiting"])
        self.assertEqual(
            (result["reopened"]["online"], result["reopened"]["outbox"]), (False, ["waiting"])
        )
        self.assertEqual(result["accepted"], ["accepted"])
        self.assertIn("已报告乡镇（街道）", result["next"][0]["text"])
        self.assertEqual(result["next"][0]["href"], "tel:13902390239")
        self.assertFalse(result["had_failure"], "The field app logged an error")
        self.env.invalidate_all()
        at_risk = elder.visit_ids.filtered("safety_risk")
        self.assertEqual(at_risk.followup_state, "pending")
        self._on_phone(None)
        self.start_tour("/odoo", "lbe_year_township_tour", login=township.login)

        # On his phone, the son answers the notification and writes to the village; the
        # clerk finds both on her start page and replies; he reads the reply.
        self._on_phone(360)
        self.start_tour("/my/elders", "lbe_year_family_tour", login=son.login)
        self._on_phone(None)
        self.start_tour("/odoo", "lbe_year_clerk_reply_tour", login=clerk.login)
        message = self.env["lbe.family.message"].search(
            [("elder_id", "=", elder.id), ("body", "=", "妈妈最近腿疼，请村医去看看。")]
        )
        self.assertRecordValues(message, [{"state": "replied", "reply_user_id": clerk.id}])
        self._on_phone(360)
        self.start_tour("/my/elders", "lbe_year_family_reads_tour", login=son.login)
        self._on_phone(None)

        # The county officer signs in for the first time, and the year's summaries go up:
        # the county traces its failed cross-check to the elder, corrects and submits; the
        # city returns it, the county resubmits; the city, then the province, accept.
        self._first_sign_in(officer)
        self._summary_year(officer)
        self._summaries_through_the_screens()
