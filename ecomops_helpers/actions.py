"""The action list: findings that need a decision today, each with its rule and numbers."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, fields

__all__ = [
    "Finding",
    "Thresholds",
    "ACTIONS_MIME",
    "WARNINGS_MIME",
    "actions_html",
    "display_actions",
    "fmt_pct",
    "fmt_money",
]

ACTIONS_MIME = "application/vnd.ecomops.actions+json"
WARNINGS_MIME = "application/vnd.ecomops.warnings+json"  # broken optional inputs of a report
SEVERITY = {1: ("high", "#c62828"), 2: ("medium", "#ef6c00"), 3: ("low", "#546e7a")}
_HEAD = {
    "zh": ("优先级", "发现", "触发规则与数字", "起始", "建议动作"),
    "en": ("priority", "finding", "rule and numbers", "since", "what to do"),
}
_EMPTY = {
    "zh": "今天没有需要决策的事项：所有规则都在阈值内。",
    "en": "Nothing needs a decision today: every rule is within its threshold.",
}


@dataclass(frozen=True)
class Finding:
    """One line of the action list."""

    severity: int  # 1 high, 2 medium, 3 low
    area: str  # plan, traffic, conversion, page, reviews, stock, profit, anomaly, stage
    what: str
    rule: str
    action: str
    since: str = ""

    def as_dict(self) -> dict:
        """Plain dict, for the run index and JSON."""
        return asdict(self)

    @classmethod
    def from_template(
        cls,
        templates: tuple[str, str, str],
        severity: int,
        area: str,
        since: str = "",
        /,
        **numbers,
    ) -> Finding:
        """A finding whose what / rule / action templates are filled with ``numbers``."""
        what, rule, action = (t.format(**numbers) for t in templates)
        return cls(severity, area, what, rule, action, since)


class Thresholds:
    """Base of the rule-threshold dataclasses: build one from a notebook's parameters."""

    @classmethod
    def from_namespace(cls, namespace: dict):
        """Thresholds taken from same-named variables (a notebook's parameters cell)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in namespace.items() if k in names})


def fmt_pct(x: float, digits: int = 1) -> str:
    """A fraction as a percent: 0.7412 → '74.1 %'."""
    return f"{x * 100:.{digits}f} %"


def fmt_money(x: float) -> str:
    """An amount with thousands separators and no cents above 1,000: ¥35,991."""
    return f"¥{x:,.0f}" if abs(x) >= 1000 else f"¥{x:,.2f}"


def actions_html(findings: list[Finding], lang: str = "zh") -> str:
    """The action list as an HTML table, most severe first."""
    lang = lang if lang in _HEAD else "en"
    if not findings:
        return f'<div class="ecomops-actions"><p>✅ {html.escape(_EMPTY[lang])}</p></div>'
    with_since = any(f.since for f in findings)  # no "since" column when no rule has one
    headers = [h for i, h in enumerate(_HEAD[lang]) if with_since or i != 3]
    head = "".join(f"<th style='text-align:left'>{h}</th>" for h in headers)
    rows = []
    for f in sorted(findings, key=lambda f: f.severity):
        label, colour = SEVERITY.get(f.severity, SEVERITY[3])
        cells = [
            f"<span style='color:white;background:{colour};padding:1px 6px;border-radius:3px'>"
            f"{label}</span>",
            f"<b>{html.escape(f.what)}</b>",
            html.escape(f.rule),
            *([html.escape(f.since)] if with_since else []),
            html.escape(f.action),
        ]
        rows.append(
            "<tr>"
            + "".join(f"<td style='text-align:left;overflow-wrap:anywhere'>{c}</td>" for c in cells)
            + "</tr>"
        )
    return (
        '<div class="ecomops-actions"><table style="border-collapse:collapse;width:100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def warnings_html(warnings: list[str], lang: str = "zh") -> str:
    """The inputs a report could not use, above its action list: the report is partial."""
    if not warnings:
        return ""
    head = {
        "zh": "部分数据无法读取，相关章节已隐藏：",
        "en": "Some inputs could not be read; their sections are hidden:",
    }
    items = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
    return (
        "<div class='ecomops-warnings' style='border-left:4px solid #c62828;background:#ffebee;"
        f"padding:6px 10px;margin:6px 0'>⚠ {head.get(lang, head['en'])}<ul>{items}</ul></div>"
    )


def display_actions(findings: list[Finding], lang: str = "zh", warnings: list[str] = ()) -> None:
    """Show the action list in the notebook and leave it machine-readable for the run index.

    ``warnings`` (broken optional inputs) show above it and reach the index and the CLI line.
    """
    from IPython.display import display

    bundle = {
        "text/html": warnings_html(list(warnings), lang) + actions_html(findings, lang),
        ACTIONS_MIME: [f.as_dict() for f in findings],
        WARNINGS_MIME: list(warnings),
    }
    display(bundle, raw=True)
