"""Kinds built from other kinds when no file of their own is in the folder.

Shopify writes the shop's day over several reports: ``shop_daily`` is *Sales over time* (by day,
else its hours summed) joined by day to *Sessions over time* / *Online store conversion over
time*; ``items_daily`` is *Sales by product*. Where those are absent, both come from the orders
export (Shopify's ``orders_export.csv``, Taobao's 订单报表): orders, buyers and sales per paid
day, without visitors. A figure a recipe cannot know (visitors from sales alone) is left out,
and the sections that need it say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ExportConflictError, MissingExportError
from ..orders import clean_orders  # one rule for which orders are sales

__all__ = ["Recipe", "RECIPES", "recipe_for"]

CENT_TOLERANCE = 0.01  # per summed row: rounding the hours' cents may leave this much


@dataclass(frozen=True)
class Recipe:
    """How ``kind`` is built: from ``parts`` (loaded when present), when any of ``needs`` is."""

    kind: str
    needs: tuple[str, ...]
    parts: tuple[str, ...]
    build: Callable[[dict[str, pd.DataFrame | None]], pd.DataFrame]
    how: str  # what it was built from, for check and the report's header
    columns: tuple[tuple[str, ...], ...] = ()  # the needed kind must hold one of each group


def _data(df: pd.DataFrame | None) -> pd.DataFrame | None:
    return None if df is None else df.drop(columns=["_file", "_row"], errors="ignore")


def _hours_to_days(hourly: pd.DataFrame) -> pd.DataFrame:
    """Shopify's hourly sales summed per day (the day a shop sees in its own time zone)."""
    figures = hourly.drop(columns=["hour", "_file", "_row"], errors="ignore")
    return figures.groupby(hourly["hour"].dt.normalize().rename("date")).sum().reset_index()


def _check_hours(days: pd.DataFrame, hours: pd.DataFrame, hourly: pd.DataFrame) -> None:
    """A day in both the day and the hour download: the hours must add up to the day."""
    both = days.merge(hours, on="date", suffixes=("", "_hours"))
    counts = hourly.groupby(hourly["hour"].dt.normalize()).size()
    for column in ("gmv", "orders"):
        gap = (both[column] - both[f"{column}_hours"]).abs()
        off = both[gap > CENT_TOLERANCE * both["date"].map(counts).fillna(1)]
        if not off.empty:
            row = off.iloc[0]
            files = ", ".join(sorted(set(hourly["_file"])))
            raise ExportConflictError(
                f"{files}: the hours of {row['date']:%Y-%m-%d} add up to {column} "
                f"{row[f'{column}_hours']:,.2f}, the day's Sales over time says {row[column]:,.2f}."
                " Download both again for the same day (and the same time zone).",
                file=files.split(", ")[0],
                column=column,
            )


def shop_from_store_reports(parts: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Shopify's shop day: sales (by day, else hours summed) joined to sessions by day."""
    days, hourly = _data(parts["store_sales"]), parts["store_sales_hourly"]
    if days is None and hourly is None:
        raise MissingExportError(
            "Sales over time by month has no days: download Sales over time by Day "
            "(Analytics → Reports → Sales over time, group by Day) for the daily review."
        )
    if hourly is not None:
        hours = _hours_to_days(hourly)
        if days is None:
            days = hours
        else:
            _check_hours(days, hours, hourly)
            days = pd.concat([days, hours[~hours["date"].isin(days["date"])]], ignore_index=True)
    shop = days.sort_values("date").reset_index(drop=True)
    if "returns" in shop:  # Shopify writes returns as a negative amount
        shop["refund_amount"] = -shop["returns"]
    sessions = _data(parts["store_sessions"])
    if sessions is not None:
        # visitors are sessions, as 生意参谋 counts them; people where a file has no sessions
        sessions = sessions.rename(
            columns={"sessions" if "sessions" in sessions else "people": "visitors"}
        )
        shop = shop.merge(sessions.drop(columns=["conversion"], errors="ignore"), "left", "date")
    return shop


def items_from_product_sales(parts: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Shopify's Sales by product per day and product (its variants summed), without visitors."""
    rows = _data(parts["product_sales"])
    if "item_id" not in rows:
        rows["item_id"] = rows["title"]
    rows["item_id"] = rows["item_id"].fillna(rows["title"])
    sums = ("units", "orders", "gross_sales", "net_sales", "gmv", "stock")
    figures = [c for c in sums if c in rows]
    by_item = rows.groupby(["date", "item_id"], sort=True)
    items = by_item[figures].sum(min_count=1)
    items.insert(0, "title", by_item["title"].first())
    return items.reset_index().assign(visitors=np.nan)


def shop_from_orders(parts: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """The shop's day from the orders export: orders, buyers and sales per paid day.

    Orders are counted as the customer report counts them (paid; refunded, cancelled and
    closed ones left out): :func:`~ecomops_helpers.orders.clean_orders`.
    """
    purchases, _ = clean_orders(parts["orders"])
    by_day = purchases.groupby("date")
    return pd.DataFrame(
        {
            "orders": by_day["order_id"].nunique(),
            "paying_buyers": by_day["customer_id"].nunique(),
            "gmv": by_day["amount"].sum(),
        }
    ).reset_index()


def items_from_orders(parts: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Each item's day from the lines of the paid orders (by sku, else by the line's name)."""
    orders = _data(parts["orders"])
    names = orders["description"] if "description" in orders else None
    item = orders["item_id"] if "item_id" in orders else pd.Series(pd.NA, index=orders.index)
    item = item.fillna(names) if names is not None else item
    if orders.empty:  # a quiet day's header-only export
        return pd.DataFrame(columns=["date", "item_id", "title", "paying_buyers", "units", "gmv"])
    if item.isna().all():
        raise MissingExportError(
            "the orders export names no item per line (a sku or a line name): items unknown"
        )
    purchases, _ = clean_orders(orders)
    paid = purchases.set_index("order_id")["date"]
    lines = orders.assign(item_id=item, title=names if names is not None else item)
    lines = lines[lines["order_id"].isin(paid.index) & lines["item_id"].notna()]
    quantity = lines["quantity"] if "quantity" in lines else 1.0
    if "unit_price" in lines:
        amount = lines["unit_price"] * quantity
    else:
        amount = lines["amount"]
    lines = lines.assign(date=lines["order_id"].map(paid), line_amount=amount, units=quantity)
    by_item = lines.groupby(["date", "item_id"])
    return (
        pd.DataFrame(
            {
                "title": by_item["title"].first(),
                "paying_buyers": by_item["customer_id"].nunique(),
                "units": by_item["units"].sum(),
                "gmv": by_item["line_amount"].sum(),
            }
        )
        .reset_index()
        .assign(visitors=np.nan)
    )


# a shop platform's order export (Shopify orders_export, Taobao 订单报表): order numbers and
# statuses; a plain purchase log (customer, date, amount) is no shop's day
ORDER_EXPORT = (("order_id",), ("status",))
SHOPIFY_SALES = ("store_sales", "store_sales_hourly", "store_sales_monthly")
RECIPES = (
    Recipe(
        "shop_daily",
        SHOPIFY_SALES,
        ("store_sales", "store_sales_hourly", "store_sessions"),
        shop_from_store_reports,
        "Shopify Sales over time + Sessions / conversion over time",
    ),
    Recipe(
        "shop_daily",
        ("orders",),
        ("orders",),
        shop_from_orders,
        "the orders export",
        ORDER_EXPORT,
    ),
    Recipe(
        "items_daily",
        ("product_sales",),
        ("product_sales",),
        items_from_product_sales,
        "Shopify Sales by product",
    ),
    Recipe(
        "items_daily",
        ("orders",),
        ("orders",),
        items_from_orders,
        "the orders export",
        (*ORDER_EXPORT, ("item_id", "description")),
    ),
)


def recipe_for(
    kind: str, present: Callable[[str], bool], columns: Callable[[str], set[str]]
) -> Recipe | None:
    """The first recipe of ``kind`` that one of its ``needs`` is ``present`` for.

    ``columns(kind)``: the columns the files of a present kind hold (a recipe's ``columns``).
    """
    for r in RECIPES:
        if r.kind != kind or not any(present(k) for k in r.needs):
            continue
        held = set().union(*(columns(k) for k in r.needs if present(k))) if r.columns else set()
        if all(held & set(group) for group in r.columns):
            return r
    return None
