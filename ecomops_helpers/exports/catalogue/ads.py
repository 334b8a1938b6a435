"""Ad exports: keyword and search-term rows, and plan (campaign) rows per day.

* 直通车 keyword report (关键词报表) and search-word report (搜索词报表), GB18030 with title
  rows and a 合计 row; 万相台无界 plan/item rows (a ZIP holding one CSV);
* Google Ads keyword and search-terms reports as the web UI downloads them (``Impr.``,
  ``Interactions``, ``Conv. value``, ``Currency code``; often no date column, the period in a
  banner row above the header; ``Total: …`` rows at the bottom);
* Amazon Sponsored Products search-term and campaign reports (``7 Day Total Sales``,
  ``7 Day Total Orders (#)``, ``Spend``, stray spaces in the headers).

Ratio columns (CTR, CPC, ROAS, ACoS, 投入产出比) are not read: the audit recomputes every
ratio from the sums, so a ratio averaged by a platform or a spreadsheet never enters.
Rows without a date carry the period of their file's banner (``period_start``/``period_end``).
"""

from __future__ import annotations

from ...exports.kinds import ExportKind, col

__all__ = ["KINDS", "AD_KINDS"]

_DATE = ("日期", "统计日期", "date", "day", "时间", "数据日期")
_SUMS = (
    col("impressions", "int", "展现量", "曝光量", "impr", "impressions", required=True),
    col("clicks", "int", "点击量", "点击数", "clicks", "interactions", required=True),
    col("cost", "money", "花费", "消耗", "cost", "spend", required=True),
    col(
        "orders",
        "float",
        "总成交笔数",
        "成交笔数",
        "直接成交笔数",
        "conversions",
        "7daytotalorders",
        "14daytotalorders",
        "orders",
        "purchases",
    ),
    col(
        "gmv",
        "money",
        "总成交金额",
        "成交金额",
        "直接成交金额",
        "convvalue",
        "conversion value",
        "all conv value",
        "7daytotalsales",
        "14daytotalsales",
        "sales",
    ),
    col("favs", "int", "总收藏数", "收藏数", "收藏宝贝数"),
    col("carts", "int", "总购物车数", "购物车数", "加购数", "add to cart"),
    col("currency", "str", "currencycode", "currency", "币种", "货币"),
)
_PERIOD = (
    col("period_start", "date", "start date", "开始日期"),
    col("period_end", "date", "end date", "结束日期"),
)
_CAMPAIGN = col(
    "campaign",
    "str",
    "计划名称",
    "推广计划名称",
    "推广计划",
    "计划名字",
    "计划",
    "campaign",
    "campaign name",
)  # a single-campaign export (Performance Max search terms) has none: the file is one campaign
_KEYWORD_ALIASES = ("关键词", "关键词名称", "购买关键词", "search keyword", "targeting")
_KEYWORD_COLUMNS = (
    col("date", "date", *_DATE),
    _CAMPAIGN,
    col("ad_group", "str", "推广单元", "单元名称", "宝贝名称", "ad group", "ad group name"),
    col("keyword", "str", *_KEYWORD_ALIASES, required=True),
    col(
        "match_type",
        "str",
        "匹配方式",
        "匹配类型",
        "match type",
        "search keyword match type",
    ),
    col("bid", "money", "出价", "关键词出价", "max cpc", "keyword max cpc", "bid"),
    col("quality_score", "float", "质量分", "quality score", "qual score", low=0, high=10),
    col("avg_rank", "float", "平均展现排名", "平均排名", "avg position", "average position"),
    col("status", "str", "关键词状态", "keyword status", "状态"),
    *_SUMS,
    *_PERIOD,
)

KINDS = (
    ExportKind(
        "ad_keywords",
        "campaign × keyword (× date)",
        (),
        _KEYWORD_COLUMNS,
        named_from_file="campaign",
    ),
    ExportKind(
        "ad_search_terms",
        "campaign × search term (× date)",
        (),
        (
            *_KEYWORD_COLUMNS[:3],
            col(
                "search_term",
                "str",
                "搜索词",
                "买家搜索词",
                "search term",
                "customer search term",
                required=True,
            ),
            col("term_status", "str", "added/excluded", "added excluded", "是否已添加"),
            *[c for c in _KEYWORD_COLUMNS[3:] if c.name != "keyword"],
            col("keyword", "str", *_KEYWORD_ALIASES),
        ),
        named_from_file="campaign",
    ),
    ExportKind(
        "ad_plans",
        "plan (× item) × date",
        (),
        (
            col("date", "date", *_DATE),
            col("scene", "str", "场景名字", "场景名称", "场景", "推广场景", "channel type"),
            _CAMPAIGN,
            col("item_id", "str", "主体id", "宝贝id", "商品id", "asin", "advertised asin"),
            col("item_name", "str", "主体名称", "宝贝名称", "商品名称"),
            col("budget", "money", "日预算", "预算", "budget", "daily budget"),
            *_SUMS,
            col("net_gmv", "money", "净成交金额"),
            *_PERIOD,
        ),
        named_from_file="campaign",
    ),
)

AD_KINDS = tuple(k.name for k in KINDS)
