from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese


@tagged("post_install", "-at_install")
class TestVisitTour(HttpCase):
    """The tour runs in English and in Chinese, as the users see it."""

    def _record_a_visit(self, lang):
        village = self.env["lbe.region"].search([("code", "=", "440111103200")])
        clerk = new_test_user(
            self.env,
            login="lbe_visit_clerk",
            groups="left_behind_elderly.group_village",
            password="lbe_visit_clerk",
            lang=lang,
            lbe_region_ids=[Command.set(village.ids)],
        )
        today = fields.Date.context_today(clerk)
        elder = self.env["lbe.elder"].create(
            {
                "name": "巡访老人",
                "region_id": village.id,
                "birth_date": today - relativedelta(years=70),
                "child_ids": [
                    Command.create(
                        {"name": "巡访之子", "away_since": today - relativedelta(years=2)}
                    )
                ],
                "state": "active",
            }
        )
        self.start_tour(
            f"/odoo/action-left_behind_elderly.lbe_elder_action/{elder.id}",
            "lbe_visit_record_tour",
            login=clerk.login,
        )
        visit = elder.visit_ids
        self.assertRecordValues(
            visit,
            [
                {
                    "state": "done",
                    "user_id": clerk.id,
                    "living_conditions": "住房安全，生活正常。",
                    "risk_level": "none",
                }
            ],
        )
        self.assertEqual(elder.last_visit_date, fields.Date.context_today(elder))
        self.assertFalse(elder.is_visit_overdue)

    def test_village_clerk_records_a_visit(self):
        self._record_a_visit("en_US")

    def test_village_clerk_records_a_visit_in_chinese(self):
        load_chinese(self.env)
        self._record_a_visit("zh_CN")
