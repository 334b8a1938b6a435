"""The aggregations DuckDB counts (funnel, activity, buyer types, cohorts) equal the pandas
arithmetic they replaced, kept here as the reference; the funnel and activity on Parquet files
(a store's events, a log too big to load) equal them on a frame."""

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.customers import segments
from ecomops_helpers.customers.segments import ACTIVITY_LEVELS, FUNNEL
from ecomops_helpers.exports import ExportFolder


def funnel_reference(events, report_date, *, days=30, by=None):
    """The pandas funnel as it was before DuckDB counted it."""
    when = pd.Timestamp(report_date) + pd.Timedelta(days=1)
    e = events[(events["ts"] >= when - pd.Timedelta(days=days)) & (events["ts"] < when)]
    stage_of = {"pv": 1, "fav": 2, "cart": 2, "buy": 3, "coupon": 0}
    e = e.assign(stage=e["behavior"].map(stage_of).fillna(0).astype(int))
    keys = ["user_id"] + ([by] if by else [])
    furthest = e.groupby(keys)["stage"].max()
    counts = {}
    for i, name in enumerate(FUNNEL):
        reached = furthest[furthest >= i]
        counts[name] = reached.groupby(level=by).size() if by else pd.Series({"all": len(reached)})
    table = pd.DataFrame(counts).fillna(0).astype(int)
    for a, b in zip(FUNNEL, FUNNEL[1:]):
        table[f"{a}→{b}"] = table[b] / table[a].replace(0, np.nan)
    stage = furthest.groupby(level="user_id").max().map(dict(enumerate(FUNNEL)))
    return table, stage


def activity_reference(
    purchases, events, report_date, *, churn_days=30, window_days=30, high_days=10
):
    """The pandas activity levels as they were before DuckDB counted the days."""
    when = pd.Timestamp(report_date)
    days = [purchases[["customer_id", "date"]]]
    if events is not None:
        days.append(
            events.rename(columns={"user_id": "customer_id"}).assign(
                date=events["ts"].dt.normalize()
            )[["customer_id", "date"]]
        )
    active = pd.concat(days).drop_duplicates()
    active = active[active["date"] <= when]
    last = active.groupby("customer_id")["date"].max()
    recent = active[active["date"] > when - pd.Timedelta(days=window_days)]
    n_recent = recent.groupby("customer_id")["date"].nunique().reindex(last.index, fill_value=0)
    out = pd.DataFrame({"last_active": last, "active_days": n_recent})
    out["days_inactive"] = (when - out["last_active"]).dt.days
    out["activity"] = np.select(
        [out["days_inactive"] >= churn_days, out["active_days"] >= high_days],
        list(ACTIVITY_LEVELS[:2]),
        ACTIVITY_LEVELS[2],
    )
    return out


def buyer_types_reference(purchases):
    """The pandas buyer types per month as they were before DuckDB counted them."""
    p = purchases[["customer_id", "date"]].copy()
    p["month"] = p["date"].dt.to_period("M")
    first = p.groupby("customer_id")["month"].min()
    n_days = p.drop_duplicates(["customer_id", "date"]).groupby("customer_id").size()
    per = p.drop_duplicates(["customer_id", "month"])
    per = per.assign(
        new=per["month"].eq(per["customer_id"].map(first)),
        once=per["customer_id"].map(n_days).eq(1),
    )
    out = per.groupby("month").agg(
        buyers=("customer_id", "size"), new=("new", "sum"), one_time=("once", "sum")
    )
    out["returning"] = out["buyers"] - out["new"]
    return out


def cohort_reference(purchases, months=12):
    """The pandas cohort tables as they were before DuckDB counted them."""
    p = purchases[["customer_id", "date", "amount"]].copy()
    p["month"] = p["date"].dt.to_period("M")
    cohort = p.groupby("customer_id")["month"].min().rename("cohort")
    p = p.join(cohort, on="customer_id")
    p["age"] = (p["month"] - p["cohort"]).apply(lambda d: d.n)
    p = p[p["age"] < months]
    size = cohort.value_counts().sort_index()
    active = p.drop_duplicates(["customer_id", "age"]).pivot_table(
        index="cohort", columns="age", values="customer_id", aggfunc="count"
    )
    revenue = p.pivot_table(index="cohort", columns="age", values="amount", aggfunc="sum")
    retention = active.div(size, axis=0)
    per_customer = revenue.div(size, axis=0)
    retention.index = retention.index.astype(str)
    per_customer.index = per_customer.index.astype(str)
    return retention, per_customer


def days_to_second_reference(purchases):
    """The pandas days to the second purchase day as they were before DuckDB counted them."""
    days = purchases[["customer_id", "date"]].drop_duplicates().sort_values(["customer_id", "date"])
    rank = days.groupby("customer_id").cumcount()
    first = days[rank == 0].set_index("customer_id")["date"]
    second = days[rank == 1].set_index("customer_id")["date"]
    return (second - first.reindex(second.index)).dt.days.rename("days_to_second")


def magic_reference(
    purchases,
    report_date,
    *,
    windows=(7, 14, 30),
    counts=(2, 3, 4, 5),
    horizon_days=90,
    min_customers=20,
):
    """The pandas magic number as it was before DuckDB counted the early purchase days."""
    when = pd.Timestamp(report_date)
    days = purchases[["customer_id", "date"]].drop_duplicates()
    first = days.groupby("customer_id")["date"].min()
    eligible = first[first <= when - pd.Timedelta(days=horizon_days + max(windows))].index
    d = days[days["customer_id"].isin(eligible)].join(first.rename("first"), on="customer_id")
    d["since"] = (d["date"] - d["first"]).dt.days
    retained = (
        d[d["since"] >= horizon_days].groupby("customer_id").size().reindex(eligible, fill_value=0)
        > 0
    )
    rows = []
    for n in windows:
        early = d[d["since"] < n].groupby("customer_id").size().reindex(eligible, fill_value=0)
        for k in counts:
            met = early >= k
            if met.sum() < min_customers or (~met).sum() < min_customers:
                continue
            r_met, r_not = retained[met].mean(), retained[~met].mean()
            rows.append(
                {
                    "rule": f"{k} in {n} days",
                    "days": n,
                    "purchases": k,
                    "customers": int(met.sum()),
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


def _same_repeat_timing(purchases, report, **magic):
    got = segments.days_to_second_purchase(purchases)
    want = days_to_second_reference(purchases)
    pd.testing.assert_series_equal(got, want, check_dtype=False, check_index_type=False)
    got = segments.magic_number(purchases, report, **magic)
    want = magic_reference(purchases, report, **magic)
    assert len(want) > 0
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def _same_months(purchases):
    got = segments.buyer_types_by_month(purchases)
    pd.testing.assert_frame_equal(got, buyer_types_reference(purchases), check_dtype=False)
    for months in (12, 3):
        for got, want in zip(
            segments.cohort_tables(purchases, months), cohort_reference(purchases, months)
        ):
            pd.testing.assert_frame_equal(
                got, want, check_names=False, check_index_type=False, check_column_type=False
            )


def random_log(seed, n=4000):
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2026-08-01")
    ts = start + pd.to_timedelta(rng.integers(0, 90 * 86400, n), unit="s")
    cats = np.array(["c1", "c2", "c3", None], dtype=object)
    events = pd.DataFrame(
        {
            "user_id": pd.array(rng.choice([f"u{i}" for i in range(300)], n), dtype="string"),
            "item_id": pd.array(rng.choice(["i1", "i2", "i3"], n), dtype="string"),
            "category_id": pd.array(cats[rng.integers(0, 4, n)], dtype="string"),
            "behavior": rng.choice(["pv", "pv", "pv", "fav", "cart", "buy", "coupon"], n),
            "ts": ts,
        }
    )
    m = n // 10
    purchases = pd.DataFrame(
        {
            "customer_id": pd.array(
                rng.choice([f"u{i}" for i in range(150, 450)], m), dtype="string"
            ),
            "date": (start + pd.to_timedelta(rng.integers(0, 90, m), unit="D")),
            "amount": rng.uniform(5, 50, m),
        }
    )
    return events, purchases


def _same_funnel(events, report, source=None):
    got, stage = segments.funnel(source if source is not None else events, report)
    want, want_stage = funnel_reference(events, report)
    pd.testing.assert_frame_equal(got, want, check_names=False, check_index_type=False)
    assert stage.to_dict() == want_stage.to_dict()
    got, _ = segments.funnel(source if source is not None else events, report, by="category_id")
    want, _ = funnel_reference(events, report, by="category_id")
    pd.testing.assert_frame_equal(got, want, check_names=False, check_index_type=False)


def _same_activity(purchases, events, report, source=None):
    got = segments.activity(purchases, source if source is not None else events, report)
    want = activity_reference(purchases, events, report)
    pd.testing.assert_frame_equal(
        got, want, check_names=False, check_index_type=False, check_dtype=False
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_duckdb_funnel_and_activity_equal_the_pandas_reference(seed):
    events, purchases = random_log(seed)
    for report in ("2026-09-15", "2026-10-29"):
        _same_funnel(events, report)
        _same_activity(purchases, events, report)
        _same_activity(purchases, None, report)
    _same_months(purchases)
    _same_repeat_timing(purchases, "2026-10-29", horizon_days=20, min_customers=3)


def test_the_sample_shops_funnel_and_activity_are_unchanged(sample_dir):
    folder = ExportFolder(sample_dir)
    events = folder.load("events")
    purchases, _ = segments.clean_orders(folder.load("orders"))
    _same_funnel(events, "2026-10-21")
    _same_activity(purchases, events, "2026-10-21")
    _same_months(purchases)
    _same_repeat_timing(purchases, "2026-10-21")


def test_parquet_files_give_what_the_frame_gives(tmp_path):
    events, purchases = random_log(4)
    paths = []
    for i, part in enumerate(np.array_split(events.index, 3)):  # a store's day files
        paths.append(tmp_path / f"part{i}.parquet")
        events.loc[part].to_parquet(paths[-1], index=False)
    _same_funnel(events, "2026-10-01", source=paths)
    _same_funnel(events, "2026-10-01", source=str(tmp_path / "*.parquet"))
    _same_activity(purchases, events, "2026-10-01", source=paths)
