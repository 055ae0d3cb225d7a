#!/usr/bin/env bash
# Runs the tests with pytest-odoo on a database where the addon is installed (the
# demo's, for instance): a fast loop without a fresh install.
#   tools/pytest.sh --odoo-database=lbe_demo --odoo-http [PYTEST ARGS] [tests/…]
# Without a path it runs tests/. HttpCase tests (tours, the HTTP suite) need
# --odoo-http. pytest-odoo imports a test as odoo.addons.<folder>.tests.<file>, so
# the paths given, tests/… of this checkout, are run from the addons path's
# left_behind_elderly, whatever this checkout's folder is called. Environment:
# PGHOST/PGPORT (default localhost:5432), LBE_PYTHON (the Python to use).
set -uo pipefail

source "$(dirname "$0")/common.sh"
trap lbe_cleanup EXIT
export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432}

addon_link="$work/addons/left_behind_elderly"
args=()
paths=0
for arg in "$@"; do
    # A path of this checkout, possibly with a node id (tests/test_elder.py::TestElder).
    path=${arg%%::*}
    if [[ $arg != -* && -e $path ]]; then
        target=$(realpath -- "$path")
        if [[ $target == "$addon_dir" || $target == "$addon_dir"/* ]]; then
            arg="$addon_link${target#"$addon_dir"}${arg#"$path"}"
            paths=1
        fi
    fi
    args+=("$arg")
done
if [ "$paths" = 0 ]; then
    args+=("$addon_link/tests")
fi
"$python" -m pytest --rootdir="$addon_link" -o cache_dir="$addon_dir/.pytest_cache" \
    --odoo-addons-path="$addons_path" --odoo-extra="db_host=$PGHOST" \
    --odoo-extra="db_port=$PGPORT" "${args[@]}"
