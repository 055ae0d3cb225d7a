from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import email_normalize
from odoo.tools.sql import escape_psql

from .lbe_elder import GENDERS
from .lbe_mobile_mixin import normalize_mobile
from .tiers import SENSITIVE_GROUP


class LbeGuardian(models.Model):
    """A main supporter (主要赡养人或扶养人) of an elder: a child or another obliged person."""

    _name = "lbe.guardian"
    _description = "Main Supporter of an Elder"
    _inherit = ["lbe.elder.record.mixin", "lbe.mobile.mixin"]
    _lbe_masks = {"mobile": "phone"}
    _lbe_mobile_fields = ("mobile",)
    # Who may sign in to the family portal is the addon's decision alone.
    _lbe_workflow_fields = ("partner_id", "portal_access")
    _order = "elder_id, is_primary desc, id"

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
    address = fields.Char(groups=SENSITIVE_GROUP)
    mobile = fields.Char(groups=SENSITIVE_GROUP)
    is_primary = fields.Boolean(string="Primary")
    email = fields.Char(
        groups=SENSITIVE_GROUP,
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
        """Invite the supporter to the family portal with their own account: the
        one of their contact, or a new one signing in with their e-mail address
        or mobile number. A login that is already another account's is refused:
        a supporter of two elders is linked by `action_link_portal_account`."""
        self.ensure_one()
        guardian = self._lbe_check_can_invite()
        return self._lbe_invite(guardian._lbe_portal_user())

    def action_link_portal_account(self):
        """Record that the supporter is the same person as a supporter of another
        elder the user serves, who has a family portal account (same e-mail
        address or mobile number), and open that account to this elder too.

        Only supporters the user may read are matched, and the link is noted on
        both elders: one account then shows both."""
        self.ensure_one()
        guardian = self._lbe_check_can_invite()
        email = email_normalize(guardian.email or "")
        mobile = normalize_mobile(guardian.mobile)
        same = [
            [(name, "=ilike", escape_psql(value))]
            for name, value in (("email", email), ("mobile", mobile))
            if value
        ]
        if not same:
            raise UserError(
                _(
                    "%(name)s has neither an e-mail address nor a mobile number: the portal "
                    "login is one of them.",
                    name=guardian.name,
                )
            )
        # Searched as the user: the same person is one of the supporters they serve.
        others = self.search(
            expression.AND(
                [[("id", "!=", self.id), ("partner_id", "!=", False)], expression.OR(same)]
            )
        ).sudo()
        partner = others.partner_id
        if len(partner) != 1 or (guardian.partner_id and guardian.partner_id != partner):
            raise UserError(
                _(
                    "No supporter of another elder you serve has a family portal account "
                    "with the e-mail address or mobile number of %(name)s, or more than one "
                    "has: invite %(name)s with a login of their own.",
                    name=guardian.name,
                )
            )
        user = guardian._lbe_check_portal_user(partner.with_context(active_test=False).user_ids)
        self._lbe_workflow_write({"partner_id": partner.id})
        # Each note names nothing of the other elder: their chatters may have
        # different readers.
        guardian.elder_id._message_log(
            body=_(
                "%(name)s is the same person as a supporter of another elder and signs in "
                "to the family portal with the same account.",
                name=guardian.name,
            )
        )
        for other in others:
            other.elder_id._message_log(
                body=_(
                    "%(name)s was recorded as the same person as a supporter of another "
                    "elder: their family portal account shows both elders.",
                    name=other.name,
                )
            )
        return self._lbe_invite(user)

    def _lbe_check_can_invite(self):
        """The supporter as superuser, once it is checked that the user may invite
        them: staff who may change the elder, with the elder's recorded consent."""
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
        return guardian

    def _lbe_portal_user(self):
        """The supporter's own portal user (of their contact), or a new one. Never
        another's: a login already in use, by any account, is refused without a
        word of whose it is."""
        self.ensure_one()
        own = self.partner_id.with_context(active_test=False).user_ids
        if own:
            return self._lbe_check_portal_user(own)
        email = email_normalize(self.email or "")
        login = email or normalize_mobile(self.mobile)
        if not login:
            raise UserError(
                _(
                    "%(name)s has neither an e-mail address nor a mobile number: the portal "
                    "login is one of them.",
                    name=self.name,
                )
            )
        users = self.env["res.users"].with_context(active_test=False)
        if users.search_count([("login", "=ilike", escape_psql(login))], limit=1):
            raise UserError(
                _(
                    "The e-mail address or mobile number of %(name)s is already the login of "
                    "another account. If %(name)s is the same person as a supporter of "
                    "another elder you serve, use “Same Person” on their row; otherwise "
                    "ask for an e-mail address or mobile number of their own.",
                    name=self.name,
                )
            )
        partner = self.partner_id or self.env["res.partner"].create(
            {"name": self.name, "email": email or False, "lang": self.env.lang}
        )
        return users.with_context(no_reset_password=True)._create_user_from_template(
            {"login": login, "partner_id": partner.id}
        )

    def _lbe_check_portal_user(self, users):
        """`users` if it is one family portal account: a portal user that is not
        one of Odoo's own (superuser, administrator, public, templates)."""
        env = self.env
        reserved = {
            env.ref(xmlid, raise_if_not_found=False).id
            for xmlid in (
                "base.user_root",
                "base.user_admin",
                "base.public_user",
                "base.default_user",
                "base.template_portal_user_id",
            )
            if env.ref(xmlid, raise_if_not_found=False)
        }
        template = env["ir.config_parameter"].sudo().get_param("base.template_portal_user_id")
        if template and template.isdigit():
            reserved.add(int(template))
        if (
            len(users) != 1
            or users.id in reserved
            or not users.share
            or env.ref("base.group_portal") not in users.groups_id
            or env.ref("base.group_public") in users.groups_id
        ):
            raise UserError(
                _(
                    "The family portal account of %(name)s cannot be used; ask the administrator.",
                    name=self.name,
                )
            )
        return users

    def _lbe_invite(self, user):
        """Open the family portal to the supporter through `user` and tell them how
        to sign in. A link to choose a password goes out only while the user has
        never signed in; afterwards the family alone resets their password, on the
        sign-in page, and no link reaches staff."""
        guardian = self.sudo()
        if not user.active:
            user.active = True
        self._lbe_workflow_write({"partner_id": user.partner_id.id, "portal_access": True})
        guardian.elder_id._message_log(
            body=_("%(name)s was invited to the family portal.", name=guardian.name)
        )
        partner = user.partner_id
        signed_in = bool(
            self.env["res.users.log"].sudo().search_count([("create_uid", "=", user.id)], limit=1)
        )
        if signed_in:
            url = f"{guardian.get_base_url()}/my/elders"
        else:
            partner.signup_prepare()
            url = partner._get_signup_url_for_action(url="/my/elders")[partner.id]
        if email_normalize(partner.email or ""):
            template = self.env.ref("left_behind_elderly.mail_template_family_portal_invitation")
            template.sudo().with_context(portal_url=url, signed_in=signed_in).send_mail(
                guardian.id, email_layout_xmlid="mail.mail_notification_light"
            )
            if not signed_in:
                return True
        if signed_in:
            return self._lbe_notification(
                _("%(name)s already has an account", name=guardian.name),
                _(
                    "%(name)s sees this elder on the family portal now, signing in with "
                    "%(login)s and the password they chose. Staff are given no link: if they "
                    "have forgotten the password, they reset it themselves with “Reset "
                    "Password” on the sign-in page (an account without an e-mail address "
                    "asks the administrator).",
                    name=guardian.name,
                    login=user.login,
                ),
            )
        # No e-mail: the clerk passes the link on by text message; it is shown
        # once, to the clerk, and stored nowhere.
        return self._lbe_notification(
            _("Send this link to %(name)s", name=guardian.name),
            _(
                "%(name)s signs in with the mobile number %(login)s after choosing a "
                "password at %(url)s",
                name=guardian.name,
                login=user.login,
                url=url,
            ),
        )

    @api.model
    def _lbe_notification(self, title, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": title, "message": message, "sticky": True},
        }

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
