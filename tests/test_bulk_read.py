import json
from datetime import date

from lxml import etree

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.masking import LBE_FULL_READ_LIMIT, mask_id_number, mask_phone
from .common import LbeCareCommon, call_kw, login_session, make_id_number

# More elders than a read may answer in full.
ELDERS = LBE_FULL_READ_LIMIT + 2


@tagged("post_install", "-at_install")
class TestBulkRead(LbeCareCommon, HttpCase):
    """A village clerk reads the elders of the own village, more than the limit,
    over JSON-RPC as a hostile client would: ID numbers and phones come in full
    one form at a time, masked in bulk, and are never grouped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.elders = cls.env["lbe.elder"]
        for n in range(1, ELDERS + 1):
            cls.elders |= cls._create_elder(
                f"批量老人{n}",
                cls.village_a1,
                id_number=make_id_number("440111", date(1951, 2, 3), f"{n:03d}"),
                child_ids=[Command.create({"name": f"批量子女{n}", "mobile": f"1390000{n:04d}"})],
                guardian_ids=[
                    Command.create(
                        {
                            "name": f"批量赡养人{n}",
                            "relationship": "son",
                            "mobile": f"1380000{n:04d}",
                        }
                    )
                ],
            )
        cls.children = cls.elders.child_ids
        cls.guardians = cls.elders.guardian_ids
        # What the superuser reads: the full values, and their masks.
        cls.full = {
            "lbe.elder": {elder.id: elder.id_number for elder in cls.elders},
            "lbe.elder.child": {child.id: child.mobile for child in cls.children},
            "lbe.guardian": {guardian.id: guardian.mobile for guardian in cls.guardians},
        }
        cls.masks = {
            "lbe.elder": {i: mask_id_number(v) for i, v in cls.full["lbe.elder"].items()},
            "lbe.elder.child": {i: mask_phone(v) for i, v in cls.full["lbe.elder.child"].items()},
            "lbe.guardian": {i: mask_phone(v) for i, v in cls.full["lbe.guardian"].items()},
        }
        cls.field = {
            "lbe.elder": "id_number",
            "lbe.elder.child": "mobile",
            "lbe.guardian": "mobile",
        }

    def setUp(self):
        super().setUp()
        self.clerk = login_session(self, self.user_village)

    def _call(self, model, method, *args, **kwargs):
        with mute_logger("odoo.http"):
            body = call_kw(self.clerk, self.base_url(), model, method, args, kwargs)
        return body.get("result"), body.get("error"), json.dumps(body, ensure_ascii=False)

    def _ok(self, model, method, *args, **kwargs):
        result, error, text = self._call(model, method, *args, **kwargs)
        self.assertFalse(error, f"{model}.{method}: {text[:500]}")
        return result, text

    def _ids(self, model):
        return sorted(self.full[model])

    def _assert_values(self, model, rows, text, expected):
        """Each row's personal field holds the expected (full or masked) value;
        masked, no full value is anywhere in the answer."""
        field = self.field[model]
        self.assertEqual(sorted(row["id"] for row in rows), self._ids(model), model)
        for row in rows:
            self.assertEqual(row[field], expected[row["id"]], f"{model} {row['id']}")
        if expected is self.masks[model]:
            for value in self.full[model].values():
                self.assertNotIn(value, text, model)

    def test_many_records_answer_masked_values(self):
        for model in self.full:
            field, ids = self.field[model], self._ids(model)
            self.assertGreater(len(ids), LBE_FULL_READ_LIMIT)
            domain = [("id", "in", ids)]
            rows, text = self._ok(model, "search_read", domain, [field])
            self._assert_values(model, rows, text, self.masks[model])
            page, text = self._ok(model, "web_search_read", domain, {field: {}})
            self._assert_values(model, page["records"], text, self.masks[model])
            rows, text = self._ok(model, "read", ids, [field])
            self._assert_values(model, rows, text, self.masks[model])
            rows, text = self._ok(model, "web_read", ids, {field: {}})
            self._assert_values(model, rows, text, self.masks[model])
            # All fields, as read() without a list.
            rows, text = self._ok(model, "read", ids)
            self._assert_values(model, rows, text, self.masks[model])
        # The children of many elders, through the elders' list of them.
        rows, text = self._ok(
            "lbe.elder", "web_read", self.elders.ids, {"child_ids": {"fields": {"mobile": {}}}}
        )
        children = [child for row in rows for child in row["child_ids"]]
        self._assert_values("lbe.elder.child", children, text, self.masks["lbe.elder.child"])

    def test_up_to_the_limit_records_answer_full_values(self):
        for model in self.full:
            field, ids = self.field[model], self._ids(model)[:LBE_FULL_READ_LIMIT]
            full = {i: self.full[model][i] for i in ids}
            rows, _text = self._ok(model, "read", ids, [field])
            self.assertEqual({row["id"]: row[field] for row in rows}, full, model)
            rows, _text = self._ok(
                model, "search_read", [("id", "in", self._ids(model))], [field], limit=20
            )
            self.assertEqual(len(rows), LBE_FULL_READ_LIMIT)
            for row in rows:
                self.assertEqual(row[field], self.full[model][row["id"]], model)

    def test_the_elder_form_reads_full_values(self):
        elder = self.elders[0]
        (row,), _text = self._ok(
            "lbe.elder",
            "web_read",
            elder.ids,
            {
                "id_number": {},
                "child_ids": {"fields": {"mobile": {}}},
                "guardian_ids": {"fields": {"mobile": {}}},
            },
        )
        self.assertEqual(row["id_number"], self.full["lbe.elder"][elder.id])
        self.assertEqual(
            row["child_ids"][0]["mobile"], self.full["lbe.elder.child"][elder.child_ids.id]
        )
        self.assertEqual(
            row["guardian_ids"][0]["mobile"], self.full["lbe.guardian"][elder.guardian_ids.id]
        )

    def test_personal_data_is_neither_grouped_nor_aggregated(self):
        domain = [("id", "in", self.elders.ids)]
        refused = [
            ("lbe.elder", "read_group", (domain, ["id_number:array_agg"], ["region_id"])),
            ("lbe.elder", "read_group", (domain, ["id_number:max"], ["region_id"])),
            ("lbe.elder", "read_group", (domain, ["region_id"], ["id_number"])),
            ("lbe.elder", "web_read_group", (domain, ["id_number:array_agg"], ["region_id"])),
            ("lbe.elder", "web_read_group", (domain, ["__count"], ["id_number"])),
            (
                "lbe.guardian",
                "read_group",
                ([("id", "in", self.guardians.ids)], ["mobile:array_agg"], ["elder_id"]),
            ),
            (
                "lbe.elder.child",
                "web_read_group",
                ([("id", "in", self.children.ids)], ["__count"], ["mobile"]),
            ),
        ]
        for model, method, args in refused:
            _result, error, text = self._call(model, method, *args)
            self.assertEqual(
                (error or {}).get("data", {}).get("name"),
                "odoo.exceptions.AccessError",
                f"{model}.{method}{args}: {text[:300]}",
            )
            for value in self.full[model].values():
                self.assertNotIn(value, text)
        # Counting tells nothing of the values.
        groups, _text = self._ok(
            "lbe.elder", "read_group", domain, ["id_number:count_distinct"], ["region_id"]
        )
        self.assertEqual([group["id_number"] for group in groups], [ELDERS])

    def test_list_views_still_work(self):
        for model in self.full:
            views, _text = self._ok(model, "get_views", [[False, "list"]])
            arch = etree.fromstring(views["views"]["list"]["arch"])
            spec = {node.get("name"): {} for node in arch.xpath("/list/field")}
            page, text = self._ok(model, "web_search_read", [("id", "in", self._ids(model))], spec)
            self.assertEqual(page["length"], len(self.full[model]), model)
            for value in self.full[model].values():
                self.assertNotIn(value, text, model)

    def test_code_reading_by_attribute_reads_full_values(self):
        elders = self.elders.with_user(self.user_village)
        self.assertEqual({elder.id: elder.id_number for elder in elders}, self.full["lbe.elder"])

    def test_onchange_lines_answer_masked_values(self):
        def lines(count):
            values = {
                "name": "新登记",
                "region_id": self.village_a1.id,
                "child_ids": [[Command.LINK, i] for i in self.children.ids[:count]],
            }
            spec = {"name": {}, "child_ids": {"fields": {"mobile": {}}}}
            answer, text = self._ok("lbe.elder", "onchange", [], values, [], spec)
            got = {line[1]: line[2]["mobile"] for line in answer["value"]["child_ids"]}
            return got, text

        got, text = lines(len(self.children))
        self.assertEqual(got, self.masks["lbe.elder.child"])
        for value in self.full["lbe.elder.child"].values():
            self.assertNotIn(value, text)
        got, _text = lines(LBE_FULL_READ_LIMIT)
        self.assertEqual(
            got,
            {i: self.full["lbe.elder.child"][i] for i in self.children.ids[:LBE_FULL_READ_LIMIT]},
        )
        # The lines of a wizard too.
        answer, text = self._ok(
            "lbe.elder.exit",
            "onchange",
            [],
            {"elder_ids": [[Command.LINK, i] for i in self.elders.ids], "exit_reason": "other"},
            [],
            {"elder_ids": {"fields": {"id_number": {}}}},
        )
        self.assertEqual(
            {line[1]: line[2]["id_number"] for line in answer["value"]["elder_ids"]},
            self.masks["lbe.elder"],
        )

    def test_a_wizard_is_not_exported(self):
        wizard, _text = self._ok(
            "lbe.elder.exit",
            "create",
            {"elder_ids": [Command.set(self.elders.ids)], "exit_reason": "other"},
        )
        _result, error, text = self._call(
            "lbe.elder.exit", "export_data", [wizard], ["elder_ids/id_number"]
        )
        self.assertEqual((error or {}).get("data", {}).get("name"), "odoo.exceptions.AccessError")
        for value in self.full["lbe.elder"].values():
            self.assertNotIn(value, text)

    def test_mapped_and_copy_data_refuse_many_records(self):
        """`mapped` and `copy_data` are public methods a client calls like `read`:
        over the limit, a path ending on personal data is refused, and no full
        value is in the answer; within it, the values are the form's."""
        paths = {
            "lbe.elder": ["id_number", "child_ids.mobile", "guardian_ids.mobile"],
            "lbe.elder.child": ["mobile"],
            "lbe.guardian": ["mobile"],
        }
        for model, model_paths in paths.items():
            ids = self._ids(model)
            for path in model_paths:
                _result, error, text = self._call(model, "mapped", ids, path)
                self.assertEqual(
                    (error or {}).get("data", {}).get("name"),
                    "odoo.exceptions.AccessError",
                    f"{model}.mapped({path}): {text[:300]}",
                )
                for values in self.full.values():
                    for value in values.values():
                        self.assertNotIn(value, text, f"{model}.mapped({path})")
            # An ID number is not copied (copy=False); a phone number is.
            _result, error, text = self._call(model, "copy_data", ids)
            for value in self.full[model].values():
                self.assertNotIn(value, text, f"{model}.copy_data")
            if model != "lbe.elder":
                self.assertEqual(
                    (error or {}).get("data", {}).get("name"),
                    "odoo.exceptions.AccessError",
                    f"{model}.copy_data: {text[:300]}",
                )
        # One elder's own lines, as the form has them.
        elder = self.elders[0]
        mobiles, _text = self._ok("lbe.elder", "mapped", elder.ids, "guardian_ids.mobile")
        self.assertEqual(mobiles, [self.full["lbe.guardian"][elder.guardian_ids.id]])
