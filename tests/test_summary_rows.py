"""An export's own summary rows (汇总值 / 平均值 / 合计 / Total / Average) under its days.

生意参谋 custom-range downloads of 整体看板 end with 汇总值 and 平均值 rows in the date
column; the same rows turn up in item and traffic-source downloads. They are the export's
own total, never a day: a sum-like row is checked against the days' sum, then dropped.
"""

import io
import shutil

import pandas as pd
import pytest

from ecomops_helpers.errors import ExportError
from ecomops_helpers.exports import ExportFolder, inspect_file, read_export
from ecomops_helpers.exports.totals import summary_how

TITLE = "生意参谋 > 取数 > 整体看板\n统计时间：2026-10-01 ~ 2026-10-03\n\n"
HEADER = "统计日期,访客数,浏览量,支付金额(元),支付买家数,下单买家数,支付转化率,平均停留时长(秒),加购人数\n"
DAYS = (
    '2026-10-01,4880,14786,"47,855.60",325,338,6.66%,59.9,384\n'
    '2026-10-02,4856,15928,"55,077.10",376,391,7.74%,暂无数据,407\n'
    '2026-10-03,5280,16843,"57,565.70",395,411,7.48%,58.0,422\n'
)
AVERAGE = '平均值,5005,15852,"53,499.47",365,380,7.30%,59.0,404\n'


def _board(path, total_gmv="160,498.40", tail=None):
    """A GB18030 整体看板 of 3 days with a title above the header and 汇总值 + 平均值 rows."""
    total = f'汇总值,15016,47557,"{total_gmv}",1096,1140,7.30%,59.0,1213\n'
    text = TITLE + HEADER + DAYS + (total + AVERAGE if tail is None else tail)
    path.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    return path


def test_summary_rows_are_the_exports_total_not_days(export_dir):
    info = inspect_file(_board(export_dir / "【生意参谋平台】整体看板-日.csv"))
    assert (info.kind, info.encoding, info.header_row) == ("shop_daily", "gb18030", 3)
    df = read_export(info)
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-02", "2026-10-03"]
    assert df["visitors"].tolist() == [4880, 4856, 5280]
    assert pd.isna(df["avg_stay_s"].iloc[1])  # 暂无数据: missing, like -- and -
    kept = {t["label"]: t for t in df.attrs["totals"]}
    assert set(kept) == {"汇总值", "平均值"}
    assert kept["汇总值"]["how"] == "sum" and kept["平均值"]["how"] == "mean"
    assert kept["汇总值"]["gmv"] == pytest.approx(160498.40)


def test_a_summary_row_disagreeing_with_the_days_names_file_row_column_and_numbers(export_dir):
    info = inspect_file(_board(export_dir / "看板.csv", total_gmv="160,598.40"))
    with pytest.raises(ExportError) as err:
        read_export(info)
    msg = str(err.value)
    assert "看板.csv" in msg and "汇总值" in msg and "row 8" in msg
    assert "gmv" in msg and "支付金额(元)" in msg
    assert "160,598.40" in msg and "160,498.40" in msg  # the row's number and the days' sum
    assert err.value.rows == [8] and err.value.column == "gmv"


def test_rounding_within_the_tolerance_agrees(export_dir):
    # each day rounded to the cent before the platform sums: a cent or two is rounding
    info = inspect_file(_board(export_dir / "看板.csv", total_gmv="160,498.42"))
    assert len(read_export(info)) == 3


def test_the_folder_loads_a_board_with_summary_rows(export_dir):
    _board(export_dir / "【生意参谋平台】整体看板-日-2026-10-01_2026-10-03.csv")
    df = ExportFolder(export_dir).load("shop_daily")
    assert len(df) == 3 and df["gmv"].sum() == pytest.approx(160498.40)


@pytest.mark.parametrize(
    "tail",
    [
        '全店汇总值,15016,47557,"160,498.40",1096,1140,7.30%,59.0,1213\n',
        '合计,15016,47557,"160,498.40",1096,1140,7.30%,59.0,1213\n',
        '总计,15016,47557,"160,498.40",1096,1140,7.30%,59.0,1213\n',
        '日均值,5005,15852,"53,499.47",365,380,7.30%,59.0,404\n',
        AVERAGE,
    ],
)
def test_every_spelling_of_a_summary_row_is_dropped(export_dir, tail):
    df = read_export(inspect_file(_board(export_dir / "看板.csv", tail=tail)))
    assert len(df) == 3


def test_english_total_and_average_rows_where_the_date_is_not_the_first_column(export_dir):
    (export_dir / "shop.csv").write_text(
        "Sessions,Day,Customers,Total sales\n"
        "100,2026-10-01,5,500.00\n120,2026-10-02,6,610.50\n"
        "220,Total,11,1110.50\n110,Average,5.5,555.25\n",
        encoding="utf-8",
    )
    df = read_export(inspect_file(export_dir / "shop.csv"))
    assert len(df) == 2
    (export_dir / "shop.csv").write_text(
        "Sessions,Day,Customers,Total sales\n100,2026-10-01,5,500.00\n120,2026-10-02,6,610.50\n"
        "230,Total,11,1120.50\n",
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match=r"row 4.*gmv.*1,?120.5.*1,?110.5"):
        read_export(inspect_file(export_dir / "shop.csv"))


def test_other_dated_kinds_drop_their_summary_rows_the_same_way(export_dir):
    (export_dir / "商品效果.csv").write_text(
        "统计日期,商品ID,商品名称,商品访客数,支付件数,支付金额\n"
        "2026-10-01,1001,收纳盒,50,4,120.00\n2026-10-01,1002,挂钩,30,2,20.00\n"
        "汇总值,-,-,80,6,140.00\n平均值,-,-,40,3,70.00\n",
        encoding="utf-8",
    )
    (export_dir / "流量来源.csv").write_text(
        "统计日期,流量来源,访客数,支付金额\n"
        "2026-10-01,手淘搜索,60,300\n2026-10-01,直通车,40,200\n汇总值,-,100,500\n",
        encoding="utf-8",
    )
    folder = ExportFolder(export_dir)
    assert len(folder.load("items_daily")) == 2
    assert len(folder.load("traffic_sources")) == 2
    (export_dir / "商品效果.csv").write_text(
        "统计日期,商品ID,商品名称,商品访客数,支付件数,支付金额\n"
        "2026-10-01,1001,收纳盒,50,4,120.00\n汇总值,-,-,50,4,999.00\n",
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match=r"row 3 \('汇总值'.*gmv.*999.*120"):
        read_export(inspect_file(export_dir / "商品效果.csv"))


@pytest.mark.parametrize(
    "label,how",
    [
        ("汇总值", "sum"),
        ("全店汇总值", "sum"),
        ("合计", "sum"),
        ("Total", "sum"),
        ("Total: Account", "sum"),
        ("平均值", "mean"),
        ("全店平均值", "mean"),
        ("日均值", "mean"),
        ("Average", "mean"),
        ("2026-10-01", None),
        ("total wireless plans", None),
    ],
)
def test_summary_labels(label, how):
    assert summary_how(label) == how


def test_the_daily_review_runs_on_a_sample_shop_whose_board_has_summary_rows(sample_dir, tmp_path):
    from ecomops_helpers.daily.review import build_daily_review

    shop = tmp_path / "shop"  # the sample shop's exports the daily review reads, items aside
    shop.mkdir()
    for f in sample_dir.iterdir():
        if f.name.startswith(("【生意参谋平台】整体看板", "流量来源", "月度目标", "评价管理")):
            shutil.copy(f, shop / f.name)
    board = next(shop.glob("【生意参谋平台】整体看板-日-2026-10-01_*.csv"))
    raw = board.read_bytes().decode("gb18030")
    lines = raw.splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("统计日期"))
    days = pd.read_csv(io.StringIO("\n".join(lines[header_at:])), thousands=",", dtype=str)

    def summary(label, how):
        cells = [label]
        for c in days.columns[1:]:
            values = pd.to_numeric(days[c].str.replace(",", ""), errors="coerce")
            if values.isna().any():  # rates: written as the platform likes, not checked
                cells.append("-")
                continue
            v = values.sum() if how == "sum" else values.mean()
            cells.append(f'"{v:,.2f}"' if "." in "".join(days[c]) else f"{v:.0f}")
        return ",".join(cells)

    tail = summary("汇总值", "sum") + "\r\n" + summary("平均值", "mean") + "\r\n"
    board.write_bytes((raw.rstrip("\r\n") + "\r\n" + tail).encode("gb18030"))
    review = build_daily_review(str(shop), "")
    assert review.report_date == pd.Timestamp("2026-10-21")


def test_the_ads_check_shares_the_rule_and_never_sums_an_average_row():
    from ecomops_helpers.ads.audit import total_checks

    rows = pd.DataFrame({"_file": ["a.csv", "a.csv"], "clicks": [3, 4], "cost": [1.0, 2.01]})
    average = {"file": "a.csv", "label": "平均值", "how": "mean", "row": 5, "clicks": 3.5}
    assert total_checks(rows, [average]).empty
    total = {"file": "a.csv", "label": "汇总值", "how": "sum", "row": 4, "clicks": 7, "cost": 3.02}
    checks = total_checks(rows, [total, average])
    assert checks["label"].tolist() == ["汇总值", "汇总值"] and checks["agrees"].all()


def test_a_day_with_no_figures_is_no_row_and_a_missing_figure_an_empty_cell(export_dir):
    head = "统计日期,访客数,支付买家数,支付金额\n"
    (export_dir / "整体看板.csv").write_text(
        head + "2026-10-01,100,5,500\n2026-10-02,暂无数据,暂无数据,暂无数据\n"
        "2026-10-03,120,7,700\n",
        encoding="gb18030",
    )
    df = read_export(inspect_file(export_dir / "整体看板.csv"))
    assert [f"{d:%d}" for d in df["date"]] == ["01", "03"]  # never a day of zeros
    (export_dir / "整体看板.csv").write_text(
        head + "2026-10-01,100,5,500\n2026-10-02,110,暂无数据,600\n", encoding="gb18030"
    )
    with pytest.raises(ExportError, match=r"row 3: expected .*, found an empty cell"):
        read_export(inspect_file(export_dir / "整体看板.csv"))
