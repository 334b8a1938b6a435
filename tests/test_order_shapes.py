"""Order and behaviour logs in shapes the loader had not seen: by columns, codes and tables."""

import pytest

from ecomops_helpers.customers.segments import clean_orders
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.run.cli import main

LOGS = [
    # name, text: the same three customers' purchases in the shapes real logs take
    ("4 columns, comma", "c01,2025-01-03,2,19.98\nc02,2025-01-05,1,5.00\nc01,2025-02-01,1,7.50\n"),
    ("4 columns, tab", "c01\t20250103\t2\t19.98\nc02\t20250105\t1\t5.00\nc01\t20250201\t1\t7.50\n"),
    ("3 columns, semicolon", "c01;2025-01-03;19.98\nc02;2025-01-05;5.00\nc01;2025-02-01;7.50\n"),
    (
        "whitespace, own header",
        "id    dt          n   val\nc01   2025-01-03  2   19.98\nc02   2025-01-05  1   5.00\n"
        "c01   2025-02-01  1   7.50\n",
    ),
    (
        "whitespace, known header",
        "cust_id  date  qty  dollars\nc01 20250103 2 19.98\nc02 20250105 1 5.00\n"
        "c01 20250201 1 7.50\n",
    ),
    (
        "CDNOW layout, 6 columns",
        "00001 00001 19970103 1 19.98 x\n00002 00001 19970105 2 5.00 x\n"
        "00001 00001 19970201 1 7.50 x\n",
    ),
]


@pytest.mark.parametrize("name,text", LOGS, ids=[n for n, _ in LOGS])
def test_order_logs_are_recognised_by_what_their_columns_hold(export_dir, name, text):
    (export_dir / "log.txt").write_text(text, encoding="utf-8")
    folder = ExportFolder(export_dir)
    assert [f.kind for f in folder.files] == ["orders"], folder.files
    purchases, _ = clean_orders(folder.load("orders"))
    assert purchases.groupby("customer_id")["amount"].sum().round(2).tolist() == [27.48, 5.0]
    assert purchases["date"].dt.day.tolist() == [3, 5, 1]


@pytest.mark.parametrize(
    "header",
    ["amount_usd", "Total (RMB)", "金额(元)", "revenue", "value", "dollars", "sales_in_usd"],
)
def test_amount_headers_real_logs_use(export_dir, header):
    (export_dir / "o.csv").write_text(
        f"customer,order date,{header}\nc1,2025-01-03,12.5\n", encoding="utf-8"
    )
    df = ExportFolder(export_dir).load("orders")
    assert df["amount"].tolist() == [12.5]


def test_price_times_quantity_when_there_is_no_amount(export_dir):
    (export_dir / "o.csv").write_text(
        "Customer ID,Purchase Date,Unit Price,Qty\nc1,2025-01-03,2.5,4\n", encoding="utf-8"
    )
    purchases, _ = clean_orders(ExportFolder(export_dir).load("orders"))
    assert purchases["amount"].tolist() == [10.0]


BEHAVIOUR_LOGS = [
    (  # Tianchi mobile recommendation log: numeric codes, times to the hour
        "user_id,item_id,behavior_type,user_geohash,item_category,time\n"
        "10001082,285259775,1,97lk14c,4076,2014-12-08 18\n"
        "10001082,4368907,2,,5503,2014-12-12 12\n"
        "10001082,4368907,3,,5503,2014-12-12 12\n"
        "10001082,53616768,4,,9762,2014-12-02 15\n"
    ),
    (  # the same without a header, tab-separated
        "10001082\t285259775\t1\t4076\t2014-12-08 18\n"
        "10001082\t4368907\t2\t5503\t2014-12-12 12\n"
        "10001082\t4368907\t3\t5503\t2014-12-12 12\n"
        "10001082\t53616768\t4\t9762\t2014-12-02 15\n"
    ),
    (  # Fliggy-style names
        "User ID,Item ID,Behavior type,Timestamp\n"
        "7,11,clk,1418025600\n7,12,fav,1418367600\n7,12,cart,1418367600\n7,13,pay,1417503600\n"
    ),
]


@pytest.mark.parametrize("text", BEHAVIOUR_LOGS, ids=["tianchi", "tianchi no header", "names"])
def test_behaviour_codes_as_numbers_or_names(export_dir, text):
    (export_dir / "log.csv").write_text(text, encoding="utf-8")
    events = ExportFolder(export_dir).load("events")
    assert events["behavior"].tolist() == ["pv", "fav", "cart", "buy"]
    assert events["ts"].dt.day.tolist() == [8, 12, 12, 2]


def test_unknown_numeric_code_names_the_row(export_dir):
    (export_dir / "log.csv").write_text(
        BEHAVIOUR_LOGS[0] + "10001082,1,7,,1,2014-12-02 15\n", encoding="utf-8"
    )
    with pytest.raises(Exception, match=r"log\.csv: column 'behavior_type' \(behavior\), row 6"):
        ExportFolder(export_dir).load("events")


def _olist(d):
    """An order export split into tables joined by order id, as the Olist data comes."""
    (d / "olist_orders_dataset.csv").write_text(
        "order_id,customer_id,order_status,order_purchase_timestamp,order_approved_at,"
        "order_delivered_carrier_date,order_delivered_customer_date,order_estimated_delivery_date\n"
        "o1,k1,delivered,2017-10-02 10:56:33,2017-10-02 11:07:15,,,2017-10-18 00:00:00\n"
        "o2,k2,delivered,2018-01-24 20:41:37,2018-01-24 20:55:00,,,2018-02-13 00:00:00\n"
        "o3,k3,canceled,2018-02-01 09:00:00,,,,2018-02-20 00:00:00\n"
        "o4,k4,delivered,2018-03-01 09:00:00,2018-03-01 10:00:00,,,2018-03-20 00:00:00\n",
        encoding="utf-8",
    )
    (d / "olist_order_items_dataset.csv").write_text(
        "order_id,order_item_id,product_id,seller_id,shipping_limit_date,price,freight_value\n"
        "o1,1,p1,s1,2017-10-06 11:07:15,29.99,8.72\n"
        "o2,1,p2,s1,2018-01-30 20:55:00,100.00,10.00\n"
        "o2,2,p1,s1,2018-01-30 20:55:00,29.99,8.72\n"
        "o3,1,p1,s1,2018-02-05 09:00:00,29.99,8.72\n",
        encoding="utf-8",
    )
    (d / "olist_order_payments_dataset.csv").write_text(
        "order_id,payment_sequential,payment_type,payment_installments,payment_value\n"
        "o1,1,credit_card,1,18.12\no1,2,voucher,1,20.59\no2,1,boleto,1,148.71\n"
        "o3,1,credit_card,1,38.71\no4,1,credit_card,2,55.00\n",
        encoding="utf-8",
    )
    (d / "olist_customers_dataset.csv").write_text(
        "customer_id,customer_unique_id,customer_zip_code_prefix,customer_city,customer_state\n"
        "k1,PERSON-A,3149,sao paulo,SP\nk2,PERSON-A,3149,sao paulo,SP\n"
        "k3,PERSON-B,1151,sao paulo,SP\nk4,PERSON-C,8775,mogi das cruzes,SP\n",
        encoding="utf-8",
    )
    (d / "olist_products_dataset.csv").write_text(
        "product_id,product_category_name,product_name_lenght,product_weight_g\n"
        "p1,perfumaria,40,225\np2,cama_mesa_banho,44,1000\n",
        encoding="utf-8",
    )


def test_split_order_tables_are_joined_by_order_id(export_dir, capsys):
    _olist(export_dir)
    folder = ExportFolder(export_dir)
    assert sorted(f.kind for f in folder.files) == [
        "customer_map",
        "order_headers",
        "order_items",
        "order_payments",
        "products",
    ]
    orders = folder.load("orders")
    assert orders["amount"].dtype == "float64" and orders["unit_price"].dtype == "float64"
    purchases, drops = clean_orders(orders)
    by_person = purchases.groupby("customer_id")["amount"].agg(["size", "sum"])
    # the person is the customer: PERSON-A's two orders under two order-level ids
    assert by_person.loc["PERSON-A"].tolist() == [2, pytest.approx(38.71 + 148.71)]
    assert by_person.loc["PERSON-C", "sum"] == 55.0  # paid, though its lines are missing
    assert "PERSON-B" not in by_person.index and drops.refunded_or_cancelled == 1
    assert set(purchases["category"].dropna()) == {"perfumaria", "cama_mesa_banho"}
    assert main(["check", "--data", str(export_dir)]) == 0
    out = capsys.readouterr().out
    assert "orders" in out and "joined order_headers (4 orders)" in out
    assert "customer_map (4 of 4 orders to a person; 0 with an unknown person" in out
    assert "order_items (4 lines; 3 of 4 orders found them)" in out
    assert "order_payments (4 of 4 orders found their payments)" in out


def _few_persons(d, mapped: int, orders: int = 10):
    """Split tables where only ``mapped`` of ``orders`` orders have a customers-table row."""
    heads = ["order_id,customer_id,order_status,order_purchase_timestamp,order_approved_at"]
    pays = ["order_id,payment_sequential,payment_type,payment_installments,payment_value"]
    for i in range(orders):
        day = f"2018-0{1 + i % 9}-1{i % 10} 10:00:00"
        heads.append(f"o{i},k{i},delivered,{day},{day}")
        pays.append(f"o{i},1,credit_card,1,{10 + i}.00")
    persons = ["customer_id,customer_unique_id,customer_zip_code_prefix,customer_city"]
    persons += [f"k{i},PERSON-{i % 2},3149,sao paulo" for i in range(mapped)]
    (d / "orders.csv").write_text("\n".join(heads) + "\n", encoding="utf-8")
    (d / "payments.csv").write_text("\n".join(pays) + "\n", encoding="utf-8")
    (d / "customers.csv").write_text("\n".join(persons) + "\n", encoding="utf-8")


def test_an_order_no_customers_row_reaches_has_an_unknown_person(export_dir):
    _few_persons(export_dir, mapped=6)
    folder = ExportFolder(export_dir, cache=None)
    purchases, drops = clean_orders(folder.load("orders"))
    # 6 orders of two persons; the 4 unmapped orders are never 4 customers of their own
    assert sorted(purchases["customer_id"].unique()) == ["PERSON-0", "PERSON-1"]
    assert drops.unknown_person == 4 and drops.no_customer == 0
    assert drops.amounts["unknown_person"] == pytest.approx(16 + 17 + 18 + 19)
    assert folder.person_map["orders"] == (6, 10)


def test_few_orders_reaching_a_person_say_so_instead_of_computing(export_dir):
    from ecomops_helpers.customers.review import build_customer_review
    from ecomops_helpers.errors import MissingExportError

    _few_persons(export_dir, mapped=3)
    with pytest.raises(MissingExportError, match="3 of 10 orders"):
        build_customer_review(export_dir, lang="en")
    review = build_customer_review(export_dir, lang="en", thresholds=_share(0.2))
    assert review.base["customers"] == 2 and review.drops.unknown_person == 7


def _share(x):
    from ecomops_helpers.customers.review import CustomerThresholds

    return CustomerThresholds(min_person_share=x)


def test_zero_value_lines_are_decided_by_layout(export_dir):
    """A plain log's $0 line is a purchase; a platform export's is a gift: both are said."""
    log = export_dir / "log.txt"
    log.write_text(
        "00001 19970101 1 11.77\n00001 19970118 1 0.00\n00002 19970102 2 0.00\n"
        "00002 19970212 1 12.00\n00003 19970103 1 0.00\n",
        encoding="utf-8",
    )
    purchases, drops = clean_orders(ExportFolder(export_dir, cache=None).load("orders"))
    assert drops.zero_rule == "occasion" and drops.zero_kept == 3 and drops.zero_price == 0
    assert set(purchases["customer_id"]) == {"00001", "00002", "00003"}
    dropped, d2 = clean_orders(
        ExportFolder(export_dir, cache=None).load("orders"), zero_lines="drop"
    )
    assert d2.zero_price == 3 and set(dropped["customer_id"]) == {"00001", "00002"}
    log.unlink()
    (export_dir / "orders.csv").write_text(
        "订单编号,买家会员名,付款时间,实付金额,订单状态\n"
        "1001,a,2026-10-01 10:00:00,59.00,交易成功\n1002,b,2026-10-02 10:00:00,0.00,交易成功\n",
        encoding="utf-8",
    )
    purchases, drops = clean_orders(ExportFolder(export_dir, cache=None).load("orders"))
    assert (
        drops.zero_rule == "gift"
        and drops.zero_price == 1
        and list(purchases["customer_id"]) == ["a"]
    )


def test_the_money_left_out_is_stated_beside_the_lines(export_dir):
    from ecomops_helpers.customers.review import base_lines, build_customer_review

    (export_dir / "orders.csv").write_text(
        "订单编号,买家会员名,付款时间,实付金额,订单状态\n"
        "1001,a,2026-10-01 10:00:00,59.00,交易成功\n1002,b,2026-10-02 10:00:00,120.50,交易关闭\n"
        "1003,a,2026-10-05 10:00:00,30.00,交易成功\n",
        encoding="utf-8",
    )
    review = build_customer_review(export_dir, lang="en")
    text = " ".join(base_lines(review))
    assert "refunded or cancelled 1 (¥120.50)" in text, text


def test_how_split_tables_were_joined_is_said_in_the_reports_language(export_dir):
    from ecomops_helpers.customers.review import base_lines, build_customer_review

    _few_persons(export_dir, mapped=6)
    zh = " ".join(base_lines(build_customer_review(export_dir, lang="zh")))
    assert "客户表：6 / 10 个订单找到对应的人，4 个订单的人未知" in zh
    assert "order_headers" not in zh and "unknown person" not in zh
    en = " ".join(base_lines(build_customer_review(export_dir, lang="en")))
    assert "customers table: 6 of 10 orders reach a person" in en
