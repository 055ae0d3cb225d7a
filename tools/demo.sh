#!/usr/bin/env bash
# Creates a demo database (Guangdong's divisions, demo elders, one user of every
# tier) and serves it on http://localhost:8069. Rerunning it starts afresh.
# Environment: LBE_DEMO_DB (default lbe_demo), LBE_HTTP_PORT (default 8069).
set -euo pipefail

source "$(dirname "$0")/common.sh"
trap 'rm -rf "$work"' EXIT

db=${LBE_DEMO_DB:-lbe_demo}
port=${LBE_HTTP_PORT:-8069}
export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432}
dropdb --if-exists "$db"
echo "Creating the demo database '$db' (about a minute)…"
python3 -m odoo -d "$db" --db_host="$PGHOST" --db_port="$PGPORT" --addons-path="$addons_path" \
    -i left_behind_elderly --load-language=zh_CN --stop-after-init --log-level=warn

cat <<USERS

Demo users (login = password), all in Chinese:
  admin        / admin         administrator, whole province
  lbe_village  / lbe_village   village clerk, 白云区人和镇东华村委会
  lbe_village2 / lbe_village2  village clerk, 花都区花山镇东湖村委会
  lbe_township / lbe_township  township officer, 白云区人和镇
  lbe_county   / lbe_county    county officer, 白云区
  lbe_city     / lbe_city      city officer (read only), 广州市
  lbe_province / lbe_province  province officer (read only), 广东省
  lbe_manager  / lbe_manager   manager (configuration, deletion), 广东省
  lbe_family   / lbe_family    supporter on the family portal (/my/elders): 张芳, daughter of 张秀英

Serving http://localhost:$port (Ctrl-C stops it).
USERS
exec python3 -m odoo -d "$db" --db_host="$PGHOST" --db_port="$PGPORT" \
    --addons-path="$addons_path" --http-port="$port" --db-filter="^$db\$"
