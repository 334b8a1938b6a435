"""All items on a price × conversion matrix, each in the quadrant that names what to do.

Over the last ``days`` of ``items_daily`` (to the report date) each item gets its average
selling price (GMV ÷ units) and its conversion (paying buyers ÷ visitors). The shop's medians
split both axes (or the given splits, when > 0). The quadrants, as operators read them
("把流量引导至单价高且转化率高的商品，并降低单价低且转化率低商品的流量"):

* ``push`` — conversion at or above the split: the item sells the visitors it gets, give it
  more (推广、活动、关联位), whatever its price;
* ``reprice`` — conversion below, price at or above the split: buyers come and find it too
  dear; test a price, a coupon or a bundle against the rivals;
* ``fix_page`` — conversion and price below, visitors at or above the shop's median visitors:
  the traffic is there and cheap does not sell it, so the main image, detail page and reviews
  lose it (美工);
* ``retire`` — conversion and price below, few visitors: nobody comes and nobody buys;
  take the traffic away, clear the stock, de-list.

An item with no units in the window has no price: it is read on conversion and traffic
alone (``fix_page`` or ``retire``). An item with fewer than ``min_visitors`` visitors has a
conversion too noisy to place and stays ``unread``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["QUADRANTS", "price_conversion_matrix", "quadrant_counts"]

QUADRANTS = ("push", "fix_page", "reprice", "retire")


def _split(values: pd.Series, given: float) -> float:
    """The given split when > 0, else the median of ``values``."""
    return float(given) if given > 0 else float(values.median())


def price_conversion_matrix(
    items: pd.DataFrame,
    report_date,
    days: int = 30,
    *,
    price_split: float = 0.0,
    conversion_split: float = 0.0,
    min_visitors: int = 30,
) -> pd.DataFrame:
    """One row per item over the last ``days``: price, conversion, visitors and its quadrant.

    Columns: item_id, title, is_hero, visitors, paying_buyers, units, gmv, avg_price, conversion,
    quadrant. ``attrs`` hold the splits used (price_split, conversion_split, visitors_split).
    """
    when = pd.Timestamp(report_date)
    window = items[(items["date"] > when - pd.Timedelta(days=days)) & (items["date"] <= when)]
    agg = {c: "sum" for c in ("visitors", "paying_buyers", "units", "gmv") if c in window}
    agg |= {c: "first" for c in ("title", "is_hero") if c in window}
    m = window.groupby("item_id", sort=False).agg(agg).reset_index()
    if "is_hero" not in m:
        m["is_hero"] = False
    m["is_hero"] = m["is_hero"].fillna(False).astype(bool)
    m["avg_price"] = m["gmv"] / m["units"].where(m["units"] > 0)
    m["conversion"] = m["paying_buyers"] / m["visitors"].where(m["visitors"] > 0)
    read = m["visitors"] >= min_visitors
    splits = {
        "price_split": _split(m.loc[read, "avg_price"], price_split),
        "conversion_split": _split(m.loc[read, "conversion"], conversion_split),
        "visitors_split": _split(m.loc[read, "visitors"], 0),
    }
    good = m["conversion"] >= splits["conversion_split"]
    dear = m["avg_price"] >= splits["price_split"]  # NaN price (no units): not dear
    busy = m["visitors"] >= splits["visitors_split"]
    m["quadrant"] = np.select(
        [~read, good, dear, busy], ["unread", "push", "reprice", "fix_page"], "retire"
    )
    m.attrs.update(splits)
    return m.sort_values(["quadrant", "visitors"], ascending=[True, False], ignore_index=True)


def quadrant_counts(matrix: pd.DataFrame) -> dict[str, int]:
    """How many items each quadrant holds (``unread`` too), in :data:`QUADRANTS` order."""
    counts = matrix["quadrant"].value_counts()
    return {q: int(counts.get(q, 0)) for q in (*QUADRANTS, "unread")}
