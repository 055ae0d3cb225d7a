#!/usr/bin/env bash
# Load test: Odoo in multi-worker mode on the loopback, Locust users as village
# clerks and county officers; prints a Markdown table per number of users.
#
#   tools/loadtest.sh   # fresh database, 100,000 elders, 10/50/100 users, 60 s each
#
# Environment: LBE_LOAD_DB (default lbe_load), LBE_LOAD_ELDERS (100000),
# LBE_LOAD_USERS ("10 50 100"), LBE_LOAD_TIME (60s a step), LBE_LOAD_WORKERS (4),
# LBE_HTTP_PORT (8069), LBE_GEVENT_PORT (8072), LBE_BENCH_VENV (the virtualenv
# with tools/requirements-bench.txt, made if missing; Locust needs newer gevent
# and Werkzeug than Odoo, so it does not share Odoo's Python environment),
# LBE_LOAD_KEEP=1 keeps the database.
set -euo pipefail

source "$(dirname "$0")/common.sh"
db=${LBE_LOAD_DB:-lbe_load}
elders=${LBE_LOAD_ELDERS:-100000}
steps=${LBE_LOAD_USERS:-10 50 100}
duration=${LBE_LOAD_TIME:-60s}
workers=${LBE_LOAD_WORKERS:-4}
port=${LBE_HTTP_PORT:-8069}
gevent_port=${LBE_GEVENT_PORT:-8072}
venv=${LBE_BENCH_VENV:-$HOME/.cache/lbe-bench-venv}
export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432}
odoo_pid=""
cleanup() {
    if [ -n "$odoo_pid" ]; then
        kill "$odoo_pid" 2>/dev/null && wait "$odoo_pid" 2>/dev/null || true
    fi
    if [ "${LBE_LOAD_KEEP:-0}" != 1 ]; then
        dropdb --if-exists "$db" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$venv/bin/locust" ]; then
    echo "== Installing Locust into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q -r "$addon_dir/tools/requirements-bench.txt"
fi

# Odoo's gevent process looks its plugins up through pkg_resources, which before
# setuptools 70 misses distributions named the new way (zope_interface-*.dist-info).
if ! python3 -W ignore -c "import pkg_resources as p; p.get_distribution('zope.interface')" 2>/dev/null; then
    echo "ERROR: Odoo's gevent process would not start: run pip install 'setuptools>=70,<81'." >&2
    exit 2
fi

echo "== Fresh database '$db' with the addon and $elders elders"
dropdb --if-exists "$db"
python3 -m odoo -d "$db" --addons-path="$addons_path" -i left_behind_elderly \
    --without-demo=all --stop-after-init --log-level=warn
python3 "$addon_dir/tools/loadtest_setup.py" --db "$db" --addons-path="$addons_path" \
    --elders "$elders" --out "$work/users.json"

echo "== Odoo: $workers HTTP workers, one cron worker, on 127.0.0.1:$port"
# Multi-worker Odoo starts its gevent process as sys.argv[0]: it needs odoo-bin.
odoo_bin="$odoo_root/odoo-bin"
[ -f "$odoo_bin" ] || odoo_bin=$(command -v odoo)
python3 "$odoo_bin" -d "$db" --addons-path="$addons_path" --db-filter="^$db\$" \
    --http-interface=127.0.0.1 --http-port="$port" --gevent-port="$gevent_port" \
    --workers="$workers" --max-cron-threads=1 --limit-time-real=300 \
    --log-level=warn --logfile="$work/odoo.log" &
odoo_pid=$!
for _ in $(seq 60); do
    curl -sf "http://127.0.0.1:$port/web/login" >/dev/null && break
    sleep 2
done

export LBE_LOADTEST_USERS="$work/users.json"
table="| users | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) | errors |
|---:|---:|---:|---:|---:|---:|---:|"
for users in $steps; do
    echo "== $users users for $duration"
    "$venv/bin/locust" -f "$addon_dir/tools/loadtest.py" --headless --only-summary \
        -u "$users" -r "$users" -t "$duration" --host "http://127.0.0.1:$port" \
        --csv "$work/u$users" --loglevel WARNING >"$work/locust_$users.log" 2>&1 || true
    # Locust's CSV: the "Aggregated" row; columns by their header names.
    table+=$'\n'$(python3 - "$work/u${users}_stats.csv" "$users" <<'EOF'
import csv, sys
rows = {row["Name"]: row for row in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
total = rows["Aggregated"]
print(f"| {sys.argv[2]} | {int(total['Request Count']):,} | {float(total['Requests/s']):.1f} "
      f"| {total['50%']} | {total['95%']} | {total['99%']} | {total['Failure Count']} |")
EOF
)
    # Per request name, for the README.
    python3 - "$work/u${users}_stats.csv" <<'EOF'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    if row["Name"] != "Aggregated":
        print(f"   {row['Name']:32} n={row['Request Count']:>5} p50={row['50%']:>6} "
              f"p95={row['95%']:>6} errors={row['Failure Count']}")
EOF
done
echo
echo "Load test: $elders elders, $workers workers, $duration a step, on $(date -u +%F)"
echo "$table"
if grep -E " (ERROR|CRITICAL) " "$work/odoo.log" | head -5; then
    echo "(errors in Odoo's log, above)"
fi
