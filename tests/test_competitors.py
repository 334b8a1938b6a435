"""Rival change log from hand-made snapshots: each change type, gaps, returns and renames."""

import pandas as pd
import pytest

from ecomops_helpers.rivals.changes import RivalThresholds, changes, unify_renamed_shops

D = pd.Timestamp


def snap(day, shop, item, price, sales=100, reviews=50, promo=None, stock=None, title=None):
    return {
        "date": D(day),
        "shop": shop,
        "item_id": item,
        "title": title or f"item {item}",
        "price": price,
        "promo_price": promo,
        "monthly_sales": sales,
        "review_count": reviews,
        "stock": stock,
    }


def _changes(rows, when="2026-10-21", **th):
    t = changes(pd.DataFrame(rows), when, RivalThresholds(**th))
    return {(r.item_id, r.change): r for r in t.itertuples()}


def test_a_new_listing_is_new_only_when_the_shop_was_seen_before():
    rows = [snap("2026-10-20", "A", "1", 50), snap("2026-10-21", "A", "1", 50)]
    rows += [snap("2026-10-21", "A", "2", 30), snap("2026-10-21", "B", "9", 20)]
    got = _changes(rows)
    assert ("2", "new") in got
    assert ("9", "new") not in got  # shop B's first snapshot: everything is "new", nothing is


def test_an_item_missing_for_two_snapshots_returns_and_is_never_new_or_removed_twice():
    rows = [
        snap("2026-10-17", "A", "1", 50),
        snap("2026-10-17", "A", "2", 40),
        snap("2026-10-18", "A", "1", 50),  # item 2 gone
        snap("2026-10-19", "A", "1", 50),  # still gone
        snap("2026-10-21", "A", "1", 50),  # a day without a snapshot, then item 2 is back
        snap("2026-10-21", "A", "2", 32),
    ]
    got = _changes(rows)
    assert ("2", "new") not in got and ("2", "removed") not in got
    back = got[("2", "returned")]
    assert back.last_seen == D("2026-10-17")
    drop = got[("2", "price_drop")]  # against the price when last seen, 40 → 32
    assert (drop.before, drop.after, drop.last_seen) == (40, 32, D("2026-10-17"))
    assert drop.ratio == pytest.approx(-0.2)
    removed_on_the_18th = _changes(rows, when="2026-10-18")
    assert ("2", "removed") in removed_on_the_18th
    assert ("2", "removed") not in _changes(rows, when="2026-10-19")  # already said once


def test_removed_is_measured_against_the_shops_previous_snapshot_across_a_gap():
    rows = [snap("2026-10-14", "A", "1", 50), snap("2026-10-14", "A", "2", 40)]
    rows += [snap("2026-10-21", "A", "1", 50)]  # a week without snapshots
    got = _changes(rows)
    assert got[("2", "removed")].last_seen == D("2026-10-14")


def test_a_shop_without_a_snapshot_today_removes_nothing():
    rows = [snap("2026-10-20", "A", "1", 50), snap("2026-10-20", "B", "7", 20)]
    rows += [snap("2026-10-21", "A", "1", 50)]
    assert not [k for k in _changes(rows) if k[1] == "removed"]


def test_price_moves_at_the_threshold_use_the_promo_price_when_given():
    rows = [snap("2026-10-20", "A", i, 100) for i in "123"]
    rows += [
        snap("2026-10-21", "A", "1", 100, promo=90),  # -10 %: a drop
        snap("2026-10-21", "A", "2", 91),  # -9 %: not yet
        snap("2026-10-21", "A", "3", 110),  # +10 %: a rise
    ]
    got = _changes(rows)
    assert ("1", "price_drop") in got and ("2", "price_drop") not in got
    assert ("3", "price_rise") in got


def test_sales_jump_week_over_week_with_a_floor_on_units():
    rows = [snap("2026-10-14", "A", "1", 50, sales=200), snap("2026-10-14", "A", "2", 50, sales=40)]
    rows += [
        snap("2026-10-21", "A", "1", 50, sales=300),
        snap("2026-10-21", "A", "2", 50, sales=80),
    ]
    got = _changes(rows)
    jump = got[("1", "sales_jump")]
    assert (jump.before, jump.after, jump.ratio) == (200, 300, 0.5)
    assert ("2", "sales_jump") not in got  # +100 % but only 40 units: below sales_jump_min
    assert ("1", "sales_jump") not in _changes(rows, sales_jump=0.51)


def test_review_surge_and_sold_out():
    rows = [snap("2026-10-14", "A", "1", 50, reviews=500), snap("2026-10-14", "A", "2", 50)]
    rows += [
        snap("2026-10-21", "A", "1", 50, reviews=620),
        snap("2026-10-21", "A", "2", 50, stock=0),
    ]
    got = _changes(rows)
    assert got[("1", "review_surge")].after == 620
    assert ("2", "sold_out") in got


def test_a_renamed_shop_keeps_its_history():
    rows = [snap("2026-10-20", "Old name", i, 50) for i in "12"]
    rows += [snap("2026-10-21", "New name", "1", 50), snap("2026-10-21", "New name", "2", 40)]
    unified, renames = unify_renamed_shops(pd.DataFrame(rows))
    assert renames == [("Old name", "New name")]
    got = changes(unified, "2026-10-21")
    assert set(got["change"]) == {"price_drop"}  # not two removals and two new listings


def _kw(shop, keyword, conv, trade=100.0, day="2026-10-21"):
    return {
        "date": D(day),
        "shop": shop,
        "keyword": keyword,
        "visitors_index": 50.0,
        "conversion_index": conv,
        "trade_index": trade,
    }


def test_keyword_overlap_compares_indices_with_mine():
    from ecomops_helpers.rivals.changes import keyword_overlap

    rows = pd.DataFrame(
        [
            _kw("本店", "收纳箱", 300),
            _kw("本店", "收纳盒", 500),
            _kw("A", "收纳箱", 450),
            _kw("A", "收纳盒", 200),
            _kw("A", "压缩袋", 900),
            _kw("A", "收纳箱", 999, day="2026-10-20"),  # an older day is not today's
        ]
    )
    got = keyword_overlap(rows, "2026-10-21").set_index("keyword")
    assert set(got.index) == {"收纳箱", "收纳盒"}  # 压缩袋 is theirs only
    assert got.loc["收纳箱", "rival_wins"] and not got.loc["收纳盒", "rival_wins"]
    assert got.loc["收纳箱", "my_conversion_index"] == 300


def test_rising_terms_my_titles_miss_are_suggested():
    from ecomops_helpers.rivals.changes import rising_terms

    rows = pd.DataFrame(
        {
            "date": [D("2026-10-14")] * 3 + [D("2026-10-21")] * 3,
            "keyword": ["收纳箱", "防尘 收纳袋", "鞋盒"] * 2,
            "search_popularity": [1000, 100, 500, 1050, 200, 700],
            "online_items": [10_000, 50, 900] * 2,
        }
    )
    got = rising_terms(rows, ["加厚收纳箱 大号", "日式鞋盒 透明"], "2026-10-21").set_index(
        "keyword"
    )
    assert (
        got.loc["防尘 收纳袋", "rise"] == pytest.approx(1.0) and got.loc["防尘 收纳袋", "suggest"]
    )
    assert got.loc["鞋盒", "in_my_titles"] and not got.loc["鞋盒", "suggest"]  # rising, but mine
    assert not got.loc["收纳箱", "suggest"]  # +5 %: not rising enough
    assert got.loc["防尘 收纳袋", "competition"] == pytest.approx(4.0)


def test_launches_are_dated_by_listing_date_or_first_sighting():
    from ecomops_helpers.rivals.changes import launches_per_week

    rows = pd.DataFrame(
        [
            snap("2026-10-05", "A", "1", 50),
            snap("2026-10-12", "A", "1", 50),
            snap("2026-10-12", "A", "2", 50, sales=30),
            snap("2026-10-13", "A", "3", 50, sales=20),
        ]
    )
    got = launches_per_week(rows, "2026-10-21")
    assert got[["week", "launched", "sales"]].values.tolist() == [[D("2026-10-12"), 2, 50]]


def test_tier_gap_names_the_weakest_shop_above_me():
    from ecomops_helpers.rivals.changes import tier_gap

    rows = pd.DataFrame(
        [
            snap("2026-10-21", "Big", "1", 50, sales=9000),
            snap("2026-10-21", "Near", "2", 50, sales=3000),
            snap("2026-10-21", "Small", "3", 50, sales=500),
        ]
    )
    got = tier_gap(rows, "2026-10-21", my_sales=2000)
    assert got.attrs["next_tier"] == ("Near", 1000.0)
    assert got.set_index("shop").loc["Small", "vs_mine"] == pytest.approx(-0.75)
