"""The paid-ads arithmetic and rules, each at its boundary, and the ad exports as platforms write them."""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomops_helpers.ads import audit as ads
from ecomops_helpers.ads import review as ads_review
from ecomops_helpers.ads.audit import AdThresholds
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.page.actions import actions_html
from ecomops_helpers.page.i18n import Messages
from ecomops_helpers.page.notebook import table_html
from ecomops_helpers.safe_csv import neutralise

FIXTURES = Path(__file__).parent / "fixtures" / "ads"
T = Messages("zh")


def _kw(keyword, clicks, orders, cost, gmv, impressions=None, **extra):
    return {
        "currency": "CNY",
        "campaign": "C",
        "ad_group": "G",
        "keyword": keyword,
        "impressions": impressions if impressions is not None else clicks * 20,
        "clicks": clicks,
        "cost": cost,
        "orders": orders,
        "gmv": gmv,
        **extra,
    }


# an anchor keyword makes the campaign's conversion rate 4 % (CTR 5 %, AOV 100, ROAS 4)
ANCHOR = _kw("anchor", 100_000, 4_000, 100_000.0, 400_000.0, impressions=2_000_000)


def _decide(*rows, **th):
    t = ads.decide_keywords(pd.DataFrame([ANCHOR, *rows]), AdThresholds(**th))
    return t.set_index("keyword")


# --------------------------------------------------------------------------- arithmetic


def test_ratios_are_recomputed_from_sums_after_aggregation_never_averaged():
    days = pd.DataFrame(
        [
            _kw("x", 1, 1, 2.0, 50.0, impressions=10, date=pd.Timestamp("2026-10-01")),
            _kw("x", 90, 3, 88.0, 150.0, impressions=1000, date=pd.Timestamp("2026-10-02")),
        ]
    )
    t = ads.with_ratios(ads.aggregate(days, ads.KEYWORD_KEY)).iloc[0]
    assert t["ctr"] == pytest.approx(91 / 1010)  # the mean of 10 % and 9 % would be 9.5 %
    assert t["cpc"] == pytest.approx(90 / 91)
    assert t["cvr"] == pytest.approx(4 / 91)
    assert t["roas"] == pytest.approx(200 / 90)
    assert t["acos"] == pytest.approx(90 / 200)
    assert t["cpa"] == pytest.approx(90 / 4)
    decided = ads.decide_keywords(days, AdThresholds()).iloc[0]
    assert decided["ctr"] == pytest.approx(91 / 1010) and decided["roas"] == pytest.approx(200 / 90)


def test_a_ratio_without_its_denominator_is_missing_not_zero():
    t = ads.with_ratios(pd.DataFrame({"impressions": [0], "clicks": [0], "cost": [0.0]}))
    assert t[["ctr", "cpc", "roas"]].isna().all(axis=None)


def test_one_order_in_three_clicks_is_not_a_33_percent_converter():
    mean, low, high = ads.shrink_cvr([1], [3], [0.04], [100])
    assert mean[0] == pytest.approx(5 / 103)  # (0.04·100 + 1) / (100 + 3)
    assert low[0] < mean[0] < high[0] < 0.15
    big, _, _ = ads.shrink_cvr([100], [1000], [0.04], [100])
    assert big[0] == pytest.approx(104 / 1100)  # many clicks: close to its own 10 %


@given(
    orders=st.integers(0, 200),
    extra=st.integers(0, 2000),
    prior=st.floats(0.001, 0.5),
    strength=st.floats(1, 5000),
)
def test_the_shrunk_rate_lies_between_the_campaigns_and_the_keywords_own(
    orders, extra, prior, strength
):
    clicks = orders + extra
    if clicks == 0:
        return
    mean, low, high = ads.shrink_cvr([orders], [clicks], [prior], [strength])
    raw = orders / clicks
    assert min(raw, prior) - 1e-9 <= mean[0] <= max(raw, prior) + 1e-9
    assert 0 <= low[0] <= high[0] <= 1  # a skewed beta's interval need not hold its mean


def test_prior_strength_follows_how_much_the_keywords_differ():
    clicks = pd.Series([1000, 1000, 1000, 1000])
    alike = ads.prior_strength(pd.Series([40, 41, 39, 40]), clicks, 100)
    apart = ads.prior_strength(pd.Series([5, 80, 20, 60]), clicks, 100)
    assert alike > apart >= 10
    assert ads.prior_strength(pd.Series([1, 2]), pd.Series([10, 10]), 100) == 100  # too few


def test_clicks_needed_is_k_over_the_campaign_rate_rounded_up():
    assert ads.clicks_needed(2, 0.04) == 50
    assert ads.clicks_needed(2, 0.03) == 67
    assert np.isinf(ads.clicks_needed(2, 0.0))


# --------------------------------------------------------------------------- keyword rules


def test_pause_only_once_clicks_reach_k_over_the_campaign_rate():
    t = _decide(_kw("below", 50, 0, 10.0, 0.0), _kw("at", 51, 0, 10.0, 0.0))
    assert t.loc["at", "need"] == 51  # ⌈2 / (4,000 / 100,051)⌉
    assert (t.loc["below", "action"], t.loc["below", "rule"]) == ("watch", "watch_thin")
    assert (t.loc["at", "action"], t.loc["at", "rule"]) == ("pause", "pause_clicks")


def test_pause_once_cost_reaches_the_target_cost_per_order():
    t = _decide(_kw("below", 10, 0, 29.99, 0.0), _kw("at", 10, 0, 30.0, 0.0), target_cpa=30.0)
    assert t.loc["below", "action"] == "watch"
    assert (t.loc["at", "action"], t.loc["at", "rule"]) == ("pause", "pause_cost")


def test_default_target_cost_per_order_is_the_campaigns_aov_times_margin():
    t = _decide(_kw("below", 10, 0, 34.99, 0.0), _kw("at", 10, 0, 35.0, 0.0))
    assert t.loc["at", "target_cpa"] == pytest.approx(100 * 0.35)
    assert (t.loc["below", "action"], t.loc["at", "action"]) == ("watch", "pause")


def test_a_thin_keyword_with_a_lucky_order_is_watched_never_raised():
    t = _decide(_kw("lucky", 3, 1, 3.0, 100.0))
    assert t.loc["lucky", "roas"] == pytest.approx(33.3, abs=0.1)
    assert (t.loc["lucky", "action"], t.loc["lucky", "rule"]) == ("watch", "watch_thin")
    assert t.loc["lucky", "cvr_shrunk"] < 0.05  # not 33 %


def _roas_kw(name, roas, **extra):
    # 1,000 clicks, 40 orders (the campaign's rate, so shrinking does not move it)
    return _kw(name, 1000, 40, 1000.0, 1000.0 * roas, **extra)


def test_raise_at_the_raise_level_with_rank_headroom_and_not_below():
    raise_at = 1.5 / 0.35
    t = _decide(
        _roas_kw("at", raise_at + 0.001, avg_rank=4.0, bid=1.0),
        _roas_kw("below", raise_at - 0.01, avg_rank=4.0, bid=1.0),
        _roas_kw("top", raise_at + 1, avg_rank=2.0, bid=1.0),
        prior_clicks=1e-6,
    )
    assert (t.loc["at", "action"], t.loc["at", "new_bid"]) == ("raise", 1.1)
    assert (t.loc["below", "action"], t.loc["below", "rule"]) == ("keep", "keep_roas")
    assert (t.loc["top", "action"], t.loc["top", "rule"]) == ("keep", "keep_top_rank")


def test_lower_below_break_even_in_one_ten_percent_step():
    be = 1 / 0.35
    t = _decide(
        _roas_kw("below", be - 0.01, bid=2.0),
        _roas_kw("at", be + 0.001, bid=2.0),
        prior_clicks=1e-6,
    )
    assert (t.loc["below", "action"], t.loc["below", "new_bid"]) == ("lower", 1.8)
    assert t.loc["at", "action"] == "keep" and np.isnan(t.loc["at", "new_bid"])


def test_the_roas_rules_use_the_shrunk_conversion_rate():
    # 8 orders in 100 clicks: raw ROAS 8, but shrunk toward the campaign's 4 % it is ~4.2
    t = _decide(_kw("hot", 100, 8, 100.0, 800.0, avg_rank=5.0), prior_clicks=2000)
    assert t.loc["hot", "roas"] == 8 and t.loc["hot", "roas_est"] < 1.5 / 0.35
    assert t.loc["hot", "action"] == "keep"


def test_low_ctr_reworks_only_with_enough_impressions():
    # the campaign's CTR is about 5 %; half of it is 2.5 %
    t = _decide(
        _kw("enough", 20, 0, 20.0, 0.0, impressions=1000),
        _kw("few", 19, 0, 19.0, 0.0, impressions=999),
        _kw("fine", 30, 0, 30.0, 0.0, impressions=1000),
    )
    assert (t.loc["enough", "action"], t.loc["enough", "rule"]) == ("rework", "rework_ctr")
    assert t.loc["few", "action"] == "watch"
    assert t.loc["fine", "action"] == "watch"


def test_low_quality_score_reworks():
    t = _decide(
        _kw("low", 10, 0, 10.0, 0.0, quality_score=4.0),
        _kw("ok", 10, 0, 10.0, 0.0, quality_score=5.0),
    )
    assert (t.loc["low", "action"], t.loc["low", "rule"]) == ("rework", "rework_quality")
    assert t.loc["ok", "action"] == "watch"


def _dated(days, **kw):
    start = pd.Timestamp("2026-10-01")
    return [{**_kw(**kw), "date": start + pd.Timedelta(days=d)} for d in range(days)]


def test_low_ctr_before_and_during_the_watch_period_pauses_but_never_a_top_converter():
    anchor = _dated(
        14, keyword="anchor", clicks=5000, orders=200, cost=5000.0, gmv=18000.0, impressions=100_000
    )
    weak = _dated(14, keyword="weak", clicks=20, orders=1, cost=20.0, gmv=72.0, impressions=2000)
    rows = pd.DataFrame(anchor + weak)
    t = ads.decide_keywords(rows, AdThresholds(top_converters=0)).set_index("keyword")
    assert (t.loc["weak", "action"], t.loc["weak", "rule"]) == ("pause", "pause_ctr")
    t = ads.decide_keywords(rows, AdThresholds(top_converters=2)).set_index("keyword")
    assert (t.loc["weak", "action"], t.loc["weak", "rule"]) == ("keep", "protected")
    recent = rows[rows["date"] >= pd.Timestamp("2026-10-08")]
    t = ads.decide_keywords(recent, AdThresholds(top_converters=0)).set_index("keyword")
    assert t.loc["weak", "action"] == "rework"  # low only within the watch period: not yet


def test_without_conversion_tracking_only_ctr_and_quality_rules_run():
    rows = pd.DataFrame([ANCHOR, _kw("x", 100, 0, 80.0, 0.0)]).drop(columns=["orders", "gmv"])
    t = ads.decide_keywords(rows, AdThresholds()).set_index("keyword")
    assert set(t["rule"]) == {"keep_untracked"}


# --------------------------------------------------------------------------- search terms


def _term(term, clicks, orders, cost, gmv, **extra):
    row = _kw(None, clicks, orders, cost, gmv, **extra)
    row.pop("keyword")
    return {**row, "search_term": term}


def _terms(*rows, keywords=(), **th):
    anchor = _term("anchor", 100_000, 4_000, 100_000.0, 400_000.0)
    t = ads.decide_terms(
        pd.DataFrame([anchor, *rows]), AdThresholds(**th), pd.Series(list(keywords), dtype=object)
    )
    return t.set_index("search_term")


def test_a_converting_term_is_added_from_the_minimum_orders_unless_already_a_keyword():
    t = _terms(
        _term("two", 40, 2, 40.0, 300.0),
        _term("one", 40, 1, 40.0, 300.0),
        _term("known", 40, 5, 40.0, 500.0),
        _term("marked", 40, 5, 40.0, 500.0, term_status="Added"),
        _term("losing", 40, 3, 40.0, 100.0),
        keywords=["Known "],
    )
    assert t.loc["two", "action"] == "add"
    assert t.loc["one", "action"] == "keep"
    assert t.loc["known", "action"] == "keep" and t.loc["marked", "action"] == "keep"
    assert t.loc["losing", "action"] == "keep"  # ROAS 2.5 < break-even 2.86


def test_a_spending_term_is_negated_at_the_threshold_and_watched_below():
    t = _terms(_term("below", 50, 0, 20.0, 0.0), _term("at", 51, 0, 20.0, 0.0))
    assert (t.loc["below", "action"], t.loc["at", "action"]) == ("watch", "negative")


# --------------------------------------------------------------------------- totals, waste, budget


def test_total_rows_are_checked_against_the_data_rows_and_subtotals_ignored():
    rows = pd.DataFrame(
        {
            "_file": ["f"] * 2,
            "currency": ["USD"] * 2,
            "clicks": [3, 4],
            "cost": [1.10, 2.20],
            "impressions": [10, 20],
        }
    )
    totals = [
        {"file": "f", "label": "Total: Account", "clicks": 9.0, "cost": 3.30, "impressions": 30.0},
        {"file": "f", "label": "Total: Performance Max", "clicks": 0.0, "cost": 0.0},
    ]
    c = ads.total_checks(rows, totals).set_index("column")
    assert set(c["label"]) == {"Total: Account"}
    assert c.loc["cost", "agrees"] and c.loc["impressions", "agrees"]
    assert not c.loc["clicks", "agrees"] and c.loc["clicks", "difference"] == 2


def test_money_totals_of_a_file_mixing_currencies_are_not_checked_counts_are():
    rows = pd.DataFrame(
        {"_file": ["f"] * 2, "currency": ["USD", "EUR"], "clicks": [3, 4], "cost": [1.0, 2.0]}
    )
    totals = [{"file": "f", "label": "Total: Account", "clicks": 7.0, "cost": 3.0}]
    c = ads.total_checks(rows, totals).set_index("column")
    assert c.loc["clicks", "checked"] and not c.loc["cost", "checked"]


def test_wasted_spend_counts_entities_without_orders_with_their_share():
    t = pd.DataFrame(
        {
            "name": ["a", "b", "c"],
            "currency": ["CNY"] * 3,
            "cost": [60.0, 30.0, 10.0],
            "orders": [2, 0, 0],
            "clicks": [50, 20, 5],
        }
    )
    w = ads.wasted_spend({"keyword": t})
    assert list(w["name"]) == ["b", "c"]
    assert w["share"].tolist() == pytest.approx([0.3, 0.1])


def test_budget_moves_from_below_break_even_to_the_raise_level_with_its_estimate():
    plans = pd.DataFrame(
        {
            "currency": ["CNY"] * 3,
            "campaign": ["lose", "win", "mid"],
            "cost": [1000.0, 2000.0, 500.0],
            "roas": [1.0, 6.0, 3.5],
            "clicks": [900, 1800, 400],
            "need": [50, 50, 50],
        }
    )
    r = ads.reallocate(plans, AdThresholds())
    assert list(r["to_plan"]) == ["win"] and r["amount"].iloc[0] == pytest.approx(200)
    assert r["revenue_change"].iloc[0] == pytest.approx(200 * 0.7 * 6 - 200 * 1.0)
    thin = plans.assign(clicks=[900, 10, 400])  # the winner has too few clicks to judge
    assert ads.reallocate(thin, AdThresholds()).empty


# --------------------------------------------------------------------------- the exports


@pytest.fixture(scope="module")
def fixtures():
    return ExportFolder(FIXTURES, cache=None)


def test_each_ad_export_layout_is_recognised(fixtures):
    by_name = {f.path.name: f for f in fixtures.files}
    ztc = by_name["直通车_关键词报表_2026-10-15_2026-10-21.csv"]
    assert (ztc.kind, ztc.encoding, ztc.header_row) == ("ad_keywords", "gb18030", 3)
    assert ztc.period == ["2026-10-15", "2026-10-21"]
    wxt = by_name["万相台无界_计划报表.zip"]
    assert (wxt.kind, wxt.fmt, wxt.encoding) == ("ad_plans", "zip", "utf-8-sig")
    google = by_name["Search terms report (1).csv"]
    assert (google.kind, google.encoding, google.delimiter) == ("ad_search_terms", "utf-16", "\t")
    assert google.banner == ["Search terms report", "March 3, 2025 - March 30, 2025"]
    assert google.period == ["2025-03-03", "2025-03-30"]
    kw = by_name["Search keyword report.csv"]
    assert kw.kind == "ad_keywords" and kw.mapping["Interactions"] == "clicks"
    assert kw.period == ["2025-06-01", "2025-06-07"]
    assert by_name["Sponsored Products Search term report.xlsx"].kind == "ad_search_terms"
    assert by_name["Sponsored_Products_Campaign_report.csv"].kind == "ad_plans"


def test_total_rows_never_reach_the_data_and_are_kept_for_the_check(fixtures):
    terms = fixtures.load("ad_search_terms")
    google = terms[terms["_file"] == "Search terms report (1).csv"]
    assert len(google) == 4 and not google["search_term"].str.startswith("Total").any()
    assert google["cost"].sum() == pytest.approx(145.90)
    labels = [t["label"] for t in fixtures.totals["ad_search_terms"]]
    assert labels == ["Total: Account", "Total: Search", "Total: Performance Max"]
    kw = fixtures.load("ad_keywords")
    ztc = kw[kw["_file"].str.startswith("直通车")]
    assert len(ztc) == 5 and ztc["cost"].sum() == pytest.approx(1005.45)
    assert {t["label"] for t in fixtures.totals["ad_keywords"]} == {"合计", "Total: Account"}


def test_cells_as_platforms_write_them(fixtures):
    terms = fixtures.load("ad_search_terms").set_index("search_term")
    amazon = terms.loc["under bed storage"]
    assert list(amazon["date"]) == [pd.Timestamp("2026-10-15"), pd.Timestamp("2026-10-16")]
    assert amazon["cost"].tolist() == [19.22, 21.35] and amazon["gmv"].tolist() == [89.97, 119.96]
    assert terms.loc["free storage box", "orders"] == 0  # " --" in Cost / conv. is not read
    plans = fixtures.load("ad_plans")
    amz = plans[plans["_file"].str.startswith("Sponsored")]
    assert amz["date"].min() == pd.Timestamp("2025-11-01") and amz["budget"].iloc[0] == 25.0
    wxt = plans[plans["_file"].str.endswith(".zip")]
    assert wxt["net_gmv"].sum() == pytest.approx(480.60 + 2550 + 445 + 2860)
    assert wxt["item_id"].iloc[0] == "6510000004"


def _only(tmp_path, *names):
    for name in names:
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def test_undated_rows_take_the_banners_period_and_the_report_date_is_its_end(tmp_path):
    a = ads_review.build_ad_audit(_only(tmp_path, "Search terms report (1).csv"), lang="en")
    assert a.report_date == pd.Timestamp("2025-03-30")
    assert a.trends is None and "trends" in a.missing
    assert any("March 3, 2025 - March 30, 2025" in b for b in a.banners)


def test_totals_per_currency_add_up_to_the_cent_and_never_mix(tmp_path):
    a = ads_review.build_ad_audit(_only(tmp_path, "Search terms report (1).csv"), lang="en")
    h = a.headline_table.set_index("currency")
    assert h.loc["USD", "cost"] == pytest.approx(133.90, abs=0.005)
    assert h.loc["EUR", "cost"] == pytest.approx(12.00, abs=0.005)
    assert h.loc["USD", "roas"] == pytest.approx((239.40 + 119.70) / 133.90)
    assert set(a.account["currency"]) == {"USD", "EUR"}


def test_a_total_row_that_disagrees_is_a_finding(tmp_path):
    folder = _only(tmp_path, "直通车_关键词报表_2026-10-15_2026-10-21.csv")
    path = folder / "直通车_关键词报表_2026-10-15_2026-10-21.csv"
    text = (
        path.read_bytes()
        .decode("gb18030")
        .replace('合计,,,,,"22,652",897', '合计,,,,,"22,652",900')
    )
    path.write_bytes(text.encode("gb18030"))
    a = ads_review.build_ad_audit(folder, lang="zh")
    found = [f for f in a.findings if "合计" in f.rule]
    assert len(found) == 1 and "900 ≠ 897" in found[0].rule


def test_rules_a_file_cannot_feed_are_named_as_skipped(tmp_path):
    a = ads_review.build_ad_audit(_only(tmp_path, "Search keyword report.csv"), lang="en")
    assert any("no orders" in s and "Search keyword report.csv" in s for s in a.skipped)
    assert set(a.keywords["rule"]) <= {"keep_untracked", "rework_ctr", "rework_quality"}


def test_keywords_and_terms_are_untrusted_text_in_html_and_in_the_bulk_file(tmp_path):
    a = ads_review.build_ad_audit(_only(tmp_path, "Search keyword report.csv"), lang="en")
    html = actions_html(a.findings, Messages("en"))
    html += table_html(Messages("en"), ads_review.keyword_view(a, Messages("en")))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    path = ads_review.write_actions(a, tmp_path / "out")
    assert path == tmp_path / "out" / "ads" / "actions.csv"
    written = pd.read_csv(path, dtype=str)
    cells = set(written["keyword_or_term"])
    assert '\'=HYPERLINK("http://x")' in cells and "<script>alert(1)</script>" in cells
    assert not written.apply(lambda c: c.str.match(r"^[=+\-@]").fillna(False)).any(axis=None)


def test_neutralise_leaves_numbers_and_plain_text_alone():
    df = pd.DataFrame({"t": ["=1+1", "+86 138", "-x", "@SUM(A1)", "ok", None], "n": range(6)})
    df["neg"] = -1.5
    out = neutralise(df)
    assert out["t"].tolist()[:5] == ["'=1+1", "'+86 138", "'-x", "'@SUM(A1)", "ok"]
    assert pd.isna(out["t"].iloc[5])
    assert out["n"].tolist() == list(range(6)) and (out["neg"] == -1.5).all()


def test_the_rows_own_total_is_preferred_and_hidden_search_terms_are_reported(tmp_path):
    """Google writes Total: Search terms (the rows shown) beside Total: Account (those and the
    terms it hides): the rows are checked against the first, the hidden spend is said."""
    head = "Search term,Campaign,Impr.,Interactions,Clicks,Currency code,Cost,Conversions\n"
    rows = [
        "solar generator,C,50,5,5,USD,10.00,1.00",
        "solar panels,C,40,4,4,USD,8.00,0.00",
        "Total: Search terms,,90,9,9,USD,18.00,1.00",
        'Total: Other search terms,,0,0,"3",USD,6.00,0.00',
        'Total: Account,,"1,090",12,12,USD,24.00,1.00',
        "Total: Video,,0,0,0,USD,0.00,0.00",
    ]
    banner = 'Search terms report\n"January 17, 2024 - February 15, 2024"\n'
    (tmp_path / "st.csv").write_text(banner + head + "\n".join(rows) + "\n", encoding="utf-8")
    a = ads_review.build_ad_audit(tmp_path, lang="en")
    assert set(a.checks["label"]) == {"Total: Search terms"} and a.checks["agrees"].all()
    assert not [f for f in a.findings if "total row" in f.what]
    assert any("Other search terms" in b and "6.00" in b and "25 %" in b for b in a.banners)
    assert a.rows["ad_search_terms"]["clicks"].sum() == 9  # Clicks, not Interactions, is read
