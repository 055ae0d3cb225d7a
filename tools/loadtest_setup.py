"""Prepare a database for tools/loadtest.sh: elders, and the staff Locust logs in as.

    python3 tools/loadtest_setup.py --db lbe_load --elders 100000 --out users.json

Run with the Python that imports Odoo, on a database where the addon is installed.
Fills it with tools/generate_elders.py, then creates village clerks (the villages
holding the most elders) and county officers (the counties holding the most),
each with a password equal to the login and their county's summary of this year
computed, and writes their logins (and the summaries' ids) as JSON for the Locust
users of tools/loadtest.py. On a database that already holds them (one kept by
LBE_LOAD_KEEP=1), only writes the JSON again.
"""

import argparse
import json
import os
import sys
from pathlib import Path

import odoo
from odoo import api

sys.path.insert(0, str(Path(__file__).resolve().parent))
from addon import tiers
from generate_elders import generate


def staff(env, tier, region, login):
    return env["res.users"].create(
        {
            "name": login,
            "login": login,
            "password": login,
            "groups_id": [(6, 0, env.ref(tiers.group_xmlid(tier)).ids)],
            "lbe_region_ids": [(6, 0, region.ids)],
        }
    )


def existing_staff(env):
    """The logins (and summaries) of an earlier run on this database, or None."""
    Users = env["res.users"].with_context(active_test=False)
    clerks = Users.search([("login", "=like", "lt\\_clerk\\_%")], order="id")
    officers = Users.search([("login", "=like", "lt\\_county\\_%")], order="id")
    if not clerks or not officers:
        return None
    return {
        "clerks": clerks.mapped("login"),
        "officers": [
            {
                "login": officer.login,
                "summary_id": env["lbe.summary"].search([("create_uid", "=", officer.id)])[:1].id,
            }
            for officer in officers
        ],
    }


def fill(env, args):
    """Generates the elders, then the clerks and officers of the busiest areas."""
    Elder = env["lbe.elder"]
    today = odoo.fields.Date.context_today(Elder)
    generate(
        env.cr,
        args.elders,
        today,
        env["res.config.settings"]._lbe_visit_intervals(),
        env.ref("base.user_admin").id,
    )
    env.cr.execute("ANALYZE")

    def busiest(field, limit):
        groups = Elder._read_group(
            [("state", "=", "active")], [field], ["__count"], order="__count desc"
        )
        return [region for region, _count in groups[:limit]]

    clerks = [
        staff(env, tiers.VILLAGE, village, f"lt_clerk_{n}").login
        for n, village in enumerate(busiest("region_id", args.clerks))
    ]
    officers = []
    for n, county in enumerate(busiest("county_id", args.counties)):
        officer = staff(env, tiers.COUNTY, county, f"lt_county_{n}")
        summary = (
            env["lbe.summary"]
            .with_user(officer)
            .create({"region_id": county.id, "year": today.year})
        )
        summary.action_compute()
        officers.append({"login": officer.login, "summary_id": summary.id})
    return {"clerks": clerks, "officers": officers}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--elders", type=int, default=100_000)
    parser.add_argument("--clerks", type=int, default=200)
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        [
            "-d",
            args.db,
            "--db_host",
            os.environ.get("PGHOST", "localhost"),
            f"--addons-path={args.addons_path}",
        ]
    )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        found = existing_staff(env) or fill(env, args)
    Path(args.out).write_text(json.dumps({"db": args.db, **found}), encoding="utf-8")
    odoo.sql_db.close_all()


if __name__ == "__main__":
    main()
