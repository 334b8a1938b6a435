"""The daily review's trace chart: a hero item's core search terms, rank (or visitors) by day."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .i18n import Messages
from .plots import PALETTE, _date_axis

__all__ = ["keyword_rank_chart"]


def keyword_rank_chart(
    history: pd.DataFrame, title: str, first_page_rank: int, T: Messages
) -> plt.Figure:
    """Each search term's daily rank, best at the top, with the first page dashed.

    ``history`` is :func:`ecomops_helpers.daily.trace.keyword_history`; when its measure is
    visitors (the export has no rank) the terms' visitors are drawn instead.
    """
    by_rank = history.attrs.get("measure") == "rank"
    fig, ax = plt.subplots(figsize=(9, 3.4))
    for i, (term, g) in enumerate(history.groupby("keyword", sort=False)):
        ax.plot(
            g["date"],
            g["value"],
            lw=2,
            marker="o",
            ms=3,
            color=PALETTE[i % len(PALETTE)],
            label=term,
        )
    if by_rank:
        ax.axhline(first_page_rank, ls="--", lw=1, color="#888888")
        ax.invert_yaxis()
    ax.set_title(T("charts.trace_rank" if by_rank else "charts.trace_visitors", title=title))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=9, ncol=3)
    _date_axis(ax)
    fig.tight_layout()
    return fig
