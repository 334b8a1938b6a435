"""Platform campaigns (活动): who qualifies, what to stock, and what a campaign brought.

Which items meet a campaign's entry thresholds, the units to stock for it, and after it
its review (uplift, new buyers, refunds, DSR change).

Pure functions on the canonical tables (``campaigns``, ``items_daily``, ``shop_daily``);
they never open files or draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..exports.catalogue.health import DSR_ITEMS

__all__ = [
    "CampaignView",
    "campaign_view",
    "ELIGIBILITY_COLUMNS",
    "REVIEW_COLUMNS",
    "campaign_days",
    "campaign_review",
    "eligibility",
    "item_recent",
    "shop_dsr",
    "shop_figures",
    "upcoming",
]

ELIGIBILITY_COLUMNS = [
    "promotion",
    "deadline",
    "item_id",
    "title",
    "verdict",
    "units_30d",
    "min_units_30d",
    "avg_price",
    "max_price",
    "stock",
    "min_stock",
    "units_per_day",
    "campaign_days",
    "uplift",
    "to_stock",
]
REVIEW_COLUMNS = [
    "promotion",
    "promo_start",
    "promo_end",
    "gmv",
    "gmv_before",
    "gmv_uplift",
    "units_uplift",
    "promo_new_buyers",
    "new_buyers_before",
    "refunds",
    "refund_rate",
    "refund_rate_before",
    "dsr_change",
]


def campaign_days(campaigns: pd.DataFrame) -> pd.Series:
    """Days each campaign runs, both ends counted; 1 where a date is missing."""
    days = (campaigns["end"] - campaigns["start"]).dt.days + 1
    return days.fillna(1).clip(lower=1).astype(int)


def upcoming(campaigns: pd.DataFrame, when: pd.Timestamp) -> pd.DataFrame:
    """Campaigns open to sign up on ``when``: deadline today or later, or none and not over."""
    open_ = campaigns["deadline"].ge(when) | (
        campaigns["deadline"].isna() & campaigns["end"].ge(when)
    )
    return campaigns[open_].sort_values("deadline").reset_index(drop=True)


def item_recent(
    items: pd.DataFrame, when: pd.Timestamp, window: int = 30, rate_days: int = 14
) -> pd.DataFrame:
    """Per item on ``when``: 30-day units, average and lowest daily price, stock, daily rate.

    Price is GMV ÷ units (the price buyers paid); the lowest is the lowest day's over
    ``window`` days. ``units_per_day`` is the mean over the last ``rate_days`` days.
    """
    recent = items[(items["date"] > when - pd.Timedelta(days=window)) & (items["date"] <= when)]
    recent = recent.assign(day_price=recent["gmv"] / recent["units"].where(recent["units"] > 0))
    g = recent.groupby("item_id", sort=False)
    out = pd.DataFrame(
        {
            "title": g["title"].last() if "title" in recent else g["item_id"].last(),
            "units_30d": g["units"].sum(),
            "avg_price": g["gmv"].sum() / g["units"].sum().replace(0, np.nan),
            "low_price": g["day_price"].min(),
        }
    )
    rate = recent[recent["date"] > when - pd.Timedelta(days=rate_days)]
    out["units_per_day"] = rate.groupby("item_id")["units"].sum() / rate_days
    if "stock" in recent:
        out["stock"] = recent.dropna(subset=["stock"]).groupby("item_id")["stock"].last()
    else:
        out["stock"] = np.nan
    return out.reset_index()


DSR_COLUMNS = tuple(f"dsr_{item}" for item in DSR_ITEMS)  # 描述 服务 物流, as shop_scores reads
SHOP_CHECKS = {"min_dsr": "dsr", "min_good_rate": "good_rate"}  # threshold -> shop figure


def shop_figures(scores: pd.DataFrame | None, when: pd.Timestamp) -> dict[str, float]:
    """The shop's latest lowest DSR score and good-review rate on or before ``when``.

    A figure the scores do not hold (or no scores at all) is left out: it is not checked.
    """
    out: dict[str, float] = {}
    if scores is None or "date" not in scores:
        return out
    s = scores[scores["date"] <= when].sort_values("date")
    dsr = s[[c for c in DSR_COLUMNS if c in s]].min(axis=1).dropna()
    if len(dsr):
        out["dsr"] = float(dsr.iloc[-1])
    if "good_rate" in s and s["good_rate"].notna().any():
        out["good_rate"] = float(s["good_rate"].dropna().iloc[-1])
    return out


def shop_dsr(scores: pd.DataFrame | None) -> pd.Series | None:
    """The shop's lowest DSR score (描述/服务/物流) per date, None without DSR columns."""
    cols = [c for c in DSR_COLUMNS if scores is not None and c in scores]
    if not cols:
        return None
    return scores.set_index("date")[cols].min(axis=1).dropna().sort_index()


def eligibility(
    campaigns: pd.DataFrame,
    recent: pd.DataFrame,
    *,
    shop: dict[str, float] | None = None,
    uplift: float = 3.0,
    price_floor: float = 0.7,
    near_gap: float = 0.15,
) -> pd.DataFrame:
    """Every item against every campaign's thresholds, and the units to stock for it.

    ``max_price`` is the highest campaign price the rule allows (近30天最低价 × the ratio);
    the price check fails when that is below ``price_floor`` × ``avg_price`` (30-day GMV ÷
    units): a deeper cut than the item can bear. ``gap`` is the largest shortfall as a share
    of its threshold; ``verdict`` is qualifies, near (every shortfall within ``near_gap``) or
    not_eligible. Stock is no entry check: the warehouse fills it before the campaign
    (``to_stock``). The shop's own figures (``shop``: dsr, good_rate, see
    :func:`shop_figures`) under a campaign's ``min_dsr`` / ``min_good_rate`` fail every item;
    a figure not given is not checked.
    ``to_stock`` = daily rate × campaign days × uplift (the campaign's own, else ``uplift``),
    at least the campaign's ``min_stock``, minus the stock on hand.
    """
    shop = shop or {}
    rows = []
    for c in campaigns.itertuples(index=False):
        t = recent.copy()
        t["promotion"], t["deadline"] = c.name, c.deadline
        for limit in ("min_units_30d", "min_stock", "price_ratio"):
            t[limit] = getattr(c, limit, np.nan)
        t["max_price"] = t["low_price"] * t["price_ratio"]
        wanted = {
            "units_30d": t["min_units_30d"],
            "max_price": (t["avg_price"] * price_floor).where(t["price_ratio"].notna()),
        }
        gaps = pd.DataFrame(
            {
                figure: (1 - t[figure].fillna(0) / need).clip(lower=0).where(need > 0, 0.0)
                for figure, need in wanted.items()
            }
        )
        t["gap"] = gaps.max(axis=1)
        t["short_of"] = gaps.idxmax(axis=1).where(t["gap"] > 0, "")
        shop_fails = any(
            pd.notna(getattr(c, limit, np.nan))
            and figure in shop
            and shop[figure] < getattr(c, limit)
            for limit, figure in SHOP_CHECKS.items()
        )
        t["verdict"] = np.select(
            [t["gap"].eq(0) & (not shop_fails), t["gap"].le(near_gap) & (not shop_fails)],
            ["qualifies", "near"],
            "not_eligible",
        )
        own = getattr(c, "uplift", np.nan)
        t["uplift"] = own if pd.notna(own) and own > 0 else uplift
        t["campaign_days"] = int(campaign_days(pd.DataFrame([c._asdict()])).iloc[0])
        need = np.maximum(
            t["units_per_day"].fillna(0) * t["campaign_days"] * t["uplift"],
            t["min_stock"].fillna(0),
        )
        to_stock = np.ceil(need - t["stock"].fillna(0)).clip(lower=0)
        t["to_stock"] = to_stock.where(t["verdict"] != "not_eligible")
        rows.append(t)
    if not rows:
        return pd.DataFrame(columns=[*ELIGIBILITY_COLUMNS, "gap", "short_of"])
    out = pd.concat(rows, ignore_index=True)
    order = out["verdict"].map({"qualifies": 0, "near": 1, "not_eligible": 2})
    return (
        out.assign(_o=order)
        .sort_values(["deadline", "promotion", "_o", "gap", "units_30d"], ascending=[1, 1, 1, 1, 0])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def _window_sum(s: pd.Series, first: pd.Timestamp, last: pd.Timestamp) -> float:
    return float(s[(s.index >= first) & (s.index <= last)].sum(min_count=1))


def campaign_review(
    campaigns: pd.DataFrame,
    shop: pd.DataFrame,
    items: pd.DataFrame | None,
    when: pd.Timestamp,
    *,
    review_days: int = 45,
    refund_days: int = 15,
    dsr: pd.Series | None = None,
) -> pd.DataFrame:
    """Campaigns that ended within ``review_days`` before ``when``: what each brought.

    Uplift is the campaign days' GMV (and item units) over the same number of days just
    before it; ``refund_rate`` is the shop's refunds over GMV from the start to ``refund_days``
    after the end (as far as the exports reach, ``refund_days_seen``), against the same
    span just before it (``refund_rate_before``); ``dsr_change`` is the lowest DSR score after
    the campaign (latest on the report date) against the one before the start.
    """
    done = campaigns[
        campaigns["end"].lt(when) & campaigns["end"].ge(when - pd.Timedelta(days=review_days))
    ]
    s = shop.set_index("date").sort_index()
    none = pd.Series(np.nan, index=s.index)
    refunds, new = (s[c] if c in s else none for c in ("refund_amount", "new_buyers"))
    units = items.groupby("date")["units"].sum() if items is not None and "units" in items else None
    rows = []
    for c in done.itertuples(index=False):
        start = c.start if pd.notna(c.start) else c.end
        n = (c.end - start).days + 1
        before = (start - pd.Timedelta(days=n), start - pd.Timedelta(days=1))
        refund_end = min(c.end + pd.Timedelta(days=refund_days), when)
        span = refund_end - start + pd.Timedelta(days=1)
        row = {
            "promotion": c.name,
            "promo_start": start,
            "promo_end": c.end,
            "days": n,
            "gmv": _window_sum(s["gmv"], start, c.end),
            "gmv_before": _window_sum(s["gmv"], *before),
            "units_uplift": (
                _window_sum(units, start, c.end) / _window_sum(units, *before)
                if units is not None
                else np.nan
            ),
            "promo_new_buyers": _window_sum(new, start, c.end),
            "new_buyers_before": _window_sum(new, *before),
            "refunds": _window_sum(refunds, start, refund_end),
            "refund_rate": _window_sum(refunds, start, refund_end)
            / _window_sum(s["gmv"], start, refund_end),
            "refund_rate_before": _window_sum(refunds, start - span, start - pd.Timedelta(days=1))
            / _window_sum(s["gmv"], start - span, start - pd.Timedelta(days=1)),
            "refund_days_seen": (refund_end - c.end).days,
            "dsr_change": np.nan,
        }
        if dsr is not None:
            was, now = dsr[dsr.index < start], dsr[(dsr.index > c.end) & (dsr.index <= when)]
            if len(was) and len(now):
                row["dsr_change"] = now.iloc[0] - was.iloc[-1]
        rows.append(row)
    out = pd.DataFrame(rows, columns=[*REVIEW_COLUMNS, "days", "refund_days_seen"])
    out["gmv_uplift"] = out["gmv"] / out["gmv_before"].replace(0, np.nan)
    return out.sort_values("promo_end", ascending=False).reset_index(drop=True)


@dataclass
class CampaignView:
    """The campaigns section: items against open campaigns, and finished ones' reviews."""

    eligible: pd.DataFrame  # one row per open campaign × item (see :func:`eligibility`)
    review: pd.DataFrame  # one row per campaign finished within the review days
    unchecked: list[str]  # shop thresholds a campaign states that no export could check


def campaign_view(campaigns, items, shop, scores, when, th) -> CampaignView:
    """Everything the campaigns section shows on ``when``, with the thresholds ``th``."""
    figures = shop_figures(scores, when)
    open_ = upcoming(campaigns, when)
    unchecked = [
        limit
        for limit, figure in SHOP_CHECKS.items()
        if limit in open_ and open_[limit].notna().any() and figure not in figures
    ]
    eligible = eligibility(
        open_,
        item_recent(items, when, rate_days=th.campaign_rate_days),
        shop=figures,
        uplift=th.campaign_uplift,
        price_floor=th.campaign_price_floor,
        near_gap=th.campaign_near_gap,
    )
    review = campaign_review(
        campaigns,
        shop,
        items,
        when,
        review_days=th.campaign_review_days,
        refund_days=th.campaign_refund_days,
        dsr=shop_dsr(scores),
    )
    return CampaignView(eligible, review, unchecked)
