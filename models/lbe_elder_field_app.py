"""The field app's service on the elder: the elders a clerk keeps on the phone
and what to look at on each visit."""

from odoo import _, api, fields, models
from odoo.tools import SQL


class LbeElderFieldApp(models.Model):
    _inherit = "lbe.elder"

    @api.model
    def _lbe_field_elders(self):
        """The registered elders of the user's area as the field app keeps them on
        the phone: what a clerk needs on a visit, overdue ones first. No ID number,
        birth date, health details or phone number leaves for the device."""
        elders = self.search(
            [("state", "=", "active")],
            order="is_visit_overdue desc, next_visit_date, name, id",
        )
        last_risk = {}
        if elders:
            # The risk found by each elder's last completed visit, in one query;
            # visits lie in their elder's area, which the search above checked.
            self.env["lbe.visit"].flush_model(["elder_id", "state", "visit_date", "risk_level"])
            rows = self.env.execute_query(
                SQL(
                    "SELECT DISTINCT ON (elder_id) elder_id, risk_level FROM lbe_visit"
                    " WHERE state = 'done' AND elder_id IN %s"
                    " ORDER BY elder_id, visit_date DESC, id DESC",
                    tuple(elders.ids),
                )
            )
            last_risk = dict(rows)
        risk_labels = dict(
            self.env["lbe.visit"]._fields["risk_level"]._description_selection(self.env)
        )
        return [
            {
                "id": elder.id,
                "name": elder.name,
                "village_name": elder.region_id.name,
                "age": elder.age or None,
                "key_focus": elder.is_key_focus,
                "at_risk": elder.is_at_risk,
                "overdue": elder.is_visit_overdue,
                "next_visit_date": fields.Date.to_string(elder.next_visit_date),
                "last_visit_date": fields.Date.to_string(elder.last_visit_date),
                "last_risk": risk_labels.get(last_risk.get(elder.id)) or None,
                "checks": elder._lbe_field_checks(),
            }
            for elder in elders
        ]

    def _lbe_field_checks(self):
        """What to look at on the next visit, in words, from the ledger's facts."""
        self.ensure_one()
        checks = []
        if self.is_at_risk:
            checks.append(_("The last visit found a risk: check it again."))
        if self.living_alone:
            checks.append(_("Lives alone: check safety at home."))
        if self.self_care in ("partly_dependent", "dependent"):
            checks.append(_("Needs help in daily life: check who cares for them."))
        if self.health_status in ("ill", "disabled"):
            checks.append(_("Ill or disabled: ask about their health and treatment."))
        if self.economic_hardship:
            checks.append(_("Economic hardship: check food, housing and aid."))
        if self.missing_annex_facts:
            checks.append(_("Ledger facts are missing: ask about them."))
        return checks
