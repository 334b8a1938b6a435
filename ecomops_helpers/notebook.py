"""What every report notebook calls first, and small display helpers for tables and notes."""

from __future__ import annotations

import html
import logging
import warnings

import pandas as pd

from .plots import apply_theme

__all__ = ["setup", "note", "hidden", "hidden_text", "show_table", "labels", "kpi_strip"]

_LABELS = {
    "zh": {
        "actual": "实际",
        "target": "目标",
        "daily": "每日GMV vs 目标",
        "cumulative": "月累计GMV vs 目标",
        "base": "基线",
        "visitors": "访客数",
        "conversion": "转化率",
        "aov": "客单价",
        "now": "今日",
        "gmv": "GMV",
        "bridge": "GMV 变化拆解（对比{baseline}）",
        "cost_per_buyer": "付费来源：单个买家成本",
        "source_visitors": "各来源访客数",
        "bounce_rate": "跳失率",
        "pages_per_visit": "人均浏览量",
        "avg_stay_s": "平均停留时长（秒）",
        "hero_conv": "主推款每日转化率",
        "net": "净额",
        "ad_spend": "推广花费",
        "commission": "平台佣金",
        "refunds": "退款",
        "profit": "GMV 去向（近30天）",
        "hidden": "本节已隐藏：{why}。",
        "vs_day_before": "vs 前一日",
        "mtd_vs_plan": "月累计 / 目标",
        "predicted": "预测",
        "holdout_title": "模型检验：留出期购买次数，实际 vs 预测",
        "holdout_x": "校准期复购次数",
        "buyers_month": "每月购买客户：新客 vs 老客",
        "new": "新客",
        "returning": "老客",
        "freq_dist": "购买天数分布（客户数）",
        "days_second": "首购到第二次购买的天数（客户数）",
        "segments_chart": "各分层客户数",
        "funnel_title": "近30天转化漏斗（用户数）",
        "retention": "月度新客留存（按首购月份）",
        "revenue_cohort": "每位新客的月度贡献（按首购月份）",
        "clv_dist": "未来一年客户价值分布（客户数）",
    },
    "en": {
        "actual": "actual",
        "target": "target",
        "daily": "Daily GMV vs target",
        "cumulative": "Month-to-date GMV vs target",
        "base": "baseline",
        "visitors": "visitors",
        "conversion": "conversion",
        "aov": "AOV",
        "now": "today",
        "gmv": "GMV",
        "bridge": "GMV change split by lever (vs {baseline})",
        "cost_per_buyer": "Paid sources: cost per buyer",
        "source_visitors": "Visitors by source",
        "bounce_rate": "bounce rate",
        "pages_per_visit": "pages per visit",
        "avg_stay_s": "average stay (s)",
        "hero_conv": "Hero items: daily conversion",
        "net": "net",
        "ad_spend": "ad spend",
        "commission": "commission",
        "refunds": "refunds",
        "profit": "Where GMV goes (last 30 days)",
        "hidden": "Section hidden: {why}.",
        "vs_day_before": "vs day before",
        "mtd_vs_plan": "month to date / plan",
        "predicted": "predicted",
        "holdout_title": "Model check: holdout purchases, actual vs predicted",
        "holdout_x": "repeat purchases in the calibration period",
        "buyers_month": "Buyers per month: new vs returning",
        "new": "new",
        "returning": "returning",
        "freq_dist": "Purchase days per customer (customers)",
        "days_second": "Days from first to second purchase (customers)",
        "segments_chart": "Customers per segment",
        "funnel_title": "Funnel, last 30 days (users)",
        "retention": "Monthly cohort retention (by first-purchase month)",
        "revenue_cohort": "Revenue per cohort customer (by first-purchase month)",
        "clv_dist": "Customer value over the next year (customers)",
    },
}


def labels(lang: str) -> dict:
    """Chart and table labels in ``lang`` (zh or en)."""
    return _LABELS.get(lang, _LABELS["en"])


def setup() -> None:
    """Quiet warnings, CJK fonts, chart theme and table display for a report notebook.

    Reports are read by operators: library warnings (deprecations, missing glyphs) are
    developer noise and must not reach them.
    """
    warnings.filterwarnings("ignore")
    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    apply_theme()
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 200)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except ImportError:  # outside IPython
        pass


def note(text: str) -> None:
    """A short highlighted remark in the report (e.g. why a section is hidden)."""
    from IPython.display import HTML, display

    display(
        HTML(
            "<div style='border-left:4px solid #ef6c00;background:#fff8e1;padding:6px 10px;"
            f"margin:6px 0'>{html.escape(text)}</div>"
        )
    )


def hidden_text(why: str, lang: str) -> str:
    """The text "Section hidden: <why>." with one full stop, whatever ``why`` ends with."""
    return labels(lang)["hidden"].format(why=why.rstrip(" .。"))


def hidden(why: str, lang: str) -> None:
    """The note that replaces a hidden section, saying why."""
    note(hidden_text(why, lang))


def show_table(
    df: pd.DataFrame,
    formats: dict | None = None,
    rename: dict | None = None,
    highlight: pd.Series | None = None,
) -> None:
    """Show ``df`` as a compact HTML table: formatted numbers, no index, bad rows tinted."""
    from IPython.display import HTML, display

    styler = df.style.format(formats or {}, na_rep="–").hide(axis="index")
    if highlight is not None:
        tint = ["background-color:#ffebee" if h else "" for h in highlight]
        styler = styler.apply(lambda _: tint, axis=0)
    if rename:
        styler = styler.relabel_index([rename.get(c, c) for c in df.columns], axis="columns")
    styler = styler.set_table_attributes("style='font-size:13px;border-collapse:collapse'")
    display(HTML(styler.to_html()))


def kpi_strip(items: list[tuple[str, str, str]]) -> None:
    """A row of headline numbers: (label, value, change text) each."""
    from IPython.display import HTML, display

    cells = "".join(
        "<div style='display:inline-block;min-width:150px;margin:4px 10px 4px 0;padding:6px 10px;"
        "border:1px solid #cfd8dc;border-radius:6px'>"
        f"<div style='color:#546e7a;font-size:12px'>{html.escape(label)}</div>"
        f"<div style='font-size:20px;font-weight:bold'>{html.escape(value)}</div>"
        f"<div style='font-size:12px;color:{'#c62828' if change.startswith('-') else '#2e7d32'}'>"
        f"{html.escape(change)}</div></div>"
        for label, value, change in items
    )
    display(HTML(f"<div>{cells}</div>"))
