"""What an export kind is: its canonical columns, the headers platforms write, its key.

The catalogue (``catalogue/``) lists the kinds; the reading machinery knows none by name.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Column",
    "ExportKind",
    "RowShape",
    "col",
    "peer_column",
    "PEER_TIERS",
    "DATE_ALIASES",
]


@dataclass(frozen=True)
class Column:
    """One canonical column of an export kind and the headers platforms write for it.

    ``dtype`` is one of date, datetime, month, int, float, rate, money, duration, str, flag,
    rating, code. ``codes`` maps the texts a ``code`` or ``rating`` column may hold (lower
    case) to canonical values, e.g. 浏览 → pv, 差评 → 1.
    """

    name: str
    dtype: str
    aliases: tuple[str, ...]
    required: bool = False
    low: float | None = 0.0
    high: float | None = None
    nullable: bool = False  # a required column whose cells may be empty (unpaid: no paid_at)
    codes: tuple[tuple[str, object], ...] = ()
    future: bool = False  # a date that may lie ahead (a campaign's dates, a sign-up deadline)

    @property
    def code_map(self) -> dict[str, object]:
        """``codes`` as a dict."""
        return dict(self.codes)


@dataclass(frozen=True)
class RowShape:
    """How rows of a kind look when a file has no header (or a header of its own names).

    A file is of the kind when its columns hold, left to right, ``len(ids)`` identifier
    columns, one time column (a date, a date-time or a unix time), and, where named, a code
    column whose texts are the time column's kind's codes, an amount column (numbers, the
    last numeric column) and a count column (whole numbers between the time and the amount).
    Columns that fit no role (e.g. CDNOW's sample id) are skipped.
    """

    ids: tuple[str, ...]
    time: str
    amount: str | None = None
    count: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class ExportKind:
    """A table the notebooks consume: its columns, its key and what one row is.

    ``fill_within`` = (group column, columns): exports that write order-level fields only on
    an order's first line (Shopify) get them copied to the order's other lines.
    ``one_of``: groups of columns of which a file needs at least one (an order line needs an
    amount or a unit price). ``shape``: how its rows look in a file without a header.
    ``date_from_file``: a file without a date column takes its rows' date from its title row,
    else from a date in its file name (snapshots saved one file per day). ``snapshot``: its
    rows are a state (listings, stock), so a title naming several days dates them by the last;
    figures of a span (visits, sales) over several days are refused: they are no one day's.
    ``named_from_file``: a column a file may lack when the whole file is one group (a
    single-campaign export has no campaign column): its rows take the file's name.
    ``additive``: columns a file's own sum-like summary row (汇总值, 合计, Total) must equal
    the sum of its data rows for (within rounding); a file where it does not is refused.
    ``peers``: the kind also reads 同行同层 benchmarks of its figures, as headers
    (同行同层平均支付转化率, 支付转化率（同行同层优秀）) or as rows labelled 同行同层均值 /
    同行同层优秀 under the shop's row, into ``peer_avg_<figure>`` / ``peer_top_<figure>``
    columns typed like the figure (never additive, never required).
    """

    name: str
    row: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    fill_within: tuple[str, tuple[str, ...]] | None = None
    one_of: tuple[tuple[str, ...], ...] = ()
    shape: RowShape | None = None
    date_from_file: bool = False
    snapshot: bool = True
    named_from_file: str | None = None
    additive: tuple[str, ...] = ()
    peers: bool = False
    levels: tuple[str, ...] = ()  # columns whose 汇总 names a level's own row, not a total

    def __post_init__(self):
        if self.peers:  # frozen: the generated columns are set once, here
            object.__setattr__(self, "columns", self.columns + peer_columns(self.columns))

    @property
    def required(self) -> list[str]:
        """Names of the columns a file must have to be of this kind."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)

    def lacks(self, present: set[str]) -> list[str]:
        """What a file with canonical columns ``present`` lacks to be of this kind."""
        out = [c for c in self.required if c not in present]
        out += [" or ".join(g) for g in self.one_of if not present & set(g)]
        return out


def col(
    name,
    dtype,
    *aliases,
    required=False,
    low=0.0,
    high=None,
    nullable=False,
    codes=None,
    future=False,
):
    """A :class:`Column`; rates default to the range 0–1, ``codes`` is a dict."""
    if dtype == "rate" and high is None:
        high = 1.0
    return Column(
        name,
        dtype,
        (name, *aliases),
        required,
        low,
        high,
        nullable,
        tuple((codes or {}).items()),
        future,
    )


PEER_TIERS = ("avg", "top")  # 同行同层平均/均值 and 同行同层优秀
PEER_DTYPES = ("int", "float", "rate", "money", "duration")  # figures a peer benchmark states


def peer_column(tier: str, figure: str) -> str:
    """The canonical name of a peer benchmark: ``peer_avg_conversion``, ``peer_top_aov``."""
    return f"peer_{tier}_{figure}"


def peer_columns(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """A peer average and an excellent-peer column for every figure of ``columns``."""
    return tuple(
        Column(
            peer_column(tier, c.name), c.dtype, (peer_column(tier, c.name),), low=c.low, high=c.high
        )
        for c in columns
        if c.dtype in PEER_DTYPES
        for tier in PEER_TIERS
    )


DATE_ALIASES = ("统计日期", "日期", "date", "day", "时间", "统计时间", "数据日期")
