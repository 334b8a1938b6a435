"""``ecomops ingest``: append a data folder's exports to the history store.

Each kind is read as the reports read a folder (recognised, validated, merged, split order
tables joined), then written one Parquet file per day (:mod:`.layout`). Ingesting is
idempotent:

* a file whose bytes are in the manifest already changes nothing (its kind is not rewritten);
* a new file replaces the days it covers, with every row the folder holds for those days:
  a re-export of a day (a refund came in, a late order) replaces that day. Rival snapshots
  replace a day shop by shop, ad reports campaign by campaign, so one rival's re-export keeps
  the others of its day;
* ad rows that name a period, not a day, replace the stored periods of their campaign they
  overlap (:mod:`~ecomops_helpers.exports.periods`: the newer report wins, and an older one
  it covers only partly is dropped whole, its days no report counts now named in the summary);
* a day whose Parquet file is broken (cut short, overwritten) is written again from the
  folder's exports, known or new, that hold it.

The manifest and each day are written to a temporary file and renamed into place, under the
store's lock, so a crash leaves the store as it was before the day or after it; the next
ingest removes the temporary files it left.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ExportError
from ..exports.catalogue.customers import SPLIT_ORDER_KINDS
from ..exports.folder import ExportFolder
from ..exports.periods import Superseded, period_only, settle_periods
from ..locking import locked
from ..paths import mark_output
from .layout import (
    MANIFEST,
    PERIOD,
    UNDATED,
    day_column,
    kind_dir,
    part_path,
    period_keys,
    replace_within,
    stored_kinds,
)

__all__ = ["IngestResult", "ingest", "read_manifest", "file_digest"]

MANIFEST_VERSION = 1
# the temporary files _write_atomic writes: .2026-10-03.parquet.tmp-<pid>, .<manifest>.tmp-<pid>
_TEMP_FILE = re.compile(rf"\.(?:[\w~-]+\.parquet|{re.escape(MANIFEST)})\.tmp-\d+")


@dataclass
class IngestResult:
    """What one ingest did, kind by kind."""

    store: Path
    new_files: dict[str, list[str]] = field(default_factory=dict)  # kind → new files
    known_files: dict[str, list[str]] = field(default_factory=dict)  # kind → already in
    days: dict[str, list[str]] = field(default_factory=dict)  # kind → days (re)written
    rows: dict[str, int] = field(default_factory=dict)  # kind → rows written
    errors: dict[str, str] = field(default_factory=dict)  # kind → why it was not ingested
    lost: dict[str, list[str]] = field(default_factory=dict)  # kind → periods that lost days
    removed: int = 0  # temporary files that killed ingests left

    def lines(self) -> list[str]:
        """One line per kind for the CLI."""
        out = []
        if self.removed:
            out.append(f"  removed {self.removed} temporary file(s) left by an interrupted ingest")
        for kind in sorted(set(self.new_files) | set(self.known_files) | set(self.errors)):
            if kind in self.errors:
                out.append(f"  {kind}: not ingested: {self.errors[kind]}")
                continue
            new, known = self.new_files.get(kind, []), self.known_files.get(kind, [])
            days = self.days.get(kind, [])
            if not new and not days:
                out.append(f"  {kind}: {len(known)} file(s) already in the store, unchanged")
                continue
            span = f"{days[0]} … {days[-1]}" if len(days) > 1 else (days[0] if days else "")
            out.append(
                f"  {kind}: {len(new)} new file(s), {self.rows.get(kind, 0):,} rows, "
                f"{len(days)} day(s) written {span}".rstrip()
            )
            out += [f"    {note}" for note in self.lost.get(kind, [])]
        return out


def file_digest(path: Path) -> str:
    """SHA-1 of a file's bytes: the same export downloaded twice has one digest."""
    h = hashlib.sha1()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(store: Path) -> dict:
    """The store's manifest, or a new one."""
    path = store / MANIFEST
    if not path.exists():
        return {"version": MANIFEST_VERSION, "files": {}, "kinds": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:  # truncated, or not text: the store cannot say what it holds
        raise ExportError(
            f"{path}, the store's manifest, is broken ({err}). Rebuild the store: remove the "
            f"folder {store} and ingest the exports again "
            f"(`ecomops ingest --data DIR --store {store}`).",
            file=path,
        ) from None
    if manifest.get("version") != MANIFEST_VERSION:
        raise ExportError(
            f"{path} is a store of version {manifest.get('version')}; this ecomops writes "
            f"version {MANIFEST_VERSION}. Ingest the exports into a new store."
        )
    return manifest


def _remove_temp_files(store: Path) -> int:
    """Remove what killed ingests left half-written (call with the lock held: none is writing)."""
    left = [
        p
        for p in (*store.glob(".*.tmp-*"), *store.glob("kind=*/month=*/.*.tmp-*"))
        if _TEMP_FILE.fullmatch(p.name) and p.is_file()
    ]
    for p in left:
        p.unlink(missing_ok=True)
    return len(left)


def _write_atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_part(path: Path, rows: pd.DataFrame) -> None:
    _write_atomic(path, lambda tmp: rows.reset_index(drop=True).to_parquet(tmp, index=False))


def _day_keys(rows: pd.DataFrame, column: str | None) -> pd.Series:
    """Each row's day as ``YYYY-MM-DD``, or ``undated``."""
    if column is None:
        return pd.Series(UNDATED, index=rows.index)
    day = pd.to_datetime(rows[column]).dt.strftime("%Y-%m-%d")
    return day.fillna(UNDATED)


def _overlaps(key: str, others: set[tuple[str, str]]) -> bool:
    """Whether the period ``key`` shares a day with one of ``others`` (ISO days sort as text)."""
    first, last = key.split(PERIOD)
    return any(first <= end and start <= last for start, end in others)


def _write_periods(
    store: Path, kind: str, rows: pd.DataFrame, from_new: pd.Series, broken: set[str]
) -> tuple[list, int, list[Superseded]]:
    """Write the periods new rows name, settled against the stored periods they overlap.

    :func:`~ecomops_helpers.exports.periods.settle_periods` decides, the stored rows being
    older than the new ones; a broken period's file is written again from the folder's rows
    of it, as old as the stored ones. The parts that keep rows are written before the parts
    that lose them all are removed; the manifest, written last, makes a killed ingest redo it.
    Returns the periods written, their rows, and the periods that lost days.
    """
    keys = period_keys(rows["period_start"], rows["period_end"])
    fresh = from_new | keys.isin(broken)
    if not fresh.any():
        return [], 0, []
    wanted = {tuple(k.split(PERIOD)) for k in keys[fresh].unique()}
    stored = kind_dir(store, kind).glob(f"month=*/*{PERIOD}*.parquet")
    older = [
        pd.read_parquet(p) for p in stored if p.stem not in broken and _overlaps(p.stem, wanted)
    ]
    both = pd.concat([*older, rows[fresh]], ignore_index=True)
    is_fresh = both.index >= len(both) - int(fresh.sum())  # the folder's rows come last
    newer = pd.Series(False, index=both.index)
    newer[is_fresh] = from_new[fresh].to_numpy()
    counts, lost = settle_periods(both, replace_within(kind), newer)
    keys = period_keys(both["period_start"], both["period_end"])
    changed = sorted(set(keys[is_fresh | ~counts]))
    kept = [k for k in changed if (counts & (keys == k)).any()]
    for key in kept:
        _write_part(part_path(store, kind, key), both[counts & (keys == key)])
    for key in set(changed) - set(kept):
        part_path(store, kind, key).unlink(missing_ok=True)
    return kept, int((counts & keys.isin(kept)).sum()), lost


def _source_files(folder: ExportFolder, kind: str):
    """The files a kind's rows come from (orders: its own, or every split table)."""
    if kind == "orders" and not folder.files_of("orders"):
        return [f for k in SPLIT_ORDER_KINDS for f in folder.files_of(k)]
    return folder.files_of(kind)


def _kind_notes(folder: ExportFolder, kind: str, before: dict) -> dict:
    """What the reports say about a kind besides its rows, merged with earlier ingests."""
    return {
        "currencies": {**before.get("currencies", {}), **folder.currencies.get(kind, {})},
        "joins": folder.joins.get(kind, before.get("joins", "")),
        "join_parts": folder.join_parts.get(kind, before.get("join_parts", [])),
        "person_map": list(folder.person_map.get(kind, before.get("person_map", []))),
        "date_notes": [dataclasses.asdict(n) for n in folder.date_notes if n.kind == kind]
        or before.get("date_notes", []),
        "named_from_file": {
            **before.get("named_from_file", {}),
            **{
                f.path.name: folder.named_from_file[f.path.name]
                for f in folder.files_of(kind)
                if f.path.name in folder.named_from_file
            },
        },
    }


def _broken_days(store: Path, kind: str) -> set[str]:
    """The days whose Parquet file was cut short or overwritten (no ``PAR1`` at both ends)."""
    broken = set()
    for path in kind_dir(store, kind).glob("month=*/*.parquet"):
        with open(path, "rb") as f:
            head = f.read(4)
            size = f.seek(0, os.SEEK_END)
            f.seek(max(size - 4, 0))
            tail = f.read(4)
        if size < 12 or head != b"PAR1" or tail != b"PAR1":
            broken.add(path.stem)
    return broken


def _ingest_kind(
    store: Path, folder: ExportFolder, kind: str, new: set[str], broken: set[str]
) -> tuple[list, int, list[Superseded]]:
    """Write the days the new files cover and the broken days the folder holds again.

    Returns the days (and periods) and the rows written, and the periods that lost days.
    """
    rows = folder.load(kind)
    from_new = rows["_file"].isin(new) if "_file" in rows else pd.Series(True, index=rows.index)
    if not from_new.any():  # a split table alone is new: its orders carry no file of theirs
        from_new[:] = True
    from_new &= bool(new)
    periods, in_periods, lost = [], 0, []
    if (spans := period_only(rows)).any():
        periods, in_periods, lost = _write_periods(
            store, kind, rows[spans], from_new[spans], broken
        )
        rows, from_new = rows[~spans], from_new[~spans]
    days, written = _write_days(store, kind, rows, from_new, broken)
    return sorted(days + periods), written + in_periods, lost


def _write_days(
    store: Path, kind: str, rows: pd.DataFrame, from_new: pd.Series, broken: set[str]
) -> tuple[list, int]:
    """Write each day new rows name, and each broken day again; the days and rows written."""
    days = _day_keys(rows, day_column(kind, rows.columns))
    touched = sorted(set(days[from_new]) | (broken & set(days)))
    within = replace_within(kind)
    written = 0
    for day in touched:
        part = rows[days == day]
        path = part_path(store, kind, day)
        if within and within in part and path.exists() and day not in broken:
            old = pd.read_parquet(path)
            keep = old[~old[within].isin(part[within].dropna().unique())]
            part = pd.concat([keep, part], ignore_index=True) if len(keep) else part
        _write_part(path, part)
        written += len(part)
    return touched, written


def ingest(
    data_dir: str | Path, store: str | Path, *, date_order: str = "auto", wait: float = 600.0
) -> IngestResult:
    """Append the exports of ``data_dir`` to the store at ``store`` (made if absent).

    Returns what was written; a kind whose exports cannot be read is named in ``errors``
    with the reader's error and left as it was, the other kinds are ingested.
    """
    store = Path(store).expanduser().resolve()
    folder = ExportFolder(data_dir, cache=None, date_order=date_order, exclude=(store,))
    result = IngestResult(store)
    with locked(store, wait):
        mark_output(store)
        result.removed = _remove_temp_files(store)
        manifest = read_manifest(store)
        for kind in stored_kinds():
            files = _source_files(folder, kind)
            if not files:
                continue
            digests = {f.path.name: file_digest(f.path) for f in files}
            new = {name for name, d in digests.items() if d not in manifest["files"]}
            result.known_files[kind] = sorted(set(digests) - new)
            result.new_files[kind] = sorted(new)
            broken = _broken_days(store, kind)
            if not new and not broken:
                continue
            try:
                days, written, lost = _ingest_kind(store, folder, kind, new, broken)
            except ExportError as err:
                result.errors[kind] = str(err)
                continue
            result.days[kind], result.rows[kind] = days, written
            if lost:
                result.lost[kind] = [x.text() for x in lost]
            before = manifest["kinds"].get(kind, {})
            manifest["kinds"][kind] = _kind_notes(folder, kind, before)
            for name in new:
                manifest["files"][digests[name]] = {"name": name, "kind": kind, "days": len(days)}
        text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
        path = store / MANIFEST
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            _write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return result
