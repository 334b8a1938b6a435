"""A year of daily rival snapshots: 14 rivals × 357 days ≈ 5,000 店侦探 files in one folder.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_rival_snapshots.py [--shops 14
--days 365]``).

The folder: the sample shop's own exports, and beside them one 店侦探 snapshot per rival per
day (the layout :func:`~ecomops_helpers.rivals.sample.write_dianzhentan` writes for the sample:
the date only in the file name, the item id only inside 宝贝链接; GB18030, every third rival
UTF-8), ~100–200 listings each, some days missed as operators miss them; items get listed,
delisted, repriced, and sell. Timed with an empty parse cache each (the cold morning):

1. ``ecomops check --data DIR`` (what an operator runs first);
2. ``ExportFolder(DIR).load("competitor_listings")`` alone (find, inspect, read, validate, merge);
3. ``build_rival_review`` in this process (what the notebook's setup cell calls);
4. ``ecomops run --notebooks competitor_tracking`` end to end, empty cache then warm.

Target (issue: a year of daily snapshots): check and the report each under 60 s cold.
Exit status 1 when the report fails.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from run_timing import run_twice, timed

from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.exports.cache import ExportCache
from ecomops_helpers.paths import SAMPLE_DIR
from ecomops_helpers.rivals.review import build_rival_review
from ecomops_helpers.rivals.sample import write_dianzhentan
from ecomops_helpers.run.cli import main as cli_main

END = pd.Timestamp("2026-10-21")  # the sample shop's last day
TARGET_S = 60
NOUNS = "收纳箱 收纳盒 整理箱 储物箱 置物架 衣架 压缩袋 鞋盒 挂钩 抽屉柜 脏衣篮 米桶".split()
ADJ = "加厚 大号 透明 可折叠 带盖 多层 免安装 北欧风 日式 防尘 带轮 布艺 实木".split()


def write_snapshots(folder: Path, shops: int = 14, days: int = 365, seed: int = 5) -> list[Path]:
    """One 店侦探 snapshot per rival per day for ``days`` days to :data:`END`, some days missed."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(END - pd.Timedelta(days=days - 1), END, freq="D")
    written = []
    for s in range(shops):
        n = int(rng.integers(200, 300))  # the catalogue over the year; ~100–200 listed a day
        ids = np.array([f"67{s:02d}{i:06d}" for i in range(n)])
        titles = np.array(
            [
                f"{ADJ[(i + s) % len(ADJ)]} {NOUNS[(i * 5 + s) % len(NOUNS)]} "
                f"{ADJ[(i * 7 + 3) % len(ADJ)]} {i + 1}"
                for i in range(n)
            ]
        )
        listed = dates[0] - pd.to_timedelta(rng.integers(-days, 400, n), "D")
        gone = listed + pd.to_timedelta(rng.integers(120, 900, n), "D")  # delisted after
        price = rng.uniform(19, 199, n).round(1)
        sales = rng.integers(20, 900, n).astype(float)
        reviews = rng.integers(50, 3000, n)
        missed = set(rng.choice(days, max(1, days // 45), replace=False))
        for d, day in enumerate(dates):
            price = np.where(
                rng.random(n) < 0.01, (price * rng.uniform(0.7, 1.1, n)).round(1), price
            )
            sales = np.maximum(0, sales * rng.uniform(0.93, 1.08, n))
            reviews = reviews + rng.poisson(2, n)
            if d in missed:
                continue
            on = (listed <= day) & (gone > day) & (rng.random(n) > 0.01)
            t = pd.DataFrame(
                {
                    "shop": f"竞店{s:02d}号",
                    "title": titles[on],
                    "item_id": ids[on],
                    "price": price[on],
                    "sales": sales[on].round().astype(int),
                    "reviews": reviews[on],
                    "listed_on": listed[on],
                }
            )
            written.append(write_dianzhentan(t, folder, day, "utf-8" if s % 3 == 2 else "gb18030"))
    return written


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def check(folder: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli_main(["check", "--data", str(folder)])
    return status, out.getvalue()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--shops", type=int, default=14)
    p.add_argument("--days", type=int, default=365)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shop = Path(tmp) / "shop"
        shutil.copytree(SAMPLE_DIR, shop)
        files, write_s = timed(lambda: write_snapshots(shop, args.shops, args.days))
        mb = sum(f.stat().st_size for f in files) / 2**20
        print(
            f"{len(files):,} snapshot files ({args.shops} rivals × {args.days} days, {mb:.0f} MB) "
            f"beside the sample shop (written in {write_s:.1f} s, not counted)\n"
        )
        cache_dir = Path(tmp) / "cache"
        os.environ["ECOMOPS_CACHE_DIR"] = str(cache_dir / "check")  # the CLI's default cache
        (status, said), check_s = timed(lambda: check(shop))
        listed = next((ln for ln in said.splitlines() if "competitor_listings" in ln), "")
        rows, load_s = timed(
            lambda: ExportFolder(shop, cache=ExportCache(cache_dir / "load")).load(
                "competitor_listings"
            )
        )
        _, load_nocache_s = timed(
            lambda: ExportFolder(shop, cache=None).load("competitor_listings")
        )
        review, review_s = timed(
            lambda: build_rival_review(
                ExportFolder(shop, cache=ExportCache(cache_dir / "review")), "2026-10-21"
            )
        )
        inproc_gb = peak_gb()
        os.environ["ECOMOPS_CACHE_DIR"] = str(cache_dir / "run")  # kernels inherit it
        phases, runs = run_twice(
            shop, "2026-10-21", Path(tmp) / "reports", "competitor_tracking", "build_rival_review"
        )
        kernel_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    print(f"{'phase (empty parse cache unless said)':62s} {'seconds':>8s}")
    for name, s in (
        (f"ecomops check (exit {status})", check_s),
        ("ExportFolder(DIR).load('competitor_listings')", load_s),
        ("  the same without a cache (cache=None)", load_nocache_s),
        ("build_rival_review in process (load + review)", review_s),
    ):
        print(f"{name:62s} {s:8.2f}")
    print(f"\n{'the report end to end (ecomops run --notebooks competitor_tracking)':62s}")
    for name, s in phases:
        print(f"  {name:60s} {s:8.2f}")
    print(f"  {'peak memory: this process / a kernel (GB)':60s} {inproc_gb:4.2f} / {kernel_gb:.2f}")
    print(f"\ncheck said: {listed.strip()}")
    print(
        f"{len(rows):,} snapshot rows; {len(review.changes):,} changes on the report date, "
        f"{len(review.recent_changes):,} in the last 30 days."
    )
    print(
        f"check {check_s:.1f} s — target < {TARGET_S} s "
        f"{'met' if check_s < TARGET_S else 'NOT met'}"
    )
    first = runs["first run, empty cache"][1]
    print(
        f"report (first run, empty cache) {first:.1f} s — target < {TARGET_S} s "
        f"{'met' if first < TARGET_S else 'NOT met'}; in process {review_s:.1f} s "
        f"{'met' if review_s < TARGET_S else 'NOT met'}"
    )
    if status != 0:
        print(f"CHECK FAILED (exit {status}):\n{said}")
        sys.exit(1)


if __name__ == "__main__":
    main()
