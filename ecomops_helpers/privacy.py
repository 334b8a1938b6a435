"""Customer IDs in reports: masked with a per-install secret; raw IDs only in private files.

A masked ID (``t**3·9f2c``) shows an ID's first and last character and four hex digits of an
HMAC keyed with a secret of this installation. Without the secret, the digits cannot be
recomputed from a guessed ID, so a mask cannot be narrowed down to the real ID by trying
candidates. The secret lives outside every report: ``$ECOMOPS_SECRET_FILE``, else
``$XDG_CONFIG_HOME/ecomops/mask.key`` (``~/.config/ecomops/mask.key``), created on first use,
readable by its owner only. Files that hold raw IDs (the CRM lists in ``segments/`` and the
parse cache) are written owner-only with :func:`make_private`. An error that quotes a cell
quotes it with :func:`quote_cell`, masked when it may be personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from functools import cache
from pathlib import Path

import pandas as pd

__all__ = ["mask_id", "make_private", "quote_cell", "secret_path", "PERSONAL_COLUMNS"]

PERSONAL_COLUMNS = frozenset({"customer_id", "user_id", "person_id"})  # canonical names
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_SEPARATORS = re.compile(r"[\s().-]")
E164 = re.compile(r"\+\d{7,15}")  # +8613900000047
CN_MOBILE = re.compile(r"(?:0086|86)?1[3-9]\d{9}")  # 13900000047
SPACED_PHONE = re.compile(r"\+?\d{10,15}")  # (555) 123-4567: only with separators


def secret_path() -> Path:
    """Where this installation's mask secret is kept."""
    if os.environ.get("ECOMOPS_SECRET_FILE"):
        return Path(os.environ["ECOMOPS_SECRET_FILE"])
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "ecomops" / "mask.key"


@cache
def _secret(path: Path) -> bytes:
    """The secret in ``path``, created (owner-only) when there is none yet.

    Where it cannot be written (a read-only home), masks use a secret of this process: they
    still hide the IDs, but differ from run to run.
    """
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key.hex())
    except FileExistsError:  # another process created it first: use theirs
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except OSError:
        pass
    return key


def _shown(ch: str) -> str:
    """A character a mask may show: letters and digits only (never ``= + - @`` or space)."""
    return ch if ch.isalnum() else "*"


def mask_id(customer_id) -> str:
    """Show an ID without revealing it, yet tell rows apart: ``t**3·9f2c``.

    First and last character (never an e-mail's domain, never a sign a spreadsheet reads as a
    formula) and four hex digits of an HMAC with this installation's secret. Any ID masks:
    e-mails, ``@…``, ``=…``, very long, non-ASCII, blank.
    """
    s = str(customer_id)
    tag = hmac.new(_secret(secret_path()), s.encode("utf-8"), hashlib.sha256).hexdigest()[:4]
    local = s.split("@")[0] if "@" in s else s  # never show an e-mail, even partly
    local = local.strip()
    if not local:
        return f"***·{tag}"
    last = _shown(local[-1]) if len(local) > 2 else ""
    return f"{_shown(local[0])}**{last}·{tag}"


def _personal(text: str, column: str | None, ids) -> str | None:
    """What kind of personal data ``text`` looks like in ``column``, or ``None``."""
    if EMAIL.search(text):
        return "an e-mail address"
    digits = PHONE_SEPARATORS.sub("", text)
    separated = digits != text.strip()
    if E164.fullmatch(digits) or CN_MOBILE.fullmatch(digits):
        return "a phone number"
    if separated and SPACED_PHONE.fullmatch(digits):
        return "a phone number"
    if column in PERSONAL_COLUMNS or text.strip() in ids:
        return "a customer ID"
    return None


def quote_cell(value, column: str | None = None, ids: frozenset[str] = frozenset()) -> str:
    """A cell as an error message quotes it: ``'abc'``, or masked when it may be personal.

    A cell that looks like an e-mail or a phone number (whatever its column: a shifted row
    puts them anywhere), any cell of a customer-ID column (``column``: canonical name) and
    any cell among ``ids`` (the customer IDs of its file) is told by kind with its mask:
    ``an e-mail address (l**e·9f2c)``.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "an empty cell"
    kind = _personal(str(value), column, ids)
    return repr(value) if kind is None else f"{kind} ({mask_id(value)})"


def make_private(path: Path) -> Path:
    """Make ``path`` readable by its owner only (0600 for a file, 0700 for a folder).

    Filesystems without Unix permissions (some network shares) keep theirs.
    """
    path = Path(path)
    try:
        path.chmod(0o700 if path.is_dir() else 0o600)
    except OSError:
        pass
    return path
