#!/usr/bin/env bash
# Exports the addon's terms to i18n/left_behind_elderly.pot from a fresh install
# and merges them into i18n/zh_CN.po, keeping the translations it has. Lists
# what is left untranslated; tests/test_i18n.py fails while anything is.
set -euo pipefail
source "$(dirname "$0")/common.sh"
db=lbe_i18n_$$
trap 'dropdb --if-exists "$db" 2>/dev/null; lbe_cleanup' EXIT

"$python" -m odoo -d "$db" --addons-path="$addons_path" -i left_behind_elderly \
    --without-demo=all --stop-after-init --log-level=warn
"$python" -m odoo -d "$db" --addons-path="$addons_path" --modules=left_behind_elderly \
    --i18n-export="$addon_dir/i18n/left_behind_elderly.pot" --stop-after-init --log-level=warn
po="$addon_dir/i18n/zh_CN.po"
if [ -f "$po" ]; then
    msgmerge --quiet --no-fuzzy-matching --no-wrap --update --backup=none "$po" \
        "$addon_dir/i18n/left_behind_elderly.pot"
    msgattrib --no-obsolete --no-wrap -o "$po" "$po"
else
    msginit --no-translator --no-wrap --locale=zh_CN.UTF-8 \
        -i "$addon_dir/i18n/left_behind_elderly.pot" -o "$po"
fi
"$python" "$addon_dir/tools/annex1_field_labels.py" "$po"
echo "Untranslated in zh_CN.po: $(msgattrib --untranslated --no-wrap "$po" | grep -c '^msgid ' || true)"
