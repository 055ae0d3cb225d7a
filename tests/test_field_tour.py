"""The field app in a browser on a phone-sized screen: a clerk loads it with a
signal, loses the signal (Chromium's network emulation), records three visits,
reopens the app, gets the signal back, and sees the visits accepted; the
township then finds them, and the follow-up of the one at risk, in the back
office. And a visit the server refuses stays in the outbox, with the reason,
until the clerk corrects it."""

import json

import websocket

from odoo import Command, http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import LbeCareCommon, load_chinese

# Helpers the steps share: wait for a condition, find an elder's card.
JS_HELPERS = """
const waitFor = async (check, what) => {
    for (let i = 0; i < 600; i++) {
        const value = check();
        if (value) {
            return value;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Timed out waiting for ${what}`);
};
const statuses = () =>
    [...document.querySelectorAll(".lbe-outbox-item")].map((item) => item.dataset.status);
const card = (name) =>
    [...document.querySelectorAll(".lbe-elder")].find(
        (item) => item.querySelector("strong").textContent === name
    );
"""


@tagged("post_install", "-at_install")
class TestFieldTour(LbeCareCommon, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def _run_js(self, browser, code, timeout=30):
        """Run a step (the body of an async function) in the page; return its value."""
        answer = browser._websocket_request(
            "Runtime.evaluate",
            params={
                "expression": f"(async () => {{ {JS_HELPERS} {code} }})()",
                "awaitPromise": True,
                "returnByValue": True,
            },
            timeout=timeout,
        )
        details = answer.get("exceptionDetails")
        if details:
            self.fail(f"Step failed: {(details.get('exception') or {}).get('description')}")
        return answer["result"].get("value")

    def _set_offline(self, browser, offline):
        """Cut or restore the network of the page and of its service worker.

        Chromium emulates the network per target, and the worker fetches for the
        page; an emulation lasts as long as the DevTools session that set it, so
        the worker's session stays open until the network is restored."""
        params = {
            "offline": offline,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": -1,
        }
        browser._websocket_request("Network.emulateNetworkConditions", params=params)
        if not offline:
            for connection in self.worker_sessions:
                connection.close()
            self.worker_sessions = []
            return
        workers = [t for t in browser._json_command("") if t["type"] == "service_worker"]
        self.assertTrue(workers, "The field app has no service worker")
        for worker in workers:
            connection = websocket.create_connection(
                worker["webSocketDebuggerUrl"], suppress_origin=True, timeout=10
            )
            self.worker_sessions.append(connection)
            for request_id, method in enumerate(
                ("Network.enable", "Network.emulateNetworkConditions"), start=1
            ):
                connection.send(json.dumps({"id": request_id, "method": method, "params": params}))
                while json.loads(connection.recv()).get("id") != request_id:
                    continue

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
        url = f"{self.base_url()}/lbe/field"
        # What the server is asked, to show that it is asked nothing offline.
        served = []
        answer = http.Application.__call__

        def record(app, environ, start_response):
            served.append(environ["PATH_INFO"])
            return answer(app, environ, start_response)

        self.patch(http.Application, "__call__", record)
        self.worker_sessions = []
        browser = ChromeBrowser(self)
        try:
            self.authenticate(self.user_village.login, self.user_village.login, browser=browser)
            browser._websocket_request("Network.enable")
            # 1. With a signal: the app loads the elders and installs its worker.
            browser.navigate_to(url, wait_stop=True)
            listed = self._run_js(
                browser,
                f"""
                await waitFor(() => document.body.dataset.ready, "the app");
                await navigator.serviceWorker.ready;
                await waitFor(() => navigator.serviceWorker.controller, "the worker");
                return {json.dumps(names)}.filter((name) => card(name));
                """,
            )
            self.assertEqual(listed, names)
            self.assertTrue(
                self._run_js(browser, 'return document.body.innerText.includes("待发送");'),
                "The app does not speak Chinese",
            )

            # 2. Without a signal: three visits wait in the outbox; the server
            # hears nothing until the signal returns.
            served_online = len(served)
            self._set_offline(browser, True)
            waiting = self._run_js(
                browser,
                f"""
                await waitFor(() => !navigator.onLine, "the signal to go");
                for (const visit of {json.dumps(visits, ensure_ascii=False)}) {{
                    document.querySelector(".lbe-tab[data-view='elders']").click();
                    card(visit.name).querySelector(".lbe-record").click();
                    const form = document.getElementById("lbe_visit_form");
                    form.elements.risk_level.value = visit.risk_level;
                    for (const name of ["living_conditions", "needs", "safety_risk_note"]) {{
                        form.elements[name].value = visit[name] || "";
                    }}
                    form.elements.safety_risk.checked = Boolean(visit.safety_risk_note);
                    if (visit.photo) {{
                        const canvas = document.createElement("canvas");
                        canvas.width = 60;
                        canvas.height = 40;
                        canvas.getContext("2d").fillRect(0, 0, 30, 20);
                        const blob = await new Promise((done) =>
                            canvas.toBlob(done, "image/png")
                        );
                        const files = new DataTransfer();
                        files.items.add(new File([blob], "visit.png", {{ type: "image/png" }}));
                        form.elements.photo.files = files.files;
                    }}
                    const before = statuses().length;
                    form.requestSubmit();
                    await waitFor(() => statuses().length === before + 1, "the visit queued");
                }}
                return statuses();
                """,
            )
            self.assertEqual(waiting, ["waiting"] * 3)

            # 3. Reopened without a signal: the app, its elders and its outbox are there.
            browser.navigate_to(url, wait_stop=True)
            reopened = self._run_js(
                browser,
                f"""
                await waitFor(() => document.body.dataset.ready, "the app, reopened");
                return {{
                    online: navigator.onLine,
                    elders: {json.dumps(names)}.filter((name) => card(name)).length,
                    outbox: statuses(),
                    count: document.getElementById("lbe_outbox_count").textContent,
                }};
                """,
            )
            self.assertEqual(
                reopened,
                {"online": False, "elders": 3, "outbox": ["waiting"] * 3, "count": "3"},
            )

            self.assertEqual(served[served_online:], [], "Requests reached the server offline")

            # 4. The signal is back: the outbox is sent, and shows what was accepted.
            self._set_offline(browser, False)
            accepted = self._run_js(
                browser,
                """
                await waitFor(() => navigator.onLine, "the signal to return");
                await waitFor(
                    () => statuses().length === 3 && statuses().every((s) => s === "accepted"),
                    "the visits to be accepted"
                );
                return statuses();
                """,
            )
            self.assertEqual(accepted, ["accepted"] * 3)
            self.assertIn("/lbe/field/sync", served[served_online:])

            # 5. The visit at risk says what the server did and offers to call the son;
            # the others say nothing more.
            after = self._run_js(
                browser,
                f"""
                const items = [...document.querySelectorAll(".lbe-outbox-item")];
                const next = (name) => {{
                    const item = items.find((i) => i.querySelector("strong").textContent === name);
                    const block = item.querySelector(".lbe-next");
                    const call = item.querySelector("a.lbe-call");
                    return block && {{
                        text: block.innerText,
                        href: call && call.getAttribute("href"),
                        call: call && call.textContent,
                    }};
                }};
                return {json.dumps(names)}.map(next);
                """,
            )
            self.assertIsNone(after[0])
            self.assertIsNone(after[2])
            self.assertIn("发现风险，接下来：", after[1]["text"])
            self.assertIn("已报告乡镇（街道）", after[1]["text"])
            self.assertIn("家属未使用亲情门户", after[1]["text"])
            self.assertEqual(after[1]["href"], "tel:13800001234")
            self.assertEqual(after[1]["call"], "致电离线乙之子（儿子）")
            self.assertFalse(browser.had_failure, "The page logged an error")
        finally:
            for connection in self.worker_sessions:
                connection.close()
            browser.stop()
            self._wait_remaining_requests()

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
