"""The customer review on a history store (DuckDB, :mod:`ecomops_helpers.customers.sql`) equals
the pandas reference: the order cleaning on every export layout, and the whole review (summary,
scores, segments, lists, cohorts, models, CRM files) on a generated store and on the sample."""

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_order_shapes import _olist
from test_segments import ONLINE_RETAIL, SHOPIFY

from ecomops_helpers.customers import sql
from ecomops_helpers.customers.review import (
    CustomerThresholds,
    build_customer_review,
    differences,
    write_lists,
)
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.orders import clean_orders
from ecomops_helpers.store import ExportStore, ingest
from ecomops_helpers.store.layout import MANIFEST, part_path

EDGES = pd.DataFrame(  # what the rules decide line by line, each case once
    {
        "order_id": ["1", "2", "3", "C１２", "5", "6", "7", "7", "7", None, "11", "12", "13"],
        "customer_id": ["a", "b", "c", "d", None, "e", "f", "f", None, "g", "h", None, "i"],
        "paid_at": pd.to_datetime(
            ["2026-10-01 09:00", "2026-10-01 00:00", "2026-10-02 00:00", "2026-10-02 00:00"]
            + ["2026-10-03 00:00", "2026-10-03 00:00", "2026-10-04 08:00", "2026-10-04 07:00"]
            + ["2026-10-04 00:00", "2026-10-05 00:00", None, "2026-10-06 00:00", "2026-10-06 00:00"]
        ),
        "amount": [100.0, 0.0, np.nan, 30.0, -5.0, 20.0, np.nan, np.nan, 3.0, 9.0, 8.0, 7.0, 6.0],
        "quantity": [1.0, 1, 1, 1, 1, -1, 1, 2, 1, 1, 1, 1, 1],
        "unit_price": [100.0, 0, 10, 30, 5, 20, 4, 2, 3, 9, 8, 7, 6],
        "item_id": ["x", "x", "POST", "x", "x", "x", "y", "z", "y", "x", "x", "x", None],
        "category": ["k1", "k1", "k2", None, "k1", "k1", None, "k3", "k2", "k1", "k1", "k1", "k2"],
        "status": ["交易成功", "部分退款", "Created\n", "paid", None, "paid", "paid", "PAID"]
        + ["paid", "paid", "交易成功", "paid", "等待买家付款"],
    }
)


def _layouts(export_dir, name):
    """The orders frame of one export layout."""
    if name == "edges":
        return EDGES
    if name == "shopify":
        (export_dir / "orders_export.csv").write_text(SHOPIFY, encoding="utf-8")
    elif name == "online_retail":
        more = "536589,21777,damaged,-10,12/1/2010 16:50,0,,United Kingdom\n"
        (export_dir / "Online Retail.csv").write_text(ONLINE_RETAIL + more, encoding="utf-8")
    elif name == "split_tables":
        _olist(export_dir)
    elif name == "plain_log":
        (export_dir / "tx.csv").write_text(
            "customer_id,date,amount\nA1,2026-10-01,12.5\nA1,2026-10-05,0\nB2,2026-10-02,30\n",
            encoding="utf-8",
        )
    return ExportFolder(export_dir, cache=None).load("orders")


@pytest.mark.parametrize(
    "layout", ["edges", "shopify", "online_retail", "split_tables", "plain_log"]
)
@pytest.mark.parametrize("zero_lines", ["auto", "keep", "drop"])
def test_the_sql_cleaning_applies_the_pandas_rules(export_dir, layout, zero_lines):
    orders = _layouts(export_dir, layout)
    want, report = clean_orders(orders, zero_lines=zero_lines)
    got = sql.clean_orders(orders, zero_lines=zero_lines)
    g = got.purchases.to_pandas()[list(want.columns)].sort_values("order_id")
    pd.testing.assert_frame_equal(
        g.reset_index(drop=True),
        want.sort_values("order_id").reset_index(drop=True),
        check_dtype=False,
        check_exact=False,
        rtol=1e-12,
    )
    assert got.drops.counts() == report.counts()
    assert (got.drops.lines, got.drops.kept, got.drops.zero_kept, got.drops.zero_rule) == (
        report.lines,
        report.kept,
        report.zero_kept,
        report.zero_rule,
    )
    assert got.drops.amounts == pytest.approx(report.amounts, rel=1e-12)


def test_the_edge_cases_are_what_the_rules_say():
    got = sql.clean_orders(EDGES)
    kept = got.purchases.to_pandas().set_index("order_id")
    assert sorted(kept.index) == ["1", "7"]  # a kept line without an order id is no order
    seven = kept.loc["7"]  # its first line has no category: the first that has one counts
    assert (seven["category"], seven["paid_at"], seven["amount"]) == (
        "k3",
        pd.Timestamp("2026-10-04 07:00"),
        8.0,  # no order total: the sum of its kept lines
    )
    assert got.top_order == ("7", 3)
    d = got.drops
    # "C１２" is a cancelled invoice (any digits), "Created\n" unpaid (as re's $ reads it)
    assert (d.refunded_or_cancelled, d.unpaid, d.adjustments, d.kept) == (2, 3, 1, 4)


def _store(path, lines: int, seed: int = 5, days: int = 400) -> None:
    """A store of ``lines`` order lines, one Parquet file a day as ingest writes them.

    Multi-line orders (some across two days), every status, lines without a customer, zero
    lines, coupons and categories.
    """
    rng = np.random.default_rng(seed)
    end = pd.Timestamp("2026-10-31")
    orders = lines * 4 // 5
    order = rng.integers(0, orders, lines)  # a fifth of the lines share an order
    who = (orders // 6 * rng.random(orders) ** 2.5).astype(int)  # repeat buyers skewed
    day = rng.integers(0, days, orders)
    status = rng.choice(
        ["交易成功", "交易关闭", "等待买家付款", "部分退款", "退款成功"],
        orders,
        p=[0.9, 0.03, 0.03, 0.02, 0.02],
    )
    customer = np.where(rng.random(orders) < 0.01, None, np.char.add("tb", who.astype(str)))
    paid_at = (
        end - pd.to_timedelta(day, unit="D") + pd.to_timedelta(rng.integers(0, 86400, orders), "s")
    )
    frame = pd.DataFrame(
        {
            "order_id": (9_000_000 + order).astype(str),
            "customer_id": customer[order],
            # a few lines paid a day later: an order's lines in two day files
            "paid_at": paid_at[order]
            + pd.to_timedelta((rng.random(lines) < 0.02).astype(int), unit="D"),
            "amount": np.where(
                rng.random(lines) < 0.01, 0.0, np.round(rng.lognormal(4, 0.6, lines), 2)
            ),
            "quantity": np.ones(lines),
            "category": rng.choice([f"类目{i}" for i in range(12)] + [None], lines),
            "status": status[order],
            "coupon_id": np.where(rng.random(lines) < 0.1, "cp1", None),
            "_file": np.where(np.arange(lines) < lines // 2, "a.csv", "b.csv"),
            "_row": np.arange(lines),
        }
    )
    for d, rows in frame.groupby(frame["paid_at"].dt.strftime("%Y-%m-%d")):
        target = part_path(path, "orders", d)
        target.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pandas(rows, preserve_index=False), target)
    manifest = {"version": 1, "files": {}, "kinds": {"orders": {"currencies": {"a.csv": ["CNY"]}}}}
    (path / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def _same_files(a: dict, b: dict) -> None:
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes(), name


def test_the_store_review_equals_the_pandas_reference(tmp_path):
    _store(tmp_path / "store", 20_000, days=300)
    th = CustomerThresholds(max_lines_per_order=4)  # a few generated orders are crowded
    ref = build_customer_review(tmp_path / "store", thresholds=th, engine="pandas", lang="en")
    got = build_customer_review(tmp_path / "store", thresholds=th, lang="en")
    assert got.tables is not None and got.summary is None and ref.tables is None
    assert differences(ref, got) == []
    assert got.drops.refunded_or_cancelled and got.drops.unpaid and got.drops.no_customer
    assert "segment_moves" not in got.missing and got.holdout is not None
    assert len(got.lists["at_risk_high_value"]) and len(got.lists["second_purchase_window"])
    assert got.warnings and "lines" in got.warnings[0]  # the crowded order, named alike
    _same_files(write_lists(ref, tmp_path / "ref"), write_lists(got, tmp_path / "got"))


def test_the_sample_from_its_store_says_what_it_says_from_its_folder(sample_dir, tmp_path):
    shop = tmp_path / "shop"  # the orders and the behaviour log: every list, the funnel
    shop.mkdir()
    for f in sample_dir.iterdir():
        if f.name.startswith(("ExportOrderList", "UserBehavior")):
            (shop / f.name).symlink_to(f)
    ingest(shop, tmp_path / "store")
    ref = build_customer_review(shop, "2026-10-21")
    got = build_customer_review(tmp_path / "store", "2026-10-21")
    assert got.tables is not None and got.events is not None and len(got.lists) == 4
    assert differences(ref, got) == []
    _same_files(write_lists(ref, tmp_path / "ref"), write_lists(got, tmp_path / "got"))


def test_a_broken_day_file_is_left_out_and_named(tmp_path):
    _store(tmp_path / "store", 3_000, days=60)
    part = sorted((tmp_path / "store").rglob("*.parquet"))[5]
    part.write_bytes(part.read_bytes()[:100])  # a copy cut short
    store = ExportStore(tmp_path / "store")
    assert part not in store.readable_parts("orders")
    got = build_customer_review(tmp_path / "store", lang="en")
    ref = build_customer_review(tmp_path / "store", lang="en", engine="pandas")
    assert differences(ref, got) == [] and part.stem in " ".join(got.warnings)


def test_the_duckdb_engine_needs_a_store(sample_dir):
    with pytest.raises(ValueError, match="history store"):
        build_customer_review(sample_dir, engine="duckdb")
