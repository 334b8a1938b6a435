"""An export's own summary rows: 合计, 汇总值, ``Total: Account``, 平均值, ``Average``.

Platforms write them under the data rows, in whichever text or date column they like
(生意参谋 puts 汇总值 / 平均值 in the 统计日期 column of a custom-range download; 直通车 puts
合计 in the first column; Google Ads writes ``Total: Account`` under Match type). A summary
row is the export's own total, never a data row: the reader takes it out, keeps it as plain
data (:func:`summary_rows`), and, for the columns a kind declares additive
(:attr:`ExportKind.additive`), refuses a file whose sum-like row disagrees with the sum of its
data rows beyond rounding (:func:`refuse_disagreeing`). The ads audit compares its total
rows with the same :func:`compare`, as a table instead of a refusal.

Average rows (平均值, 日均值) are dropped and kept with ``how = "mean"``, never checked: whether
a platform averages over every day of the range or only over days with data is not written
anywhere, and a rate's average is not the mean of the daily rates.

Spellings seen in public code that reads 生意参谋 downloads: 汇总值, 平均值, 全店汇总值,
全店平均值 (customer-service and 整体看板 exports, ``summaryCheck`` lists and tests dropping
``['平均值','汇总值']`` from the first column); 合计 and 总计 in 直通车 / 万相台.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import ExportError
from .cells import NUMERIC_DTYPES, parse_numbers, per_unique
from .kinds import ExportKind

__all__ = [
    "SUM_LABELS",
    "MEAN_LABELS",
    "PER_ROW_ROUNDING",
    "TOTAL_ROUNDING",
    "summary_how",
    "is_summary",
    "summary_labels",
    "summary_rows",
    "compare",
    "refuse_disagreeing",
]

# Labels that alone in a cell make its row a summary row (compared lower case, stripped).
SUM_LABELS = frozenset(
    {
        "合计",
        "总计",
        "汇总",
        "汇总值",
        "全店汇总",
        "全店汇总值",
        "全部",
        "total",
        "totals",
        "sum",
        "grand total",
    }
)
MEAN_LABELS = frozenset({"平均值", "日均值", "全店平均值", "average"})
# … or a word with a colon or dash before what it sums (Google Ads: "Total: Account", "Total:
# Other search terms", "Total - Search"). A word that only starts a value ("total wireless
# plans", a real search term) is data.
_LABELLED = re.compile(r"^(?:grand\s+)?(?:total|合计|总计|汇总|average|平均值)\s*[:：\-–—]")
_MEAN_LABELLED = re.compile(r"^(?:average|平均值)\s*[:：\-–—]")

# How far a sum-like row may sit from its data rows' sum and still agree. Platforms round each
# row's decimals to the cent before writing it, and the total row once more: a column of
# decimals agrees within PER_ROW_ROUNDING per data row plus TOTAL_ROUNDING; whole counts
# (visitors, clicks) within WHOLE_ROUNDING, i.e. exactly.
PER_ROW_ROUNDING = 0.01
TOTAL_ROUNDING = 0.005
WHOLE_ROUNDING = 0.5


def summary_how(label: object) -> str | None:
    """What a summary row's label says it holds: ``"sum"``, ``"mean"``, or ``None`` (data).

    Sums: 汇总值, 全店汇总值, 合计, 总计, ``Total``, ``Total: Account``; means: 平均值, 日均值,
    全店平均值, ``Average``.
    """
    if label is None or (not isinstance(label, str) and pd.isna(label)):
        return None
    text = str(label).strip().lower()
    if text in MEAN_LABELS or _MEAN_LABELLED.search(text):
        return "mean"
    if text in SUM_LABELS or _LABELLED.search(text):
        return "sum"
    return None


def is_summary(s: pd.Series) -> pd.Series:
    """Per cell of ``s``: whether it is a summary row's label (looked at once per text)."""

    def check(u: pd.Series) -> pd.Series:
        text = u.astype("string").str.strip().str.lower()
        return (
            text.isin(SUM_LABELS | MEAN_LABELS)
            | text.str.contains(_LABELLED)
            | text.str.contains(_MEAN_LABELLED)
        ).fillna(False)

    return per_unique(s, check).fillna(False).astype(bool)


def summary_labels(raw: pd.DataFrame, kind: ExportKind) -> pd.Series:
    """Per row of ``raw``, the summary label in any of its text or date cells (NA: data).

    ``raw`` holds the file's cells under canonical names, plus ``_label`` (the first column,
    read whatever it maps to).
    """
    names = {c.name: c for c in kind.columns}
    looked = ("str", "date", "datetime")
    cols = [
        c
        for c in raw.columns
        if c == "_label" or (c in names and names[c].dtype in looked and c not in kind.levels)
    ]
    found = pd.Series(pd.NA, index=raw.index, dtype="string")
    for c in cols:
        hit = is_summary(raw[c]) & found.isna()
        if hit.any():
            found[hit] = raw.loc[hit, c].astype("string").str.strip()
    return found


def summary_rows(kind: ExportKind, rows: pd.DataFrame, labels: pd.Series) -> list[dict]:
    """The summary rows as plain data: label, how (sum / mean), file row, and their numbers."""
    out = []
    for (_, row), label in zip(rows.iterrows(), labels):
        entry: dict = {"label": str(label), "how": summary_how(label), "row": int(row["_row"])}
        for c in kind.columns:
            if c.name not in rows:
                continue
            if c.dtype in NUMERIC_DTYPES:
                value, bad = parse_numbers(pd.Series([row[c.name]], dtype=object), c.dtype)
                entry[c.name] = (
                    None if bad.iloc[0] or pd.isna(value.iloc[0]) else float(value.iloc[0])
                )
            elif c.dtype == "str" and pd.notna(row[c.name]) and str(row[c.name]).strip() != label:
                entry[c.name] = str(row[c.name]).strip()
        out.append(entry)
    return out


def compare(values: pd.Series, total: float, per_row: float = PER_ROW_ROUNDING) -> dict:
    """A total row's value against the sum of ``values``: the sum, the difference, agreement.

    Whole counts must agree exactly; decimals within ``per_row`` per value plus
    :data:`TOTAL_ROUNDING` (each value and the total rounded to the cent by the platform).
    """
    present = values.dropna()
    summed = float(present.sum())
    diff = float(total) - summed
    whole = bool((present % 1 == 0).all()) and float(total).is_integer()
    tolerance = WHOLE_ROUNDING if whole else TOTAL_ROUNDING + per_row * len(present)
    return {"rows_sum": summed, "difference": diff, "agrees": abs(diff) <= tolerance}


def refuse_disagreeing(
    name: str,
    path,
    data: pd.DataFrame,
    summaries: list[dict],
    columns: tuple[str, ...],
    headers: dict[str, str],
    per_row: float = PER_ROW_ROUNDING,
) -> None:
    """Raise for the first sum-like summary row whose ``columns`` disagree with ``data``'s sums.

    ``headers`` maps a canonical column to the file's header for it. The error names the
    file, the row, the column and both numbers.
    """
    for total in summaries:
        if total.get("how") != "sum":
            continue
        for c in columns:
            if total.get(c) is None or c not in data or data[c].isna().all():
                continue
            got = compare(data[c], total[c], per_row)
            if got["agrees"]:
                continue
            header = headers.get(c, c)
            n = int(data[c].notna().sum())
            raise ExportError(
                f"{name}: row {total['row']} ('{total['label']}', the export's own total), "
                f"column '{header}' ({c}): the total row says {_number(total[c])}, but the "
                f"{n} data row{'s' if n != 1 else ''} above add up to "
                f"{_number(got['rows_sum'])} (a difference of {_number(got['difference'])}). "
                "The file was edited or cut after download; re-download it.",
                file=path,
                column=c,
                rows=[total["row"]],
            )


def _number(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"
