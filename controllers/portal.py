"""The family portal (亲情交流): a supporter invited by the village clerk sees the
elders they support, and confirms contacts, answers notifications and writes to
the village.

Portal users hold no access right on any model of the addon. `_lbe_guardians()`
alone decides what a supporter may reach; the pages then read as superuser and
hand the templates plain values of the fields listed here, never records, so
that a template cannot show more than this file chose: no ID number, no phone
or address of anyone, no health details (the elder's consent covers what the
visits found in plain words and the risk level), nothing of other supporters.
"""

from werkzeug.exceptions import NotFound

from odoo import _, fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from ..models.tiers import VILLAGE

# The longest answer, note or message a supporter may send.
MAX_TEXT = 2000
VISITS_SHOWN = 5
NOTIFICATIONS_SHOWN = 10
CONTACTS_SHOWN = 10
MESSAGES_SHOWN = 10


def _label(record, field_name):
    """The translated label of a selection field's value."""
    field = record._fields[field_name]
    return dict(field._description_selection(record.env)).get(record[field_name], "")


class FamilyPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Access: the one check
    # ------------------------------------------------------------------
    def _lbe_guardians(self, elder_id=None):
        """The supporter records of the signed-in portal user that give access:
        the user's contact is theirs, the clerk granted access and has not taken
        it back, and the elder is registered and still consents. Staff have no
        family portal; they read the ledger."""
        user = request.env.user
        if not user._is_portal():
            return request.env["lbe.guardian"].sudo().browse()
        domain = [
            ("partner_id", "=", user.partner_id.id),
            ("portal_access", "=", True),
            ("elder_id.family_portal_consent", "=", True),
            ("elder_id.state", "=", "active"),
        ]
        if elder_id is not None:
            domain.append(("elder_id", "=", elder_id))
        return request.env["lbe.guardian"].sudo().search(domain)

    def _lbe_guardians_or_404(self, elder_id):
        # Not found, not forbidden: the answer must not tell that the elder exists.
        guardians = self._lbe_guardians(elder_id)
        if not guardians:
            raise NotFound()
        return guardians

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lbe_elder_count" in counters:
            values["lbe_elder_count"] = len(self._lbe_guardians().elder_id)
        return values

    @http.route("/my/elders", type="http", auth="user", website=True)
    def portal_my_elders(self, **kw):
        guardians = self._lbe_guardians()
        waiting = self._lbe_followups(guardians).filtered(lambda f: not f.acknowledged_date)
        elders = [
            {
                "id": elder.id,
                "name": elder.name,
                VILLAGE: elder.region_id.name,
                "phone": self._lbe_village_phone(elder),
                "last_visit_date": elder.last_visit_date,
                "waiting": len(waiting.filtered(lambda f, e=elder: f.elder_id == e)),
            }
            for elder in guardians.elder_id.sorted("name")
        ]
        values = self._prepare_portal_layout_values()
        values.update(page_name="lbe_elders", elders=elders)
        return request.render("left_behind_elderly.portal_my_elders", values)

    @http.route("/my/elders/<int:elder_id>", type="http", auth="user", website=True)
    def portal_my_elder(self, elder_id, done=None, **kw):
        guardians = self._lbe_guardians_or_404(elder_id)
        return self._lbe_render_elder(guardians, done=done)

    def _lbe_render_elder(self, guardians, done=None, errors=None, posted=None, status=200):
        elder = guardians.elder_id
        env = request.env
        visits = (
            env["lbe.visit"]
            .sudo()
            .search([("elder_id", "=", elder.id), ("state", "=", "done")], limit=VISITS_SHOWN)
        )
        agreements = (
            env["lbe.care.agreement"]
            .sudo()
            .search([("elder_id", "=", elder.id), ("state", "=", "active")])
        )
        pairings = (
            env["lbe.volunteer.pairing"]
            .sudo()
            .search([("elder_id", "=", elder.id), ("state", "=", "active")])
        )
        facilities = (
            env["lbe.service.record"]
            .sudo()
            ._read_group(
                [("elder_id", "=", elder.id), ("facility_id", "!=", False)],
                ["facility_id"],
                ["date:max"],
            )
        )
        contacts = (
            env["lbe.family.contact"]
            .sudo()
            .search([("guardian_id", "in", guardians.ids)], limit=CONTACTS_SHOWN)
        )
        # Her own messages only, not those of the elder's other supporters.
        messages = (
            env["lbe.family.message"]
            .sudo()
            .search([("guardian_id", "in", guardians.ids)], limit=MESSAGES_SHOWN)
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="lbe_elder",
            elder={
                "id": elder.id,
                "name": elder.name,
                VILLAGE: elder.region_id.name,
                "phone": self._lbe_village_phone(elder),
            },
            messages=[
                {
                    "date": m.create_date,
                    "kind": m.kind,
                    "body": m.body,
                    "reply": m.reply if m.state == "replied" else "",
                    "reply_date": m.reply_date,
                }
                for m in messages
            ],
            notifications=[
                {
                    "id": f.id,
                    "date": f.contact_date,
                    "visit_date": f.visit_id.visit_date,
                    "risk": _label(f.visit_id, "risk_level"),
                    "answer": f.answer,
                    "acknowledged_date": f.acknowledged_date,
                }
                for f in self._lbe_followups(guardians)[:NOTIFICATIONS_SHOWN]
            ],
            visits=[
                {
                    "date": v.visit_date,
                    "method": _label(v, "method"),
                    "risk_level": v.risk_level,
                    "risk": _label(v, "risk_level"),
                    "safety_risk": v.safety_risk_note if v.safety_risk else "",
                    "living_conditions": v.living_conditions,
                    "needs": v.needs,
                    "help_given": v.help_given,
                }
                for v in visits
            ],
            agreements=[
                {
                    "caregiver": a.caregiver_name,
                    "relationship": _label(a, "caregiver_relationship"),
                    "date_start": a.date_start,
                    "date_end": a.date_end,
                    "duties": a.duties,
                }
                for a in agreements
            ],
            pairings=[
                {
                    "volunteer": p.volunteer_id.name,
                    "kind": _label(p.volunteer_id, "kind"),
                    "services": ", ".join(p.service_type_ids.mapped("name")),
                    "frequency": _label(p, "frequency"),
                    "date_start": p.date_start,
                }
                for p in pairings
            ],
            facilities=[
                {
                    "name": facility.name,
                    "kind": _label(facility, "facility_type"),
                    "last_date": last_date,
                }
                for facility, last_date in facilities
            ],
            contacts=[
                {"date": c.contact_date, "kind": _label(c, "kind"), "note": c.note}
                for c in contacts
            ],
            contact_kinds=env["lbe.family.contact"]._fields["kind"]._description_selection(env),
            today=fields.Date.context_today(elder),
            done=done,
            errors=errors or {},
            posted=posted or {},
        )
        return request.render("left_behind_elderly.portal_my_elder", values, status=status)

    @staticmethod
    def _lbe_village_phone(elder):
        """The office phone of the elder's village committee, else of its township."""
        village = elder.region_id
        return village.phone or village.parent_id.phone or ""

    @staticmethod
    def _lbe_followups(guardians):
        """The notifications addressed to these supporters, newest first."""
        return (
            request.env["lbe.visit.followup"]
            .sudo()
            .search([("guardian_id", "in", guardians.ids)], order="contact_date desc, id desc")
        )

    # ------------------------------------------------------------------
    # What a supporter sends (CSRF-checked form posts)
    # ------------------------------------------------------------------
    @staticmethod
    def _lbe_text(value, required, errors, key):
        text = (value or "").strip()
        if required and not text:
            errors[key] = _("Please write something first.")
        elif len(text) > MAX_TEXT:
            errors[key] = _("Please keep it under %(max)s characters.", max=MAX_TEXT)
        return text

    @http.route(
        "/my/elders/<int:elder_id>/contact",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_elder_contact(self, elder_id, kind=None, contact_date=None, note=None, **kw):
        guardians = self._lbe_guardians_or_404(elder_id)
        errors = {}
        today = fields.Date.context_today(guardians)
        if kind not in ("call", "visit_home"):
            errors["contact"] = _("Choose whether you called or visited home.")
        try:
            day = fields.Date.to_date(contact_date) if contact_date else today
        except ValueError:
            day = None
        if not day or day > today:
            errors["contact"] = _("Give the date of the contact: today or a day before.")
        note = self._lbe_text(note, False, errors, "contact")
        if not errors:
            errors = self._lbe_save(
                "contact",
                lambda: (
                    request.env["lbe.family.contact"]
                    .sudo()
                    .create(
                        {
                            "elder_id": elder_id,
                            "guardian_id": guardians[0].id,
                            "kind": kind,
                            "contact_date": day,
                            "note": note or False,
                        }
                    )
                ),
            )
        if errors:
            posted = {"kind": kind, "contact_date": contact_date, "note": note}
            return self._lbe_render_elder(guardians, errors=errors, posted=posted, status=400)
        return request.redirect(f"/my/elders/{elder_id}?done=contact")

    @http.route(
        "/my/elders/<int:elder_id>/notifications/<int:followup_id>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_elder_answer(self, elder_id, followup_id, answer=None, **kw):
        guardians = self._lbe_guardians_or_404(elder_id)
        followup = self._lbe_followups(guardians).filtered(lambda f: f.id == followup_id)
        if not followup:
            raise NotFound()
        errors = {}
        answer = self._lbe_text(answer, True, errors, f"answer_{followup_id}")
        if not errors:
            errors = self._lbe_save(
                f"answer_{followup_id}", lambda: self._lbe_answer(followup, answer)
            )
        if errors:
            posted = {f"answer_{followup_id}": answer}
            return self._lbe_render_elder(guardians, errors=errors, posted=posted, status=400)
        return request.redirect(f"/my/elders/{elder_id}?done=answer")

    def _lbe_answer(self, followup, answer):
        vals = {"answer": answer}
        if not followup.acknowledged_date:
            vals["acknowledged_date"] = fields.Datetime.now()
        followup.write(vals)
        # A to-do of the village's clerks, who reply to it.
        request.env["lbe.family.message"]._lbe_receive(followup.guardian_id, answer, followup)
        followup.elder_id._message_log(
            body=_(
                "%(name)s acknowledged the notification after the visit of %(date)s and "
                "answered: %(answer)s",
                name=followup.guardian_id.name,
                date=followup.visit_id.visit_date,
                answer=answer,
            ),
            author_id=request.env.user.partner_id.id,
        )

    @http.route(
        "/my/elders/<int:elder_id>/message",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_elder_message(self, elder_id, message=None, **kw):
        guardians = self._lbe_guardians_or_404(elder_id)
        errors = {}
        message = self._lbe_text(message, True, errors, "message")
        if not errors:
            # A note on the elder's chatter, for the village's staff. The author
            # is not made a follower: followers are told of the elder's notes
            # and the elder's chatter is not the family's to read.
            errors = self._lbe_save("message", lambda: self._lbe_message(guardians, message))
        if errors:
            posted = {"message": message}
            return self._lbe_render_elder(guardians, errors=errors, posted=posted, status=400)
        return request.redirect(f"/my/elders/{elder_id}?done=message")

    @staticmethod
    def _lbe_message(guardians, message):
        guardians.elder_id.with_context(mail_create_nosubscribe=True).message_post(
            body=plaintext2html(message),
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        # A to-do of the village's clerks, who reply to it on the message.
        request.env["lbe.family.message"]._lbe_receive(guardians[0], message)

    @staticmethod
    def _lbe_save(key, save):
        """Run `save`; a record the model refuses is an error shown on the form,
        with nothing of it written."""
        try:
            with request.env.cr.savepoint():
                save()
                request.env.flush_all()
        except ValidationError as e:
            return {key: e.args[0]}
        return {}
