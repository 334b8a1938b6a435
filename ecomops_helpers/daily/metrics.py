"""Shop arithmetic for the daily review: plan pacing, the GMV bridge, sources, pages, profit.

GMV = visitors × conversion × AOV, with conversion = paying buyers / visitors and
AOV = GMV / paying buyers, so the three factors multiply back to GMV exactly. What conversion
counts is the export's own (:func:`with_conversion_count`): 生意参谋's paying buyers, Amazon's
units ordered (its unit session percentage), else orders (Shopify: orders per session, AOV as
its admin shows it). Visitors unknown (sales or orders alone): no lever split, said so.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

import numpy as np
import pandas as pd

__all__ = [
    "FACTORS",
    "CONVERTED",
    "with_conversion_count",
    "Pacing",
    "daily_targets",
    "plan_pacing",
    "gmv_factors",
    "decompose_change",
    "lever_split",
    "gmv_bridge",
    "FUNNEL",
    "funnel_steps",
    "source_structure",
    "paid_source_trend",
    "pages_per_visit",
    "page_health",
    "profit_view",
    "shop_stage",
    "hero_ids",
    "hero_items",
    "stock_from_inventory",
    "presale_days",
]

FACTORS = ("visitors", "conversion", "aov")
# the baselines the GMV bridge compares the report day with (catalogue terms)
BASELINES = ("day before", "same weekday last week", "7-day average", "same day last year")
STAGES = ("rising", "stable", "declining")  # shop_stage's verdicts
HEALTH_METRICS = ("bounce_rate", "pages_per_visit", "avg_stay_s", "aov_vs_hero")
HEALTH_STATUSES = ("good", "ok", "bad")
CONVERTED = ("paying_buyers", "units", "orders")  # what conversion counts, first present


def with_conversion_count(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` whose ``paying_buyers`` holds what its conversion counts; ``attrs["basis"]`` names it.

    The first of :data:`CONVERTED` with figures: a table without buyers (Amazon, Shopify) counts
    units or orders there. Visitors the export does not give are NaN, never 0.
    """
    basis = next((c for c in CONVERTED if c in df and df[c].notna().any()), "paying_buyers")
    out = df.copy()
    if basis != "paying_buyers":
        out["paying_buyers"] = out[basis]
    for column in ("paying_buyers", "visitors"):
        if column not in out:
            out[column] = np.nan
    out.attrs["basis"] = basis
    return out


def _day(df: pd.DataFrame, when) -> pd.DataFrame:
    return df[df["date"] == pd.Timestamp(when)]


# --------------------------------------------------------------------------- plan pacing


def daily_targets(
    plan: pd.DataFrame,
    shop_daily: pd.DataFrame,
    month,
    min_history_days: int = 28,
    history_days: int = 56,
) -> pd.DataFrame:
    """Split a month's GMV target over its days.

    Weighted by the shop's weekday pattern (median GMV per weekday over the ``history_days``
    before the month, relative to their mean) when at least ``min_history_days`` of history
    exist; evenly otherwise. Returns ``date``, ``weight`` (sums to 1) and ``target``.
    """
    start = pd.Timestamp(month).to_period("M").to_timestamp()
    days = pd.date_range(start, start + pd.offsets.MonthEnd(0), freq="D")
    row = plan[plan["month"] == start]
    if row.empty:
        raise LookupError(f"the plan has no target for {start:%Y-%m}")
    target = float(row["gmv_target"].iloc[0])
    hist = shop_daily[
        (shop_daily["date"] < start)
        & (shop_daily["date"] >= start - pd.Timedelta(days=history_days))
    ]
    if len(hist) >= min_history_days:
        by_wd = hist.groupby(hist["date"].dt.day_of_week)["gmv"].median()
        by_wd = (by_wd / by_wd.mean()).reindex(range(7)).fillna(1.0)
        raw = by_wd.reindex(days.day_of_week).to_numpy()
        basis, basis_days = "weekday", len(hist)
    else:
        raw = np.ones(len(days))
        basis, basis_days = "even", min_history_days
    weight = raw / raw.sum()
    out = pd.DataFrame({"date": days, "weight": weight, "target": target * weight})
    out.attrs["basis"] = basis  # weekday: the shop's weekday pattern; even: too little history
    out.attrs["basis_days"] = basis_days  # days of history used (weekday) or needed (even)
    return out


@dataclass(frozen=True)
class Pacing:
    """Month-to-date progress against plan."""

    month: pd.Timestamp
    month_target: float
    mtd_target: float
    mtd_actual: float
    day_target: float
    day_actual: float
    days_left: int
    needed_per_day: float
    basis: str  # weekday (the shop's weekday pattern) or even (too little history)
    basis_days: int  # days of history the split used (weekday) or would need (even)
    daily: pd.DataFrame

    @property
    def gap(self) -> float:
        """Month-to-date actual minus target (negative = behind)."""
        return self.mtd_actual - self.mtd_target

    @property
    def mtd_ratio(self) -> float:
        """Month-to-date actual / target."""
        return self.mtd_actual / self.mtd_target if self.mtd_target else float("nan")

    @property
    def day_ratio(self) -> float:
        """The report day's actual / its target."""
        return self.day_actual / self.day_target if self.day_target else float("nan")


def plan_pacing(plan: pd.DataFrame, shop_daily: pd.DataFrame, report_date) -> Pacing:
    """Month-to-date GMV vs target and the daily GMV the rest of the month needs."""
    when = pd.Timestamp(report_date)
    targets = daily_targets(plan, shop_daily, when)
    actual = shop_daily.set_index("date")["gmv"].reindex(targets["date"])
    daily = targets.assign(actual=actual.to_numpy())
    daily.loc[daily["date"] > when, "actual"] = np.nan
    daily["cum_target"] = daily["target"].cumsum()
    daily["cum_actual"] = daily["actual"].cumsum()
    done = daily["date"] <= when
    mtd_actual = float(daily.loc[done, "actual"].fillna(0).sum())
    month_target = float(daily["target"].sum())
    days_left = int((~done).sum())
    remaining = month_target - mtd_actual
    return Pacing(
        month=when.to_period("M").to_timestamp(),
        month_target=month_target,
        mtd_target=float(daily.loc[done, "target"].sum()),
        mtd_actual=mtd_actual,
        day_target=float(daily.loc[daily["date"] == when, "target"].iloc[0]),
        day_actual=float(daily.loc[daily["date"] == when, "actual"].fillna(0).iloc[0]),
        days_left=days_left,
        needed_per_day=max(remaining, 0.0) / days_left if days_left else 0.0,
        basis=targets.attrs["basis"],
        basis_days=targets.attrs["basis_days"],
        daily=daily,
    )


# --------------------------------------------------------------------------- GMV bridge


def gmv_factors(visitors, paying_buyers, gmv) -> tuple[float, float, float]:
    """Visitors, conversion and AOV whose product is exactly ``gmv`` (NaN: visitors unknown)."""
    v, b, g = float(visitors), float(paying_buyers), float(gmv)
    conversion = b / v if v else 0.0
    aov = g / b if b else 0.0
    return v, conversion, aov


def decompose_change(before: tuple, after: tuple, names=FACTORS) -> dict[str, float]:
    """Split the change of a product of factors exactly between the factors (Shapley).

    Each factor's effect is its marginal change averaged over every order in which the
    factors can change; the effects add up to the total change by construction and zeros
    are handled. Effects are rounded to the cent and the rounding residue goes to the
    largest effect, so they add up to the rounded change to the cent.
    """
    before, after = np.asarray(before, float), np.asarray(after, float)
    k = len(before)
    effects = np.zeros(k)
    orders = list(permutations(range(k)))
    for order in orders:
        current = before.copy()
        for i in order:
            prev = np.prod(current)
            current[i] = after[i]
            effects[i] += np.prod(current) - prev
    effects /= len(orders)
    total_cents = int(round(np.prod(after) * 100)) - int(round(np.prod(before) * 100))
    cents = np.round(effects * 100).astype(int)
    cents[int(np.argmax(np.abs(effects)))] += total_cents - int(cents.sum())
    out = {name: c / 100 for name, c in zip(names, cents)}
    out["total"] = total_cents / 100
    return out


def lever_split(before, after, base_gmv: float, gmv: float) -> dict[str, float]:
    """Each lever's effect on the change from ``base_gmv`` to ``gmv`` and the ``total``.

    Exact (:func:`decompose_change`) where every factor is known; where visitors are unknown
    (sales or orders alone) the effects are NaN and the total is the GMV change.
    """
    if np.isfinite(np.concatenate([before, after])).all():
        return decompose_change(before, after)
    return {f: np.nan for f in FACTORS} | {"total": round(gmv - base_gmv, 2)}


def _period_totals(shop: pd.DataFrame, days) -> tuple[float, float, float, int]:
    """Average visitors, buyers and GMV a day over ``days``; NaN where a day lacks the figure."""
    rows = shop[shop["date"].isin(days)]
    n = len(rows)
    if n == 0:
        return (np.nan, np.nan, np.nan, 0)
    return (
        *(rows[c].sum(min_count=n) / n for c in ("visitors", "paying_buyers", "gmv")),
        n,
    )


def gmv_bridge(shop_daily: pd.DataFrame, report_date) -> pd.DataFrame:
    """The report day's GMV against four baselines, each change split into its three levers.

    Baselines: the day before, the same weekday a week before, the 7-day average before, and
    the same date a year before (only when the exports reach that far). A multi-day baseline
    uses average visitors, buyers and GMV, so its factors still multiply to its GMV.
    """
    when = pd.Timestamp(report_date)
    d = pd.Timedelta
    comparisons = dict(
        zip(
            BASELINES,
            (
                [when - d(days=1)],
                [when - d(days=7)],
                list(pd.date_range(when - d(days=7), when - d(days=1))),
                [when - pd.DateOffset(years=1)],
            ),
        )
    )
    now = _period_totals(shop_daily, [when])
    after = gmv_factors(*now[:3])
    rows = []
    for label, days in comparisons.items():
        then = _period_totals(shop_daily, days)
        if then[3] < len(days):
            continue
        before = gmv_factors(*then[:3])
        base, gmv = round(then[2], 2), round(now[2], 2)
        parts = lever_split(before, after, base, gmv)
        rows.append(
            {
                "baseline": label,
                "base_gmv": base,
                "gmv": gmv,
                "change": parts["total"],
                "change_pct": (gmv / base - 1) if base else np.nan,
                **{f"{f}_effect": parts[f] for f in FACTORS},
                **{f"base_{f}": b for f, b in zip(FACTORS, before)},
                **{f: a for f, a in zip(FACTORS, after)},
            }
        )
    return pd.DataFrame(rows)


# the online store's checkout funnel (Shopify's conversion over time): step, its count, the
# count before it
FUNNEL = (
    ("cart_rate", "cart_sessions", "visitors"),
    ("checkout_rate", "checkout_sessions", "cart_sessions"),
    ("completion_rate", "converted_sessions", "checkout_sessions"),
)


def funnel_steps(shop: pd.DataFrame, report_date, window: int = 7) -> pd.DataFrame | None:
    """Each funnel step's rate on the report day against its mean rate over ``window`` days.

    Rates of summed counts (sessions with cart additions ÷ sessions …); ``None`` where the
    export has no funnel counts.
    """
    if any(c not in shop for _, c, _ in FUNNEL):
        return None
    when = pd.Timestamp(report_date)
    today = shop[shop["date"] == when]
    before = shop[(shop["date"] < when) & (shop["date"] >= when - pd.Timedelta(days=window))]
    rows = []
    for step, count, of in FUNNEL:
        now, then = today[count].sum(), before[count].sum()
        rows.append(
            {
                "step": step,
                "rate": now / today[of].sum() if today[of].sum() else np.nan,
                "base_rate": then / before[of].sum() if before[of].sum() else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out["rate_change"] = out["rate"] / out["base_rate"] - 1
    return out


# --------------------------------------------------------------------------- traffic sources


def source_structure(sources: pd.DataFrame, report_date, baseline_days: int = 7) -> pd.DataFrame:
    """Each source on the report day against its average over the ``baseline_days`` before.

    Columns: visitors, share, share_change (points), visitors_change, paying_buyers,
    conversion, gmv, gmv_change, cost, cost_per_visitor, gmv_per_visitor, roi (GMV / cost) and
    each source's share of the shop's visitor and GMV change (``explains_visitors`` /
    ``explains_gmv``, fractions of the total change).
    """
    when = pd.Timestamp(report_date)
    start = when - pd.Timedelta(days=baseline_days)
    cols = [c for c in ("visitors", "paying_buyers", "gmv", "cost") if c in sources]
    today = sources[sources["date"] == when].groupby("source")[cols].sum(min_count=1)
    base = (
        sources[(sources["date"] >= start) & (sources["date"] < when)]
        .groupby("source")[cols]
        .sum(min_count=1)
        / baseline_days
    )
    out = today.merge(
        base, left_index=True, right_index=True, how="outer", suffixes=("", "_base")
    ).fillna({"visitors": 0, "visitors_base": 0})
    out["share"] = out["visitors"] / out["visitors"].sum()
    out["share_change"] = out["share"] - out["visitors_base"] / out["visitors_base"].sum()
    out["visitors_change"] = out["visitors"] - out["visitors_base"]
    total_dv = out["visitors_change"].sum()
    out["explains_visitors"] = out["visitors_change"] / total_dv if total_dv else np.nan
    if "paying_buyers" in out:
        out["conversion"] = out["paying_buyers"] / out["visitors"].replace(0, np.nan)
    if "gmv" in out:
        out["gmv_change"] = out["gmv"].fillna(0) - out["gmv_base"].fillna(0)
        total_dg = out["gmv_change"].sum()
        out["explains_gmv"] = out["gmv_change"] / total_dg if total_dg else np.nan
        out["gmv_per_visitor"] = out["gmv"] / out["visitors"].replace(0, np.nan)
    if "cost" in out:
        out["cost_per_visitor"] = out["cost"] / out["visitors"].replace(0, np.nan)
        if "gmv" in out:
            out["roi"] = out["gmv"] / out["cost"].replace(0, np.nan)
    return out.sort_values("visitors", ascending=False).reset_index()


def paid_source_trend(sources: pd.DataFrame, report_date, window: int = 7) -> pd.DataFrame:
    """For every source with cost: last ``window`` days vs the ``window`` days before.

    Columns: cost, cost_prev, cost_change, buyers, buyers_prev, buyers_change, cost_per_buyer,
    cost_per_buyer_prev, roi, roi_prev.
    """
    if "cost" not in sources:
        return pd.DataFrame()
    when = pd.Timestamp(report_date)
    recent = (sources["date"] > when - pd.Timedelta(days=window)) & (sources["date"] <= when)
    prev = (sources["date"] > when - pd.Timedelta(days=2 * window)) & (
        sources["date"] <= when - pd.Timedelta(days=window)
    )
    paid = sources.groupby("source")["cost"].sum() > 0
    paid_names = paid[paid].index
    agg = {"cost": "sum", "paying_buyers": "sum", "gmv": "sum"}
    agg = {k: v for k, v in agg.items() if k in sources}
    a = sources[recent & sources["source"].isin(paid_names)].groupby("source").agg(agg)
    b = sources[prev & sources["source"].isin(paid_names)].groupby("source").agg(agg)
    out = a.merge(b, left_index=True, right_index=True, how="left", suffixes=("", "_prev"))
    out["cost_change"] = out["cost"] / out["cost_prev"] - 1
    if "paying_buyers" in out:
        out = out.rename(columns={"paying_buyers": "buyers", "paying_buyers_prev": "buyers_prev"})
        out["buyers_change"] = out["buyers"] / out["buyers_prev"].replace(0, np.nan) - 1
        out["cost_per_buyer"] = out["cost"] / out["buyers"].replace(0, np.nan)
        out["cost_per_buyer_prev"] = out["cost_prev"] / out["buyers_prev"].replace(0, np.nan)
    if "gmv" in out:
        out["roi"] = out["gmv"] / out["cost"].replace(0, np.nan)
        out["roi_prev"] = out["gmv_prev"] / out["cost_prev"].replace(0, np.nan)
    return out.reset_index()


# --------------------------------------------------------------------------- page health


def _run(bad: pd.Series) -> int:
    flags = bad.to_numpy()[::-1]
    return int(len(flags)) if flags.all() else int(np.argmin(flags))


def pages_per_visit(shop: pd.DataFrame) -> pd.Series | None:
    """人均浏览量: the export's column, else page views / visitors where conversion counts buyers.

    Amazon's page views count its own detail pages (1–2 a session), so 人均浏览量's limits
    do not apply there: no figure is derived for a shop whose conversion counts units.
    """
    if "pages_per_visit" in shop:
        return shop["pages_per_visit"]
    if "pageviews" in shop and shop.attrs.get("basis", "paying_buyers") == "paying_buyers":
        return shop["pageviews"] / shop["visitors"].replace(0, np.nan)
    return None


def page_health(
    shop_daily: pd.DataFrame,
    items_daily: pd.DataFrame | None,
    report_date,
    *,
    bounce_max: float = 0.70,
    bounce_good: float = 0.60,
    pages_min: float = 2.5,
    pages_good: float = 3.5,
    stay_min_s: float = 30.0,
    aov_vs_hero_min: float = 1.3,
) -> pd.DataFrame:
    """Page-health checks on the report day, each with its threshold, status and run length.

    ``status`` is ``good``, ``ok`` or ``bad``; ``days`` counts consecutive days up to the
    report day with the same bad status (0 when not bad). Store AOV is compared with the AOV
    of the hero items (their GMV / their buyers) when items are present.
    """
    when = pd.Timestamp(report_date)
    shop = shop_daily[shop_daily["date"] <= when].set_index("date").sort_index()
    rows = []

    def add(metric, series, low_is_bad, limit, good):
        if series is None or series.dropna().empty or when not in series.index:
            return
        value = float(series.loc[when])
        bad_series = series < limit if low_is_bad else series > limit
        bad = bool(bad_series.loc[when])
        is_good = good is not None and (value > good if low_is_bad else value < good)
        rows.append(
            {
                "metric": metric,
                "value": value,
                "threshold": limit,
                "good": good,
                "direction": "≥" if low_is_bad else "<",
                "status": "bad" if bad else ("good" if is_good else "ok"),
                "days": _run(bad_series.fillna(False)) if bad else 0,
            }
        )

    if "bounce_rate" in shop:
        add("bounce_rate", shop["bounce_rate"], False, bounce_max, bounce_good)
    add("pages_per_visit", pages_per_visit(shop), True, pages_min, pages_good)
    if "avg_stay_s" in shop:
        add("avg_stay_s", shop["avg_stay_s"], True, stay_min_s, None)
    if items_daily is not None and "is_hero" in items_daily and "paying_buyers" in items_daily:
        hero = items_daily[items_daily["is_hero"] & (items_daily["date"] <= when)]
        by_day = hero.groupby("date")[["gmv", "paying_buyers"]].sum()
        hero_aov = by_day["gmv"] / by_day["paying_buyers"].replace(0, np.nan)
        store_aov = shop["gmv"] / shop["paying_buyers"].replace(0, np.nan)
        ratio = (store_aov / hero_aov).dropna()
        add("aov_vs_hero", ratio, True, aov_vs_hero_min, None)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- profit


def profit_view(
    shop_daily: pd.DataFrame,
    sources: pd.DataFrame | None,
    report_date,
    *,
    days: int = 30,
    commission_rate: float = 0.05,
) -> pd.DataFrame:
    """GMV, refunds, ad spend and platform commission per day over the last ``days``.

    ``net`` = GMV − refunds − ad spend − commission (commission charged on GMV after refunds).
    Ad spend is the traffic-source cost column; without it, 0 and ``ad_spend_known`` False.
    """
    when = pd.Timestamp(report_date)
    span = (shop_daily["date"] > when - pd.Timedelta(days=days)) & (shop_daily["date"] <= when)
    out = shop_daily.loc[span, ["date", "gmv"]].copy()
    refund = shop_daily.loc[span, "refund_amount"] if "refund_amount" in shop_daily else 0.0
    out["refunds"] = pd.Series(refund, index=out.index).fillna(0.0)
    if sources is not None and "cost" in sources:
        spend = sources.groupby("date")["cost"].sum()
        out["ad_spend"] = out["date"].map(spend).fillna(0.0).to_numpy()
        out.attrs["ad_spend_known"] = True
    else:
        out["ad_spend"] = 0.0
        out.attrs["ad_spend_known"] = False
    out["commission"] = (out["gmv"] - out["refunds"]) * commission_rate
    out["net"] = out["gmv"] - out["refunds"] - out["ad_spend"] - out["commission"]
    out["ad_share"] = out["ad_spend"] / out["gmv"].replace(0, np.nan)
    out["refund_share"] = out["refunds"] / out["gmv"].replace(0, np.nan)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- stage


def _slope(values: pd.Series) -> float:
    """Average daily growth (fraction per day) from a least-squares line through log values."""
    y = np.log(values.clip(lower=1e-9).to_numpy(dtype=float))
    x = np.arange(len(y), dtype=float)
    if len(y) < 3:
        return float("nan")
    return float(np.expm1(np.polyfit(x, y, 1)[0]))


def shop_stage(
    shop_daily: pd.DataFrame,
    report_date,
    *,
    short_days: int = 15,
    long_days: int = 30,
    threshold: float = 0.005,
) -> dict:
    """Rising / stable / declining from the GMV trend over the last 15 and 30 days.

    The trend is the daily growth of the 7-day average GMV. ``rising`` when both windows grow
    faster than ``threshold`` per day, ``declining`` when both shrink faster, else ``stable``.
    Returns the stage, both slopes and (for the reader) the short window's daily detail.
    """
    when = pd.Timestamp(report_date)
    shop = shop_daily[shop_daily["date"] <= when].set_index("date").sort_index()
    smooth = shop["gmv"].rolling(7, min_periods=7).mean()
    s_short, s_long = _slope(smooth.iloc[-short_days:]), _slope(smooth.iloc[-long_days:])
    if s_short > threshold and s_long > threshold:
        stage = "rising"
    elif s_short < -threshold and s_long < -threshold:
        stage = "declining"
    else:
        stage = "stable"
    detail = shop.iloc[-short_days:][["visitors", "paying_buyers", "gmv"]].copy()
    detail["conversion"] = detail["paying_buyers"] / detail["visitors"].replace(0, np.nan)
    detail["aov"] = detail["gmv"] / detail["paying_buyers"].replace(0, np.nan)
    detail["gmv_7d_avg"] = smooth.iloc[-short_days:]
    return {
        "stage": stage,
        "slope_short": s_short,
        "slope_long": s_long,
        "short_days": short_days,
        "long_days": long_days,
        "detail": detail.reset_index(),
    }


# --------------------------------------------------------------------------- hero items


def hero_ids(items: pd.DataFrame, report_date, top: int = 3) -> list:
    """The hero items: those the export marks (主推) on the report day, else the ``top`` by GMV.

    GMV over the 30 days up to the report day; Shopify and Amazon mark no heroes.
    """
    when = pd.Timestamp(report_date)
    if "is_hero" in items and items["is_hero"].fillna(False).astype(bool).any():
        marked = items["is_hero"].fillna(False).astype(bool) & (items["date"] == when)
        return list(items.loc[marked, "item_id"].unique())
    last30 = items[(items["date"] > when - pd.Timedelta(days=30)) & (items["date"] <= when)]
    return list(last30.groupby("item_id")["gmv"].sum().nlargest(top).index)


def hero_items(
    items_daily: pd.DataFrame,
    reviews: pd.DataFrame | None,
    report_date,
    *,
    baseline_days: int = 28,
    cover_days_window: int = 7,
    review_days: int = 7,
    bad_rating_max: float = 2.0,
    conversion_drop: float = 0.4,
    buy_box_min: float = 0.9,
    hero_count: int = 3,
) -> pd.DataFrame:
    """Per hero item: today against its own trailing baseline, reviews, refunds and stock cover.

    Conversion is item buyers / item visitors. ``conversion_base`` is the median of the item's
    daily conversion over ``baseline_days`` before the report day; ``low_days`` counts the
    consecutive days up to today whose conversion is below ``(1 − conversion_drop) ×`` that
    baseline. ``lost_gmv`` = (baseline − today's conversion) × today's visitors × the item's
    baseline AOV. ``cover_days`` = stock / average daily units of the last ``cover_days_window``.
    Where the export has Amazon's Buy Box share: ``buy_box`` today and ``buy_box_days`` the run
    of days up to today below ``buy_box_min``.
    """
    when = pd.Timestamp(report_date)
    items = items_daily[items_daily["date"] <= when]
    heroes = hero_ids(items, when, hero_count)
    if reviews is not None:  # 评价时间 carries the time of day; these rules count whole days
        reviews = reviews.assign(date=reviews["date"].dt.normalize())
    rows = []
    for item in heroes:
        hist = items[items["item_id"] == item].set_index("date").sort_index()
        conv = hist["paying_buyers"] / hist["visitors"].replace(0, np.nan)
        before = conv[(conv.index < when) & (conv.index >= when - pd.Timedelta(days=baseline_days))]
        base = float(before.median()) if len(before) else float("nan")
        window = hist[(hist.index < when) & (hist.index >= when - pd.Timedelta(days=baseline_days))]
        aov_base = window["gmv"].sum() / max(window["paying_buyers"].sum(), 1)
        low = conv < (1 - conversion_drop) * base
        today = hist.loc[when] if when in hist.index else None
        units = hist["units"] if "units" in hist else hist["paying_buyers"]
        recent_units = units[units.index > when - pd.Timedelta(days=cover_days_window)].mean()
        stock = float(today["stock"]) if today is not None and "stock" in hist else float("nan")
        row = {
            "item_id": item,
            "title": hist["title"].iloc[-1] if "title" in hist else item,
            "visitors": float(today["visitors"]) if today is not None else 0.0,
            "gmv": float(today["gmv"]) if today is not None else 0.0,
            "conversion": float(conv.get(when, np.nan)),
            "conversion_base": base,
            "low_days": _run(low.fillna(False)) if bool(low.get(when, False)) else 0,
            "aov_base": float(aov_base),
            "fav_cart_rate": (
                float(today["fav_cart"] / today["visitors"])
                if today is not None and "fav_cart" in hist and today["visitors"]
                else float("nan")
            ),
            "refunds_7d": float(hist["refund_amount"].iloc[-7:].sum())
            if "refund_amount" in hist
            else float("nan"),
            "stock": stock,
            "units_per_day": float(recent_units),
            "cover_days": stock / recent_units if recent_units else float("inf"),
        }
        if reviews is not None:
            r = reviews[
                (reviews["item_id"] == item)
                & (reviews["date"] > when - pd.Timedelta(days=review_days))
                & (reviews["date"] <= when)
            ]
            bad = r[r["rating"] <= bad_rating_max]
            row["bad_reviews"] = int(len(bad))
            row["reviews"] = int(len(r))
            row["bad_since"] = bad["date"].min() if len(bad) else pd.NaT
            row["bad_texts"] = (
                " / ".join(bad["text"].dropna().astype(str).unique()[:3]) if "text" in bad else ""
            )
        if "buy_box" in hist:
            lost = hist["buy_box"] < buy_box_min
            row["buy_box"] = float(hist["buy_box"].get(when, np.nan))
            row["buy_box_days"] = _run(lost) if bool(lost.get(when, False)) else 0
        row["lost_gmv"] = max(base - row["conversion"], 0.0) * row["visitors"] * row["aov_base"]
        rows.append(row)
    return pd.DataFrame(rows)


def stock_from_inventory(
    items: pd.DataFrame, inventory: pd.DataFrame | None, max_age_days: int = 7
) -> pd.DataFrame:
    """``items`` whose missing stock is the latest stock snapshot (FBA inventory) of the day.

    Snapshots are matched by item id (Amazon: the ASIN); one more than ``max_age_days`` old,
    or none yet, leaves the day's stock unknown.
    """
    if inventory is None or inventory.empty:
        return items
    snaps = (
        inventory.dropna(subset=["date", "stock"])
        .groupby(["item_id", "date"], as_index=False)["stock"]
        .sum()  # one ASIN under several SKUs
        .rename(columns={"stock": "_snapshot"})
        .sort_values("date")
    )
    out = items.reset_index(drop=True)
    order = out.sort_values("date").index
    keys = {"item_id": "string", "date": "datetime64[ns]"}  # one resolution on both sides
    matched = pd.merge_asof(
        out.loc[order, ["date", "item_id"]].astype(keys),
        snaps.astype(keys),
        on="date",
        by="item_id",
        tolerance=pd.Timedelta(days=max_age_days),
    ).set_index(order)["_snapshot"]
    stock = out["stock"] if "stock" in out else pd.Series(np.nan, index=out.index)
    return out.assign(stock=stock.fillna(matched))


# --------------------------------------------------------------------------- pre-sale


def presale_days(shop_daily: pd.DataFrame) -> pd.Series:
    """Days whose payment conversion is 0 while orders exist (pre-sale: deposits, not payments).

    On such days the payment-based conversion says nothing; use order conversion instead.
    """
    if "orders" not in shop_daily:
        return pd.Series(False, index=shop_daily.index)
    return (shop_daily["paying_buyers"] == 0) & (shop_daily["orders"] > 0)
