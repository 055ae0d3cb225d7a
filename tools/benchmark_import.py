"""Benchmark the ledger's Excel import against Odoo's standard import; prints a table.

    python3 tools/benchmark_import.py [--rows 10000 100000] [--db lbe_bench_import]
        [--batch 2000] [--base-format csv] [--importers wizard base_import] [--files DIR]

Not run by the tests: it takes minutes. In one run it
1. installs left_behind_elderly and base_import (no demo data) on a fresh template
   database, with a county user of 白云区 (440111) whose area is the county;
2. writes, for each size, the same synthetic elders twice: an XLSX file in the import
   template's format (for the wizard) and a file mapped to lbe.elder's fields (for
   base_import); valid, unique ID numbers over 白云区's real village codes;
3. for each size and each importer, on a fresh copy of the template database (so
   that the two imports never meet on an ID number), times each step as the county
   user, in a process of its own, one transaction per request as the web client
   sends them (the commit, and the flush before it, included), and reads the
   process's peak resident memory (VmHWM, reset when the step starts, after the
   registry is loaded):
   - the addon's wizard (lbe.elder.import): action_validate(), then action_import(),
     which checks the file again before writing;
   - base_import: the upload's preview and the "Test" dry run, then the import, in
     batches of --batch rows (2000 is the web client's default), each batch a request;
4. prints a Markdown table and the ratios.

base_import converts the whole rest of the file again for every batch, so its time
grows faster than the rows: at 100,000 rows, in the web client's batches, its test
step had not finished after 13 minutes on 2 cores. Measure a size alone with --rows,
an importer alone with --importers, or base_import in one request with --batch 0.

What base_import is given, and what it cannot do as the wizard does:
- columns named after the fields; selections as their keys (healthy, both_alive,
  01 ...), the village as its xml id (region_id/id = left_behind_elderly.region_<code>),
  the last visit home as two columns (year, month), incomes as 1/0, dates as
  YYYY-MM-DD text;
- children as one2many sub-rows (child_ids/name, child_ids/birth_date,
  child_ids/away_since), one line per child, named and dated as the wizard does
  (子女1, 子女2 ...; away since the registration date less the years away); the main
  supporter as guardian_ids/* with is_primary = 1, on the elder's first line;
- the elders come in as drafts: the area contract refuses a workflow state from a
  client, where the wizard registers them (the Register step: the definition and
  the one-record-per-person check); nor does base_import check the file as a whole
  first (duplicates within it, ID numbers already in another area), nor take the
  template's Chinese wording.
Needs Odoo 18.0 importable and PostgreSQL, like the tests.
"""

import argparse
import base64
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def _odoo_source_first():
    """As tools/common.sh does: OCA addons installed from PyPI make site-packages'
    odoo folder a namespace package that hides an editable install of Odoo; put the
    install's source first, for this process and the ones it starts."""
    import odoo

    if odoo.__file__ is not None:
        return
    try:
        direct_url = importlib.metadata.distribution("odoo").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        return
    source = json.loads(direct_url or "{}").get("url", "").removeprefix("file://")
    if source and (Path(source) / "odoo" / "release.py").is_file():
        sys.path.insert(0, source)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            filter(None, [source, os.environ.get("PYTHONPATH")])
        )
        for name in [name for name in sys.modules if name.split(".")[0] == "odoo"]:
            del sys.modules[name]


_odoo_source_first()
try:
    import odoo
    from odoo import api
except ImportError:
    sys.exit("This Python cannot import Odoo 18.0; see the README's Set-up (.venv/bin/python).")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark_import_rows import (  # noqa: E402
    ADDON_DIR,
    BASE_HEADERS,
    COUNTY,
    tiers,
    write_files,
)

USER_LOGIN = "bench_import_county"
CONTEXT = {"lang": "en_US", "tz": "Asia/Shanghai"}


# ----------------------------------------------------------------------
# The measured steps, each in a process of its own (--child)
# ----------------------------------------------------------------------
def vm_kib(key):
    found = re.search(rf"^{key}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    return int(found.group(1)) if found else 0


def reset_peak():
    """Reset VmHWM to the current RSS (Linux 4.0+); False where not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class Step:
    """Times a step and reads its memory: RSS before it and the peak during it."""

    def __enter__(self):
        self.rss_before = vm_kib("VmRSS")
        self.peak_reset = reset_peak()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.peak = vm_kib("VmHWM")

    def result(self, **values):
        return {
            "seconds": self.seconds,
            "rss_before_kib": self.rss_before,
            "peak_kib": self.peak,
            "peak_reset": self.peak_reset,
            **values,
        }


def base_options(batch, fmt):
    """The options the web client's import sends (its defaults)."""
    return {
        "advanced": True,
        "has_headers": True,
        "keep_matches": False,
        "limit": batch or None,
        "skip": 0,
        "sheets": [],
        "sheet": "",
        "tracking_disable": True,
        "encoding": "utf-8",
        "separator": "," if fmt == "csv" else "",
        "quoting": '"',
        "date_format": "%Y-%m-%d",
        "datetime_format": "",
        "float_thousand_separator": ",",
        "float_decimal_separator": ".",
        "fallback_values": {},
        "name_create_enabled_fields": {},
        "import_set_empty_fields": [],
        "import_skip_records": [],
    }


def run_base_batches(registry, uid, import_id, batch, fmt, dryrun):
    """execute_import as the web client calls it: one request (transaction) per
    batch, from the row the previous one stopped at. (ids, error messages)."""
    context = {**CONTEXT, "tracking_disable": True}
    options = base_options(batch, fmt)
    ids, messages = [], []
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, context)
            wizard = env["base_import.import"].browse(import_id)
            result = wizard.execute_import(BASE_HEADERS, BASE_HEADERS, dict(options), dryrun=dryrun)
        ids += result.get("ids") or []
        messages += [m for m in result.get("messages") or [] if m.get("type") == "error"]
        if messages or not result.get("nextrow"):
            return ids, messages
        options["skip"] = result["nextrow"]


def child(args):
    odoo.tools.config.parse_config(
        ["-d", args.db, f"--addons-path={args.addons_path}", "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        uid = env["res.users"].search([("login", "=", USER_LOGIN)]).id
        has_wizard = "lbe.elder.import" in env
    out = {}
    content = Path(args.file).read_bytes() if args.file else b""
    if args.child == "wizard_validate":
        if not has_wizard:
            out = {"missing": "lbe.elder.import is not in this database"}
        else:
            # The upload: a create request of its own, not timed.
            with registry.cursor() as cr:
                env = api.Environment(cr, uid, CONTEXT)
                wizard = env["lbe.elder.import"].create({"file": base64.b64encode(content)})
                out["wizard_id"] = wizard.id
            # The commit (and the flush before it) is part of the request.
            with Step() as step, registry.cursor() as cr:
                env = api.Environment(cr, uid, CONTEXT)
                wizard = env["lbe.elder.import"].browse(out["wizard_id"])
                wizard.action_validate()
                errors = wizard.error_count
            out.update(step.result(errors=errors))
    elif args.child == "wizard_import":
        with Step() as step, registry.cursor() as cr:
            env = api.Environment(cr, uid, CONTEXT)
            wizard = env["lbe.elder.import"].browse(args.wizard_id)
            wizard.action_import()
            counts = {
                key: wizard[f"{key}_count"] for key in ("created", "updated", "skipped", "error")
            }
        out.update(step.result(**counts))
    elif args.child == "base_validate":
        fmt = "csv" if args.file.endswith(".csv") else "xlsx"
        mimetype = {
            "csv": "text/csv",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[fmt]
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, CONTEXT)
            wizard = env["base_import.import"].create(
                {
                    "res_model": "lbe.elder",
                    "file": content,
                    "file_name": Path(args.file).name,
                    "file_type": mimetype,
                }
            )
            out["import_id"] = wizard.id
        with Step() as step:
            # The upload's preview reads the whole file, as the wizard's validation does.
            with registry.cursor() as cr:
                env = api.Environment(cr, uid, CONTEXT)
                preview = (
                    env["base_import.import"]
                    .browse(out["import_id"])
                    .parse_preview(base_options(args.batch, fmt))
                )
            if preview.get("error"):
                raise SystemExit(f"base_import cannot read the file: {preview['error']}")
            _ids, messages = run_base_batches(
                registry, uid, out["import_id"], args.batch, fmt, dryrun=True
            )
        out.update(step.result(errors=len(messages), first_errors=messages[:3]))
    elif args.child == "base_import":
        fmt = "csv" if args.file.endswith(".csv") else "xlsx"
        with Step() as step:
            ids, messages = run_base_batches(
                registry, uid, args.import_id, args.batch, fmt, dryrun=False
            )
        out.update(step.result(created=len(ids), errors=len(messages), first_errors=messages[:3]))
    elif args.child == "setup":
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["res.users"].create(
                {
                    "name": "bench import county",
                    "login": USER_LOGIN,
                    "tz": CONTEXT["tz"],
                    "groups_id": [(6, 0, env.ref(tiers.group_xmlid(tiers.COUNTY)).ids)],
                    "lbe_region_ids": [(6, 0, env.ref(f"left_behind_elderly.region_{COUNTY}").ids)],
                }
            )
    if args.child in ("wizard_import", "base_import"):
        with registry.cursor() as cr:
            cr.execute("SELECT state, count(*) FROM lbe_elder GROUP BY state")
            out["elders_in_db"] = dict(cr.fetchall())
    print("RESULT " + json.dumps(out, default=str), flush=True)


# ----------------------------------------------------------------------
# The run
# ----------------------------------------------------------------------
def addons_path(link_dir):
    link = Path(link_dir) / "left_behind_elderly"
    link.symlink_to(ADDON_DIR)
    odoo_root = Path(odoo.__file__).resolve().parent.parent
    paths = [str(odoo_root / "addons")] if (odoo_root / "addons").is_dir() else []
    return ",".join([*paths, link_dir])


def run_child(path, step, db, **options):
    cmd = [sys.executable, __file__, "--child", step, "--db", db, "--addons-path", path]
    for key, value in options.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    found = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not found:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"step {step} on {db} failed (exit code {proc.returncode})")
    return json.loads(found[-1].removeprefix("RESULT "))


def copy_database(template, db):
    drop_database(db)
    subprocess.run(["createdb", "-T", template, db], check=True)
    source = Path(odoo.tools.config.filestore(template))
    if source.is_dir():
        shutil.copytree(source, odoo.tools.config.filestore(db))


def drop_database(db):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    shutil.rmtree(odoo.tools.config.filestore(db), ignore_errors=True)


def measure_wizard(path, db, count, template, base, args):
    """(step, values) of the wizard's validation and import."""
    validate = run_child(path, "wizard_validate", db, file=template)
    if "missing" in validate:
        print(f"  wizard: {validate['missing']}; not measured", flush=True)
        return
    yield "validation", validate
    yield "import", run_child(path, "wizard_import", db, wizard_id=validate["wizard_id"])


def measure_base_import(path, db, count, template, base, args):
    """(step, values) of base_import's preview and test, then its import."""
    validate = run_child(path, "base_validate", db, file=base, batch=args.batch)
    yield "validation (preview + test)", validate
    yield (
        "import",
        run_child(
            path, "base_import", db, file=base, batch=args.batch, import_id=validate["import_id"]
        ),
    )


def outcome(values):
    """What a step did: errors found, elders written, elders in the database after."""
    found = {
        key: values[key]
        for key in ("errors", "created", "updated", "skipped", "error", "elders_in_db")
        if key in values
    }
    return json.dumps(found, ensure_ascii=False)


def summary(count, values):
    return (
        f"{values['seconds']:.1f} s, {count / values['seconds']:,.0f} rows/s, peak RSS "
        f"{mib(values['peak_kib'])} MiB; {outcome(values)}"
    )


def mib(kib):
    return f"{kib / 1024:,.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--db", default="lbe_bench_import", help="template database name")
    parser.add_argument(
        "--batch",
        type=int,
        default=2000,
        help="base_import rows per request (the web client's default; 0: one request)",
    )
    parser.add_argument(
        "--base-format",
        choices=("csv", "xlsx"),
        default="csv",
        help="base_import's file: base_import reads the whole file again for every "
        "batch, which makes a large XLSX very slow",
    )
    parser.add_argument(
        "--importers",
        nargs="+",
        choices=("wizard", "base_import"),
        default=["wizard", "base_import"],
    )
    parser.add_argument("--files", help="keep the generated files in this folder")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--addons-path", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--wizard-id", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--import-id", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        path = addons_path(tmp)
        odoo.tools.config.parse_config([f"--addons-path={path}"])
        folder = Path(args.files or tmp)
        folder.mkdir(parents=True, exist_ok=True)

        start = time.perf_counter()
        drop_database(args.db)
        cmd = [sys.executable, "-m", "odoo", "-d", args.db, f"--addons-path={path}"]
        cmd += ["--stop-after-init", "--log-level=warn", "--without-demo=all"]
        subprocess.run([*cmd, "-i", "left_behind_elderly,base_import"], check=True)
        run_child(path, "setup", args.db)
        print(f"Template database {args.db}: {time.perf_counter() - start:.0f} s", flush=True)

        results = []
        databases = [args.db]
        try:
            for count in args.rows:
                start = time.perf_counter()
                template, base, lines = write_files(count, folder, args.base_format, today)
                print(
                    f"{count:,} elders: {template.name} "
                    f"({template.stat().st_size / 2**20:.1f} MiB), {base.name} ({lines:,} "
                    f"lines, {base.stat().st_size / 2**20:.1f} MiB), written in "
                    f"{time.perf_counter() - start:.0f} s",
                    flush=True,
                )
                for importer in args.importers:
                    db = f"{args.db}_{count}_{importer}"
                    databases.append(db)
                    copy_database(args.db, db)
                    measure = measure_wizard if importer == "wizard" else measure_base_import
                    for step, values in measure(path, db, count, template, base, args):
                        results.append((count, importer, step, values))
                        print(f"  {importer}, {step}: {summary(count, values)}", flush=True)
                    if not args.keep:
                        drop_database(db)
        finally:
            if not args.keep:
                for db in databases:
                    drop_database(db)
    report(results, args)


def report(results, args):
    print(
        f"\nImport benchmark, {date.today()}: {os.cpu_count()} CPU(s), Python "
        f"{sys.version.split()[0]}, Odoo {odoo.release.version}; base_import: "
        f"{args.base_format.upper()}, batches of {args.batch or 'all'} rows; each step in "
        "a process of its own, peak RSS = that process's VmHWM during the step.\n"
    )
    print(
        "| rows | importer | step | seconds | rows/s | peak RSS (MiB) | RSS before (MiB) | result |"
    )
    print("|---:|---|---|---:|---:|---:|---:|---|")
    for count, importer, step, values in results:
        print(
            f"| {count:,} | {importer} | {step} | {values['seconds']:.1f} | "
            f"{count / values['seconds']:,.0f} | {mib(values['peak_kib'])} | "
            f"{mib(values['rss_before_kib'])} | {outcome(values)} |"
        )
    by_key = {
        (count, importer, step.split()[0]): values for count, importer, step, values in results
    }
    lines = []
    for count in args.rows:
        cells = []
        for step in ("validation", "import"):
            wizard = by_key.get((count, "wizard", step))
            base = by_key.get((count, "base_import", step))
            if wizard and base:
                cells.append(
                    f"{base['seconds'] / wizard['seconds']:.2f}× / "
                    f"{wizard['peak_kib'] / base['peak_kib']:.2f}×"
                )
            else:
                cells.append("–")
        lines.append(f"| {count:,} | {cells[0]} | {cells[1]} |")
    print(
        "\nRatios: time = base_import's seconds ÷ the wizard's (above 1: the wizard is "
        "faster); memory = the wizard's peak RSS ÷ base_import's.\n"
    )
    print("| rows | validation: time / memory | import: time / memory |")
    print("|---:|---|---|")
    print("\n".join(lines))
    for count, importer, step, values in results:
        if values.get("first_errors"):
            print(f"\n{count:,} {importer} {step}, first errors: {values['first_errors']}")


if __name__ == "__main__":
    os.environ.setdefault("PGHOST", "localhost")
    main()
