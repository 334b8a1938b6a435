"""Item-level traffic exports of 生意参谋: each item's 流量来源 and its 入店搜索词 / 入店关键词.

Headers as 生意参谋 自助取数 writes them (read in public code that ingests these downloads):

* 商品 流量来源 (old layout): 统计日期, 店铺名称, 一级流量来源, 二级流量来源, 三级流量来源, 商品ID,
  商品名称, 来源层级, 归属原则, 访客数, 支付买家数, 支付金额 … A level-1 row repeats the sums
  of its level-2 rows (their 三级流量来源 reads 汇总): rows of two levels are never added.
* 商品 流量来源 (2024 layout): 统计日期, 店铺名称, 商品ID, 流量时期, 来源类型, 上级来源名称,
  来源名称, 来源层级, 访客数, 新访客数, 浏览量 …
* 商品 流量来源详情 (search terms): 统计日期, 店铺名称, 商品ID, 商品名称, 搜索词类型, 搜索词,
  归属原则, 访客数 …; the older 入店关键词 page writes 关键词 / 来源名称, 访客数, 浏览量,
  支付买家数, 支付转化率. A rank column (排名, 搜索排名 …) is what a rank-check tool adds.
"""

from __future__ import annotations

from ...exports.kinds import DATE_ALIASES, ExportKind, col

__all__ = ["KINDS", "SOURCE_LEVELS"]

# 生意参谋 writes each level of 流量来源 as rows of their own: 一级/二级/三级 and 来源层级, or in
# the 2024 layout 上级来源名称 beside 来源名称 (shop and item files alike)
SOURCE_LEVELS = (
    col("source_l1", "str", "一级流量来源", "一级来源", "level 1 source"),
    col("source_l2", "str", "二级流量来源", "二级来源", "level 2 source"),
    col("source_l3", "str", "三级流量来源", "三级来源", "level 3 source"),
    col("parent", "str", "上级来源名称", "上级来源", "parent source"),
    col("level", "int", "来源层级", "source level", low=1.0, high=3.0),
)

_ITEM_ID = ("商品id", "宝贝id", "商品编号", "item id", "product id")
_MEASURES = (
    col("visitors", "int", "访客数", "商品访客数", "uv", "visitors", required=True),
    col("pageviews", "int", "浏览量", "pv", "pageviews"),
    col("paying_buyers", "int", "支付买家数", "支付人数", "buyers"),
    col("gmv", "money", "支付金额", "sales", "revenue"),
)

KINDS = (
    ExportKind(
        "item_sources",
        "date × item × source (each level of 流量来源)",
        ("date", "item_id", "source_l1", "source_l2", "source_l3", "parent", "source"),
        (
            col("date", "date", *DATE_ALIASES, required=True),
            col("item_id", "str", *_ITEM_ID, required=True),
            col("title", "str", "商品名称", "商品标题", "宝贝标题", "product title"),
            *SOURCE_LEVELS,
            col("source", "str", "来源名称", "流量来源", "source"),
            *_MEASURES,
        ),
        one_of=(("source_l1", "source"),),
        levels=("source_l2", "source_l3"),  # a level-1 row reads 汇总 in them
    ),
    ExportKind(
        "item_keywords",
        "date × item × search term",
        ("date", "item_id", "search_type", "keyword"),
        (
            col("date", "date", *DATE_ALIASES, required=True),
            col("item_id", "str", *_ITEM_ID, required=True),
            col("title", "str", "商品名称", "商品标题", "宝贝标题", "product title"),
            col("search_type", "str", "搜索词类型", "来源类型", "search type"),
            col(
                "keyword",
                "str",
                "搜索词",
                "关键词",
                "入店关键词",
                "入店搜索词",
                "来源名称",
                "keyword",
                "search term",
                required=True,
            ),
            col("rank", "int", "排名", "搜索排名", "自然排名", "宝贝排名", "rank", low=1.0),
            *_MEASURES,
            col("conversion", "rate", "支付转化率", "转化率", "conversion rate"),
        ),
    ),
)
