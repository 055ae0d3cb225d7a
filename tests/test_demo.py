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

    def test_demo_summaries_run_a_cycle(self):
        """This year's summaries of 广州市 pass their cross-checks, its districts
        without elders have nil returns, and the city has the submitted one to review."""
        if not self.env.ref("left_behind_elderly.user_village", raise_if_not_found=False):
            self.skipTest("demo data not installed")
        ref = self.env.ref
        baiyun = ref("left_behind_elderly.lbe_summary_demo_baiyun")
        huadu = ref("left_behind_elderly.lbe_summary_demo_huadu")
        city = ref("left_behind_elderly.lbe_summary_demo_guangzhou")
        self.assertEqual(
            (baiyun.state, huadu.state, city.state), ("accepted", "submitted", "draft")
        )
        for summary in baiyun | huadu | city:
            self.assertFalse(summary.violations, summary.display_name)
        nils = city.sub_summary_ids.filtered("is_nil_return")
        self.assertTrue(nils)
        self.assertEqual(set(nils.mapped("state")), {"accepted"})
        self.assertEqual(city.sub_summary_ids - nils, baiyun | huadu)
        self.assertEqual(set(city.line_ids.mapped("sub_summary_state")), {"accepted", "submitted"})
        todo = self.env["mail.activity"].search(
            [("res_model", "=", "lbe.summary"), ("res_id", "=", huadu.id)]
        )
        self.assertEqual(todo.user_id, ref("left_behind_elderly.user_city"))
