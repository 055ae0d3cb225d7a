"""The elder's life cycle in the ledger: registered when they meet the legal
definition (annex/definition.py), and leaving it by an exit, which a
reactivation undoes."""

from psycopg2.errors import UniqueViolation

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..annex import definition
from .lbe_elder import EXIT_REASONS


class LbeElderLifeCycle(models.Model):
    _inherit = "lbe.elder"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    # On `state` and the day it speaks of: registering is checked, whatever the
    # path (button, RPC, import); a registered elder whose situation changes leaves
    # by an exit. As of the registration date: an elder meeting the definition that
    # day meets it on every later 30 September, so that the summary counts column 12
    # as column 1.
    @api.constrains("state", "registration_date")
    def _check_definition(self):
        for elder in self.filtered(lambda e: e.state == "active"):
            problems = elder._definition_problems()
            if problems:
                raise ValidationError(
                    _(
                        "%(name)s cannot be registered as a left-behind elder on %(date)s: "
                        "%(problems)s.",
                        name=elder.name,
                        date=definition.zh_date(elder.registration_date),
                        problems=definition.words(problems),
                    )
                )

    def _definition_problems(self, day=None):
        """What keeps this elder from the legal definition on `day` (by default the
        registration date), as annex/definition.py's problems."""
        self.ensure_one()
        return definition.problems(
            self.birth_date,
            [child.away_since or None for child in self.child_ids],
            day or self.registration_date,
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_activate(self):
        not_draft = self.filtered(lambda e: e.state != "draft")
        if not_draft:
            raise UserError(_("%(name)s is not a draft record.", name=not_draft[0].name))
        self._write_active({"state": "active"})

    def _write_active(self, vals):
        """Register the elders, `vals` setting their state to active.

        The duplicate check cannot see a person registered at the same moment by
        another transaction (an import, a clerk): the unique index meets them
        when that one commits. Written and flushed in a savepoint, so that this
        says so in words, not in the index's.
        """
        try:
            with self.env.cr.savepoint():
                self._lbe_workflow_write(vals)
                self.flush_recordset(["state"])
        except UniqueViolation as error:
            if error.diag.constraint_name != "lbe_elder_active_id_number_uniq":
                raise
            raise ValidationError(
                _(
                    "While this was being saved, another user registered the same person "
                    "(the same ID number) in the ledger. Nothing was saved: look the person up "
                    "in the ledger before registering them again."
                )
            ) from None

    def action_exit(self, reason, exit_date=None, note=None):
        if reason not in dict(EXIT_REASONS):
            raise UserError(_("Choose a reason for the exit."))
        if self.filtered(lambda e: e.state != "active"):
            raise UserError(_("Only registered elders can exit the ledger."))
        self._lbe_workflow_write(
            {
                "state": "exited",
                "exit_reason": reason,
                "exit_date": exit_date or fields.Date.context_today(self),
                "exit_note": note,
            }
        )

    def action_open_exit_wizard(self):
        # Like every button, refused on records outside the user's area.
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": _("Exit from the Ledger"),
            "res_model": "lbe.elder.exit",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    def action_reactivate(self):
        if self.filtered(lambda e: e.state != "exited"):
            raise UserError(_("Only exited elders can be reactivated."))
        self._write_active(
            {"state": "active", "exit_date": False, "exit_reason": False, "exit_note": False}
        )
