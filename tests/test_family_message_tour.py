"""The family's message and the village's reply through the screens, in Chinese
(issue 20): the daughter writes from her phone (360 px wide), the clerk finds the
message on the start page and replies, the daughter reads the reply. Three tours,
chained here; the year's tour may chain them the same way."""

from odoo.tests import HttpCase, tagged

from .common import LbeFamilyPortalCommon, load_chinese

MESSAGE = "爸爸最近腿疼，请村医去看看。"
REPLY = "已安排村医明天上门。"


@tagged("post_install", "-at_install")
class TestFamilyMessageTour(LbeFamilyPortalCommon, HttpCase):
    PHONE = "360x740"
    browser_size = PHONE

    def test_daughter_writes_the_clerk_replies_she_reads(self):
        load_chinese(self.env)
        self.env.company.name = "广东省民政厅"
        self.father.region_id.phone = "020-86041234"
        for user in (self.daughter, self.user_village):
            user.lang = "zh_CN"

        self.start_tour("/my/elders", "lbe_family_message_send_tour", login=self.daughter.login)
        message = self.env["lbe.family.message"].search([("elder_id", "=", self.father.id)])
        self.assertRecordValues(
            message,
            [{"body": MESSAGE, "state": "new", "guardian_id": self.father.primary_guardian_id.id}],
        )
        todo = message.activity_ids.filtered(lambda a: a.user_id == self.user_village)
        self.assertEqual(todo.activity_type_id.with_context(lang="zh_CN").name, "家属留言")

        # The clerk works at a desk.
        self.browser_size = "1366x768"
        self.start_tour("/odoo", "lbe_family_message_reply_tour", login=self.user_village.login)
        self.assertRecordValues(
            message, [{"state": "replied", "reply": REPLY, "reply_user_id": self.user_village.id}]
        )
        self.assertFalse(message.activity_ids)

        self.browser_size = self.PHONE
        self.start_tour("/my/elders", "lbe_family_message_read_tour", login=self.daughter.login)
