"""What buyers complain about: review and 问大家 texts grouped into causes by keyword lists.

The keyword lists live here and only here (:data:`CAUSES`, zh and en words). A text may name
several causes; each cause counts a text once.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["CAUSES", "cause_flags", "cause_counts"]

CAUSES: dict[str, tuple[str, ...]] = {
    "product": (
        "质量",
        "做工",
        "坏",
        "裂",
        "断",
        "毛刺",
        "粗糙",
        "异味",
        "味道",
        "塑料味",
        "变形",
        "掉色",
        "不结实",
        "图片不符",
        "图不符",
        "假货",
        "次品",
        "瑕疵",
        "quality",
        "broke",
        "broken",
        "crack",
        "smell",
        "flimsy",
        "defect",
        "not as pictured",
    ),
    "size": (
        "尺寸",
        "尺码",
        "大小",
        "偏大",
        "偏小",
        "太小",
        "太大",
        "放不下",
        "装不下",
        "容量",
        "多大",
        "多高",
        "size",
        "too small",
        "too big",
        "fit",
        "dimension",
    ),
    "delivery": (
        "物流",
        "快递",
        "发货",
        "配送",
        "送货",
        "到货",
        "压坏",
        "破损",
        "漏发",
        "少发",
        "发错",
        "shipping",
        "delivery",
        "courier",
        "arrived late",
        "damaged in transit",
        "missing part",
    ),
    "service": (
        "客服",
        "不理",
        "态度",
        "退货",
        "退款",
        "售后",
        "没人回",
        "不回复",
        "customer service",
        "support",
        "refund",
        "return",
        "rude",
        "no reply",
    ),
}


def cause_flags(texts: pd.Series) -> pd.DataFrame:
    """One boolean column per cause: does each text name it (case-insensitive, zh or en)."""
    low = texts.fillna("").astype(str).str.lower()
    return pd.DataFrame(
        {
            cause: low.apply(lambda t, w=words: any(x in t for x in w))
            for cause, words in CAUSES.items()
        },
        index=texts.index,
    )


def cause_counts(
    voices: pd.DataFrame, now: pd.Timestamp, recent_days: int, base_days: int
) -> pd.DataFrame:
    """Per cause: texts of the last ``recent_days`` against the ``base_days`` before them.

    ``voices`` has ``at`` (when posted), ``text`` and ``source`` (review / question).
    ``expected`` is the earlier count scaled to ``recent_days``; ``ratio`` = recent / expected
    (infinite when nothing came before).
    """
    start = now - pd.Timedelta(days=recent_days)
    base_start = start - pd.Timedelta(days=base_days)
    flags = cause_flags(voices["text"])
    recent = voices["at"].gt(start) & voices["at"].le(now)
    before = voices["at"].gt(base_start) & voices["at"].le(start)
    rows = []
    for cause in CAUSES:
        hit = flags[cause]
        n_recent = int((hit & recent).sum())
        expected = (hit & before).sum() * recent_days / base_days
        rows.append(
            {
                "cause": f"cause_{cause}",
                "cause_reviews": int((hit & recent & voices["source"].eq("review")).sum()),
                "cause_questions": int((hit & recent & voices["source"].eq("question")).sum()),
                "cause_recent": n_recent,
                "cause_expected": float(expected),
                "cause_ratio": n_recent / expected
                if expected
                else float("inf")
                if n_recent
                else 0.0,
            }
        )
    return pd.DataFrame(rows)
