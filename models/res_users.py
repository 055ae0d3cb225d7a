from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError

# The tiers, most powerful first; a user acts as the first tier whose group they hold.
TIERS = ["manager", "province", "city", "county", "township", "village"]

# All that a manager of this addon may set on a user. Managers are not Odoo user
# administrators (base.group_erp_manager could grant itself base.group_system), so
# these two fields are written for them past the ACL, and nothing else is.
STAFF_FIELDS = frozenset({"lbe_region_ids", "lbe_tier"})
# The write runs as superuser: a command creating or updating regions would skip
# the region rights, so a user's areas are only linked and unlinked.
STAFF_REGION_COMMANDS = frozenset({Command.UNLINK, Command.LINK, Command.CLEAR, Command.SET})


class ResUsers(models.Model):
    _inherit = "res.users"

    lbe_region_ids = fields.Many2many(
        "lbe.region",
        "lbe_region_res_users_rel",
        "user_id",
        "region_id",
        string="Served Areas",
        help="The administrative regions this user serves. Record rules let the user see "
        "only the elders of these regions and their sub-regions; a user without an area "
        "sees no elder at all.",
    )
    lbe_tier = fields.Selection(
        [
            ("village", "Village"),
            ("township", "Township"),
            ("county", "County"),
            ("city", "City"),
            ("province", "Province"),
            ("manager", "Manager"),
        ],
        string="Tier",
        compute="_compute_lbe_tier",
        inverse="_inverse_lbe_tier",
        help="What the user may do in the application; the served areas say where. "
        "Without a tier the user has no access to the application.",
    )

    @api.depends("groups_id")
    def _compute_lbe_tier(self):
        for user in self:
            user.lbe_tier = user._lbe_tier() or False

    def _inverse_lbe_tier(self):
        groups = {tier: self.env.ref(f"left_behind_elderly.group_{tier}") for tier in TIERS}
        # Implied groups are stored on the user too: all tier groups go, and the
        # chosen one brings back those it implies. Other groups are kept.
        drop = [Command.unlink(group.id) for group in groups.values()]
        by_tier = defaultdict(self.browse)
        for user in self:
            if user.lbe_tier != (user._lbe_tier() or False):
                by_tier[user.lbe_tier] |= user
        for tier, users in by_tier.items():
            users.write({"groups_id": drop + ([Command.link(groups[tier].id)] if tier else [])})

    def write(self, vals):
        if self._lbe_is_staff_write(vals):
            self._lbe_check_staff_write(vals)
            # sudo() keeps the uid: write_uid and the audit log name the manager.
            res = super(ResUsers, self.sudo()).write(vals)
        else:
            res = super().write(vals)
        if "lbe_region_ids" in vals:
            # Record rules are cached per user; the area is part of their domain.
            self.env.registry.clear_cache()
        return res

    def _lbe_is_staff_write(self, vals):
        """Whether this write is an addon manager, not an Odoo user administrator,
        setting only users' areas and tiers. Any other write by such a manager
        meets the ACL of res.users, which refuses it."""
        user = self.env.user
        return bool(
            vals
            and not self.env.su
            and set(vals) <= STAFF_FIELDS
            and not user.has_group("base.group_erp_manager")
            and user.has_group("left_behind_elderly.group_manager")
        )

    def _lbe_check_staff_write(self, vals):
        self.check_access("read")
        template = self.env.ref("base.default_user", raise_if_not_found=False)
        for user in self.sudo():
            # A tier implies the internal user group: on a portal or public user it
            # would make them internal. The template user passes its groups on to
            # every internal user.
            if user.share or user._is_superuser() or user == template:
                raise AccessError(
                    _(
                        "Managers set the served areas and tier of internal users only, not of %s.",
                        user.display_name,
                    )
                )
        commands = vals.get("lbe_region_ids") or []
        if not isinstance(commands, list | tuple) or any(
            not isinstance(command, list | tuple)
            or not command
            or command[0] not in STAFF_REGION_COMMANDS
            for command in commands
        ):
            raise AccessError(
                _(
                    "Served areas can only be added or removed here; regions are changed "
                    "under Administrative Regions."
                )
            )

    def _lbe_tier(self):
        """The tier the user acts as (see TIERS), or None."""
        self.ensure_one()
        return next(
            (tier for tier in TIERS if self.has_group(f"left_behind_elderly.group_{tier}")), None
        )

    @api.model
    def _lbe_successor(self, user, region):
        """A user of `user`'s tier who serves `region`, the one serving the
        smallest area first: who takes over the work of a record that moved."""
        tier = user._lbe_tier()
        if not tier or not region:
            return self.browse()
        candidates = self.sudo().search(
            [
                ("groups_id", "in", self.env.ref(f"left_behind_elderly.group_{tier}").id),
                ("lbe_region_ids", "parent_of", region.id),
                ("id", "!=", user.id),
            ],
            order="id",
        )

        def depth(candidate):
            # The deepest of the candidate's areas that holds the region.
            return max(
                len(area.parent_path)
                for area in candidate.lbe_region_ids
                if region.parent_path.startswith(area.parent_path)
            )

        candidates = candidates.filtered(lambda u: u._lbe_tier() == tier)
        return candidates.sorted(lambda u: (-depth(u), u.id))[:1]
