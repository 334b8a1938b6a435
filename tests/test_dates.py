import pandas as pd
import pytest

from ecomops_helpers.customers.review import build_customer_review
from ecomops_helpers.errors import ExportError
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.exports.dates import choose_order, order_evidence, parse_dates
from ecomops_helpers.run.cli import main

EVIDENCE = [
    # dates in one column, the orders they allow, what auto reads them as, and how
    (["2026-10-21", "2026-10-01"], {"ymd"}, "ymd", "proven"),
    (["01/02/2025", "03/04/2025"], {"dmy", "mdy"}, "mdy", "assumed"),
    (["01/02/2025", "13/04/2025"], {"dmy"}, "dmy", "proven"),
    (["01/02/2025", "04/13/2025"], {"mdy"}, "mdy", "proven"),
    (["12/1/2010 8:26", "12/9/2011 12:50"], {"dmy", "mdy"}, "mdy", "assumed"),
    (["3.4.25", "5.6.25"], {"dmy", "mdy"}, "mdy", "assumed"),  # "3" is no year
    (["03.04.25", "05.06.25"], {"dmy", "mdy", "ymd"}, "mdy", "assumed"),
    (["99.04.13", "25.06.30"], {"ymd"}, "ymd", "proven"),  # 99 is no day
    (["20261021", "Mar 3, 2025", "1790006785"], None, None, "unambiguous"),
]


@pytest.mark.parametrize("texts,orders,order,how", EVIDENCE)
def test_the_whole_column_decides_the_order(texts, orders, order, how):
    ev = order_evidence(pd.Series(texts))
    assert ev.orders == orders
    assert choose_order(ev, "auto") == (order, how)


def test_the_setting_decides_only_what_the_data_leaves_open():
    ambiguous = order_evidence(pd.Series(["01/02/2025", "03/04/2025"]))
    proven = order_evidence(pd.Series(["01/02/2025", "13/04/2025"]))
    assert choose_order(ambiguous, "dmy") == ("dmy", "setting")
    assert choose_order(proven, "mdy") == ("dmy", "proven")


def test_reading_in_each_order():
    s = pd.Series(["03/04/2025 10:30", "13/04/25"])
    assert parse_dates(s, keep_time=True, order="dmy").tolist() == [
        pd.Timestamp("2025-04-03 10:30"),
        pd.Timestamp("2025-04-13"),
    ]
    assert parse_dates(pd.Series(["03/04/2025"]), order="mdy")[0] == pd.Timestamp("2025-03-04")
    assert parse_dates(pd.Series(["25.04.03"]), order="ymd")[0] == pd.Timestamp("2025-04-03")


def _uk_log(days: range, month: int = 10) -> str:
    """A day-first order log of the first days of a month: every date reads both ways."""
    rows = "".join(f"c{d % 4},{d:02d}/{month:02d}/2025,{10 * d}.50\n" for d in days)
    return "CustomerID,InvoiceDate,Amount\n" + rows


def test_an_all_ambiguous_day_first_log_is_assumed_month_first_and_says_so(export_dir, capsys):
    (export_dir / "uk_orders.csv").write_text(_uk_log(range(1, 13)), encoding="utf-8")
    assert main(["check", "--data", str(export_dir)]) == 0
    out = capsys.readouterr().out
    assert "orders paid_at (uk_orders.csv): every date reads both ways" in out
    assert "assumed month-first (m/d/y)" in out and "pass --date-order dmy" in out
    folder = ExportFolder(export_dir)
    assert folder.load("orders")["paid_at"].max() == pd.Timestamp("2025-12-10")


def test_an_all_ambiguous_day_first_log_with_date_order_dmy(export_dir, capsys):
    (export_dir / "uk_orders.csv").write_text(_uk_log(range(1, 13)), encoding="utf-8")
    assert main(["check", "--data", str(export_dir), "--date-order", "dmy"]) == 0
    out = capsys.readouterr().out
    assert "read day-first (d/m/y) as date_order=dmy says" in out and "assumed" not in out
    review = build_customer_review(export_dir, date_order="dmy")
    assert review.report_date == pd.Timestamp("2025-10-12")  # the last day of the log
    assert review.purchases["date"].dt.month.unique().tolist() == [10]
    assert review.date_notes and "date_order=dmy" in review.date_notes[0]


def test_a_column_that_proves_day_first_needs_no_setting(export_dir, capsys):
    (export_dir / "uk_orders.csv").write_text(_uk_log(range(1, 20)), encoding="utf-8")
    assert main(["check", "--data", str(export_dir)]) == 0
    assert "dates:" not in capsys.readouterr().out  # nothing was assumed
    paid = ExportFolder(export_dir).load("orders")["paid_at"]
    assert paid.min() == pd.Timestamp("2025-10-01") and paid.max() == pd.Timestamp("2025-10-19")


def test_files_of_a_kind_are_read_in_one_order(export_dir):
    (export_dir / "october.csv").write_text(_uk_log(range(1, 20)), encoding="utf-8")
    (export_dir / "november.csv").write_text(_uk_log(range(1, 10), 11), encoding="utf-8")
    folder = ExportFolder(export_dir)
    paid = folder.load("orders").set_index("_file")["paid_at"]
    assert paid["november.csv"].dt.month.unique().tolist() == [11]  # day-first, as october
    assert folder.date_notes == []


def test_a_column_proving_both_orders_names_file_column_and_two_rows(export_dir):
    (export_dir / "mixed.csv").write_text(
        "CustomerID,InvoiceDate,Amount\nc1,01/02/2025,1\nc2,13/02/2025,1\nc3,02/14/2025,1\n",
        encoding="utf-8",
    )
    with pytest.raises(ExportError) as err:
        ExportFolder(export_dir).load("orders")
    msg = str(err.value)
    assert msg.startswith(
        "mixed.csv: column 'InvoiceDate' (paid_at) mixes day-first and month-first"
    )
    assert "row 3 '13/02/2025'" in msg and "row 4 '02/14/2025'" in msg
    assert err.value.rows == [4, 3] or err.value.rows == [3, 4]


def test_two_files_proving_different_orders_are_an_error(export_dir):
    (export_dir / "a.csv").write_text(_uk_log(range(1, 20)), encoding="utf-8")
    (export_dir / "b.csv").write_text(
        "CustomerID,InvoiceDate,Amount\nc1,10/13/2025,1\n", encoding="utf-8"
    )
    with pytest.raises(ExportError, match=r"a\.csv and b\.csv \(orders, column paid_at\) write"):
        ExportFolder(export_dir).load("orders")


def test_an_unknown_date_order_is_a_usage_error(export_dir, capsys):
    with pytest.raises(ValueError, match="date_order 'dym' is not one of auto, dmy, mdy, ymd"):
        ExportFolder(export_dir, date_order="dym")
    with pytest.raises(SystemExit):
        main(["check", "--data", str(export_dir), "--date-order", "dym"])


@pytest.mark.parametrize(
    "line, first, last",
    [
        ("March 3, 2025 - March 30, 2025", "2025-03-03", "2025-03-30"),
        ("1 Jun 2025 - 7 Jun 2025", "2025-06-01", "2025-06-07"),
        ("统计时间：2026-10-15 ~ 2026-10-21", "2026-10-15", "2026-10-21"),
        ("时间：2026-10-15 至 2026-10-21", "2026-10-15", "2026-10-21"),
        ("2025年3月3日 - 2025年3月30日", "2025-03-03", "2025-03-30"),
        ("Sep 1, 2025", "2025-09-01", "2025-09-01"),
    ],
)
def test_a_period_named_above_the_header_is_read(line, first, last):
    from ecomops_helpers.exports.dates import find_period

    found = find_period(["Search terms report", line])
    assert [d.isoformat() for d in found] == [first, last]


def test_all_time_and_titles_name_no_period():
    from ecomops_helpers.exports.dates import find_period

    assert find_period(["Search terms report", "All time"]) is None


def test_excel_serial_dates_are_read_as_days_since_1899_12_30():
    got = parse_dates(pd.Series(["46310", "46311.0", None]))
    assert got.iloc[0] == pd.Timestamp("2026-10-15") and got.iloc[1] == pd.Timestamp("2026-10-16")
    assert pd.isna(got.iloc[2])
