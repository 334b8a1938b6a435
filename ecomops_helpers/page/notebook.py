"""What a report notebook calls: set-up, its header, sections, notes, tables and KPI cards.

Every text comes from the message catalogue (:mod:`ecomops_helpers.page.i18n`) by key; numbers
go through :mod:`ecomops_helpers.page.formatting`. Outputs carry the classes the report template
styles, and the header and headline numbers travel as JSON for the template and the index.
"""

from __future__ import annotations

import html
import logging
import re
import warnings
from functools import cache
from pathlib import Path

import pandas as pd

from ..paths import SAMPLE_DIR
from .formatting import cell, date_range, day
from .i18n import Messages
from .plots import apply_theme

__all__ = [
    "REPORT_MIME",
    "HEADLINE_MIME",
    "setup",
    "report_header",
    "section",
    "line",
    "note",
    "hidden",
    "hidden_text",
    "show_table",
    "table_html",
    "kpi_strip",
    "css",
    "why_from_practice",
]

REPORT_MIME = "application/vnd.ecomops.report+json"  # header facts for the report template
HEADLINE_MIME = "application/vnd.ecomops.headline+json"  # KPI numbers for the index's trends


CSS_PATH = Path(__file__).with_name("report.css")


@cache
def css() -> str:
    """The shared stylesheet of reports and the index (``report.css``)."""
    return CSS_PATH.read_text(encoding="utf-8")


def _display(bundle: dict) -> None:
    from IPython.display import display

    display(bundle, raw=True)


def setup(language: str = "zh", explain: bool = False) -> Messages:
    """Quiet warnings, CJK fonts, chart theme; returns the catalogue in ``language``.

    Reports are read by operators: library warnings (deprecations, missing glyphs) are
    developer noise and must not reach them.
    """
    warnings.filterwarnings("ignore")
    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    apply_theme()
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except ImportError:  # outside IPython
        pass
    _display({"text/html": f"<style>{css()}</style>"})  # JupyterLab looks like the report
    return Messages(language, bool(explain))


def shop_name(T: Messages, data_dir: str, given: str = "") -> str:
    """The shop's name for the header: given, the sample's, or the exports folder's name."""
    if given:
        return given
    if not data_dir or Path(data_dir).resolve() == SAMPLE_DIR.resolve():
        return T("ui.sample_shop")
    return Path(data_dir).resolve().name


def report_header(
    T: Messages,
    report: str,
    when,
    first,
    last,
    shop: str,
    data_dir: str = "",
    notes: list[str] = (),
) -> None:
    """The report's title, shop, report date, data range and what was assumed.

    ``first``/``last`` is the data's own span (``None``: the exports carry no date).
    ``notes`` are assumptions the reader must see before any number (a date order the data
    could not decide, a report date that is the day of the run): the page shows them under
    the header, the run's index and the CLI line repeat them. The template builds its
    header from these facts; in JupyterLab they show as a title.
    """
    undated = first is None or last is None or pd.isna(first) or pd.isna(last)
    facts = {
        "report": report,
        "title": T(f"reports.{report}"),
        "shop": shop_name(T, data_dir, shop),
        "report_date": f"{pd.Timestamp(when):%Y-%m-%d}",
        "report_day": day(when, T.lang),
        "data_range": T("ui.undated") if undated else date_range(first, last, T.lang),
        "lang": T.lang,
        "notes": list(notes),
    }
    meta = " · ".join(
        f"{T(k)}{T('ui.colon')}{facts[v]}"
        for k, v in (
            ("ui.shop", "shop"),
            ("ui.report_date", "report_day"),
            ("ui.data_range", "data_range"),
        )
    )
    _display(
        {
            "text/html": f"<h1>{html.escape(facts['title'])}</h1>"
            f"<p class='meta'>{html.escape(meta)}</p>" + header_notes_html(notes),
            REPORT_MIME: facts,
        }
    )


def header_notes_html(notes) -> str:
    """The assumptions shown under a report's header (escaped; empty when none)."""
    return "".join(f"<div class='ecomops-assumed'>ⓘ {html.escape(n)}</div>" for n in notes)


def _markdown(text: str) -> str:
    import mistune

    return mistune.html(text)


def section(T: Messages, key: str, *, why: bool = True, **values) -> None:
    """A section: its heading, its explanation and, in training mode, the why from practice.

    ``why=False`` leaves the why to a later :func:`why_from_practice` (under the action list,
    so the list stays on the first screen).
    """
    parts = []
    if T.has(f"{key}.title"):
        anchor = key.replace(".", "-")
        parts.append(f"<h2 id='{anchor}'>{html.escape(T(f'{key}.title'))}</h2>")
    parts.append(
        _markdown(T(f"{key}.text", **values) if T.has(f"{key}.text") else T(key, **values))
    )
    if why and T.explain and T.has(f"{key}.explain"):
        parts.append(_why_box(T, f"{key}.explain", **values))
    _display({"text/html": "<div class='ecomops-section'>" + "".join(parts) + "</div>"})


def _why_box(T: Messages, key: str, **values) -> str:
    """The why from practice, its ``{placeholders}`` filled like its section's text."""
    why = _markdown(T(key, **values))
    return f"<div class='ecomops-explain'><b>{html.escape(T('ui.why'))}</b>{why}</div>"


def why_from_practice(T: Messages, key: str) -> None:
    """Only in training mode: the why from practice under ``key`` (a box of its own)."""
    if T.explain:
        _display({"text/html": _why_box(T, key)})


_CODE = re.compile(r"`([^`]+)`")  # a parameter's name in a text: `tier_thresholds`


def _escaped(text: str) -> str:
    """``text`` as HTML, a `name` in backticks as code (what the operator types)."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


def line(text: str) -> None:
    """One sentence of the report (numbers, counts): a paragraph, not printed code output."""
    _display({"text/html": f"<p class='ecomops-line'>{_escaped(text)}</p>"})


def note(text: str) -> None:
    """A short highlighted remark (e.g. why a section is hidden, how dates were read)."""
    _display({"text/html": f"<div class='ecomops-note'>{_escaped(text)}</div>"})


def hidden_text(T: Messages, why: str) -> str:
    """The text "Section hidden: <why>." with one full stop, whatever ``why`` ends with."""
    return T("ui.hidden", why=why.rstrip(" .。"))


def hidden(T: Messages, why: str) -> None:
    """The note that replaces a hidden section, saying why."""
    note(hidden_text(T, why))


def table_html(T: Messages, df: pd.DataFrame, highlight: pd.Series | None = None) -> str:
    """``df`` as an HTML table that scrolls sideways on a phone.

    Headers and cell formats come from the catalogue's ``columns``; vocabulary cells are
    translated; ``highlight`` tints bad rows.
    """
    head = "".join(f"<th>{html.escape(T.column(c))}</th>" for c in df.columns)
    fmts = {c: T.column_format(c) for c in df.columns}
    vocab = {c for c in df.columns if T.is_vocab(c)}
    flags = list(highlight) if highlight is not None else [False] * len(df)
    rows = []
    for flag, values in zip(flags, df.itertuples(index=False, name=None)):
        cells = []
        for c, v in zip(df.columns, values):
            text = T.term(v) if c in vocab and isinstance(v, str) else cell(v, fmts[c], T.lang)
            numeric = fmts[c] != "text" and fmts[c] not in ("date", "day")
            cells.append(f"<td{' class=n' if numeric else ''}>{html.escape(text)}</td>")
        rows.append(f"<tr{' class=bad' if flag else ''}>{''.join(cells)}</tr>")
    return (
        "<div class='ecomops-table'><table><thead><tr>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def show_table(T: Messages, df: pd.DataFrame, highlight: pd.Series | None = None) -> None:
    """Show ``df`` as a report table (see :func:`table_html`)."""
    _display({"text/html": table_html(T, df, highlight)})


def kpi_strip(T: Messages, items: list[dict]) -> None:
    """Headline cards; the numbers also travel to the run index for its trends.

    Each item has ``key``, ``label``, ``value`` (a number), ``text`` and ``change`` (texts).
    """
    cells = "".join(
        "<div class='ecomops-kpi'>"
        f"<div class='label'>{html.escape(i['label'])}</div>"
        f"<div class='value'>{html.escape(i['text'])}</div>"
        f"<div class='change {'down' if i['change'].startswith('-') else 'up'}'>"
        f"{html.escape(i['change'])}</div></div>"
        for i in items
    )
    headline = [
        {k: i[k] for k in ("key", "label", "value", "text")}
        for i in items
        if i["value"] is not None and pd.notna(i["value"])
    ]
    _display(
        {
            "text/html": f"<div class='ecomops-kpis'>{cells}</div>",
            HEADLINE_MIME: headline,
        }
    )
