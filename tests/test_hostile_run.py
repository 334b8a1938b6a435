"""A run over hostile exports: texts from the files stay data in every chart, page and CSV.

Customer IDs that are formulas or start with ``@``, campaign names with ``$`` (matplotlib
math), rival titles that are formulas: every report still runs, no CSV cell reaches a
spreadsheet as a formula, and no page shows a raw customer ID.
"""

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ecomops_helpers.run.cli import main
from ecomops_helpers.safe_csv import FORMULA_STARTS

HOSTILE_IDS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "@alice", "=1+1"]
CAMPAIGNS = ["$$ 双11大促 $$", "满$99减$10"]
TITLES = ["=cmd|' /C calc'!A0", "+收纳盒 大号", "@宿舍 衣架"]


def _hostile_shop(shop: Path, into: Path) -> Path:
    shutil.copytree(shop, into)
    orders = into / "ExportOrderList_订单报表.csv"
    o = pd.read_csv(orders, encoding="gb18030", dtype=str, keep_default_na=False)
    buyers = o["买家会员名"].drop_duplicates().head(len(HOSTILE_IDS))
    o["买家会员名"] = o["买家会员名"].replace(dict(zip(buyers, HOSTILE_IDS)))
    o.to_csv(orders, index=False, encoding="gb18030")
    ads = next(into.glob("直通车_关键词报表_*.csv"))
    text = ads.read_text(encoding="gb18030")
    rows = [line.split(",")[1] for line in text.splitlines()[4:] if line.count(",") > 5]
    names = pd.Series(rows).value_counts().index  # the biggest campaigns: drawn in the charts
    for old, new in zip(names, CAMPAIGNS):
        text = text.replace(f",{old},", f",{new},")
    ads.write_text(text, encoding="gb18030")
    for rivals in into.glob("店侦探_*.csv"):
        r = pd.read_csv(rivals, encoding="gb18030", dtype=str, keep_default_na=False)
        r.loc[: len(TITLES) - 1, "宝贝标题"] = TITLES[: len(r)]
        r.to_csv(rivals, index=False, encoding="gb18030")
    return into


@pytest.mark.slow
def test_every_report_runs_and_every_csv_is_safe(small_shop, tmp_path, capsys):
    data = _hostile_shop(small_shop, tmp_path / "shop")  # every export kind, 180 days
    code = main(["run", "--data", str(data), "--out", str(tmp_path / "out")])
    printed = capsys.readouterr()
    assert code == 0, printed.out + printed.err
    assert "FAILED" not in printed.out
    day = next(p for p in (tmp_path / "out").iterdir() if p.is_dir() and p.name[0].isdigit())
    written = sorted(day.rglob("*.csv"))
    assert len(written) > 10
    live = [
        (p.name, cell)
        for p in written
        for row in csv.reader(p.open(encoding="utf-8-sig", newline=""))
        for cell in row
        if cell.startswith(FORMULA_STARTS) and not _number(cell)
    ]
    assert not live, live[:5]
    pages = "\n".join(p.read_text(encoding="utf-8") for p in day.glob("*.html"))
    for raw in HOSTILE_IDS:
        assert raw not in pages and raw.replace('"', "&quot;") not in pages


def _number(cell: str) -> bool:
    """A negative number (-12.5) is a value, not a formula."""
    try:
        float(cell)
        return True
    except ValueError:
        return False
