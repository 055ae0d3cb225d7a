from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese


@tagged("post_install", "-at_install")
class TestStaffTour(HttpCase):
    """A manager of 白云区 creates staff on screen, in English and in Chinese."""

    def _create_staff(self, lang):
        regions = self.env["lbe.region"].search([("code", "in", ["440111", "440111103200"])])
        county = regions.filtered(lambda region: region.code == "440111")
        manager = new_test_user(
            self.env,
            login="lbe_tour_manager",
            groups="left_behind_elderly.group_manager",
            password="lbe_tour_manager",
            lang=lang,
            lbe_region_ids=[Command.set(county.ids)],
        )
        self.start_tour(
            "/odoo/action-left_behind_elderly.res_users_lbe_staff_action",
            "lbe_staff_create_tour",
            login=manager.login,
        )
        clerk = self.env["res.users"].search([("login", "=", "13800138011")])
        officer = self.env["res.users"].search([("login", "=", "he@baiyun.example.com")])
        self.assertEqual((clerk._lbe_tier(), clerk.lbe_region_ids), ("village", regions - county))
        self.assertEqual((officer._lbe_tier(), officer.lbe_region_ids), ("county", county))
        for user in clerk | officer:
            self.assertEqual(user.create_uid, manager)
            self.assertEqual(user.lang, lang)
            self.assertTrue(user.lbe_password_change)
            self.assertFalse(user.has_group("base.group_erp_manager"))

    def test_manager_creates_staff(self):
        self._create_staff("en_US")

    def test_manager_creates_staff_in_chinese(self):
        load_chinese(self.env)
        self._create_staff("zh_CN")
