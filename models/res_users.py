from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.addons.base.models.res_users import is_reified_group
from odoo.exceptions import AccessError, UserError

from .tiers import CITY, COUNTY, LEVELS, MANAGER, PROVINCE, TIERS, TOWNSHIP, VILLAGE, group_xmlid

# All that a manager of this addon may set on a user. Managers are not Odoo user
# administrators (base.group_erp_manager could grant itself base.group_system), so
# these fields are written for them past the ACL, and nothing else is: never a
# password, a group, a company or the partner's other fields.
STAFF_FIELDS = frozenset({"lbe_region_ids", "lbe_tier", "name", "login", "active"})
# A new staff member also gets the password they first sign in with.
STAFF_CREATE_FIELDS = STAFF_FIELDS | {"lbe_initial_password"}
# The context a manager's staff user is created in: the manager's language and
# time zone, which the new user takes, and none of the caller's `default_*` keys,
# which would set any field (groups, partner, company) past the check.
STAFF_CREATE_CONTEXT = ("lang", "tz")
MIN_PASSWORD_LENGTH = 8
# The write runs as superuser: a command creating or updating regions would skip
# the region rights, so a user's areas are only linked and unlinked.
STAFF_REGION_COMMANDS = frozenset({Command.UNLINK, Command.LINK, Command.CLEAR, Command.SET})
# Fields whose change may change a user's areas or tier, which the audit log records.
AUDITED_FIELDS = frozenset({"lbe_region_ids", "lbe_tier", "groups_id"})


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
            (VILLAGE, "Village"),
            (TOWNSHIP, "Township"),
            (COUNTY, "County"),
            (CITY, "City"),
            (PROVINCE, "Province"),
            (MANAGER, "Manager"),
        ],
        string="Tier",
        compute="_compute_lbe_tier",
        inverse="_inverse_lbe_tier",
        help="What the user may do in the application; the served areas say where. "
        "Without a tier the user has no access to the application.",
    )

    lbe_initial_password = fields.Char(
        string="Initial Password",
        compute="_compute_lbe_initial_password",
        help="The password the new user signs in with the first time; the application "
        "then asks them for a password of their own.",
    )
    lbe_password_change = fields.Boolean(
        string="Must Change Password",
        copy=False,
        groups="base.group_erp_manager",
        help="Set while the user still signs in with the password given when the account "
        "was created.",
    )
    lbe_area_domain = fields.Char(
        compute="_compute_lbe_area_domain",
        help="The regions offered as served areas: inside the current user's areas and "
        "of the level the tier serves.",
    )

    @api.depends("groups_id")
    def _compute_lbe_tier(self):
        for user in self:
            user.lbe_tier = user._lbe_tier() or False

    def _compute_lbe_initial_password(self):
        # Never read back: the field only carries the password into create().
        self.lbe_initial_password = False

    @api.depends("lbe_tier")
    @api.depends_context("uid")
    def _compute_lbe_area_domain(self):
        own = self.env.user.lbe_region_ids.ids
        for user in self:
            domain = [("id", "child_of", own)]
            # A tier named after a level serves regions of that level; a manager
            # serves any.
            if user.lbe_tier in LEVELS:
                domain.append(("level", "=", user.lbe_tier))
            user.lbe_area_domain = str(domain)

    def _inverse_lbe_tier(self):
        groups = {tier: self.env.ref(group_xmlid(tier)) for tier in TIERS}
        # Implied groups are stored on the user too: all tier groups go, and the
        # chosen one brings back those it implies. Other groups are kept.
        drop = [Command.unlink(group.id) for group in groups.values()]
        by_tier = defaultdict(self.browse)
        for user in self:
            if user.lbe_tier != (user._lbe_tier() or False):
                by_tier[user.lbe_tier] |= user
        for tier, users in by_tier.items():
            # The write of the tier passed the rights on users and records the
            # change in the audit log; its groups are part of that one change.
            users.sudo().write(
                {"groups_id": drop + ([Command.link(groups[tier].id)] if tier else [])}
            )

    @api.model_create_multi
    def create(self, vals_list):
        if self._lbe_is_staff_create(vals_list):
            self._lbe_check_staff_create(vals_list)
            # Written into the values too: the database's default language
            # (an ir.default of the partners) would win over the context's.
            inherited = {
                key: self.env.context[key]
                for key in STAFF_CREATE_CONTEXT
                if self.env.context.get(key)
            }
            # The initial password is the way in: no invitation by mail.
            staff_env = self.env(context={**inherited, "no_reset_password": True}, su=True)
            # su keeps the uid: create_uid and the audit log name the manager.
            users = (
                super(ResUsers, self.with_env(staff_env))
                .create([{**inherited, **self._lbe_with_password(vals)} for vals in vals_list])
                .with_env(self.env)
            )
        else:
            users = super().create([self._lbe_with_password(vals) for vals in vals_list])
        if any(self._lbe_is_audited(vals) for vals in vals_list):
            users._lbe_log_staff_change(dict.fromkeys(users, (False, self.env["lbe.region"])))
        return users

    def write(self, vals):
        before = self._lbe_staff_snapshot() if self._lbe_is_audited(vals) else None
        if self._lbe_is_staff_write(vals):
            self._lbe_check_staff_write(vals)
            # sudo() keeps the uid: write_uid and the audit log name the manager.
            res = super(ResUsers, self.sudo()).write(vals)
        else:
            res = super().write(vals)
        if "password" in vals:
            # A password set after the initial one is the user's own, or an Odoo
            # administrator's reset: no longer the one a manager gave.
            self.sudo().filtered("lbe_password_change").lbe_password_change = False
        if "lbe_region_ids" in vals:
            # Record rules are cached per user; the area is part of their domain.
            self.env.registry.clear_cache()
        if any(name in AUDITED_FIELDS or is_reified_group(name) for name in vals):
            # A follower is notified of, and so reads, every later message.
            self.env["lbe.area.mixin"]._lbe_drop_foreign_followers(self.sudo().partner_id)
        if before is not None:
            self._lbe_log_staff_change(before)
        return res

    def action_archive(self):
        if self._lbe_is_staff_write({"active": False}):
            self._lbe_check_staff_write({"active": False})
            # Archiving also drops the user's activities and their partner's
            # activity, which are not the manager's to change one by one.
            return super(ResUsers, self.sudo()).action_archive()
        return super().action_archive()

    def action_unarchive(self):
        if self._lbe_is_staff_write({"active": True}):
            self._lbe_check_staff_write({"active": True})
            return super(ResUsers, self.sudo()).action_unarchive()
        return super().action_unarchive()

    @api.model
    def _lbe_with_password(self, vals):
        """`vals` with the initial password as the user's password, to be changed
        at the first sign-in."""
        if not vals.get("lbe_initial_password"):
            return {key: value for key, value in vals.items() if key != "lbe_initial_password"}
        vals = dict(vals)
        vals["password"] = vals.pop("lbe_initial_password")
        vals["lbe_password_change"] = True
        return vals

    def _lbe_is_audited(self, vals):
        """Whether these values may change users' areas or tiers, as a user (the
        application's own writes, as superuser, are no one's change)."""
        return not self.env.su and any(
            name in AUDITED_FIELDS or is_reified_group(name) for name in vals
        )

    def _lbe_staff_snapshot(self):
        return {user: (user._lbe_tier() or False, user.lbe_region_ids) for user in self.sudo()}

    def _lbe_log_staff_change(self, before):
        """Write to the audit log each change of these users' areas or tier, in
        the smallest area holding their areas before and after (the acting
        user's, when they have none)."""
        changes, concerned = [], self.env["lbe.region"]
        for user, (tier, areas) in before.items():
            user.invalidate_recordset(["lbe_region_ids", "lbe_tier"])
            new_tier, new_areas = user._lbe_tier() or False, user.lbe_region_ids
            if tier != new_tier:
                changes.append(
                    _(
                        "%(user)s: tier %(before)s → %(after)s",
                        user=user.login,
                        before=self._lbe_tier_label(tier),
                        after=self._lbe_tier_label(new_tier),
                    )
                )
            if areas != new_areas:
                changes.append(
                    _(
                        "%(user)s: served areas %(before)s → %(after)s",
                        user=user.login,
                        before=areas._lbe_listing() or "-",
                        after=new_areas._lbe_listing() or "-",
                    )
                )
            if tier != new_tier or areas != new_areas:
                concerned |= areas | new_areas
        if changes:
            self.env["lbe.audit.log"]._log(
                "staff_areas",
                self,
                "\n".join(changes),
                region=(concerned or self.env.user.lbe_region_ids)._lbe_common_ancestor(),
            )

    @api.model
    def _lbe_tier_label(self, tier):
        if not tier:
            return "-"
        return dict(self._fields["lbe_tier"]._description_selection(self.env))[tier]

    def _lbe_is_staff_write(self, vals, allowed=STAFF_FIELDS):
        """Whether this write is an addon manager, not an Odoo user administrator,
        setting only the staff fields of users. Any other write by such a manager
        meets the ACL of res.users, which refuses it."""
        user = self.env.user
        return bool(
            vals
            and not self.env.su
            and set(vals) <= allowed
            and not user.has_group("base.group_erp_manager")
            and user.has_group(group_xmlid(MANAGER))
        )

    @api.model
    def _lbe_is_staff_create(self, vals_list):
        return bool(vals_list) and all(
            self._lbe_is_staff_write(vals, STAFF_CREATE_FIELDS) for vals in vals_list
        )

    @api.model
    def _lbe_check_staff_create(self, vals_list):
        """A manager creates internal users of a tier serving areas inside their
        own, who sign in with the initial password given."""
        for vals in vals_list:
            areas = self._lbe_check_staff_values(vals)
            if not areas or not all(vals.get(key) for key in ("name", "login", "lbe_tier")):
                raise UserError(
                    _("Give the new staff member a name, a login, a tier and served areas.")
                )
            password = vals.get("lbe_initial_password")
            if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
                raise UserError(
                    _(
                        "Give the new staff member an initial password of at least "
                        "%(length)s characters.",
                        length=MIN_PASSWORD_LENGTH,
                    )
                )

    def _lbe_check_staff_values(self, vals):
        """The values a manager sets: a name and a login of text, an active flag,
        areas linked from inside the manager's own; the regions linked."""
        for name in ("name", "login"):
            if name in vals and not (isinstance(vals[name], str) and vals[name].strip()):
                raise UserError(_("A staff member needs a name and a login."))
        if "active" in vals and not isinstance(vals["active"], bool):
            raise UserError(_("Active is true or false."))
        return self._lbe_check_region_commands(vals.get("lbe_region_ids") or [])

    def _lbe_check_staff_write(self, vals):
        """A manager works inside their own areas: on users who serve only
        there (or nowhere yet), giving areas from there. Refusals name nobody:
        the users may serve elsewhere."""
        self.check_access("read")
        own = self.env.user.lbe_region_ids.sudo()
        template = self.env.ref("base.default_user", raise_if_not_found=False)
        for user in self.sudo():
            # A tier implies the internal user group: on a portal or public user it
            # would make them internal. The template user passes its groups on to
            # every internal user.
            if user.share or user._is_superuser() or user == template:
                raise AccessError(
                    _("Managers set the served areas and tier of internal users only.")
                )
            if user.has_group("base.group_erp_manager"):
                raise AccessError(
                    _(
                        "The served areas and tier of Odoo administrators are set by Odoo "
                        "administrators only."
                    )
                )
            if not own._lbe_contains(user.lbe_region_ids):
                raise AccessError(
                    _(
                        "You may set the served areas and tier only of users who serve "
                        "inside your own areas."
                    )
                )
        if "login" in vals and self.env.user in self:
            # As for every user: the login one signs in with is not one's own to change.
            raise AccessError(_("Your own login is changed by an Odoo administrator."))
        self._lbe_check_staff_values(vals)

    def _lbe_check_region_commands(self, commands):
        """Served areas linked only, from inside the manager's own areas; the
        regions linked."""
        own = self.env.user.lbe_region_ids.sudo()
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
        given = []
        for command in commands:
            if command[0] == Command.LINK:
                given.append(command[1] if len(command) > 1 else None)
            elif command[0] == Command.SET:
                ids = command[2] if len(command) > 2 else None
                given.extend(ids if isinstance(ids, list | tuple) else [None])
        if not all(type(region_id) is int for region_id in given):
            raise AccessError(_("Served areas are given by their ids."))
        regions = self.env["lbe.region"].sudo().browse(set(given))
        if regions.exists() != regions or not own._lbe_contains(regions):
            raise AccessError(_("You may give only areas inside your own served areas."))
        return regions

    def _lbe_tier(self):
        """The tier the user acts as (see TIERS), or None."""
        self.ensure_one()
        return next((tier for tier in TIERS if self.has_group(group_xmlid(tier))), None)

    @api.model
    def _lbe_successor(self, user, region):
        """A user of `user`'s tier who serves `region`, the one serving the
        smallest area first: who takes over the work of a record that moved."""
        tier = user._lbe_tier()
        if not tier or not region:
            return self.browse()
        candidates = self.sudo().search(
            [
                ("groups_id", "in", self.env.ref(group_xmlid(tier)).id),
                ("lbe_region_ids", "parent_of", region.id),
                ("id", "!=", user.id),
            ],
            order="id",
        )

        def depth(candidate):
            # The deepest of the candidate's areas that holds the region.
            return max(
                LEVELS.index(area.level)
                for area in candidate.lbe_region_ids
                if area._lbe_contains(region)
            )

        candidates = candidates.filtered(lambda u: u._lbe_tier() == tier)
        return candidates.sorted(lambda u: (-depth(u), u.id))[:1]
