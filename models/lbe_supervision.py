from odoo import _, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from .lbe_care_agreement import REMINDER_DAYS

# The elders a village's row counts, and each figure's elders among them, by the
# stored flag of lbe.elder that counts them: the view's counts and the elders a
# figure opens are the same condition.
COUNTED_STATE = "active"
COUNTED = [("state", "=", COUNTED_STATE)]
FIGURE_FLAGS = {
    "key_focus_count": "is_key_focus",
    "overdue_count": "is_visit_overdue",
    "risk_pending_count": "risk_not_followed_up",
    "incomplete_count": "missing_annex_facts",
}


class LbeSupervision(models.Model):
    """Per village, the figures a supervisor checks (督查): how many elders, how many
    need most care, and where the ledger or the visits fall behind.

    A SQL view, one row per village with registered elders: the figures come from
    one grouped query over indexed columns, whatever the size of the ledger.
    """

    _name = "lbe.supervision"
    _description = "Supervision of Villages"
    _inherit = ["lbe.area.mixin"]
    _auto = False
    _order = "township_id, region_id"
    _rec_name = "region_id"

    region_id = fields.Many2one("lbe.region", string="Village", readonly=True)
    township_id = fields.Many2one("lbe.region", readonly=True)
    county_id = fields.Many2one("lbe.region", readonly=True)
    city_id = fields.Many2one("lbe.region", readonly=True)
    elder_count = fields.Integer(string="Elders", readonly=True)
    key_focus_count = fields.Integer(string="Key Focus", readonly=True)
    overdue_count = fields.Integer(string="Visits Overdue", readonly=True)
    risk_pending_count = fields.Integer(string="At Risk, Not Followed Up", readonly=True)
    agreement_ending_count = fields.Integer(
        string="Agreements Ending",
        readonly=True,
        help=f"Care agreements in force that end within {REMINDER_DAYS} days.",
    )
    incomplete_count = fields.Integer(string="Missing Annex 1 Facts", readonly=True)
    has_facility = fields.Boolean(
        string="Has a Facility",
        readonly=True,
        help="A care facility operates in the village or its township.",
    )
    key_focus_without_facility = fields.Boolean(
        string="Key Focus, No Facility",
        readonly=True,
        help="Key-focus elders live here and no care facility operates in the village or "
        "its township.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                SELECT e.region_id AS id,
                       e.region_id,
                       e.township_id,
                       e.county_id,
                       e.city_id,
                       count(*) AS elder_count,
                       %s,
                       coalesce(max(a.ending), 0) AS agreement_ending_count,
                       EXISTS (
                        SELECT 1 FROM lbe_facility f
                         WHERE f.state = 'operating'
                           AND f.region_id IN (e.region_id, e.township_id)
                       ) AS has_facility,
                       count(*) FILTER (WHERE %s) > 0 AND NOT EXISTS (
                        SELECT 1 FROM lbe_facility f
                         WHERE f.state = 'operating'
                           AND f.region_id IN (e.region_id, e.township_id)
                       ) AS key_focus_without_facility
                  FROM lbe_elder e
             LEFT JOIN (
                        SELECT region_id, count(*) AS ending
                          FROM lbe_care_agreement
                         WHERE state = 'active'
                           AND date_end <= CURRENT_DATE + %s
                      GROUP BY region_id
                       ) a ON a.region_id = e.region_id
                 WHERE e.state = %s
              GROUP BY e.region_id, e.township_id, e.county_id, e.city_id
            )
            """,
                SQL.identifier(self._table),
                SQL(", ").join(
                    SQL(
                        "count(*) FILTER (WHERE %s) AS %s",
                        SQL.identifier("e", flag),
                        SQL.identifier(figure),
                    )
                    for figure, flag in FIGURE_FLAGS.items()
                ),
                SQL.identifier("e", FIGURE_FLAGS["key_focus_count"]),
                REMINDER_DAYS,
                COUNTED_STATE,
            )
        )

    def _elders_action(self, domain, name):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "left_behind_elderly.lbe_elder_action"
        )
        action["domain"] = domain
        action["name"] = name
        action["context"] = {"create": False}
        return action

    def action_open_elders(self):
        self.ensure_one()
        return self._elders_action(
            [("region_id", "=", self.region_id.id)],
            _("Elders of %(village)s", village=self.region_id.name),
        )

    def action_open_figure(self):
        """The elders one figure of this village counts (the figure's field in the
        context, as the list's and the form's buttons give it): the same condition
        as the view's count. Key focus without a facility opens the key-focus elders
        of a village where the flag is set."""
        self.ensure_one()
        self.check_access("read")
        figure = self.env.context.get("lbe_figure")
        if figure == "key_focus_without_facility":
            if not self.key_focus_without_facility:
                return self._elders_action([("id", "=", False)], self._figure_name(figure))
            figure = "key_focus_count"
        if figure not in FIGURE_FLAGS:
            raise UserError(_("Choose one of the figures of the supervision list."))
        domain = [
            ("region_id", "=", self.region_id.id),
            *COUNTED,
            (FIGURE_FLAGS[figure], "=", True),
        ]
        return self._elders_action(domain, self._figure_name(self.env.context["lbe_figure"]))

    def _figure_name(self, figure):
        return _(
            "%(figure)s: %(village)s",
            figure=self._fields[figure].get_description(self.env)["string"],
            village=self.region_id.name,
        )
