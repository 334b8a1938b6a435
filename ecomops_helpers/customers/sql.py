"""The customer review's arithmetic in DuckDB, for order lines kept as Parquet (a history store).

Ten million order lines cost gigabytes as a pandas frame; here DuckDB reads the store's day
files into three tables of one connection (:class:`CustomerTables`): the purchases (one row
per order), the customer days and the customers (summary, RFM scores, segments, the figures
the lists and cohorts need), and only what a chart, a table or a list shows comes back to
pandas. Each step is the twin of the pandas or frame-based one the review runs on a data
folder (named in its docstring), with the same rules; tests prove each pair equal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from ..duck import connect, relation
from ..orders import _PARTIAL, _REFUNDED, _UNPAID, ADJUSTMENT_CODES, ZERO_LINES, DropReport
from .segments import ACTIVITY_LEVELS, RFM_SEGMENTS, cohort_pivot, with_shares

__all__ = ["Cleaned", "CustomerTables", "clean_orders"]


@dataclass
class Cleaned:
    """What :func:`clean_orders` found.

    The purchases, what was left out, and the order id on the most lines (``None`` when every
    order is one line).
    """

    purchases: pa.Table
    drops: DropReport
    top_order: tuple[str, int] | None


KEEP = "(reason is null or reason = 'occasion')"  # a flagged line that stays a purchase


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _day(ts) -> str:
    return f"date '{pd.Timestamp(ts):%Y-%m-%d}'"


# --------------------------------------------------------------------------- order lines


def _lines_view(con, source) -> list[str]:
    """``source`` as the view ``lines``, with ``_at``: each line's place in load order.

    ``source``: a frame (its row order), or Parquet files in the order a store loads them
    (by ``_file`` and ``_row`` where written, then file and row). Returns its columns.
    """
    if isinstance(source, pd.DataFrame):
        table = pa.Table.from_pandas(source, preserve_index=False)
        table = table.append_column("_at", pa.array(np.arange(len(table))))
        con.from_arrow(table).create_view("lines")
    else:
        read = (
            f"read_parquet([{', '.join(_quote(str(p)) for p in source)}], union_by_name = true, "
            "hive_partitioning = false, file_row_number = true)"
        )
        names = con.sql(f"select * from {read} limit 0").columns
        key = [c for c in ("_file", "_row") if c in names] + ["file_index", "file_row_number"]
        con.execute(
            "create temp view lines as select * exclude (file_row_number), "
            f"struct_pack({', '.join(f'{k} := {k}' for k in key)}) as _at from {read}"
        )
    return [c for c in con.sql("select * from lines limit 0").columns if c != "_at"]


def _statuses(con) -> None:
    """The view ``statuses``: each distinct status and what it says, by the pandas rules.

    A status column holds few distinct values, so the patterns of
    :mod:`~ecomops_helpers.orders` run in Python once per value, not once per line (and
    match exactly as they match there).
    """
    values = (
        con.sql("select distinct cast(status as varchar) as st from lines where status is not null")
        .fetchnumpy()["st"]
        .tolist()
    )
    low = [v.lower() for v in values]
    partial = [bool(_PARTIAL.search(v)) for v in low]
    table = pa.table(
        {
            "st": pa.array(values, pa.string()),
            "cancel": [bool(_REFUNDED.search(v)) and not p for v, p in zip(low, partial)],
            "unpaid_status": [bool(_UNPAID.search(v)) for v in low],
        }
    )
    con.from_arrow(table).create_view("statuses")


def _flags(cols: list[str], zero_lines: str) -> str:
    """Each line with its reason to be left out, ``reason`` (null: kept), as clean_orders decides.

    clean_orders' masks exclude each other in a fixed order, so one ``case`` in that order
    gives the same reason: a negative line nobody bought (a stock write-off) is an
    adjustment; then refunded or cancelled (status, cancel date, a ``C…`` invoice, a
    negative quantity or amount); unpaid (status, no payment time); no customer (or an
    unknown person); a non-product code; a zero value (``occasion``: a zero line kept as a
    purchase, as ``zero_lines`` says).
    """

    def has(*names):
        return set(names) <= set(cols)

    def num(c):  # NaN is missing, as in pandas
        return f"case when isnan({c}) then null else {c} end"

    order = (
        "cast(order_id as varchar)"
        if has("order_id")
        else "cast(row_number() over (order by _at) - 1 as varchar)"
    )
    plain = " and ".join(f"{c} is null" for c in ("order_id", "item_id") if has(c)) or "true"
    cancelled = ["s.cancel"] if has("status") else []
    if has("cancelled_at"):
        cancelled.append("cancelled_at is not null")
    cancelled.append(rf"regexp_full_match({order}, '[Cc]\p{{Nd}}+')")
    negative = " or ".join(f"{num(c)} < 0" for c in ("quantity", "amount") if has(c)) or "false"
    line = (
        f"{num('quantity')} * {num('unit_price')}"
        if has("quantity", "unit_price")
        else num("amount")
    )
    if has("amount"):
        line = f"coalesce({line}, {num('amount')})"
    unknown = (
        "coalesce(cast(_unknown_person as boolean), false)" if has("_unknown_person") else "false"
    )
    codes = ", ".join(_quote(c) for c in sorted(ADJUSTMENT_CODES))
    code = f"upper(cast(item_id as varchar)) in ({codes})" if has("item_id") else "false"
    status = "left join statuses s on cast(l.status as varchar) = s.st" if has("status") else ""
    unpaid = "paid_at is null" + (" or coalesce(s.unpaid_status, false)" if has("status") else "")
    zero = {
        "auto": "case when plain then 'occasion' else 'zero_price' end",
        "keep": "'occasion'",
        "drop": "'zero_price'",
    }[zero_lines]
    return f"""
        with a as (
            select l.*, {order} as oid, {plain} as plain, {line} as line_value,
                   coalesce({negative}, false) as negative,
                   coalesce({" or ".join(cancelled)}, false) as cancelled,
                   coalesce({unpaid}, false) as unpaid
            from lines l {status}
        )
        select *,
            case
                when negative and customer_id is null and not cancelled then 'adjustments'
                when cancelled or negative then 'refunded_or_cancelled'
                when unpaid then 'unpaid'
                when customer_id is null then
                    case when {unknown} then 'unknown_person' else 'no_customer' end
                when coalesce({code}, false) then 'adjustments'
                when coalesce(line_value, 0) = 0 then {zero}
            end as reason,
            coalesce(abs(line_value), 0) as line_money
        from a
    """


def _drop_report(con, zero_lines: str) -> DropReport:
    """Lines, kept lines, and each reason's lines and money, as clean_orders counts them."""
    got = {
        reason: (n, money)
        for reason, n, money in con.sql(
            "select reason, count(*), fsum(line_money) from flagged group by reason"
        ).fetchall()
    }
    n = {r: got.get(r, (0, 0.0))[0] for r in (*DropReport.REASONS, "occasion", None)}
    report = DropReport(
        lines=sum(c for c, _ in got.values()),
        kept=n[None] + n["occasion"],
        zero_kept=n["occasion"],
    )
    for r in DropReport.REASONS:
        setattr(report, r, n[r])
        report.amounts[r] = float(got.get(r, (0, 0.0))[1])
    zero = n["occasion"] + n["zero_price"]  # zero-value lines, whatever was done with them
    if zero_lines == "auto":
        report.zero_rule = "occasion" if report.zero_kept else ("gift" if zero else "")
    else:
        report.zero_rule = zero_lines if zero else ""
    return report


def _orders(con, cols: list[str], until: pd.Timestamp | None, ids: bool) -> tuple[str, int] | None:
    """The table ``purchases``: the kept lines as one row per order (paid before ``until``).

    Most orders are one line: only the order ids on several lines (found by a 64-bit hash of
    the id, then grouped by the id itself) are collapsed, as clean_orders collapses them: the
    first customer, category, coupon and channel, the earliest payment, the order's paid
    amount (its largest) else the sum of its lines; ``ids``: with the order id (the figures
    never need it). Returns the order id on the most lines, ``None`` when every order is one
    line.
    """
    firsts = "".join(f", {c}" for c in ("category", "coupon_id", "channel") if c in cols)
    many_firsts = "".join(
        f", arg_min({c}, _at) filter (where {c} is not null) as {c}"
        for c in ("category", "coupon_id", "channel")
        if c in cols
    )
    amount = "case when isnan(amount) then null else amount end" if "amount" in cols else "null"
    paid = f"and paid_at < {_quote(str(until))}::timestamp" if until is not None else ""
    con.execute(
        "create temp table multi as select hash(cast(order_id as varchar)) as h, count(*) as n "
        "from lines where order_id is not null group by h having count(*) > 1"
        if "order_id" in cols
        else "create temp table multi (h ubigint, n bigint)"  # each line an order of its own
    )
    con.execute(
        f"""
        create temp table purchases as
        select {"oid as order_id, " if ids else ""}customer_id, paid_at,
               coalesce({amount}, coalesce(line_value, 0)) as amount{firsts}
        from flagged
        where {KEEP} and oid is not null and hash(oid) not in (select h from multi) {paid}
        """
    )
    con.execute(
        f"""
        insert into purchases
        select * exclude (oid) from (
            select oid{", oid as order_id" if ids else ""},
                   arg_min(customer_id, _at) as customer_id, min(paid_at) as paid_at,
                   coalesce(max({amount}), coalesce(fsum(line_value), 0)) as amount{many_firsts}
            from flagged where {KEEP} and hash(oid) in (select h from multi) group by oid
        ) where true {paid}
        """
    )
    top = con.sql("select h from multi order by n desc limit 1").fetchall()
    if not top:
        return None
    order, n = con.sql(
        "select oid, count(*) as n from flagged where hash(oid) = ? group by oid "
        "order by n desc limit 1",
        params=[top[0][0]],
    ).fetchall()[0]
    return order, int(n)


def clean_orders(source, *, zero_lines: str = "auto") -> Cleaned:
    """:func:`~ecomops_helpers.orders.clean_orders` in DuckDB: the same rules, line by line.

    ``source``: the orders' Parquet files (a store's, oldest first) or a frame of order lines.
    The purchases come back as an Arrow table (one row per order, in no particular order),
    never as a frame of millions of rows.
    """
    with connect() as con:
        drops, top = _clean(con, source, zero_lines, ids=True)
        firsts = [c for c in ("category", "coupon_id", "channel") if c in _columns(con)]
        purchases = con.sql(
            f"select order_id, customer_id, paid_at, amount{''.join(', ' + c for c in firsts)}, "
            "date_trunc('day', paid_at) as date from purchases"
        ).to_arrow_table()
    return Cleaned(purchases, drops, top)


def _columns(con) -> list[str]:
    return con.sql("select * from purchases limit 0").columns


def _clean(
    con, source, zero_lines: str, until: pd.Timestamp | None = None, ids: bool = False
) -> tuple[DropReport, tuple[str, int] | None]:
    """Flag ``source``'s lines, count what is left out, and write the table ``purchases``."""
    if zero_lines not in ZERO_LINES:
        raise ValueError(f"zero_lines {zero_lines!r}: expected one of {', '.join(ZERO_LINES)}")
    cols = _lines_view(con, source)
    if "amount" not in cols and not {"quantity", "unit_price"} <= set(cols):
        raise ValueError(
            "orders need an amount column (实付金额 / Total) or quantity and unit "
            "price (Quantity, UnitPrice)"
        )
    if "status" in cols:
        _statuses(con)
    con.execute(f"create temp view flagged as {_flags(cols, zero_lines)}")
    return _drop_report(con, zero_lines), _orders(con, cols, until, ids)


# --------------------------------------------------------------------------- customers


def _scores(src: str, when: str, step: int) -> str:
    """RFM scores and segment of each customer in ``src`` (c, last, frequency, total).

    As :func:`~ecomops_helpers.customers.segments.rfm_scores` gives them: quintiles of the
    mid-rank (counted per distinct value), R at least 5 − days since // ``step``, F at most
    the purchase days.
    """

    def ranks(col: str, order: str) -> str:  # customers worse than each value, and tied
        return (
            f"(select {col}, sum(count(*)) over (order by {col} {order}) - count(*) as worse, "
            f"count(*) as tied from s group by {col})"
        )

    def score(alias: str) -> str:
        pct = f"({alias}.worse + ({alias}.tied - 1) / 2) / n.n"
        return f"cast(greatest(least(1 + floor(5 * {pct}), 5), 1) as integer)"

    grid = "[" + ", ".join("[" + ", ".join(map(_quote, row)) + "]" for row in RFM_SEGMENTS) + "]"
    return f"""
        with s as (
            select c, {when} - last as recency_days, frequency + 1 as purchases, total as spend
            from {src}
        ),
        n as (select greatest(count(*) - 1, 1) as n from s),
        rfm as (
            select c, recency_days, purchases, spend,
                greatest({score("qr")}, least(greatest(5 - recency_days // {int(step)}, 1), 5))
                    as r,
                least({score("qf")}, least(purchases, 5)) as f, {score("qm")} as m
            from s
            join {ranks("recency_days", "desc")} qr using (recency_days)
            join {ranks("purchases", "asc")} qf using (purchases)
            join {ranks("spend", "asc")} qm using (spend)
            cross join n
        )
        select *, {grid}[r][f] as segment from rfm
    """


class CustomerTables:
    """A store's purchases, customer days and customers in one DuckDB connection.

    ``purchases``: the orders' kept lines as one row per order (:func:`clean_orders`'s rules),
    paid up to ``when``; ``days``: one row per customer and purchase day, with its spend;
    after :meth:`score`, ``customers``: per customer the summary
    :func:`~ecomops_helpers.customers.clv.rfm_summary` gives, the RFM scores and segment of
    :func:`~ecomops_helpers.customers.segments.rfm_scores` (now and ``then``), the
    calibration figures of the model check and the first purchase days the repeat-timing
    figures need. Kept open for the review's lists (:func:`~.review.write_lists`).
    """

    def __init__(self, files: list, when: pd.Timestamp, zero_lines: str = "auto"):
        self.when = pd.Timestamp(when).normalize()
        self.con = connect()
        self.drops, self.top_order = _clean(
            self.con, files, zero_lines, self.when + pd.Timedelta(days=1)
        )
        self.columns = _columns(self.con)
        self.con.execute(
            "create temp table days as select customer_id as c, cast(paid_at as date) as day, "
            "fsum(amount) as a from purchases group by c, day"
        )

    def purchase_count(self) -> int:
        """Purchases (orders) paid up to the report date."""
        return self.con.sql("select count(*) from purchases").fetchall()[0][0]

    def query(self, sql: str, params=None) -> pd.DataFrame:
        """A small result as a frame."""
        return self.con.sql(sql, params=params).df()

    def order_files(self, order: str) -> list[str]:
        """The export files that wrote lines of ``order`` (for the crowded-order warning)."""
        if "_file" not in self.con.sql("select * from lines limit 0").columns:
            return []
        rows = self.con.sql(
            "select distinct cast(_file as varchar) as f from flagged where oid = ? order by f",
            params=[order],
        ).fetchall()
        return [r[0] for r in rows if r[0] is not None]

    def score(
        self,
        *,
        step: int,
        then: pd.Timestamp,
        cal_end: pd.Timestamp,
        window_days: int,
        early_days: int,
    ) -> None:
        """Build ``customers``, ``months`` and the preferred category.

        Per customer: summary, scores and segment now and at ``then``, the model check's
        calibration summary up to ``cal_end`` and its holdout days, purchase days in the last
        ``window_days``, and the first ``early_days`` purchase days.
        """
        when, then, cal = _day(self.when), _day(then), _day(cal_end)
        since = _day(self.when - pd.Timedelta(days=window_days))
        self.con.execute(
            f"""
            create temp table summary as
            select c, min(day) as first, max(day) as last, count(*) - 1 as frequency,
                   fsum(a) as total, arg_min(a, day) as first_amount,
                   min(day, {max(int(early_days), 2)}) as early,
                   count(*) filter (where day > {since}) as recent_days,
                   count(*) filter (where day <= {then}) - 1 as then_frequency,
                   max(day) filter (where day <= {then}) as then_last,
                   fsum(a) filter (where day <= {then}) as then_total,
                   count(*) filter (where day <= {cal}) - 1 as cal_frequency,
                   max(day) filter (where day <= {cal}) as cal_last,
                   count(*) filter (where day > {cal}) as actual
            from days group by c
            """
        )
        before = (
            "(select c, then_last as last, then_frequency as frequency, then_total as total "
            "from summary where then_last is not null)"
        )
        self.con.execute(
            f"""
            create temp table customers as
            select row_number() over () as k, s.*,
                   case when frequency > 0 then (total - first_amount) / frequency else 0 end
                       as monetary,
                   now.recency_days, now.purchases, now.spend, now.r, now.f, now.m,
                   now.segment, b.segment as then_segment
            from summary s
            join ({_scores("summary", when, step)}) now using (c)
            left join ({_scores(before, then, step)}) b using (c)
            """
        )
        self.con.execute("drop table summary")
        self.con.execute(
            """
            create temp table months as
            select c, month, a, date_trunc('month', first) as cohort, frequency = 0 as once
            from (select c, date_trunc('month', day) as month, sum(a) as a from days
                  group by c, month)
            join customers using (c)
            """
        )
        if "category" in self.columns:  # most spend, a tie to the first category by name
            self.con.execute(
                """
                create temp table preferred as
                select c, arg_min(category, {'s': -spend, 'k': category}) as category
                from (select customer_id as c, category, fsum(amount) as spend
                      from purchases where category is not null group by all)
                group by c
                """
            )

    # ----------------------------------------------------------------------- figures

    def first_day(self) -> pd.Timestamp:
        """The first purchase day (the report's period starts there)."""
        return pd.Timestamp(self.con.sql("select min(first) from customers").fetchall()[0][0])

    def base(self, recent_days: int = 30) -> dict:
        """Customers, those who bought in the last ``recent_days``, repeat customers, share."""
        since = _day(self.when - pd.Timedelta(days=recent_days))
        n, recent, repeat = self.con.sql(
            f"select count(*), count(*) filter (where last > {since}), "
            "count(*) filter (where frequency > 0) from customers"
        ).fetchall()[0]
        return {
            "customers": n,
            "last30": recent,
            "repeat": repeat,
            "repeat_share": repeat / n,
        }

    def purchase_days(self, cap: int) -> pd.Series:
        """Customers per number of purchase days, ``cap`` and more together (as ``"10+"``)."""
        d = self.query(
            f"select least(frequency + 1, {int(cap)}) as d, count(*) as n from customers "
            "group by d order by d"
        )
        return pd.Series(
            d["n"].to_numpy(),
            index=[f"{i}+" if i == cap else str(i) for i in d["d"]],
            name="count",
        )

    def second_gaps(self) -> pd.Series:
        """Days from the first to the second purchase day, one value per repeat customer."""
        d = self.query(
            "select early[2] - first as gap, count(*) as n from customers where frequency > 0 "
            "group by gap order by gap"
        )
        return pd.Series(
            np.repeat(d["gap"].to_numpy("int64"), d["n"].to_numpy()), name="days_to_second"
        )

    def segment_counts(self, column: str = "segment") -> pd.Series:
        """Customers per segment (``then_segment``: at the comparison day)."""
        d = self.query(
            f"select {column} as segment, count(*) as n from customers "
            f"where {column} is not null group by 1 order by n desc, segment"
        )
        return pd.Series(d["n"].to_numpy(), index=pd.Index(d["segment"], name="segment"))

    def segment_table(self) -> pd.DataFrame:
        """:func:`~ecomops_helpers.customers.segments.segment_table` of every customer."""
        t = self.query(
            "select segment, count(*) as customers, avg(recency_days) as recency_days, "
            "avg(purchases) as purchases, avg(spend) as spend, sum(spend) as revenue "
            "from customers group by segment order by segment"
        ).set_index("segment")
        return with_shares(t)

    def at_risk_high_value(
        self, *, min_m_score: int, gap_factor: float, min_gap_days: int = 7, max_days: int
    ) -> pd.DataFrame:
        """:func:`~ecomops_helpers.customers.segments.at_risk_high_value`, the same rule."""
        d = self.query(
            f"""
            with g as (
                select c, (last - first) / frequency as usual_gap_days,
                       {_day(self.when)} - last as days_since, total as spend,
                       last as last_purchase, m
                from customers where frequency > 0
            )
            select c as customer_id, usual_gap_days, days_since, spend,
                   cast(last_purchase as timestamp) as last_purchase,
                   days_since / usual_gap_days as overdue_ratio
            from g
            where m >= ? and days_since > ? * usual_gap_days and days_since > ?
                  and days_since <= ?
            order by spend desc, customer_id
            """,
            [int(min_m_score), float(gap_factor), int(min_gap_days), int(max_days)],
        )
        return d.set_index("customer_id")

    def second_purchase_window(self, lo: int, hi: int) -> pd.DataFrame:
        """One-time buyers whose first purchase was ``lo``–``hi`` days ago.

        As :func:`~ecomops_helpers.customers.segments.second_purchase_window` lists them.
        """
        d = self.query(
            f"""
            select c as customer_id, {_day(self.when)} - first as days_since_first,
                   total as spend, cast(last as timestamp) as last_purchase
            from customers
            where frequency = 0 and {_day(self.when)} - first between ? and ?
            order by days_since_first, customer_id
            """,
            [int(lo), int(hi)],
        )
        return d.set_index("customer_id")

    def coupon_purchases(self) -> pd.DataFrame:
        """Each customer's last purchase with a coupon (customer_id, paid_at, coupon_id)."""
        if "coupon_id" not in self.columns:
            return pd.DataFrame(columns=["customer_id", "paid_at"])
        return self.query(
            "select customer_id, max(paid_at) as paid_at, any_value(coupon_id) as coupon_id "
            "from purchases where coupon_id is not null group by customer_id"
        )

    def buyer_types_by_month(self) -> pd.DataFrame:
        """:func:`~ecomops_helpers.customers.segments.buyer_types_by_month`, from the days."""
        d = self.query(
            """
            select month, count(*) as buyers, count(*) filter (where month = cohort) as new,
                   count(*) filter (where once) as one_time
            from months group by month order by month
            """
        )
        out = d[["buyers", "new", "one_time"]].astype("int64")
        out.index = pd.PeriodIndex(pd.to_datetime(d["month"]), freq="M", name="month")
        out["returning"] = out["buyers"] - out["new"]
        return out

    def cohort_tables(self, months: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:func:`~ecomops_helpers.customers.segments.cohort_tables`, from the days."""
        d = self.query(
            """
            select strftime(cohort, '%Y-%m') as cohort, datediff('month', cohort, month) as age,
                   count(*) as active, sum(a) as revenue
            from months where datediff('month', cohort, month) < ? group by all
            """,
            [int(months)],
        )
        size = self.query(
            "select strftime(date_trunc('month', first), '%Y-%m') as cohort, count(*) as n "
            "from customers group by cohort order by cohort"
        ).set_index("cohort")["n"]
        return cohort_pivot(d, size)

    def magic_counts(
        self, cutoff: pd.Timestamp, windows, counts, horizon_days: int
    ) -> tuple[int, int, dict]:
        """The counts :func:`~ecomops_helpers.customers.segments.magic_table` takes.

        Eligible customers, those retained, and per (N, k) those meeting "k purchase days
        within N days of the first" and those of them retained.
        """
        met = ", ".join(
            f"count(*) filter (where len(list_filter(early, lambda d: d - first < {int(n)})) "
            f">= {int(k)}) as met_{int(n)}_{int(k)}, "
            f"count(*) filter (where retained and len(list_filter(early, lambda d: d - first "
            f"< {int(n)})) >= {int(k)}) as kept_{int(n)}_{int(k)}"
            for n in windows
            for k in counts
        )
        got = self.con.sql(
            f"""
            select count(*) as n, count(*) filter (where retained) as kept, {met}
            from (select *, last - first >= {int(horizon_days)} as retained from customers
                  where first <= {_day(cutoff)})
            """
        ).fetchnumpy()
        got = {k: int(v[0]) for k, v in got.items()}
        return (
            got["n"],
            got["kept"],
            {(n, k): (got[f"met_{n}_{k}"], got[f"kept_{n}_{k}"]) for n in windows for k in counts},
        )

    def activity_counts(
        self, events, *, churn_days: int, window_days: int, high_days: int
    ) -> pd.Series:
        """Customers (and visitors) per activity level.

        As :func:`~ecomops_helpers.customers.segments.activity` puts them.
        """
        when = _day(self.when)
        since = _day(self.when - pd.Timedelta(days=window_days))
        if events is None:
            per = f"select {when} - last as inactive, recent_days as active_days from customers"
        else:
            relation(self.con, "events", events, ["user_id", "ts"])
            until = _quote(str(self.when + pd.Timedelta(days=1)))
            per = f"""
                with active as (
                    select c, day as d from days
                    union all
                    select cast(user_id as varchar), cast(ts as date) from events
                    where ts < {until}::timestamp and user_id is not null
                )
                select {when} - max(d) as inactive,
                       count(distinct d) filter (where d > {since}) as active_days
                from active group by c
            """
        d = self.query(
            f"""
            select case when inactive >= {int(churn_days)} then 1
                        when active_days >= {int(high_days)} then 2 else 3 end as level,
                   count(*) as n
            from ({per}) group by level order by n desc, level
            """
        )
        return pd.Series(
            d["n"].to_numpy(),
            index=pd.Index([ACTIVITY_LEVELS[i - 1] for i in d["level"]], name="activity"),
            name="count",
        )

    def category_mix(self) -> pd.DataFrame:
        """Segment × preferred category, row shares (the heatmap's table)."""
        d = self.query(
            "select segment, p.category, count(*) as n from customers join preferred p "
            "using (c) group by all"
        )
        t = d.pivot(index="segment", columns="category", values="n").fillna(0)
        t.columns = t.columns.astype("string")  # as the export readers type a text column
        return t.div(t.sum(axis=1), axis=0).sort_index().sort_index(axis=1)

    # ----------------------------------------------------------------------- models

    def fit_tuples(self, period_days: float) -> pd.DataFrame:
        """Distinct (frequency, recency, T) in periods, with their customers (``n``)."""
        return self.query(
            f"""
            select frequency, (last - first) / {float(period_days)} as recency,
                   ({_day(self.when)} - first) / {float(period_days)} as T, count(*) as n
            from customers group by all order by all
            """
        )

    def spend_tuples(self) -> pd.DataFrame:
        """Distinct (frequency, monetary) of repeat customers with positive spend, counted."""
        return self.query(
            "select frequency, monetary, count(*) as n from customers "
            "where frequency > 0 and monetary > 0 group by all order by all"
        )

    def holdout_tuples(self, cal_end: pd.Timestamp, period_days: float) -> pd.DataFrame:
        """The model check's distinct calibration tuples, as holdout_fit takes them.

        Customers who bought by ``cal_end``; per tuple its customers and their purchase days
        after it (``actual``, summed).
        """
        return self.query(
            f"""
            select cal_frequency as frequency, (cal_last - first) / {float(period_days)}
                       as recency,
                   ({_day(cal_end)} - first) / {float(period_days)} as T,
                   count(*) as n, sum(actual) as actual
            from customers where cal_last is not null group by all order by all
            """
        )

    def model_inputs(self, period_days: float) -> pd.DataFrame:
        """Every customer's frequency, recency, T (in periods) and monetary, by row key."""
        d = self.con.sql(
            f"""
            select k, frequency, (last - first) / {float(period_days)} as recency,
                   ({_day(self.when)} - first) / {float(period_days)} as T, monetary
            from customers order by k
            """
        ).fetchnumpy()
        return pd.DataFrame(
            {c: d[c] for c in ("frequency", "recency", "T", "monetary")}, index=d["k"]
        )

    def keep_values(self, value: pd.DataFrame) -> None:
        """Keep the models' values per customer (by row key) beside the customers."""
        self.con.from_arrow(pa.Table.from_pandas(value.rename_axis("k").reset_index())).create_view(
            "value_rows"
        )
        self.con.execute("create temp table value as select * from value_rows")

    def top_value(self, n: int) -> pd.DataFrame:
        """The ``n`` highest CLVs with their values and segment, by raw customer ID."""
        d = self.query(
            f"""
            select c as customer_id, v.* exclude (k), segment
            from customers join value v using (k) order by v.clv desc, c limit {int(n)}
            """
        )
        return d.set_index("customer_id")

    # ----------------------------------------------------------------------- lists

    def crm_rows(self, ids: pd.Index | None = None, segment: str | None = None) -> pd.DataFrame:
        """What a CRM list needs per customer, of ``ids`` or of one ``segment`` (by ID).

        RFM scores, segment, last purchase, preferred category and expected value.
        """
        if not self._has("crm"):
            pref = (
                self._has("preferred")
                and self.con.sql("select count(*) from preferred").fetchall()[0][0]
            )
            value = self._has("value")
            self.con.execute(
                f"""
                create temp table crm as
                select c as customer_id, r, f, m, segment,
                       cast(last as timestamp) as last_purchase
                       {", p.category as preferred_category" if pref else ""}
                       {", v.clv as expected_value, v.p_alive" if value else ""}
                from customers
                {"left join preferred p using (c)" if pref else ""}
                {"left join value v using (k)" if value else ""}
                """
            )
        if ids is not None:
            wanted = pa.table({"c": pa.array([str(i) for i in ids], pa.string())})
            self.con.from_arrow(wanted).create_view("wanted")
            d = self.query("select * from crm where customer_id in (select c from wanted)")
        else:
            d = self.query(
                "select * from crm where segment = ? order by customer_id", params=[segment]
            )
        return d.set_index("customer_id")

    def _has(self, table: str) -> bool:
        return bool(
            self.con.sql(
                "select count(*) from duckdb_tables() where table_name = ?", params=[table]
            ).fetchall()[0][0]
        )

    def customers(self) -> pd.DataFrame:
        """Every customer's summary and scores as a frame (a check; the review never asks).

        As :func:`~ecomops_helpers.customers.clv.rfm_summary` and
        :func:`~ecomops_helpers.customers.segments.rfm_scores` give them.
        """
        d = self.query(
            f"""
            select c as customer_id, frequency, cast(last - first as double) as recency,
                   cast({_day(self.when)} - first as double) as T, monetary, total,
                   cast(first as timestamp) as first, cast(last as timestamp) as last,
                   recency_days, purchases, spend, r, f, m, segment
            from customers order by c
            """
        )
        return d.set_index("customer_id")
