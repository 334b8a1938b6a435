"""One error family: every message names the file, the column, the row and the fix."""

from __future__ import annotations

__all__ = [
    "EcomopsError",
    "ExportError",
    "ExportConflictError",
    "MissingExportError",
    "NoUsableExportError",
]


class EcomopsError(Exception):
    """Base class of every error ecomops raises on purpose."""


class ExportError(EcomopsError, ValueError):
    """An export file cannot be read or holds values outside what its kind allows."""

    def __init__(self, message: str, *, file=None, column=None, rows=None):
        self.file = file
        self.column = column
        self.rows = list(rows) if rows is not None else []
        super().__init__(message)


class ExportConflictError(ExportError):
    """Two files carry different values for the same key (e.g. the same date)."""


class MissingExportError(EcomopsError, LookupError):
    """A required export kind has no file in the data folder."""


class NoUsableExportError(MissingExportError, ExportError):
    """Every file of a kind was left out: the kind is missing, for the reasons of its files."""
