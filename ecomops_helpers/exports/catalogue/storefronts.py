"""Shopify's Analytics reports and Amazon's FBA inventory: the kinds a daily review is built from.

Amazon's *Sales and Traffic by Date* is a ``shop_daily`` file and its *by Child Item* an
``items_daily`` one (their headers are in ``shop.py``); GA4's *Traffic acquisition* is a
``traffic_sources`` file. Shopify splits the shop's day over reports of their own, kept here:

* *Sales over time* (``Day``, ``Orders``, ``Gross sales``, ``Discounts``, ``Returns`` (since
  2024 ``Sales reversals``), ``Net sales``, ``Shipping charges``, ``Duties``, ``Additional
  fees``, ``Taxes``, ``Total sales``): ``store_sales``; by hour (``Hour``, ``2026-12-02
  13:00:00``) ``store_sales_hourly``; by month (``Month``) ``store_sales_monthly``.
* *Sessions over time* and *Online store conversion over time* (``Sessions``, ``Online store
  visitors``, ``Sessions with cart additions`` / ``Added to cart``, ``Sessions that reached
  checkout`` / ``Reached checkout``, ``Sessions that completed checkout`` / ``Sessions
  converted``, ``Conversion rate``): ``store_sessions``; the two merge by day.
* *Sales by product* (``Product title``, ``Product vendor``, ``Net quantity``, … with ``Day``
  added, or one file per day): ``product_sales``.

``exports/derived.py`` joins them into ``shop_daily`` and ``items_daily`` when no file of those
is in the folder, and builds them from the orders export when the reports are absent.
"""

from __future__ import annotations

from ...exports.kinds import DATE_ALIASES, ExportKind, col

__all__ = ["KINDS"]

_SALES = (
    col("orders", "int", "orders", "total orders", required=True),
    col("gross_sales", "money", "gross sales", low=None),
    col("discounts", "money", "discounts", low=None),
    col("returns", "money", "returns", "sales reversals", low=None),
    col("net_sales", "money", "net sales", low=None),
    col("shipping", "money", "shipping charges", "shipping", low=None),
    col("duties", "money", "duties", low=None),
    col("additional_fees", "money", "additional fees", low=None),
    col("taxes", "money", "taxes", low=None),
    col("gmv", "money", "total sales", required=True, low=None),
)
_ADDITIVE = ("orders", "gross_sales", "discounts", "returns", "net_sales", "gmv")
# Shopify's own item id where a report carries one; else the product's title is its id
_PRODUCT_ID = ("product id",)
_ASIN = ("asin", "(child) asin", "child asin")


def _sales_over_time(name: str, grouped_by: str, when) -> ExportKind:
    """Shopify's *Sales over time* grouped by day, hour or month: one kind each."""
    return ExportKind(
        name,
        f"{grouped_by} of Shopify's Sales over time",
        (when.name,),
        (when, *_SALES),
        additive=_ADDITIVE,
    )


KINDS = (
    _sales_over_time("store_sales", "day", col("date", "date", "day", required=True)),
    _sales_over_time("store_sales_hourly", "hour", col("hour", "datetime", "hour", required=True)),
    _sales_over_time("store_sales_monthly", "month", col("month", "month", "month", required=True)),
    ExportKind(
        "store_sessions",
        "day of Shopify's Sessions over time / Online store conversion over time",
        ("date",),
        (
            col("date", "date", "day", required=True),  # Shopify writes Day
            col("sessions", "int", "online store sessions", "total sessions"),
            col("people", "int", "online store visitors", "total visitors"),
            col(
                "cart_sessions",
                "int",
                "sessions with cart additions",
                "added to cart",
                "sessions with add to cart",
            ),
            col(
                "checkout_sessions",
                "int",
                "sessions that reached checkout",
                "sessions reached checkout",
                "reached checkout",
            ),
            col(
                "converted_sessions",
                "int",
                "sessions that completed checkout",
                "sessions completed checkout",
                "sessions converted",
                "converted sessions",
            ),
            col("conversion", "rate", "conversion rate", "online store conversion rate"),
        ),
        one_of=(("sessions", "people"),),
    ),
    ExportKind(
        "product_sales",
        "day × product (× variant) of Shopify's Sales by product",
        ("date", "item_id", "title", "variant"),
        (
            col("date", "date", "day", "date"),
            col("item_id", "str", *_PRODUCT_ID),
            col("title", "str", "product title", "product", "product name", required=True),
            col("variant", "str", "product variant title", "variant title", "variant"),
            col("vendor", "str", "product vendor", "vendor"),
            col("units", "int", "net items sold", "net quantity", "quantity", low=None),
            col("orders", "int", "orders"),
            col("gross_sales", "money", "gross sales", low=None),
            col("net_sales", "money", "net sales", low=None),
            col("gmv", "money", "total sales", required=True, low=None),
            col("stock", "int", "ending inventory units", "ending inventory", low=None),
        ),
        date_from_file=True,  # Sales by product without its Day column: one file a day
        snapshot=False,
    ),
    ExportKind(
        "inventory",
        "item in a stock snapshot (Amazon FBA inventory health, a stock list)",
        ("date", "item_id"),
        (
            col("date", "date", "snapshot-date", "snapshot date", *DATE_ALIASES),
            col("item_id", "str", *_ASIN, "商品id", "item id", "product id", "sku", required=True),
            col("sku", "str", "sku", "seller sku", "merchant sku"),
            col("title", "str", "product-name", "product name", "title", "商品名称"),
            col(
                "stock",
                "int",
                "available",
                "afn-fulfillable-quantity",
                "fulfillable quantity",
                "available quantity",
                "sellable-quantity",
                "on hand",
                "可售库存",
                required=True,
            ),
            col("inbound", "int", "inbound-quantity", "inbound quantity", "inbound"),
            col("days_of_supply", "float", "days-of-supply", "days of supply"),
            col("units_30d", "int", "units-shipped-t30", "units-shipped-last-30-days"),
        ),
        date_from_file=True,
    ),
)
