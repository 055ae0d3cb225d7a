"""What the field app tells the clerk after a visit at risk is stored (issue 20):
what the server did for that visit (the township told, the family notified)
and whom to call next, said from the records, not assumed by the phone."""

from odoo import api, models

from .tiers import SENSITIVE_GROUP


class LbeVisitFieldNext(models.Model):
    _inherit = "lbe.visit"

    @api.model
    def _lbe_field_sync_one(self, item):
        result = super()._lbe_field_sync_one(item)
        if result.get("status") in ("created", "duplicate"):
            visit = self.browse(result["visit_id"])
            if visit.needs_followup:
                result["next"] = visit._lbe_field_next()
        return result

    def _lbe_field_next(self):
        """What happens next for this visit at risk, from what the server did:
        ``steps`` (sentences in the user's language) and ``call``, the supporter
        to call (name, relationship, phone) when the user may read phones."""
        self.ensure_one()
        _ = self.env._
        elder = self.elder_id
        steps = []
        if self.township_report_date:
            steps.append(_("The township has been told: its staff have a to-do to follow it up."))
        else:
            steps.append(
                _("No user serves the township: report this risk to the township by phone.")
            )
        notified = self.followup_ids.filtered(lambda f: f.channel == "portal")
        if notified:
            steps.append(
                _(
                    "The family has been notified on the family portal: %(names)s.",
                    names=", ".join(notified.mapped("contact_name")),
                )
            )
        else:
            steps.append(
                _("The family does not use the family portal: call them and record the call.")
            )
        call = None
        # A phone number only for the tiers that read the ledger's phones, as the user.
        if self.env.user.has_group(SENSITIVE_GROUP):
            guardians = elder.guardian_ids.sorted(lambda g: (not g.is_primary, g.id))
            supporter = guardians.filtered("mobile")[:1]
            if supporter:
                relationship = dict(
                    supporter._fields["relationship"]._description_selection(self.env)
                ).get(supporter.relationship)
                label = (
                    _(
                        "Call %(name)s (%(relationship)s)",
                        name=supporter.name,
                        relationship=relationship,
                    )
                    if relationship
                    else _("Call %(name)s", name=supporter.name)
                )
                call = {"name": supporter.name, "phone": supporter.mobile, "label": label}
        return {"steps": steps, "call": call}
