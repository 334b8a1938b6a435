"""The history store counts each day of a period-only ad report once.

Google Ads' keyword report without a Day segment names its period above the header; two
mornings' downloads of overlapping periods must not add the shared days twice. Every
expected spend is read from the CSV cells the test wrote, never from the reader.
"""

import csv

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.run.cli import main
from ecomops_helpers.store import ExportStore, ingest

HEADER = ["Keyword", "Campaign", "Ad group", "Impr.", "Clicks", "Cost", "Conversions"]
KEYWORDS = {"US - Bins": ("storage bins", "bins with lids"), "US - Shelves": ("wall shelf",)}
DAYS = pd.date_range("2026-10-01", "2026-10-14")
# each keyword's spend per day, in cents: what the platform adds up over a period
SPEND = {
    (c, k): dict(zip(DAYS, np.random.default_rng(i).integers(1_000, 90_000, len(DAYS))))
    for i, (c, k) in enumerate((c, k) for c, ks in KEYWORDS.items() for k in ks)
}


def _report(folder, first, last, campaigns=tuple(KEYWORDS)):
    """A keyword report of ``first`` … ``last`` as Google Ads writes it: the period above."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"Keyword report {first:%m%d}-{last:%m%d}.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Keyword report"])
        out.writerow([f"{first:%B} {first.day}, {first.year} - {last:%B} {last.day}, {last.year}"])
        out.writerow(HEADER)
        for (campaign, keyword), cents in SPEND.items():
            if campaign in campaigns:
                cost = sum(v for d, v in cents.items() if first <= d <= last) / 100
                out.writerow([keyword, campaign, "Ad group 1", "1,200", "90", f"{cost:,.2f}", "3"])
    return path


def _cells(*paths) -> dict[str, float]:
    """The Cost cells of each campaign, summed over ``paths``, from the raw CSV text."""
    spend: dict[str, float] = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            rows = list(csv.reader(f))[3:]
        for row in rows:
            spend[row[1]] = spend.get(row[1], 0.0) + float(row[5].replace(",", ""))
    return spend


def _union(first, last) -> dict[str, float]:
    """Each campaign's spend over every day of ``first`` … ``last``, counted once."""
    days = pd.date_range(first, last)
    out: dict[str, float] = {}
    for (campaign, _), cents in SPEND.items():
        out[campaign] = out.get(campaign, 0.0) + sum(cents[d] for d in days) / 100
    return out


def _stored(store) -> dict[str, float]:
    rows = ExportStore(store).load("ad_keywords")
    return rows.groupby("campaign")["cost"].sum().to_dict()


def _periods(store) -> list[str]:
    return sorted(p.stem for p in (store / "kind=ad_keywords").rglob("*.parquet"))


def test_a_re_export_of_a_longer_period_replaces_the_shorter_one(tmp_path):
    store = tmp_path / "store"
    _report(tmp_path / "mon", "2026-10-01", "2026-10-07")
    ingest(tmp_path / "mon", store)
    longer = _report(tmp_path / "tue", "2026-10-01", "2026-10-14")
    result = ingest(tmp_path / "tue", store)
    assert _stored(store) == pytest.approx(_cells(longer))
    assert _cells(longer) == pytest.approx(_union("2026-10-01", "2026-10-14"))
    assert _periods(store) == ["2026-10-01~2026-10-14"] and not result.lost


def test_overlapping_periods_count_once_and_the_days_no_report_counts_are_named(tmp_path, capsys):
    store = tmp_path / "store"
    older = _report(tmp_path / "mon", "2026-10-01", "2026-10-07")
    assert main(["ingest", "--data", str(tmp_path / "mon"), "--store", str(store)]) == 0
    newer = _report(tmp_path / "tue", "2026-10-05", "2026-10-11")
    capsys.readouterr()
    assert main(["ingest", "--data", str(tmp_path / "tue"), "--store", str(store)]) == 0
    # the newer report wins its days; the older cannot be cut to 10-01 … 10-04: dropped, named
    said = capsys.readouterr().out
    assert f"{older.name} (2026-10-01 … 2026-10-07) dropped for US - Bins, US - Shelves" in said
    assert "2026-10-01 … 2026-10-04 are counted by no report" in said
    assert _stored(store) == pytest.approx(_cells(newer))
    both = _cells(older, newer)
    assert all(_stored(store)[c] < both[c] for c in KEYWORDS)  # never both added
    # one report over the union fills the days the overlap lost: each day counted once
    union = _report(tmp_path / "wed", "2026-10-01", "2026-10-11")
    ingest(tmp_path / "wed", store)
    assert _stored(store) == pytest.approx(_cells(union))
    assert _cells(union) == pytest.approx(_union("2026-10-01", "2026-10-11"))
    assert _periods(store) == ["2026-10-01~2026-10-11"]


def test_a_periods_re_export_of_one_campaign_keeps_the_others(tmp_path):
    store = tmp_path / "store"
    week = _report(tmp_path / "mon", "2026-10-01", "2026-10-07")
    ingest(tmp_path / "mon", store)
    bins = _report(tmp_path / "tue", "2026-10-01", "2026-10-14", campaigns=("US - Bins",))
    ingest(tmp_path / "tue", store)
    assert _stored(store) == pytest.approx(
        {"US - Bins": _cells(bins)["US - Bins"], "US - Shelves": _cells(week)["US - Shelves"]}
    )


def test_overlapping_periods_in_one_folder_settle_as_over_two_mornings(tmp_path):
    _report(tmp_path / "data", "2026-10-01", "2026-10-07")
    later = _report(tmp_path / "data", "2026-10-05", "2026-10-11")
    result = ingest(tmp_path / "data", tmp_path / "store")
    assert _stored(tmp_path / "store") == pytest.approx(_cells(later))  # the later end wins
    assert "2026-10-01 … 2026-10-04" in result.lost["ad_keywords"][0]
    # ingesting the same folder again changes nothing
    assert ingest(tmp_path / "data", tmp_path / "store").days == {}
    assert _periods(tmp_path / "store") == ["2026-10-05~2026-10-11"]
