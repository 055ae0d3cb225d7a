from odoo.tests import TransactionCase, tagged

DEMO_USERS = [
    "user_village",
    "user_village2",
    "user_township",
    "user_county",
    "user_city",
    "user_province",
    "user_manager",
]


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """The demo looks like a civil-affairs office from its first screen."""

    def test_demo_is_a_civil_affairs_office(self):
        if not self.env.ref("left_behind_elderly.user_village", raise_if_not_found=False):
            self.skipTest("demo data not installed")
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "广东省民政厅")
        self.assertEqual(company.state_id, self.env.ref("base.state_cn_GD"))
        self.assertEqual(self.env.ref("base.user_admin").name, "系统管理员（演示）")
        for xml_id in DEMO_USERS:
            user = self.env.ref(f"left_behind_elderly.{xml_id}")
            with self.subTest(login=user.login):
                # Named after the office of the area served, as a demo account.
                self.assertTrue(user.name.startswith(user.lbe_region_ids.name), user.name)
                self.assertTrue(user.name.endswith("（演示）"), user.name)
                self.assertEqual(user.company_id, company)
