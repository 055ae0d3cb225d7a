"""The family portal, tried over HTTP as two supporters of elders of different
villages: each reaches their own parent only, through the pages of the portal
and through nothing else."""

import json
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import Opener

from .common import FAMILY_PORTAL_ROUTES as PORTAL_ROUTES
from .common import LbeFamilyPortalCommon, call_kw, load_chinese, login_session
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
        # A staff account's login is not a supporter's.
        guardian.write({"email": self.user_city.login + "@example.com"})
        self.user_city.login = guardian.email
        with self.assertRaisesRegex(UserError, "staff account"):
            guardian.with_user(self.user_village).action_grant_portal()
        self.assertFalse(guardian.portal_access)

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
        self.assertNotIn("村委内部备注", json.dumps(answer, ensure_ascii=False))
        response = daughter.post(
            f"{self.base_url()}/mail/thread/messages",
            data=json.dumps({"params": {"thread_model": "lbe.elder", "thread_id": self.father.id}}),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
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
        # The daughter supports her mother too, of the same village: one login.
        mother = self._registered_elder(
            "门户外婆",
            self.village_a1,
            guardian_ids=[Command.create({"name": "门户女儿", "email": "Daughter@Example.com"})],
        )
        self.assertEqual(self._invite(mother, self.user_village), self.daughter)
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
