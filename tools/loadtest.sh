#!/usr/bin/env bash
# Load test: Odoo in multi-worker mode on the loopback, Locust users as village
# clerks and county officers; prints Markdown tables per profile and number of users.
#
#   tools/loadtest.sh   # fresh database, 100,000 elders, 10/50/100 users, both profiles
#
# Two profiles for each number of users: "morning", the users arriving evenly over
# LBE_LOAD_RAMP seconds (60) and then working LBE_LOAD_TIME seconds more (60), as
# clerks come in to work; "burst", all of them starting in the same second and working
# LBE_LOAD_TIME seconds. Each user logs in once and keeps its session cookie for all
# its actions, as a browser does.
#
# Environment: LBE_LOAD_DB (default lbe_load), LBE_LOAD_ELDERS (100000),
# LBE_LOAD_USERS ("10 50 100"), LBE_LOAD_PROFILES ("morning burst"), LBE_LOAD_RAMP
# (60), LBE_LOAD_TIME (60), LBE_LOAD_WORKERS (Odoo's HTTP workers, 3),
# LBE_HTTP_PORT and LBE_GEVENT_PORT (free ports by default), LBE_BENCH_VENV (the
# virtualenv with tools/requirements-bench.txt, made if missing; Locust needs newer
# gevent and Werkzeug than Odoo, so it does not share Odoo's Python environment),
# LBE_LOAD_KEEP=1 keeps the database, and a later run with it set uses the kept one.
set -euo pipefail

source "$(dirname "$0")/common.sh"
db=${LBE_LOAD_DB:-lbe_load}
elders=${LBE_LOAD_ELDERS:-100000}
steps=${LBE_LOAD_USERS:-10 50 100}
profiles=${LBE_LOAD_PROFILES:-morning burst}
ramp=${LBE_LOAD_RAMP:-60}
duration=${LBE_LOAD_TIME:-60}
duration=${duration%s}
workers=${LBE_LOAD_WORKERS:-3}
port=${LBE_HTTP_PORT:-$(lbe_free_port)}
gevent_port=${LBE_GEVENT_PORT:-$(lbe_free_port)}
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
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q -r "$addon_dir/tools/requirements-bench.txt"
fi

# Odoo's gevent process looks its plugins up through pkg_resources, which before
# setuptools 70 misses distributions named the new way (zope_interface-*.dist-info),
# and then stops at start in a loop that takes CPU from the workers. A newer one goes
# beside Locust's virtualenv, on Odoo's path only, leaving Odoo's environment as it is.
pkg_check="import pkg_resources as p; p.get_distribution('zope.interface')"
if ! "$python" -W ignore -c "$pkg_check" 2>/dev/null; then
    if [ ! -d "$venv/odoo-setuptools" ]; then
        "$python" -m pip install -q --target "$venv/odoo-setuptools" 'setuptools>=70,<81'
    fi
    export PYTHONPATH="$venv/odoo-setuptools${PYTHONPATH:+:$PYTHONPATH}"
    "$python" -W ignore -c "$pkg_check"
fi

if [ "${LBE_LOAD_KEEP:-0}" = 1 ] && psql -d postgres -lqtA | cut -d'|' -f1 | grep -qx "$db"; then
    echo "== Kept database '$db'"
else
    echo "== Fresh database '$db' with the addon and $elders elders"
    dropdb --if-exists "$db"
    "$python" -m odoo -d "$db" --addons-path="$addons_path" -i left_behind_elderly \
        --without-demo=all --stop-after-init --log-level=warn
fi
"$python" "$addon_dir/tools/loadtest_setup.py" --db "$db" --addons-path="$addons_path" \
    --elders "$elders" --out "$work/users.json"

echo "== Odoo: $workers HTTP workers, one cron worker, on 127.0.0.1:$port"
# Multi-worker Odoo starts its gevent process as sys.argv[0]: it needs odoo-bin.
odoo_bin="$odoo_root/odoo-bin"
[ -f "$odoo_bin" ] || odoo_bin=$(command -v odoo)
"$python" "$odoo_bin" -d "$db" --addons-path="$addons_path" --db-filter="^$db\$" \
    --http-interface=127.0.0.1 --http-port="$port" --gevent-port="$gevent_port" \
    --workers="$workers" --max-cron-threads=1 --limit-time-real=300 \
    --log-level=warn --logfile="$work/odoo.log" &
odoo_pid=$!
for _ in $(seq 60); do
    curl -sf "http://127.0.0.1:$port/web/login" >/dev/null && break
    sleep 2
done

export LBE_LOADTEST_USERS="$work/users.json"
runs=()
for users in $steps; do
    for profile in $profiles; do
        case $profile in
            morning) rate=$(awk "BEGIN { print $users / $ramp }") time=$((ramp + duration)) ;;
            burst) rate=$users time=$duration ;;
            *) echo "ERROR: unknown profile '$profile' (morning, burst)" >&2 && exit 2 ;;
        esac
        # Other work on the machine shows in the figures: its load goes beside them.
        load=$(cut -d' ' -f1 /proc/loadavg)
        echo "== $profile: $users users ($rate a second), ${time} s, load before $load"
        "$venv/bin/locust" -f "$addon_dir/tools/loadtest.py" --headless --only-summary \
            -u "$users" -r "$rate" -t "${time}s" --host "http://127.0.0.1:$port" \
            --csv "$work/$profile-$users" --loglevel WARNING \
            >"$work/locust-$profile-$users.log" 2>&1 || true
        runs+=("$profile,$users,$load,$work/$profile-${users}_stats.csv")
    done
done
echo
echo "Load test: $elders elders, $workers workers, morning ramp ${ramp} s + ${duration} s," \
    "burst ${duration} s, on $(date -u +%F)"
echo
"$python" "$addon_dir/tools/loadtest_report.py" "${runs[@]}"
if grep -E " (ERROR|CRITICAL) " "$work/odoo.log" | head -5; then
    echo "(errors in Odoo's log, above)"
fi
