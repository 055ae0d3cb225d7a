"""The care work as it shows on the elder (issue 4): visits, follow-up of elders
at risk, entrusted-care agreements and volunteer pairing, the visit schedule and
the daily scheduled actions that keep it and remind the villages."""

import json

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL, create_index
from odoo.tools.misc import get_lang, split_every

from ..annex import annex1
from .tiers import VILLAGE, group_xmlid

# Overdue elders reminded per statement, and per commit under the scheduled action.
REMINDER_BATCH = 5000


class LbeElderCare(models.Model):
    _inherit = "lbe.elder"

    visit_ids = fields.One2many("lbe.visit", "elder_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_care_counts")
    agreement_count = fields.Integer(compute="_compute_care_counts")
    pairing_count = fields.Integer(compute="_compute_care_counts")
    last_visit_date = fields.Date(
        compute="_compute_last_visit", store=True, help="Date of the last completed visit."
    )
    is_at_risk = fields.Boolean(
        string="At Risk",
        compute="_compute_last_visit",
        store=True,
        index=True,
        help="The last completed visit found a high risk or a safety risk.",
    )
    next_visit_date = fields.Date(
        compute="_compute_next_visit_date",
        store=True,
        index=True,
        help="The last visit (or the registration) plus the interval of the visit policy: "
        "shorter for key-focus and at-risk elders.",
    )
    is_visit_overdue = fields.Boolean(
        string="Visit Overdue",
        compute="_compute_is_visit_overdue",
        store=True,
        index=True,
        help="Registered and not visited by the next visit date. Kept current every day by "
        "a scheduled action.",
    )
    risk_not_followed_up = fields.Boolean(
        string="At Risk, Not Followed Up",
        compute="_compute_risk_not_followed_up",
        store=True,
        index=True,
        help="A visit found a risk, and the children or supporters have not been notified or "
        "the township has not been told yet.",
    )
    missing_annex_facts = fields.Boolean(
        string="Missing Annex 1 Facts",
        compute="_compute_missing_annex_facts",
        store=True,
        index=True,
    )
    missing_annex_facts_list = fields.Char(
        string="Missing Facts", compute="_compute_missing_annex_facts_list"
    )

    facility_ids = fields.Many2many(
        "lbe.facility",
        string="Facilities",
        compute="_compute_facility_services",
        help="The care facilities that have served the elder.",
    )
    last_facility_service_date = fields.Date(
        string="Last Service at a Facility", compute="_compute_facility_services"
    )

    def init(self):
        # The elders the day may make overdue: the daily run reads these, not the ledger.
        create_index(
            self.env.cr,
            "lbe_elder_visit_due_index",
            self._table,
            ["next_visit_date"],
            where="state = 'active' AND is_visit_overdue IS NOT TRUE",
        )
        return super().init()

    @api.depends_context("uid")
    def _compute_facility_services(self):
        served = {}
        for elder, facility, last in self.env["lbe.service.record"]._read_group(
            [("elder_id", "in", self.ids), ("facility_id", "!=", False)],
            ["elder_id", "facility_id"],
            ["date:max"],
        ):
            facilities, latest = served.get(elder, (facility.browse(), False))
            served[elder] = (facilities | facility, max(latest or last, last))
        for elder in self:
            elder.facility_ids, elder.last_facility_service_date = served.get(
                elder, (self.env["lbe.facility"], False)
            )

    def _compute_care_counts(self):
        counts = {}
        for model, key in (
            ("lbe.visit", "visit_count"),
            ("lbe.care.agreement", "agreement_count"),
            ("lbe.volunteer.pairing", "pairing_count"),
        ):
            for elder, count in self.env[model]._read_group(
                [("elder_id", "in", self.ids)], ["elder_id"], ["__count"]
            ):
                counts[elder.id, key] = count
        for elder in self:
            elder.visit_count = counts.get((elder.id, "visit_count"), 0)
            elder.agreement_count = counts.get((elder.id, "agreement_count"), 0)
            elder.pairing_count = counts.get((elder.id, "pairing_count"), 0)

    @api.depends(
        "visit_ids.state", "visit_ids.visit_date", "visit_ids.risk_level", "visit_ids.safety_risk"
    )
    def _compute_last_visit(self):
        for elder in self:
            done = elder.visit_ids.filtered(lambda v: v.state == "done")
            last = done.sorted(lambda v: (v.visit_date, v.id))[-1:]
            elder.last_visit_date = last.visit_date
            elder.is_at_risk = bool(last) and (last.risk_level == "high" or last.safety_risk)

    @api.depends("last_visit_date", "registration_date", "is_key_focus", "is_at_risk")
    def _compute_next_visit_date(self):
        # _reschedule_visits() applies the same rule in SQL when the policy changes.
        focus_days, other_days = self.env["res.config.settings"]._lbe_visit_intervals()
        for elder in self:
            since = elder.last_visit_date or elder.registration_date
            days = focus_days if elder.is_key_focus or elder.is_at_risk else other_days
            elder.next_visit_date = since and since + relativedelta(days=days)

    @api.depends("next_visit_date", "state")
    def _compute_is_visit_overdue(self):
        # Time passes without any write: _cron_visits_overdue() moves the flag daily.
        today = fields.Date.context_today(self)
        for elder in self:
            elder.is_visit_overdue = bool(
                elder.state == "active" and elder.next_visit_date and elder.next_visit_date < today
            )

    @api.depends("visit_ids.followup_state")
    def _compute_risk_not_followed_up(self):
        for elder in self:
            elder.risk_not_followed_up = "pending" in elder.visit_ids.mapped("followup_state")

    @api.depends(
        *annex1.elder_fields(needed=True),
        *(item.field for item in annex1.FACTS if isinstance(item.needed, str)),
        "health_status",
        *(key for key, _label, _text in annex1.INCOME_OPTIONS),
        "child_ids.birth_date",
        "guardian_ids.mobile",
    )
    def _compute_missing_annex_facts(self):
        for elder in self:
            elder.missing_annex_facts = bool(elder._missing_annex_facts())

    def _compute_missing_annex_facts_list(self):
        for elder in self:
            elder.missing_annex_facts_list = ", ".join(elder._missing_annex_facts())

    def _missing_annex_facts(self):
        """The labels of the registration form's (Annex 1) facts still blank."""
        self.ensure_one()
        elder = self.sudo()
        blank = [field for field in annex1.elder_fields(needed=True) if not elder[field]]
        blank += [
            item.field
            for item in annex1.FACTS
            if isinstance(item.needed, str)
            and item.needed == elder.health_status
            and not elder[item.field]
        ]
        missing = [self._fields[field].get_description(self.env)["string"] for field in blank]
        if not elder.child_ids or not all(elder.child_ids.mapped("birth_date")):
            missing.append(_("children's dates of birth"))
        if not any(elder[key] for key, _label, _text in annex1.INCOME_OPTIONS):
            missing.append(_("income sources"))
        if not elder.guardian_ids or not all(elder.guardian_ids.mapped("mobile")):
            missing.append(_("main supporter's mobile"))
        return missing

    def action_record_visit(self):
        """Open a new visit of this elder, ready to fill in."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": _("Record a Visit"),
            "res_model": "lbe.visit",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_elder_id": self.id},
        }

    @api.model
    def _cron_refresh_key_focus(self):
        """Elders in hardship who turned 80 since yesterday become key focus."""
        eighty = fields.Date.context_today(self) - relativedelta(years=80)
        turned = self.sudo().search(
            [
                ("economic_hardship", "=", True),
                ("is_key_focus", "=", False),
                ("birth_date", "<=", eighty),
            ]
        )
        self.env.add_to_compute(self._fields["is_key_focus"], turned)
        turned.flush_recordset(["is_key_focus"])

    @api.model
    def _lbe_users_by_region(self, group_xmlid, regions):
        """The users of a tier serving exactly these regions, by region id, in one search."""
        # Who must be told is decided whoever triggers it; users' areas are settings.
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref(group_xmlid).id),
                    ("lbe_region_ids", "in", regions.ids),
                ],
                order="id",
            )
        )
        by_region = {}
        for user in users:
            for region in user.lbe_region_ids & regions:
                by_region[region.id] = by_region.get(region.id, users.browse()) | user
        return by_region

    @api.model
    def _lbe_remind_village(self, records, activity_type, deadline, summary):
        """Give a clerk of each record's village one open activity of this type;
        `summary(record)` is called with the record in the clerk's language.

        Works set-wise for the daily scheduled actions: one search for the open
        activities, one for the clerks, one batched create. A record that has an
        open activity of the type already gets no second one.
        """
        reminded = set(
            self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", records._name),
                    ("activity_type_id", "=", activity_type.id),
                    ("res_id", "in", records.ids),
                ],
                ["res_id"],
            )
            .mapped("res_id")
        )
        to_remind = records.filtered(lambda r: r.id not in reminded)
        clerks = self._lbe_users_by_region(group_xmlid(VILLAGE), to_remind.region_id)
        model_id = self.env["ir.model"]._get_id(records._name)
        # No clerk serving the village: the supervision view shows the record.
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": record.id,
                "activity_type_id": activity_type.id,
                "user_id": clerk.id,
                "date_deadline": deadline(record),
                # The scheduled action runs in OdooBot's language, not the clerk's.
                "summary": summary(record.with_context(lang=get_lang(self.env, clerk.lang).code)),
                "automated": True,
            }
            for record in to_remind
            if record.region_id.id in clerks
            for clerk in clerks[record.region_id.id][:1]
        ]
        # Reminders go to the clerks' to-do lists; no e-mail for each of them.
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            vals_list
        )

    @api.model
    def _reschedule_visits(self):
        """Apply a changed visit policy to every elder in one statement."""
        focus_days, other_days = self.env["res.config.settings"]._lbe_visit_intervals()
        self.flush_model()
        self.env.cr.execute(
            """
            UPDATE lbe_elder
               SET next_visit_date = coalesce(last_visit_date, registration_date)
                   + CASE WHEN is_key_focus OR is_at_risk THEN %s ELSE %s END
            """,
            [focus_days, other_days],
        )
        self.invalidate_model(["next_visit_date"])
        self._mark_visits_overdue()

    @api.model
    def _mark_visits_overdue(self):
        """Set the overdue flag of every elder as of today, in one statement."""
        self.flush_model(["state", "next_visit_date", "is_visit_overdue"])
        # Only the rows that flip are read: those the day made overdue (through
        # lbe_elder_visit_due_index) and the flagged ones (a tenth of the ledger),
        # not the whole ledger.
        self.env.cr.execute(
            """
            UPDATE lbe_elder
               SET is_visit_overdue = NOT coalesce(is_visit_overdue, false)
             WHERE (state = 'active' AND is_visit_overdue IS NOT TRUE
                    AND next_visit_date < %(today)s)
                OR (is_visit_overdue AND (state != 'active' OR next_visit_date IS NULL
                                          OR next_visit_date >= %(today)s))
            """,
            {"today": fields.Date.context_today(self)},
        )
        self.invalidate_model(["is_visit_overdue"])

    @api.model
    def _cron_visits_overdue(self):
        """Daily: mark overdue visits, and remind the clerks of each overdue elder's
        village, in batches of REMINDER_BATCH elders.

        Under the scheduled action each batch is committed and the progress told to
        the cron runner, which runs the action again for the rest if it stopped
        half-way; an elder whose reminders were committed has an open one and is
        not reminded again. Elders whose village no clerk serves are left out in
        the database, whatever their number, until a clerk serves it.
        """
        self._mark_visits_overdue()
        self.env.flush_all()
        activity_type = self.env.ref("left_behind_elderly.mail_activity_type_visit_overdue")
        # The villages with a clerk, as one array literal: PostgreSQL hashes an array
        # constant, and parses one literal faster than thousands of parameters.
        self.env.cr.execute(
            SQL(
                "SELECT array_agg(DISTINCT region_id)::text FROM (%s) clerk",
                self._lbe_village_clerks_sql(),
            )
        )
        villages = self.env.cr.fetchone()[0] or "{}"
        # The overdue elders of those villages without their open reminder. EXCEPT
        # is a hashed set difference whatever the planner's statistics (a NOT EXISTS
        # misjudged right after a first run's inserts became a nested loop).
        self.env.cr.execute(
            SQL(
                """
                SELECT e.id FROM lbe_elder e
                 WHERE e.is_visit_overdue AND e.region_id = ANY(%s::int[])
                EXCEPT
                SELECT a.res_id FROM mail_activity a
                 WHERE a.res_model = 'lbe.elder' AND a.activity_type_id = %s AND a.active
                ORDER BY 1
                """,
                villages,
                activity_type.id,
            )
        )
        todo = [row[0] for row in self.env.cr.fetchall()]
        in_cron = bool(self.env.context.get("cron_id"))
        done = 0
        for batch in split_every(REMINDER_BATCH, todo, list):
            self._lbe_remind_overdue(batch, activity_type)
            done += len(batch)
            if in_cron:
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(todo) - done)
                # The cron runner's own transaction: what is committed stays reminded.
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _lbe_village_clerks_sql(self):
        """The active users of the village tier by the village they serve, as rows
        (region_id, user_id, partner_id)."""
        return SQL(
            """
            SELECT r.region_id, u.id AS user_id, u.partner_id
              FROM lbe_region_res_users_rel r
              JOIN res_users u ON u.id = r.user_id AND u.active
              JOIN res_groups_users_rel g ON g.uid = u.id AND g.gid = %s
            """,
            self.env.ref(group_xmlid(VILLAGE)).id,
        )

    @api.model
    def _lbe_remind_overdue(self, elder_ids, activity_type):
        """Give every clerk of these overdue elders' villages an activity of the
        type, in one statement: the rows Odoo's create would write (its precomputed
        and related columns, the summary in the clerk's language), and the clerk
        following the elder as the create subscribes the assignee."""
        # Translated per language, the date left for the database to fill in.
        placeholder = "%(date)s"
        summaries = {
            code: self.with_context(lang=code).env._(
                "Visit overdue since %(date)s: visit the elder.", date=placeholder
            )
            for code, _name in self.env["res.lang"].get_installed()
        }
        # Clerks are internal users: they follow with the model's default subtypes.
        subtypes = self.env["mail.message.subtype"]._default_subtypes(self._name)[0]
        today = fields.Date.context_today(self)
        self.env.cr.execute(
            SQL(
                """
                WITH clerk AS (%(clerk)s),
                reminder AS (
                    INSERT INTO mail_activity (
                        res_model_id, res_model, res_id, res_name, activity_type_id,
                        user_id, user_tz, date_deadline, summary, automated, active,
                        create_uid, create_date, write_uid, write_date)
                    SELECT %(model_id)s, 'lbe.elder', e.id, e.name, %(type)s,
                           c.user_id, p.tz, %(today)s,
                           replace(coalesce(%(summaries)s::jsonb ->> p.lang,
                                            %(summaries)s::jsonb ->> %(lang)s),
                                   %(placeholder)s, to_char(e.next_visit_date, 'YYYY-MM-DD')),
                           true, true, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM lbe_elder e
                      JOIN clerk c ON c.region_id = e.region_id
                      JOIN res_partner p ON p.id = c.partner_id
                     WHERE e.id = ANY(%(ids)s)
                 RETURNING res_id, user_id
                ),
                follower AS (
                    INSERT INTO mail_followers (res_model, res_id, partner_id)
                    SELECT DISTINCT 'lbe.elder', r.res_id, u.partner_id
                      FROM reminder r
                      JOIN res_users u ON u.id = r.user_id
                      JOIN res_partner p ON p.id = u.partner_id AND p.active
                        ON CONFLICT DO NOTHING
                 RETURNING id
                ),
                subscribed AS (
                    INSERT INTO mail_followers_mail_message_subtype_rel
                           (mail_followers_id, mail_message_subtype_id)
                    SELECT f.id, s.id FROM follower f, unnest(%(subtypes)s::int[]) s(id)
                )
                SELECT DISTINCT user_id FROM reminder
                """,
                clerk=self._lbe_village_clerks_sql(),
                model_id=self.env["ir.model"]._get_id(self._name),
                type=activity_type.id,
                today=today,
                summaries=json.dumps(summaries),
                lang=get_lang(self.env).code,
                placeholder=placeholder,
                uid=self.env.uid,
                now=self.env.cr.now(),
                ids=list(elder_ids),
                subtypes=subtypes,
            )
        )
        users = self.env["res.users"].browse(row[0] for row in self.env.cr.fetchall())
        self.env.invalidate_all()
        # What the create tells the clerks' open pages: their activity counter.
        users._bus_send("mail.activity/updated", {"activity_created": True})
