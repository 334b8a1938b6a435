"""DuckDB connections for the heavy aggregations, with their memory bounded.

Every aggregation that may see millions of rows (customer summaries, funnels, activity)
opens its connection here. DuckDB keeps within ``ECOMOPS_DUCKDB_MEMORY`` (default 3 GB) and
spills what does not fit to a temporary folder (``ECOMOPS_DUCKDB_TEMP``, default the
system's), so a behaviour log of hundreds of millions of events is counted on a small
machine, slower rather than killed. Sources are a pandas frame or Parquet files.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

__all__ = ["connect", "relation", "MEMORY_DEFAULT"]

MEMORY_DEFAULT = "3GB"


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection within the memory limit, spilling to a temp folder."""
    con = duckdb.connect()
    con.execute(f"set memory_limit = '{os.environ.get('ECOMOPS_DUCKDB_MEMORY', MEMORY_DEFAULT)}'")
    temp = os.environ.get("ECOMOPS_DUCKDB_TEMP") or str(
        Path(tempfile.gettempdir()) / "ecomops-duckdb"
    )
    con.execute(f"set temp_directory = '{temp}'")
    con.execute("set preserve_insertion_order = false")  # lets big aggregations stream
    return con


def relation(con, name: str, source, columns: list[str] | dict[str, str]) -> None:
    """Make ``source`` (a frame, or Parquet files: a path, a glob or a list) the view ``name``.

    ``columns`` lists the columns the view keeps, or maps each to its name in the view.
    """
    names = columns if isinstance(columns, dict) else {c: c for c in columns}
    if isinstance(source, pd.DataFrame):
        frame = source[list(names)].set_axis(list(names.values()), axis=1)
        rel = con.from_arrow(pa.Table.from_pandas(frame, preserve_index=False))
    else:
        files = [str(p) for p in source] if isinstance(source, list) else str(source)
        rel = con.read_parquet(files).select(", ".join(f'"{c}" as "{v}"' for c, v in names.items()))
    rel.create_view(name)
