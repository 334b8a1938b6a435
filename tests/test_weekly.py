"""The weekly review: its week, its arithmetic against sums taken another way, its rules,
hidden sections, the CLI's choice of notebooks by period, and the notebook on the sample."""

import shutil

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.customers import segments
from ecomops_helpers.daily import metrics as daily
from ecomops_helpers.page.i18n import LANGUAGES, Messages
from ecomops_helpers.run import runner
from ecomops_helpers.run.cli import build_parser, main
from ecomops_helpers.sources import open_folder
from ecomops_helpers.weekly import metrics
from ecomops_helpers.weekly.review import WeeklyThresholds, build_weekly_review, headline
from ecomops_helpers.weekly.weeks import Week, report_week, runs_weekly

WEEK = Week(pd.Timestamp("2026-10-12"), pd.Timestamp("2026-10-18"))  # the sample's last full week
FINDING_KEYS = (
    "plan_behind",
    "wow_drop",
    "health",
    "ad_below_break_even",
    "ad_roi_drop",
    "rival_launches",
    "customers_lost",
)


@pytest.fixture(scope="module")
def folder(sample_dir):
    return open_folder(sample_dir)


@pytest.mark.parametrize(
    "day, start",
    [
        ("2026-10-19", "2026-10-12"),  # a Monday: the week that ended yesterday
        ("2026-10-21", "2026-10-12"),  # a Wednesday (--period week): the same week
        ("2026-10-18", "2026-10-12"),  # a Sunday ends its own week
        ("2026-10-25", "2026-10-19"),
        ("2026-11-02", "2026-10-26"),  # a week across two months
    ],
)
def test_the_week_is_the_last_complete_monday_to_sunday(day, start):
    week = report_week(day)
    assert week.start == pd.Timestamp(start) and week.start.day_of_week == 0
    assert week.end - week.start == pd.Timedelta(days=6) and week.end <= pd.Timestamp(day)
    assert week.before.end == week.start - pd.Timedelta(days=1)
    assert runs_weekly(day) is (pd.Timestamp(day).day_of_week == 0)


def test_week_totals_and_bridge_against_iso_week_sums(folder):
    shop = folder.load("shop_daily")
    iso = shop.assign(week=shop["date"].dt.to_period("W-SUN").dt.start_time)
    by_week = iso.groupby("week")[["gmv", "visitors", "paying_buyers"]].sum()
    bridge = metrics.week_bridge(shop, WEEK).set_index("week")
    for monday in (WEEK.before.start, WEEK.start):
        for col in ("gmv", "visitors", "paying_buyers"):
            assert bridge.loc[monday, col] == pytest.approx(by_week.loc[monday, col])
        row = bridge.loc[monday]
        assert row["visitors"] * row["conversion"] * row["aov"] == pytest.approx(row["gmv"])
    now = bridge.loc[WEEK.start]
    assert now["change"] == pytest.approx(
        by_week.loc[WEEK.start, "gmv"] - by_week.loc[WEEK.before.start, "gmv"], abs=0.01
    )
    effects = sum(now[f"{f}_effect"] for f in daily.FACTORS)
    assert effects == pytest.approx(now["change"], abs=0.005)


def test_week_plan_is_the_daily_reviews_targets_of_its_days(folder):
    shop, plan = folder.load("shop_daily"), folder.load("plan")
    p = metrics.week_plan(plan, shop, WEEK)
    to_sunday = daily.plan_pacing(plan, shop, WEEK.end).mtd_target
    to_last_sunday = daily.plan_pacing(plan, shop, WEEK.start - pd.Timedelta(days=1)).mtd_target
    assert p["target"] == pytest.approx(to_sunday - to_last_sunday)
    gmv = shop.loc[shop["date"].between(WEEK.start, WEEK.end), "gmv"].sum()
    assert p["actual"] == pytest.approx(gmv) and p["ratio"] == pytest.approx(gmv / p["target"])
    across = report_week("2026-10-05")  # Mon 28 Sep – Sun 4 Oct: two months' targets
    both = metrics.week_plan(plan, shop, across)
    september = daily.daily_targets(plan, shop, "2026-09-01")
    october = daily.daily_targets(plan, shop, "2026-10-01")
    days = pd.concat([september, october])
    assert both["target"] == pytest.approx(days.loc[days["date"].isin(across.days), "target"].sum())
    with pytest.raises(LookupError):  # a month without a target
        metrics.week_plan(plan, shop, report_week("2026-11-02"))


def test_week_health_counts_days_out_of_band(folder):
    shop = folder.load("shop_daily")
    th = WeeklyThresholds()
    h = metrics.week_health(shop, WEEK, th.health_limits()).set_index("metric")
    days = shop[shop["date"].between(WEEK.start, WEEK.end)]
    assert h.loc["bounce_rate", "days_out"] == sum(b > th.bounce_max for b in days["bounce_rate"])
    assert h.loc["bounce_rate", "days_out"] >= th.health_days_max  # the planted bounce run
    assert h.loc["avg_stay_s", "days_out"] == sum(s < th.stay_min_s for s in days["avg_stay_s"])
    assert h.loc["bounce_rate", "value"] == pytest.approx(days["bounce_rate"].mean())


def _snapshot(day, shop, items):
    return pd.DataFrame(
        {
            "date": pd.Timestamp(day),
            "shop": shop,
            "item_id": [str(i) for i in items],
            "title": [f"item {i}" for i in items],
            "price": 10.0,
        }
    )


def test_rival_listings_new_and_removed_in_the_week():
    listings = pd.concat(
        [
            _snapshot("2026-10-11", "A", [1, 2]),  # before the week
            _snapshot("2026-10-14", "A", [1, 2, 3, 4]),  # 3 and 4 new
            _snapshot("2026-10-18", "A", [1, 3, 4]),  # 2 removed
            _snapshot("2026-10-20", "A", [1]),  # after the week: not counted
            _snapshot("2026-10-15", "B", [7, 8]),  # a shop's first snapshot makes nothing new
        ]
    )
    changes = metrics.listing_changes(listings, WEEK)
    got = {(c.shop, c.item_id, c.change) for c in changes.itertuples()}
    assert got == {("A", "3", "new"), ("A", "4", "new"), ("A", "2", "removed")}
    counts = metrics.listing_counts(changes).set_index("shop")
    assert counts.loc["A", "n_new"] == 2 and counts.loc["A", "n_removed"] == 1
    th = WeeklyThresholds(rival_new_min=2)
    assert (counts["n_new"] >= th.rival_new_min).sum() == 1


def test_ad_weeks_are_sums_of_the_keyword_rows(folder):
    rows = folder.load("ad_keywords").assign(currency="CNY")
    weeks = metrics.ad_weeks(rows, WEEK).set_index("week")
    for w in (WEEK.before, WEEK):
        raw = rows[rows["date"].between(w.start, w.end)]
        assert weeks.loc[w.start, "cost"] == pytest.approx(raw["cost"].sum())
        assert weeks.loc[w.start, "roas"] == pytest.approx(raw["gmv"].sum() / raw["cost"].sum())
        assert weeks.loc[w.start, "roas"] != pytest.approx(
            (raw["gmv"] / raw["cost"]).replace(np.inf, np.nan).mean()
        )  # a ratio of sums, not an average of ratios


def test_customers_gained_and_lost_against_first_and_last_purchases(folder):
    purchases, _ = segments.clean_orders(folder.load("orders"))
    churn = WeeklyThresholds().churn_days
    flow = metrics.customer_flow(purchases, WEEK, churn).set_index("week")
    for w in (WEEK.before, WEEK):
        upto = purchases[purchases["date"] <= w.end]
        first = upto.groupby("customer_id")["date"].min()
        last = upto.groupby("customer_id")["date"].max()
        crossed = (last <= w.end - pd.Timedelta(days=churn)) & (
            last > w.start - pd.Timedelta(days=1 + churn)
        )
        assert flow.loc[w.start, "new"] == first.between(w.start, w.end).sum()
        assert flow.loc[w.start, "lost"] == crossed.sum()
        assert flow.loc[w.start, "active"] == (last > w.end - pd.Timedelta(days=churn)).sum()


def test_rules_fire_on_the_sample_with_their_numbers_and_owners(sample_dir):
    r = build_weekly_review(sample_dir, "2026-10-19", lang="en")  # a Monday
    assert (r.week.start, r.week.end) == (WEEK.start, WEEK.end)
    assert not r.missing
    by_what = {f.what: f for f in r.findings}
    plan = by_what["The week's GMV behind plan"]
    assert plan.owner == "operations" and "Mon 12 Oct – Sun 18 Oct" in plan.rule
    assert f"{r.plan['ratio'] * 100:.1f} %" in plan.rule
    bounce = by_what["Bounce rate out of band on several days this week"]
    assert bounce.owner == "design" and bounce.rule.startswith("4 of 7 days > 70.0 %")
    lost = by_what["More buyers lost than gained this week"]
    now = r.customers.iloc[-1]
    assert f"{now['lost']} lost" in lost.rule and f"{now['new']} new" in lost.rule
    assert headline(r)[0]["key"] == "week_gmv" and headline(r)[-1]["key"] == "week_vs_plan"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_rule_can_fire_and_has_its_texts(sample_dir, lang):
    strict = WeeklyThresholds(wow_drop_max=0.01, margin=0.2, rival_new_min=1)
    r = build_weekly_review(sample_dir, "2026-10-21", strict, lang=lang)
    owners = {f.owner for f in r.findings}
    assert {"operations", "design", "ads"} <= owners
    rules = " ".join(f.rule for f in r.findings)
    assert "5.00" in rules  # break-even ROI 1 / 0.2
    assert len(r.findings) >= 6
    T = Messages(lang)
    for key in FINDING_KEYS:
        assert all(T.has(f"findings.weekly.{key}.{p}") for p in ("what", "rule", "action"))
    assert T.term("week before") and T.has("charts.this_week")


def test_missing_optional_exports_hide_their_sections(sample_dir, tmp_path):
    for f in sample_dir.glob("*整体看板*"):  # the 整体看板 downloads only
        shutil.copy(f, tmp_path / f.name)
    r = build_weekly_review(tmp_path, "2026-10-21", lang="en")
    assert set(r.missing) == {"plan", "rivals", "ads", "customers"}
    assert all("export" in why for why in r.missing.values())
    assert r.plan is None and r.ads is None and r.customers is None and r.listings is None
    assert r.compared and not r.health.empty


def test_period_chooses_the_notebooks():
    morning = runner.period_notebooks("day", "2026-10-21")
    assert "weekly_review" not in morning and "daily_review" in morning
    assert runner.period_notebooks("day", "2026-10-19") == [*morning, "weekly_review"]
    assert runner.period_notebooks("week", "2026-10-21") == ["weekly_review"]
    assert build_parser().parse_args(["run"]).period == "day"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--period", "month"])


def test_a_monday_run_adds_the_weekly_review(sample_dir, tmp_path, monkeypatch):
    ran = []

    def fake_run(name, source, folder, parameters, *args):
        ran.append((name, parameters["report_date"]))
        return runner.ReportResult(name=name, status="ok", seconds=0.0)

    monkeypatch.setattr(runner, "_run_one", fake_run)
    args = ["run", "--data", str(sample_dir), "--out", str(tmp_path), "--date", "2026-10-19"]
    assert main(args) == 0
    assert sorted(n for n, _ in ran) == sorted(
        runner.period_notebooks("day", "2026-10-21") + ["weekly_review"]
    )
    ran.clear()
    assert main([*args[:-1], "2026-10-21"]) == 0
    assert "weekly_review" not in {n for n, _ in ran}


def test_period_week_on_a_wednesday_renders_the_weekly_review(sample_dir, tmp_path):
    args = ["run", "--data", str(sample_dir), "--out", str(tmp_path), "--date", "2026-10-21"]
    assert main([*args, "--period", "week", "--lang", "en", "--explain"]) == 0
    day = tmp_path / "2026-10-21"
    assert not (day / "daily_review.html").exists()
    page = (day / "weekly_review.html").read_text(encoding="utf-8")
    assert "Mon 12 Oct – Sun 18 Oct" in page and "The week's GMV behind plan" in page
    for title in (
        "Page health over the week",
        "Rivals' new and removed",
        "Ad spend and return",
        "Buyers",
    ):
        assert title in page
    assert "Why, from practice" in page and "Section hidden" not in page
