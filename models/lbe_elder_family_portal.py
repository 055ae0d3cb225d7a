"""The family portal on the elder (issue 11): the elder's consent to show the
family what the care work found, and the family's contacts with the elder."""

from odoo import _, fields, models
from odoo.exceptions import UserError

from .lbe_elder import TRACKED


class LbeElderFamilyPortal(models.Model):
    _inherit = "lbe.elder"

    family_portal_consent = fields.Boolean(
        copy=False,
        help="The elder agrees that the supporters invited to the family portal see the "
        "visits (what was found, in plain words, and the risk level), the care agreement, "
        "the volunteers and facilities caring for them, and receive the notifications of "
        "risk. Set and withdrawn with the buttons, which record who and when.",
        **TRACKED,
    )
    family_portal_consent_user_id = fields.Many2one(
        "res.users", string="Consent Recorded by", copy=False, **TRACKED
    )
    family_portal_consent_date = fields.Datetime(
        string="Consent Recorded on", copy=False, **TRACKED
    )
    family_contact_ids = fields.One2many(
        "lbe.family.contact", "elder_id", string="Contacts with the Family"
    )

    def action_give_family_portal_consent(self):
        if self.filtered(lambda e: e.state != "active" or e.family_portal_consent):
            raise UserError(
                _("Consent to the family portal is recorded for registered elders without it.")
            )
        self._lbe_workflow_write(
            {
                "family_portal_consent": True,
                "family_portal_consent_user_id": self.env.uid,
                "family_portal_consent_date": fields.Datetime.now(),
            }
        )

    def action_withdraw_family_portal_consent(self):
        """Withdrawn consent closes the portal at once: the portal shows an
        elder only while the consent holds, and the supporters lose their access."""
        if self.filtered(lambda e: not e.family_portal_consent):
            raise UserError(_("Only a recorded consent to the family portal can be withdrawn."))
        self._lbe_workflow_write(
            {
                "family_portal_consent": False,
                "family_portal_consent_user_id": self.env.uid,
                "family_portal_consent_date": fields.Datetime.now(),
            }
        )
        self.guardian_ids.filtered("portal_access").action_revoke_portal()
