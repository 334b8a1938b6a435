"""Customer segmentation: purchases from orders, RFM, activity, lists to message, cohorts.

Every rule that puts a customer on a list is a function of a summary table and named
thresholds, so each is tested on hand-made customers and its rule text says the numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..duck import connect, relation
from ..orders import DropReport, clean_orders
from ..privacy import mask_id

__all__ = [
    "DropReport",
    "clean_orders",
    "rfm_scores",
    "RFM_SEGMENTS",
    "segment_table",
    "with_shares",
    "activity",
    "at_risk_high_value",
    "second_purchase_window",
    "second_window_days",
    "cart_abandoners",
    "coupon_unused",
    "buyer_types_by_month",
    "days_to_second_purchase",
    "cohort_tables",
    "magic_number",
    "funnel",
    "FUNNEL",
    "category_preference",
    "cohort_pivot",
    "magic_table",
    "mask_id",
]

# the behaviour log as a frame, or its Parquet files (a path, a glob or a list of paths)
EventSource = pd.DataFrame | str | Path | list


ACTIVITY_LEVELS = ("churned", "high_frequency", "low_frequency")


_DAYS = {"customer_id": "c", "date": "t"}  # purchases as the DuckDB views name them


# --------------------------------------------------------------------------- RFM

RFM_SEGMENTS = (  # rows: recency score 1..5, columns: frequency score 1..5
    ("lost", "hibernating", "at_risk", "at_risk", "cant_lose"),
    ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),
    ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),
    ("promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"),
    ("new", "potential_loyalist", "potential_loyalist", "champions", "champions"),
)


def _quintile(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """Scores 1–5 from each customer's mid-rank: equal values share the middle of their group.

    A big group of equals (everybody bought once, or today) lands in the middle, never at the
    bottom below customers who are worse. A lone customer scores 1.
    """
    v = values if higher_is_better else -values
    worse = v.rank(method="min") - 1
    tied = v.map(v.value_counts())
    pct = (worse + (tied - 1) / 2) / max(len(v) - 1, 1)
    return (1 + np.floor(5 * pct)).clip(1, 5).astype(int)


def rfm_scores(summary: pd.DataFrame, report_date, recency_step_days: int = 14) -> pd.DataFrame:
    """Recency, frequency and monetary scores (1–5) and the named segment of each customer.

    Recency = days since the last purchase (fewer is better), frequency = purchase days,
    monetary = total spend, each scored by quintile of its mid-rank. Two anchors keep thin
    history honest: R is at least 5 − days since the last purchase // ``recency_step_days``
    (bought today is never "lost"), and F is at most the number of purchase days (a one-time
    buyer is never "loyal"). All three scores are monotone in their values.
    """
    when = pd.Timestamp(report_date)
    out = pd.DataFrame(index=summary.index)
    out["recency_days"] = (when - summary["last"]).dt.days
    out["purchases"] = summary["frequency"] + 1
    out["spend"] = summary["total"]
    floor = (5 - out["recency_days"] // recency_step_days).clip(1, 5)
    out["r"] = np.maximum(_quintile(out["recency_days"], higher_is_better=False), floor)
    out["f"] = np.minimum(_quintile(out["purchases"]), out["purchases"].clip(upper=5))
    out["m"] = _quintile(out["spend"])
    grid = np.array(RFM_SEGMENTS)
    out["segment"] = grid[out["r"] - 1, out["f"] - 1]
    return out


def segment_table(rfm: pd.DataFrame) -> pd.DataFrame:
    """Per segment: customers, share, revenue share and average recency, purchases, spend."""
    t = rfm.groupby("segment").agg(
        customers=("r", "size"),
        recency_days=("recency_days", "mean"),
        purchases=("purchases", "mean"),
        spend=("spend", "mean"),
        revenue=("spend", "sum"),
    )
    return with_shares(t)


def with_shares(t: pd.DataFrame) -> pd.DataFrame:
    """A per-segment table with its shares of customers and revenue, by revenue first."""
    t["share"] = t["customers"] / t["customers"].sum()
    t["revenue_share"] = t["revenue"] / t["revenue"].sum()
    t = t.sort_values("revenue", ascending=False)
    return t[
        ["customers", "share", "revenue", "revenue_share", "recency_days", "purchases", "spend"]
    ]


# --------------------------------------------------------------------------- activity


def activity(
    purchases: pd.DataFrame,
    events: EventSource | None,
    report_date,
    *,
    churn_days: int = 30,
    window_days: int = 30,
    high_days: int = 10,
) -> pd.DataFrame:
    """Churned / low-frequency / high-frequency per customer from purchase and visit days.

    churned: no purchase or visit in ``churn_days``; high-frequency: active on at least
    ``high_days`` of the last ``window_days``; low-frequency: the others. ``events`` is the
    behaviour log, or its Parquet files (a store's ``parquet_glob("events")``): DuckDB counts
    the days, so a log of hundreds of millions of events is never loaded whole.
    """
    when = pd.Timestamp(report_date).normalize()
    query = """
        with active as (
            select cast(customer_id as varchar) as c, cast(date as date) as d
            from purchases where cast(date as date) <= $when and customer_id is not null
            {events}
        )
        select c, max(d) as last_active, {days} as active_days
        from active group by c order by c
    """
    from_events = """
        union all
        select cast(user_id as varchar), cast(ts as date) from events
        where ts < $until and user_id is not null"""
    params = {
        "when": when.date(),
        "since": (when - pd.Timedelta(days=window_days)).date(),
    }
    # days active in the window: one bit per day OR-ed per customer (a count of distinct
    # days without a table of distinct customer-days); a window longer than 63 days counts
    days = (
        "bit_count(bit_or(case when d > $since then (1::ubigint << (d - $since - 1)) "
        "else 0::ubigint end))"
        if window_days <= 63
        else "count(distinct d) filter (where d > $since)"
    )
    with connect() as con:
        relation(con, "purchases", purchases, ["customer_id", "date"])
        if events is not None:
            relation(con, "events", events, ["user_id", "ts"])
            params["until"] = (when + pd.Timedelta(days=1)).to_pydatetime()
        sql = query.format(events=from_events if events is not None else "", days=days)
        d = con.execute(sql, params).df()
    out = pd.DataFrame(
        {
            "last_active": pd.to_datetime(d["last_active"]).to_numpy(),
            "active_days": d["active_days"].astype(int).to_numpy(),
        },
        index=pd.Index(d["c"], name="customer_id"),
    )
    out["days_inactive"] = (when - out["last_active"]).dt.days
    out["activity"] = np.select(
        [out["days_inactive"] >= churn_days, out["active_days"] >= high_days],
        list(ACTIVITY_LEVELS[:2]),
        ACTIVITY_LEVELS[2],
    )
    return out


# --------------------------------------------------------------------------- lists


def at_risk_high_value(
    summary: pd.DataFrame,
    rfm: pd.DataFrame,
    report_date,
    *,
    min_m_score: int = 5,
    gap_factor: float = 2.0,
    min_gap_days: int = 7,
    max_days: int = 180,
) -> pd.DataFrame:
    """High-value repeat customers overdue against their own usual gap between purchases.

    Usual gap = (last − first purchase) / (purchase days − 1). On the list: M score ≥
    ``min_m_score``, at least two purchase days, and days since the last purchase >
    ``gap_factor`` × their usual gap (and more than ``min_gap_days``), but not more than
    ``max_days`` (past that they are lost, a different campaign).
    """
    when = pd.Timestamp(report_date)
    repeat = summary[summary["frequency"] > 0]
    gap = (repeat["last"] - repeat["first"]).dt.days / repeat["frequency"]
    since = (when - repeat["last"]).dt.days
    m = rfm.loc[repeat.index, "m"]
    hit = (m >= min_m_score) & (since > gap_factor * gap) & (since > min_gap_days)
    hit &= since <= max_days
    out = pd.DataFrame(
        {
            "usual_gap_days": gap,
            "days_since": since,
            "spend": repeat["total"],
            "last_purchase": repeat["last"],
        }
    )[hit]
    out["overdue_ratio"] = out["days_since"] / out["usual_gap_days"]
    return out.sort_index().sort_values("spend", ascending=False, kind="stable")  # ties: by ID


def days_to_second_purchase(purchases: pd.DataFrame) -> pd.Series:
    """Days between each repeat customer's first and second purchase day (DuckDB)."""
    query = """
        with d as (select distinct c, cast(t as date) as day from purchases where c is not null),
        ranked as (
            select c, day, day - lag(day) over (partition by c order by day) as gap,
                   row_number() over (partition by c order by day) as n
            from d
        )
        select c, gap from ranked where n = 2 order by c
    """
    with connect() as con:
        relation(con, "purchases", purchases, _DAYS)
        d = con.execute(query).df()
    return pd.Series(
        d["gap"].astype("int64").to_numpy(),
        index=pd.Index(d["c"], name="customer_id"),
        name="days_to_second",
    )


def second_purchase_window(
    summary: pd.DataFrame,
    gaps: pd.Series,
    report_date,
    *,
    low_q: float = 0.25,
    high_q: float = 0.75,
) -> tuple[pd.DataFrame, tuple[int, int]]:
    """One-time buyers now inside the shop's usual second-purchase window.

    The window is the ``low_q``–``high_q`` quantiles of ``gaps``, the days from first to
    second purchase among repeat customers (:func:`days_to_second_purchase`). Returns the
    list and the window (days).
    """
    once = summary[summary["frequency"] == 0]
    since = (pd.Timestamp(report_date) - once["first"]).dt.days
    lo, hi = second_window_days(gaps, low_q, high_q)
    hit = (since >= lo) & (since <= hi) & (len(gaps) > 0)  # no repeat customer: nobody
    out = pd.DataFrame(
        {"days_since_first": since, "spend": once["total"], "last_purchase": once["last"]}
    )[hit]
    return out.sort_index().sort_values("days_since_first", kind="stable"), (lo, hi)  # by ID


def second_window_days(gaps: pd.Series, low_q: float, high_q: float) -> tuple[int, int]:
    """The second-purchase window: the quantiles of ``gaps``, widened to whole days.

    (0, 0) without repeat customers.
    """
    if gaps.empty:
        return 0, 0
    return int(np.floor(gaps.quantile(low_q))), int(np.ceil(gaps.quantile(high_q)))


def cart_abandoners(
    events: pd.DataFrame,
    report_date,
    *,
    days: int = 3,
) -> pd.DataFrame:
    """Users who carted an item in the last ``days`` days and have not bought it since."""
    when = pd.Timestamp(report_date) + pd.Timedelta(days=1)
    recent = events[(events["ts"] >= when - pd.Timedelta(days=days)) & (events["ts"] < when)]
    carts = recent[recent["behavior"] == "cart"].groupby(["user_id", "item_id"])["ts"].max()
    buys = events[(events["behavior"] == "buy") & (events["ts"] < when)]
    last_buy = buys.groupby(["user_id", "item_id"])["ts"].max()
    joined = carts.to_frame("carted_at").join(last_buy.rename("bought_at"))
    open_ = joined[joined["bought_at"].isna() | (joined["bought_at"] < joined["carted_at"])]
    out = (
        open_.reset_index()
        .groupby("user_id")
        .agg(items=("item_id", "nunique"), last_cart=("carted_at", "max"))
    )
    out.index.name = "customer_id"
    return out.sort_values("last_cart", ascending=False)


def coupon_unused(
    events: pd.DataFrame,
    purchases: pd.DataFrame,
    report_date,
    *,
    days: int = 14,
) -> pd.DataFrame:
    """Users who claimed a coupon in the last ``days`` days and have not paid with one since."""
    when = pd.Timestamp(report_date) + pd.Timedelta(days=1)
    claims = events[
        (events["behavior"] == "coupon")
        & (events["ts"] < when)
        & (events["ts"] >= when - pd.Timedelta(days=days))
    ]
    claimed = claims.groupby("user_id")["ts"].min().rename("claimed_at")
    if "coupon_id" in purchases:
        used = purchases[purchases["coupon_id"].notna()].groupby("customer_id")["paid_at"].max()
    else:
        used = pd.Series(dtype="datetime64[ns]")
    out = claimed.to_frame().join(used.rename("used_at"))
    out = out[out["used_at"].isna() | (out["used_at"] < out["claimed_at"])]
    out.index.name = "customer_id"
    return out[["claimed_at"]].sort_values("claimed_at")


# --------------------------------------------------------------------------- base, cohorts


def buyer_types_by_month(purchases: pd.DataFrame) -> pd.DataFrame:
    """Per month: buyers, new buyers (first purchase that month), repeat buyers, one-time.

    Counted in DuckDB: one pass over the purchases, whatever their number.
    """
    query = """
        with p as (
            select c, cast(t as date) as d, date_trunc('month', t) as m
            from purchases where c is not null
        ),
        firsts as (select c, min(m) as fm, count(distinct d) as ndays from p group by c),
        per as (select distinct c, m from p)
        select m, count(*) as buyers, sum(cast(m = fm as integer)) as new,
               sum(cast(ndays = 1 as integer)) as one_time
        from per join firsts using (c) group by m order by m
    """
    with connect() as con:
        relation(con, "purchases", purchases, _DAYS)
        d = con.execute(query).df()
    out = d[["buyers", "new", "one_time"]].astype("int64")
    out.index = pd.PeriodIndex(pd.to_datetime(d["m"]), freq="M", name="month")
    out["returning"] = out["buyers"] - out["new"]
    return out


def cohort_tables(purchases: pd.DataFrame, months: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly acquisition cohorts: share still buying, and revenue per cohort customer.

    Rows: the month of first purchase; columns: months since (0 = the first month). DuckDB
    counts the cohort-months; only the small cohort × age tables reach pandas.
    """
    aged = """
        select strftime(cohort, '%Y-%m') as cohort, age, count(distinct c) as active,
               sum(a) as revenue
        from (select c, cohort, datediff('month', cohort, m) as age, a
              from months join firsts using (c))
        where age < $months group by cohort, age
    """
    with connect() as con:
        relation(con, "purchases", purchases, {**_DAYS, "amount": "a"})
        con.execute(
            "create temp view months as select c, date_trunc('month', t) as m, a "
            "from purchases where c is not null"
        )
        con.execute("create temp view firsts as select c, min(m) as cohort from months group by c")
        d = con.execute(aged, {"months": months}).df()
        sizes = con.execute(
            "select strftime(cohort, '%Y-%m') as cohort, count(*) as n from firsts "
            "group by cohort order by cohort"
        ).df()
    return cohort_pivot(d, sizes.set_index("cohort")["n"])


def cohort_pivot(counts: pd.DataFrame, sizes: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cohort × age tables: share still buying, revenue per cohort customer.

    From one row per cohort and age (cohort, age, active, revenue) and each cohort's customers.
    """
    tables = []
    for column in ("active", "revenue"):
        table = counts.pivot(index="cohort", columns="age", values=column).sort_index()
        table = table.reindex(columns=sorted(table.columns)).astype("float64")
        tables.append(table.div(sizes, axis=0).rename_axis(index="cohort", columns="age"))
    return tables[0], tables[1]


MAGIC_WINDOWS = (7, 14, 30)  # "k purchase days within N days of the first": the N tried
MAGIC_COUNTS = (2, 3, 4, 5)  # ... and the k


def magic_number(
    purchases: pd.DataFrame,
    report_date,
    *,
    windows=MAGIC_WINDOWS,
    counts=MAGIC_COUNTS,
    horizon_days: int = 90,
    min_customers: int = 20,
) -> pd.DataFrame:
    """Which "k purchases within N days of the first" best predicts still buying later.

    Eligible: customers whose first purchase is at least ``horizon_days`` + max(windows)
    before the report date. Retained: a purchase day at least ``horizon_days`` after the
    first. For each (N, k): customers meeting it, their retention, the others' retention
    and the lift (ratio). Rules met by fewer than ``min_customers`` are dropped; sorted by
    lift, best first.
    """
    when = pd.Timestamp(report_date).normalize()
    early = ", ".join(
        f"count(*) filter (where since < {int(n)}) as early_{int(n)}" for n in windows
    )
    query = f"""
        with d as (select distinct c, cast(t as date) as day from purchases where c is not null),
        firsts as (select c, min(day) as first from d group by c),
        aged as (
            select c, day - first as since from d join firsts using (c) where first <= $cutoff
        )
        select c, bool_or(since >= $horizon) as retained, {early}
        from aged group by c
    """
    cutoff = when - pd.Timedelta(days=horizon_days + max(windows))
    with connect() as con:
        relation(con, "purchases", purchases, _DAYS)
        per = con.execute(query, {"cutoff": cutoff.date(), "horizon": horizon_days}).df()
    retained = per["retained"].astype(bool)
    met = {}
    for n in windows:
        for k in counts:
            hit = per[f"early_{int(n)}"] >= k
            met[n, k] = int(hit.sum()), int((hit & retained).sum())
    return magic_table(len(per), int(retained.sum()), met, min_customers)


def magic_table(customers: int, retained: int, met: dict, min_customers: int = 20) -> pd.DataFrame:
    """The rules of :func:`magic_number` from counts, best lift first.

    ``customers`` eligible, ``retained`` of them, and per (N, k) in ``met`` those meeting the
    rule and those of them retained.
    """
    rows = []
    for (n, k), (hits, kept) in met.items():
        if hits < min_customers or customers - hits < min_customers:
            continue
        r_met, r_not = kept / hits, (retained - kept) / (customers - hits)
        rows.append(
            {
                "rule": f"{k} in {n} days",
                "days": n,
                "purchases": k,
                "customers": hits,
                "retention": r_met,
                "retention_others": r_not,
                "lift": r_met / r_not if r_not > 0 else np.inf,
            }
        )
    out = pd.DataFrame(rows)
    return (
        out.sort_values(["lift", "customers"], ascending=False).reset_index(drop=True)
        if len(out)
        else out
    )


# --------------------------------------------------------------------------- funnel, categories

FUNNEL = ("browse", "detail", "fav_cart", "buy")


def funnel(events: EventSource, report_date, *, days: int = 30, by: str | None = None):
    """Users reaching each stage (browse → detail → fav/cart → buy) and the drop-off.

    browse: any action; detail: a page view of an item; fav/cart: a favourite or cart;
    buy: a purchase, all within the last ``days``. ``by`` ("category_id") splits per value
    (events without one are left out of the split). ``events`` is the behaviour log or its
    Parquet files; DuckDB does the counting. Returns the counts table and each user's
    furthest stage (``None`` with ``by``).
    """
    when = pd.Timestamp(report_date).normalize() + pd.Timedelta(days=1)
    stage = (
        "max(case behavior when 'pv' then 1 when 'fav' then 2 when 'cart' then 2 "
        "when 'buy' then 3 else 0 end)"
    )
    window = "ts >= $start and ts < $end and user_id is not null"
    if by:  # users counted by a 64-bit hash: smaller groups, same counts
        furthest = f"""
            select hash(user_id) as u, cast({by} as varchar) as g, {stage} as s
            from events where {window} and {by} is not null group by u, g
        """
    else:  # each user's furthest stage is an answer too: kept, and counted
        furthest = f"""
            select cast(user_id as varchar) as u, 'all' as g, {stage} as s
            from events where {window} group by u
        """
    reached = ", ".join(
        f"count(*) filter (where s >= {i}) as {name}" for i, name in enumerate(FUNNEL)
    )
    params = {
        "start": (when - pd.Timedelta(days=days)).to_pydatetime(),
        "end": when.to_pydatetime(),
    }
    with connect() as con:
        relation(con, "events", events, ["user_id", "behavior", "ts", *([by] if by else [])])
        con.execute(f"create temp table furthest as {furthest}", params)
        counts = con.execute(f"select g, {reached} from furthest group by g order by g").df()
        users = None if by else con.execute("select u, s from furthest order by u").df()
    table = counts.set_index("g")[list(FUNNEL)].astype(int)
    table.index.name = by
    for a, b in zip(FUNNEL, FUNNEL[1:]):
        table[f"{a}→{b}"] = table[b] / table[a].replace(0, np.nan)
    if by:
        return table, None
    return table, pd.Series(
        users["s"].map(dict(enumerate(FUNNEL))).to_numpy(),
        index=pd.Index(users["u"], name="user_id"),
    )


def category_preference(purchases: pd.DataFrame) -> pd.Series:
    """Each customer's category with the most spend (a tie: the first category by name)."""
    if "category" not in purchases:
        return pd.Series(dtype="string")
    spend = purchases.groupby(["customer_id", "category"])["amount"].sum().reset_index()
    top = spend.sort_values(
        ["customer_id", "amount", "category"], ascending=[True, False, True]
    ).drop_duplicates("customer_id")
    return top.set_index("customer_id")["category"]
