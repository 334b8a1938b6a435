"""The price × conversion matrix chart: every item a bubble, the splits as lines."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .i18n import Messages
from .plots import BAD, GOOD, NEUTRAL, PALETTE, _money_axis

__all__ = ["matrix_chart"]

QUADRANT_COLOURS = {
    "push": GOOD,
    "fix_page": PALETTE[1],
    "reprice": PALETTE[3],
    "retire": BAD,
    "unread": NEUTRAL,
}


def matrix_chart(matrix: pd.DataFrame, days: int, T: Messages) -> plt.Figure:
    """Items by price and conversion, bubble area by visitors, labelled by short title."""
    m = matrix.dropna(subset=["avg_price", "conversion"])
    fig, ax = plt.subplots(figsize=(10, 5.6))
    size = 900 * m["visitors"] / max(m["visitors"].max(), 1) + 20
    for q, colour in QUADRANT_COLOURS.items():
        part = m["quadrant"] == q
        if part.any():
            ax.scatter(
                m.loc[part, "avg_price"],
                m.loc[part, "conversion"],
                s=size[part],
                color=colour,
                alpha=0.55,
                edgecolors=np.where(m.loc[part, "is_hero"], "black", "white"),
                label=T.term(q),
            )
    for row in m.itertuples():
        ax.annotate(str(row.title)[:8], (row.avg_price, row.conversion), fontsize=7, ha="center")
    ax.axvline(matrix.attrs["price_split"], color="black", ls="--", lw=1)
    ax.axhline(matrix.attrs["conversion_split"], color="black", ls="--", lw=1)
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=1))
    _money_axis(ax, T.lang, axis="x")
    ax.set_xlabel(T("charts.matrix_price"))
    ax.set_ylabel(T.term("conversion"))
    ax.set_title(T("charts.matrix", days=days))
    ax.legend(loc="upper right", fontsize=8, markerscale=0.4)
    fig.tight_layout()
    return fig
