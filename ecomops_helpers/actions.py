"""The action list: findings that need a decision today, each with its rule and numbers."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, fields

__all__ = [
    "Finding",
    "Thresholds",
    "ACTIONS_MIME",
    "actions_html",
    "display_actions",
    "fmt_pct",
    "fmt_money",
]

ACTIONS_MIME = "application/vnd.ecomops.actions+json"
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


def display_actions(findings: list[Finding], lang: str = "zh") -> None:
    """Show the action list in the notebook and leave it machine-readable for the run index."""
    from IPython.display import display

    bundle = {
        "text/html": actions_html(findings, lang),
        ACTIONS_MIME: [f.as_dict() for f in findings],
    }
    display(bundle, raw=True)
