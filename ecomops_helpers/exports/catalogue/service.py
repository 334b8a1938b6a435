"""Customer-service exports: 生意参谋 服务 → 询单到付款 / 客服绩效, shop level, one row a day.

Headers as real files and the tools that read them write them: 当日询单人数 / 询单人数 /
咨询人数, 询单最终付款人数 / 当日付款人数, 询单转化率 / 询单最终付款转化率, 首次响应时长（秒)
/ 全天首响时长, 平均响应时长（秒) / 全天平响时长, 客服销售额 / 询单最终付款金额 / 客服询单支付额.
The 1-day download holds 同行同层优秀 / 同行同层均值 rows under the day's row (``peers``).
"""

from __future__ import annotations

from ...exports.kinds import DATE_ALIASES, ExportKind, col

__all__ = ["KINDS"]

KINDS = (
    ExportKind(
        "service_daily",
        "date",
        ("date",),
        (
            col("date", "date", *DATE_ALIASES, required=True),
            col("inquiries", "int", "当日询单人数", "询单人数", "咨询人数", required=True),
            col(
                "inquiry_buyers",
                "int",
                "询单最终付款人数",
                "当日付款人数",
                "询单付款人数",
                "客服销售人数",
            ),
            col(
                "inquiry_conversion",
                "rate",
                "询单到付款转化率",
                "询单最终付款转化率",
                "询单转化率",
                "询单-最终付款转化率",
            ),
            col("first_response_s", "duration", "首次响应时长", "全天首响时长", "首响时长"),
            col("avg_response_s", "duration", "平均响应时长", "全天平响时长", "旺旺平响"),
            col("service_gmv", "money", "客服销售额", "询单最终付款金额", "客服询单支付额"),
            col("satisfaction", "rate", "客户满意率", "满意率"),
        ),
        peers=True,
    ),
)
