"""The daily review: everything the notebook shows, computed once, and the rules that fire.

``build_daily_review(folder, report_date, thresholds)`` loads the exports, runs the shop
arithmetic and turns every threshold breach into a :class:`~ecomops_helpers.page.actions.Finding`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import MissingExportError
from ..exports import ExportSource, open_folder
from ..exports.source import ONE_CURRENCY
from ..page import formatting as fmt
from ..page.actions import Finding
from ..page.i18n import (
    Messages,
    date_note_text,
    settle_currency,
    source_warnings,
    unusable_text,
)
from ..thresholds import Thresholds
from . import metrics
from .anomalies import flag_anomalies, run_length

__all__ = [
    "DailyThresholds",
    "DailyReview",
    "build_daily_review",
    "daily_findings",
    "headline",
    "plan_lines",
    "bridge_focus",
    "profit_totals",
    "health_table",
    "stage_line",
]


DAILY_MONEY_KINDS = ONE_CURRENCY["daily_review"]


@dataclass(frozen=True)
class DailyThresholds(Thresholds):
    """Every number a daily-review rule compares with; defaults come from practice."""

    plan_gap_max: float = 0.05  # month-to-date GMV more than 5 % behind plan
    bounce_max: float = 0.70
    bounce_good: float = 0.60
    pages_min: float = 2.5
    pages_good: float = 3.5
    stay_min_s: float = 30.0
    aov_vs_hero_min: float = 1.3
    anomaly_z: float = 3.5
    anomaly_min_change: float = 0.15
    anomaly_window: int = 28
    hero_conversion_drop: float = 0.4
    hero_baseline_days: int = 28
    bad_review_max: int = 3  # this many bad reviews on one item within bad_review_days fires
    bad_review_days: int = 7
    next_promo_date: str = ""  # ISO date of the next big promotion (e.g. 双12), "" for none
    min_cover_days: int = 14  # stock cover wanted when no promotion is set
    paid_window: int = 7
    paid_cost_rise: float = 0.30
    paid_buyers_rise_max: float = 0.10
    stage_threshold: float = 0.005
    commission_rate: float = 0.05
    ad_share_max: float = 0.25
    # --- thresholds: peers ---
    # --- thresholds: trace ---
    # --- thresholds: shop_health ---
    # --- thresholds: campaigns ---
    # --- thresholds: cross_report ---
    # --- thresholds: matrix ---
    currency: str = "CNY"  # the amounts' currency where no export names one


def _fmt_metric(metric: str, value: float, lang: str) -> str:
    """A shop metric as a person reads it: conversion with two decimals, money compact."""
    if value is None or pd.isna(value):
        return fmt.number(np.nan)  # "–", never "nan"
    if metric == "conversion":
        return fmt.pct(value, 2, lang)
    if metric == "bounce_rate":
        return fmt.pct(value, 1, lang)
    if metric in ("gmv", "aov"):
        return fmt.money(value, lang)
    if metric == "avg_stay_s":
        return f"{value:.0f} s"
    if metric in ("pages_per_visit", "aov_vs_hero"):
        return fmt.number(value, 2)
    return fmt.number(value)


@dataclass
class DailyReview:
    """Everything the daily-review notebook shows for one report date."""

    report_date: pd.Timestamp
    thresholds: DailyThresholds
    lang: str
    shop: pd.DataFrame
    sources: pd.DataFrame | None
    items: pd.DataFrame | None
    plan: pd.DataFrame | None
    reviews: pd.DataFrame | None
    pacing: metrics.Pacing | None
    bridge: pd.DataFrame
    source_table: pd.DataFrame | None
    paid: pd.DataFrame | None
    health: pd.DataFrame
    profit: pd.DataFrame
    stage: dict
    heroes: pd.DataFrame | None
    anomalies: dict[str, pd.DataFrame]
    missing: dict[str, str] = field(default_factory=dict)  # kind -> why its section is hidden
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # optional exports that are broken
    date_notes: list[str] = field(default_factory=list)  # how ambiguous dates were read
    currency: str = "CNY"  # what the amounts are in: named by the exports, else the parameter
    assumed: list[str] = field(default_factory=list)  # what the header must say was assumed
    # --- field: peers ---
    # --- field: trace ---
    # --- field: shop_health ---
    # --- field: campaigns ---
    # --- field: cross_report ---
    # --- field: matrix ---


def _shop_series(shop: pd.DataFrame) -> dict[str, pd.Series]:
    s = shop.set_index("date").sort_index()
    conv = s["paying_buyers"] / s["visitors"].replace(0, np.nan)
    aov = s["gmv"] / s["paying_buyers"].replace(0, np.nan)
    return {"gmv": s["gmv"], "visitors": s["visitors"], "conversion": conv, "aov": aov}


def _day_left_out(T: Messages, kind: str, when, files: list[str]) -> str:
    """Why the figures of ``kind`` on ``when`` are not shown: only left-out files held them."""
    return T(
        "reasons.day_left_out", kind=T.kind(kind), day=f"{when:%Y-%m-%d}", files=", ".join(files)
    )


def build_daily_review(
    folder: ExportSource | str,
    report_date: str = "",
    thresholds: DailyThresholds | None = None,
    lang: str = "zh",
    date_order: str = "auto",
) -> DailyReview:
    """Load the exports of ``folder`` and compute the daily review for ``report_date``.

    ``report_date`` "" means the last date of the shop's daily export. Optional exports that
    are absent or broken (traffic sources, items, plan, reviews) hide their sections;
    ``missing`` says why, ``warnings`` lists the broken ones. ``folder`` "" is the sample shop.
    """
    folder = open_folder(folder, date_order)
    th = thresholds or DailyThresholds()
    T = Messages(lang)
    shop = folder.load("shop_daily")
    when = pd.Timestamp(report_date) if report_date else folder.last_date()
    if when not in set(shop["date"]):
        if gone := folder.left_out_on("shop_daily", when):
            raise MissingExportError(_day_left_out(T, "shop_daily", when, gone))
        raise LookupError(
            f"report date {when:%Y-%m-%d} is not in the shop_daily export "
            f"({shop['date'].min():%Y-%m-%d} … {shop['date'].max():%Y-%m-%d}); "
            "download that day's 整体看板 or pick a date inside the range."
        )
    loaded = {
        k: folder.load_optional(k) for k in ("traffic_sources", "items_daily", "plan", "reviews")
    }
    opt = {k: df for k, (df, _) in loaded.items()}
    missing = {
        k: unusable_text(T, k, folder.path, folder.broken.get(k, ""))
        for k, (_, why) in loaded.items()
        if why
    }
    for k in opt:  # a day only a left-out file held: no figure of it is shown as whole
        if opt[k] is not None and (gone := folder.left_out_on(k, when)):
            opt[k], missing[k] = None, _day_left_out(T, k, when, gone)
    sources, items, plan, reviews = (
        opt[k] for k in ("traffic_sources", "items_daily", "plan", "reviews")
    )
    currency, assumed = settle_currency(T, folder, DAILY_MONEY_KINDS, th.currency)
    pacing = None
    if plan is not None:
        try:
            pacing = metrics.plan_pacing(plan, shop, when)
        except LookupError:
            missing["plan"] = T("reasons.no_plan_month", month=f"{when:%Y-%m}")
    series = _shop_series(shop[shop["date"] <= when])
    anomalies = {
        name: flag_anomalies(s, th.anomaly_z, th.anomaly_min_change, th.anomaly_window)
        for name, s in series.items()
    }
    review = DailyReview(
        report_date=when,
        thresholds=th,
        lang=lang,
        shop=shop,
        sources=sources,
        items=items,
        plan=plan,
        reviews=reviews,
        pacing=pacing,
        bridge=metrics.gmv_bridge(shop, when),
        source_table=metrics.source_structure(sources, when) if sources is not None else None,
        paid=metrics.paid_source_trend(sources, when, th.paid_window)
        if sources is not None
        else None,
        health=metrics.page_health(
            shop,
            items,
            when,
            bounce_max=th.bounce_max,
            bounce_good=th.bounce_good,
            pages_min=th.pages_min,
            pages_good=th.pages_good,
            stay_min_s=th.stay_min_s,
            aov_vs_hero_min=th.aov_vs_hero_min,
        ),
        profit=metrics.profit_view(shop, sources, when, commission_rate=th.commission_rate),
        stage=metrics.shop_stage(shop, when, threshold=th.stage_threshold),
        heroes=metrics.hero_items(
            items,
            reviews,
            when,
            baseline_days=th.hero_baseline_days,
            review_days=th.bad_review_days,
            conversion_drop=th.hero_conversion_drop,
        )
        if items is not None
        else None,
        anomalies=anomalies,
        missing=missing,
        warnings=source_warnings(T, folder),
        date_notes=[date_note_text(T, n) for n in folder.date_notes],
        currency=currency,
        assumed=assumed,
    )
    if review.health.empty:
        review.missing["health"] = T("reasons.no_health_columns")
    # --- build: peers ---
    # --- build: trace ---
    # --- build: shop_health ---
    # --- build: campaigns ---
    # --- build: cross_report ---
    # --- build: matrix ---
    review.findings = daily_findings(review)
    return review


def daily_findings(r: DailyReview) -> list[Finding]:
    """Every rule of the daily review that fires on ``r``, as findings with their numbers."""
    th, when, lang = r.thresholds, r.report_date, r.lang
    T = Messages(lang)
    out: list[Finding] = []

    def add(sev, area, key, since="", **kw):
        out.append(Finding.from_catalogue(T, f"daily.{key}", sev, area, since, **kw))

    def since(first, days):
        return T("findings.daily.words.since", date=fmt.day(first, lang), days=days)

    def money(x):
        return fmt.money(x, lang)

    def pct(x, digits=1, sign=False):
        return fmt.pct(x, digits, lang, sign=sign)

    p = r.pacing
    if p is not None and p.mtd_ratio < 1 - th.plan_gap_max:
        add(
            1,
            "plan",
            "plan_behind",
            actual=money(p.mtd_actual),
            target=money(p.mtd_target),
            ratio=pct(p.mtd_ratio),
            limit=pct(th.plan_gap_max, 0),
            days=p.days_left,
            need=money(p.needed_per_day),
            today=money(p.day_actual),
        )

    presale = metrics.presale_days(r.shop)
    today_row = r.shop[r.shop["date"] == when]
    if presale[today_row.index].any():
        orders = int(today_row["orders"].iloc[0])
        add(
            2,
            "conversion",
            "presale",
            orders=orders,
            conv=pct(orders / max(int(today_row["visitors"].iloc[0]), 1), 2),
        )

    for metric, a in r.anomalies.items():
        if when not in a.index or a.loc[when, "flag"] == 0:
            continue
        row = a.loc[when]
        days = run_length(a["flag"], when)
        add(
            2 if metric in ("gmv", "conversion") else 3,
            "anomaly",
            "anomaly",
            since=since(when - pd.Timedelta(days=days - 1), days),
            metric=T.term(metric),
            direction=T(
                "findings.daily.words.high" if row["flag"] > 0 else "findings.daily.words.low"
            ),
            value=_fmt_metric(metric, row["value"], lang),
            expected=_fmt_metric(metric, row["expected"], lang),
            change=pct(row["relative_change"], 0, sign=True),
            z=f"{row['z']:.1f}",
            days=days,
        )

    if r.heroes is not None and len(r.heroes):
        promo = pd.Timestamp(th.next_promo_date) if th.next_promo_date else None
        for h in r.heroes.itertuples():
            if h.low_days > 0:
                add(
                    1,
                    "conversion",
                    "hero_conv",
                    since=since(when - pd.Timedelta(days=h.low_days - 1), h.low_days),
                    title=h.title,
                    conv=pct(h.conversion, 2),
                    base=pct(h.conversion_base, 2),
                    base_days=th.hero_baseline_days,
                    keep=pct(1 - th.hero_conversion_drop, 0),
                    loss=money(h.lost_gmv),
                )
            if getattr(h, "bad_reviews", 0) >= th.bad_review_max:
                add(
                    1,
                    "reviews",
                    "bad_reviews",
                    since=since(h.bad_since, (when - h.bad_since).days + 1),
                    title=h.title,
                    n=h.bad_reviews,
                    days=th.bad_review_days,
                    limit=th.bad_review_max,
                    texts=h.bad_texts,
                )
            if np.isfinite(h.cover_days):
                need_days = (
                    (promo - when).days if promo is not None and promo > when else th.min_cover_days
                )
                need = (
                    T("findings.daily.stock.need_promo", days=need_days, promo=fmt.day(promo, lang))
                    if promo is not None and promo > when
                    else T("findings.daily.stock.need_days", days=need_days)
                )
                if h.cover_days < need_days:
                    add(
                        1 if h.cover_days < need_days / 2 else 2,
                        "stock",
                        "stock",
                        title=h.title,
                        stock=fmt.number(h.stock),
                        rate=fmt.number(h.units_per_day, 1),
                        cover=fmt.number(h.cover_days, 1),
                        need=need,
                    )

    if r.paid is not None and len(r.paid):
        for prow in r.paid.itertuples():
            buyers_change = getattr(prow, "buyers_change", np.nan)
            if prow.cost_change > th.paid_cost_rise and not (
                buyers_change > th.paid_buyers_rise_max
            ):
                add(
                    2,
                    "traffic",
                    "paid",
                    source=prow.source,
                    window=th.paid_window,
                    cost=money(prow.cost),
                    cost_change=pct(prow.cost_change, 0, sign=True),
                    buyers_change=pct(buyers_change, 0, sign=True),
                    cpb_prev=money(getattr(prow, "cost_per_buyer_prev", np.nan)),
                    cpb=money(getattr(prow, "cost_per_buyer", np.nan)),
                )

    for h in r.health.itertuples():
        if h.status != "bad":
            continue
        first = when - pd.Timedelta(days=h.days - 1)
        below = h.direction == "≥"  # the healthy side is at or above the limit
        add(
            2 if h.days >= 3 else 3,
            "page",
            "page",
            since=since(first, h.days),
            metric=T.term(h.metric),
            side=T("findings.daily.words.below" if below else "findings.daily.words.above"),
            value=_fmt_metric(h.metric, h.value, lang),
            direction="<" if below else ">",
            limit=_fmt_metric(h.metric, h.threshold, lang),
            days=h.days,
        )

    if r.stage["stage"] == "declining":
        add(
            2,
            "stage",
            "stage",
            short=r.stage["short_days"],
            long=r.stage["long_days"],
            s_short=pct(r.stage["slope_short"], 1, sign=True),
            s_long=pct(r.stage["slope_long"], 1, sign=True),
        )

    if r.profit.attrs.get("ad_spend_known"):
        last7 = r.profit.tail(7)
        share = last7["ad_spend"].sum() / max(last7["gmv"].sum(), 1e-9)
        if share > th.ad_share_max:
            add(
                2,
                "profit",
                "ad_share",
                days=len(last7),
                share=pct(share),
                limit=pct(th.ad_share_max, 0),
            )
    # --- findings: peers ---
    # --- findings: trace ---
    # --- findings: shop_health ---
    # --- findings: campaigns ---
    # --- findings: cross_report ---
    # --- findings: matrix ---
    return out


def headline(review: DailyReview) -> list[dict]:
    """Today's GMV, visitors, conversion and AOV against the day before, and plan progress.

    Items for :func:`ecomops_helpers.page.notebook.kpi_strip`: key, label, value, text, change.
    """
    T, lang = Messages(review.lang), review.lang
    bridge = review.bridge.set_index("baseline")
    today = bridge.iloc[0]
    before = bridge.loc["day before"] if "day before" in bridge.index else None
    out = []
    for metric in ("gmv", *metrics.FACTORS):
        now = today[metric]
        base = (
            before["base_gmv" if metric == "gmv" else f"base_{metric}"]
            if before is not None
            else np.nan
        )
        vs = T("findings.daily.words.vs_day_before")
        change = f"{fmt.pct(now / base - 1, 1, lang, sign=True)} {vs}" if base else ""
        out.append(
            {
                "key": metric,
                "label": T.term(metric),
                "value": float(now),
                "text": _fmt_metric(metric, now, lang),
                "change": change,
            }
        )
    if review.pacing is not None:
        p = review.pacing
        out.append(
            {
                "key": "mtd_vs_plan",
                "label": T("findings.daily.words.mtd_vs_plan"),
                "value": float(p.mtd_ratio),
                "text": fmt.pct(p.mtd_ratio, 1, lang),
                "change": fmt.money(p.gap, lang, sign=True),
            }
        )
    return out


def plan_lines(review: DailyReview) -> list[str]:
    """The plan section's two sentences: where the month stands, and what each day needs."""
    p, T, lang = review.pacing, Messages(review.lang), review.lang

    def money(x):
        return fmt.money(x, lang)

    return [
        T(
            "daily.plan.summary",
            month_target=money(p.month_target),
            mtd=money(p.mtd_actual),
            mtd_target=money(p.mtd_target),
            mtd_ratio=fmt.pct(p.mtd_ratio, 1, lang),
            today=money(p.day_actual),
            day_target=money(p.day_target),
            day_ratio=fmt.pct(p.day_ratio, 1, lang),
        ),
        T(
            "daily.plan.needed",
            days=p.days_left,
            need=money(p.needed_per_day),
            basis=T(f"daily.plan.basis_{p.basis}", days=p.basis_days),
        ),
    ]


def bridge_focus(review: DailyReview) -> pd.Series:
    """The bridge row the chart draws: against the 7-day average when there is one."""
    b = review.bridge.set_index("baseline", drop=False)
    return b.loc["7-day average"] if "7-day average" in b.index else b.iloc[0]


BRIDGE_COLUMNS = [
    "baseline",
    "base_gmv",
    "gmv",
    "change",
    "change_pct",
    "visitors_effect",
    "conversion_effect",
    "aov_effect",
]
SOURCE_COLUMNS = [
    "source",
    "visitors",
    "share",
    "share_change",
    "visitors_change",
    "explains_visitors",
    "conversion",
    "gmv",
    "explains_gmv",
    "cost",
    "cost_per_visitor",
    "gmv_per_visitor",
    "roi",
]
PAID_COLUMNS = [
    "source",
    "cost",
    "cost_prev",
    "cost_change",
    "buyers",
    "buyers_prev",
    "buyers_change",
    "cost_per_buyer_prev",
    "cost_per_buyer",
    "roi_prev",
    "roi",
]
HERO_COLUMNS = [
    "item_id",
    "title",
    "visitors",
    "conversion",
    "conversion_base",
    "low_days",
    "lost_gmv",
    "fav_cart_rate",
    "refunds_7d",
    "bad_reviews",
    "stock",
    "units_per_day",
    "cover_days",
]


def shown(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns of ``table`` the report shows, in their order, where present."""
    return table[[c for c in columns if c in table]]


def profit_totals(review: DailyReview) -> pd.DataFrame:
    """The profit view's window in one row: GMV, refunds, ad spend, commission, net, shares."""
    pr = review.profit
    tot = pr[["gmv", "refunds", "ad_spend", "commission", "net"]].sum()
    row = tot.to_frame().T.assign(
        ad_share=tot["ad_spend"] / tot["gmv"] if tot["gmv"] else np.nan,
        refund_share=tot["refunds"] / tot["gmv"] if tot["gmv"] else np.nan,
    )
    row.insert(0, "period", "last_30_days")
    return row


def health_table(review: DailyReview) -> pd.DataFrame:
    """The page-health checks with each value and limit written as its metric is read."""
    h, lang = review.health, review.lang
    if h.empty:
        return h
    text = {
        col: [_fmt_metric(m, v, lang) for m, v in zip(h["metric"], h[col])]
        for col in ("value", "threshold", "good")
    }
    return h.assign(**text)[["metric", "value", "threshold", "good", "status", "days"]]


def stage_line(review: DailyReview) -> str:
    """The shop's stage and its two trends in one sentence."""
    s, lang = review.stage, review.lang
    T = Messages(lang)
    return T(
        "daily.stage.line",
        stage=T.term(s["stage"]),
        short=fmt.pct(s["slope_short"], 2, lang, sign=True),
        long=fmt.pct(s["slope_long"], 2, lang, sign=True),
    )
