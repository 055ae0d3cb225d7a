"""The field app's server side, over HTTP as a logged-in user: the page, its
service worker, the elders it keeps on the phone and the sync of visits."""

import base64
import io
import json
import uuid
from datetime import timedelta
from unittest.mock import patch

from PIL import Image

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import LbeCareCommon

NEUTRAL = "This elder is not in your area or no longer in the ledger."


def photo_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestFieldSync(LbeCareCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.elder = cls._registered_elder("走访甲", cls.village_a1)
        cls.elder2 = cls._registered_elder("走访乙", cls.village_a1)
        cls.elder_a2 = cls._registered_elder("走访己", cls.village_a2)
        cls.foreign = cls._registered_elder("外地丙", cls.village_d1)
        cls.exited = cls._registered_elder("退出丁", cls.village_a1)
        cls.exited.action_exit("moved_away")
        cls.clerk2 = cls._tier_user("village", cls.village_a1, login="lbe_test_village2")

    def _sync(self, user, visits):
        self.authenticate(user.login, user.login)
        results = self.make_jsonrpc_request("/lbe/field/sync", {"visits": visits})
        self.env.invalidate_all()
        return results

    def _item(self, elder, **vals):
        return {
            "client_uuid": str(uuid.uuid4()),
            "elder_id": elder.id,
            "visit_date": str(self.today),
            "method": "home",
            "risk_level": "none",
            "living_conditions": "住房安全",
            **vals,
        }

    def _stored(self, *items):
        return self.env["lbe.visit"].search(
            [("client_uuid", "in", [item["client_uuid"] for item in items])]
        )

    def test_same_batch_twice_is_stored_once(self):
        batch = [self._item(self.elder), self._item(self.elder2, method="phone")]
        first = self._sync(self.user_village, batch)
        self.assertEqual([r["status"] for r in first], ["created", "created"])
        self.assertEqual([r["client_uuid"] for r in first], [i["client_uuid"] for i in batch])
        again = self._sync(self.user_village, batch)
        self.assertEqual(
            again,
            [
                {"client_uuid": r["client_uuid"], "status": "duplicate", "visit_id": r["visit_id"]}
                for r in first
            ],
        )
        visits = self._stored(*batch)
        self.assertEqual(sorted(visits.ids), sorted(r["visit_id"] for r in first))
        # Stored as the back office stores a visit: completed by the clerk, the
        # elder's schedule moved.
        self.assertRecordValues(
            visits.sorted("id"),
            [
                {"elder_id": self.elder.id, "state": "done", "user_id": self.user_village.id},
                {"elder_id": self.elder2.id, "state": "done", "user_id": self.user_village.id},
            ],
        )
        self.assertEqual(visits.create_uid, self.user_village)
        self.assertEqual(self.elder.last_visit_date, self.today)
        self.assertFalse(self.elder.is_visit_overdue)

    def test_a_visit_sent_twice_in_one_batch_is_stored_once(self):
        item = self._item(self.elder)
        results = self._sync(self.user_village, [item, item])
        self.assertEqual([r["status"] for r in results], ["created", "duplicate"])
        self.assertEqual(len(self._stored(item)), 1)

    def test_foreign_unknown_and_exited_elders_are_refused_alike(self):
        unknown_id = self.env["lbe.elder"].search([], order="id desc", limit=1).id + 1000
        items = [
            self._item(self.foreign),
            {**self._item(self.elder), "elder_id": unknown_id},
            self._item(self.exited),
            {**self._item(self.elder), "elder_id": "1"},
        ]
        results = self._sync(self.user_village, items)
        self.assertEqual(
            results,
            [
                {"client_uuid": item["client_uuid"], "status": "refused", "message": NEUTRAL}
                for item in items
            ],
        )
        self.assertFalse(self._stored(*items))
        self.assertFalse(self.foreign.visit_ids)
        self.assertFalse(self.exited.visit_ids)

    def test_one_bad_item_does_not_keep_the_others_out(self):
        good1, good2 = self._item(self.elder), self._item(self.elder2)
        future = self._item(self.elder, visit_date=str(self.today + timedelta(days=3)))
        bad_method = self._item(self.elder, method="letter")
        no_date = self._item(self.elder, visit_date="2024-02-30")
        missing = self._item(self.elder)
        del missing["risk_level"]
        extra = self._item(self.elder, state="draft")
        bad_uuid = self._item(self.elder, client_uuid="not-a-uuid")
        not_object = ["a list"]
        results = self._sync(
            self.user_village,
            [good1, future, bad_method, no_date, missing, extra, bad_uuid, not_object, good2],
        )
        statuses = [r["status"] for r in results]
        self.assertEqual(statuses, ["created"] + ["refused"] * 7 + ["created"])
        messages = [r.get("message") for r in results]
        self.assertIn("cannot be dated in the future", messages[1])
        self.assertIn("letter is not a value of", messages[2])
        self.assertIn("2024-02-30 is not a date", messages[3])
        self.assertEqual(messages[4], "Fields missing: risk_level.")
        self.assertEqual(messages[5], "Unknown fields: state.")
        self.assertIn("no device record ID", messages[6])
        self.assertEqual(results[7]["client_uuid"], None)
        self.assertIn("object of fields", messages[7])
        self.assertEqual(self._stored(good1, good2).elder_id, self.elder | self.elder2)
        # The refused future visit left nothing behind, not even a draft.
        self.assertEqual(len(self.elder.visit_ids), 1)

    def test_high_risk_visit_starts_the_follow_up(self):
        item = self._item(
            self.elder, risk_level="high", safety_risk=True, safety_risk_note="屋顶漏雨"
        )
        [result] = self._sync(self.user_village, [item])
        self.assertEqual(result["status"], "created")
        visit = self.env["lbe.visit"].browse(result["visit_id"])
        self.assertRecordValues(
            visit, [{"state": "done", "needs_followup": True, "followup_state": "pending"}]
        )
        self.assertTrue(visit.township_report_date)
        self.assertTrue(self.elder.is_at_risk)
        self.assertTrue(self.elder.risk_not_followed_up)
        # The township sees the visit and has the activity of the follow-up.
        as_township = visit.with_user(self.user_township)
        self.assertEqual(as_township.search([("client_uuid", "=", item["client_uuid"])]), visit)
        activity_type = self.env.ref("left_behind_elderly.mail_activity_type_elder_at_risk")
        reported = visit.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertIn(self.user_township, reported.user_id)

    def test_another_users_client_uuid_is_refused_without_naming_the_visit(self):
        item = self._item(self.elder, living_conditions="甲的记录")
        [first] = self._sync(self.user_village, [item])
        self.assertEqual(first["status"], "created")
        [second] = self._sync(self.clerk2, [{**item, "elder_id": self.elder2.id}])
        self.assertEqual(second["status"], "refused")
        self.assertNotIn("visit_id", second)
        self.assertNotIn(self.elder.name, second["message"])
        self.assertNotIn(str(first["visit_id"]), second["message"])
        self.assertEqual(self._stored(item).elder_id, self.elder)

    def test_other_tiers_are_refused(self):
        item = self._item(self.elder)
        for user in (self.user_city, self.user_province, self.user_county, self.user_manager):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                with self.assertRaises(JsonRpcException) as caught:
                    self.make_jsonrpc_request("/lbe/field/sync", {"visits": [item]})
                self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
                with self.assertRaises(JsonRpcException) as caught:
                    self.make_jsonrpc_request("/lbe/field/elders", {})
                self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
                page = self.url_open("/lbe/field")
                self.assertEqual(page.status_code, 403)
                self.assertIn("for village and township staff", page.text)
        self.assertFalse(self._stored(item))

    def test_a_batch_too_large_is_refused_whole(self):
        items = [self._item(self.elder) for _i in range(21)]
        self.authenticate(self.user_village.login, self.user_village.login)
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request("/lbe/field/sync", {"visits": items})
        self.assertEqual(caught.exception.args[0], "odoo.exceptions.UserError")
        self.assertFalse(self._stored(*items))

    def test_visits_dated_before_1900_are_refused(self):
        items = [self._item(self.elder, visit_date=day) for day in ("1800-01-01", "0001-01-01")]
        good = self._item(self.elder)
        results = self._sync(self.user_village, [*items, good])
        self.assertEqual([r["status"] for r in results], ["refused", "refused", "created"])
        for result, day in zip(results, ("1800-01-01", "0001-01-01"), strict=False):
            self.assertIn(f"{day} is before 1900", result["message"])
            self.assertIn(self.elder.name, result["message"])
        self.assertFalse(self._stored(*items))
        self.assertEqual(self._stored(good).visit_date, self.today)

    def test_a_visit_with_too_much_text_is_refused(self):
        # 5 MB of text in one visit: refused, in words that do not repeat it; the
        # other visits of the batch are stored.
        huge = self._item(self.elder, living_conditions="x" * 5_000_000)
        long_name = self._item(self.elder, companions="村医" * 128)
        good = self._item(self.elder2, needs="需" * 10_000)
        results = self._sync(self.user_village, [huge, long_name, good])
        self.assertEqual([r["status"] for r in results], ["refused", "refused", "created"])
        self.assertIn("5000000 characters, at most 10000", results[0]["message"])
        self.assertIn("256 characters, at most 255", results[1]["message"])
        self.assertLess(len(results[0]["message"]), 300)
        self.assertFalse(self._stored(huge, long_name))
        self.assertEqual(len(self._stored(good).needs), 10_000)

    def test_a_request_larger_than_a_batch_can_be_is_refused_whole(self):
        Visit = type(self.env["lbe.visit"])
        # The largest request the app can send, as the model bounds it: a batch
        # of visits each with its texts and photo at their most.
        self.assertGreater(self.env["lbe.visit"]._lbe_field_request_max(), 20 * 4 * 2**20)
        items = [self._item(self.elder, needs="需" * 9_000) for _i in range(3)]
        self.authenticate(self.user_village.login, self.user_village.login)
        with patch.object(Visit, "_lbe_field_request_max", lambda self: 100_000):
            response = self.url_open(
                "/lbe/field/sync",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {"visits": items}}),
                headers={"Content-Type": "application/json"},
            )
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        self.assertIn("The visits sent are too large", error["message"])
        self.assertIn("Nothing was stored", error["message"])
        self.env.invalidate_all()
        self.assertFalse(self._stored(*items))

    def test_photo(self):
        good = self._item(self.elder, photo=base64.b64encode(photo_bytes()).decode())
        not_image = self._item(self.elder, photo=base64.b64encode(b"not an image").decode())
        not_base64 = self._item(self.elder, photo="###")
        too_large = self._item(
            self.elder, photo=base64.b64encode(b"\xff" * (3 * 1024 * 1024 + 1)).decode()
        )
        results = self._sync(self.user_village, [good, not_image, not_base64, too_large])
        self.assertEqual(
            [r["status"] for r in results], ["created", "refused", "refused", "refused"]
        )
        self.assertIn("could not be decoded as an image", results[1]["message"])
        self.assertIn("base64", results[2]["message"])
        self.assertIn("too large", results[3]["message"])
        visit = self._stored(good)
        self.assertTrue(visit.photo)
        # Personal data: the ledger tiers see it, the city does not.
        self.assertTrue(visit.with_user(self.user_township).photo)
        with self.assertRaises(AccessError):
            visit.with_user(self.user_city).read(["photo"])

    def test_client_uuid_is_set_by_the_sync_only(self):
        item = self._item(self.elder)
        [result] = self._sync(self.user_village, [item])
        visit = self.env["lbe.visit"].browse(result["visit_id"]).with_user(self.user_village)
        with self.assertRaises(AccessError):
            visit.write({"client_uuid": str(uuid.uuid4())})
        with self.assertRaises(AccessError):
            visit.create({"elder_id": self.elder.id, "client_uuid": str(uuid.uuid4())})
        with self.assertRaises(ValidationError):
            visit.sudo().client_uuid = "Not-A-UUID"
        self.assertEqual(visit.client_uuid, item["client_uuid"])

    def test_elders_kept_on_the_phone(self):
        focus = self._registered_elder("重点戊", self.village_a1, key_focus=True)
        self._done_visit(self.elder, risk_level="medium")
        self.authenticate(self.user_village.login, self.user_village.login)
        elders = self.make_jsonrpc_request("/lbe/field/elders", {})
        by_name = {elder["name"]: elder for elder in elders}
        # The village clerk's registered elders (the demo's too) only: not another
        # village's, another area's, or an exited one.
        own = self.env["lbe.elder"].search(
            [("region_id", "=", self.village_a1.id), ("state", "=", "active")]
        )
        self.assertIn(focus, own)
        self.assertEqual(sorted(elder["id"] for elder in elders), sorted(own.ids))
        for elder in (self.elder_a2, self.foreign, self.exited):
            self.assertNotIn(elder.name, by_name)
        self.assertEqual(
            set(by_name[self.elder.name]),
            {
                "id",
                "name",
                "village_name",
                "age",
                "key_focus",
                "at_risk",
                "overdue",
                "next_visit_date",
                "last_visit_date",
                "last_risk",
                "checks",
            },
        )
        self.assertTrue(by_name[focus.name]["key_focus"])
        self.assertEqual(by_name[self.elder.name]["last_visit_date"], str(self.today))
        self.assertEqual(by_name[self.elder.name]["last_risk"], "Medium")
        self.assertEqual(by_name[self.elder.name]["village_name"], self.village_a1.name)
        self.assertEqual(by_name[self.elder.name]["age"], self.elder.age)
        # Overdue first: the key-focus elder registered a year ago, never visited.
        self.assertTrue(by_name[focus.name]["overdue"])
        self.assertFalse(by_name[self.elder.name]["overdue"])
        overdue = [elder["overdue"] for elder in elders]
        self.assertEqual(overdue, sorted(overdue, reverse=True))
        # The township sees the elders of its villages.
        self.authenticate(self.user_township.login, self.user_township.login)
        names = {e["name"] for e in self.make_jsonrpc_request("/lbe/field/elders", {})}
        self.assertIn(self.elder_a2.name, names)
        self.assertNotIn(self.foreign.name, names)

    def test_page_and_service_worker(self):
        self.authenticate(self.user_village.login, self.user_village.login)
        page = self.url_open("/lbe/field")
        self.assertEqual(page.status_code, 200)
        self.assertIn('rel="manifest"', page.text)
        self.assertIn("/left_behind_elderly/static/src/field/field_app.js", page.text)
        worker = self.url_open("/lbe/field/service-worker.js")
        self.assertEqual(worker.headers["Service-Worker-Allowed"], "/lbe/field")
        self.assertIn('"/lbe/field"', worker.text)
        manifest = self.url_open(
            "/web/manifest.scoped_app_manifest?app_id=left_behind_elderly&path=%2Flbe%2Ffield"
        ).json()
        self.assertEqual((manifest["scope"], manifest["start_url"]), ("/lbe/field", "/lbe/field"))
        self.assertEqual([icon["sizes"] for icon in manifest["icons"]], ["192x192", "512x512"])
        for icon in manifest["icons"]:
            self.assertEqual(self.url_open(icon["src"]).status_code, 200)
        # Logged out, the page asks to log in.
        self.logout()
        page = self.url_open("/lbe/field", allow_redirects=False)
        self.assertIn("/web/login", page.headers.get("Location", ""))

    def test_a_visit_at_risk_says_what_happens_next(self):
        """The answer says what the server did for a visit at risk, and whom to call."""
        elder = self._registered_elder(
            "巡访风险",
            self.village_a1,
            guardian_ids=[
                Command.create(
                    {
                        "name": "巡访长子",
                        "relationship": "son",
                        "mobile": "13800005678",
                        "email": "zhangzi@example.com",
                        "is_primary": True,
                    }
                ),
                Command.create({"name": "巡访次女", "relationship": "daughter"}),
            ],
        )
        elder.with_user(self.user_village).action_give_family_portal_consent()
        elder.primary_guardian_id.with_user(self.user_village).action_grant_portal()
        quiet, risky = self._sync(
            self.user_village,
            [self._item(self.elder), self._item(elder, risk_level="high")],
        )
        self.assertNotIn("next", quiet)
        self.assertEqual(
            risky["next"],
            {
                "steps": [
                    "The township has been told: its staff have a to-do to follow it up.",
                    "The family has been notified on the family portal: 巡访长子.",
                ],
                "call": {
                    "name": "巡访长子",
                    "phone": "13800005678",
                    "label": "Call 巡访长子 (Son)",
                },
            },
        )
        # Said from what was done: the township's to-do and the notification exist.
        visit = self.env["lbe.visit"].browse(risky["visit_id"])
        self.assertTrue(visit.township_report_date)
        self.assertIn(self.user_township, visit.activity_ids.user_id)
        self.assertEqual(visit.followup_ids.guardian_id, elder.primary_guardian_id)

        # A township nobody serves, a family without the portal: what to do instead;
        # and no supporter with a phone, no button.
        clerk_d1 = self._tier_user("village", self.village_d1, login="lbe_test_village_d1")
        (result,) = self._sync(clerk_d1, [self._item(self.foreign, safety_risk=True)])
        self.assertEqual(
            result["next"],
            {
                "steps": [
                    "No user serves the township: report this risk to the township by phone.",
                    "The family does not use the family portal: call them and record the call.",
                ],
                "call": None,
            },
        )
