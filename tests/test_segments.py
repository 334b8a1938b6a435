import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomops_helpers.customers import clv, segments
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.page.i18n import Messages

REPORT = "2026-10-21"


def purchases(rows):
    df = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    df["date"] = pd.to_datetime(df["date"])
    df["paid_at"] = df["date"]
    df["order_id"] = [f"o{i}" for i in range(len(df))]
    return df


# ---------------------------------------------------------------- cleaning


def test_taobao_status_filtering():
    orders = pd.DataFrame(
        {
            "order_id": ["1", "2", "3", "4", "5", "6"],
            "customer_id": ["a", "b", "c", None, "d", "e"],
            "paid_at": pd.to_datetime(["2026-10-01"] * 6),
            "amount": [100.0, 50.0, 30.0, 20.0, 0.0, 80.0],
            "status": ["交易成功", "交易关闭", "等待买家付款", "交易成功", "交易成功", "部分退款"],
        }
    )
    p, report = segments.clean_orders(orders)
    assert p["customer_id"].tolist() == ["a", "e"]
    assert (
        report.refunded_or_cancelled,
        report.unpaid,
        report.no_customer,
        report.zero_price,
        report.kept,
    ) == (1, 1, 1, 1, 2)


SHOPIFY = """Name,Email,Financial Status,Paid at,Total,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Cancelled at
#1001,ann@example.com,paid,2026-10-01 10:00:00 +0800,59.00,1,Box,20.00,BX-1,
#1001,,,,,1,Hook,39.00,HK-2,
#1002,bob@example.com,refunded,2026-10-02 11:00:00 +0800,30.00,1,Box,30.00,BX-1,
#1003,ann@example.com,paid,2026-10-05 09:00:00 +0800,25.00,1,Bag,25.00,BG-3,2026-10-06 09:00:00 +0800
#1004,cy@example.com,pending,,12.00,1,Bag,12.00,BG-3,
#1005,ann@example.com,partially_refunded,2026-10-09 09:00:00 +0800,40.00,2,Hook,20.00,HK-2,
"""


def test_shopify_multi_line_orders(export_dir):
    (export_dir / "orders_export.csv").write_text(SHOPIFY, encoding="utf-8")
    orders = ExportFolder(export_dir).load("orders")
    # order-level fields written on the first line only are carried to the order's other lines
    assert orders.loc[1, "customer_id"] == "ann@example.com"
    p, report = segments.clean_orders(orders)
    assert p["order_id"].tolist() == ["#1001", "#1005"]
    assert p["amount"].tolist() == [59.0, 40.0]  # order Total once, not per line
    assert report.refunded_or_cancelled == 2 and report.unpaid == 1


ONLINE_RETAIL = """InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850.0,United Kingdom
536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850.0,United Kingdom
C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527.0,United Kingdom
C536383,35004C,SET OF 3 COLOURED FLYING DUCKS,-1,12/1/2010 9:49,4.65,15311.0,United Kingdom
536414,22139,,56,12/1/2010 11:52,0,,United Kingdom
536370,POST,POSTAGE,3,12/1/2010 8:45,18,12583.0,France
536370,22728,ALARM CLOCK BAKELIKE PINK,24,12/1/2010 8:45,3.75,12583.0,France
536381,22719,GIFT,1,12/1/2010 9:41,0,15311.0,United Kingdom
"""


def test_online_retail_cancellations_adjustments_and_zero_prices(export_dir):
    (export_dir / "Online Retail.csv").write_text(ONLINE_RETAIL, encoding="utf-8")
    orders = ExportFolder(export_dir).load("orders")
    assert orders["customer_id"].iloc[0] == "17850"  # CustomerID written as a float
    p, report = segments.clean_orders(orders)
    assert report.refunded_or_cancelled == 2  # C… invoices with negative quantities
    assert report.no_customer == 1 and report.adjustments == 1 and report.zero_price == 1
    amounts = p.set_index("order_id")["amount"]
    assert amounts["536365"] == pytest.approx(6 * 2.55 + 6 * 3.39)
    assert amounts["536370"] == pytest.approx(24 * 3.75)  # postage left out


# ---------------------------------------------------------------- RFM


def test_quintiles_share_scores_on_ties_and_handle_small_shops():
    # ties share the middle of their group: three equals at the bottom score 2, not 1
    assert segments._quintile(pd.Series([1, 1, 1, 2, 5])).tolist() == [2, 2, 2, 4, 5]
    assert segments._quintile(pd.Series([4, 4, 4, 4])).tolist() == [3, 3, 3, 3]
    assert segments._quintile(pd.Series([7.0])).tolist() == [1]
    assert segments._quintile(pd.Series(range(10))).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert segments._quintile(pd.Series([3, 1, 2]), higher_is_better=False).tolist() == [1, 5, 3]


@st.composite
def order_sets(draw):
    """Any small shop's purchases: customers with 1–6 purchases over a year, any amounts."""
    rows = []
    for c in range(draw(st.integers(1, 25))):
        for _ in range(draw(st.integers(1, 6))):
            days = draw(st.integers(0, 365))
            amount = draw(st.sampled_from([0.5, 9.9, 10.0, 25.0, 199.0, 1200.0]))
            rows.append((f"c{c}", pd.Timestamp(REPORT) - pd.Timedelta(days=days), amount))
    return purchases(rows)


@settings(max_examples=60, deadline=None)
@given(order_sets(), st.integers(1, 60))
def test_rfm_scores_are_monotone_in_recency_frequency_and_spend(p, step):
    rfm = segments.rfm_scores(clv.rfm_summary(p, REPORT), REPORT, recency_step_days=step)
    for value, score, better in (
        ("recency_days", "r", -1),
        ("purchases", "f", 1),
        ("spend", "m", 1),
    ):
        order = rfm.sort_values(value, ascending=better > 0)  # worst first
        # a customer never scores below one whose value is worse; equals score the same
        assert order[score].is_monotonic_increasing, order[[value, score]]
        assert (rfm.groupby(value)[score].nunique() == 1).all()


@pytest.mark.parametrize(
    "r,f,segment",
    [
        (5, 5, "champions"),
        (5, 1, "new"),
        (4, 1, "promising"),
        (3, 3, "need_attention"),
        (3, 1, "about_to_sleep"),
        (1, 5, "cant_lose"),
        (2, 4, "at_risk"),
        (1, 1, "lost"),
        (2, 2, "hibernating"),
        (4, 4, "loyal"),
        (5, 2, "potential_loyalist"),
    ],
)
def test_segment_map(r, f, segment):
    assert segments.RFM_SEGMENTS[r - 1][f - 1] == segment
    assert Messages("zh").has(f"terms.{segment}")


def test_rfm_scores_and_table():
    rows = []
    for i in range(10):  # customer i buys i+1 times, the last time i days before the report
        for k in range(i + 1):
            rows.append((f"c{i}", pd.Timestamp(REPORT) - pd.Timedelta(days=i + 3 * k), 10.0))
    p = purchases(rows)
    s = clv.rfm_summary(p, REPORT)
    rfm = segments.rfm_scores(s, REPORT)
    assert rfm.loc["c0", "recency_days"] == 0 and rfm.loc["c0", "r"] == 5
    assert rfm.loc["c9", "purchases"] == 10 and rfm.loc["c9", "f"] == 5
    # everybody bought within 10 days: nobody is "can't lose"; ten purchases make a champion
    assert rfm.loc["c0", "segment"] == "new" and rfm.loc["c9", "segment"] == "champions"
    assert rfm["r"].min() == 5
    t = segments.segment_table(rfm)
    assert t["customers"].sum() == 10 and t["revenue_share"].sum() == pytest.approx(1)


# ---------------------------------------------------------------- lists


def test_high_value_at_risk_uses_each_customers_own_gap():
    rows = [("regular", f"2026-0{m}-01", 500.0) for m in range(1, 8)]  # monthly, stopped July
    rows += [("slow", "2026-01-01", 500.0), ("slow", "2026-07-01", 500.0)]  # 181-day gap
    rows += [("small", f"2026-0{m}-01", 5.0) for m in range(1, 8)]
    rows += [(f"x{i}", "2026-10-01", 1.0) for i in range(5)]
    rows += [(f"mid{i}", "2026-10-01", 100.0) for i in range(10)]
    p = purchases(rows)
    s = clv.rfm_summary(p, REPORT)
    rfm = segments.rfm_scores(s, REPORT)
    risk = segments.at_risk_high_value(s, rfm, REPORT)
    assert risk.index.tolist() == ["regular"]  # 112 days > 1.5 × 30-day gap
    assert risk.loc["regular", "usual_gap_days"] == pytest.approx(181 / 6)


def test_second_purchase_window():
    rows = [(f"r{i}", "2026-01-01", 10.0) for i in range(4)]
    rows += [
        (f"r{i}", d, 10.0)
        for i, d in enumerate(["2026-01-11", "2026-01-21", "2026-01-31", "2026-02-10"])
    ]  # 10–40 days
    rows += [
        ("new5", "2026-10-16", 10.0),
        ("new20", "2026-10-01", 10.0),
        ("old", "2026-06-01", 10.0),
    ]
    p = purchases(rows)
    s = clv.rfm_summary(p, REPORT)
    gaps = segments.days_to_second_purchase(p)
    listed, (lo, hi) = segments.second_purchase_window(s, gaps, REPORT)
    assert (lo, hi) == (17, 33)  # quartiles of 10, 20, 30, 40
    assert listed.index.tolist() == ["new20"]


def events(rows):
    df = pd.DataFrame(rows, columns=["user_id", "item_id", "behavior", "ts"])
    df["ts"] = pd.to_datetime(df["ts"])
    df["category_id"] = "c1"
    return df


def test_cart_abandoners():
    e = events(
        [
            ("u1", "i1", "cart", "2026-10-20 10:00"),  # carted, never bought
            ("u2", "i1", "cart", "2026-10-20 10:00"),
            ("u2", "i1", "buy", "2026-10-20 12:00"),
            ("u3", "i2", "buy", "2026-10-10 10:00"),
            ("u3", "i2", "cart", "2026-10-21 09:00"),
            ("u4", "i1", "cart", "2026-10-01 10:00"),  # too long ago
        ]
    )
    listed = segments.cart_abandoners(e, REPORT, days=3)
    assert listed.index.tolist() == ["u3", "u1"]


def test_coupon_claimed_unused():
    e = events(
        [
            ("u1", None, "coupon", "2026-10-15"),
            ("u2", None, "coupon", "2026-10-15"),
            ("u3", None, "coupon", "2026-09-01"),
        ]
    )
    p = purchases([("u2", "2026-10-16", 30.0), ("u1", "2026-10-17", 30.0)])
    p["coupon_id"] = ["C10", None]
    assert segments.coupon_unused(e, p, REPORT).index.tolist() == ["u1"]


def test_activity_levels():
    p = purchases([("buyer", "2026-10-20", 1.0), ("gone", "2026-08-01", 1.0)])
    e = events(
        [("fan", "i", "pv", f"2026-10-{d:02d}") for d in range(5, 20)]
        + [("gone", "i", "pv", "2026-09-01")]
    )
    a = segments.activity(p, e, REPORT)
    assert a.loc["buyer", "activity"] == "low_frequency"
    assert a.loc["fan", "activity"] == "high_frequency" and a.loc["fan", "active_days"] == 15
    assert a.loc["gone", "activity"] == "churned" and a.loc["gone", "days_inactive"] == 50


# ---------------------------------------------------------------- base, cohorts, magic number


def test_buyer_types_and_cohorts():
    p = purchases(
        [
            ("a", "2026-01-05", 10.0),
            ("a", "2026-02-05", 20.0),
            ("b", "2026-01-09", 5.0),
            ("c", "2026-02-01", 8.0),
        ]
    )
    m = segments.buyer_types_by_month(p)
    assert m.loc[pd.Period("2026-01"), ["buyers", "new", "one_time"]].tolist() == [2, 2, 1]
    assert m.loc[pd.Period("2026-02"), ["buyers", "new", "returning"]].tolist() == [2, 1, 1]
    retention, revenue = segments.cohort_tables(p)
    assert retention.loc["2026-01", 0] == 1.0 and retention.loc["2026-01", 1] == 0.5
    assert revenue.loc["2026-01", 1] == pytest.approx(10.0)


def test_magic_number_finds_the_planted_rule():
    rows = []
    start = pd.Timestamp("2026-01-01")
    for i in range(60):  # 3 purchases in the first week → still buying after 90 days
        d = start + pd.Timedelta(days=i % 20)
        rows += [(f"m{i}", d + pd.Timedelta(days=k), 10.0) for k in (0, 2, 4)]
        rows.append((f"m{i}", d + pd.Timedelta(days=120), 10.0))
    for i in range(60):  # one purchase and gone, except every 10th
        d = start + pd.Timedelta(days=i % 20)
        rows.append((f"o{i}", d, 10.0))
        if i % 10 == 0:
            rows.append((f"o{i}", d + pd.Timedelta(days=100), 10.0))
    best = segments.magic_number(purchases(rows), REPORT).iloc[0]
    assert best["purchases"] == 2 or best["purchases"] == 3
    assert best["retention"] == 1.0 and best["retention_others"] == pytest.approx(0.1)
    assert best["lift"] == pytest.approx(10.0)


def test_funnel_counts_and_drop_off():
    e = events(
        [
            ("u1", "i1", "pv", "2026-10-20"),
            ("u1", "i1", "cart", "2026-10-20"),
            ("u1", "i1", "buy", "2026-10-20"),
            ("u2", "i1", "pv", "2026-10-20"),
            ("u3", "i2", "fav", "2026-10-19"),
            ("u4", None, "coupon", "2026-10-19"),
        ]
    )
    table, stage = segments.funnel(e, REPORT)
    assert table.loc["all", ["browse", "detail", "fav_cart", "buy"]].tolist() == [4, 3, 2, 1]
    assert table.loc["all", "detail→fav_cart"] == pytest.approx(2 / 3)
    assert stage.to_dict() == {"u1": "buy", "u2": "detail", "u3": "fav_cart", "u4": "browse"}


def test_mask_never_shows_a_whole_id_or_email():
    assert segments.mask_id("tb1234563").startswith("t**3·")
    assert segments.mask_id("ann@example.com").startswith("a**n·")
    assert "example" not in segments.mask_id("ann@example.com")
    assert segments.mask_id("7").startswith("7**·")
    assert segments.mask_id("tb1234563") == segments.mask_id("tb1234563")  # stable


def test_masked_ids_that_share_their_ends_stay_distinguishable(tmp_path, monkeypatch):
    key = tmp_path / "mask.key"
    key.write_text("cd" * 32, encoding="ascii")  # a fixed secret: a fixed outcome
    monkeypatch.setenv("ECOMOPS_SECRET_FILE", str(key))
    ids = [f"t{n:07d}5" for n in range(300)]  # one first and one last character for all
    masks = [segments.mask_id(i) for i in ids]
    # four hex characters: about 0.7 clashing pairs are expected among 300 IDs
    assert len(set(masks)) >= 297
    assert not any(i in m for i, m in zip(ids, masks))


def test_negative_lines_without_a_customer_are_stock_adjustments(export_dir):
    (export_dir / "Online Retail.csv").write_text(
        ONLINE_RETAIL + "536589,21777,damaged,-10,12/1/2010 16:50,0,,United Kingdom\n",
        encoding="utf-8",
    )
    _, report = segments.clean_orders(ExportFolder(export_dir).load("orders"))
    assert report.refunded_or_cancelled == 2 and report.adjustments == 2


def test_plain_transaction_log_and_events_with_a_header(export_dir):
    (export_dir / "tx.csv").write_text(
        "customer_id,date,amount\nA1,2026-10-01,12.5\nA1,2026-10-05,7\nB2,2026-10-02,30\n",
        encoding="utf-8",
    )
    (export_dir / "behaviour.csv").write_text(
        "user_id,item_id,category_id,behavior_type,timestamp\n"
        "A1,9,3,cart,1791849600\nB2,9,3,pv,1791849700\n",
        encoding="utf-8",
    )
    folder = ExportFolder(export_dir)
    p, report = segments.clean_orders(folder.load("orders"))
    assert report.kept == 3 and p.groupby("customer_id")["amount"].sum().to_dict() == {
        "A1": 19.5,
        "B2": 30.0,
    }
    e = folder.load("events")
    assert e["behavior"].tolist() == ["cart", "pv"]
    # unix seconds become the shop's wall-clock time (Asia/Shanghai)
    assert e["ts"].iloc[0] == pd.Timestamp("2026-10-13 08:00:00")
