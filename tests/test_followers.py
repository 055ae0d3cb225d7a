import json

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LbeCareCommon, call_kw, json_call, login_session

# Written in the messages posted after the move, looked for in every answer.
MARK = "迁出后的消息"


@tagged("post_install", "-at_install")
class TestFollowers(LbeCareCommon, HttpCase):
    """A clerk of village A1 follows an elder of the village and the elder's
    visit; the elder moves to 太和镇 B1. The clerk stops following both and reads
    no message posted afterwards, by any path of the web client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._tier_user("village", cls.village_a1, login="follower_clerk")
        # Told in Odoo's inbox: a notification there is a message read.
        (cls.clerk | cls.user_county).notification_type = "inbox"
        cls.elder = cls._registered_elder("随迁老人", cls.village_a1)
        # Its creator follows it.
        cls.visit = (
            cls.env["lbe.visit"]
            .with_user(cls.clerk)
            .create({"elder_id": cls.elder.id})
            .with_env(cls.env)
        )

    def _followers(self, records, partner):
        return (
            self.env["mail.followers"]
            .sudo()
            .search(
                [
                    ("res_model", "=", records._name),
                    ("res_id", "in", records.ids),
                    ("partner_id", "=", partner.id),
                ]
            )
        )

    def _json(self, opener, url, params):
        response = json_call(opener, self.base_url(), url, params)
        self.assertEqual(response.status_code, 200, url)
        return response.json()

    def test_a_former_follower_reads_no_later_message(self):
        clerk, county = login_session(self, self.clerk), login_session(self, self.user_county)
        base = self.base_url()
        for opener, user in ((clerk, self.clerk), (county, self.user_county)):
            body = call_kw(
                opener,
                base,
                "lbe.elder",
                "message_subscribe",
                [self.elder.ids],
                {"partner_ids": user.partner_id.ids},
            )
            self.assertTrue(body.get("result"), body)
        self.assertTrue(self._followers(self.elder, self.clerk.partner_id))
        self.assertTrue(self._followers(self.visit, self.clerk.partner_id), "the visit's creator")

        body = call_kw(
            county, base, "lbe.elder", "write", [self.elder.ids, {"region_id": self.village_b1.id}]
        )
        self.assertTrue(body.get("result"), body)
        self.env.invalidate_all()
        self.assertEqual(self.visit.region_id, self.village_b1)
        self.assertFalse(self._followers(self.elder, self.clerk.partner_id))
        self.assertFalse(self._followers(self.visit, self.clerk.partner_id))
        # The county officer still serves the elder, and still follows.
        self.assertTrue(self._followers(self.elder, self.user_county.partner_id))

        messages = self.env["mail.message"]
        for record in (self.elder, self.visit):
            for subtype in ("mail.mt_comment", "mail.mt_note"):
                messages |= record.with_user(self.user_manager).message_post(
                    body=f"{MARK} {record._name} {subtype}",
                    message_type="comment",
                    subtype_xmlid=subtype,
                )
        # The messages do notify: the county officer, who may read them, is told.
        self.assertIn(
            self.user_county.partner_id,
            messages.sudo().notification_ids.res_partner_id,
            "the messages notify their followers",
        )
        self.assertFalse(
            messages.sudo().notification_ids.filtered(
                lambda n: n.res_partner_id == self.clerk.partner_id
            )
        )

        with mute_logger("odoo.http"):
            answers = self._answers(clerk, messages)
        for path, answer in answers.items():
            self.assertNotIn(MARK, json.dumps(answer, ensure_ascii=False), path)
        self.assertEqual(
            answers["mail.message read"].get("error", {}).get("data", {}).get("name"),
            "odoo.exceptions.AccessError",
        )

    def _answers(self, clerk, messages):
        """What the clerk gets for the messages, by every path of the web client."""
        base = self.base_url()
        answers = {
            "mail.message search_read": call_kw(
                clerk,
                base,
                "mail.message",
                "search_read",
                [[("model", "in", ["lbe.elder", "lbe.visit"])]],
                {"fields": ["body", "model", "res_id"]},
            ),
            "mail.message read": call_kw(
                clerk, base, "mail.message", "read", [messages.ids, ["body"]]
            ),
            "mail.notification search_read": call_kw(
                clerk,
                base,
                "mail.notification",
                "search_read",
                [[("mail_message_id", "in", messages.ids)]],
                {"fields": ["mail_message_id"]},
            ),
            "inbox": self._json(clerk, "/mail/inbox/messages", {}),
            "history": self._json(clerk, "/mail/history/messages", {}),
        }
        for record in (self.elder, self.visit):
            answers[f"thread {record._name}"] = self._json(
                clerk,
                "/mail/thread/messages",
                {"thread_model": record._name, "thread_id": record.id},
            )
        return answers

    def test_followers_go_when_the_users_areas_change(self):
        self.elder.with_user(self.clerk).message_subscribe(self.clerk.partner_id.ids)
        self.elder.with_user(self.user_county).message_subscribe(self.user_county.partner_id.ids)
        partners = self.clerk.partner_id | self.user_county.partner_id
        # Still serving A1: nothing changes.
        self.env["lbe.area.mixin"]._lbe_drop_foreign_followers(partners)
        self.assertTrue(self._followers(self.elder, self.clerk.partner_id))
        self.clerk.sudo().lbe_region_ids = [Command.set(self.village_a2.ids)]
        self.env["lbe.area.mixin"]._lbe_drop_foreign_followers(partners)
        self.assertFalse(self._followers(self.elder, self.clerk.partner_id))
        self.assertFalse(self._followers(self.visit, self.clerk.partner_id))
        self.assertTrue(self._followers(self.elder, self.user_county.partner_id))
