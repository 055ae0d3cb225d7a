# Sourced by the tools. Finds a Python that imports Odoo 18.0 and stops if there is
# none: LBE_PYTHON when set, else python3, else the .venv that tools/setup.sh builds.
# Then makes an addons path in which this checkout is found as left_behind_elderly,
# whatever the checkout's folder is called, without its hidden entries (.venv, .git).
# Sets addon_dir, python, work (a temporary folder that lbe_cleanup removes) and
# addons_path; lbe_postgres finds PostgreSQL.
addon_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

# Succeeds, setting python, when Python $1 imports Odoo 18.0. OCA addons installed from
# PyPI (report_xlsx, auditlog) put a folder odoo/addons in site-packages; beside a strict
# editable install of Odoo (what `pip install -e` makes), Python then takes `odoo` for a
# namespace package and Odoo no longer imports. Putting the editable install's source
# on PYTHONPATH makes the real package win again (tools/setup.sh's .venv needs no help).
lbe_use_python() {
    local py=$1 src="" check="import odoo.release as r; assert r.version_info[0] == 18"
    command -v "$py" >/dev/null || return 1
    if ! "$py" -c "import sys, odoo; sys.exit(odoo.__file__ is None)" 2>/dev/null; then
        src=$("$py" -c "import importlib.metadata as m, json
print(json.loads(m.distribution('odoo').read_text('direct_url.json') or '{}').get('url', '').removeprefix('file://'))" 2>/dev/null || true)
        [ -n "$src" ] && [ -f "$src/odoo/release.py" ] || return 1
        PYTHONPATH="$src${PYTHONPATH:+:$PYTHONPATH}" "$py" -c "$check" 2>/dev/null || return 1
        export PYTHONPATH="$src${PYTHONPATH:+:$PYTHONPATH}"
    fi
    "$py" -c "$check" 2>/dev/null || return 1
    python=$(command -v "$py")
    # The tools run it from other folders: a relative path is made absolute, but a
    # virtual environment's python is not resolved (its symlink leads out of it).
    if [[ $python == */* && $python != /* ]]; then
        python="$(cd "$(dirname "$python")" && pwd)/$(basename "$python")"
    fi
}
if [ -n "${LBE_PYTHON:-}" ]; then
    if ! lbe_use_python "$LBE_PYTHON"; then
        echo "ERROR: LBE_PYTHON=$LBE_PYTHON cannot import Odoo 18.0." >&2
        exit 2
    fi
elif ! lbe_use_python python3 && ! lbe_use_python "$addon_dir/.venv/bin/python"; then
    echo "ERROR: neither python3 nor this checkout's .venv can import Odoo 18.0." >&2
    echo "Run tools/setup.sh once (see README, Set-up), then run this again." >&2
    exit 2
fi
echo "Odoo 18.0 of $python"

work=$(mktemp -d)
mkdir -p "$work/addons/left_behind_elderly"
# Links to the checkout's entries but the hidden ones: Odoo reads every file under an
# addon's folder when it collects its terms, and .venv holds a whole Python (and Odoo).
ln -s "$addon_dir"/* "$work/addons/left_behind_elderly/"
odoo_root=$("$python" -c "import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))")
addons_path="$work/addons"
if [ -d "$odoo_root/addons" ]; then
    addons_path="$odoo_root/addons,$addons_path"
fi

# Uses the PostgreSQL on PGHOST:PGPORT (default localhost:5432); without one, starts a
# throwaway cluster in $work, which lbe_cleanup stops.
pg_data=""
lbe_postgres() {
    export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432}
    pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null && return 0
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
}

# Prints a TCP port free at this moment, for an Odoo that must not take the demo's
# 8069 (tools/demo.sh may be serving beside the tests).
lbe_free_port() {
    "$python" -c "import socket
with socket.socket() as s:
    s.bind(('', 0))
    print(s.getsockname()[1])"
}

lbe_cleanup() {
    if [ -n "$pg_data" ]; then
        runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1
    fi
    rm -rf "$work"
}
