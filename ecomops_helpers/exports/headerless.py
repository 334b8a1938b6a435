"""Files without a header, recognised by what their columns hold.

A transaction log is an id, a date, maybe a count, an amount, separated by whitespace,
commas, tabs or semicolons, in whatever column count (CDNOW writes a sample id too); a
behaviour log is ids, an action and a time. Each kind's :class:`~.kinds.RowShape` says which
roles it needs; this module finds them in the first rows. A first line of short Latin names
that are not known aliases (``id dt n val``) is taken as a header of the file's own; a first
line of any other text (an unknown or garbled header) is never guessed past.
"""

from __future__ import annotations

import re

from .catalogue import KINDS
from .kinds import ExportKind, RowShape

__all__ = ["match_row_shape"]

SAMPLE_ROWS = 30
_TIME = re.compile(
    r"(19|20)\d{6}"  # 20261021
    r"|1\d{9}(\.\d+)?"  # unix seconds
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([ T]\d{1,2}(:\d{2}){0,2})?"  # ISO, with an hour or time
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}( \d{1,2}:\d{2}(:\d{2})?)?"  # three-number dates
)
_NUMBER = re.compile(r"[-+]?[$¥￥€£]?\d[\d,]*(\.\d+)?")
_ID = re.compile(r"[\w@.\-]+")
# a log's own header names: short Latin words (id dt n val, user_id, Timestamp). A first line of
# other text (Chinese, accents, ?, mojibake) is a header that was not recognised, never a log.
_OWN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_ .\-/()#]*")


def _kinds_of(values: list[str]) -> set[str]:
    """What every value of a column could be: time, int, number, id."""
    out = {"time", "int", "number", "id"}
    for v in values:
        if not _TIME.fullmatch(v):
            out.discard("time")
        if not _NUMBER.fullmatch(v):
            out -= {"int", "number"}
        elif "." in v:
            out.discard("int")
        if not _ID.fullmatch(v):
            out.discard("id")
    return out


def _roles(
    kind: ExportKind, columns: list[list[str]]
) -> tuple[tuple[int, int], dict[int, str]] | None:
    """How well ``columns`` fit the kind's row shape, and column → role (None: not at all).

    The fit is (strength, columns given a role): named action codes or a decimal amount are
    strong evidence, numeric codes or a whole-number amount weak; among equals, the kind
    that explains more of the columns wins.
    """
    shape: RowShape = kind.shape
    found = [_kinds_of(c) for c in columns]
    times = [i for i, k in enumerate(found) if "time" in k]
    if not times:
        return None
    roles = {times[0]: shape.time}
    strength = 1
    if shape.code:
        codes = {str(k).lower() for k in kind.column(shape.code).code_map}
        hits = [
            i
            for i, c in enumerate(columns)
            if i not in roles and all(v.lower() in codes for v in c)
        ]
        if not hits:
            return None
        named = [i for i in hits if not all(v.isdigit() for v in columns[i])]
        if not named and any("." in v for c in columns for v in c):
            return None  # numeric codes beside decimal amounts: an order log, not actions
        roles[(named or hits)[0]] = shape.code
        strength = 2 if named else 1
    if shape.amount:
        numeric = [i for i, k in enumerate(found) if "number" in k and i not in roles and i > 0]
        if not numeric:
            return None
        decimal = [i for i in numeric if "int" not in found[i]]
        amount = (decimal or numeric)[-1]
        roles[amount] = shape.amount
        strength = 2 if decimal else 1
        between = [i for i in numeric if times[0] < i < amount and "int" in found[i]]
        if shape.count and between:
            roles[between[-1]] = shape.count
    ids = [i for i, k in enumerate(found) if i not in roles and "id" in k]
    if not ids or ids[0] != 0:
        return None
    for i, name in zip(ids, shape.ids):
        roles[i] = name
    return (strength, len(roles)), roles


def match_row_shape(info, rows: list[list[str]]) -> bool:
    """Recognise a header-less text file (``info``) by the shape of its first ``rows``.

    On a match, sets the kind, the column names to read it with and what it was taken for.
    """
    rows = [r for r in rows if any(c.strip() for c in r)][:SAMPLE_ROWS]
    if len(rows) < 2:
        return False
    width = len(rows[-1])
    own_header = (
        len(rows[0]) == width
        and not _TIME.fullmatch(rows[0][0].strip())
        and all(not _NUMBER.fullmatch(c.strip()) for c in rows[0])
    )
    if own_header and not all(_OWN_NAME.fullmatch(c.strip()) for c in rows[0] if c.strip()):
        return False  # a header no kind knows: guessing would read an order id as a customer
    body = rows[1:] if own_header else rows
    if any(len(r) != width for r in body) or width < 3:
        return False
    columns = [[r[i].strip() for r in body] for i in range(width)]
    best: tuple[tuple[int, int], ExportKind, dict[int, str]] | None = None
    for kind in KINDS.values():
        if kind.shape is None:
            continue
        fit = _roles(kind, columns)
        if fit and (best is None or fit[0] > best[0]):
            best = (fit[0], kind, fit[1])
    if best is None:
        return False
    _, kind, roles = best
    names = tuple(roles.get(i, f"_skip{i}") for i in range(width))
    info.kind, info.names = kind.name, names
    info.header_row = 0 if own_header else -1
    info.headers = [c.strip() for c in rows[0]] if own_header else list(names)
    info.mapping = {n: n for n in names if n in roles.values()}
    shown = ", ".join(n if not n.startswith("_skip") else "(skipped)" for n in names)
    info.layout = ("own header" if own_header else "no header") + f": {shown}"
    return True
