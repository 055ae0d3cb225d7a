"""Benchmark the addon at province scale; prints the figures the README quotes.

    python3 tools/benchmark.py [--elders 300000] [--db lbe_bench] [--keep]

1. installs the addon (without demo data) on a fresh database and times it;
2. inserts N elders spread over Guangdong's villages with one SQL statement;
3. times, as users of each tier (record rules applied), the searches and
   aggregates the list views and the yearly summary run.
Needs Odoo 18.0 importable and PostgreSQL, like the tests.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

try:
    import odoo
    from odoo import api
except ImportError:
    sys.exit("python3 cannot import Odoo 18.0; see the README's prerequisites.")

ADDON_DIR = Path(__file__).resolve().parent.parent


def addons_path(link_dir):
    link = Path(link_dir) / "left_behind_elderly"
    link.symlink_to(ADDON_DIR)
    odoo_root = Path(odoo.__file__).resolve().parent.parent
    paths = [str(odoo_root / "addons")] if (odoo_root / "addons").is_dir() else []
    return ",".join([*paths, link_dir])


def timed(label, func, results):
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    results.append((label, elapsed, value))
    return value


def insert_elders(cr, count):
    # Synthetic rows straight into the table: the point is the read side at scale.
    cr.execute(
        """
        WITH villages AS (
            SELECT v.id, t.id AS township_id, c.id AS county_id, ci.id AS city_id,
                   row_number() OVER (ORDER BY v.id) AS n
              FROM lbe_region v
              JOIN lbe_region t ON t.id = v.parent_id
              JOIN lbe_region c ON c.id = t.parent_id
              JOIN lbe_region ci ON ci.id = c.parent_id
             WHERE v.level = 'village'
        ), total AS (SELECT count(*) AS n FROM villages)
        INSERT INTO lbe_elder (
            name, region_id, township_id, county_id, city_id, state, registration_date,
            birth_date, gender, health_status, spouse_status, child_count, self_care,
            economic_hardship, living_alone, is_key_focus, income_children_wages,
            income_farming, income_government_aid, income_other,
            create_date, write_date, create_uid, write_uid)
        SELECT 'bench ' || g, v.id, v.township_id, v.county_id, v.city_id, 'active',
               DATE '2024-01-01',
               DATE '1930-01-01' + (g %% 11000),
               CASE WHEN g %% 2 = 0 THEN 'male' ELSE 'female' END,
               (ARRAY['healthy', 'healthy', 'disabled', 'ill'])[1 + g %% 4],
               CASE WHEN g %% 3 = 0 THEN 'one_alive' ELSE 'both_alive' END,
               1 + g %% 4,
               (ARRAY['independent', 'partly_dependent', 'dependent'])[1 + g %% 3],
               g %% 5 = 0, g %% 7 = 0, g %% 10 = 0, g %% 3 <> 0, g %% 2 = 0, g %% 5 = 0,
               g %% 11 = 0, now(), now(), 1, 1
          FROM generate_series(1, %s) AS g
          JOIN total ON true
          JOIN villages v ON v.n = 1 + g %% total.n
        """,
        [count],
    )
    cr.execute("ANALYZE lbe_elder")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elders", type=int, default=300_000)
    parser.add_argument("--db", default="lbe_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = addons_path(tmp)
        subprocess.run(["dropdb", "--if-exists", args.db], check=True)
        base_cmd = [sys.executable, "-m", "odoo", "-d", args.db, f"--addons-path={path}"]
        base_cmd += ["--stop-after-init", "--log-level=warn", "--without-demo=all"]
        subprocess.run([*base_cmd, "-i", "base"], check=True)
        start = time.perf_counter()
        subprocess.run([*base_cmd, "-i", "left_behind_elderly"], check=True)
        install = time.perf_counter() - start

        odoo.tools.config.parse_config(["-d", args.db, f"--addons-path={path}"])
        registry = odoo.modules.registry.Registry(args.db)
        results = []
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            ref = env.ref
            insert_elders(cr, args.elders)
            users = {
                "province": ("group_province", ref("left_behind_elderly.region_44")),
                "city": ("group_city", ref("left_behind_elderly.region_4401")),
                "county": ("group_county", ref("left_behind_elderly.region_440111")),
                "village": ("group_village", ref("left_behind_elderly.region_440111103200")),
            }
            for tier, (group, region) in users.items():
                user = env["res.users"].create(
                    {
                        "name": f"bench {tier}",
                        "login": f"bench_{tier}",
                        "groups_id": [(6, 0, ref(f"left_behind_elderly.{group}").ids)],
                        "lbe_region_ids": [(6, 0, region.ids)],
                    }
                )
                elders = env["lbe.elder"].with_user(user)
                env.invalidate_all()
                count = timed(
                    f"{tier}: search_count (rules applied)",
                    lambda e=elders: e.search_count([]),
                    results,
                )
                timed(
                    f"{tier}: first list page (80 rows)",
                    lambda e=elders: len(e.search([], limit=80).read(["name", "region_id"])),
                    results,
                )
                timed(
                    f"{tier}: read_group by township",
                    lambda e=elders: len(e._read_group([], ["township_id"], ["__count"])),
                    results,
                )
                timed(
                    f"{tier}: key-focus filter count",
                    lambda e=elders: e.search_count([("is_key_focus", "=", True)]),
                    results,
                )
                results.append((f"{tier}: elders visible", 0.0, count))
            # Annex 2: every county's summary is one SQL aggregation over its
            # elders; cities and the province add up accepted county totals.
            counties = env["lbe.region"].search([("level", "=", "county")])
            summaries = env["lbe.summary"].create(
                [{"region_id": c.id, "year": date.today().year} for c in counties]
            )

            def compute_all():
                for summary in summaries:
                    summary._compute_lines()
                return len(summaries)

            timed(f"Annex 2: compute all {len(counties)} county summaries", compute_all, results)
            counts = dict(env["lbe.elder"]._read_group([], ["county_id"], ["__count"]))
            biggest = max(summaries, key=lambda s: counts.get(s.region_id, 0))
            timed(
                f"Annex 2: one county ({counts[biggest.region_id]:,} elders)",
                biggest._compute_lines,
                results,
            )
            cr.rollback()

        print(f"\nInstall of left_behind_elderly (28,745 regions): {install:.1f} s")
        print(f"{'measure':55} {'seconds':>8}  value")
        for label, elapsed, value in results:
            shown = value if isinstance(value, int) else ""
            print(f"{label:55} {elapsed:8.3f}  {shown}")
    odoo.sql_db.close_all()
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    os.environ.setdefault("PGHOST", "localhost")
    main()
