from odoo import _, fields, models, tools
from odoo.tools import SQL

from .lbe_care_agreement import REMINDER_DAYS


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
                       count(*) FILTER (WHERE e.is_key_focus) AS key_focus_count,
                       count(*) FILTER (WHERE e.is_visit_overdue) AS overdue_count,
                       count(*) FILTER (WHERE e.risk_not_followed_up) AS risk_pending_count,
                       count(*) FILTER (WHERE e.missing_annex_facts) AS incomplete_count,
                       coalesce(max(a.ending), 0) AS agreement_ending_count,
                       EXISTS (
                        SELECT 1 FROM lbe_facility f
                         WHERE f.state = 'operating'
                           AND f.region_id IN (e.region_id, e.township_id)
                       ) AS has_facility,
                       count(*) FILTER (WHERE e.is_key_focus) > 0 AND NOT EXISTS (
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
                 WHERE e.state = 'active'
              GROUP BY e.region_id, e.township_id, e.county_id, e.city_id
            )
            """,
                SQL.identifier(self._table),
                REMINDER_DAYS,
            )
        )

    def action_open_elders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "left_behind_elderly.lbe_elder_action"
        )
        action["domain"] = [("region_id", "=", self.region_id.id)]
        action["name"] = _("Elders of %(village)s", village=self.region_id.name)
        return action
