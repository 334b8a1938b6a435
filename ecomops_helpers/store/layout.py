"""Where a store keeps each kind's rows, and which column says a row's day.

::

    STORE/
      ecomops-store.json                  the manifest: files ingested, each kind's notes
      kind=orders/month=2026-10/2026-10-03.parquet
      kind=orders/month=2026-10/2026-10-04.parquet
      kind=customer_map/month=undated/undated.parquet

One Parquet file per kind and day, so a re-export of a day replaces one file. Rows of a kind
that carry no day (the plan, the customer map, ad reports for ``All time``) are one
``undated`` file, replaced by the newest export of them. The ``kind=`` and ``month=``
folders are Hive partitions, so DuckDB and pyarrow can prune by them.
"""

from __future__ import annotations

from pathlib import Path

from ..exports.catalogue import KINDS
from ..exports.catalogue.customers import SPLIT_ORDER_KINDS

__all__ = [
    "MANIFEST",
    "UNDATED",
    "day_column",
    "is_store",
    "kind_dir",
    "part_path",
    "replace_within",
    "stored_kinds",
]

MANIFEST = "ecomops-store.json"
UNDATED = "undated"

# kinds a day is replaced within, by this column: each rival shop's snapshot, each campaign
REPLACE_WITHIN = {
    "competitor_listings": "shop",
    "competitor_keywords": "shop",
    "ad_keywords": "campaign",
    "ad_search_terms": "campaign",
    "ad_plans": "campaign",
}


def is_store(path: str | Path) -> bool:
    """Whether ``path`` is a history store (it holds the manifest)."""
    return (Path(path) / MANIFEST).is_file()


def stored_kinds() -> list[str]:
    """The kinds a store keeps: all but the split order tables, kept joined as ``orders``."""
    return [k for k in KINDS if k not in SPLIT_ORDER_KINDS]


def day_column(kind: str, columns) -> str | None:
    """The column giving a row's day: the kind's first date or datetime column present."""
    for c in KINDS[kind].columns:
        if c.dtype in ("date", "datetime") and c.name in columns and c.name != "listed_on":
            return c.name
    return None


def replace_within(kind: str) -> str | None:
    """The column a re-export replaces a day within (rivals by shop, ads by campaign)."""
    return REPLACE_WITHIN.get(kind)


def kind_dir(store: Path, kind: str) -> Path:
    """The folder of one kind's partitions."""
    return store / f"kind={kind}"


def part_path(store: Path, kind: str, day: str) -> Path:
    """The Parquet file of one kind's day (``YYYY-MM-DD``, or ``undated``)."""
    month = day[:7] if day != UNDATED else UNDATED
    return kind_dir(store, kind) / f"month={month}" / f"{day}.parquet"
