"""The year's work through the screens, in Chinese, by one person of each tier, one
after the other on the same data: what one leaves, the next finds. Each step is a tour
of the screens a person of that tier uses; their start page is checked as they land."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese

ELDER_ACTION = "/odoo/action-left_behind_elderly.lbe_elder_action"


@tagged("post_install", "-at_install")
class TestYearTour(HttpCase):
    def _user(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        self.assertEqual(len(user), 1, f"No staff member signs in as {login}")
        return user

    def _first_sign_in(self, user):
        """The staff member signs in with the manager's initial password and
        chooses their own before anything else."""
        self.assertTrue(user.lbe_password_change)
        self.start_tour("/odoo", "lbe_year_first_sign_in_tour", login=user.login)
        self.assertFalse(user.lbe_password_change)

    def test_the_year_in_chinese(self):
        load_chinese(self.env)
        county = self.env["lbe.region"].search([("code", "=", "440111")])
        village = self.env["lbe.region"].search([("code", "=", "440111103200")])

        # The county's manager sets up a village clerk and a county officer on screen.
        manager = new_test_user(
            self.env,
            login="lbe_year_manager",
            name="白云区民政局 李科长",
            groups="left_behind_elderly.group_manager",
            lang="zh_CN",
            lbe_region_ids=[Command.set(county.ids)],
        )
        self.start_tour(
            "/odoo/action-left_behind_elderly.res_users_lbe_staff_action",
            "lbe_staff_create_tour",
            login=manager.login,
        )
        self.start_tour("/odoo", "lbe_year_manager_home_tour", login=manager.login)
        clerk = self._user("13800138011")
        officer = self._user("he@baiyun.example.com")
        self.assertEqual((clerk.lang, clerk.lbe_region_ids), ("zh_CN", village))
        self.assertEqual((officer.lang, officer.lbe_region_ids), ("zh_CN", county))

        # The clerk signs in, registers an elder whose son works away, and visits her.
        self._first_sign_in(clerk)
        self.start_tour(ELDER_ACTION, "lbe_elder_register_tour", login=clerk.login)
        elder = self.env["lbe.elder"].search([("id_number", "=", "440111194806211259")])
        self.assertRecordValues(
            elder, [{"name": "黄秀珍", "state": "active", "filler_id": clerk.id}]
        )
        self.start_tour(f"{ELDER_ACTION}/{elder.id}", "lbe_year_visit_tour", login=clerk.login)
        self.assertRecordValues(elder.visit_ids, [{"state": "done", "user_id": clerk.id}])
        self.assertFalse(elder.is_visit_overdue)

        # The county officer signs in for the first time.
        self._first_sign_in(officer)
