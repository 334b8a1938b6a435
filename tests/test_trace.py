"""A hero's traffic drop traced the same day: levels, renames, search terms, ranks, the store."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ecomops_helpers.daily import trace
from ecomops_helpers.daily.review import build_daily_review
from ecomops_helpers.daily.trace_sample import PLANTED_TRACE
from ecomops_helpers.sources import open_folder
from ecomops_helpers.store import ExportStore, ingest

WHEN = pd.Timestamp("2026-10-21")
DAYS = pd.date_range(WHEN - pd.Timedelta(days=7), WHEN)

# 生意参谋 自助取数 商品 流量来源, as public code that ingests it reads the headers
SOURCE_HEADER = (
    "统计日期,店铺名称,一级流量来源,二级流量来源,三级流量来源,商品ID,商品名称,来源层级,归属原则,"
    "访客数,支付买家数,支付金额\n"
)


def _levels(visitors_by_day) -> pd.DataFrame:
    """Level-1 and level-2 rows of one item, the level-1 row repeating its children's sums."""
    rows = []
    for day, (search, paid) in zip(DAYS, visitors_by_day):
        for l1, kids in (("淘内免费", {"手淘搜索": search}), ("付费流量", paid)):
            rows.append((day, "1", "杯子", l1, "汇总", "汇总", 1, sum(kids.values())))
            rows += [(day, "1", "杯子", l1, k, "汇总", 2, v) for k, v in kids.items()]
    cols = ["date", "item_id", "title", "source_l1", "source_l2", "source_l3", "level", "visitors"]
    return pd.DataFrame(rows, columns=cols)


def _steady(today_search=500, renamed_from=99):
    """Seven steady days and the report date; 直通车 is 关键词推广 from day ``renamed_from``."""
    out = []
    for i in range(len(DAYS)):
        name = "关键词推广" if i >= renamed_from else "直通车"
        out.append((today_search if i == len(DAYS) - 1 else 500, {name: 200, "淘宝客": 50}))
    return out


def test_level_one_rows_are_never_added_to_their_level_two_rows():
    rows = _levels(_steady())
    one = trace.one_level(rows)
    assert set(one["level"]) == {2}
    assert one[one["date"] == WHEN]["visitors"].sum() == 750  # not 1,500
    drops = trace.item_drops(one, WHEN)
    assert drops.loc[0, "visitors"] == 750 and drops.loc[0, "visitors_base"] == 750


def test_level_is_read_from_the_names_when_the_export_has_no_level_column():
    levels = trace.source_levels(_levels(_steady()).drop(columns="level"))
    assert levels["level"].tolist()[:3] == [1, 2, 1]
    assert levels["source"].tolist()[:3] == ["淘内免费", "手淘搜索", "付费流量"]


def test_a_real_layout_keeps_its_level_rows_although_they_read_汇总(export_dir):
    body = "".join(
        f"{d:%Y-%m-%d},店,{l1},{l2},汇总,1,杯子,{lv},最后一次访问来源,{v},{v // 20},{v * 3}\n"
        for d in DAYS
        for l1, l2, lv, v in (("淘内免费", "汇总", 1, 500), ("淘内免费", "手淘搜索", 2, 500))
    )
    (export_dir / "商品-流量来源-分日.csv").write_text(SOURCE_HEADER + body, encoding="utf-8-sig")
    rows = open_folder(export_dir).load("item_sources")
    assert len(rows) == 2 * len(DAYS)
    assert trace.one_level(rows).groupby("date")["visitors"].sum().eq(500).all()


def test_the_2024_rename_of_直通车_is_not_a_drop():
    one = trace.one_level(_levels(_steady(renamed_from=4)))
    assert "直通车" not in set(one["source"])
    losses = trace.source_losses(one, WHEN)
    assert "直通车" not in set(losses["source"])
    assert losses.set_index("source").loc["关键词推广", "visitors_change"] == 0
    assert not trace.item_drops(one, WHEN)["dropped"].any()


def test_a_drop_is_traced_to_its_source():
    one = trace.one_level(_levels(_steady(today_search=100)))
    drops = trace.item_drops(one, WHEN, drop=0.3)
    assert drops.loc[0, "dropped"]  # 350 < 0.7 × 750
    worst = trace.source_losses(one, WHEN).iloc[0]
    assert (worst["source"], worst["visitors_change"]) == ("手淘搜索", -400)


def _terms(rank_today, with_rank=True):
    rows = []
    for i, day in enumerate(DAYS):
        last = i == len(DAYS) - 1
        rows.append(
            (day, "1", "手淘搜索", "杯子 大号", 40 if last else 300, rank_today if last else 12)
        )
        rows.append((day, "1", "手淘搜索", "杯子 冷门", 5, 80))  # off the first page all along
    cols = ["date", "item_id", "search_type", "keyword", "visitors", "rank"]
    df = pd.DataFrame(rows, columns=cols)
    return df if with_rank else df.drop(columns="rank")


def test_a_search_term_that_left_the_first_page_is_found():
    off = trace.off_first_page(_terms(57), WHEN, first_page_rank=44)
    assert off[["keyword", "rank", "rank_base"]].values.tolist() == [["杯子 大号", 57, 12]]
    assert trace.off_first_page(_terms(40), WHEN, first_page_rank=44).empty


def test_without_a_rank_column_the_terms_are_charted_by_visitors():
    t = trace.trace_drops(_levels(_steady(100)), _terms(57, with_rank=False), WHEN, ["1"])
    assert not t.has_rank and t.off_page is None
    assert t.history["1"].attrs["measure"] == "visitors"
    assert t.keywords.iloc[0]["keyword"] == "杯子 大号"


def _trace_findings(review, key):
    words = {"trace_drop": ("掉流量", "lost visitors"), "off_first_page": ("掉出首页", "off the")}
    return [f for f in review.findings if any(w in f.what for w in words[key])]


def test_the_planted_drop_on_the_sample_is_traced_to_手淘搜索_and_its_term(sample_dir):
    review = build_daily_review(sample_dir)
    (found,) = _trace_findings(review, "trace_drop")
    assert "手淘搜索" in found.rule and "排名 12 → 57" in found.rule
    assert found.owner == "operations" and found.severity == 1
    items = review.trace.items.set_index("item_id")
    assert items["dropped"].tolist().count(True) == 1 and items.loc[PLANTED_TRACE.item, "dropped"]
    assert "直通车" not in set(review.trace.sources["source"])
    (off,) = _trace_findings(review, "off_first_page")
    assert "57 > 44" in off.rule


def _trace_folder(shop, to, *, keywords=True):
    """The shop's daily, item and item-source exports (and its search terms)."""
    to.mkdir()
    for f in shop.iterdir():
        wanted = ("【生意参谋平台】", "商品效果", "商品-流量来源-")
        if f.name.startswith(wanted) or (keywords and f.name.startswith("商品-流量来源详情")):
            shutil.copy(f, to / f.name)
    return to


def test_the_store_keeps_the_search_term_history(small_shop, tmp_path):
    folder = _trace_folder(small_shop, tmp_path / "exports")  # 180 days of 6 items
    ingest(folder, tmp_path / "store")
    stored = ExportStore(tmp_path / "store").load("item_keywords")
    read = open_folder(folder).load("item_keywords")
    key = ["date", "item_id", "keyword"]
    cols = [*key, "rank", "visitors"]
    pd.testing.assert_frame_equal(
        stored[cols].sort_values(key).reset_index(drop=True),
        read[cols].sort_values(key).reset_index(drop=True),
    )
    assert stored["date"].nunique() == PLANTED_TRACE.days
    review = build_daily_review(str(tmp_path / "store"), lang="en")
    assert len(_trace_findings(review, "trace_drop")) == 1
    assert review.trace.history[PLANTED_TRACE.item]["date"].nunique() == PLANTED_TRACE.days


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_section_is_hidden_and_says_which_export_is_missing(small_shop_only, lang):
    review = build_daily_review(small_shop_only, lang=lang)
    assert review.trace is None
    assert ("商品流量来源" if lang == "zh" else "item traffic sources") in review.missing[
        "item_sources"
    ]
    assert not _trace_findings(review, "trace_drop")


def test_without_the_search_term_export_the_sources_are_traced_alone(small_shop, tmp_path):
    review = build_daily_review(_trace_folder(small_shop, tmp_path / "x", keywords=False))
    assert review.trace.keywords is None and "item_keywords" in review.missing
    (found,) = _trace_findings(review, "trace_drop")
    assert "手淘搜索" in found.rule and "排名" not in found.rule


# 生意参谋 流量 → 店铺来源, downloaded by day: each level as rows of their own (来源层级)
SHOP_SOURCE_HEADER = (
    "统计日期,一级流量来源,二级流量来源,三级流量来源,来源层级,访客数,支付买家数,支付金额\n"
)


def test_the_shops_own_source_levels_are_read_once_and_a_rename_is_one_source(export_dir):
    """The daily review's source table on a shop-level 流量来源 file with level rows."""
    body = ""
    for i, d in enumerate(DAYS):
        paid = "关键词推广" if i >= 5 else "直通车"
        for l1, l2, lv, v in (
            ("淘内免费", "汇总", 1, 600),
            ("淘内免费", "手淘搜索", 2, 600),
            ("付费流量", "汇总", 1, 300),
            ("付费流量", paid, 2, 300),
        ):
            body += f"{d:%Y-%m-%d},{l1},{l2},汇总,{lv},{v:,},{v // 20},{v * 3}\n"
    (export_dir / "店铺来源-分日.csv").write_text(SHOP_SOURCE_HEADER + body, encoding="gb18030")
    shop = "统计日期,访客数,支付买家数,支付金额\n" + "".join(
        f"{d:%Y-%m-%d},900,45,2700\n" for d in DAYS
    )
    (export_dir / "整体看板.csv").write_text(shop, encoding="utf-8")
    folder = open_folder(export_dir)
    rows = folder.load("traffic_sources")
    assert len(rows) == 4 * len(DAYS)  # level rows read, not dropped as totals
    one = trace.shop_sources(rows)
    assert set(one["source"]) == {"手淘搜索", "关键词推广"}  # no level-1 row, one paid source
    assert one.groupby("date")["visitors"].sum().eq(900).all()  # not 1,800
    table = build_daily_review(folder, f"{WHEN:%Y-%m-%d}").source_table
    assert table["visitors"].sum() == 900
    assert table.set_index("source").loc["关键词推广", "visitors_change"] == 0  # no drop


def test_a_history_written_before_the_rename_keeps_its_name():
    names = pd.Series(["直通车", "手淘搜索"])
    assert trace.canonical_source(names).tolist() == ["直通车", "手淘搜索"]
    both = pd.Series(["直通车", "关键词推广"])
    assert trace.canonical_source(both).tolist() == ["关键词推广", "关键词推广"]
