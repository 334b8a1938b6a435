"""One writer at a time in a folder ecomops writes: a reports folder, a history store.

The lock (``flock`` on ``.ecomops.lock``) is released by the system when its holder dies, so a
killed run or ingest never blocks the next one. A second writer waits for it, saying so, and
gives up after ``wait`` seconds with :class:`FolderBusyError`. Here, below both ``run/`` and
``store/``, so the store takes the lock without importing the runner.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import EcomopsError

__all__ = ["EXIT_BUSY", "EXIT_USAGE", "FolderBusyError", "OutputError", "locked"]

LOCK_FILE = ".ecomops.lock"
EXIT_USAGE = 2  # bad input or usage: a file where the folder goes
EXIT_BUSY = 5  # another writer held the folder longer than --wait


class OutputError(EcomopsError, OSError):
    """A folder ecomops writes cannot be written; ``exit_code`` says why (see the README)."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class FolderBusyError(OutputError):
    """Another run or ingest holds the folder."""

    def __init__(self, message: str):
        super().__init__(message, EXIT_BUSY)


@contextmanager
def locked(out_dir: Path, wait: float = 600.0, say=print):
    """Hold the folder's lock while the block runs; wait up to ``wait`` seconds."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        file = next((p for p in (out_dir, *out_dir.parents) if p.is_file()), out_dir)
        why = "" if file == out_dir else f"cannot make the folder {out_dir}: "
        raise OutputError(
            f"{why}{file} is a file, not a folder. Name a folder (a missing one is made).",
            EXIT_USAGE,
        ) from None
    fd = os.open(out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline, told = time.monotonic() + wait, False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                if time.monotonic() >= deadline:
                    raise FolderBusyError(
                        f"another ecomops run (pid {holder}) is still writing into {out_dir} "
                        f"after {wait:g} s; not run. Run again later, or raise --wait."
                    ) from None
                if not told:
                    say(f"another ecomops run (pid {holder}) is writing into {out_dir}; waiting")
                    told = True
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock; so does the death of the process
