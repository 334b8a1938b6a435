"""Competitor exports as tools write them: snapshot dates from a column, a title row or a name."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from ecomops_helpers.errors import ExportError
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.exports.dates import date_in_name
from ecomops_helpers.run.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "competitors"
SYCM = "【生意参谋平台】竞争-竞品分析.csv"
DZT = "店侦探_北欧家居旗舰店_20261022.csv"


@pytest.fixture(scope="module")
def folder():
    return ExportFolder(FIXTURES, cache=None)


def test_each_competitor_layout_is_recognised(folder):
    kinds = {f.path.name: f.kind for f in folder.files}
    assert kinds == {
        SYCM: "competitor_listings",
        DZT: "competitor_listings",
        "rivals_amazon.csv": "competitor_listings",
        "竞店入店关键词.xlsx": "competitor_keywords",
        "搜索排行_收纳整理.csv": "industry_keywords",
    }
    by_name = {f.path.name: f for f in folder.files}
    assert (by_name[SYCM].encoding, by_name[SYCM].header_row) == ("gb18030", 3)
    assert by_name[DZT].encoding == "gb18030"


def test_snapshot_dates_come_from_a_column_a_title_row_or_the_file_name(folder):
    rows = folder.load("competitor_listings")
    day = rows.groupby("_file")["date"].agg(["min", "max"])
    assert day.loc[SYCM, "min"] == day.loc[SYCM, "max"] == pd.Timestamp("2026-10-21")
    assert day.loc[DZT, "min"] == pd.Timestamp("2026-10-22")
    assert day.loc["rivals_amazon.csv", "max"] == pd.Timestamp("2026-10-22")
    assert folder.date_sources == {SYCM: "title row", DZT: "file name"}


def test_check_says_where_each_snapshot_date_came_from(capsys):
    main(["check", "--data", str(FIXTURES)])
    out = capsys.readouterr().out
    assert f"{SYCM}: no date column; snapshot date 2026-10-21 from its title row" in out
    assert f"{DZT}: no date column; snapshot date 2026-10-22 from its file name" in out


def test_the_item_id_is_read_from_the_link_when_there_is_no_id_column(folder):
    rows = folder.load("competitor_listings")
    ids = set(rows.loc[rows["_file"] == DZT, "item_id"])
    assert ids == {"6523456789", "6523456791"}


def test_cells_are_read_as_tools_write_them(folder):
    rows = folder.load("competitor_listings").set_index(["_file", "item_id"])
    sycm = rows.loc[(SYCM, "6523456789")]
    assert (sycm["price"], sycm["promo_price"], sycm["monthly_sales"]) == (59.90, 45.90, 3210)
    assert sycm["review_count"] == 12045 and sycm["listed_on"] == pd.Timestamp("2025-03-02")
    assert pd.isna(rows.loc[(SYCM, "6523456790"), "promo_price"])  # "-" is missing
    assert rows.loc[("rivals_amazon.csv", "B0C7XYZ123"), "price"].tolist() == [29.99, 24.99]
    kw = folder.load("competitor_keywords")
    assert kw["trade_index"].tolist() == [45201.0, 9870.0, 3310.0]
    ind = folder.load("industry_keywords")
    assert ind["click_rate"].iloc[0] == pytest.approx(0.452)


def test_a_snapshot_with_no_date_anywhere_is_an_error_naming_the_file(tmp_path):
    shutil.copy(FIXTURES / DZT, tmp_path / "店侦探_北欧家居旗舰店.csv")
    with pytest.raises(ExportError, match="店侦探_北欧家居旗舰店.csv: no snapshot date"):
        ExportFolder(tmp_path, cache=None).load("competitor_listings")


def test_a_link_without_an_item_id_is_an_error_naming_the_row(tmp_path):
    text = (FIXTURES / DZT).read_bytes().decode("gb18030").replace("&id=6523456789", "")
    (tmp_path / DZT).write_bytes(text.encode("gb18030"))
    with pytest.raises(ExportError, match=r"column '宝贝链接' \(url\), row 2: expected a link"):
        ExportFolder(tmp_path, cache=None).load("competitor_listings")


@pytest.mark.parametrize(
    "name, day",
    [
        ("竞品_2026-10-21.csv", "2026-10-21"),
        ("店侦探20261021.xlsx", "2026-10-21"),
        ("rivals_2026_10_21_v2.csv", "2026-10-21"),
        ("竞品2026年10月21日.csv", "2026-10-21"),
        ("rivals_20261399.csv", None),
        ("rivals.csv", None),
    ],
)
def test_a_date_in_a_file_name(name, day):
    found = date_in_name(name)
    assert (found.isoformat() if found else None) == day
