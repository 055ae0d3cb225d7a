#!/usr/bin/env bash
# Lints the addon, installs it on a fresh database and runs every test of it with
# Odoo's own runner, then once more with pytest-odoo on the same database.
# Exits non-zero on any failure; the last line reads "N passed, N failed, N skipped"
# (both runners added up). Under CI (CI=true) a skipped test fails the run: CI has
# every tool the tests need, so a skip there means a test that did not run.
#
# Prerequisites: Odoo 18.0 (python3's, or the .venv of tools/setup.sh), and
# PostgreSQL (a server on PGHOST/PGPORT, default localhost:5432; without one, a
# throwaway cluster is started and removed afterwards).
# Environment: LBE_TEST_DB (database name), LBE_HTTP_PORT (for browser tests;
# default a free port, so that the tests run beside a demo on 8069),
# LBE_TEST_TAGS (Odoo --test-tags, default every test of the addon; given, the
# pytest-odoo pass is left out), LBE_PYTEST=0 (no pytest-odoo pass),
# LBE_KEEP_DB=1 (keep the database, e.g. for tools/pytest.sh), LBE_SKIP_LINT=1
# (tests only), LBE_PYTHON (the Python to use).
set -uo pipefail

source "$(dirname "$0")/common.sh"
trap lbe_cleanup EXIT
lbe_postgres

lint_failed=0
if [ "${LBE_SKIP_LINT:-0}" != 1 ]; then
    echo "== Lint: ruff"
    (cd "$addon_dir" && "$python" -m ruff check .) || lint_failed=1
    echo "== Lint: pylint-odoo mandatory checks"
    # pylint walks no linked folder but the one it is given, and skips .venv (no package).
    mkdir "$work/lint" && ln -s "$addon_dir" "$work/lint/left_behind_elderly"
    (cd "$work/lint" && "$python" -m pylint --rcfile="$addon_dir/.pylintrc" left_behind_elderly) \
        || lint_failed=1
fi
run_pytest=0
if [ -z "${LBE_TEST_TAGS:-}" ] && [ "${LBE_PYTEST:-1}" != 0 ]; then
    run_pytest=1
fi

db=${LBE_TEST_DB:-lbe_test_$$}
http_port=${LBE_HTTP_PORT:-$(lbe_free_port)}
log="$work/odoo.log"
dropdb --if-exists "$db" 2>/dev/null
echo "== Installing left_behind_elderly on a fresh database '$db' and running its tests"
"$python" -m odoo -d "$db" --db_host="$PGHOST" --db_port="$PGPORT" \
    --addons-path="$addons_path" -i left_behind_elderly \
    --test-enable --test-tags="${LBE_TEST_TAGS:-/left_behind_elderly}" \
    --http-port="$http_port" --stop-after-init --log-level=info \
    --max-cron-threads=0 2>&1 | tee "$log" \
    | grep -E " (ERROR|CRITICAL|WARNING) |^(FAIL|ERROR):|Traceback|tests when loading|Module left_behind_elderly loaded|odoo.tests.stats|: skipped "
odoo_rc=${PIPESTATUS[0]}

summary=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$log" | tail -n 1)
# After a failure, the whole logs: the lines shown above only start the tracebacks.
keep_logs() {
    local kept="${TMPDIR:-/tmp}/lbe_test_$db"
    cp "$log" "$kept.odoo.log" && echo "Odoo's log: $kept.odoo.log"
    if [ -f "$work/pytest.log" ]; then
        cp "$work/pytest.log" "$kept.pytest.log" && echo "pytest's log: $kept.pytest.log"
    fi
}
drop_db() {
    if [ "${LBE_KEEP_DB:-0}" = 1 ]; then
        echo "Kept the database '$db'."
    else
        dropdb --if-exists "$db" 2>/dev/null
    fi
}
if [ -z "$summary" ]; then
    drop_db
    keep_logs
    echo "The test run did not report a result (Odoo exit code $odoo_rc)."
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi
read -r failed errors total < <(echo "$summary" | sed -E 's/([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests/\1 \2 \3/')
bad=$((failed + errors))
# Odoo's runner logs "skipped TEST : REASON" for each skip. A test skipped while
# running is among the tests run; a class skipped in setUpClass is not.
skip_pattern=" INFO [^ ]+ [^ ]+: skipped "
skipped=$(grep -cE "$skip_pattern" "$log")
skipped_classes=$(grep -cE "$skip_pattern(setUpClass|setUpModule) " "$log")
passed=$((total - bad - skipped + skipped_classes))
# Any ERROR line fails the run, and so does a WARNING logged by this addon itself.
log_errors=$(grep -cE " (ERROR|CRITICAL) " "$log")
own_warnings=$(grep -cE " WARNING [^ ]+ odoo\.addons\.left_behind_elderly|left_behind_elderly demo data failed" "$log")
if [ "$log_errors" -gt 0 ] || [ "$own_warnings" -gt 0 ]; then
    echo "The log holds $log_errors ERROR line(s) and $own_warnings WARNING line(s) of the addon."
fi
echo "Odoo's runner: $passed passed, $bad failed, $skipped skipped"

pytest_rc=0
if [ "$run_pytest" = 1 ] && [ "$odoo_rc" -eq 0 ]; then
    echo "== The same tests under pytest-odoo, on '$db'"
    pytest_log="$work/pytest.log"
    LBE_PYTHON="$python" "$addon_dir/tools/pytest.sh" --odoo-database="$db" --odoo-http -rs \
        2>&1 | tee "$pytest_log" | grep -E "^(FAILED|ERROR|SKIPPED) |^=+ .* in [0-9.]+s"
    pytest_rc=${PIPESTATUS[0]}
    # pytest's closing line, e.g. "=== 2 failed, 300 passed, 1 skipped in 200.10s ===".
    closing=$(grep -E "^=+ .* in [0-9.]+s" "$pytest_log" | tail -n 1)
    count() { echo "$closing" | grep -oE "[0-9]+ $1" | grep -oE "^[0-9]+" || echo 0; }
    py_passed=$(count passed)
    py_bad=$(($(count failed) + $(count "errors?")))
    py_skipped=$(count skipped)
    if [ "$pytest_rc" -ne 0 ] && [ "$py_bad" -eq 0 ]; then
        py_bad=1  # pytest itself failed (collection, usage): count it as a failure
    fi
    echo "pytest-odoo: $py_passed passed, $py_bad failed, $py_skipped skipped"
    passed=$((passed + py_passed)) bad=$((bad + py_bad)) skipped=$((skipped + py_skipped))
fi
drop_db

skip_fails=0
if [ "$skipped" -gt 0 ] && [[ ${CI:-} =~ ^(true|1|yes)$ ]]; then
    echo "Under CI no test may be skipped: $skipped were (reasons above)."
    skip_fails=1
fi
if [ "$lint_failed" -ne 0 ]; then
    echo "Lint failed."
fi
failed_run=0
if [ "$bad" -gt 0 ] || [ "$total" -eq 0 ] || [ "$odoo_rc" -ne 0 ] || [ "$log_errors" -gt 0 ] \
    || [ "$own_warnings" -gt 0 ] || [ "$lint_failed" -ne 0 ] || [ "$skip_fails" -ne 0 ]; then
    failed_run=1
    keep_logs
fi
echo "$passed passed, $bad failed, $skipped skipped"
exit "$failed_run"
