"""Four mornings into one folder: the reports live inside the data folder and are never read.

Each morning the operator replaces the exports in ``myshop/`` with the day's downloads and
runs ``ecomops run --data myshop --out myshop/reports``, the README's cron line with the
output inside the data folder. The mornings cross a month end and a Monday (the weekly
review joins the day's reports).
"""

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.page.report_page import read_history
from ecomops_helpers.run.cli import main
from ecomops_helpers.sample import write_sample_shop

FIRST = date(2026, 10, 30)
MORNINGS = 4  # Fri 30 Oct … Mon 2 Nov: crosses the end of October and a Monday
FRESH_ON = {1, 3}  # mornings also run in a clean folder: the second, the last (after month end)


def _drop(staging: Path, shop: Path) -> set[str]:
    """Replace the exports of ``shop`` (never its reports) with the files in ``staging``."""
    for f in shop.iterdir():
        if f.is_file():
            f.unlink()
    for f in staging.iterdir():
        shutil.copy2(f, shop / f.name)
    return {f.name for f in staging.iterdir()}


def _comparable(day: Path) -> dict:
    """What must not differ between two runs on the same files: statuses, actions, headlines."""
    summary = json.loads((day / "summary.json").read_text(encoding="utf-8"))
    return {
        r["name"]: (r["status"], r["error"], r["actions"], r["warnings"], r["headline"])
        for r in summary["reports"]
    }


def _run(data: Path, out: Path, capsys) -> str:
    code = main(["run", "--data", str(data), "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.out + printed.err
    return printed.out


@pytest.mark.slow
def test_four_mornings_into_the_data_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    shop = tmp_path / "myshop"
    shop.mkdir()
    reports = shop / "reports"
    for k in range(MORNINGS):
        day = FIRST + timedelta(days=k)
        staging = tmp_path / "downloads" / day.isoformat()
        write_sample_shop(staging, end=day, days=45, items=6)
        dropped = _drop(staging, shop)

        # the data folder holds exactly the day's downloads: nothing a run wrote is read
        folder = ExportFolder(shop)
        assert {f.path.name for f in folder.files} == dropped
        assert all(f.path.parent == shop for f in folder.files)
        if k:
            assert (reports, "ecomops output folder") in folder.skipped

        printed = _run(Path("myshop"), Path("myshop/reports"), capsys)
        assert "not recognised" not in printed and "unreadable" not in printed, printed
        today = reports / day.isoformat()
        weekly = ["weekly_review.html"] if day.weekday() == 0 else []  # Mondays add the week
        assert sorted(p.name for p in today.glob("*.html")) == [
            "competitor_tracking.html",
            "customer_segmentation.html",
            "daily_review.html",
            "index.html",
            "paid_ads_audit.html",
            *weekly,
        ]
        # the index trend grows one point a morning
        history = read_history(reports, day.isoformat())
        assert [h["date"] for h in history] == [
            (FIRST + timedelta(days=i)).isoformat() for i in range(k + 1)
        ]
        index = (today / "index.html").read_text(encoding="utf-8")
        points = re.findall(r"<polyline points='([^']*)'", index)
        if k:
            # the daily reports' trends gain a point a morning, the weekly review's a Monday
            mondays = sum((FIRST + timedelta(days=i)).weekday() == 0 for i in range(k + 1))
            lengths = {len(p.split()) for p in points}
            assert points and lengths <= {k + 1, mondays} and k + 1 in lengths, lengths
        else:
            assert not points

        if k in FRESH_ON:  # the same files in a clean folder give the same reports
            clean_out = tmp_path / "clean" / day.isoformat()
            _run(staging, clean_out, capsys)
            assert _comparable(today) == _comparable(clean_out / day.isoformat())

    # the reports folder itself, given as data, reads as nothing
    assert ExportFolder(reports).files == []
