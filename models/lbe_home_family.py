"""The family's messages on a clerk's start page (issue 20): those not yet
replied to, counted and listed, each opening the message to reply on."""

from odoo import api, models

from .tiers import FIELD_TIERS

# Messages listed by name on the card, the oldest waiting first.
MESSAGES_LISTED = 5
EXCERPT = 40


class LbeHomeFamily(models.AbstractModel):
    _inherit = "lbe.home"

    @api.model
    def _lbe_cards(self, tier):
        cards = super()._lbe_cards(tier)
        if tier in FIELD_TIERS:
            # After the elders at risk: what the families wrote comes next.
            at = next((i + 1 for i, c in enumerate(cards) if c["key"] == "followup"), len(cards))
            cards.insert(at, self._lbe_card_family())
        return cards

    def _lbe_card_family(self):
        _ = self.env._
        waiting = [("state", "=", "new")]
        messages = self.env["lbe.family.message"].search_fetch(
            waiting,
            ["elder_id", "guardian_id", "body"],
            order="create_date, id",
            limit=MESSAGES_LISTED,
        )
        return {
            "key": "family",
            "title": _("Messages of the Family"),
            "icon": "fa-comments-o",
            "figures": [
                {
                    "key": "family_to_reply",
                    "label": _("Messages and answers not yet replied to"),
                    "model": "lbe.family.message",
                    "domain": waiting,
                    "action": "left_behind_elderly.lbe_family_message_action",
                    "alert": True,
                },
            ],
            "items": [
                {
                    "res_model": "lbe.family.message",
                    "res_id": message.id,
                    "label": _(
                        "%(supporter)s about %(elder)s",
                        supporter=message.guardian_id.name,
                        elder=message.elder_id.name,
                    ),
                    "detail": message.body[:EXCERPT] + ("…" if len(message.body) > EXCERPT else ""),
                }
                for message in messages
            ],
        }
