"""Find, read and validate platform exports (生意参谋, Shopify, Google Ads ...).

A file's *kind* is recognised from its headers, never from its name (without a header, from
what its columns hold). Every reader returns canonical snake_case columns with rates as
fractions and money as numbers; anything that cannot be read that way raises
:class:`~ecomops_helpers.errors.ExportError` naming the file, the column, the rows and what
was expected.

The package: ``kinds`` (what a kind is), ``catalogue/`` (the kinds, by domain), ``reading``
(one file: encodings, grids, header row, cells), ``cells`` and ``dates`` (cell values),
``headerless`` (files without a header), ``folder`` (a folder of files, merged and
joined), ``source`` (what a folder and a history store both answer), ``periods`` (which
overlapping ad periods count). Opening a folder or a store: :mod:`ecomops_helpers.sources`.
"""

from ..errors import ExportConflictError, ExportError, MissingExportError
from .catalogue import KINDS
from .dates import DATE_ORDERS
from .folder import DateNote, ExportFolder, near_miss_error
from .kinds import Column, ExportKind, RowShape
from .reading import ExportFile, detect_encoding, inspect_file, normalize_header, read_export
from .source import ExportSource

__all__ = [
    "Column",
    "ExportKind",
    "RowShape",
    "KINDS",
    "DATE_ORDERS",
    "DateNote",
    "ExportFile",
    "ExportFolder",
    "ExportSource",
    "detect_encoding",
    "normalize_header",
    "read_export",
    "inspect_file",
    "near_miss_error",
    "ExportError",
    "ExportConflictError",
    "MissingExportError",
]
