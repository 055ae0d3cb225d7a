from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.osv import expression


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    # Odoo lets every internal user read every follower: searching the followers
    # of elders, visits or care agreements would list the records of other areas
    # and the people who follow them. The followers of elders' data are read
    # where their record is; those of other documents as Odoo has it.

    @api.model
    def _lbe_readable_domain(self):
        """Followers of other documents, or of the area's records the user reads
        (a subquery under the record rules, so that a page of results is whole);
        none of a model the user may not read at all."""
        area_models = self.env["lbe.area.mixin"]._lbe_area_models()
        return expression.OR(
            [[("res_model", "not in", area_models)]]
            + [
                [("res_model", "=", name), ("res_id", "in", self.env[name]._search([]))]
                for name in area_models
                if self.env[name].has_access("read")
            ]
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = expression.AND([domain or [], self._lbe_readable_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or operation != "read" or self.env.su or not self._ids:
            return result
        ids = [i for i in self._ids if isinstance(i, int)]
        forbidden = self.browse(ids) - self.browse(self._search([("id", "in", ids)]))
        if forbidden:
            return forbidden, lambda: AccessError(
                _("Sorry, you are not allowed to access this document.")
            )
        return None
