import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.tiers import TIERS
from .common import LbeCareCommon, LbeCommon, load_chinese

# What each model's records are kept to the user's area by, for the check that
# a figure counts the user's own area only.
AREA_FIELDS = {
    "lbe.elder": "region_id",
    "lbe.visit": "region_id",
    "lbe.visit.followup": "region_id",
    "lbe.care.agreement": "region_id",
    "lbe.summary": "region_id",
    "lbe.supervision": "region_id",
}


def _summary(env, region, year, state):
    Summary = env["lbe.summary"]
    summary = Summary.search([("region_id", "=", region.id), ("year", "=", year)]) or (
        Summary.create({"region_id": region.id, "year": year})
    )
    summary.state = state
    return summary


@tagged("post_install", "-at_install")
class TestHome(LbeCareCommon):
    """The start page counts, as the user, what the user's tier has to do, and
    each figure opens exactly the records it counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, today = cls.env, cls.today
        cls.Home = env["lbe.home"]
        region = env["lbe.region"]
        cls.county_c = region.search([("code", "=", "440114")])
        cls.county_d = region.search([("code", "=", "440203")])
        # Demo data may live in the same villages: figures are compared with the
        # records of the user's area found by the superuser.
        cls.overdue_a1 = cls._registered_elder("首页逾期甲", cls.village_a1)
        cls.recent_a1 = cls._registered_elder("首页近期乙", cls.village_a1, registered_days_ago=1)
        cls.overdue_a2 = cls._registered_elder("首页逾期丙", cls.village_a2)
        cls.overdue_c1 = cls._registered_elder("首页逾期丁", cls.village_c1)
        cls.overdue_d1 = cls._registered_elder("首页逾期戊", cls.village_d1)
        cls.risk_visit_a1 = cls._done_visit(cls.recent_a1, risk_level="high")
        cls.risk_visit_d1 = cls._done_visit(cls.overdue_d1, risk_level="high")
        cls.portal_note_a1 = env["lbe.visit.followup"].create(
            {"visit_id": cls.risk_visit_a1.id, "contact_name": "首页之子", "channel": "portal"}
        )
        cls.ending_a1 = cls._agreement(cls.recent_a1, days=10)
        cls.ending_d1 = cls._agreement(cls.overdue_d1, days=10)
        cls.later_a1 = cls._agreement(cls.overdue_a1, days=200)
        year = today.year
        cls.summary_county = _summary(env, cls.county, year, "draft")
        cls.summary_county_c = _summary(env, cls.county_c, year, "submitted")
        cls.summary_county_d = _summary(env, cls.county_d, year, "returned")
        overdue_type = env.ref("left_behind_elderly.mail_activity_type_visit_overdue")
        todo_type = env.ref("mail.mail_activity_data_todo")
        cls.activities = env["mail.activity"].create(
            [
                cls._activity(cls.overdue_a1, overdue_type, cls.user_village, today),
                cls._activity(cls.recent_a1, todo_type, cls.user_village, today - timedelta(1)),
                cls._activity(cls.overdue_a2, overdue_type, cls.user_township, today),
            ]
        )

    @classmethod
    def _agreement(cls, elder, days):
        guardian = cls.env["lbe.guardian"].create(
            {
                "elder_id": elder.id,
                "name": "首页赡养人",
                "mobile": "13800000000",
                "is_primary": True,
            }
        )
        agreement = cls.env["lbe.care.agreement"].create(
            {
                "elder_id": elder.id,
                "guardian_id": guardian.id,
                "caregiver_name": "邻居",
                "caregiver_mobile": "13700000000",
                "date_start": cls.today,
                "date_end": cls.today + timedelta(days=days),
                "signed_date": cls.today,
                "elder_consent": True,
                "agreement_copy": base64.b64encode(b"scan"),
            }
        )
        agreement.action_activate()
        return agreement

    @classmethod
    def _activity(cls, record, activity_type, user, deadline):
        return {
            "res_model_id": cls.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "activity_type_id": activity_type.id,
            "user_id": user.id,
            "date_deadline": deadline,
        }

    def _home(self, user):
        home = self.Home.with_user(user).get_home()
        return home, {
            (card["key"], figure["key"]): figure["count"]
            for card in home["cards"]
            for figure in card["figures"]
        }

    def _records(self, user, key):
        """The records the figure's action lists for the user."""
        action = self.Home.with_user(user).action_open_figure(key)
        return self.env[action["res_model"]].with_user(user).search(action["domain"])

    def _assert_figures_open_their_records(self, user):
        """Every figure of the user's page opens exactly the records it counts,
        and those are all the records of the user's area the domain finds."""
        _home, figures = self._home(user)
        self.assertTrue(figures)
        for (card, key), count in figures.items():
            with self.subTest(user=user.login, card=card, figure=key):
                action = self.Home.with_user(user).action_open_figure(key)
                self.assertEqual(action["type"], "ir.actions.act_window")
                records = self.env[action["res_model"]].with_user(user).search(action["domain"])
                self.assertEqual(len(records), count)
                area_field = AREA_FIELDS.get(action["res_model"])
                if area_field:
                    in_area = (
                        self.env[action["res_model"]]
                        .sudo()
                        .search(
                            [*action["domain"], (area_field, "child_of", user.lbe_region_ids.ids)]
                        )
                    )
                    self.assertEqual(records.ids, in_area.ids)
                self.assertFalse(
                    [k for k in action["context"] if k.startswith("search_default_")],
                    "a default filter would hide some of the records counted",
                )

    def test_village_clerk_figures(self):
        home, figures = self._home(self.user_village)
        self.assertEqual(
            [card["key"] for card in home["cards"]],
            ["visits", "followup", "family", "activities", "agreements"],
        )
        overdue = self._records(self.user_village, "overdue")
        self.assertIn(self.overdue_a1, overdue)
        self.assertNotIn(self.recent_a1, overdue)
        self.assertNotIn(self.overdue_a2, overdue, "another village of the township")
        self.assertEqual(
            figures["visits", "overdue"],
            self.env["lbe.elder"].search_count(
                [("is_visit_overdue", "=", True), ("region_id", "=", self.village_a1.id)]
            ),
        )
        self.assertIn(self.overdue_a1, self._records(self.user_village, "overdue_long"))
        # The most overdue, by name with their days overdue.
        items = home["cards"][0]["items"]
        listed = self.env["lbe.elder"].browse([item["res_id"] for item in items])
        self.assertEqual(len(items), min(5, figures["visits", "overdue"]))
        self.assertEqual(listed, listed.sorted(lambda e: (e.next_visit_date, e.id)))
        self.assertTrue(all(elder.region_id == self.village_a1 for elder in listed))
        for item, elder in zip(items, listed, strict=True):
            days = (self.today - elder.next_visit_date).days
            self.assertEqual(item["label"], elder.name)
            self.assertIn(str(days), item["detail"])
            self.assertIn(self.village_a1.name, item["detail"])
        self.assertGreater((self.today - self.overdue_a1.next_visit_date).days, 30)

        risk = self._records(self.user_village, "risk_pending")
        self.assertIn(self.risk_visit_a1, risk)
        self.assertNotIn(self.risk_visit_d1, risk)
        self.assertIn(
            self.portal_note_a1, self._records(self.user_village, "portal_unacknowledged")
        )
        ending = self._records(self.user_village, "agreement_ending")
        self.assertIn(self.ending_a1, ending)
        self.assertNotIn(self.later_a1, ending)
        self.assertNotIn(self.ending_d1, ending)

        # The clerk's own to-dos, by type: the township's is not counted.
        overdue_type = self.env.ref("left_behind_elderly.mail_activity_type_visit_overdue")
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        self.assertEqual(figures["activities", f"activity_{overdue_type.id}"], 1)
        self.assertEqual(figures["activities", f"activity_{todo_type.id}"], 1)
        self.assertEqual(figures["activities", "activity_all"], 2)
        self.assertEqual(figures["activities", "activity_late"], 1)
        self.assertEqual(
            self._records(self.user_village, f"activity_{overdue_type.id}"), self.activities[0]
        )
        self._assert_figures_open_their_records(self.user_village)

    def test_township_sees_its_villages(self):
        overdue = self._records(self.user_township, "overdue")
        self.assertIn(self.overdue_a2, overdue)
        self.assertNotIn(self.overdue_c1, overdue)
        _home, figures = self._home(self.user_township)
        self.assertEqual(
            figures["visits", "overdue"],
            self.env["lbe.elder"].search_count(
                [("is_visit_overdue", "=", True), ("region_id", "child_of", self.township.id)]
            ),
        )
        self._assert_figures_open_their_records(self.user_township)

    def test_county_officer_figures(self):
        home, figures = self._home(self.user_county)
        self.assertEqual(
            [card["key"] for card in home["cards"]], ["summaries", "supervision", "activities"]
        )
        # The county sees its own summary only.
        self.assertEqual(figures["summaries", "summary_draft"], 1)
        self.assertEqual(figures["summaries", "summary_submitted"], 0)
        self.assertEqual(figures["summaries", "summary_returned"], 0)
        self.assertEqual(self._records(self.user_county, "summary_draft"), self.summary_county)
        overdue = self._records(self.user_county, "overdue")
        self.assertIn(self.overdue_a2, overdue)
        self.assertNotIn(self.overdue_c1, overdue, "another county of the city")
        self.assertEqual(
            figures["supervision", "elders"],
            self.env["lbe.elder"].search_count(
                [("state", "=", "active"), ("region_id", "child_of", self.county.id)]
            ),
        )
        self.assertEqual(
            figures["supervision", "overdue"],
            sum(
                self.env["lbe.supervision"]
                .search([("county_id", "=", self.county.id)])
                .mapped("overdue_count")
            ),
        )
        self.assertNotIn(self.ending_d1, self._records(self.user_county, "agreement_ending"))
        self._assert_figures_open_their_records(self.user_county)

    def test_city_user_figures(self):
        _home, figures = self._home(self.user_city)
        summaries = self._records(self.user_city, "summary_submitted")
        self.assertIn(self.summary_county_c, summaries)
        self.assertIn(self.summary_county, self._records(self.user_city, "summary_draft"))
        self.assertNotIn(
            self.summary_county_d,
            self._records(self.user_city, "summary_returned"),
            "a county of another city",
        )
        overdue = self._records(self.user_city, "overdue")
        self.assertIn(self.overdue_c1, overdue)
        self.assertNotIn(self.overdue_d1, overdue)
        self.assertEqual(
            figures["supervision", "overdue"],
            self.env["lbe.elder"].search_count(
                [("is_visit_overdue", "=", True), ("region_id", "child_of", self.city.id)]
            ),
        )
        self._assert_figures_open_their_records(self.user_city)

    def test_province_and_manager_figures(self):
        self.assertIn(self.summary_county_d, self._records(self.user_province, "summary_returned"))
        self._assert_figures_open_their_records(self.user_province)
        home, _figures = self._home(self.user_manager)
        self.assertEqual(
            [card["key"] for card in home["cards"]],
            ["summaries", "supervision", "staff", "activities"],
        )
        no_area = self._records(self.user_manager, "staff_no_area")
        self.assertIn(self.user_no_area, no_area)
        self.assertNotIn(self.user_village, no_area)
        self.assertNotIn(self.env.ref("base.user_admin"), no_area, "an Odoo administrator")
        self._assert_figures_open_their_records(self.user_manager)

    def test_user_without_area_sees_nothing(self):
        home, figures = self._home(self.user_no_area)
        self.assertTrue(home["notice"])
        self.assertFalse(any(figures.values()))

    def test_figure_of_another_tier_is_refused(self):
        with self.assertRaises(UserError):
            self.Home.with_user(self.user_village).action_open_figure("staff_no_area")
        with self.assertRaises(UserError):
            self.Home.with_user(self.user_city).action_open_figure("portal_unacknowledged")


@tagged("post_install", "-at_install")
class TestHomeMenus(LbeCommon):
    """Staff land on the start page, and menus offer each tier what it can use."""

    def _root_menus(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        return menus, [menus[menu_id]["xmlid"] for menu_id in menus["root"]["children"]]

    def _tier_users(self):
        return {tier: getattr(self, f"user_{tier}") for tier in TIERS}

    def test_staff_land_on_the_start_page(self):
        home_action = self.env.ref("left_behind_elderly.lbe_home_action")
        root = self.env.ref("left_behind_elderly.lbe_menu_root")
        self.assertEqual(root.action, home_action)
        for tier, user in self._tier_users().items():
            with self.subTest(tier=tier):
                # No home action of the user's own: the web client opens the first app.
                self.assertFalse(user.action_id)
                _menus, roots = self._root_menus(user)
                self.assertEqual(roots[0], "left_behind_elderly.lbe_menu_root")
                self.assertLessEqual(
                    set(roots), {"left_behind_elderly.lbe_menu_root", "mail.menu_root_discuss"}
                )

    def test_no_apps_menu_for_staff(self):
        for tier, user in self._tier_users().items():
            with self.subTest(tier=tier):
                menus, roots = self._root_menus(user)
                self.assertNotIn("base.menu_management", roots)
                xmlids = {menu.get("xmlid") for menu in menus.values()}
                self.assertNotIn("base.menu_module_tree", xmlids)
        # Odoo administrators keep Odoo's own apps, and land on ours too.
        _menus, roots = self._root_menus(self.env.ref("base.user_admin"))
        self.assertIn("base.menu_management", roots)
        self.assertEqual(roots[0], "left_behind_elderly.lbe_menu_root")

    def test_field_app_menu_for_village_and_township_only(self):
        field_menu = self.env.ref("left_behind_elderly.lbe_field_app_menu")
        self.assertEqual(field_menu.action.target, "self")
        for tier, user in self._tier_users().items():
            with self.subTest(tier=tier):
                menus, _roots = self._root_menus(user)
                self.assertEqual(field_menu.id in menus, tier in ("village", "township"))
                self.assertEqual(
                    bool(
                        self.env["ir.ui.menu"].with_user(user).search([("id", "=", field_menu.id)])
                    ),
                    tier in ("village", "township"),
                )


@tagged("post_install", "-at_install")
class TestHomeTour(HttpCase):
    """Chinese staff log in, land on their start page and open a figure's records."""

    def setUp(self):
        super().setUp()
        load_chinese(self.env)
        self.region = self.env["lbe.region"]

    def _user(self, login, name, tier, code):
        return new_test_user(
            self.env,
            login=login,
            name=name,
            groups=f"left_behind_elderly.group_{tier}",
            password=login,
            lang="zh_CN",
            lbe_region_ids=[Command.set(self.region.search([("code", "=", code)]).ids)],
        )

    def test_village_clerk_lands_on_the_start_page(self):
        clerk = self._user("lbe_home_clerk", "首页文书", "village", "440111103200")
        today = fields.Date.context_today(clerk)
        elder = self.env["lbe.elder"].create(
            {
                "name": "首页逾期老人",
                "region_id": clerk.lbe_region_ids.id,
                "birth_date": today - timedelta(days=70 * 366),
                "registration_date": today - timedelta(days=365),
                "child_ids": [
                    Command.create({"name": "首页之子", "away_since": today - timedelta(730)})
                ],
            }
        )
        elder.action_activate()
        self.assertTrue(elder.is_visit_overdue)
        self.start_tour("/odoo", "lbe_home_village_tour", login=clerk.login)

    def test_county_officer_lands_on_the_start_page(self):
        officer = self._user("lbe_home_county", "首页县干部", "county", "440111")
        _summary(self.env, officer.lbe_region_ids, fields.Date.context_today(officer).year, "draft")
        self.start_tour("/odoo", "lbe_home_county_tour", login=officer.login)
