"""The sample shop's platform campaigns (活动): the sign-up table and a past campaign's days.

Planted (see :data:`PLANTED_CAMPAIGNS`):

* 聚划算 for 双11, sign-up deadline 4 days after the sample's last day: three hero items
  meet its 近30天销量 threshold, a fourth falls short by a few per cent;
* a 聚划算 that ran 3 days a month before the last day: its items sold 3 times their
  usual units, mostly to new buyers, and refunds ran high in the days after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ..sample_files import write_xlsx

__all__ = ["PLANTED_CAMPAIGNS", "plant_past_campaign", "write_campaign_exports"]


@dataclass(frozen=True)
class PlantedCampaigns:
    """The planted campaigns, for tests and the reader."""

    upcoming: str
    deadline: date
    qualifying: tuple[str, ...]
    near_item: str
    past: str
    past_start: date
    past_end: date
    past_items: tuple[str, ...]
    past_units_factor: float
    past_refund_rate: float  # refunds over GMV from the start to 15 days after the end


PLANTED_CAMPAIGNS = PlantedCampaigns(
    upcoming="聚划算·双11品牌团",
    deadline=date(2026, 10, 25),
    qualifying=("6510000001", "6510000002", "6510000003"),
    near_item="6510000004",
    past="聚划算·中秋欢聚日",
    past_start=date(2026, 9, 18),
    past_end=date(2026, 9, 20),
    past_items=("6510000002", "6510000004"),
    past_units_factor=3.0,
    past_refund_rate=0.12,
)
_CAMPAIGN_PRICE = 0.85  # the past campaign's price against the usual one
_NEW_SHARE = 0.85  # share of new buyers on the campaign days (0.72 on other days)
_REFUND_DAYS = 10  # the planted refunds arrive over these days after the end


def plant_past_campaign(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The past campaign's days in the shop's and items' tables (a copy; no random draws)."""
    p = PLANTED_CAMPAIGNS
    items, shop = tables["items_daily"].copy(), tables["shop_daily"].copy()
    on = items["date"].between(pd.Timestamp(p.past_start), pd.Timestamp(p.past_end))
    joined = on & items["item_id"].isin(p.past_items)
    price = items["gmv"] / items["units"].where(items["units"] > 0)
    extra = items.loc[joined, ["visitors", "paying_buyers", "units"]] * (p.past_units_factor - 1)
    extra = extra.round().astype(int)
    items.loc[joined, extra.columns] += extra
    items.loc[joined, "gmv"] = (items.loc[joined, "units"] * price[joined] * _CAMPAIGN_PRICE).round(
        2
    )

    day_sums = items.groupby("date")[["gmv", "paying_buyers"]].sum()
    s = shop.set_index("date")
    days = s.index[s.index.isin(items.loc[joined, "date"])]
    more_buyers = extra.groupby(items.loc[joined, "date"])["paying_buyers"].sum()
    s.loc[days, "visitors"] += (
        (extra.groupby(items.loc[joined, "date"])["visitors"].sum() / 1.35).round().astype(int)
    )
    s.loc[days, "paying_buyers"] += (more_buyers * 0.96).round().astype(int)
    s.loc[days, "orders"] = (s.loc[days, "paying_buyers"] * 1.04).round().astype(int)
    s.loc[days, "gmv"] = day_sums.loc[days, "gmv"].round(2)
    s.loc[days, "new_buyers"] = (s.loc[days, "paying_buyers"] * _NEW_SHARE).round().astype(int)

    end = pd.Timestamp(p.past_end)
    window = s.index[
        (s.index >= pd.Timestamp(p.past_start)) & (s.index <= end + pd.Timedelta(days=15))
    ]
    owed = p.past_refund_rate * s.loc[window, "gmv"].sum() - s.loc[window, "refund_amount"].sum()
    after = pd.date_range(end + pd.Timedelta(days=1), periods=_REFUND_DAYS)
    after = after[after.isin(s.index)]  # a short history may start after the campaign
    per_day = max(owed, 0) / _REFUND_DAYS / len(p.past_items)
    back = items["date"].isin(after) & items["item_id"].isin(p.past_items)
    items.loc[back, "refund_amount"] = (items.loc[back, "refund_amount"] + per_day).round(2)
    s.loc[after, "refund_amount"] = (
        items[items["date"].isin(after)].groupby("date")["refund_amount"].sum().round(2)
    )
    s["returning_buyers"] = s["paying_buyers"] - s["new_buyers"]
    s["conversion"] = (s["paying_buyers"] / s["visitors"]).round(4)
    s["aov"] = (s["gmv"] / s["paying_buyers"].clip(lower=1)).round(2)
    before = tables["shop_daily"].set_index("date").loc[days]
    sources = _scaled_sources(tables["traffic_sources"], before, s.loc[days])
    return {
        **tables,
        "items_daily": items,
        "shop_daily": s.reset_index(),
        "traffic_sources": sources,
    }


def _scaled_sources(sources: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame):
    """The campaign days' source rows scaled with the shop's day, so they still add up to it."""
    out = sources.copy()
    for day in after.index:
        on = out["date"] == day
        for column, digits in (("visitors", 0), ("paying_buyers", 0), ("gmv", 2)):
            scaled = (out.loc[on, column] * after.at[day, column] / before.at[day, column]).round(
                digits
            )
            scaled.loc[scaled.idxmax()] += round(after.at[day, column] - scaled.sum(), digits)
            out.loc[on, column] = scaled.astype(out[column].dtype)
    return out


def _thresholds(items: pd.DataFrame, end: pd.Timestamp) -> int:
    """The upcoming campaign's 近30天销量 threshold: the third planted hero's, in tens."""
    recent = items[items["date"] > end - pd.Timedelta(days=30)]
    units = recent.groupby("item_id")["units"].sum()
    return int(units[list(PLANTED_CAMPAIGNS.qualifying)].min() // 10 * 10)


def write_campaign_exports(out: Path, items: pd.DataFrame, end: date) -> list[Path]:
    """The operator's sign-up table, as copied from 营销活动中心 into a sheet."""
    p = PLANTED_CAMPAIGNS
    table = pd.DataFrame(
        {
            "活动名称": [p.upcoming, "天天特卖·11月", p.past],
            "活动类型": ["聚划算", "天天特卖", "聚划算"],
            "活动开始时间": ["2026-11-01", "2026-11-15", f"{p.past_start}"],
            "活动结束时间": ["2026-11-11", "2026-11-17", f"{p.past_end}"],
            "报名截止时间": [f"{p.deadline}", "2026-11-08", "2026-09-05"],
            "近30天销量": [_thresholds(items, pd.Timestamp(end)), 100, 1000],
            "价格要求": ["90%", "85%", "90%"],
            "活动库存": [1000, 200, 500],
            "店铺DSR": [4.6, 4.6, 4.7],
            "好评率": ["-", "98%", "-"],
            "预计倍数": ["-", 2.0, "-"],
        }
    )
    path = out / "活动报名表.xlsx"
    write_xlsx(table, path, title="营销活动中心 · 活动报名")
    return [path]
