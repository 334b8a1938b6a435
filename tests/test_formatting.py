import math

import pandas as pd
import pytest

from ecomops_helpers.page import formatting as fmt


@pytest.mark.parametrize(
    ("x", "zh", "en"),
    [
        (40201.5, "¥4.02万", "¥40,202"),
        (10000, "¥1万", "¥10,000"),
        (123456, "¥12.3万", "¥123,456"),
        (1054512, "¥105万", "¥1.05M"),
        (120_000_000, "¥1.2亿", "¥120M"),
        (9999.4, "¥9,999", "¥9,999"),
        (12.5, "¥12.50", "¥12.50"),
        (-21100, "-¥2.11万", "-¥21,100"),
    ],
)
def test_money_compact_where_a_person_reads_it(x, zh, en):
    assert fmt.money(x, "zh") == zh
    assert fmt.money(x, "en") == en


def test_money_exact_in_tables_and_signed():
    assert fmt.money(1054512, "zh", compact=False) == "¥1,054,512"
    assert fmt.money(2068.4, "zh", compact=False, sign=True) == "+¥2,068"
    assert fmt.money(-5.25, "en", compact=False, sign=True) == "-¥5.25"
    assert fmt.money(math.nan, "zh") == "–"


def test_percent_with_the_decimals_that_mean_something():
    assert fmt.pct(0.0598, 2, "zh") == "5.98%"
    assert fmt.pct(0.0598, 2, "en") == "5.98 %"
    assert fmt.pct(0.3141, 1, "en") == "31.4 %"
    assert fmt.pct(-0.118, 1, "zh", sign=True) == "-11.8%"
    assert fmt.pct(0.79, 0, "en", sign=True) == "+79 %"


def test_dates_as_each_language_writes_them():
    d = pd.Timestamp("2026-10-21")
    assert fmt.day(d, "zh") == "10月21日 周三"
    assert fmt.day(d, "en") == "Wed 21 Oct"
    assert fmt.day("2026-10-25", "zh") == "10月25日 周日"
    assert fmt.date_range("2025-10-22", d, "zh") == "2025年10月22日 – 2026年10月21日"
    assert fmt.date_range("2025-10-22", d, "en") == "22 Oct 2025 – 21 Oct 2026"


def test_numbers_and_table_cells():
    assert fmt.number(1234567) == "1,234,567"
    assert fmt.number(2.356, 2) == "2.36"
    assert fmt.number(-1204, sign=True) == "-1,204"
    assert fmt.cell(0.1234, "pct1", "en") == "12.3 %"
    assert fmt.cell(None, "money", "zh") == "–"
    assert fmt.cell(pd.Timestamp("2026-10-21"), "date", "en") == "2026-10-21"
    with pytest.raises(KeyError):
        fmt.cell(1, "no_such_format", "zh")
