"""What the daily-review notebook shows of a review: its tables' columns and its sentences.

Each function takes a :class:`~.review.DailyReview` and returns a table or a text in the
review's language; the arithmetic stays in the review and its modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..exports.catalogue import KINDS
from ..page import formatting as fmt
from ..page.i18n import Messages
from . import metrics
from .peers import PEER_TABLE_COLUMNS

if TYPE_CHECKING:
    from .review import DailyReview

__all__ = [
    "metric_text",
    "shown",
    "headline",
    "plan_lines",
    "bridge_focus",
    "profit_totals",
    "health_table",
    "stage_line",
    "good_rate_text",
    "tier_line",
    "bad_review_values",
    "late_bad_reviews",
    "bad_review_table",
    "question_table",
    "matrix_values",
    "figure_name",
    "peer_value",
    "peer_table_text",
    "peer_chart_figures",
]


def metric_text(metric: str, value: float, lang: str) -> str:
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


DSR_COLUMNS = ["dsr_item", "dsr_score", "dsr_peer", "dsr_vs_peer", "dsr_days_below"]
CAUSE_COLUMNS = [
    "cause",
    "cause_reviews",
    "cause_questions",
    "cause_recent",
    "cause_expected",
    "cause_ratio",
]


def good_rate_text(review: DailyReview) -> str:
    """The good-review rate in a sentence, saying where it comes from."""
    hs, T = review.health_scores, Messages(review.lang)
    if not hs.good_rate_from:
        return T("daily.shop_health.dsr.good_unknown")
    return T(
        f"daily.shop_health.dsr.good_{hs.good_rate_from}",
        rate=fmt.pct(hs.good_rate, 1, review.lang),
        days=review.thresholds.review_window_days,
    )


def tier_line(review: DailyReview) -> str:
    """The 店铺层级 line: 30-day GMV, tier, distance to the previous and the next (or below).

    "" where the platform has no tiers.
    """
    t, T, lang = review.health_scores.tier, Messages(review.lang), review.lang
    if t is None:
        return ""
    if t.below_floor:
        nxt = T("daily.shop_health.tier.below", gap=fmt.money(t.floor - t.gmv_30d, lang))
    elif np.isfinite(t.next_gmv):
        nxt = T(
            "daily.shop_health.tier.to_next",
            next=t.tier + 1,
            target=fmt.money(t.next_gmv, lang),
            gap=fmt.money(t.to_next, lang),
            per_day=fmt.money(t.to_next / 30, lang),
        )
    else:
        nxt = T("daily.shop_health.tier.top")
    source = (
        T("daily.shop_health.tier.named")
        if t.from_export
        else T("daily.shop_health.tier.assumed", values=review.thresholds.tier_thresholds)
    )
    margin = fmt.money(t.gmv_30d - t.floor, lang)  # the distance to the previous tier
    above = (
        T("daily.shop_health.tier.above", margin=margin, prev=t.tier - 1)
        if t.tier > 1 and not t.below_floor
        else ""
    )
    head = T(
        "daily.shop_health.tier.line",
        gmv=fmt.money(t.gmv_30d, lang),
        tier=t.tier,
        floor=fmt.money(t.floor, lang),
        above=above,
        next=nxt,
    )
    return f"{head} · {source}"


def bad_review_values(review: DailyReview) -> dict:
    """The numbers the new-bad-reviews section's text names."""
    hs, th, T = review.health_scores, review.thresholds, Messages(review.lang)
    return dict(
        days=th.new_bad_days,
        now=f"{hs.now:%Y-%m-%d %H:%M}",
        hours=th.bad_review_reply_hours,
        timed="" if hs.timed else T("daily.shop_health.reviews.untimed"),
    )


def late_bad_reviews(review: DailyReview) -> pd.Series:
    """Which new bad reviews are unanswered past ``bad_review_reply_hours``."""
    b = review.health_scores.bad_reviews
    if "review_reply" in review.missing:
        return pd.Series(False, index=b.index)
    late = b["review_hours"].gt(review.thresholds.bad_review_reply_hours)
    return late & ~b["review_replied"].astype(bool)


def bad_review_table(review: DailyReview) -> pd.DataFrame:
    """The new bad reviews as shown: item title, time posted, hours, rating, text, replied."""
    b = review.health_scores.bad_reviews
    items = review.items
    titles = {} if items is None else dict(zip(items["item_id"], items["title"]))
    replied = b["review_replied"].map({True: "yes", False: "no"}) if len(b) else b["review_replied"]
    return pd.DataFrame(
        {
            "title": b["item_id"].map(titles).fillna(b["item_id"]),
            "posted_at": b["posted_at"].dt.strftime("%m-%d %H:%M"),
            "review_hours": b["review_hours"],
            "review_rating": b["review_rating"],
            "review_text": b["review_text"],
            "review_replied": replied,
        }
    )


def question_table(review: DailyReview) -> pd.DataFrame:
    """The unanswered worrying 问大家 questions on hero items, as shown."""
    q, T = review.health_scores.questions, Messages(review.lang)
    return pd.DataFrame(
        {
            "title": q["title"],
            "question_text": q["question_text"],
            "asked_at": q["asked_at"].dt.strftime("%m-%d %H:%M"),
            "question_hours": q["question_hours"],
            "question_causes": q["question_causes"].map(
                lambda cs: T("ui.list_sep").join(T.term(f"cause_{c}") for c in cs)
            ),
        }
    )


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
                "text": metric_text(metric, now, lang),
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


def left_out_note(review: DailyReview) -> str:
    """One line naming the 生意参谋-only sections a Shopify or Amazon shop's page leaves out."""
    if not review.left_out:
        return ""
    T = Messages(review.lang)
    names = ", ".join(T(f"daily.left_out.{k}") for k in sorted(review.left_out))
    return T("daily.left_out.line", sections=names)


def basis_note(review: DailyReview) -> str:
    """What conversion counts where it is not paying buyers (Amazon units, Shopify orders)."""
    basis, T = review.shop.attrs.get("basis", "paying_buyers"), Messages(review.lang)
    return "" if basis == "paying_buyers" else T(f"daily.bridge.basis.{basis}")


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
TRACE_ITEM_COLUMNS = [
    "item_id",
    "title",
    "visitors",
    "visitors_base",
    "visitors_change",
    "change_pct",
]
TRACE_SOURCE_COLUMNS = ["source", "visitors", "visitors_base", "visitors_change"]
TRACE_KEYWORD_COLUMNS = ["keyword", *TRACE_SOURCE_COLUMNS[1:], "rank", "rank_base"]
HERO_COLUMNS = [
    "item_id",
    "title",
    "visitors",
    "conversion",
    "conversion_base",
    "low_days",
    "buy_box",
    "buy_box_days",
    "lost_gmv",
    "fav_cart_rate",
    "refunds_7d",
    "bad_reviews",
    "stock",
    "units_per_day",
    "cover_days",
    "undercut",
]


MATRIX_COLUMNS = ["title", "visitors", "paying_buyers", "conversion", "avg_price", "units", "gmv"]
COPURCHASE_COLUMNS = [
    "title",
    "partner_title",
    "together",
    "item_orders",
    "partner_orders",
    "support",
    "confidence",
    "lift",
]


def matrix_values(review: DailyReview) -> dict:
    """The matrix section's numbers: window, splits (as read, "–" when hidden), minimum."""
    th, lang = review.thresholds, review.lang
    splits = review.matrix.attrs if review.matrix is not None else {}
    return {
        "days": th.matrix_days,
        "min_visitors": th.matrix_min_visitors,
        "price_split": fmt.money(splits.get("price_split", np.nan), lang),
        "conv_split": fmt.pct(splits.get("conversion_split", np.nan), 2, lang),
        "visitors_split": fmt.number(splits.get("visitors_split", np.nan)),
    }


def hero_table(review: DailyReview) -> pd.DataFrame:
    """The hero table: its columns where present, without those no hero has a figure in.

    Shopify's Sales by product gives no item sessions: no conversion columns then.
    """
    table = shown(review.heroes, HERO_COLUMNS)
    return table.loc[:, table.notna().any() | table.columns.isin(["item_id", "title"])]


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
        col: [metric_text(m, v, lang) for m, v in zip(h["metric"], h[col])]
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


FIGURE_DTYPES = {c.name: c.dtype for k in ("shop_daily", "service_daily") for c in KINDS[k].columns}


def figure_name(T: Messages, figure: str) -> str:
    """A daily figure's name: the peers section's own, else the shared term."""
    key = f"daily.peers.figures.{figure}"
    return T(key) if T.has(key) else T.term(figure)


def peer_value(figure: str, value, lang: str) -> str:
    """A figure or its peer benchmark as it is read: rates in %, durations in s, money."""
    dtype = FIGURE_DTYPES.get(figure, "float")
    if value is None or pd.isna(value):
        return fmt.number(np.nan)  # "–": the export left it out (a "-" cell), never 0
    if dtype == "rate":
        return fmt.pct(value, 2, lang)
    if dtype == "money":
        return fmt.money(value, lang)
    if dtype == "duration":
        return f"{value:.0f} s"
    return fmt.number(value, 0 if dtype == "int" else 2)


def peer_table_text(review: DailyReview) -> pd.DataFrame:
    """The peers table as the report shows it: each figure beside its peers, in its unit."""
    T, lang, p = Messages(review.lang), review.lang, review.peers
    text = {
        col: [peer_value(f, v, lang) for f, v in zip(p["figure"], p[col])]
        for col in ("value", "peer_avg", "peer_top")
    }
    figures = [figure_name(T, f) for f in p["figure"]]
    return p.assign(**text, figure=figures)[PEER_TABLE_COLUMNS]


def peer_chart_figures(review: DailyReview, most: int = 3) -> list[tuple[str, str, bool]]:
    """The figures the peers chart draws: those behind their peers today, else conversion.

    Each as ``(figure, name, is_rate)``, at most ``most`` of them, longest behind first.
    """
    T, p = Messages(review.lang), review.peers
    behind = p[p["days_below"] > 0].sort_values("days_below", ascending=False)["figure"]
    picked = list(behind[:most]) or [f for f in ("conversion",) if f in set(p["figure"])]
    return [(f, figure_name(T, f), FIGURE_DTYPES.get(f) == "rate") for f in picked]
