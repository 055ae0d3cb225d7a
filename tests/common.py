import base64
import json
import shutil
import subprocess
import tempfile
import time
import unicodedata
from datetime import date, timedelta

import websocket
from dateutil.relativedelta import relativedelta
from stdnum.cn import ric

from odoo import Command, fields, http
from odoo.tests.common import (
    ChromeBrowser,
    HttpCase,
    Opener,
    TransactionCase,
    get_db_name,
    new_test_user,
)
from odoo.tools import SQL

from ..annex import definition

# The routes of the family portal (controllers/portal.py): the URL reaching each
# for an elder (and a notification addressed to a supporter), and the form it
# posts. tests/test_family_portal.py tries every one as a supporter of another
# elder; the HTTP boundary suite checks that no other route exists untried.
FAMILY_PORTAL_ROUTES = {
    "/my/elders": ("GET", "/my/elders", None),
    "/my/elders/<int:elder_id>": ("GET", "/my/elders/{elder}", None),
    "/my/elders/<int:elder_id>/contact": (
        "POST",
        "/my/elders/{elder}/contact",
        {"kind": "call", "note": "打过电话"},
    ),
    "/my/elders/<int:elder_id>/notifications/<int:followup_id>": (
        "POST",
        "/my/elders/{elder}/notifications/{followup}",
        {"answer": "知道了"},
    ),
    "/my/elders/<int:elder_id>/message": (
        "POST",
        "/my/elders/{elder}/message",
        {"message": "请多关照"},
    ),
}

# A one-pixel PNG: a facility's photo, a visit's.
PNG_PIXEL = (
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
    b"awAAAABJRU5ErkJggg=="
)


class LbeCommon(TransactionCase):
    """Real Guangdong divisions (shipped with the addon) and one user per tier.

    白云区 (county) holds 人和镇 (villages A1, A2) and 太和镇 (village B1);
    花都区 is another county of 广州市 (village C1); 韶关市 is another city (D1).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        region = cls.env["lbe.region"]
        by_code = {
            r.code: r
            for r in region.search(
                [
                    (
                        "code",
                        "in",
                        [
                            "44",
                            "4401",
                            "440111",
                            "440111103",
                            "440111103200",
                            "440111103201",
                            "440111107200",
                            "440114104201",
                            "440203100201",
                        ],
                    )
                ]
            )
        }
        cls.province = by_code["44"]
        cls.city = by_code["4401"]
        cls.county = by_code["440111"]
        cls.township = by_code["440111103"]
        cls.village_a1 = by_code["440111103200"]
        cls.village_a2 = by_code["440111103201"]
        cls.village_b1 = by_code["440111107200"]
        cls.village_c1 = by_code["440114104201"]
        cls.village_d1 = by_code["440203100201"]

        cls.user_village = cls._tier_user("village", cls.village_a1)
        cls.user_township = cls._tier_user("township", cls.township)
        cls.user_county = cls._tier_user("county", cls.county)
        cls.user_city = cls._tier_user("city", cls.city)
        cls.user_province = cls._tier_user("province", cls.province)
        cls.user_manager = cls._tier_user("manager", cls.province)
        cls.user_no_area = cls._tier_user("county", cls.env["lbe.region"], login="no_area")

    @classmethod
    def _tier_user(cls, tier, regions, login=None):
        return new_test_user(
            cls.env,
            login=login or f"lbe_test_{tier}",
            groups=f"base.group_allow_export,left_behind_elderly.group_{tier}",
            lbe_region_ids=[Command.set(regions.ids)],
        )

    @classmethod
    def _create_elder(cls, name, village, **vals):
        return cls.env["lbe.elder"].create({"name": name, "region_id": village.id, **vals})


def load_chinese(env):
    """Activates zh_CN with the terms a Chinese user of the addon sees: those of the
    database (views, fields, menus) of the addon and of the modules its screens show;
    the web client reads its own terms from the modules' files."""
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"]._load_module_terms(
        ["base", "web", "mail", "left_behind_elderly"], ["zh_CN"]
    )


def pdf_text(pdf):
    """The text of a PDF, pages separated by form feeds.

    The CJK fonts map some glyphs back to Kangxi radicals (⽼ for 老): those
    characters, and those only, are brought back to the unified ideographs.
    """
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True, text=True
        ).stdout
    return "".join(
        unicodedata.normalize("NFKC", char) if "\u2e80" <= char <= "\u2fdf" else char
        for char in text
    )


def make_id_number(area_code, birth_date, sequence):
    """A valid resident ID number of the given county code; an odd sequence is a man's."""
    body = f"{area_code}{birth_date:%Y%m%d}{sequence}"
    return body + ric.calc_check_digit(body + "0")


def user_password(login):
    """The password new_test_user gives: the login, padded to eight characters."""
    return login + "x" * (8 - len(login))


def login_session(case, user):
    """A fresh `requests` session of the user, logged in through
    /web/session/authenticate with the password new_test_user gave."""
    opener = Opener(case.cr)
    response = opener.post(
        f"{case.base_url()}/web/session/authenticate",
        data=json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "db": get_db_name(),
                    "login": user.login,
                    "password": user_password(user.login),
                },
            }
        ),
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    case.assertEqual(response.status_code, 200, response.text[:300])
    body = response.json()
    case.assertEqual(
        (body.get("result") or {}).get("uid"), user.id, f"{user.login} could not log in: {body}"
    )
    case.assertIn("session_id", opener.cookies, "no session cookie after logging in")
    return opener


def call_kw(opener, base_url, model, method, args=(), kwargs=None):
    """Call a model method over JSON-RPC with a logged-in `requests` session, as a
    hostile client would; return the decoded answer."""
    response = opener.post(
        f"{base_url}/web/dataset/call_kw/{model}/{method}",
        data=json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs or {},
                },
            }
        ),
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def json_call(opener, base_url, url, params):
    """POST a JSON-RPC call to a JSON route (not a model method) with a logged-in
    `requests` session; return the HTTP response."""
    return opener.post(
        f"{base_url}{url}",
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
        headers={"Content-Type": "application/json"},
        timeout=60,
    )


def wait_until_blocked(db, cr, thread, timeout):
    """Whether the connection of `cr` waits for a lock before `thread` ends (or
    `timeout` seconds pass), watched through another cursor of `db`."""
    pid = cr._cnx.get_backend_pid()
    deadline = time.monotonic() + timeout
    with db.cursor() as monitor:
        while thread.is_alive() and time.monotonic() < deadline:
            monitor.execute(SQL("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", pid))
            waiting = monitor.fetchone()[0] == "Lock"
            monitor.rollback()  # a fresh view of pg_stat_activity each time
            if waiting:
                return True
            time.sleep(0.02)
    return False


class LbeCareCommon(LbeCommon):
    """Registered elders of the test villages, ready for visits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["lbe.elder"])

    @classmethod
    def _registered_elder(cls, name, village, key_focus=False, registered_days_ago=365, **vals):
        if key_focus:
            # Economic hardship and aged 80 or more: key focus.
            vals.update(economic_hardship=True, birth_date=cls.today - timedelta(days=85 * 366))
        # Meets the definition: over 60, the only child away for two years.
        vals.setdefault("birth_date", cls.today - timedelta(days=70 * 366))
        away = {"name": f"{name}之子", "away_since": cls.today - timedelta(days=730)}
        elder = cls._create_elder(
            name,
            village,
            registration_date=cls.today - timedelta(days=registered_days_ago),
            child_ids=[Command.create(away)],
            **vals,
        )
        elder.action_activate()
        return elder

    @classmethod
    def _done_visit(cls, elder, days_ago=0, user=None, **vals):
        Visit = cls.env["lbe.visit"].with_user(user) if user else cls.env["lbe.visit"]
        visit = Visit.create(
            {"elder_id": elder.id, "visit_date": cls.today - timedelta(days=days_ago), **vals}
        )
        visit.action_done()
        return visit

    @classmethod
    def _elder_with_records(cls, tag, village, sequence="771", phone="0001"):
        """A registered elder of the village with one record of every kind of care
        work, every personal field filled; by model name. The phone numbers end in
        `phone` (4 digits), the supporter's e-mail holds it."""
        env, today = cls.env, cls.today
        county = village.parent_id.parent_id
        elder = cls._create_elder(
            f"{tag}老人甲",
            village,
            id_number=make_id_number(county.code, date(1950, 3, 15), sequence),
            registration_date=today - timedelta(days=365),
            household_registration=f"{tag}户籍地",
            address=f"{tag}住址1号",
            health_status="disabled",
            disability_category="physical",
            disability_grade="2",
            disease_type=f"{tag}高血压1",
            education="primary",
            spouse_status="one_alive",
            years_away=3,
            last_home_visit_year=today.year - 1,
            income_farming=True,
            child_ids=[
                Command.create(
                    {
                        "name": f"{tag}之子乙",
                        "gender": "male",
                        "birth_date": date(1978, 6, 1),
                        "away_since": today - timedelta(days=730),
                        "mobile": f"1390000{phone}",
                        "work_place": f"{tag}深圳",
                    }
                )
            ],
            guardian_ids=[
                Command.create(
                    {
                        "name": f"{tag}赡养人丙",
                        "relationship": "son",
                        "mobile": f"1380000{phone}",
                        "email": f"supporter{int(phone)}@example.com",
                        "address": f"{tag}赡养人住址1号",
                        "is_primary": True,
                    }
                )
            ],
        )
        elder.action_activate()
        guardian = elder.guardian_ids
        visit = cls._done_visit(
            elder,
            risk_level="high",
            safety_risk=True,
            safety_risk_note=f"{tag}屋顶漏雨",
            health_change=f"{tag}血压1升高",
            living_conditions=f"{tag}独居",
            photo=PNG_PIXEL,
        )
        followup = env["lbe.visit.followup"].create(
            {
                "visit_id": visit.id,
                "guardian_id": guardian.id,
                "contact_name": f"{tag}联系人丁",
                "contact_mobile": f"1370000{phone}",
                "answer": f"{tag}答应回家",
            }
        )
        agreement = env["lbe.care.agreement"].create(
            {
                "elder_id": elder.id,
                "guardian_id": guardian.id,
                "caregiver_name": f"{tag}照顾人戊",
                "caregiver_relationship": "neighbour",
                "caregiver_id_number": make_id_number(county.code, date(1970, 1, 1), "133"),
                "caregiver_mobile": f"1360000{phone}",
                "caregiver_address": f"{tag}照顾人住址1号",
                "date_start": today,
                "date_end": today + timedelta(days=180),
                "signed_date": today,
                "elder_consent": True,
                "duties": f"{tag}每日看望",
                "agreement_copy": base64.b64encode(f"{tag} signed agreement".encode()),
                "agreement_copy_name": f"{tag}协议.pdf",
            }
        )
        agreement.action_activate()
        volunteer = env["lbe.volunteer"].create(
            {
                "name": f"{tag}志愿者己",
                "region_id": village.id,
                "mobile": f"1350000{phone}",
                "birth_date": date(1985, 5, 1),
                "skills": f"{tag}护理",
            }
        )
        service_type = env.ref("left_behind_elderly.lbe_service_type_daily_care")
        pairing = env["lbe.volunteer.pairing"].create(
            {
                "elder_id": elder.id,
                "volunteer_id": volunteer.id,
                "date_start": today,
                "service_type_ids": [Command.set(service_type.ids)],
            }
        )
        pairing.action_start()
        service = env["lbe.service.record"].create(
            {
                "pairing_id": pairing.id,
                "service_type_id": service_type.id,
                "description": f"{tag}陪同就医",
                "duration": 1.5,
            }
        )
        return {
            "lbe.elder": elder,
            "lbe.elder.child": elder.child_ids,
            "lbe.guardian": guardian,
            "lbe.visit": visit,
            "lbe.visit.followup": followup,
            "lbe.care.agreement": agreement,
            "lbe.volunteer": volunteer,
            "lbe.volunteer.pairing": pairing,
            "lbe.service.record": service,
        }


class LbeFamilyPortalCommon(LbeCareCommon):
    """Two supporters on the family portal: a daughter of 门户父亲 (village A1,
    e-mail login) and a son of 门户母亲 (village B1, mobile login), invited by
    the clerks of their villages with the elders' consent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk_b1 = cls._tier_user("village", cls.village_b1, login="lbe_test_village_b1")
        cls.father = cls._registered_elder(
            "门户父亲",
            cls.village_a1,
            id_number=make_id_number("440111", date(1950, 3, 15), "771"),
            birth_date=date(1950, 3, 15),
            address="人和镇门户村1号",
            disease_type="高血压",
            guardian_ids=[
                Command.create(
                    {
                        "name": "门户女儿",
                        "relationship": "daughter",
                        "email": "daughter@example.com",
                        "mobile": "13800000011",
                        "address": "深圳市南山区1号",
                    }
                )
            ],
        )
        cls.mother = cls._registered_elder(
            "门户母亲",
            cls.village_b1,
            guardian_ids=[
                Command.create({"name": "门户儿子", "relationship": "son", "mobile": "13900000022"})
            ],
        )
        cls.daughter = cls._invite(cls.father, cls.user_village)
        cls.son = cls._invite(cls.mother, cls.clerk_b1)

    @classmethod
    def _invite(cls, elder, clerk):
        """Record the elder's consent and invite the primary supporter as the
        clerk; give the portal user a password (the login, padded): the
        supporter would choose one through the invitation."""
        elder.with_user(clerk).action_give_family_portal_consent()
        guardian = elder.primary_guardian_id
        guardian.with_user(clerk).action_grant_portal()
        user = guardian.partner_id.user_ids
        user.password = user.login + "x" * (8 - len(user.login))
        return user


class LbeSummaryTourCommon(HttpCase):
    """The year's summaries of 韶关市 through the screens, in Chinese, tier by tier
    (static/tests/tours/lbe_summary_tour.js): 武江区 has elders, one of them counted
    wrongly; 浈江区 has none. tests/test_summary_tour.py runs them alone,
    tests/test_year_tour.py after the rest of the year."""

    def _summary_user(self, login, name, tier, regions):
        return new_test_user(
            self.env,
            login=login,
            name=name,
            groups=f"left_behind_elderly.group_{tier}",
            password=login,
            lang="zh_CN",
            lbe_region_ids=[Command.set(regions.ids)],
        )

    def _summary_elder(self, name, village, birth, registered, away_since):
        return self.env["lbe.elder"].create(
            {
                "name": name,
                "region_id": village.id,
                "birth_date": birth,
                "registration_date": registered,
                "state": "active",
                "spouse_status": "both_alive",
                "health_status": "healthy",
                "income_children_wages": True,
                "child_ids": [
                    Command.create(
                        {
                            "name": f"{name}之子",
                            "birth_date": date(1985, 1, 1),
                            "away_since": away_since,
                        }
                    )
                ],
            }
        )

    def _summary_year(self, county_user):
        """The ledger of 武江区 as its villages kept it this year, and the summaries the
        county and the city opened; the other tiers' users."""
        Region = self.env["lbe.region"]
        self.year = fields.Date.today().year
        self.city = Region.search([("code", "=", "4402")])
        self.county = Region.search([("code", "=", "440203")])
        self.empty_county = Region.search([("code", "=", "440204")])
        village = Region.search([("code", "=", "440203100201")])
        self.county_user = county_user
        self.nil_user = self._summary_user(
            "lbe_tour_zj", "浈江区民政干部", "county", self.empty_county
        )
        self.city_user = self._summary_user("lbe_tour_sg", "韶关市民政干部", "city", self.city)
        self.province_user = self._summary_user(
            "lbe_tour_gd", "广东省民政干部", "province", Region.search([("code", "=", "44")])
        )
        cutoff = definition.cutoff(self.year)
        registered = date(self.year, 1, 10)
        for name, birth in (
            ("刘大伯", date(self.year - 72, 3, 1)),
            ("陈阿婆", date(self.year - 83, 6, 1)),
        ):
            self._summary_elder(name, village, birth, registered, cutoff - relativedelta(years=4))
        # Her child has been away for years; the clerk typed last winter.
        self.wrong_elder = self._summary_elder(
            "温桂英",
            village,
            date(self.year - 68, 2, 1),
            registered,
            cutoff - relativedelta(years=3),
        )
        self.wrong_elder.child_ids.away_since = cutoff - relativedelta(months=5)
        Summary = self.env["lbe.summary"]
        self.summary = Summary.with_user(county_user).create(
            {"region_id": self.county.id, "year": self.year}
        )
        self.summary.action_compute()
        self.summary.line_ids.write({"rural_elderly_60_plus_count": 900})
        self.assertTrue(self.summary.check_ids)
        self.city_summary = Summary.with_user(self.city_user).create(
            {"region_id": self.city.id, "year": self.year}
        )
        self.summary = self.summary.with_user(self.env.user)
        self.city_summary = self.city_summary.with_user(self.env.user)

    def _summary_tour(self, name, user):
        self.start_tour("/odoo", name, login=user.login)
        self.env.invalidate_all()

    def _summaries_through_the_screens(self):
        """The county traces its failed cross-check, corrects the ledger, writes how its
        visits work and submits; the city returns it, the county resubmits, the city
        accepts and submits; the province accepts and prints the city's Annex 2."""
        self._summary_tour("lbe_summary_county_tour", self.county_user)
        self.assertGreater(
            self.year - self.wrong_elder.child_ids.away_since.year, 1, "the ledger is corrected"
        )
        self.assertEqual(self.summary.state, "submitted")
        self.assertFalse(self.summary.check_ids)
        report = self.env["lbe.visit.report"].search([("summary_id", "=", self.summary.id)])
        self.assertIn("村干部每月入户巡访", report.narrative)

        self._summary_tour("lbe_summary_city_return_tour", self.city_user)
        self.assertEqual(self.summary.state, "returned")
        self.assertEqual(self.summary.return_reason, "第17列与户籍统计不符，请核对")
        nil = self.city_summary.sub_summary_ids.filtered(
            lambda sub: sub.region_id == self.empty_county
        )
        self.assertTrue(nil.is_nil_return)

        self._summary_tour("lbe_summary_nil_tour", self.nil_user)
        self._summary_tour("lbe_summary_county_resubmit_tour", self.county_user)
        self.assertEqual(self.summary.state, "submitted")

        self._summary_tour("lbe_summary_city_tour", self.city_user)
        self.assertEqual((self.summary.state, self.city_summary.state), ("accepted", "submitted"))
        self._summary_tour("lbe_summary_province_tour", self.province_user)
        self.assertEqual(self.city_summary.state, "accepted")

        # The province prints Annex 2 of the city: its year, its unit, final.
        self.assertTrue(shutil.which("pdftotext"), "pdftotext (poppler-utils) reads the PDF")
        # wkhtmltopdf would ask this server for the assets: the form has its own CSS.
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:1")
        pdf = (
            self.env["ir.actions.report"]
            .with_user(self.province_user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "left_behind_elderly.lbe_summary_annex2_report", self.city_summary.ids
            )[0]
        )
        text = pdf_text(pdf)
        self.assertIn(f"统计年度：{self.year}年", text)
        self.assertIn("地市（盖章）：韶关市", text)
        self.assertNotIn("草稿", text)
        self.assertIn("浈江区", text)


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


class LbeFieldAppBrowser:
    """The field app (/lbe/field) in Chromium, driven through DevTools: steps run
    in the page, the network is cut and restored (tests/test_field_tour.py,
    tests/test_year_tour.py). Mixed into an HttpCase."""

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

    def _visits_offline(self, user, visits):
        """The user loads the app with a signal, loses it, records `visits` (dicts of
        the form's fields and the elder's name; `photo` adds one), reopens the app,
        gets the signal back and waits until all are accepted. Returns what each
        stage showed, and the paths the server was asked for."""
        names = [visit["name"] for visit in visits]
        url = f"{self.base_url()}/lbe/field"
        # What the server is asked, to show that it is asked nothing offline.
        served = []
        answer = http.Application.__call__

        def record(app, environ, start_response):
            served.append(environ["PATH_INFO"])
            return answer(app, environ, start_response)

        self.patch(http.Application, "__call__", record)
        self.worker_sessions = []
        result = {}
        browser = ChromeBrowser(self)
        try:
            self.authenticate(user.login, user.login, browser=browser)
            browser._websocket_request("Network.enable")
            # 1. With a signal: the app loads the elders and installs its worker.
            browser.navigate_to(url, wait_stop=True)
            result["listed"] = self._run_js(
                browser,
                f"""
                await waitFor(() => document.body.dataset.ready, "the app");
                await navigator.serviceWorker.ready;
                await waitFor(() => navigator.serviceWorker.controller, "the worker");
                return {json.dumps(names)}.filter((name) => card(name));
                """,
            )
            result["chinese"] = self._run_js(
                browser, 'return document.body.innerText.includes("待发送");'
            )

            # 2. Without a signal: three visits wait in the outbox; the server
            # hears nothing until the signal returns.
            served_online = len(served)
            self._set_offline(browser, True)
            result["waiting"] = self._run_js(
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

            # 3. Reopened without a signal: the app, its elders and its outbox are there.
            browser.navigate_to(url, wait_stop=True)
            result["reopened"] = self._run_js(
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
            result["served_offline"] = served[served_online:]

            # 4. The signal is back: the outbox is sent, and shows what was accepted.
            self._set_offline(browser, False)
            result["accepted"] = self._run_js(
                browser,
                f"""
                await waitFor(() => navigator.onLine, "the signal to return");
                await waitFor(
                    () =>
                        statuses().length === {len(visits)} &&
                        statuses().every((s) => s === "accepted"),
                    "the visits to be accepted"
                );
                return statuses();
                """,
            )
            result["served"] = served[served_online:]

            # 5. The visit at risk says what the server did and offers to call the son;
            # the others say nothing more.
            result["next"] = self._run_js(
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
            result["had_failure"] = browser.had_failure
        finally:
            for connection in self.worker_sessions:
                connection.close()
            browser.stop()
            self._wait_remaining_requests()

        return result
