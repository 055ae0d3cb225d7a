"""The family's messages reach the village (issue 20): a supporter's message or
answer on the portal is a to-do of the clerks serving the elder's village, on
their start page; the clerk replies on it, which ends the to-do; the supporter
reads the reply on the portal, and nobody else does: not another supporter of
the same elder, not the supporter of another elder, not staff of another area."""

import json
import re

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import LbeFamilyPortalCommon, call_kw, login_session

ACTIVITY_TYPE = "left_behind_elderly.mail_activity_type_family_message"


@tagged("post_install", "-at_install")
class TestFamilyMessage(LbeFamilyPortalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit = cls._done_visit(
            cls.father, days_ago=2, user=cls.user_village, risk_level="high"
        )
        cls.followup = cls.visit.followup_ids
        # A second supporter of the same father, on the portal too.
        cls.father.with_user(cls.user_village).write(
            {
                "guardian_ids": [
                    Command.create(
                        {"name": "门户次子", "relationship": "son", "email": "son2@example.com"}
                    )
                ]
            }
        )
        second = cls.father.guardian_ids.filtered(lambda g: g.name == "门户次子")
        second.with_user(cls.user_village).action_grant_portal()
        cls.second = second.partner_id.user_ids
        cls.second.password = cls.second.login + "x" * (8 - len(cls.second.login))
        cls.father.region_id.phone = "020-86041234"

    def _get(self, opener, url):
        return opener.get(f"{self.base_url()}{url}", timeout=60, allow_redirects=False)

    def _post(self, opener, url, data):
        page = self._get(opener, "/my")
        token = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        return opener.post(
            f"{self.base_url()}{url}",
            data={**data, "csrf_token": token},
            timeout=60,
            allow_redirects=False,
        )

    def _messages(self, elder):
        return self.env["lbe.family.message"].search([("elder_id", "=", elder.id)])

    def test_message_and_answer_reach_the_clerk_who_replies(self):
        daughter = login_session(self, self.daughter)
        response = self._post(
            daughter, f"/my/elders/{self.father.id}/message", {"message": "爸爸腿疼"}
        )
        self.assertEqual(response.status_code, 303)
        url = f"/my/elders/{self.father.id}/notifications/{self.followup.id}"
        self.assertEqual(self._post(daughter, url, {"answer": "我明天回家"}).status_code, 303)

        messages = self._messages(self.father).sorted("id")
        self.assertRecordValues(
            messages,
            [
                {"kind": "message", "body": "爸爸腿疼", "state": "new", "followup_id": False},
                {
                    "kind": "answer",
                    "body": "我明天回家",
                    "state": "new",
                    "followup_id": self.followup.id,
                },
            ],
        )
        self.assertEqual(messages.guardian_id, self.father.primary_guardian_id)
        # A to-do of the village's clerk, of its own type; none for another village's.
        activities = messages.activity_ids
        self.assertEqual(activities.activity_type_id, self.env.ref(ACTIVITY_TYPE))
        # Every clerk serving the village (the demo's too), each with both.
        clerks = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("left_behind_elderly.group_village").id),
                ("lbe_region_ids", "in", self.village_a1.ids),
            ]
        )
        self.assertEqual(activities.user_id, clerks)
        self.assertIn(self.user_village, clerks)
        self.assertEqual(len(activities), 2 * len(clerks))
        self.assertFalse(self.env["mail.activity"].search([("user_id", "=", self.clerk_b1.id)]))

        # The start page lists them, counted as the clerk.
        home = self.env["lbe.home"].with_user(self.user_village).get_home()
        card = next(c for c in home["cards"] if c["key"] == "family")
        self.assertEqual(card["figures"][0]["count"], 2)
        self.assertEqual([i["res_id"] for i in card["items"]], messages.ids)
        self.assertIn("爸爸腿疼", card["items"][0]["detail"])
        activities_card = next(c for c in home["cards"] if c["key"] == "activities")
        by_label = {f["label"]: f["count"] for f in activities_card["figures"]}
        self.assertEqual(by_label["Family Message"], 2)
        other = self.env["lbe.home"].with_user(self.clerk_b1).get_home()
        card = next(c for c in other["cards"] if c["key"] == "family")
        self.assertEqual((card["figures"][0]["count"], card["items"]), (0, []))

        # The clerk replies: nothing without words, then once.
        message = messages[0].with_user(self.user_village)
        with self.assertRaises(UserError):
            message.action_send_reply()
        message.reply = "已安排村医上门"
        message.action_send_reply()
        self.assertRecordValues(
            message, [{"state": "replied", "reply_user_id": self.user_village.id}]
        )
        self.assertFalse(message.activity_ids, "the to-do stays open after the reply")
        # She is told by e-mail where to read it; the e-mail does not say it.
        mail = self.env["mail.mail"].search(
            [("model", "=", "lbe.family.message"), ("res_id", "=", message.id)]
        )
        self.assertEqual(mail.recipient_ids, self.daughter.partner_id)
        self.assertIn(f"/my/elders/{self.father.id}", mail.body_html)
        self.assertNotIn("已安排村医上门", mail.body_html)
        self.assertEqual(len(messages[1].activity_ids), len(clerks))
        with self.assertRaises(UserError):
            message.reply = "改过的答复"
        with self.assertRaises(UserError):
            message.action_send_reply()
        # What the family wrote is not the clerk's to change.
        with self.assertRaises(AccessError):
            messages[1].with_user(self.user_village).body = "改过的话"

        # She reads the reply on the portal; her answer waits for one.
        page = self._get(daughter, f"/my/elders/{self.father.id}").text
        self.assertIn("爸爸腿疼", page)
        self.assertIn("已安排村医上门", page)
        self.assertIn("Waiting for the village's reply", page)
        self.assertIn('href="tel:020-86041234"', page)

    def test_nobody_else_reads_her_messages_or_the_replies(self):
        daughter = login_session(self, self.daughter)
        self._post(daughter, f"/my/elders/{self.father.id}/message", {"message": "只给村里看"})
        message = self._messages(self.father)
        message.with_user(self.user_village).reply = "只给女儿看的答复"
        message.with_user(self.user_village).action_send_reply()
        secrets = ("只给村里看", "只给女儿看的答复")

        # The other supporter of the same father, and the son of another elder:
        # every page of the portal, every call of the ORM, mail's routes.
        for user in (self.second, self.son):
            opener = login_session(self, user)
            elder = self.father if user == self.second else self.mother
            for url in (
                "/my",
                "/my/elders",
                f"/my/elders/{elder.id}",
                f"/my/elders/{self.father.id}",
            ):
                with self.subTest(user=user.login, url=url):
                    text = self._get(opener, url).text
                    for secret in secrets:
                        self.assertNotIn(secret, text)
            for method, args, kwargs in (
                ("search_read", [], {"domain": [], "fields": ["body", "reply"]}),
                ("read", [message.ids, ["body", "reply"]], {}),
            ):
                answer = call_kw(
                    opener, self.base_url(), "lbe.family.message", method, args, kwargs
                )
                self.assertEqual(
                    answer["error"]["data"]["name"], "odoo.exceptions.AccessError", answer
                )
            for model, res_id in (
                ("lbe.family.message", message.id),
                ("lbe.elder", self.father.id),
            ):
                response = opener.post(
                    f"{self.base_url()}/mail/thread/messages",
                    data=json.dumps({"params": {"thread_model": model, "thread_id": res_id}}),
                    headers={"Content-Type": "application/json"},
                    timeout=60,
                )
                for secret in secrets:
                    self.assertNotIn(secret, response.text)
        # The second son's page of the same father shows the reply to her? No.
        page = self._get(login_session(self, self.second), f"/my/elders/{self.father.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_lbe_message_body", page.text)

        # Staff of another village see neither the message nor its to-do.
        Message = self.env["lbe.family.message"].with_user(self.clerk_b1)
        self.assertFalse(Message.search([]))
        with self.assertRaises(AccessError):
            Message.browse(message.id).read(["body"])

    def test_branding_of_the_portal(self):
        self.env.company.name = "广东省民政厅"
        daughter = login_session(self, self.daughter)
        for url in ("/my", "/my/elders", f"/my/elders/{self.father.id}"):
            text = self._get(daughter, url).text
            with self.subTest(url=url):
                self.assertIn("广东省民政厅", text)
                self.assertNotIn("Powered by", text)
                self.assertNotIn("/logo.png", text)
                self.assertNotIn("o_brand_promotion", text)
        self.assertIn("020-86041234", self._get(daughter, "/my/elders").text)
        login = self.url_open("/web/login")
        self.assertIn("广东省民政厅", login.text)
        self.assertNotIn("Powered by", login.text)

    def test_village_phone_is_the_managers_and_audited(self):
        village = self.village_a2
        with self.assertRaises(AccessError):
            village.with_user(self.user_village).phone = "020-1"
        with self.assertRaises(AccessError):
            village.with_user(self.user_county).phone = "020-1"
        village.with_user(self.user_manager).phone = "020-86040000"
        self.assertEqual(village.phone, "020-86040000")
        log = self.env["lbe.audit.log"].search([], order="id desc", limit=1)
        self.assertIn("020-86040000", log.detail)
