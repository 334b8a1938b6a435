"""Ad rows that name a period, not a day: which of overlapping periods count.

An ad report without a date column carries the period named above its header
(``period_start`` … ``period_end``): its rows add up the whole period and cannot be split by
day. Two such reports of one campaign whose periods overlap would count the shared days
twice, so :func:`settle_periods` keeps one of them:

* the newer report wins (``newer``: rows of a later ingest); among reports equally new, the
  longer period, then the later end, then the file whose name sorts last;
* a report whose period overlaps one that counts is dropped whole, for that campaign, even
  where it also covers days the winner does not. Assumed: spend is not spread evenly over a
  period's days, so its rest cannot be apportioned honestly. Those days are named
  (:attr:`Superseded.uncounted`); one report covering the whole span fills them.

So a re-export of a longer period (10-01 … 10-14 after 10-01 … 10-07) replaces the shorter
one whole; of 10-01 … 10-07 and then 10-05 … 10-11 only the second counts, and 10-01 … 10-04
are named as counted by no report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from .source import day_spans

__all__ = ["Superseded", "period_only", "settle_periods"]


def period_only(rows: pd.DataFrame) -> pd.Series:
    """The rows that carry a period and no day of their own."""
    if "period_start" not in rows or "period_end" not in rows:
        return pd.Series(False, index=rows.index)
    dated = rows["date"].notna() if "date" in rows else False
    return rows["period_start"].notna() & rows["period_end"].notna() & ~dated


@dataclass(frozen=True)
class Superseded:
    """A report's period, left out for some campaigns: newer or longer ones overlap it."""

    file: str
    first: date
    last: date
    within: tuple[str, ...]  # the campaigns it no longer counts for
    by: tuple[str, ...]  # the reports whose overlapping periods count instead
    uncounted: tuple[date, ...]  # days of its period that no counted report covers

    def text(self) -> str:
        """One line for the ``ingest`` summary."""
        names = ", ".join(self.within[:3]) + (
            f" and {len(self.within) - 3} more" if len(self.within) > 3 else ""
        )
        return (
            f"{self.file} ({self.first} … {self.last}) dropped for {names}: "
            f"{', '.join(self.by)} overlaps it and a period cannot be split by day, so "
            f"{day_spans(self.uncounted)} are counted by no report; export one period covering "
            "them, or by day, to count them"
        )


def settle_periods(
    rows: pd.DataFrame, within: str | None, newer: pd.Series | None = None
) -> tuple[pd.Series, list[Superseded]]:
    """Which rows count (a mask: every row not :func:`period_only` does), and what lost days.

    ``within``: the column periods compete in (a campaign's periods, never another's);
    ``newer``: a mask of rows newer than the others. The rule is the module's. Only reports
    that leave days counted by no report are returned: one replaced whole needs no word.
    """
    spans = period_only(rows)
    counts = pd.Series(True, index=rows.index)
    if not spans.any():
        return counts, []
    p = rows[spans]
    blocks = pd.DataFrame(
        {
            "within": p[within].astype("string").fillna("") if within in p else "",
            "file": p["_file"].astype("string") if "_file" in p else "",
            "start": pd.to_datetime(p["period_start"]).dt.normalize(),
            "end": pd.to_datetime(p["period_end"]).dt.normalize(),
            "newer": newer[spans] if newer is not None else False,
        }
    )
    order = blocks.drop_duplicates().assign(days=lambda b: b["end"] - b["start"])
    order = order.sort_values(["newer", "days", "end", "file"], ascending=False)
    kept: dict[str, list[tuple]] = {}
    lost: dict[tuple, tuple[str, ...]] = {}  # block → the counted blocks overlapping it
    for b in order.itertuples(index=False):
        counted = kept.setdefault(b.within, [])
        over = sorted({f for s, e, f in counted if s <= b.end and b.start <= e})
        if over:
            lost[(b.within, b.file, b.start, b.end, b.newer)] = tuple(over)
        else:
            counted.append((b.start, b.end, b.file))
    key = list(blocks.itertuples(index=False, name=None))
    counts[spans] = [k not in lost for k in key]
    said: dict[tuple, list[str]] = {}
    for (name, file, start, end, _), by in lost.items():
        days = pd.date_range(start, end)
        for s, e, _f in kept[name]:
            days = days[(days < s) | (days > e)]
        if len(days):
            gone = tuple(days.date)
            said.setdefault((file, start.date(), end.date(), by, gone), []).append(name)
    notes = [
        Superseded(file, first, last, tuple(sorted(names)), by, gone)
        for (file, first, last, by, gone), names in sorted(said.items())
    ]
    return counts, notes
