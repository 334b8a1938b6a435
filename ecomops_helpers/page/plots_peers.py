"""The daily review's 同行同层 chart: a figure against its peer average and excellent peers."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from .i18n import Messages
from .plots import BAD, NEUTRAL, PALETTE, _date_axis

__all__ = ["peer_chart"]


def peer_chart(
    daily: pd.DataFrame, figures: list[tuple[str, str, bool]], report_date, days: int, T: Messages
) -> plt.Figure:
    """One panel per ``(figure, label, is_rate)``: the shop, the peer average, the excellent.

    ``daily`` holds ``date``, each figure and its ``peer_avg_``/``peer_top_`` columns; days
    where a benchmark is missing (a ``-`` cell) are gaps in its line, never zero.
    """
    when = pd.Timestamp(report_date)
    s = daily[(daily["date"] > when - pd.Timedelta(days=days)) & (daily["date"] <= when)]
    fig, axes = plt.subplots(1, len(figures), figsize=(11, 3.4), squeeze=False)
    for ax, (figure, label, is_rate) in zip(axes[0], figures):
        ax.plot(s["date"], s[figure], lw=2, color=PALETTE[0], label=T("daily.peers.shop"))
        for tier, style, colour in (("avg", "--", BAD), ("top", ":", NEUTRAL)):
            column = f"peer_{tier}_{figure}"
            if column in s:
                ax.plot(
                    s["date"],
                    s[column],
                    ls=style,
                    lw=1.6,
                    color=colour,
                    label=T(f"daily.peers.{tier}"),
                )
        if is_rate:
            ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=1))
        ax.set_title(T("daily.peers.chart", metric=label, days=days), fontsize=10)
        _date_axis(ax)
    axes[0][0].legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), fontsize=9, ncol=3)
    fig.tight_layout()
    return fig
