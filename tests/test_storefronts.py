"""Shopify, Amazon and GA4 exports, headers as the platforms write them, into the daily review.

Headers are copied from real exports found in public code (see ``exports/catalogue/storefronts.py``
and ``shop.py``); each figure the review shows is checked against a sum made from the raw cells.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.daily.review import build_daily_review
from ecomops_helpers.errors import ExportConflictError
from ecomops_helpers.exports.folder import ExportFolder, near_miss_error
from ecomops_helpers.storefront_sample import (
    PLANTED_BUY_BOX_DAYS,
    PLANTED_BUY_BOX_ITEM,
    PLANTED_STOCK_TITLE,
    write_storefront_shop,
)

BY_DATE = (
    "Date,Ordered Product Sales,Ordered Product Sales - B2B,Units Ordered,Units Ordered - B2B,"
    "Total Order Items,Total Order Items - B2B,Average Sales per Order Item,"
    "Average Sales per Order Item - B2B,Average Units per Order Item,"
    "Average Units per Order Item - B2B,Average Selling Price,Average Selling Price - B2B,"
    "Sessions - Total,Sessions - Total - B2B,Order Item Session Percentage,"
    "Order Item Session Percentage - B2B,Average Offer Count"
)
CHILD_OLD = (
    '"(Parent) ASIN","(Child) ASIN","Title","SKU","Sessions","Session Percentage","Page Views",'
    '"Page Views Percentage","Buy Box Percentage","Units Ordered","Unit Session Percentage",'
    '"Ordered Product Sales","Total Order Items"'
)
CHILD_UK = (  # Amazon UK/CA: en dashes and sentence case
    "(Parent) ASIN,(Child) ASIN,Title,Sessions – Total,Sessions – Total – B2B,"
    "Page views – Total,Featured Offer (Buy Box) percentage,Units ordered,Units ordered – B2B,"
    "Unit session percentage,Ordered product sales,Ordered product sales – B2B,Total order items"
)
SALES = (
    "Day,Orders,Gross sales,Discounts,Returns,Net sales,Shipping charges,Duties,"
    "Additional fees,Taxes,Total sales"
)


def _by_date_row(day: str, sales: str, units: int, items: int, sessions: str) -> str:
    sym = sales.strip("0123456789,. ")  # the B2B and average cells carry the shop's own mark
    zero, one = (
        (f"0,00 {sym}", f"1,00 {sym}") if sales.endswith("€") else (f"{sym}0.00", f"{sym}1.00")
    )
    return (
        f'{day},"{sales}","{zero}",{units},0,{items},0,"{one}","{zero}",1.0,0,"{one}","{zero}",'
        f'"{sessions}",0,1%,0%,1'
    )


def test_amazon_by_date_us_reads_dollars_and_month_first_dates(tmp_path):
    rows = [
        _by_date_row("7/1/26", "$1,234.56", 50, 48, "1,514"),
        _by_date_row("7/15/26", "$12,905.25", 683, 668, "12,131"),
    ]
    (tmp_path / "BusinessReport-7-16-26.csv").write_text(BY_DATE + "\n" + "\n".join(rows) + "\n")
    folder = ExportFolder(tmp_path)
    shop = folder.load("shop_daily")
    assert list(shop["date"]) == [pd.Timestamp("2026-07-01"), pd.Timestamp("2026-07-15")]
    assert shop["gmv"].tolist() == [1234.56, 12905.25]
    assert shop["visitors"].tolist() == [1514, 12131]
    assert shop["units"].tolist() == [50, 683] and shop["orders"].tolist() == [48, 668]
    assert shop["gmv_b2b"].tolist() == [0.0, 0.0]  # the B2B twin is never the total
    assert folder.currency(["shop_daily"]) == ("USD", "exports")


def test_amazon_in_reads_day_first_dates_and_lakh_grouping(tmp_path):
    rows = [
        _by_date_row("01/04/26", "₹1,08,218.36", 40, 39, "900"),
        _by_date_row("15/04/26", "₹75,565.26", 30, 30, "800"),
    ]
    (tmp_path / "BusinessReport-16-04-26.csv").write_text(BY_DATE + "\n" + "\n".join(rows) + "\n")
    folder = ExportFolder(tmp_path)
    shop = folder.load("shop_daily")
    assert list(shop["date"]) == [pd.Timestamp("2026-04-01"), pd.Timestamp("2026-04-15")]
    assert shop["gmv"].tolist() == [108218.36, 75565.26]
    assert folder.currency(["shop_daily"])[0] == "INR"


def test_amazon_eu_decimal_comma_euros(tmp_path):
    rows = [_by_date_row("2026-04-01", "1.234,56 €", 40, 39, "900")]
    (tmp_path / "BusinessReport.csv").write_text(BY_DATE + "\n" + "\n".join(rows) + "\n")
    folder = ExportFolder(tmp_path)
    assert folder.load("shop_daily")["gmv"].tolist() == [1234.56]
    assert folder.currency(["shop_daily"])[0] == "EUR"


@pytest.mark.parametrize(
    "header,row",
    [
        (CHILD_OLD, 'B0P,B0C1,"Bin, Clear",S-1,"1,200",10%,1500,9%,97.5%,60,5%,"$1,530.00",58'),
        (CHILD_UK, 'B0P,B0C1,"Bin, Clear","1,200",12,1500,97.5%,60,2,5%,"£1,530.00",£50.00,58'),
    ],
    ids=["old names", "uk en dashes"],
)
def test_child_item_report_is_items_daily_dated_by_its_name(tmp_path, header, row):
    (tmp_path / "ChildItem_2026-10-21.csv").write_text("\ufeff" + header + "\n" + row + "\n")
    items = ExportFolder(tmp_path).load("items_daily")
    got = items.iloc[0]
    assert got["item_id"] == "B0C1" and got["parent_id"] == "B0P"
    assert got["date"] == pd.Timestamp("2026-10-21")
    assert (got["visitors"], got["units"], got["orders"]) == (1200, 60, 58)
    assert got["gmv"] == 1530.0 and got["buy_box"] == pytest.approx(0.975)


def test_a_child_item_report_without_a_date_names_how_to_date_it(tmp_path):
    (tmp_path / "BusinessReport-10-22-26.csv").write_text(
        CHILD_OLD + "\nB0P,B0C1,T,S,1,1%,1,1%,1%,1,1%,$1.00,1\n"
    )
    rows, why = ExportFolder(tmp_path).load_optional("items_daily")
    assert rows is None
    assert "BusinessReport-10-22-26.csv" in why and "ChildItem_2026-10-21.csv" in why


def _shopify(tmp_path: Path, days: int = 3) -> dict[str, pd.Timestamp]:
    dates = pd.date_range("2026-10-19", periods=days)
    rows = [
        f"{d:%Y-%m-%d},{10 + i},{1000 + i:.2f},-50.00,-10.00,{940 + i:.2f},30.00,0,0,20.00,{990 + i:.2f}"
        for i, d in enumerate(dates)
    ]
    (tmp_path / "Total sales over time - 2026-10-19_2026-10-21.csv").write_text(
        SALES + "\n" + "\n".join(rows[:-1]) + "\n"  # the last day only by hour
    )
    hours = [f"2026-10-21 {h:02d}:00:00,1,10.00,0,0,10.00,0,0,0,0,10.00" for h in range(12)]
    (tmp_path / "Total sales over time by hour - 2026-10-21.csv").write_text(
        SALES.replace("Day", "Hour") + "\n" + "\n".join(hours) + "\n"
    )
    (tmp_path / "Sessions over time.csv").write_text(
        "Day,Online store visitors,Sessions\n"
        + "\n".join(f"{d:%Y-%m-%d},{300 + i},{400 + i}" for i, d in enumerate(dates))
    )
    (tmp_path / "Online store conversion over time.csv").write_text(
        "Day,Sessions,Sessions with cart additions,Sessions that reached checkout,"
        "Sessions that completed checkout,Conversion rate\n"
        + "\n".join(f"{d:%Y-%m-%d},{400 + i},40,20,{10 + i},0.025" for i, d in enumerate(dates))
    )
    return dict(zip(("first", "mid", "last"), dates))


def test_shopify_reports_join_into_the_shop_day(tmp_path):
    _shopify(tmp_path)
    folder = ExportFolder(tmp_path)
    shop = folder.load("shop_daily").set_index("date")
    assert shop.loc["2026-10-19", "gmv"] == 990.0 and shop.loc["2026-10-19", "orders"] == 10
    assert shop.loc["2026-10-21", "gmv"] == 120.0 and shop.loc["2026-10-21", "orders"] == 12
    assert shop["visitors"].tolist() == [400, 401, 402]  # sessions, not online store visitors
    assert shop.loc["2026-10-20", "converted_sessions"] == 11
    assert shop.loc["2026-10-19", "refund_amount"] == 10.0  # Returns are written negative
    assert "Shopify" in folder.joins["shop_daily"]


def test_hours_that_do_not_add_up_to_their_day_are_named(tmp_path):
    _shopify(tmp_path)
    day = "2026-10-21,12,130.00,0,0,130.00,0,0,0,0,130.00"
    (tmp_path / "Total sales over time - last day.csv").write_text(SALES + "\n" + day + "\n")
    with pytest.raises(ExportConflictError) as err:
        ExportFolder(tmp_path).load("shop_daily")
    assert "by hour - 2026-10-21.csv" in str(err.value) and "130.00" in str(err.value)


def test_sales_reversals_is_the_newer_name_of_returns(tmp_path):
    header = SALES.replace("Returns", "Sales reversals")
    (tmp_path / "sales.csv").write_text(header + "\n2026-10-21,2,100,-5,-7,88,0,0,0,0,88\n")
    shop = ExportFolder(tmp_path).load("shop_daily")
    assert shop["refund_amount"].tolist() == [7.0]


def test_a_by_month_report_alone_asks_for_the_days(tmp_path):
    header = SALES.replace("Day", "Month")
    (tmp_path / "month.csv").write_text(header + "\n2026-09-01,2,100,-5,-7,88,0,0,0,0,88\n")
    with pytest.raises(Exception, match="by Day"):
        ExportFolder(tmp_path).load("shop_daily")


def test_ga4_traffic_acquisition_with_its_comment_lines(tmp_path):
    text = (
        "# ----------------------------------------\n"
        "# Traffic acquisition: Session primary channel group (Default Channel Group)\n"
        "# Account: Shop\n# Property: Shop - GA4\n# ----------------------------------------\n"
        "# \n# All Users\n# Start date: 20261020\n# End date: 20261021\n\n"
        "Session primary channel group (Default Channel Group),Date,Sessions,Engaged sessions,"
        "Engagement rate,Key events,Total revenue\n"
        "Organic Search,20261020,482,323,0.670124481,3,150.5\n"
        "Direct,20261020,243,128,0.526748971,1,20\n"
        "Organic Search,20261021,500,300,0.6,2,100\n"
    )
    (tmp_path / "data-export.csv").write_text(text)
    src = ExportFolder(tmp_path).load("traffic_sources")
    assert src.groupby("date")["visitors"].sum().tolist() == [725, 500]
    assert src["gmv"].sum() == pytest.approx(270.5)
    assert set(src["source"]) == {"Organic Search", "Direct"}


def test_ga4_without_its_date_dimension_over_several_days_is_left_out(tmp_path):
    text = (
        "# ----\n# Report CSV Export\n# Start date: 20261001\n# End date: 20261021\n\n"
        "Session default channel group,Sessions,Engaged sessions,Total revenue\n"
        "Organic Search,482,323,150\n"
    )
    (tmp_path / "data-export.csv").write_text(text)
    folder = ExportFolder(tmp_path)
    _, why = folder.load_optional("traffic_sources")
    assert "Date dimension" in why and "data-export.csv" in why


def test_a_by_date_report_without_sessions_names_the_column(tmp_path):
    header = BY_DATE.replace(",Sessions - Total,Sessions - Total - B2B", "")
    row = '7/1/26,"$1,234.56",$0.00,50,0,48,0,$1.00,$0.00,1.0,0,$1.00,$0.00,1%,0%,1'
    (tmp_path / "BusinessReport-7-2-26.csv").write_text(header + "\n" + row + "\n")
    folder = ExportFolder(tmp_path)
    info = folder.files[0]
    assert info.kind is None and info.near_kind == "shop_daily"
    msg = str(near_miss_error(info))
    assert "visitors" in msg and "sessions - total" in msg.lower() and "Amazon" in msg


ORDER_HEADER = (  # the leading columns of Shopify's orders_export.csv, as it writes them
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Cancelled at,Refunded Amount"
).split(",")


def _order_line(name, quantity, title, price, sku, head=None) -> list[str]:
    """A line of the export; ``head`` (email, status, paid at, total) only on an order's first."""
    email, status, paid, total = head or ("", "", "", "")
    order = [status, paid, "", "", "no" if head else "", "USD" if head else ""]
    money = [total, "0", "0", total] if head else ["", "", "", ""]
    refunded = total if status == "refunded" else ""
    discount = ["", "0" if head else "", ""]
    return [
        name,
        email,
        *order,
        *money,
        *discount,
        paid,
        quantity,
        title,
        price,
        "",
        sku,
        "",
        refunded,
    ]


def _orders_export(tmp_path: Path) -> pd.DataFrame:
    lines = [
        _order_line(
            "#1001", "1", "Bin", "10", "B-1", ("a@x.com", "paid", "2026-10-20 10:00:00 -0400", "37")
        ),
        _order_line("#1001", "2", "Box", "13.5", "X-2"),
        _order_line(
            "#1002", "1", "Bin", "11", "B-1", ("b@x.com", "paid", "2026-10-21 11:00:00 -0400", "11")
        ),
        _order_line(
            "#1003",
            "1",
            "Bin",
            "11",
            "B-1",
            ("c@x.com", "refunded", "2026-10-21 12:00:00 -0400", "11"),
        ),
    ]
    with open(tmp_path / "orders_export.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ORDER_HEADER)
        writer.writerows(lines)
    return pd.DataFrame(lines, columns=ORDER_HEADER)


def test_the_orders_export_alone_gives_the_shop_day_without_visitors(tmp_path):
    raw = _orders_export(tmp_path)
    folder = ExportFolder(tmp_path)
    shop = folder.load("shop_daily").set_index("date")
    paid = raw[raw["Financial Status"] == "paid"]  # refunded #1003 is no sale
    by_day = paid.groupby(paid["Paid at"].str[:10])["Total"].apply(lambda s: s.astype(float).sum())
    assert shop["gmv"].tolist() == by_day.tolist() == [37.0, 11.0]
    assert shop["orders"].tolist() == [1, 1]
    assert "visitors" not in shop
    items = folder.load("items_daily")
    assert set(items["item_id"]) == {"B-1", "X-2"} and items["visitors"].isna().all()
    review = build_daily_review(folder, lang="en")
    assert review.currency == "USD"
    assert "Sessions over time" in review.missing["bridge"]
    assert review.bridge["visitors_effect"].isna().all()
    assert review.bridge["change"].tolist() == [round(11.0 - 37.0, 2)]


@pytest.fixture(scope="module")
def amazon(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("amazon")
    write_storefront_shop(out, "amazon", days=120)
    return out


@pytest.fixture(scope="module")
def shopify(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("shopify")
    write_storefront_shop(out, "shopify", days=120)
    return out


def _raw_child(folder: Path, day: pd.Timestamp) -> pd.DataFrame:
    raw = pd.read_csv(folder / f"BusinessReport-ChildItem-{day:%Y-%m-%d}.csv", encoding="utf-8-sig")
    money = raw["Ordered Product Sales"].str.replace(r"[$,]", "", regex=True).astype(float)
    return raw.assign(sales=money)


def test_the_amazon_review_against_its_raw_cells(amazon):
    review = build_daily_review(amazon, lang="en")
    when = review.report_date
    raw = pd.read_csv(next(amazon.glob("BusinessReport-[0-9]*.csv")), thousands=",")
    day = raw[pd.to_datetime(raw["Date"], format="%m/%d/%y") == when].iloc[0]
    today = review.bridge.iloc[0]
    assert today["gmv"] == pytest.approx(
        float(day["Ordered Product Sales"].strip("$").replace(",", ""))
    )
    assert today["visitors"] == day["Sessions - Total"]
    assert today["conversion"] == pytest.approx(day["Units Ordered"] / day["Sessions - Total"])
    for row in review.bridge.itertuples():  # the levers add up to the change, to the cent
        assert row.visitors_effect + row.conversion_effect + row.aov_effect == pytest.approx(
            row.change, abs=0.011
        )
    child = _raw_child(amazon, when).set_index("(Child) ASIN")
    heroes = review.heroes.set_index("item_id")
    for asin, hero in heroes.iterrows():
        assert hero["gmv"] == pytest.approx(child.loc[asin, "sales"])
    lost = heroes.loc[PLANTED_BUY_BOX_ITEM]
    assert lost["buy_box_days"] == PLANTED_BUY_BOX_DAYS
    said = {f.what: f.rule for f in review.findings}
    lost_text = next(r for w, r in said.items() if "Buy Box lost" in w)
    assert f"for {PLANTED_BUY_BOX_DAYS} days" in lost_text
    assert any("conversion collapsed" in w for w in said)
    assert f"Hero item {PLANTED_STOCK_TITLE}: stock runs short" in said
    assert review.currency == "USD" and review.shop.attrs["basis"] == "units"
    assert review.health_scores.tier is None  # Amazon ranks no shops in 店铺层级
    assert review.left_out == {
        "peers",
        "health",
        "item_sources",
        "item_pages",
        "shop_scores",
        "campaigns",
    }


def test_no_yuan_sign_on_a_dollar_shop(amazon, shopify):
    for folder in (amazon, shopify):
        for lang in ("zh", "en"):
            review = build_daily_review(folder, lang=lang)
            texts = " ".join(f"{f.what} {f.rule} {f.action}" for f in review.findings)
            assert review.currency == "USD" and "¥" not in texts and "$" in texts


def test_the_shopify_review_against_its_raw_cells(shopify):
    review = build_daily_review(shopify, lang="en")
    when = review.report_date
    sales = pd.read_csv(next(shopify.glob("Total sales over time - *.csv")), parse_dates=["Day"])
    month = sales[(sales["Day"] >= when.replace(day=1)) & (sales["Day"] <= when)]
    assert review.pacing.mtd_actual == pytest.approx(month["Total sales"].sum())
    sessions = pd.read_csv(shopify / "Sessions over time.csv", parse_dates=["Day"]).set_index("Day")
    today = review.bridge.iloc[0]
    assert today["visitors"] == sessions.loc[when, "Sessions"]
    orders = sales.set_index("Day").loc[when, "Orders"]
    assert today["aov"] == pytest.approx(sales.set_index("Day").loc[when, "Total sales"] / orders)
    assert review.shop.attrs["basis"] == "orders"
    ga4 = review.sources
    assert ga4 is not None and set(ga4["source"]) >= {"Organic Search", "Direct"}
    funnel = pd.read_csv(shopify / "Online store conversion over time.csv", parse_dates=["Day"])
    day = funnel.set_index("Day").loc[when]
    step = review.funnel.set_index("step").loc["checkout_rate"]
    carts = day["Sessions with cart additions"]
    assert step["rate"] == pytest.approx(day["Sessions that reached checkout"] / carts)
    assert any("Checkout funnel weakened: reached checkout" in f.what for f in review.findings)
    assert "matrix" in review.missing and "hero_conversion" in review.missing  # no item sessions


def test_an_unnamed_currency_on_english_headers_is_no_yuan(tmp_path):
    _shopify(tmp_path)
    review = build_daily_review(tmp_path, lang="en")
    assert review.currency == "XXX" and "--currency" in review.assumed[0]
    texts = " ".join(f"{f.what} {f.rule} {f.action}" for f in review.findings)
    assert "¥" not in texts
    assert np.isfinite(review.bridge["gmv"]).all()


def test_a_second_morning_into_the_same_folder(amazon, capsys):
    from ecomops_helpers.run.cli import main

    args = ["run", "--data", str(amazon), "--out", str(amazon / "reports")]
    args += ["--notebooks", "daily_review", "--lang", "en"]
    assert main(args) == 0, capsys.readouterr()  # the first morning, in this process
    cmd = [str(Path(sys.executable).parent / "ecomops"), *args]  # the second, as cron starts it
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    page = next((amazon / "reports").glob("*/daily_review.html")).read_text(encoding="utf-8")
    assert "Buy Box" in page and "¥" not in page
    assert "left out" not in done.stdout


@pytest.mark.parametrize("shop", ["amazon", "shopify"])
def test_the_history_store_gives_the_review_the_folder_gives(request, tmp_path, shop):
    from ecomops_helpers.run.cli import main

    folder = request.getfixturevalue(shop)
    assert main(["ingest", "--data", str(folder), "--store", str(tmp_path / "store")]) == 0
    direct = build_daily_review(folder, lang="en")
    stored = build_daily_review(tmp_path / "store", lang="en")
    assert stored.bridge.equals(direct.bridge) and stored.currency == direct.currency == "USD"
    assert [f.rule for f in stored.findings] == [f.rule for f in direct.findings]
    assert stored.left_out == direct.left_out != set()


def test_conversion_counts_buyers_else_units_else_orders():
    from ecomops_helpers.daily.metrics import with_conversion_count

    day = {"date": [pd.Timestamp("2026-10-21")], "visitors": [100], "gmv": [50.0]}
    amazon = with_conversion_count(pd.DataFrame(day | {"units": [7], "orders": [5]}))
    assert amazon.attrs["basis"] == "units" and amazon["paying_buyers"].tolist() == [7]
    shopify = with_conversion_count(pd.DataFrame(day | {"orders": [5]}))
    assert shopify.attrs["basis"] == "orders" and shopify["paying_buyers"].tolist() == [5]
    taobao = with_conversion_count(pd.DataFrame(day | {"paying_buyers": [4], "units": [9]}))
    assert taobao.attrs["basis"] == "paying_buyers" and taobao["paying_buyers"].tolist() == [4]
    sales_only = with_conversion_count(
        pd.DataFrame({"date": day["date"], "gmv": [1.0], "orders": [1]})
    )
    assert sales_only["visitors"].isna().all()


def test_stock_comes_from_the_latest_snapshot_not_older_than_allowed():
    from ecomops_helpers.daily.metrics import stock_from_inventory

    days = pd.date_range("2026-10-01", "2026-10-21")
    items = pd.DataFrame({"date": days, "item_id": "B0A", "gmv": 1.0})
    inventory = pd.DataFrame(
        {"date": pd.to_datetime(["2026-10-02", "2026-10-18"]), "item_id": "B0A", "stock": [90, 40]}
    )
    stock = stock_from_inventory(items, inventory, max_age_days=7).set_index("date")["stock"]
    assert np.isnan(stock["2026-10-01"])  # before the first snapshot
    assert stock["2026-10-09"] == 90 and np.isnan(stock["2026-10-10"])  # 8 days old: unused
    assert stock["2026-10-18"] == 40 and stock["2026-10-21"] == 40


def test_funnel_steps_are_rates_of_summed_counts():
    from ecomops_helpers.daily.metrics import funnel_steps

    shop = pd.DataFrame(
        {
            "date": pd.date_range("2026-10-14", "2026-10-21"),
            "visitors": [100] * 7 + [200],
            "cart_sessions": [20] * 7 + [40],
            "checkout_sessions": [10] * 7 + [10],
            "converted_sessions": [5] * 7 + [5],
        }
    )
    steps = funnel_steps(shop, "2026-10-21").set_index("step")
    assert steps.loc["cart_rate", "rate"] == steps.loc["cart_rate", "base_rate"] == 0.2
    assert (
        steps.loc["checkout_rate", "rate"] == 0.25
        and steps.loc["checkout_rate", "base_rate"] == 0.5
    )
    assert steps.loc["checkout_rate", "rate_change"] == pytest.approx(-0.5)
    assert funnel_steps(shop.drop(columns="cart_sessions"), "2026-10-21") is None


def test_the_weekly_review_of_a_dollar_shop(amazon):
    from ecomops_helpers.weekly.review import build_weekly_review

    review = build_weekly_review(amazon, lang="en")
    assert review.currency == "USD" and review.levers
    row = review.bridge.iloc[1]
    assert row["visitors_effect"] + row["conversion_effect"] + row["aov_effect"] == pytest.approx(
        row["change"], abs=0.011
    )
    assert not any("Pages per visit" in f.what for f in review.findings)  # Amazon's own views


def test_a_week_without_visitors_has_its_change_but_no_levers():
    from ecomops_helpers.weekly.metrics import week_bridge
    from ecomops_helpers.weekly.weeks import report_week

    days = pd.date_range("2026-10-05", "2026-10-18")
    shop = pd.DataFrame({"date": days, "gmv": [100.0] * 7 + [80.0] * 7, "paying_buyers": 2.0})
    shop["visitors"] = np.nan
    bridge = week_bridge(shop, report_week(pd.Timestamp("2026-10-19")))
    assert bridge.loc[1, "change"] == -140.0 and bridge["visitors_effect"].isna().all()


def test_sales_by_product_sums_its_variants_per_product_and_day(tmp_path):
    (tmp_path / "Sales by product.csv").write_text(
        "Day,Product title,Product variant title,Product variant SKU,Net items sold,Gross sales,"
        "Discounts,Returns,Net sales,Taxes,Total sales,Ending inventory units\n"
        "2026-10-21,Storage Bin,12 qt,BIN-12,3,30.00,0,0,30.00,2.40,32.40,40\n"
        "2026-10-21,Storage Bin,32 qt,BIN-32,1,18.00,-1.80,0,16.20,1.30,17.50,12\n"
        "2026-10-21,Shoe Box,Default Title,SHOE,2,10.00,0,-5.00,5.00,0.40,5.40,7\n"
    )
    items = ExportFolder(tmp_path).load("items_daily").set_index("item_id")
    assert items.loc["Storage Bin", "units"] == 4 and items.loc["Storage Bin", "stock"] == 52
    assert items.loc["Storage Bin", "gmv"] == pytest.approx(49.90)
    assert items.loc["Shoe Box", "gmv"] == pytest.approx(5.40) and items["visitors"].isna().all()


def test_a_child_item_report_as_amazon_names_it_is_dated_by_its_sales(amazon, tmp_path):
    import shutil

    shop = tmp_path / "shop"
    shop.mkdir()
    day = pd.Timestamp("2026-10-20")
    renamed = f"BusinessReport-ChildItem-{day:%Y-%m-%d}.csv"
    for f in amazon.iterdir():  # the other exports linked: parsed once, and never changed here
        if f.is_file() and f.name != renamed:
            (shop / f.name).symlink_to(f)
    shutil.copy(amazon / renamed, shop / "BusinessReport-10-21-26.csv")  # a copy: rewritten below
    folder = ExportFolder(shop)
    items = folder.load("items_daily")
    mine = items[items["_file"] == "BusinessReport-10-21-26.csv"]
    assert set(mine["date"]) == {day} and not folder.left_out
    assert "sales" in folder.date_sources["BusinessReport-10-21-26.csv"]
    (shop / "BusinessReport-10-21-26.csv").write_text(  # its sales match no day: left out
        CHILD_OLD + '\nB0P,B0C1,T,S,1,1%,1,1%,1%,1,1%,"$999,999.00",1\n'
    )
    again = ExportFolder(shop, cache=None)
    again.load("items_daily")
    assert "BusinessReport-10-21-26.csv" in again.left_out
