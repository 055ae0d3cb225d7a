#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL, on this machine: a hot standby made
# with pg_basebackup -R, on its own port.
#
#   tools/replica.sh start   # copy the primary (PGHOST:PGPORT) and start the standby
#   tools/replica.sh status  # the primary's view of the standby (lag)
#   tools/replica.sh stop    # stop the standby and remove its files
#
# Environment: LBE_REPLICA_DIR (default /tmp/lbe_replica), LBE_REPLICA_PORT (5433).
# The primary must accept replication connections from 127.0.0.1: when its
# pg_hba.conf has no such line and this script may write it (root on a local
# cluster), it adds "host replication all 127.0.0.1/32 trust" and reloads.
# Then run Odoo with --db_replica_host=127.0.0.1 --db_replica_port=5433: Odoo 18
# serves read-only requests (routes declared readonly, call_kw on @api.readonly
# methods) on the replica. tools/replica_check.py proves it for the addon.
set -euo pipefail

primary_port=${PGPORT:-5432}
dir=${LBE_REPLICA_DIR:-/tmp/lbe_replica}
port=${LBE_REPLICA_PORT:-5433}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
primary="host=127.0.0.1 port=$primary_port dbname=postgres"
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

allow_replication() {
    if psql "$primary replication=true" -Atc "IDENTIFY_SYSTEM" >/dev/null 2>&1; then
        return
    fi
    hba=$(psql "$primary" -Atc "SHOW hba_file")
    if [ ! -w "$hba" ]; then
        echo "ERROR: the primary refuses replication connections; add to $hba:" >&2
        echo "  host replication all 127.0.0.1/32 trust" >&2
        exit 2
    fi
    echo "Adding 'host replication all 127.0.0.1/32 trust' to $hba and reloading."
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    psql "$primary" -qAtc "SELECT pg_reload_conf()" >/dev/null
    sleep 1
}

case "${1:-}" in
start)
    if [ -e "$dir" ]; then
        echo "ERROR: $dir exists; run '$0 stop' first." >&2
        exit 2
    fi
    allow_replication
    mkdir -p "$dir"
    chown postgres "$dir"
    chmod 700 "$dir"
    # -R writes primary_conninfo and standby.signal: the copy starts as a standby.
    as_postgres "$pg_bin/pg_basebackup" -d "$primary user=$(id -un)" -D "$dir/data" \
        -R -X stream -c fast
    # A standby needs at least the primary's limits for these.
    {
        echo "port = $port"
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$dir'"
        echo "hot_standby = on"
        echo "shared_buffers = 128MB"
        for setting in max_connections max_worker_processes max_wal_senders \
            max_prepared_transactions max_locks_per_transaction; do
            echo "$setting = $(psql "$primary" -Atc "SHOW $setting")"
        done
    } >"$dir/data/postgresql.conf"
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$dir/data/pg_hba.conf"
    : >"$dir/data/pg_ident.conf"
    chown postgres "$dir/data/postgresql.conf" "$dir/data/pg_hba.conf" "$dir/data/pg_ident.conf"
    as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/standby.log" -w start >/dev/null
    echo "Standby on 127.0.0.1:$port (in recovery: $(psql -h 127.0.0.1 -p "$port" -d postgres \
        -Atc 'SELECT pg_is_in_recovery()'))."
    ;;
status)
    psql "$primary" -c "SELECT application_name, state, sync_state, write_lag, replay_lag
                          FROM pg_stat_replication"
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    echo "Standby stopped and removed."
    ;;
*)
    echo "usage: $0 start|status|stop" >&2
    exit 2
    ;;
esac
