"""Co-purchase pairs: which items buyers take in the same order as each hero item.

A pair counts the paid orders that hold both items (the same order, not the same buyer over
days: an order is what 关联推荐 and 搭配套餐 act on). For hero item A and item B:

* ``together`` — orders with A and B;
* ``support`` — together ÷ all orders;
* ``confidence`` — together ÷ orders with A (of A's buyers, the share who also took B);
* ``lift`` — confidence ÷ (orders with B ÷ all orders): how much likelier B is in an order
  with A than in any order; above 1 the two go together more than chance.

Only pairs with at least ``min_count`` orders are kept: below that a lift is noise.
Refunded, closed, cancelled and unpaid lines are left out with the customer review's
:func:`~ecomops_helpers.customers.segments.clean_orders` rules, line by line and order by order.
"""

from __future__ import annotations

import pandas as pd

from .segments import clean_orders

__all__ = ["paid_lines", "copurchase_pairs"]

_ORDER_FIELDS = ("order_id", "customer_id", "paid_at", "status", "cancelled_at")


def paid_lines(
    orders: pd.DataFrame,
    details: pd.DataFrame | None = None,
    titles: pd.Series | None = None,
) -> pd.DataFrame:
    """The paid order lines (order_id, item_id) of the orders export.

    Lines come from ``orders`` when it names items per line (Shopify, split tables, a line-level
    order report), else from ``details`` (the Taobao 宝贝报表: order id, title, price, quantity,
    status per line) joined to the orders by order id. Lines named by title only take the
    item id of ``titles`` (item id → title, from the item export), else keep the title.
    A line is left out when :func:`clean_orders` leaves out its order or the line itself.
    """
    if "item_id" in orders and orders["item_id"].notna().any():
        lines = orders
    elif details is not None:
        heads = orders[[c for c in _ORDER_FIELDS if c in orders]].drop_duplicates("order_id")
        own = [c for c in ("status", "cancelled_at") if c in details]
        lines = details.merge(heads.drop(columns=own), on="order_id", how="inner")
    else:
        raise ValueError("orders name no item per line and no 宝贝报表 (order details) is given")
    if "item_id" not in lines or lines["item_id"].isna().all():
        by_title = {title: item for item, title in (titles if titles is not None else {}).items()}
        lines = lines.assign(item_id=lines["title"].map(by_title).fillna(lines["title"]))
    line_key = lines["order_id"].astype(str) + "/" + pd.RangeIndex(len(lines)).astype(str)
    kept_lines, _ = clean_orders(lines.assign(order_id=line_key.to_numpy()))
    kept_orders, _ = clean_orders(lines)
    keep = (
        line_key.isin(kept_lines["order_id"]).to_numpy()
        & lines["order_id"].isin(kept_orders["order_id"]).to_numpy()
    )
    return lines.loc[keep, ["order_id", "item_id"]].reset_index(drop=True)


def copurchase_pairs(lines: pd.DataFrame, anchors, min_count: int = 5) -> pd.DataFrame:
    """For each item of ``anchors``, the items bought in the same orders, strongest first.

    Columns: item_id, partner_id, together, item_orders, partner_orders, support, confidence,
    lift; only pairs with ``together`` ≥ ``min_count``. ``attrs["orders"]`` is the orders
    counted.
    """
    basket = lines[["order_id", "item_id"]].dropna().drop_duplicates()
    n_orders = basket["order_id"].nunique()
    orders_of = basket["item_id"].value_counts()
    anchored = basket[basket["item_id"].isin(list(anchors))]
    both = anchored.merge(basket, on="order_id", suffixes=("", "_partner"))
    both = both[both["item_id"] != both["item_id_partner"]]
    pairs = (
        both.groupby(["item_id", "item_id_partner"], sort=False)
        .size()
        .rename("together")
        .reset_index()
        .rename(columns={"item_id_partner": "partner_id"})
    )
    pairs = pairs[pairs["together"] >= min_count].copy()
    pairs["item_orders"] = pairs["item_id"].map(orders_of).astype(int)
    pairs["partner_orders"] = pairs["partner_id"].map(orders_of).astype(int)
    pairs["support"] = pairs["together"] / n_orders
    pairs["confidence"] = pairs["together"] / pairs["item_orders"]
    pairs["lift"] = pairs["confidence"] / (pairs["partner_orders"] / n_orders)
    pairs = pairs.sort_values(["item_id", "lift"], ascending=[True, False], ignore_index=True)
    pairs.attrs["orders"] = int(n_orders)
    return pairs
