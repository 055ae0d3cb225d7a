"""Visits recorded on a device by the field app and sent later: each stored
once (the UUID the device gave it), checked as the back office would, and
completed as there."""

import base64
import binascii
import re

from psycopg2.errors import UniqueViolation

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# A visit recorded on a device carries the UUID the device gave it (canonical form).
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# What a visit sent by the field app may hold besides its UUID and elder, by type.
FIELD_APP_REQUIRED = ("client_uuid", "elder_id", "visit_date", "method", "risk_level")
FIELD_APP_TEXTS = (
    "companions",
    "living_conditions",
    "safety_risk_note",
    "health_change",
    "needs",
    "help_given",
)
FIELD_APP_SELECTIONS = (
    "method",
    "risk_level",
    "duty_fulfilment",
    "found_health_status",
    "found_self_care",
    "found_living_alone",
)
FIELD_APP_FIELDS = frozenset(
    FIELD_APP_REQUIRED + FIELD_APP_TEXTS + FIELD_APP_SELECTIONS + ("safety_risk", "photo")
)
# A phone scales the photo down before it is queued; a bigger one is a mistake.
PHOTO_MAX_BYTES = 3 * 1024 * 1024
# Visits per sync request: the app sends its outbox in batches of this size.
FIELD_APP_BATCH = 20


class LbeVisitFieldSync(models.Model):
    _inherit = "lbe.visit"

    # Set once, by the sync of the field app: a visit sent twice is stored once.
    client_uuid = fields.Char(
        string="Device Record ID",
        readonly=True,
        copy=False,
        help="The identifier the field app gave the visit on the device that recorded it.",
    )

    _sql_constraints = [
        (
            "client_uuid_unique",
            "UNIQUE(client_uuid)",
            "A visit recorded on a device is stored once: this device record ID is taken.",
        ),
    ]

    @api.constrains("client_uuid")
    def _check_client_uuid(self):
        for visit in self.filtered("client_uuid"):
            if not UUID_PATTERN.fullmatch(visit.client_uuid):
                raise ValidationError(
                    _(
                        "%(value)s is not a device record ID: a lower-case UUID is expected.",
                        value=visit.client_uuid,
                    )
                )

    @api.model
    def _lbe_field_sync(self, items):
        """Store the visits a device sends, each on its own, as the user.

        Each item becomes a visit completed through `action_done`, as in the back
        office, in its own savepoint: a refused item stores nothing of itself and
        does not keep the others from being stored. Answers one result per item:
        ``client_uuid``, ``status`` (created, duplicate or refused) and
        ``visit_id`` or ``message``.
        """
        if not isinstance(items, list):
            raise UserError(_("The visits must be sent as a list."))
        if len(items) > FIELD_APP_BATCH:
            raise UserError(_("Send at most %(count)s visits at a time.", count=FIELD_APP_BATCH))
        return [self._lbe_field_sync_one(item) for item in items]

    @api.model
    def _lbe_field_request_max(self):
        """The bytes of the largest request the field app can send: a batch of
        visits each at the most of its text fields (a character escaped by JSON
        takes six bytes) and of its photo (base64: four bytes for three)."""
        texts = sum(self._lbe_text_limit(name) for name in FIELD_APP_TEXTS) * 6
        photo = PHOTO_MAX_BYTES * 4 // 3 + 4
        # The other fields: a UUID, an id, a date, selections and a flag.
        others = 1024
        return FIELD_APP_BATCH * (texts + photo + others)

    @api.model
    def _lbe_field_sync_one(self, item):
        client_uuid = item.get("client_uuid") if isinstance(item, dict) else None
        result = {"client_uuid": client_uuid if isinstance(client_uuid, str) else None}
        try:
            if not isinstance(item, dict):
                raise UserError(_("A visit must be sent as an object of fields."))
            if not isinstance(client_uuid, str) or not UUID_PATTERN.fullmatch(client_uuid):
                raise UserError(_("The visit has no device record ID (a lower-case UUID)."))
            # Before the checks of its content: a visit stored already is not
            # judged again (its elder may have left the ledger since).
            existing = self.sudo().search([("client_uuid", "=", client_uuid)], limit=1)
            if existing:
                if existing.create_uid != self.env.user:
                    # Another user's visit: say nothing of it.
                    raise UserError(
                        _(
                            "This device record ID is already used by another visit; "
                            "discard this copy or record the visit again."
                        )
                    )
                return {**result, "status": "duplicate", "visit_id": existing.id}
            vals = self._lbe_field_values(item)
            with self.env.cr.savepoint():
                visit = self.create(vals)
                visit._lbe_workflow_write({"client_uuid": client_uuid})
                visit.action_done()
        except (UserError, ValidationError, AccessError) as error:
            return {**result, "status": "refused", "message": error.args[0]}
        except UniqueViolation as error:
            if error.diag.constraint_name != "lbe_visit_client_uuid_unique":
                raise
            # The same visit stored by a request running at the same time.
            return {
                **result,
                "status": "refused",
                "message": _("The visit was being stored by another request; send it again."),
            }
        return {**result, "status": "created", "visit_id": visit.id}

    @api.model
    def _lbe_field_values(self, item):
        """The create values of an item sent by the field app, or a UserError
        saying what is wrong with it."""
        missing = [name for name in FIELD_APP_REQUIRED if item.get(name) in (None, False, "")]
        if missing:
            raise UserError(_("Fields missing: %(fields)s.", fields=", ".join(missing)))
        unknown = sorted(set(item) - FIELD_APP_FIELDS)
        if unknown:
            raise UserError(_("Unknown fields: %(fields)s.", fields=", ".join(unknown)))
        elder_id = item["elder_id"]
        elder = self.env["lbe.elder"]
        if isinstance(elder_id, int) and not isinstance(elder_id, bool):
            # As the user: an elder of another area is not found, as one unknown.
            elder = elder.search([("id", "=", elder_id), ("state", "=", "active")])
        if not elder:
            raise UserError(_("This elder is not in your area or no longer in the ledger."))
        try:
            visit_date = fields.Date.to_date(item["visit_date"])
        except (TypeError, ValueError):
            visit_date = None
        if not visit_date:
            raise UserError(
                _("%(value)s is not a date (YYYY-MM-DD).", value=str(item["visit_date"])[:40])
            )
        vals = {"elder_id": elder.id, "visit_date": visit_date}
        for name in FIELD_APP_SELECTIONS:
            value = item.get(name) or False
            keys = dict(self._fields[name]._description_selection(self.env))
            if value and (not isinstance(value, str) or value not in keys):
                raise UserError(
                    _(
                        "%(value)s is not a value of %(field)s.",
                        value=str(value)[:40],
                        field=self._fields[name]._description_string(self.env),
                    )
                )
            vals[name] = value
        for name in FIELD_APP_TEXTS:
            value = item.get(name) or False
            if value and not isinstance(value, str):
                raise UserError(
                    _(
                        "%(field)s must be text.",
                        field=self._fields[name]._description_string(self.env),
                    )
                )
            vals[name] = value
        if not isinstance(item.get("safety_risk", False), bool):
            raise UserError(
                _(
                    "%(field)s must be true or false.",
                    field=self._fields["safety_risk"]._description_string(self.env),
                )
            )
        vals["safety_risk"] = item.get("safety_risk", False)
        if item.get("photo"):
            vals["photo"] = self._lbe_field_photo(item["photo"])
        return vals

    @api.model
    def _lbe_field_photo(self, value):
        """The photo as base64, refused unless it is base64 of a reasonable size
        (the image field refuses what is not an image)."""
        try:
            size = len(base64.b64decode(value, validate=True)) if isinstance(value, str) else -1
        except (binascii.Error, ValueError):
            size = -1
        if size < 0:
            raise UserError(_("The photo must be sent as base64."))
        if size > PHOTO_MAX_BYTES:
            raise UserError(
                _(
                    "The photo is too large (%(size)s MB); at most %(max)s MB.",
                    size=round(size / 1024 / 1024, 1),
                    max=PHOTO_MAX_BYTES // 1024 // 1024,
                )
            )
        return value
