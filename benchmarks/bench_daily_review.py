"""Where the daily review's time goes on a big shop, and how fast a 1M-row GB18030 export loads.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_daily_review.py [--days N --items N]``).

1. Generates a 2-year, 2,000-item shop (``ecomops sample`` formats) into a temporary folder.
2. Times, in this process: kernel start, loading every export, computing the review.
3. Runs the real thing, ``ecomops run`` for the daily review, twice: with an empty parse
   cache (the first morning) and with the cache the first run left (every morning after),
   and splits each with the executed notebook's own cell timings.
4. Loads a 1,000,000-row GB18030 items export with title rows through ``ExportFolder`` and,
   side by side, with the named baseline: a bare ``pandas.read_csv`` of the same file (no
   kind detection, no parsing of 1,234 / 3.45 % / --, no validation).
Targets (issue 3): end to end under 15 s; the 1M-row load under 5 s.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd
from run_timing import run_twice, timed

from ecomops_helpers.daily.review import DailyThresholds, build_daily_review
from ecomops_helpers.daily.sample import items_export
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.run.runner import ensure_kernel
from ecomops_helpers.sample import generate_shop, write_sample_shop
from ecomops_helpers.sample_files import write_csv

ROWS_1M = 1_000_000


def kernel_start_seconds(kernel: str) -> float:
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name=kernel)
    kc.execute_interactive(
        "import ecomops_helpers.daily.review, ecomops_helpers.page.plots", timeout=60
    )
    seconds = time.perf_counter() - start
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return seconds


def write_gb18030_items(path: Path, rows: int, days: int, items: int) -> None:
    shop = generate_shop(days=days, items=items, heroes=5)
    out = items_export(shop.items_daily.iloc[:rows])
    write_csv(out, path, "gb18030", ["生意参谋 > 商品 > 商品效果", "统计时间：…", ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    kernel = ensure_kernel()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["ECOMOPS_CACHE_DIR"] = str(tmp / "cache")  # starts empty; kernels inherit it
        shop_dir = tmp / "shop"
        _, gen_s = timed(
            lambda: write_sample_shop(shop_dir, days=args.days, items=args.items, heroes=5)
        )

        k_s = kernel_start_seconds(kernel)
        folder, scan_s = timed(lambda: ExportFolder(shop_dir, cache=None))
        _, load_s = timed(
            lambda: [
                folder.load(k, required=False)
                for k in ("shop_daily", "traffic_sources", "items_daily", "plan", "reviews")
            ]
        )
        _, compute_s = timed(lambda: build_daily_review(folder, "", DailyThresholds()))
        n_rows = len(folder.load("items_daily"))
        print(
            f"shop: {args.days} days × {args.items} items = {n_rows:,} item rows "
            f"(generated in {gen_s:.1f} s, not counted)\n"
        )
        rows += [
            ("in-process: kernel start + imports", k_s),
            ("in-process: find + sniff files (no cache)", scan_s),
            ("in-process: load + validate exports (no cache)", load_s),
            ("in-process: compute review (loaded data)", compute_s),
        ]
        date = f"{folder.load('shop_daily')['date'].max():%Y-%m-%d}"
        phases, runs = run_twice(
            shop_dir, date, tmp / "reports", "daily_review", "build_daily_review"
        )
        rows += phases

        big = tmp / "big"
        big.mkdir()
        _, write_s = timed(
            lambda: write_gb18030_items(big / "商品效果.csv", ROWS_1M, days=500, items=2000)
        )
        _, ours = timed(lambda: ExportFolder(big, cache=None).load("items_daily"))
        _, base = timed(lambda: pd.read_csv(big / "商品效果.csv", encoding="gb18030", skiprows=3))

    print(f"{'phase':60s} {'seconds':>8s}")
    for name, s in rows:
        print(f"{name:60s} {s:8.2f}")
    print()
    for label, (status, run_s) in runs.items():
        print(
            f"{label}: report {status}, end to end {run_s:.1f} s — target < 15 s "
            f"{'met' if run_s < 15 else 'NOT met'}"
        )
    print(f"\n{'1M-row GB18030 items export (title rows), no cache':60s} {'seconds':>8s}")
    print(f"{'ecomops ExportFolder.load (detect, parse, validate)':60s} {ours:8.2f}")
    print(f"{'baseline: bare pandas.read_csv(encoding=gb18030)':60s} {base:8.2f}")
    print(
        f"ratio ecomops / baseline: {ours / base:.2f}×; target < 5 s: "
        f"{'met' if ours < 5 else 'NOT met'}  (file written in {write_s:.1f} s)"
    )


if __name__ == "__main__":
    main()
