import io
from datetime import date, timedelta

import openpyxl
from lxml import etree, html

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..annex import annex1
from ..models.collation import PINYIN_COLLATION
from .common import LbeCareCommon

ANNEX1 = "left_behind_elderly.lbe_elder_annex1_report"


def chinese(env):
    """zh_CN with the addon's terms, and `env` in it."""
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"]._load_module_terms(["left_behind_elderly"], ["zh_CN"])
    return env(context=dict(env.context, lang="zh_CN"))


@tagged("post_install", "-at_install")
class TestWords(LbeCareCommon):
    """What the users read: the forms' names, years, village pickers, labels,
    the audit log's and the chatter's words, names sorted by pinyin."""

    def _annex1_text(self, elder, user):
        page = html.fromstring(
            self.env["ir.actions.report"].with_user(user)._render_qweb_html(ANNEX1, elder.ids)[0]
        ).text_content()
        return " ".join(page.split())

    def _view_field(self, model, view_type, name, user):
        """The <field> node `name` of the view the user is served."""
        arch = self.env[model].with_user(user).get_views([(False, view_type)])["views"][view_type]
        nodes = etree.fromstring(arch["arch"]).xpath(f"//field[@name='{name}']")
        self.assertTrue(nodes, f"{name} is not on the {view_type} view of {model}")
        return nodes[0]

    # ------------------------------------------------------------------
    # Annex 1
    # ------------------------------------------------------------------
    def test_annex1_preparer_is_the_registering_clerk_never_odoobot(self):
        # Loaded by the application (as demo data is): nobody filled it in.
        loaded = self._registered_elder(
            "机器人", self.village_a1, last_home_visit_year=2025, last_home_visit_month="9"
        )
        self.assertFalse(loaded.filler_id)
        self.assertFalse(loaded.registered_by_id)
        text = self._annex1_text(loaded, self.user_village)
        self.assertIn("填表人（签名）：", text)
        self.assertNotIn("OdooBot", text)
        self.assertNotIn(self.env.ref("base.user_root").name, text)
        self.assertIn("（ 2025年9月 ）", text)
        # A draft registered by the village clerk: the clerk prepared the form.
        draft = self._create_elder(
            "文书登记",
            self.village_a1,
            birth_date=self.today - timedelta(days=70 * 366),
            child_ids=[
                Command.create({"name": "子", "away_since": self.today - timedelta(days=730)})
            ],
        )
        draft.with_user(self.user_village).action_activate()
        self.assertEqual(draft.registered_by_id, self.user_village)
        text = self._annex1_text(draft, self.user_village)
        self.assertIn(f"填表人（签名）：{self.user_village.name}", text)
        # Set by the application, not by hand.
        with self.assertRaises(AccessError):
            draft.with_user(self.user_village).write({"registered_by_id": self.user_county.id})

    def test_a_new_record_is_filled_in_by_its_clerk(self):
        elder = (
            self.env["lbe.elder"]
            .with_user(self.user_village)
            .create({"name": "新登记", "region_id": self.village_a1.id})
        )
        self.assertEqual(elder.filler_id, self.user_village)

    # ------------------------------------------------------------------
    # Years
    # ------------------------------------------------------------------
    def test_years_are_neither_formatted_nor_summed(self):
        years = [
            (model, name)
            for model in self.env
            if model.startswith("lbe.") and not model.startswith("lbe.summary")
            for name, field in self.env[model]._fields.items()
            if field.type == "integer" and "year" in name and not name.startswith("years")
        ]
        self.assertIn(("lbe.elder", "last_home_visit_year"), years)
        for model, name in years:
            described = self.env[model].fields_get([name], ["aggregator"])[name]
            self.assertFalse(described.get("aggregator"), f"{model}.{name} is summed")
        views = self.env["ir.ui.view"].search(
            [("model", "in", [m for m, _n in years]), ("type", "in", ("list", "form"))]
        )
        for view in views:
            arch = etree.fromstring(view.get_combined_arch())
            for model, name in years:
                if view.model != model:
                    continue
                for node in arch.xpath(f"//field[@name='{name}']"):
                    options = safe_eval(node.get("options") or "{}", {"false": False, "true": True})
                    self.assertIs(options.get("format"), False, f"{view.xml_id}: {name}")
        # A grouped list shows no sum of years.
        self.env["lbe.elder"].with_user(self.user_village).create(
            {"name": "年份", "region_id": self.village_a1.id, "last_home_visit_year": 2025}
        )
        groups = (
            self.env["lbe.elder"]
            .with_user(self.user_village)
            .web_read_group([], ["last_home_visit_year"], ["region_id"])
        )
        self.assertNotIn("last_home_visit_year", groups["groups"][0])

    # ------------------------------------------------------------------
    # Villages
    # ------------------------------------------------------------------
    def test_a_clerks_village_is_filled_in(self):
        for model in ("lbe.elder", "lbe.facility", "lbe.volunteer"):
            defaults = self.env[model].with_user(self.user_village).default_get(["region_id"])
            self.assertEqual(defaults.get("region_id"), self.village_a1.id, model)
            # A township officer chooses among the township's villages.
            defaults = self.env[model].with_user(self.user_township).default_get(["region_id"])
            self.assertFalse(defaults.get("region_id"), model)
        # Where the village follows the elder, nothing is filled in.
        defaults = self.env["lbe.visit"].with_user(self.user_village).default_get(["region_id"])
        self.assertFalse(defaults.get("region_id"))
        # A clerk of two villages chooses.
        two = self._tier_user("village", self.village_a1 | self.village_a2, login="lbe_test_two")
        self.assertFalse(self.env["lbe.elder"].with_user(two).default_get(["region_id"]))

    def test_village_pickers_offer_the_users_own_villages(self):
        Region = self.env["lbe.region"]
        township_villages = Region.search(
            [("parent_id", "=", self.township.id), ("level", "=", self.village_a1.level)]
        )
        self.assertGreater(len(township_villages), 2)
        for model in ("lbe.elder", "lbe.facility", "lbe.volunteer"):
            node = self._view_field(model, "form", "region_id", self.user_village)
            domain = safe_eval(node.get("domain"))
            for user, expected in (
                (self.user_village, self.village_a1),
                (self.user_township, township_villages),
            ):
                offered = Region.with_user(user).search(domain)
                villages = offered.filtered(lambda r: r.level == self.village_a1.level)
                self.assertEqual(villages, expected, f"{model} for {user.login}")
                self.assertEqual(
                    offered - villages,
                    self.township
                    if model != "lbe.elder" and user == self.user_township
                    else Region,
                    f"{model} for {user.login}",
                )
            # Typed into the picker, a village of another township is not found.
            found = Region.with_user(self.user_village).name_search(
                self.village_b1.name, domain, limit=None
            )
            self.assertNotIn(self.village_b1.id, [rid for rid, _name in found])

    def test_ledger_lists_the_village_by_its_name(self):
        elder = self._registered_elder("短名", self.village_a1)
        node = self._view_field("lbe.elder", "list", "region_id", self.user_village)
        context = safe_eval(node.get("context"))
        records = (
            self.env["lbe.elder"]
            .with_user(self.user_village)
            .web_search_read(
                [("id", "=", elder.id)],
                {"region_id": {"fields": {"display_name": {}}, "context": context}},
            )["records"]
        )
        self.assertEqual(records[0]["region_id"]["display_name"], self.village_a1.name)
        # Elsewhere the village keeps its full path.
        self.assertIn("/", self.village_a1.display_name)

    # ------------------------------------------------------------------
    # Facilities and service types
    # ------------------------------------------------------------------
    def test_facility_opening_can_be_set_back_for_last_weeks_meals(self):
        Facility = self.env["lbe.facility"].with_user(self.user_township)
        canteen = Facility.create(
            {"name": "人和镇长者饭堂", "region_id": self.township.id, "facility_type": "meal_point"}
        )
        canteen.action_open()
        self.assertEqual(canteen.opening_date, self.today)
        elder = self._registered_elder("用餐", self.village_a1)
        meal_type = self.env.ref("left_behind_elderly.lbe_service_type_daily_care")
        week_ago = self.today - timedelta(days=7)
        vals = {
            "facility_id": canteen.id,
            "elder_id": elder.id,
            "service_type_id": meal_type.id,
            "date": week_ago,
            "description": "助餐",
        }
        Record = self.env["lbe.service.record"].with_user(self.user_township)
        with self.assertRaises(ValidationError):
            Record.create(vals)
        canteen.opening_date = week_ago - timedelta(days=3)
        self.assertTrue(Record.create(vals))
        # A typing error is still refused.
        with self.assertRaisesRegex(ValidationError, "before 1900"):
            canteen.opening_date = date(1025, 1, 1)

    def test_names_of_things_are_not_persons_names(self):
        person = self.env["lbe.elder"].fields_get(["name"], ["string"])["name"]["string"]
        for model in ("lbe.facility", "lbe.service.type"):
            label = self.env[model].fields_get(["name"], ["string"])["name"]["string"]
            self.assertNotEqual(label, person, model)
            self.assertNotEqual(label, "Name", model)

    # ------------------------------------------------------------------
    # The audit log
    # ------------------------------------------------------------------
    def test_audit_log_names_models_in_words(self):
        elder = self._registered_elder("审计", self.village_a1)
        entry = self.env["lbe.audit.log"].with_user(self.user_village)._log("print_annex1", elder)
        self.assertEqual(entry.res_model_name, "Left-behind Elder")
        zh = chinese(self.env)
        self.assertEqual(
            entry.with_env(zh).res_model_name,
            zh["ir.model"]._get("lbe.elder").name,
        )
        self.assertNotEqual(entry.with_env(zh).res_model_name, "Left-behind Elder")
        for view_type in ("list", "form"):
            self._view_field("lbe.audit.log", view_type, "res_model_name", self.user_manager)

    # ------------------------------------------------------------------
    # The import template
    # ------------------------------------------------------------------
    def test_import_template_keeps_id_numbers_as_text(self):
        wizard = self.env["lbe.elder.import"].with_user(self.user_village).create({})
        action = wizard.action_download_template()
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(self.user_village)
            ._render_xlsx(action["report_name"], wizard.ids, data=None)
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        id_col = header.index(annex1.LABELS["id_number"]) + 1
        birth_col = header.index(annex1.LABELS["birth_date"]) + 1
        for row in (2, 3, 500, 2001):
            self.assertEqual(sheet.cell(row, id_col).number_format, "@", row)
            self.assertEqual(sheet.cell(row, birth_col).number_format, "yyyy-mm-dd", row)
        # Formatted, not filled: no row below the header holds a value.
        self.assertFalse([row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)])

    # ------------------------------------------------------------------
    # Names by pinyin
    # ------------------------------------------------------------------
    def test_names_sort_by_pinyin(self):
        self.env.cr.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [PINYIN_COLLATION])
        if not self.env.cr.fetchone():
            self.skipTest(f"PostgreSQL has no {PINYIN_COLLATION} collation (built without ICU)")
        # By code point 张 (U+5F20) < 李 (U+674E) < 阿 (U+963F); by pinyin a < li < zhang.
        names = ("张三", "阿明", "李四")
        for name in names:
            self._create_elder(name, self.village_b1)
        listed = self.env["lbe.elder"].search(
            [("region_id", "=", self.village_b1.id), ("name", "in", names)]
        )
        self.assertEqual(listed.mapped("name"), ["阿明", "李四", "张三"])
        for name in ("张志愿", "阿志愿", "李志愿"):
            self.env["lbe.volunteer"].create({"name": name, "region_id": self.village_b1.id})
        volunteers = self.env["lbe.volunteer"].search(
            [("region_id", "=", self.village_b1.id), ("name", "like", "志愿")], order="name"
        )
        self.assertEqual(volunteers.mapped("name"), ["阿志愿", "李志愿", "张志愿"])
        # The order index sorts as the column does, so it still serves the ledger's order.
        self.env.cr.execute(
            """
            SELECT c.collname FROM pg_index i
              JOIN pg_class x ON x.oid = i.indexrelid
              JOIN pg_collation c ON c.oid = i.indcollation[1]
             WHERE x.relname = 'lbe_elder_order_index'
            """
        )
        self.assertEqual(self.env.cr.fetchone()[0], PINYIN_COLLATION)

    # ------------------------------------------------------------------
    # The chatter and the to-do lists
    # ------------------------------------------------------------------
    def test_reminders_are_in_the_clerks_language(self):
        zh = chinese(self.env)
        clerks = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("left_behind_elderly.group_village").id),
                ("lbe_region_ids", "in", self.village_a1.id),
            ]
        )
        clerks.lang = "zh_CN"
        english = self._tier_user("village", self.village_a1, login="lbe_test_village_en")
        english.lang = "en_US"
        elder = self._registered_elder("逾期", self.village_a1, registered_days_ago=200)
        # The scheduled action runs as OdooBot, in English.
        self.env["lbe.elder"].with_context(lang="en_US")._cron_visits_overdue()
        overdue = self.env.ref("left_behind_elderly.mail_activity_type_visit_overdue")
        activities = elder.activity_ids.filtered(lambda a: a.activity_type_id == overdue)
        expected = zh._(
            "Visit overdue since %(date)s: visit the elder.", date=elder.next_visit_date
        )
        self.assertNotIn("Visit overdue", expected, "no Chinese term to compare with")
        self.assertEqual(activities.user_id, clerks | english)
        for activity in activities:
            with self.subTest(clerk=activity.user_id.login):
                self.assertEqual(
                    activity.summary,
                    expected
                    if activity.user_id in clerks
                    else f"Visit overdue since {elder.next_visit_date}: visit the elder.",
                )

    def test_risk_reports_are_in_the_township_officers_language(self):
        zh = chinese(self.env)
        self.user_township.lang = "zh_CN"
        elder = self._registered_elder("风险报告", self.village_a1)
        visit = (
            self.env["lbe.visit"]
            .with_context(lang="en_US")
            .create({"elder_id": elder.id, "visit_date": self.today, "risk_level": "high"})
        )
        visit.action_done()
        at_risk = self.env.ref("left_behind_elderly.mail_activity_type_elder_at_risk")
        activity = visit.activity_ids.filtered(
            lambda a: a.activity_type_id == at_risk and a.user_id == self.user_township
        )
        self.assertEqual(activity.summary, zh._("Elder at risk: %(name)s", name=elder.name))
        self.assertNotIn("Elder at risk", activity.summary)
