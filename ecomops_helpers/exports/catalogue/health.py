"""Shop health the platform scores: DSR and 店铺层级 (shop_scores), and 问大家 questions.

Headers as public code that reads these pages writes them: 生意参谋's 店铺经营核心日报 carries
描述相符评分 / 服务态度评分 / 物流服务评分; shop pages and crawls write 宝贝与描述相符,
卖家的服务态度, 物流服务的质量 with a "比同行平均水平" / "与同行业相比" cell
("高 3.34%", "低于 1.20%", "持平").
Peer cells are kept as text and read by :func:`ecomops_helpers.daily.shop_health.vs_peer`.
"""

from __future__ import annotations

from ...exports.kinds import DATE_ALIASES, ExportKind, col

__all__ = ["KINDS", "DSR_ITEMS"]

# each DSR item: its score headers, then its peer-comparison and industry-average headers
DSR_ITEMS = {
    "description": (
        ("描述相符评分", "描述相符", "宝贝与描述相符", "描述相符得分", "description score"),
        (
            "描述相符比同行",
            "描述相符比同行平均水平",
            "宝贝与描述相符比同行平均水平",
            "描述相符与同行业相比",
            "description vs peers",
        ),
        ("描述相符行业均值", "描述相符同行均值", "描述相符行业平均", "description peer average"),
    ),
    "service": (
        ("服务态度评分", "服务态度", "卖家的服务态度", "服务态度得分", "service score"),
        (
            "服务态度比同行",
            "服务态度比同行平均水平",
            "卖家的服务态度比同行平均水平",
            "服务态度与同行业相比",
            "service vs peers",
        ),
        ("服务态度行业均值", "服务态度同行均值", "服务态度行业平均", "service peer average"),
    ),
    "logistics": (
        (
            "物流服务评分",
            "物流服务",
            "物流服务的质量",
            "物流服务得分",
            "shipping score",
            "logistics score",
        ),
        (
            "物流服务比同行",
            "物流服务比同行平均水平",
            "物流服务的质量比同行平均水平",
            "物流服务与同行业相比",
            "shipping vs peers",
            "logistics vs peers",
        ),
        (
            "物流服务行业均值",
            "物流服务同行均值",
            "物流服务行业平均",
            "shipping peer average",
            "logistics peer average",
        ),
    ),
}


def _dsr_columns():
    for item, (score, vs, avg) in DSR_ITEMS.items():
        yield col(f"dsr_{item}", "float", *score, low=1.0, high=5.0)
        yield col(f"dsr_{item}_vs_peer", "str", *vs)
        yield col(f"dsr_{item}_peer", "float", *avg, low=1.0, high=5.0)


KINDS = (
    ExportKind(
        "shop_scores",
        "date",
        ("date",),
        (
            col("date", "date", *DATE_ALIASES, required=True),
            *_dsr_columns(),
            col(
                "good_rate", "rate", "好评率", "近30天好评率", "positive rate", "positive feedback"
            ),
            col("tier", "str", "店铺层级", "层级", "所在层级", "shop tier", "tier"),
            col("tier_floor", "money", "当前层级门槛", "本层级门槛", "层级门槛", "tier threshold"),
            col(
                "next_tier_gmv", "money", "下一层级门槛", "下一层级支付金额", "next tier threshold"
            ),
        ),
        one_of=(("dsr_description", "dsr_service", "dsr_logistics", "tier"),),
    ),
    ExportKind(
        "questions",
        "question",
        (),
        (
            col(
                "item_id",
                "str",
                "商品ID",
                "宝贝ID",
                "商品id",
                "item id",
                "product id",
                required=True,
            ),
            col("question", "str", "问题", "问题内容", "提问内容", "question", required=True),
            col(
                "asked_at",
                "datetime",
                "提问时间",
                "问题时间",
                "提问日期",
                "asked at",
                "question date",
                required=True,
            ),
            col("answers", "int", "回答数", "回答数量", "回答人数", "answers", "answer count"),
            col(
                "answer",
                "str",
                "回答",
                "最新回答",
                "回答内容",
                "商家回答",
                "answer",
                "latest answer",
            ),
        ),
        one_of=(("answers", "answer"),),
    ),
)
