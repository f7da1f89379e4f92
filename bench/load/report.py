"""Print the figures of a locust run: per step sustained req/s, p95, errors, slowest endpoints."""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def main(out: Path, steps: list[str]) -> None:
    for users in steps:
        rows = list(csv.DictReader(open(out / f"u{users}_stats.csv")))  # noqa: SIM115
        total = next(r for r in rows if r["Name"] == "Aggregated")
        print(
            f"{users:>3} users: {float(total['Requests/s']):6.1f} req/s  "
            f"p50 {total['50%']} ms  p95 {total['95%']} ms  "
            f"requests {total['Request Count']}  errors {total['Failure Count']}"
        )
        endpoints = sorted(
            (r for r in rows if r["Name"] != "Aggregated"),
            key=lambda r: float(r["95%"] or 0),
            reverse=True,
        )
        for r in endpoints:
            print(
                f"       {r['Type']:4} {r['Name']:24} n={r['Request Count']:>5}  "
                f"p50 {r['50%']:>5} ms  p95 {r['95%']:>5} ms  errors {r['Failure Count']}"
            )
        failures = out / f"u{users}_failures.csv"
        if failures.exists():
            for r in list(csv.DictReader(open(failures)))[:5]:  # noqa: SIM115
                print(
                    f"       failure: {r['Method']} {r['Name']}: {r['Error']} x{r['Occurrences']}"
                )


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
