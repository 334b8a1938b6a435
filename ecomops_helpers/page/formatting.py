"""Numbers and dates as each language writes them.

Where a person reads an amount at a glance (KPI cards, findings) Chinese writes ``¥4.02万`` and
``1.2亿``; tables keep exact amounts with thousands separators so columns can be compared and
copied. Rates carry the decimals that mean something: conversion two, shares one.
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = [
    "money",
    "symbol",
    "use_currency",
    "shop_currency",
    "number",
    "pct",
    "day",
    "date_range",
    "cell",
    "CELL_FORMATS",
]

SYMBOLS = {
    "CNY": "¥",
    "RMB": "¥",
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "INR": "₹",
    "JPY": "JP¥",
    "BRL": "R$",
    "CAD": "CA$",
    "AUD": "A$",
    "HKD": "HK$",
    "XXX": "",  # no export names the currency: amounts without a symbol, never a guessed ¥
}
_SHOP = {"currency": "CNY"}  # the report's currency: one report runs in one kernel


def use_currency(code: str) -> str:
    """Make ``code`` the currency amounts are written in from now on (a review sets it)."""
    _SHOP["currency"] = (code or "CNY").upper()
    return _SHOP["currency"]


def shop_currency() -> str:
    """The currency amounts are written in unless a call names another."""
    return _SHOP["currency"]


_WEEKDAYS_ZH = "一二三四五六日"
_MISSING = "–"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA or x is pd.NaT


def _trim(text: str) -> str:
    """Drop trailing zeros of a decimal: 4.00 → 4, 4.20 → 4.2."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def symbol(currency: str | None = None) -> str:
    """The symbol an amount in ``currency`` (default: the shop's) is written with."""
    code = (currency or _SHOP["currency"]).upper()
    return SYMBOLS.get(code, f"{code} ")


def money(
    x: float,
    lang: str = "zh",
    *,
    compact: bool = True,
    sign: bool = False,
    currency: str | None = None,
) -> str:
    """An amount of money: compact for reading (¥4.02万, ¥1.2亿, ¥1.05M), exact for tables.

    Exact: thousands separators, cents only below 1,000 (¥35,991, ¥12.50). Compact in zh:
    万 from 10,000 and 亿 from 100,000,000 with three significant digits; in en: M from
    1,000,000, exact below. ``currency`` (ISO code; default the shop's, see
    :func:`use_currency`) picks the symbol: $12.50, €3.00, R$4.10.
    """
    if _missing(x):
        return _MISSING
    plus = "+" if sign and x > 0 else ""
    minus = "-" if x < 0 else ""
    a = abs(float(x))
    if compact and lang == "zh" and a >= 1e4:
        unit, div = ("亿", 1e8) if a >= 1e8 else ("万", 1e4)
        v = a / div
        digits = 2 if v < 10 else 1 if v < 100 else 0
        body = _trim(f"{v:.{digits}f}") + unit
    elif compact and lang != "zh" and a >= 1e6:
        body = _trim(f"{a / 1e6:.2f}") + "M"
    else:
        body = f"{a:,.0f}" if a >= 1000 else f"{a:,.2f}"
    return f"{plus}{minus}{symbol(currency)}{body}"


def number(x: float, digits: int = 0, *, sign: bool = False) -> str:
    """A count or measure with thousands separators: 12,345 · 2.36 · +1,204."""
    if _missing(x):
        return _MISSING
    return f"{x:{'+' if sign else ''},.{digits}f}"


def pct(x: float, digits: int = 1, lang: str = "zh", *, sign: bool = False) -> str:
    """A fraction as a percent: zh ``74.1%``, en ``74.1 %``; ``sign`` adds + to rises."""
    if _missing(x):
        return _MISSING
    space = "" if lang == "zh" else " "
    return f"{x * 100:{'+' if sign else ''}.{digits}f}{space}%"


def day(d, lang: str = "zh", *, weekday: bool = True) -> str:
    """A date as read in a sentence: ``10月21日 周三`` / ``Wed 21 Oct`` (year added when asked)."""
    if _missing(d):
        return _MISSING
    d = pd.Timestamp(d)
    if lang == "zh":
        text = f"{d.month}月{d.day}日"
        return f"{text} 周{_WEEKDAYS_ZH[d.weekday()]}" if weekday else text
    text = f"{d.day} {d:%b}"
    return f"{d:%a} {text}" if weekday else text


def date_range(first, last, lang: str = "zh") -> str:
    """The span of the data: ``2025年10月22日 – 2026年10月21日`` / ``22 Oct 2025 – 21 Oct 2026``."""

    def full(d):
        d = pd.Timestamp(d)
        return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {d:%b} {d.year}"

    return f"{full(first)} – {full(last)}"


# A table column's format, named in the message catalogue beside its header.
CELL_FORMATS = {
    "text": lambda x, lang: _MISSING if _missing(x) else str(x),
    "money": lambda x, lang: money(x, lang, compact=False),
    "money_signed": lambda x, lang: money(x, lang, compact=False, sign=True),
    "price": lambda x, lang: _MISSING if _missing(x) else f"{symbol()}{x:,.2f}",
    "amount": lambda x, lang: number(x, 2),  # money whose currency sits in its own column
    "amount_signed": lambda x, lang: number(x, 2, sign=True),
    "orders": lambda x, lang: (
        _MISSING if _missing(x) else number(x, 0 if float(x).is_integer() else 1)
    ),
    "count": lambda x, lang: number(x),
    "count_signed": lambda x, lang: number(x, sign=True),
    "decimal1": lambda x, lang: number(x, 1),
    "decimal2": lambda x, lang: number(x, 2),
    "decimal3": lambda x, lang: number(x, 3),
    "pct0": lambda x, lang: pct(x, 0, lang),
    "pct1": lambda x, lang: pct(x, 1, lang),
    "pct2": lambda x, lang: pct(x, 2, lang),
    "pct0_signed": lambda x, lang: pct(x, 0, lang, sign=True),
    "pct1_signed": lambda x, lang: pct(x, 1, lang, sign=True),
    "date": lambda x, lang: _MISSING if _missing(x) else f"{pd.Timestamp(x):%Y-%m-%d}",
    "day": lambda x, lang: day(x, lang),
}


def cell(x, fmt: str, lang: str = "zh") -> str:
    """One table cell in the named format (see ``CELL_FORMATS``)."""
    return CELL_FORMATS[fmt](x, lang)
