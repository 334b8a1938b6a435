"""Orders: one-table reports and order exports split into tables joined by order id.

One table: Taobao 订单报表, Shopify orders_export, Online Retail, plain transaction logs.
Split (e.g. the Olist data): orders, order items, payments, customers, products.
"""

from __future__ import annotations

from ...exports.kinds import ExportKind, RowShape, col

__all__ = ["KINDS", "SPLIT_ORDER_KINDS"]

ORDER_ID = ("订单编号", "订单号", "主订单编号", "name", "invoiceno", "invoice", "order id")
ORDER_ID += ("order number", "order no", "transaction id")
CUSTOMER_ID = ("买家会员名", "买家id", "会员名", "客户id", "customer id", "customerid", "email")
CUSTOMER_ID += ("customer email", "customer", "cust", "cust id", "customer no", "customer number")
CUSTOMER_ID += ("client id", "buyer", "buyer id", "member id", "user id", "userid")
PURCHASE_TIME = ("付款时间", "订单付款时间", "支付时间", "paid at", "invoicedate", "order date")
PURCHASE_TIME += ("date", "日期", "purchase date", "transaction date", "invoice date", "txn date")
PURCHASE_TIME += ("order purchase timestamp", "purchase timestamp", "order time", "purchased at")
PURCHASE_TIME += ("datetime", "timestamp", "time", "dt", "下单时间", "订单创建时间", "created at")
AMOUNT = ("实付金额", "买家实际支付金额", "实付款", "支付金额", "total", "amount", "sales")
AMOUNT += ("revenue", "金额", "value", "order value", "order total", "total amount", "spend")
AMOUNT += ("purchase amount", "dollars", "dollar", "usd", "rmb", "元", "sales amount")
QUANTITY = ("购买数量", "宝贝总数量", "宝贝数量", "数量", "quantity", "lineitem quantity", "units")
QUANTITY += ("qty", "count", "items", "number of items")
ITEM_ID = ("商品id", "宝贝id", "stockcode", "lineitem sku", "sku", "item id", "product id", "item")
CATEGORY = ("类目", "商品类目", "category", "product type", "product category name")
STATUS = ("订单状态", "交易状态", "financial status", "status", "order status")

KINDS = (
    ExportKind(
        "orders",
        "order line",
        (),
        (
            col("order_id", "str", *ORDER_ID),
            col("customer_id", "str", *CUSTOMER_ID, required=True),
            col("paid_at", "datetime", *PURCHASE_TIME, required=True, nullable=True),
            col("amount", "money", *AMOUNT, low=None),
            col("quantity", "float", *QUANTITY, low=None),
            col(
                "unit_price",
                "money",
                "单价",
                "商品单价",
                "unitprice",
                "unit price",
                "lineitem price",
                "price",
                low=None,
            ),
            col("item_id", "str", *ITEM_ID),
            col("description", "str", "宝贝标题", "商品标题", "description", "lineitem name"),
            col("category", "str", *CATEGORY),
            col("status", "str", *STATUS),
            col("cancelled_at", "str", "取消时间", "cancelled at"),
            col("channel", "str", "订单来源", "渠道", "source", "channel"),
            col("coupon_id", "str", "优惠券", "优惠券id", "店铺优惠券", "coupon", "discount code"),
            col("currency", "str", "currency", "currency code", "币种", "货币"),
        ),
        fill_within=(
            "order_id",
            (
                "customer_id",
                "paid_at",
                "status",
                "cancelled_at",
                "channel",
                "coupon_id",
                "currency",
            ),
        ),
        one_of=(("amount", "unit_price"),),
        shape=RowShape(ids=("customer_id",), time="paid_at", amount="amount", count="quantity"),
    ),
    # an order export split into tables joined by order id (e.g. the Olist e-commerce data)
    ExportKind(
        "order_headers",
        "order",
        (),
        (
            col("order_id", "str", *ORDER_ID, required=True),
            col("customer_id", "str", *CUSTOMER_ID, required=True),
            col("paid_at", "datetime", *PURCHASE_TIME, required=True, nullable=True),
            col("status", "str", *STATUS),
        ),
    ),
    ExportKind(
        "order_items",
        "order line",
        (),
        (
            col("order_id", "str", *ORDER_ID, required=True),
            col("line", "int", "order item id", "line", "line no", "item seq", low=None),
            col("item_id", "str", *ITEM_ID, required=True),
            col("unit_price", "money", "price", "单价", "unit price", "item price", required=True),
            col("freight", "money", "freight value", "freight", "运费", "shipping"),
        ),
    ),
    ExportKind(
        "order_payments",
        "payment",
        (),
        (
            col("order_id", "str", *ORDER_ID, required=True),
            col(
                "sequence",
                "int",
                "payment sequential",
                "payment sequence",
                "sequence",
                required=True,
            ),
            col("value", "money", "payment value", "paid amount", "支付金额", required=True),
            col("method", "str", "payment type", "payment method", "支付方式"),
        ),
    ),
    ExportKind(
        "customer_map",
        "order-level customer id",
        (),
        (
            col("customer_id", "str", *CUSTOMER_ID, required=True),
            col(
                "person_id",
                "str",
                "customer unique id",
                "unique id",
                "person id",
                "customer unique",
                required=True,
            ),
        ),
    ),
    ExportKind(
        "products",
        "item",
        (),
        (
            col("item_id", "str", *ITEM_ID, required=True),
            col("category", "str", *CATEGORY, required=True),
        ),
    ),
)

# the tables an order export may be split into, and how they join into the orders kind
SPLIT_ORDER_KINDS = ("order_headers", "order_items", "order_payments", "customer_map", "products")
