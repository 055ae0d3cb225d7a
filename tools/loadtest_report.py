"""Markdown tables of tools/loadtest.sh's Locust runs.

    python3 tools/loadtest_report.py morning,50,1.35,/tmp/x/morning-50_stats.csv ...

Each argument is one run: its profile, its number of users, the machine's load
average (1 min) just before it, and Locust's --csv statistics file. Prints one row
per run (all requests), then one row per run and request type, with the request
counts, errors and p50/p95/p99. Locust's CSV rounds percentiles above 100 ms to
two significant digits.
"""

import csv
import sys

RUN_HEADER = (
    "| profile | users | load before | requests | req/s "
    "| p50 (ms) | p95 (ms) | p99 (ms) | errors |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)
TYPE_HEADER = (
    "| profile | users | request | requests | p50 (ms) | p95 (ms) | p99 (ms) | errors |\n"
    "|---|---:|---|---:|---:|---:|---:|---:|"
)


def runs(args):
    for arg in args:
        profile, users, load, path = arg.split(",", 3)
        with open(path, encoding="utf-8") as stats:
            rows = list(csv.DictReader(stats))
        yield profile, users, load, rows


def main():
    per_run, per_type = [RUN_HEADER], [TYPE_HEADER]
    for profile, users, load, rows in runs(sys.argv[1:]):
        for row in rows:
            counts = f"{int(row['Request Count']):,}"
            times = f"{row['50%']} | {row['95%']} | {row['99%']} | {row['Failure Count']}"
            if row["Name"] == "Aggregated":
                rate = float(row["Requests/s"])
                per_run.append(
                    f"| {profile} | {users} | {load} | {counts} | {rate:.1f} | {times} |"
                )
            else:
                per_type.append(f"| {profile} | {users} | {row['Name']} | {counts} | {times} |")
    print("\n".join(per_run))
    print()
    print("\n".join(per_type))


if __name__ == "__main__":
    main()
