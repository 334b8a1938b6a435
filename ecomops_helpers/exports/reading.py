"""Reading one export file: its format and encoding, its header row, its kind, its cells.

Knows no kind by name: the catalogue says which headers map to which canonical column, and
:mod:`.headerless` recognises files without a header by what their columns hold.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import logging
import os
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ExportError
from ..privacy import PERSONAL_COLUMNS, quote_cell
from .catalogue import KINDS
from .cells import (
    MISSING_TOKENS,
    NUMERIC_DTYPES,
    clean_text,
    currencies_in,
    distinct,
    missing,
    parse_cells,
    per_unique,
    remember,
    spread,
)
from .dates import (
    _NUMERIC,
    DATE_ORDERS,
    ORDER_NAMES,
    OrderEvidence,
    _orders_of,
    choose_order,
    date_in_name,
    find_period,
    order_evidence,
    parse_dates,
)
from .kinds import Column, ExportKind, peer_column
from .peers import fold_peer_rows, peer_header, peer_tier
from .totals import refuse_disagreeing, summary_labels, summary_rows

__all__ = [
    "ExportFile",
    "detect_encoding",
    "normalize_header",
    "inspect_file",
    "read_export",
    "cell_error",
    "rows_text",
]

_log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {
    ".csv",
    ".txt",
    ".tsv",
    ".xls",
    ".xlsx",
    ".xlsm",
    ".htm",
    ".html",
    ".dat",
    ".zip",
}
TEXT_FORMATS = ("text", "zip")  # a ZIP holding one CSV (万相台) reads as that CSV
HEADER_SCAN_ROWS = 30
ENCODING_SAMPLE_BYTES = 256 * 1024
MAX_ROWS_IN_MESSAGE = 5
MAX_UNZIP_MB = 4096  # a ZIP or xlsx export unpacks to at most this (ECOMOPS_MAX_UNZIP_MB)
MAX_ZIP_RATIO = 200  # … and packs at most this tightly (ECOMOPS_MAX_ZIP_RATIO)
ZIP_RATIO_FLOOR = 64 * 2**20  # below this unpacked size any ratio is harmless
# Values no shop export can hold, refused with file, column and row rather than summed:
MONEY_CEILING = 1e12  # one amount above a trillion (1e308, a 309-digit figure): a broken cell
EARLIEST_DATE = pd.Timestamp("1995-01-01")  # before online shops (Excel's 1900 and 1970 epochs)
FUTURE_SLACK = pd.Timedelta(days=1)  # a platform a time zone ahead may already write tomorrow
CJK = re.compile(r"[\u3400-\u9fff]")  # a Chinese character: a Chinese platform's header
WHITESPACE = r"\s+"  # the delimiter of whitespace-separated logs (the CDNOW sample)
_CURRENCY_WORDS = re.compile(  # around an amount's name: amount_usd, total_rmb, 金额元
    r"^(?:usd|rmb|cny|eur|gbp|元|人民币)|(?:in)?(?:usd|rmb|cny|eur|gbp|dollars?|yuan|元|人民币)$"
)


def normalize_header(text: object) -> str:
    """Header text folded for matching: no spaces or underscores, lower case, no unit ``(元)``."""
    s = "" if text is None else str(text)
    s = s.replace("\ufeff", "").strip().strip('"').strip("'")
    s = re.sub(r"[\s\u3000_\-.\u2013\u2014]+", "", s).lower()  # Amazon UK/CA write en dashes
    s = re.sub(r"[（(][^）)]*[）)]$", "", s)
    return s


def _alias_index(kind: ExportKind) -> dict[str, tuple[str, int]]:
    """Folded alias → (canonical column, rank of the alias: lower is preferred)."""
    out: dict[str, tuple[str, int]] = {}
    for c in kind.columns:
        for rank, alias in enumerate(c.aliases):
            out.setdefault(normalize_header(alias), (c.name, rank))
    return out


_ALIAS_INDEX = {name: _alias_index(kind) for name, kind in KINDS.items()}
_ALL_ALIASES = set().union(*(set(m) for m in _ALIAS_INDEX.values()))


def _lookup(index: dict[str, tuple[str, int]], header: str) -> tuple[str, int] | None:
    """The column a header names: exactly, or once currency words around it are dropped."""
    folded = normalize_header(header)
    if folded in index:
        return index[folded]
    bare = _CURRENCY_WORDS.sub("", folded)
    return index.get(bare) if bare and bare != folded else None


@functools.lru_cache(maxsize=1 << 16)  # header scans meet the same cells file after file
def _is_alias(header: str) -> bool:
    folded = normalize_header(header)
    return folded in _ALL_ALIASES or (_CURRENCY_WORDS.sub("", folded) or folded) in _ALL_ALIASES


# --------------------------------------------------------------------------- raw reading


def detect_encoding(sample: bytes, *, truncated: bool = False) -> str:
    """Return the text encoding of ``sample``: UTF-8 (with or without BOM), UTF-16 or GB18030.

    ``truncated`` says the sample was cut from a longer file, so a multi-byte character broken
    at its very end is not held against an encoding.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for enc in ("utf-8", "gb18030"):
        try:
            sample.decode(enc)
            return enc
        except UnicodeDecodeError as err:
            if truncated and err.start >= len(sample) - 4:
                return enc
    raise UnicodeError("neither UTF-8 nor GB18030")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _unzip_limits() -> tuple[float, float]:
    """The most a ZIP (or xlsx) export may unpack to, in bytes, and its largest packing ratio.

    ``ECOMOPS_MAX_UNZIP_MB`` (default 4096) and ``ECOMOPS_MAX_ZIP_RATIO`` (default 200: text
    exports pack 5–30 times) override them.
    """
    size = float(os.environ.get("ECOMOPS_MAX_UNZIP_MB", MAX_UNZIP_MB)) * 2**20
    return size, float(os.environ.get("ECOMOPS_MAX_ZIP_RATIO", MAX_ZIP_RATIO))


def _zip_member(path: Path) -> str | None:
    """The one table inside a ZIP export (万相台 downloads one CSV zipped), else None (xlsx).

    A ZIP that would unpack past the limits (a zip bomb) or that holds several tables is
    refused by name, before a byte of it is unpacked.
    """
    with zipfile.ZipFile(path) as z:
        members = [i for i in z.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
    most, ratio = _unzip_limits()
    unpacked = sum(i.file_size for i in members)
    packed = max(1, sum(i.compress_size for i in members))
    if unpacked > most or (unpacked > ZIP_RATIO_FLOOR and unpacked / packed > ratio):
        raise ExportError(
            f"{path.name}: would unpack to {unpacked / 2**20:,.0f} MB from "
            f"{path.stat().st_size / 2**20:,.1f} MB (packed {unpacked / packed:,.0f}:1); the "
            f"limits are {most / 2**20:,.0f} MB and {ratio:g}:1, so it is not unpacked. If the "
            "export is real, raise ECOMOPS_MAX_UNZIP_MB or ECOMOPS_MAX_ZIP_RATIO.",
            file=path,
        )
    names = [i.filename for i in members]
    if any(n.startswith("xl/") for n in names):
        return None
    tables = [n for n in names if Path(n).suffix.lower() in (".csv", ".txt", ".tsv")]
    if len(tables) > 1:
        shown = ", ".join(tables[:4]) + (" …" if len(tables) > 4 else "")
        raise ExportError(
            f"{path.name}: a ZIP holding {len(tables)} tables ({shown}); ecomops reads one "
            "table per file. Unzip it into the exports folder.",
            file=path,
        )
    return tables[0] if tables else None


def _sniff_format(head: bytes, path: Path | None = None) -> str:
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "biff"
    if head.startswith(b"PK\x03\x04"):
        return "zip" if path is not None and _zip_member(path) else "xlsx"
    probe = head[:4096].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if probe.startswith((b"<", b"\xff\xfe<")) or b"<table" in probe:
        return "html"
    return "text"


def _grid_from_biff(path: Path) -> list[list[str]]:
    import xlrd

    book = xlrd.open_workbook(str(path))
    sheet = book.sheet_by_index(0)
    rows = []
    for r in range(sheet.nrows):
        row = []
        for cell in sheet.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(_cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
            else:
                row.append(_cell_text(cell.value))
        rows.append(row)
    return rows


def _grid_from_xlsx(path: Path) -> list[list[str]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _grid_from_html(raw: bytes) -> list[list[str]]:
    import lxml.html

    text = raw.decode(detect_encoding(raw), errors="replace")
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    doc = lxml.html.fromstring(text)
    rows = []
    for tr in doc.iter("tr"):
        rows.append([td.text_content().strip() for td in tr if td.tag in ("td", "th")])
    return rows


def _header_row(rows: list[list[str]]) -> int:
    """Index of the row most like a header within the first rows (-1: none has two aliases)."""
    best, best_hits = -1, 1
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = sum(_is_alias(c) for c in row)
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def split_line(line: str, delimiter: str) -> list[str]:
    """One text line split as the file's delimiter says (quotes respected)."""
    if delimiter == WHITESPACE:
        return line.split()
    return next(csv.reader([line], delimiter=delimiter), [])


def _delimiter(lines: list[str]) -> str:
    """The delimiter of a text export: tab, comma, semicolon or bar, else whitespace.

    Each candidate is scored by its most common field count times the lines that have it
    (title rows above the header have one field); whitespace is taken only when no written
    delimiter splits the lines and it splits them evenly (a log such as the CDNOW sample).
    """
    body = [ln for ln in lines if ln.strip()][:HEADER_SCAN_ROWS]

    def modal(delim: str) -> tuple[int, int]:
        widths = [len(split_line(ln, delim)) for ln in body]
        common = max(set(widths), key=lambda w: (widths.count(w) * w, w)) if widths else 1
        return common, widths.count(common)

    scored = {d: modal(d) for d in ("\t", ",", ";", "|")}
    best = max(scored, key=lambda d: scored[d][0] * scored[d][1] if scored[d][0] > 1 else 0)
    if scored[best][0] > 1:
        return best
    width, count = modal(WHITESPACE)
    return WHITESPACE if width > 1 and count >= 0.8 * len(body) else ","


def _open_text(path: Path, fmt: str):
    """The bytes of a text export: the file, or the one table inside a ZIP."""
    if fmt == "zip":
        z = zipfile.ZipFile(path)
        return z.open(_zip_member(path))
    return open(path, "rb")


def _text_head(path: Path, fmt: str) -> tuple[str, list[list[str]], str, list[str], bool]:
    with _open_text(path, fmt) as fh:
        sample = fh.read(ENCODING_SAMPLE_BYTES)
        truncated = bool(fh.read(1))
    try:
        encoding = detect_encoding(sample, truncated=truncated)
    except UnicodeError as err:
        raise ExportError(
            f"{path.name}: cannot decode the file as UTF-8 or GB18030 text. "
            "Re-download the export or save it as CSV (UTF-8).",
            file=path,
        ) from err
    text = sample.decode(encoding, errors="ignore")
    lines = text.splitlines()
    complete = not truncated and len(lines) <= HEADER_SCAN_ROWS
    lines = lines[:HEADER_SCAN_ROWS]
    delimiter = _delimiter(lines)
    rows = [split_line(ln, delimiter) for ln in lines]
    return encoding, rows, delimiter, lines, complete


@dataclass
class ExportFile:
    """One file of the data folder: which kind it is and which of its headers map where."""

    path: Path
    kind: str | None = None
    headers: list[str] = field(default_factory=list)
    header_row: int = 0  # 0-based; -1: no header line
    mapping: dict[str, str] = field(default_factory=dict)  # raw header -> canonical column
    fmt: str = ""
    encoding: str | None = None
    delimiter: str = ","
    problem: str | None = None
    names: tuple[str, ...] | None = None  # column names of a file read by its row shape
    layout: str | None = None  # what the row shape was taken for
    empty: bool = False  # a header and no data rows: an export of its kind with 0 rows
    near_kind: str | None = None  # the kind it is closest to, when it is none
    near_missing: list[str] = field(default_factory=list)  # what it lacks to be that kind
    near_hits: int = 0  # how many of that kind's required columns it has
    banner: list[str] = field(default_factory=list)  # title rows above the header, as text
    period: list[str] | None = None  # [first, last] ISO day a banner row names (Google Ads)
    _grid: list[list[str]] | None = field(default=None, repr=False)

    def unused_text(self) -> str:
        """One line on a file of no known kind: why it is unreadable, or its closest kind."""
        if self.problem:
            return f"unreadable: {self.problem}"
        closest = (
            f" (closest kind: {self.near_kind}, which needs {', '.join(self.near_missing)})"
            if self.near_kind
            else ""
        )
        headers = ", ".join(self.headers[:12]) or "(none)"
        return f"not recognised: {self.path.name} — headers: {headers}{closest}"

    @property
    def near_miss(self) -> bool:
        """Close to a kind (at least two of its required columns) but lacking some."""
        return self.near_kind is not None and self.near_hits >= 2


def _map_headers(kind_name: str, headers: list[str]) -> dict[str, str]:
    """Raw header → canonical column; where two headers name one column, the better alias wins."""
    best: dict[str, tuple[int, str]] = {}
    for h in headers:
        hit = _peer_lookup(kind_name, h) if peer_header(h) else _lookup(_ALIAS_INDEX[kind_name], h)
        if hit and (hit[0] not in best or hit[1] < best[hit[0]][0]):
            best[hit[0]] = (hit[1], h)
    return {h: canon for canon, (_, h) in best.items()}


def _peer_lookup(kind_name: str, header: str) -> tuple[str, int] | None:
    """The peer column a header names (同行同层平均支付转化率 → peer_avg_conversion).

    None unless the kind reads peers and knows the figure: a peer header is never the shop's
    own figure.
    """
    kind = KINDS[kind_name]
    tier, figure = peer_header(header)
    hit = _lookup(_ALIAS_INDEX[kind_name], figure) if kind.peers else None
    name = peer_column(tier, hit[0]) if hit else ""
    return (name, hit[1]) if any(c.name == name for c in kind.columns) else None


def _match_kind(headers: list[str]) -> tuple[str | None, dict[str, str]]:
    name, mapping = _match_headers(tuple(headers))
    return name, dict(mapping)


@functools.lru_cache(maxsize=4096)  # a folder holds many files of few layouts
def _match_headers(headers: tuple[str, ...]) -> tuple[str | None, dict[str, str]]:
    best: tuple[tuple[int, int], str | None, dict[str, str]] = ((-1, -1), None, {})
    for name, kind in KINDS.items():
        mapping = _map_headers(name, headers)
        if kind.lacks(set(mapping.values())):
            continue
        score = (len(kind.key), len(mapping))  # the more specific kind wins
        if score > best[0]:
            best = (score, name, mapping)
    return best[1], best[2]


_MOJIBAKE = re.compile(r"\ufffd|\?{2,}|[\u00c0-\u00ff][\u0080-\u00ff]|[\u0080-\u009f]")


def _garbled_header(rows: list[list[str]]) -> str:
    """The first header-like line's text when it is mojibake or ``?`` runs, else ""."""
    for row in rows[:HEADER_SCAN_ROWS]:
        text = ",".join(c.strip() for c in row if c.strip())
        if _MOJIBAKE.search(text):
            return text[:60]
    return ""


def _nearest_kind(headers: list[str]) -> tuple[str | None, list[str], int]:
    """The kind a file is closest to (most required columns present), what it lacks, hits."""
    best: tuple[int, str | None, list[str]] = (0, None, [])
    for name, kind in KINDS.items():
        present = set(_map_headers(name, headers).values())
        # a date column counts for a kind that may take its date from the file (items, GA4)
        dated = kind.date_from_file and "date" in present
        hits = sum(c in present for c in kind.required) + dated
        if hits > best[0]:
            best = (hits, name, kind.lacks(present))
    return best[1], best[2], best[0]


def inspect_file(path: Path) -> ExportFile:
    """Read just enough of ``path`` to know its format, header row and export kind."""
    from .headerless import match_row_shape

    info = ExportFile(path=path)
    complete = True
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
        info.fmt = _sniff_format(head, path)
        lines: list[str] = []
        if info.fmt in TEXT_FORMATS:
            info.encoding, rows, info.delimiter, lines, complete = _text_head(path, info.fmt)
        else:
            rows = {
                "biff": lambda: _grid_from_biff(path),
                "xlsx": lambda: _grid_from_xlsx(path),
                "html": lambda: _grid_from_html(path.read_bytes()),
            }[info.fmt]()
            info._grid = rows
    except ExportError as err:
        info.problem = str(err)
        return info
    except Exception as err:  # a broken workbook: say which file, keep scanning the others
        info.problem = f"{path.name}: cannot be read as {info.fmt or 'a table'} ({err})"
        return info
    idx = _header_row(rows)
    if idx >= 0:
        info.header_row = idx
        info.headers = [c.strip() for c in rows[idx]]
        info.kind, info.mapping = _match_kind(info.headers)
        info.banner = [" ".join(c.strip() for c in r if c.strip()) for r in rows[:idx]]
        info.banner = [b for b in info.banner if b]
        found = find_period(info.banner)
        info.period = [d.isoformat() for d in found] if found else None
    if info.kind is None and info.fmt in TEXT_FORMATS and match_row_shape(info, rows):
        return info
    garbled = _garbled_header(rows)
    if info.kind is None and garbled:
        info.problem = (
            f"{path.name}: the header line is not readable text ({garbled!r}): the file was "
            f"saved in another encoding than it says (read as {info.encoding or 'a workbook'}), "
            "or its names were replaced by ?. Re-download the export, or save it as CSV (UTF-8)."
        )
        return info
    if idx < 0:
        info.headers = [c for c in (rows[0] if rows else []) if c]
    if info.kind is None:
        info.near_kind, info.near_missing, info.near_hits = _nearest_kind(info.headers)
        return info
    body = [r for r in rows[idx + 1 :] if any(c.strip() for c in r)]
    info.empty = not body and complete
    return info


DAY_COLUMNS = ("date", "paid_at", "ts")  # where a kind's rows say their day


def days_held(info: ExportFile, kind_name: str) -> list[date]:
    """The days the rows of ``info`` name as a ``kind_name`` export, read leniently.

    For a file left out of its kind (a column short, a bad cell): which days the reports
    lack without it. Cells that read as no date are passed over; a file whose rows name no
    day gives the day in its name (rival snapshots) or the period above its header.
    """
    kind = KINDS[kind_name]
    mapping = info.mapping if info.kind == kind_name else _map_headers(kind_name, info.headers)
    column = next((c for c in DAY_COLUMNS if c in mapping.values()), None)
    if column is None:
        if info.period:
            first, last = (pd.Timestamp(d) for d in info.period)
            return [d.date() for d in pd.date_range(first, last)]
        found = date_in_name(info.path.name) if kind.date_from_file else None
        return [found] if found else []
    try:
        if info.fmt not in TEXT_FORMATS and info._grid is None:
            info = inspect_file(info.path)
        only = {h: c for h, c in mapping.items() if c == column}
        raw = _raw_frame(replace(info, kind=kind_name, mapping=only), kind)
        values = parse_dates(raw[column].astype("string"))
    except Exception:  # noqa: BLE001 — a file that cannot even be read for its days
        return []
    values = values[values.notna() & ~_impossible_dates(values)]
    return sorted(set(values.dt.date))


def rows_text(rows: list[int]) -> str:
    """``row 3`` or ``rows 3, 4, 9 (and 2 more)``."""
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_IN_MESSAGE])
    more = len(rows) - MAX_ROWS_IN_MESSAGE
    return (
        f"row {shown}"
        if len(rows) == 1
        else f"rows {shown}" + (f" (and {more} more)" if more > 0 else "")
    )


def _csv_cells(info: ExportFile, kind: ExportKind, wanted: list[str]) -> dict:
    """How a text export's cells are read: its delimiter, the columns wanted, missing tokens."""
    str_cols = {
        h: str for h, c in info.mapping.items() if kind.column(c).dtype not in NUMERIC_DTYPES
    }
    return dict(
        sep=info.delimiter,
        usecols=lambda h: h.strip() in wanted,
        dtype=str_cols,
        thousands=",",
        na_values=sorted(MISSING_TOKENS - {""}),
        keep_default_na=True,
        skip_blank_lines=False,
        skipinitialspace=True,
        engine="python" if info.delimiter == WHITESPACE else "c",
    )


# ------------------------------------------------------- text cells: pyarrow, else pandas
#
# A text export's cells are read by pyarrow's multithreaded CSV reader where its reading is
# provably the one ``pandas.read_csv(**_csv_cells(...))`` gives: the same rows, the same text
# in each cell, the same missing cells, the same dtypes. Wherever that cannot be told from the
# file (a ragged row, a cell starting with a space, a number pandas reads in its own way:
# ``1e5``, ``+5``, ``inf``, 16 digits), pandas reads the whole file, as it always did.

ARROW_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")
# GB18030's second and fourth bytes are 0x30–0x39 and 0x40–0xFE: never a comma, tab,
# semicolon, quote or line break, so its bytes split into cells as text does; a bar can be one.
ARROW_DELIMITERS = {"utf-8": ",\t;|", "utf-8-sig": ",\t;|", "gb18030": ",\t;"}
# the texts pandas reads as missing: its defaults (keep_default_na) and ours (na_values)
try:
    from pandas._libs.parsers import STR_NA_VALUES as _PANDAS_NA
except ImportError:  # pragma: no cover — a pandas that moved it: its documented list
    _PANDAS_NA = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan"}
    _PANDAS_NA |= {"1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a"}
    _PANDAS_NA |= {"nan", "null"}
NA_TEXTS = frozenset(_PANDAS_NA) | MISSING_TOKENS
_PLAIN_NUMBER = r"^-?[0-9]+(?:\.[0-9]+)?$"  # 1234, -12.50: read alike by both
_GROUPED_NUMBER = r"^-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$"  # 1,234.50 (thousands=",")
EXACT_CHARS = 15  # up to 15 digits both round a decimal to the same float
# a cell of only these characters, or one of these words, may be a number to pandas
# (1e5, +5, 5., " 5\n", inf, TRUE): a column holding one that is neither plain nor
# grouped is read by pandas
_NUMBER_LIKE = r"^[0-9+\-.,eE \t\n\r\f\v]*$"
_NUMBER_WORDS = ("inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "true", "false")


class _PandasReads(Exception):
    """pyarrow's reading of a file could differ from pandas': why (pandas reads it)."""


def _line_ends(data: bytes, start: int) -> tuple[int, int]:
    """Where the line starting at ``start`` ends, and where the next one starts."""
    nl, cr = data.find(b"\n", start), data.find(b"\r", start)
    if cr < 0 or (0 <= nl < cr):
        return (nl, nl + 1) if nl >= 0 else (len(data), len(data))
    return cr, cr + 2 if data[cr + 1 : cr + 2] == b"\n" else cr + 1


def _arrow_cells(info: ExportFile, kind: ExportKind, wanted: list[str]) -> pd.DataFrame:
    """The cells ``_pandas_cells`` would read, read by pyarrow; raises :class:`_PandasReads`.

    The header and the title rows above it are split here (they hold no quote); the rows
    below are pyarrow's, every cell as bytes, so a GB18030 file is never transcoded whole:
    each column's distinct cells are decoded once (all of them: a byte no text can hold
    anywhere in the file is left to pandas, which names it). Cells are then missing, text
    or numbers exactly as pandas' C parser makes them.
    """
    import pyarrow as pa
    import pyarrow.csv as pv

    enc, delim = info.encoding or "", info.delimiter
    if info.fmt != "text" or info.names is not None:
        raise _PandasReads("a ZIP" if info.fmt == "zip" else "a file read by its row shape")
    if enc not in ARROW_ENCODINGS:
        raise _PandasReads(f"encoding {enc}")
    if delim not in ARROW_DELIMITERS[enc]:
        raise _PandasReads(f"delimiter {delim!r} in {enc}")
    data = info.path.read_bytes()
    start = 0
    for _ in range(info.header_row):
        start = _line_ends(data, start)[1]
    end, body = _line_ends(data, start)
    if b'"' in data[:start] or data[start:end].count(b'"') % 2:
        raise _PandasReads("a quote in the title rows or a header cell across lines")
    if data.count(b"\r", 0, body) != data.count(b"\r\n", 0, body):
        raise _PandasReads("a lone CR above the rows (pandas counts those lines otherwise)")
    if b"\x00" in data:  # (a quote after a space makes a cell start with one: see below)
        raise _PandasReads("a NUL byte")
    try:
        above = data[:end].decode(enc)
    except UnicodeDecodeError as err:
        raise _PandasReads("not text") from err
    headers = split_line(above[len(data[:start].decode(enc)) :], delim)
    names = [h.strip() for h in headers]
    dtypes = _csv_cells(info, kind, wanted)["dtype"]  # the headers read as text
    if any(h.startswith(" ") for h in headers):
        raise _PandasReads("a header starting with a space")
    keep = [i for i, h in enumerate(names) if h and h in wanted]
    if not keep:
        raise _PandasReads("no column wanted")
    if len({names[i] for i in keep}) < len(keep):
        raise _PandasReads("two wanted columns under one header")
    columns = [f"c{i}" for i in range(len(headers))]
    try:
        table = pv.read_csv(
            pa.py_buffer(memoryview(data)[body:]),
            read_options=pv.ReadOptions(column_names=columns),
            parse_options=pv.ParseOptions(
                delimiter=delim, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pv.ConvertOptions(
                column_types={c: pa.binary() for c in columns},
                strings_can_be_null=False,
                null_values=[],
            ),
        )
    except pa.ArrowException as err:  # rows of another width, a quote left open
        raise _PandasReads(f"pyarrow: {err}") from err
    if not table.num_rows:
        raise _PandasReads("no rows")

    def column(i: int) -> pd.Series | None:  # every column: each byte must decode
        as_text = (headers[i] in dtypes) if i in keep else None
        try:
            return _arrow_column(table.column(i).combine_chunks(), enc, as_text)
        except pa.ArrowException as err:
            raise _PandasReads(f"pyarrow: {err}") from err

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # pyarrow frees the GIL
        read = list(pool.map(column, range(table.num_columns)))
    return pd.concat({names[i]: read[i] for i in keep}, axis=1)  # no copy into 2-D blocks


def _arrow_column(cells, enc: str, as_text: bool) -> pd.Series | None:
    """One column's cells (bytes) as pandas reads them; None: not wanted, only checked.

    Everything is decided on the column's distinct cells: decoding (ASCII and UTF-8 need
    none, only the check that they are UTF-8), missing texts, and what pandas' C parser
    makes of the column: text where asked (``dtype=str``), else int64 for whole numbers
    (float64 with a missing cell), float64 for decimals, text when a cell is no number;
    1,234 is a number (``thousands=","``). A cell both might read otherwise makes pandas
    read the file.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if as_text is False and (whole := _whole_numbers(cells)) is not None:
        return whole
    coded = pc.dictionary_encode(cells)
    unique = True  # each distinct cell one distinct text
    try:
        texts = pc.cast(coded.dictionary, pa.large_string())
        if enc == "gb18030" and not _all(pc.string_is_ascii(texts)):
            texts = None  # valid UTF-8 bytes can still be GB18030 characters
    except pa.ArrowInvalid:
        texts = None
    if texts is None:
        try:  # GB18030: each distinct cell decoded once
            decoded = [b.decode(enc) for b in coded.dictionary.to_pylist()]
        except (UnicodeDecodeError, LookupError) as err:
            raise _PandasReads(f"bytes that are not {enc}") from err
        texts = pa.array(decoded, pa.large_string())
        unique = len(set(decoded)) == len(decoded)  # two byte strings, one text: no memo
    if _any(pc.starts_with(texts, " ")):
        raise _PandasReads("a cell starting with a space (skipinitialspace)")
    missing = pc.is_in(texts, value_set=pa.array(sorted(NA_TEXTS), pa.large_string()))
    if as_text is None:
        return None
    texts = pc.if_else(missing, pa.scalar(None, pa.large_string()), texts)
    if as_text:
        return _text_column(texts, missing, coded, unique)
    present = pc.drop_null(texts)
    number = pc.or_(
        pc.match_substring_regex(present, _PLAIN_NUMBER),
        pc.match_substring_regex(present, _GROUPED_NUMBER),
    )
    if not _all(number):
        like = pc.or_(
            pc.match_substring_regex(present, _NUMBER_LIKE),
            pc.is_in(pc.utf8_lower(present), value_set=pa.array(_NUMBER_WORDS, pa.large_string())),
        )
        if _any(pc.and_(pc.invert(number), like)):
            raise _PandasReads("a cell pandas may read as a number in its own way")
        return _text_column(texts, missing, coded, unique)
    digits = pc.replace_substring(texts, ",", "")
    if (pc.max(pc.utf8_length(digits)).as_py() or 0) > EXACT_CHARS:
        raise _PandasReads("a number of more than 15 digits")
    gaps = coded.indices.null_count or _any(missing)
    whole = not gaps and not _any(pc.match_substring(digits, "."))
    values = pc.take(pc.cast(digits, pa.int64() if whole else pa.float64()), coded.indices)
    return pd.Series(values.to_numpy(zero_copy_only=False, writable=True), copy=False)


def _text_column(texts, missing, coded, unique: bool) -> pd.Series:
    """A column's text per row (``texts``: its distinct cells, ``missing`` ones null).

    What the dictionary says is handed to :func:`~.cells.factorize`, so checking the
    column's distinct cells later (summary rows, peers, the cells) hashes no row again.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    out = _text_series(pc.take(texts, coded.indices))
    if unique and not coded.indices.null_count:
        keep = ~missing.to_numpy(zero_copy_only=False)
        code_of = np.where(keep, np.cumsum(keep) - 1, -1)
        codes = code_of[coded.indices.to_numpy()].astype(np.intp)
        uniques = pd.Index(pd.array(texts.filter(pa.array(keep)), dtype=out.dtype))
        remember(out, codes, uniques)
    return out


def _text_series(texts) -> pd.Series:
    """Text as ``read_csv(dtype=str)`` holds it: pandas' ``str``, or objects with NaN (pandas 2)."""
    out = texts.to_pandas()
    if out.dtype == object and texts.null_count:
        out = out.where(out.notna(), np.nan)
    return out


def _whole_numbers(cells) -> pd.Series | None:
    """A column of plain whole numbers in every row (1234, -5, 007) as int64; else None.

    pyarrow's integer parsing takes ``-`` and digits, and 0x hex, which is left out;
    pandas reads the same cells as the same int64.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # a failing cast is slow: the first cells first
        pc.cast(cells.slice(0, 1000), pa.int64())
        values = pc.cast(cells, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if values.null_count:
        return None
    chars = cells.buffers()[2]  # every cell's bytes, end to end: no x of 0x1F among them
    if chars is not None and ((np.frombuffer(chars, np.uint8) | 0x20) == ord("x")).any():
        return None
    return pd.Series(values.to_numpy(zero_copy_only=False, writable=True), copy=False)


def _all(mask) -> bool:
    import pyarrow.compute as pc

    return bool(pc.all(mask, min_count=0).as_py())


def _any(mask) -> bool:
    import pyarrow.compute as pc

    return bool(pc.any(mask, min_count=0).as_py())


def _pandas_cells(info: ExportFile, kind: ExportKind, wanted: list[str]) -> pd.DataFrame:
    """A text export's cells under its raw headers, read by ``pandas.read_csv``."""
    shaped = info.names is not None
    try:
        return pd.read_csv(
            info.path,
            compression="zip" if info.fmt == "zip" else None,
            encoding=info.encoding,
            skiprows=info.header_row + 1 if shaped else info.header_row,
            header=None if shaped else 0,
            names=list(info.names) if shaped else None,
            **_csv_cells(info, kind, wanted),
        )
    except UnicodeDecodeError as err:
        raise ExportError(
            f"{info.path.name}: bytes past the start are not {info.encoding} ({err.reason}). "
            "The file mixes encodings; re-download it or save it as CSV (UTF-8).",
            file=info.path,
        ) from err
    except (pd.errors.ParserError, ValueError) as err:
        raise ExportError(f"{info.path.name}: cannot parse as CSV: {err}", file=info.path) from err


def _raw_frame(info: ExportFile, kind: ExportKind, tidy: bool = True) -> pd.DataFrame:
    """The data rows of ``info`` under their raw headers, with a ``_row`` column of file rows.

    ``tidy=False`` (text files): every line's cells as read, blank ones too, and no
    ``_label``, under the file's headers: :func:`read_exports` tidies many files at once.
    """
    wanted = list(info.mapping)
    shaped = info.names is not None
    label = info.headers[0] if info.headers and not shaped else None  # where "Total:" sits
    if label is not None and label not in wanted:
        wanted.append(label)
    first_data_row = info.header_row + 2  # 1-based, as a spreadsheet shows it
    if info.fmt in TEXT_FORMATS:
        try:
            df = _arrow_cells(info, kind, wanted)
        except _PandasReads as why:
            _log.debug("%s: read by pandas: %s", info.path.name, why)
            df = _pandas_cells(info, kind, wanted)
        df.columns = [c.strip() for c in df.columns]
        if not tidy:
            return df.assign(_row=df.index.to_numpy() + first_data_row)
        df = df.dropna(how="all")
    else:
        grid = info._grid or []
        width = len(info.headers)
        body = [(r + [""] * width)[:width] for r in grid[info.header_row + 1 :]]
        df = pd.DataFrame(body, columns=info.headers, dtype=object)
        df = df.loc[:, ~pd.Index(df.columns).duplicated()][wanted]
        df = df[~df.apply(lambda col: col.astype(str).str.strip().eq("")).all(axis=1)]
    df["_row"] = df.index.to_numpy() + first_data_row
    if label is not None:
        df["_label"] = df[label]
        if label not in info.mapping:
            df = df.drop(columns=label)
    return df.rename(columns=info.mapping).reset_index(drop=True)


def _without_empty_days(raw: pd.DataFrame, kind: ExportKind) -> pd.DataFrame:
    """Rows of a daily kind whose every figure is missing (生意参谋's 暂无数据 day) left out.

    Such a day has no figures at all: it is no row, never a day of zeros.
    """
    if "date" not in kind.key:
        return raw
    names = {c.name for c in kind.columns if c.dtype in NUMERIC_DTYPES}
    figures = [c for c in raw.columns if c in names]
    if not figures or raw.empty:
        return raw
    blank = missing(raw[figures[0]])
    for c in figures[1:]:
        if not blank.any():  # a figure in every row: no empty day
            break
        blank &= missing(raw[c])
    return raw[~blank].reset_index(drop=True) if blank.any() else raw


def _peer_labels_in(raw: pd.DataFrame, kind: ExportKind) -> bool:
    """Whether a text cell of ``raw`` reads as a peer row's label (同行同层均值 …).

    Without one, :func:`~.peers.fold_peer_rows` has nothing to fold. Asked of each text
    column's distinct cells (a label sits in the first column or a text or date one, never
    among the figures or flags), not of every row.
    """
    figures = {c.name for c in kind.columns if c.dtype in NUMERIC_DTYPES | {"flag"}}
    for c in raw.columns:
        if c in figures or pd.api.types.is_numeric_dtype(raw[c]):
            continue
        if distinct(raw[c])[1].map(peer_tier).notna().any():
            return True
    return False


def _refuse_duplicate_headers(info: ExportFile) -> None:
    """Two columns under one header the kind reads: which one holds the data is unknowable."""
    for header, canonical in info.mapping.items():
        at = [i + 1 for i, h in enumerate(info.headers) if h == header]
        if len(at) > 1:
            raise ExportError(
                f"{info.path.name}: columns {at[0]} and {at[1]} are both headed '{header}' "
                f"({canonical}); which one holds the {canonical} cannot be told. Delete or "
                "rename one of them.",
                file=info.path,
                column=canonical,
            )


TAIL_BYTES = 64 * 1024  # the end of a file read to see whether its last row was cut


def _refuse_cut_last_row(info: ExportFile, raw: pd.DataFrame) -> None:
    """A last row with fewer fields than the header and the row before: a cut download.

    Rows that all leave trailing fields out (some tools write them so) are not cut. The
    error quotes the row's cells as :func:`quoted_cell` does.
    """
    width = len(info.headers)
    while width and not info.headers[width - 1]:
        width -= 1
    with open(info.path, "rb") as fh:
        fh.seek(max(0, info.path.stat().st_size - TAIL_BYTES))
        tail = fh.read().decode(info.encoding or "utf-8", errors="replace")
    lines = [line for line in tail.splitlines()[1:] if line.strip()]
    if len(lines) < 2:
        return
    before, last = (split_line(line, info.delimiter) for line in lines[-2:])
    if len(last) < width and len(last) < len(before):
        row, ids = int(raw["_row"].iloc[-1]), customer_ids(raw)
        cells = ", ".join(
            quote_cell(v, info.mapping.get(h), ids) for v, h in zip(last, info.headers)
        )
        raise ExportError(
            f"{info.path.name}: row {row} is cut short: {len(last)} of {width} columns "
            f"({cells[:120]}). The file looks truncated (a download that stopped early); "
            "re-download it.",
            file=info.path,
            rows=[row],
        )


def cell_error(
    info: ExportFile, raw: pd.DataFrame, bad: pd.Series, col: Column, what: str
) -> ExportError:
    """The error for cells of ``col`` that fail: file, header, canonical name, rows, what."""
    rows = raw.loc[bad, "_row"].tolist()
    header = next(h for h, c in info.mapping.items() if c == col.name)
    return ExportError(
        f"{info.path.name}: column '{header}' ({col.name}), {rows_text(rows)}: {what}.",
        file=info.path,
        column=col.name,
        rows=rows,
    )


def customer_ids(raw: pd.DataFrame) -> frozenset[str]:
    """The customer IDs in a file's rows: such a cell is masked wherever a shifted row put it."""
    cols = [c for c in PERSONAL_COLUMNS if c in raw]
    return frozenset(raw[cols].stack().astype(str).str.strip()) if cols else frozenset()


def quoted_cell(raw: pd.DataFrame, bad: pd.Series, column: str) -> str:
    """The first ``bad`` cell of ``column`` as errors quote it: masked when it may be personal."""
    return quote_cell(raw.loc[bad, column].iloc[0], column, customer_ids(raw))


def _impossible_dates(values: pd.Series, future: bool = False) -> pd.Series:
    """Dates no shop export can hold: too early, or after tomorrow unless ``future``."""
    latest = pd.Timestamp.today().normalize() + FUTURE_SLACK + pd.Timedelta(days=1)
    ahead = values >= latest if not future else False
    return ((values < EARLIEST_DATE) | ahead).fillna(False)


def _check_range(col: Column, values: pd.Series) -> tuple[pd.Series, str]:
    high = col.high if col.high is not None or col.dtype != "money" else MONEY_CEILING
    if col.low is None and high is None:
        return pd.Series(False, index=values.index), ""
    too_low = values < col.low if col.low is not None else pd.Series(False, index=values.index)
    too_high = values > high if high is not None else pd.Series(False, index=values.index)
    if col.high is not None and col.low is not None:
        bounds = f"between {col.low:g} and {col.high:g}"
    elif col.low is None or too_high.any():  # past any shop's amount: a broken cell
        bounds = f"at most {high:,.0f}"
    else:
        bounds = f"≥ {col.low:g}"
    if col.dtype == "rate":
        bounds += " (a fraction, or a percent written with %)"
    return (too_low | too_high).fillna(False), bounds


def _fill_within_group(raw: pd.DataFrame, group: str, columns: tuple[str, ...]) -> None:
    """Copy fields written only on a group's first line (Shopify orders) to its other lines."""
    cols = [c for c in columns if c in raw]
    if not cols:
        return
    blank = raw[cols].astype("string").apply(lambda c: c.str.strip().replace("", pd.NA))
    if not blank.isna().any().any():
        return
    filled = blank.groupby(raw[group].astype("string"), dropna=False, sort=False).transform("first")
    raw[cols] = filled.where(raw[group].notna(), blank)


def _contradiction(info: ExportFile, raw: pd.DataFrame, col: Column, ev: OrderEvidence):
    """The error for a date column whose values prove both day-first and month-first."""
    text = raw[col.name].astype("string").str.strip()
    proofs = [(o, ev.ruled_out[o]) for o in ("mdy", "dmy") if o in ev.ruled_out]
    rows = [int(raw.loc[text == t, "_row"].iloc[0]) for _, t in proofs]
    said = "; ".join(
        f"row {r} {quote_cell(t, col.name)} cannot be {ORDER_NAMES[o]}"
        for r, (o, t) in zip(rows, proofs)
    )
    header = next(h for h, c in info.mapping.items() if c == col.name)
    return ExportError(
        f"{info.path.name}: column '{header}' ({col.name}) mixes day-first and month-first "
        f"dates: {said}. Export the dates in one format (ISO 2026-10-21 is safest).",
        file=info.path,
        column=col.name,
        rows=rows,
    )


def read_export(
    info: ExportFile, date_order: str = "auto", date_hints: dict[str, str] | None = None
) -> pd.DataFrame:
    """Read one recognised file into canonical columns, validated; adds ``_file`` and ``_row``.

    Three-number dates are read in the order their column proves, else in ``date_hints``'
    order for that column (what the other files of the kind prove), else as ``date_order``
    says (``auto``: assumed, and recorded). ``df.attrs["dates"]`` keeps, per date column,
    the evidence, the order used and how it was chosen.
    """
    if info.kind is None:
        raise ExportError(f"{info.path.name}: not a known export kind", file=info.path)
    kind = KINDS[info.kind]
    _refuse_duplicate_headers(info)
    raw = _raw_frame(info, kind)
    if info.fmt == "text" and info.delimiter != WHITESPACE and len(raw):
        _refuse_cut_last_row(info, raw)
    return _validated(info, kind, raw, date_order, date_hints)


def _validated(
    info: ExportFile,
    kind: ExportKind,
    raw: pd.DataFrame,
    date_order: str = "auto",
    date_hints: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The cells of ``raw`` (one file's, or many files' of one layout) read and validated."""
    name = info.path.name
    labels = summary_labels(raw, kind)  # 合计, 汇总值, 平均值, Total: …: the export's own sums
    total = labels.notna()
    totals = summary_rows(kind, raw[total], labels[total])
    raw = raw[~total].reset_index(drop=True)
    if kind.peers:
        if _peer_labels_in(raw, kind):
            raw = fold_peer_rows(raw, kind)  # 同行同层均值 / 优秀 rows: columns of the shop's row
    raw = _without_empty_days(raw, kind)
    if kind.fill_within and kind.fill_within[0] in raw:
        _fill_within_group(raw, *kind.fill_within)
    needed = set(kind.required)
    if kind.key:  # the column a file gives for a one-of group is filled like a required one
        needed |= {next(c for c in g if c in raw) for g in kind.one_of if any(c in raw for c in g)}
    out = pd.DataFrame(index=raw.index)
    dates: dict[str, dict] = {}
    marks: set[str] = set()  # currencies the money headers and cells name
    for col in kind.columns:
        if col.name not in raw:
            continue
        if col.dtype in ("date", "datetime"):
            codes, texts = distinct(raw[col.name])  # one pass over the rows serves all three
            ev = order_evidence(texts)
            if ev.orders is not None and not ev.orders:
                raise _contradiction(info, raw, col, ev)
            hint = (date_hints or {}).get(col.name)
            order, how = (hint, "folder") if hint and ev.ambiguous else choose_order(ev, date_order)
            parsed = parse_dates(texts, keep_time=col.dtype == "datetime", order=order)
            values = pd.to_datetime(spread(parsed, codes, raw.index))
            present = spread(clean_text(texts).notna(), codes, raw.index).eq(True)
            bad = values.isna() & present
            expected = "a date like 2026-11-18 (or a unix time)"
            impossible = _impossible_dates(values, col.future)
            if impossible.any() and not bad.any():
                found = quoted_cell(raw, impossible, col.name)
                raise cell_error(
                    info,
                    raw,
                    impossible,
                    col,
                    f"expected a date between {EARLIEST_DATE:%Y-%m-%d} and today "
                    f"({pd.Timestamp.today():%Y-%m-%d}), found {found}: a date a shop "
                    "cannot have sold on (a broken cell, or the wrong date order)",
                )
            if ev.orders is not None:
                dates[col.name] = {**ev.as_dict(), "order": order, "how": how}
        else:
            values, bad, expected = parse_cells(col, raw[col.name])
            if col.dtype == "money":
                marks |= _currencies_of(info, raw[col.name], col.name)
        if col.name in needed and not col.nullable and col.dtype not in ("str", "flag"):
            bad = bad | values.isna()
        if bad.any():
            found = quoted_cell(raw, bad, col.name)
            raise cell_error(info, raw, bad, col, f"expected {expected}, found {found}")
        endless = values.abs().eq(float("inf")) if col.dtype in NUMERIC_DTYPES else None
        if endless is not None and endless.any():
            found = quoted_cell(raw, endless, col.name)
            raise cell_error(info, raw, endless, col, f"expected a finite number, found {found}")
        if col.dtype in NUMERIC_DTYPES or col.dtype == "rating":
            out_of_range, bounds = _check_range(col, values)
            if out_of_range.any():
                found = f"{values[out_of_range].iloc[0]:g}"
                raise cell_error(
                    info, raw, out_of_range, col, f"expected a value {bounds}, found {found}"
                )
        if col.dtype == "int" and values.notna().all():
            values = values.astype("int64")
        out[col.name] = values
    if "url" in out and "item_id" in {c.name for c in kind.columns}:

        def item_of(links: pd.Series) -> pd.Series:  # each distinct link once
            found = links.astype("string").str.extract(ITEM_ID_IN_URL)
            return found[0].fillna(found[1])  # not bfill(axis=1): it transposes, 60 ms a file

        from_url = per_unique(out["url"], item_of).astype("string")
        out["item_id"] = out["item_id"].fillna(from_url) if "item_id" in out else from_url
        if out["item_id"].isna().any():
            bad = out["item_id"].isna()
            raise cell_error(
                info,
                raw,
                bad,
                kind.column("url"),
                f"expected a link holding the item id (item.htm?id=…, /dp/ASIN), "
                f"found {quoted_cell(raw, bad, 'url')}",
            )
    if kind.date_from_file and ("date" not in out or out["date"].isna().all()):
        if len(out):
            out["date"], out.attrs["date_source"] = _file_date(info, kind)
        else:  # a header without rows needs no date
            out["date"] = pd.Series(dtype="datetime64[ns]")
    if info.period and "date" not in out and "period_start" in {c.name for c in kind.columns}:
        for column, day in zip(("period_start", "period_end"), info.period):
            out[column] = (
                out[column].fillna(pd.Timestamp(day)) if column in out else pd.Timestamp(day)
            )
    if "currency" in {c.name for c in kind.columns} and len(marks) == 1:
        code = next(iter(marks))  # Amazon's "$" cells: rows without a currency column
        out["currency"] = out["currency"].fillna(code) if "currency" in out else code
    if "currency" in out:
        marks |= set(out["currency"].dropna().astype(str).str.upper())
    if kind.named_from_file and kind.named_from_file not in out:
        out[kind.named_from_file] = info.path.stem  # the whole file is one campaign
        out.attrs["named_from_file"] = kind.named_from_file
    out["_file"] = name
    out["_row"] = raw["_row"]
    out.attrs["dates"] = dates
    out.attrs["currencies"] = sorted(marks)
    out.attrs["totals"] = totals
    if kind.additive and totals:
        headers = {c: h for h, c in info.mapping.items()}
        refuse_disagreeing(name, info.path, out, totals, kind.additive, headers)
    return out


ITEM_ID_IN_URL = r"[?&](?:id|item_id|itemId)=(\d+)|/dp/([A-Z0-9]{10})"


CURRENCY_SAMPLE = 2000  # distinct cells of a money column looked at for a currency mark


def _currencies_of(info: ExportFile, cells: pd.Series, column: str) -> set[str]:
    """The currencies a money column's header and cells name (its first distinct cells).

    A Chinese money header without a mark (实付金额, 花费) is a Chinese platform's export:
    yuan.
    """
    header = next((h for h, c in info.mapping.items() if c == column), "")
    found = currencies_in([header])
    if cells.dtype == object or pd.api.types.is_string_dtype(cells):
        found |= currencies_in(cells.dropna().unique()[:CURRENCY_SAMPLE])
    if not found and CJK.search(header):
        found.add("CNY")
    return found


def _file_date(info: ExportFile, kind: ExportKind) -> tuple[pd.Timestamp, str]:
    """The rows' date when they carry none: the title row's, else the file name's.

    A title naming several days dates a snapshot by its last; a span's figures are refused.
    """
    if info.period:
        first, last = (pd.Timestamp(d) for d in info.period)
        if first != last and not kind.snapshot:
            raise ExportError(
                f"{info.path.name}: its rows add up {first:%Y-%m-%d} … {last:%Y-%m-%d} and carry "
                "no date column, so no day's figures can be read from it. Download it by day "
                "(GA4: add the Date dimension; 生意参谋: 日, not a range), or a file per day.",
                file=info.path,
                column="date",
            )
        return last, "title row"
    named = date_in_name(info.path.name)
    if named is not None:
        return pd.Timestamp(named), "file name"
    raise ExportError(
        f"{info.path.name}: no {'snapshot ' if kind.snapshot else ''}date — no date column, "
        "no date in the title rows above "
        "the header, none in the file name. Add a date column, or save the file with its day "
        "in the name (竞品_2026-10-21.csv, ChildItem_2026-10-21.csv).",
        file=info.path,
        column="date",
    )


# ------------------------------------------------------------------ many files of one layout

BATCH_MIN_FILES = 16  # fewer files of one layout are read one by one


class _ReadAlone(Exception):
    """The batch could differ from its files' own reads: each is read by itself instead."""


def _layout(info: ExportFile) -> tuple | None:
    """What files must share to be validated as one table; None: the file is read alone."""
    if info.kind is None or info.fmt != "text" or info.empty or info.period:
        return None
    kind = KINDS[info.kind]
    if info.names is not None or kind.fill_within or kind.named_from_file:
        return None
    mapping = tuple(info.mapping.items())
    return (info.kind, info.encoding, info.delimiter, info.header_row, tuple(info.headers), mapping)


def read_exports(infos: list[ExportFile], date_order: str = "auto") -> list[pd.DataFrame | None]:
    """Each file's table as :func:`read_export` reads it, or None where it must be read alone.

    Files of one layout (kind, encoding, headers: a year of one tool's daily snapshots) are
    validated as one table, so pandas' per-call costs are paid once, not once a file. Only
    where the result is each file's own read: whenever it might not be (a cell that fails, a
    total row, day/month dates to weigh per file, currency marks in cells, a file whose own
    read fails), the files get None and are read one by one, each raising its own error.
    """
    out: list[pd.DataFrame | None] = [None] * len(infos)
    groups: dict[tuple, list[int]] = {}
    for i, info in enumerate(infos):
        if (key := _layout(info)) is not None:
            groups.setdefault(key, []).append(i)
    for idx in groups.values():
        if len(idx) < BATCH_MIN_FILES:
            continue
        for i, df in zip(idx, _read_in_halves([infos[i] for i in idx], date_order)):
            out[i] = df
    return out


def _read_in_halves(infos: list[ExportFile], date_order: str) -> list[pd.DataFrame | None]:
    """:func:`_read_together`; where it fails, each half again, down to files read alone.

    One bad file among a year of snapshots costs about two more reads of the batch, not
    5,000 reads of one file.
    """
    try:
        return _read_together(infos, date_order)
    except Exception:  # noqa: BLE001 — read alone, each file raises its own error
        if len(infos) < 2 * BATCH_MIN_FILES:
            return [None] * len(infos)
    half = len(infos) // 2
    return _read_in_halves(infos[:half], date_order) + _read_in_halves(infos[half:], date_order)


def _read_together(infos: list[ExportFile], date_order: str) -> list[pd.DataFrame | None]:
    kind = KINDS[infos[0].kind]
    _refuse_duplicate_headers(infos[0])
    cells, kept, texts = [], [], []
    for info in infos:
        try:
            if (text := _plain_text(info)) is not None:
                texts.append((info, text))
                continue
            raw = _raw_frame(info, kind, tidy=False)
            if info.delimiter != WHITESPACE and len(raw):
                _refuse_cut_last_row(info, raw)
        except ExportError:
            continue  # read alone, it names its own problem
        cells.append(raw)
        kept.append(info)
    counts = [len(c) for c in cells]
    if texts:
        together, read, lines = _cells_of_texts(texts, kind)
        if read:
            cells, kept, counts = [together, *cells], [*read, *kept], [*lines, *counts]
    if len(kept) < 2:
        return [None] * len(infos)
    # what _raw_frame does to each file's cells, done once to all of them
    number = np.repeat(np.arange(len(kept)), counts)
    raw = pd.concat(cells, ignore_index=True)
    data = raw.drop(columns="_row").notna().any(axis=1).to_numpy()
    raw, number = raw[data], number[data]
    label = infos[0].headers[0] if infos[0].headers else None
    if label is not None:
        raw["_label"] = raw[label]
        if label not in infos[0].mapping:
            raw = raw.drop(columns=label)
    raw = raw.rename(columns=infos[0].mapping).reset_index(drop=True)
    sizes = np.bincount(number, minlength=len(kept))
    if (sizes == 0).any():  # a header-only file is read alone (its empty date column)
        keep = np.flatnonzero(sizes)
        kept, sizes = [kept[i] for i in keep], sizes[keep]
    read = _split_validated(kept, kind, raw, sizes, date_order)
    frames = {id(i): df for i, df in zip(kept, read)}
    return [frames.get(id(info)) for info in infos]


_NO_ROWS = pd.DataFrame({"_row": [0]})  # for the cut-row check, whose error is not shown


def _plain_text(info: ExportFile) -> str | None:
    """A text file's text where each line is one row (no quotes, no lone CR), else None."""
    if info.fmt != "text" or info.delimiter == WHITESPACE or not info.encoding:
        return None
    try:
        text = info.path.read_bytes().decode(info.encoding)
    except (OSError, UnicodeDecodeError, LookupError):
        return None
    if '"' in text or text.count("\r") != text.count("\r\n"):
        return None
    if any(ch in text for ch in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        return None  # no line break splitlines and the parser would count differently
    return text


def _cells_of_texts(texts: list[tuple[ExportFile, str]], kind: ExportKind):
    """The cells of many plain-text files of one layout in one ``read_csv``, one frame a file.

    Each file's lines below its header are its rows (as :func:`_raw_frame` reads them with
    ``tidy=False``); returns the cells, the files (those failing the cut-row check are left
    to be read alone, which says so) and each one's number of rows, in that order.
    """
    first = texts[0][0]
    wanted = list(first.mapping)
    if first.headers and first.headers[0] not in wanted:
        wanted.append(first.headers[0])
    bodies, counts, read = [], [], []
    header = None
    for info, text in texts:
        lines = text.split("\n", info.header_row + 1)
        if len(lines) <= info.header_row:
            continue  # no header line: read alone
        body = lines[info.header_row + 1] if len(lines) > info.header_row + 1 else ""
        if body and not body.endswith("\n"):
            body += "\n"
        if body:
            try:
                _refuse_cut_last_row(info, _NO_ROWS)
            except ExportError:
                continue
        header = header or lines[info.header_row] + "\n"
        bodies.append(body)
        counts.append(body.count("\n"))
        read.append(info)
    if not read:
        return None, [], []
    text = header + "".join(bodies)
    df = pd.read_csv(io.StringIO(text), header=0, **_csv_cells(first, kind, wanted))
    df.columns = [c.strip() for c in df.columns]
    if len(df) != sum(counts):
        raise _ReadAlone("rows and lines disagree")
    first_data_row = first.header_row + 2
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    df["_row"] = np.arange(len(df)) - starts + first_data_row
    return df, read, counts


def _split_validated(infos, kind: ExportKind, raw: pd.DataFrame, sizes, date_order: str):
    for col in kind.columns:  # a mark in any cell: each file says which currency it names
        if (
            col.dtype == "money"
            and col.name in raw
            and not pd.api.types.is_numeric_dtype(raw[col.name])
        ):
            if currencies_in(raw[col.name].dropna().unique()):
                raise _ReadAlone(col.name)
    out = _validated(infos[0], kind, raw, date_order)
    if out.attrs["totals"] or len(out) != len(raw):
        raise _ReadAlone("total rows")
    ends = np.cumsum(sizes)
    starts = ends - sizes
    evidence = {c: _evidence_per_file(raw[c], starts, ends) for c in out.attrs["dates"]}
    by_name = kind.date_from_file and out.attrs.get("date_source")
    if kind.date_from_file and not by_name:  # dated rows: no file may be undated
        undated = out["date"].isna().groupby(np.repeat(np.arange(len(sizes)), sizes)).all()
        if undated.any():
            raise _ReadAlone("a file without dates")
    ints = [c.name for c in kind.columns if c.dtype == "int" and c.name in out]
    ints = [c for c in ints if out[c].dtype != "int64"]
    frames = []
    for n, (info, a, b) in enumerate(zip(infos, starts, ends)):
        dates = {}
        for c, per_file in evidence.items():  # each file's own evidence, read the same way
            order, how = choose_order(per_file[n], date_order)
            if per_file[n].orders is None or order != out.attrs["dates"][c]["order"]:
                raise _ReadAlone(f"{info.path.name} alone would read {c} otherwise")
            dates[c] = {**per_file[n].as_dict(), "order": order, "how": how}
        df = out.iloc[a:b].reset_index(drop=True)
        df.attrs = {}
        for c in ints:  # a column with gaps in another file is whole numbers in this one
            if df[c].notna().all():
                df[c] = df[c].astype("int64")
        if by_name:
            df["date"], df.attrs["date_source"] = _file_date(info, kind)
        df["_file"] = info.path.name
        df.attrs.update(dates=dates, currencies=list(out.attrs["currencies"]), totals=[])
        frames.append(df)
    return frames


def _evidence_per_file(cells: pd.Series, starts, ends) -> list[OrderEvidence]:
    """:func:`~.dates.order_evidence` of each file's slice of ``cells``, in one pass."""
    codes, uniques = pd.factorize(cells)
    texts = pd.Series(uniques, dtype=object).astype("string").str.strip()
    parts = texts.str.extract(_NUMERIC)
    allowed: list[frozenset | None] = [None] * len(texts)
    for i in np.flatnonzero(parts[[0, 1, 2]].notna().all(axis=1).to_numpy()):
        allowed[i] = frozenset(_orders_of(parts.iat[i, 0], parts.iat[i, 1], parts.iat[i, 2]))
    found = []
    for a, b in zip(starts, ends):
        seen, orders, ruled_out = False, set(DATE_ORDERS[1:]), {}
        for k in pd.unique(codes[a:b]):
            if k < 0 or (can := allowed[k]) is None:
                continue
            seen = True
            if not can:  # no date in any order: a bad cell, not evidence
                continue
            for o in orders - can:
                ruled_out.setdefault(o, str(texts.iat[k]))
            orders &= can
        found.append(OrderEvidence(orders, ruled_out) if seen else OrderEvidence())
    return found
