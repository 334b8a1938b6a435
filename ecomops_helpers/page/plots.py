"""Chart theme with a CJK font, and the daily review's charts.

matplotlib's default font has no Chinese glyphs; :func:`use_cjk_font` registers Noto Sans CJK
from the ``mplfonts`` package (a dependency, so it is always there, offline), preferring a
system CJK font when one is installed.
"""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager

from .i18n import Messages

__all__ = [
    "use_cjk_font",
    "apply_theme",
    "plan_chart",
    "waterfall_chart",
    "source_mix_chart",
    "anomaly_chart",
    "health_chart",
    "hero_chart",
    "profit_chart",
    "bar_chart",
    "stacked_months_chart",
    "heatmap",
    "holdout_chart",
    "ad_trend_chart",
    "price_history_chart",
    "launch_chart",
]

PALETTE = ["#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f", "#c62828", "#5d4037", "#546e7a"]
GOOD, BAD, NEUTRAL = "#2e7d32", "#c62828", "#90a4ae"
_SYSTEM_CJK = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
)


def _bundled_font() -> Path | None:
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.exists() else None


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese: returns the family name now first in ``font.sans-serif``."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = next((name for name in _SYSTEM_CJK if name in installed), None)
    if family is None:
        path = _bundled_font()
        if path is None:
            raise RuntimeError(
                "no CJK font found: install the project's dependencies (mplfonts) "
                "or a system font such as fonts-noto-cjk"
            )
        font_manager.fontManager.addfont(str(path))
        family = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def apply_theme() -> str:
    """Clean white-grid theme, CJK font, sizes that read well in an HTML report.

    Uses matplotlib's bundled seaborn style rather than importing seaborn, which costs a
    second of kernel time (it pulls in scipy.stats) for nothing the reports need.
    """
    matplotlib.style.use("seaborn-v0_8-whitegrid")
    family = use_cjk_font()
    matplotlib.rcParams.update(
        {
            "figure.figsize": (9, 3.6),
            "figure.dpi": 100,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            # names from exports (满$99减$10, $$ 双11 $$) are drawn as written, never as math
            "text.parse_math": False,
        }
    )
    return family


def _date_axis(ax, max_ticks: int = 7) -> None:
    locator = matplotlib.dates.AutoDateLocator(minticks=3, maxticks=max_ticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%m-%d"))
    ax.tick_params(axis="x", rotation=45)


def _money_axis(ax, lang: str, axis="y"):
    fmt = matplotlib.ticker.FuncFormatter(
        lambda v, _: (
            (f"{v / 10000:.1f}万" if lang == "zh" else f"{v / 1000:,.0f}k")
            if abs(v) >= 10000
            else f"{v:,.0f}"
        )
    )
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def plan_chart(pacing, T: Messages) -> plt.Figure:
    """Daily GMV vs daily target (bars) and cumulative actual vs cumulative target (lines)."""
    d = pacing.daily
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.6))
    colours = np.where(d["actual"] >= d["target"], GOOD, BAD)
    actual, target = T("charts.actual"), T("charts.target")
    ax1.bar(d["date"], d["actual"].fillna(0), color=colours, label=actual)
    ax1.plot(d["date"], d["target"], color="black", lw=1.5, label=target)
    ax1.set_title(T("charts.daily"))
    ax2.plot(d["date"], d["cum_target"], color="black", lw=1.5, ls="--", label=target)
    ax2.plot(d["date"], d["cum_actual"], color=PALETTE[0], lw=2.5, label=actual)
    ax2.set_title(T("charts.cumulative"))
    for ax in (ax1, ax2):
        _money_axis(ax, T.lang)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
        _date_axis(ax)
    fig.tight_layout()
    return fig


def waterfall_chart(row: pd.Series, T: Messages, now: str = "charts.now") -> plt.Figure:
    """Base GMV → visitors effect → conversion effect → AOV effect → today's GMV.

    ``now`` is the catalogue key of the last bar's label (today, or the week).
    """
    steps = [row["visitors_effect"], row["conversion_effect"], row["aov_effect"]]
    names = [T("charts.base"), *(T.term(f) for f in ("visitors", "conversion", "aov"))]
    names.append(T(now))
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.bar(0, row["base_gmv"], color=NEUTRAL)
    level = row["base_gmv"]
    for i, step in enumerate(steps, start=1):
        ax.bar(i, step, bottom=level, color=GOOD if step >= 0 else BAD)
        ax.text(i, level + max(step, 0), f"{step:+,.0f}", ha="center", va="bottom", fontsize=10)
        level += step
    ax.bar(4, row["gmv"], color=PALETTE[0])
    for i, v in ((0, row["base_gmv"]), (4, row["gmv"])):
        ax.text(i, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=10)
    ax.set_xticks(range(5), names)
    _money_axis(ax, T.lang)
    ax.set_title(T("charts.bridge", baseline=T.term(row["baseline"])), pad=18)
    fig.tight_layout()
    return fig


def source_mix_chart(sources: pd.DataFrame, report_date, days: int, T: Messages) -> plt.Figure:
    """Visitors by source over the last ``days`` (stacked area) and cost per buyer of paid ones."""
    when = pd.Timestamp(report_date)
    recent = sources[(sources["date"] > when - pd.Timedelta(days=days)) & (sources["date"] <= when)]
    wide = recent.pivot_table(index="date", columns="source", values="visitors", aggfunc="sum")
    wide = wide[wide.sum().sort_values(ascending=False).index]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
    ax1.stackplot(wide.index, wide.T.to_numpy(), labels=wide.columns, colors=PALETTE, alpha=0.85)
    ax1.set_title(T("charts.source_visitors"))
    ax1.legend(loc="upper left", fontsize=8, ncol=2)
    if "cost" in recent and recent["cost"].fillna(0).sum() > 0:
        paid = recent[recent["cost"].fillna(0) > 0]
        cost = paid.pivot_table(index="date", columns="source", values="cost", aggfunc="sum")
        buyers = paid.pivot_table(
            index="date", columns="source", values="paying_buyers", aggfunc="sum"
        )
        per_buyer = cost / buyers.replace(0, np.nan)
        colours = dict(zip(wide.columns, itertools.cycle(PALETTE)))  # as in the left panel
        for source in per_buyer:
            ax2.plot(
                per_buyer.index, per_buyer[source], lw=2, color=colours.get(source), label=source
            )
        ax2.set_title(T("charts.cost_per_buyer"))
        ax2.legend(fontsize=8)
    else:
        ax2.set_axis_off()
    for ax in (ax1, ax2):
        _date_axis(ax)
    fig.tight_layout()
    return fig


def anomaly_chart(anomalies: dict[str, pd.DataFrame], days: int, T: Messages) -> plt.Figure:
    """Each series over the last ``days`` with its expected band and flagged days marked."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 6), sharex=True)
    for ax, (name, a) in zip(axes.ravel(), anomalies.items()):
        a = a.iloc[-days:]
        ax.fill_between(
            a.index,
            a["expected"] - 3 * a["scale"],
            a["expected"] + 3 * a["scale"],
            color=NEUTRAL,
            alpha=0.3,
            lw=0,
        )
        ax.plot(a.index, a["value"], color=PALETTE[0], lw=1.8)
        ax.plot(a.index, a["expected"], color="black", lw=1, ls="--")
        hit = a[a["flag"] != 0]
        ax.scatter(hit.index, hit["value"], color=BAD, zorder=3, s=30)
        ax.set_title(T.term(name))
        if name in ("conversion",):
            ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=1))
        elif name in ("gmv",):
            _money_axis(ax, T.lang)
        _date_axis(ax)
    fig.tight_layout()
    return fig


def health_chart(
    shop: pd.DataFrame, report_date, days: int, checks: list[tuple], T: Messages
) -> plt.Figure:
    """One panel per page-health metric with its threshold line, bad days in red."""
    when = pd.Timestamp(report_date)
    s = shop[(shop["date"] > when - pd.Timedelta(days=days)) & (shop["date"] <= when)]
    checks = [c for c in checks if c[0] in s]
    fig, axes = plt.subplots(1, len(checks), figsize=(11, 3.2), squeeze=False)
    for ax, (col, limit, low_is_bad) in zip(axes[0], checks):
        bad = s[col] < limit if low_is_bad else s[col] > limit
        ax.bar(s["date"], s[col], color=np.where(bad, BAD, GOOD), width=0.8)
        ax.axhline(limit, color="black", ls="--", lw=1)
        ax.set_title(T.term(col))
        if col == "bounce_rate":
            ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        _date_axis(ax)
    fig.tight_layout()
    return fig


def hero_chart(
    items: pd.DataFrame, heroes: pd.DataFrame, report_date, days: int, T: Messages
) -> plt.Figure:
    """Daily conversion of each hero item over the last ``days``."""
    when = pd.Timestamp(report_date)
    fig, ax = plt.subplots(figsize=(9, 3.4))
    for i, h in enumerate(heroes.itertuples()):
        it = items[
            (items["item_id"] == h.item_id)
            & (items["date"] > when - pd.Timedelta(days=days))
            & (items["date"] <= when)
        ]
        conv = it["paying_buyers"] / it["visitors"].replace(0, np.nan)
        ax.plot(it["date"], conv, lw=2, color=PALETTE[i % len(PALETTE)], label=h.title)
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=1))
    ax.set_title(T("charts.hero_conv"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=9, ncol=4)
    _date_axis(ax)
    fig.tight_layout()
    return fig


def profit_chart(profit: pd.DataFrame, T: Messages) -> plt.Figure:
    """GMV split into refunds, ad spend, commission and what is left, per day."""
    fig, ax = plt.subplots(figsize=(11, 3.6))
    bottom = np.zeros(len(profit))
    for col, colour in (
        ("net", GOOD),
        ("ad_spend", PALETTE[1]),
        ("commission", NEUTRAL),
        ("refunds", BAD),
    ):
        vals = profit[col].clip(lower=0).to_numpy()
        ax.bar(profit["date"], vals, bottom=bottom, color=colour, label=T.column(col), width=0.8)
        bottom += vals
    _money_axis(ax, T.lang)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4)
    ax.set_title(T("charts.profit"))
    _date_axis(ax)
    fig.tight_layout()
    return fig


def bar_chart(
    values: pd.Series,
    title: str,
    *,
    horizontal: bool = False,
    fmt: str = "{:,.0f}",
    colour: str = PALETTE[0],
) -> plt.Figure:
    """One labelled bar per value (counts per segment, per frequency, per stage)."""
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(values) + 1.2) if horizontal else (9, 3.4))
    labels = [str(i) for i in values.index]
    if horizontal:
        ax.barh(labels[::-1], values.to_numpy()[::-1], color=colour)
        for y, v in enumerate(values.to_numpy()[::-1]):
            ax.text(v, y, " " + fmt.format(v), va="center", fontsize=9)
    else:
        ax.bar(labels, values.to_numpy(), color=colour)
        for x, v in enumerate(values.to_numpy()):
            ax.text(x, v, fmt.format(v), ha="center", va="bottom", fontsize=9)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def stacked_months_chart(table: pd.DataFrame, T: Messages) -> plt.Figure:
    """Buyers per month stacked: new and returning."""
    fig, ax = plt.subplots(figsize=(11, 3.6))
    bottom = np.zeros(len(table))
    x = [str(m) for m in table.index]
    columns = ("new", "returning")
    for col, colour in zip(columns, PALETTE):
        ax.bar(x, table[col].to_numpy(), bottom=bottom, label=T.term(col), color=colour)
        bottom += table[col].to_numpy()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(columns))
    ax.tick_params(axis="x", rotation=45)
    ax.set_title(T("charts.buyers_month"))
    fig.tight_layout()
    return fig


def heatmap(table: pd.DataFrame, title: str, fmt: str = ".0%", cmap: str = "Blues") -> plt.Figure:
    """A cohort-style heatmap with the value written in each cell."""
    import seaborn as sns

    fig, ax = plt.subplots(figsize=(11, 0.38 * len(table) + 1.4))
    sns.heatmap(
        table,
        annot=True,
        fmt=fmt,
        cmap=cmap,
        cbar=False,
        ax=ax,
        annot_kws={"fontsize": 8},
        linewidths=0.5,
    )
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    fig.tight_layout()
    return fig


def holdout_chart(table: pd.DataFrame, T: Messages) -> plt.Figure:
    """Mean actual vs predicted holdout purchases per calibration-frequency group."""
    fig, ax = plt.subplots(figsize=(9, 3.4))
    x = np.arange(len(table))
    ax.bar(x - 0.2, table["actual"], width=0.4, label=T("charts.actual"), color=PALETTE[0])
    ax.bar(x + 0.2, table["predicted"], width=0.4, label=T("charts.predicted"), color=PALETTE[1])
    ax.set_xticks(x, table.index)
    ax.set_xlabel(T("charts.holdout_x"))
    ax.set_title(T("charts.holdout_title"))
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def ad_trend_chart(
    trends: pd.DataFrame,
    starts: pd.DataFrame,
    break_even: float,
    T: Messages,
    max_plans: int = 6,
) -> plt.Figure:
    """Daily spend, ROAS and CPC per campaign of one currency.

    ROAS is over the 7 days to each day (a day's own ROAS swings with a few orders); break-even
    is dashed, and a dotted line marks the day a campaign's 7-day ROAS fell below it.
    """
    top = trends.groupby("campaign")["cost"].sum().nlargest(max_plans).index
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), sharex=True)
    for i, camp in enumerate(top):
        g = trends[trends["campaign"] == camp].sort_values("date")
        colour = PALETTE[i % len(PALETTE)]
        for ax, col in zip(axes, ("cost", "roas_7d", "cpc")):
            ax.plot(g["date"], g[col], color=colour, lw=1.8, label=camp if col == "cost" else None)
        since = starts.loc[starts["campaign"] == camp, "since"]
        if len(since):
            axes[1].axvline(since.iloc[0], color=colour, ls=":", lw=1.5)
    axes[1].axhline(break_even, color=BAD, ls="--", lw=1.2, label=T("charts.break_even"))
    for ax, title in zip(axes, (T.column("ad_cost"), T("charts.roas_7d"), T.column("cpc"))):
        ax.set_title(title)
        _date_axis(ax, max_ticks=5)
    axes[1].legend(loc="upper right", fontsize=8)
    fig.legend(loc="lower center", ncol=min(len(top), 4), fontsize=9, bbox_to_anchor=(0.5, -0.02))
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig


def price_history_chart(history: pd.DataFrame, T: Messages) -> plt.Figure:
    """Per hero item: my daily price against each twin's, as steps (Keepa-style)."""
    pairs = list(dict.fromkeys(history["pair"]))
    fig, axes = plt.subplots(1, len(pairs), figsize=(5.5 * len(pairs), 3.4), squeeze=False)
    for ax, pair in zip(axes[0], pairs):
        h = history[history["pair"] == pair]
        for i, (series, g) in enumerate(h.groupby("series", sort=False)):
            g = g.sort_values("date")
            label = T("charts.mine") if series == "mine" else series
            colour = PALETTE[0] if series == "mine" else PALETTE[1 + i % (len(PALETTE) - 1)]
            ax.step(g["date"], g["price"], where="post", lw=2, color=colour, label=label)
        ax.set_title(T("charts.price_history", title=pair), fontsize=11)
        ax.legend(fontsize=9)
        _date_axis(ax, max_ticks=5)
    fig.tight_layout()
    return fig


def launch_chart(launches: pd.DataFrame, T: Messages, weeks: int = 12) -> plt.Figure:
    """New listings per rival and week over the last ``weeks`` weeks, one line per rival."""
    last = launches["week"].max()
    span = pd.date_range(last - pd.Timedelta(weeks=weeks - 1), last, freq="7D")
    table = launches.pivot_table(index="week", columns="shop", values="launched", aggfunc="sum")
    table = table.reindex(span, fill_value=0).fillna(0)
    fig, ax = plt.subplots(figsize=(9, 3.4))
    width = 6 / max(len(table.columns), 1)
    for i, shop in enumerate(table.columns):
        x = table.index + pd.Timedelta(days=i * width - 3)
        ax.bar(x, table[shop], width=width, color=PALETTE[i % len(PALETTE)], label=shop)
    ax.set_title(T("charts.launches"))
    ax.legend(fontsize=9, ncol=min(len(table.columns), 4))
    _date_axis(ax)
    fig.tight_layout()
    return fig
