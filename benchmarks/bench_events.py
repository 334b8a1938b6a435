"""Funnel and activity on a 100 M-event behaviour log read from a history store's Parquet.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_events.py [--events N]``).

The log (30 days, 2 M users, in the UserBehavior proportions) is generated once into a store
outside the repository (``big_shop.py``). Each measurement runs in a fresh process, so its
peak memory is its own:

* ecomops: ``segments.funnel`` overall and per category, and ``segments.activity``, on the
  store's Parquet glob, exactly as the customer review calls them;
* baseline, side by side: DuckDB reading the same columns of the same files with nothing
  grouped (the I/O floor any engine pays).

Target (issue 18): under 60 s and under 6 GB. Exits 1 when a
measurement fails; a missed target is printed (NOT met) and the next benchmark runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent


def _child(kind: str, glob: str, report: str) -> None:
    import duckdb

    from ecomops_helpers.customers import segments

    start = time.perf_counter()
    if kind == "ecomops":
        overall, stage = segments.funnel(glob, report)
        by_cat, _ = segments.funnel(glob, report, by="category_id")
        purchases = pd.DataFrame(
            {"customer_id": pd.Series(dtype="string"), "date": pd.Series(dtype="datetime64[us]")}
        )
        act = segments.activity(purchases, glob, report)
        said = {
            "users": int(overall.loc["all", "browse"]),
            "buyers": int(overall.loc["all", "buy"]),
            "categories": len(by_cat),
            "high_frequency": int((act["activity"] == "high_frequency").sum()),
        }
    else:
        with duckdb.connect() as con:
            row = con.execute(
                "select count(*), min(user_id), min(behavior), min(ts), min(category_id) "
                "from read_parquet(?)",
                [glob],
            ).fetchone()
        said = {"rows": int(row[0])}
    print(json.dumps({"seconds": time.perf_counter() - start, **said}))


def _measure(kind: str, glob: str, report: str) -> tuple[dict, float]:
    """Run one measurement in a fresh process: its result and its peak memory (GB)."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, glob, report],
        stdout=subprocess.PIPE,
        text=True,
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        print(f"REPORT FAILED: {kind} measurement exited {status >> 8}")
        sys.exit(1)
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000_000)
    parser.add_argument("--users", type=int, default=2_000_000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    sys.path.insert(0, str(HERE))
    from big_shop import END, events_store

    from ecomops_helpers.store import ExportStore

    store = ExportStore(events_store(args.events, args.users))
    glob = store.parquet_glob("events")
    size = sum(p.stat().st_size for p in store.parts("events")) / 1e9
    report = f"{END:%Y-%m-%d}"
    base, base_gb = _measure("baseline", glob, report)
    ours, ours_gb = _measure("ecomops", glob, report)
    print(
        f"\nbehaviour log: {base['rows']:,} events, {ours['users']:,} users, 30 days, "
        f"{len(store.parts('events'))} Parquet files, {size:.2f} GB\n"
    )
    print(f"{'measurement':62s} {'seconds':>8s} {'peak GB':>8s}")
    print(
        f"{'ecomops: funnel + funnel by category + activity':62s} "
        f"{ours['seconds']:8.2f} {ours_gb:8.2f}"
    )
    print(
        f"{'baseline: DuckDB scan of the same columns, nothing grouped':62s} "
        f"{base['seconds']:8.2f} {base_gb:8.2f}"
    )
    ratio = ours["seconds"] / base["seconds"]
    met = ours["seconds"] < 60 and ours_gb < 6
    print(
        f"ratio ecomops / baseline: {ratio:.1f}×; {ours['buyers']:,} buyers, "
        f"{ours['high_frequency']:,} high-frequency users, {ours['categories']} categories\n"
        f"target < 60 s and < 6 GB: {'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
