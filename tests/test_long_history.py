"""Every report on more than a year of history: the paths only a long history reaches.

The bundled sample holds 365 days, one short of the same-day-last-year baseline; a shop that
has kept its 生意参谋 downloads for 430 days reaches it (and every other year-long path).
"""

from datetime import date

import pytest

from ecomops_helpers.run.runner import period_notebooks, run_reports
from ecomops_helpers.sample import write_sample_shop

DAYS = 430


@pytest.fixture(scope="module")
def long_shop(tmp_path_factory):
    """430 days of 6 items (4 of them heroes): more than a year of days, few items, since
    the paths checked here depend on the length of the history, not on the number of items."""
    shop = tmp_path_factory.mktemp("long-shop")
    write_sample_shop(shop, end=date(2026, 10, 21), days=DAYS, items=6)
    return shop


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_report_runs_on_430_days_of_history(long_shop, tmp_path, lang):
    run = run_reports(
        long_shop, "2026-10-21", tmp_path / "reports", lang=lang, progress=lambda _: None
    )
    morning = period_notebooks("day", "2026-10-21")  # a Wednesday: the weekly is not among them
    assert [r.name for r in run.reports] == morning
    assert {r.name: r.status for r in run.reports} == {n: "ok" for n in morning}, [
        r.error for r in run.reports
    ]
    daily = (run.folder / "daily_review.html").read_text(encoding="utf-8")
    assert ("去年同日" if lang == "zh" else "same day last year") in daily
