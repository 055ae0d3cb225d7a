from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.safe_eval import safe_eval

from .lbe_care_agreement import REMINDER_DAYS
from .tiers import CITY, FIELD_TIERS, MANAGER, VILLAGE, group_xmlid

# Elders shown by name on a clerk's page, the most overdue first.
OVERDUE_LISTED = 5
# A visit this many days late is called out apart.
LONG_OVERDUE_DAYS = 30


def _figure(key, label, model, domain, action, alert=False, count=None):
    """One figure of a card: what counts it (model, domain) is what opens it (action)."""
    figure = {
        "key": key,
        "label": label,
        "model": model,
        "domain": domain,
        "action": action,
        "alert": alert,
    }
    if count is not None:
        figure["count"] = count
    return figure


class LbeHome(models.AbstractModel):
    """The start page of the staff: the figures of the user's tier, each one
    counted as the user, under the user's own record rules, and opening the
    records it counts (static/src/home/)."""

    _name = "lbe.home"
    _description = "Start Page of the Staff"

    @api.model
    def get_home(self):
        """The page as the client renders it: a title, a notice, cards of figures."""
        user = self.env.user
        tier = user._lbe_tier()
        cards = self._lbe_cards(tier)
        for card in cards:
            for figure in card["figures"]:
                if "count" not in figure:
                    figure["count"] = self.env[figure["model"]].search_count(figure["domain"])
        notice = False
        if not tier:
            notice = self.env._(
                "You hold no tier of the care service: ask a manager to give you one."
            )
        elif not user.lbe_region_ids:
            notice = self.env._("You serve no area yet: ask a manager to give you one.")
        return {
            "title": self.env._("Start Page"),
            "subtitle": " · ".join(
                [user.name, user._lbe_tier_label(tier), *user.lbe_region_ids.mapped("name")]
            ),
            "notice": notice,
            "cards": [
                {
                    "key": card["key"],
                    "title": card["title"],
                    "icon": card["icon"],
                    "items": card.get("items", []),
                    "figures": [
                        {
                            "key": figure["key"],
                            "label": figure["label"],
                            "count": figure["count"],
                            "alert": figure["alert"] and figure["count"] > 0,
                        }
                        for figure in card["figures"]
                    ],
                }
                for card in cards
            ],
        }

    @api.model
    def action_open_figure(self, key):
        """The records behind one figure of the user's page: the domain that counts it."""
        figure = next(
            (
                figure
                for card in self._lbe_cards(self.env.user._lbe_tier())
                for figure in card["figures"]
                if figure["key"] == key
            ),
            None,
        )
        if not figure:
            raise UserError(self.env._("This figure is not on your start page."))
        action = self.env["ir.actions.act_window"]._for_xml_id(figure["action"])
        # The action's own default filters would hide some of the records counted.
        context = safe_eval(action.get("context") or "{}", {"uid": self.env.uid})
        action.update(
            name=figure["label"],
            domain=figure["domain"],
            context={k: v for k, v in context.items() if not k.startswith("search_default_")},
            target="current",
        )
        return action

    # ------------------------------------------------------------------
    # The cards of each tier
    # ------------------------------------------------------------------
    @api.model
    def _lbe_cards(self, tier):
        if not tier:
            return []
        if tier in FIELD_TIERS:
            cards = [
                self._lbe_card_visits(),
                self._lbe_card_followup(),
                self._lbe_card_activities(),
                self._lbe_card_agreements(),
            ]
        else:
            cards = [self._lbe_card_summaries(), self._lbe_card_supervision()]
            if tier == MANAGER:
                cards.append(self._lbe_card_staff())
            cards.append(self._lbe_card_activities())
        return cards

    def _lbe_today(self):
        return fields.Date.context_today(self)

    def _lbe_card_visits(self):
        today = self._lbe_today()
        overdue = [("is_visit_overdue", "=", True)]
        long_ago = fields.Date.to_string(today - timedelta(days=LONG_OVERDUE_DAYS))
        action = "left_behind_elderly.lbe_elder_action"
        elders = self.env["lbe.elder"].search_fetch(
            overdue,
            ["name", "region_id", "next_visit_date"],
            order="next_visit_date, id",
            limit=OVERDUE_LISTED,
        )
        return {
            "key": "visits",
            "title": self.env._("Overdue Visits"),
            "icon": "fa-home",
            "figures": [
                _figure(
                    "overdue",
                    self.env._("Elders whose visit is overdue"),
                    "lbe.elder",
                    overdue,
                    action,
                    alert=True,
                ),
                _figure(
                    "overdue_long",
                    self.env._("Overdue by more than %(days)s days", days=LONG_OVERDUE_DAYS),
                    "lbe.elder",
                    [*overdue, ("next_visit_date", "<", long_ago)],
                    action,
                    alert=True,
                ),
            ],
            "items": [
                {
                    "res_model": "lbe.elder",
                    "res_id": elder.id,
                    "label": elder.name,
                    "detail": self.env._(
                        "%(days)s days overdue, %(village)s",
                        days=(today - elder.next_visit_date).days,
                        village=elder.region_id.name,
                    ),
                }
                for elder in elders
            ],
        }

    def _lbe_card_followup(self):
        return {
            "key": "followup",
            "title": self.env._("Elders at Risk"),
            "icon": "fa-exclamation-triangle",
            "figures": [
                _figure(
                    "risk_pending",
                    self.env._("Visits that found a risk, not followed up"),
                    "lbe.visit",
                    [("followup_state", "=", "pending")],
                    "left_behind_elderly.lbe_visit_action",
                    alert=True,
                ),
                _figure(
                    "portal_unacknowledged",
                    self.env._("Notifications on the family portal not acknowledged"),
                    "lbe.visit.followup",
                    [("channel", "=", "portal"), ("acknowledged_date", "=", False)],
                    "left_behind_elderly.lbe_visit_followup_action",
                ),
            ],
        }

    def _lbe_card_activities(self):
        """The user's own to-dos by type: the family's messages and answers, the
        reminders of overdue visits and ending agreements, anything assigned."""
        mine = [("user_id", "=", self.env.uid)]
        today = fields.Date.to_string(self._lbe_today())
        action = "mail.mail_activity_action_my"
        by_type = self.env["mail.activity"]._read_group(
            mine, ["activity_type_id"], ["__count"], order="activity_type_id"
        )
        figures = [
            _figure("activity_all", self.env._("All my to-dos"), "mail.activity", mine, action),
            *(
                _figure(
                    f"activity_{activity_type.id or 0}",
                    activity_type.name or self.env._("Other"),
                    "mail.activity",
                    [*mine, ("activity_type_id", "=", activity_type.id or False)],
                    action,
                    count=count,
                )
                for activity_type, count in by_type
            ),
            _figure(
                "activity_late",
                self.env._("Of which past their deadline"),
                "mail.activity",
                [*mine, ("date_deadline", "<", today)],
                action,
                alert=True,
            ),
        ]
        return {
            "key": "activities",
            "title": self.env._("My To-dos"),
            "icon": "fa-check-square-o",
            "figures": figures,
        }

    def _lbe_card_agreements(self):
        action = "left_behind_elderly.lbe_care_agreement_action"
        ending = fields.Date.to_string(self._lbe_today() + timedelta(days=REMINDER_DAYS))
        return {
            "key": "agreements",
            "title": self.env._("Care Agreements"),
            "icon": "fa-file-text-o",
            "figures": [
                _figure(
                    "agreement_ending",
                    self.env._("In force, ending within %(days)s days", days=REMINDER_DAYS),
                    "lbe.care.agreement",
                    [("state", "=", "active"), ("date_end", "<=", ending)],
                    action,
                    alert=True,
                ),
                _figure(
                    "agreement_draft",
                    self.env._("Drafts not yet in force"),
                    "lbe.care.agreement",
                    [("state", "=", "draft")],
                    action,
                ),
            ],
        }

    def _lbe_card_summaries(self):
        Summary = self.env["lbe.summary"]
        year = self._lbe_today().year
        of_year = [("year", "=", year)]
        action = "left_behind_elderly.lbe_summary_action"
        by_state = dict(Summary._read_group(of_year, ["state"], ["__count"]))
        figures = [
            _figure(
                f"summary_{state}",
                label,
                "lbe.summary",
                [*of_year, ("state", "=", state)],
                action,
                alert=state == "returned",
                count=by_state.get(state, 0),
            )
            for state, label in Summary._fields["state"]._description_selection(self.env)
        ]
        late = [*of_year, ("is_late", "=", True)]
        figures.append(
            _figure("summary_late", self.env._("Late"), "lbe.summary", late, action, alert=True)
        )
        figures.append(
            _figure(
                "summary_nil",
                self.env._("Nil returns"),
                "lbe.summary",
                [*of_year, ("is_nil_return", "=", True)],
                action,
            )
        )
        # The summaries that wait for someone, by name: returned ones with their
        # reason, then late ones.
        returned = Summary.search([*of_year, ("state", "=", "returned")])
        items = [
            {
                "res_model": "lbe.summary",
                "res_id": summary.id,
                "label": summary.display_name,
                "detail": self.env._("Returned: %(reason)s", reason=summary.return_reason or ""),
            }
            for summary in returned
        ] + [
            {
                "res_model": "lbe.summary",
                "res_id": summary.id,
                "label": summary.display_name,
                "detail": self.env._("Late: due on %(deadline)s", deadline=summary.deadline),
            }
            for summary in Summary.search(late) - returned
        ]
        return {
            "key": "summaries",
            "title": self.env._("Yearly Summaries of %(year)s", year=year),
            "icon": "fa-table",
            "figures": figures,
            "items": items[:OVERDUE_LISTED],
        }

    def _lbe_card_supervision(self):
        registered = [("state", "=", "active")]
        elders = "left_behind_elderly.lbe_elder_action"
        ending = fields.Date.to_string(self._lbe_today() + timedelta(days=REMINDER_DAYS))
        return {
            "key": "supervision",
            "title": self.env._("Supervision of the Area"),
            "icon": "fa-binoculars",
            "figures": [
                _figure("elders", self.env._("Registered elders"), "lbe.elder", registered, elders),
                _figure(
                    "key_focus",
                    self.env._("Key-focus elders"),
                    "lbe.elder",
                    [*registered, ("is_key_focus", "=", True)],
                    elders,
                ),
                _figure(
                    "overdue",
                    self.env._("Elders whose visit is overdue"),
                    "lbe.elder",
                    [("is_visit_overdue", "=", True)],
                    elders,
                    alert=True,
                ),
                _figure(
                    "risk_pending",
                    self.env._("Elders at risk, not followed up"),
                    "lbe.elder",
                    [*registered, ("risk_not_followed_up", "=", True)],
                    elders,
                    alert=True,
                ),
                _figure(
                    "incomplete",
                    self.env._("Elders missing Annex 1 facts"),
                    "lbe.elder",
                    [*registered, ("missing_annex_facts", "=", True)],
                    elders,
                ),
                _figure(
                    "agreement_ending",
                    self.env._("Care agreements ending within %(days)s days", days=REMINDER_DAYS),
                    "lbe.care.agreement",
                    [("state", "=", "active"), ("date_end", "<=", ending)],
                    "left_behind_elderly.lbe_care_agreement_action",
                ),
                _figure(
                    "no_facility",
                    self.env._("Villages with key-focus elders and no care facility"),
                    "lbe.supervision",
                    [("key_focus_without_facility", "=", True)],
                    "left_behind_elderly.lbe_supervision_action",
                    alert=True,
                ),
            ],
        }

    def _lbe_card_staff(self):
        tiers = [self.env.ref(group_xmlid(tier)).id for tier in (VILLAGE, CITY)]
        return {
            "key": "staff",
            "title": self.env._("Staff"),
            "icon": "fa-users",
            "figures": [
                _figure(
                    "staff_no_area",
                    self.env._("Staff without a served area"),
                    "res.users",
                    [
                        ("share", "=", False),
                        ("groups_id", "in", tiers),
                        ("groups_id", "not in", [self.env.ref("base.group_system").id]),
                        ("lbe_region_ids", "=", False),
                    ],
                    "left_behind_elderly.res_users_lbe_staff_action",
                    alert=True,
                ),
            ],
        }
