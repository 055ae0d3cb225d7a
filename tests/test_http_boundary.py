"""The trust boundary, tried from outside: real HTTP sessions against every model.

Each tier user logs in through ``/web/session/authenticate`` and then, over
JSON-RPC (``/web/dataset/call_kw``), ``/web/content``, ``/report/...`` and the
addon's own download routes, tries to reach records of an area it does not
serve. The models are enumerated from the registry, so a model added later is
covered at once, or fails the fixture check until it gets a foreign record.

The suite also checks the sensitive fields (fields with ``groups``) against the
city and province tiers, the fields only the application may set (the area
contract's ``_lbe_protected_fields()``), and that README.md carries the table of
what was tried (``test_e_readme_table``).
"""

import base64
import io
import json
import re
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import requests

from odoo import Command, fields, models
from odoo.http import Controller
from odoo.tests import HttpCase, tagged

from ..wizard.elder_import_columns import HEADERS as IMPORT_HEADERS
from .common import (
    FAMILY_PORTAL_ROUTES,
    PNG_PIXEL,
    LbeCareCommon,
    call_kw,
    login_session,
    make_id_number,
)

# Reference data every internal user reads, whatever the area: the divisions a
# user picks areas from, and the catalogue of care services. They hold nothing
# of any elder, so the area boundary does not apply to them.
EXEMPT = {
    "lbe.region": "reference data: the administrative divisions every user picks from",
    "lbe.service.type": "reference data: the catalogue of care services",
}
# Models that only some tiers read, each in its own area; to every other tier all
# their records are foreign. Managers read the audit log of their area (the 广西
# entries are foreign to a 广东 manager, the 韶关 ones are not). Wizards (transient
# models) belong to their creator: to every tier, another user's are foreign.
READ_BY_TIERS = {"lbe.audit.log": ("manager",)}
# Non-transient models that hold no area, so that the area contract (the mixin)
# does not apply to them: none.
NOT_AREA_MODELS = {}
# The addon's own download routes: route -> (model, URL with {id}). Every route
# of the addon's controllers must be listed (test_a_every_route_is_tried). None
# today: its files are reports (ir.actions.report), which the suite finds itself.
ADDON_DOWNLOADS = {}
# The field app's routes (controllers/field_app.py), tried by test_b_field_app:
# none lists, names or stores anything of a foreign elder, for any tier.
FIELD_APP_ROUTES = {
    "/lbe/field",
    "/lbe/field/service-worker.js",
    "/lbe/field/elders",
    "/lbe/field/sync",
}
FIELD_APP_TIERS = ("village", "township")
REPORT_CONVERTERS = {
    "qweb-pdf": ("pdf", "html"),
    "qweb-html": ("html",),
    "qweb-text": ("text",),
    "xlsx": ("xlsx",),
}
TIERS = ("village", "township", "county", "city", "province", "manager")
LEDGER_TIERS = ("village", "township", "county")

# What a refusal looks like over JSON-RPC.
DENIED = ("odoo.exceptions.AccessError", "odoo.exceptions.MissingError")
DENIED_EXPORT = (*DENIED, "odoo.exceptions.UserError")
REFUSED_WRITE = ("odoo.exceptions.AccessError", "odoo.exceptions.UserError")

README = Path(__file__).resolve().parent.parent / "README.md"
TABLE_START = "<!-- access-suite:start -->"
TABLE_END = "<!-- access-suite:end -->"


def jsonable(value):
    """copy_data() values as a JSON-RPC client would send them."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime):
        return fields.Datetime.to_string(value)
    if isinstance(value, date):
        return fields.Date.to_string(value)
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, models.BaseModel):
        return value.ids
    return value


def controller_routes(module):
    """The URL rules served by the controllers a module defines, including those of
    its controllers that extend another module's (whose routes they serve anew)."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    routes = set()
    for controller in set(subclasses(Controller)):
        if not controller.__module__.startswith(f"odoo.addons.{module}."):
            continue
        for name, member in vars(controller).items():
            if not hasattr(member, "original_routing"):
                continue
            # @route() without a URL overrides a route: the URL is the parent's.
            for cls in controller.__mro__:
                routing = getattr(vars(cls).get(name), "original_routing", None) or {}
                if routing.get("routes"):
                    routes.update(routing["routes"])
                    break
    return routes


def short(value, size=160):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= size else text[:size] + "…"


@tagged("post_install", "-at_install")
class TestHttpBoundary(LbeCareCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.today = fields.Date.context_today(env["lbe.elder"])
        cls.tier_users = {
            "village": cls.user_village,
            "township": cls.user_township,
            "county": cls.user_county,
            "city": cls.user_city,
            "province": cls.user_province,
            "manager": cls.user_manager,
        }
        # A second province no test user serves.
        Region = env["lbe.region"]
        gx_province = Region.create({"code": "45", "name": "广西壮族自治区", "level": "province"})
        gx_city = Region.create(
            {"code": "4501", "name": "南宁市", "level": "city", "parent_id": gx_province.id}
        )
        gx_county = Region.create(
            {"code": "450102", "name": "兴宁区", "level": "county", "parent_id": gx_city.id}
        )
        gx_township = Region.create(
            {
                "code": "450102001",
                "name": "民生街道",
                "level": "township",
                "parent_id": gx_county.id,
            }
        )
        cls.gx_village = Region.create(
            {
                "code": "450102001001",
                "name": "民生社区",
                "level": "village",
                "parent_id": gx_township.id,
            }
        )
        sg_city = cls.village_d1.parent_id.parent_id.parent_id
        gx_owner = cls._tier_user("manager", gx_province, login="lbe_gx_manager")
        sg_owner = cls._tier_user("manager", sg_city, login="lbe_sg_manager")
        # Foreign groups: 广西 is foreign to every tier, 韶关 to the tiers below the
        # province. Wizards and log entries are made by another user in each.
        cls.groups = {
            "gx": {
                "area": cls.gx_village,
                "records": cls._make_records("桂外", cls.gx_village, gx_owner),
            },
            "d1": {
                "area": cls.village_d1,
                "records": cls._make_records("韶外", cls.village_d1, sg_owner),
            },
        }
        # Records of the test users' own area (白云区人和镇 A1), for the checks of
        # sensitive and protected fields and the positive controls; its wizards
        # and log entries are the test manager's.
        cls.own = cls._make_records("白云本地", cls.village_a1, cls.user_manager)
        cls.models = [name for name in cls._enumerated_models() if name not in EXEMPT]

    # ------------------------------------------------------------------
    # Fixture
    # ------------------------------------------------------------------
    @classmethod
    def _enumerated_models(cls):
        """Every concrete model of the addon, transient ones included."""
        return sorted(
            name
            for name, model_class in cls.registry.items()
            if name.startswith("lbe.") and not model_class._abstract
        )

    @classmethod
    def _make_records(cls, tag, village, owner=None):
        """One record of every model in the village (and its county), all its
        sensitive fields filled; with an owner, the owner's log entries and wizards."""
        env = cls.env
        county = village.parent_id.parent_id
        records = cls._elder_with_records(tag, village)
        elder = records["lbe.elder"]
        # A meal-help point of the village, with a meal served to the elder there.
        facility = env["lbe.facility"].create(
            {
                "name": f"{tag}长者饭堂",
                "region_id": village.id,
                "facility_type": "meal_point",
                "capacity": 30,
                "opening_date": cls.today - timedelta(days=90),
                "address": f"{tag}饭堂地址1号",
                "contact_name": f"{tag}饭堂联系人",
                "contact_phone": "13400000001",
                "operator_name": f"{tag}村委会",
                "image_1920": PNG_PIXEL,
            }
        )
        facility.action_open()
        service_type = records["lbe.service.record"].service_type_id
        records["lbe.facility"] = facility
        records["lbe.service.record"] |= env["lbe.service.record"].create(
            {
                "facility_id": facility.id,
                "elder_id": elder.id,
                "service_type_id": service_type.id,
                "description": f"{tag}午餐助餐",
            }
        )
        records["lbe.family.contact"] = env["lbe.family.contact"].create(
            {
                "elder_id": elder.id,
                "guardian_id": records["lbe.guardian"].id,
                "kind": "visit_home",
                "note": f"{tag}回家探望",
            }
        )
        summary = env["lbe.summary"].create({"region_id": county.id, "year": cls.today.year - 1})
        summary.action_compute()
        env.flush_all()
        records |= {
            "lbe.summary": summary,
            "lbe.summary.line": summary.line_ids,
            "lbe.supervision": env["lbe.supervision"].search([("region_id", "=", village.id)]),
        }
        if owner:
            Log = env["lbe.audit.log"].with_user(owner)
            records["lbe.audit.log"] = Log._log("export", elder, "name,id_number") | Log._log(
                "print_annex1", elder, "report_lbe_elder_annex1"
            )
            # Wizards, made by their owner as the web client makes them.
            records["lbe.elder.exit"] = (
                env["lbe.elder.exit"]
                .with_user(owner)
                .create(
                    {
                        "elder_ids": [Command.set(elder.ids)],
                        "exit_reason": "other",
                        "exit_note": f"{tag}退出说明",
                    }
                )
            )
            records["lbe.summary.return"] = (
                env["lbe.summary.return"]
                .with_user(owner)
                .create({"summary_ids": [Command.set(summary.ids)], "reason": f"{tag}退回原因"})
            )
            records["lbe.facility.service.batch"] = (
                env["lbe.facility.service.batch"]
                .with_user(owner)
                .create(
                    {
                        "facility_id": facility.id,
                        "elder_ids": [Command.set(elder.ids)],
                        "service_type_id": service_type.id,
                        "description": f"{tag}批量助餐",
                    }
                )
            )
            ledger_export = (
                env["lbe.ledger.export"]
                .with_user(owner)
                .create({"region_id": village.id, "include_all": True})
            )
            ledger_export.action_export()
            records["lbe.ledger.export"] = ledger_export.with_env(env)
            records["lbe.region.import"] = (
                env["lbe.region.import"]
                .with_user(owner)
                .create(
                    {
                        "file": base64.b64encode(
                            f"code,name,level,parent_code\n{village.code}9,{tag}新村,village,"
                            f"{village.parent_id.code}\n".encode()
                        ),
                        "filename": "regions.csv",
                    }
                )
            )
            # An Excel import of one row with a wrong date: its file and its error line.
            elder_import = (
                env["lbe.elder.import"]
                .with_user(owner)
                .create({"file": cls._import_file(tag, village), "filename": f"{tag}台账.xlsx"})
            )
            elder_import.action_validate()
            records["lbe.elder.import"] = elder_import.with_env(env)
            records["lbe.elder.import.error"] = elder_import.error_ids.with_env(env)
            env.flush_all()
        return {name: recs.with_env(env) for name, recs in records.items()}

    @classmethod
    def _import_file(cls, tag, village):
        """An import file of one row of the village, its birth date not a date."""
        county = village.parent_id.parent_id
        row = {
            "姓名": f"{tag}导入老人",
            "身份证号码": make_id_number(county.code, date(1950, 3, 15), "775"),
            "出生日期": f"{tag}日期",
            "村（居）委会代码": village.code,
            "身体情况": "健康",
            "子女数量": 1,
            "外出务工年限": 3,
        }
        book = openpyxl.Workbook()
        book.active.append(IMPORT_HEADERS)
        book.active.append([row.get(header) for header in IMPORT_HEADERS])
        buffer = io.BytesIO()
        book.save(buffer)
        return base64.b64encode(buffer.getvalue())

    # ------------------------------------------------------------------
    # What is foreign to whom
    # ------------------------------------------------------------------
    @staticmethod
    def _serves(user, region):
        return any(region.parent_path.startswith(area.parent_path) for area in user.lbe_region_ids)

    def _foreign(self, model, tier, user):
        """The fixture's records of the model the user must not reach."""
        records = self.env[model]
        all_foreign = self.env[model]._transient or (
            model in READ_BY_TIERS and tier not in READ_BY_TIERS[model]
        )
        for group in self.groups.values():
            if all_foreign or not self._serves(user, group["area"]):
                records |= group["records"].get(model, self.env[model])
        return records

    def _display_names(self, records):
        """The records' display names that would tell them apart in a response.

        A name made of identifier characters only (a selection key such as an
        audit log's "export", or "model,id") names no one and occurs in any
        response, so it is left out.
        """
        return {
            name
            for name in records.sudo().mapped("display_name")
            if name and not re.fullmatch(r"[A-Za-z0-9_.,]+", name)
        }

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    def _groupby_field(self, model, user):
        """A stored field the user may read, to group by: the area field first."""
        Model = self.env[model]
        readable = Model.with_user(user).fields_get(attributes=["type"])
        candidates = [getattr(Model, "_lbe_area_field", None), "region_id", "create_uid"]
        candidates += [
            name
            for name, field in Model._fields.items()
            if field.type in ("many2one", "selection") and field.store
        ]
        for name in candidates:
            field = Model._fields.get(name)
            if field and field.store and name in readable:
                return name
        return None

    def _spec(self, model, user):
        """A web client's field specification: the addon's fields the user may
        read, relational ones with their records' display names."""
        Model = self.env[model]
        spec = {"display_name": {}}
        for name, desc in Model.with_user(user).fields_get(attributes=["type"]).items():
            field = Model._fields[name]
            if field._module != "left_behind_elderly":
                continue
            if desc["type"] in ("many2one", "one2many", "many2many"):
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    def _reference_fields(self, model):
        """Relational fields pointing at a model of the addon that holds data."""
        return [
            name
            for name, field in sorted(self.env[model]._fields.items())
            if field.relational
            and field.comodel_name.startswith("lbe.")
            and field.comodel_name not in EXEMPT
            and not self.env[field.comodel_name]._abstract
        ]

    def _binary_fields(self, model):
        return sorted(
            name for name, field in self.env[model]._fields.items() if field.type == "binary"
        )

    def _reports(self, model):
        return self.env["ir.actions.report"].sudo().search([("model", "=", model)], order="id")

    def _downloads(self, model):
        return [url for route, (name, url) in sorted(ADDON_DOWNLOADS.items()) if name == model]

    def _hidden_fields(self, model, users):
        """Fields with groups that one of the users is not in."""
        return sorted(
            name
            for name, field in self.env[model]._fields.items()
            if field.groups and any(not user.has_groups(field.groups) for user in users)
        )

    def _mixin_models(self):
        mixin = self.registry["lbe.area.mixin"]
        return [name for name in self.models if issubclass(self.registry[name], mixin)]

    def _protected_fields(self, model):
        Model = self.env[model]
        if not hasattr(Model, "_lbe_protected_fields"):
            return []
        # The contract may name log-access columns a model (a SQL view) does not have.
        return sorted(name for name in Model._lbe_protected_fields() if name in Model._fields)

    def _protected_selections(self, model):
        Model = self.env[model]
        return [
            name
            for name in self._protected_fields(model)
            if Model._fields[name].type == "selection"
        ]

    # ------------------------------------------------------------------
    # HTTP
    # ------------------------------------------------------------------
    def _login(self, user):
        """A fresh HTTP session logged in through /web/session/authenticate."""
        return login_session(self, user)

    def _rpc(self, opener, model, method, args=(), kwargs=None):
        """Call a model method over JSON-RPC; return (result, error, decoded text)."""
        try:
            body = call_kw(opener, self.base_url(), model, method, args, kwargs)
        except requests.HTTPError as error:
            self.fail(f"{model}.{method}: {error}")
        self.assertTrue("result" in body or "error" in body, f"{model}.{method}: {short(body)}")
        return body.get("result"), body.get("error"), json.dumps(body, ensure_ascii=False)

    def _json(self, opener, url, params):
        """Call a JSON route; return (result, error, decoded text)."""
        response = opener.post(
            f"{self.base_url()}{url}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        self.assertEqual(response.status_code, 200, f"{url}: HTTP {response.status_code}")
        body = response.json()
        return body.get("result"), body.get("error"), json.dumps(body, ensure_ascii=False)

    def _get(self, opener, url):
        response = opener.get(f"{self.base_url()}{url}", timeout=60, allow_redirects=False)
        return response.status_code, response.content

    # ------------------------------------------------------------------
    # Verdicts: each adds a line to `problems` rather than stopping at the first
    # ------------------------------------------------------------------
    @staticmethod
    def _error_name(error):
        return (error.get("data") or {}).get("name") or error.get("message")

    def _must_fail(self, problems, where, answer, kinds=DENIED):
        result, error, _text = answer
        if error is None:
            problems.append(f"{where}: answered {short(result)} instead of an error")
        elif self._error_name(error) not in kinds:
            message = (error.get("data") or {}).get("message") or ""
            problems.append(
                f"{where}: failed with {self._error_name(error)} ({short(message)}), "
                f"expected one of {', '.join(kinds)}"
            )

    def _must_be_empty(self, problems, where, answer, is_empty):
        result, error, _text = answer
        if error is not None:
            if self._error_name(error) not in DENIED:
                message = (error.get("data") or {}).get("message") or ""
                problems.append(
                    f"{where}: failed with {self._error_name(error)} ({short(message)})"
                )
        elif not is_empty(result):
            problems.append(f"{where}: returned {short(result)}")

    @staticmethod
    def _must_not_name(problems, where, answer, names):
        leaked = sorted(name for name in names if name in answer[2])
        if leaked:
            problems.append(f"{where}: the response names foreign records: {', '.join(leaked)}")

    def _must_not_serve(self, problems, where, opener, url):
        status, content = self._get(opener, url)
        if status == 200 and content:
            problems.append(f"{where}: GET {url} answered 200 with {len(content)} bytes")

    def _assert_no_problems(self, problems, title):
        self.assertFalse(
            problems,
            f"{title}: {len(problems)} problem(s)\n" + "\n".join(f"- {p}" for p in problems),
        )

    # ------------------------------------------------------------------
    # A. The fixture covers every model
    # ------------------------------------------------------------------
    def test_a_fixture_covers_every_model(self):
        enumerated = self._enumerated_models()
        stale = sorted(set(EXEMPT) - set(enumerated))
        self.assertFalse(stale, f"EXEMPT lists models that no longer exist: {stale}")
        missing = [
            f"{model} (group {key})"
            for model in self.models
            for key, group in self.groups.items()
            if not group["records"].get(model)
        ]
        self.assertFalse(
            missing,
            "These models have no foreign fixture record; add one to "
            "TestHttpBoundary._make_records so that the boundary is tried on them: "
            + ", ".join(missing),
        )
        for model in self.models:
            for tier, user in self.tier_users.items():
                self.assertTrue(
                    self._foreign(model, tier, user), f"{model}: nothing foreign to {tier}"
                )

    def _download_urls(self, model, record):
        """Every URL of the binary fields, reports and downloads of a record."""
        urls = [
            f"/web/content?model={model}&id={record.id}&field={fname}&download=true"
            for fname in self._binary_fields(model)
        ]
        for report in self._reports(model):
            for converter in REPORT_CONVERTERS.get(report.report_type, ("pdf",)):
                urls.append(f"/report/{converter}/{report.report_name}/{record.id}")
        urls += [url.format(id=record.id) for url in self._downloads(model)]
        return urls

    def test_a_downloads_are_served_in_own_area(self):
        """Positive control: each URL the suite refuses on foreign records serves
        an own-area record to some tier, so that a refusal is not a broken URL."""
        sessions = {}
        problems = []
        for model in self.models:
            record = self.own.get(model, self.env[model])[:1]
            if not record:
                if self._binary_fields(model) or self._reports(model) or self._downloads(model):
                    problems.append(f"{model}: no own-area fixture record to download")
                continue
            for url in self._download_urls(model, record):
                for tier, user in self.tier_users.items():
                    if not record.with_user(user).has_access("read"):
                        continue
                    if tier not in sessions:
                        sessions[tier] = self._login(user)
                    status, content = self._get(sessions[tier], url)
                    if status == 200 and content:
                        break
                else:
                    problems.append(f"{model}: GET {url} serves no tier its own record")
        self._assert_no_problems(problems, "Downloads never served")

    def test_a_every_route_is_tried(self):
        # Positive control: the enumeration finds web's routes, the login among them,
        # so that an empty answer for the addon means it defines none.
        self.assertIn("/web/session/authenticate", controller_routes("web"))
        # The family portal's routes are for supporters, not staff: its own suite
        # (test_family_portal.py) tries each of them from another family.
        routes = controller_routes("left_behind_elderly") - set(FAMILY_PORTAL_ROUTES)
        untried = routes - set(ADDON_DOWNLOADS) - FIELD_APP_ROUTES
        self.assertFalse(
            untried,
            "Routes of the addon's controllers that this suite does not try; list them in "
            f"ADDON_DOWNLOADS: {sorted(untried)}",
        )

    # ------------------------------------------------------------------
    # B. Nothing foreign reaches any tier
    # ------------------------------------------------------------------
    def _check_tier(self, tier):
        user = self.tier_users[tier]
        opener = self._login(user)
        problems = []
        for model in self.models:
            foreign = self._foreign(model, tier, user)
            ids = foreign.ids
            names = self._display_names(foreign)
            where = f"{model} | {tier}"
            groupby = self._groupby_field(model, user)
            read_fields = ["display_name", *([groupby] if groupby else [])]
            domain = [("id", "in", ids)]

            # Positive control: the session works and sees the own area's records.
            own = self.own.get(model, self.env[model]).with_user(user)._filtered_access("read")
            if own:
                answer = self._rpc(
                    opener,
                    model,
                    "search_read",
                    kwargs={"domain": [("id", "in", own.ids)], "fields": ["display_name"]},
                )
                if answer[1] or {r["id"] for r in answer[0]} != set(own.ids):
                    problems.append(
                        f"{where} | positive control: own-area records not returned "
                        f"({short(answer[1] or answer[0])}); the session or fixture is broken"
                    )

            calls = [
                (
                    "search_read",
                    self._rpc(
                        opener,
                        model,
                        "search_read",
                        kwargs={"domain": domain, "fields": read_fields},
                    ),
                    lambda r: r == [],
                ),
                (
                    "name_search",
                    self._rpc(
                        opener,
                        model,
                        "name_search",
                        kwargs={"name": "", "args": domain, "limit": 100},
                    ),
                    lambda r: r == [],
                ),
                (
                    "web_search_read",
                    self._rpc(
                        opener,
                        model,
                        "web_search_read",
                        kwargs={
                            "domain": domain,
                            "specification": {name: {} for name in read_fields},
                        },
                    ),
                    lambda r: r["length"] == 0 and r["records"] == [],
                ),
            ]
            if groupby:
                calls.append(
                    (
                        f"web_read_group by {groupby}",
                        self._rpc(
                            opener,
                            model,
                            "web_read_group",
                            kwargs={"domain": domain, "fields": [], "groupby": [groupby]},
                        ),
                        lambda r: r["length"] == 0 and r["groups"] == [],
                    )
                )
            for call, answer, is_empty in calls:
                self._must_be_empty(problems, f"{where} | {call}", answer, is_empty)
                self._must_not_name(problems, f"{where} | {call}", answer, names)

            answer = self._rpc(opener, model, "read", [ids, read_fields])
            self._must_fail(problems, f"{where} | read", answer)
            self._must_not_name(problems, f"{where} | read", answer, names)

            answer = self._rpc(opener, model, "export_data", [ids, read_fields])
            if answer[1] is None and answer[0] == {"datas": []}:
                pass  # nothing exported: no leak
            else:
                self._must_fail(problems, f"{where} | export_data", answer, DENIED_EXPORT)
            self._must_not_name(problems, f"{where} | export_data", answer, names)

            spec = self._spec(model, user)
            # As the form view sends it: one field changed, its new value given.
            changed = next(name for name in spec if name != "display_name" and not spec[name])
            for record_id in ids:
                answer = self._rpc(
                    opener, model, "onchange", [[record_id], {changed: False}, [changed], spec]
                )
                self._must_fail(problems, f"{where} | onchange of record {record_id}", answer)
                self._must_not_name(
                    problems, f"{where} | onchange of record {record_id}", answer, names
                )

            # A new record pointing at a foreign record: the ORM would compute
            # from it and answer with its display name.
            for fname in self._reference_fields(model):
                field = self.env[model]._fields[fname]
                target = self.groups["gx"]["records"].get(field.comodel_name)
                if not target:
                    problems.append(f"{where} | onchange {fname}: no foreign {field.comodel_name}")
                    continue
                target = target[:1]
                if field.type == "many2one":
                    value = target.id
                elif field.type == "many2many":
                    value = [Command.set(target.ids)]
                else:
                    value = [Command.link(target.id)]
                answer = self._rpc(opener, model, "onchange", [[], {fname: value}, [fname], spec])
                call = f"onchange of a new record with {fname} = foreign {field.comodel_name}"
                self._must_fail(problems, f"{where} | {call}", answer)
                self._must_not_name(
                    problems, f"{where} | {call}", answer, self._display_names(target)
                )

            for fname in self._binary_fields(model):
                for record in foreign:
                    self._must_not_serve(
                        problems,
                        f"{where} | /web/content {fname}",
                        opener,
                        f"/web/content?model={model}&id={record.id}&field={fname}&download=true",
                    )
                    if self.env[model]._fields[fname].attachment:
                        attachments = (
                            self.env["ir.attachment"]
                            .sudo()
                            .search(
                                [
                                    ("res_model", "=", model),
                                    ("res_id", "=", record.id),
                                    ("res_field", "=", fname),
                                ]
                            )
                        )
                        for attachment in attachments:
                            self._must_not_serve(
                                problems,
                                f"{where} | attachment of {fname}",
                                opener,
                                f"/web/content/{attachment.id}?download=true",
                            )

            # One record per request, as the client prints a record or a wizard.
            for report in self._reports(model):
                for converter in REPORT_CONVERTERS.get(report.report_type, ("pdf",)):
                    for record_id in ids:
                        self._must_not_serve(
                            problems,
                            f"{where} | report {report.report_name} ({converter})",
                            opener,
                            f"/report/{converter}/{report.report_name}/{record_id}",
                        )
            for url in self._downloads(model):
                for record_id in ids:
                    self._must_not_serve(
                        problems, f"{where} | download", opener, url.format(id=record_id)
                    )
        self._assert_no_problems(problems, f"Foreign records reached by the {tier} tier")

    def test_b_village(self):
        self._check_tier("village")

    def test_b_township(self):
        self._check_tier("township")

    def test_b_county(self):
        self._check_tier("county")

    def test_b_city(self):
        self._check_tier("city")

    def test_b_province(self):
        self._check_tier("province")

    def test_b_manager(self):
        self._check_tier("manager")

    def test_b_field_app(self):
        """The field app, as every tier: its page and worker name no foreign
        record, its list of elders holds none, and a visit of a foreign elder is
        refused and not stored. Other tiers than village and township are refused."""
        problems = []
        Visit = self.env["lbe.visit"].sudo()
        for tier, user in self.tier_users.items():
            opener = self._login(user)
            foreign = self._foreign("lbe.elder", tier, user)
            names = self._display_names(foreign)
            where = f"field app | {tier}"
            for url in ("/lbe/field", "/lbe/field/service-worker.js"):
                status, content = self._get(opener, url)
                expected = 200 if tier in FIELD_APP_TIERS or url.endswith(".js") else 403
                if status != expected:
                    problems.append(f"{where} | GET {url}: HTTP {status}, expected {expected}")
                text = content.decode(errors="replace")
                self._must_not_name(problems, f"{where} | GET {url}", (0, 0, text), names)
            uuids = [str(uuid.uuid4()) for _elder in foreign]
            visits = [
                {
                    "client_uuid": client_uuid,
                    "elder_id": elder.id,
                    "visit_date": str(self.today),
                    "method": "home",
                    "risk_level": "high",
                }
                for client_uuid, elder in zip(uuids, foreign, strict=True)
            ]
            answers = {
                "/lbe/field/elders": self._json(opener, "/lbe/field/elders", {}),
                "/lbe/field/sync": self._json(opener, "/lbe/field/sync", {"visits": visits}),
            }
            for url, answer in answers.items():
                self._must_not_name(problems, f"{where} | {url}", answer, names)
                if tier not in FIELD_APP_TIERS:
                    self._must_fail(problems, f"{where} | {url}", answer)
                elif answer[1] is not None:
                    problems.append(f"{where} | {url}: failed with {short(answer[1])}")
            elders, sync = answers["/lbe/field/elders"][0], answers["/lbe/field/sync"][0]
            if tier in FIELD_APP_TIERS:
                listed = {elder["id"] for elder in elders or ()}
                if listed & set(foreign.ids):
                    problems.append(f"{where} | /lbe/field/elders: lists foreign elders")
                # Positive control: the own area's elder is listed.
                if self.own["lbe.elder"].id not in listed:
                    problems.append(f"{where} | /lbe/field/elders: the own-area elder is missing")
                refused = [r for r in sync or () if r.get("status") == "refused"]
                if len(refused) != len(visits):
                    problems.append(f"{where} | /lbe/field/sync: not all refused: {short(sync)}")
            if Visit.search_count([("client_uuid", "in", uuids)]):
                problems.append(f"{where} | /lbe/field/sync: a visit of a foreign elder was stored")
        self._assert_no_problems(problems, "The field app reaching foreign records")

    def test_b_user_without_area_sees_nothing(self):
        user = self.user_no_area
        self.assertFalse(user.lbe_region_ids)
        opener = self._login(user)
        problems = []
        for model in self.models:
            where = f"{model} | no area"
            groupby = self._groupby_field(model, user)
            answers = [
                (
                    "search_read []",
                    self._rpc(
                        opener,
                        model,
                        "search_read",
                        kwargs={"domain": [], "fields": ["display_name"]},
                    ),
                    lambda r: r == [],
                ),
                (
                    "search_count []",
                    self._rpc(opener, model, "search_count", kwargs={"domain": []}),
                    lambda r: r == 0,
                ),
                (
                    "name_search",
                    self._rpc(opener, model, "name_search", kwargs={"name": "", "limit": 100}),
                    lambda r: r == [],
                ),
            ]
            if groupby:
                answers.append(
                    (
                        f"web_read_group by {groupby}",
                        self._rpc(
                            opener,
                            model,
                            "web_read_group",
                            kwargs={"domain": [], "fields": [], "groupby": [groupby]},
                        ),
                        lambda r: r["length"] == 0,
                    )
                )
            for call, answer, is_empty in answers:
                self._must_be_empty(problems, f"{where} | {call}", answer, is_empty)
        self._assert_no_problems(problems, "Records seen by a user without an area")

    # ------------------------------------------------------------------
    # C. Sensitive fields never reach the city and the province
    # ------------------------------------------------------------------
    def _check_sensitive(self, tier):
        user = self.tier_users[tier]
        opener = self._login(user)
        op_value = {"char": ("like", "1"), "text": ("like", "1"), "html": ("like", "1")}
        problems = []
        for model in self.models:
            hidden = self._hidden_fields(model, [user])
            if not hidden:
                continue
            Model = self.env[model]
            where = f"{model} | {tier}"
            own = self.own.get(model, Model)
            if not own:
                problems.append(f"{where}: no own-area fixture record to try {hidden} on")
                continue
            readable = own.with_user(user)._filtered_access("read")
            if readable != own:
                problems.append(f"{where}: the own-area fixture records are not readable")
            # A masked field (`_lbe_masked_fields`) holds a mask already: exporting
            # it is what masking an export means.
            masks = set(getattr(Model, "_lbe_masked_fields", {}).values())
            answer = self._rpc(opener, model, "fields_get", kwargs={"attributes": ["type"]})
            if answer[1]:
                problems.append(f"{where} | fields_get: {short(answer[1])}")
            else:
                shown = sorted(set(hidden) & set(answer[0]))
                if shown:
                    problems.append(f"{where} | fields_get: describes {shown}")
            for fname in hidden:
                field = Model._fields[fname]
                at = f"{where} | {fname}"
                raw = own.sudo().export_data([fname])["datas"]
                if not any(row[0] not in (False, None, "") for row in raw):
                    problems.append(f"{at}: the own-area fixture leaves it empty; give it a value")
                self._must_fail(
                    problems, f"{at} | read", self._rpc(opener, model, "read", [own.ids, [fname]])
                )
                self._must_fail(
                    problems,
                    f"{at} | web_search_read",
                    self._rpc(
                        opener,
                        model,
                        "web_search_read",
                        kwargs={
                            "domain": [("id", "in", own.ids)],
                            "specification": {fname: {}},
                        },
                    ),
                )
                operator, value = op_value.get(field.type, ("!=", False))
                self._must_fail(
                    problems,
                    f"{at} | search_count on it",
                    self._rpc(
                        opener,
                        model,
                        "search_count",
                        kwargs={"domain": [(fname, operator, value)]},
                    ),
                )
                if field.store and field.column_type:
                    self._must_fail(
                        problems,
                        f"{at} | web_read_group by it",
                        self._rpc(
                            opener,
                            model,
                            "web_read_group",
                            kwargs={
                                "domain": [("id", "in", own.ids)],
                                "fields": [],
                                "groupby": [fname],
                            },
                        ),
                    )
                answer = self._rpc(opener, model, "export_data", [own.ids, [fname]])
                if answer[1] is not None:
                    self._must_fail(problems, f"{at} | export_data", answer, DENIED_EXPORT)
                elif answer[0]["datas"] == raw and fname not in masks:
                    problems.append(f"{at} | export_data: exported unmasked {short(raw)}")
                # Searching on it from every model that points at this one.
                for other in self.models:
                    for rname in self._reference_fields(other):
                        rfield = self.env[other]._fields[rname]
                        if rfield.comodel_name != model or not user.has_groups(
                            rfield.groups or "base.group_user"
                        ):
                            continue
                        self._must_fail(
                            problems,
                            f"{at} | search_count on {other} by {rname}.{fname}",
                            self._rpc(
                                opener,
                                other,
                                "search_count",
                                kwargs={"domain": [(f"{rname}.{fname}", operator, value)]},
                            ),
                        )
        self._assert_no_problems(problems, f"Sensitive fields reaching the {tier} tier")

    def test_c_city(self):
        self._check_sensitive("city")

    def test_c_province(self):
        self._check_sensitive("province")

    # ------------------------------------------------------------------
    # D. Fields only the application sets
    # ------------------------------------------------------------------
    def test_d_area_models_follow_the_contract(self):
        mixin_models = set(self._mixin_models())
        outside = [
            model
            for model in self.models
            if not self.env[model]._transient
            and model not in NOT_AREA_MODELS
            and model not in mixin_models
        ]
        self.assertFalse(
            outside,
            f"Models holding elders' data that do not inherit lbe.area.mixin: {outside}",
        )

    def test_d_workflow_states_are_protected(self):
        unprotected = [
            f"{model}.{name}"
            for model in self._mixin_models()
            for name, field in self.env[model]._fields.items()
            if name == "state"
            and field.type == "selection"
            and field.store
            and not field.compute
            and name not in self._protected_fields(model)
        ]
        self.assertFalse(
            unprotected,
            "Workflow states missing from _lbe_protected_fields() (clients could set them "
            f"by hand): {unprotected}",
        )

    def _writer(self, model):
        """The lowest ledger tier allowed to write the model's own-area record."""
        for tier in LEDGER_TIERS:
            user = self.tier_users[tier]
            record = self.own.get(model, self.env[model])[:1]
            if record and record.with_user(user).has_access("write"):
                return tier, user, record
        return None, None, None

    def _stored(self, record, fname):
        self.env.invalidate_all()
        value = record.sudo()[fname]
        if isinstance(value, models.BaseModel):
            return tuple(value.ids)
        return value

    def _other_value(self, record, fname, user):
        """A plausible new value of the field's type, as a client would send it."""
        field = record._fields[fname]
        current = record.sudo()[fname]
        if field.type == "selection":
            keys = [
                key for key, _label in record.fields_get([fname], ["selection"])[fname]["selection"]
            ]
            return next((key for key in keys if key != current), None)
        if field.type in ("many2one", "many2many", "one2many"):
            Comodel = self.env[field.comodel_name]
            domain = [("id", "not in", current.ids)]
            # Preferably a record the user may read: the refusal must come from
            # the field being protected, not from the record being foreign.
            other = Comodel.browse()
            if Comodel.with_user(user).has_access("read"):
                other = Comodel.with_user(user).search(domain, limit=1)
            other = other.sudo() or Comodel.search(domain, limit=1)
            if not other:
                return None
            return other.id if field.type == "many2one" else [Command.set(other.ids)]
        if field.type == "date":
            return fields.Date.to_string((current or self.today) - timedelta(days=1))
        if field.type == "datetime":
            return fields.Datetime.to_string((current or fields.Datetime.now()) - timedelta(days=1))
        if field.type == "boolean":
            return not current
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if field.type in ("char", "text", "html"):
            return "y" if current == "x" else "x"
        if field.type == "binary":
            return base64.b64encode(b"x").decode()
        return None

    def test_d_protected_fields(self):
        problems = []
        sessions = {}
        for model in self._mixin_models():
            protected = self._protected_fields(model)
            if not protected:
                continue
            tier, user, record = self._writer(model)
            if not user:
                # Nobody but a manager may write it (a SQL view, say): nothing to try.
                if self._non_manager_writers(model):
                    problems.append(
                        f"{model}: no ledger tier may write its own-area fixture record; "
                        f"protected fields {protected} not tried"
                    )
                continue
            if user.id not in sessions:
                sessions[user.id] = self._login(user)
            opener = sessions[user.id]
            for fname in protected:
                where = f"{model} | {tier} | write {fname}"
                before = self._stored(record, fname)
                value = self._other_value(record, fname, user)
                if value is None:
                    problems.append(f"{where}: no other value of type {record._fields[fname].type}")
                    continue
                answer = self._rpc(opener, model, "write", [record.ids, {fname: value}])
                self._must_fail(problems, f"{where} = {short(value, 40)}", answer, REFUSED_WRITE)
                after = self._stored(record, fname)
                if after != before:
                    problems.append(
                        f"{where}: the stored value changed from {before!r} to {after!r}"
                    )
            for fname in self._protected_selections(model):
                where = f"{model} | {tier} | create with {fname}"
                Model = self.env[model]
                default = Model._lbe_default(fname) if hasattr(Model, "_lbe_default") else False
                keys = [
                    key
                    for key, _label in Model.fields_get([fname], ["selection"])[fname]["selection"]
                ]
                value = next((key for key in keys if key != default), None)
                vals = record.sudo().copy_data()[0]
                for name in protected:
                    vals.pop(name, None)
                vals[fname] = value
                count = Model.sudo().with_context(active_test=False).search_count([])
                answer = self._rpc(opener, model, "create", [jsonable(vals)])
                self._must_fail(problems, f"{where} = {value}", answer, REFUSED_WRITE)
                self.env.invalidate_all()
                if Model.sudo().with_context(active_test=False).search_count([]) != count:
                    problems.append(f"{where}: a record was created ({short(answer[0])})")
        self._assert_no_problems(problems, "Protected fields set by a client")

    def _non_manager_writers(self, model):
        """The groups other than managers that hold a write access right on the model."""
        manager = self.env.ref("left_behind_elderly.group_manager")
        return (
            self.env["ir.model.access"]
            .sudo()
            .search([("model_id.model", "=", model), ("perm_write", "=", True)])
            .group_id
            - manager
        )

    # ------------------------------------------------------------------
    # E. README.md shows what this suite tries
    # ------------------------------------------------------------------
    def _access_table(self):
        def names(items):
            return ", ".join(f"`{item}`" for item in items) or "–"

        sensitive_users = [self.user_city, self.user_province]
        mixin_models = set(self._mixin_models())
        lines = [
            "| model | scope | JSON-RPC calls on foreign records, every tier | references tried "
            "in a new record's onchange | binary fields | reports and downloads | protected "
            "fields tried (write) | protected fields tried (create) | sensitive fields checked "
            "(city, province) |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for model in self._enumerated_models():
            if model in EXEMPT:
                lines.append(f"| `{model}` | exempt: {EXEMPT[model]} | – | – | – | – | – | – | – |")
                continue
            Model = self.env[model]
            if Model._transient:
                scope = "owner (wizard)"
            elif model in READ_BY_TIERS:
                scope = f"area, read by {', '.join(READ_BY_TIERS[model])} only"
            else:
                scope = "area"
            references = self._reference_fields(model)
            calls = ["search_read", "read", "web_read_group", "name_search", "export_data"]
            calls += ["onchange", "web_search_read"]
            if references:
                calls.append("onchange (new record)")
            protected = self._protected_fields(model) if model in mixin_models else []
            creates = self._protected_selections(model) if model in mixin_models else []
            reports = len(self._reports(model)) + len(self._downloads(model))
            lines.append(
                f"| `{model}` | {scope} | {', '.join(calls)} | {names(references)} | "
                f"{len(self._binary_fields(model))} | {reports} | {names(protected)} | "
                f"{names(creates)} | {names(self._hidden_fields(model, sensitive_users))} |"
            )
        return "\n".join([TABLE_START, *lines, TABLE_END])

    def test_e_readme_table(self):
        expected = self._access_table()
        text = README.read_text(encoding="utf-8")
        found = re.search(
            re.escape(TABLE_START) + r".*?" + re.escape(TABLE_END), text, flags=re.DOTALL
        )
        self.assertTrue(
            found and found.group(0) == expected,
            "README.md must hold, at the end of its '## Access model' section, exactly this "
            "block (generated by tests/test_http_boundary.py):\n\n" + expected + "\n",
        )
