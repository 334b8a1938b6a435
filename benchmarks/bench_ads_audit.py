"""Where the paid-ads audit's time goes on 200,000 keyword-day rows, against a bare baseline.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_ads_audit.py [--keywords N --days N]``).

1. Writes a 直通车 keyword report by day (GB18030, title rows, 合计 row): 6,667 keywords in
   40 campaigns × 30 days = 200,010 rows, into a temporary folder (not counted).
2. Times, in this process: finding and sniffing the file, loading and validating it, the
   audit (every keyword's action, shrinkage, waste, campaigns, trends), the report's tables
   and the bulk-upload file.
3. Runs the real thing, ``ecomops run`` for the paid-ads audit, twice: with an empty parse
   cache and with the cache the first run left, split with the executed notebook's own
   cell timings.
4. Side by side, the named baseline: a bare ``pandas.read_csv`` of the same file and a
   ``groupby().sum()`` per keyword with ratios (no kind detection, no parsing of 1,234 /
   3.45 % / --, no validation, no rules).
Target (issue 9): end to end under 10 s.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from run_timing import run_twice, timed

from ecomops_helpers.ads import review as ads_review
from ecomops_helpers.ads.audit import AdThresholds
from ecomops_helpers.ads.sample import _ztc_file
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.page.i18n import Messages
from ecomops_helpers.run.runner import ensure_kernel


def keyword_days(keywords: int, days: int, seed: int = 9) -> pd.DataFrame:
    """Canonical keyword-day rows: campaigns of varied quality, keywords of varied luck."""
    rng = np.random.default_rng(seed)
    end = pd.Timestamp("2026-10-21")
    dates = pd.date_range(end - pd.Timedelta(days=days - 1), end, freq="D")
    k = np.arange(keywords)
    n = keywords * days
    impr = rng.poisson(np.repeat(rng.lognormal(5.5, 1.0, keywords), days))
    ctr = np.repeat(rng.uniform(0.01, 0.07, keywords), days)
    clicks = rng.binomial(impr, ctr)
    cvr = np.repeat(rng.uniform(0.0, 0.08, keywords), days)
    orders = rng.binomial(clicks, cvr)
    cpc = np.repeat(rng.uniform(0.4, 2.0, keywords), days)
    return pd.DataFrame(
        {
            "date": np.tile(dates, keywords),
            "plan": np.repeat([f"计划{i % 40:02d}" for i in k], days),
            "unit": np.repeat([f"单元{i % 400:03d}" for i in k], days),
            "keyword": np.repeat([f"收纳 关键词{i:05d}" for i in k], days),
            "bid": np.repeat(rng.uniform(0.5, 2.5, keywords).round(2), days),
            "quality": np.repeat(rng.integers(3, 11, keywords), days),
            "impressions": impr,
            "clicks": clicks,
            "cost": (clicks * cpc * rng.uniform(0.9, 1.1, n)).round(2),
            "rank": np.repeat(rng.uniform(1, 15, keywords), days).round(1),
            "orders": orders,
            "gmv": (orders * rng.uniform(60, 160, n)).round(2),
            "favs": rng.binomial(clicks, 0.05),
            "carts": rng.binomial(clicks, 0.09),
        }
    )


def baseline(path: Path) -> pd.DataFrame:
    """The least a script would do: read, sum per keyword, divide. No checks, no rules."""
    raw = pd.read_csv(path, encoding="gb18030", skiprows=3, thousands=",")
    raw = raw[raw["日期"] != "合计"]
    cols = ["展现量", "点击量", "花费", "总成交笔数", "总成交金额"]
    t = raw.groupby(["计划名称", "推广单元", "关键词"])[cols].sum()
    t["ctr"] = t["点击量"] / t["展现量"]
    t["roas"] = t["总成交金额"] / t["花费"]
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keywords", type=int, default=6_667)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    ensure_kernel()  # installed once, not timed
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["ECOMOPS_CACHE_DIR"] = str(tmp / "cache")  # starts empty; kernels inherit it
        shop = tmp / "ads"
        shop.mkdir()
        path = shop / "直通车_关键词报表.csv"
        frame = keyword_days(args.keywords, args.days)
        _, gen_s = timed(lambda: _ztc_file(frame, path))
        print(
            f"直通车 keyword report: {len(frame):,} keyword-day rows, "
            f"{path.stat().st_size / 1e6:.0f} MB GB18030 (written in {gen_s:.1f} s, not counted)\n"
        )
        folder, scan_s = timed(lambda: ExportFolder(shop, cache=None))
        _, load_s = timed(lambda: folder.load("ad_keywords"))
        audit, audit_s = timed(lambda: ads_review.build_ad_audit(folder, "", AdThresholds()))
        T = Messages("zh")
        _, views_s = timed(
            lambda: (ads_review.keyword_view(audit, T), ads_review.plans_view(audit))
        )
        _, csv_s = timed(lambda: ads_review.write_actions(audit, tmp / "lab"))
        rows += [
            ("in-process: find + sniff files (no cache)", scan_s),
            ("in-process: load + validate exports (no cache)", load_s),
            ("in-process: audit (actions, shrinkage, waste, plans, trends)", audit_s),
            ("in-process: report tables", views_s),
            ("in-process: actions.csv (rule texts for every action)", csv_s),
        ]
        actions = int((audit.keywords["action"] != "keep").sum())
        date = f"{audit.report_date:%Y-%m-%d}"
        phases, runs = run_twice(shop, date, tmp / "reports", "paid_ads_audit", "build_ad_audit")
        rows += phases
        _, base_s = timed(lambda: baseline(path))
        ours_s = scan_s + load_s + audit_s

    print(f"{'phase':64s} {'seconds':>8s}")
    for name, s in rows:
        print(f"{name:64s} {s:8.2f}")
    print(f"\n{actions:,} of {len(audit.keywords):,} keywords got an action other than keep.")
    for label, (status, run_s) in runs.items():
        print(
            f"{label}: report {status}, end to end {run_s:.1f} s — target < 10 s "
            f"{'met' if run_s < 10 else 'NOT met'}"
        )
    print(f"\n{'read + audit in process, no cache':64s} {'seconds':>8s}")
    print(f"{'ecomops: sniff + load + validate + audit':64s} {ours_s:8.2f}")
    print(f"{'baseline: bare pandas.read_csv + groupby sum + ratios':64s} {base_s:8.2f}")
    print(f"ratio ecomops / baseline: {ours_s / base_s:.2f}×")


if __name__ == "__main__":
    main()
