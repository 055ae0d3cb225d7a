"""The field app in a browser on a phone-sized screen: a clerk loads it with a
signal, loses the signal (Chromium's network emulation), records three visits,
reopens the app, gets the signal back, and sees the visits accepted; the
township then finds them, and the follow-up of the one at risk, in the back
office. And a visit the server refuses stays in the outbox, with the reason,
until the clerk corrects it."""

import json

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import LbeCareCommon, LbeFieldAppBrowser, load_chinese


@tagged("post_install", "-at_install")
class TestFieldTour(LbeFieldAppBrowser, LbeCareCommon, HttpCase):
    def test_clerk_records_visits_offline_and_syncs(self):
        # In Chinese, as the clerks use it; the refused-visit test runs in English.
        load_chinese(self.env)
        self.user_village.lang = "zh_CN"
        names = ["离线甲", "离线乙", "离线丙"]
        # The elder found at risk has a son to call.
        son = {"name": "离线乙之子", "relationship": "son", "mobile": "13800001234"}
        elders = [
            self._registered_elder(
                name,
                self.village_a1,
                **({"guardian_ids": [Command.create(son)]} if name == names[1] else {}),
            )
            for name in names
        ]
        visits = [
            {"name": names[0], "risk_level": "none", "living_conditions": "住房安全，生活正常。"},
            {"name": names[1], "risk_level": "high", "safety_risk_note": "屋顶漏雨，无人照料。"},
            {"name": names[2], "risk_level": "medium", "needs": "需要助餐。", "photo": True},
        ]
        result = self._visits_offline(self.user_village, visits)
        self.assertEqual(result["listed"], names)
        self.assertTrue(result["chinese"], "The app does not speak Chinese")
        self.assertEqual(result["waiting"], ["waiting"] * 3)
        self.assertEqual(
            result["reopened"],
            {"online": False, "elders": 3, "outbox": ["waiting"] * 3, "count": "3"},
        )
        self.assertEqual(result["served_offline"], [], "Requests reached the server offline")
        self.assertEqual(result["accepted"], ["accepted"] * 3)
        self.assertIn("/lbe/field/sync", result["served"])
        # The visit at risk says what the server did and offers to call the son;
        # the others say nothing more.
        after = result["next"]
        self.assertIsNone(after[0])
        self.assertIsNone(after[2])
        self.assertIn("发现风险，接下来：", after[1]["text"])
        self.assertIn("已报告乡镇（街道）", after[1]["text"])
        self.assertIn("家属未使用亲情门户", after[1]["text"])
        self.assertEqual(after[1]["href"], "tel:13800001234")
        self.assertEqual(after[1]["call"], "致电离线乙之子（儿子）")
        self.assertFalse(result["had_failure"], "The page logged an error")

        # The township sees the three visits in the back office, and the
        # follow-up of the elder at risk waiting for it.
        self.env.invalidate_all()
        Visit = self.env["lbe.visit"].with_user(self.user_township)
        found = Visit.search([("elder_id", "in", [elder.id for elder in elders])])
        self.assertEqual(len(found), 3)
        self.assertTrue(all(found.mapped("client_uuid")))
        by_elder = {visit.elder_id.name: visit for visit in found}
        self.assertRecordValues(
            found.sorted(lambda v: names.index(v.elder_id.name)),
            [
                {"state": "done", "risk_level": "none", "followup_state": "none"},
                {"state": "done", "risk_level": "high", "followup_state": "pending"},
                {"state": "done", "risk_level": "medium", "followup_state": "none"},
            ],
        )
        self.assertEqual(by_elder[names[0]].living_conditions, "住房安全，生活正常。")
        self.assertTrue(by_elder[names[2]].photo)
        at_risk = by_elder[names[1]]
        self.assertTrue(at_risk.safety_risk)
        self.assertIn(self.user_township, at_risk.activity_ids.user_id)
        self.assertTrue(elders[1].with_user(self.user_township).risk_not_followed_up)

    def test_refused_visit_stays_until_corrected(self):
        name = "退回甲"
        elder = self._registered_elder(name, self.village_a1)
        browser = ChromeBrowser(self)
        try:
            self.authenticate(self.user_village.login, self.user_village.login, browser=browser)
            browser.navigate_to(f"{self.base_url()}/lbe/field", wait_stop=True)
            # A date in the future: the server refuses it, the outbox keeps it
            # with the reason.
            refused = self._run_js(
                browser,
                f"""
                await waitFor(() => document.body.dataset.ready, "the app");
                card({json.dumps(name)}).querySelector(".lbe-record").click();
                const form = document.getElementById("lbe_visit_form");
                form.elements.visit_date.value = "2999-01-01";
                form.elements.needs.value = "需要助餐。";
                form.requestSubmit();
                const item = await waitFor(
                    () => document.querySelector(".lbe-outbox-item[data-status='refused']"),
                    "the refusal"
                );
                // The sync ends with a refresh of the elders: this thread must not
                // read the database while the server still answers the page.
                await waitFor(() => !document.body.dataset.syncing, "the sync to end");
                return item.querySelector(".lbe-message").textContent;
                """,
            )
            self.assertIn("cannot be dated in the future", refused)
            self.env.invalidate_all()
            self.assertFalse(elder.visit_ids)
            # Corrected, it is sent again and stored; nothing else is left waiting.
            stored = self._run_js(
                browser,
                f"""
                const item = document.querySelector(".lbe-outbox-item[data-status='refused']");
                item.querySelector("button").click();
                const form = document.getElementById("lbe_visit_form");
                if (form.elements.needs.value !== "需要助餐。") {{
                    throw new Error("The refused visit's content was lost");
                }}
                form.elements.visit_date.value = {json.dumps(str(self.today))};
                form.requestSubmit();
                await waitFor(
                    () => statuses().length === 1 && statuses()[0] === "accepted",
                    "the corrected visit to be stored"
                );
                return statuses();
                """,
            )
            self.assertEqual(stored, ["accepted"])
            self.assertFalse(browser.had_failure, "The page logged an error")
        finally:
            browser.stop()
            self._wait_remaining_requests()
        self.env.invalidate_all()
        self.assertRecordValues(elder.visit_ids, [{"needs": "需要助餐。", "state": "done"}])
