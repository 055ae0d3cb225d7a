"""Locust users for tools/loadtest.sh: village clerks and county officers.

Run by tools/loadtest.sh with the Locust of tools/requirements-bench.txt; reads the
logins that tools/loadtest_setup.py wrote (LBE_LOADTEST_USERS). Every user logs in
once, when it starts, through /web/session/authenticate, and keeps that session's
cookie for all its actions, as a browser does (a Locust FastHttpUser holds one
client, its cookie jar with it, for its whole life; it is Locust's lighter client,
which leaves more of the two cores that Locust shares with Odoo to Odoo). It then
calls what the web client calls: JSON-RPC on /web/dataset/call_kw and
/web/dataset/call_button, reports on /report/<type>/… Failures: an answer holding a
JSON-RPC error (a refused login, a call whose session was lost:
SessionExpiredException), and a report that comes back as anything but its file
(without a session, Odoo sends the login page).

- village clerk (3 of 4 users): reads the elders' list (first page and count), opens
  an elder, records a completed visit (web_save, then Complete);
- county officer: groups the county's elders by township, reads the supervision
  view, prints the county's Annex 2 (XLSX) and, less often, an elder's Annex 1 (PDF).
"""

import json
import os
import random
from datetime import date

from locust import FastHttpUser, between, task

USERS = json.loads(open(os.environ["LBE_LOADTEST_USERS"], encoding="utf-8").read())  # noqa: SIM115
LIST_SPEC = {
    "name": {},
    "gender": {},
    "age": {},
    "region_id": {"fields": {"display_name": {}}},
    "township_id": {"fields": {"display_name": {}}},
    "health_status": {},
    "child_count": {},
    "is_key_focus": {},
    "state": {},
}
FORM_SPEC = {
    **LIST_SPEC,
    "id_number": {},
    "birth_date": {},
    "address": {},
    "spouse_status": {},
    "last_visit_date": {},
    "next_visit_date": {},
    "is_visit_overdue": {},
    "child_ids": {"fields": {"name": {}, "birth_date": {}, "away_since": {}}},
    "guardian_ids": {"fields": {"name": {}, "mobile": {}, "is_primary": {}}},
}


class OdooUser(FastHttpUser):
    abstract = True
    wait_time = between(1, 3)

    def login(self, login):
        self.rpc(
            "/web/session/authenticate",
            {"db": USERS["db"], "login": login, "password": login},
            name="login",
        )

    def rpc(self, url, params, name):
        body = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": random.randint(1, 10**9),
            "params": params,
        }
        with self.client.post(url, json=body, name=name, catch_response=True) as response:
            data = response.json() if response.ok else {}
            if "error" in data:
                response.failure(data["error"].get("data", {}).get("name", "error"))
                return None
            if not response.ok:
                response.failure(f"HTTP {response.status_code}")
                return None
            return data.get("result")

    def report(self, url, content_type, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if not response.headers.get("Content-Type", "").startswith(content_type):
                response.failure(f"not a {content_type} file")

    def call(self, model, method, *args, name=None, button=False, **kwargs):
        url = "/web/dataset/call_button" if button else "/web/dataset/call_kw"
        return self.rpc(
            f"{url}/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            name=name or f"{model}.{method}",
        )


class VillageClerk(OdooUser):
    weight = 3

    def on_start(self):
        self.login(random.choice(USERS["clerks"]))
        self.elder_ids = []

    @task(5)
    def read_list(self):
        page = self.call(
            "lbe.elder",
            "web_search_read",
            specification=LIST_SPEC,
            domain=[],
            limit=80,
            count_limit=10001,  # as the web client asks
            name="clerk: elders list",
        )
        self.call("lbe.elder", "search_count", [], name="clerk: elders count")
        if page:
            self.elder_ids = [r["id"] for r in page["records"] if r["state"] == "active"]

    @task(2)
    def open_elder(self):
        if self.elder_ids:
            self.call(
                "lbe.elder",
                "web_read",
                [random.choice(self.elder_ids)],
                specification=FORM_SPEC,
                name="clerk: open elder",
            )

    @task(2)
    def record_visit(self):
        if not self.elder_ids:
            return
        saved = self.call(
            "lbe.visit",
            "web_save",
            [],
            {
                "elder_id": random.choice(self.elder_ids),
                "method": "home",
                "visit_date": date.today().isoformat(),
                "living_conditions": "居住安全",
                "risk_level": "none",
            },
            specification={"state": {}},
            name="clerk: save visit",
        )
        if saved:
            self.call(
                "lbe.visit",
                "action_done",
                [saved[0]["id"]],
                button=True,
                name="clerk: complete visit",
            )


class CountyOfficer(OdooUser):
    weight = 1

    def on_start(self):
        officer = random.choice(USERS["officers"])
        self.summary_id = officer["summary_id"]
        self.login(officer["login"])

    @task(4)
    def group_by_township(self):
        self.call(
            "lbe.elder",
            "web_read_group",
            [],
            ["__count"],
            ["township_id"],
            name="county: elders by township",
        )

    @task(2)
    def supervision(self):
        self.call(
            "lbe.supervision",
            "web_search_read",
            specification={
                "region_id": {"fields": {"display_name": {}}},
                "elder_count": {},
                "overdue_count": {},
                "risk_pending_count": {},
            },
            domain=[],
            limit=80,
            name="county: supervision",
        )

    @task(2)
    def print_annex2_xlsx(self):
        self.report(
            f"/report/xlsx/left_behind_elderly.report_lbe_summary_annex2_xlsx/{self.summary_id}",
            "application/vnd.openxmlformats",
            name="county: Annex 2 XLSX",
        )

    @task(1)
    def print_annex1_pdf(self):
        page = self.call(
            "lbe.elder",
            "web_search_read",
            specification={"id": {}},
            domain=[("state", "=", "active")],
            limit=20,
            name="county: elders list",
        )
        if page and page["records"]:
            elder = random.choice(page["records"])["id"]
            self.report(
                f"/report/pdf/left_behind_elderly.report_lbe_elder_annex1/{elder}",
                "application/pdf",
                name="county: Annex 1 PDF",
            )
