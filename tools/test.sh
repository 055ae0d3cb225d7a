#!/usr/bin/env bash
# Lints the addon, installs it on a fresh database and runs every test of it.
# Exits non-zero on any failure; the last line reads "N passed, N failed".
#
# Prerequisites: Odoo 18.0 importable by python3, and PostgreSQL (a local server
# on PGHOST/PGPORT, default localhost:5432; without one, a throwaway cluster is
# started and removed afterwards).
# Environment: LBE_TEST_DB (database name), LBE_HTTP_PORT (for browser tests),
# LBE_TEST_TAGS (Odoo --test-tags, default every test of the addon),
# LBE_SKIP_LINT=1 (tests only).
set -uo pipefail

source "$(dirname "$0")/common.sh"
pg_data=""
cleanup() {
    if [ -n "$pg_data" ]; then
        runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1
    fi
    rm -rf "$work"
}
trap cleanup EXIT

export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432}
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$pg_bin" ]; then
        echo "ERROR: no PostgreSQL answers on $PGHOST:$PGPORT and none is installed to start." >&2
        exit 2
    fi
    echo "No PostgreSQL on $PGHOST:$PGPORT: starting a throwaway cluster."
    pg_data="$work/pgdata"
    mkdir -p "$pg_data" && chown postgres "$work" "$pg_data"
    runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -U "$(id -un)" -A trust >/dev/null
    export PGHOST="$work" PGPORT=54329
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$work/pg.log" \
        -o "-k $work -p $PGPORT -c listen_addresses=''" start >/dev/null || exit 2
fi

lint_failed=0
if [ "${LBE_SKIP_LINT:-0}" != 1 ]; then
    echo "== Lint: ruff"
    (cd "$addon_dir" && ruff check .) || lint_failed=1
    echo "== Lint: pylint-odoo mandatory checks"
    (cd "$work/addons" && pylint --rcfile="$addon_dir/.pylintrc" left_behind_elderly) || lint_failed=1
fi

db=${LBE_TEST_DB:-lbe_test_$$}
log="$work/odoo.log"
dropdb --if-exists "$db" 2>/dev/null
echo "== Installing left_behind_elderly on a fresh database '$db' and running its tests"
python3 -m odoo -d "$db" --db_host="$PGHOST" --db_port="$PGPORT" \
    --addons-path="$addons_path" -i left_behind_elderly \
    --test-enable --test-tags="${LBE_TEST_TAGS:-/left_behind_elderly}" \
    --http-port="${LBE_HTTP_PORT:-8069}" --stop-after-init --log-level=info \
    --max-cron-threads=0 2>&1 | tee "$log" | grep -E " (ERROR|CRITICAL|WARNING) |^(FAIL|ERROR):|Traceback|tests when loading|Module left_behind_elderly loaded|odoo.tests.stats"
odoo_rc=${PIPESTATUS[0]}
dropdb --if-exists "$db" 2>/dev/null

summary=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$log" | tail -n 1)
if [ -z "$summary" ]; then
    echo "The test run did not report a result (Odoo exit code $odoo_rc)."
    echo "0 passed, 1 failed"
    exit 1
fi
read -r failed errors total < <(echo "$summary" | sed -E 's/([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests/\1 \2 \3/')
bad=$((failed + errors))
# Any ERROR line fails the run, and so does a WARNING logged by this addon itself.
log_errors=$(grep -cE " (ERROR|CRITICAL) " "$log")
own_warnings=$(grep -cE " WARNING [^ ]+ odoo\.addons\.left_behind_elderly|left_behind_elderly demo data failed" "$log")
if [ "$log_errors" -gt 0 ] || [ "$own_warnings" -gt 0 ]; then
    echo "The log holds $log_errors ERROR line(s) and $own_warnings WARNING line(s) of the addon."
fi
if [ "$lint_failed" -ne 0 ]; then
    echo "Lint failed."
fi
echo "$((total - bad)) passed, $bad failed"
if [ "$bad" -gt 0 ] || [ "$total" -eq 0 ] || [ "$odoo_rc" -ne 0 ] || [ "$log_errors" -gt 0 ] \
    || [ "$own_warnings" -gt 0 ] || [ "$lint_failed" -ne 0 ]; then
    exit 1
fi
