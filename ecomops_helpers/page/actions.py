"""The action list: findings that need a decision today, each with its rule and numbers.

The list renders as cards (severity, the team that acts, finding, the rule's numbers, the
action) that read on a 390 px phone: numbers never break across lines. The run index lists
the same cards by team (``OWNERS``).
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass

from .i18n import Messages

__all__ = [
    "Finding",
    "OWNERS",
    "OWNER_OF_AREA",
    "ACTIONS_MIME",
    "WARNINGS_MIME",
    "SEVERITY_COLOURS",
    "actions_html",
    "card_html",
    "warnings_html",
    "display_actions",
    "keep_numbers_whole",
]

ACTIONS_MIME = "application/vnd.ecomops.actions+json"
WARNINGS_MIME = "application/vnd.ecomops.warnings+json"  # broken optional inputs of a report
SEVERITY_COLOURS = {1: "#c62828", 2: "#ef6c00", 3: "#546e7a"}

# an amount, count, rate or range as written in findings: ¥1,054,512 · -12.5 % · ¥4.02万 · 9–33
_NUMBER = re.compile(
    r"\d{4}-\d{2}-\d{2}|[+\-−]?[¥$€£]?\d[\d,]*(?:\.\d+)?(?:[–-]\d[\d,]*(?:\.\d+)?)?(?:\s?%|万|亿|M\b|\s?s\b)?"
)


OWNERS = ("ads", "design", "service", "warehouse", "operations")  # 推广 美工 客服 仓库 运营
# who acts on a finding of an area, unless the finding names its owner
OWNER_OF_AREA = {
    "plan": "operations",
    "traffic": "ads",
    "ads": "ads",
    "conversion": "operations",
    "page": "design",
    "reviews": "service",
    "service": "service",
    "stock": "warehouse",
    "profit": "operations",
    "anomaly": "operations",
    "stage": "operations",
    "crm": "operations",  # win-back and coupon campaigns to lists: a marketing decision
    "segments": "operations",
    "rivals": "operations",
    "peers": "operations",  # a figure below the 同行同层 average: 运营 finds the lever
    "campaigns": "operations",  # 活动 sign-ups and their review
    "matrix": "operations",  # price × conversion quadrants
}


@dataclass(frozen=True)
class Finding:
    """One line of the action list, and the team that acts on it (``OWNERS``)."""

    severity: int  # 1 high, 2 medium, 3 low
    area: str  # plan, traffic, conversion, page, reviews, stock, profit, anomaly, stage, crm
    what: str
    rule: str
    action: str
    since: str = ""
    owner: str = ""  # one of OWNERS; "" takes the area's owner

    def __post_init__(self):
        owner = self.owner or OWNER_OF_AREA.get(self.area, "operations")
        if owner not in OWNERS:
            raise ValueError(f"owner {owner!r}: expected one of {', '.join(OWNERS)}")
        object.__setattr__(self, "owner", owner)

    def as_dict(self) -> dict:
        """Plain dict, for the run index and JSON."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Finding:
        """A finding back from :meth:`as_dict` (an older one without an owner takes its area's)."""
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})

    @classmethod
    def from_catalogue(
        cls,
        T: Messages,
        key: str,
        severity: int,
        area: str,
        since: str = "",
        owner: str = "",
        /,
        **numbers,
    ) -> Finding:
        """A finding from the catalogue's ``findings.<key>`` what / rule / action texts."""
        what, rule, action = (
            T(f"findings.{key}.{part}", **numbers) for part in ("what", "rule", "action")
        )
        return cls(severity, area, what[:1].upper() + what[1:], rule, action, since, owner)


def keep_numbers_whole(text: str) -> str:
    """Escape ``text`` for HTML and wrap each number in a span that never breaks."""
    out, last = [], 0
    for m in _NUMBER.finditer(text):
        out.append(html.escape(text[last : m.start()]))
        out.append(f'<span class="num">{html.escape(m.group(0))}</span>')
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def card_html(f: Finding, T: Messages, owner: bool = True, extra: str = "") -> str:
    """One card: severity, the owner's team (unless ``owner`` is False), finding, rule, action.

    ``extra`` is HTML added at the card's end (the run index names the card's report there).
    """
    colour = SEVERITY_COLOURS.get(f.severity, SEVERITY_COLOURS[3])
    since = (
        f'<div class="since"><span class="label">{html.escape(T("ui.since"))}</span>'
        f"{keep_numbers_whole(f.since)}</div>"
        if f.since
        else ""
    )
    team = (
        f'<span class="owner" title="{html.escape(T("ui.owner.label"))}">'
        f"{html.escape(T(f'ui.owner.{f.owner}'))}</span>"
        if owner
        else ""
    )
    return (
        f'<div class="ecomops-card" style="--sev:{colour}">'
        f'<span class="sev">{html.escape(T(f"ui.severity.{f.severity}"))}</span>{team}'
        f'<span class="what">{keep_numbers_whole(f.what)}</span>'
        f'<div class="rule"><span class="label">{html.escape(T("ui.rule"))}</span>'
        f"{keep_numbers_whole(f.rule)}</div>{since}"
        f'<div class="todo"><span class="label">{html.escape(T("ui.action"))}</span>'
        f"{keep_numbers_whole(f.action)}</div>{extra}</div>"
    )


def actions_html(findings: list[Finding], T: Messages) -> str:
    """The action list as cards, most severe first, each naming the team that acts on it."""
    if not findings:
        return f'<div class="ecomops-actions"><p>✓ {html.escape(T("ui.no_actions"))}</p></div>'
    ordered = sorted(findings, key=lambda f: f.severity)
    urgent = [f for f in ordered if f.severity < FOLDED_SEVERITY] or ordered
    cards = "".join(card_html(f, T) for f in urgent)
    rest = ordered[len(urgent) :]  # low-severity hints fold under the decisions of the day
    if rest:
        more = html.escape(T("ui.more_hints", n=len(rest)))
        cards += (
            f'<details class="ecomops-more"><summary>{more}</summary>'
            f"{''.join(card_html(f, T) for f in rest)}</details>"
        )
    return f'<div class="ecomops-actions">{cards}</div>'


FOLDED_SEVERITY = 3  # cards of this severity (hints) fold below the day's decisions
WARNING_SHOWN = 100  # characters of a warning shown whole; a longer one folds its reason


def _warning_item(text: str) -> str:
    """One warning: what is affected on the line, a long reason folded under it (phones)."""
    cut = min((i for i in (text.find("："), text.find(": ")) if i > 0), default=-1)
    if len(text) <= WARNING_SHOWN or cut < 0:
        return f"<li>{html.escape(text)}</li>"
    head, why = text[:cut], text[cut:].lstrip("：: ")
    return f"<li><details><summary>{html.escape(head)}</summary>{html.escape(why)}</details></li>"


def warnings_html(warnings: list[str], T: Messages) -> str:
    """The inputs a report could not use, above its action list: the report is partial."""
    if not warnings:
        return ""
    items = "".join(_warning_item(w) for w in warnings)
    head = html.escape(T("ui.warnings_head"))
    return f"<div class='ecomops-warnings'>⚠ {head}<ul>{items}</ul></div>"


def display_actions(T: Messages, findings: list[Finding], warnings: list[str] = ()) -> None:
    """Show the action list in the notebook and leave it machine-readable for the run index.

    ``warnings`` (broken optional inputs) show above it and reach the index and the CLI line.
    """
    from IPython.display import display

    bundle = {
        "text/html": warnings_html(list(warnings), T) + actions_html(findings, T),
        ACTIONS_MIME: [f.as_dict() for f in findings],
        WARNINGS_MIME: list(warnings),
    }
    display(bundle, raw=True)
