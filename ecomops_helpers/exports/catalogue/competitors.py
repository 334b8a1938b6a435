"""Competitor exports: rival listing snapshots, rival traffic keywords, industry search terms.

* listings as 生意参谋 竞争 (竞品/竞店) exports them, as 店侦探-style tools write them (GB18030,
  宝贝链接 with the item id inside ``item.htm?id=…``, 30天销量, 评价数, 店铺名), and as Keepa /
  Jungle Scout export Amazon listings (ASIN, Buy Box price, BSR);
* rival traffic keywords (访客指数, 转化指数, 交易指数: indices, never counts or money);
* industry search terms (市场 → 搜索排行 / 搜索分析: 搜索人气, 点击率, 支付转化率, 在线商品数).

A listing snapshot's date comes from its date column or, when it has none, from its title row
or a date in its file name (``date_from_file``): the only kind whose file name is ever read.
"""

from __future__ import annotations

from ...exports.kinds import DATE_ALIASES, ExportKind, col

__all__ = ["KINDS"]

_SHOP = (
    "店铺",
    "店铺名",
    "店铺名称",
    "竞店",
    "竞店名称",
    "卖家",
    "shop",
    "seller",
    "store",
    "brand",
)

KINDS = (
    ExportKind(
        "competitor_listings",
        "snapshot date × shop × item",
        ("date", "shop", "item_id"),
        (
            col("date", "date", *DATE_ALIASES, "快照日期", "抓取日期", "采集时间", "snapshot date"),
            col("shop", "str", *_SHOP, required=True),
            col(
                "item_id",
                "str",
                "商品id",
                "宝贝id",
                "竞品id",
                "item id",
                "itemid",
                "product id",
                "asin",
            ),
            col("url", "str", "宝贝链接", "商品链接", "链接", "url", "link", "product url"),
            col(
                "title",
                "str",
                "商品名称",
                "宝贝标题",
                "商品标题",
                "竞品名称",
                "标题",
                "title",
                "product title",
                "product name",
                required=True,
            ),
            col(
                "price",
                "money",
                "价格",
                "一口价",
                "商品价格",
                "原价",
                "售价",
                "现价",
                "标价",
                "price",
                "buy box price",
                "buy box current",
                "list price",
                required=True,
            ),
            col(
                "promo_price",
                "money",
                "到手价",
                "券后价",
                "促销价",
                "折扣价",
                "sale price",
                "deal price",
            ),
            col(
                "monthly_sales",
                "int",
                "月销量",
                "商品月销量",
                "月销售量",
                "月成交量",
                "30天销量",
                "近30天销量",
                "近30天成交",
                "30天付款人数",
                "付款人数",
                "销量",
                "monthly sales",
                "sales 30d",
                "sales_30d",
                "units sold 30d",
                "estimated monthly sales",
            ),
            col(
                "review_count",
                "int",
                "评价数",
                "累计评价",
                "商品评价数",
                "评价人数",
                "评论数",
                "累计评论",
                "reviews",
                "review count",
                "ratings",
            ),
            col(
                "listed_on",
                "date",
                "上架时间",
                "上架日期",
                "首次上架时间",
                "开售时间",
                "listed",
                "date first available",
            ),
            col("category", "str", "类目", "叶子类目", "category", "product group"),
            col("stock", "int", "库存", "stock", "inventory"),
        ),
        one_of=(("item_id", "url"),),
        date_from_file=True,
    ),
    # the operator's answers: rivals/twins.csv with its same_product column filled (是/否),
    # dropped back into the data folder under any name
    ExportKind(
        "twin_answers",
        "rival item × my item",
        ("rival_item", "item_id"),
        (
            col("rival_item", "str", "竞品id", "竞品商品id", "rival item id", required=True),
            col("item_id", "str", "我的商品id", "商品id", "my item id", required=True),
            col("same_product", "str", "是否同款", "same product", "same", required=True),
            col("shop", "str", *_SHOP),
        ),
    ),
    ExportKind(
        "competitor_keywords",
        "date × shop × keyword",
        ("date", "shop", "keyword"),
        (
            col("date", "date", *DATE_ALIASES),
            col("shop", "str", *_SHOP, required=True),
            col("keyword", "str", "关键词", "来源关键词", "引流关键词", "keyword", required=True),
            col("visitors_index", "float", "访客指数", "流量指数", "访客人数指数", "visitor index"),
            col("conversion_index", "float", "转化指数", "支付转化指数", "conversion index"),
            col("trade_index", "float", "交易指数", "trade index", required=True),
        ),
        date_from_file=True,
    ),
    ExportKind(
        "industry_keywords",
        "date × keyword",
        ("date", "keyword"),
        (
            col("date", "date", *DATE_ALIASES),
            col("keyword", "str", "搜索词", "关键词", "search term", "keyword", required=True),
            col(
                "search_popularity",
                "float",
                "搜索人气",
                "搜索热度",
                "search popularity",
                "search volume",
                required=True,
            ),
            col("click_rate", "rate", "点击率", "click rate", "ctr"),
            col("conversion", "rate", "支付转化率", "转化率", "conversion rate"),
            col(
                "online_items", "int", "在线商品数", "商品数", "online items", "competing products"
            ),
        ),
        date_from_file=True,
    ),
)
