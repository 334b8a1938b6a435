"""Numbers and dates no export can hold are refused by file, column and row, never summed."""

from datetime import date, timedelta

import pytest

from ecomops_helpers.errors import ExportError
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.exports.reading import read_export

HEAD = "订单编号,买家会员名,买家实际支付金额,订单付款时间\n"


def _orders(export_dir, rows: list[str]):
    (export_dir / "orders.csv").write_text(HEAD + "\n".join(rows) + "\n", encoding="utf-8")
    return ExportFolder(export_dir, cache=None)


@pytest.mark.parametrize("amount", ["inf", "Infinity", "-inf", "1e308", "9" * 309])
def test_an_endless_or_absurd_amount_is_refused_with_its_row(export_dir, amount):
    folder = _orders(
        export_dir, ["1,tb1,10.00,2026-10-01 10:00:00", f"2,tb2,{amount},2026-10-02 10:00:00"]
    )
    with pytest.raises(
        ExportError, match=r"orders\.csv: column '买家实际支付金额' \(amount\), row 3"
    ):
        folder.load("orders")


def test_an_ordinary_refund_is_still_read(export_dir):
    folder = _orders(
        export_dir, ["1,tb1,10.00,2026-10-01 10:00:00", "2,tb1,-10.00,2026-10-02 10:00:00"]
    )
    assert folder.load("orders")["amount"].tolist() == [10.0, -10.0]


@pytest.mark.parametrize(
    "when", ["1900-01-01 00:00:00", "1970-01-01 08:00:00", "2100-01-01 10:00:00"]
)
def test_a_date_no_shop_can_have_sold_on_is_refused_with_its_row(export_dir, when):
    folder = _orders(export_dir, ["1,tb1,10.00,2026-10-01 10:00:00", f"2,tb2,10.00,{when}"])
    with pytest.raises(
        ExportError, match=r"column '订单付款时间' \(paid_at\), row 3: expected a date"
    ):
        folder.load("orders")


@pytest.mark.parametrize("zero", ["0", "0.0"])
def test_a_zero_in_a_unix_time_column_is_refused_with_its_row_and_value(export_dir, zero):
    (export_dir / "log.csv").write_text(
        "user_id,item_id,category_id,behavior,ts\n"
        "1,10,100,pv,1511544070\n1,10,100,cart,1511544075\n2,11,100,buy,"
        f"{zero}\n2,11,100,pv,1511544090.5\n",
        encoding="utf-8",
    )
    (info,) = ExportFolder(export_dir, cache=None).files
    with pytest.raises(ExportError, match=rf"\(ts\), row 4: expected a date .* found '{zero}'"):
        read_export(info)


def test_tomorrow_is_allowed_for_a_platform_a_time_zone_ahead(export_dir):
    tomorrow = date.today() + timedelta(days=1)
    folder = _orders(export_dir, [f"1,tb1,10.00,{tomorrow} 10:00:00"])
    assert len(folder.load("orders")) == 1


def test_a_negative_rival_price_is_refused(export_dir):
    (export_dir / "竞品_2026-10-21.csv").write_text(
        "店铺名,宝贝标题,宝贝链接,价格,30天销量\n"
        "好物,收纳盒,https://item.taobao.com/item.htm?id=1,-5.00,10\n",
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match=r"\(price\), row 2: expected a value ≥ 0"):
        ExportFolder(export_dir, cache=None).load("competitor_listings")
