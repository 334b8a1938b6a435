"""Dates as exports write them, and the day/month order of the ones that do not say.

ISO and 年月日 dates, ``20261021``, unix times and ``Mar 3, 2025`` read one way only. A date of
three numbers (``03/04/2025``, ``3.4.25``) may be day-first, month-first or year-first; what a
column can be is what *all* its values allow (a first field above 12 proves day-first, a
second field above 12 proves month-first). :func:`order_evidence` works that out; the folder
decides per kind and column over all its files, and the ``date_order`` setting decides where
the data cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from .cells import MISSING_TOKENS, per_unique

__all__ = [
    "DATE_ORDERS",
    "ORDER_NAMES",
    "AUTO_PREFERENCE",
    "OrderEvidence",
    "order_evidence",
    "choose_order",
    "parse_dates",
    "find_period",
    "date_in_name",
]

DATE_ORDERS = ("auto", "dmy", "mdy", "ymd")
ORDER_NAMES = {"dmy": "day-first (d/m/y)", "mdy": "month-first (m/d/y)", "ymd": "year-first"}
AUTO_PREFERENCE = ("mdy", "dmy", "ymd")  # what ``auto`` assumes when the data allows several
UNIX_TIME_ZONE = "Asia/Shanghai"  # unix times in logs become the shop's wall-clock time
EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's serial dates (1900 system)
_EXCEL_SERIAL = r"[2-7]\d{4}(\.\d+)?"  # 1954–2118: a date cell that lost its format
_UNIX = r"1\d{9}(\.\d+)?"  # unix seconds, 2001–2033
_DAY_TOKEN = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"  # 2025-03-03, 2025年3月3日
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}"  # March 3, 2025
    r"|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"  # 1 Jun 2025
)
_NUMERIC = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T]+(.*))?$")


def _orders_of(a: str, b: str, c: str) -> set[str]:
    """The orders a date written ``a/b/c`` can be read in."""
    ia, ib, ic = int(a), int(b), int(c)
    out = set()
    if len(a) in (2, 4) and len(c) <= 2 and 1 <= ib <= 12 and 1 <= ic <= 31:
        out.add("ymd")
    if len(a) <= 2 and len(c) in (2, 4):
        if 1 <= ia <= 31 and 1 <= ib <= 12:
            out.add("dmy")
        if 1 <= ia <= 12 and 1 <= ib <= 31:
            out.add("mdy")
    return out


@dataclass
class OrderEvidence:
    """What the three-number dates of one column allow, and a value that rules out each order.

    ``orders`` is None when the column holds no three-number dates (the order does not
    matter); ``ruled_out`` maps an order to the first text that cannot be read in it.
    """

    orders: set[str] | None = None
    ruled_out: dict[str, str] = field(default_factory=dict)

    @property
    def ambiguous(self) -> bool:
        """More than one order reads every value."""
        return self.orders is not None and len(self.orders) > 1

    def merge(self, other: OrderEvidence) -> OrderEvidence:
        """The evidence of two columns read as one (all files of a kind)."""
        if other.orders is None:
            return self
        if self.orders is None:
            return other
        return OrderEvidence(self.orders & other.orders, {**other.ruled_out, **self.ruled_out})

    def as_dict(self) -> dict:
        """Plain data, for the parsed frame's attrs (and so the cache)."""
        return {
            "orders": sorted(self.orders) if self.orders is not None else None,
            "ruled_out": self.ruled_out,
        }

    @classmethod
    def from_dict(cls, d: dict) -> OrderEvidence:
        """The inverse of :meth:`as_dict`."""
        orders = d.get("orders")
        return cls(set(orders) if orders is not None else None, dict(d.get("ruled_out") or {}))


def order_evidence(s: pd.Series) -> OrderEvidence:
    """Which day/month orders every three-number date in ``s`` allows."""
    texts = pd.Series(s.dropna().unique()).astype("string").str.strip()
    parts = texts.str.extract(_NUMERIC).dropna(subset=[0, 1, 2])
    if parts.empty:
        return OrderEvidence()
    orders, ruled_out = set(DATE_ORDERS[1:]), {}
    for text, a, b, c in zip(texts[parts.index], parts[0], parts[1], parts[2]):
        allowed = _orders_of(a, b, c)
        if not allowed:  # no date in any order (2026-13-45): a bad cell, not evidence
            continue
        for o in orders - allowed:
            ruled_out.setdefault(o, str(text))
        orders &= allowed
    return OrderEvidence(orders, ruled_out)


def choose_order(evidence: OrderEvidence, setting: str = "auto") -> tuple[str | None, str]:
    """The order to read a column in, and how it was chosen: proven, setting or assumed.

    A column that allows one order is read in it whatever the setting; an ambiguous one in
    the setting's order (when the data allows it), else in the first of
    :data:`AUTO_PREFERENCE` it allows, which is then an assumption to state.
    """
    if evidence.orders is None:
        return None, "unambiguous"
    if len(evidence.orders) == 1:
        return next(iter(evidence.orders)), "proven"
    if setting in evidence.orders:
        return setting, "setting"
    return next(o for o in AUTO_PREFERENCE if o in evidence.orders), "assumed"


def _to_iso(text: pd.Series, order: str | None) -> pd.Series:
    """Three-number dates rewritten year-first in ``order``; other texts unchanged."""
    if order is None:
        return text
    parts = text.str.extract(_NUMERIC)
    hit = parts[0].notna()
    if not hit.any():
        return text
    a, b, c, rest = parts[0][hit], parts[1][hit], parts[2][hit], parts[3][hit].fillna("")
    y, m, d = {"ymd": (a, b, c), "dmy": (c, b, a), "mdy": (c, a, b)}[order]
    yy = y.astype(int)
    y = y.where(y.str.len() == 4, (yy + 2000).where(yy < 69, yy + 1900).astype(str))
    iso = y + "-" + m.str.zfill(2) + "-" + d.str.zfill(2) + (" " + rest).where(rest != "", "")
    out = text.copy()
    out[hit] = iso
    return out


def parse_dates(s: pd.Series, keep_time: bool = False, order: str | None = None) -> pd.Series:
    """Dates (or date-times with ``keep_time``) from export text; unix seconds accepted.

    ``order`` (dmy, mdy, ymd) says how to read three-number dates such as ``03/04/2025``.
    """

    def parse(uniq: pd.Series) -> pd.Series:
        text = uniq.astype("string").str.strip()
        given = text[~text.str.lower().isin(MISSING_TOKENS)]
        # unix seconds: every cell a number, some of ten digits (a 0 is kept to be refused)
        if given.str.fullmatch(r"\d{1,10}(\.\d+)?").all() and given.str.fullmatch(_UNIX).any():
            seconds = pd.to_numeric(text, errors="coerce")
            utc = pd.to_datetime(seconds, unit="s", utc=True)
            return utc.dt.tz_convert(UNIX_TIME_ZONE).dt.tz_localize(None)
        if len(text) and text.str.fullmatch(_EXCEL_SERIAL).fillna(False).all():
            return EXCEL_EPOCH + pd.to_timedelta(text.astype(float), unit="D")
        text = _to_iso(text, order)
        text = text.str.replace(r"(\d)[年月]", r"\1-", regex=True).str.replace("日", "")
        for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H"):
            attempt = pd.to_datetime(text, format=fmt, errors="coerce")
            if attempt.notna().all():
                return attempt
        return pd.to_datetime(text, format="mixed", errors="coerce")

    values = per_unique(s, parse)
    if isinstance(values.dtype, pd.DatetimeTZDtype):  # "+0800": keep the shop's wall time
        values = values.dt.tz_localize(None)
    values = pd.to_datetime(values)
    return values if keep_time else values.dt.normalize()


def _day(token: str):
    text = re.sub(r"\s+", " ", token.strip())
    text = re.sub(r"\s*[年月]\s*", "-", text).replace("日", "").replace("/", "-").replace(".", "-")
    try:
        return pd.Timestamp(text).date()
    except ValueError:
        try:
            return pd.Timestamp(token.replace(".", "")).date()
        except ValueError:
            return None


def find_period(lines: list[str]):
    """The (first, last) day a banner line above a header names, or None.

    Reads ``March 3, 2025 - March 30, 2025``, ``1 Jun 2025 - 7 Jun 2025``,
    ``统计时间：2026-10-15 ~ 2026-10-21``, ``2025年3月3日 - 2025年3月30日``, GA4's
    ``# Start date: 20261001`` and ``# End date: 20261021`` lines; a single day is a one-day
    period. ``All time`` names no dates: None.
    """
    for line in lines:
        days = [d for d in (_day(t) for t in _DAY_TOKEN.findall(line)) if d is not None]
        if days:
            return min(days[0], days[-1]), max(days[0], days[-1])
    ga4 = [_day(d) for d in _GA4_BOUND.findall(" ".join(lines))]  # one line for each end
    if len(ga4) == 2 and None not in ga4:
        return min(ga4), max(ga4)
    return None


_GA4_BOUND = re.compile(r"#\s*(?:start|end) date\s*:\s*(\d{8})\b", re.IGNORECASE)


_NAME_DATE = re.compile(r"(?<!\d)(20\d{2})[-_.年]?(\d{2})[-_.月]?(\d{2})(?!\d)")


def date_in_name(name: str):
    """The last date written in a file name (``竞品_2026-10-21.csv``, ``店侦探20261021.xlsx``)."""
    found = None
    for y, m, d in _NAME_DATE.findall(name):
        try:
            found = pd.Timestamp(int(y), int(m), int(d)).date()
        except ValueError:
            continue
    return found
