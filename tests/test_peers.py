"""同行同层 benchmarks: read in both of 生意参谋's forms, compared, and turned into findings.

Layouts follow public code that reads real files: 整体看板 headers ``同行同层平均支付转化率`` and
``支付转化率（同行同层平均）``; the 询单到付款 1-day view with ``同行同层优秀`` / ``同行同层均值``
rows in its 日期 column, then 汇总值 / 平均值 rows.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.daily.peers import days_worse, peer_frame, peer_table
from ecomops_helpers.daily.peers_sample import PLANTED_PEERS
from ecomops_helpers.daily.review import DailyThresholds, build_daily_review
from ecomops_helpers.exports.peers import peer_header, peer_tier
from ecomops_helpers.exports.reading import _match_headers, inspect_file, read_export

HEADERS = [  # (header, tier and figure it names; None: not a peer header)
    ("同行同层平均支付转化率", ("avg", "支付转化率")),
    ("同行同层优秀支付转化率", ("top", "支付转化率")),
    ("同行同层均值访客数", ("avg", "访客数")),
    ("同行同层客单价(元)", ("avg", "客单价(元)")),
    ("同行优秀跳失率", ("top", "跳失率")),
    ("同行平均平均停留时长", ("avg", "平均停留时长")),
    ("支付转化率（同行同层平均）", ("avg", "支付转化率")),
    ("支付转化率(同行同层优秀)", ("top", "支付转化率")),
    ("同行同层平均访客数日均值", ("avg", "访客数")),
    ("支付转化率", None),
    ("同行", None),
]


@pytest.mark.parametrize(("header", "expected"), HEADERS)
def test_peer_header_pattern(header, expected):
    assert peer_header(header) == expected


def test_peer_headers_resolve_through_the_kinds_own_aliases():
    headers = (
        "统计日期",
        "访客数",
        "支付买家数",
        "支付金额(元)",
        "同行同层平均支付转化率",
        "同行同层优秀客单价(元)",
        "跳失率（同行同层平均）",
        "同行优秀平均停留时长(秒)",
        "同行同层平均没有这个指标",
    )
    kind, mapping = _match_headers(headers)
    assert kind == "shop_daily"
    assert mapping["同行同层平均支付转化率"] == "peer_avg_conversion"
    assert mapping["同行同层优秀客单价(元)"] == "peer_top_aov"
    assert mapping["跳失率（同行同层平均）"] == "peer_avg_bounce_rate"
    assert mapping["同行优秀平均停留时长(秒)"] == "peer_top_avg_stay_s"
    assert "同行同层平均没有这个指标" not in mapping
    # a peer header is never the shop's own figure, though "支付转化率（…）" folds to it
    assert "conversion" not in mapping.values() and "bounce_rate" not in mapping.values()


def _gb18030_csv(path: Path, title: list[str], header: list[str], rows: list[list[str]]):
    lines = [*title, ",".join(header), *(",".join(r) for r in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return path


def test_shop_daily_with_peer_columns_gb18030_title_rows(export_dir):
    path = _gb18030_csv(
        export_dir / "【生意参谋平台】整体看板-日.csv",
        ["生意参谋 > 取数 > 整体看板", "统计时间：2026-10-19 ~ 2026-10-21", ""],
        [
            "统计日期",
            "访客数",
            "支付买家数",
            "支付金额(元)",
            "支付转化率",
            "同行同层平均支付转化率",
            "同行同层优秀支付转化率",
            "同行同层均值访客数",
            "跳失率",
            "同行同层平均跳失率",
        ],
        [
            [
                "2026-10-19",
                "1000",
                "30",
                '"3,000.00"',
                "3.00%",
                "2.60%",
                "4.80%",
                '"1,200"',
                "70%",
                "-",
            ],
            ["2026-10-20", "1000", "21", '"2,100.00"', "2.10%", "--", "4.80%", "-", "71%", "75%"],
            [
                "2026-10-21",
                "1000",
                "21",
                '"2,100.00"',
                "2.10%",
                "2.60%",
                "-",
                '"1,250"',
                "72%",
                "74%",
            ],
        ],
    )
    info = inspect_file(path)
    assert info.kind == "shop_daily"
    df = read_export(info)
    assert df["peer_avg_conversion"].iloc[0] == pytest.approx(0.026)
    assert math.isnan(df["peer_avg_conversion"].iloc[1])  # "--" is missing, never 0
    assert math.isnan(df["peer_top_conversion"].iloc[2])
    assert math.isnan(df["peer_avg_visitors"].iloc[1])
    assert df["peer_avg_visitors"].iloc[2] == 1250
    assert df["conversion"].tolist() == pytest.approx([0.03, 0.021, 0.021])


def _service_day(path: Path, day: str, peer_avg_inquiries: str = "36") -> Path:
    """The 询单到付款 1-day view: the day's row, then its peer rows, then the summaries."""
    return _gb18030_csv(
        path,
        ["服务 > 店铺绩效 > 业绩分析 > 询单到付款", f"统计日期：{day}", ""],
        ["日期", "当日询单人数", "当日付款人数", "询单到付款转化率", "平均响应时长（秒）"],
        [
            [day, "14", "3", "21.43%", "40.0"],
            ["同行同层优秀", "72", "23", "60.00%", "9.0"],
            ["同行同层均值", peer_avg_inquiries, "7", "42.00%", "25.0"],
            ["汇总值", "14", "3", "21.43%", "40.0"],
            ["平均值", "14", "3", "21.43%", "40.0"],
        ],
    )


def test_service_rows_become_peer_columns_of_the_days_row(export_dir):
    info = inspect_file(_service_day(export_dir / "a.csv", "2026-09-15"))
    assert info.kind == "service_daily"
    df = read_export(info)
    assert len(df) == 1  # peer and summary rows are not days
    row = df.iloc[0]
    assert row["date"] == pd.Timestamp("2026-09-15")
    assert row["inquiries"] == 14
    assert row["peer_avg_inquiries"] == 36 and row["peer_top_inquiries"] == 72
    assert row["peer_avg_inquiry_conversion"] == pytest.approx(0.42)
    assert row["peer_top_avg_response_s"] == pytest.approx(9.0)


def test_service_peer_row_dash_is_missing(export_dir):
    df = read_export(inspect_file(_service_day(export_dir / "a.csv", "2026-09-15", "-")))
    assert math.isnan(df["peer_avg_inquiries"].iloc[0])
    assert df["peer_top_inquiries"].iloc[0] == 72


def test_peer_rows_under_each_shop_row_in_a_label_column(export_dir):
    path = _gb18030_csv(
        export_dir / "客服.csv",
        [],
        ["对象", "日期", "询单人数", "询单转化率"],
        [
            ["本店", "2026-10-20", "10", "40%"],
            ["同行同层均值", "2026-10-20", "12", "45%"],
            ["本店", "2026-10-21", "14", "50%"],
            ["同行同层均值", "2026-10-21", "20", "44%"],
            ["同行同层优秀", "2026-10-21", "30", "60%"],
        ],
    )
    df = read_export(inspect_file(path))
    assert df["inquiries"].tolist() == [10, 14]
    assert df["peer_avg_inquiries"].tolist() == [12, 20]
    assert math.isnan(df["peer_top_inquiry_conversion"].iloc[0])
    assert df["peer_top_inquiry_conversion"].iloc[1] == pytest.approx(0.6)


def test_row_labels():
    assert [peer_tier(x) for x in ("同行同层均值", "同行同层平均", "同行同层优秀", "同行优秀")] == [
        "avg",
        "avg",
        "top",
        "top",
    ]
    assert peer_tier("本店") is None and peer_tier("2026-10-21") is None and peer_tier(3) is None


def _daily(values, peers, figure="conversion", start="2026-10-12"):
    dates = pd.date_range(start, periods=len(values))
    return pd.DataFrame({"date": dates, figure: values, f"peer_avg_{figure}": peers})


def test_days_worse_counts_the_run_up_to_the_day():
    d = _daily([0.03, 0.02, 0.02, 0.02, 0.02], [0.025] * 5)
    assert days_worse(d, "conversion", "2026-10-16") == 4
    assert days_worse(d, "conversion", "2026-10-12") == 0


def test_a_day_without_the_peer_figure_ends_the_run():
    d = _daily([0.02] * 5, [0.025, 0.025, np.nan, 0.025, 0.025])
    assert days_worse(d, "conversion", "2026-10-16") == 2


def test_a_missing_day_ends_the_run():
    d = _daily([0.02] * 4, [0.025] * 4).drop(index=1)
    assert days_worse(d, "conversion", "2026-10-15") == 2


def test_bounce_is_worse_above_the_peers():
    high = _daily([0.74] * 3, [0.70] * 3, figure="bounce_rate")
    low = _daily([0.60] * 3, [0.70] * 3, figure="bounce_rate")
    assert days_worse(high, "bounce_rate", "2026-10-14") == 3
    assert days_worse(low, "bounce_rate", "2026-10-14") == 0
    table = peer_table(high, "2026-10-14").set_index("figure")
    assert table.loc["bounce_rate", "peer_gap"] < 0  # negative is worse, whatever the direction
    assert table.loc["bounce_rate", "owner"] == "design"


def test_peer_table_joins_shop_and_service_days():
    shop = _daily([0.02] * 3, [0.025] * 3)
    service = _daily([50.0] * 3, [25.0] * 3, figure="avg_response_s").assign(_file="x.csv")
    table = peer_table(peer_frame(shop, service), "2026-10-14").set_index("figure")
    assert table.loc["avg_response_s", "days_below"] == 3
    assert table.loc["avg_response_s", "owner"] == "service"
    assert table.loc["conversion", "peer_gap"] == pytest.approx(0.02 / 0.025 - 1)


def _peer_findings(review):
    return [f for f in review.findings if f.area == "peers"]


def test_sample_plants_conversion_behind_its_peers(sample_dir):
    review = build_daily_review(sample_dir)
    table = review.peers.set_index("figure")
    assert table.loc["conversion", "days_below"] == PLANTED_PEERS.conversion_days
    assert table.loc["avg_response_s", "days_below"] == PLANTED_PEERS.response_days
    assert table.loc["visitors", "days_below"] == 0
    found = {f.owner: f for f in _peer_findings(review)}
    assert set(found) == {"design", "service"}
    conv = found["design"]
    assert f"已连续 {PLANTED_PEERS.conversion_days} 天" in conv.rule
    assert "<" in conv.rule and "同行同层均值" in conv.rule and "优秀" in conv.rule
    assert ">" in found["service"].rule  # response time: slower than the peers is worse


def test_peer_below_days_is_a_parameter(sample_dir):
    th = DailyThresholds(peer_below_days=PLANTED_PEERS.conversion_days + 1)
    assert _peer_findings(build_daily_review(sample_dir, thresholds=th, lang="en")) == []


def test_without_peer_figures_the_section_is_hidden(export_dir):
    _gb18030_csv(
        export_dir / "整体看板.csv",
        ["生意参谋 > 取数 > 整体看板"],
        ["统计日期", "访客数", "支付买家数", "支付金额", "支付转化率"],
        [[f"2026-10-{d:02d}", "1000", "20", "2000", "2.00%"] for d in range(1, 11)],
    )
    review = build_daily_review(export_dir, lang="en")
    assert review.peers is None
    assert "peer comparison" in review.missing["peers"]
    assert _peer_findings(review) == []
