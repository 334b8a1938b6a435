"""The customer review: segments, lists to message today, value; computed once, with its rules.

``build_customer_review(folder, report_date, thresholds)`` cleans the orders, scores RFM,
builds every list, fits the CLV models and turns the lists and segment moves into findings.
``write_lists`` writes each list and segment as an ID file for the CRM / SMS / EDM tool.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import clv, segments
from .actions import Finding, Thresholds, fmt_pct
from .exports import ExportFolder, open_folder

__all__ = ["CustomerThresholds", "CustomerReview", "build_customer_review", "write_lists"]


@dataclass(frozen=True)
class CustomerThresholds(Thresholds):
    """Every number a customer rule compares with; defaults from CRM practice."""

    churn_days: int = 30  # no purchase or visit for this many days = churned
    activity_window_days: int = 30
    high_frequency_days: int = 10  # active on this many of the window's days = high frequency
    at_risk_min_m_score: int = 5  # "high value" = monetary score at least this (top 20 %)
    at_risk_gap_factor: float = 2.0  # overdue = days since last purchase > factor × own gap
    at_risk_max_days: int = 180  # longer ago than this is lost, not at risk
    second_window_low_q: float = 0.25  # one-time buyers inside these quantiles of the shop's
    second_window_high_q: float = 0.75  # days from first to second purchase
    cart_days: int = 3  # carted within this many days and not bought
    coupon_days: int = 14  # coupon claimed within this many days and not used
    rfm_recency_step_days: int = 14  # R floor: 5 − days since last purchase // this
    segment_move_days: int = 30  # compare segment sizes with this many days ago
    segment_move_min: float = 0.2  # a segment that grew or shrank this much fires
    segment_move_min_customers: int = 20  # ... when at least this many customers moved
    magic_horizon_days: int = 90  # "still buying" = a purchase this many days after the first
    period_days: float = 7.0  # CLV models count time in weeks
    clv_horizon_weeks: float = 52.0  # CLV = expected value over this horizon
    margin: float = 0.3  # gross margin applied to expected spend
    holdout_days: int = 120  # the model check predicts the last N days from the rest
    drop_zero_price: bool = True  # zero-price lines are gifts/adjustments, not purchases


_T = {
    "zh": {
        "at_risk": (
            "高价值老客流失风险：{n} 人",
            "M 分 ≥ {m}，距上次购买 > {factor} × 本人平均复购间隔且 ≤ {max_days} 天"
            "（中位数 {median_gap:.0f} 天，已 {median_since:.0f} 天未购）",
            "今天发送召回短信/专属券，名单 {path}",
        ),
        "second": (
            "一次购买客户进入复购窗口：{n} 人",
            "仅购买 1 次，距首购 {lo}–{hi} 天（本店首购到复购天数的 P{qlo}–P{qhi}）",
            "今天推送搭配/复购券，名单 {path}",
        ),
        "cart": (
            "加购未购买：{n} 人",
            "近 {days} 天加购 {items} 件商品后未下单",
            "今天发送加购提醒或限时券，名单 {path}",
        ),
        "coupon": (
            "领券未使用：{n} 人",
            "近 {days} 天领券后没有用券订单",
            "今天提醒券即将过期，名单 {path}",
        ),
        "move": (
            "客户分层 {segment} {direction}",
            "{before} → {now} 人（{change}），对比 {days} 天前",
            "查看该分层名单 {path}",
        ),
        "up": "增加",
        "down": "减少",
    },
    "en": {
        "at_risk": (
            "High-value customers at risk: {n}",
            "M score ≥ {m}, days since last purchase > {factor} × their own usual gap "
            "and ≤ {max_days} (median gap {median_gap:.0f} days, {median_since:.0f} days since)",
            "send a win-back message or coupon today: {path}",
        ),
        "second": (
            "One-time buyers in the second-purchase window: {n}",
            "1 purchase, {lo}–{hi} days ago (P{qlo}–P{qhi} of the shop's days to a 2nd purchase)",
            "send a bundle or repeat-purchase coupon today: {path}",
        ),
        "cart": (
            "Carted, not bought: {n}",
            "carted {items} items in the last {days} days, no order",
            "send a cart reminder or short-lived coupon: {path}",
        ),
        "coupon": (
            "Coupon claimed, not used: {n}",
            "claimed in the last {days} days, no coupon order",
            "remind them before it expires: {path}",
        ),
        "move": (
            "Segment {segment} {direction}",
            "{before} → {now} customers ({change}) vs {days} days ago",
            "see the segment's list: {path}",
        ),
        "up": "grew",
        "down": "shrank",
    },
}


@dataclass
class CustomerReview:
    """Everything the customer-segmentation notebook shows for one report date."""

    report_date: pd.Timestamp
    thresholds: CustomerThresholds
    lang: str
    purchases: pd.DataFrame
    drops: segments.DropReport
    events: pd.DataFrame | None
    summary: pd.DataFrame
    rfm: pd.DataFrame
    segment_sizes: pd.DataFrame  # now vs N days ago (only "now" when history is too short)
    activity: pd.DataFrame
    lists: dict[str, pd.DataFrame]
    second_window: tuple[int, int]
    value: pd.DataFrame | None = None
    bgnbd: clv.BGNBD | None = None
    gamma_gamma: clv.GammaGamma | None = None
    model_problem: str = ""
    holdout: pd.DataFrame | None = None
    missing: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # optional exports that are broken
    date_notes: list[str] = field(default_factory=list)  # how ambiguous dates were read
    joins: str = ""  # how the orders were joined from split tables, when they were

    LIST_FILES = {
        "at_risk_high_value": "at_risk_high_value.csv",
        "second_purchase_window": "second_purchase_window.csv",
        "cart_abandoners": "cart_abandoners.csv",
        "coupon_unused": "coupon_unused.csv",
    }


def _segment_sizes(
    rfm: pd.DataFrame, purchases: pd.DataFrame, when: pd.Timestamp, th: CustomerThresholds
) -> tuple[pd.DataFrame, str]:
    """Customers per segment now and, where the orders reach back, ``segment_move_days`` ago.

    Returns the table (now, before, change, change_pct; only ``now`` without the history)
    and, when the history is too short, the reason the moves are not shown.
    """
    now = rfm["segment"].value_counts().rename("now").to_frame()
    then_date = when - pd.Timedelta(days=th.segment_move_days)
    first = purchases["date"].min()
    if first > then_date:
        history = (when - first).days + 1
        return now, (
            f"segment moves against {th.segment_move_days} days ago need orders from "
            f"{then_date:%Y-%m-%d} or earlier; the orders cover {history} day(s), "
            f"from {first:%Y-%m-%d}"
        )
    earlier = purchases[purchases["date"] <= then_date]
    then = segments.rfm_scores(
        clv.rfm_summary(earlier, then_date), then_date, th.rfm_recency_step_days
    )["segment"].value_counts()
    out = now.join(then.rename("before"), how="outer").fillna(0).astype(int)
    out["change"] = out["now"] - out["before"]
    out["change_pct"] = out["change"] / out["before"].replace(0, np.nan)
    return out.sort_values("now", ascending=False), ""


def build_customer_review(
    folder: ExportFolder | str,
    report_date: str = "",
    thresholds: CustomerThresholds | None = None,
    lang: str = "zh",
    date_order: str = "auto",
) -> CustomerReview:
    """Load orders (and events when present) and compute the customer review.

    A broken behaviour log hides the sections that need it (funnel, cart and coupon lists)
    and lands in ``warnings``; ``folder`` "" is the bundled sample shop.
    """
    folder = open_folder(folder, date_order)
    th = thresholds or CustomerThresholds()
    lang = lang if lang in _T else "en"
    orders = folder.load("orders")
    when = pd.Timestamp(report_date) if report_date else folder.last_date()
    purchases, drops = segments.clean_orders(orders, drop_zero_price=th.drop_zero_price)
    purchases = purchases[purchases["date"] <= when]
    if purchases.empty:
        raise LookupError(f"no paid orders up to {when:%Y-%m-%d} in {folder.path}")
    events, why = folder.load_optional("events")
    missing = (
        {"events": f"the funnel, cart and coupon lists need a behaviour log: {why}"} if why else {}
    )
    summary = clv.rfm_summary(purchases, when)
    rfm = segments.rfm_scores(summary, when, th.rfm_recency_step_days)
    sizes, no_moves = _segment_sizes(rfm, purchases, when, th)
    if no_moves:
        missing["segment_moves"] = no_moves
    second, window = segments.second_purchase_window(
        summary, purchases, when, low_q=th.second_window_low_q, high_q=th.second_window_high_q
    )
    lists = {
        "at_risk_high_value": segments.at_risk_high_value(
            summary,
            rfm,
            when,
            min_m_score=th.at_risk_min_m_score,
            gap_factor=th.at_risk_gap_factor,
            max_days=th.at_risk_max_days,
        ),
        "second_purchase_window": second,
    }
    if events is not None:
        lists["cart_abandoners"] = segments.cart_abandoners(events, when, days=th.cart_days)
        lists["coupon_unused"] = segments.coupon_unused(
            events, purchases, when, days=th.coupon_days
        )
    review = CustomerReview(
        report_date=when,
        thresholds=th,
        lang=lang,
        purchases=purchases,
        drops=drops,
        events=events,
        summary=summary,
        rfm=rfm,
        segment_sizes=sizes,
        activity=segments.activity(
            purchases,
            events,
            when,
            churn_days=th.churn_days,
            window_days=th.activity_window_days,
            high_days=th.high_frequency_days,
        ),
        lists=lists,
        second_window=window,
        missing=missing,
        warnings=list(folder.broken.values()),
        date_notes=[n.text() for n in folder.date_notes],
        joins=folder.joins.get("orders", ""),
    )
    _fit_value(review)
    review.findings = customer_findings(review)
    return review


def _fit_value(review: CustomerReview) -> None:
    """CLV per customer and the holdout check; a fit that fails leaves a reason, not NaN."""
    th, when = review.thresholds, review.report_date
    in_days = review.summary  # recency and T in days; the models count in periods
    weekly = in_days.assign(
        recency=in_days["recency"] / th.period_days, T=in_days["T"] / th.period_days
    )
    try:
        review.bgnbd = clv.fit_bgnbd(weekly["frequency"], weekly["recency"], weekly["T"])
        review.gamma_gamma = clv.fit_gamma_gamma(weekly["frequency"], weekly["monetary"])
        review.value = clv.customer_value(
            weekly, review.bgnbd, review.gamma_gamma, horizon=th.clv_horizon_weeks, margin=th.margin
        )
        cal_end = when - pd.Timedelta(days=th.holdout_days)
        if (review.purchases["date"] <= cal_end).sum() > 0:
            _, review.holdout = clv.holdout_check(
                review.purchases, cal_end, when, period_days=th.period_days
            )
    except clv.FitError as err:
        review.model_problem = str(err)


def customer_findings(r: CustomerReview) -> list[Finding]:
    """Each list that has people on it, and each segment that moved, as findings."""
    th, t = r.thresholds, _T[r.lang]
    out: list[Finding] = []

    def add(sev, area, key, **kw):
        out.append(Finding.from_template(t[key], sev, area, **kw))

    def path(name):
        return f"segments/{CustomerReview.LIST_FILES.get(name, name + '.csv')}"

    risk = r.lists["at_risk_high_value"]
    if len(risk):
        add(
            1,
            "crm",
            "at_risk",
            n=len(risk),
            m=th.at_risk_min_m_score,
            factor=th.at_risk_gap_factor,
            max_days=th.at_risk_max_days,
            median_gap=risk["usual_gap_days"].median(),
            median_since=risk["days_since"].median(),
            path=path("at_risk_high_value"),
        )
    second = r.lists["second_purchase_window"]
    if len(second):
        lo, hi = r.second_window
        add(
            2,
            "crm",
            "second",
            n=len(second),
            lo=lo,
            hi=hi,
            qlo=round(th.second_window_low_q * 100),
            qhi=round(th.second_window_high_q * 100),
            path=path("second_purchase_window"),
        )
    cart = r.lists.get("cart_abandoners")
    if cart is not None and len(cart):
        add(
            2,
            "crm",
            "cart",
            n=len(cart),
            days=th.cart_days,
            items=int(cart["items"].sum()),
            path=path("cart_abandoners"),
        )
    coupon = r.lists.get("coupon_unused")
    if coupon is not None and len(coupon):
        add(2, "crm", "coupon", n=len(coupon), days=th.coupon_days, path=path("coupon_unused"))
    moves = r.segment_sizes if "before" in r.segment_sizes else r.segment_sizes.iloc[0:0]
    for seg, row in moves.iterrows():
        moved = abs(row["change"]) >= th.segment_move_min_customers and (
            row["before"] == 0 or abs(row["change_pct"]) >= th.segment_move_min
        )
        if moved:
            add(
                3,
                "segments",
                "move",
                segment=seg,
                direction=t["up" if row["change"] > 0 else "down"],
                before=int(row["before"]),
                now=int(row["now"]),
                change=fmt_pct(row["change_pct"], 0) if row["before"] else "new",
                days=th.segment_move_days,
                path=f"segments/rfm_{seg}.csv",
            )
    return out


def write_lists(r: CustomerReview, out_dir: str | Path) -> dict[str, Path]:
    """Write every list and every RFM segment as ``out_dir/segments/<name>.csv``.

    Each row carries what a CRM needs: customer_id, the list or segment, RFM scores, last
    purchase, preferred category and expected value (CLV, when the models fitted). With a
    behaviour log, the people stuck at the funnel's detail and fav/cart stages get a file too
    (``stuck_at_detail``, ``stuck_at_fav_cart``). Returns name → path.
    """
    folder = Path(out_dir) / "segments"
    base = r.rfm[["r", "f", "m", "segment"]].join(
        r.summary[["last"]].rename(columns={"last": "last_purchase"})
    )
    preferred = segments.category_preference(r.purchases)
    if len(preferred):
        base = base.join(preferred.rename("preferred_category"))
    if r.value is not None:
        base = base.join(r.value[["clv", "p_alive"]].rename(columns={"clv": "expected_value"}))
    written = {}
    for name, table in r.lists.items():
        rows = table.join(base.drop(columns=[c for c in base if c in table]), how="left")
        written[name] = segments.write_id_list(
            rows, folder / CustomerReview.LIST_FILES[name], list=name
        )
    if r.events is not None:
        _, stage = segments.funnel(r.events, r.report_date)
        for name in ("detail", "fav_cart"):
            stuck = stage[stage == name].to_frame("stage").join(base, how="left")
            written[f"stuck_at_{name}"] = segments.write_id_list(
                stuck, folder / f"stuck_at_{name}.csv", sort_ids=True
            )
    for seg, rows in base.groupby("segment"):
        written[f"rfm_{seg}"] = segments.write_id_list(
            rows, folder / f"rfm_{seg}.csv", sort_ids=True
        )
    return written
