"""Platform campaigns (活动): the sign-up table an operator keeps from 营销活动中心.

One row per campaign (聚划算, 天天特卖, 淘抢购, 百亿补贴 …): its name, its dates, the sign-up
deadline and the entry thresholds the campaign's rule page states (近30天销量 ≥ N, 活动价 ≤
近30天最低价 × 折扣, 库存 ≥ N, 店铺DSR ≥ x, 好评率 ≥ x, 店铺层级 ≥ N). The platform has no
download of it: operators copy the rule page into a sheet, so headers follow its wording.
"""

from __future__ import annotations

from ...exports.kinds import ExportKind, col

__all__ = ["KINDS"]

KINDS = (
    ExportKind(
        "campaigns",
        "campaign",
        ("name",),
        (
            col("name", "str", "活动名称", "promotion", "promotion name", required=True),
            col("type", "str", "活动类型", "活动类别", "promotion type"),
            col("start", "date", "活动开始时间", "开始时间", "活动开始", "start date", future=True),
            col("end", "date", "活动结束时间", "结束时间", "活动结束", "end date", future=True),
            col(
                "deadline",
                "date",
                "报名截止时间",
                "报名截止",
                "报名截止日期",
                "sign-up deadline",
                "signup deadline",
                required=True,
                nullable=True,  # a campaign the shop was invited to has none
                future=True,
            ),
            col(
                "min_units_30d",
                "int",
                "近30天销量",
                "近30天销量≥",
                "近30天最低销量",
                "min 30-day units",
                "min units 30d",
            ),
            col(
                "price_ratio",
                "rate",
                "活动价≤近30天最低价×",
                "价格要求",
                "近30天最低价折扣",
                "max price vs 30-day low",
                high=1.0,
            ),
            col("min_stock", "int", "库存≥", "活动库存", "最低库存", "min stock"),
            col("min_dsr", "float", "店铺DSR≥", "店铺DSR", "DSR≥", "min DSR", high=5.0),
            col("min_good_rate", "rate", "好评率≥", "好评率", "min positive rate"),
            col("min_tier", "int", "店铺层级≥", "店铺层级", "min shop tier", high=7.0),
            col("uplift", "float", "预计倍数", "预估销量倍数", "expected uplift"),
        ),
    ),
)
