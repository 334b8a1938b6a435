"""Cell values as exports write them: ``1,234``, ``3.45%``, ``￥12.00``, ``1.2万``, ``--``, codes.

Every parser works on the distinct texts of a column only (exports repeat their texts
thousands of times) and returns the values with a mask of cells it could not read.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import pandas as pd

from .kinds import Column

__all__ = [
    "MISSING_TOKENS",
    "NUMERIC_DTYPES",
    "distinct",
    "spread",
    "per_unique",
    "clean_text",
    "missing",
    "parse_numbers",
    "parse_months",
    "parse_cells",
    "currencies_in",
]

MISSING_TOKENS = {"", "-", "--", "---", "—", "——", "n/a", "na", "nan", "null", "none", "/", "nat"}
MISSING_TOKENS |= {"暂无数据"}  # 生意参谋 writes these in an empty day's cells
NUMERIC_DTYPES = {"int", "float", "rate", "money", "duration"}
_CURRENCY = r"[A-Z]{0,2}\$|[,\s¥￥元€£₹%万]|Rs\.?|RMB|CNY|USD|EUR|GBP|INR|JPY|CAD|AUD|HKD|BRL"
# What a money cell or header says of its currency, most specific first: R$ before $.
CURRENCY_MARKS = (
    (r"R\$|\bBRL\b", "BRL"),
    (r"(?:US|U\.S\.)\$|\bUSD\b|\bdollars?\b", "USD"),
    (r"C\$|CA\$|\bCAD\b", "CAD"),
    (r"A\$|AU\$|\bAUD\b", "AUD"),
    (r"HK\$|\bHKD\b", "HKD"),
    (r"£|\bGBP\b|\bpounds?\b", "GBP"),
    (r"€|\bEUR\b|\beuros?\b", "EUR"),
    (r"₹|\bRs\.?(?=\s?\d)|\bINR\b|\brupees?\b", "INR"),
    (r"JP¥|\bJPY\b", "JPY"),
    (r"[¥￥元]|\bRMB\b|\bCNY\b|\byuan\b|人民币", "CNY"),
    (r"(?<![A-Z])\$", "USD"),  # a bare $ last: the US dollar, as Shopify and Amazon US write it
)
_DECIMAL_COMMA = r"[^\d,.]*\d{1,3}(?:\.\d{3})*,\d{1,2}[^\d,.]*"  # 3,50 €  ·  1.234,56
_FLAG_TRUE = {"1", "是", "y", "yes", "true", "√", "主推", "hero", "x"}
_FLAG_FALSE = {"0", "否", "n", "no", "false", "", "-", "--"}


MEMO_ROWS = 10_000  # a text column this long is factorized once while it lives
_FACTORIZED: dict[int, tuple] = {}  # id of its pyarrow data -> (weakref to it, codes, uniques)
_FACTORIZED_LOCK = threading.Lock()


def _arrow_data(s: pd.Series):
    """The pyarrow data of a long pyarrow-backed text column, else None."""
    if len(s) < MEMO_ROWS or not isinstance(s.array, pd.arrays.ArrowStringArray):
        return None
    return s.array.__arrow_array__()


def factorize(s: pd.Series) -> tuple[np.ndarray, object]:
    """``pd.factorize(s)``, remembered for a long pyarrow-backed text column.

    Summary rows, peer rows and the cells themselves each ask for a column's distinct
    texts; the column is hashed once (or not at all: the reader tells what it found, see
    :func:`remember`), and the codes come back read-only. The memory goes with the
    column's data.
    """
    data = _arrow_data(s)
    if data is None:
        return pd.factorize(s)
    with _FACTORIZED_LOCK:
        seen = _FACTORIZED.get(id(data))
    if seen is not None and seen[0]() is data:
        return seen[1], seen[2]
    codes, uniques = pd.factorize(s)
    remember(s, codes, uniques)
    return codes, uniques


def remember(s: pd.Series, codes: np.ndarray, uniques) -> None:
    """Note what ``pd.factorize(s)`` returns (``codes``, ``uniques``) for :func:`factorize`."""
    if (data := _arrow_data(s)) is None:
        return
    key = id(data)
    codes.setflags(write=False)

    def forget(ref, key=key):
        with _FACTORIZED_LOCK:
            if _FACTORIZED.get(key, (None,))[0] is ref:
                del _FACTORIZED[key]

    with _FACTORIZED_LOCK:
        _FACTORIZED[key] = (weakref.ref(data, forget), codes, uniques)


def distinct(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """The distinct values of ``s`` (NA left out) and, per row, its value's position (-1: NA)."""
    codes, uniques = factorize(s)
    return codes, pd.Series(uniques, dtype=object)


def spread(done: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Per-distinct-value results ``done`` back onto the rows (``codes`` from :func:`distinct`)."""
    if len(done) == 0:
        return pd.Series(np.nan, index=index, dtype=object)
    out = done.take(np.clip(codes, 0, None)).set_axis(index)
    return out.where(codes >= 0) if (codes < 0).any() else out


def per_unique(s: pd.Series, transform) -> pd.Series:
    """Apply a vectorised transform to the distinct values only, then spread it back."""
    codes, uniques = distinct(s)
    return spread(transform(uniques), codes, s.index)


def clean_text(s: pd.Series) -> pd.Series:
    """Stripped text with the missing tokens (``-``, ``--``, ``null`` …) as NA."""
    text = s.astype("string").str.strip()
    return text.where(~text.str.lower().isin(MISSING_TOKENS))


def parse_months(s: pd.Series) -> pd.Series:
    """Months from ``2026-11``, ``2026年11月``, ``202611``: the first day of each month."""
    text = s.astype("string").str.strip()
    text = text.str.replace(r"[年/.]", "-", regex=True).str.replace("月", "", regex=False)
    text = text.str.replace(r"^(\d{4})(\d{2})$", r"\1-\2", regex=True)
    text = text.str.replace(r"^(\d{4})-(\d)$", r"\1-0\2", regex=True)
    parsed = pd.to_datetime(text.str.slice(0, 7), format="%Y-%m", errors="coerce")
    return parsed.dt.to_period("M").dt.to_timestamp()


def missing(s: pd.Series) -> pd.Series:
    """Per cell of ``s``: whether it is missing (NA or a missing token), as :func:`clean_text`.

    Looked at once per distinct cell.
    """
    codes, uniques = factorize(s)
    if not len(uniques):
        return pd.Series(True, index=s.index)
    found = clean_text(pd.Series(uniques)).isna().to_numpy()
    return pd.Series(np.where(codes >= 0, found[np.clip(codes, 0, None)], True), index=s.index)


def parse_numbers(s: pd.Series, dtype: str) -> tuple[pd.Series, pd.Series]:
    """Numbers from export text; returns (values, unparseable mask).

    Each distinct cell is read once (a column of a million rows holds a few thousand).
    """
    if pd.api.types.is_numeric_dtype(s) and dtype != "duration":
        return s.astype(float), pd.Series(False, index=s.index)
    split = _distinct_exactly(s)
    if split is None:
        return _parse_numbers(s, dtype)
    codes, uniques = split
    values, bad = _parse_numbers(uniques, dtype)
    take = np.clip(codes, 0, None)
    gap = codes < 0  # NA: no value, not unparseable
    values = values.to_numpy(dtype=float)[take] if len(uniques) else np.zeros(len(s))
    bad = bad.to_numpy(dtype=bool)[take] if len(uniques) else np.zeros(len(s), bool)
    return (
        pd.Series(np.where(gap, np.nan, values), index=s.index, dtype=float),
        pd.Series(~gap & bad, index=s.index),
    )


def _distinct_exactly(s: pd.Series) -> tuple[np.ndarray, pd.Series] | None:
    """``s``'s distinct cells and each row's (-1: NA), where equal means the same text.

    ``pd.factorize`` takes -0.0 for 0.0 and True for 1, which read differently; floats are
    told apart by their bits, and an object column only when all its cells are text. None:
    no such split (the cells are read one by one).
    """
    if s.dtype == np.float64:
        codes, uniques = pd.factorize(s.to_numpy().view(np.int64))
        return codes, pd.Series(uniques.view(np.float64))
    if s.dtype == np.int64 or (
        pd.api.types.is_string_dtype(s.dtype)
        and (s.dtype != object or pd.api.types.infer_dtype(s, skipna=True) == "string")
    ):
        codes, uniques = factorize(s)
        return codes, pd.Series(uniques, dtype=s.dtype)
    return None


def _parse_numbers(s: pd.Series, dtype: str) -> tuple[pd.Series, pd.Series]:
    text = s.astype("string").str.strip()
    missing = text.isna() | text.str.lower().isin(MISSING_TOKENS)
    pct = text.str.endswith("%").fillna(False)
    wan = text.str.endswith("万").fillna(False)
    comma = text.str.fullmatch(_DECIMAL_COMMA).fillna(False)  # a comma no thousands use
    if comma.any():
        text = text.where(~comma, text.str.replace(".", "", regex=False).str.replace(",", "."))
    clean = text.str.replace(_CURRENCY, "", regex=True)
    values = pd.to_numeric(clean.where(~missing), errors="coerce").astype(float)
    if dtype == "duration":
        hms = text.str.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?").fillna(False)
        if hms.any():
            parts = text[hms].str.split(":")
            secs = parts.map(lambda p: sum(float(x) * 60**i for i, x in enumerate(reversed(p))))
            values[hms] = secs.astype(float)
    values = values.where(~wan, values * 1e4)
    if dtype == "rate":
        values = values.where(~pct, values / 100)
    bad = values.isna() & ~missing
    return values, bad


def _codes(col: Column, s: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    mapping = col.code_map

    def code(u: pd.Series) -> pd.Series:
        text = u.astype("string").str.strip().str.lower()
        return text.str.replace(r"\.0$", "", regex=True).map(mapping)

    values = per_unique(s, code)
    canonical = sorted({str(v) for v in mapping.values()})
    written = [k for k in mapping if k not in canonical][:8]
    return values, values.isna(), f"one of {', '.join(canonical)} (or {', '.join(written)} …)"


def _rating(col: Column, s: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    words = col.code_map

    def rate(u: pd.Series) -> pd.Series:
        named = u.astype("string").str.strip().str.lower().map(words.get)
        nums, _ = parse_numbers(u.where(named.isna()), "float")
        return named.astype(float).fillna(nums)

    values = per_unique(s, rate).astype(float)
    return values, values.isna(), f"a rating 1–5 or {'/'.join(list(words)[:3])}"


def currencies_in(texts) -> set[str]:
    """The ISO codes that money texts (cells or headers) name: ``R$ 1.234,50`` → BRL.

    A text names one currency, its most specific mark (``R$`` is the real, not the dollar);
    ``amount_usd`` and ``Total (RMB)`` count as headers do. Numbers alone name none.
    """
    text = pd.Series(list(texts), dtype="string").dropna()
    text = text[text.str.contains(r"[^\d\s.,%+\-()]", regex=True)].drop_duplicates()
    found: set[str] = set()
    left = text.str.replace("_", " ", regex=False)
    for pattern, code in CURRENCY_MARKS:
        hit = left.str.contains(pattern, case=False, regex=True).fillna(False)
        if hit.any():
            found.add(code)
            left = left[~hit]
    return found


def parse_cells(col: Column, s: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """Parse one raw column other than dates; returns (values, bad-row mask, what was expected)."""
    if col.dtype == "code":
        return _codes(col, s)
    if col.dtype == "rating":
        return _rating(col, s)
    if col.dtype == "month":
        values = parse_months(s)
        return values, values.isna(), "a month like 2026-11 or 2026年11月"
    if col.dtype == "str":
        strip_float = col.name.endswith("_id")  # IDs that went through Excel: 123.0

        def clean(u: pd.Series) -> pd.Series:
            text = clean_text(u)
            return text.str.replace(r"\.0$", "", regex=True) if strip_float else text

        # an empty column is text too (a store and a folder read it alike)
        return per_unique(s, clean).astype("string"), pd.Series(False, index=s.index), "text"
    if col.dtype == "flag":  # read per distinct cell; a missing cell is no (not bad)
        codes, uniques = distinct(s)
        text = uniques.astype("string").str.strip().str.lower().fillna("")
        yes = np.append(text.isin(_FLAG_TRUE).to_numpy(bool), False)
        known = np.append((text.isin(_FLAG_TRUE) | text.isin(_FLAG_FALSE)).to_numpy(bool), True)
        at = np.where(codes < 0, len(uniques), codes)  # NA: the appended entry
        values, bad = pd.Series(yes[at], index=s.index), pd.Series(~known[at], index=s.index)
        return values, bad, "是/否, yes/no or 1/0"
    values, bad = parse_numbers(s, col.dtype)
    expected = {
        "rate": "a rate like 3.45% or 0.0345",
        "money": "an amount like 1,234.50 or ¥12.00",
        "duration": "seconds or mm:ss",
    }.get(col.dtype, "a number")
    return values, bad, expected
