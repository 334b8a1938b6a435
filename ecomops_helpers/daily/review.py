"""The daily review: everything the notebook shows, computed once, and the rules that fire.

``build_daily_review(folder, report_date, thresholds)`` loads the exports, runs the shop
arithmetic and turns every threshold breach into a :class:`~ecomops_helpers.page.actions.Finding`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..customers.copurchase import copurchase_pairs, paid_lines
from ..errors import MissingExportError
from ..exports import ExportSource
from ..exports.source import ONE_CURRENCY
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
from . import campaigns as campaigns_calc
from . import metrics, shop_health
from .anomalies import flag_anomalies, run_length
from .cross_report import add_cross_report, cross_report_findings
from .item_health import CONVERSION_MIN, MIN_VISITORS, PAGE_DAYS
from .matrix import price_conversion_matrix, quadrant_counts
from .peers import peer_frame, peer_table
from .trace import PAID_SOURCES, SEARCH, Trace, shop_sources, trace_drops
from .views import figure_name, metric_text, peer_value

__all__ = [
    "DailyThresholds",
    "DailyReview",
    "build_daily_review",
    "daily_findings",
    "shop_money_kinds",
]


DAILY_MONEY_KINDS = ONE_CURRENCY["daily_review"]
# sections fed by 生意参谋 exports only (同行同层, 跳失率 …, 流量来源, 商品效果 pages, DSR,
# 活动): a shop whose exports are not a Chinese platform's leaves them out when absent
TAOBAO_SECTIONS = ("peers", "health", "item_sources", "item_pages", "shop_scores", "campaigns")
# a page-health metric whose fix is not the page's look (bundles, 关联 offers): 运营's
HEALTH_OWNER = {"aov_vs_hero": "operations"}


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
    peer_below_days: int = 3  # days running a figure is worse than the 同行同层 average
    trace_window: int = 7  # days of the mean a hero's visitors and sources are compared with
    trace_drop: float = 0.30  # a hero's visitors this far below that mean are traced
    first_page_rank: int = 44  # ranks past this are off 手淘搜索's first page (44 per page)
    report_time: str = ""  # HH:MM the report is read (hours since a review); "" end of the day
    dsr_min: float = 4.7  # each DSR score below this fires (many 活动 require 4.7)
    # 30-day paid GMV entering 店铺层级 2…7 where the export names no 门槛 (category-specific)
    tier_thresholds: str = shop_health.TIER_THRESHOLDS
    review_window_days: int = 30  # days behind the good-review rate counted from reviews
    bad_rating_max: float = 3.0  # 中差评: a rating at or below this (好评 5, 中评 3, 差评 1)
    new_bad_days: int = 3  # a 中差评 posted within this many days is new
    bad_review_reply_hours: int = 24  # a 中差评 older than this without a reply fires (客服)
    cause_days: int = 7  # complaint causes counted over the last this many days
    cause_base_days: int = 28  # against the same cause over this many days before them
    cause_spike_ratio: float = 2.0  # a cause this many times its usual count fires
    cause_spike_min: int = 3  # and only with at least this many texts
    campaign_deadline_days: int = 7  # a sign-up deadline this many days ahead goes on the list
    campaign_uplift: float = 3.0  # campaign days sell this many times the usual daily units
    campaign_rate_days: int = 14  # an item's usual daily units: the mean of these last days
    campaign_near_gap: float = 0.15  # an item short of a threshold by at most 15 % is named
    campaign_price_floor: float = 0.7  # a campaign price under 70 % of the usual one fails
    campaign_review_days: int = 45  # a finished campaign's review shows this many days
    campaign_refund_days: int = 15  # refunds counted up to this many days after a campaign
    campaign_refund_max: float = 0.08  # refunds above 8 % of GMV over a campaign and after fire
    item_conversion_min: float = CONVERSION_MIN  # an item page converting below this fails
    item_page_days: int = PAGE_DAYS  # item page figures are summed over this many days
    item_page_min_visitors: int = MIN_VISITORS  # an item page with fewer visitors is not judged
    item_page_cards: int = 3  # action cards for the busiest failing item pages; rest in the table
    undercut_gap_min: float = 0.05  # a 同款 twin more than 5 % below my hero's price undercuts it
    matrix_days: int = 30  # days of item figures behind the price × conversion matrix
    matrix_price_split: float = 0.0  # price splitting cheap from dear items; 0: the shop's median
    matrix_conversion_split: float = 0.0  # conversion splitting good from poor; 0: the median
    matrix_min_visitors: int = 30  # fewer visitors in the window: conversion too noisy to place
    copurchase_min_count: int = 5  # a pair is shown from this many orders holding both items
    copurchase_min_lift: float = 1.5  # a shown pair this much likelier than chance is suggested
    buy_box_min: float = 0.90  # a hero's Buy Box share (Amazon) below this fires
    funnel_drop: float = 0.20  # a checkout-funnel step this far below its 7-day rate fires
    hero_count: int = 4  # heroes where the export marks none (Shopify, Amazon): the top by GMV
    stock_snapshot_days: int = 7  # a stock snapshot (FBA inventory) older than this is not used
    currency: str = "CNY"  # the amounts' currency where no export names one


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
    peers: pd.DataFrame | None = None  # each figure beside its 同行同层 average and excellent peer
    peer_daily: pd.DataFrame | None = None  # the daily figures and their peers (for the chart)
    trace: Trace | None = None  # a hero's traffic drop by source and search term
    health_scores: shop_health.ShopHealth | None = None  # DSR, 店铺层级, bad reviews, 问大家
    campaigns: campaigns_calc.CampaignView | None = None  # sign-up checks and reviews
    item_pages: pd.DataFrame | None = None  # item pages failing bounce, stay or conversion
    undercuts: pd.DataFrame | None = None  # hero items with a cheaper 同款 twin
    matrix: pd.DataFrame | None = None  # every item: price, conversion, visitors, quadrant
    copurchase: pd.DataFrame | None = None  # hero item × partner: together, support, lift …
    funnel: pd.DataFrame | None = None  # Shopify's cart → checkout → completed, against 7 days
    left_out: set[str] = field(default_factory=set)  # 生意参谋-only sections a foreign shop skips


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


def _trace(folder: ExportSource, T: Messages, review: DailyReview) -> Trace | None:
    """The hero traffic trace; ``None`` with the reason in ``review.missing`` when it cannot run.

    Without the search-term export the sources are traced alone; without ranks in it the
    search terms are charted by visitors; both say so.
    """
    loaded = {k: folder.load_optional(k) for k in ("item_sources", "item_keywords")}
    for kind, (_, why) in loaded.items():
        if why:
            review.missing[kind] = missing_kind_text(T, folder, kind)
    (rows, _), (keywords, _) = loaded["item_sources"], loaded["item_keywords"]
    when, th, items = review.report_date, review.thresholds, review.items
    if rows is None:
        return None
    if not rows["date"].eq(when).any():
        review.missing["item_sources"] = T("reasons.trace_no_day", day=f"{when:%Y-%m-%d}")
        return None
    heroes = metrics.hero_ids(items, when, th.hero_count) if items is not None else None
    trace = trace_drops(
        rows,
        keywords,
        when,
        heroes,
        window=th.trace_window,
        drop=th.trace_drop,
        first_page_rank=th.first_page_rank,
    )
    if keywords is not None and not trace.has_rank:
        review.missing["rank"] = T("reasons.trace_no_rank")
    return trace


def _trace_findings(r: DailyReview, T: Messages) -> list[Finding]:
    """A hero's traffic drop with the source and search term that lost it; first-page exits."""
    t, th, lang = r.trace, r.thresholds, r.lang
    out = []
    for item in t.items[t.items["dropped"]].itertuples():
        worst = t.sources[t.sources["item_id"] == item.item_id].iloc[0]
        term = ""
        words = t.keywords[t.keywords["item_id"] == item.item_id] if t.keywords is not None else []
        if worst["source"] == SEARCH and len(words) and words.iloc[0]["visitors_change"] < 0:
            k = words.iloc[0]
            rank = (
                T(
                    "findings.daily.trace_drop.rank",
                    before=f"{k['rank_base']:.0f}",
                    now=f"{k['rank']:.0f}",
                )
                if pd.notna(k["rank"]) and pd.notna(k["rank_base"])
                else ""
            )
            term = T(
                "findings.daily.trace_drop.term",
                keyword=k["keyword"],
                lost=fmt.number(k["visitors_change"], sign=True),
                rank=rank,
            )
        owner = "ads" if worst["source"] in PAID_SOURCES else "operations"
        out.append(
            Finding.from_catalogue(
                T,
                "daily.trace_drop",
                1,
                "traffic",
                "",
                owner,
                title=item.title,
                visitors=fmt.number(item.visitors),
                base=fmt.number(item.visitors_base),
                change=fmt.pct(item.change_pct, 0, lang, sign=True),
                keep=fmt.pct(1 - th.trace_drop, 0, lang),
                window=t.window,
                source=worst["source"],
                lost=fmt.number(worst["visitors_change"], sign=True),
                term=term,
            )
        )
    titles = t.items.set_index("item_id")["title"]
    for k in (t.off_page if t.off_page is not None else pd.DataFrame()).itertuples():
        out.append(
            Finding.from_catalogue(
                T,
                "daily.off_first_page",
                2,
                "traffic",
                "",
                "operations",
                keyword=k.keyword,
                title=titles.get(k.item_id, k.item_id),
                rank=f"{k.rank:.0f}",
                limit=th.first_page_rank,
                before=f"{k.rank_base:.0f}",
                window=t.window,
                lost=fmt.number(k.visitors_change, sign=True),
            )
        )
    return out


def shop_money_kinds(folder: ExportSource, kinds) -> tuple[str, ...]:
    """``kinds`` whose amounts name a report's currency, and the orders where none of them does.

    Shopify's reports write bare numbers; its orders export names the currency code.
    """
    if folder.currency(kinds)[1] != "exports" and folder.has("orders"):
        folder.load_optional("orders")
        return (*kinds, "orders")
    return tuple(kinds)


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
    shop = metrics.with_conversion_count(folder.load("shop_daily"))
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
    missing = {k: missing_kind_text(T, folder, k) for k, (_, why) in loaded.items() if why}
    for k in opt:  # a day only a left-out file held: no figure of it is shown as whole
        if opt[k] is not None and (gone := folder.left_out_on(k, when)):
            opt[k], missing[k] = None, _day_left_out(T, k, when, gone)
    if opt["traffic_sources"] is not None:  # one level of 流量来源, renamed sources as one
        opt["traffic_sources"] = shop_sources(opt["traffic_sources"])
    if opt["items_daily"] is not None:  # stock from a stock snapshot (FBA inventory) if any
        inventory, why = folder.load_optional("inventory")
        items = metrics.with_conversion_count(opt["items_daily"])
        opt["items_daily"] = metrics.stock_from_inventory(items, inventory, th.stock_snapshot_days)
        if why and folder.has("inventory"):
            missing["inventory"] = missing_kind_text(T, folder, "inventory")
    sources, items, plan, reviews = (
        opt[k] for k in ("traffic_sources", "items_daily", "plan", "reviews")
    )
    money_kinds = shop_money_kinds(folder, DAILY_MONEY_KINDS)
    currency, assumed = settle_currency(T, folder, money_kinds, th.currency)
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
            buy_box_min=th.buy_box_min,
            hero_count=th.hero_count,
        )
        if items is not None
        else None,
        anomalies=anomalies,
        missing=missing,
        warnings=[],  # once every export is loaded, below
        date_notes=[date_note_text(T, n) for n in folder.date_notes],
        currency=currency,
        assumed=assumed,
    )
    review.funnel = metrics.funnel_steps(shop, when)
    if review.health.empty:
        review.missing["health"] = T("reasons.no_health_columns")
    if shop["visitors"].isna().all():  # sales or orders alone: no visitors, no lever split
        review.missing["bridge"] = T("reasons.no_visitors")
    service, _ = folder.load_optional("service_daily")
    review.peer_daily = peer_frame(shop, service)
    review.peers = peer_table(review.peer_daily, when)
    if review.peers.empty:
        review.peers = None
        review.missing["peers"] = T("reasons.no_peer_figures")
    review.trace = _trace(folder, T, review)
    scores, why_scores = folder.load_optional("shop_scores")
    questions, why_questions = folder.load_optional("questions")
    for kind, why in (("shop_scores", why_scores), ("questions", why_questions)):
        if why:
            review.missing[kind] = missing_kind_text(T, folder, kind)
    heroes = (
        dict(zip(review.heroes["item_id"], review.heroes["title"]))
        if review.heroes is not None
        else None
    )
    foreign = review.currency != "CNY"  # a Shopify or Amazon shop: Taobao and Tmall sell in yuan
    tiered = scores is not None or not foreign  # 店铺层级: Taobao's and Tmall's
    review.health_scores = shop_health.build_shop_health(
        shop, scores, reviews, questions, heroes, when, th, tiered
    )
    if scores is not None and review.health_scores.dsr is None:
        review.missing["shop_scores"] = T("reasons.shop_health.no_dsr")
    if questions is not None and heroes is None:
        review.missing["questions"] = review.missing.get("items_daily", "")
    if reviews is not None and "reply" not in reviews:
        review.missing["review_reply"] = T("reasons.shop_health.no_reply")
    camps, why = folder.load_optional("campaigns")
    if why:
        review.missing["campaigns"] = missing_kind_text(T, folder, "campaigns")
    elif items is None:
        review.missing["campaigns"] = missing["items_daily"]
    else:
        review.campaigns = campaigns_calc.campaign_view(camps, items, shop, scores, when, th)
    add_cross_report(review, folder, T)
    if items is None:
        review.missing["matrix"] = review.missing["copurchase"] = missing["items_daily"]
    else:
        if items["visitors"].isna().all():  # Shopify's Sales by product, an orders export
            review.missing["matrix"] = review.missing["hero_conversion"] = T(
                "reasons.no_item_visitors"
            )
        else:
            review.matrix = price_conversion_matrix(
                items,
                when,
                th.matrix_days,
                price_split=th.matrix_price_split,
                conversion_split=th.matrix_conversion_split,
                min_visitors=th.matrix_min_visitors,
            )
        _copurchase(review, folder, T)
    if foreign:  # sections only 生意参谋 exports feed are left out where their export is absent
        review.left_out = {k for k in TAOBAO_SECTIONS if k in review.missing}
    review.warnings = source_warnings(T, folder)  # every export the review read, broken or left out
    review.findings = daily_findings(review)
    return review


def _copurchase(review: DailyReview, folder: ExportSource, T: Messages) -> None:
    """The hero items' co-purchase pairs from the order lines, or why they are hidden."""
    orders, why = folder.load_optional("orders")
    if orders is None:
        review.missing["copurchase"] = missing_kind_text(T, folder, "orders")
        return
    details, _ = folder.load_optional("order_details")
    items = review.items
    titles = items.drop_duplicates("item_id").set_index("item_id")["title"]
    try:
        lines = paid_lines(orders, details, titles)
    except ValueError:
        review.missing["copurchase"] = T("reasons.copurchase_no_lines")
        return
    heroes = metrics.hero_ids(items, review.report_date, review.thresholds.hero_count)
    pairs = copurchase_pairs(lines, heroes, review.thresholds.copurchase_min_count)
    review.copurchase = pairs.assign(
        title=pairs["item_id"].map(titles),
        partner_title=pairs["partner_id"].map(titles).fillna(pairs["partner_id"]),
    )


def daily_findings(r: DailyReview) -> list[Finding]:
    """Every rule of the daily review that fires on ``r``, as findings with their numbers."""
    th, when, lang = r.thresholds, r.report_date, r.lang
    T = Messages(lang)
    out: list[Finding] = []

    def add(sev, area, key, since="", owner="", **kw):  # owner "": the area's team
        out.append(Finding.from_catalogue(T, f"daily.{key}", sev, area, since, owner, **kw))

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

    if r.funnel is not None:
        for step in r.funnel[r.funnel["rate_change"] < -th.funnel_drop].itertuples():
            add(
                2,
                "conversion",
                "funnel",
                step=T.term(step.step),
                rate=pct(step.rate),
                base=pct(step.base_rate),
                change=pct(-step.rate_change, 0),
                limit=pct(th.funnel_drop, 0),
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
            value=metric_text(metric, row["value"], lang),
            expected=metric_text(metric, row["expected"], lang),
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
            if getattr(h, "buy_box_days", 0) > 0:
                add(
                    1,
                    "conversion",
                    "buy_box",
                    since=since(when - pd.Timedelta(days=h.buy_box_days - 1), h.buy_box_days),
                    title=h.title,
                    share=pct(h.buy_box),
                    limit=pct(th.buy_box_min, 0),
                    days=h.buy_box_days,
                    gmv=money(h.gmv),
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
            owner=HEALTH_OWNER.get(h.metric, ""),
            metric=T.term(h.metric),
            side=T("findings.daily.words.below" if below else "findings.daily.words.above"),
            value=metric_text(h.metric, h.value, lang),
            direction="<" if below else ">",
            limit=metric_text(h.metric, h.threshold, lang),
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
                owner="ads",  # the budget moves between ad sources
                days=len(last7),
                share=pct(share),
                limit=pct(th.ad_share_max, 0),
            )
    for p in r.peers.itertuples() if r.peers is not None else ():
        if p.days_below < th.peer_below_days:
            continue
        out.append(
            Finding.from_catalogue(
                T,
                "daily.peer_below",
                2 if p.figure in ("conversion", "inquiry_conversion") else 3,
                "peers",
                since(when - pd.Timedelta(days=p.days_below - 1), p.days_below),
                p.owner,
                metric=figure_name(T, p.figure),
                value=peer_value(p.figure, p.value, lang),
                direction=">" if p.lower_is_better else "<",
                avg=peer_value(p.figure, p.peer_avg, lang),
                top=peer_value(p.figure, p.peer_top, lang),
                days=p.days_below,
                limit=th.peer_below_days,
                step=T(f"daily.peers.step.{p.owner}"),
            )
        )
    if r.trace is not None:
        out += _trace_findings(r, T)
    if (hs := r.health_scores) is not None:
        _shop_health_findings(r, hs, add, since)
    if r.campaigns is not None:
        for (name, deadline), g in r.campaigns.eligible.groupby(["promotion", "deadline"]):
            left = (deadline - when).days
            if not 0 <= left <= th.campaign_deadline_days:
                continue
            ok = g[g["verdict"] == "qualifies"]
            numbers = dict(campaign=name, deadline=fmt.day(deadline, lang), days=left)
            if len(ok):
                titles = ("、" if lang == "zh" else ", ").join(ok["title"])
                units = fmt.number(ok["to_stock"].sum())
                add(
                    1 if left <= 3 else 2,
                    "campaigns",
                    "campaigns.signup",
                    n=len(ok),
                    items=titles,
                    units=units,
                    **numbers,
                )
                if ok["to_stock"].sum() > 0:
                    out.append(
                        Finding.from_catalogue(
                            T,
                            "daily.campaigns.stock",
                            2,
                            "campaigns",
                            "",
                            "warehouse",
                            units=units,
                            run=int(ok["campaign_days"].iloc[0]),
                            uplift=fmt.number(ok["uplift"].iloc[0], 1),
                            rate_days=th.campaign_rate_days,
                            **numbers,
                        )
                    )
            for n in g[g["verdict"] == "near"].itertuples():
                value, limit = (
                    (fmt.number(n.units_30d), fmt.number(n.min_units_30d))
                    if n.short_of == "units_30d"
                    else (money(n.max_price), money(n.avg_price * th.campaign_price_floor))
                )
                add(
                    3,
                    "campaigns",
                    "campaigns.near",
                    title=n.title,
                    value=value,
                    limit=limit,
                    what=T(f"daily.campaigns.short.{n.short_of}"),
                    gap=pct(n.gap, 0),
                    **numbers,
                )
        for c in r.campaigns.review.itertuples():
            if c.refund_rate > th.campaign_refund_max:
                add(
                    2,
                    "campaigns",
                    "campaigns.refunds",
                    campaign=c.promotion,
                    rate=pct(c.refund_rate),
                    before=pct(c.refund_rate_before),
                    limit=pct(th.campaign_refund_max, 0),
                    days=c.refund_days_seen,
                    refunds=money(c.refunds),
                )
    out += cross_report_findings(r, T)
    if r.matrix is not None:
        m = r.matrix
        splits = dict(
            price_split=money(m.attrs["price_split"]),
            conv_split=pct(m.attrs["conversion_split"], 2),
            days=th.matrix_days,
        )
        for h in m[m["is_hero"] & m["quadrant"].isin(["reprice", "retire"])].itertuples():
            add(
                2,
                "matrix",
                f"matrix_{h.quadrant}",
                title=h.title,
                price=money(h.avg_price),
                conv=pct(h.conversion, 2),
                visitors=fmt.number(h.visitors),
                **splits,
            )
        counts = quadrant_counts(m)
        if counts["reprice"] + counts["retire"]:
            add(3, "matrix", "matrix_summary", **counts, **splits)
    if r.copurchase is not None:
        for p in r.copurchase[r.copurchase["lift"] >= th.copurchase_min_lift].itertuples():
            add(
                3,
                "page",
                "copurchase",
                title=p.title,
                partner=p.partner_title,
                confidence=pct(p.confidence, 0),
                lift=fmt.number(p.lift, 1),
                together=p.together,
                min_count=th.copurchase_min_count,
                min_lift=fmt.number(th.copurchase_min_lift, 1),
            )
    return out


DSR_OWNER = {  # who acts on a DSR item below its peers
    "dsr_description": "operations",
    "dsr_service": "service",
    "dsr_logistics": "warehouse",
}
CAUSE_OWNER = {  # who removes a complaint's cause
    "cause_product": "operations",
    "cause_size": "design",
    "cause_delivery": "warehouse",
    "cause_service": "service",
}


def _shop_health_findings(r: DailyReview, hs: shop_health.ShopHealth, add, since) -> None:
    """The shop-health rules: DSR vs peers, 店铺层级, unreplied 中差评, causes, 问大家."""
    th, when, lang = r.thresholds, r.report_date, r.lang
    T = Messages(lang)
    for d in hs.dsr.itertuples() if hs.dsr is not None else ():
        common = dict(
            owner=DSR_OWNER[d.dsr_item], item=T.term(d.dsr_item), score=f"{d.dsr_score:.2f}"
        )
        if d.dsr_vs_peer < 0:
            add(
                2,
                "service",
                "dsr_below_peer",
                since=since(when - pd.Timedelta(days=d.dsr_days_below - 1), d.dsr_days_below),
                gap=fmt.pct(-d.dsr_vs_peer, 2, lang),
                peer=f"{d.dsr_peer:.2f}",
                days=d.dsr_days_below,
                **common,
            )
        elif d.dsr_score < th.dsr_min:
            add(2, "service", "dsr_low", limit=f"{th.dsr_min:.2f}", **common)
    t = hs.tier
    if t is not None and t.below_floor:
        add(
            1,
            "stage",
            "tier_risk",
            tier=t.tier,
            gmv=fmt.money(t.gmv_30d, lang),
            floor=fmt.money(t.floor, lang),
            gap=fmt.money(t.floor - t.gmv_30d, lang),
        )
    elif t is not None and np.isfinite(t.next_gmv):
        add(
            3,
            "stage",
            "tier_next",
            tier=t.tier,
            next=t.tier + 1,
            gmv=fmt.money(t.gmv_30d, lang),
            target=fmt.money(t.next_gmv, lang),
            gap=fmt.money(t.to_next, lang),
            per_day=fmt.money(t.to_next / 30, lang),
        )
    heroes = {} if r.heroes is None else dict(zip(r.heroes["item_id"], r.heroes["title"]))
    b = hs.bad_reviews
    if b is not None and "review_reply" not in r.missing:
        unreplied = ~b["review_replied"].astype(bool)
        late = b[unreplied & b["review_hours"].gt(th.bad_review_reply_hours)]
        for item, g in late.groupby("item_id", sort=False):
            add(
                1 if item in heroes else 2,
                "reviews",
                "bad_unreplied",
                title=heroes.get(item, item),
                n=len(g),
                hours=fmt.number(g["review_hours"].max()),
                limit=th.bad_review_reply_hours,
                text=g["review_text"].iloc[0],
            )
    for c in hs.causes.itertuples() if hs.causes is not None else ():
        if c.cause_recent >= th.cause_spike_min and c.cause_ratio >= th.cause_spike_ratio:
            add(
                2,
                "reviews",
                "cause_spike",
                owner=CAUSE_OWNER[c.cause],
                cause=T.term(c.cause),
                n=c.cause_recent,
                days=th.cause_days,
                expected=fmt.number(c.cause_expected, 1),
                base_days=th.cause_base_days,
                ratio=fmt.number(c.cause_ratio, 1) if np.isfinite(c.cause_ratio) else "∞",
                limit=fmt.number(th.cause_spike_ratio, 1),
            )
    for q in hs.questions.itertuples() if hs.questions is not None else ():
        add(
            2 if q.question_hours > th.bad_review_reply_hours else 3,
            "reviews",
            "open_question",
            title=q.title,
            question=q.question_text,
            hours=fmt.number(q.question_hours),
            causes=T("ui.list_sep").join(T.term(f"cause_{c}") for c in q.question_causes),
        )
