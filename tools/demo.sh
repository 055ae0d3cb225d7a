#!/usr/bin/env bash
# Creates a demo database (Guangdong's divisions, demo elders, one user of every
# tier, the company being 广东省民政厅) and serves it on http://localhost:8069.
# Rerunning it starts afresh.
# Environment: LBE_DEMO_DB (default lbe_demo), LBE_HTTP_PORT (default 8069),
# LBE_PYTHON (the Python to use); PGHOST/PGPORT (default localhost:5432; without a
# server there, a throwaway one serves the demo until it stops).
set -euo pipefail

source "$(dirname "$0")/common.sh"
trap lbe_cleanup EXIT
lbe_postgres

db=${LBE_DEMO_DB:-lbe_demo}
port=${LBE_HTTP_PORT:-8069}
dropdb --if-exists "$db"
echo "Creating the demo database '$db' (about a minute)…"
"$python" -m odoo -d "$db" --db_host="$PGHOST" --db_port="$PGPORT" --addons-path="$addons_path" \
    -i left_behind_elderly --load-language=zh_CN --stop-after-init --log-level=warn

cat <<USERS

Demo users (login = password), all in Chinese, of 广东省民政厅:
  admin        / admin         系统管理员（演示）: administrator, whole province
  lbe_village  / lbe_village   东华村委会 文书（演示）: village clerk, 白云区人和镇东华村委会
  lbe_village2 / lbe_village2  东湖村委会 文书（演示）: village clerk, 花都区花山镇东湖村委会
  lbe_township / lbe_township  人和镇民政办 干部（演示）: township officer, 白云区人和镇
  lbe_county   / lbe_county    白云区民政局 干部（演示）: county officer, 白云区
  lbe_city     / lbe_city      广州市民政局 干部（演示）: city officer (read only), 广州市
  lbe_province / lbe_province  广东省民政厅 干部（演示）: province officer (read only), 广东省
  lbe_manager  / lbe_manager   广东省民政厅 关爱服务管理员（演示）: manager (configuration, deletion), 广东省
  lbe_family   / lbe_family    张芳: supporter on the family portal (/my/elders), daughter of 张秀英

Serving http://localhost:$port (Ctrl-C stops it).
USERS
# Not exec'd: the addons path and a throwaway PostgreSQL live until the server stops.
"$python" -m odoo -d "$db" --db_host="$PGHOST" --db_port="$PGPORT" \
    --addons-path="$addons_path" --http-port="$port" --db-filter="^$db\$"
