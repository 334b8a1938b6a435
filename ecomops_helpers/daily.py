"""The daily review: everything the notebook shows, computed once, and the rules that fire.

``build_daily_review(folder, report_date, thresholds)`` loads the exports, runs the shop
arithmetic and turns every threshold breach into a :class:`~ecomops_helpers.actions.Finding`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import metrics
from .actions import Finding, Thresholds, fmt_money, fmt_pct
from .anomalies import flag_anomalies, run_length
from .exports import ExportFolder, open_folder

__all__ = [
    "DailyThresholds",
    "DailyReview",
    "build_daily_review",
    "daily_findings",
    "headline",
]


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


_T = {
    "zh": {
        "plan_behind": (
            "本月GMV落后计划",
            "月累计 {actual} 为目标 {target} 的 {ratio}（落后 > {limit}）",
            "剩余 {days} 天每天需 {need}（今日 {today}）；先查下方哪个杠杆掉了",
        ),
        "anomaly": (
            "{metric} 异常{direction}",
            "{value} 对比同星期基线 {expected}（{change}，z = {z}）",
            "已持续 {days} 天；查看下方来源与单品拆解",
        ),
        "hero_conv": (
            "主推款 {title} 转化率崩塌",
            "转化率 {conv} < 近{base_days}天中位数 {base} 的 {keep}",
            "检查价格、主图、库存、评价与竞品；已损失约 {loss}/天",
        ),
        "bad_reviews": (
            "主推款 {title} 差评集中出现",
            "近{days}天差评 {n} 条 ≥ {limit}：{texts}",
            "今天联系买家处理、回复评价，排查批次质量",
        ),
        "stock": (
            "主推款 {title} 库存不足",
            "库存 {stock} 件，按近7天日均 {rate} 件只够 {cover} 天 < {need}",
            "立即补货或备货，避免断货掉权重",
        ),
        "paid": (
            "付费来源 {source} 花费上涨但成交未涨",
            "{window}天花费 {cost}（{cost_change}）而支付买家 {buyers_change}，"
            "单个买家成本 {cpb_prev} → {cpb}",
            "检查出价与关键词，降低低效词出价或暂停",
        ),
        "page": (
            "{metric} 超出健康线",
            "{value} {direction} {limit}，已连续 {days} 天",
            "检查落地页、首屏与关联推荐",
        ),
        "stage": (
            "店铺处于下滑期",
            "近{short}天趋势 {s_short}/天，近{long}天 {s_long}/天",
            "看下方15天明细，找出从哪天开始、哪个因子下滑",
        ),
        "ad_share": (
            "推广花费占比过高",
            "近{days}天推广花费占GMV {share} > {limit}",
            "把预算从低ROI来源移走，见付费来源表",
        ),
        "presale": (
            "预售期：支付转化率为0",
            "今日支付买家 0 而下单买家 {orders}",
            "今天按下单转化率 {conv} 看转化，支付在尾款日体现",
        ),
        "metric": {
            "gmv": "GMV",
            "visitors": "访客数",
            "conversion": "转化率",
            "aov": "客单价",
            "bounce_rate": "跳失率",
            "pages_per_visit": "人均浏览量",
            "avg_stay_s": "平均停留时长",
            "aov_vs_hero": "店铺客单价/主推款客单价",
        },
        "high": "偏高",
        "low": "偏低",
        "since": "自 {date}（{days} 天）",
    },
    "en": {
        "plan_behind": (
            "Month-to-date GMV behind plan",
            "MTD {actual} is {ratio} of target {target} (behind by more than {limit})",
            "{days} days left need {need}/day (today {today}); see below which lever broke",
        ),
        "anomaly": (
            "{metric} unusually {direction}",
            "{value} vs weekday baseline {expected} ({change}, z = {z})",
            "running {days} days; check the source and item breakdowns below",
        ),
        "hero_conv": (
            "Hero item {title}: conversion collapsed",
            "conversion {conv} < {keep} of its {base_days}-day median {base}",
            "check price, main image, stock, reviews, rivals; costs about {loss}/day",
        ),
        "bad_reviews": (
            "Hero item {title}: run of bad reviews",
            "{n} bad reviews in {days} days ≥ {limit}: {texts}",
            "contact the buyers and reply today; check the batch quality",
        ),
        "stock": (
            "Hero item {title}: stock runs short",
            "stock {stock} at {rate}/day (7-day average) covers {cover} days < {need}",
            "restock now so the listing does not sell out and lose rank",
        ),
        "paid": (
            "Paid source {source}: cost up, buyers not",
            "{window}-day cost {cost} ({cost_change}) while buyers {buyers_change}; "
            "cost per buyer {cpb_prev} → {cpb}",
            "review bids and keywords; lower or pause the inefficient ones",
        ),
        "page": (
            "{metric} outside its healthy range",
            "{value} {direction} {limit} for {days} days",
            "check the landing page, first screen and related-item links",
        ),
        "stage": (
            "Shop is declining",
            "trend {s_short}/day over {short} days, {s_long}/day over {long}",
            "see the 15-day detail below: from which day, which factor",
        ),
        "ad_share": (
            "Ad spend too high a share of GMV",
            "last {days} days ad spend {share} of GMV > {limit}",
            "move budget away from low-ROI sources (see the paid-source table)",
        ),
        "presale": (
            "Pre-sale: payment conversion is 0",
            "0 paying buyers today but {orders} ordering buyers",
            "judge today by order conversion {conv}; payments land on the balance day",
        ),
        "metric": {
            "gmv": "GMV",
            "visitors": "visitors",
            "conversion": "conversion",
            "aov": "AOV",
            "bounce_rate": "bounce rate",
            "pages_per_visit": "pages per visit",
            "avg_stay_s": "average stay",
            "aov_vs_hero": "store AOV / hero AOV",
        },
        "high": "high",
        "low": "low",
        "since": "since {date} ({days} days)",
    },
}


def _fmt_metric(metric: str, value: float) -> str:
    if metric == "conversion":
        return fmt_pct(value, 2)
    if metric == "bounce_rate":
        return fmt_pct(value)
    if metric in ("gmv", "aov"):
        return fmt_money(value)
    if metric == "avg_stay_s":
        return f"{value:.0f} s"
    if metric in ("pages_per_visit", "aov_vs_hero"):
        return f"{value:.2f}"
    return f"{value:,.0f}"


def _signed_pct(x: float) -> str:
    return f"{x * 100:+.0f} %"


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


def _shop_series(shop: pd.DataFrame) -> dict[str, pd.Series]:
    s = shop.set_index("date").sort_index()
    conv = s["paying_buyers"] / s["visitors"].replace(0, np.nan)
    aov = s["gmv"] / s["paying_buyers"].replace(0, np.nan)
    return {"gmv": s["gmv"], "visitors": s["visitors"], "conversion": conv, "aov": aov}


def build_daily_review(
    folder: ExportFolder | str,
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
    lang = lang if lang in _T else "en"
    shop = folder.load("shop_daily")
    when = pd.Timestamp(report_date) if report_date else folder.last_date()
    if when not in set(shop["date"]):
        raise LookupError(
            f"report date {when:%Y-%m-%d} is not in the shop_daily export "
            f"({shop['date'].min():%Y-%m-%d} … {shop['date'].max():%Y-%m-%d}); "
            "download that day's 整体看板 or pick a date inside the range."
        )
    loaded = {
        k: folder.load_optional(k) for k in ("traffic_sources", "items_daily", "plan", "reviews")
    }
    opt = {k: df for k, (df, _) in loaded.items()}
    missing = {k: why for k, (_, why) in loaded.items() if why}
    sources, items, plan, reviews = (
        opt[k] for k in ("traffic_sources", "items_daily", "plan", "reviews")
    )
    pacing = None
    if plan is not None:
        try:
            pacing = metrics.plan_pacing(plan, shop, when)
        except LookupError as err:
            missing["plan"] = str(err)
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
        warnings=list(folder.broken.values()),
        date_notes=[n.text() for n in folder.date_notes],
    )
    review.findings = daily_findings(review)
    return review


def daily_findings(r: DailyReview) -> list[Finding]:
    """Every rule of the daily review that fires on ``r``, as findings with their numbers."""
    th, t, when = r.thresholds, _T[r.lang], r.report_date
    out: list[Finding] = []

    def add(sev, area, key, since="", **kw):
        out.append(Finding.from_template(t[key], sev, area, since, **kw))

    def since(first, days):
        return t["since"].format(date=pd.Timestamp(first).strftime("%Y-%m-%d"), days=days)

    p = r.pacing
    if p is not None and p.mtd_ratio < 1 - th.plan_gap_max:
        add(
            1,
            "plan",
            "plan_behind",
            actual=fmt_money(p.mtd_actual),
            target=fmt_money(p.mtd_target),
            ratio=fmt_pct(p.mtd_ratio),
            limit=fmt_pct(th.plan_gap_max, 0),
            days=p.days_left,
            need=fmt_money(p.needed_per_day),
            today=fmt_money(p.day_actual),
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
            conv=fmt_pct(orders / max(int(today_row["visitors"].iloc[0]), 1), 2),
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
            metric=t["metric"][metric],
            direction=t["high"] if row["flag"] > 0 else t["low"],
            value=_fmt_metric(metric, row["value"]),
            expected=_fmt_metric(metric, row["expected"]),
            change=_signed_pct(row["relative_change"]),
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
                    conv=fmt_pct(h.conversion, 2),
                    base=fmt_pct(h.conversion_base, 2),
                    base_days=th.hero_baseline_days,
                    keep=fmt_pct(1 - th.hero_conversion_drop, 0),
                    loss=fmt_money(h.lost_gmv),
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
                    (
                        f"{need_days} 天到 {promo:%Y-%m-%d} 大促"
                        if r.lang == "zh"
                        else f"{need_days} days to the promotion on {promo:%Y-%m-%d}"
                    )
                    if promo is not None and promo > when
                    else (f"{need_days} 天" if r.lang == "zh" else f"{need_days} days wanted")
                )
                if h.cover_days < need_days:
                    add(
                        1 if h.cover_days < need_days / 2 else 2,
                        "stock",
                        "stock",
                        title=h.title,
                        stock=f"{h.stock:,.0f}",
                        rate=f"{h.units_per_day:.1f}",
                        cover=f"{h.cover_days:.1f}",
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
                    cost=fmt_money(prow.cost),
                    cost_change=_signed_pct(prow.cost_change),
                    buyers_change=_signed_pct(buyers_change) if np.isfinite(buyers_change) else "?",
                    cpb_prev=fmt_money(getattr(prow, "cost_per_buyer_prev", np.nan)),
                    cpb=fmt_money(getattr(prow, "cost_per_buyer", np.nan)),
                )

    for h in r.health.itertuples():
        if h.status != "bad":
            continue
        first = when - pd.Timedelta(days=h.days - 1)
        add(
            2 if h.days >= 3 else 3,
            "page",
            "page",
            since=since(first, h.days),
            metric=t["metric"][h.metric],
            value=_fmt_metric(h.metric, h.value),
            direction="<" if h.direction == "≥" else ">",
            limit=_fmt_metric(h.metric, h.threshold),
            days=h.days,
        )

    if r.stage["stage"] == "declining":
        add(
            2,
            "stage",
            "stage",
            short=r.stage["short_days"],
            long=r.stage["long_days"],
            s_short=_signed_pct(r.stage["slope_short"]),
            s_long=_signed_pct(r.stage["slope_long"]),
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
                share=fmt_pct(share),
                limit=fmt_pct(th.ad_share_max, 0),
            )
    return out


def headline(review: DailyReview, labels: dict) -> list[tuple[str, str, str]]:
    """Today's GMV, visitors, conversion and AOV against the day before, and plan progress.

    Returns (label, value, change) triples for :func:`ecomops_helpers.notebook.kpi_strip`.
    """
    bridge = review.bridge.set_index("baseline")
    today = bridge.iloc[0]
    before = bridge.loc["day before"] if "day before" in bridge.index else None
    out = []
    for metric, now, base in (
        ("gmv", today["gmv"], before["base_gmv"] if before is not None else np.nan),
        *(
            (f, today[f], before[f"base_{f}"] if before is not None else np.nan)
            for f in metrics.FACTORS
        ),
    ):
        change = f"{now / base - 1:+.1%} {labels['vs_day_before']}" if base else ""
        out.append((labels.get(metric, metric), _fmt_metric(metric, now), change))
    if review.pacing is not None:
        p = review.pacing
        out.append((labels["mtd_vs_plan"], fmt_pct(p.mtd_ratio), f"{p.gap:+,.0f}"))
    return out
