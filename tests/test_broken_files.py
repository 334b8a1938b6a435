"""A broken file is named, never re-read as something else: garbled headers, cut rows,
duplicate headers."""

import shutil

import pytest

from ecomops_helpers.customers.segments import clean_orders
from ecomops_helpers.errors import ExportError
from ecomops_helpers.exports import ExportFolder

ORDERS = "ExportOrderList_订单报表.csv"


def _orders_text(sample_dir) -> str:
    return (sample_dir / ORDERS).read_text(encoding="gb18030")


def _garble(text: str, how: str) -> str:
    head, body = text.split("\n", 1)
    if how == "latin-1":  # the header's GB18030 bytes read as Latin-1, then saved again
        head = head.encode("gb18030").decode("latin-1")
    else:  # a Latin-1 save of Chinese: every hanzi became ?
        head = "".join("?" if ord(ch) > 127 else ch for ch in head)
    return head + "\n" + body


@pytest.mark.parametrize("how", ["latin-1", "question marks"])
def test_an_order_export_with_a_garbled_header_is_named_not_guessed(sample_dir, tmp_path, how):
    (tmp_path / ORDERS).write_text(_garble(_orders_text(sample_dir), how), encoding="utf-8")
    folder = ExportFolder(tmp_path, cache=None)
    assert not folder.has("orders")  # never taken as a header-less log of order ids
    [f] = folder.unmatched
    assert f.problem and ORDERS in f.problem and "header line is not readable" in f.problem


def test_the_true_header_still_reads(sample_dir, tmp_path):
    shutil.copy(sample_dir / ORDERS, tmp_path / ORDERS)
    purchases, _ = clean_orders(ExportFolder(tmp_path, cache=None).load("orders"))
    assert purchases["customer_id"].nunique() < len(purchases)  # customers, not order ids


def test_a_cut_last_row_is_named(sample_dir, tmp_path):
    text = _orders_text(sample_dir).rstrip("\r\n")
    cut = text[: text.rindex(",", 0, text.rindex("\n") + 40)]  # the last row stops mid-way
    (tmp_path / ORDERS).write_bytes(cut.encode("gb18030"))
    rows = len(cut.splitlines())
    with pytest.raises(ExportError, match=rf"{ORDERS}: row {rows} is cut short: \d+ of 12 columns"):
        ExportFolder(tmp_path, cache=None).load("orders")


def test_rows_that_all_leave_trailing_fields_out_are_not_cut(export_dir):
    (export_dir / "o.csv").write_text(
        "订单编号,买家会员名,买家实际支付金额,订单付款时间,店铺优惠券\n"
        "1,tb1,10.00,2026-10-01 10:00:00\n2,tb2,12.00,2026-10-02 10:00:00\n",
        encoding="utf-8",
    )
    assert len(ExportFolder(export_dir, cache=None).load("orders")) == 2


def test_two_columns_under_one_header_are_named(export_dir):
    (export_dir / "o.csv").write_text(
        "订单编号,买家会员名,买家实际支付金额,订单付款时间,买家实际支付金额\n"
        "1,tb1,10.00,2026-10-01 10:00:00,9.00\n",
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match="columns 3 and 5 are both headed '买家实际支付金额'"):
        ExportFolder(export_dir, cache=None).load("orders")


def test_one_order_id_on_a_crowd_of_lines_is_warned(export_dir):
    from ecomops_helpers.customers.review import CustomerThresholds, build_customer_review

    rows = [
        f"SHOP1,tb{i % 40},{10 + i % 7}.00,2026-10-{1 + i % 20:02d} 10:00:00" for i in range(60)
    ]
    (export_dir / "o.csv").write_text(
        "订单编号,买家会员名,买家实际支付金额,订单付款时间\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    th = CustomerThresholds(max_lines_per_order=50)
    review = build_customer_review(str(export_dir), "2026-10-21", thresholds=th, lang="en")
    assert any("order id SHOP1 in o.csv is on 60 lines" in w for w in review.warnings)
    fine = build_customer_review(str(export_dir), "2026-10-21", lang="en")  # 1000 lines by default
    assert not any("order id" in w for w in fine.warnings)
