"""The sample shop's item-level traffic exports: each hero item's 流量来源 and 手淘搜索 terms.

Written as 生意参谋 自助取数 writes them (one multi-day file each): 商品 流量来源 with level-1
and level-2 rows and 来源层级, and 商品 流量来源详情 (搜索词类型, 搜索词) with the rank a
rank-check tool adds. Planted (:data:`PLANTED_TRACE`):

* one hero item loses a third of its visitors on the last day, through 手淘搜索, most of it
  through one search term whose rank falls from about 12 to 57 (off the first page);
* every hero's 直通车 rows are named 关键词推广 from a few days before the last day (the
  2024 rename), inside the baseline window: a rename, not a drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..sample_files import money_text, percent_text, write_xlsx

__all__ = ["PLANTED_TRACE", "plant_traffic_drop", "planted_term", "write_trace_exports"]

# level 1 → level 2 → share of an item's visitors (生意参谋's older 一级/二级 names)
SOURCE_TREE = {
    "淘内免费": {"手淘搜索": 0.55, "手淘推荐": 0.14, "手淘其他店铺商品详情": 0.04},
    "付费流量": {"直通车": 0.12, "引力魔方": 0.04, "淘宝客": 0.03},
    "自主访问": {"购物车": 0.05, "我的淘宝": 0.03},
}
TERM_SHARES = np.array([0.6, 0.14, 0.1, 0.08, 0.05, 0.03])  # of an item's 手淘搜索 visitors
TERM_SUFFIXES = ("", " 家用", " 加厚", " 大容量", " 包邮", " 神器")


@dataclass(frozen=True)
class PlantedTrace:
    """The planted traffic drop and the rename, for tests and the reader."""

    item: str
    keep: float  # the item's visitors on the last day, as a share of what they would be
    rank_before: int
    rank_after: int
    renamed_days: int  # the last days whose 直通车 rows are named 关键词推广
    days: int  # days the exports cover


PLANTED_TRACE = PlantedTrace(
    item="6510000004",
    keep=0.62,
    rank_before=12,
    rank_after=57,
    renamed_days=4,
    days=30,
)


def _terms(title: str) -> list[str]:
    """An item's search terms, from the first word of its title (``大号桌面收纳 4号``)."""
    word = title.split()[0]
    return [f"{word}{s}" for s in TERM_SUFFIXES]


def planted_term(items_daily: pd.DataFrame) -> str:
    """The search term that loses its rank on the last day."""
    title = items_daily.loc[items_daily["item_id"] == PLANTED_TRACE.item, "title"].iloc[0]
    return _terms(title)[0]


def plant_traffic_drop(items_daily: pd.DataFrame) -> None:
    """Scale the planted hero's last day in the 商品效果 rows (visitors, buyers, units, GMV)."""
    last = (items_daily["item_id"] == PLANTED_TRACE.item) & (
        items_daily["date"] == items_daily["date"].max()
    )
    for column in ("visitors", "paying_buyers", "units"):
        items_daily.loc[last, column] = np.round(
            items_daily.loc[last, column] * PLANTED_TRACE.keep
        ).astype(int)
    items_daily.loc[last, "gmv"] = (items_daily.loc[last, "gmv"] * PLANTED_TRACE.keep).round(2)


def _rows(items_daily: pd.DataFrame, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Level-2 source rows and search-term rows of the hero items (canonical columns)."""
    end = items_daily["date"].max()
    days = pd.date_range(end - pd.Timedelta(days=PLANTED_TRACE.days - 1), end)
    heroes = items_daily[items_daily["is_hero"] & items_daily["date"].isin(days)]
    names = [(l1, l2) for l1, kids in SOURCE_TREE.items() for l2 in kids]
    shares = np.array([s for kids in SOURCE_TREE.values() for s in kids.values()])
    search = names.index(("淘内免费", "手淘搜索"))
    sources, terms = [], []
    ranks = {}
    for h in heroes.itertuples():
        planted_day = h.item_id == PLANTED_TRACE.item and h.date == end
        full = round(h.visitors / PLANTED_TRACE.keep) if planted_day else h.visitors
        split = rng.multinomial(full, shares / shares.sum())
        words = _terms(h.title)
        by_term = rng.multinomial(split[search], TERM_SHARES)
        if planted_day:  # the loss goes through 手淘搜索, most of it through the first term
            loss = full - h.visitors
            first = min(loss, int(by_term[0] * 0.9))
            rest = by_term[1:] * (loss - first) / max(by_term[1:].sum(), 1)
            by_term = np.r_[by_term[0] - first, by_term[1:] - np.ceil(rest).astype(int)]
            by_term = np.maximum(by_term, 0)
            split[search] = by_term.sum()
        renamed = h.date > end - pd.Timedelta(days=PLANTED_TRACE.renamed_days)
        for (l1, l2), v in zip(names, split):
            name = "关键词推广" if renamed and l2 == "直通车" else l2
            sources.append((h.date, h.item_id, h.title, l1, name, v))
        for k, (word, v) in enumerate(zip(words, by_term)):
            base = ranks.setdefault((h.item_id, k), 6 + 7 * k if k < 5 else 70)
            rank = base + int(rng.integers(-2, 3))
            if planted_day and k == 0:
                rank = PLANTED_TRACE.rank_after
            elif h.item_id == PLANTED_TRACE.item and k == 0:
                rank = PLANTED_TRACE.rank_before + int(rng.integers(-1, 2))
            terms.append((h.date, h.item_id, h.title, word, v, max(rank, 1)))
    cols = ["date", "item_id", "title"]
    return (
        pd.DataFrame(sources, columns=[*cols, "source_l1", "source_l2", "visitors"]),
        pd.DataFrame(terms, columns=[*cols, "keyword", "visitors", "rank"]),
    )


def _measures(visitors: pd.Series, price: pd.Series, rng) -> pd.DataFrame:
    buyers = rng.binomial(visitors.to_numpy(), 0.06)
    return pd.DataFrame(
        {
            "访客数": visitors.to_numpy(),
            "浏览量": (visitors * 1.8).round().astype(int).to_numpy(),
            "支付买家数": buyers,
            "支付金额": money_text(pd.Series(buyers * price.to_numpy())).to_numpy(),
        }
    )


def write_trace_exports(out: Path, items_daily: pd.DataFrame, seed: int) -> list[Path]:
    """Write the heroes' 商品 流量来源 and 流量来源详情 exports; returns the files."""
    rng = np.random.default_rng(seed + 23)
    lv2, terms = _rows(items_daily, rng)
    price = items_daily.groupby("item_id")["gmv"].sum() / items_daily.groupby("item_id")[
        "units"
    ].sum().clip(lower=1)
    lv1 = lv2.groupby(["date", "item_id", "title", "source_l1"], as_index=False)["visitors"].sum()
    rows = pd.concat(
        [lv1.assign(source_l2="汇总", level=1), lv2.assign(level=2)], ignore_index=True
    ).sort_values(["date", "item_id", "source_l1", "level"], kind="stable")
    sources = pd.concat(
        [
            pd.DataFrame(
                {
                    "统计日期": rows["date"].dt.strftime("%Y-%m-%d").to_numpy(),
                    "店铺名称": "示例店铺",
                    "一级流量来源": rows["source_l1"].to_numpy(),
                    "二级流量来源": rows["source_l2"].to_numpy(),
                    "三级流量来源": "汇总",
                    "商品ID": rows["item_id"].to_numpy(),
                    "商品名称": rows["title"].to_numpy(),
                    "来源层级": rows["level"].to_numpy(),
                    "归属原则": "最后一次访问来源",
                }
            ),
            _measures(rows["visitors"], rows["item_id"].map(price), rng),
        ],
        axis=1,
    )
    start, end = rows["date"].min().date(), rows["date"].max().date()
    span = f"{start}-{end}"
    path_sources = out / f"商品-流量来源-分日-主推商品-最后一次访问来源-{span}.xlsx"
    write_xlsx(sources, path_sources, title=f"商品流量来源 {start} 至 {end}")

    m = _measures(terms["visitors"], terms["item_id"].map(price), rng)
    keywords = pd.concat(
        [
            pd.DataFrame(
                {
                    "统计日期": terms["date"].dt.strftime("%Y-%m-%d").to_numpy(),
                    "店铺名称": "示例店铺",
                    "商品ID": terms["item_id"].to_numpy(),
                    "商品名称": terms["title"].to_numpy(),
                    "搜索词类型": "手淘搜索",
                    "搜索词": terms["keyword"].to_numpy(),
                    "归属原则": "最后一次访问来源",
                }
            ),
            m.drop(columns="支付金额"),
            pd.DataFrame(
                {
                    "支付转化率": percent_text(
                        m["支付买家数"] / m["访客数"].where(m["访客数"] > 0)
                    ).to_numpy(),
                    "排名": terms["rank"].to_numpy(),
                }
            ),
        ],
        axis=1,
    )
    path_terms = out / f"商品-流量来源详情-分日-手淘搜索-主推商品-{span}.xlsx"
    write_xlsx(keywords, path_terms, title=f"商品搜索词 {start} 至 {end}")
    return [path_sources, path_terms]
