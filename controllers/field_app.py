import json
from urllib.parse import urlencode

from odoo import http
from odoo.addons.web.controllers import webmanifest
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import file_open

from ..models.lbe_visit_field_sync import FIELD_APP_BATCH, FIELD_APP_SELECTIONS, FIELD_APP_TEXTS
from ..models.tiers import FIELD_TIERS

APP_ID = "left_behind_elderly"
SCOPE = "/lbe/field"
ICONS = ("192x192", "512x512")


class LbeFieldApp(http.Controller):
    """The field app: an installable page (a scoped PWA) with which village and
    township staff record visits without a signal and send them later."""

    def _lbe_check_tier(self):
        if request.env.user._lbe_tier() not in FIELD_TIERS:
            raise AccessError(request.env._("The field app is for village and township staff."))

    @http.route(SCOPE, type="http", auth="user", methods=["GET"], readonly=True)
    def field_app(self):
        env = request.env
        try:
            self._lbe_check_tier()
        except AccessError as error:
            return request.render(
                "left_behind_elderly.field_app_refused",
                {"message": error.args[0], "lang": self._lbe_lang()},
                status=403,
            )
        Visit = env["lbe.visit"]
        described = Visit.fields_get(
            ["visit_date", "safety_risk", "photo", *FIELD_APP_SELECTIONS, *FIELD_APP_TEXTS],
            ["string", "selection"],
        )
        app_name = env._("Field Visits")
        config = {
            "uid": env.uid,
            "db": env.cr.dbname,
            "batch": FIELD_APP_BATCH,
            "terms": self._lbe_terms(),
        }
        return request.render(
            "left_behind_elderly.field_app",
            {
                "app_name": app_name,
                "lang": self._lbe_lang(),
                "user_name": env.user.name,
                "fields": described,
                "texts": FIELD_APP_TEXTS,
                # The method and the risk level come first in the form, required.
                "selections": [
                    name for name in FIELD_APP_SELECTIONS if name not in ("method", "risk_level")
                ],
                "config": json.dumps(config, ensure_ascii=False),
                "manifest_url": "/web/manifest.scoped_app_manifest?"
                + urlencode({"app_id": APP_ID, "path": SCOPE, "app_name": app_name}),
            },
        )

    def _lbe_lang(self):
        """The user's language as HTML names it (zh-CN)."""
        return (request.env.lang or "en_US").replace("_", "-")

    def _lbe_terms(self):
        """The words the page's script writes, in the user's language."""
        _ = request.env._
        return {
            "waiting": _("Waiting to be sent"),
            "accepted": _("Stored on the server"),
            "refused": _("Refused"),
            "online": _("Online"),
            "offline": _("Offline"),
            "overdue": _("Visit overdue"),
            "due": _("Next visit by %s"),
            "key_focus": _("Key focus"),
            "at_risk": _("At risk"),
            "last_visit": _("Last visit: %s"),
            "never_visited": _("Not visited yet"),
            "age": _("%s years"),
            "saved": _("Saved on this phone. It is sent when there is a signal."),
            "synced": _("%(accepted)s stored, %(refused)s refused."),
            "unreachable": _("The server cannot be reached; the visits stay in the outbox."),
            "session": _("Your session has ended: log in again to send the visits."),
            "record": _("Record a visit"),
            "edit": _("Correct and send again"),
            "discard_button": _("Discard"),
            "discard": _("Discard this visit? What was recorded is lost."),
            "photo_invalid": _("This file is not a photo."),
            "updated": _("List of elders as of %s"),
            "no_elders": _("No registered elder in your area."),
            "empty_outbox": _("Nothing in the outbox."),
            "required": _("Fill in the visit date, the method and the risk level."),
            "next_title": _("A risk was found. What happens next:"),
        }

    @http.route(
        f"{SCOPE}/service-worker.js", type="http", auth="public", methods=["GET"], readonly=True
    )
    def service_worker(self):
        # Served under the app's path, so that it may control /lbe/field.
        with file_open("left_behind_elderly/static/src/field/service_worker.js") as file:
            body = file.read()
        return request.make_response(
            body,
            [
                ("Content-Type", "text/javascript"),
                ("Service-Worker-Allowed", SCOPE),
                ("Cache-Control", "no-cache"),
            ],
        )

    @http.route(f"{SCOPE}/elders", type="json", auth="user", readonly=True)
    def elders(self):
        self._lbe_check_tier()
        return request.env["lbe.elder"]._lbe_field_elders()

    @http.route(f"{SCOPE}/sync", type="json", auth="user")
    def sync(self, visits=None):
        self._lbe_check_tier()
        Visit = request.env["lbe.visit"]
        # Each visit is bounded (its texts, its photo), and so is their batch:
        # a larger request is not the app's, and nothing of it is stored.
        size, largest = len(request.httprequest.get_data()), Visit._lbe_field_request_max()
        if size > largest:
            raise UserError(
                request.env._(
                    "The visits sent are too large: %(size)s MB at once, at most %(max)s MB. "
                    "Nothing was stored; send fewer visits at a time.",
                    size=round(size / 1024 / 1024, 1),
                    max=round(largest / 1024 / 1024, 1),
                )
            )
        return Visit._lbe_field_sync(visits)


class WebManifest(webmanifest.WebManifest):
    def _get_scoped_app_icons(self, app_id):
        if app_id != APP_ID:
            return super()._get_scoped_app_icons(app_id)
        return [
            {
                "src": f"/{APP_ID}/static/src/field/icon-{size}.png",
                "sizes": size,
                "type": "image/png",
            }
            for size in ICONS
        ]
