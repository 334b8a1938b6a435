"""A deterministic sample dollar shop on Shopify or Amazon, in the platforms' real export layouts.

:func:`write_storefront_shop` reuses :func:`.daily.sample.generate_daily`, so the planted
incidents of the Taobao sample carry over, with English product titles and money in dollars
(yuan / :data:`CNY_PER_USD`, to the cent).

Shopify folder (plain numbers, Discounts and Returns negative; per row Gross + Discounts +
Returns = Net and Net + Shipping + Duties + Additional fees + Taxes = Total sales, to the cent):

* ``Total sales over time - <first>_<last>.csv``, one row per day (Total sales = the day's
  sales, Orders = its paying buyers); ``… by hour - <last>.csv``, 24 rows summing to the last
  day's row; ``… by month.csv``, the complete months;
* ``Sessions over time.csv`` and ``Online store conversion over time.csv``;
* ``Sales by product.csv``: the last 60 days, each product with sales that day;
* ``data-export.csv``: GA4 Traffic acquisition by channel and day (last 90 days), sessions and
  revenue summing to the shop's day;
* ``orders_export.csv``: one order per paying buyer over the last 60 days, order fields on an
  order's first line only; each day's order Totals sum to its Total sales;
* ``Sales target.csv``: the monthly plan.

Amazon folder (amazon.com: ``"$1,234.56"``, ``"1,514"``, ``98.50%``, dates ``M/D/YY``):

* ``BusinessReport-<M-DD-YY>.csv``: Sales and Traffic by Date for all days, named after the
  download day (the day after the last);
* ``BusinessReport-ChildItem-<YYYY-MM-DD>.csv``: Detail Page Sales and Traffic by Child Item
  (with SKU; two sizes share a parent ASIN) for each of the last 35 days. Amazon
  names its download after the download day and the file holds no date, so the sample keeps
  each day's report with its day in the name;
* ``FBA_Inventory_<end>.csv``: the FBA Inventory report, one row per SKU, every field quoted;
* ``Sponsored_Products_Search_term_report.xlsx`` and ``Sales target.csv``.

Planted cases: the hero :data:`PLANTED_CONVERSION_TITLE` converts at 30 % of its rate over the
last 4 days; the hero :data:`PLANTED_STOCK_TITLE` has about 9 days of stock left; on Amazon the
hero with child ASIN :data:`PLANTED_BUY_BOX_ITEM` holds the Buy Box only 55–65 % of the time
over the last :data:`PLANTED_BUY_BOX_DAYS` days (95–100 % elsewhere); on Shopify the carts of the
last :data:`PLANTED_CHECKOUT_DAYS` days stop short of checkout. Defaults assumed (4 heroes).
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .ads.sample import _amazon_search_terms
from .daily.sample import PLANTED, generate_daily
from .sample import SAMPLE_END, SEED
from .sample_files import write_csv

__all__ = [
    "CNY_PER_USD",
    "PLANTED_BUY_BOX_DAYS",
    "PLANTED_BUY_BOX_ITEM",
    "PLANTED_CART_PILEUP",
    "PLANTED_CHECKOUT_DAYS",
    "PLANTED_CONVERSION_TITLE",
    "PLANTED_STOCK_TITLE",
    "PLATFORMS",
    "write_storefront_shop",
]

PLATFORMS = ("shopify", "amazon")
CNY_PER_USD = 7.0
VENDOR = "Tidy Nest Home"
PRODUCT_DAYS = 60  # Sales by product and orders_export
GA4_DAYS = 90
CHILD_DAYS = 35
B2B_SHARE = 0.04

_PRODUCTS = [  # name, product type, two sizes: item i is product i // 2, size i % 2
    ("Stackable Clear Storage Bin", "Storage Bins", ("12 qt", "32 qt")),
    ("Under Bed Storage Bag with Zipper", "Storage Bags", ("2-Pack", "4-Pack")),
    ("Bamboo Drawer Organizer", "Drawer Organizers", ("5 Slots", "7 Slots")),
    ("Velvet Non-Slip Hangers", "Hangers", ("30-Pack", "50-Pack")),
    ("Vacuum Storage Bags", "Storage Bags", ("Medium 6-Pack", "Jumbo 4-Pack")),
    ("Fabric Cube Storage Bin", "Storage Bins", ('11"', '13"')),
    ("Over the Door Shoe Organizer", "Closet Organizers", ("24 Pockets", "36 Pockets")),
    ("Adhesive Wall Hooks", "Hooks", ("12-Pack", "24-Pack")),
    ("Clear Shoe Box with Lid", "Shoe Storage", ("6-Pack", "12-Pack")),
    ("Desk Organizer with Drawers", "Desk Storage", ("2 Tier", "3 Tier")),
    ("Underwear Drawer Divider", "Drawer Organizers", ("4-Pack", "6-Pack")),
    ("Rotating Makeup Organizer", "Bathroom Storage", ("Small", "Large")),
    ("Metal Storage Shelf", "Shelving", ("3 Tier", "5 Tier")),
    ("Collapsible Storage Crate", "Storage Bins", ("Single", "3-Pack")),
    ("Hanging Closet Organizer", "Closet Organizers", ("5 Shelves", "6 Shelves")),
    ("Plastic Storage Drawers", "Storage Drawers", ("3 Drawers", "5 Drawers")),
    ("Lazy Susan Turntable", "Kitchen Storage", ('10"', '12"')),
    ("Cotton Rope Basket", "Baskets", ("Medium", "Large")),
    ("Pantry Storage Containers", "Kitchen Storage", ("8-Piece", "14-Piece")),
    ("Dustproof Garment Bag", "Storage Bags", ("3-Pack", "6-Pack")),
]
_CHANNELS = {  # GA4 channel: session share, engagement rate, buying factor, engaged seconds
    "Organic Search": (0.34, 0.66, 1.0, 62.0),
    "Direct": (0.21, 0.58, 1.3, 55.0),
    "Paid Search": (0.17, 0.61, 1.1, 48.0),
    "Organic Social": (0.10, 0.44, 0.5, 31.0),
    "Email": (0.06, 0.72, 1.8, 70.0),
    "Referral": (0.05, 0.63, 0.9, 58.0),
    "Paid Social": (0.07, 0.40, 0.6, 27.0),
}
_HOUR_PROFILE = np.array(
    [
        1,
        0.6,
        0.4,
        0.3,
        0.3,
        0.5,
        1,
        2,
        3,
        4,
        4.5,
        5,
        5.5,
        5,
        4.6,
        4.4,
        4.5,
        5,
        5.6,
        6.4,
        7,
        6.5,
        4.5,
        2.5,
    ]
)
_FIRST = ["Emma", "Liam", "Olivia", "Noah", "Ava", "Mason", "Sophia", "Lucas", "Mia", "Ethan"]
_LAST = ["Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Lopez", "Wilson", "Clark"]
_ORDER_COLUMNS = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,"
    "Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,"
    "Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,"
    "Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,"
    "Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,"
    "Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,"
    "Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
    "Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
).split(",")
_BY_DATE_COLUMNS = (
    "Date,Ordered Product Sales,Ordered Product Sales - B2B,Units Ordered,Units Ordered - B2B,"
    "Total Order Items,Total Order Items - B2B,Average Sales per Order Item,"
    "Average Sales per Order Item - B2B,Average Units per Order Item,"
    "Average Units per Order Item - B2B,Average Selling Price,Average Selling Price - B2B,"
    "Sessions - Total,Sessions - Total - B2B,Order Item Session Percentage,"
    "Order Item Session Percentage - B2B,Average Offer Count,Page Views - Total,"
    "Featured Offer Percentage,Unit Session Percentage"
).split(",")
_CHILD_COLUMNS = (
    "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions - Total,Sessions - Total - B2B,"
    "Session Percentage - Total,Session Percentage - Total - B2B,Page Views - Total,"
    "Page Views - Total - B2B,Page Views Percentage - Total,Page Views Percentage - Total - B2B,"
    "Featured Offer (Buy Box) Percentage,Featured Offer (Buy Box) Percentage - B2B,"
    "Units Ordered,Units Ordered - B2B,Unit Session Percentage,Unit Session Percentage - B2B,"
    "Ordered Product Sales,Ordered Product Sales - B2B,Total Order Items,Total Order Items - B2B"
).split(",")
_AIS = ["181-210", "211-240", "241-270", "271-300", "301-330", "331-365", "366-455", "456-plus"]
_FBA_COLUMNS = (
    (
        "snapshot-date,sku,fnsku,asin,product-name,condition,available,fc-transfer,"
        "pending-removal-quantity,inv-age-0-to-90-days,inv-age-91-to-180-days,"
        "inv-age-181-to-270-days,inv-age-271-to-365-days,inv-age-366-to-455-days,"
        "inv-age-456-plus-days,currency,units-shipped-t7,units-shipped-t30,units-shipped-t60,"
        "units-shipped-t90,alert,your-price,sales-price,lowest-price-new-plus-shipping,"
        "lowest-price-used,recommended-action,DEPRECATED healthy-inventory-level,"
        "recommended-sales-price,recommended-sale-duration-days,recommended-removal-quantity,"
        "estimated-cost-savings-of-recommended-actions,sell-through,item-volume,"
        "volume-unit-measurement,storage-type,storage-volume,marketplace,product-group,sales-rank,"
        "days-of-supply,estimated-excess-quantity,weeks-of-cover-t30,weeks-of-cover-t90,"
        "featuredoffer-price,sales-shipped-last-7-days,sales-shipped-last-30-days,"
        "sales-shipped-last-60-days,sales-shipped-last-90-days,inv-age-0-to-30-days,"
        "inv-age-31-to-60-days,inv-age-61-to-90-days,inv-age-181-to-330-days,"
        "inv-age-331-to-365-days,estimated-storage-cost-next-month,inbound-quantity,"
        "inbound-working,inbound-shipped,inbound-received,no-sale-last-6-months,"
        "Total Reserved Quantity,unfulfillable-quantity"
    ).split(",")
    + [
        f"{prefix}-ais-{span}-days"
        for span in _AIS
        for prefix in ("quantity-to-be-charged", "estimated")
    ]
    + (
        "historical-days-of-supply,fba-minimum-inventory-level,fba-inventory-level-health-status,"
        "Recommended ship-in quantity,Recommended ship-in date,"
        "Last updated date for Historical Days of Supply,Exempted from Low-Inventory-Level fee?,"
        "Low-Inventory-Level fee applied in current week?,Short term historical days of supply,"
        "Long term historical days of supply,Inventory age snapshot date,Inventory Supply at FBA,"
        "Reserved FC Processing,Reserved Customer Order,Reserved Staging,"
        "Total Days of Supply (including units from open shipments),supplier,"
        "is-seasonal-in-next-3-months,season-name,season-start-date,season-end-date"
    ).split(",")
)


def _code(key: str, n: int) -> str:
    """``n`` uppercase letters and digits derived from ``key`` alone."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    value = int.from_bytes(hashlib.sha256(key.encode()).digest(), "big")
    return "".join(alphabet[(value // 36**k) % 36] for k in range(n))


def _asin(item_id: str) -> str:
    return "B0" + _code(f"asin {item_id}", 8)


def _title(i: int) -> str:
    name, _, sizes = _PRODUCTS[(i // 2) % len(_PRODUCTS)]
    title = f"{name} {sizes[i % 2]}"
    return title if i < 2 * len(_PRODUCTS) else f"{title} (Set of {i // (2 * len(_PRODUCTS)) + 1})"


def _item_id(i: int) -> str:
    return f"65100{i + 1:05d}"


PLANTED_CONVERSION_TITLE = _title(int(PLANTED.conversion_item[5:]) - 1)
PLANTED_STOCK_TITLE = _title(int(PLANTED.stock_item[5:]) - 1)
PLANTED_BUY_BOX_INDEX = 3  # the fourth hero: neither the conversion nor the stock case
PLANTED_BUY_BOX_ITEM = _asin(_item_id(PLANTED_BUY_BOX_INDEX))
PLANTED_BUY_BOX_DAYS = 3
# Shopify: the last days' carts stop short of checkout (a shipping-cost surprise): the
# reached-checkout step falls to 1 / PLANTED_CART_PILEUP of its rate
PLANTED_CHECKOUT_DAYS = 2
PLANTED_CART_PILEUP = 1.6


def _split(total: int, weights) -> np.ndarray:
    """The integer ``total`` (cents, orders) split in proportion to ``weights``, exactly."""
    w = np.asarray(weights, float)
    w = w if w.sum() > 0 else np.ones_like(w)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(out - raw, kind="stable")[: int(total - out.sum())]] += 1
    return out


def _cents(values) -> np.ndarray:
    return np.round(np.asarray(values, float) / CNY_PER_USD * 100).astype(np.int64)


def _plain(cents) -> list[str]:
    return [f"{c / 100:.2f}" for c in cents]


def _usd(cents) -> list[str]:
    return [f"${c / 100:,.2f}" for c in cents]


def _count(values) -> list[str]:
    return [f"{int(v):,}" for v in values]


def _pct(num, den) -> list[str]:
    num, den = np.asarray(num, float), np.asarray(den, float)
    return [f"{n / d * 100 if d else 0:.2f}%" for n, d in zip(num, den)]


def _mdy(days: pd.Series) -> list[str]:
    return [f"{d.month}/{d.day}/{d:%y}" for d in days]


def _breakdown(total, returns, rng, shipping: bool = True) -> dict[str, np.ndarray]:
    """Shopify's sales columns in cents for the ``total`` sales and ``returns`` (≥ 0) cents."""
    n = len(total)
    ship_rate = rng.uniform(0.05, 0.08, n) if shipping else np.zeros(n)
    tax_rate = rng.uniform(0.055, 0.07, n)
    net = np.round(total / (1 + ship_rate + tax_rate)).astype(np.int64)
    ship = np.round(net * ship_rate).astype(np.int64)
    back = -np.asarray(returns, np.int64)
    discounts = -np.round((net - back) * rng.uniform(0.02, 0.05, n)).astype(np.int64)
    return {
        "Gross sales": net - discounts - back,
        "Discounts": discounts,
        "Returns": back,
        "Net sales": net,
        "Shipping charges": ship,
        "Duties": np.zeros(n, np.int64),
        "Additional fees": np.zeros(n, np.int64),
        "Taxes": total - net - ship,
        "Total sales": np.asarray(total, np.int64),
    }


def _sales_table(first: str, label, orders, money: dict[str, np.ndarray]) -> pd.DataFrame:
    table = pd.DataFrame({first: label, "Orders": orders})
    for name, cents in money.items():
        table[name] = [0] * len(cents) if name in ("Duties", "Additional fees") else _plain(cents)
    return table


def _hours(orders: int, money: dict[str, np.ndarray], rng) -> tuple[np.ndarray, dict]:
    """The last day's orders and money split over its 24 hours, summing exactly to the day."""
    counts = _split(orders, _HOUR_PROFILE * rng.lognormal(0, 0.2, 24))
    w = counts * rng.lognormal(0, 0.15, 24)
    parts = {
        k: _split(int(money[k][-1]), w)
        for k in ("Discounts", "Returns", "Net sales", "Shipping charges", "Taxes")
    }
    zero = np.zeros(24, np.int64)
    hourly = {
        "Gross sales": parts["Net sales"] - parts["Discounts"] - parts["Returns"],
        "Discounts": parts["Discounts"],
        "Returns": parts["Returns"],
        "Net sales": parts["Net sales"],
        "Shipping charges": parts["Shipping charges"],
        "Duties": zero,
        "Additional fees": zero,
        "Taxes": parts["Taxes"],
        "Total sales": parts["Net sales"] + parts["Shipping charges"] + parts["Taxes"],
    }
    return counts, hourly


def _ga4(shop: pd.DataFrame, total: np.ndarray, rng) -> tuple[pd.DataFrame, list[str]]:
    """GA4 Traffic acquisition rows (channel × day) and the export's 9 preamble lines."""
    names = list(_CHANNELS)
    share, engage, buy, seconds = (np.array(v) for v in zip(*_CHANNELS.values()))
    rows = []
    for day, sessions, buyers, cents in zip(
        shop["date"], shop["visitors"], shop["paying_buyers"], total
    ):
        s = rng.multinomial(sessions, share)
        engaged = rng.binomial(s, engage)
        keys = rng.multinomial(buyers, s * buy / (s * buy).sum())
        revenue = _split(int(cents), keys * rng.lognormal(0, 0.1, len(names)))
        for j, name in enumerate(names):
            rows.append(
                (
                    name,
                    f"{day:%Y%m%d}",
                    s[j],
                    engaged[j],
                    round(engaged[j] / s[j], 9) if s[j] else 0,
                    round(seconds[j] * rng.lognormal(0, 0.1) * engaged[j] / max(s[j], 1), 8),
                    keys[j],
                    round(revenue[j] / 100, 2),
                )
            )
    columns = [
        "Session primary channel group (Default Channel Group)",
        "Date",
        "Sessions",
        "Engaged sessions",
        "Engagement rate",
        "Average engagement time per session",
        "Key events",
        "Total revenue",
    ]
    preamble = [
        "# ----------------------------------------",
        "# Traffic acquisition: Session primary channel group (Default Channel Group)",
        f"# Account: {VENDOR}",
        "# Property: tidynesthome.com - GA4",
        "# ----------------------------------------",
        "# ",
        "# All Users",
        f"# Start date: {shop['date'].iloc[0]:%Y%m%d}",
        f"# End date: {shop['date'].iloc[-1]:%Y%m%d}",
    ]
    return pd.DataFrame(rows, columns=columns), preamble


def _orders(shop, money, items, catalogue, last_hours, rng) -> pd.DataFrame:
    """``orders_export.csv`` rows: each day's order Totals sum to its Total sales."""
    n_orders = int(shop["paying_buyers"].sum())
    pool = max(n_orders * 2 // 3, 1)
    loyalty = 1 / np.arange(1, pool + 1) ** 0.5
    customers = rng.choice(pool, n_orders, p=loyalty / loyalty.sum())
    rows, number = [], 1001
    for d, (day, buyers) in enumerate(zip(shop["date"], shop["paying_buyers"])):
        w = rng.lognormal(0, 0.5, buyers)
        subtotal = _split(int(money["Net sales"][d]), w)
        shipping = _split(int(money["Shipping charges"][d]), w)
        taxes = _split(int(money["Taxes"][d]), w)
        hours = (
            np.repeat(np.arange(24), last_hours)
            if d == len(shop) - 1
            else np.sort(rng.choice(24, buyers, p=_HOUR_PROFILE / _HOUR_PROFILE.sum()))
        )
        seconds = hours * 3600 + rng.integers(0, 3600, buyers)
        paid = (day + pd.to_timedelta(np.sort(seconds), unit="s")).tz_localize("America/New_York")
        today = items[items["date"] == day]
        pick = today["units"].to_numpy() + 0.05
        fulfilled = day < shop["date"].iloc[-1] - pd.Timedelta(days=1)
        for k in range(buyers):
            who = int(customers[number - 1001])
            first, last = _FIRST[who % len(_FIRST)], _LAST[who // len(_FIRST) % len(_LAST)]
            stamp = paid[k].strftime("%Y-%m-%d %H:%M:%S %z")
            lines = rng.choice(
                len(pick), rng.choice([1, 2, 3], p=[0.7, 0.22, 0.08]), False, pick / pick.sum()
            )
            for j, i in enumerate(lines):
                row = {
                    "Name": f"#{number}",
                    "Lineitem quantity": 1 + rng.binomial(1, 0.15),
                    "Lineitem name": catalogue["title"][i],
                    "Lineitem price": f"{catalogue['price'][i]:.2f}",
                    "Lineitem sku": catalogue["sku"][i],
                    "Lineitem requires shipping": "true",
                    "Lineitem taxable": "true",
                    "Lineitem fulfillment status": "fulfilled" if fulfilled else "pending",
                    "Vendor": VENDOR,
                }
                if j == 0:
                    row |= {
                        "Email": f"{first.lower()}.{last.lower()}{who}@example.com",
                        "Financial Status": "paid",
                        "Paid at": stamp,
                        "Fulfillment Status": "fulfilled" if fulfilled else "unfulfilled",
                        "Accepts Marketing": "yes" if who % 3 else "no",
                        "Currency": "USD",
                        "Subtotal": f"{subtotal[k] / 100:.2f}",
                        "Shipping": f"{shipping[k] / 100:.2f}",
                        "Taxes": f"{taxes[k] / 100:.2f}",
                        "Total": f"{(subtotal[k] + shipping[k] + taxes[k]) / 100:.2f}",
                        "Discount Amount": "0.00",
                        "Shipping Method": "Standard Shipping",
                        "Created at": stamp,
                        "Billing Name": f"{first} {last}",
                        "Billing Country": "US",
                        "Shipping Name": f"{first} {last}",
                        "Shipping Country": "US",
                        "Payment Method": "Shopify Payments",
                        "Id": 5600000000000 + number,
                        "Risk Level": "Low",
                        "Source": "web",
                    }
                rows.append(row)
            number += 1
    return pd.DataFrame(rows, columns=_ORDER_COLUMNS)


def _write_shopify(out: Path, tables: dict, catalogue: dict, rng) -> list[Path]:
    shop, items, plan = tables["shop_daily"], tables["items_daily"], tables["plan"]
    days = shop["date"]
    money = _breakdown(_cents(shop["gmv"]), _cents(shop["refund_amount"]), rng)
    written = []

    def put(df: pd.DataFrame, name: str, title: list[str] | None = None) -> None:
        path = out / name
        write_csv(df, path, "utf-8", title)
        written.append(path)

    iso = days.dt.strftime("%Y-%m-%d")
    put(
        _sales_table("Day", iso, shop["paying_buyers"], money),
        f"Total sales over time - {iso.iloc[0]}_{iso.iloc[-1]}.csv",
    )
    counts, hourly = _hours(int(shop["paying_buyers"].iloc[-1]), money, rng)
    hour_label = [f"{days.iloc[-1]:%Y-%m-%d} {h:02d}:00:00" for h in range(24)]
    put(
        _sales_table("Hour", hour_label, counts, hourly),
        f"Total sales over time by hour - {iso.iloc[-1]}.csv",
    )
    month = days.dt.to_period("M")
    whole = (month.dt.start_time >= days.iloc[0]) & (
        month.dt.end_time.dt.normalize() <= days.iloc[-1]
    )
    sums = (
        pd.DataFrame(money).assign(Orders=shop["paying_buyers"])[whole].groupby(month[whole]).sum()
    )
    put(
        _sales_table(
            "Month",
            sums.index.strftime("%Y-%m-01"),
            sums["Orders"].to_numpy(),
            {k: sums[k].to_numpy() for k in money},
        ),
        "Total sales over time by month.csv",
    )
    sessions = shop["visitors"].to_numpy()
    put(
        pd.DataFrame(
            {
                "Day": iso,
                "Online store visitors": np.round(
                    sessions * rng.uniform(0.78, 0.83, len(shop))
                ).astype(int),
                "Sessions": sessions,
            }
        ),
        "Sessions over time.csv",
    )
    done = shop["paying_buyers"].to_numpy()
    reached = np.round(done * rng.uniform(1.35, 1.6, len(shop))).astype(int)
    cart = np.maximum(
        shop["cart_buyers"].to_numpy(), np.round(reached * rng.uniform(1.5, 2.0, len(shop)))
    )
    cart[-PLANTED_CHECKOUT_DAYS:] *= PLANTED_CART_PILEUP  # carts pile up short of checkout
    put(
        pd.DataFrame(
            {
                "Day": iso,
                "Sessions": sessions,
                "Sessions with cart additions": cart.astype(int),
                "Sessions that reached checkout": reached,
                "Sessions that completed checkout": done,
                "Conversion rate": [
                    f"{c / s:.4f}" if s else "0.0000" for c, s in zip(done, sessions)
                ],
            }
        ),
        "Online store conversion over time.csv",
    )
    recent = items[
        (items["date"] > days.iloc[-1] - pd.Timedelta(days=PRODUCT_DAYS)) & (items["gmv"] > 0)
    ]
    index = recent["item_id"].map(catalogue["index"]).to_numpy()
    part = _breakdown(_cents(recent["gmv"]), _cents(recent["refund_amount"]), rng, shipping=False)
    put(
        pd.DataFrame(
            {
                "Day": recent["date"].dt.strftime("%Y-%m-%d").to_numpy(),
                "Product title": catalogue["title"][index],
                "Product vendor": VENDOR,
                "Product type": catalogue["type"][index],
                "Net items sold": recent["units"].to_numpy(),
            }
            | {
                k: _plain(part[k])
                for k in (
                    "Gross sales",
                    "Discounts",
                    "Returns",
                    "Net sales",
                    "Taxes",
                    "Total sales",
                )
            }
            | {"Ending inventory units": recent["stock"].to_numpy()}
        ),
        "Sales by product.csv",
    )
    last90 = shop.index[-GA4_DAYS:]
    ga4, preamble = _ga4(shop.loc[last90], money["Total sales"][last90], rng)
    put(ga4, "data-export.csv", preamble + [""])
    last60 = shop.index[-PRODUCT_DAYS:]
    put(
        _orders(
            shop.loc[last60].reset_index(drop=True),
            {k: v[last60] for k, v in money.items()},
            items[items["date"] >= days.iloc[last60[0]]],
            catalogue,
            counts,
            rng,
        ),
        "orders_export.csv",
    )
    put(_targets(plan), "Sales target.csv")
    return written


def _targets(plan: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Month": plan["month"].dt.strftime("%Y-%m"),
            "Sales target": (plan["gmv_target"] / CNY_PER_USD).round(-2).astype(int),
        }
    )


def _amazon_arrays(items: pd.DataFrame, n_items: int, rng) -> dict[str, np.ndarray]:
    """Item × day arrays (days first) with page views and the Buy Box share, planted case in."""
    grid = {
        k: items[k].to_numpy().reshape(-1, n_items)
        for k in ("visitors", "units", "paying_buyers", "stock", "gmv")
    }
    grid["page_views"] = np.round(grid["visitors"] * rng.uniform(1.25, 1.6, grid["gmv"].shape))
    buy_box = np.minimum(rng.uniform(0.95, 1.02, grid["gmv"].shape), 1.0)
    buy_box[-PLANTED_BUY_BOX_DAYS:, PLANTED_BUY_BOX_INDEX] = rng.uniform(
        0.55, 0.65, PLANTED_BUY_BOX_DAYS
    )
    grid["buy_box"] = buy_box
    return grid


def _by_date(shop: pd.DataFrame, grid: dict[str, np.ndarray], rng) -> pd.DataFrame:
    """Sales and Traffic by Date: the shop's days, B2B twins about 4 %."""
    sales = _cents(shop["gmv"])
    units = grid["units"].sum(axis=1)
    orders = shop["paying_buyers"].to_numpy()
    sessions = shop["visitors"].to_numpy()
    orders_b2b = rng.binomial(orders, B2B_SHARE)
    units_b2b = orders_b2b + rng.binomial(orders_b2b, 0.2)
    sales_b2b = np.round(units_b2b * sales / np.maximum(units, 1) * 0.97).astype(np.int64)
    sessions_b2b = rng.binomial(sessions, B2B_SHARE)
    views = grid["page_views"].sum(axis=1)
    share = (grid["page_views"] * grid["buy_box"]).sum(axis=1) / np.maximum(views, 1)

    def per(num, den, cents=False):
        values = np.where(den > 0, num / np.maximum(den, 1), 0)
        return _usd(np.round(values)) if cents else [f"{v:.2f}" for v in values]

    return pd.DataFrame(
        dict(
            zip(
                _BY_DATE_COLUMNS,
                [
                    _mdy(shop["date"]),
                    _usd(sales),
                    _usd(sales_b2b),
                    _count(units),
                    _count(units_b2b),
                    _count(orders),
                    _count(orders_b2b),
                    per(sales, orders, cents=True),
                    per(sales_b2b, orders_b2b, cents=True),
                    per(units, orders),
                    per(units_b2b, orders_b2b),
                    per(sales, units, cents=True),
                    per(sales_b2b, units_b2b, cents=True),
                    _count(sessions),
                    _count(sessions_b2b),
                    _pct(orders, sessions),
                    _pct(orders_b2b, sessions_b2b),
                    [f"{v:.2f}" for v in rng.uniform(1.0, 1.4, len(shop))],
                    _count(
                        np.round(views * sessions / np.maximum(grid["visitors"].sum(axis=1), 1))
                    ),
                    [f"{v * 100:.2f}%" for v in share],
                    _pct(units, sessions),
                ],
            )
        )
    )


def _child_day(d: int, grid: dict[str, np.ndarray], catalogue: dict, rng) -> pd.DataFrame:
    """Detail Page Sales and Traffic by Child Item for day ``d`` (items with sessions)."""
    g = {k: v[d] for k, v in grid.items()}
    shown = np.nonzero(g["visitors"] > 0)[0]
    sessions, views = g["visitors"][shown], g["page_views"][shown]
    sessions_b2b = rng.binomial(sessions, B2B_SHARE)
    views_b2b = np.minimum(np.round(sessions_b2b * views / sessions), views)
    units, orders = g["units"][shown], g["paying_buyers"][shown]
    orders_b2b = rng.binomial(orders, B2B_SHARE)
    units_b2b = np.minimum(orders_b2b + rng.binomial(orders_b2b, 0.2), units)
    sales = _cents(g["gmv"][shown])
    sales_b2b = np.round(units_b2b * sales / np.maximum(units, 1)).astype(np.int64)
    buy_box = g["buy_box"][shown]
    buy_box_b2b = np.where(sessions_b2b > 0, np.minimum(buy_box + 0.01, 1.0), 0)
    return pd.DataFrame(
        dict(
            zip(
                _CHILD_COLUMNS,
                [
                    catalogue["parent"][shown],
                    catalogue["asin"][shown],
                    catalogue["title"][shown],
                    catalogue["sku"][shown],
                    _count(sessions),
                    _count(sessions_b2b),
                    _pct(sessions, np.full(len(shown), sessions.sum())),
                    _pct(sessions_b2b, np.full(len(shown), max(sessions_b2b.sum(), 1))),
                    _count(views),
                    _count(views_b2b),
                    _pct(views, np.full(len(shown), views.sum())),
                    _pct(views_b2b, np.full(len(shown), max(views_b2b.sum(), 1))),
                    [f"{v * 100:.2f}%" for v in buy_box],
                    [f"{v * 100:.2f}%" for v in buy_box_b2b],
                    _count(units),
                    _count(units_b2b),
                    _pct(units, sessions),
                    _pct(units_b2b, sessions_b2b),
                    _usd(sales),
                    _usd(sales_b2b),
                    _count(orders),
                    _count(orders_b2b),
                ],
            )
        )
    )


def _fba(end: pd.Timestamp, grid: dict[str, np.ndarray], catalogue: dict, rng) -> pd.DataFrame:
    """The FBA Inventory report on ``end``: one row per SKU, available = the item's stock."""
    n = grid["units"].shape[1]
    shipped = {t: grid["units"][-t:].sum(axis=0) for t in (7, 30, 60, 90)}
    sold = {t: _cents(grid["gmv"][-t:].sum(axis=0)) for t in (7, 30, 60, 90)}
    available = grid["stock"][-1]
    rate = shipped[30] / 30
    supply = np.where(rate > 0, np.round(available / np.maximum(rate, 1e-9)), np.nan)
    reserved = rng.binomial(np.maximum(shipped[7], 0), 0.3)
    price = [f"{p:.2f}" for p in catalogue["price"]]
    low = supply < 14
    table = pd.DataFrame(index=range(n), columns=_FBA_COLUMNS)
    filled = {
        "snapshot-date": f"{end:%Y-%m-%d}",
        "sku": catalogue["sku"],
        "fnsku": catalogue["fnsku"],
        "asin": catalogue["asin"],
        "product-name": catalogue["title"],
        "condition": "New",
        "available": available,
        "fc-transfer": rng.binomial(available, 0.02),
        "pending-removal-quantity": 0,
        "inv-age-0-to-90-days": available,
        "inv-age-91-to-180-days": 0,
        "inv-age-181-to-270-days": 0,
        "inv-age-271-to-365-days": 0,
        "inv-age-366-to-455-days": 0,
        "inv-age-456-plus-days": 0,
        "currency": "USD",
        "units-shipped-t7": shipped[7],
        "units-shipped-t30": shipped[30],
        "units-shipped-t60": shipped[60],
        "units-shipped-t90": shipped[90],
        "alert": np.where(low, "Low inventory", ""),
        "your-price": price,
        "sales-price": price,
        "recommended-action": np.where(low, "Restock", "No action required"),
        "storage-type": "Standard",
        "marketplace": "US",
        "product-group": "Home",
        "sales-rank": rng.integers(800, 60000, n),
        "days-of-supply": [("" if np.isnan(s) else int(s)) for s in supply],
        "estimated-excess-quantity": 0,
        "weeks-of-cover-t30": [("" if np.isnan(s) else f"{s / 7:.1f}") for s in supply],
        "featuredoffer-price": price,
        "sales-shipped-last-7-days": _plain(sold[7]),
        "sales-shipped-last-30-days": _plain(sold[30]),
        "sales-shipped-last-60-days": _plain(sold[60]),
        "sales-shipped-last-90-days": _plain(sold[90]),
        "inbound-quantity": 0,
        "Total Reserved Quantity": reserved,
        "unfulfillable-quantity": rng.binomial(available, 0.005),
        "historical-days-of-supply": [("" if np.isnan(s) else f"{s * 1.05:.1f}") for s in supply],
        "fba-inventory-level-health-status": np.where(available > 0, "Healthy", "Out of stock"),
        "Inventory Supply at FBA": available + reserved,
        "Reserved Customer Order": reserved,
    }
    for column, values in filled.items():
        table[column] = values
    return table.fillna("")


def _write_amazon(out: Path, tables: dict, catalogue: dict, end, seed: int, rng) -> list[Path]:
    shop, items = tables["shop_daily"], tables["items_daily"]
    grid = _amazon_arrays(items, len(catalogue["asin"]), rng)
    written = []
    after = shop["date"].iloc[-1] + pd.Timedelta(days=1)
    path = out / f"BusinessReport-{after.month}-{after:%d-%y}.csv"
    write_csv(_by_date(shop, grid, rng), path, "utf-8-sig")
    written.append(path)
    for d in range(len(shop) - CHILD_DAYS, len(shop)):
        path = out / f"BusinessReport-ChildItem-{shop['date'].iloc[d]:%Y-%m-%d}.csv"
        write_csv(_child_day(d, grid, catalogue, rng), path, "utf-8-sig")
        written.append(path)
    path = out / f"FBA_Inventory_{end:%Y-%m-%d}.csv"
    path.write_text(
        _fba(end, grid, catalogue, rng).to_csv(index=False, quoting=csv.QUOTE_ALL), "utf-8"
    )
    written.append(path)
    path = out / "Sponsored_Products_Search_term_report.xlsx"
    _amazon_search_terms(end, np.random.default_rng(seed), path)
    written.append(path)
    path = out / "Sales target.csv"
    write_csv(_targets(tables["plan"]), path, "utf-8")
    written.append(path)
    return written


def _catalogue(item_ids: np.ndarray, price: np.ndarray) -> dict[str, np.ndarray]:
    """English titles, types, dollar prices and Amazon codes per item, fixed by its position."""
    n = len(item_ids)
    return {
        "index": {item: i for i, item in enumerate(item_ids)},
        "title": np.array([_title(i) for i in range(n)]),
        "type": np.array([_PRODUCTS[(i // 2) % len(_PRODUCTS)][1] for i in range(n)]),
        "price": np.round(price / CNY_PER_USD, 2),
        "asin": np.array([_asin(item) for item in item_ids]),
        "parent": np.array(["B0" + _code(f"parent {i // 2}", 8) for i in range(n)]),
        "sku": np.array(
            [f"{c[:2]}-{c[2:6]}-{c[6:]}" for c in (_code(f"sku {item}", 10) for item in item_ids)]
        ),
        "fnsku": np.array(["X00" + _code(f"fnsku {item}", 7) for item in item_ids]),
    }


def write_storefront_shop(
    out: str | Path,
    platform: str,
    end: date = SAMPLE_END,
    days: int = 365,
    items: int = 40,
    heroes: int = 4,
    seed: int = SEED,
) -> list[Path]:
    """Write a sample ``platform`` shop ("shopify" or "amazon") into ``out``; returns the files."""
    if platform not in PLATFORMS:
        raise ValueError(f"platform must be one of {', '.join(PLATFORMS)}, not {platform!r}")
    if heroes <= PLANTED_BUY_BOX_INDEX:
        raise ValueError(f"the planted cases need at least {PLANTED_BUY_BOX_INDEX + 1} heroes")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tables, items_of = generate_daily(end, days, items, heroes, seed)
    catalogue = _catalogue(items_of.item_ids, items_of.price)
    rng = np.random.default_rng(seed + 24)
    if platform == "shopify":
        return _write_shopify(out, tables, catalogue, rng)
    return _write_amazon(out, tables, catalogue, pd.Timestamp(end), seed, rng)
