"""Where a store keeps each kind's rows, and which column says a row's day.

::

    STORE/
      ecomops-store.json                  the manifest: files ingested, each kind's notes
      kind=orders/month=2026-10/2026-10-03.parquet
      kind=orders/month=2026-10/2026-10-04.parquet
      kind=ad_keywords/month=2026-10/2026-10-01~2026-10-07.parquet
      kind=customer_map/month=undated/undated.parquet

One Parquet file per kind and day, so a re-export of a day replaces one file. Ad rows that
name a period, not a day, are one file per period (``first~last``, under its first day's
month); of overlapping periods only those :func:`~ecomops_helpers.exports.periods.settle_periods`
keeps are on disk. Rows of a kind that carry no day (the plan, the customer map, ad reports for
``All time``) are one ``undated`` file, replaced by the newest export of them. The ``kind=``
and ``month=`` folders are Hive partitions, so DuckDB and pyarrow can prune by them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from ..exports.catalogue import KINDS
from ..exports.catalogue.customers import SPLIT_ORDER_KINDS

__all__ = [
    "MANIFEST",
    "UNDATED",
    "day_column",
    "is_store",
    "kind_dir",
    "part_days",
    "part_path",
    "period_keys",
    "replace_within",
    "stored_kinds",
]

MANIFEST = "ecomops-store.json"
UNDATED = "undated"
PERIOD = "~"  # 2026-10-01~2026-10-07: the part of a period's rows

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


def period_keys(first: pd.Series, last: pd.Series) -> pd.Series:
    """The part of each row's period: ``2026-10-01~2026-10-07``."""
    day = "%Y-%m-%d"
    return pd.to_datetime(first).dt.strftime(day) + PERIOD + pd.to_datetime(last).dt.strftime(day)


def part_days(day: str) -> tuple[date, ...]:
    """The days a part holds: its day, every day of its period, none when ``undated``."""
    if day == UNDATED:
        return ()
    first, _, last = day.partition(PERIOD)
    return tuple(pd.date_range(first, last or first).date)


def part_path(store: Path, kind: str, day: str) -> Path:
    """The Parquet file of one kind's day (``YYYY-MM-DD``, a period, or ``undated``)."""
    month = day[:7] if day != UNDATED else UNDATED
    return kind_dir(store, kind) / f"month={month}" / f"{day}.parquet"
