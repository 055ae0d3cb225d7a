"""Nil returns (零报告): a unit with no elder counted in the year reports zeros,
made from the ledger when the unit above computes, so that the urban districts,
which have nobody to prepare a summary, never hold up their city."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .lbe_summary import FLOW_FIELDS
from .lbe_summary_figures import counted_domain
from .tiers import CITY, COUNTY

# The elders' field naming the unit of each level a nil return is made for.
ELDER_UNIT_FIELD = {COUNTY: "county_id", CITY: "city_id"}


class LbeSummaryNil(models.Model):
    _inherit = "lbe.summary"
    _lbe_workflow_fields = (*FLOW_FIELDS, "is_nil_return")

    is_nil_return = fields.Boolean(
        string="Nil Return",
        readonly=True,
        copy=False,
        tracking=True,
        help="No elder is registered in the unit for the year: the unit above made this "
        "return of zeros from the ledger when it computed its own summary, accepted as such.",
    )

    def _check_preparer(self):
        # A nil return is made by the unit above, from the ledger, for a unit that
        # may have no staff at all: only _make_nil_returns asks for it, as superuser.
        if self.env.su and self.env.context.get("lbe_nil_return"):
            return
        super()._check_preparer()

    def _compute_lines(self):
        self.filtered(lambda summary: summary.level != COUNTY)._make_nil_returns()
        return super()._compute_lines()

    def _check_sub_summaries_accepted(self):
        self._make_nil_returns()
        return super()._check_sub_summaries_accepted()

    def _make_nil_returns(self):
        """The nil returns of the direct sub-units of these summaries that count no
        elder in the year, made and accepted; a nil return whose unit counts
        elders again goes back to the unit as a draft."""
        for summary in self:
            units = self.env["lbe.region"].sudo().search([("parent_id", "=", summary.region_id.id)])
            if units and units[0].level in ELDER_UNIT_FIELD:
                self._nil_returns_of(units, summary.year, summary)

    @api.model
    def _nil_returns_of(self, units, year, upper):
        Summary = self.sudo().with_context(lbe_nil_return=True)
        unit_field = ELDER_UNIT_FIELD[units[0].level]
        counted = (
            self.env["lbe.elder"]
            .sudo()
            ._read_group([(unit_field, "in", units.ids), *counted_domain(year)], [unit_field])
        )
        with_elders = self.env["lbe.region"].union(*(unit for (unit,) in counted))
        existing = Summary.search([("region_id", "in", units.ids), ("year", "=", year)])
        existing.filtered(
            lambda sub: sub.is_nil_return and sub.region_id in with_elders
        )._reopen_nil_returns()
        # A draft nobody submitted becomes the nil return; a summary the unit
        # submitted, or had returned, stays the unit's own.
        by_region = {sub.region_id: sub for sub in existing}
        nil = Summary.browse()
        new_units = []
        for unit in units - with_elders:
            sub = by_region.get(unit)
            if sub is None:
                new_units.append(unit)
            elif sub.state == "draft" and not sub.is_nil_return:
                nil |= sub
        nil |= Summary.create([{"region_id": unit.id, "year": year} for unit in new_units])
        if not nil:
            return nil
        nil._compute_lines()
        nil.write(
            {
                "state": "accepted",
                "is_nil_return": True,
                "submit_date": False,
                "submitted_by_id": False,
                "review_date": fields.Datetime.now(),
                "return_reason": False,
            }
        )
        for sub in nil:
            sub.message_post(
                body=_(
                    "Nil return: no elder of %(unit)s is registered for %(year)s. Made from "
                    "the ledger when %(upper)s computed its summary.",
                    unit=sub.region_id.name,
                    year=year,
                    upper=upper.region_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return nil

    def _reopen_nil_returns(self):
        if not self:
            return
        self.write({"state": "draft", "is_nil_return": False, "review_date": False})
        for summary in self:
            summary.message_post(
                body=_(
                    "Elders of %(unit)s are registered for %(year)s now: the nil return is "
                    "a draft again, for the unit to compute and submit.",
                    unit=summary.region_id.name,
                    year=summary.year,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_return(self, reason=None):
        for summary in self:
            if summary.is_nil_return:
                raise UserError(
                    _(
                        "%(summary)s is a nil return made from the ledger: there is nothing "
                        "to correct. It becomes a draft of the unit once elders of the unit "
                        "are registered and the summary above is computed again.",
                        summary=summary.display_name,
                    )
                )
        return super().action_return(reason=reason)
