"""Shop-level exports: 生意参谋 整体看板, 流量来源, 商品效果, 月度目标, 评价管理 and peers."""

from __future__ import annotations

from ...exports.kinds import DATE_ALIASES, ExportKind, col
from .traffic import SOURCE_LEVELS

__all__ = ["KINDS"]

RATING_WORDS = {
    "好评": 5.0,
    "中评": 3.0,
    "差评": 1.0,
    "positive": 5.0,
    "neutral": 3.0,
    "negative": 1.0,
    "good": 5.0,
    "bad": 1.0,
}

# Amazon Business Reports (Sales and Traffic by Date / by Child Item) and English daily files;
# "- Total" names are the 2021+ ones, the bare ones older; "- B2B" twins are a share of them
_SESSIONS = ("sessions - total", "sessions")
_PAGE_VIEWS = ("page views - total", "page views")
_UNITS = ("units ordered", "units")
_ORDERS = ("total order items", "orders placed", "orders")
_SALES = ("ordered product sales", "gross product sales", "total sales", "sales", "revenue")
_CHILD_ASIN = ("(child) asin", "child asin", "asin")
_AMAZON_EXTRA = (
    col(
        "buy_box",
        "rate",
        "featured offer (buy box) percentage",
        "featured offer percentage",
        "buy box percentage",
    ),
    col("gmv_b2b", "money", "ordered product sales - b2b"),
    col("units_b2b", "int", "units ordered - b2b"),
)
# GA4 Traffic acquisition's first column (session scope; first-user scope in User acquisition)
_GA4_CHANNEL = (
    "session default channel group",
    "session primary channel group",
    "first user default channel group",
    "default channel group",
)

KINDS = (
    ExportKind(
        "shop_daily",
        "date",
        ("date",),
        (
            col("date", "date", *DATE_ALIASES, required=True),
            col("visitors", "int", "访客数", "uv", *_SESSIONS, "visitors", required=True),
            col("pageviews", "int", "浏览量", "pv", *_PAGE_VIEWS, "pageviews"),
            # what conversion counts: buyers (生意参谋), else units (Amazon), else orders
            col("paying_buyers", "int", "支付买家数", "buyers", "customers"),
            col("units", "int", "支付件数", *_UNITS),
            col("orders", "int", "下单买家数", "支付子订单数", "支付订单数", "订单数", *_ORDERS),
            col("gmv", "money", "支付金额", "销售额", "成交金额", *_SALES, required=True),
            *_AMAZON_EXTRA,
            col("conversion", "rate", "支付转化率", "转化率", "conversion rate"),
            col("aov", "money", "客单价", "average order value"),
            col("bounce_rate", "rate", "跳失率", "bounce rate"),
            col("pages_per_visit", "float", "人均浏览量", "pages per visit", "pages per session"),
            col(
                "avg_stay_s",
                "duration",
                "平均停留时长",
                "平均停留时长(秒)",
                "average session duration",
            ),
            col("fav_buyers", "int", "商品收藏买家数", "收藏买家数"),
            col("cart_buyers", "int", "加购人数", "商品加购人数"),
            col("refund_amount", "money", "成功退款金额", "退款金额", "refunds", "returns"),
            col("new_buyers", "int", "新买家数", "新支付买家数", "new customers"),
            col("returning_buyers", "int", "老买家数", "老支付买家数", "returning customers"),
        ),
        # a custom-range download's 汇总值 row sums these over its days
        # visitors and buyers of a range are counted once per person (UV), not summed by day
        one_of=(("paying_buyers", "units", "orders"),),
        additive=("pageviews", "units", "orders", "gmv", "refund_amount", "gmv_b2b", "units_b2b"),
        peers=True,  # 同行同层平均/优秀 columns (tick 同行对比 when downloading)
    ),
    ExportKind(
        "traffic_sources",
        "date × source (each level of 流量来源)",
        ("date", "source_l1", "source_l2", "source_l3", "parent", "source"),
        (
            col("date", "date", *DATE_ALIASES),  # else the file's: date_from_file
            col(
                "source",
                "str",
                "流量来源",
                "来源",
                "来源名称",
                "渠道",
                "channel",
                "traffic source",
                *_GA4_CHANNEL,
            ),
            *SOURCE_LEVELS,
            col("visitors", "int", "访客数", "uv", "sessions", "visitors", required=True),
            col("paying_buyers", "int", "支付买家数", "buyers", "customers", "transactions"),
            col("gmv", "money", "支付金额", "销售额", "sales", "revenue", "total revenue"),
            col("cost", "money", "花费", "推广花费", "消耗", "spend", "ad spend"),
            # GA4: what its sessions did; key events were called conversions before 2024
            col("engaged_sessions", "int", "engaged sessions"),
            col("key_events", "float", "key events", "conversions"),
        ),
        date_from_file=True,  # GA4 without its Date dimension: the day of its # Start/End date
        snapshot=False,
        one_of=(("source", "source_l1"),),
        levels=("source_l2", "source_l3"),  # a level-1 row reads 汇总 in them
        # no additive: 一级 source rows repeat their 二级 rows' sums, so a 汇总值 row is not
        # the rows' sum; its summary rows are only dropped
    ),
    ExportKind(
        "items_daily",
        "date × item",
        ("date", "item_id"),
        (
            col("date", "date", *DATE_ALIASES),  # else the file's: date_from_file
            col(
                "item_id",
                "str",
                "商品id",
                "宝贝id",
                "商品编号",
                "item id",
                "product id",
                *_CHILD_ASIN,
                required=True,
            ),
            col("parent_id", "str", "(parent) asin", "parent asin"),
            col(
                "title",
                "str",
                "商品名称",
                "商品标题",
                "宝贝标题",
                "product title",
                "product",
                "title",
            ),
            col("visitors", "int", "商品访客数", "访客数", "visitors", *_SESSIONS, required=True),
            col("pageviews", "int", "商品浏览量", "浏览量", *_PAGE_VIEWS),
            col("paying_buyers", "int", "支付买家数", "buyers", "customers"),
            col("units", "int", "支付件数", *_UNITS, "quantity", "net quantity"),
            col("orders", "int", "支付子订单数", *_ORDERS),
            col("gmv", "money", "支付金额", "销售额", *_SALES, required=True),
            *_AMAZON_EXTRA,
            col("fav_cart", "int", "收藏加购人数", "商品收藏加购人数", "加购收藏人数"),
            col("refund_amount", "money", "成功退款金额", "退款金额", "refunds"),
            col("stock", "int", "库存", "当前库存", "库存量", "inventory"),
            col("is_hero", "flag", "主推", "是否主推", "hero"),
            # item page health (商品效果 / 商品源数据): the detail page's own figures
            col(
                "bounce_rate",
                "rate",
                "商品详情页跳出率",
                "详情页跳出率",
                "详情页跳失率",
                "跳出率",
                "跳失率",
                "bounce rate",
            ),
            col(
                "avg_stay_s",
                "duration",
                "平均停留时长",
                "商品平均停留时长",
                "平均停留时长(秒)",
                "商品页停留时间",
                "average time on page",
            ),
            # Amazon's unit session percentage: units per session (may pass 100 %)
            col(
                "conversion",
                "rate",
                "商品支付转化率",
                "支付转化率",
                "conversion rate",
                "unit session percentage",
                high=None,
            ),
        ),
        # visitors overlap across items: not summed
        additive=("units", "orders", "gmv", "refund_amount", "gmv_b2b", "units_b2b"),
        peers=True,
        date_from_file=True,  # Amazon's by Child Item report: one file per day, dated by its name
        snapshot=False,
    ),
    ExportKind(
        "plan",
        "month",
        ("month",),
        (
            col("month", "month", "月份", "月", "目标月份", required=True),
            col(
                "gmv_target",
                "money",
                "目标销售额",
                "销售目标",
                "目标支付金额",
                "gmv目标",
                "sales target",
                required=True,
            ),
            col("visitors_target", "int", "目标访客数", "访客目标"),
            col("conversion_target", "rate", "目标转化率", "转化率目标"),
        ),
    ),
    ExportKind(
        "reviews",
        "review",
        (),
        (
            # 评价时间 carries the time of day: hours since a bad review was posted
            col("date", "datetime", "评价时间", "评价日期", "日期", "date", required=True),
            col("item_id", "str", "商品id", "宝贝id", "item id", "product id", required=True),
            col(
                "rating",
                "rating",
                "评价等级",
                "评分",
                "评价",
                "星级",
                "level",
                "stars",
                required=True,
                low=1.0,
                high=5.0,
                codes=RATING_WORDS,
            ),
            col("text", "str", "评价内容", "内容", "review", "content", "comment"),
            col(
                "reply",
                "str",
                "解释",
                "评价解释",
                "商家回复",
                "卖家回复",
                "掌柜回复",
                "回复内容",
                "reply",
                "seller reply",
                "response",
            ),
        ),
    ),
)
