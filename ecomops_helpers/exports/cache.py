"""A cache of parsed exports: a file that has not changed is parsed once, not every morning.

Operators keep months of downloads in the folder and add one file a day. Each file's header
sniffing (JSON) and parsed table (Parquet) are kept under a key made of the file's absolute
path, a hash of its bytes and the parser's own source, so a changed file or a changed parser
is never served from the cache. The bytes decide, not the modification time: unzipping, ``cp
-p`` and sync tools give a new day's file yesterday's time, and often its size too.
Only successful parses are kept: a broken file raises its error every time.
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

import pandas as pd

from ..paths import ROOT
from ..privacy import make_private

__all__ = ["ExportCache", "default_cache"]

MAX_AGE_DAYS = 60  # entries untouched this long are removed


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

    def inspection(self, path: Path) -> dict | None:
        """The header sniffing of ``path`` as stored, or None."""
        target = self.directory / f"{self._key(path)}.json"
        try:
            return json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def store_inspection(self, path: Path, info) -> None:
        """Keep the header sniffing of ``path`` (an ExportFile, without its cell grid)."""
        data = {f.name: getattr(info, f.name) for f in fields(info) if not f.name.startswith("_")}
        data["path"] = str(data["path"])
        target = self.directory / f"{self._key(path)}.json"
        self._write(
            target,
            lambda tmp: tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8"),
        )

    def frame(self, path: Path, variant: str = "") -> pd.DataFrame | None:
        """The parsed table of ``path`` (read as ``variant`` says) as stored, or None."""
        target = self.directory / f"{self._key(path, variant)}.parquet"
        if not target.exists():
            return None
        try:
            return pd.read_parquet(target)
        except (OSError, ValueError):
            return None

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


def default_cache() -> ExportCache | None:
    """The cache ``ECOMOPS_CACHE_DIR`` names (``off`` disables it), else ``.cache/exports``."""
    setting = os.environ.get("ECOMOPS_CACHE_DIR", "")
    if setting.lower() in ("off", "0", "none", "false"):
        return None
    return ExportCache(Path(setting) if setting else ROOT / ".cache" / "exports")
