"""The sample shop's 同行同层 figures, in the two forms 生意参谋 writes them.

* 整体看板 downloaded with 同行对比 ticked: ``同行同层平均X`` / ``同行同层优秀X`` columns beside
  the shop's own (spelled as real files vary: ``同行同层均值跳失率``, ``同行优秀跳失率``), with
  ``-`` where 生意参谋 gives no benchmark;
* 服务 → 询单到付款, the 1-day view, one file a day: the day's row, then the rows
  ``同行同层优秀`` and ``同行同层均值``, then 汇总值 / 平均值.

Planted (:data:`PLANTED_PEERS`): the shop's conversion falls below the peer average for the
last 5 days (above it before); its average response time is slower than the peers' for the
last 4 of the service days. Everything else stays on the good side of the peer average.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..sample_files import money_text, percent_text, write_csv

__all__ = ["PLANTED_PEERS", "peer_export_columns", "write_service_exports"]


@dataclass(frozen=True)
class PlantedPeers:
    """Which figure falls behind its peers, for how long, and how many service days exist."""

    conversion_days: int
    response_days: int
    service_days: int
    missing_every: int  # every n-th day the 客单价 benchmarks are "-" (not given that day)


SEED = 23  # the sample's peers are the same on every run
PLANTED_PEERS = PlantedPeers(conversion_days=5, response_days=4, service_days=14, missing_every=9)


def _peer_average(own: pd.Series, behind_days: int) -> pd.Series:
    """A smooth peer average: the shop's trailing two weeks, a little lower.

    The shop falls below it on its last ``behind_days`` days exactly and stays above before.
    """
    smooth = own.rolling(14, min_periods=1).mean().shift(1).fillna(own) * 0.95
    behind = np.arange(len(own)) >= len(own) - behind_days
    return smooth.where(behind, np.minimum(smooth, own * 0.95)).where(
        ~behind, np.maximum(smooth * 1.08, own * 1.08)
    )


def peer_export_columns(shop_daily: pd.DataFrame) -> pd.DataFrame:
    """The 同行同层 columns of a 整体看板 download, as text cells, row for row of ``shop_daily``."""
    d = shop_daily
    rng = np.random.default_rng(SEED)
    n = len(d)
    noise = rng.uniform(0.97, 1.03, n)
    conv_avg = _peer_average(d["conversion"], PLANTED_PEERS.conversion_days)
    aov_avg = (d["aov"] * 0.9 * noise).round(2)
    no_aov = (np.arange(n) % PLANTED_PEERS.missing_every == 0) & (np.arange(n) < n - 7)
    aov_avg[no_aov] = np.nan
    bounce_avg = (d["bounce_rate"] + 0.05).clip(upper=0.95)
    return pd.DataFrame(
        {
            "同行同层平均支付转化率": percent_text(conv_avg),
            "同行同层优秀支付转化率": percent_text(conv_avg * 2.2),
            "同行同层平均访客数": (d["visitors"] * 0.6 * noise).round().astype(int),
            "同行同层优秀访客数": (d["visitors"] * 1.9 * noise).round().astype(int),
            "同行同层平均客单价(元)": money_text(aov_avg),
            "同行同层优秀客单价(元)": money_text(aov_avg * 1.4),
            "同行同层均值跳失率": percent_text(bounce_avg),
            "同行优秀跳失率": percent_text(bounce_avg - 0.2).where(no_aov == 0, "--"),
        }
    )


def write_service_exports(out: Path, shop_daily: pd.DataFrame, end: date) -> list[Path]:
    """询单到付款, 1-day view, for the last days: GB18030 CSVs below their title rows."""
    rng = np.random.default_rng(SEED + 1)
    d = shop_daily[shop_daily["date"] <= pd.Timestamp(end)].tail(PLANTED_PEERS.service_days)
    written = []
    for i, day in enumerate(d.itertuples()):
        inquiries = max(int(day.visitors * rng.uniform(0.04, 0.06)), 1)
        buyers = int(inquiries * rng.uniform(0.45, 0.55))
        slow = i >= len(d) - PLANTED_PEERS.response_days
        response = rng.uniform(38, 45) if slow else rng.uniform(14, 20)
        first = rng.uniform(6, 10)  # the first reply stays quick: only the average slows
        peer_inquiries = int(inquiries * 0.7)
        own = (inquiries, buyers, buyers / inquiries, first, response, day.aov * buyers)
        rows = [
            (f"{day.date:%Y-%m-%d}", *own),
            ("同行同层优秀", peer_inquiries * 2, int(peer_inquiries * 1.2), 0.60, 5.0, 9.0, np.nan),
            ("同行同层均值", peer_inquiries, int(peer_inquiries * 0.42), 0.42, 12.0, 25.0, np.nan),
            ("汇总值", *own),  # a 1-day view's summary rows repeat the day
            ("平均值", *own),
        ]
        table = pd.DataFrame(
            rows,
            columns=[
                "日期",
                "当日询单人数",
                "当日付款人数",
                "询单到付款转化率",
                "首次响应时长（秒）",
                "平均响应时长（秒）",
                "客服销售额(元)",
            ],
        )
        table["询单到付款转化率"] = percent_text(table["询单到付款转化率"])
        table["客服销售额(元)"] = money_text(table["客服销售额(元)"])
        for col in ("首次响应时长（秒）", "平均响应时长（秒）"):
            table[col] = table[col].round(1)
        path = out / f"询单到付款_日_{day.date:%Y-%m-%d}.csv"
        title = ["服务 > 店铺绩效 > 业绩分析 > 询单到付款", f"统计日期：{day.date:%Y-%m-%d}", ""]
        write_csv(table, path, "gb18030", title)
        written.append(path)
    return written
