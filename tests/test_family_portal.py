"""The family portal, tried over HTTP as two supporters of elders of different
villages: each reaches their own parent only, through the pages of the portal
and through nothing else."""

import json
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import Opener, new_test_user

from .common import FAMILY_PORTAL_ROUTES as PORTAL_ROUTES
from .common import LbeFamilyPortalCommon, call_kw, json_call, load_chinese, login_session
from .test_http_boundary import controller_routes


@tagged("post_install", "-at_install")
class TestFamilyPortal(LbeFamilyPortalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Last week's visit of the father found a safety risk.
        cls.visit = cls._done_visit(
            cls.father,
            days_ago=6,
            user=cls.user_village,
            risk_level="high",
            safety_risk=True,
            safety_risk_note="屋顶漏雨",
            health_change="血压明显升高",
            living_conditions="独居，屋顶漏雨",
        )
        cls.mother_visit = cls._done_visit(
            cls.mother, days_ago=3, user=cls.clerk_b1, risk_level="high"
        )
        cls.daughter_guardian = cls.father.primary_guardian_id
        cls.son_guardian = cls.mother.primary_guardian_id
        cls.followup = cls.visit.followup_ids
        cls.mother_followup = cls.mother_visit.followup_ids

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _session(self, user):
        """An HTTP session of the user, logged in with the password."""
        return login_session(self, user)

    def _get(self, opener, url):
        return opener.get(f"{self.base_url()}{url}", timeout=60, allow_redirects=False)

    def _post(self, opener, url, data, csrf=True):
        if csrf:
            page = self._get(opener, "/my")
            token = re.search(r'csrf_token: "([^"]+)"', page.text)
            self.assertTrue(token, "no CSRF token on /my")
            data = {**data, "csrf_token": token.group(1)}
        return opener.post(f"{self.base_url()}{url}", data=data, timeout=60, allow_redirects=False)

    def _rpc(self, opener, model, method, args=(), kwargs=None):
        return call_kw(opener, self.base_url(), model, method, args, kwargs)

    # ------------------------------------------------------------------
    # Granting access
    # ------------------------------------------------------------------
    def test_grant_creates_portal_users_and_sends_the_invitation(self):
        self.assertTrue(self.daughter._is_portal())
        self.assertEqual(self.daughter.login, "daughter@example.com")
        self.assertEqual(self.daughter.partner_id, self.daughter_guardian.partner_id)
        self.assertTrue(self.daughter_guardian.portal_access)
        invitation = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", self.daughter.partner_id.ids),
                ("subject", "ilike", "门户父亲"),
                ("body_html", "ilike", "/web/signup"),
            ]
        )
        self.assertTrue(invitation, "no invitation e-mail to the daughter")
        # The son has no e-mail: he signs in with his mobile number, and the clerk
        # is given the sign-up link to pass on.
        self.assertTrue(self.son._is_portal())
        self.assertEqual(self.son.login, "13900000022")
        self.assertEqual(self.father.family_portal_consent_user_id, self.user_village)
        self.assertTrue(self.father.family_portal_consent_date)

        self.son_guardian.with_user(self.clerk_b1).action_revoke_portal()
        self.assertFalse(self.son.active)
        self.mother.with_user(self.clerk_b1).action_withdraw_family_portal_consent()
        self.mother.with_user(self.clerk_b1).action_give_family_portal_consent()
        action = self.son_guardian.with_user(self.clerk_b1).action_grant_portal()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("/web/signup", action["params"]["message"])
        self.assertIn("13900000022", action["params"]["message"])
        # The link opens the page where he chooses his password.
        url = re.search(r"https?://\S+/web/signup\S+", action["params"]["message"]).group(0)
        page = Opener(self.cr).get(url, timeout=60)
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="password"', page.text)
        self.assertIn('value="13900000022"', page.text)
        # The archived user is the one given access again, not a second one.
        self.assertTrue(self.son.active)
        self.assertEqual(self.son_guardian.partner_id.user_ids, self.son)

    def test_grant_refused_without_consent_contact_or_right(self):
        elder = self._registered_elder(
            "未同意老人",
            self.village_a1,
            guardian_ids=[Command.create({"name": "未同意女儿", "email": "no@example.com"})],
        )
        guardian = elder.guardian_ids
        with self.assertRaisesRegex(UserError, "has not consented"):
            guardian.with_user(self.user_village).action_grant_portal()
        self.assertFalse(guardian.partner_id)
        self.assertFalse(self.env["res.users"].search([("login", "=", "no@example.com")]))

        # City staff read the ledger; they neither record consent nor invite.
        with self.assertRaises(AccessError):
            elder.with_user(self.user_city).action_give_family_portal_consent()
        elder.with_user(self.user_village).action_give_family_portal_consent()
        with self.assertRaises(AccessError):
            guardian.with_user(self.user_city).action_grant_portal()
        # Nor may a clerk of another village.
        with self.assertRaises(AccessError):
            guardian.with_user(self.clerk_b1).action_grant_portal()

        guardian.write({"email": False})
        with self.assertRaisesRegex(UserError, "neither an e-mail address nor a mobile"):
            guardian.with_user(self.user_village).action_grant_portal()
        # A staff account's login is not a supporter's, and the refusal does not
        # tell whose it is.
        guardian.write({"email": self.user_city.login + "@example.com"})
        self.user_city.login = guardian.email
        with self.assertRaisesRegex(UserError, "already the login of another account") as caught:
            guardian.with_user(self.user_village).action_grant_portal()
        self.assertNotIn(self.user_city.login, str(caught.exception))
        self.assertNotIn(self.user_city.name, str(caught.exception))
        self.assertFalse(guardian.portal_access)
        self.assertFalse(guardian.partner_id)
        self.assertFalse(self.user_city.share)

    def test_consent_and_access_are_not_set_by_hand(self):
        elder = self._registered_elder(
            "手工老人", self.village_a1, guardian_ids=[Command.create({"name": "手工女儿"})]
        )
        with self.assertRaises(AccessError):
            elder.with_user(self.user_village).write({"family_portal_consent": True})
        with self.assertRaises(AccessError):
            elder.guardian_ids.with_user(self.user_village).write(
                {"portal_access": True, "partner_id": self.daughter.partner_id.id}
            )

    # ------------------------------------------------------------------
    # What each supporter reaches
    # ------------------------------------------------------------------
    def test_each_supporter_sees_only_their_own_parent(self):
        daughter = self._session(self.daughter)
        son = self._session(self.son)

        listing = self._get(daughter, "/my/elders")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("门户父亲", listing.text)
        self.assertNotIn("门户母亲", listing.text)
        listing = self._get(son, "/my/elders")
        self.assertIn("门户母亲", listing.text)
        self.assertNotIn("门户父亲", listing.text)

        page = self._get(daughter, f"/my/elders/{self.father.id}")
        self.assertEqual(page.status_code, 200)
        for shown in ("门户父亲", "屋顶漏雨", "独居"):
            self.assertIn(shown, page.text)
        # No ID number, phone, address or health detail of anyone.
        for hidden in (
            self.father.id_number,
            "13800000011",
            "人和镇门户村1号",
            "深圳市南山区1号",
            "高血压",
            "血压明显升高",
            self.user_village.name,
        ):
            self.assertNotIn(hidden, page.text)

        # The other elder, the other's notification, an elder that does not
        # exist: all the same 404, for every route of the portal.
        urls = {
            "other elder": {"elder": self.mother.id, "followup": self.mother_followup.id},
            "other notification": {"elder": self.father.id, "followup": self.mother_followup.id},
            "no such elder": {"elder": 999999, "followup": self.followup.id},
        }
        for route, (method, url, data) in PORTAL_ROUTES.items():
            if "{elder}" not in url:
                continue
            for case, ids in urls.items():
                if case == "other notification" and "{followup}" not in url:
                    continue
                with self.subTest(route=route, case=case):
                    target = url.format(**ids)
                    if method == "GET":
                        response = self._get(daughter, target)
                    else:
                        response = self._post(daughter, target, data)
                    self.assertEqual(response.status_code, 404, target)
                    self.assertNotIn("门户母亲", response.text)
        self.assertFalse(self.mother.family_contact_ids)
        self.assertFalse(self.mother_followup.answer)
        self.assertFalse(self.mother.message_ids.filtered(lambda m: "请多关照" in m.body))

        # Staff have no family portal either.
        clerk = self._session(self.user_village)
        self.assertEqual(self._get(clerk, f"/my/elders/{self.father.id}").status_code, 404)

    def test_every_route_of_the_portal_is_tried(self):
        self.assertEqual(
            {r for r in controller_routes("left_behind_elderly") if r.startswith("/my/")},
            set(PORTAL_ROUTES),
        )

    def test_json_rpc_to_the_addon_is_refused(self):
        daughter = self._session(self.daughter)
        models = sorted(
            name
            for name, cls in self.registry.items()
            if name.startswith("lbe.") and not cls._abstract
        )
        own = {
            "lbe.elder": self.father,
            "lbe.guardian": self.daughter_guardian,
            "lbe.visit": self.visit,
            "lbe.visit.followup": self.followup,
        }
        problems = []
        for model in models:
            ids = own.get(model, self.env[model].sudo().search([], limit=1)).ids or [1]
            calls = {
                "search_read": ([], {"domain": [], "fields": ["display_name"]}),
                "read": ([ids, ["display_name"]], {}),
                "web_search_read": ([], {"domain": [], "specification": {"display_name": {}}}),
                "name_search": ([], {"name": ""}),
                "read_group": ([[], ["id:count"], []], {}),
                "search_count": ([[]], {}),
                "write": ([ids, {"display_name": "x"}], {}),
                "create": ([{}], {}),
            }
            for method, (args, kwargs) in calls.items():
                answer = self._rpc(daughter, model, method, args, kwargs)
                error = (answer.get("error") or {}).get("data", {}).get("name")
                # The audit log and the summary lines refuse any write before
                # the access check does, with their own message.
                refusals = ["odoo.exceptions.AccessError"]
                if method == "write":
                    refusals.append("odoo.exceptions.UserError")
                if error not in refusals:
                    problems.append(f"{model}.{method}: {str(answer)[:160]}")
        self.assertFalse(problems, "\n".join(problems))

        # Mail's own routes do not open the elder's chatter either.
        self.env["lbe.elder"].browse(self.father.id).message_post(
            body="村委内部备注", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        answer = self._rpc(
            daughter,
            "mail.message",
            "search_read",
            [],
            {"domain": [("model", "=", "lbe.elder")], "fields": ["body"]},
        )
        # Answered, not failed: an error would say nothing of the note either.
        self.assertIsInstance(answer.get("result"), list, answer)
        self.assertNotIn("村委内部备注", json.dumps(answer, ensure_ascii=False))
        response = daughter.post(
            f"{self.base_url()}/mail/thread/messages",
            data=json.dumps({"params": {"thread_model": "lbe.elder", "thread_id": self.father.id}}),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        self.assertEqual(response.json()["result"]["messages"], [], response.text[:300])
        self.assertNotIn("村委内部备注", response.text)

    # ------------------------------------------------------------------
    # What a supporter sends
    # ------------------------------------------------------------------
    def test_answering_a_notification_updates_the_follow_up(self):
        self.assertEqual(self.visit.followup_state, "pending")
        daughter = self._session(self.daughter)
        url = f"/my/elders/{self.father.id}/notifications/{self.followup.id}"

        # Without the CSRF token, and empty: refused, nothing recorded.
        response = self._post(daughter, url, {"answer": "无令牌"}, csrf=False)
        self.assertEqual(response.status_code, 400)
        response = self._post(daughter, url, {"answer": "   "})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please write something first.", response.text)
        self.assertFalse(self.followup.answer)
        self.assertFalse(self.followup.acknowledged_date)

        response = self._post(daughter, url, {"answer": "我周末回家修屋顶"})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.followup.answer, "我周末回家修屋顶")
        self.assertTrue(self.followup.acknowledged_date)
        self.assertEqual(self.visit.followup_state, "done")
        note = self.father.message_ids.filtered(lambda m: "我周末回家修屋顶" in m.body)
        self.assertEqual(note.author_id, self.daughter.partner_id)

    def test_confirming_contacts_and_leaving_a_message(self):
        daughter = self._session(self.daughter)
        today = fields.Date.context_today(self.father)
        url = f"/my/elders/{self.father.id}/contact"

        tomorrow = fields.Date.to_string(today + timedelta(days=1))
        response = self._post(daughter, url, {"kind": "visit_home", "contact_date": tomorrow})
        self.assertEqual(response.status_code, 400)
        response = self._post(daughter, url, {"kind": "party", "note": "留着的话"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("留着的话", response.text, "the note typed is lost")
        self.assertFalse(self.father.family_contact_ids)

        self._post(daughter, url, {"kind": "call", "note": "电话里说一切都好"})
        self._post(
            daughter, url, {"kind": "visit_home", "contact_date": fields.Date.to_string(today)}
        )
        self.assertRecordValues(
            self.father.family_contact_ids.sorted("kind"),
            [
                {"kind": "call", "guardian_id": self.daughter_guardian.id, "contact_date": today},
                {
                    "kind": "visit_home",
                    "guardian_id": self.daughter_guardian.id,
                    "contact_date": today,
                },
            ],
        )
        # The ledger's last visit home (Annex 1) moves to this month.
        self.assertEqual(self.father.last_home_visit_year, today.year)
        self.assertEqual(self.father.last_home_visit_month, str(today.month))

        response = self._post(
            daughter, f"/my/elders/{self.father.id}/message", {"message": "<b>爸爸</b>腿不好"}
        )
        self.assertEqual(response.status_code, 303)
        message = self.father.message_ids.filtered(lambda m: "腿不好" in m.body)
        self.assertEqual(message.author_id, self.daughter.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn("&lt;b&gt;", message.body)
        # Not a follower: the elder's chatter is the village's.
        self.assertNotIn(self.daughter.partner_id, self.father.message_partner_ids)

    # ------------------------------------------------------------------
    # Risk, and withdrawn consent
    # ------------------------------------------------------------------
    def test_a_visit_at_risk_notifies_the_supporters(self):
        self.assertRecordValues(
            self.followup,
            [
                {
                    "guardian_id": self.daughter_guardian.id,
                    "channel": "portal",
                    "user_id": self.user_village.id,
                    "acknowledged_date": False,
                }
            ],
        )
        mail = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", self.daughter.partner_id.ids),
                ("model", "=", "lbe.visit.followup"),
                ("res_id", "=", self.followup.id),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(f"/my/elders/{self.father.id}", mail.body_html)
        # The e-mail says where to read, not what was found.
        self.assertNotIn("屋顶漏雨", mail.body_html)
        # Without an e-mail address the son is notified on the portal only.
        self.assertEqual(self.mother_followup.guardian_id, self.son_guardian)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "lbe.visit.followup"), ("res_id", "=", self.mother_followup.id)]
            )
        )
        # A visit without risk notifies nobody.
        quiet = self._done_visit(self.father, user=self.user_village)
        self.assertFalse(quiet.followup_ids)
        # The notification is on the portal, waiting for the answer.
        page = self._get(self._session(self.daughter), "/my/elders")
        self.assertIn("To answer: 1<", page.text)

    def test_withdrawn_consent_removes_access(self):
        # The daughter supports her mother too, of the same village: one login,
        # linked by the clerk.
        mother = self._registered_elder(
            "门户外婆",
            self.village_a1,
            guardian_ids=[Command.create({"name": "门户女儿", "email": "Daughter@Example.com"})],
        )
        mother.with_user(self.user_village).action_give_family_portal_consent()
        mother.guardian_ids.with_user(self.user_village).action_link_portal_account()
        self.assertEqual(mother.guardian_ids.partner_id.user_ids, self.daughter)
        daughter = self._session(self.daughter)
        url = f"/my/elders/{self.father.id}"
        self.assertEqual(self._get(daughter, url).status_code, 200)

        self.father.with_user(self.user_village).action_withdraw_family_portal_consent()
        # The open session loses the father at once, and keeps the mother.
        self.assertEqual(self._get(daughter, url).status_code, 404)
        listing = self._get(daughter, "/my/elders").text
        self.assertNotIn("门户父亲", listing)
        self.assertIn("门户外婆", listing)
        self.assertFalse(self.daughter_guardian.portal_access)
        self.assertTrue(self.daughter.active)

        # Consent given again does not reopen access by itself: the clerk invites.
        self.father.with_user(self.user_village).action_give_family_portal_consent()
        self.assertNotIn("门户父亲", self._get(daughter, "/my/elders").text)
        # A new visit at risk no longer notifies her.
        visit = self._done_visit(self.father, user=self.user_village, risk_level="high")
        self.assertFalse(visit.followup_ids)
        # Withdrawn for the mother too: her account is closed.
        mother.with_user(self.user_village).action_withdraw_family_portal_consent()
        self.assertFalse(self.daughter.active)
        self.assertNotEqual(self._get(daughter, f"/my/elders/{mother.id}").status_code, 200)


@tagged("post_install", "-at_install")
class TestFamilyPortalTour(LbeFamilyPortalCommon, HttpCase):
    browser_size = "375x667"

    """The tour runs in English and in Chinese, as the families see it."""

    def _daughter_on_her_phone(self, lang):
        self.daughter.lang = lang
        visit = self._done_visit(
            self.father,
            days_ago=6,
            user=self.user_village,
            risk_level="high",
            safety_risk=True,
            safety_risk_note="屋顶漏雨",
        )
        self.start_tour(
            "/my/elders",
            "lbe_family_portal_tour",
            login=self.daughter.login,
        )
        # What the village clerk sees on the elder.
        father = self.father.with_user(self.user_village)
        self.assertRecordValues(
            father.family_contact_ids,
            [{"kind": "call", "guardian_id": self.father.primary_guardian_id.id}],
        )
        followup = visit.followup_ids.with_user(self.user_village)
        self.assertEqual(followup.answer, "我周末回家修屋顶。")
        self.assertTrue(followup.acknowledged_date)
        self.assertTrue(father.message_ids.filtered(lambda m: "我周末回家修屋顶。" in m.body))

    def test_daughter_on_her_phone(self):
        self._daughter_on_her_phone("en_US")

    def test_daughter_on_her_phone_in_chinese(self):
        load_chinese(self.env)
        self._daughter_on_her_phone("zh_CN")


@tagged("post_install", "-at_install")
class TestFamilyPortalTakeover(LbeFamilyPortalCommon, HttpCase):
    """Issue 18, finding 1, tried over HTTP as village clerks: an invitation gives
    a clerk no other family's account and none of Odoo's own; a link to choose a
    password reaches a clerk only before the family's first sign-in; one person
    supporting two elders is linked on purpose. And staff post nothing through
    the family portal's forms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An elder of each attacking clerk's village, consenting to the portal.
        cls.elder_a1 = cls._registered_elder(
            "接管甲村老人",
            cls.village_a1,
            guardian_ids=[Command.create({"name": "甲村赡养人", "mobile": "13700000031"})],
        )
        cls.elder_a1.with_user(cls.user_village).action_give_family_portal_consent()
        cls.elder_b1 = cls._registered_elder(
            "接管乙村老人",
            cls.village_b1,
            guardian_ids=[Command.create({"name": "乙村赡养人", "mobile": "13700000032"})],
        )
        cls.elder_b1.with_user(cls.clerk_b1).action_give_family_portal_consent()
        cls.daughter_guardian = cls.father.primary_guardian_id
        cls.son_guardian = cls.mother.primary_guardian_id
        # Visits at risk: each supporter has a notification to answer.
        cls.followup = cls._done_visit(
            cls.father, user=cls.user_village, risk_level="high"
        ).followup_ids
        cls.mother_followup = cls._done_visit(
            cls.mother, user=cls.clerk_b1, risk_level="high"
        ).followup_ids

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _json(self, opener, path, params):
        response = json_call(opener, self.base_url(), path, params)
        response.raise_for_status()
        return response.json()

    def _supporter(self, opener, elder, **vals):
        """Create a supporter of the elder as the session's user, over JSON-RPC."""
        return call_kw(
            opener,
            self.base_url(),
            "lbe.guardian",
            "create",
            [{"elder_id": elder.id, "name": "冒名赡养人", **vals}],
        )

    def _button(self, opener, guardian, method):
        """Press a button of the supporter's row, as the web client does."""
        return self._json(
            opener,
            "/web/dataset/call_button",
            {"model": "lbe.guardian", "method": method, "args": [guardian.ids], "kwargs": {}},
        )

    @staticmethod
    def _error(answer):
        return (answer.get("error") or {}).get("data", {})

    def _account(self, user):
        """What a takeover would change of an account, password hash included."""
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", [user.id])
        password = self.env.cr.fetchone()[0]
        user = user.with_context(active_test=False)
        return {
            "login": user.login,
            "active": user.active,
            "share": user.share,
            "groups": sorted(user.groups_id.ids),
            "partner": user.partner_id.id,
            "email": user.partner_id.email,
            "signup_type": user.partner_id.signup_type,
            "password": password,
        }

    def _csrf(self, opener):
        page = opener.get(f"{self.base_url()}/my", timeout=60, allow_redirects=False)
        token = re.search(r'csrf_token: "([^"]+)"', page.text)
        self.assertTrue(token, f"no CSRF token on /my ({page.status_code})")
        return token.group(1)

    # ------------------------------------------------------------------
    # The attack of the issue
    # ------------------------------------------------------------------
    def test_a_clerk_takes_over_no_other_familys_account(self):
        clerk_a1 = login_session(self, self.user_village)
        clerk_b1 = login_session(self, self.clerk_b1)
        before = {user: self._account(user) for user in (self.daughter, self.son)}

        # Another family's e-mail login typed into the mobile field, or Odoo's
        # template and public logins: not mobile numbers, nothing stored.
        for typed in ("daughter@example.com", "portaltemplate", "public", "13900000022x"):
            with self.subTest(mobile=typed):
                error = self._error(self._supporter(clerk_b1, self.elder_b1, mobile=typed))
                self.assertEqual(error.get("name"), "odoo.exceptions.ValidationError")
                self.assertIn("is not a mainland mobile number", error["message"])
        with self.subTest("nothing stored"):
            self.assertEqual(self.elder_b1.guardian_ids.mapped("name"), ["乙村赡养人"])

        # Real logins of families of other villages, written otherwise.
        attacks = [
            (clerk_a1, self.elder_a1, {"mobile": "+86 139-0000-0022"}, self.son, self.mother),
            (
                clerk_b1,
                self.elder_b1,
                {"email": "DAUGHTER@example.com"},
                self.daughter,
                self.father,
            ),
        ]
        for clerk, elder, vals, victim, victim_elder in attacks:
            with self.subTest(victim=victim.login):
                answer = self._supporter(clerk, elder, **vals)
                self.assertIn("result", answer, answer)
                guardian = self.env["lbe.guardian"].browse(answer["result"])
                answer = self._button(clerk, guardian, "action_grant_portal")
                error = self._error(answer)
                self.assertEqual(error.get("name"), "odoo.exceptions.UserError")
                self.assertIn("already the login of another account", error["message"])
                text = json.dumps(answer, ensure_ascii=False)
                for leak in (
                    "/web/signup",
                    "reset_password",
                    victim.login,
                    victim.partner_id.name,
                    victim_elder.name,
                ):
                    self.assertNotIn(leak, text)
                self.assertFalse(guardian.partner_id)
                self.assertFalse(guardian.portal_access)

        Users = self.env["res.users"].with_context(active_test=False)
        for user, account in before.items():
            self.assertEqual(self._account(user), account)
            self.assertEqual(Users.search_count([("login", "=ilike", user.login)]), 1)
            # The family still signs in with its own password.
            login_session(self, user)

    def test_odoo_own_accounts_and_staff_are_never_given_out(self):
        clerk = login_session(self, self.user_village)
        archived_family = new_test_user(
            self.env, login="archived_family", groups="base.group_portal"
        )
        archived_family.active = False
        accounts = {
            "portal template": self.env.ref("base.template_portal_user_id"),
            "default user": self.env.ref("base.default_user"),
            "public": self.env.ref("base.public_user"),
            "superuser": self.env.ref("base.user_root"),
            "administrator": self.env.ref("base.user_admin"),
            "staff": self.user_city,
            "archived family": archived_family,
        }
        # Each account's login made a mobile number, so that only the
        # invitation stands in the way.
        for n, (label, user) in enumerate(accounts.items()):
            user.login = f"1370000{n:04d}"
            account = self._account(user)
            with self.subTest(account=label):
                answer = self._supporter(clerk, self.elder_a1, mobile=user.login)
                guardian = self.env["lbe.guardian"].browse(answer["result"])
                answer = self._button(clerk, guardian, "action_grant_portal")
                error = self._error(answer)
                self.assertEqual(error.get("name"), "odoo.exceptions.UserError")
                self.assertIn("already the login of another account", error["message"])
                self.assertNotIn("/web/signup", json.dumps(answer))
                self.assertNotIn(user.name, json.dumps(answer, ensure_ascii=False))
                self.assertFalse(guardian.partner_id)
                self.assertEqual(self._account(user), account)

            if label == "archived family":
                continue
            # A supporter's contact that is one of Odoo's or staff's (a record
            # damaged by hand) is refused too.
            guardian.sudo().partner_id = user.partner_id
            with self.subTest(account=label, case="contact"):
                error = self._error(self._button(clerk, guardian, "action_grant_portal"))
                self.assertEqual(error.get("name"), "odoo.exceptions.UserError")
                self.assertIn("cannot be used", error["message"])
                self.assertFalse(guardian.portal_access)
                self.assertEqual(self._account(user), account)

        self.assertFalse(accounts["portal template"].active)
        self.assertFalse(accounts["default user"].active)
        self.assertTrue(accounts["public"]._is_public())
        self.assertFalse(accounts["archived family"].active)
        self.assertTrue(self.user_city._is_internal())

    # ------------------------------------------------------------------
    # Links to choose a password
    # ------------------------------------------------------------------
    def test_a_link_reaches_the_clerk_only_before_the_first_sign_in(self):
        clerk = login_session(self, self.clerk_b1)
        # The son has never signed in: the clerk passes the link on.
        self._button(clerk, self.son_guardian, "action_revoke_portal")
        answer = self._button(clerk, self.son_guardian, "action_grant_portal")
        link = re.search(r"https?://\S+/web/signup\S+", answer["result"]["params"]["message"])
        self.assertTrue(link, answer)

        # Once he has signed in, that link is dead and the clerk gets no other.
        login_session(self, self.son)
        page = Opener(self.cr).get(link.group(0), timeout=60)
        self.assertIn("Invalid signup token", page.text)
        self._button(clerk, self.son_guardian, "action_revoke_portal")
        account = self._account(self.son)
        answer = self._button(clerk, self.son_guardian, "action_grant_portal")
        message = answer["result"]["params"]["message"]
        self.assertNotIn("/web/", message)
        self.assertIn("Reset Password", message)
        self.assertTrue(self.son_guardian.portal_access)
        self.assertEqual(self._account(self.son), {**account, "active": True})
        login_session(self, self.son)

        # The same for an e-mail login: the e-mail opens the portal, no link to
        # choose a password goes out.
        login_session(self, self.daughter)
        village = login_session(self, self.user_village)
        self._button(village, self.daughter_guardian, "action_revoke_portal")
        answer = self._button(village, self.daughter_guardian, "action_grant_portal")
        self.assertNotIn("/web/", json.dumps(answer))
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.daughter.partner_id.ids)], order="id desc", limit=1
        )
        self.assertIn("/my/elders", mail.body_html)
        self.assertIn("Open the family portal", mail.body_html)
        self.assertNotIn("/web/signup", mail.body_html)
        # The family resets a forgotten password itself, on the sign-in page.
        page = Opener(self.cr).get(f"{self.base_url()}/web/reset_password", timeout=60)
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="login"', page.text)

    # ------------------------------------------------------------------
    # One person, two elders
    # ------------------------------------------------------------------
    def test_one_person_supporting_two_elders_is_linked_on_purpose(self):
        daughter = login_session(self, self.daughter)
        clerk = login_session(self, self.user_village)
        grandmother = self._registered_elder(
            "门户外婆",
            self.village_a1,
            guardian_ids=[
                Command.create(
                    {"name": "门户女儿", "mobile": "13800000011", "email": "Daughter@Example.com"}
                )
            ],
        )
        grandmother.with_user(self.user_village).action_give_family_portal_consent()
        guardian = grandmother.guardian_ids
        # Invited as someone new, she is refused: her login is an account's.
        error = self._error(self._button(clerk, guardian, "action_grant_portal"))
        self.assertEqual(error.get("name"), "odoo.exceptions.UserError")
        self.assertFalse(guardian.partner_id)

        # The clerk, who sees both supporters, says she is the same person.
        answer = self._button(clerk, guardian, "action_link_portal_account")
        self.assertNotIn("error", answer, answer)
        self.assertNotIn("/web/", json.dumps(answer))
        self.assertEqual(guardian.partner_id, self.daughter.partner_id)
        self.assertTrue(guardian.portal_access)
        for elder, other in ((self.father, grandmother), (grandmother, self.father)):
            note = elder.message_ids.filtered(lambda m: "same person" in m.body)
            self.assertEqual(len(note), 1, elder.name)
            self.assertIn("门户女儿", note.body)
            self.assertNotIn(other.name, note.body)
            self.assertEqual(note.author_id, self.user_village.partner_id)
        listing = self._get_text(daughter, "/my/elders")
        self.assertIn("门户父亲", listing)
        self.assertIn("门户外婆", listing)

        # A clerk who does not see her supporter record links nothing.
        elsewhere = self._registered_elder(
            "乙村外婆",
            self.village_b1,
            guardian_ids=[
                Command.create(
                    {"name": "冒名女儿", "mobile": "13700000201", "email": "daughter@example.com"}
                )
            ],
        )
        elsewhere.with_user(self.clerk_b1).action_give_family_portal_consent()
        answer = self._button(
            login_session(self, self.clerk_b1), elsewhere.guardian_ids, "action_link_portal_account"
        )
        self.assertEqual(self._error(answer).get("name"), "odoo.exceptions.UserError")
        self.assertNotIn("门户", json.dumps(answer, ensure_ascii=False))
        self.assertFalse(elsewhere.guardian_ids.partner_id)
        self.assertEqual(
            len(self.father.message_ids.filtered(lambda m: "same person" in m.body)), 1
        )

    def _get_text(self, opener, url):
        return opener.get(f"{self.base_url()}{url}", timeout=60, allow_redirects=False).text

    # ------------------------------------------------------------------
    # Staff on the family portal
    # ------------------------------------------------------------------
    def test_staff_posts_to_the_family_portal_store_nothing(self):
        clerk_c1 = self._tier_user("village", self.village_c1, login="lbe_test_village_c1")
        far = self._registered_elder(
            "花都门户老人",
            self.village_c1,
            guardian_ids=[Command.create({"name": "花都女儿", "mobile": "13700000301"})],
        )
        self._invite(far, clerk_c1)
        far_visit = self._done_visit(far, user=clerk_c1, risk_level="high")
        targets = {
            "own village": (self.father, self.followup),
            "other village": (self.mother, self.mother_followup),
            "other county": (far, far_visit.followup_ids),
        }
        posts = [
            (url, {**data, "kind": "visit_home"} if "kind" in data else data)
            for method, url, data in PORTAL_ROUTES.values()
            if method == "POST"
        ]
        self.assertEqual(len(posts), 3)

        def stored(elder, followup):
            self.env.invalidate_all()
            return (
                elder.family_contact_ids.ids,
                elder.message_ids.ids,
                followup.answer,
                followup.acknowledged_date,
                elder.last_home_visit_year,
                elder.last_home_visit_month,
            )

        for user in (self.user_village, self.user_county):
            session = login_session(self, user)
            token = self._csrf(session)
            for case, (elder, followup) in targets.items():
                self.assertTrue(followup)
                before = stored(elder, followup)
                for url, data in posts:
                    target = url.format(elder=elder.id, followup=followup.id)
                    with self.subTest(user=user.login, case=case, url=target):
                        response = session.post(
                            f"{self.base_url()}{target}",
                            data={**data, "csrf_token": token},
                            timeout=60,
                            allow_redirects=False,
                        )
                        # Not 400: the CSRF token was good, the portal refused.
                        self.assertIn(response.status_code, (403, 404), response.text[:300])
                self.assertEqual(stored(elder, followup), before, f"{user.login}: {case}")
