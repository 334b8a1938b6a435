"""Ad reports as the platforms write them: total rows anywhere, one-campaign files, no dates.

The fixtures in ``fixtures/ads_layouts`` follow Google Ads' documented download layouts: a
keyword report whose ``Total: …`` rows carry their label under Match type with ``--`` before
it, and a Performance Max search-terms report (UTF-16, no campaign column, ``All time``).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ecomops_helpers.ads import audit as ads
from ecomops_helpers.ads import review as ads_review
from ecomops_helpers.errors import MissingExportError
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.page.i18n import Messages

LAYOUTS = Path(__file__).parent / "fixtures" / "ads_layouts"
KEYWORDS = "Keyword report totals under match type.csv"
PMAX = "PMax search terms insights.csv"


def _folder(tmp_path, *names, edit=None):
    for name in names:
        shutil.copy(LAYOUTS / name, tmp_path / name)
    if edit:
        path = tmp_path / names[0]
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path


def test_total_rows_are_known_by_their_label_in_any_text_cell(tmp_path):
    folder = ExportFolder(_folder(tmp_path, KEYWORDS), cache=None)
    kw = folder.load("ad_keywords")
    assert len(kw) == 4 and kw["cost"].sum() == pytest.approx(159.00)
    assert "total wireless plans" in set(kw["keyword"])  # a real keyword, not a total
    assert [t["label"] for t in folder.totals["ad_keywords"]] == [
        "Total: All but removed keywords",
        "Total: Search",
        "Total: Account",
    ]


def test_a_search_term_starting_with_total_is_data(tmp_path):
    terms = ExportFolder(_folder(tmp_path, PMAX), cache=None).load("ad_search_terms")
    assert list(terms["search_term"]) == ["total wireless plans", "wireless earbuds"]


def test_totals_agree_within_a_cent_per_row_and_every_label_variant_is_checked(tmp_path):
    audit = ads_review.build_ad_audit(_folder(tmp_path, KEYWORDS), "2025-10-31", lang="en")
    assert set(audit.checks["label"]) == {"Total: All but removed keywords"}
    assert audit.checks["agrees"].all()
    assert audit.headline_table["cost"].sum() == pytest.approx(159.00)
    bulk = pd.read_csv(ads_review.write_actions(audit, tmp_path / "out"), dtype=str)
    assert not bulk["keyword_or_term"].fillna("").str.startswith(("Total", "--")).any()


@pytest.mark.parametrize(
    ("written", "agrees"), [("159.04", True), ("158.96", True), ("159.05", False)]
)
def test_rounding_per_row_is_agreement_a_larger_gap_is_not(tmp_path, written, agrees):
    """Four rows, each rounded to the cent: the total may be 4 cents off (plus its own
    half cent); five cents is a real mismatch."""

    def edit(text):
        return text.replace(
            'All but removed keywords,--,--,--,USD,"5,300",220,159.00',
            f'All but removed keywords,--,--,--,USD,"5,300",220,{written}',
        )

    audit = ads_review.build_ad_audit(
        _folder(tmp_path, KEYWORDS, edit=edit), "2025-10-31", lang="en"
    )
    cost = audit.checks.set_index("column").loc["cost"]
    assert bool(cost["agrees"]) is agrees


def test_whole_counts_must_agree_exactly():
    rows = pd.DataFrame({"_file": ["f", "f"], "clicks": [3, 4], "cost": [1.0, 2.0]})
    totals = [{"file": "f", "label": "Total: Account", "clicks": 8.0, "cost": 3.0}]
    checks = ads.total_checks(rows, totals).set_index("column")
    assert not checks.loc["clicks", "agrees"] and checks.loc["cost", "agrees"]


def test_a_single_campaign_export_is_one_campaign_named_from_the_file(tmp_path):
    audit = ads_review.build_ad_audit(_folder(tmp_path, PMAX), lang="en")
    assert set(audit.rows["ad_search_terms"]["campaign"]) == {"PMax search terms insights"}
    assert any(
        "no campaign column" in b and "PMax search terms insights" in b for b in audit.banners
    )


def test_an_all_time_report_runs_on_the_day_of_the_run_and_says_so(tmp_path):
    audit = ads_review.build_ad_audit(_folder(tmp_path, PMAX), lang="en")
    assert audit.report_date == pd.Timestamp.today().normalize()
    assert audit.assumed and "day of the run" in audit.assumed[0]
    assert audit.trends is None and "trends" in audit.missing
    assert pd.isna(audit.span[0]) and pd.isna(audit.span[1])
    assert (
        ads_review.window_line(audit, Messages("en"))
        == "No row carries a date: every row is audited."
    )
    given = ads_review.build_ad_audit(tmp_path, "2025-12-01", lang="zh")
    assert given.report_date == pd.Timestamp("2025-12-01") and "运行当天" in given.assumed[0]


def test_the_header_range_is_the_datas_own_not_the_audit_window(tmp_path):
    audit = ads_review.build_ad_audit(_folder(tmp_path, KEYWORDS), "2025-11-20", lang="en")
    assert audit.span == (pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-31"))
    assert audit.window[0] == pd.Timestamp("2025-10-22")
    with pytest.raises(MissingExportError, match="Keyword report totals under match type.csv"):
        ads_review.build_ad_audit(tmp_path, "2026-01-15", lang="en")  # nothing in the window


def test_phrase_match_quotes_are_shown_once(tmp_path):
    audit = ads_review.build_ad_audit(_folder(tmp_path, KEYWORDS), "2025-10-31", lang="en")
    texts = [f.what for f in audit.findings]
    assert any("closet organizer" in t for t in texts), texts
    assert not any('""' in t or '"“' in t for t in texts)
    assert ads_review._unquoted('"closet organizer"') == "closet organizer"
    assert ads_review._unquoted("“收纳盒”") == "收纳盒"
    assert ads_review._unquoted("[shoe rack]") == "[shoe rack]"


def test_a_file_lacking_a_column_is_told_its_own_platforms_names(tmp_path):
    head = "Keyword,Campaign,Ad group,Clicks,Cost,Currency code\n"
    (tmp_path / "kw.csv").write_text(head + "bins,C,G,3,1.20,USD\n", encoding="utf-8")
    folder = ExportFolder(tmp_path, cache=None)
    with pytest.raises(Exception, match="impressions") as err:
        folder.load("ad_keywords")
    assert "Impr" in str(err.value) or "impr" in str(err.value)
    assert "展现量" not in str(err.value) and "计划名称" not in str(err.value)


def test_run_refuses_with_the_reason_check_gives(tmp_path):
    head = "Keyword,Campaign,Ad group,Clicks,Cost,Currency code\n"
    (tmp_path / "kw.csv").write_text(head + "bins,C,G,3,1.20,USD\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecomops_helpers.run.cli",
            "run",
            "--data",
            str(tmp_path),
            "--out",
            str(tmp_path / "reports"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "kw.csv" in proc.stderr and "impressions" in proc.stderr
    assert "no export with dated rows" not in proc.stderr
