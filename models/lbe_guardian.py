from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize

from .lbe_area_mixin import mask_phone
from .lbe_elder import GENDERS, SENSITIVE


class LbeGuardian(models.Model):
    """A main supporter (主要赡养人或扶养人) of an elder: a child or another obliged person."""

    _name = "lbe.guardian"
    _description = "Main Supporter of an Elder"
    _inherit = ["lbe.area.mixin"]
    _lbe_masked_fields = {"mobile": "mobile_masked"}
    # Who may sign in to the family portal is the addon's decision alone.
    _lbe_workflow_fields = ("partner_id", "portal_access")
    _order = "elder_id, is_primary desc, id"

    elder_id = fields.Many2one("lbe.elder", required=True, index=True, ondelete="cascade")
    region_id = fields.Many2one(related="elder_id.region_id", store=True, index=True)
    name = fields.Char(required=True)
    gender = fields.Selection(GENDERS)
    relationship = fields.Selection(
        [
            ("son", "Son"),
            ("daughter", "Daughter"),
            ("son_in_law", "Son-in-law"),
            ("daughter_in_law", "Daughter-in-law"),
            ("grandchild", "Grandchild"),
            ("sibling", "Sibling"),
            ("relative", "Other relative"),
            ("other", "Other"),
        ]
    )
    address = fields.Char(groups=SENSITIVE)
    mobile = fields.Char(groups=SENSITIVE)
    mobile_masked = fields.Char(
        string="Mobile (masked)", compute="_compute_mobile_masked", groups=SENSITIVE
    )
    is_primary = fields.Boolean(string="Primary")
    email = fields.Char(
        groups=SENSITIVE,
        help="The supporter's e-mail: the login and the invitation to the "
        "family portal, and the notifications of risk.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Portal Contact",
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The supporter's contact, through which they sign in to the family portal.",
    )
    portal_access = fields.Boolean(
        string="Family Portal Access",
        copy=False,
        help="The supporter may sign in to the family portal and see this elder while the "
        "elder's consent holds.",
    )

    @api.depends("mobile")
    def _compute_mobile_masked(self):
        for guardian in self:
            guardian.mobile_masked = mask_phone(guardian.mobile)

    @api.constrains("email")
    def _check_email(self):
        for guardian in self.sudo():
            if guardian.email and not email_normalize(guardian.email):
                raise ValidationError(
                    _(
                        "%(name)s: %(email)s is not a valid e-mail address.",
                        name=guardian.name,
                        email=guardian.email,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # Clerks expect the first supporter they enter to be the primary one; a
        # second primary, or none left by unticking it, is refused by the elder.
        elders = self.env["lbe.elder"].browse(
            {vals["elder_id"] for vals in vals_list if vals.get("elder_id")}
        )
        with_primary = set(elders.guardian_ids.filtered("is_primary").elder_id.ids)
        with_primary.update(vals.get("elder_id") for vals in vals_list if vals.get("is_primary"))
        for vals in vals_list:
            if vals.get("elder_id") and vals["elder_id"] not in with_primary:
                vals["is_primary"] = True
                with_primary.add(vals["elder_id"])
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Family portal
    # ------------------------------------------------------------------
    def action_grant_portal(self):
        """Invite the supporter to the family portal: create or link their
        contact and portal user, and send the invitation by e-mail (or give the
        clerk the sign-up link to send by text message when there is no e-mail).

        Only staff who may change the elder grant access, and only with the
        elder's recorded consent.
        """
        self.ensure_one()
        self.elder_id.check_access("write")
        self.check_access("write")
        guardian = self.sudo()
        if not guardian.elder_id.family_portal_consent or guardian.elder_id.state != "active":
            raise UserError(
                _(
                    "%(elder)s has not consented to the family portal: record the elder's "
                    "consent on the elder's form first.",
                    elder=guardian.elder_id.name,
                )
            )
        email = email_normalize(guardian.email or "")
        login = email or (guardian.mobile or "").strip()
        if not login:
            raise UserError(
                _(
                    "%(name)s has neither an e-mail address nor a mobile number: the portal "
                    "login is one of them.",
                    name=guardian.name,
                )
            )
        user = guardian._lbe_portal_user(login, email)
        self._lbe_workflow_write({"partner_id": user.partner_id.id, "portal_access": True})
        partner = user.partner_id
        partner.signup_prepare()
        url = partner._get_signup_url_for_action(url="/my/elders")[partner.id]
        guardian.elder_id._message_log(
            body=_("%(name)s was invited to the family portal.", name=guardian.name)
        )
        if email:
            template = self.env.ref("left_behind_elderly.mail_template_family_portal_invitation")
            template.sudo().with_context(portal_url=url).send_mail(
                guardian.id, email_layout_xmlid="mail.mail_notification_light"
            )
            return True
        # No e-mail: the clerk passes the link on by text message; it is shown
        # once, to the clerk, and stored nowhere.
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Send this link to %(name)s", name=guardian.name),
                "message": _(
                    "%(name)s signs in with the mobile number %(login)s after choosing a "
                    "password at %(url)s",
                    name=guardian.name,
                    login=user.login,
                    url=url,
                ),
                "sticky": True,
            },
        }

    def _lbe_portal_user(self, login, email):
        """The supporter's portal user: the one already signing in with this login
        (a supporter of two elders signs in once), or a new one. Never a staff
        account."""
        self.ensure_one()
        users = self.env["res.users"].sudo().with_context(active_test=False)
        user = users.search([("login", "=", login)], limit=1)
        if not user and self.partner_id:
            user = self.partner_id.with_context(active_test=False).user_ids[:1]
        if user and not user.share:
            raise UserError(
                _(
                    "%(login)s is the login of a staff account; a supporter needs an e-mail "
                    "address or mobile number of their own.",
                    login=login,
                )
            )
        portal = self.env.ref("base.group_portal")
        public = self.env.ref("base.group_public")
        if user:
            user.write(
                {"active": True, "groups_id": [Command.link(portal.id), Command.unlink(public.id)]}
            )
            return user
        partner = self.partner_id or self.env["res.partner"].sudo().create(
            {"name": self.name, "email": email or False, "lang": self.env.lang}
        )
        return users.with_context(no_reset_password=True)._create_user_from_template(
            {"login": login, "partner_id": partner.id}
        )

    def action_revoke_portal(self):
        """Close the family portal to these supporters; a supporter who still
        supports another consenting elder keeps signing in, for that elder only."""
        self._lbe_workflow_write({"portal_access": False})
        guardians = self.sudo()
        still_invited = guardians.search(
            [
                ("partner_id", "in", guardians.partner_id.ids),
                ("portal_access", "=", True),
                ("elder_id.family_portal_consent", "=", True),
            ]
        ).partner_id
        partners = guardians.partner_id - still_invited
        portal_users = partners.user_ids.filtered("share")
        # An archived user cannot sign in, and a new session needs the password.
        portal_users.write({"active": False})
        partners.signup_cancel()
        for guardian in guardians:
            guardian.elder_id._message_log(
                body=_("%(name)s no longer has access to the family portal.", name=guardian.name)
            )
