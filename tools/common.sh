# Sourced by the tools. Stops unless python3 can import Odoo 18.0, then makes an
# addons path in which this checkout is found as left_behind_elderly, whatever
# the checkout's folder is called. Sets addon_dir, work (a temporary folder the
# caller removes) and addons_path.
addon_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# OCA addons installed from PyPI (report_xlsx, auditlog) put a folder odoo/addons in
# site-packages; beside a strict editable install of Odoo (what `pip install -e` makes),
# Python then takes `odoo` for a namespace package and Odoo no longer imports. Putting
# the editable install's source on PYTHONPATH makes the real package win again.
if ! python3 -c "import sys, odoo; sys.exit(odoo.__file__ is None)" 2>/dev/null; then
    odoo_src=$(python3 -c "import importlib.metadata as m, json
print(json.loads(m.distribution('odoo').read_text('direct_url.json') or '{}').get('url', '').removeprefix('file://'))" 2>/dev/null || true)
    if [ -n "$odoo_src" ] && [ -f "$odoo_src/odoo/release.py" ]; then
        export PYTHONPATH="$odoo_src${PYTHONPATH:+:$PYTHONPATH}"
    fi
fi
if ! python3 -c "import odoo.release as r; assert r.version_info[0] == 18" 2>/dev/null; then
    echo "ERROR: python3 cannot import Odoo 18.0. Install Odoo 18.0 (its source tree and its" >&2
    echo "requirements.txt) so that 'python3 -c \"import odoo\"' works, then run this again." >&2
    exit 2
fi
work=$(mktemp -d)
mkdir "$work/addons"
ln -s "$addon_dir" "$work/addons/left_behind_elderly"
odoo_root=$(python3 -c "import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))")
addons_path="$work/addons"
if [ -d "$odoo_root/addons" ]; then
    addons_path="$odoo_root/addons,$addons_path"
fi
