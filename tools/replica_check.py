"""Prove that the addon's read paths run on a streaming replica, and its writes on the primary.

    python3 tools/replica_check.py [--db lbe_replica] [--port 8069]

One command, not run by CI (it needs a second PostgreSQL cluster):
1. installs the addon with its demo data (a user of every tier, elders, summaries)
   on a fresh database;
2. starts a hot standby of the local cluster (tools/replica.sh start) and Odoo
   with --db_replica_host/--db_replica_port pointing at it;
3. logs in over HTTP as each tier and calls every read path of the addon the web
   client calls: lists, groupings, forms, counts, name searches of every model
   the tier reads, the supervision view, the summaries, Annex 1 (PDF), Annex 2
   (PDF and XLSX), the ledger XLSX, the list export;
4. reads, for each request, the cursor mode Odoo logs with it (`ro`: served by the
   replica; `rw`: by the primary; `ro->rw`: begun on the replica, which refused a
   write, then run again on the primary) and the warnings of such retries, and
   counts the transactions of the database on each cluster (pg_stat_database);
5. records visits as a village clerk (writes: primary) and reads the elder's
   visits at once through the replica: read-your-writes, and the replay lag;
6. prints a table, stops Odoo and the standby, drops the database.
Exit status 0 when every read path ran where expected and nothing failed.
"""

import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests

TOOLS = Path(__file__).resolve().parent
ADDON_DIR = TOOLS.parent
sys.path.insert(0, str(TOOLS))
from addon import tiers  # noqa: E402

REPLICA_PORT = os.environ.get("LBE_REPLICA_PORT", "5433")
LOG_LINE = re.compile(r'"(?:GET|POST) (\S+) HTTP/[\d.]+" (\d+) (.*)$')
MODES = ("ro", "rw", "ro->rw")
# The order in which the requests were sent, across the clients.
SEQUENCE = itertools.count()
# What every tier reads, by model: (list fields, group-by field or None).
READ_MODELS = {
    "lbe.elder": ({"name": {}, "region_id": {"fields": {"display_name": {}}}}, "township_id"),
    "lbe.visit": ({"visit_date": {}, "state": {}}, "state"),
    "lbe.visit.followup": ({"display_name": {}}, None),
    "lbe.elder.child": ({"name": {}}, None),
    "lbe.guardian": ({"name": {}}, None),
    "lbe.care.agreement": ({"display_name": {}, "state": {}}, "state"),
    "lbe.volunteer": ({"name": {}}, None),
    "lbe.volunteer.pairing": ({"display_name": {}}, None),
    "lbe.service.record": ({"date": {}}, "service_type_id"),
    "lbe.facility": ({"name": {}, "state": {}}, "state"),
    "lbe.supervision": ({"elder_count": {}, "overdue_count": {}}, "township_id"),
    "lbe.summary": ({"name": {}, "state": {}}, "state"),
    "lbe.summary.line": ({"total_count": {}}, None),
    "lbe.region": ({"complete_name": {}}, "level"),
}
TIERS = ["lbe_village", "lbe_township", "lbe_county", "lbe_city", "lbe_province", "lbe_manager"]
LEDGER_TIERS = {"lbe_village", "lbe_township", "lbe_county", "lbe_manager"}


class NoAccess(Exception):
    """The tier may not read the model: not one of its read paths."""


class Client:
    def __init__(self, base, db, login):
        self.base, self.session, self.login = base, requests.Session(), login
        self.requests = []  # (sequence, path, expected mode, label)
        self.errors = []
        # Logging in writes (the login date), as Odoo decides: not checked.
        self.rpc(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": login},
            expect=None,
            label="login",
        )

    def rpc(self, path, params, expect, label):
        self.requests.append((next(SEQUENCE), path, expect, f"{self.login}: {label}"))
        answer = self.session.post(
            self.base + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=120,
        ).json()
        if "error" in answer:
            error = answer["error"]["data"]
            kind = NoAccess if error["name"] == "odoo.exceptions.AccessError" else RuntimeError
            raise kind(f"{label}: {error['message']}")
        return answer["result"]

    def call(self, model, method, *args, expect="ro", **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            expect,
            f"{model}.{method}",
        )

    def get(self, path, expect, label):
        self.requests.append((next(SEQUENCE), path, expect, f"{self.login}: {label}"))
        response = self.session.get(self.base + path, timeout=300)
        if response.status_code != 200 or response.headers["Content-Type"].startswith("text/html"):
            # Counted as a failure of the path (its log line says how it was served).
            self.errors.append(f"{label}: HTTP {response.status_code} {response.text[-200:]}")
        return response


def xacts(port, db):
    out = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-d",
            "postgres",
            "-Atc",
            f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{db}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return int(out or 0)


def read_paths(client):
    """Every read path of the addon the client's tier has."""
    for model, (spec, group) in READ_MODELS.items():
        try:
            page = client.call(model, "web_search_read", specification=spec, domain=[], limit=80)
        except NoAccess:
            client.requests[-1] = (*client.requests[-1][:3], f"{client.login}: (no access)")
            continue
        client.call(model, "search_count", [])
        client.call(model, "name_search", name="", limit=8)
        if group:
            client.call(model, "web_read_group", [], ["__count"], [group])
        if page["records"]:
            client.call(model, "web_read", [page["records"][0]["id"]], specification=spec)
    elders = client.call("lbe.elder", "search", [("state", "=", "active")], limit=3)
    try:
        summaries = client.call("lbe.summary", "search", [], limit=1)
    except NoAccess:
        summaries = []
    if elders and client.login in LEDGER_TIERS:
        # The Annex 1 print is written to the audit log (PIPL): served by the
        # primary (controllers/report.py).
        client.get(
            f"/report/pdf/left_behind_elderly.report_lbe_elder_annex1/{elders[0]}",
            "rw",
            "Annex 1 PDF (audit log)",
        )
    if summaries:
        client.get(
            f"/report/pdf/left_behind_elderly.report_lbe_summary_annex2/{summaries[0]}",
            "ro",
            "Annex 2 PDF",
        )
        client.get(
            f"/report/xlsx/left_behind_elderly.report_lbe_summary_annex2_xlsx/{summaries[0]}",
            "ro",
            "Annex 2 XLSX",
        )
    if client.login in ("lbe_county", "lbe_city", "lbe_province", "lbe_manager") and elders:
        # What Odoo's export route calls: read/write, and the export is logged.
        try:
            client.call("lbe.elder", "export_data", elders, ["name", "region_id"], expect="rw")
        except RuntimeError:  # Odoo's export right (base.group_allow_export)
            client.requests[-1] = (*client.requests[-1][:3], f"{client.login}: (no access)")
    if client.login in ("lbe_county", "lbe_manager"):
        wizard = client.call(
            "lbe.ledger.export", "web_save", [], {}, specification={}, expect="rw"
        )[0]["id"]
        client.get(
            f"/report/xlsx/left_behind_elderly.report_lbe_ledger_xlsx/{wizard}",
            "rw",
            "ledger XLSX (audit log)",
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="lbe_replica")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--visits", type=int, default=20)
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    work = Path(tempfile.mkdtemp())
    (work / "addons").mkdir()
    (work / "addons" / "left_behind_elderly").symlink_to(ADDON_DIR)
    import odoo

    odoo_root = Path(odoo.__file__).resolve().parent.parent
    addons = f"{odoo_root / 'addons'},{work / 'addons'}"
    odoo_cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-d",
        args.db,
        f"--addons-path={addons}",
        "--db_host=127.0.0.1",
    ]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "--if-exists", args.db], check=True)
    print("== Installing the addon with its demo data")
    subprocess.run(
        [*odoo_cmd, "-i", "left_behind_elderly", "--stop-after-init", "--log-level=warn"],
        check=True,
    )
    subprocess.run(["bash", TOOLS / "replica.sh", "start"], check=True)
    log = work / "odoo.log"
    server = subprocess.Popen(
        [
            *odoo_cmd,
            "--db_replica_host=127.0.0.1",
            f"--db_replica_port={REPLICA_PORT}",
            "--http-interface=127.0.0.1",
            f"--http-port={args.port}",
            "--max-cron-threads=0",
            f"--db-filter=^{args.db}$",
            "--log-level=info",
            f"--logfile={log}",
        ]
    )
    failures = []
    try:
        for _ in range(60):
            try:
                requests.get(base + "/web/login", timeout=60)
                break
            except requests.RequestException:
                time.sleep(1)
        # Compute the demo county summaries (a write), so that they have lines.
        county = Client(base, args.db, "lbe_county")
        for summary in county.call(
            "lbe.summary", "search", [("level", "=", tiers.COUNTY), ("state", "=", "draft")]
        ):
            county.call("lbe.summary", "action_compute", [summary], expect="rw")
        time.sleep(2)
        before = xacts(5432, args.db), xacts(REPLICA_PORT, args.db)
        clients = [Client(base, args.db, login) for login in TIERS]
        for client in clients:
            read_paths(client)
        time.sleep(2)
        after = xacts(5432, args.db), xacts(REPLICA_PORT, args.db)

        # Writes, and what the clerk sees right after saving.
        clerk = Client(base, args.db, "lbe_village")
        elder = clerk.call("lbe.elder", "search", [("state", "=", "active")], limit=1)[0]
        missing = 0
        for _ in range(args.visits):
            visit = clerk.call(
                "lbe.visit",
                "web_save",
                [],
                {"elder_id": elder, "visit_date": date.today().isoformat(), "method": "phone"},
                specification={"state": {}},
                expect="rw",
            )[0]["id"]
            seen = clerk.call("lbe.visit", "search", [("elder_id", "=", elder)])
            missing += visit not in seen
        lag = subprocess.run(
            ["bash", TOOLS / "replica.sh", "status"], capture_output=True, text=True, check=True
        ).stdout
    finally:
        server.terminate()
        server.wait()
        subprocess.run(["bash", TOOLS / "replica.sh", "stop"], check=False)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "--if-exists", args.db], check=False)

    lines = [
        (m[1].split("?")[0], m[2], m[3].split()[-1] if m[3].split()[-1] in MODES else "-")
        for m in map(LOG_LINE.search, log.read_text().splitlines())
        if m
    ]
    retries = log.read_text().count("retrying with a read/write cursor")
    sent = sorted(r for c in [county, *clients, clerk] for r in c.requests)
    # Requests were sent one at a time: the log lists them in the same order.
    position, rows = 0, {}
    for _sequence, path, expect, label in sent:
        found = next(
            (n for n in range(position, len(lines)) if lines[n][0] == path.split("?")[0]), None
        )
        status, mode = ("not logged", "?") if found is None else lines[found][1:]
        position = position if found is None else found + 1
        key = (label.split(": ", 1)[1], expect, mode)
        rows[key] = rows.get(key, 0) + 1
        if (expect and mode != expect) or status != "200":
            failures.append(f"{label} {path}: served {mode} (HTTP {status}), expected {expect}")
    print("\n| request | expected | served | requests |\n|---|---|---|---:|")
    for (label, expect, mode), count in sorted(rows.items()):
        print(f"| {label} | {expect or 'any'} | {mode} | {count} |")
    print(
        f"\nRead phase, transactions of '{args.db}': primary +{after[0] - before[0]}, "
        f"replica +{after[1] - before[1]}."
    )
    print(
        f"Retries on the primary after a refused write ('ro->rw'): {retries} "
        f"(none expected: the audited reports are served by the primary)."
    )
    print(
        f"Read-your-writes: {args.visits} visits saved on the primary; the visits list read "
        f"at once from the replica missed the new visit {missing} time(s)."
    )
    print(f"Replication at the end:\n{lag}")
    failures += [error for c in [county, *clients, clerk] for error in c.errors]
    for failure in failures:
        print("FAIL:", failure)
    print("replica check:", "FAILED" if failures else "passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
