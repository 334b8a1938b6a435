import importlib
import pkgutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.errors import ExportConflictError, ExportError, MissingExportError
from ecomops_helpers.exports import (
    KINDS,
    ExportFolder,
    detect_encoding,
    inspect_file,
    normalize_header,
    read_export,
)

FORMATS = [
    # file, format sniffed, encoding, header row (0-based)
    ("整体看板_gb18030.csv", "text", "gb18030", 3),
    ("shop_utf8_bom.csv", "text", "utf-8-sig", 0),
    ("shop_unicode_text.txt", "text", "utf-16", 0),
    ("整体看板_html.xls", "html", None, 1),
    ("整体看板_biff.xls", "biff", None, 1),
    ("整体看板.xlsx", "xlsx", None, 1),
]
EXPECTED = {
    "date": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-03"]),
    "visitors": [1234, 1500, 980],
    "paying_buyers": [62, 75, 40],
    "gmv": [5678.90, 6100.00, 4020.50],
    "conversion": [0.0502, 0.05, 0.0408],
}


@pytest.mark.parametrize("name,fmt,encoding,header_row", FORMATS)
def test_every_format_reads_to_the_same_canonical_table(name, fmt, encoding, header_row):
    info = inspect_file(Path(__file__).parent / "fixtures" / "exports" / name)
    assert (info.fmt, info.encoding, info.header_row, info.kind) == (
        fmt,
        encoding,
        header_row,
        "shop_daily",
    )
    df = read_export(info)
    for col, values in EXPECTED.items():
        np.testing.assert_allclose(
            df[col].astype("int64" if col == "date" else float),
            pd.Series(values).astype("int64" if col == "date" else float),
        )
    if "bounce_rate" in df:  # "--" is missing, "61.20%" a fraction
        assert df["bounce_rate"].iloc[0] == pytest.approx(0.612)
        assert np.isnan(df["bounce_rate"].iloc[1])
    # rows are numbered as a spreadsheet shows them: header row + 2 for the first data row
    assert df["_row"].tolist() == [header_row + 2, header_row + 3, header_row + 4]


def test_kind_is_recognised_from_headers_not_names(export_dir):
    (export_dir / "download (3).csv").write_text(
        "统计日期,流量来源,访客数,支付买家数,支付金额,花费\n2026-10-01,直通车,100,5,500,120\n",
        encoding="utf-8",
    )
    (export_dir / "shop_daily.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    folder = ExportFolder(export_dir)
    assert [f.path.name for f in folder.files_of("traffic_sources")] == ["download (3).csv"]
    assert [f.headers for f in folder.unmatched] == [["foo", "bar"]]
    assert folder.load("shop_daily", required=False) is None


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("支付金额(元)", "支付金额"),
        (" Total sales ", "totalsales"),
        ("\ufeff统计日期", "统计日期"),
        ("跳失率（%）", "跳失率"),
        ("Cost (USD)", "cost"),
    ],
)
def test_normalize_header(raw, expected):
    assert normalize_header(raw) == expected


def test_encoding_detection():
    text = "统计日期,访客数\n2026-10-01,1\n"
    assert detect_encoding(text.encode("gb18030")) == "gb18030"
    assert detect_encoding(text.encode("utf-8")) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + text.encode("utf-8")) == "utf-8-sig"
    cut = text.encode("utf-8")[:5]  # a multi-byte character cut at the sample's end
    assert detect_encoding(cut, truncated=True) == "utf-8"


VALUE_CASES = [
    # cell text in 支付金额 / 支付转化率, expected gmv, expected conversion
    ("1,234.50", "3.45%", 1234.5, 0.0345),
    ("￥12.00", "0.0345", 12.0, 0.0345),
    ("¥1.2万", "--", 12000.0, np.nan),
    ("-", "", np.nan, np.nan),
]


@pytest.mark.parametrize("gmv,conv,want_gmv,want_conv", VALUE_CASES)
def test_cell_quirks(export_dir, gmv, conv, want_gmv, want_conv):
    (export_dir / "a.csv").write_text(
        f'统计日期,访客数,支付买家数,支付金额,支付转化率,浏览量\n2026-10-01,100,5,"{gmv}",{conv},1\n'
        f"2026-10-02,100,5,100,1%,1\n",
        encoding="utf-8",
    )
    if np.isnan(want_gmv):  # a required amount that is missing is an error
        with pytest.raises(ExportError, match=r"a\.csv: column '支付金额' \(gmv\), row 2"):
            ExportFolder(export_dir).load("shop_daily")
        return
    df = ExportFolder(export_dir).load("shop_daily")
    assert df["gmv"].iloc[0] == pytest.approx(want_gmv)
    if np.isnan(want_conv):
        assert np.isnan(df["conversion"].iloc[0])
    else:
        assert df["conversion"].iloc[0] == pytest.approx(want_conv)


def _shop_csv(rows: str) -> str:
    return "统计日期,访客数,支付买家数,支付金额,支付转化率\n" + rows


BAD_INPUTS = [
    # name, rows, column in message, rows in message, expectation text
    (
        "conversion over 100 %",
        "2026-10-01,100,5,500,3%\n2026-10-02,100,5,500,1.7\n",
        "'支付转化率' (conversion)",
        "row 3",
        "between 0 and 1",
    ),
    ("negative visitors", "2026-10-01,-4,5,500,3%\n", "'访客数' (visitors)", "row 2", "≥ 0"),
    (
        "date that does not parse",
        "2026-10-01,1,0,0,0%\n2026-13-45,1,0,0,0%\n",
        "'统计日期' (date)",
        "row 3",
        "a date like",
    ),
    ("text in a number", "2026-10-01,abc,0,0,0%\n", "'访客数' (visitors)", "row 2", "a number"),
]


@pytest.mark.parametrize(
    "name,rows,column,row,expected", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS]
)
def test_bad_input_names_file_column_row(export_dir, name, rows, column, row, expected):
    (export_dir / "整体看板.csv").write_text(_shop_csv(rows), encoding="utf-8")
    with pytest.raises(ExportError) as err:
        ExportFolder(export_dir).load("shop_daily")
    msg = str(err.value)
    assert msg.startswith("整体看板.csv: ")
    assert column in msg and row in msg and expected in msg


def test_duplicate_date_with_different_values_in_one_file(export_dir):
    (export_dir / "d.csv").write_text(
        _shop_csv("2026-10-01,100,5,500,5%\n2026-10-01,120,5,500,5%\n"), encoding="utf-8"
    )
    with pytest.raises(
        ExportConflictError,
        match=r"d\.csv: date=2026-10-01 appears twice.*"
        r"row 2 vs d\.csv row 3; column visitors",
    ):
        ExportFolder(export_dir).load("shop_daily")


def test_overlapping_downloads_are_merged_and_conflicts_name_both_files(export_dir):
    (export_dir / "a.csv").write_text(
        _shop_csv("2026-10-01,100,5,500,5%\n2026-10-02,110,5,500,4.55%\n"), encoding="utf-8"
    )
    (export_dir / "b.csv").write_text(
        _shop_csv("2026-10-02,110,5,500,4.55%\n2026-10-03,90,3,300,3.33%\n"), encoding="gb18030"
    )
    df = ExportFolder(export_dir).load("shop_daily")
    assert df["date"].dt.day.tolist() == [1, 2, 3]
    (export_dir / "c.csv").write_text(_shop_csv("2026-10-03,95,3,300,3.16%\n"), encoding="utf-8")
    with pytest.raises(ExportConflictError) as err:
        ExportFolder(export_dir).load("shop_daily")
    assert "b.csv and c.csv disagree on date=2026-10-03" in str(err.value)
    assert "column visitors: 90 vs 95" in str(err.value)


def test_identical_reviews_are_kept_within_a_file_but_not_repeated_across_downloads(export_dir):
    body = "评价时间,宝贝ID,评价等级,评价内容\n2026-10-01,1,好评,好\n2026-10-01,1,好评,好\n"
    (export_dir / "r1.csv").write_text(body, encoding="utf-8")
    (export_dir / "r2.csv").write_text(body + "2026-10-02,1,差评,差\n", encoding="utf-8")
    df = ExportFolder(export_dir).load("reviews")
    assert len(df) == 3
    assert df["rating"].tolist() == [5.0, 5.0, 1.0]


def test_missing_required_column_lists_headers_found(export_dir):
    (export_dir / "看板.csv").write_text(
        "统计日期,访客数,支付金额\n2026-10-01,100,500\n", encoding="utf-8"
    )
    with pytest.raises(ExportError) as err:
        ExportFolder(export_dir).load("shop_daily")
    msg = str(err.value)
    assert "看板.csv" in msg and "paying_buyers" in msg and "支付买家数" in msg
    assert "Headers found: 统计日期, 访客数, 支付金额" in msg


def test_missing_required_kind_says_what_to_do(export_dir):
    with pytest.raises(MissingExportError, match="no shop_daily export.*ecomops check"):
        ExportFolder(export_dir).load("shop_daily")


def test_total_rows_and_blank_lines_are_dropped(export_dir):
    (export_dir / "t.csv").write_text(
        _shop_csv("2026-10-01,100,5,500,5%\n\n合计,100,5,500,5%\n"), encoding="utf-8"
    )
    df = ExportFolder(export_dir).load("shop_daily")
    assert len(df) == 1


def test_item_ids_keep_leading_zeros_and_flags_parse(export_dir):
    (export_dir / "i.csv").write_text(
        "统计日期,商品ID,商品访客数,支付金额,主推\n2026-10-01,00123,10,50,是\n2026-10-01,456,5,0,否\n",
        encoding="utf-8",
    )
    df = ExportFolder(export_dir).load("items_daily")
    assert df["item_id"].tolist() == ["00123", "456"]
    assert df["is_hero"].tolist() == [True, False]


def test_plan_months_in_chinese(export_dir):
    (export_dir / "目标.csv").write_text(
        '月份,目标销售额\n2026年10月,"1,000,000"\n202611,2万\n', encoding="gb18030"
    )
    df = ExportFolder(export_dir).load("plan")
    assert df["month"].dt.strftime("%Y-%m").tolist() == ["2026-10", "2026-11"]
    assert df["gmv_target"].tolist() == [1_000_000.0, 20_000.0]


def test_broken_workbook_is_reported_not_fatal(export_dir):
    (export_dir / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (export_dir / "ok.csv").write_text(_shop_csv("2026-10-01,100,5,500,5%\n"), encoding="utf-8")
    folder = ExportFolder(export_dir)
    assert len(folder.load("shop_daily")) == 1
    assert "broken.xlsx" in folder.unmatched[0].problem


def _real_headers(kind) -> list[str]:
    """A header row as platforms write it: the first real-world alias of each needed column."""
    needed = kind.required + [group[0] for group in kind.one_of]
    return [kind.column(c).aliases[1] for c in needed]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_header_only_export_is_its_kind_with_zero_rows(export_dir, name):
    kind = KINDS[name]
    (export_dir / "quiet_day.csv").write_text(",".join(_real_headers(kind)) + "\n", "utf-8")
    folder = ExportFolder(export_dir)
    assert [f.kind for f in folder.files] == [name]
    assert folder.is_empty(name)
    df = folder.load(name)
    assert len(df) == 0 and set(kind.required) <= set(df.columns)


def test_public_imports_and_one_catalogue_entry_per_kind():
    from ecomops_helpers import ExportError as top_level_error
    from ecomops_helpers.exports import ExportError, catalogue

    assert ExportError is top_level_error
    modules = [  # every domain file of the catalogue, whichever are added
        importlib.import_module(f"{catalogue.__name__}.{m.name}")
        for m in pkgutil.iter_modules(catalogue.__path__)
    ]
    names = [k.name for module in modules for k in module.KINDS]
    assert len(names) == len(set(names)) and set(names) == set(catalogue.KINDS) == set(KINDS)


@pytest.mark.parametrize(
    "text, value",
    [
        ("$1,234.50", 1234.50),
        ("US$1,234.50", 1234.50),
        ("£12.00", 12.0),
        ("€3,50", 3.5),  # a decimal comma: no thousands group has two digits
        ("1.234,56 €", 1234.56),
        ("Rs. 120", 120.0),
        ("₹1,20,000", 120000.0),
        ("1,234", 1234.0),
        (" --", float("nan")),
    ],
)
def test_money_cells_with_symbols_codes_and_separators(text, value):
    from ecomops_helpers.exports.cells import parse_numbers

    got, bad = parse_numbers(pd.Series([text], dtype=object), "money")
    assert not bad.iloc[0]
    assert (pd.isna(got.iloc[0]) and pd.isna(value)) or got.iloc[0] == pytest.approx(value)
