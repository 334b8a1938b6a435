"""Order lines without a buyer: the Taobao 宝贝报表 (ExportOrderDetailList).

千牛 / 卖家中心 "已卖出的宝贝" downloads two files: the 订单报表 (one row per order, the buyer and
the payment; the ``orders`` kind) and the 宝贝报表, one row per item of each order:
``订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码``.
Joined by 订单编号 they say which items were bought together (co-purchase pairs).
"""

from __future__ import annotations

from ...exports.kinds import ExportKind, col

__all__ = ["KINDS"]

KINDS = (
    ExportKind(
        "order_details",
        "order line",
        (),
        (
            col("order_id", "str", "订单编号", "订单号", "主订单编号", required=True),
            col("title", "str", "标题", "宝贝标题", "商品标题", "商品名称", required=True),
            col("unit_price", "money", "价格", "单价", "商品价格", required=True, low=None),
            col("quantity", "float", "购买数量", "宝贝数量", "数量", low=None),
            col("item_id", "str", "商品id", "宝贝id"),
            col("item_code", "str", "商家编码", "外部系统编号", "商品编码"),
            col("sku", "str", "商品属性", "销售属性", "规格名称"),
            col("status", "str", "订单状态", "交易状态"),
        ),
    ),
)
