from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .lbe_elder import check_date_floor


class LbeFamilyContact(models.Model):
    """A supporter's contact with the elder (亲情交流): a call, or a visit home,
    confirmed by the supporter on the family portal or entered by the clerk.

    A visit home later than the one in the ledger becomes the elder's last visit
    home (Annex 1, 最近一次回家探望时间).
    """

    _name = "lbe.family.contact"
    _description = "Contact of a Supporter with an Elder"
    _inherit = ["lbe.elder.record.mixin"]
    _order = "contact_date desc, id desc"

    guardian_id = fields.Many2one(
        "lbe.guardian",
        string="Supporter",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('elder_id', '=', elder_id)]",
    )
    kind = fields.Selection(
        [("call", "Phone or video call"), ("visit_home", "Visit home")],
        string="Contact",
        required=True,
        default="call",
    )
    contact_date = fields.Date(string="Date", required=True, default=fields.Date.context_today)
    note = fields.Text()

    @api.constrains("guardian_id", "elder_id")
    def _check_guardian_of_elder(self):
        for contact in self:
            if contact.guardian_id.elder_id != contact.elder_id:
                raise ValidationError(
                    _(
                        "%(name)s is not a supporter of %(elder)s.",
                        name=contact.guardian_id.name,
                        elder=contact.elder_id.name,
                    )
                )

    @api.constrains("contact_date")
    def _check_contact_date(self):
        today = fields.Date.context_today(self)
        for contact in self:
            check_date_floor(contact, ("contact_date",), contact.guardian_id.name)
            if contact.contact_date > today:
                raise ValidationError(
                    _(
                        "%(name)s: a contact cannot be dated in the future.",
                        name=contact.guardian_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        contacts = super().create(vals_list)
        contacts.filtered(lambda c: c.kind == "visit_home")._update_last_home_visit()
        return contacts

    def _update_last_home_visit(self):
        """Move the elder's last visit home forward, never back."""
        for contact in self.sorted("contact_date"):
            elder = contact.elder_id
            day = contact.contact_date
            recorded = (elder.last_home_visit_year, int(elder.last_home_visit_month or 0))
            if (day.year, day.month) > recorded:
                elder.write(
                    {"last_home_visit_year": day.year, "last_home_visit_month": str(day.month)}
                )
