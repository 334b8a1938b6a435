"""A cache of parsed exports: a file that has not changed is parsed once, not every morning.

Operators keep months of downloads in the folder and add one file a day. Each file's header
sniffing (JSON) and parsed table (Parquet) are kept under a key made of the file's absolute
path, a hash of its bytes and the parser's own source, so a changed file or a changed parser
is never served from the cache. The bytes decide, not the modification time: unzipping, ``cp
-p`` and sync tools give a new day's file yesterday's time, and often its size too.
Only successful parses are kept: a broken file raises its error every time.
Many files parsed at once (a year of daily snapshots) are kept as one *bundle*: one Parquet of
their tables and one JSON index naming each file's key, not thousands of small files; each
file is still found by its own key, so a changed file misses alone.
Set ``ECOMOPS_CACHE_DIR`` to move the cache, or to ``off`` to disable it.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import ROOT
from ..privacy import make_private

__all__ = ["ExportCache", "default_cache"]

MAX_AGE_DAYS = 60  # entries untouched this long are removed
BUNDLE = ".bundle"  # the name's end of a bundle's Parquet and index
BUNDLE_MIN = 16  # fewer entries than this are kept one file each
BUNDLE_TABLE = "__ecomops_table"  # the column of a bundle's Parquet saying whose row it is


def _parser_version() -> str:
    """A hash of the reading code (the exports package, this module included)."""
    digest = hashlib.sha1()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class ExportCache:
    """Parsed exports on disk, keyed by file identity and parser version."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.version = _parser_version()
        self._digests: dict[tuple, str] = {}
        self._index: dict[str, dict] | None = None  # key → its bundle entry (read once)
        self._bundles: dict[str, dict[int, pd.DataFrame]] = {}  # bundle → its tables
        self._lock = threading.Lock()

    def _digest(self, path: Path) -> str:
        """A hash of the file's bytes, computed once per state of the file in this process."""
        st = path.stat()
        state = (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        if state not in self._digests:
            digest = hashlib.sha1()
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
            self._digests[state] = digest.hexdigest()
        return self._digests[state]

    def _key(self, path: Path, variant: str = "") -> str:
        ident = f"{self.version}|{path.resolve()}|{self._digest(path)}|{variant}"
        return hashlib.sha1(ident.encode("utf-8")).hexdigest()

    def _write(self, target: Path, write) -> None:
        """Write an entry owner-only (it holds raw customer IDs), whole or not at all."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        make_private(self.directory)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
            write(tmp)
            os.replace(tmp, target)
        except OSError:  # a read-only or full disk only costs speed
            tmp.unlink(missing_ok=True)

    def _bundled(self) -> dict[str, dict]:
        """Every bundled entry: key → bundle name, table number, attrs or sniffing."""
        with self._lock:
            if self._index is None:
                self._index = {}
                for index in sorted(self.directory.glob(f"*{BUNDLE}.json")):
                    try:
                        self._index.update(json.loads(index.read_text(encoding="utf-8")))
                    except (OSError, ValueError):
                        pass
            return self._index

    def _store_bundle(self, entries: dict[str, dict], table: pd.DataFrame | None) -> str:
        """Write a bundle: its Parquet (when it holds tables), then its index."""
        name = hashlib.sha1("|".join(sorted(entries)).encode()).hexdigest() + BUNDLE
        if table is not None:
            path = self.directory / f"{name}.parquet"
            self._write(path, lambda t: table.to_parquet(t, index=False))
            if not path.exists():
                return name  # not written (a full disk): no index pointing at nothing
        for entry in entries.values():
            entry["bundle"] = name
        text = json.dumps(entries, ensure_ascii=False)
        self._write(self.directory / f"{name}.json", lambda t: t.write_text(text, "utf-8"))
        self._bundled().update(entries)
        return name

    def inspection(self, path: Path) -> dict | None:
        """The header sniffing of ``path`` as stored, or None."""
        key = self._key(path)
        if (entry := self._bundled().get(key)) is not None and "inspection" in entry:
            return json.loads(json.dumps(entry["inspection"]))  # the caller's own lists
        target = self.directory / f"{key}.json"
        try:
            return json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def store_inspections(self, found: list) -> None:
        """Keep the header sniffing of many files (ExportFiles) as one bundle."""
        if len(found) < BUNDLE_MIN:
            for info in found:
                self.store_inspection(info.path, info)
            return
        self._store_bundle({self._key(i.path): {"inspection": _sniffing(i)} for i in found}, None)

    def store_inspection(self, path: Path, info) -> None:
        """Keep the header sniffing of ``path`` (an ExportFile, without its cell grid)."""
        data = _sniffing(info)
        target = self.directory / f"{self._key(path)}.json"
        self._write(
            target,
            lambda tmp: tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8"),
        )

    def frame(self, path: Path, variant: str = "") -> pd.DataFrame | None:
        """The parsed table of ``path`` (read as ``variant`` says) as stored, or None."""
        key = self._key(path, variant)
        target = self.directory / f"{key}.parquet"
        if not target.exists():
            return self._bundled_frame(key)
        try:
            return pd.read_parquet(target)
        except (OSError, ValueError):
            return None

    def has_frame(self, path: Path, variant: str = "") -> bool:
        """Whether the parsed table of ``path`` (read as ``variant`` says) is stored."""
        key = self._key(path, variant)
        entry = self._bundled().get(key)
        return (entry is not None and "table" in entry) or (
            self.directory / f"{key}.parquet"
        ).exists()

    def _bundled_frame(self, key: str) -> pd.DataFrame | None:
        entry = self._bundled().get(key)
        if entry is None or "table" not in entry:
            return None
        name = entry["bundle"]
        with self._lock:
            if name not in self._bundles:
                try:
                    table = pd.read_parquet(self.directory / f"{name}.parquet")
                except (OSError, ValueError):
                    return None
                number = table.pop(BUNDLE_TABLE).to_numpy()
                cuts = np.flatnonzero(np.diff(number)) + 1
                starts = np.r_[0, cuts] if len(number) else np.array([], dtype=int)
                ends = np.r_[cuts, len(number)] if len(number) else starts
                self._bundles[name] = {
                    int(number[a]): table.iloc[a:b].reset_index(drop=True)
                    for a, b in zip(starts, ends)
                }
            df = self._bundles[name].get(entry["table"])
        if df is None:
            return None
        df = df.copy(deep=False)
        df.attrs = json.loads(json.dumps(entry["attrs"]))
        return df

    def store_frames(self, parsed: list[tuple[Path, pd.DataFrame, str]]) -> None:
        """Keep many parsed tables (path, table, variant) at once: bundles, by column types."""
        by_schema: dict[tuple, list] = {}
        for path, df, variant in parsed:
            if not len(df):
                self.store_frame(path, df, variant)
                continue
            schema = tuple((c, str(t)) for c, t in df.dtypes.items())
            by_schema.setdefault(schema, []).append((path, df, variant))
        for group in by_schema.values():
            if len(group) < BUNDLE_MIN:
                for path, df, variant in group:
                    self.store_frame(path, df, variant)
                continue
            try:  # attrs as stored (and read back): plain data, none of the frames' own
                entries = {
                    self._key(path, variant): {
                        "table": n,
                        "attrs": json.loads(json.dumps(df.attrs)),
                    }
                    for n, (path, df, variant) in enumerate(group)
                }
            except (TypeError, ValueError):  # attrs JSON cannot hold: each file alone
                for path, df, variant in group:
                    self.store_frame(path, df, variant)
                continue
            table = pd.concat([df for _, df, _ in group], ignore_index=True)
            table.attrs = {}
            table[BUNDLE_TABLE] = np.repeat(np.arange(len(group)), [len(df) for _, df, _ in group])
            self._store_bundle(entries, table)

    def store_frame(self, path: Path, df: pd.DataFrame, variant: str = "") -> None:
        """Keep the parsed table of ``path`` (``variant``: the settings it was read with)."""
        target = self.directory / f"{self._key(path, variant)}.parquet"
        self._write(target, lambda tmp: df.to_parquet(tmp, index=False))

    def prune(self, max_age_days: float = MAX_AGE_DAYS) -> int:
        """Remove entries not written for ``max_age_days``; returns how many."""
        if not self.directory.is_dir():
            return 0
        cutoff, removed = time.time() - max_age_days * 86400, 0
        for entry in self.directory.iterdir():
            try:
                if entry.stat().st_mtime < cutoff:
                    entry.unlink()
                    removed += 1
            except OSError:
                pass
        return removed


def _sniffing(info) -> dict:
    """An ExportFile as plain data, without its cell grid."""
    data = {f.name: getattr(info, f.name) for f in fields(info) if not f.name.startswith("_")}
    data["path"] = str(data["path"])
    return data


def default_cache() -> ExportCache | None:
    """The cache ``ECOMOPS_CACHE_DIR`` names (``off`` disables it), else ``.cache/exports``."""
    setting = os.environ.get("ECOMOPS_CACHE_DIR", "")
    if setting.lower() in ("off", "0", "none", "false"):
        return None
    return ExportCache(Path(setting) if setting else ROOT / ".cache" / "exports")
