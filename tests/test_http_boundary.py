"""The trust boundary, tried from outside: real HTTP sessions against every model.

Each tier user logs in through ``/web/session/authenticate`` and then, over
JSON-RPC (``/web/dataset/call_kw``, ``/web/dataset/call_button``), ``/web/content``,
``/report/...``, mail's routes and the addon's own routes, tries to reach and to
change records of an area it does not serve: reading them; writing, saving,
copying and deleting them; pressing each of their buttons; pointing an own
record's lists at them; and reading the messages, followers, activities, tracked
changes, attachments and audit trail attached to them. The models and their
buttons are enumerated from the registry, so a model or a button added later is
tried at once, or fails the fixture check until it gets a foreign record. A
refusal counts only next to its positive control: the same call on an own-area
record is not refused for the area (``test_f_calls_work_in_own_area``).

A leak is the fixture's tag ("桂外", "韶外") anywhere in an answer: the fixture
writes it into every text field of its records and of their chatter; the few
text fields that cannot hold it (phone and ID numbers) hold values unique to
their group, which are looked for as well.

The suite also checks the sensitive fields (fields with ``groups``) against the
city and province tiers, the fields only the application may set (the area
contract's ``_lbe_protected_fields()``), and that docs/access.md carries the table
of what was tried (``test_e_readme_table``).
"""

import base64
import inspect
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
from odoo.osv import expression
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..wizard.elder_import_columns import HEADERS as IMPORT_HEADERS
from .common import (
    FAMILY_PORTAL_ROUTES,
    PNG_PIXEL,
    LbeCareCommon,
    call_kw,
    json_call,
    login_session,
    make_id_number,
    user_password,
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
# The first sign-in's password page (controllers/staff_password.py) and Odoo's web
# client, which the addon serves anew to hold a new staff member on that page:
# tried by test_b_staff_password_page (tests/test_staff.py walks the change itself).
STAFF_PASSWORD_ROUTES = {
    "/web/lbe/password",
    "/web",
    "/odoo",
    "/odoo/<path:subpath>",
    "/scoped_app/<path:subpath>",
}
# Odoo's report routes, which the addon serves anew (controllers/report.py, to
# write the audit log on the primary): tried with every report of every model
# (_reports), in the tier tests and their positive control.
REPORT_ROUTES = {"/report/<converter>/<reportname>", "/report/<converter>/<reportname>/<docids>"}
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
# A change of a foreign record is refused by the area rule or the access rights
# (AccessError), as a record the user cannot see (MissingError; NotFound from
# mail's routes), or by the model's own refusal of every such change (UserError:
# the audit log).
REFUSED_CHANGE = (*DENIED, "odoo.exceptions.UserError", "werkzeug.exceptions.NotFound")
RESEQUENCE = "/web/dataset/resequence"
# What a positive control may meet on an own-area record instead of success: the
# application's refusal of that step (a summary not yet submitted, say).
BUSINESS_REFUSAL = ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError")

# Arguments of public actions that have no default: a button gives none, a client
# calling /web/dataset/call_button gives them itself.
ACTION_KWARGS = {("lbe.elder", "action_exit"): {"reason": "deceased"}}
# Text fields that hold nothing of anyone, the same on every record: the fixture
# does not tag them and the answers are not searched for them.
UNTAGGED_TEXT = {
    ("lbe.audit.log", "res_model"): "the model of the logged records",
    ("lbe.audit.log", "res_ids"): "the ids of the logged records",
    ("lbe.elder.import.error", "column"): "a column header of the import template",
    ("lbe.summary.check", "compared_columns"): "the numbers of Annex 2's columns",
}
# The rows attached to a record by mail and auditlog: how each names its record.
MAIL_ROWS = {
    "mail.message": ("model", "res_id"),
    "mail.followers": ("res_model", "res_id"),
    "mail.activity": ("res_model", "res_id"),
    "mail.tracking.value": ("mail_message_id.model", "mail_message_id.res_id"),
    "ir.attachment": ("res_model", "res_id"),
    "auditlog.log": ("model_model", "res_id"),
}
# The mail models whose rows an own record's lists are pointed at, with a field
# a client would change through Command.update.
X2MANY_MAIL = {"mail.message": "body", "mail.activity": "summary", "mail.followers": None}
# Neutral text written by the suite: it names no one.
NEW_TEXT = "改写"

ACCESS_DOC = Path(__file__).resolve().parent.parent / "docs" / "access.md"
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
            "gx": cls._make_group("桂外", cls.gx_village, gx_owner, "4501"),
            "d1": cls._make_group("韶外", cls.village_d1, sg_owner, "4402"),
        }
        # Records of the test users' own area (白云区人和镇 A1), for the checks of
        # sensitive and protected fields and the positive controls; its wizards
        # and log entries are the test manager's.
        own = cls._make_group("白云本地", cls.village_a1, cls.user_manager, "0001")
        cls.own, cls.own_rows = own["records"], own["rows"]
        cls.models = [name for name in cls._enumerated_models() if name not in EXEMPT]
        others = [own, *cls.groups.values()]
        for group in cls.groups.values():
            group["markers"] = cls._markers(group, [o for o in others if o is not group])

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
    def _make_group(cls, tag, village, owner, phone):
        """The records of the village (`_make_records`) and the rows of mail and
        auditlog attached to them (`_make_rows`)."""
        records = cls._make_records(tag, village, owner, phone)
        return {
            "area": village,
            "tag": tag,
            "records": records,
            "rows": cls._make_rows(tag, records, owner),
        }

    @classmethod
    def _make_records(cls, tag, village, owner, phone):
        """One record of every model in the village (and its county), every text
        field holding the tag or a value of the group's own (phone numbers ending
        in `phone`); the owner's log entries and wizards."""
        env = cls.env
        county = village.parent_id.parent_id
        records = cls._elder_with_records(tag, village, phone=phone)
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
                "contact_phone": f"1340000{phone}",
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
        # A message of the supporter on the family portal, replied to by the village.
        records["lbe.family.message"] = env["lbe.family.message"]._lbe_receive(
            records["lbe.guardian"], f"{tag}家属留言"
        )
        records["lbe.family.message"].reply = f"{tag}村委会答复"
        summary = env["lbe.summary"].create({"region_id": county.id, "year": cls.today.year - 1})
        summary.action_compute()
        env.flush_all()
        records |= {
            "lbe.summary": summary,
            "lbe.summary.line": summary.line_ids,
            # Made by computing the county summary.
            "lbe.visit.report": env["lbe.visit.report"].search([("summary_id", "=", summary.id)]),
            # On a summary of its own, which no call recomputes (that would remove it).
            "lbe.summary.check": env["lbe.summary.check"].create(
                {
                    "summary_id": env["lbe.summary"]
                    .create({"region_id": county.id, "year": cls.today.year - 2})
                    .id,
                    "row_label": f"{tag}第1行",
                    "column": 1,
                    "column_value": 1,
                    "relation": "≠",
                    "compared_columns": "12",
                    "compared_value": 0,
                    "name": f"{tag}：第1列 1 ≠ 第12列 0",
                }
            ),
            "lbe.supervision": env["lbe.supervision"].search([("region_id", "=", village.id)]),
        }
        # The visit as the field app sends it, with the phone's UUID.
        records["lbe.visit"].sudo().client_uuid = str(uuid.uuid4())
        Log = env["lbe.audit.log"].with_user(owner)
        records["lbe.audit.log"] = Log._log("export", elder, f"{tag}：name,id_number") | Log._log(
            "print_annex1", elder, f"{tag}：report_lbe_elder_annex1"
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
                    "filename": f"{tag}区划.csv",
                }
            )
        )
        records["lbe.visit.policy"] = (
            env["lbe.visit.policy"]
            .with_user(owner)
            .create({"visit_interval_focus": 30, "visit_interval_other": 90})
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
        records = {name: recs.with_env(env) for name, recs in records.items()}
        # The text fields nothing above filled get the tag, so that every text
        # field of a record is looked for in the answers.
        for model, recs in records.items():
            for record in recs:
                empty = {
                    fname: f"{tag}{fname}"
                    for fname in cls._text_fields(model)
                    if (model, fname) not in UNTAGGED_TEXT and not record[fname]
                }
                if empty:
                    record.sudo().write(empty)
        env.flush_all()
        return records

    @classmethod
    def _make_rows(cls, tag, records, owner):
        """On each record: a message, a follower, a tracked change and an
        activity where its model has them, an attachment and an audit trail
        entry (as OCA auditlog writes them), each holding the tag. Returns the
        rows of each kind attached to the records, by model of the records."""
        env = cls.env
        follower = env["res.partner"].create({"name": f"{tag}关注人"})
        todo = env.ref("mail.mail_activity_data_todo")
        Thread = cls.registry["mail.thread"]
        Activities = cls.registry["mail.activity.mixin"]
        for model, recs in records.items():
            Model = env[model]
            if Model._transient:
                continue
            text = cls._text_fields(model)
            field = env["ir.model.fields"]._get(model, text[0] if text else "id")
            for record in recs:
                if isinstance(Model, Thread):
                    record.message_post(
                        body=f"{tag}留言", message_type="comment", subtype_xmlid="mail.mt_note"
                    )
                    record.message_subscribe(partner_ids=follower.ids)
                    record._message_log(
                        body=f"{tag}变更",
                        tracking_value_ids=[
                            Command.create(
                                {
                                    "field_id": field.id,
                                    "old_value_char": f"{tag}旧值",
                                    "new_value_char": f"{tag}新值",
                                }
                            )
                        ],
                    )
                if isinstance(Model, Activities):
                    record.activity_schedule(
                        activity_type_id=todo.id,
                        summary=f"{tag}待办",
                        note=f"{tag}待办说明",
                        user_id=owner.id,
                    )
                env["ir.attachment"].create(
                    {
                        "name": f"{tag}附件.txt",
                        "res_model": model,
                        "res_id": record.id,
                        "raw": f"{tag}附件内容".encode(),
                    }
                )
                env["auditlog.log"].create(
                    {
                        "name": f"{tag}审计",
                        "model_id": field.model_id.id,
                        "res_id": record.id,
                        "method": "write",
                        "user_id": owner.id,
                        "log_type": "full",
                        "line_ids": [
                            Command.create(
                                {
                                    "field_id": field.id,
                                    "old_value": f"{tag}旧值",
                                    "new_value": f"{tag}新值",
                                    "old_value_text": f"{tag}旧值",
                                    "new_value_text": f"{tag}新值",
                                }
                            )
                        ],
                    }
                )
        env.flush_all()
        return {
            model: {
                mail_model: cls._rows_of(env, mail_model, model, recs.ids)
                for mail_model in MAIL_ROWS
            }
            for model, recs in records.items()
            if not env[model]._transient
        }

    @staticmethod
    def _rows_domain(mail_model, model, ids):
        model_field, id_field = MAIL_ROWS[mail_model]
        domain = [(model_field, "=", model), (id_field, "in", list(ids))]
        if mail_model == "ir.attachment":
            # Odoo leaves the attachments of binary fields out unless asked.
            domain += ["|", ("res_field", "=", False), ("res_field", "!=", False)]
        return domain

    @classmethod
    def _rows_of(cls, env, mail_model, model, ids):
        return env[mail_model].sudo().search(cls._rows_domain(mail_model, model, ids))

    @classmethod
    def _text_fields(cls, model):
        """The text a user gives a record: stored char, text and html fields that
        are not computed."""
        return sorted(
            name
            for name, field in cls.env[model]._fields.items()
            if field.type in ("char", "text", "html") and field.store and not field.compute
        )

    @classmethod
    def _markers(cls, group, others):
        """What in an answer gives the group's records away: its tag, and the
        values of its text fields that cannot hold the tag, when no other group
        has them (test_a_fixture_tags_every_text_field checks that they do not)."""
        markers = {group["tag"]}
        taken = {
            value
            for other in others
            for model, recs in other["records"].items()
            for value in cls._untagged_values(model, recs, other["tag"])
        }
        for model, recs in group["records"].items():
            markers |= cls._untagged_values(model, recs, group["tag"]) - taken
        return markers

    @classmethod
    def _untagged_values(cls, model, records, tag):
        return {
            value
            for fname in cls._text_fields(model)
            if (model, fname) not in UNTAGGED_TEXT
            for value in records.sudo().mapped(fname)
            if value and tag not in value
        }

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

    def _markers_of(self, model, records):
        """What in an answer gives the records away: the markers of their groups."""
        markers = set()
        for group in self.groups.values():
            if group["records"].get(model, self.env[model]) & records:
                markers |= group["markers"]
        return markers

    def _foreign_rows(self, tier, user):
        """The mail and auditlog rows attached to the records the user must not
        reach: {model of the records: {mail model: rows}}."""
        found = {}
        for model in self.models:
            foreign = self._foreign(model, tier, user)
            for group in self.groups.values():
                if not group["records"].get(model, self.env[model]) & foreign:
                    continue
                for mail_model, rows in group["rows"].get(model, {}).items():
                    by_model = found.setdefault(model, {})
                    by_model[mail_model] = by_model.get(mail_model, rows.browse()) | rows
        return found

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
        response = json_call(opener, self.base_url(), url, params)
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
    def _must_not_leak(problems, where, answer, markers):
        leaked = sorted(marker for marker in markers if marker in answer[2])
        if leaked:
            problems.append(
                f"{where}: the answer holds what only foreign records hold: {', '.join(leaked)}"
            )

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

    def test_a_fixture_tags_every_text_field(self):
        """Every text field of the foreign fixture records holds the group's tag,
        or a value no other group has (a phone or an ID number), looked for as
        well: an answer holding any of them is caught."""
        problems = []
        for key, group in self.groups.items():
            for model, records in group["records"].items():
                for fname in self._text_fields(model):
                    if (model, fname) in UNTAGGED_TEXT:
                        continue
                    for value in records.sudo().mapped(fname):
                        if not value:
                            problems.append(f"{model}.{fname} ({key}): empty")
                        elif group["tag"] not in value and value not in group["markers"]:
                            problems.append(
                                f"{model}.{fname} ({key}): {value!r} holds no tag, and another "
                                "group's record has it too"
                            )
                        elif group["tag"] not in value and len(value) < 8:
                            problems.append(
                                f"{model}.{fname} ({key}): {value!r} holds no tag and is too "
                                "short to be told apart in an answer"
                            )
        stale = sorted(key for key in UNTAGGED_TEXT if key[1] not in self.env[key[0]]._fields)
        if stale:
            problems.append(f"UNTAGGED_TEXT lists fields that no longer exist: {stale}")
        self._assert_no_problems(problems, "Fixture text that a leak would not show")

    def test_a_fixture_attaches_rows_to_every_record(self):
        """Each foreign record holds an attachment and an audit trail entry; each
        with a chatter a message, a follower and a tracked change; each with
        activities an activity."""
        problems = []
        Thread = self.registry["mail.thread"]
        Activities = self.registry["mail.activity.mixin"]
        for key, group in self.groups.items():
            for model, records in group["records"].items():
                Model = self.env[model]
                if Model._transient:
                    continue
                expected = ["ir.attachment", "auditlog.log"]
                if isinstance(Model, Thread):
                    expected += ["mail.message", "mail.followers", "mail.tracking.value"]
                if isinstance(Model, Activities):
                    expected.append("mail.activity")
                by_mail = group["rows"].get(model, {})
                for mail_model in expected:
                    found = by_mail.get(mail_model, self.env[mail_model])
                    for record in records:
                        field = MAIL_ROWS[mail_model][1].split(".")[0]
                        values = found.sudo().mapped(field)
                        if mail_model == "mail.tracking.value":
                            values = found.sudo().mail_message_id.mapped("res_id")
                        if record.id not in values:
                            problems.append(f"{model} {record.id} ({key}): no {mail_model}")
        self._assert_no_problems(problems, "Fixture records without rows attached")

    def test_a_every_action_can_be_called(self):
        """Every public action gets the arguments it needs from ACTION_KWARGS."""
        missing = [
            f"{model}.{action}({', '.join(names)})"
            for model in self.models
            for action in self._actions(model)
            if (names := self._missing_arguments(model, action))
        ]
        self.assertFalse(missing, f"Give these actions' arguments in ACTION_KWARGS: {missing}")
        stale = sorted(key for key in ACTION_KWARGS if key[1] not in self._actions(key[0]))
        self.assertFalse(stale, f"ACTION_KWARGS lists actions that no longer exist: {stale}")

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
        self.assertLessEqual(REPORT_ROUTES, controller_routes("web"), "Odoo's report routes moved")
        untried = (
            routes - set(ADDON_DOWNLOADS) - FIELD_APP_ROUTES - REPORT_ROUTES - STAFF_PASSWORD_ROUTES
        )
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
            markers = self._markers_of(model, foreign)
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
                self._must_not_leak(problems, f"{where} | {call}", answer, markers)

            answer = self._rpc(opener, model, "read", [ids, read_fields])
            self._must_fail(problems, f"{where} | read", answer)
            self._must_not_leak(problems, f"{where} | read", answer, markers)

            answer = self._rpc(opener, model, "export_data", [ids, read_fields])
            if answer[1] is None and answer[0] == {"datas": []}:
                pass  # nothing exported: no leak
            else:
                self._must_fail(problems, f"{where} | export_data", answer, DENIED_EXPORT)
            self._must_not_leak(problems, f"{where} | export_data", answer, markers)

            spec = self._spec(model, user)
            # As the form view sends it: one field changed, its new value given.
            changed = next(name for name in spec if name != "display_name" and not spec[name])
            for record_id in ids:
                answer = self._rpc(
                    opener, model, "onchange", [[record_id], {changed: False}, [changed], spec]
                )
                self._must_fail(problems, f"{where} | onchange of record {record_id}", answer)
                self._must_not_leak(
                    problems, f"{where} | onchange of record {record_id}", answer, markers
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
                self._must_not_leak(
                    problems, f"{where} | {call}", answer, self.groups["gx"]["markers"]
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
            markers = self._markers_of("lbe.elder", foreign)
            where = f"field app | {tier}"
            for url in ("/lbe/field", "/lbe/field/service-worker.js"):
                status, content = self._get(opener, url)
                expected = 200 if tier in FIELD_APP_TIERS or url.endswith(".js") else 403
                if status != expected:
                    problems.append(f"{where} | GET {url}: HTTP {status}, expected {expected}")
                text = content.decode(errors="replace")
                self._must_not_leak(problems, f"{where} | GET {url}", (0, 0, text), markers)
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
                self._must_not_leak(problems, f"{where} | {url}", answer, markers)
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

    def test_b_staff_password_page(self):
        """The password page is only for a staff member still on the initial
        password: any other user, of any tier, is sent to the web client, and a
        POST changes nothing."""
        problems = []
        for tier, user in self.tier_users.items():
            opener = self._login(user)
            where = f"password page | {tier}"
            status, _content = self._get(opener, "/odoo")
            if status != 200:
                problems.append(f"{where} | GET /odoo: HTTP {status}, expected 200")
            response = opener.post(
                f"{self.base_url()}/web/lbe/password",
                data={
                    "old_password": user_password(user.login),
                    "new_password": "lbe-taken-over",
                    "confirm_password": "lbe-taken-over",
                },
                timeout=60,
                allow_redirects=False,
            )
            if response.status_code not in (303, 400):
                problems.append(f"{where} | POST: HTTP {response.status_code}")
            status, _content = self._get(opener, "/web/lbe/password")
            if status != 303:
                problems.append(f"{where} | GET /web/lbe/password: HTTP {status}, expected 303")
            # The password is still the user's own (the login helper signs in with it).
            self._login(user)
        self._assert_no_problems(problems, "The password page reached by staff")

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
    # F. No tier changes a foreign record
    # ------------------------------------------------------------------
    def _actions(self, model):
        """The model's public actions, which a button calls through
        /web/dataset/call_button. Odoo's archiving actions are left out where
        the model has no active field: there they only assert that it has one."""
        model_class = self.registry[model]
        return sorted(
            name
            for name in dir(model_class)
            if name.startswith("action_")
            and callable(getattr(model_class, name))
            and (name not in ("action_archive", "action_unarchive") or model_class._active_name)
        )

    def _missing_arguments(self, model, action):
        """The arguments of the action without a default that ACTION_KWARGS lacks."""
        signature = inspect.signature(getattr(self.registry[model], action))
        given = ACTION_KWARGS.get((model, action), {})
        return [
            name
            for name, parameter in list(signature.parameters.items())[1:]
            if parameter.default is inspect.Parameter.empty
            and parameter.kind
            in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
            and name not in given
        ]

    def _change_field(self, model):
        """A field a client may change on the model's records, text first."""
        Model = self.env[model]
        protected = set(self._protected_fields(model)) | set(models.LOG_ACCESS_COLUMNS)
        types = ("char", "text", "html", "boolean", "integer", "float", "selection", "date")
        candidates = [
            (types.index(field.type), name)
            for name, field in Model._fields.items()
            if field.type in types
            and field.store
            and not field.compute
            and name not in protected
            and (model, name) not in UNTAGGED_TEXT
        ]
        return min(candidates)[1] if candidates else None

    def _change_vals(self, model, record, user):
        fname = self._change_field(model)
        if not fname:
            return {}
        if record._fields[fname].type in ("char", "text", "html"):
            return {fname: NEW_TEXT}
        return {fname: self._other_value(record, fname, user)}

    def _own(self, model, user):
        """The own-area fixture record of the model, if the user reads it (a
        wizard is read by its creator only)."""
        own = self.own.get(model, self.env[model])[:1]
        return own if own and own.with_user(user).has_access("read") else own.browse()

    def _change_calls(self, model, records, user):
        """The calls that change records, but deleting them: (label, route, model,
        method, args, kwargs), the params of the route for a route of its own."""
        ids = records.ids
        calls = []
        vals = self._change_vals(model, records[:1], user)
        if vals:
            fname = next(iter(vals))
            calls += [
                (f"write {fname}", "call_kw", model, "write", [ids, vals], {}),
                (
                    f"web_save {fname}",
                    "call_kw",
                    model,
                    "web_save",
                    [ids, vals],
                    {"specification": {"display_name": {}}},
                ),
                # The list views' drag and drop writes any field it is given.
                (
                    f"resequence {fname}",
                    RESEQUENCE,
                    model,
                    None,
                    None,
                    {"model": model, "ids": ids, "field": fname, "offset": 0},
                ),
            ]
        calls.append(("copy", "call_kw", model, "copy", [ids], {}))
        for action in self._actions(model):
            kwargs = ACTION_KWARGS.get((model, action), {})
            calls.append(
                (f"call_button {action}", "/web/dataset/call_button", model, action, [ids], kwargs)
            )
        # The chatter: a note, a follower, an activity.
        Model = self.env[model]
        if isinstance(Model, self.registry["mail.thread"]):
            note = {"body": NEW_TEXT, "message_type": "comment", "subtype_xmlid": "mail.mt_note"}
            calls += [
                ("message_post", "call_kw", model, "message_post", [ids[:1]], note),
                (
                    "message_subscribe",
                    "call_kw",
                    model,
                    "message_subscribe",
                    [ids],
                    {"partner_ids": user.partner_id.ids},
                ),
                (
                    "/mail/message/post",
                    "/mail/message/post",
                    model,
                    None,
                    None,
                    {"thread_model": model, "thread_id": ids[0], "post_data": note},
                ),
            ]
        if isinstance(Model, self.registry["mail.activity.mixin"]):
            todo = {"act_type_xmlid": "mail.mail_activity_data_todo", "summary": NEW_TEXT}
            calls.append(("activity_schedule", "call_kw", model, "activity_schedule", [ids], todo))
        return calls

    def _x2many_fields(self, model):
        """The list fields of the model a client may send commands to, towards
        the addon's records and mail's rows, one per list (a message list shown
        twice is tried once)."""
        found, seen = [], set()
        for name, field in sorted(self.env[model]._fields.items()):
            if field.type not in ("one2many", "many2many") or (field.compute and not field.inverse):
                continue
            if field.comodel_name not in self.models and field.comodel_name not in X2MANY_MAIL:
                continue
            key = (field.comodel_name, field.inverse_name if field.type == "one2many" else name)
            if key not in seen:
                seen.add(key)
                found.append(name)
        return found

    def _x2many_commands(self, model, fname, target, user):
        """Commands of the list pointing at the target record, by label."""
        field = self.env[model]._fields[fname]
        commands = [("link", Command.link(target.id)), ("set", Command.set(target.ids))]
        if field.comodel_name in X2MANY_MAIL:
            changed = X2MANY_MAIL[field.comodel_name]
            vals = {changed: NEW_TEXT} if changed else {}
        else:
            vals = self._change_vals(field.comodel_name, target, user)
        if vals:
            commands.append(("update", Command.update(target.id, vals)))
        if field.type == "one2many":
            commands.append(("unlink", Command.unlink(target.id)))
        commands.append(("delete", Command.delete(target.id)))
        return commands

    def _create_vals(self, model, fname):
        """The values of a new line of the list, as a client sends them: those of
        an own-area record, without the field back to the list, its own lists
        and the fields only the application sets."""
        field = self.env[model]._fields[fname]
        comodel = field.comodel_name
        sample = self.own.get(comodel, self.env[comodel])[:1] if comodel in self.models else None
        if not sample or not sample.exists():
            return None
        skip = set(self._protected_fields(comodel)) | {getattr(field, "inverse_name", None)}
        Comodel = self.env[comodel]
        return {
            name: value
            for name, value in jsonable(sample.sudo().copy_data()[0]).items()
            if name not in skip and Comodel._fields[name].type not in ("one2many", "many2many")
        }

    def _create_references(self, model, fname):
        """The many2one fields of a new line of the list that point at the
        addon's records, but the one back to the list."""
        field = self.env[model]._fields[fname]
        Comodel = self.env[field.comodel_name]
        protected = set(self._protected_fields(field.comodel_name))
        return [
            name
            for name, sub in sorted(Comodel._fields.items())
            if sub.type == "many2one"
            and sub.comodel_name in self.models
            and name != getattr(field, "inverse_name", None)
            and name not in protected
            and not (sub.compute and not sub.inverse)
        ]

    def _call(self, opener, call):
        _label, route, model, method, args, kwargs = call
        if route == "call_kw":
            return self._rpc(opener, model, method, args, kwargs)
        if route == "/web/dataset/call_button":
            kwargs = {"model": model, "method": method, "args": args, "kwargs": kwargs}
        return self._json(opener, route, kwargs)

    @staticmethod
    def _did_nothing(call, answer):
        """Whether the call declined without an error, as two of Odoo's do: the
        drag and drop route for a field the user may not read, following a
        record the user may not read. Nothing is written (the states compared
        around the calls show it)."""
        declining = call[1] == RESEQUENCE or call[3] == "message_subscribe"
        return declining and answer[1] is None and answer[0] is False

    def _group_targets(self, group, comodel, foreign):
        """The group's records (or the fixture's mail rows) of the comodel that
        are foreign."""
        if comodel in X2MANY_MAIL:
            rows = self.env[comodel]
            for model, by_mail in group["rows"].items():
                if group["records"][model] & foreign.get(model, self.env[model]):
                    rows |= by_mail[comodel]
            return self._tagged(rows, group["tag"])
        return foreign[comodel] & group["records"].get(comodel, self.env[comodel])

    @staticmethod
    def _tagged(rows, tag):
        """The first of the rows the fixture made (holding its tag), not those
        Odoo adds on its own (a notification only its recipient reads)."""
        return (
            rows.sudo()
            .sorted("id")
            .filtered(
                lambda row: (
                    tag in (row.display_name or "")
                    or any(
                        tag in (row[name] or "")
                        for name, field in row._fields.items()
                        if field.type in ("char", "text", "html") and field.store
                    )
                )
            )[:1]
            .with_env(rows.env)
        )

    def _database_state(self, records_by_model, rows_by_model):
        """What the database holds of the records, of the rows attached to them,
        and how many records each model has: read as superuser, binary fields by
        size."""
        self.env.invalidate_all()
        stored = {}
        for model, records in records_by_model.items():
            Model = self.env[model].sudo().with_context(active_test=False, bin_size=True)
            names = [name for name, field in Model._fields.items() if field.store]
            stored[model] = {
                values["id"]: values for values in Model.browse(records.ids).exists().read(names)
            }
            if model in rows_by_model:
                for mail_model in MAIL_ROWS:
                    rows = self._rows_of(self.env, mail_model, model, records.ids)
                    stored[(model, mail_model)] = {
                        values["id"]: values
                        for values in rows.with_context(bin_size=True).read(
                            [n for n, f in rows._fields.items() if f.store]
                        )
                    }
        stored["counts"] = {
            model: self.env[model].sudo().with_context(active_test=False).search_count([])
            for model in self.models
        }
        return stored

    @staticmethod
    def _compare_states(problems, where, before, after):
        for key, old in before.items():
            new = after[key]
            if old == new:
                continue
            if key == "counts":
                changed = {m: f"{old[m]} → {new[m]}" for m in old if old[m] != new[m]}
                problems.append(f"{where}: records created or deleted: {changed}")
                continue
            for record_id in sorted(set(old) | set(new)):
                if record_id not in new:
                    problems.append(f"{where}: {key} {record_id} was deleted")
                elif record_id not in old:
                    problems.append(f"{where}: {key} {record_id} was attached")
                else:
                    diff = {
                        name: f"{short(old[record_id][name], 40)} → {short(value, 40)}"
                        for name, value in new[record_id].items()
                        if old[record_id][name] != value
                    }
                    if diff:
                        problems.append(f"{where}: {key} {record_id} changed: {diff}")

    def _check_changes(self, tier):
        user = self.tier_users[tier]
        opener = self._login(user)
        problems = []
        foreign = {model: self._foreign(model, tier, user) for model in self.models}
        before = self._database_state(foreign, self._foreign_rows(tier, user))
        for model in self.models:
            own = self._own(model, user)
            # Where the user may save the own record, the pager's next record is tried.
            saves = own and (
                self._rpc(
                    opener,
                    model,
                    "web_save",
                    [own.ids, {}],
                    {"specification": {"display_name": {}}, "next_id": own.id},
                )[1]
                is None
            )
            for key, group in self.groups.items():
                records = foreign[model] & group["records"].get(model, self.env[model])
                if not records:
                    continue
                where = f"{model} | {tier} | {key}"
                markers = group["markers"]
                calls = self._change_calls(model, records, user)
                calls.append(("unlink", "call_kw", model, "unlink", [records.ids], {}))
                for call in calls:
                    answer = self._call(opener, call)
                    if not self._did_nothing(call, answer):
                        self._must_fail(problems, f"{where} | {call[0]}", answer, REFUSED_CHANGE)
                    self._must_not_leak(problems, f"{where} | {call[0]}", answer, markers)
                if own and saves:
                    # The form's pager: save the own record, read the next one.
                    answer = self._rpc(
                        opener,
                        model,
                        "web_save",
                        [own.ids, {}],
                        {"specification": {"display_name": {}}, "next_id": records[0].id},
                    )
                    call = "web_save of an own record, next_id foreign"
                    self._must_fail(problems, f"{where} | {call}", answer)
                    self._must_not_leak(problems, f"{where} | {call}", answer, markers)
            if not own:
                continue
            # An own record's lists pointed at foreign records and rows.
            for fname in self._x2many_fields(model):
                comodel = self.env[model]._fields[fname].comodel_name
                vals = self._create_vals(model, fname)
                for key, group in self.groups.items():
                    targets = self._group_targets(group, comodel, foreign)
                    if not targets:
                        continue
                    commands = self._x2many_commands(model, fname, targets[:1], user)
                    for ref in self._create_references(model, fname) if vals else ():
                        comodel_ref = self.env[comodel]._fields[ref].comodel_name
                        target = self._group_targets(group, comodel_ref, foreign)[:1]
                        if target:
                            commands.append(
                                (f"create with {ref}", Command.create({**vals, ref: target.id}))
                            )
                    where = f"{model} | {tier} | own record's {fname} → {key} {comodel}"
                    for label, command in commands:
                        answer = self._rpc(opener, model, "write", [own.ids, {fname: [command]}])
                        self._must_fail(problems, f"{where} | {label}", answer, REFUSED_CHANGE)
                        self._must_not_leak(
                            problems, f"{where} | {label}", answer, group["markers"]
                        )
        after = self._database_state(foreign, self._foreign_rows(tier, user))
        self._compare_states(problems, f"{tier} | stored after the calls", before, after)
        self._assert_no_problems(problems, f"Foreign records changed by the {tier} tier")

    def test_f_village(self):
        self._check_changes("village")

    def test_f_township(self):
        self._check_changes("township")

    def test_f_county(self):
        self._check_changes("county")

    def test_f_city(self):
        self._check_changes("city")

    def test_f_province(self):
        self._check_changes("province")

    def test_f_manager(self):
        self._check_changes("manager")

    def test_f_calls_work_in_own_area(self):
        """Positive control of F: each call refused on foreign records, made on
        an own-area record, is answered or refused by the application's own rule
        (a step out of order), not by the area, for some tier allowed to make it;
        so that a refusal is not a broken call."""
        sessions = {}
        problems = []
        Access = self.env["ir.model.access"]

        def attempt(where, record, call, operation=None):
            refusals = []
            for tier, user in self.tier_users.items():
                if not record.exists() or not record.with_user(user).has_access("read"):
                    continue
                if operation and not Access.with_user(user).check(
                    record._name, operation, raise_exception=False
                ):
                    continue
                if tier not in sessions:
                    sessions[tier] = self._login(user)
                # A copy or a delete of an own record may meet a database
                # constraint (one summary a year, visits of an elder), which
                # PostgreSQL logs before Odoo answers it in words.
                with mute_logger("odoo.sql_db"):
                    _result, error, _text = self._call(sessions[tier], call)
                if error is None or self._error_name(error) in BUSINESS_REFUSAL:
                    return
                message = (error.get("data") or {}).get("message") or ""
                refusals.append(f"{tier}: {self._error_name(error)} ({short(message, 80)})")
            if refusals:
                problems.append(f"{where}: refused on an own-area record: {'; '.join(refusals)}")
            elif operation is None:
                problems.append(f"{where}: no tier reads the own-area record")

        # The access right each call needs: where no tier holds it, there is
        # nothing to try (nobody writes the supervision view).
        operations = {"write": "write", "web_save": "write", "copy": "create", RESEQUENCE: "write"}
        # Taken before any call: the calls change and delete own records.
        create_vals = {
            (model, fname): self._create_vals(model, fname)
            for model in self.models
            for fname in self._x2many_fields(model)
        }
        records = {}
        for model in self.models:
            records[model] = self.own.get(model, self.env[model])[:1]
            if not records[model]:
                problems.append(f"{model}: no own-area fixture record")
        manager = self.user_manager
        # In turns, each leaving the next the records it needs: the lists, the
        # changes, the buttons (an import's check replaces its error lines), and
        # deleting last (it takes the records below along).
        for model, record in records.items():
            for fname in self._x2many_fields(model) if record else ():
                comodel = self.env[model]._fields[fname].comodel_name
                if comodel in X2MANY_MAIL:
                    rows = self.own_rows.get(model, {}).get(comodel, self.env[comodel])
                    target = self._tagged(rows, "白云本地")
                else:
                    target = self.own.get(comodel, self.env[comodel])[:1]
                commands = []
                if target:
                    commands = [
                        (label, command)
                        for label, command in self._x2many_commands(model, fname, target, manager)
                        if label in ("link", "update")
                    ]
                vals = create_vals[model, fname]
                if vals is not None:
                    commands.append(("create", Command.create(vals)))
                for label, command in commands:
                    call = (label, "call_kw", model, "write", [record.ids, {fname: [command]}], {})
                    attempt(f"{model} | {fname} {label}", record, call, "write")
        for buttons in (False, True):
            for model, record in records.items():
                for call in self._change_calls(model, record, manager) if record else ():
                    if (call[1] == "/web/dataset/call_button") == buttons:
                        operation = operations.get(call[3] or call[1])
                        attempt(f"{model} | {call[0]}", record, call, operation)
        for model, record in records.items():
            if record:
                call = ("unlink", "call_kw", model, "unlink", [record.ids], {})
                attempt(f"{model} | unlink", record, call, "unlink")
        self._assert_no_problems(problems, "Calls refused on own-area records")

    # ------------------------------------------------------------------
    # G. Nothing attached to a foreign record reaches any tier
    # ------------------------------------------------------------------
    def _check_rows(self, tier):
        user = self.tier_users[tier]
        opener = self._login(user)
        problems = []
        foreign_rows = self._foreign_rows(tier, user)
        markers = set()
        for model in foreign_rows:
            markers |= self._markers_of(model, self._foreign(model, tier, user))
        for mail_model in MAIL_ROWS:
            where = f"{mail_model} | {tier}"
            rows = self.env[mail_model]
            by_document = []
            for model, by_mail in foreign_rows.items():
                rows |= by_mail[mail_model]
                ids = self._foreign(model, tier, user).ids
                by_document.append(self._rows_domain(mail_model, model, ids))
            calls = [
                (
                    "search_read by record",
                    self._rpc(
                        opener,
                        mail_model,
                        "search_read",
                        kwargs={"domain": expression.OR(by_document), "fields": ["display_name"]},
                    ),
                    lambda r: r == [],
                ),
                (
                    "search_read by id",
                    self._rpc(
                        opener,
                        mail_model,
                        "search_read",
                        kwargs={"domain": [("id", "in", rows.ids)], "fields": ["display_name"]},
                    ),
                    lambda r: r == [],
                ),
                (
                    "web_search_read by id",
                    self._rpc(
                        opener,
                        mail_model,
                        "web_search_read",
                        kwargs={
                            "domain": [("id", "in", rows.ids)],
                            "specification": {"display_name": {}},
                        },
                    ),
                    lambda r: r["length"] == 0 and r["records"] == [],
                ),
            ]
            for call, answer, is_empty in calls:
                self._must_be_empty(problems, f"{where} | {call}", answer, is_empty)
                self._must_not_leak(problems, f"{where} | {call}", answer, markers)
            answer = self._rpc(opener, mail_model, "read", [rows.ids, ["display_name"]])
            if answer[1] is not None or answer[0]:
                self._must_fail(problems, f"{where} | read", answer)
            self._must_not_leak(problems, f"{where} | read", answer, markers)
            if not rows:
                problems.append(f"{where}: the fixture attached no row to foreign records")

            # Positive control: the same search finds the own area's rows, of the
            # records the user reads (writes, for activities: Odoo's rule); the
            # audit trail of users for managers (the addon's rule).
            own_domain = []
            operation = "write" if mail_model == "mail.activity" else "read"
            for model, by_mail in self.own_rows.items():
                readable = self.own[model].with_user(user)._filtered_access(operation)
                if readable and by_mail[mail_model]:
                    own_domain.append(self._rows_domain(mail_model, model, readable.ids))
            if mail_model == "auditlog.log":
                users = self.env["res.users"].concat(*self.tier_users.values())
                own_domain = [self._rows_domain(mail_model, "res.users", users.ids)]
            if own_domain and self.env[mail_model].with_user(user).has_access("read"):
                result, error, _text = self._rpc(
                    opener,
                    mail_model,
                    "search_read",
                    kwargs={"domain": expression.OR(own_domain), "fields": ["display_name"]},
                )
                if error or not result:
                    problems.append(
                        f"{where} | positive control: no own-area row found "
                        f"({short(error or result)}); the call or the fixture is broken"
                    )

        # Mail's routes of a record's chatter.
        for model, by_mail in foreign_rows.items():
            if not isinstance(self.env[model], self.registry["mail.thread"]):
                continue
            for record in self._foreign(model, tier, user):
                where = f"{model} {record.id} | {tier}"
                answer = self._json(
                    opener,
                    "/mail/thread/messages",
                    {"thread_model": model, "thread_id": record.id},
                )
                if answer[1] is None and answer[0]["messages"]:
                    problems.append(f"{where} | /mail/thread/messages: {short(answer[0])}")
                self._must_not_leak(problems, f"{where} | /mail/thread/messages", answer, markers)
                answer = self._json(
                    opener,
                    "/mail/thread/data",
                    {
                        "thread_model": model,
                        "thread_id": record.id,
                        "request_list": ["activities", "attachments", "followers"],
                    },
                )
                self._must_not_leak(problems, f"{where} | /mail/thread/data", answer, markers)
            for attachment in by_mail["ir.attachment"].filtered(lambda a: not a.res_field):
                self._must_not_serve(
                    problems,
                    f"{model} | {tier} | attachment",
                    opener,
                    f"/web/content/{attachment.id}?download=true",
                )
        # Positive control of the routes: the own elder's chatter is served.
        elder = self.own["lbe.elder"]
        if elder.with_user(user).has_access("read"):
            result, error, text = self._json(
                opener,
                "/mail/thread/messages",
                {"thread_model": elder._name, "thread_id": elder.id},
            )
            if error or "白云本地留言" not in text:
                problems.append(
                    f"lbe.elder | {tier} | positive control: /mail/thread/messages does not "
                    f"serve the own elder's message ({short(error or result)})"
                )
        self._assert_no_problems(problems, f"Rows of foreign records reached by the {tier} tier")

    def test_g_village(self):
        self._check_rows("village")

    def test_g_township(self):
        self._check_rows("township")

    def test_g_county(self):
        self._check_rows("county")

    def test_g_city(self):
        self._check_rows("city")

    def test_g_province(self):
        self._check_rows("province")

    def test_g_manager(self):
        self._check_rows("manager")

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
    # E. docs/access.md shows what this suite tries
    # ------------------------------------------------------------------
    def _access_table(self):
        def names(items):
            return ", ".join(f"`{item}`" for item in items) or "–"

        sensitive_users = [self.user_city, self.user_province]
        mixin_models = set(self._mixin_models())
        row_names = {
            "mail.message": "messages",
            "mail.followers": "followers",
            "mail.activity": "activities",
            "mail.tracking.value": "tracked changes",
            "ir.attachment": "attachments",
            "auditlog.log": "audit trail",
        }
        lines = [
            "| model | scope | JSON-RPC calls on foreign records, every tier | buttons pressed "
            "on foreign records (call_button) | an own record's lists pointed at foreign "
            "records | rows of foreign records tried | references tried in a new record's "
            "onchange | binary fields | reports and downloads | protected fields tried (write) | "
            "protected fields tried (create) | sensitive fields checked (city, province) |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for model in self._enumerated_models():
            if model in EXEMPT:
                lines.append(
                    f"| `{model}` | exempt: {EXEMPT[model]} | – | – | – | – | – | – | – | – | – "
                    "| – |"
                )
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
            record = self.groups["gx"]["records"][model][:1]
            calls += [
                call[0].split(" ")[0]
                for call in self._change_calls(model, record, self.user_manager)
                if call[1] != "/web/dataset/call_button"
            ]
            calls += ["unlink", "web_save (next_id)"]
            rows = [
                row_names[mail_model]
                for mail_model, found in self.groups["gx"]["rows"].get(model, {}).items()
                if found
            ]
            protected = self._protected_fields(model) if model in mixin_models else []
            creates = self._protected_selections(model) if model in mixin_models else []
            reports = len(self._reports(model)) + len(self._downloads(model))
            lines.append(
                f"| `{model}` | {scope} | {', '.join(calls)} | {names(self._actions(model))} | "
                f"{names(self._x2many_fields(model))} | {', '.join(rows) or '–'} | "
                f"{names(references)} | {len(self._binary_fields(model))} | {reports} | "
                f"{names(protected)} | {names(creates)} | "
                f"{names(self._hidden_fields(model, sensitive_users))} |"
            )
        return "\n".join([TABLE_START, *lines, TABLE_END])

    def test_e_readme_table(self):
        expected = self._access_table()
        text = ACCESS_DOC.read_text(encoding="utf-8")
        found = re.search(
            re.escape(TABLE_START) + r".*?" + re.escape(TABLE_END), text, flags=re.DOTALL
        )
        self.assertTrue(
            found and found.group(0) == expected,
            "docs/access.md must hold exactly this block (generated by "
            "tests/test_http_boundary.py):\n\n" + expected + "\n",
        )
