"""Rival snapshots as they come: every optional column may be absent, in every computation.

The sample's rival listings are written back as plain per-day CSVs (``shop,item_id,title,
price,…``), one optional column left out at a time; the report must compute, and say what it
could not show. They come from ``small_shop``: the sample's generator writes the same rivals
whatever the shop's size, beside 180 days of 6 items of mine instead of 365 days of 40.
"""

import shutil

import pytest

from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.rivals.review import SNAPSHOT_COLUMNS, build_rival_review, column_notes
from ecomops_helpers.run.runner import run_reports

OPTIONAL = ["promo_price", "monthly_sales", "review_count", "listed_on"]


def _snapshots(shop, out, drop=(), rename=None):
    """The shop's rival snapshots without the ``drop`` columns, beside my item exports."""
    out.mkdir()
    for f in shop.iterdir():
        if f.name.startswith(("商品效果", "市场-", "竞店分析")):
            shutil.copy(f, out / f.name)
    listings = ExportFolder(shop).load("competitor_listings")
    keep = ["shop", "item_id", "title", "price", *[c for c in OPTIONAL if c not in drop]]
    for day, g in listings.groupby("date"):
        g[keep].rename(columns=rename or {}).to_csv(out / f"rivals_{day:%Y%m%d}.csv", index=False)
    return out


@pytest.mark.parametrize("column", OPTIONAL)
def test_each_optional_column_left_out_in_turn(small_shop, tmp_path, column):
    review = build_rival_review(_snapshots(small_shop, tmp_path / "d", drop=[column]), lang="en")
    assert f"column_{column}" in review.missing
    assert [n for n in column_notes(review)] == [review.missing[f"column_{column}"]]
    if column == "monthly_sales":
        assert review.tier is None and "tier" in review.missing
        assert "sales_jump" not in set(review.changes["change"])
    assert len(review.listings) > 0 and review.findings is not None


def test_every_optional_column_names_what_it_feeds():
    assert set(SNAPSHOT_COLUMNS) == set(OPTIONAL)


def test_a_sales_column_headed_the_way_tools_write_it(small_shop, tmp_path):
    d = _snapshots(small_shop, tmp_path / "d", rename={"monthly_sales": "商品月销量"})
    review = build_rival_review(d, lang="zh")
    assert "column_monthly_sales" not in review.missing and review.tier is not None


@pytest.mark.slow
def test_the_report_renders_without_any_optional_column(small_shop, tmp_path):
    d = _snapshots(small_shop, tmp_path / "d", drop=OPTIONAL)
    run = run_reports(
        d,
        "2026-10-21",
        tmp_path / "r",
        notebooks=["competitor_tracking"],
        lang="en",
        progress=lambda _: None,
    )
    report = run.reports[0]
    assert report.status == "ok", report.error
    page = report.html.read_text(encoding="utf-8")
    assert "no monthly-sales column" in page and "no review-count column" in page
