"""The reports folder under crashes and concurrent runs: one run at a time, nothing half-done.

A run writes a day into ``.<date>.tmp-<pid>`` and swaps it in with two renames (the old day
to ``.<date>.old-<pid>``, the new one into place). Whatever a crash leaves, the next run
repairs before it starts, under the folder's lock:

* a temp folder of a dead run is removed;
* an old copy whose day is missing (a crash between the two renames) is put back: the day
  is yesterday's whole, never a mix; one whose day is in place is removed.

The lock is :func:`~ecomops_helpers.locking.locked`, which ``ecomops ingest`` holds on a
store too.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

from ..locking import OutputError

__all__ = ["EXIT_DISK_FULL", "EXIT_NOT_WRITABLE", "output_error", "recover"]

EXIT_NOT_WRITABLE = 3  # the reports folder cannot be written: read-only, no permission
EXIT_DISK_FULL = 4  # the disk (or quota) is full
_LEFTOVER = re.compile(r"^\.(?P<day>\d{4}-\d{2}-\d{2})\.(?P<what>tmp|old)-\d+$")


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
