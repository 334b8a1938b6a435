"""Competitor tracking at scale: the change log on 2.25 M snapshot rows, the matcher on 5k × 25k.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_competitors.py``).

1. Change log: 5 rivals × 5,000 items × 90 daily snapshots (~2.2 M rows; some items vanish
   and return, prices and sales move), written as one 生意参谋 竞品 CSV per rival (GB18030,
   title rows, a 统计日期 column), then timed end to end: the folder found and read, renamed
   shops unified, and ``changes`` for the last day. Baseline, side by side: a bare pandas
   merge of the last two snapshots on (shop, item) — what a script comparing "today vs
   yesterday" does, without gaps, returns or the 7-day windows.
2. Matcher: 5,000 of my titles against 25,000 rival titles (Chinese, generated from product
   words), ``best_matches``. Baselines: ``score_pairs`` on 25,000 given pairs (one TF-IDF, no
   search), and the matcher it replaced (issue 16, run from git) on the same titles.
3. The report end to end: the 5 files beside the sample shop's own exports, then ``ecomops
   run --notebooks competitor_tracking`` as the runner does it, with an empty parse cache and
   again with the cache it left; peak memory of the kernel (the largest child process).
Targets: tracking under 15 s; matcher under 10 s (issue 10); the report end to end under 20 s
and 2 GB (issue 16).
"""

from __future__ import annotations

import os
import resource
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from pairs import current_matcher
from run_timing import run_twice, timed

from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.paths import SAMPLE_DIR
from ecomops_helpers.rivals.changes import changes, unify_renamed_shops
from ecomops_helpers.rivals.title_match import best_matches, score_pairs

NOUNS = "收纳箱 收纳盒 整理箱 储物箱 置物架 衣架 压缩袋".split()
NOUNS += "鞋盒 挂钩 抽屉柜 脏衣篮 书架 米桶 保鲜盒 工具箱".split()
ADJ = "加厚 大号 透明 可折叠 带盖 多层 免安装 北欧风 日式 防尘 带轮 塑料 布艺 实木 不锈钢".split()


def snapshots(rivals: int, items: int, days: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    end = pd.Timestamp("2026-10-21")
    dates = pd.date_range(end - pd.Timedelta(days=days - 1), end, freq="D")
    n = rivals * items
    shop = np.repeat([f"竞店{i}" for i in range(rivals)], items)
    item = np.array([f"66{i:08d}" for i in range(n)])
    price = rng.uniform(19, 199, n).round(1)
    frames = []
    for d, day in enumerate(dates):
        shown = rng.random(n) > 0.02  # 2 % of items missing from any one snapshot
        drift = 1 + (rng.random(n) < 0.01) * rng.uniform(-0.3, 0.1, n)
        price = (price * drift).round(1)
        frames.append(
            pd.DataFrame(
                {
                    "date": day,
                    "shop": shop[shown],
                    "item_id": item[shown],
                    "title": "",
                    "price": price[shown],
                    "monthly_sales": rng.poisson(300, shown.sum()),
                    "review_count": 100 + d * 3,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def titles(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    words = [
        " ".join(rng.choice(ADJ, 3, replace=False))
        + rng.choice(NOUNS)
        + f" {rng.integers(2, 30)}件"
        for _ in range(n)
    ]
    return pd.DataFrame({"title": words, "price": rng.uniform(19, 199, n).round(1)})


def baseline_today_vs_yesterday(rows: pd.DataFrame) -> pd.DataFrame:
    last, prev = rows["date"].max(), rows["date"].max() - pd.Timedelta(days=1)
    a = rows[rows["date"] == last].set_index(["shop", "item_id"])["price"]
    b = rows[rows["date"] == prev].set_index(["shop", "item_id"])["price"]
    both = pd.concat([a, b], axis=1, keys=["now", "before"])
    return both[both["now"] != both["before"]]


def write_sycm(rows: pd.DataFrame, folder: Path) -> None:
    """One 生意参谋 竞品 export per rival, GB18030 with title rows, as operators download them."""
    for shop, g in rows.groupby("shop"):
        out = pd.DataFrame(
            {
                "统计日期": g["date"].dt.strftime("%Y-%m-%d"),
                "店铺名称": g["shop"],
                "商品ID": g["item_id"],
                "商品名称": "收纳箱 " + g["item_id"],
                "一口价": g["price"].map("{:.2f}".format),
                "月销量": g["monthly_sales"],
                "累计评价": g["review_count"],
            }
        )
        text = "生意参谋 > 竞争 > 竞品分析\r\n\r\n" + out.to_csv(index=False, lineterminator="\r\n")
        (folder / f"竞品分析_{shop}.csv").write_bytes(text.encode("gb18030"))


def main() -> None:
    rows, gen_s = timed(lambda: snapshots(5, 5000, 90))
    with tempfile.TemporaryDirectory() as tmp:
        shop = Path(tmp) / "shop"
        shutil.copytree(SAMPLE_DIR, shop)
        _, write_s = timed(lambda: write_sycm(rows, shop))
        print(
            f"{len(rows):,} snapshot rows in 5 GB18030 files "
            f"(generated in {gen_s:.1f} s and written in {write_s:.1f} s, not counted)\n"
        )
        folder = ExportFolder(shop, cache=None)
        loaded, read_s = timed(lambda: folder.load("competitor_listings"))
        os.environ["ECOMOPS_CACHE_DIR"] = str(Path(tmp) / "cache")  # kernels inherit it
        phases, runs = run_twice(
            shop, "2026-10-21", Path(tmp) / "reports", "competitor_tracking", "build_rival_review"
        )
        peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    (unified, _), unify_s = timed(lambda: unify_renamed_shops(loaded))
    log, changes_s = timed(lambda: changes(unified, "2026-10-21"))
    _, base_s = timed(lambda: baseline_today_vs_yesterday(rows))
    mine, theirs = titles(5000, 1), titles(25000, 2)
    matched, match_s = timed(lambda: best_matches(mine, theirs))
    _, pairs_s = timed(
        lambda: score_pairs(
            theirs["title"], mine["title"].sample(25000, replace=True, random_state=0)
        )
    )
    replaced = current_matcher()  # the logistic matcher of issue 16, from git, cold caches
    found_before, before_s = timed(lambda: replaced.best_matches(mine, theirs))
    print(f"{'phase':60s} {'seconds':>8s}")
    for name, s in (
        ("change log: find, read and validate 5 files (no cache)", read_s),
        ("change log: unify renamed shops", unify_s),
        ("change log: changes at the last snapshot (gaps, 7-day windows)", changes_s),
        ("change log: END TO END", read_s + unify_s + changes_s),
        ("baseline: merge of today's and yesterday's snapshot", base_s),
        ("matcher: best_matches 5,000 × 25,000", match_s),
        ("baseline: score_pairs on 25,000 given pairs", pairs_s),
        ("the replaced matcher (issue 16): best_matches 5,000 × 25,000", before_s),
    ):
        print(f"{name:60s} {s:8.2f}")
    print(f"\n{'the report end to end (ecomops run --notebooks competitor_tracking)':60s}")
    for name, s in phases:
        print(f"  {name:58s} {s:8.2f}")
    print(f"  {'peak memory of a kernel (GB)':58s} {peak_gb:8.2f}")
    print(f"\n{len(log):,} changes; {len(matched):,} of 25,000 rival titles matched one of mine.")
    tracked = read_s + unify_s + changes_s
    print(
        f"change log {tracked:.1f} s (×{tracked / base_s:.1f} the baseline) — target < 15 s "
        f"{'met' if tracked < 15 else 'NOT met'}; matcher {match_s:.1f} s "
        f"(×{match_s / pairs_s:.1f} the baseline, ×{match_s / before_s:.2f} the replaced "
        f"matcher, which matched {len(found_before):,}) — target < 10 s "
        f"{'met' if match_s < 10 else 'NOT met'}"
    )
    for label, (status, run_s) in runs.items():
        print(
            f"report {label}: {status} in {run_s:.1f} s, kernel peak {peak_gb:.2f} GB — target "
            f"< 20 s and < 2 GB {'met' if run_s < 20 and peak_gb < 2 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
