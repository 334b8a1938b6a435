"""The sample shop's part for the cross-report rules: item page figures and a held raise.

* every item of 商品效果 gets its detail page's bounce rate (商品详情页跳出率) and average stay
  (平均停留时长), healthy but for the planted item, whose page fails over the last days;
* the 直通车 keyword report gets a keyword on that item's unit (推广单元 = its title) that
  earns a raise on its ROAS alone: the paid-ads audit must hold that raise (fix the page first).

Own random stream: the other planted incidents of the sample stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["PLANTED_PAGE", "PlantedPage", "with_page_figures", "with_held_raise"]

SEED = 20261025


@dataclass(frozen=True)
class PlantedPage:
    """The item whose page fails, and the keyword whose raise the ads audit must hold."""

    item_id: str  # a non-hero item with steady traffic
    days: int  # its page fails over this many last days
    bounce: tuple[float, float]  # its bounce rate in those days (uniform range)
    stay_s: tuple[float, float]  # its average stay in those days
    keyword: str  # 直通车 keyword on its unit: ROAS far above break-even, rank with room
    plan: str


PLANTED_PAGE = PlantedPage(
    item_id="6510000008",
    days=10,
    bounce=(0.76, 0.81),
    stay_s=(17.0, 24.0),
    keyword="多层收纳箱",
    plan="日常推广-收纳",
)


def with_page_figures(items: pd.DataFrame) -> pd.DataFrame:
    """``items`` (canonical 商品效果 rows) with bounce_rate and avg_stay_s per item and day."""
    items = items.reset_index(drop=True)
    rng = np.random.default_rng(SEED)
    ids = items["item_id"].unique()
    base_bounce = dict(zip(ids, rng.uniform(0.45, 0.60, len(ids))))
    base_stay = dict(zip(ids, rng.uniform(38.0, 65.0, len(ids))))
    n = len(items)
    bounce = items["item_id"].map(base_bounce) + rng.normal(0, 0.02, n)
    stay = items["item_id"].map(base_stay) * rng.lognormal(0, 0.06, n)
    planted = (items["item_id"] == PLANTED_PAGE.item_id) & (
        items["date"] > items["date"].max() - pd.Timedelta(days=PLANTED_PAGE.days)
    )
    bounce[planted] = rng.uniform(*PLANTED_PAGE.bounce, planted.sum())
    stay[planted] = rng.uniform(*PLANTED_PAGE.stay_s, planted.sum())
    return items.assign(
        bounce_rate=bounce.clip(0.30, 0.66).where(~planted, bounce).round(4),
        avg_stay_s=stay.round(1),
    )


def with_held_raise(keyword_rows: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """The 直通车 keyword rows plus the planted keyword on the failing item's unit.

    ``keyword_rows``: :func:`..ads.sample.keyword_days`'s rows; ``items``: item_id and title.
    Without the planted item (a smaller sample) the rows come back unchanged.
    """
    unit = items.loc[items["item_id"] == PLANTED_PAGE.item_id, "title"]
    if unit.empty:
        return keyword_rows
    rng = np.random.default_rng(SEED + 1)
    days = keyword_rows["date"].drop_duplicates().sort_values()
    shown = rng.poisson(700, len(days))
    clicks = rng.binomial(shown, 0.05)
    orders = rng.binomial(clicks, 0.08)
    planted = pd.DataFrame(
        {
            "date": days.to_numpy(),
            "plan": PLANTED_PAGE.plan,
            "unit": unit.iloc[0],
            "keyword": PLANTED_PAGE.keyword,
            "bid": 1.20,
            "quality": 8,
            "impressions": shown,
            "clicks": clicks,
            "cost": (clicks * 1.15 * rng.uniform(0.9, 1.1, len(days))).round(2),
            "rank": (6.0 * rng.uniform(0.8, 1.2, len(days))).round(1),
            "orders": orders,
            "gmv": (orders * 125 * rng.uniform(0.9, 1.1, len(days))).round(2),
            "favs": rng.binomial(clicks, 0.05),
            "carts": rng.binomial(clicks, 0.09),
        }
    )
    out = pd.concat([keyword_rows, planted], ignore_index=True)
    return out.sort_values(["date", "plan", "keyword"], kind="stable", ignore_index=True)
