"""The data folder: every export in it recognised, read, merged and kept consistent.

``ExportFolder(path).load("orders")`` reads every file of a kind, merges overlapping
downloads, reads the day/month order of ambiguous dates the same way in all files of a kind,
and joins order tables split by order id into the one orders kind.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ExportConflictError, ExportError, MissingExportError
from ..paths import GENERATOR_TAG, OUTPUT_MARKER
from ..privacy import quote_cell
from .cache import ExportCache, default_cache
from .catalogue import KINDS
from .catalogue.customers import SPLIT_ORDER_KINDS
from .dates import DATE_ORDERS, ORDER_NAMES, OrderEvidence, choose_order
from .derived import CENT_TOLERANCE
from .kinds import ExportKind
from .platforms import TAOBAO, platform_of
from .reading import (
    BATCH_MIN_FILES,
    CJK,
    DAY_COLUMNS,
    SUPPORTED_SUFFIXES,
    TEXT_FORMATS,
    ExportFile,
    days_held,
    inspect_file,
    read_export,
    read_exports,
)
from .source import ExportSource, LeftOut

__all__ = [
    "ExportFolder",
    "DateNote",
    "near_miss_error",
    "scan_exports",
    "unused_line",
]


@dataclass(frozen=True)
class DateNote:
    """How the dates of one column of a kind were read where the data alone could not say."""

    kind: str
    column: str
    files: tuple[str, ...]
    order: str
    how: str  # assumed (date_order auto) or setting (date_order given)
    example: str = ""

    def text(self) -> str:
        """One sentence for ``check`` and the reports: what was assumed, how to change it."""
        files = ", ".join(self.files[:3]) + (
            f" and {len(self.files) - 3} more" if len(self.files) > 3 else ""
        )
        other = "dmy" if self.order == "mdy" else "mdy"
        if self.how == "setting":
            return (
                f"{self.kind} {self.column} ({files}): every date reads both ways; read "
                f"{ORDER_NAMES[self.order]} as date_order={self.order} says."
            )
        return (
            f"{self.kind} {self.column} ({files}): every date reads both ways"
            + (f" (e.g. {self.example})" if self.example else "")
            + f"; assumed {ORDER_NAMES[self.order]}. If they are "
            f"{ORDER_NAMES[other]}, pass --date-order {other} (notebook parameter "
            f'date_order = "{other}").'
        )


def _fmt(value, column: str) -> str:
    """A cell of ``column`` as an error quotes it (see :func:`~..privacy.quote_cell`)."""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    return quote_cell(value.item() if isinstance(value, np.generic) else value, column)


def _conflict_error(dup: pd.DataFrame, key: list[str], data_cols: list[str]):
    """The error naming both rows (and files) of the first key that carries two versions."""
    first_key = tuple(dup.iloc[0][key])
    same = dup[(dup[key] == pd.Series(first_key, index=key)).all(axis=1)]
    a, b = same.iloc[0], same.iloc[1]
    differing = [c for c in data_cols if pd.notna(a[c]) and pd.notna(b[c]) and a[c] != b[c]]
    key_text = ", ".join(f"{k}={_fmt(v, k)}" for k, v in zip(key, first_key))
    where_a, where_b = f"{a['_file']} row {a['_row']}", f"{b['_file']} row {b['_row']}"
    if a["_file"] == b["_file"]:
        msg = f"{a['_file']}: {key_text} appears twice with different values"
    else:
        msg = f"{a['_file']} and {b['_file']} disagree on {key_text}"
    col = differing[0] if differing else None
    values = f"{_fmt(a[col], col)} vs {_fmt(b[col], col)}"
    return ExportConflictError(
        f"{msg} ({where_a} vs {where_b}; column {col}: {values}). "
        f"{len(dup)} rows share a key in all. Keep one version of the export.",
        file=a["_file"],
        column=col,
        rows=[a["_row"], b["_row"]],
    )


def _aliases_like(aliases: tuple[str, ...], headers: list[str], n: int = 3) -> list[str]:
    """Up to ``n`` headers for a column as the file's own platform writes them.

    A file whose headers are Chinese is told the Chinese names (计划名称), any other file the
    English ones (Campaign); the canonical name comes first and is left out.
    """
    chinese = sum(bool(CJK.search(h)) for h in headers) * 2 > len(headers)
    same = [a for a in aliases[1:] if bool(CJK.search(a)) == chinese]
    return (same or list(aliases[1:]) or list(aliases))[:n]


def _a(word: str) -> str:
    """``a shop_daily``, ``an ad_keywords``."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def unused_line(info: ExportFile) -> str:
    """One line on a file of no known kind, with the platform report its headers look like."""
    platform = platform_of(info.headers)
    if platform is None or platform is TAOBAO or info.problem:
        return info.unused_text()
    return f"{info.unused_text()}; its headers are those of {platform.name}'s {platform.report}"


def near_miss_error(info: ExportFile) -> ExportError:
    """The error for a file that looks like a kind but lacks some of its required columns.

    The advice fits the file: "export it again with those columns ticked" only where its
    platform lets a user tick columns (生意参谋); else which platform's report its headers
    look like, where known, and that it is not a ``kind`` export.
    """
    kind = KINDS[info.near_kind]

    def named(c: str) -> str:  # a column with its aliases: a one-of group, each of its own
        like = ", ".join(_aliases_like(kind.column(c).aliases, info.headers, 2))
        return f"{c} (e.g. {like})"

    wanted = "; ".join(
        " or ".join(named(c) for c in need.split(" or ")) for need in info.near_missing
    )
    platform = platform_of(info.headers)
    if platform is not None and platform.tick_where:
        advice = f"Export it again with those columns ticked ({platform.tick_where})."
    elif platform is not None:
        advice = (
            f"Its headers are those of {platform.name}'s {platform.report}, not of "
            f"{_a(kind.name)} export, and {platform.name} offers no such columns to tick: add the "
            "export that holds them, or move this file out of the folder."
        )
    else:
        advice = (
            "Its headers are not those of a platform ecomops knows: add those columns, or move "
            "this file out of the folder."
        )
    return ExportError(
        f"{info.path.name}: looks like {_a(kind.name)} export (header on row "
        f"{info.header_row + 1}) but has no column for {wanted}. "
        f"Headers found: {', '.join(info.headers)}. {advice}",
        file=info.path,
        column=info.near_missing[0],
    )


def _merge_overlaps(df: pd.DataFrame, kind: ExportKind) -> pd.DataFrame:
    """Drop the rows that overlapping downloads repeat; raise when a key has two versions.

    Keyed kinds keep one row per key: rows sharing a key must agree on every column both
    fill (a column one of them lacks is taken from the other), else
    :class:`ExportConflictError` names both. Only rows whose key repeats are compared in full,
    which keeps a million-row export fast. Keyless kinds (reviews) may hold identical rows
    for real, so the n-th copy within one file only matches the n-th copy in another.
    """
    data_cols = [c for c in df.columns if not c.startswith("_")]
    key = [k for k in kind.key if k in df]  # a key column no file of the kind has is no part
    if key:
        repeated = df.duplicated(subset=key, keep=False)
        if not repeated.any():
            return df
        dup = df[repeated]
        exact = dup.duplicated(subset=data_cols)
        versions = dup[~exact]
        versions = versions[versions.duplicated(subset=key, keep=False)]
        if versions.empty:
            return df.drop(index=dup.index[exact]).reset_index(drop=True)
        figures = [c for c in data_cols if c not in key]
        differ = versions.groupby(key, dropna=False)[figures].nunique() > 1
        if differ.to_numpy().any():
            clash = versions.set_index(key).loc[differ.index[differ.any(axis=1)]].reset_index()
            raise _conflict_error(clash, key, data_cols)
        # files that hold different columns of the same rows (Shopify's sessions and
        # conversion over time): one row of each key, every column from whichever has it
        joined = versions.groupby(key, dropna=False, sort=False).first().reset_index()
        kept = df.drop(index=dup.index[exact]).drop(index=versions.index, errors="ignore")
        return pd.concat([kept, joined[df.columns]], ignore_index=True)
    if len(df["_file"].unique()) < 2:
        return df
    nth = df.groupby(["_file", *data_cols], dropna=False, sort=False).cumcount()
    keep = ~df[data_cols].assign(_nth=nth).duplicated()
    return df[keep].reset_index(drop=True)


def _dates_of(df: pd.DataFrame) -> dict[str, dict]:
    return df.attrs.get("dates") or {}


def _written_by_ecomops(path: Path) -> bool:
    """A report page (HTML, or renamed ``.xls``) carrying ecomops' generator tag."""
    if path.suffix.lower() not in (".html", ".htm", ".xls"):
        return False
    with open(path, "rb") as fh:
        return GENERATOR_TAG.encode() in fh.read(4096)


# how each table of a split order export was joined (check's English; reports: the catalogue)
JOIN_TEXT = {
    "order_headers": "order_headers ({n} orders)",
    "customer_map": "customer_map ({found} of {n} orders to a person; {unknown} with an unknown "
    "person left out of customer figures)",
    "order_payments": "order_payments ({found} of {n} orders found their payments)",
    "order_items": "order_items ({lines} lines; {found} of {n} orders found them)",
    "products": "products ({lines} lines got a category)",
}


def _is_output(folder: Path) -> bool:
    """A folder ecomops wrote: it has the marker, or is a day's folder of an older version."""
    return (folder / OUTPUT_MARKER).exists() or (
        (folder / "summary.json").exists() and (folder / "index.html").exists()
    )


def scan_exports(root: Path, exclude=()) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The export files under ``root``, and what was passed over with the reason.

    Never read: folders holding :data:`OUTPUT_MARKER` (every reports folder and each day's
    folder in it) and the ``exclude`` folders (the run's own output), hidden and temporary
    folders and files (the parse cache, ``.2026-10-21.tmp-…``), Office lock files (``~$``),
    report pages ecomops rendered, and files of no supported format (``.ipynb``, ``.json``).
    """
    if _is_output(Path(root)):
        return [], [(Path(root), "ecomops output folder")]
    excluded = {Path(p).resolve() for p in exclude}
    paths: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for here, dirs, files in os.walk(root):
        base = Path(here)
        keep = []
        for d in sorted(dirs):
            sub = base / d
            if d.startswith("."):
                skipped.append((sub, "hidden or temporary folder"))
            elif _is_output(sub) or sub.resolve() in excluded:
                skipped.append((sub, "ecomops output folder"))
            else:
                keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            path = base / name
            if name.startswith((".", "~$")) or name == OUTPUT_MARKER:
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped.append((path, "not an export format"))
            elif _written_by_ecomops(path):
                skipped.append((path, "a report page ecomops rendered"))
            else:
                paths.append(path)
    return sorted(paths), skipped


class ExportFolder(ExportSource):
    """The exports in one data folder, recognised by their headers (or their rows' shape).

    ``date_order`` (auto, dmy, mdy, ymd) says how to read dates such as ``03/04/2025`` where
    no file of a kind proves the order; ``date_notes`` lists what was assumed. Nothing ecomops
    wrote is read (see :func:`scan_exports`); ``skipped`` lists what was passed over and why.
    """

    def __init__(
        self,
        data_dir: str | Path,
        cache: ExportCache | None | str = "default",
        date_order: str = "auto",
        exclude: tuple[Path, ...] = (),
    ):
        super().__init__(Path(data_dir))
        if not self.path.is_dir():
            raise MissingExportError(f"data folder {self.path} does not exist")
        if date_order not in DATE_ORDERS:
            raise ValueError(
                f"date_order {date_order!r} is not one of {', '.join(DATE_ORDERS)}; "
                "dmy = day first (21/10/2026), mdy = month first (10/21/2026)"
            )
        self.date_order = date_order
        self.cache = default_cache() if cache == "default" else cache
        paths, self.skipped = scan_exports(self.path, exclude)
        self.files = self._inspect_all(paths)
        self._loaded: dict[str, pd.DataFrame] = {}
        self._together: dict[Path, pd.DataFrame] = {}  # tables read many at once, not yet used
        self._together_kinds: set[str] = set()
        self._together_lock = threading.Lock()
        for info in self.files:  # one column short of a kind: left out, named, never read
            if info.near_miss:
                self._leave_out(info, info.near_kind, near_miss_error(info))

    def _leave_out(self, info: ExportFile, kind: str, error: ExportError) -> None:
        """Leave ``info`` out of ``kind`` for ``error``, with the days its rows name."""
        self.left_out[info.path.name] = LeftOut(
            info.path.name, kind, str(error), tuple(days_held(info, kind)), error=error
        )

    def _inspect_all(self, paths: list[Path]) -> list[ExportFile]:
        """Every file's sniffing: from the cache, else sniffed and kept (as one bundle)."""
        found = [self._inspect(p) for p in paths]
        if self.cache is not None:
            self.cache.store_inspections([info for info, known in found if not known])
        return [info for info, _ in found]

    def _inspect(self, path: Path) -> tuple[ExportFile, bool]:
        """A file's sniffing, and whether it came from the cache."""
        if self.cache is not None and (known := self.cache.inspection(path)) is not None:
            known["path"] = path
            known["names"] = tuple(known["names"]) if known.get("names") else None
            return ExportFile(**known), True
        return inspect_file(path), False

    def _read_together(self, info: ExportFile, variant: str) -> pd.DataFrame | None:
        """``info``'s table from one read of every unparsed file of its kind and layout.

        The first file of a kind asked for reads them all (:func:`read_exports`) and keeps
        them (the cache: one bundle); the files that must be read alone get None.
        """
        with self._together_lock:
            if info.kind not in self._together_kinds:
                self._together_kinds.add(info.kind)
                todo = [
                    f
                    for f in self.files_of(info.kind)
                    if f.fmt in TEXT_FORMATS
                    and (self.cache is None or not self.cache.has_frame(f.path, variant))
                ]
                if len(todo) >= BATCH_MIN_FILES:
                    read = read_exports(todo, self.date_order)
                    done = [(f.path, df) for f, df in zip(todo, read) if df is not None]
                    self._together.update(done)
                    if self.cache is not None and done:
                        self.cache.store_frames([(p, df, variant) for p, df in done])
            return self._together.pop(info.path, None)

    def _read(self, info: ExportFile, hints: dict[str, str] | None = None) -> pd.DataFrame:
        """One file's validated table, from the cache when the file has not changed."""
        variant = f"{self.date_order}|{sorted((hints or {}).items())}"
        if self.cache is not None and (df := self.cache.frame(info.path, variant)) is not None:
            return df
        if not hints and (df := self._read_together(info, variant)) is not None:
            return df
        if (
            info.fmt not in TEXT_FORMATS and info._grid is None
        ):  # sniffed from the cache: read cells
            info = inspect_file(info.path)
        df = read_export(info, self.date_order, hints)
        if self.cache is not None:
            self.cache.store_frame(info.path, df, variant)
        return df

    def _near_miss(self) -> ExportError | None:
        near = [f for f in self.files if f.near_miss]
        return near_miss_error(near[0]) if near else None

    def columns_of(self, kind: str) -> set[str]:
        """The canonical columns the files of ``kind`` hold (their headers: nothing is read)."""
        return {c for f in self.files_of(kind) for c in f.mapping.values()}

    def english_only(self, kinds) -> bool:
        """Whether every file of ``kinds`` (or of what they were built from) has no Chinese."""
        kinds = set(kinds)
        kinds |= {p for k in list(kinds) if (r := self.recipe(k)) for p in r.needs + r.parts}
        files = [f for f in self.files if f.kind in kinds]
        return bool(files) and not any(CJK.search(" ".join(f.headers)) for f in files)

    def files_of(self, kind: str) -> list[ExportFile]:
        """The recognised files of ``kind``."""
        return [f for f in self.files if f.kind == kind]

    @property
    def unmatched(self) -> list[ExportFile]:
        """Files that match no export kind (or could not be read), with the headers found."""
        return [f for f in self.files if f.kind is None]

    def _sources(self, kind: str) -> list[ExportFile]:
        """The files ``kind``'s rows come from: its own, else the tables it is joined from."""
        joined = self.files_of(SPLIT_ORDER_KINDS[0]) if kind == "orders" else []
        return self.files_of(kind) or joined

    def has(self, kind: str) -> bool:
        """Whether ``kind`` can be loaded: a file of it, its split tables, or its recipe's parts."""
        return bool(self._sources(kind)) or self.recipe(kind) is not None

    def is_empty(self, kind: str) -> bool:
        """Whether every file of ``kind`` is a header without rows (a quiet day's export)."""
        files = self._sources(kind)
        return bool(files) and all(f.empty for f in files)

    def load(self, kind: str, *, required: bool = True) -> pd.DataFrame | None:
        """All rows of ``kind``, validated; ``None`` when optional and absent."""
        if kind not in KINDS:
            raise KeyError(f"unknown export kind {kind!r}; known: {', '.join(KINDS)}")
        self.asked.add(kind)
        if kind in self._loaded:
            return self._loaded[kind]
        files = self.files_of(kind)
        if not files and (recipe := self.recipe(kind)) is not None:
            df = self._derive(kind, recipe)
        elif not files and self.has(kind):
            df = self._join_orders()
        elif not files and self.left_out_of({kind}):
            raise self._no_usable(kind)
        elif not files:
            if not required:
                return None
            need = ", ".join(KINDS[kind].lacks(set()))
            raise MissingExportError(
                f"no {kind} export in {self.path}: expected a file with headers for {need}. "
                f"Run `ecomops check --data {self.path}` to see what each file was taken for."
            )
        else:
            df = self._load_files(kind, files)
        self._loaded[kind] = df
        return df

    def _read_or_leave_out(self, info: ExportFile) -> pd.DataFrame | None:
        """One file's table, or ``None`` when it cannot be used (left out with its error)."""
        try:
            return self._read(info)
        except ExportError as err:
            if err.column == "date" and (df := self._dated_by_sales(info)) is not None:
                return df
            self._leave_out(info, info.kind, err)
            return None

    def _dated_by_sales(self, info: ExportFile) -> pd.DataFrame | None:
        """An item report dated nowhere, dated by the one shop day whose sales it adds up to.

        Amazon's *by Child Item* report holds no date and is named after the day it was
        downloaded (``BusinessReport-10-22-26.csv``); its items' sales add up to one day's
        *Sales and Traffic by Date* (within a cent a row). No such day, or several: None.
        """
        if info.kind != "items_daily" or not self.files_of("shop_daily"):
            return None
        today = pd.Timestamp.today().strftime("%Y-%m-%d")
        try:
            probe = read_export(replace(info, period=[today, today]), self.date_order)
            shop = self.load("shop_daily")
        except ExportError:
            return None
        gap = (shop["gmv"] - probe["gmv"].sum()).abs()
        days = shop.loc[gap <= CENT_TOLERANCE * max(len(probe), 1), "date"].unique()
        if len(probe) == 0 or len(days) != 1:
            return None
        self.date_sources[info.path.name] = "items' sales, equal to that day's shop_daily sales"
        out = probe.assign(date=pd.Timestamp(days[0]))
        out.attrs = {**probe.attrs, "date_source": self.date_sources[info.path.name]}
        return out

    def _load_files(self, kind: str, files: list[ExportFile]) -> pd.DataFrame:
        """Every usable file of ``kind``, merged; a file that cannot be used is left out."""
        with ThreadPoolExecutor(max_workers=min(len(files), os.cpu_count() or 1)) as pool:
            read = list(pool.map(self._read_or_leave_out, files))
        files = [info for info, f in zip(files, read) if f is not None]
        frames = [f for f in read if f is not None]
        if not frames:
            raise self._no_usable(kind)
        frames = self._consistent_dates(kind, files, frames)
        seen: dict[str, dict] = {}  # a file downloaded twice carries its totals twice
        for info, f in zip(files, frames):
            if f.attrs.get("date_source"):
                self.date_sources[info.path.name] = f.attrs["date_source"]
            if f.attrs.get("currencies"):
                self.currencies.setdefault(kind, {})[info.path.name] = list(f.attrs["currencies"])
            if f.attrs.get("named_from_file"):
                self.named_from_file[info.path.name] = info.path.stem
            for t in f.attrs.get("totals") or []:
                seen.setdefault(
                    repr(sorted((k, v) for k, v in t.items() if k != "row")),
                    {**t, "file": info.path.name},
                )
        self.totals[kind] = list(seen.values())
        df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        df = _merge_overlaps(df, KINDS[kind])
        self._days_uncovered(kind, df)
        sort_cols = [c for c in KINDS[kind].key or ("date",) if c in df]
        return df.sort_values(sort_cols, kind="stable").reset_index(drop=True)

    def _days_uncovered(self, kind: str, df: pd.DataFrame) -> None:
        """For each file left out of ``kind``: the days of its rows no usable row covers."""
        left_out = self.left_out_of({kind})
        if not left_out:  # the common case: no day per row is built for nothing
            return
        when = next((c for c in DAY_COLUMNS if c in df), None)
        covered = set(pd.Series(df[when].dropna().unique()).dt.date) if when else set()
        for gone in left_out:
            gone.uncovered = tuple(sorted(set(gone.days) - covered))

    def _consistent_dates(
        self, kind: str, files: list[ExportFile], frames: list[pd.DataFrame]
    ) -> list[pd.DataFrame]:
        """Read every file of a kind in one day/month order per column; note assumptions."""
        columns = {c for f in frames for c in _dates_of(f)}
        hints: dict[int, dict[str, str]] = {i: {} for i in range(len(frames))}
        for column in sorted(columns):
            evidence = [
                (i, OrderEvidence.from_dict(_dates_of(f)[column]))
                for i, f in enumerate(frames)
                if column in _dates_of(f)
            ]
            merged = OrderEvidence()
            for i, ev in evidence:
                if merged.orders is not None and not (merged.orders & ev.orders):
                    raise self._files_disagree(kind, column, files, evidence, i)
                merged = merged.merge(ev)
            order, how = choose_order(merged, self.date_order)
            for i, _ in evidence:
                if _dates_of(frames[i])[column]["order"] != order:
                    hints[i][column] = order  # what the other files prove, or the setting
                    frames[i] = self._read(files[i], hints[i])
            if how in ("assumed", "setting"):
                example = next(iter(merged.ruled_out.values()), "")
                ambiguous = [files[i].path.name for i, _ in evidence]
                self.date_notes.append(
                    DateNote(kind, column, tuple(ambiguous), order, how, example)
                )
        return frames

    @staticmethod
    def _files_disagree(kind, column, files, evidence, i) -> ExportError:
        """Two files of a kind whose dates prove different day/month orders."""
        ev_i = dict(evidence)[i]
        j, ev_j = next(
            ((j, ev) for j, ev in evidence if j < i and not (ev.orders & ev_i.orders)),
            evidence[0],
        )
        a, b = files[j].path.name, files[i].path.name

        def can(ev):
            return " or ".join(ORDER_NAMES[o] for o in sorted(ev.orders))

        return ExportError(
            f"{a} and {b} ({kind}, column {column}) write dates in different orders: {a} can "
            f"only be {can(ev_j)}, {b} only {can(ev_i)}. Export both with ISO dates "
            "(2026-10-21) or keep them in separate folders.",
            file=files[i].path,
            column=column,
        )

    def _join_orders(self) -> pd.DataFrame:
        """The orders kind from tables split by order id: headers, items, payments, persons."""
        heads = self.load("order_headers")
        tables = {k: self.load(k, required=False) for k in SPLIT_ORDER_KINDS[1:]}
        items, pays, persons, products = (tables[k] for k in SPLIT_ORDER_KINDS[1:])
        orders = heads.drop_duplicates("order_id").copy()
        n = len(orders)
        said = [("order_headers", {"n": n})]
        if persons is not None:  # an order no customers row reaches has an unknown person
            person = persons.drop_duplicates("customer_id").set_index("customer_id")["person_id"]
            mapped = orders["customer_id"].map(person)
            orders["_unknown_person"] = mapped.isna()
            orders["customer_id"] = mapped
            reached = int(mapped.notna().sum())
            self.person_map["orders"] = (reached, n)
            said.append(("customer_map", {"found": reached, "n": n, "unknown": n - reached}))
        if pays is not None:
            paid = pays.groupby("order_id")["value"].sum()
            orders["amount"] = orders["order_id"].map(paid).astype("float64")  # not pyarrow
            found = int(orders["amount"].notna().sum())
            said.append(("order_payments", {"found": found, "n": n}))
        if items is not None:
            lines = items.drop(columns=["_file", "_row", "line"], errors="ignore").copy()
            freight = lines.pop("freight") if "freight" in lines else 0.0
            lines["unit_price"] = lines["unit_price"] + pd.Series(
                freight, index=lines.index
            ).fillna(0)
            lines["quantity"] = 1.0
            found = int(orders["order_id"].isin(lines["order_id"]).sum())
            orders = orders.merge(lines, on="order_id", how="left")
            said.append(("order_items", {"lines": len(lines), "found": found, "n": n}))
            if products is not None:
                cat = products.drop_duplicates("item_id").set_index("item_id")["category"]
                orders["category"] = orders["item_id"].map(cat)
                said.append(("products", {"lines": int(orders["category"].notna().sum())}))
        if "amount" not in orders and "unit_price" not in orders:
            raise MissingExportError(
                f"order_headers in {self.path} have no amounts: add the order items (order id, "
                "item, price) or payments (order id, sequence, value) table of the same export."
            )
        self.join_parts["orders"] = said
        self.joins["orders"] = "joined " + "; ".join(
            JOIN_TEXT[part].format(**{k: f"{v:,}" for k, v in values.items()})
            for part, values in said
        )
        return orders.reset_index(drop=True)
