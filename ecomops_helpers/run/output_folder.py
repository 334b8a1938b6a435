"""The reports folder under crashes and concurrent runs: one run at a time, nothing half-done.

A run writes a day into ``.<date>.tmp-<pid>`` and swaps it in with two renames (the old day
to ``.<date>.old-<pid>``, the new one into place). Whatever a crash leaves, the next run
repairs before it starts, under the folder's lock:

* a temp folder of a dead run is removed;
* an old copy whose day is missing (a crash between the two renames) is put back: the day
  is yesterday's whole, never a mix; one whose day is in place is removed.

The lock (``flock`` on ``.ecomops.lock``) is released by the system when its holder dies, so a
killed run never blocks the next one. A second run waits for it, saying so, and gives up
after ``wait`` seconds with :class:`FolderBusyError`.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from ..errors import EcomopsError

__all__ = [
    "EXIT_BUSY",
    "EXIT_DISK_FULL",
    "EXIT_NOT_WRITABLE",
    "EXIT_USAGE",
    "FolderBusyError",
    "OutputError",
    "locked",
    "output_error",
    "recover",
]

LOCK_FILE = ".ecomops.lock"
EXIT_USAGE = 2  # bad input or usage: a file where the folder goes
EXIT_NOT_WRITABLE = 3  # the reports folder cannot be written: read-only, no permission
EXIT_DISK_FULL = 4  # the disk (or quota) is full
EXIT_BUSY = 5  # another run held the reports folder longer than --wait
_LEFTOVER = re.compile(r"^\.(?P<day>\d{4}-\d{2}-\d{2})\.(?P<what>tmp|old)-\d+$")


class OutputError(EcomopsError, OSError):
    """The reports cannot be written; ``exit_code`` says why (see the README)."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class FolderBusyError(OutputError):
    """Another run holds the reports folder."""

    def __init__(self, message: str):
        super().__init__(message, EXIT_BUSY)


def output_error(err: OSError, out_dir: Path) -> OutputError | None:
    """The one-line error for a failed write into ``out_dir``, or None if it is another kind.

    An error on a file outside ``out_dir`` (an export that cannot be read) is not one.
    """
    where = getattr(err, "filename", None)
    if where and not Path(os.path.abspath(where)).is_relative_to(out_dir):
        return None
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(
            f"cannot write the reports into {out_dir}: the disk is full ({err.strerror}). "
            "Free space and run again; yesterday's reports are kept.",
            EXIT_DISK_FULL,
        )
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"cannot write the reports into {out_dir}: {err.strerror.lower()}. "
            "Give the run a folder it may write (--out), or fix its permissions.",
            EXIT_NOT_WRITABLE,
        )
    return None


@contextmanager
def locked(out_dir: Path, wait: float = 600.0, say=print):
    """Hold the reports folder's lock while the block runs; wait up to ``wait`` seconds."""
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


def recover(out_dir: Path) -> list[str]:
    """Repair what crashed runs left in ``out_dir`` (call with the lock held); says what."""
    done = []
    if not out_dir.is_dir():
        return done
    for entry in sorted(out_dir.iterdir()):
        m = _LEFTOVER.match(entry.name)
        if not m or not entry.is_dir():
            continue
        day = out_dir / m["day"]
        if m["what"] == "old" and not day.exists():
            entry.rename(day)  # the crash fell between the swap's two renames
            done.append(f"restored {day.name} from an interrupted run")
        else:
            shutil.rmtree(entry, ignore_errors=True)
            done.append(f"removed {entry.name} left by an interrupted run")
    return done
