"""The words for failing item pages, shared by the daily review and the paid-ads audit.

``failure_text`` writes the checks an item page fails with their numbers and limits:
"详情页跳失率 78.0% > 70%、平均停留 22 秒 < 30 秒".
"""

from __future__ import annotations

import pandas as pd

from ..page import formatting as fmt
from ..page.i18n import Messages
from .item_health import CHECKS

__all__ = ["failure_text", "missing_columns_text"]


def failure_text(T: Messages, row: pd.Series, th, lang: str) -> str:
    """Each failed check of one item's page health row: value, side and limit (``th``'s)."""
    limits = {
        "bounce_rate": (fmt.pct(row["bounce_rate"], 1, lang), ">", fmt.pct(th.bounce_max, 0, lang)),
        "avg_stay_s": (fmt.number(row["avg_stay_s"], 0), "<", fmt.number(th.stay_min_s, 0)),
        "conversion": (
            fmt.pct(row["conversion"], 2, lang),
            "<",
            fmt.pct(th.item_conversion_min, 1, lang),
        ),
    }
    parts = [
        T(f"cross_report.checks.{c}", value=limits[c][0], op=limits[c][1], limit=limits[c][2])
        for c in CHECKS
        if row[f"{c}_fails"]
    ]
    return T("ui.list_sep").join(parts)


def missing_columns_text(T: Messages, columns: list[str]) -> str:
    """Why the item page check cannot run: the 商品效果 columns it needs and lacks."""
    return T(
        "reasons.item_page_columns",
        columns=T("ui.list_sep").join(T(f"cross_report.columns.{c}") for c in columns),
    )
