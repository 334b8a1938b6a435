"""The weekly review: everything the weekly notebook shows, computed once, and its rules.

``build_weekly_review(folder, report_date, thresholds)`` takes the last complete Monday–Sunday
week ending on or before the report date (:func:`.weeks.report_week`) and sets it against its
share of the monthly plan and against the week before: GMV and its three levers, page health,
rival listings gained and lost, ad spend and return, buyers gained and lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..ads.audit import AdThresholds
from ..customers import segments
from ..customers.review import CustomerThresholds
from ..daily import metrics as daily
from ..daily.review import DailyThresholds, shop_money_kinds
from ..errors import MissingExportError
from ..exports import ExportSource
from ..page import formatting as fmt
from ..page.actions import Finding
from ..page.i18n import (
    Messages,
    date_note_text,
    missing_kind_text,
    settle_currency,
    source_warnings,
)
from ..sources import open_folder
from ..thresholds import Thresholds
from . import metrics
from .weeks import Week, report_week

__all__ = [
    "WeeklyThresholds",
    "WeeklyReview",
    "build_weekly_review",
    "weekly_findings",
    "headline",
    "week_line",
    "plan_line",
    "bridge_row",
    "bridge_table",
    "health_checks",
    "health_table",
    "listing_table",
    "ad_table",
    "HEALTH_COLUMNS",
    "LISTING_COLUMNS",
    "AD_COLUMNS",
    "BRIDGE_COLUMNS",
    "CUSTOMER_COLUMNS",
]

WEEKLY_MONEY_KINDS = ("shop_daily", "plan")  # ads keep each currency apart, orders are counted


@dataclass(frozen=True)
class WeeklyThresholds(Thresholds):
    """Every number a weekly rule compares with; defaults from practice (and the other reports)."""

    plan_gap_max: float = 0.05  # the week's GMV more than 5 % behind its share of the plan
    wow_drop_max: float = 0.10  # the week's GMV more than 10 % below the week before
    bounce_max: float = DailyThresholds.bounce_max  # a day's bounce rate above this is out of band
    pages_min: float = DailyThresholds.pages_min  # a day's pages per visit below this is out
    stay_min_s: float = DailyThresholds.stay_min_s  # a day's average stay below this is out
    health_days_max: int = 3  # a page metric out of band on this many days of the week fires
    margin: float = AdThresholds.margin  # gross margin: ads break even at ROI 1 / margin
    ad_roi_drop: float = 0.25  # ad ROI down more than 25 % on the week before fires
    rival_new_min: int = 3  # a rival shop listing this many new items in the week fires
    churn_days: int = CustomerThresholds.churn_days  # no purchase for this long: churned
    lost_vs_new_max: float = 1.0  # buyers lost more than this many times the new buyers fires
    currency: str = "CNY"  # the amounts' currency where no export names one

    @property
    def break_even(self) -> float:
        """The ad ROI at which ad revenue pays its goods and the ad: 1 / margin."""
        return 1.0 / self.margin

    def health_limits(self) -> dict[str, float]:
        """Each page-health metric's limit, as :func:`metrics.week_health` takes them."""
        return {
            "bounce_rate": self.bounce_max,
            "pages_per_visit": self.pages_min,
            "avg_stay_s": self.stay_min_s,
        }


@dataclass
class WeeklyReview:
    """Everything the weekly notebook shows for one report date."""

    report_date: pd.Timestamp
    week: Week
    thresholds: WeeklyThresholds
    lang: str
    shop: pd.DataFrame
    bridge: pd.DataFrame  # the week before and this week: GMV, levers, effects
    health: pd.DataFrame
    plan: dict | None = None  # target, actual, ratio, gap
    listings: pd.DataFrame | None = None  # rival listings new or removed in the week
    listing_counts: pd.DataFrame | None = None  # per rival shop
    ads: pd.DataFrame | None = None  # per currency and week: cost, gmv, roas …
    customers: pd.DataFrame | None = None  # per week: new, lost, active buyers
    missing: dict[str, str] = field(default_factory=dict)  # section → why it is hidden
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # optional exports that are broken
    date_notes: list[str] = field(default_factory=list)  # how ambiguous dates were read
    currency: str = "CNY"
    assumed: list[str] = field(default_factory=list)  # what the header must say was assumed

    @property
    def compared(self) -> bool:
        """Whether the week before has days to compare with."""
        return "change" in self.bridge and self.bridge["change"].notna().any()

    @property
    def levers(self) -> bool:
        """Whether the change splits between the levers (visitors known both weeks)."""
        return self.compared and self.bridge["visitors_effect"].notna().any()


def _optional(folder: ExportSource, kind: str, T: Messages, missing: dict, section: str):
    """An optional kind's rows, or None with the reason its section is hidden."""
    df, why = folder.load_optional(kind)
    if why:
        missing[section] = missing_kind_text(T, folder, kind)
    elif df.empty:
        missing[section] = T("weekly.reasons.empty", kind=T.kind(kind))
    return None if section in missing else df


def build_weekly_review(
    folder: ExportSource | str,
    report_date: str = "",
    thresholds: WeeklyThresholds | None = None,
    lang: str = "zh",
    date_order: str = "auto",
) -> WeeklyReview:
    """Load the exports of ``folder`` and compute the weekly review for ``report_date``.

    ``report_date`` "" means the last date of the exports. The week is the last complete
    Monday–Sunday week ending on or before it. Optional exports that are absent or broken
    (plan, rival listings, keyword report, orders) hide their sections; ``missing`` says why.
    """
    folder = open_folder(folder, date_order)
    th = thresholds or WeeklyThresholds()
    T = Messages(lang)
    shop = daily.with_conversion_count(folder.load("shop_daily"))
    when = pd.Timestamp(report_date) if report_date else folder.last_date()
    week = report_week(when)
    held = metrics.week_totals(shop, week)["days"]
    if not held:
        raise MissingExportError(
            T(
                "weekly.reasons.no_week",
                start=fmt.day(week.start, lang),
                end=fmt.day(week.end, lang),
            )
        )
    currency, assumed = settle_currency(
        T, folder, shop_money_kinds(folder, WEEKLY_MONEY_KINDS), th.currency
    )
    if held < 7:
        assumed.append(T("weekly.reasons.short_week", days=held))
    review = WeeklyReview(
        report_date=when,
        week=week,
        thresholds=th,
        lang=lang,
        shop=shop,
        bridge=metrics.week_bridge(shop, week),
        health=metrics.week_health(shop, week, th.health_limits()),
        currency=currency,
        assumed=assumed,
    )
    missing = review.missing
    if not review.compared:
        missing["bridge"] = T(
            "weekly.reasons.no_week_before", start=fmt.day(week.before.start, lang)
        )
    elif not review.levers:
        missing["bridge"] = T("reasons.no_visitors")
    if review.health.empty:
        missing["health"] = T("reasons.no_health_columns")
    if (plan := _optional(folder, "plan", T, missing, "plan")) is not None:
        try:
            review.plan = metrics.week_plan(plan, shop, week)
        except LookupError:
            missing["plan"] = T("reasons.no_plan_month", month=f"{week.end:%Y-%m}")
    if (listings := _optional(folder, "competitor_listings", T, missing, "rivals")) is not None:
        review.listings = metrics.listing_changes(listings, week)
        review.listing_counts = metrics.listing_counts(review.listings)
    if (ad_rows := _optional(folder, "ad_keywords", T, missing, "ads")) is not None:
        ad_rows = ad_rows.assign(
            currency=ad_rows["currency"].fillna(th.currency)
            if "currency" in ad_rows
            else th.currency
        )
        weeks = metrics.ad_weeks(ad_rows, week)
        if weeks.empty or "cost" not in weeks:
            missing["ads"] = T("weekly.reasons.no_ad_days", start=fmt.day(week.before.start, lang))
        else:
            review.ads = weeks
    if (orders := _optional(folder, "orders", T, missing, "customers")) is not None:
        purchases, _ = segments.clean_orders(orders)
        purchases = purchases[purchases["date"] <= week.end]
        if purchases.empty:
            missing["customers"] = T("weekly.reasons.no_purchases", end=fmt.day(week.end, lang))
        else:
            review.customers = metrics.customer_flow(purchases, week, th.churn_days)
    review.warnings = source_warnings(T, folder)
    review.date_notes = [date_note_text(T, n) for n in folder.date_notes]
    review.findings = weekly_findings(review)
    return review


def _ad_currency_rows(ads: pd.DataFrame, week: Week):
    """Per currency: this week's ad row and the week before's (None when it had no rows)."""
    for currency, g in ads.groupby("currency"):
        now = g[g["week"] == week.start]
        if now.empty:
            continue
        prev = g[g["week"] == week.before.start]
        yield currency, now.iloc[0], (prev.iloc[0] if len(prev) else None)


def weekly_findings(r: WeeklyReview) -> list[Finding]:
    """Every weekly rule that fires on ``r``, as findings with their numbers and owner."""
    th, lang, T = r.thresholds, r.lang, Messages(r.lang)
    out: list[Finding] = []

    def add(sev, area, key, **numbers):  # each area's owner acts (page: design, ads: ads …)
        out.append(Finding.from_catalogue(T, f"weekly.{key}", sev, area, **numbers))

    def money(x):
        return fmt.money(x, lang)

    def pct(x, digits=1, sign=False):
        return fmt.pct(x, digits, lang, sign=sign)

    week = week_line(r)
    p = r.plan
    if p is not None and p["ratio"] < 1 - th.plan_gap_max:
        add(
            1,
            "plan",
            "plan_behind",
            week=week,
            actual=money(p["actual"]),
            target=money(p["target"]),
            ratio=pct(p["ratio"]),
            limit=pct(th.plan_gap_max, 0),
            gap=money(-p["gap"]),
        )
    if r.compared:
        row = bridge_row(r)
        if row["change_pct"] < -th.wow_drop_max:
            lever = min(daily.FACTORS, key=lambda f: row[f"{f}_effect"])
            add(
                1 if row["change_pct"] < -2 * th.wow_drop_max else 2,
                "plan",
                "wow_drop" if r.levers else "wow_drop_sales",
                week=week,
                gmv=money(row["gmv"]),
                prev=money(row["base_gmv"]),
                change=pct(row["change_pct"], 1, sign=True),
                limit=pct(th.wow_drop_max, 0),
                lever=T.term(lever),
                effect=money(row[f"{lever}_effect"]),
            )
    for h in r.health.itertuples():
        if h.days_out >= th.health_days_max:
            below = h.direction == "≥"
            add(
                2,
                "page",
                "health",
                metric=T.term(h.metric),
                days=h.days_out,
                known=h.days_known,
                side="<" if below else ">",
                limit=_metric_text(h.metric, h.threshold, lang),
                mean=_metric_text(h.metric, h.value, lang),
                prev=_metric_text(h.metric, h.value_prev, lang),
                most=th.health_days_max,
            )
    if r.ads is not None:
        for currency, now, prev in _ad_currency_rows(r.ads, r.week):
            roi, roi_prev = now["roas"], (prev["roas"] if prev is not None else np.nan)
            numbers = dict(
                currency=currency,
                roi=fmt.number(roi, 2),
                prev=fmt.number(roi_prev, 2),
                cost=fmt.number(now["cost"], 2),
                gmv=fmt.number(now["gmv"], 2),
            )
            if roi < th.break_even:
                add(1, "ads", "ad_below_break_even", be=fmt.number(th.break_even, 2), **numbers)
            elif roi < roi_prev * (1 - th.ad_roi_drop):
                add(
                    2,
                    "ads",
                    "ad_roi_drop",
                    change=pct(roi / roi_prev - 1, 0, sign=True),
                    limit=pct(th.ad_roi_drop, 0),
                    **numbers,
                )
    if r.listing_counts is not None:
        for c in r.listing_counts.itertuples():
            if c.n_new >= th.rival_new_min:
                add(3, "rivals", "rival_launches", shop=c.shop, n=c.n_new, least=th.rival_new_min)
    if r.customers is not None:
        now = r.customers.iloc[-1]
        if now["lost"] > th.lost_vs_new_max * now["new"]:
            add(
                2,
                "crm",
                "customers_lost",
                lost=fmt.number(now["lost"]),
                new=fmt.number(now["new"]),
                factor=fmt.number(th.lost_vs_new_max, 1),
                churn_days=th.churn_days,
            )
    return out


def _metric_text(metric: str, value: float, lang: str) -> str:
    """A page-health value as it is read: a rate in %, a stay in seconds, pages with 2 decimals."""
    if value is None or pd.isna(value):
        return fmt.number(np.nan)
    if metric == "bounce_rate":
        return fmt.pct(value, 1, lang)
    if metric == "avg_stay_s":
        return f"{value:.0f} s"
    return fmt.number(value, 2)


def week_line(r: WeeklyReview) -> str:
    """The week as a reader names it: ``10月12日 周一 – 10月18日 周日``."""
    return f"{fmt.day(r.week.start, r.lang)} – {fmt.day(r.week.end, r.lang)}"


def plan_line(r: WeeklyReview) -> str:
    """The plan section's sentence: the week's GMV against its share of the month's targets."""
    p = r.plan
    return Messages(r.lang)(
        "weekly.plan.line",
        actual=fmt.money(p["actual"], r.lang),
        target=fmt.money(p["target"], r.lang),
        ratio=fmt.pct(p["ratio"], 1, r.lang),
        gap=fmt.money(p["gap"], r.lang, sign=True),
    )


def bridge_row(r: WeeklyReview) -> pd.Series:
    """The week against the week before as one bridge row (the waterfall chart draws it)."""
    before, now = r.bridge.iloc[0], r.bridge.iloc[1]
    return pd.concat([now, pd.Series({"baseline": "week before", "base_gmv": before["gmv"]})])


def headline(r: WeeklyReview) -> list[dict]:
    """The week's GMV, visitors, conversion and AOV against the week before, and the plan."""
    T, lang = Messages(r.lang), r.lang
    before, now = r.bridge.iloc[0], r.bridge.iloc[1]
    vs = T("weekly.words.vs_week_before")
    out = []
    for metric in ("gmv", *daily.FACTORS):
        base = before[metric] if r.compared else np.nan
        change = f"{fmt.pct(now[metric] / base - 1, 1, lang, sign=True)} {vs}" if base else ""
        text = fmt.money(now[metric], lang) if metric in ("gmv", "aov") else None
        if metric == "conversion":
            text = fmt.pct(now[metric], 2, lang)
        out.append(
            {
                "key": f"week_{metric}",
                "label": T.term(metric),
                "value": float(now[metric]),
                "text": text or fmt.number(now[metric]),
                "change": change,
            }
        )
    if r.plan is not None:
        out.append(
            {
                "key": "week_vs_plan",
                "label": T("weekly.words.vs_plan"),
                "value": float(r.plan["ratio"]),
                "text": fmt.pct(r.plan["ratio"], 1, lang),
                "change": fmt.money(r.plan["gap"], lang, sign=True),
            }
        )
    return out


BRIDGE_COLUMNS = [
    "week",
    "gmv",
    "visitors",
    "conversion",
    "aov",
    "week_days",
    "change",
    "change_pct",
    "visitors_effect",
    "conversion_effect",
    "aov_effect",
]
HEALTH_COLUMNS = ["metric", "week_value", "week_value_prev", "threshold", "days_out"]
CUSTOMER_COLUMNS = ["week", "new", "lost", "active"]
LISTING_COLUMNS = ["shop", "item_id", "title", "change_kind", "date"]
AD_COLUMNS = ["currency", "week", "ad_cost", "ad_gmv", "ad_orders", "clicks", "roas"]


def bridge_table(r: WeeklyReview) -> pd.DataFrame:
    """The week before and this week, each with its GMV, levers and the days it held."""
    t = r.bridge.rename(columns={"days": "week_days"})
    return t[[c for c in BRIDGE_COLUMNS if c in t]]


def health_checks(r: WeeklyReview) -> list[tuple[str, float, bool]]:
    """(metric, limit, low is bad) for :func:`plots.health_chart`, as the week judged them."""
    limits = r.thresholds.health_limits()
    return [(m, limits[m], low) for m, low in metrics.HEALTH_BANDS.items()]


def health_table(r: WeeklyReview) -> pd.DataFrame:
    """The page-health rows with each mean and limit written as its metric is read."""
    h = r.health
    text = {
        name: [_metric_text(m, v, r.lang) for m, v in zip(h["metric"], h[col])]
        for name, col in (
            ("week_value", "value"),
            ("week_value_prev", "value_prev"),
            ("threshold", "threshold"),
        )
    }
    return h.assign(**text)[HEALTH_COLUMNS]


def listing_table(r: WeeklyReview) -> pd.DataFrame:
    """The rival listings new or removed in the week, under the report's column names."""
    return r.listings.assign(change_kind="change_" + r.listings["change"])[LISTING_COLUMNS]


def ad_table(r: WeeklyReview) -> pd.DataFrame:
    """Ad spend and return per currency and week, under the report's column names."""
    t = r.ads.rename(columns={"cost": "ad_cost", "gmv": "ad_gmv", "orders": "ad_orders"})
    return t[[c for c in AD_COLUMNS if c in t]]
