"""The shop's daily figures against 同行同层 (peers of the same category and tier).

Pure functions on frames that carry a figure beside its ``peer_avg_<figure>`` and
``peer_top_<figure>`` columns (as the reader gives them for 整体看板 and 询单到付款).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exports.kinds import peer_column
from .anomalies import run_length

__all__ = [
    "LOWER_IS_BETTER",
    "OWNER_OF_FIGURE",
    "PEER_TABLE_COLUMNS",
    "peer_frame",
    "peer_figures",
    "days_worse",
    "peer_table",
]

LOWER_IS_BETTER = frozenset({"bounce_rate", "first_response_s", "avg_response_s", "refund_amount"})
"""Figures where a value above the peers' is the worse one."""

# The team that acts on a figure behind its peers. Page figures (bounce, stay, pages per
# visit, conversion) are the detail page's: 美工. Traffic is the ads team's; order value,
# GMV and buyers are the operator's mix and price; service figures are 客服's.
OWNER_OF_FIGURE = {
    "visitors": "ads",
    "pageviews": "ads",
    "conversion": "design",
    "bounce_rate": "design",
    "avg_stay_s": "design",
    "pages_per_visit": "design",
    "inquiries": "service",
    "inquiry_buyers": "service",
    "inquiry_conversion": "service",
    "first_response_s": "service",
    "avg_response_s": "service",
    "service_gmv": "service",
    "satisfaction": "service",
}
DEFAULT_OWNER = "operations"

PEER_TABLE_COLUMNS = ["figure", "value", "peer_avg", "peer_top", "peer_gap", "days_below"]


def peer_frame(*frames: pd.DataFrame | None) -> pd.DataFrame:
    """Daily frames (one row a date) joined on the date; reading's bookkeeping dropped."""
    kept = [f.drop(columns=["_file", "_row"], errors="ignore") for f in frames if f is not None]
    out = kept[0]
    for other in kept[1:]:
        out = out.merge(other, on="date", how="outer")
    return out.sort_values("date").reset_index(drop=True)


def peer_figures(daily: pd.DataFrame) -> list[str]:
    """Figures of ``daily`` with a peer average or an excellent peer stated on some day."""
    out = []
    for c in daily.columns:
        peers = [peer_column(t, c) for t in ("avg", "top") if peer_column(t, c) in daily]
        if peers and daily[peers].notna().any().any():
            out.append(c)
    return out


def days_worse(daily: pd.DataFrame, figure: str, report_date) -> int:
    """Consecutive days up to ``report_date`` the figure was worse than the peer average.

    Worse is below, or above for :data:`LOWER_IS_BETTER` figures. A day without the figure,
    without its peer average, or absent from the export ends the run.
    """
    when = pd.Timestamp(report_date)
    s = daily[daily["date"] <= when].set_index("date")
    value, peer = s[figure], s[peer_column("avg", figure)]
    worse = value > peer if figure in LOWER_IS_BETTER else value < peer
    days = pd.date_range(s.index.min(), when) if len(s) else pd.DatetimeIndex([when])
    flags = worse.astype(int).reindex(days, fill_value=0)
    return run_length(flags, when)


def peer_table(daily: pd.DataFrame, report_date) -> pd.DataFrame:
    """One row per figure with peers on ``report_date``: value, peer average, excellent peer.

    Also the gap to the average (relative: -0.19 is 19 % short of it; signed so that
    negative is always worse, lower-is-better figures turned), the days worse than the
    average, the direction and the team that acts. Empty when no figure has peers that day.
    """
    when = pd.Timestamp(report_date)
    today = daily[daily["date"] == when]
    rows = []
    for figure in peer_figures(daily):
        avg_col, top_col = peer_column("avg", figure), peer_column("top", figure)
        value = today[figure].iloc[0] if len(today) and figure in today else np.nan
        avg = today[avg_col].iloc[0] if avg_col in today and len(today) else np.nan
        top = today[top_col].iloc[0] if top_col in today and len(today) else np.nan
        if pd.isna(avg) and pd.isna(top):
            continue
        gap = value / avg - 1 if pd.notna(avg) and avg else np.nan
        if figure in LOWER_IS_BETTER:
            gap = -gap
        rows.append(
            {
                "figure": figure,
                "value": value,
                "peer_avg": avg,
                "peer_top": top,
                "peer_gap": gap,
                "days_below": days_worse(daily, figure, when) if pd.notna(avg) else 0,
                "lower_is_better": figure in LOWER_IS_BETTER,
                "owner": OWNER_OF_FIGURE.get(figure, DEFAULT_OWNER),
            }
        )
    return pd.DataFrame(rows, columns=[*PEER_TABLE_COLUMNS, "lower_is_better", "owner"])
