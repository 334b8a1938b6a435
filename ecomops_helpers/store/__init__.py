"""The history store: every morning's exports kept as Parquet, partitioned by kind and month.

``ecomops ingest --data DIR --store STORE`` appends a folder's exports (:func:`ingest`);
:func:`~ecomops_helpers.sources.open_folder` gives a store the same loader API as a folder,
so every report runs on either. DuckDB reads the Parquet for the heavy aggregations
(:mod:`.queries`). The layout is in :mod:`.layout`.
"""

from .ingest import IngestResult, ingest
from .layout import is_store
from .stored import ExportStore

__all__ = ["ExportStore", "IngestResult", "ingest", "is_store"]
