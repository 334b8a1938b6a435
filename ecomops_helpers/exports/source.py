"""What every source of exports answers: a data folder, or a history store.

:class:`ExportSource` holds what the reports ask of their exports beyond one kind's rows:
an optional kind with the reason it is unusable, the amounts' currency and the last day the
exports cover. A source says which kinds it has (``has``, ``is_empty``) and gives their
rows (``load``); :class:`~ecomops_helpers.exports.folder.ExportFolder` reads them from the
files of a folder, :class:`~ecomops_helpers.store.ExportStore` from a Parquet history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from ..errors import ExportError, MissingExportError, NoUsableExportError
from .catalogue.ads import AD_KINDS
from .derived import Recipe, recipe_for

__all__ = [
    "ExportSource",
    "DATED_KINDS",
    "LeftOut",
    "ONE_CURRENCY",
    "UNKNOWN_CURRENCY",
    "day_spans",
]

# where the last day the exports cover is read, in order of trust
DATED_KINDS = (
    [("shop_daily", "date"), ("orders", "paid_at"), ("events", "ts")]
    + [(kind, col) for kind in AD_KINDS for col in ("date", "period_end")]
    + [("competitor_listings", "date")]
)

UNKNOWN_CURRENCY = "XXX"  # ISO 4217's "no currency": amounts written without a symbol

# the kinds whose amounts a report adds or compares: one currency within each
ONE_CURRENCY = {
    "daily_review": (
        "shop_daily",
        "traffic_sources",
        "items_daily",
        "plan",
        "service_daily",
        "item_sources",
    ),
    "customer_segmentation": ("orders",),
    "competitor_tracking": ("competitor_listings", "items_daily"),
}


def day_spans(days) -> str:
    """Days as runs: ``2026-10-15 … 2026-10-17, 2026-10-21``."""
    runs: list[list[date]] = []
    for d in sorted(set(days)):
        if runs and (d - runs[-1][1]).days == 1:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    return ", ".join(f"{a}" if a == b else f"{a} … {b}" for a, b in runs)


@dataclass
class LeftOut:
    """A file that cannot be used, left out of its kind: the others run without it.

    ``days`` are the days its rows name (read leniently); ``uncovered`` those of them that no
    usable file of the kind covers, known once the kind is loaded: the reports name them, and
    never show a figure of those days as whole.
    """

    file: str
    kind: str
    reason: str
    days: tuple[date, ...] = ()
    uncovered: tuple[date, ...] | None = None
    error: ExportError | None = field(default=None, repr=False)  # its column and rows

    def text(self) -> str:
        """One line for ``check`` and the run's CLI line."""
        gap = f" Days no other file covers: {day_spans(self.uncovered)}." if self.uncovered else ""
        return f"left out: {self.file} ({self.kind}) — {self.why}{gap}"

    @property
    def why(self) -> str:
        """The reason without the file's name in front (the line names it already)."""
        return self.reason.removeprefix(f"{self.file}: ")


class ExportSource:
    """The exports of one shop, wherever they are kept (see the module's docstring)."""

    path: Path

    def __init__(self, path: Path):
        self.path = path
        self.date_notes: list = []  # DateNote: how ambiguous dates were read
        self.joins: dict[str, str] = {}  # kind → how it was joined or built from other kinds
        self.join_parts: dict[str, list] = {}  # kind → each table joined and its counts
        self.broken: dict[str, str] = {}  # optional kind → why it could not be read
        self.totals: dict[str, list[dict]] = {}  # kind → the total rows its files carried
        self.date_sources: dict[str, str] = {}  # file → where its snapshot date came from
        self.named_from_file: dict[str, str] = {}  # file → the one campaign its name gives
        self.person_map: dict[str, tuple[int, int]] = {}  # orders reaching a person, of all
        self.currencies: dict[str, dict[str, list[str]]] = {}  # kind → file → codes it names
        self.left_out: dict[str, LeftOut] = {}  # file name → why it was left out
        self.asked: set[str] = set()  # the kinds a report asked for (their left-out files)

    def left_out_of(self, kinds) -> list[LeftOut]:
        """The files left out of ``kinds`` (every kind when ``None``)."""
        return [x for x in self.left_out.values() if kinds is None or x.kind in kinds]

    def _no_usable(self, kind: str) -> NoUsableExportError:
        """The error of a kind whose every file was left out: their reasons."""
        gone = self.left_out_of({kind})
        for x in gone:
            x.uncovered = x.days
        if len(gone) == 1 and (err := gone[0].error) is not None:
            return NoUsableExportError(str(err), file=err.file, column=err.column, rows=err.rows)
        return NoUsableExportError(
            f"every {kind} file in {self.path} was left out: "
            + "; ".join(f"{x.file}: {x.reason}" for x in gone),
            file=self.path / gone[0].file,
        )

    def left_out_on(self, kind: str, day) -> list[str]:
        """The left-out files that alone held the rows of ``kind`` on ``day`` (partial figures)."""
        day = pd.Timestamp(day).date()
        return [x.file for x in self.left_out_of({kind}) if day in (x.uncovered or ())]

    def has(self, kind: str) -> bool:
        """Whether ``kind`` can be loaded."""
        raise NotImplementedError

    def recipe(self, kind: str) -> Recipe | None:
        """How ``kind`` is built from other kinds here (Shopify's reports, the orders)."""
        return recipe_for(kind, self.has, self.columns_of)

    def columns_of(self, kind: str) -> set[str]:
        """The canonical columns ``kind`` holds here."""
        return set(self.load(kind).columns)

    def _derive(self, kind: str, recipe: Recipe) -> pd.DataFrame:
        """``kind`` built by ``recipe``; a broken part is named in the report's warnings."""
        parts = {p: self.load_optional(p)[0] for p in dict.fromkeys(recipe.needs + recipe.parts)}
        if all(parts[p] is None for p in recipe.needs):  # the error of the one it needs
            self.load(next(p for p in recipe.needs if self.has(p)))
        df = recipe.build(parts)
        self.joins[kind] = f"built from {recipe.how}"
        for part in parts:  # the parts' currencies are the built kind's
            self.currencies.setdefault(kind, {}).update(self.currencies.get(part, {}))
        return df

    def is_empty(self, kind: str) -> bool:
        """Whether ``kind`` is there without rows (a quiet day's header-only export)."""
        raise NotImplementedError

    def load(self, kind: str, *, required: bool = True) -> pd.DataFrame | None:
        """All rows of ``kind``, validated; ``None`` when optional and absent."""
        raise NotImplementedError

    def _near_miss(self) -> ExportError | None:
        """The error of a file that almost is an export (one column short), if any."""
        return None

    def load_optional(self, kind: str) -> tuple[pd.DataFrame | None, str]:
        """An optional kind and why it is unusable: ``(rows, "")``, or ``(None, reason)``.

        The reason says the export is absent, or carries the :class:`ExportError` of a broken
        one (file, column, row), so the section that needs it can say why it is hidden; broken
        ones are kept in ``broken`` for the report's warnings.
        """
        try:
            df = self.load(kind, required=False)
        except ExportError as err:
            self.broken[kind] = str(err)
            return None, str(err)
        if df is None:
            return None, f"no {kind} export in {self.path}"
        return df, ""

    def currency(self, kinds, default: str = "CNY") -> tuple[str, str]:
        """The currency of the amounts of ``kinds`` (loaded): ``(code, where it came from)``.

        Where the exports name one (a currency column, ``$ £ € ₹ Rs. R$`` in cells,
        ``Total (USD)`` in a header) it is that one (``"exports"``); where none does, it is
        ``default``, the ``currency`` parameter (``"parameter"``); its default CNY is not taken
        for files with English headers only (Shopify's reports write no symbol): they are
        :data:`UNKNOWN_CURRENCY` (``"unknown"``) until ``--currency`` names it. Exports naming
        two currencies are an error: amounts in two currencies are never added.
        """
        named: dict[str, list[str]] = {}
        for kind in kinds:
            for file, codes in self.currencies.get(kind, {}).items():
                for code in codes:
                    named.setdefault(code, []).append(file)
        if len(named) > 1:
            said = "; ".join(f"{c} ({', '.join(sorted(set(f))[:3])})" for c, f in named.items())
            raise ExportError(
                f"the exports in {self.path} name more than one currency: {said}. Amounts in "
                "two currencies are never added: keep one shop's exports per folder."
            )
        if named:
            return next(iter(named)), "exports"
        code = (default or "CNY").upper()
        if code == "CNY" and self.english_only(kinds):
            return UNKNOWN_CURRENCY, "unknown"  # a yuan sign on a Shopify shop would be a lie
        return code, "parameter"

    def english_only(self, kinds) -> bool:
        """Whether every file of ``kinds`` (and of what they were built from) has English headers.

        A store keeps no headers: ``False``.
        """
        return False

    def last_date(self) -> pd.Timestamp:
        """The last day the exports cover: the default report date.

        Taken from the shop's daily export when there is one with rows, else from the orders,
        the behaviour log, the ad exports (their dates, else the end of their period), or the
        rival listing snapshots. Ad reports that carry no date at all (``All time``) make it
        the day of the run, and the audit says so. When nothing can run, the error is the
        one ``check`` gives: a file that lacks a column is named with that column.
        """
        for kind, col in DATED_KINDS:
            if self.has(kind) and not self.is_empty(kind):
                rows = self.load(kind)
                last = rows[col].max() if col in rows else None
                if pd.notna(last):
                    return pd.Timestamp(last).normalize()
        if any(self.has(k) and not self.is_empty(k) for k in AD_KINDS):
            return pd.Timestamp.today().normalize()  # undated ad reports: the day of the run
        if (near := self._near_miss()) is not None:
            raise near
        raise MissingExportError(
            f"no export with dated rows in {self.path} (shop_daily, orders, events, ad reports "
            "with a date column or a period above the header, or rival listings); "
            f"run `ecomops check --data {self.path}`"
        )
