"""Fill a database with N left-behind elders over Guangdong's real villages, in bulk SQL.

    python3 tools/generate_elders.py --db lbe_bench [--elders 1000000] [--seed 0.13]

The database must hold the addon (installed without demo data or with it). Every
elder gets children, one primary supporter and a visit history, written with
INSERT … SELECT over generate_series: a million elders (2.4 million children,
a million supporters, 2.2 million visits) take about seven minutes here. The records pass the
addon's own constraints (tests/test_generate_elders.py runs this on a few thousand
elders and validates every one through the ORM); the stored computed fields
(tiers, child count, primary supporter, key focus, visit schedule, overdue flag,
risk not followed up, missing Annex 1 facts) hold what the ORM would compute.

Shares, drawn with PostgreSQL's random() after setseed(), so a run is repeatable:

- villages: each elder in a village drawn at random among all 26,842 (37 a village
  on average at a million);
- state: 92 % registered, 5 % exited (with a reason and a date), 3 % drafts (their
  address not filled in yet, so they show as missing Annex 1 facts);
- age today: 60–69 55 %, 70–79 31 %, 80–89 12 %, 90–99 2 %; gender 52 % women;
- health: healthy 62 %, ill 30 % (with a disease), disabled 8 % (category, grade);
- spouse: both alive 65 %, one alive 35 %;
- children: one 20 %, two 38 %, three 28 %, four 14 %, all away for work a year or
  more before registration; the first child is the primary supporter;
- income: children's wages 75 %, farming 50 %, government assistance 30 %,
  other 8 % (farming when none was drawn);
- economic hardship 15 %, self-care partly dependent 13 % and dependent 5 %,
  living alone 20 %; key focus follows the addon's rule (about 5 %);
- education: illiterate 30 %, primary 45 %, junior 18 %, senior 6 %, college 1 %;
  ethnic group Han 98 %, Yao, Zhuang and She the rest;
- registered between 2019-01-01 and a week ago; registered elders have 0–4 done
  visits (2 % none yet), the last one on schedule for about 94 % of them (about 9 %
  overdue); the last visit found a high risk for 1.5 % and a safety risk for 0.5 %,
  whose follow-up is pending;
- ID numbers valid under GB 11643 (check digit, birth date and gender agreeing),
  unique, with the county's area code (where python-stdnum does not know a
  county's code, one of its city's, or of the province).
"""

import argparse
import os
import sys
import time
from datetime import date

from dateutil.relativedelta import relativedelta
from stdnum.cn import ric

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from addon import tiers

# Weights of GB 11643's check digit, for positions 1 to 17.
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余叶"
GIVEN = "国华建明秀英玉兰桂芳志强德福金荣淑珍丽文海军春梅平伟云秋凤林根生水"
DISEASES = ["高血压", "糖尿病", "冠心病", "慢性支气管炎", "关节炎", "脑卒中后遗症"]


def known_area_code(code):
    try:
        ric.get_birth_place(code)
    except Exception:
        return False
    return True


def area_codes(cr):
    """The 6-digit area code of each county's ID numbers, by county id."""
    cr.execute("SELECT id, code FROM lbe_region WHERE level = %s", [tiers.COUNTY])
    counties = cr.fetchall()
    province = sorted(c for _id, c in counties if known_area_code(c))[0]
    codes = {}
    for county_id, code in counties:
        if not known_area_code(code):
            same_city = [f"{code[:4]}{n:02d}" for n in range(100)]
            code = next((c for c in same_city if known_area_code(c)), province)
        codes[county_id] = code
    return codes


def generate(cr, count, today, intervals, user_id, seed=0.13):
    """Insert `count` elders with their children, supporters and visits; return
    the ids of the elders. `intervals` are the visit policy's days (key focus or
    at risk, others); `today` the day the schedule is computed for."""
    focus_days, other_days = intervals
    cr.execute("SELECT setseed(%s)", [seed])
    cr.execute(
        "CREATE TEMP TABLE lbe_gen_area (county_id int PRIMARY KEY, code text) ON COMMIT DROP"
    )
    cr.execute(
        "INSERT INTO lbe_gen_area SELECT * FROM unnest(%s::int[], %s::text[])",
        list(map(list, zip(*area_codes(cr).items(), strict=True))),
    )
    cr.execute(
        """
        CREATE TEMP TABLE lbe_gen_village ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY v.code) AS n, v.id, v.code, v.name,
               t.id AS township_id, c.id AS county_id, ci.id AS city_id, a.code AS area
          FROM lbe_region v
          JOIN lbe_region t ON t.id = v.parent_id
          JOIN lbe_region c ON c.id = t.parent_id
          JOIN lbe_region ci ON ci.id = c.parent_id
          JOIN lbe_gen_area a ON a.county_id = c.id
         WHERE v.level = %s AND v.active;
        CREATE UNIQUE INDEX ON lbe_gen_village (n);
        ANALYZE lbe_gen_village;
        """,
        [tiers.VILLAGE],
    )
    params = {
        "count": count,
        "today": today,
        "eighty": today - relativedelta(years=80),
        "first_registration": date(2019, 1, 1),
        "focus_days": focus_days,
        "other_days": other_days,
        "surnames": list(SURNAMES),
        "given": list(GIVEN),
        "n_surnames": len(SURNAMES),
        "n_given": len(GIVEN),
        "diseases": DISEASES,
        "weights": ID_WEIGHTS,
        "uid": user_id,
    }
    # 1. One row per elder with every drawn fact (r: uniform draws).
    cr.execute(
        """
        CREATE TEMP TABLE lbe_gen ON COMMIT DROP AS
        WITH draw AS (
            SELECT g, random() AS r_village, random() AS r_state, random() AS r_age,
                   random() AS r_day, random() AS r_sex, random() AS r_health,
                   random() AS r_spouse, random() AS r_children, random() AS r_wages,
                   random() AS r_farm, random() AS r_aid, random() AS r_other,
                   random() AS r_hard, random() AS r_care, random() AS r_alone,
                   random() AS r_edu, random() AS r_ethnic, random() AS r_reg,
                   random() AS r_visits, random() AS r_last, random() AS r_risk,
                   random() AS r_name, random() AS r_misc
              FROM generate_series(1, %(count)s) AS g
        ), facts AS (
            SELECT d.*, v.id AS region_id, v.code AS region_code, v.name AS village,
                   v.township_id, v.county_id, v.city_id, v.area,
                   CASE WHEN r_state < 0.92 THEN 'active'
                        WHEN r_state < 0.97 THEN 'exited' ELSE 'draft' END AS state,
                   (%(today)s::date - make_interval(years =>
                        CASE WHEN r_age < 0.55 THEN 60 + (r_age / 0.55 * 10)::int %% 10
                             WHEN r_age < 0.86 THEN 70 + ((r_age - 0.55) / 0.31 * 10)::int %% 10
                             WHEN r_age < 0.98 THEN 80 + ((r_age - 0.86) / 0.12 * 10)::int %% 10
                             ELSE 90 + ((r_age - 0.98) / 0.02 * 10)::int %% 10 END)
                   )::date - (1 + (r_day * 360)::int) AS birth_date,
                   r_sex >= 0.52 AS male,
                   CASE WHEN r_health < 0.62 THEN 'healthy'
                        WHEN r_health < 0.92 THEN 'ill' ELSE 'disabled' END AS health_status,
                   CASE WHEN r_children < 0.20 THEN 1 WHEN r_children < 0.58 THEN 2
                        WHEN r_children < 0.86 THEN 3 ELSE 4 END AS child_count,
                   %(first_registration)s::date + (r_reg * (%(today)s::date - 7
                        - %(first_registration)s::date))::int AS registration_date,
                   r_hard < 0.15 AS economic_hardship,
                   CASE WHEN r_care < 0.82 THEN 'independent'
                        WHEN r_care < 0.95 THEN 'partly_dependent'
                        ELSE 'dependent' END AS self_care
              FROM draw d
              JOIN lbe_gen_village v
                ON v.n = 1 + (d.r_village * (SELECT count(*) FROM lbe_gen_village))::int
                             %% (SELECT count(*) FROM lbe_gen_village)
        ), numbered AS (
            SELECT f.*,
                   nextval('lbe_elder_id_seq') AS id,
                   nextval('lbe_guardian_id_seq') AS guardian_id,
                   -- Sequence numbers after those already given (a second run, the
                   -- demo data): odd for men, as the standard says.
                   f.area || to_char(f.birth_date, 'YYYYMMDD') || lpad((300 + f.male::int
                       + 2 * (row_number() OVER (PARTITION BY f.area, f.birth_date, f.male
                                                 ORDER BY f.g)
                              + (SELECT count(*) FROM lbe_elder x
                                  WHERE x.id_number >= f.area || to_char(f.birth_date, 'YYYYMMDD')
                                    AND x.id_number < f.area || to_char(f.birth_date, 'YYYYMMDD')
                                        || 'Z')))::text, 3, '0') AS id_body,
                   f.economic_hardship AND (f.birth_date <= %(eighty)s
                       OR f.health_status = 'disabled'
                       OR f.self_care <> 'independent') AS is_key_focus
              FROM facts f
        )
        SELECT n.*,
               (%(surnames)s::text[])[1 + (r_name * 1000)::int %% %(n_surnames)s] AS surname,
               n.id_body || (ARRAY['1','0','X','9','8','7','6','5','4','3','2'])[1 + (
                   SELECT sum(substr(n.id_body, i, 1)::int * (%(weights)s::int[])[i])
                     FROM generate_series(1, 17) AS i)::int %% 11] AS id_number,
               -- Registered elders: 0-4 done visits, the last within the interval
               -- for about 94 %% of them (r_last >= 0.06), overdue for the others.
               -- Only registered elders are visited (a done visit of an exited
               -- elder fails the visit's constraint).
               CASE WHEN n.state <> 'active' OR r_visits < 0.02 THEN 0
                    ELSE 1 + (r_visits * 4)::int %% 4 END AS visits,
               CASE WHEN n.is_key_focus THEN %(focus_days)s ELSE %(other_days)s END AS interval
          FROM numbered n
        """,
        params,
    )
    # Temporary tables get no statistics unless asked: without them the planner
    # may pick nested loops over a million rows.
    cr.execute("ANALYZE lbe_gen")
    cr.execute(
        """
        ALTER TABLE lbe_gen ADD COLUMN last_visit date, ADD COLUMN at_risk boolean,
                            ADD COLUMN exit_date date;
        -- Registered at 60 or over: the definition holds on the registration date.
        UPDATE lbe_gen SET registration_date
            = greatest(registration_date, (birth_date + interval '60 years')::date);
        UPDATE lbe_gen SET
            exit_date = CASE WHEN state = 'exited' THEN registration_date
                + (r_misc * (%(today)s::date - registration_date))::int END,
            -- On schedule: a visit fewer days ago than the interval; overdue: up
            -- to a year longer ago. Never before the registration.
            last_visit = CASE WHEN visits > 0 THEN greatest(registration_date,
                %(today)s::date - CASE WHEN r_last >= 0.06
                    THEN ((r_last - 0.06) / 0.94 * (interval - 1))::int
                    ELSE interval + 1 + (r_last / 0.06 * 365)::int END) END,
            at_risk = visits > 0 AND r_risk < 0.02;
        -- At risk, the schedule is the key-focus one.
        UPDATE lbe_gen SET interval = %(focus_days)s WHERE at_risk;
        """,
        params,
    )
    # 2. The elders and their primary supporters (the first child), in one statement:
    # each table's foreign key to the other is checked at its end.
    cr.execute(
        """
        WITH guardian AS (
            INSERT INTO lbe_guardian (
                id, elder_id, region_id, name, gender, relationship, address, mobile,
                is_primary, create_uid, write_uid, create_date, write_date)
            SELECT e.guardian_id, e.id, e.region_id, e.surname
                       || (%(given)s::text[])[1 + (e.g * 7 + 1) %% %(n_given)s]
                       || (%(given)s::text[])[1 + (e.g * 13 + 3) %% %(n_given)s],
                   CASE WHEN (e.g + 1) %% 2 = 0 THEN 'male' ELSE 'female' END,
                   CASE WHEN (e.g + 1) %% 2 = 0 THEN 'son' ELSE 'daughter' END,
                   (ARRAY['广州市', '深圳市', '东莞市', '佛山市', '上海市'])[1 + (e.g + 1) %% 5],
                   '13' || lpad(((e.g * 7 + 1) %% 1000000000)::text, 9, '0'), true,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM lbe_gen e
        )
        INSERT INTO lbe_elder (
            id, name, id_number, birth_date, gender, ethnic_group, household_registration,
            address, region_id, region_code, township_id, county_id, city_id,
            registration_date, health_status, disability_category, disability_grade,
            disease_type, education, spouse_status, child_count, years_away,
            last_home_visit_year, last_home_visit_month, reunions_per_year, reunion_days_avg,
            income_children_wages, income_farming, income_government_aid, income_other,
            income_other_note, economic_hardship, self_care, living_alone, is_key_focus,
            state, exit_date, exit_reason, filler_id, last_visit_date, is_at_risk,
            next_visit_date, is_visit_overdue, risk_not_followed_up, missing_annex_facts,
            primary_guardian_id, create_uid, write_uid, create_date, write_date)
        SELECT id,
               surname
                   || (%(given)s::text[])[1 + (r_name * 100000)::int %% %(n_given)s]
                   || (%(given)s::text[])[1 + (r_name * 10000000)::int %% %(n_given)s],
               id_number, birth_date, CASE WHEN male THEN 'male' ELSE 'female' END,
               CASE WHEN r_ethnic < 0.98 THEN '01' WHEN r_ethnic < 0.99 THEN '13'
                    WHEN r_ethnic < 0.995 THEN '08' ELSE '22' END,
               village, CASE WHEN state <> 'draft' THEN village || (1 + g %% 200) || '号' END,
               region_id, region_code, township_id, county_id, city_id, registration_date,
               health_status,
               CASE WHEN health_status = 'disabled' THEN (ARRAY['vision', 'hearing',
                   'physical', 'physical', 'intellectual', 'multiple'])[1 + g %% 6] END,
               CASE WHEN health_status = 'disabled' THEN (1 + g %% 4)::text END,
               CASE WHEN health_status = 'ill' THEN (%(diseases)s::text[])[1 + g %% 6] END,
               CASE WHEN r_edu < 0.30 THEN 'illiterate' WHEN r_edu < 0.75 THEN 'primary'
                    WHEN r_edu < 0.93 THEN 'junior' WHEN r_edu < 0.99 THEN 'senior'
                    ELSE 'college' END,
               CASE WHEN r_spouse < 0.65 THEN 'both_alive' ELSE 'one_alive' END,
               child_count, 1 + g %% 20,
               extract(year FROM registration_date)::int - 1, (1 + g %% 12)::text,
               1 + g %% 6, 2 + g %% 14,
               r_wages < 0.75, r_farm < 0.50 OR NOT (r_wages < 0.75 OR r_aid < 0.30
                   OR r_other < 0.08), r_aid < 0.30, r_other < 0.08,
               CASE WHEN r_other < 0.08 THEN '养老金' END,
               economic_hardship, self_care, r_alone < 0.20, is_key_focus,
               state, exit_date,
               CASE WHEN state = 'exited' THEN (ARRAY['deceased', 'child_returned',
                   'moved_away', 'institution'])[1 + g %% 4] END,
               %(uid)s, last_visit, at_risk,
               coalesce(last_visit, registration_date) + interval,
               state = 'active' AND coalesce(last_visit, registration_date) + interval
                   < %(today)s::date,
               at_risk, state = 'draft', guardian_id,
               %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM lbe_gen
        """,
        params,
    )
    # 3. Children, born 22-38 years after the elder, away since 1-10 years before
    # the registration (whole years, as the definition counts them); the first
    # (k = 1) is also the primary supporter.
    cr.execute(
        """
        INSERT INTO lbe_elder_child (
            elder_id, region_id, name, gender, birth_date, mobile, work_place, away_since,
            create_uid, write_uid, create_date, write_date)
        SELECT e.id, e.region_id, e.surname
                   || (%(given)s::text[])[1 + (e.g * 7 + k) %% %(n_given)s]
                   || (%(given)s::text[])[1 + (e.g * 13 + k * 3) %% %(n_given)s],
               CASE WHEN (e.g + k) %% 2 = 0 THEN 'male' ELSE 'female' END,
               least(e.birth_date + (22 + 4 * k + e.g %% 5) * 365, %(today)s::date - 366 * 18),
               '13' || lpad(((e.g * 7 + k) %% 1000000000)::text, 9, '0'),
               (ARRAY['广州市', '深圳市', '东莞市', '佛山市', '上海市'])[1 + (e.g + k) %% 5],
               (e.registration_date - make_interval(years => 1 + (e.g + k) %% 10))::date,
               %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM lbe_gen e
          CROSS JOIN LATERAL generate_series(1, e.child_count) AS k
        """,
        params,
    )
    # 4. Visits: the last on last_visit, the earlier ones an interval apart
    # (and not before the registration).
    cr.execute(
        """
        INSERT INTO lbe_visit (
            elder_id, region_id, visit_date, user_id, method, state, living_conditions,
            duty_fulfilment, risk_level, safety_risk, needs_followup, followup_state,
            create_uid, write_uid, create_date, write_date)
        SELECT e.id, e.region_id, e.last_visit - k * e.interval, %(uid)s,
               (ARRAY['home', 'home', 'home', 'phone', 'video'])[1 + (e.g + k) %% 5],
               'done', '居住安全，生活正常', (ARRAY['yes', 'yes', 'partly'])[1 + e.g %% 3],
               CASE WHEN k = 0 AND e.r_risk < 0.015 THEN 'high'
                    WHEN k = 0 AND e.r_risk < 0.02 THEN 'low' ELSE 'none' END,
               k = 0 AND e.r_risk >= 0.015 AND e.r_risk < 0.02,
               k = 0 AND e.at_risk,
               CASE WHEN k = 0 AND e.at_risk THEN 'pending' ELSE 'none' END,
               %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM lbe_gen e
          CROSS JOIN LATERAL generate_series(0, e.visits - 1) AS k
         WHERE e.last_visit - k * e.interval >= e.registration_date
        """,
        params,
    )
    cr.execute("SELECT array_agg(id ORDER BY id) FROM lbe_gen")
    ids = cr.fetchone()[0] or []
    cr.execute("DROP TABLE lbe_gen, lbe_gen_village, lbe_gen_area")
    return ids


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--elders", type=int, default=1_000_000)
    parser.add_argument("--seed", type=float, default=0.13)
    args = parser.parse_args()
    try:
        import odoo
    except ImportError:
        sys.exit("python3 cannot import Odoo 18.0; see the README's prerequisites.")
    os.environ.setdefault("PGHOST", "localhost")
    odoo.tools.config.parse_config(["-d", args.db, "--db_host", os.environ["PGHOST"]])
    registry = odoo.modules.registry.Registry(args.db)
    start = time.perf_counter()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        today = odoo.fields.Date.context_today(env["lbe.elder"])
        intervals = env["res.config.settings"]._lbe_visit_intervals()
        ids = generate(cr, args.elders, today, intervals, env.ref("base.user_admin").id, args.seed)
    with registry.cursor() as cr:
        for table in ("lbe_elder", "lbe_elder_child", "lbe_guardian", "lbe_visit"):
            cr.execute(f"ANALYZE {table}")
    print(f"{len(ids):,} elders generated in {time.perf_counter() - start:.0f} s")
    odoo.sql_db.close_all()


if __name__ == "__main__":
    main()
