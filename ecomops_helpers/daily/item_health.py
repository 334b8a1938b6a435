"""Item page health: each item's detail page judged by bounce, stay and conversion.

The figures come from 生意参谋's 商品效果 export (商品详情页跳出率, 平均停留时长, 商品支付转化率),
summed over the last days so that one thin day decides nothing. The daily review lists the
failing pages; the paid-ads audit holds back bid raises on their keywords (fix the page first:
more paid clicks on a page that loses them buys nothing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "PAGE_COLUMNS",
    "page_health_by",
    "CHECKS",
    "BOUNCE_MAX",
    "STAY_MIN_S",
    "CONVERSION_MIN",
    "PAGE_DAYS",
    "MIN_VISITORS",
    "absent_page_columns",
    "item_page_health",
    "failing_pages",
]

PAGE_COLUMNS = ("bounce_rate", "avg_stay_s")  # the check needs at least one of them
CHECKS = ("bounce_rate", "avg_stay_s", "conversion")  # the order failures are named in
# defaults from practice, shared by the daily review's and the ads audit's thresholds
BOUNCE_MAX = 0.70  # the shop page-health line, applied to one item's detail page
STAY_MIN_S = 30.0
CONVERSION_MIN = 0.01  # an item page converting under 1 % loses what traffic it gets
PAGE_DAYS = 7
MIN_VISITORS = 200  # fewer visitors over the days: too thin to judge the page


def absent_page_columns(items: pd.DataFrame | None) -> list[str]:
    """The page columns ``items`` lacks (all of them when it has none with a value)."""
    if items is None:
        return list(PAGE_COLUMNS)
    have = [c for c in PAGE_COLUMNS if c in items and items[c].notna().any()]
    return [] if have else list(PAGE_COLUMNS)


def _weighted(values: pd.Series, weights: pd.Series, by: pd.Series) -> pd.Series:
    """Visitor-weighted mean of ``values`` per ``by``, skipping missing cells (``-``)."""
    w = weights.where(values.notna(), 0).astype(float)
    num = (values.fillna(0) * w).groupby(by).sum()
    den = w.groupby(by).sum()
    return num / den.where(den > 0)


def item_page_health(
    items: pd.DataFrame,
    when,
    days: int = PAGE_DAYS,
    bounce_max: float = BOUNCE_MAX,
    stay_min_s: float = STAY_MIN_S,
    conversion_min: float = CONVERSION_MIN,
    min_visitors: int = MIN_VISITORS,
) -> pd.DataFrame:
    """Per item over the ``days`` up to ``when``: its page figures and which checks fail.

    Bounce and stay are visitor-weighted means of the days; conversion is paying buyers /
    visitors (the export's 商品支付转化率, weighted, when buyers are not exported). An item
    with fewer than ``min_visitors`` is not judged. Columns: item_id, title, visitors,
    bounce_rate, avg_stay_s, conversion, judged, the booleans ``<check>_fails``, failing.
    """
    when = pd.Timestamp(when)
    recent = items[(items["date"] > when - pd.Timedelta(days=days)) & (items["date"] <= when)]
    by = recent["item_id"]
    out = recent.groupby(by).agg(visitors=("visitors", "sum"))
    if "title" in recent:
        out["title"] = recent.sort_values("date").groupby("item_id")["title"].last()
    else:
        out["title"] = out.index
    for c in PAGE_COLUMNS:
        out[c] = _weighted(recent[c], recent["visitors"], by) if c in recent else np.nan
    if "paying_buyers" in recent and recent["paying_buyers"].notna().any():
        buyers = recent.groupby(by)["paying_buyers"].sum(min_count=1)
        out["conversion"] = buyers / out["visitors"].where(out["visitors"] > 0)
    elif "conversion" in recent:
        out["conversion"] = _weighted(recent["conversion"], recent["visitors"], by)
    else:
        out["conversion"] = np.nan
    out["judged"] = out["visitors"] >= min_visitors
    out["bounce_rate_fails"] = out["judged"] & (out["bounce_rate"] > bounce_max)
    out["avg_stay_s_fails"] = out["judged"] & (out["avg_stay_s"] < stay_min_s)
    out["conversion_fails"] = out["judged"] & (out["conversion"] < conversion_min)
    out["failing"] = out[[f"{c}_fails" for c in CHECKS]].any(axis=1)
    return out.reset_index()


def page_health_by(items: pd.DataFrame, when, th) -> pd.DataFrame:
    """:func:`item_page_health` with a report's limits: the daily review and the ads audit alike.

    ``th`` carries ``item_page_days``, ``bounce_max``, ``stay_min_s``, ``item_conversion_min``
    and ``item_page_min_visitors``.
    """
    return item_page_health(
        items,
        when,
        th.item_page_days,
        th.bounce_max,
        th.stay_min_s,
        th.item_conversion_min,
        th.item_page_min_visitors,
    )


def failing_pages(health: pd.DataFrame) -> pd.DataFrame:
    """The items whose page fails a check, worst bounce first."""
    bad = health[health["failing"]]
    return bad.sort_values(["bounce_rate", "visitors"], ascending=[False, False]).reset_index(
        drop=True
    )
