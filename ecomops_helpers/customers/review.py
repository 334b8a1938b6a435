"""The customer review: segments, lists to message today, value; computed once, with its rules.

``build_customer_review(folder, report_date, thresholds)`` cleans the orders, scores RFM,
builds every list, fits the CLV models and turns the lists and segment moves into findings.
``write_lists`` writes each list and segment as an ID file for the CRM / SMS / EDM tool. On a
history store the order lines are read with DuckDB (:mod:`.sql`) and never held as a frame.
"""

from __future__ import annotations

from dataclasses import asdict, astuple, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

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
from ..safe_csv import write_csv
from ..sources import open_folder
from ..store import ExportStore
from ..thresholds import Thresholds
from . import clv, segments, sql

__all__ = [
    "CustomerThresholds",
    "CustomerReview",
    "build_customer_review",
    "write_lists",
    "write_id_list",
    "list_files_table",
    "base_lines",
    "headline",
    "differences",
]

FREQUENCY_CAP = 10  # purchase days shown one by one up to this, then "10+"
GAP_BINS = [0, 7, 14, 30, 60, 90, 180, 365, 10_000]
GAP_LABELS = ["<7", "7–13", "14–29", "30–59", "60–89", "90–179", "180–364", "365+"]
CLV_BINS = [0, 10, 25, 50, 100, 250, 500, float("inf")]
CLV_LABELS = ["<10", "10–25", "25–50", "50–100", "100–250", "250–500", "500+"]
TOP_VALUE_ROWS = 10


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
    zero_lines: str = "auto"  # $0 lines: auto (plain logs keep them, order exports drop them)
    min_person_share: float = 0.5  # split tables: fewer orders reaching a person: no figures
    max_lines_per_order: int = 1000  # one order id on more lines: a broken order-id column
    currency: str = "CNY"  # the amounts' currency where no export names one


@dataclass
class CustomerReview:
    """Everything the customer-segmentation notebook shows for one report date."""

    report_date: pd.Timestamp
    thresholds: CustomerThresholds
    lang: str
    drops: segments.DropReport
    events: pd.DataFrame | None
    segment_sizes: pd.DataFrame  # now vs N days ago (only "now" when history is too short)
    lists: dict[str, pd.DataFrame]
    second_window: tuple[int, int]
    first_day: pd.Timestamp  # the first purchase day
    # per order and per customer: frames from a data folder; from a store they stay in
    # ``tables`` (DuckDB), which the lists are written from
    purchases: pd.DataFrame | None = None
    summary: pd.DataFrame | None = None
    rfm: pd.DataFrame | None = None
    activity: pd.DataFrame | None = None
    tables: sql.CustomerTables | None = None
    value: pd.DataFrame | None = None  # per customer CLV (a folder; a store keeps it in tables)
    bgnbd: clv.BGNBD | None = None
    gamma_gamma: clv.GammaGamma | None = None
    model_problem: str = ""
    holdout: pd.DataFrame | None = None
    missing: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # optional exports that are broken
    date_notes: list[str] = field(default_factory=list)  # how ambiguous dates were read
    joins: list = field(default_factory=list)  # each split table joined, with its counts
    currency: str = "CNY"  # what the amounts are in: named by the exports, else the parameter
    assumed: list[str] = field(default_factory=list)  # what the header must say was assumed
    # what the notebook shows, computed here so a cell only picks, formats and draws
    base: dict = field(default_factory=dict)  # customers, last30, repeat, repeat_share
    months: pd.DataFrame | None = None  # buyers per month: new, returning, one-time
    purchase_days: pd.Series | None = None  # customers per number of purchase days (10+)
    second_purchase_days: pd.Series | None = None  # days to the second purchase, per repeat
    # customer (from a store: the values only)
    second_gaps: pd.Series | None = None  # customers per days-to-second-purchase bin
    second_median: float = float("nan")
    segments_table: pd.DataFrame | None = None  # per segment, with moves when history allows
    segment_counts: pd.Series | None = None
    activity_table: pd.DataFrame | None = None
    category_mix: pd.DataFrame | None = None  # segment × preferred category, row shares
    funnel_table: pd.DataFrame | None = None  # overall and per category
    funnel_counts: pd.Series | None = None  # users reaching each stage, overall
    funnel_stage: pd.Series | None = None  # each user's furthest stage
    funnel_stuck: pd.Series | None = None  # users whose furthest stage is each stage
    retention: pd.DataFrame | None = None
    revenue_cohort: pd.DataFrame | None = None
    magic: pd.DataFrame | None = None
    clv_bins: pd.Series | None = None
    top_value: pd.DataFrame | None = None  # the highest CLVs, IDs masked

    LIST_FILES = {
        "at_risk_high_value": "at_risk_high_value.csv",
        "second_purchase_window": "second_purchase_window.csv",
        "cart_abandoners": "cart_abandoners.csv",
        "coupon_unused": "coupon_unused.csv",
    }


def _segment_sizes(
    now: pd.Series, then_counts, first: pd.Timestamp, when: pd.Timestamp, th, T: Messages
) -> tuple[pd.DataFrame, str]:
    """Customers per segment now and, where the orders reach back, ``segment_move_days`` ago.

    ``then_counts()`` gives the counts at that day. Returns the table (now, before, change,
    change_pct; only ``now`` without the history) and, when the history is too short, the
    reason the moves are not shown.
    """
    now = now.rename("now").to_frame()
    then_date = when - pd.Timedelta(days=th.segment_move_days)
    if first > then_date:
        history = (when - first).days + 1
        return now, T(
            "reasons.segment_moves",
            days=th.segment_move_days,
            then=f"{then_date:%Y-%m-%d}",
            history=history,
            first=f"{first:%Y-%m-%d}",
        )
    out = now.join(then_counts().rename("before"), how="outer").fillna(0).astype(int)
    out["change"] = out["now"] - out["before"]
    out["change_pct"] = out["change"] / out["before"].replace(0, np.nan)
    return out.sort_values("now", ascending=False), ""


def build_customer_review(
    folder: ExportSource | str,
    report_date: str = "",
    thresholds: CustomerThresholds | None = None,
    lang: str = "zh",
    date_order: str = "auto",
    engine: str = "auto",
) -> CustomerReview:
    """Load orders (and events when present) and compute the customer review.

    A broken behaviour log hides the sections that need it (funnel, cart and coupon lists)
    and lands in ``warnings``; ``folder`` "" is the bundled sample shop. ``engine``: "duckdb"
    reads a history store's order lines with DuckDB, the per-customer tables staying there
    (the default for a store); "pandas" loads them as frames (a data folder's way, and on a
    store the reference the DuckDB path is checked against).
    """
    folder = open_folder(folder, date_order)
    th = thresholds or CustomerThresholds()
    T = Messages(lang)
    if engine == "auto":
        engine = "duckdb" if isinstance(folder, ExportStore) else "pandas"
    if engine not in ("pandas", "duckdb") or (
        engine == "duckdb" and not isinstance(folder, ExportStore)
    ):
        raise ValueError(f"engine {engine!r}: 'pandas', or 'duckdb' for a history store")
    if engine == "duckdb":
        orders, parts = None, folder.readable_parts("orders")
    else:
        orders, parts = folder.load("orders"), []
    when = pd.Timestamp(report_date) if report_date else folder.last_date()
    mapped, total = folder.person_map.get("orders", (0, 0))
    if total and mapped < th.min_person_share * total:
        raise MissingExportError(
            T(
                "reasons.few_persons",
                mapped=fmt.number(mapped),
                total=fmt.number(total),
                share=fmt.pct(mapped / total, 1, lang),
                min=fmt.pct(th.min_person_share, 0, lang),
            )
        )
    currency, assumed = settle_currency(
        T, folder, ONE_CURRENCY["customer_segmentation"], th.currency
    )
    if orders is None:
        tables = sql.CustomerTables(parts, when, th.zero_lines)
        drops, paid = tables.drops, tables.purchase_count()
        order, lines = tables.top_order or ("", 0)
        crowded = _crowded(T, order, lines, th.max_lines_per_order, tables.order_files)
    else:
        purchases, drops = segments.clean_orders(orders, zero_lines=th.zero_lines)
        purchases = purchases[purchases["date"] <= when]
        paid = len(purchases)
        crowded = _crowded_orders(orders, th.max_lines_per_order, T)
    if not paid:
        raise LookupError(f"no paid orders up to {when:%Y-%m-%d} in {folder.path}")
    events, why = folder.load_optional("events")
    missing = (
        {"events": T("reasons.events", why=missing_kind_text(T, folder, "events"))} if why else {}
    )
    common = dict(
        report_date=when,
        thresholds=th,
        lang=lang,
        drops=drops,
        events=events,
        missing=missing,
        warnings=source_warnings(T, folder) + crowded,
        date_notes=[date_note_text(T, n) for n in folder.date_notes],
        joins=folder.join_parts.get("orders", []),
        currency=currency,
        assumed=assumed,
    )
    if orders is None:
        review = _from_tables(tables, common, T)
    else:
        review = _from_frames(purchases, common, T)
    _views(review, T)
    review.findings = customer_findings(review)
    return review


def _from_frames(purchases: pd.DataFrame, common: dict, T: Messages) -> CustomerReview:
    """The review from a frame of purchases (a data folder; pandas, the reference)."""
    th, when, events = common["thresholds"], common["report_date"], common["events"]
    summary = clv.rfm_summary(purchases, when)
    rfm = segments.rfm_scores(summary, when, th.rfm_recency_step_days)

    def then_counts():
        then = when - pd.Timedelta(days=th.segment_move_days)
        earlier = purchases[purchases["date"] <= then]
        scores = segments.rfm_scores(clv.rfm_summary(earlier, then), then, th.rfm_recency_step_days)
        return scores["segment"].value_counts()

    first = purchases["date"].min()
    sizes, no_moves = _segment_sizes(rfm["segment"].value_counts(), then_counts, first, when, th, T)
    gaps = segments.days_to_second_purchase(purchases)
    second, window = segments.second_purchase_window(
        summary, gaps, when, low_q=th.second_window_low_q, high_q=th.second_window_high_q
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
        **common,
        segment_sizes=sizes,
        lists=lists,
        second_window=window,
        first_day=first,
        purchases=purchases,
        summary=summary,
        rfm=rfm,
        activity=segments.activity(
            purchases,
            events,
            when,
            churn_days=th.churn_days,
            window_days=th.activity_window_days,
            high_days=th.high_frequency_days,
        ),
        second_purchase_days=gaps,
    )
    if no_moves:
        review.missing["segment_moves"] = no_moves
    weekly = summary.assign(
        recency=summary["recency"] / th.period_days, T=summary["T"] / th.period_days
    )

    def holdout(cal_end):
        if not (purchases["date"] <= cal_end).any():
            return None
        return clv.holdout_check(purchases, cal_end, when, period_days=th.period_days)[1]

    def keep(value):
        review.value = value

    _fit_value(
        review,
        T,
        lambda: clv.fit_bgnbd(weekly["frequency"], weekly["recency"], weekly["T"]),
        lambda: clv.fit_gamma_gamma(weekly["frequency"], weekly["monetary"]),
        lambda: weekly,
        keep,
        holdout,
    )
    return review


def _from_tables(tables: sql.CustomerTables, common: dict, T: Messages) -> CustomerReview:
    """The review from a store's order lines in DuckDB (:mod:`.sql`).

    Only figures and lists come back as frames; the customers stay in ``tables``.
    """
    th, when, events = common["thresholds"], common["report_date"], common["events"]
    then = when - pd.Timedelta(days=th.segment_move_days)
    cal_end = when - pd.Timedelta(days=th.holdout_days)
    tables.score(
        step=th.rfm_recency_step_days,
        then=then,
        cal_end=cal_end,
        window_days=th.activity_window_days,
        early_days=max(segments.MAGIC_COUNTS),
    )
    first = tables.first_day()
    sizes, no_moves = _segment_sizes(
        tables.segment_counts(), lambda: tables.segment_counts("then_segment"), first, when, th, T
    )
    gaps = tables.second_gaps()
    window = segments.second_window_days(gaps, th.second_window_low_q, th.second_window_high_q)
    lists = {
        "at_risk_high_value": tables.at_risk_high_value(
            min_m_score=th.at_risk_min_m_score,
            gap_factor=th.at_risk_gap_factor,
            max_days=th.at_risk_max_days,
        ),
        "second_purchase_window": tables.second_purchase_window(*window)
        if len(gaps)
        else tables.second_purchase_window(0, -1),  # no repeat customer: nobody listed
    }
    if events is not None:
        lists["cart_abandoners"] = segments.cart_abandoners(events, when, days=th.cart_days)
        lists["coupon_unused"] = segments.coupon_unused(
            events, tables.coupon_purchases(), when, days=th.coupon_days
        )
    review = CustomerReview(
        **common,
        segment_sizes=sizes,
        lists=lists,
        second_window=window,
        first_day=first,
        tables=tables,
        second_purchase_days=gaps,
    )
    if no_moves:
        review.missing["segment_moves"] = no_moves
    period = th.period_days

    def bgnbd():
        t = tables.fit_tuples(period)
        return clv.fit_bgnbd(t["frequency"], t["recency"], t["T"], weights=t["n"])

    def gamma_gamma():
        t = tables.spend_tuples()
        return clv.fit_gamma_gamma(t["frequency"], t["monetary"], weights=t["n"])

    def holdout(cal_end):
        t = tables.holdout_tuples(cal_end, period)
        return clv.holdout_fit(t, (when - cal_end).days / period)[1] if len(t) else None

    def inputs():
        return tables.model_inputs(period)

    _fit_value(review, T, bgnbd, gamma_gamma, inputs, tables.keep_values, holdout)
    return review


def _crowded(T: Messages, order: str, lines: int, max_lines: int, files_of) -> list[str]:
    """A warning when one order id carries more lines than any real order.

    The order-id column then holds something else (a shop id, a constant), and order counts
    are wrong. ``files_of(order)`` names the export files that wrote its lines.
    """
    if lines <= max_lines:
        return []
    return [
        T(
            "reasons.crowded_order",
            order=str(order),
            n=fmt.number(int(lines)),
            max=fmt.number(max_lines),
            files=", ".join(files_of(order)),
        )
    ]


def _crowded_orders(orders: pd.DataFrame, max_lines: int, T: Messages) -> list[str]:
    """:func:`_crowded` of an orders frame."""
    if "order_id" not in orders or orders["order_id"].isna().all():
        return []
    lines = orders["order_id"].value_counts()

    def files_of(order):
        rows = orders.loc[orders["order_id"] == order]
        return sorted(rows["_file"].astype(str).unique()) if "_file" in rows else []

    return _crowded(T, lines.index[0], int(lines.iloc[0]), max_lines, files_of)


def _views(r: CustomerReview, T: Messages) -> None:
    """Everything the notebook shows beyond the lists: counts, distributions, tables."""
    when, t = r.report_date, r.tables
    if t is None:
        s, p = r.summary, r.purchases
        r.base = {
            "customers": len(s),
            "last30": p.loc[p["date"] > when - pd.Timedelta(days=30), "customer_id"].nunique(),
            "repeat": int((s["frequency"] > 0).sum()),
            "repeat_share": float((s["frequency"] > 0).mean()),
        }
        months = segments.buyer_types_by_month(p)
        days = (s["frequency"] + 1).clip(upper=FREQUENCY_CAP).value_counts().sort_index()
        days.index = [f"{i}+" if i == FREQUENCY_CAP else str(i) for i in days.index]
        table = segments.segment_table(r.rfm)
        act = r.activity["activity"].value_counts()
        if "category" in p:
            pref = segments.category_preference(p)
            r.category_mix = pd.crosstab(
                r.rfm["segment"], pref.reindex(r.rfm.index), normalize="index"
            )
        r.retention, r.revenue_cohort = segments.cohort_tables(p)
        magic = segments.magic_number(p, when, horizon_days=r.thresholds.magic_horizon_days)
        top = (
            r.value.join(r.rfm[["segment"]]).nlargest(TOP_VALUE_ROWS, "clv")
            if r.clv_bins is not None
            else None
        )
    else:
        r.base = t.base()
        months = t.buyer_types_by_month()
        days = t.purchase_days(FREQUENCY_CAP)
        table = t.segment_table()
        th = r.thresholds
        act = t.activity_counts(
            r.events,
            churn_days=th.churn_days,
            window_days=th.activity_window_days,
            high_days=th.high_frequency_days,
        )
        if "category" in t.columns:
            r.category_mix = t.category_mix()
        r.retention, r.revenue_cohort = t.cohort_tables()
        cutoff = when - pd.Timedelta(days=th.magic_horizon_days + max(segments.MAGIC_WINDOWS))
        magic = segments.magic_table(
            *t.magic_counts(
                cutoff, segments.MAGIC_WINDOWS, segments.MAGIC_COUNTS, th.magic_horizon_days
            )
        )
        top = t.top_value(TOP_VALUE_ROWS) if r.clv_bins is not None else None
    months = months.reset_index()
    r.months = months.assign(month=months["month"].astype(str)).set_index("month", drop=False)
    r.purchase_days = days
    gaps = r.second_purchase_days
    if len(gaps):
        bins = pd.cut(gaps, GAP_BINS, right=False, labels=GAP_LABELS)
        r.second_gaps = bins.value_counts().sort_index()
        r.second_median = float(gaps.median())
    if "before" in r.segment_sizes:
        moves = r.segment_sizes[["before", "change"]].rename(columns={"change": "change_customers"})
        table = table.join(moves)
    r.segments_table = table.reset_index()
    r.segment_counts = table["customers"]
    r.activity_table = (
        act.rename("customers").to_frame().assign(share=act / act.sum()).reset_index()
    )
    if r.category_mix is not None:
        r.category_mix = r.category_mix.rename(index=T.term)
    else:
        r.missing["category"] = T("reasons.no_category")
    if r.events is not None:
        overall, stage = segments.funnel(r.events, when)
        by_cat, _ = segments.funnel(r.events, when, by="category_id")
        r.funnel_counts = overall.loc["all", list(segments.FUNNEL)]
        r.funnel_table = pd.concat(
            [overall, by_cat.sort_values("browse", ascending=False)]
        ).reset_index(names="category")
        r.funnel_table["category"] = r.funnel_table["category"].astype(str)
        r.funnel_stage = stage
        r.funnel_stuck = stage.value_counts().reindex(list(segments.FUNNEL)).fillna(0).astype(int)
    if magic.empty:
        r.missing["magic"] = T("reasons.magic")
    else:
        r.magic = magic.assign(
            rule=[
                T("customers.magic.rule", days=d, purchases=k)
                for d, k in zip(magic["days"], magic["purchases"])
            ]
        )
    if top is not None:
        top.index = top.index.map(segments.mask_id)
        r.top_value = top.reset_index(names="customer")


def headline(r: CustomerReview) -> list[dict]:
    """The customer base at a glance, for the KPI cards and the index's trends."""
    T, lang, b = Messages(r.lang), r.lang, r.base
    at_risk = len(r.lists["at_risk_high_value"])
    cards = [
        ("customers", T.column("customers"), b["customers"], fmt.number(b["customers"])),
        ("last30", T("customers.base.last30"), b["last30"], fmt.number(b["last30"])),
        (
            "repeat_share",
            T("customers.base.repeat_share"),
            b["repeat_share"],
            fmt.pct(b["repeat_share"], 1, lang),
        ),
        ("at_risk", T.term("at_risk"), at_risk, fmt.number(at_risk)),
    ]
    return [
        {"key": key, "label": label, "value": value, "text": text, "change": ""}
        for key, label, value, text in cards
    ]


def base_lines(r: CustomerReview) -> list[str]:
    """The customer base in sentences: counts, what was left out, how orders were joined."""
    T, lang, b, d = Messages(r.lang), r.lang, r.base, r.drops
    dropped = "; ".join(
        T(
            "customers.base.dropped_part",
            reason=T.term(name),
            lines=fmt.number(n),
            money=fmt.money(d.amounts.get(name, 0.0), lang, compact=False),
        )
        for name, n in d.counts().items()
        if n
    ) or fmt.number(0)
    out = [
        T(
            "customers.base.counts",
            customers=fmt.number(b["customers"]),
            last30=fmt.number(b["last30"]),
            repeat=fmt.number(b["repeat"]),
            repeat_share=fmt.pct(b["repeat_share"], 0, lang),
        ),
        T(
            "customers.base.lines",
            lines=fmt.number(d.lines),
            kept=fmt.number(d.kept),
            dropped=dropped,
        ),
    ]
    if d.zero_rule:
        out.append(T(f"customers.base.zero_{d.zero_rule}", n=fmt.number(d.zero_kept)))
    if r.joins:
        parts = [
            T(f"customers.joins.{part}", **{k: fmt.number(v) for k, v in values.items()})
            for part, values in r.joins
        ]
        out.append(T("customers.base.joins", joins=T("ui.list_sep").join(parts)))
    return out


def list_files_table(files: dict[str, Path]) -> pd.DataFrame:
    """The written ID files and how many customers each holds."""
    return pd.DataFrame(
        {
            "file": [f"segments/{p.name}" for p in files.values()],
            "customers": [
                sum(1 for _ in open(p, encoding="utf-8-sig")) - 1 for p in files.values()
            ],
        }
    )


def _fit_value(r: CustomerReview, T: Messages, bgnbd, gamma_gamma, inputs, keep, holdout) -> None:
    """CLV per customer and the holdout check; a fit that fails leaves a reason, not NaN.

    ``bgnbd()`` and ``gamma_gamma()`` fit the models, ``inputs()`` gives every customer's
    frequency, recency, T (in periods) and monetary, ``keep(value)`` keeps the CLVs for the
    lists, ``holdout(cal_end)`` gives the check's table (``None`` when no purchase is that
    old). The CLVs' distribution is the review's ``clv_bins``.
    """
    th = r.thresholds
    try:
        r.bgnbd, r.gamma_gamma = bgnbd(), gamma_gamma()
        value = clv.customer_value(
            inputs(), r.bgnbd, r.gamma_gamma, horizon=th.clv_horizon_weeks, margin=th.margin
        )
        keep(value)
        bins = pd.cut(value["clv"], CLV_BINS, right=False, labels=CLV_LABELS)
        r.clv_bins = bins.value_counts().sort_index()
        r.holdout = holdout(r.report_date - pd.Timedelta(days=th.holdout_days))
    except clv.FitError as err:
        why = T(f"reasons.fit.{err.problem}", **err.values)
        r.model_problem = T("reasons.model", why=why)


def customer_findings(r: CustomerReview) -> list[Finding]:
    """Each list that has people on it, and each segment that moved, as findings."""
    th, T = r.thresholds, Messages(r.lang)
    out: list[Finding] = []

    def add(sev, area, key, **kw):
        out.append(Finding.from_catalogue(T, f"customers.{key}", sev, area, **kw))

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
            median_gap=fmt.number(risk["usual_gap_days"].median()),
            median_since=fmt.number(risk["days_since"].median()),
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
                segment=T.term(seg),
                direction=T(f"findings.customers.words.{'up' if row['change'] > 0 else 'down'}"),
                before=int(row["before"]),
                now=int(row["now"]),
                change=fmt.pct(row["change_pct"], 0, r.lang, sign=True)
                if row["before"]
                else T("findings.customers.words.new"),
                days=th.segment_move_days,
                path=f"segments/rfm_{seg}.csv",
            )
    return out


def write_lists(r: CustomerReview, out_dir: str | Path) -> dict[str, Path]:
    """Write every list and every RFM segment as ``out_dir/segments/<name>.csv``.

    Each row carries what a CRM needs: customer_id, the list or segment, RFM scores, last
    purchase, preferred category and expected value (CLV, when the models fitted). With a
    behaviour log, the people stuck at the funnel's detail and fav/cart stages get a file too
    (``stuck_at_detail``, ``stuck_at_fav_cart``). From a store, the rows come from its
    DuckDB tables one segment at a time. Returns name → path.
    """
    folder = Path(out_dir) / "segments"
    base = _crm_base(r) if r.tables is None else None

    def with_base(table: pd.DataFrame) -> pd.DataFrame:
        extra = base if base is not None else r.tables.crm_rows(ids=table.index)
        return table.join(extra.drop(columns=[c for c in extra if c in table]), how="left")

    written = {}
    for name, table in r.lists.items():
        written[name] = write_id_list(
            with_base(table), folder / CustomerReview.LIST_FILES[name], list=name
        )
    if r.events is not None:
        stage = r.funnel_stage
        for name in ("detail", "fav_cart"):
            stuck = with_base(stage[stage == name].to_frame("stage"))
            written[f"stuck_at_{name}"] = write_id_list(
                stuck, folder / f"stuck_at_{name}.csv", sort_ids=True
            )
    groups = (
        base.groupby("segment")
        if base is not None
        else ((seg, r.tables.crm_rows(segment=seg)) for seg in sorted(r.segment_counts.index))
    )
    for seg, rows in groups:
        written[f"rfm_{seg}"] = write_id_list(rows, folder / f"rfm_{seg}.csv", sort_ids=True)
    return written


def _crm_base(r: CustomerReview) -> pd.DataFrame:
    """Per customer what a CRM list carries beside the list's own columns (a folder's review)."""
    base = r.rfm[["r", "f", "m", "segment"]].join(
        r.summary[["last"]].rename(columns={"last": "last_purchase"})
    )
    preferred = segments.category_preference(r.purchases)
    if len(preferred):
        base = base.join(preferred.rename("preferred_category"))
    if r.value is not None:
        base = base.join(r.value[["clv", "p_alive"]].rename(columns={"clv": "expected_value"}))
    return base


def write_id_list(table: pd.DataFrame, path: Path, sort_ids: bool = False, **fields) -> Path:
    """Write a list for the CRM: customer_id and the given fields, one customer per row.

    Rows keep the table's order (a list ranked by priority), or by ID with ``sort_ids``.
    Numbers are written as a CRM reads them: probabilities (``p_…``) to 4 decimals, other
    fractional numbers (money, days, ratios) to 2. The file holds raw IDs: owner-only.
    """
    out = table.copy()
    for name, value in fields.items():
        out[name] = value
    for col in out.select_dtypes("float").columns:
        out[col] = out[col].round(4 if col.startswith("p_") else 2)
    out.index.name = "customer_id"
    out = out.reset_index()
    if sort_ids and not out["customer_id"].is_monotonic_increasing:  # a store's come sorted
        out = out.sort_values("customer_id", kind="stable")
    return write_csv(out, path, private=True, date_format="%Y-%m-%d")


def differences(reference: CustomerReview, other: CustomerReview, rtol: float = 1e-9) -> list[str]:
    """What differs between two reviews of the same orders, beyond ``rtol`` (relative).

    The check that the DuckDB path (a store) equals the pandas reference: drops, each
    customer's summary, RFM scores and segment, the segments, lists, cohorts and every table
    the page shows, and the models fitted on them. Empty when they agree.
    """
    found = []

    def same(name, a, b, **kw):
        check = pd.testing.assert_series_equal if isinstance(a, pd.Series) else None
        check = check or pd.testing.assert_frame_equal
        try:
            check(a, b, check_dtype=False, check_exact=False, rtol=rtol, **kw)
        except AssertionError as err:
            found.append(f"{name}: {' '.join(str(err).split())[:300]}")

    def customers(r):
        if r.tables is not None:
            return r.tables.customers()
        return r.summary.join(r.rfm).sort_index()

    a, b = reference, other
    da, db = asdict(a.drops), asdict(b.drops)
    money = da.pop("amounts"), db.pop("amounts")
    if da != db:
        found.append(f"drops: {da} != {db}")
    same("drops' money", pd.Series(money[0]), pd.Series(money[1]))
    cols = ["frequency", "recency", "T", "monetary", "total", "first", "last", "r", "f", "m"]
    ca, cb = customers(a), customers(b)
    same("customers", ca[cols + ["segment"]], cb[cols + ["segment"]], check_names=False)
    for name in ("base", "second_window", "second_median", "first_day", "warnings", "missing"):
        x, y = getattr(a, name), getattr(b, name)
        if not (x == y or (isinstance(x, float) and np.isnan(x) and np.isnan(y))):
            found.append(f"{name}: {x} != {y}")
    for name in ("segment_counts", "purchase_days", "second_gaps", "clv_bins"):
        x, y = getattr(a, name), getattr(b, name)
        if (x is None) != (y is None):
            found.append(f"{name}: only one review has it")
        elif x is not None:
            same(name, x.sort_index(), y.sort_index(), check_names=False)
    tables = (
        "segment_sizes",
        "segments_table",
        "months",
        "activity_table",
        "category_mix",
        "retention",
        "revenue_cohort",
        "magic",
        "holdout",
        "top_value",
    )
    for name in tables:
        x, y = getattr(a, name), getattr(b, name)
        if (x is None) != (y is None):
            found.append(f"{name}: only one review has it")
        elif x is not None:
            same(name, x, y, check_names=False, check_index_type=False, check_column_type=False)
    for name in a.lists.keys() | b.lists.keys():
        if name not in a.lists or name not in b.lists:
            found.append(f"list {name}: only one review has it")
        else:
            same(f"list {name}", a.lists[name].sort_index(), b.lists[name].sort_index())
    for model in ("bgnbd", "gamma_gamma"):
        x, y = getattr(a, model), getattr(b, model)
        if (x is None) != (y is None) or (
            x is not None and not np.allclose(astuple(x), astuple(y), rtol=rtol, atol=0)
        ):
            found.append(f"{model}: {x} != {y}")
    if [f.what for f in a.findings] != [f.what for f in b.findings]:
        found.append("findings differ")
    return found
