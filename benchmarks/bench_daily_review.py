"""Where the daily review's time goes on a big shop, and how fast a 1M-row GB18030 export loads.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_daily_review.py [--days N --items N]``).

1. Generates a 2-year, 2,000-item shop (``ecomops sample`` formats) into a temporary folder.
2. Times, in this process: kernel start, loading every export, computing the review.
3. Runs the real thing, ``ecomops run`` for the daily review, and splits its time with the
   executed notebook's own cell timings: kernel + setup, charts, HTML render.
4. Loads a 1,000,000-row GB18030 items export with title rows through ``ExportFolder`` and,
   side by side, with the named baseline: a bare ``pandas.read_csv`` of the same file (no
   kind detection, no parsing of 1,234 / 3.45 % / --, no validation).
Targets (issue 3): end to end under 15 s; the 1M-row load under 5 s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pandas as pd

from ecomops_helpers.daily import DailyThresholds, build_daily_review
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.runner import ensure_kernel, run_reports
from ecomops_helpers.sample import _write_csv, generate_shop, items_export, write_sample_shop

ROWS_1M = 1_000_000


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def kernel_start_seconds(kernel: str) -> float:
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name=kernel)
    kc.execute_interactive("import ecomops_helpers.daily, ecomops_helpers.plots", timeout=60)
    seconds = time.perf_counter() - start
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return seconds


def write_gb18030_items(path: Path, rows: int, days: int, items: int) -> None:
    shop = generate_shop(days=days, items=items, heroes=5)
    out = items_export(shop.items_daily.iloc[:rows])
    _write_csv(out, path, "gb18030", ["生意参谋 > 商品 > 商品效果", "统计时间：…", ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    kernel = ensure_kernel()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shop_dir = tmp / "shop"
        _, gen_s = timed(
            lambda: write_sample_shop(shop_dir, days=args.days, items=args.items, heroes=5)
        )
        n_rows = sum(len(ExportFolder(shop_dir).load(k)) for k in ("items_daily",))
        print(
            f"shop: {args.days} days × {args.items} items = {n_rows:,} item rows "
            f"(generated in {gen_s:.1f} s, not counted)\n"
        )

        k_s = kernel_start_seconds(kernel)
        folder, scan_s = timed(lambda: ExportFolder(shop_dir))
        _, load_s = timed(
            lambda: [
                folder.load(k, required=False)
                for k in ("shop_daily", "traffic_sources", "items_daily", "plan", "reviews")
            ]
        )
        _, compute_s = timed(lambda: build_daily_review(folder, "", DailyThresholds()))
        rows += [
            ("kernel start + imports (in-process probe)", k_s),
            ("find + sniff files", scan_s),
            ("load + validate exports", load_s),
            ("compute review (loaded data)", compute_s),
        ]

        result, run_s = timed(
            lambda: run_reports(
                shop_dir,
                f"{folder.load('shop_daily')['date'].max():%Y-%m-%d}",
                tmp / "reports",
                notebooks=["daily_review"],
                progress=lambda _: None,
            )
        )
        report = result.reports[0]
        nb = json.loads((result.folder / "daily_review.ipynb").read_text(encoding="utf-8"))
        cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
        durations = [c["metadata"].get("papermill", {}).get("duration") or 0 for c in cells]
        setup_cell = next(
            i for i, c in enumerate(cells) if "build_daily_review" in "".join(c["source"])
        )
        executed = nb["metadata"]["papermill"]["duration"]
        rows += [
            ("ecomops run: setup cell (imports, load, compute)", durations[setup_cell]),
            ("ecomops run: charts and tables", sum(durations[setup_cell + 1 :])),
            ("ecomops run: kernel start + other", executed - sum(durations)),
            ("ecomops run: HTML render + index + swap", run_s - executed),
            ("ecomops run: END TO END", run_s),
        ]

        big = tmp / "big"
        big.mkdir()
        _, write_s = timed(
            lambda: write_gb18030_items(big / "商品效果.csv", ROWS_1M, days=500, items=2000)
        )
        _, ours = timed(lambda: ExportFolder(big).load("items_daily"))
        _, base = timed(lambda: pd.read_csv(big / "商品效果.csv", encoding="gb18030", skiprows=3))

    print(f"{'phase':52s} {'seconds':>8s}")
    for name, s in rows:
        print(f"{name:52s} {s:8.2f}")
    print(
        f"\nreport status: {report.status}; target end to end < 15 s: "
        f"{'met' if run_s < 15 else 'NOT met'} ({run_s:.1f} s)\n"
    )
    print(f"{'1M-row GB18030 items export (title rows)':52s} {'seconds':>8s}")
    print(f"{'ecomops ExportFolder.load (detect, parse, validate)':52s} {ours:8.2f}")
    print(f"{'baseline: bare pandas.read_csv(encoding=gb18030)':52s} {base:8.2f}")
    print(
        f"ratio ecomops / baseline: {ours / base:.2f}×; target < 5 s: "
        f"{'met' if ours < 5 else 'NOT met'}  (file written in {write_s:.1f} s)"
    )


if __name__ == "__main__":
    main()
