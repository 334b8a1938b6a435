"""A history store read through the same loader API as a data folder."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..errors import ExportError, MissingExportError
from ..exports.catalogue import KINDS
from ..exports.folder import DateNote
from ..exports.source import ExportSource, LeftOut
from .ingest import read_manifest
from .layout import UNDATED, day_column, kind_dir, part_days, stored_kinds

__all__ = ["ExportStore"]


class ExportStore(ExportSource):
    """The exports kept in a history store (see :mod:`ecomops_helpers.store.layout`).

    ``load(kind)`` gives every stored day of a kind, in the order a folder's load gives them;
    ``since`` keeps the months from that day on (whole months are pruned unread). What the
    reports say about how exports were read (assumed date orders, joined tables, currencies)
    comes from the manifest the ingests wrote.
    """

    def __init__(self, path: str | Path):
        super().__init__(Path(path).expanduser())
        if not self.path.is_dir():
            raise MissingExportError(f"store {self.path} does not exist")
        manifest = read_manifest(self.path)
        self.kinds: dict[str, dict] = manifest["kinds"]
        for kind, notes in self.kinds.items():
            self.currencies[kind] = notes.get("currencies", {})
            if notes.get("joins"):
                self.joins[kind] = notes["joins"]
                self.join_parts[kind] = [tuple(p) for p in notes.get("join_parts", [])]
            if notes.get("person_map"):
                self.person_map[kind] = tuple(notes["person_map"])
            self.named_from_file.update(notes.get("named_from_file", {}))
            self.date_notes += [
                DateNote(**{**n, "files": tuple(n["files"])}) for n in notes.get("date_notes", [])
            ]
        self.skipped: list = []
        self.files: list = []  # a store holds rows, not export files
        self._loaded: dict[str, pd.DataFrame] = {}

    def parts(self, kind: str, since=None) -> list[Path]:
        """The Parquet files of a kind, oldest first; ``since`` drops earlier months."""
        root = kind_dir(self.path, kind)
        if not root.is_dir():
            return []
        first = pd.Timestamp(since).strftime("%Y-%m") if since is not None else None
        return sorted(
            p
            for month in root.iterdir()
            if month.name.startswith("month=")
            and (first is None or month.name[6:] == "undated" or month.name[6:] >= first)
            for p in month.glob("*.parquet")
        )

    def _read_part(self, kind: str, path: Path) -> pd.DataFrame:
        """One day's rows; a file cut short or overwritten is an :class:`ExportError` naming it."""
        try:
            return pd.read_parquet(path)
        except (OSError, pa.ArrowException):
            day = "" if path.stem == UNDATED else f" of {path.stem}"
            raise ExportError(
                f"{path} is broken: not a readable Parquet file. Ingest the {kind} export{day} "
                f"again (`ecomops ingest --data DIR --store {self.path}`): ingest "
                "rewrites a broken day from it.",
                file=path,
            ) from None

    def _read_or_leave_out(self, kind: str, path: Path) -> pd.DataFrame | None:
        """One day's rows, or ``None`` when its file is broken (left out: the day is named)."""
        try:
            return self._read_part(kind, path)
        except ExportError as err:
            days = part_days(path.stem)
            name = str(path.relative_to(self.path))
            self.left_out[name] = LeftOut(name, kind, str(err), days, days, error=err)
            return None

    def parquet_glob(self, kind: str) -> str:
        """A glob DuckDB's ``read_parquet`` takes for every day of a kind."""
        return str(kind_dir(self.path, kind) / "month=*" / "*.parquet")

    def readable_parts(self, kind: str) -> list[Path]:
        """The day files of ``kind`` for DuckDB to scan instead of :meth:`load`, oldest first.

        A file whose Parquet footer does not read is left out and named as ``load`` leaves it
        out; with none readable (or none stored) this raises what ``load`` raises.
        """
        import pyarrow.parquet as pq

        self.asked.add(kind)
        usable = []
        for path in self.parts(kind):
            try:
                pq.read_metadata(path)
                usable.append(path)
            except (OSError, pa.ArrowException):
                self._read_or_leave_out(kind, path)
        if not usable:
            self.load(kind)  # raises: nothing stored, or every day file broken
        return usable

    def files_of(self, kind: str) -> list:
        """A store keeps no export files; see :meth:`parts`."""
        return []

    @property
    def unmatched(self) -> list:
        """Nothing in a store is unrecognised: only recognised exports were ingested."""
        return []

    def has(self, kind: str) -> bool:
        """Whether ``kind`` was ingested (rows or a header-only file), or its recipe's parts."""
        return kind in self.kinds or bool(self.parts(kind)) or self.recipe(kind) is not None

    def is_empty(self, kind: str) -> bool:
        """Whether ``kind`` was ingested from header-only exports alone."""
        return kind in self.kinds and not self.parts(kind)

    def load(self, kind: str, *, required: bool = True, since=None) -> pd.DataFrame | None:
        """All stored rows of ``kind`` (from ``since``'s month on), sorted by the kind's key."""
        if kind not in KINDS:
            raise KeyError(f"unknown export kind {kind!r}; known: {', '.join(KINDS)}")
        if kind not in stored_kinds():
            raise KeyError(f"a store keeps {kind} joined into orders; load orders")
        self.asked.add(kind)
        if since is None and kind in self._loaded:
            return self._loaded[kind]
        parts = self.parts(kind, since)
        if not parts and kind not in self.kinds and (recipe := self.recipe(kind)) is not None:
            df = self._loaded.get(kind)
            if df is None:
                df = self._loaded[kind] = self._derive(kind, recipe)
            return df if since is None else df[df["date"] >= pd.Timestamp(since)]
        if not parts:
            if not required:
                return None
            raise MissingExportError(
                f"no {kind} rows in the store {self.path}: ingest a folder with a {kind} "
                f"export (`ecomops ingest --data DIR --store {self.path}`)"
            )
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            read = list(pool.map(self._read_or_leave_out, [kind] * len(parts), parts))
        usable = [f for f in read if f is not None]
        if not usable:  # every day file broken: the kind is missing, for their reasons
            raise self._no_usable(kind)
        frames = [f for f in usable if len(f)] or usable[:1]
        df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        if since is not None and (column := day_column(kind, df.columns)):
            df = df[df[column].isna() | (df[column] >= pd.Timestamp(since))]
        # the order a folder of the same files gives: by key (else date), then file and row
        sort_cols = [c for c in (*(KINDS[kind].key or ("date",)), "_file", "_row") if c in df]
        df = df.sort_values(sort_cols, kind="stable").reset_index(drop=True)
        if since is None:
            self._loaded[kind] = df
        return df
