"""The sample shop's health exports: 店铺评分 (DSR, 好评率, 店铺层级), 问大家, timed reviews.

Planted cases the shop-health rules must find (:data:`PLANTED_HEALTH`):

* 物流服务 drops below its peers for the last 5 days ("低于同行 3.xx%");
* an unanswered worrying question (quality) on a hero item, asked the day before;
* the planted run of 差评 (see :mod:`.sample`) is left without a reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..sample_files import percent_text, write_csv, write_xlsx
from .shop_health import TIER_THRESHOLDS, gmv_30d, parse_thresholds, tier_position

__all__ = ["PLANTED_HEALTH", "review_time_and_reply", "write_health_exports"]

SCORE_DAYS = 90
SEED = 23  # its own stream: the other planted incidents keep theirs
_TIER_NAMES = "一二三四五六七"
_REPLY = "亲，非常抱歉给您带来不好的体验，客服已联系您处理，请留意旺旺消息。"
_QUESTIONS = [
    ("能放A4纸吗？", "可以的，放得下"),
    ("有几种颜色？", "白色和灰色"),
    ("可以叠放吗？", "可以叠三层"),
    ("包邮吗？", "包邮的"),
    ("会不会有味道？", "没有味道"),
    ("尺寸多大？", "详情页有尺寸图，30x20x15"),
]


@dataclass(frozen=True)
class PlantedHealth:
    """Where the planted shop-health cases are."""

    dsr_item: str
    dsr_days: int
    question_item: str
    question: str


PLANTED_HEALTH = PlantedHealth(
    dsr_item="logistics",
    dsr_days=5,
    question_item="6510000004",
    question="盖子质量怎么样？用久了会不会裂",
)


def review_time_and_reply(r: pd.DataFrame, end: date, waiting_item: str) -> dict[str, pd.Series]:
    """The 评价时间 (with the time of day) and 解释 columns of the 评价管理 export.

    Bad and neutral reviews are answered, except those of the last 3 days on ``waiting_item``
    (the planted run of 差评), which wait.
    """
    rng = np.random.default_rng(SEED)
    seconds = pd.to_timedelta(rng.integers(8 * 3600, 23 * 3600, len(r)), unit="s")
    bad = r["rating"].isin(["差评", "中评"])
    waiting = (r["item_id"] == waiting_item) & (
        r["date"] > pd.Timestamp(end) - pd.Timedelta(days=3)
    )
    return {
        "评价时间": (r["date"] + seconds).dt.strftime("%Y-%m-%d %H:%M:%S"),
        "解释": pd.Series(np.where(bad & ~waiting, _REPLY, ""), index=r.index),
    }


def _vs_peer_text(rel: np.ndarray) -> list[str]:
    return [
        "持平" if round(x, 4) == 0 else f"{'高于' if x > 0 else '低于'}同行 {abs(x):.2%}"
        for x in rel
    ]


def _scores(shop, end: date) -> pd.DataFrame:
    rng = np.random.default_rng(SEED + 1)
    days = pd.date_range(pd.Timestamp(end) - pd.Timedelta(days=SCORE_DAYS - 1), end)
    out = pd.DataFrame({"统计日期": days.strftime("%Y-%m-%d")})
    base = {"description": (4.83, 4.79), "service": (4.86, 4.81), "logistics": (4.84, 4.80)}
    names = {"description": "描述相符", "service": "服务态度", "logistics": "物流服务"}
    for item, (own, peer) in base.items():
        score = own + rng.normal(0, 0.004, len(days))
        peers = peer + rng.normal(0, 0.003, len(days))
        if item == PLANTED_HEALTH.dsr_item:
            score[-PLANTED_HEALTH.dsr_days :] = np.linspace(4.76, 4.64, PLANTED_HEALTH.dsr_days)
        rel = _vs_peer_text(score.round(2) / peers - 1)
        rel[0] = "-"  # a day the platform showed no comparison: missing, never 0
        out[f"{names[item]}评分"] = score.round(2)
        out[f"{names[item]}比同行平均水平"] = rel
    out["好评率"] = percent_text(pd.Series(rng.uniform(0.975, 0.99, len(days))))
    bounds = parse_thresholds(TIER_THRESHOLDS)
    d = shop.shop_daily
    out["店铺层级"] = [
        f"第{_TIER_NAMES[tier_position(gmv_30d(d, day), bounds).tier - 1]}层级" for day in days
    ]
    return out


def _questions(shop, end: date) -> pd.DataFrame:
    rng = np.random.default_rng(SEED + 2)
    it = shop.items_daily
    heroes = it.loc[it["is_hero"], "item_id"].unique()
    rows = []
    for item in heroes:
        for i, (q, a) in enumerate(_QUESTIONS):
            asked = pd.Timestamp(end) - pd.Timedelta(days=int(rng.integers(2, 60)), hours=i)
            rows.append((item, q, asked, int(rng.integers(1, 6)), a))
    asked = pd.Timestamp(end) - pd.Timedelta(hours=14)  # the planted one: yesterday, no answer
    rows.append((PLANTED_HEALTH.question_item, PLANTED_HEALTH.question, asked, 0, ""))
    rows.append((heroes[0], "有白色的吗？", asked, 0, ""))  # unanswered, but no worry in it
    q = pd.DataFrame(rows, columns=["商品ID", "问题", "提问时间", "回答数", "最新回答"])
    q["提问时间"] = q["提问时间"].dt.strftime("%Y-%m-%d %H:%M")
    return q.sort_values("提问时间", ignore_index=True)


def write_health_exports(out: Path, shop, end: date) -> list[Path]:
    """Write 店铺评分 (生意参谋 GB18030 with title rows) and 问大家 (xlsx); returns the files."""
    scores = out / f"店铺评分_DSR_{end}.csv"
    write_csv(_scores(shop, end), scores, "gb18030", ["生意参谋 > 店铺 > 评分", ""])
    questions = out / "问大家_导出.xlsx"
    write_xlsx(_questions(shop, end), questions)
    return [scores, questions]
