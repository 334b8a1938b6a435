"""Cross-report rules: item page health holds ad raises; heroes undercut by a 同款 twin."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.ads.audit import AdThresholds
from ecomops_helpers.ads.page_hold import HOLD_RULE, hold_raises, unit_items
from ecomops_helpers.ads.review import build_ad_audit
from ecomops_helpers.ads.sample import PLANTED_ADS
from ecomops_helpers.daily.cross_report_sample import PLANTED_PAGE
from ecomops_helpers.daily.item_health import absent_page_columns, item_page_health
from ecomops_helpers.daily.review import build_daily_review
from ecomops_helpers.daily.undercut import hero_undercuts
from ecomops_helpers.rivals.sample import PLANTED_RIVALS
from ecomops_helpers.sources import open_folder

WHEN = pd.Timestamp("2026-10-21")


def _items(bounce: dict, stay: dict, days: int = 7, visitors: int = 100) -> pd.DataFrame:
    """Two items over ``days`` days with the given page bounce rate and stay per item id."""
    dates = pd.date_range(end=WHEN, periods=days)
    rows = [
        {
            "date": d,
            "item_id": i,
            "title": {"A1": "多层收纳箱 8号", "B2": "北欧风收纳盒 1号"}[i],
            "visitors": visitors,
            "paying_buyers": 4,
            "gmv": 400.0,
            "bounce_rate": bounce[i],
            "avg_stay_s": stay[i],
        }
        for d in dates
        for i in ("A1", "B2")
    ]
    return pd.DataFrame(rows)


def _keywords() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "keyword": ["多层收纳箱", "收纳盒", "收纳箱 大号"],
            "ad_group": ["多层收纳箱 8号", "北欧风收纳盒 1号", "多层收纳箱 8号"],
            "action": ["raise", "raise", "lower"],
            "rule": ["raise", "raise", "lower"],
            "bid": [1.2, 1.0, 0.9],
            "new_bid": [1.32, 1.1, 0.81],
        }
    )


def test_failing_page_holds_its_raises_and_healthy_page_does_not():
    items = _items({"A1": 0.78, "B2": 0.52}, {"A1": 40.0, "B2": 45.0})
    health = item_page_health(items, WHEN, days=7, bounce_max=0.70, stay_min_s=30, min_visitors=200)
    h = health.set_index("item_id")
    assert h.loc["A1", "bounce_rate"] == pytest.approx(0.78)
    assert h.loc["A1", "failing"] and not h.loc["B2", "failing"]
    assert h.loc["A1", "conversion"] == pytest.approx(4 / 100)
    t = hold_raises(_keywords(), health).set_index("keyword")
    assert (t.loc["多层收纳箱", "action"], t.loc["多层收纳箱", "rule"]) == ("keep", HOLD_RULE)
    assert np.isnan(t.loc["多层收纳箱", "new_bid"]) and t.loc["多层收纳箱", "page_hold"]
    assert t.loc["收纳盒", "action"] == "raise" and t.loc["收纳盒", "new_bid"] == 1.1
    assert t.loc["收纳箱 大号", "action"] == "lower"  # only raises are held


def test_stay_and_conversion_fail_too_and_thin_pages_are_not_judged():
    items = _items({"A1": 0.5, "B2": 0.5}, {"A1": 20.0, "B2": 45.0})
    h = item_page_health(items, WHEN, min_visitors=200, conversion_min=0.05).set_index("item_id")
    assert h.loc["A1", "avg_stay_s_fails"] and not h.loc["A1", "bounce_rate_fails"]
    assert h.loc["B2", "conversion_fails"]  # 4 buyers per 100 visitors < 5 %
    thin = item_page_health(items, WHEN, min_visitors=10_000)
    assert not thin["failing"].any()


def test_missing_page_cells_are_missing_not_zero():
    items = _items({"A1": np.nan, "B2": 0.5}, {"A1": np.nan, "B2": 45.0})
    h = item_page_health(items, WHEN, min_visitors=1).set_index("item_id")
    assert np.isnan(h.loc["A1", "bounce_rate"]) and not h.loc["A1", "failing"]
    assert absent_page_columns(items.drop(columns=["bounce_rate", "avg_stay_s"])) == [
        "bounce_rate",
        "avg_stay_s",
    ]
    assert absent_page_columns(items) == []


def test_units_map_to_items_by_id_title_or_cut_title():
    items = pd.DataFrame(
        {"item_id": ["65101", "65102"], "title": ["多层收纳箱 8号 大容量 加厚", "北欧风收纳盒 1号"]}
    )
    units = pd.Series(["65102", "北欧风收纳盒1号", "多层收纳箱 8号", "收纳", "别的宝贝", None])
    got = unit_items(units, items).tolist()
    assert got[:3] == ["65102", "65102", "65101"]
    assert all(pd.isna(x) for x in got[3:])


def test_hero_undercut_needs_the_gap():
    matches = pd.DataFrame(
        {
            "item_id": ["h1", "h1", "h2", "x9"],
            "shop": ["甲店", "乙店", "丙店", "丁店"],
            "rival_title": ["a", "b", "c", "d"],
            "their_price": [80.0, 70.0, 98.0, 10.0],
            "my_price": [100.0, 100.0, 100.0, 100.0],
            "why": [[("words_shared", {"terms": "收纳盒"})]] * 4,
        }
    ).assign(price_gap=lambda m: m["their_price"] / m["my_price"] - 1)
    got = hero_undercuts(matches, ["h1", "h2"], gap_min=0.05)
    assert got["item_id"].tolist() == ["h1"]  # h2 is 2 % below: inside the gap; x9 no hero
    assert got.loc[0, "shop"] == "乙店"  # the cheapest twin


def test_sample_ads_audit_holds_the_planted_raise(sample_dir):
    a = build_ad_audit(sample_dir)
    held = a.page_holds.set_index("keyword")
    assert list(held.index) == [PLANTED_PAGE.keyword]
    assert held.loc[PLANTED_PAGE.keyword, "item_id"] == PLANTED_PAGE.item_id
    kw = a.keywords.set_index("keyword")
    assert kw.loc[PLANTED_PAGE.keyword, "rule"] == HOLD_RULE
    assert kw.loc[PLANTED_ADS.earns_raise, "action"] == "raise"  # its item is not failing
    card = next(f for f in a.findings if PLANTED_PAGE.keyword in f.rule)
    assert "70%" in card.rule and card.owner == "ads"
    assert "page_hold" not in a.missing


def test_without_page_columns_nothing_is_held_and_the_page_says_why(sample_dir, tmp_path):
    d = tmp_path / "no_page_columns"
    d.mkdir()
    shutil.copy(next(sample_dir.glob("直通车_关键词报表_*.csv")), d)
    items = pd.concat(
        pd.read_csv(f, dtype=str) for f in sorted(sample_dir.glob("商品效果明细_*.csv"))[-2:]
    )
    items.drop(columns=["商品详情页跳出率", "平均停留时长"]).to_csv(
        d / "商品效果.csv", index=False, encoding="utf-8-sig"
    )
    a = build_ad_audit(d, thresholds=AdThresholds())
    assert a.page_holds.empty
    assert "商品详情页跳出率" in a.missing["page_hold"]
    assert a.keywords.set_index("keyword").loc[PLANTED_PAGE.keyword, "action"] == "raise"
    shutil.rmtree(d)
    d.mkdir()
    shutil.copy(next(sample_dir.glob("直通车_关键词报表_*.csv")), d)
    a = build_ad_audit(d)  # no 商品效果 at all
    assert a.page_holds.empty and "page_hold" in a.missing


def test_real_item_layout_reads_page_columns(tmp_path):
    """The 生意参谋 商品源数据 layout as public importers list its headers, with '-' cells."""
    header = (
        "统计日期,商品ID,商品名称,商品访客数,商品浏览量,平均停留时长,商品详情页跳出率,"
        "支付买家数,支付金额,商品支付转化率,成功退款金额,搜索引导支付转化率"
    )
    rows = [
        '2026-10-20,6510000008,多层收纳箱 8号,512,1203,21.5,78.40%,9,"1,088.00",1.76%,0.00,2.10%',
        "2026-10-21,6510000008,多层收纳箱 8号,498,1150,-,-,8,968.00,1.61%,0.00,-",
    ]
    (tmp_path / "商品源数据.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    items = open_folder(tmp_path).load("items_daily")
    assert items["bounce_rate"].iloc[0] == pytest.approx(0.784)
    assert items["avg_stay_s"].iloc[0] == pytest.approx(21.5)
    assert items["conversion"].iloc[0] == pytest.approx(0.0176)
    assert items["bounce_rate"].isna().iloc[1] and items["avg_stay_s"].isna().iloc[1]


def test_sample_daily_review_names_the_undercut_hero_and_the_failing_page(sample_dir):
    r = build_daily_review(sample_dir)
    heroes = r.heroes.set_index("item_id")
    assert PLANTED_RIVALS.undercutter in heroes.loc[PLANTED_RIVALS.undercut_item, "undercut"]
    others = heroes.drop(index=PLANTED_RIVALS.undercut_item)["undercut"]
    assert (others == "").all()
    card = next(
        f for f in r.findings if f.area == "rivals" and PLANTED_RIVALS.undercutter in f.what
    )
    assert card.owner == "operations" and "> 5%" in card.rule
    assert r.item_pages["item_id"].tolist() == [PLANTED_PAGE.item_id]
    page = next(f for f in r.findings if "多层收纳箱" in f.what)
    assert page.owner == "design" and "> 70%" in page.rule


def test_daily_review_without_rival_snapshots_says_undercut_was_not_checked(sample_dir, tmp_path):
    for f in (*sample_dir.glob("*整体看板*"), *sample_dir.glob("商品效果明细_*")):
        shutil.copy(f, tmp_path / f.name)
    r = build_daily_review(tmp_path)
    assert "undercut" not in r.heroes
    assert r.missing["undercut"] and r.undercuts is None
    assert not any(f.area == "rivals" for f in r.findings)


def test_a_small_shop_whose_ad_units_name_none_of_its_items_holds_nothing(tmp_path):
    """Six items, none the 直通车 units name: the audit runs, nothing is held (a crash before)."""
    from datetime import date

    from ecomops_helpers.sample import write_sample_shop

    write_sample_shop(tmp_path, end=date(2026, 10, 3), days=45, items=6)
    audit = build_ad_audit(str(tmp_path))
    kw = audit.keywords
    assert not kw["page_hold"].any() and kw["page_fails"].eq("").all()
    assert kw["item_id"].isna().all()
