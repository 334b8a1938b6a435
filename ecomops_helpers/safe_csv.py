"""CSV files written for people and their spreadsheets, safe from formula injection.

Texts from exports (keywords, search terms, rival titles, customer IDs) are untrusted: a cell
starting with ``=`` or ``@`` (or a tab or carriage return), or with ``+``/``-`` followed by
anything but a number, runs as a formula when the file is opened in Excel or WPS.
:func:`neutralise` prefixes such cells with ``'``, which spreadsheets show as text. Signed
numbers (``-12.50``) and E.164 phones used as customer IDs (``+8613900000047``) are written as
they are, so CRM lists keep IDs exact.

Not defusedcsv (3.0.0): it prefixes ``+8613900000047`` too (its exception is ``-?[0-9,.]+``
only), leaves tab and CR starts alone, escapes every ``|`` inside such cells, and wraps the
csv module rather than a frame.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .privacy import make_private

__all__ = ["neutralise", "write_csv", "FORMULA_STARTS"]

ALWAYS = ("=", "@", "\t", "\r")  # a formula whatever follows
SIGNS = ("+", "-")  # a formula only when no number follows
FORMULA_STARTS = ALWAYS + SIGNS
SIGNED_NUMBER = re.compile(r"[+-](?=\.?\d)(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell that a spreadsheet would run as a formula made plain text."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            text = out[c].astype("string")
            signed = text.str.startswith(SIGNS).fillna(False)
            signed[signed] = ~text[signed].str.fullmatch(SIGNED_NUMBER)  # only signed cells
            risky = text.str.startswith(ALWAYS).fillna(False) | signed
            if risky.any():
                out[c] = out[c].astype(object).where(~risky, "'" + text[risky])
    return out


def write_csv(df: pd.DataFrame, path: Path, private: bool = False, **kwargs) -> Path:
    """Write ``df`` as UTF-8 CSV with a BOM (Excel reads the Chinese), formulas neutralised.

    Every CSV ecomops writes goes through here. ``private``: the file holds raw customer IDs,
    so it and its folder are readable by their owner only.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if private:
        make_private(path.parent)
        path.touch(mode=0o600, exist_ok=True)
        make_private(path)  # before a single ID is written
    neutralise(df).to_csv(path, index=False, encoding="utf-8-sig", **kwargs)
    return path
