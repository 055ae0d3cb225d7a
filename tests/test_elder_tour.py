from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese


@tagged("post_install", "-at_install")
class TestElderTour(HttpCase):
    """The tour runs in English and in Chinese, as the users see it."""

    def _register_an_elder(self, lang):
        village = self.env["lbe.region"].search([("code", "=", "440111103200")])
        clerk = new_test_user(
            self.env,
            login="lbe_tour_clerk",
            groups="left_behind_elderly.group_village",
            password="lbe_tour_clerk",
            lang=lang,
            lbe_region_ids=[Command.set(village.ids)],
        )
        self.start_tour(
            "/odoo/action-left_behind_elderly.lbe_elder_action",
            "lbe_elder_register_tour",
            login=clerk.login,
        )
        elder = self.env["lbe.elder"].search([("id_number", "=", "440111194806211259")])
        self.assertRecordValues(
            elder,
            [{"name": "黄秀珍", "state": "active", "region_id": village.id, "gender": "male"}],
        )
        self.assertEqual(elder.child_ids.name, "黄伟")
        self.assertEqual(elder.guardian_ids.name, "黄伟")
        self.assertTrue(elder.guardian_ids.is_primary)
        self.assertEqual(elder.filler_id, clerk)

    def test_village_clerk_registers_an_elder(self):
        self._register_an_elder("en_US")

    def test_village_clerk_registers_an_elder_in_chinese(self):
        load_chinese(self.env)
        self._register_an_elder("zh_CN")
