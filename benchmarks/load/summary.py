"""locust's --csv statistics as a table: requests per second, p50/p95/p99 and failures
per page, then every failure. Used by run.sh: summary.py PREFIX (PREFIX_stats.csv …)."""

import csv
import sys

prefix = sys.argv[1]
with open(f"{prefix}_stats.csv", newline="") as f:
    rows = list(csv.DictReader(f))
print("| page | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | failures |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
    name = "**all**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
    print(f"| {name} | {row['Request Count']} | {float(row['Requests/s']):.1f} "
          f"| {row['50%']} | {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} "
          f"| {row['Failure Count']} |")
with open(f"{prefix}_failures.csv", newline="") as f:
    failures = list(csv.DictReader(f))
for row in failures:
    print(f"failed {row['Occurrences']}×: {row['Method']} {row['Name']}: {row['Error']}")
if not failures:
    print("no failures")
