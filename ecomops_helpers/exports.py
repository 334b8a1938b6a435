"""Find, read and validate platform exports (生意参谋, Shopify, Google Ads ...).

A file's *kind* is recognised from its headers, never from its name. Every reader returns
canonical snake_case columns with rates as fractions and money as numbers; anything that
cannot be read that way raises :class:`~ecomops_helpers.errors.ExportError` naming the file,
the column, the rows and what was expected.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ExportConflictError, ExportError, MissingExportError
from .export_cache import ExportCache, default_cache

__all__ = [
    "Column",
    "ExportKind",
    "KINDS",
    "ExportFile",
    "ExportFolder",
    "detect_encoding",
    "normalize_header",
    "read_export",
    "inspect_file",
    "near_miss_error",
]

SUPPORTED_SUFFIXES = {".csv", ".txt", ".tsv", ".xls", ".xlsx", ".xlsm", ".htm", ".html"}
MISSING_TOKENS = {"", "-", "--", "---", "—", "——", "n/a", "na", "nan", "null", "none", "/", "nat"}
TOTAL_ROW_LABELS = {"合计", "总计", "汇总", "全部", "total", "totals", "sum", "grand total"}
HEADER_SCAN_ROWS = 30
UNIX_TIME_ZONE = "Asia/Shanghai"  # unix times in logs become the shop's wall-clock time
ENCODING_SAMPLE_BYTES = 256 * 1024
MAX_ROWS_IN_MESSAGE = 5

_NUMERIC_KINDS = {"int", "float", "rate", "money", "duration"}


@dataclass(frozen=True)
class Column:
    """One canonical column of an export kind and the headers platforms write for it."""

    name: str
    dtype: str  # date, month, int, float, rate, money, duration, str, flag, rating
    aliases: tuple[str, ...]
    required: bool = False
    low: float | None = 0.0
    high: float | None = None
    nullable: bool = False  # a required column whose cells may be empty (unpaid: no paid_at)


@dataclass(frozen=True)
class HeaderlessLayout:
    """A file with no header row, known by the shape of its rows (e.g. the CDNOW sample)."""

    name: str
    columns: tuple[str, ...]
    delimiter: str  # "," or r"\s+"
    matches: object  # callable(list of split rows) -> bool


@dataclass(frozen=True)
class ExportKind:
    """A table the notebooks consume: its columns, its key and what one row is.

    ``fill_within`` = (group column, columns): exports that write order-level fields only on
    an order's first line (Shopify) get them copied to the order's other lines.
    """

    name: str
    row: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    fill_within: tuple[str, tuple[str, ...]] | None = None
    layouts: tuple[HeaderlessLayout, ...] = ()

    @property
    def required(self) -> list[str]:
        """Names of the columns a file must have to be of this kind."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)


def _c(name, dtype, *aliases, required=False, low=0.0, high=None, nullable=False):
    if dtype == "rate" and high is None:
        high = 1.0
    return Column(name, dtype, (name, *aliases), required, low, high, nullable)


_DATE = ("统计日期", "日期", "date", "day", "时间", "统计时间", "数据日期")

KINDS: dict[str, ExportKind] = {
    k.name: k
    for k in [
        ExportKind(
            "shop_daily",
            "date",
            ("date",),
            (
                _c("date", "date", *_DATE, required=True),
                _c("visitors", "int", "访客数", "uv", "sessions", "visitors", required=True),
                _c("pageviews", "int", "浏览量", "pv", "pageviews", "page views"),
                _c("paying_buyers", "int", "支付买家数", "buyers", "customers", required=True),
                _c("orders", "int", "下单买家数", "支付子订单数", "支付订单数", "订单数", "orders"),
                _c(
                    "gmv",
                    "money",
                    "支付金额",
                    "销售额",
                    "成交金额",
                    "total sales",
                    "sales",
                    "revenue",
                    required=True,
                ),
                _c("conversion", "rate", "支付转化率", "转化率", "conversion rate"),
                _c("aov", "money", "客单价", "average order value"),
                _c("bounce_rate", "rate", "跳失率", "bounce rate"),
                _c(
                    "pages_per_visit", "float", "人均浏览量", "pages per visit", "pages per session"
                ),
                _c(
                    "avg_stay_s",
                    "duration",
                    "平均停留时长",
                    "平均停留时长(秒)",
                    "average session duration",
                ),
                _c("fav_buyers", "int", "商品收藏买家数", "收藏买家数"),
                _c("cart_buyers", "int", "加购人数", "商品加购人数"),
                _c("refund_amount", "money", "成功退款金额", "退款金额", "refunds", "returns"),
                _c("new_buyers", "int", "新买家数", "新支付买家数", "new customers"),
                _c("returning_buyers", "int", "老买家数", "老支付买家数", "returning customers"),
            ),
        ),
        ExportKind(
            "traffic_sources",
            "date × source",
            ("date", "source"),
            (
                _c("date", "date", *_DATE, required=True),
                _c(
                    "source",
                    "str",
                    "流量来源",
                    "来源",
                    "来源名称",
                    "渠道",
                    "channel",
                    "traffic source",
                    required=True,
                ),
                _c("visitors", "int", "访客数", "uv", "sessions", "visitors", required=True),
                _c("paying_buyers", "int", "支付买家数", "buyers", "customers"),
                _c("gmv", "money", "支付金额", "销售额", "sales", "revenue"),
                _c("cost", "money", "花费", "推广花费", "消耗", "spend", "ad spend"),
            ),
        ),
        ExportKind(
            "items_daily",
            "date × item",
            ("date", "item_id"),
            (
                _c("date", "date", *_DATE, required=True),
                _c(
                    "item_id",
                    "str",
                    "商品id",
                    "宝贝id",
                    "商品编号",
                    "item id",
                    "product id",
                    required=True,
                ),
                _c("title", "str", "商品名称", "商品标题", "宝贝标题", "product title", "product"),
                _c(
                    "visitors", "int", "商品访客数", "访客数", "visitors", "sessions", required=True
                ),
                _c("paying_buyers", "int", "支付买家数", "buyers", "customers"),
                _c("units", "int", "支付件数", "units", "quantity", "net quantity"),
                _c("gmv", "money", "支付金额", "销售额", "sales", "revenue", required=True),
                _c("fav_cart", "int", "收藏加购人数", "商品收藏加购人数", "加购收藏人数"),
                _c("refund_amount", "money", "成功退款金额", "退款金额", "refunds"),
                _c("stock", "int", "库存", "当前库存", "库存量", "inventory"),
                _c("is_hero", "flag", "主推", "是否主推", "hero"),
            ),
        ),
        ExportKind(
            "plan",
            "month",
            ("month",),
            (
                _c("month", "month", "月份", "月", "目标月份", required=True),
                _c(
                    "gmv_target",
                    "money",
                    "目标销售额",
                    "销售目标",
                    "目标支付金额",
                    "gmv目标",
                    "sales target",
                    required=True,
                ),
                _c("visitors_target", "int", "目标访客数", "访客目标"),
                _c("conversion_target", "rate", "目标转化率", "转化率目标"),
            ),
        ),
        ExportKind(
            "orders",
            "order line",
            (),
            (
                _c(
                    "order_id",
                    "str",
                    "订单编号",
                    "订单号",
                    "主订单编号",
                    "name",
                    "invoiceno",
                    "invoice",
                    "order id",
                    "order number",
                ),
                _c(
                    "customer_id",
                    "str",
                    "买家会员名",
                    "买家id",
                    "会员名",
                    "客户id",
                    "customer id",
                    "customerid",
                    "email",
                    "customer email",
                    "customer",
                    required=True,
                ),
                _c(
                    "paid_at",
                    "datetime",
                    "付款时间",
                    "订单付款时间",
                    "支付时间",
                    "paid at",
                    "invoicedate",
                    "order date",
                    "date",
                    "日期",
                    "purchase date",
                    required=True,
                    nullable=True,
                ),
                _c(
                    "amount",
                    "money",
                    "实付金额",
                    "买家实际支付金额",
                    "实付款",
                    "支付金额",
                    "total",
                    "amount",
                    "sales",
                    "revenue",
                    "金额",
                    low=None,
                ),
                _c(
                    "quantity",
                    "float",
                    "购买数量",
                    "宝贝总数量",
                    "宝贝数量",
                    "数量",
                    "quantity",
                    "lineitem quantity",
                    "units",
                    low=None,
                ),
                _c(
                    "unit_price",
                    "money",
                    "单价",
                    "商品单价",
                    "unitprice",
                    "unit price",
                    "lineitem price",
                    "price",
                    low=None,
                ),
                _c(
                    "item_id",
                    "str",
                    "商品id",
                    "宝贝id",
                    "stockcode",
                    "lineitem sku",
                    "sku",
                    "item id",
                    "product id",
                ),
                _c("description", "str", "宝贝标题", "商品标题", "description", "lineitem name"),
                _c("category", "str", "类目", "商品类目", "category", "product type"),
                _c("status", "str", "订单状态", "交易状态", "financial status", "status"),
                _c("cancelled_at", "str", "取消时间", "cancelled at"),
                _c("channel", "str", "订单来源", "渠道", "source", "channel"),
                _c(
                    "coupon_id",
                    "str",
                    "优惠券",
                    "优惠券id",
                    "店铺优惠券",
                    "coupon",
                    "discount code",
                ),
            ),
            fill_within=(
                "order_id",
                ("customer_id", "paid_at", "status", "cancelled_at", "channel", "coupon_id"),
            ),
            layouts=(
                HeaderlessLayout(
                    "CDNOW (customer, sample, yyyymmdd, units, dollars)",
                    ("customer_id", "sample_id", "paid_at", "quantity", "amount"),
                    r"\s+",
                    lambda rows: all(
                        len(r) == 5
                        and r[0].isdigit()
                        and re.fullmatch(r"(19|20)\d{6}", r[2])
                        and re.fullmatch(r"-?\d+(\.\d+)?", r[4])
                        for r in rows
                    ),
                ),
            ),
        ),
        ExportKind(
            "events",
            "user action",
            (),
            (
                _c(
                    "user_id",
                    "str",
                    "用户id",
                    "user id",
                    "userid",
                    "user",
                    "customer id",
                    "买家会员名",
                    required=True,
                ),
                _c("item_id", "str", "商品id", "item id", "itemid"),
                _c("category_id", "str", "类目id", "类目", "category id", "categoryid", "category"),
                _c(
                    "behavior",
                    "behavior",
                    "行为类型",
                    "行为",
                    "behavior",
                    "behavior type",
                    "behaviour",
                    "event",
                    "event type",
                    required=True,
                ),
                _c(
                    "ts",
                    "datetime",
                    "时间戳",
                    "时间",
                    "timestamp",
                    "ts",
                    "time",
                    "event time",
                    required=True,
                ),
            ),
            layouts=(
                HeaderlessLayout(
                    "Taobao user behaviour (user, item, category, behavior, unix time)",
                    ("user_id", "item_id", "category_id", "behavior", "ts"),
                    ",",
                    lambda rows: all(
                        len(r) == 5 and r[3].strip().lower() in BEHAVIORS and r[4].strip().isdigit()
                        for r in rows
                    ),
                ),
            ),
        ),
        ExportKind(
            "reviews",
            "review",
            (),
            (
                _c("date", "date", "评价时间", "评价日期", "日期", "date", required=True),
                _c("item_id", "str", "商品id", "宝贝id", "item id", "product id", required=True),
                _c(
                    "rating",
                    "rating",
                    "评价等级",
                    "评分",
                    "评价",
                    "星级",
                    "level",
                    "stars",
                    required=True,
                    low=1.0,
                    high=5.0,
                ),
                _c("text", "str", "评价内容", "内容", "review", "content", "comment"),
            ),
        ),
    ]
}

BEHAVIORS = {  # canonical behaviour codes of the events kind
    "pv": "pv",
    "fav": "fav",
    "cart": "cart",
    "buy": "buy",
    "coupon": "coupon",
    "浏览": "pv",
    "收藏": "fav",
    "加购": "cart",
    "购买": "buy",
    "领券": "coupon",
    "view": "pv",
    "page_view": "pv",
    "favorite": "fav",
    "add_to_cart": "cart",
    "purchase": "buy",
    "coupon_claim": "coupon",
}
_RATING_WORDS = {
    "好评": 5.0,
    "中评": 3.0,
    "差评": 1.0,
    "positive": 5.0,
    "neutral": 3.0,
    "negative": 1.0,
    "good": 5.0,
    "bad": 1.0,
}
_FLAG_TRUE = {"1", "是", "y", "yes", "true", "√", "主推", "hero", "x"}
_FLAG_FALSE = {"0", "否", "n", "no", "false", "", "-", "--"}


def normalize_header(text: object) -> str:
    """Header text folded for matching: no spaces or underscores, lower case, no unit ``(元)``."""
    s = "" if text is None else str(text)
    s = s.replace("\ufeff", "").strip().strip('"').strip("'")
    s = re.sub(r"[\s\u3000_]+", "", s).lower()
    s = re.sub(r"[（(][^）)]*[）)]$", "", s)
    return s


_ALIAS_INDEX: dict[str, dict[str, str]] = {
    kind.name: {normalize_header(a): col.name for col in kind.columns for a in col.aliases}
    for kind in KINDS.values()
}
_ALL_ALIASES = set().union(*(set(m) for m in _ALIAS_INDEX.values()))


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


def _sniff_format(path: Path, head: bytes) -> str:
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "biff"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
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


def _header_row(rows: list[list[str]]) -> tuple[int, int]:
    """Index of the row most like a header within the first rows, and its alias hit count."""
    best, best_hits = -1, 1
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = sum(normalize_header(c) in _ALL_ALIASES for c in row)
        if hits > best_hits:
            best, best_hits = i, hits
    return best, best_hits


def _text_head(path: Path) -> tuple[str, list[list[str]], str, list[str]]:
    with open(path, "rb") as fh:
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
    lines = text.splitlines()[:HEADER_SCAN_ROWS]
    first = "\n".join(lines)
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = [next(csv.reader([ln], delimiter=delimiter), []) for ln in lines]
    return encoding, rows, delimiter, lines


@dataclass
class ExportFile:
    """One file of the data folder: which kind it is and which of its headers map where."""

    path: Path
    kind: str | None = None
    headers: list[str] = field(default_factory=list)
    header_row: int = 0
    mapping: dict[str, str] = field(default_factory=dict)  # raw header -> canonical column
    fmt: str = ""
    encoding: str | None = None
    delimiter: str = ","
    problem: str | None = None
    names: tuple[str, ...] | None = None  # column names of a header-less layout
    layout: str | None = None
    near_kind: str | None = None  # the kind it almost is, when required columns are missing
    near_missing: list[str] = field(default_factory=list)
    _grid: list[list[str]] | None = field(default=None, repr=False)

    @property
    def missing(self) -> list[str]:
        """Required columns of the recognised kind that the file lacks (none when recognised)."""
        if self.kind is None:
            return []
        return [c for c in KINDS[self.kind].required if c not in self.mapping.values()]


def _near_kind(headers: list[str]) -> tuple[str | None, list[str]]:
    """The kind a file almost is: most required columns present (at least two), and which lack."""
    found = {normalize_header(h) for h in headers}
    best: tuple[int, str | None, list[str]] = (1, None, [])
    for name, kind in KINDS.items():
        present = {c for a, c in _ALIAS_INDEX[name].items() if a in found}
        hits = sum(c in present for c in kind.required)
        if hits > best[0]:
            best = (hits, name, [c for c in kind.required if c not in present])
    return best[1], best[2]


def _match_kind(headers: list[str]) -> tuple[str | None, dict[str, str]]:
    best: tuple[tuple[int, int], str | None, dict[str, str]] = ((-1, -1), None, {})
    for name, kind in KINDS.items():
        index = _ALIAS_INDEX[name]
        mapping: dict[str, str] = {}
        for h in headers:
            canon = index.get(normalize_header(h))
            if canon and canon not in mapping.values():
                mapping[h] = canon
        if not all(col in mapping.values() for col in kind.required):
            continue
        score = (len(kind.key), len(mapping))  # the more specific kind wins
        if score > best[0]:
            best = (score, name, mapping)
    return best[1], best[2]


def inspect_file(path: Path) -> ExportFile:
    """Read just enough of ``path`` to know its format, header row and export kind."""
    info = ExportFile(path=path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
        info.fmt = _sniff_format(path, head)
        lines: list[str] = []
        if info.fmt == "text":
            info.encoding, rows, info.delimiter, lines = _text_head(path)
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
    idx, _ = _header_row(rows)
    if idx < 0:
        if info.fmt == "text" and _match_layout(info, lines):
            return info
        info.headers = [c for c in (rows[0] if rows else []) if c]
        return info
    info.header_row = idx
    info.headers = [c.strip() for c in rows[idx]]
    info.kind, info.mapping = _match_kind(info.headers)
    if info.kind is None:
        info.near_kind, info.near_missing = _near_kind(info.headers)
    return info


def _match_layout(info: ExportFile, lines: list[str]) -> bool:
    """Recognise a header-less text file by the shape of its first lines."""
    sample = [ln for ln in lines[:20] if ln.strip()]
    if not sample:
        return False
    for kind in KINDS.values():
        for layout in kind.layouts:
            rows = [ln.split() if layout.delimiter != "," else ln.split(",") for ln in sample]
            if layout.matches(rows):
                info.kind, info.names, info.layout = kind.name, layout.columns, layout.name
                info.delimiter, info.header_row = layout.delimiter, -1
                known = {c.name for c in kind.columns}
                info.headers = list(layout.columns)
                info.mapping = {n: n for n in layout.columns if n in known}
                return True
    return False


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_IN_MESSAGE])
    more = len(rows) - MAX_ROWS_IN_MESSAGE
    return (
        f"row {shown}"
        if len(rows) == 1
        else f"rows {shown}" + (f" (and {more} more)" if more > 0 else "")
    )


def _raw_frame(info: ExportFile, kind: ExportKind) -> pd.DataFrame:
    """The data rows of ``info`` under their raw headers, with a ``_row`` column of file rows."""
    wanted = list(info.mapping)
    first_data_row = info.header_row + 2  # 1-based, as a spreadsheet shows it
    if info.fmt == "text":
        str_cols = {
            h: str for h, c in info.mapping.items() if kind.column(c).dtype not in _NUMERIC_KINDS
        }
        headerless = info.names is not None
        try:
            df = pd.read_csv(
                info.path,
                encoding=info.encoding,
                sep=info.delimiter,
                skiprows=0 if headerless else info.header_row,
                header=None if headerless else 0,
                names=list(info.names) if headerless else None,
                usecols=lambda h: h.strip() in wanted,
                dtype=str_cols,
                thousands=",",
                na_values=sorted(MISSING_TOKENS - {""}),
                keep_default_na=True,
                skip_blank_lines=False,
                skipinitialspace=True,
            )
        except UnicodeDecodeError as err:
            raise ExportError(
                f"{info.path.name}: bytes past the start are not {info.encoding} ({err.reason}). "
                "The file mixes encodings; re-download it or save it as CSV (UTF-8).",
                file=info.path,
            ) from err
        except (pd.errors.ParserError, ValueError) as err:
            raise ExportError(
                f"{info.path.name}: cannot parse as CSV: {err}", file=info.path
            ) from err
        df.columns = [c.strip() for c in df.columns]
        df = df.dropna(how="all")
    else:
        grid = info._grid or []
        width = len(info.headers)
        body = [(r + [""] * width)[:width] for r in grid[info.header_row + 1 :]]
        df = pd.DataFrame(body, columns=info.headers, dtype=object)
        df = df.loc[:, ~pd.Index(df.columns).duplicated()][wanted]
        df = df[~df.apply(lambda col: col.astype(str).str.strip().eq("")).all(axis=1)]
    df["_row"] = df.index.to_numpy() + first_data_row
    return df.rename(columns=info.mapping).reset_index(drop=True)


# --------------------------------------------------------------------------- value parsing


def _per_unique(s: pd.Series, transform) -> pd.Series:
    """Apply a vectorised transform to the distinct values only, then spread it back.

    Exports repeat their texts (dates, item IDs, titles) thousands of times; transforming
    the few distinct values keeps a million-row file fast.
    """
    codes, uniques = pd.factorize(s)
    done = transform(pd.Series(uniques, dtype=object))
    if len(done) == 0:
        return pd.Series(np.nan, index=s.index, dtype=object)
    out = done.take(np.clip(codes, 0, None)).set_axis(s.index)
    return out.where(codes >= 0) if (codes < 0).any() else out


def _clean_text(s: pd.Series) -> pd.Series:
    text = s.astype("string").str.strip()
    return text.where(~text.str.lower().isin(MISSING_TOKENS))


def _parse_dates(s: pd.Series, keep_time: bool = False) -> pd.Series:
    """Dates (or date-times with ``keep_time``) from export text; unix seconds accepted."""

    def parse(uniq: pd.Series) -> pd.Series:
        text = uniq.astype("string").str.strip()
        if len(text) and text.str.fullmatch(r"1\d{9}(\.\d+)?").fillna(False).all():
            utc = pd.to_datetime(text.astype(float), unit="s", utc=True)
            return utc.dt.tz_convert(UNIX_TIME_ZONE).dt.tz_localize(None)
        text = text.str.replace(r"[年月/.]", "-", regex=True).str.replace("日", "", regex=False)
        for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
            attempt = pd.to_datetime(text, format=fmt, errors="coerce")
            if attempt.notna().all():
                return attempt
        return pd.to_datetime(text, format="mixed", errors="coerce")

    values = _per_unique(s, parse)
    if isinstance(values.dtype, pd.DatetimeTZDtype):  # "+0800": keep the shop's wall time
        values = values.dt.tz_localize(None)
    values = pd.to_datetime(values)
    return values if keep_time else values.dt.normalize()


def _parse_months(s: pd.Series) -> pd.Series:
    text = s.astype("string").str.strip()
    text = text.str.replace(r"[年/.]", "-", regex=True).str.replace("月", "", regex=False)
    text = text.str.replace(r"^(\d{4})(\d{2})$", r"\1-\2", regex=True)
    text = text.str.replace(r"^(\d{4})-(\d)$", r"\1-0\2", regex=True)
    parsed = pd.to_datetime(text.str.slice(0, 7), format="%Y-%m", errors="coerce")
    return parsed.dt.to_period("M").dt.to_timestamp()


def _parse_numbers(s: pd.Series, dtype: str) -> tuple[pd.Series, pd.Series]:
    """Numbers from export text; returns (values, unparseable mask)."""
    if pd.api.types.is_numeric_dtype(s) and dtype != "duration":
        return s.astype(float), pd.Series(False, index=s.index)
    text = s.astype("string").str.strip()
    missing = text.isna() | text.str.lower().isin(MISSING_TOKENS)
    pct = text.str.endswith("%").fillna(False)
    wan = text.str.endswith("万").fillna(False)
    clean = text.str.replace(r"[,\s¥￥$元€£%万]", "", regex=True)
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


def _parse_column(col: Column, s: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """Parse one raw column; returns (values, bad-row mask, what was expected)."""
    if col.dtype == "behavior":
        values = _per_unique(s, lambda u: u.astype("string").str.strip().str.lower().map(BEHAVIORS))
        return values, values.isna(), f"one of {', '.join(sorted(set(BEHAVIORS.values())))}"
    if col.dtype in ("date", "datetime"):
        values = _parse_dates(s, keep_time=col.dtype == "datetime")
        present = _per_unique(s, _clean_text).notna()
        return values, values.isna() & present, "a date like 2026-11-18 (or a unix time)"
    if col.dtype == "month":
        values = _parse_months(s)
        return values, values.isna(), "a month like 2026-11 or 2026年11月"
    if col.dtype == "str":
        strip_float = col.name.endswith("_id")  # IDs that went through Excel: 123.0

        def clean(u: pd.Series) -> pd.Series:
            text = _clean_text(u)
            return text.str.replace(r"\.0$", "", regex=True) if strip_float else text

        return _per_unique(s, clean), pd.Series(False, index=s.index), "text"
    if col.dtype == "flag":
        text = _per_unique(s, lambda u: u.astype("string").str.strip().str.lower()).fillna("")
        values = text.isin(_FLAG_TRUE)
        bad = ~(values | text.isin(_FLAG_FALSE))
        return values, bad, "是/否, yes/no or 1/0"
    if col.dtype == "rating":

        def rate(u: pd.Series) -> pd.Series:
            words = u.astype("string").str.strip().str.lower().map(_RATING_WORDS.get)
            nums, _ = _parse_numbers(u.where(words.isna()), "float")
            return words.astype(float).fillna(nums)

        values = _per_unique(s, rate).astype(float)
        return values, values.isna(), "a rating 1–5 or 好评/中评/差评"
    values, bad = _parse_numbers(s, col.dtype)
    expected = {
        "rate": "a rate like 3.45% or 0.0345",
        "money": "an amount like 1,234.50 or ¥12.00",
        "duration": "seconds or mm:ss",
    }.get(col.dtype, "a number")
    return values, bad, expected


def _check_range(col: Column, values: pd.Series) -> tuple[pd.Series, str]:
    if col.low is None and col.high is None:
        return pd.Series(False, index=values.index), ""
    too_low = values < col.low if col.low is not None else pd.Series(False, index=values.index)
    too_high = values > col.high if col.high is not None else pd.Series(False, index=values.index)
    bounds = f"between {col.low:g} and {col.high:g}" if col.high is not None else f"≥ {col.low:g}"
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


def _cell_error(
    info: ExportFile, raw: pd.DataFrame, bad: pd.Series, col: Column, what: str
) -> ExportError:
    """The error for cells of ``col`` that fail: file, header, canonical name, rows, what."""
    rows = raw.loc[bad, "_row"].tolist()
    header = next(h for h, c in info.mapping.items() if c == col.name)
    return ExportError(
        f"{info.path.name}: column '{header}' ({col.name}), {_rows_text(rows)}: {what}.",
        file=info.path,
        column=col.name,
        rows=rows,
    )


def read_export(info: ExportFile) -> pd.DataFrame:
    """Read one recognised file into canonical columns, validated; adds ``_file`` and ``_row``."""
    if info.kind is None:
        raise ExportError(f"{info.path.name}: not a known export kind", file=info.path)
    kind = KINDS[info.kind]
    raw = _raw_frame(info, kind)
    name = info.path.name
    first_key = kind.key[0] if kind.key else kind.required[0]
    labels = _per_unique(raw[first_key], lambda u: u.astype("string").str.strip().str.lower())
    raw = raw[~labels.isin(TOTAL_ROW_LABELS)].reset_index(drop=True)
    if kind.fill_within and kind.fill_within[0] in raw:
        _fill_within_group(raw, *kind.fill_within)
    out = pd.DataFrame(index=raw.index)
    for col in kind.columns:
        if col.name not in raw:
            continue
        values, bad, expected = _parse_column(col, raw[col.name])
        if col.required and not col.nullable and col.dtype not in ("str", "flag"):
            bad = bad | values.isna()
        if bad.any():
            found = repr(raw.loc[bad, col.name].iloc[0])
            raise _cell_error(info, raw, bad, col, f"expected {expected}, found {found}")
        if col.dtype in _NUMERIC_KINDS or col.dtype == "rating":
            out_of_range, bounds = _check_range(col, values)
            if out_of_range.any():
                found = f"{values[out_of_range].iloc[0]:g}"
                raise _cell_error(
                    info, raw, out_of_range, col, f"expected a value {bounds}, found {found}"
                )
        if col.dtype == "int" and values.notna().all():
            values = values.astype("int64")
        out[col.name] = values
    out["_file"] = name
    out["_row"] = raw["_row"]
    return out


def _fmt(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    return repr(value.item() if isinstance(value, np.generic) else value)


def _conflict_error(dup: pd.DataFrame, kind: ExportKind, data_cols: list[str]):
    """The error naming both rows (and files) of the first key that carries two versions."""
    key = list(kind.key)
    first_key = tuple(dup.iloc[0][key])
    same = dup[(dup[key] == pd.Series(first_key, index=key)).all(axis=1)]
    a, b = same.iloc[0], same.iloc[1]
    differing = [c for c in data_cols if not (a[c] == b[c] or (pd.isna(a[c]) and pd.isna(b[c])))]
    key_text = ", ".join(f"{k}={_fmt(v)}" for k, v in zip(kind.key, first_key))
    where_a, where_b = f"{a['_file']} row {a['_row']}", f"{b['_file']} row {b['_row']}"
    if a["_file"] == b["_file"]:
        msg = f"{a['_file']}: {key_text} appears twice with different values"
    else:
        msg = f"{a['_file']} and {b['_file']} disagree on {key_text}"
    col = differing[0] if differing else None
    return ExportConflictError(
        f"{msg} ({where_a} vs {where_b}; column {col}: {_fmt(a[col])} vs {_fmt(b[col])}). "
        f"{len(dup)} rows share a key in all. Keep one version of the export.",
        file=a["_file"],
        column=col,
        rows=[a["_row"], b["_row"]],
    )


def near_miss_error(info: ExportFile) -> ExportError:
    """The error for a file that looks like a kind but lacks some of its required columns."""
    kind = KINDS[info.near_kind]
    wanted = "; ".join(
        f"{c} (e.g. {', '.join(kind.column(c).aliases[1:4] or kind.column(c).aliases)})"
        for c in info.near_missing
    )
    return ExportError(
        f"{info.path.name}: looks like a {kind.name} export (header on row "
        f"{info.header_row + 1}) but has no column for {wanted}. "
        f"Headers found: {', '.join(info.headers)}. Export it again with those columns ticked.",
        file=info.path,
        column=info.near_missing[0],
    )


def _merge_overlaps(df: pd.DataFrame, kind: ExportKind) -> pd.DataFrame:
    """Drop the rows that overlapping downloads repeat; raise when a key has two versions.

    Keyed kinds keep one row per key: rows sharing a key must be identical, else
    :class:`ExportConflictError` names both. Only rows whose key repeats are compared in full,
    which keeps a million-row export fast. Keyless kinds (reviews) may hold identical rows
    for real, so the n-th copy within one file only matches the n-th copy in another.
    """
    data_cols = [c for c in df.columns if not c.startswith("_")]
    if kind.key:
        repeated = df.duplicated(subset=list(kind.key), keep=False)
        if not repeated.any():
            return df
        dup = df[repeated]
        exact = dup.duplicated(subset=data_cols)
        versions = dup[~exact]
        clash = versions[versions.duplicated(subset=list(kind.key), keep=False)]
        if not clash.empty:
            raise _conflict_error(clash, kind, data_cols)
        return df.drop(index=dup.index[exact]).reset_index(drop=True)
    nth = df.groupby(["_file", *data_cols], dropna=False, sort=False).cumcount()
    keep = ~df[data_cols].assign(_nth=nth).duplicated()
    return df[keep].reset_index(drop=True)


class ExportFolder:
    """The exports in one data folder, recognised by their headers.

    ``folder.load("shop_daily")`` reads every file of that kind, concatenates them, drops exact
    duplicates and raises :class:`ExportConflictError` when two rows share a key but differ.
    """

    def __init__(self, data_dir: str | Path, cache: ExportCache | None | str = "default"):
        self.path = Path(data_dir)
        if not self.path.is_dir():
            raise MissingExportError(f"data folder {self.path} does not exist")
        self.cache = default_cache() if cache == "default" else cache
        paths = [
            p
            for p in sorted(self.path.rglob("*"))
            if p.is_file()
            and p.suffix.lower() in SUPPORTED_SUFFIXES
            and not p.name.startswith((".", "~$"))
        ]
        self.files = [self._inspect(p) for p in paths]
        self._loaded: dict[str, pd.DataFrame] = {}

    def _inspect(self, path: Path) -> ExportFile:
        if self.cache is not None and (known := self.cache.inspection(path)) is not None:
            known["path"] = path
            known["names"] = tuple(known["names"]) if known.get("names") else None
            return ExportFile(**known)
        info = inspect_file(path)
        if self.cache is not None:
            self.cache.store_inspection(path, info)
        return info

    def _read(self, info: ExportFile) -> pd.DataFrame:
        """One file's validated table, from the cache when the file has not changed."""
        if self.cache is not None and (df := self.cache.frame(info.path)) is not None:
            return df
        if info.fmt != "text" and info._grid is None:  # sniffed from the cache: read cells
            info = inspect_file(info.path)
        df = read_export(info)
        if self.cache is not None:
            self.cache.store_frame(info.path, df)
        return df

    def files_of(self, kind: str) -> list[ExportFile]:
        """The recognised files of ``kind``."""
        return [f for f in self.files if f.kind == kind]

    @property
    def unmatched(self) -> list[ExportFile]:
        """Files that match no export kind (or could not be read), with the headers found."""
        return [f for f in self.files if f.kind is None]

    def has(self, kind: str) -> bool:
        """Whether at least one file of ``kind`` is present."""
        return bool(self.files_of(kind))

    def load(self, kind: str, *, required: bool = True) -> pd.DataFrame | None:
        """All rows of ``kind``, validated; ``None`` when optional and absent."""
        if kind not in KINDS:
            raise KeyError(f"unknown export kind {kind!r}; known: {', '.join(KINDS)}")
        if kind in self._loaded:
            return self._loaded[kind]
        files = self.files_of(kind)
        near = [f for f in self.files if f.near_kind == kind]
        if near:
            raise near_miss_error(near[0])
        if not files:
            if not required:
                return None
            need = ", ".join(KINDS[kind].required)
            raise MissingExportError(
                f"no {kind} export in {self.path}: expected a file with headers for {need}. "
                f"Run `ecomops check --data {self.path}` to see what each file was taken for."
            )
        with ThreadPoolExecutor(max_workers=min(len(files), os.cpu_count() or 1)) as pool:
            frames = list(pool.map(self._read, files))
        df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        df = _merge_overlaps(df, KINDS[kind])
        sort_cols = [c for c in KINDS[kind].key or ("date",) if c in df]
        df = df.sort_values(sort_cols, kind="stable").reset_index(drop=True)
        self._loaded[kind] = df
        return df

    def last_date(self) -> pd.Timestamp:
        """The last day the exports cover: the default report date.

        Taken from the shop's daily export when there is one, else from the orders or the
        behaviour log.
        """
        for kind, col in (("shop_daily", "date"), ("orders", "paid_at"), ("events", "ts")):
            if self.has(kind):
                return pd.Timestamp(self.load(kind)[col].max()).normalize()
        raise MissingExportError(
            f"no export with dates in {self.path} (shop_daily, orders or events); "
            f"run `ecomops check --data {self.path}`"
        )
