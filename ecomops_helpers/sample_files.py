"""Tables written as the platforms write their exports, for the sample shop and benchmarks.

CSV in a given encoding with title rows, ``.xlsx`` with a title line, HTML saved as ``.xls``,
``1,234.50`` amounts and ``12.34%`` rates with ``-`` for missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["money_text", "percent_text", "write_csv", "write_html_xls", "write_xlsx"]


def percent_text(values: pd.Series) -> pd.Series:
    """Rates as 生意参谋 writes them: ``12.34%``, ``-`` for missing."""
    return values.map(lambda v: "-" if pd.isna(v) else f"{v * 100:.2f}%")


def money_text(values: pd.Series) -> pd.Series:
    """Amounts with thousands separators: ``1,234.50``, ``-`` for missing."""
    return values.map(lambda v: "-" if pd.isna(v) else f"{v:,.2f}")


def write_csv(df: pd.DataFrame, path: Path, encoding: str, title: list[str] | None = None):
    """A CSV in ``encoding`` with CRLF lines, below the ``title`` lines a platform puts first."""
    body = df.to_csv(index=False, lineterminator="\r\n")
    head = "".join(f"{line}\r\n" for line in (title or []))
    path.write_bytes((head + body).encode(encoding))


def write_xlsx(df: pd.DataFrame, path: Path, title: str | None = None):
    """An ``.xlsx`` workbook, with a title line above the header when given."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(list(df.columns))
    for row in df.itertuples(index=False):
        sheet.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row])
    book.save(path)


def write_html_xls(df: pd.DataFrame, path: Path, encoding: str = "gbk"):
    """An HTML table saved as ``.xls``, as 评价管理 and many Taobao tools export."""
    cells = "".join(f"<th>{c}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>\n"
        for row in df.itertuples(index=False)
    )
    html = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">'
        f"</head><body><table border=1><tr>{cells}</tr>\n{body}</table></body></html>"
    )
    path.write_bytes(html.encode(encoding, errors="replace"))
