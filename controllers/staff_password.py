from odoo import _, http
from odoo.addons.web.controllers.home import Home
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

from ..models.res_users import MIN_PASSWORD_LENGTH

PASSWORD_ROUTE = "/web/lbe/password"


class LbeStaffPassword(Home):
    """A staff member created by a manager signs in first with the initial
    password the manager gave, which the manager knows: the web client waits
    until they have chosen their own."""

    @http.route()
    def web_client(self, s_action=None, **kw):
        uid = request.session.uid
        if uid and request.env["res.users"].sudo().browse(uid).lbe_password_change:
            return request.redirect(PASSWORD_ROUTE, 303)
        return super().web_client(s_action=s_action, **kw)

    @http.route(PASSWORD_ROUTE, type="http", auth="user", methods=["GET", "POST"], sitemap=False)
    def lbe_password(self, old_password="", new_password="", confirm_password="", **kw):
        user = request.env.user
        if not user.sudo().lbe_password_change:
            return request.redirect("/odoo", 303)
        error = None
        if request.httprequest.method == "POST":
            error = self._lbe_change_password(old_password, new_password, confirm_password)
            if not error:
                return request.redirect("/odoo", 303)
        return request.render(
            "left_behind_elderly.lbe_staff_password_page",
            {"error": error, "min_length": MIN_PASSWORD_LENGTH, "disable_footer": True},
        )

    def _lbe_change_password(self, old_password, new_password, confirm_password):
        """Change the password; the reason of a refusal, or None."""
        if new_password != confirm_password:
            return _("The two new passwords differ.")
        if len(new_password) < MIN_PASSWORD_LENGTH:
            return _(
                "The new password needs at least %(length)s characters.",
                length=MIN_PASSWORD_LENGTH,
            )
        if new_password == old_password:
            return _("Choose a password other than the initial one.")
        try:
            # Checks the initial password, and clears lbe_password_change (see
            # ResUsers.write).
            request.env["res.users"].change_password(old_password, new_password)
        except AccessDenied:
            return _("The initial password is not right.")
        except UserError as error:
            return error.args[0]
        # The session token derives from the password: a new one keeps the
        # user signed in.
        request.env.flush_all()
        request.env.registry.clear_cache()
        request.session.session_token = request.env.user._compute_session_token(request.session.sid)
        return None
