"""Weekly arithmetic: a week against plan and the week before, and what changed in it.

Page health over the week, rival listings gained and lost, ad spend and return, buyers
gained and lost.

Pure functions on DataFrames; each reuses the daily, rival, ad and customer arithmetic
(GMV factors and their Shapley split, the monthly plan's daily targets, the rival change
log, ad sums and ratios, the customers' activity and its churn line).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..ads import audit as ads
from ..customers import segments
from ..daily import metrics as daily
from ..rivals.changes import RivalThresholds, change_log
from .weeks import Week

__all__ = [
    "LISTING_CHANGES",
    "HEALTH_BANDS",
    "week_totals",
    "week_bridge",
    "week_plan",
    "week_health",
    "listing_changes",
    "listing_counts",
    "ad_weeks",
    "customer_flow",
]

LISTING_CHANGES = ("new", "removed")  # the rival change-log kinds the week counts
# page-health metric → True when a value below its limit is bad (else above is bad)
HEALTH_BANDS = {"bounce_rate": False, "pages_per_visit": True, "avg_stay_s": True}


def _in_week(df: pd.DataFrame, week: Week, col: str = "date") -> pd.DataFrame:
    return df[(df[col] >= week.start) & (df[col] <= week.end)]


def week_totals(shop_daily: pd.DataFrame, week: Week) -> dict:
    """GMV, visitors, paying buyers, conversion and AOV summed over ``week``; ``days`` held.

    Visitors are the sum of the daily visitor counts (a visitor of two days counts twice,
    as 生意参谋's weekly view adds them); conversion = buyers / visitors, AOV = GMV / buyers.
    """
    rows = _in_week(shop_daily, week)
    n = len(rows)  # a day without visitors (sales or orders alone) leaves the week's unknown
    gmv, visitors, buyers = (
        float(rows[c].sum(min_count=n)) if n else 0.0 for c in ("gmv", "visitors", "paying_buyers")
    )
    v, conversion, aov = daily.gmv_factors(visitors, buyers, gmv)
    return {
        "gmv": gmv,
        "visitors": v,
        "paying_buyers": buyers,
        "conversion": conversion,
        "aov": aov,
        "days": int(rows["date"].nunique()),
    }


def week_bridge(shop_daily: pd.DataFrame, week: Week) -> pd.DataFrame:
    """The week's GMV against the week before, the change split between the three levers.

    One row per week (``week``: its Monday): GMV, visitors, conversion, AOV, days; the
    current week's row adds the change and each lever's effect (Shapley, to the cent).
    """
    now, then = week_totals(shop_daily, week), week_totals(shop_daily, week.before)
    rows = [{"week": week.before.start, **then}, {"week": week.start, **now}]
    out = pd.DataFrame(rows)
    if then["days"] and now["days"]:
        parts = daily.lever_split(
            [then[f] for f in daily.FACTORS],
            [now[f] for f in daily.FACTORS],
            round(then["gmv"], 2),
            round(now["gmv"], 2),
        )
        out.loc[1, "change"] = parts["total"]
        out.loc[1, "change_pct"] = now["gmv"] / then["gmv"] - 1 if then["gmv"] else np.nan
        for f in daily.FACTORS:
            out.loc[1, f"{f}_effect"] = parts[f]
    return out


def week_plan(plan: pd.DataFrame, shop_daily: pd.DataFrame, week: Week) -> dict:
    """The week's GMV against its share of the monthly plans.

    Each day's target is the month's target split over its days the way the daily review
    splits it (:func:`daily.daily_targets`: the shop's weekday pattern, else evenly), so a
    week that spans two months takes its days from each. Raises ``LookupError`` when a
    month of the week has no target.
    """
    months = sorted({d.to_period("M").to_timestamp() for d in week.days})
    targets = pd.concat([daily.daily_targets(plan, shop_daily, m) for m in months])
    target = float(targets.loc[targets["date"].isin(week.days), "target"].sum())
    actual = float(_in_week(shop_daily, week)["gmv"].sum())
    return {
        "target": target,
        "actual": actual,
        "ratio": actual / target if target else np.nan,
        "gap": actual - target,
    }


def week_health(shop_daily: pd.DataFrame, week: Week, limits: dict[str, float]) -> pd.DataFrame:
    """Each page-health metric over the week: its mean, last week's, days outside its band.

    ``limits`` maps a metric of :data:`HEALTH_BANDS` to its limit (bounce above, pages and
    stay below it are out of band). Pages per visit come from page views / visitors where
    the export has no column of its own (:func:`daily.pages_per_visit`). Metrics the export
    lacks are left out.
    """
    shop = shop_daily.copy()
    if (ppv := daily.pages_per_visit(shop)) is not None:
        shop["pages_per_visit"] = ppv
    rows = []
    for metric, low_is_bad in HEALTH_BANDS.items():
        if metric not in shop or shop[metric].dropna().empty or metric not in limits:
            continue
        limit = limits[metric]
        now = _in_week(shop, week)[metric].dropna()
        then = _in_week(shop, week.before)[metric].dropna()
        out = now < limit if low_is_bad else now > limit
        rows.append(
            {
                "metric": metric,
                "value": now.mean() if len(now) else np.nan,
                "value_prev": then.mean() if len(then) else np.nan,
                "threshold": limit,
                "direction": "≥" if low_is_bad else "<",
                "days_out": int(out.sum()),
                "days_known": int(len(now)),
            }
        )
    return pd.DataFrame(rows)


def listing_changes(listings: pd.DataFrame, week: Week) -> pd.DataFrame:
    """Rival listings that appeared or disappeared at a snapshot within ``week``.

    The rival change log (:func:`change_log`) of the week's snapshots, its ``new`` and
    ``removed`` rows: new = first seen, the shop having been seen before; removed = in a
    shop's snapshot and gone from its next one.
    """
    log = change_log(listings, week.start - pd.Timedelta(days=1), week.end, RivalThresholds())
    return log[log["change"].isin(LISTING_CHANGES)].reset_index(drop=True)


def listing_counts(changes: pd.DataFrame) -> pd.DataFrame:
    """New and removed listings per rival shop: ``shop``, ``n_new``, ``n_removed``."""
    counts = (
        changes.groupby(["shop", "change"]).size().unstack(fill_value=0)
        if len(changes)
        else pd.DataFrame()
    )
    counts = counts.reindex(columns=list(LISTING_CHANGES), fill_value=0)
    counts.columns = [f"n_{c}" for c in counts.columns]
    return counts.sort_values("n_new", ascending=False).reset_index().rename_axis(None, axis=1)


def ad_weeks(ad_rows: pd.DataFrame, week: Week) -> pd.DataFrame:
    """Ad spend and return per currency, this week and the week before.

    Sums of the dated ad rows of each week (:func:`ads.sums`), then ROAS = revenue / cost
    (:func:`ads.with_ratios`, never an average of daily ratios). Columns: currency, week
    (its Monday), cost, gmv, orders, clicks … roas. Undated rows are left out.
    """
    rows = ad_rows[ad_rows["date"].notna()] if "date" in ad_rows else ad_rows.iloc[0:0]
    parts = []
    for w in (week.before, week):
        t = ads.sums(_in_week(rows, w), ["currency"]) if len(rows) else pd.DataFrame()
        parts.append(t.assign(week=w.start))
    out = ads.with_ratios(pd.concat(parts, ignore_index=True))
    return out.sort_values(["currency", "week"]).reset_index(drop=True)


def customer_flow(purchases: pd.DataFrame, week: Week, churn_days: int) -> pd.DataFrame:
    """Buyers gained and lost, this week and the week before.

    ``new``: customers whose first purchase falls in the week. ``lost``: customers who crossed
    the churn line during the week — churned at its end (no purchase in ``churn_days``, the
    customer report's definition, :func:`segments.activity`) and not churned the day before
    it began. ``active``: customers not churned at the week's end.
    """
    first = purchases.groupby("customer_id")["date"].min()
    rows = []
    for w in (week.before, week):
        at_end = segments.activity(purchases, None, w.end, churn_days=churn_days)
        before = segments.activity(
            purchases, None, w.start - pd.Timedelta(days=1), churn_days=churn_days
        )
        churned_end = at_end["activity"].eq("churned")
        was_active = before["activity"].ne("churned").reindex(at_end.index, fill_value=False)
        rows.append(
            {
                "week": w.start,
                "new": int(first.between(w.start, w.end).sum()),
                "lost": int((churned_end & was_active).sum()),
                "active": int((~churned_end).sum()),
            }
        )
    return pd.DataFrame(rows)
