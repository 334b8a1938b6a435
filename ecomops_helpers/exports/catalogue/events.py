"""Behaviour logs: one row per user action (the Taobao/Tmall user-behaviour logs and peers)."""

from __future__ import annotations

from ...exports.kinds import ExportKind, RowShape, col

__all__ = ["KINDS", "BEHAVIORS"]

BEHAVIORS = {  # what logs write for an action → the canonical code
    "pv": "pv",
    "fav": "fav",
    "cart": "cart",
    "buy": "buy",
    "coupon": "coupon",
    "浏览": "pv",
    "点击": "pv",
    "收藏": "fav",
    "加购": "cart",
    "加购物车": "cart",
    "购买": "buy",
    "领券": "coupon",
    "view": "pv",
    "click": "pv",
    "clk": "pv",
    "browse": "pv",
    "browsing": "pv",
    "page_view": "pv",
    "pageview": "pv",
    "favorite": "fav",
    "favourite": "fav",
    "add_to_cart": "cart",
    "addtocart": "cart",
    "purchase": "buy",
    "pay": "buy",
    "coupon_claim": "coupon",
    # public Taobao/Tmall logs code the action as a number
    "1": "pv",
    "2": "fav",
    "3": "cart",
    "4": "buy",
}

KINDS = (
    ExportKind(
        "events",
        "user action",
        (),
        (
            col(
                "user_id",
                "str",
                "用户id",
                "user id",
                "userid",
                "user",
                "customer id",
                "买家会员名",
                required=True,
            ),
            col("item_id", "str", "商品id", "item id", "itemid"),
            col(
                "category_id",
                "str",
                "类目id",
                "类目",
                "category id",
                "categoryid",
                "category",
                "item category",
                "cat id",
            ),
            col(
                "behavior",
                "code",
                "行为类型",
                "行为",
                "behavior",
                "behavior type",
                "behaviour",
                "behaviour type",
                "action",
                "action type",
                "event",
                "event type",
                "type",
                required=True,
                codes=BEHAVIORS,
            ),
            col(
                "ts",
                "datetime",
                "时间戳",
                "时间",
                "timestamp",
                "ts",
                "time",
                "event time",
                "datetime",
                required=True,
            ),
        ),
        shape=RowShape(ids=("user_id", "item_id", "category_id"), time="ts", code="behavior"),
    ),
)
