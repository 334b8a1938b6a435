"""Price × conversion matrix and co-purchase pairs: arithmetic, sample and hidden sections."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from ecomops_helpers.customers.copurchase import copurchase_pairs, paid_lines
from ecomops_helpers.daily import review as daily
from ecomops_helpers.daily.matrix import price_conversion_matrix, quadrant_counts
from ecomops_helpers.daily.matrix_sample import DETAIL_FILE, PLANTED_PAIRS

WHEN = pd.Timestamp("2026-10-21")


def _items(rows):
    """One day of items_daily: (item_id, visitors, buyers, units, gmv, hero)."""
    cols = ["item_id", "visitors", "paying_buyers", "units", "gmv", "is_hero"]
    df = pd.DataFrame(rows, columns=cols).assign(date=WHEN)
    return df.assign(title="商品" + df["item_id"])


def test_quadrants_on_a_hand_made_frame():
    items = _items(
        [
            ("A", 1000, 80, 80, 8000.0, True),  # conv 8 %, price 100: push
            ("B", 1000, 10, 10, 3000.0, True),  # conv 1 %, price 300: reprice
            ("C", 1000, 10, 10, 200.0, False),  # conv 1 %, price 20, busy: fix the page
            ("D", 100, 1, 1, 20.0, False),  # conv 1 %, price 20, quiet: retire
            ("E", 10, 5, 5, 500.0, False),  # too few visitors: unread
            ("F", 100, 0, 0, 0.0, False),  # no sale, quiet: retire (no price)
        ]
    )
    m = price_conversion_matrix(
        items, WHEN, 30, price_split=100, conversion_split=0.05, min_visitors=30
    ).set_index("item_id")
    assert m["quadrant"].to_dict() == {
        "A": "push",
        "B": "reprice",
        "C": "fix_page",
        "D": "retire",
        "E": "unread",
        "F": "retire",
    }
    assert m.loc["B", "avg_price"] == 300
    assert m.loc["A", "conversion"] == pytest.approx(0.08)
    assert pd.isna(m.loc["F", "avg_price"])
    assert quadrant_counts(m.reset_index()) == {
        "push": 1,
        "fix_page": 1,
        "reprice": 1,
        "retire": 2,
        "unread": 1,
    }


def test_splits_default_to_medians_and_window_is_respected():
    old = _items([("A", 1000, 500, 500, 5.0, False)]).assign(date=WHEN - pd.Timedelta(days=40))
    now = _items(
        [
            ("A", 100, 2, 2, 20.0, False),
            ("B", 100, 4, 4, 80.0, False),
            ("C", 100, 6, 6, 180.0, False),
        ]
    )
    m = price_conversion_matrix(pd.concat([old, now]), WHEN, 30)
    assert m.attrs["price_split"] == 20  # median of 10, 20, 30: the 40-day-old row is out
    assert m.attrs["conversion_split"] == pytest.approx(0.04)
    assert m.set_index("item_id").loc["A", "visitors"] == 100


def _orders():
    """Hand-made orders with item lines; one refunded order, one refunded line."""
    baskets = {
        "o1": ["H", "P"],
        "o2": ["H", "P"],
        "o3": ["H", "P", "Q"],
        "o4": ["H"],
        "o5": ["P", "Q"],
        "o6": ["Q"],
        "o7": ["H", "P"],  # refunded order
        "o8": ["H", "Q"],  # Q's line refunded
    }
    rows = [
        (o, f"c{o}", item, 10.0, 1, "交易关闭" if o == "o7" else "交易成功")
        for o, items in baskets.items()
        for item in items
    ]
    df = pd.DataFrame(
        rows, columns=["order_id", "customer_id", "item_id", "unit_price", "quantity", "status"]
    )
    df.loc[(df["order_id"] == "o8") & (df["item_id"] == "Q"), "status"] = "退款成功"
    return df.assign(paid_at=WHEN)


def test_refunds_are_left_out_line_by_line():
    lines = paid_lines(_orders())
    kept = set(map(tuple, lines[["order_id", "item_id"]].to_numpy()))
    assert ("o7", "H") not in kept and ("o7", "P") not in kept
    assert ("o8", "Q") not in kept and ("o8", "H") in kept
    assert lines["order_id"].nunique() == 7


def test_pairs_match_a_brute_force_count():
    lines = paid_lines(_orders())
    baskets = lines.groupby("order_id")["item_id"].apply(set)
    n = len(baskets)
    pairs = copurchase_pairs(lines, ["H"], min_count=1).set_index("partner_id")
    for a, b in itertools.permutations(["H", "P", "Q"], 2):
        if a != "H":
            continue
        together = sum(1 for s in baskets if {a, b} <= s)
        with_a = sum(1 for s in baskets if a in s)
        with_b = sum(1 for s in baskets if b in s)
        row = pairs.loc[b]
        assert row["together"] == together
        assert row["support"] == pytest.approx(together / n)
        assert row["confidence"] == pytest.approx(together / with_a)
        assert row["lift"] == pytest.approx((together / with_a) / (with_b / n))
    assert pairs.attrs["orders"] == n


def test_min_count_is_respected():
    lines = paid_lines(_orders())
    pairs = copurchase_pairs(lines, ["H"], min_count=3)
    assert list(pairs["partner_id"]) == ["P"]  # H+P in 3 paid orders, H+Q in 1
    assert copurchase_pairs(lines, ["H"], min_count=4).empty


def test_detail_lines_join_the_orders_by_order_id():
    orders = pd.DataFrame(
        {
            "order_id": ["1", "2"],
            "customer_id": ["a", "b"],
            "paid_at": [WHEN, WHEN],
            "amount": [30.0, 10.0],
            "status": ["交易成功", "交易关闭"],
        }
    )
    details = pd.DataFrame(
        {
            "order_id": ["1", "1", "2"],
            "title": ["收纳盒", "挂钩", "收纳盒"],
            "unit_price": [20.0, 10.0, 10.0],
            "quantity": [1.0, 1.0, 1.0],
            "status": ["交易成功", "交易成功", "交易关闭"],
        }
    )
    titles = pd.Series({"I1": "收纳盒"})
    lines = paid_lines(orders, details, titles)
    assert sorted(lines["item_id"]) == ["I1", "挂钩"]
    with pytest.raises(ValueError):
        paid_lines(orders)


def test_sample_finds_the_planted_pairs(sample_dir):
    r = daily.build_daily_review(sample_dir, "2026-10-21")
    assert r.matrix is not None and set(r.matrix["quadrant"]) >= {"push", "reprice", "retire"}
    items = r.items.drop_duplicates("item_id").reset_index(drop=True)
    found = set(zip(r.copurchase["item_id"], r.copurchase["partner_id"]))
    for p in PLANTED_PAIRS:
        assert (items["item_id"][p.hero], items["item_id"][p.partner]) in found
    assert (r.copurchase["together"] >= r.thresholds.copurchase_min_count).all()
    suggested = [f for f in r.findings if f.area == "page" and "关联" in f.action]
    assert len(suggested) >= len(PLANTED_PAIRS)
    assert any(f.area == "matrix" for f in r.findings)


def test_hidden_without_orders(sample_links):
    folder = sample_links("no_orders")
    (folder / "ExportOrderList_订单报表.csv").unlink()
    r = daily.build_daily_review(folder, "2026-10-21")
    assert r.copurchase is None and r.missing["copurchase"]
    assert r.matrix is not None


def test_hidden_without_order_lines(sample_links):
    folder = sample_links("no_lines")
    (folder / DETAIL_FILE).unlink()
    r = daily.build_daily_review(folder, "2026-10-21", lang="en")
    assert r.copurchase is None and "item" in r.missing["copurchase"]
