#!/usr/bin/env bash
# Builds .venv in this checkout: a Python virtual environment with Odoo 18.0 and
# everything the addon and its tests need. Run it once; rerunning starts afresh.
#   usage: tools/setup.sh [SOURCE]
# SOURCE is an Odoo 18.0 source: a folder (installed in place, so keep it), an
# archive (.tar.gz, .tar.xz, .zip; unpacked into .venv/odoo-src) or an archive's
# URL; by default Odoo's official 18.0 source archive.
# Needs python3 3.10 to 3.12. On Debian or Ubuntu it installs, as root, the system
# packages that the build and the tests need (headers, PDF engine, browser, fonts).
set -euo pipefail

default_source=https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz
source=${1:-$default_source}
addon_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$addon_dir/.venv"

if ! python3 -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 12)' 2>/dev/null; then
    echo "ERROR: Odoo 18.0 needs python3 3.10 to 3.12; python3 is $(python3 -V 2>&1)." >&2
    exit 2
fi
case $source in
    http://* | https://*) ;;
    *)
        if [ ! -e "$source" ]; then
            echo "ERROR: $source is neither a folder, an archive nor a URL." >&2
            exit 2
        fi
        ;;
esac

# Headers of the packages that Odoo's pins build from source (psycopg2, python-ldap);
# the tests' PDF engine, PDF reader, CJK font and browser; PostgreSQL's client tools.
debian_packages=(python3-venv python3-dev build-essential libpq-dev libldap2-dev libsasl2-dev
    wkhtmltopdf poppler-utils fonts-noto-cjk chromium postgresql-client)
if command -v dpkg >/dev/null; then
    missing=()
    # Without a PostgreSQL server to use, the tools start a throwaway one of their own.
    if ! pg_isready -q -h "${PGHOST:-localhost}" -p "${PGPORT:-5432}" 2>/dev/null; then
        debian_packages+=(postgresql)
    fi
    for pkg in "${debian_packages[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "ERROR: missing system packages; as root run:" >&2
            echo "  apt-get install ${missing[*]}" >&2
            exit 2
        fi
        echo "== Installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
else
    echo "Not Debian or Ubuntu: install by hand the equivalents of ${debian_packages[*]}."
fi

rm -rf "$venv"
python3 -m venv "$venv"
py="$venv/bin/python"

case $source in
    http://* | https://*)
        echo "== Downloading $source"
        archive="$venv/odoo-src.archive"
        curl -fSL --retry 3 -o "$archive" "$source"
        ;;
    *)
        archive=""
        if [ -f "$source" ]; then archive=$(realpath "$source"); fi
        ;;
esac
if [ -n "$archive" ]; then
    echo "== Unpacking $archive into .venv/odoo-src"
    unpacked="$venv/odoo-src.unpacked"
    mkdir -p "$unpacked"
    case $archive in
        *.zip) "$py" -m zipfile -e "$archive" "$unpacked" ;;
        *) tar -xf "$archive" -C "$unpacked" ;;
    esac
    # An archive holds the source either at its top or in one folder (odoo-18.0.post…/).
    release=$(find "$unpacked" -maxdepth 3 -path '*/odoo/release.py' | head -n 1)
    if [ -z "$release" ]; then
        echo "ERROR: $source holds no Odoo source (odoo/release.py)." >&2
        exit 2
    fi
    mv "$(dirname "$(dirname "$release")")" "$venv/odoo-src"
    rm -rf "$unpacked" "$venv/odoo-src.archive"
    odoo_src="$venv/odoo-src"
else
    odoo_src=$(realpath "$source")
fi
if ! grep -q "version_info = (18, 0" "$odoo_src/odoo/release.py" 2>/dev/null; then
    echo "ERROR: $source holds no Odoo 18.0 source (odoo/release.py)." >&2
    exit 2
fi

echo "== Installing Odoo 18.0 from $odoo_src and its requirements into .venv (several minutes)"
# One of Odoo's pinned requirements needs setuptools < 81 to build. pip applies a
# constraint to its isolated build environments only through PIP_BUILD_CONSTRAINT
# (recent pip) or PIP_CONSTRAINT (older pip).
constraints="$venv/build-constraints.txt"
echo 'setuptools<81' >"$constraints"
export PIP_CONSTRAINT="$constraints" PIP_BUILD_CONSTRAINT="$constraints"
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$py" -m pip install -q --upgrade pip
"$py" -m pip install -q -r "$odoo_src/requirements.txt"
# Editable, so that pip knows the distribution `odoo` that the OCA addons require.
"$py" -m pip install -q -e "$odoo_src"
"$py" -m pip install -q -r "$addon_dir/tools/requirements-test.txt"
# The OCA addons land in site-packages/odoo/addons, which makes Python take `odoo` for
# a namespace package beside the editable install; the source on sys.path wins.
site_packages=$("$py" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "$odoo_src" >"$site_packages/odoo-source.pth"

"$py" -c "import odoo.release as r; print('Odoo', r.version, 'is ready in', r.__file__)"
echo "Done. tools/demo.sh and tools/test.sh use .venv while python3 has no Odoo (or when LBE_PYTHON=.venv/bin/python)."
