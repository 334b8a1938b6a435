"""Which order lines are sales: :func:`clean_orders` turns an orders export into purchases.

One rule for every figure counted from orders: the customer report's purchases, and the shop's
day and items built from an orders export (:mod:`~ecomops_helpers.exports.derived`). Below both
``exports/`` and ``customers/``; it imports neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["ADJUSTMENT_CODES", "DropReport", "ZERO_LINES", "ZERO_RULES", "clean_orders"]


_REFUNDED = re.compile(
    r"退款成功|已退款|交易关闭|关闭|取消|refunded|voided|cancel|closed|unavailable"
)
_UNPAID = re.compile(r"等待买家付款|未付款|待付款|pending|unpaid|authorized|expired|^created$")
_PARTIAL = re.compile(r"partially|部分退款")
# Online Retail's non-product stock codes: postage, discounts, fees, manual adjustments
ADJUSTMENT_CODES = {
    "POST",
    "DOT",
    "D",
    "M",
    "C2",
    "CRUK",
    "BANK CHARGES",
    "AMAZONFEE",
    "PADS",
    "S",
    "B",
    "ADJUST",
    "ADJUST2",
    "TEST001",
    "TEST002",
}


@dataclass
class DropReport:
    """How many order lines were left out of customer metrics, and why."""

    lines: int = 0
    refunded_or_cancelled: int = 0
    unpaid: int = 0
    no_customer: int = 0
    unknown_person: int = 0  # split tables: orders no customers-table row reaches
    adjustments: int = 0
    zero_price: int = 0
    kept: int = 0
    zero_kept: int = 0  # zero-value lines kept as purchase occasions (a plain log)
    zero_rule: str = ""  # how zero-value lines were taken: occasion, gift, keep or drop
    amounts: dict = field(default_factory=dict)  # reason → money of the lines left out
    details: dict = field(default_factory=dict)

    REASONS = (
        "refunded_or_cancelled",
        "unpaid",
        "no_customer",
        "unknown_person",
        "adjustments",
        "zero_price",
    )

    def counts(self) -> dict[str, int]:
        """Lines left out per reason (the reasons are message-catalogue terms)."""
        return {name: getattr(self, name) for name in self.REASONS}


ZERO_LINES = ("auto", "keep", "drop")
ZERO_RULES = ("occasion", "gift", "keep", "drop")  # how zero-value lines were taken


def _plain_log(df: pd.DataFrame) -> pd.Series:
    """Lines of a plain transaction log: no order id and no item (id, date, count, amount).

    In such a log (CDNOW, ``customer_id,date,amount``) a $0 line is a purchase occasion; in a
    platform's order export (order ids, items) it is a gift or a sample.
    """
    plain = pd.Series(True, index=df.index)
    for col in ("order_id", "item_id"):
        if col in df:
            plain &= df[col].isna()
    return plain


def clean_orders(
    orders: pd.DataFrame, *, zero_lines: str = "auto"
) -> tuple[pd.DataFrame, DropReport]:
    """Purchases (one row per order) from an orders export, and what was left out.

    Left out, each counted: refunded / cancelled / closed orders (status, a cancel date, an
    Online Retail ``C…`` invoice or a negative quantity or amount), unpaid orders (status, or no
    payment time), lines without a customer, stock adjustments (non-product codes such as POST
    or D, and negative lines without a customer: write-offs, not refunds), orders that a split
    export's customers table does not reach (``_unknown_person``: an unknown person is never a
    customer of its own), and zero-value lines as ``zero_lines`` says: ``auto`` (default)
    decides by layout — a platform's order lines (order id or item) are gifts and samples,
    left out; a plain transaction log's $0 line (CDNOW: id, date, count, amount) is a
    purchase occasion, kept, as the published model fits count it — ``keep`` or ``drop``
    decide for all. ``report.amounts`` holds the money of the lines left out per reason.
    The amount of an order is its order-level paid amount where the export has one (Taobao
    实付金额, Shopify Total, written once per order), else the sum of quantity × unit price.
    Returns columns order_id, customer_id, date (the payment day), paid_at, amount, and
    category, coupon_id, channel where present.
    """
    if zero_lines not in ZERO_LINES:
        raise ValueError(f"zero_lines {zero_lines!r}: expected one of {', '.join(ZERO_LINES)}")
    df = orders  # read, never written: no copy of millions of lines
    report = DropReport(lines=len(df))
    plain = _plain_log(df)
    if "amount" not in df and not {"quantity", "unit_price"} <= set(df.columns):
        raise ValueError(
            "orders need an amount column (实付金额 / Total) or quantity and unit "
            "price (Quantity, UnitPrice)"
        )
    if "order_id" not in df:
        df = df.assign(order_id=pd.RangeIndex(len(df)).astype(str))
    status = (
        df["status"].astype("string").str.lower().fillna("")
        if "status" in df
        else pd.Series("", index=df.index)
    )
    partial = status.str.contains(_PARTIAL)
    cancelled = status.str.contains(_REFUNDED) & ~partial
    if "cancelled_at" in df:
        cancelled |= df["cancelled_at"].notna()
    cancelled |= df["order_id"].astype("string").str.fullmatch(r"[Cc]\d+").fillna(False)
    negative = pd.Series(False, index=df.index)
    for col in ("quantity", "amount"):
        if col in df:
            negative |= (df[col] < 0).fillna(False)
    # a negative line nobody bought (no customer, no cancelled invoice): a stock write-off
    stock_line = negative & df["customer_id"].isna() & ~cancelled
    refunded = (cancelled | negative) & ~stock_line
    unpaid = (status.str.contains(_UNPAID) | df["paid_at"].isna()) & ~refunded & ~stock_line
    no_customer = df["customer_id"].isna() & ~refunded & ~unpaid & ~stock_line
    unknown = (
        df["_unknown_person"].fillna(False).astype(bool)
        if "_unknown_person" in df
        else pd.Series(False, index=df.index)
    )
    unknown_person = no_customer & unknown
    no_customer &= ~unknown
    adjust = stock_line.copy()
    if "item_id" in df:
        adjust |= df["item_id"].astype("string").str.upper().isin(ADJUSTMENT_CODES).fillna(False)
    adjust &= ~refunded & ~unpaid & ~no_customer & ~unknown_person
    line_value = (
        df["quantity"] * df["unit_price"] if {"quantity", "unit_price"} <= set(df) else df["amount"]
    )
    if "amount" in df:  # an order whose lines are missing still has its paid amount
        line_value = line_value.fillna(df["amount"])
    zero = (line_value.fillna(0) == 0) & ~refunded & ~unpaid & ~no_customer & ~adjust
    zero &= ~unknown_person
    if zero_lines == "auto":
        occasion = zero & plain
        report.zero_rule = "occasion" if occasion.any() else ("gift" if zero.any() else "")
        zero &= ~plain
    else:
        occasion = zero.copy() if zero_lines == "keep" else zero & False  # not zero itself
        report.zero_rule = zero_lines if zero.any() else ""
        zero &= zero_lines == "drop"
    report.zero_kept = int(occasion.sum())
    left_out = {
        "refunded_or_cancelled": refunded,
        "unpaid": unpaid,
        "no_customer": no_customer,
        "unknown_person": unknown_person,
        "adjustments": adjust,
        "zero_price": zero,
    }
    value = line_value.abs().fillna(0)
    for reason, mask in left_out.items():
        setattr(report, reason, int(mask.sum()))
        report.amounts[reason] = float(value[mask].sum())
    keep = ~np.logical_or.reduce(list(left_out.values()))
    report.kept = int(keep.sum())
    wanted = ("order_id", "customer_id", "paid_at", "amount", "category", "coupon_id", "channel")
    lines = df.loc[keep, [c for c in wanted if c in df]].assign(_line=line_value[keep])
    agg = {"customer_id": "first", "paid_at": "min", "_line": "sum"}
    if "amount" in lines:
        agg["amount"] = "max"
    for col in ("category", "coupon_id", "channel"):
        if col in lines:
            agg[col] = "first"
    per_order = lines.groupby("order_id", sort=False).agg(agg)
    if "amount" in per_order:
        per_order["amount"] = per_order["amount"].fillna(per_order["_line"])
    else:
        per_order["amount"] = per_order["_line"]
    per_order = per_order.drop(columns="_line").reset_index()
    per_order["date"] = per_order["paid_at"].dt.normalize()
    return per_order.sort_values("paid_at", kind="stable").reset_index(drop=True), report
