"""Managers no longer hold Odoo's Access Rights group (base.group_erp_manager).

Data files only add implied groups, so a database installed before 18.0.1.1.0
keeps the old implication, and its managers keep the group Odoo copied onto
them: both are taken back here, except from users who are administrators anyway.
"""

from odoo import SUPERUSER_ID, Command, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    manager = env.ref("left_behind_elderly.group_manager")
    access_rights = env.ref("base.group_erp_manager")
    manager.implied_ids = [Command.unlink(access_rights.id)]
    system = env.ref("base.group_system")
    manager.users.filtered(lambda user: system not in user.groups_id).groups_id = [
        Command.unlink(access_rights.id)
    ]
