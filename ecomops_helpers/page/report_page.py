"""The report template: executed notebooks become pages, and the run gets its index.

A report page has a header (shop, report date, data range, run time), the action list first,
a table of contents, the sections, and a footer with the parameters of the run. The run's
index has the same look, with each report's headline numbers over the last 30 runs.

nbconvert's ``basic`` template renders the cells (code hidden); this module wraps them in the
page. Styles live in ``report.css``; texts in the message catalogue.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path

from ..paths import GENERATOR_TAG
from .actions import ACTIONS_MIME, OWNERS, WARNINGS_MIME, Finding, card_html
from .i18n import Messages
from .notebook import HEADLINE_MIME, REPORT_MIME, css, header_notes_html

__all__ = [
    "render_report",
    "report_outputs",
    "index_html",
    "read_history",
    "summary",
    "by_owner",
]

SUMMARY_FILE = "summary.json"  # per day: each report's status, action count, headline numbers
TREND_RUNS = 30


def _page(lang: str, title: str, header: str, body: str, footer: str) -> str:
    return (
        f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
        "<meta charset='utf-8'><meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"{GENERATOR_TAG}"
        f"<title>{html.escape(title)}</title><style>{css()}</style></head><body>"
        f"<div class='page'>{header}<main>{body}</main>{footer}</div></body></html>"
    )


def report_outputs(nb: dict) -> dict:
    """What the template and the index read from an executed notebook's outputs.

    The header facts, the actions, the warnings and the headline numbers.
    """
    found = {"report": {}, "actions": [], "warnings": [], "headline": [], "notes": []}
    for c in nb.get("cells", []):
        for output in c.get("outputs", []) or []:
            data = output.get("data", {})
            if REPORT_MIME in data:
                found["report"] = dict(data[REPORT_MIME])
                found["notes"] = list(found["report"].get("notes", []))
            if ACTIONS_MIME in data:
                found["actions"] = list(data[ACTIONS_MIME])
                found["warnings"] = list(data.get(WARNINGS_MIME, []))
            if HEADLINE_MIME in data:
                found["headline"] = list(data[HEADLINE_MIME])
    return found


def _parameters(nb_path: Path, nb: dict) -> dict:
    """Every parameter the run used: the notebook's defaults, overridden by the injected ones."""
    import papermill

    declared = papermill.inspect_notebook(str(nb_path))
    values = {name: p["default"] for name, p in declared.items()}
    injected = nb.get("metadata", {}).get("papermill", {}).get("parameters", {}) or {}
    values.update({k: repr(v) for k, v in injected.items() if k in values})
    return values


def _header(T: Messages, title: str, facts: list[tuple[str, str]], extra: str = "") -> str:
    """The page's header: its title, then ``label: value`` facts (empty ones left out)."""
    spans = "".join(
        f"<span>{html.escape(T(label))}{T('ui.colon')}<b>{html.escape(value)}</b></span>"
        for label, value in facts
        if value
    )
    return (
        f"<header class='top'><h1>{html.escape(title)}</h1>"
        f"<div class='facts'>{spans}</div>{extra}</header>"
    )


def _toc(body: str) -> str:
    heads = re.findall(r"<h2 id=[\"']([^\"']+)[\"']>(.*?)</h2>", body)
    return "".join(f"<li><a href='#{a}'>{t}</a></li>" for a, t in heads)


def render_report(
    nb_path: Path, nb, show_code: bool = False, lang: str = "zh", skipped: str = ""
) -> Path:
    """Render an executed notebook as a report page beside it (``.html``); returns its path.

    ``nb`` is the notebook as read from ``nb_path`` (the runner reads it once); its header
    output is dropped, the page's header shows those facts. ``lang`` is used when the notebook
    failed before it said its own language. ``skipped``: why the data could not answer (a
    kind it requires has no usable file); the page says so instead of showing the traceback.
    """
    from nbconvert import HTMLExporter

    nb_path = Path(nb_path)
    rep = report_outputs(nb)["report"]
    for c in nb.cells:  # the header facts become the page's header, not a cell output
        c["outputs"] = [
            o
            for o in c.get("outputs", [])
            if REPORT_MIME not in o.get("data", {})
            and not (skipped and o.get("output_type") == "error")
        ]
    T = Messages(rep.get("lang", lang))
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb_path.stem}})
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.S)  # the page carries report.css
    failed = any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    name = nb_path.stem
    title = rep.get("title") or (T(f"reports.{name}") if T.has(f"reports.{name}") else name)
    extra = (
        f"<div class='ecomops-warnings'>{html.escape(T('ui.failed_cell'))}</div>" if failed else ""
    )
    if skipped:
        why = T("reasons.skipped_page", why=skipped)
        extra = f"<div class='ecomops-warnings'>⚠ {html.escape(why)}</div>"
    extra += header_notes_html(rep.get("notes", []))
    toc = _toc(body)
    if toc:
        extra += (
            f"<nav class='toc'><details><summary>{html.escape(T('ui.contents'))}</summary>"
            f"<ol>{toc}</ol></details></nav>"
        )
    facts = [
        ("ui.shop", rep.get("shop", "")),
        ("ui.report_date", rep.get("report_day", "")),
        ("ui.data_range", rep.get("data_range", "")),
        ("ui.run_at", _run_time(nb)),
    ]
    header = _header(T, title, facts, extra)
    params = _parameters(nb_path, nb)
    footer = (
        f"<footer><p>{html.escape(T('ui.footer'))}</p>"
        f"<details><summary>{html.escape(T('ui.parameters'))}</summary><dl>"
        + "".join(
            f"<dt><code>{html.escape(k)}</code></dt><dd><code>{html.escape(str(v))}</code></dd>"
            for k, v in params.items()
        )
        + "</dl></details></footer>"
    )
    out = nb_path.with_suffix(".html")
    out.write_text(
        _page(T.lang, f"{title} · {rep.get('report_date', '')}", header, body, footer),
        encoding="utf-8",
    )
    return out


def _run_time(nb) -> str:
    end = nb.get("metadata", {}).get("papermill", {}).get("end_time")
    when = datetime.fromisoformat(end) if end else datetime.now()
    return f"{when.astimezone():%Y-%m-%d %H:%M}"


# --------------------------------------------------------------------------- the run's index


def read_history(out_dir: Path, upto: str, runs: int = TREND_RUNS) -> list[dict]:
    """The summaries of the last ``runs`` days up to ``upto`` found in the reports folder."""
    days = []
    for path in sorted(Path(out_dir).glob(f"*/{SUMMARY_FILE}")):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", path.parent.name) or path.parent.name > upto:
            continue  # a temporary folder, another language's folder, or a later day
        try:
            days.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError):
            continue  # a damaged summary leaves a gap in the trend, not a broken index
    return days[-runs:]


def _sparkline(values: list[float]) -> str:
    pts = [v for v in values if v is not None]
    if len(pts) < 2:
        return ""
    lo, hi = min(pts), max(pts)
    span = (hi - lo) or 1.0
    n = len(values)
    coords = " ".join(
        f"{i * 100 / (n - 1):.1f},{32 - (v - lo) / span * 28:.1f}"
        for i, v in enumerate(values)
        if v is not None
    )
    return (
        "<svg viewBox='0 0 100 36' preserveAspectRatio='none' role='img'>"
        f"<polyline points='{coords}' fill='none' stroke='#1565c0' stroke-width='2' "
        "vector-effect='non-scaling-stroke'/></svg>"
    )


def _trends(T: Messages, name: str, history: list[dict]) -> str:
    series: dict[str, dict] = {}
    counts = []
    for day in history:
        rep = next((r for r in day.get("reports", []) if r.get("name") == name), None)
        counts.append(rep.get("action_count") if rep and rep.get("status") == "ok" else None)
        for h in (rep or {}).get("headline", []):
            s = series.setdefault(h["key"], {"label": h["label"], "values": {}})
            s["values"][day["date"]] = h["value"]
            s["text"] = h["text"]  # the latest day's value as written
    if sum(c is not None for c in counts) < 2:
        return ""
    dates = [d["date"] for d in history]
    boxes = [
        (T("ui.index.action_count"), counts, str(counts[-1]) if counts[-1] is not None else "–")
    ]
    boxes += [(s["label"], [s["values"].get(d) for d in dates], s["text"]) for s in series.values()]
    cards = "".join(
        f"<div class='trend'>{html.escape(label)} <span class='last'>{html.escape(last)}</span>"
        f"{_sparkline(values)}</div>"
        for label, values, last in boxes
    )
    return (
        f"<p class='muted'>{html.escape(T('ui.index.trend', n=len(history)))} "
        f"({html.escape(dates[0])} – {html.escape(dates[-1])})</p><div class='trends'>{cards}</div>"
    )


def by_owner(results) -> dict[str, list[tuple[Finding, str]]]:
    """The day's findings of every report by the team that acts on them, in ``OWNERS`` order.

    Each team's list holds (finding, report name), most severe first, then in report order.
    """
    teams: dict[str, list[tuple[Finding, str]]] = {o: [] for o in OWNERS}
    for r in results:
        for a in r.actions:
            f = Finding.from_dict(a)
            teams[f.owner].append((f, r.name))
    return {o: sorted(cards, key=lambda c: c[0].severity) for o, cards in teams.items()}


def summary(report_date: str, lang: str, results) -> dict:
    """The day's machine-readable summary (``summary.json``).

    The next runs draw trends from it, and a rerun of one report rebuilds the day's index
    from it (each report's status, error, action list and warnings). Every action names its
    team (``owner``); ``owners`` counts the day's actions per team.
    """
    return {
        "date": report_date,
        "lang": lang,
        "owners": {o: len(cards) for o, cards in by_owner(results).items()},
        "reports": [
            {
                "name": r.name,
                "status": r.status,
                "action_count": len(r.actions),
                "headline": r.headline,
                "seconds": round(r.seconds, 2),
                "error": r.error,
                "actions": [Finding.from_dict(a).as_dict() for a in r.actions],
                "warnings": r.warnings,
                "notes": r.notes,
            }
            for r in results
        ],
    }


def index_html(
    report_date: str,
    results,
    data_dir,
    unrecognised: list[str] = (),
    lang: str = "zh",
    history: list[dict] = (),
) -> str:
    """The day's index page: the day's cards by team, then each report's status and trends."""
    T = Messages(lang)
    links = {}
    for r in results:
        name = T(f"reports.{r.name}") if T.has(f"reports.{r.name}") else r.name
        links[r.name] = (
            f"<a href='{html.escape(r.name)}.html'>{html.escape(name)}</a>"
            if r.html
            else html.escape(name)
        )
    parts = []
    for r in results:
        link = links[r.name]
        warned = "".join(
            f"<div class='ecomops-warnings'>⚠ {html.escape(w)}</div>" for w in r.warnings
        )
        error = f"<p class='status failed'>{html.escape(r.error)}</p>" if r.error else ""
        error += header_notes_html(r.notes)
        count = T("ui.index.actions", n=len(r.actions)) if r.status == "ok" else ""
        parts.append(
            f"<li><h2 id='{html.escape(r.name)}'>{link}<span class='status {r.status}'>"
            f"{html.escape(T(f'ui.status.{r.status}'))} · "
            f"{html.escape(T('ui.index.seconds', s=f'{r.seconds:.1f}'))}"
            f"{' · ' + html.escape(count) if count else ''}</span></h2>{error}{warned}"
            f"{_trends(T, r.name, list(history))}</li>"
        )
    unused = (
        f"<h2>{html.escape(T('ui.index.unused'))}</h2><ul>"
        + "".join(f"<li>{html.escape(u)}</li>" for u in unrecognised)
        + "</ul>"
        if unrecognised
        else ""
    )
    header = _header(
        T,
        f"{T('ui.index.title')} · {report_date}",
        [
            ("ui.index.exports", str(data_dir)),
            ("ui.run_at", f"{datetime.now().astimezone():%Y-%m-%d %H:%M}"),
        ],
    )
    body = (
        f"{_owner_lists(T, results, links)}<h2 id='reports'>{html.escape(T('ui.owners.reports'))}"
        f"</h2><ul class='report-list'>{''.join(parts)}</ul>{unused}"
    )
    footer = f"<footer><p>{html.escape(T('ui.index.trend_note'))}</p></footer>"
    return _page(lang, f"ecomops {report_date}", header, body, footer)


def _owner_lists(T: Messages, results, links: dict[str, str]) -> str:
    """One list of cards per team, each card naming its report; a row of links to the lists."""
    nav, lists = [], []
    for owner, cards in by_owner(results).items():
        team = html.escape(T(f"ui.owner.{owner}"))
        count = html.escape(T("ui.owners.count", n=len(cards)))
        nav.append(f"<a href='#owner-{owner}'{'' if cards else ' class=none'}>{team} {count}</a>")
        shown = "".join(
            card_html(
                f,
                T,
                owner=False,
                extra=f"<div class='from'><span class='label'>"
                f"{html.escape(T('ui.owners.report'))}</span>{links[name]}</div>",
            )
            for f, name in cards
        )
        body = (
            f"<div class='ecomops-actions'>{shown}</div>"
            if cards
            else f"<p class='muted'>{html.escape(T('ui.owners.none'))}</p>"
        )
        lists.append(
            f"<section class='owner-list' id='owner-{owner}'><h3>{team} · {count}</h3>"
            f"{body}</section>"
        )
    return (
        f"<h2 id='owners'>{html.escape(T('ui.owners.title'))}</h2>"
        f"<nav class='owners-nav'>{''.join(nav)}</nav>{''.join(lists)}"
    )


def shops_index_html(records: list[dict], out_dir: Path, lang: str = "zh") -> str:
    """The cross-shop index: each shop's status, report date, actions, headline and trend."""
    T = Messages(lang)
    rows = []
    for rec in records:
        name = html.escape(rec["shop"])
        link = f"<a href='{html.escape(rec['index'])}'>{name}</a>" if rec.get("index") else name
        status = rec["status"]
        shown = T(f"ui.status.{status}") if status != "error" else T("ui.shops.error")
        detail = f"<div class='muted'>{html.escape(rec['error'])}</div>" if rec.get("error") else ""
        history = read_history(Path(out_dir) / rec["shop"], rec.get("date", "9999-12-31"))
        counts = [
            sum(r.get("action_count", 0) for r in day.get("reports", []) if r.get("status") == "ok")
            for day in history
        ]
        headline = " · ".join(f"{h['label']} {h['text']}" for h in rec.get("headline", []))
        actions = sum(r["actions"] for r in rec.get("reports", []) if r["status"] == "ok")
        rows.append(
            f"<tr><td>{link}{detail}</td><td>{html.escape(rec.get('date', '–'))}</td>"
            f"<td><span class='status {html.escape(status)}'>{html.escape(shown)}</span></td>"
            f"<td>{actions if rec.get('reports') else '–'}</td><td>{html.escape(headline)}</td>"
            f"<td class='trend'>{_sparkline(counts)}</td></tr>"
        )
    head = "".join(
        f"<th>{html.escape(T(f'ui.shops.{k}'))}</th>"
        for k in ("shop", "date", "status", "actions", "headline", "trend")
    )
    header = _header(
        T,
        T("ui.shops.title"),
        [("ui.run_at", f"{datetime.now().astimezone():%Y-%m-%d %H:%M}")],
    )
    body = (
        f"<h2>{html.escape(T('ui.shops.shops'))}</h2><table><tr>{head}</tr>{''.join(rows)}</table>"
    )
    footer = f"<footer><p>{html.escape(T('ui.shops.note'))}</p></footer>"
    return _page(lang, T("ui.shops.title"), header, body, footer)
