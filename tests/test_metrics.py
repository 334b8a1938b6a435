import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.daily import metrics


def shop(days, visitors, buyers, gmv, **extra):
    return pd.DataFrame(
        {
            "date": pd.to_datetime(days),
            "visitors": visitors,
            "paying_buyers": buyers,
            "gmv": gmv,
            **extra,
        }
    )


# ---------------------------------------------------------------- decomposition

DECOMPOSITION_CASES = [
    # before (v, c, a), after, expected effects (visitors, conversion, aov)
    ((100, 0.05, 100), (120, 0.05, 110), (105.0, 0.0, 55.0)),
    ((100, 0.0, 0.0), (100, 0.05, 100), (0.0, 250.0, 250.0)),  # zeros: no log needed
    ((200, 0.1, 50), (100, 0.1, 50), (-500.0, 0.0, 0.0)),
]


@pytest.mark.parametrize("before,after,expected", DECOMPOSITION_CASES)
def test_decompose_change_hand_computed(before, after, expected):
    parts = metrics.decompose_change(before, after)
    assert (parts["visitors"], parts["conversion"], parts["aov"]) == pytest.approx(expected)
    assert parts["total"] == pytest.approx(np.prod(after) - np.prod(before))


def test_decomposition_adds_up_to_the_cent():
    rng = np.random.default_rng(1)
    for _ in range(500):
        v0, v1 = rng.integers(1, 20000, 2)
        b0, b1 = rng.integers(0, 800, 2)
        g0, g1 = (rng.uniform(0, 200, 2) * np.array([b0, b1])).round(2)
        before, after = metrics.gmv_factors(v0, b0, g0), metrics.gmv_factors(v1, b1, g1)
        parts = metrics.decompose_change(before, after)
        cents = [round(parts[k] * 100) for k in metrics.FACTORS]
        assert sum(cents) == round(g1 * 100) - round(g0 * 100)


def test_gmv_factors_multiply_back():
    v, c, a = metrics.gmv_factors(4533, 271, 40167.37)
    assert v * c * a == pytest.approx(40167.37)
    assert metrics.gmv_factors(10, 0, 0) == (10.0, 0.0, 0.0)


def test_gmv_bridge_baselines():
    days = pd.date_range("2026-10-01", periods=15)
    df = shop(days, [100] * 14 + [120], [5] * 14 + [6], [500.0] * 14 + [720.0])
    bridge = metrics.gmv_bridge(df, "2026-10-15").set_index("baseline")
    assert list(bridge.index) == ["day before", "same weekday last week", "7-day average"]
    row = bridge.loc["7-day average"]
    assert row["base_gmv"] == 500.0 and row["gmv"] == 720.0 and row["change"] == 220.0
    # conversion unchanged (5 %): visitors and AOV share the change
    assert row["conversion_effect"] == 0.0
    assert row["visitors_effect"] + row["aov_effect"] == pytest.approx(220.0)
    assert row["visitors_effect"] == pytest.approx(20 * 0.05 * (100 + 120) / 2)


# ---------------------------------------------------------------- plan pacing


def test_daily_targets_even_split_without_history():
    plan = pd.DataFrame({"month": pd.to_datetime(["2026-10-01"]), "gmv_target": [31000.0]})
    df = shop(pd.date_range("2026-10-01", periods=10), 100, 5, 900.0)
    p = metrics.plan_pacing(plan, df, "2026-10-10")
    assert p.mtd_actual == 9000 and p.mtd_target == pytest.approx(10000)
    assert p.mtd_ratio == pytest.approx(0.9)
    assert p.days_left == 21 and p.needed_per_day == pytest.approx(22000 / 21)
    assert p.basis.startswith("even")


def test_daily_targets_follow_weekday_pattern():
    history = pd.date_range("2026-08-06", "2026-09-30")  # 56 days before October
    gmv = np.where(history.day_of_week >= 5, 200.0, 100.0)
    plan = pd.DataFrame({"month": pd.to_datetime(["2026-10-01"]), "gmv_target": [31000.0]})
    t = metrics.daily_targets(plan, shop(history, 100, 5, gmv), "2026-10-15")
    # October 2026: 22 weekdays and 9 weekend days → 100 : 200 over 4,000 units
    assert t["target"].sum() == pytest.approx(31000)
    assert t.loc[t["date"] == "2026-10-01", "target"].item() == pytest.approx(775)  # Thursday
    assert t.loc[t["date"] == "2026-10-03", "target"].item() == pytest.approx(1550)  # Saturday


def test_plan_without_the_month_is_a_clear_error():
    plan = pd.DataFrame({"month": pd.to_datetime(["2026-09-01"]), "gmv_target": [1.0]})
    with pytest.raises(LookupError, match="no target for 2026-10"):
        metrics.daily_targets(plan, shop([], [], [], []), "2026-10-05")


# ---------------------------------------------------------------- sources


def sources_frame():
    rows = []
    for d in pd.date_range("2026-10-01", periods=8):
        last = d == pd.Timestamp("2026-10-08")
        rows.append((d, "搜索", 200 if last else 100, 10, 1000.0, np.nan))
        rows.append(
            (d, "直通车", 100, 2 if last else 4, 200.0 if last else 400.0, 300.0 if last else 100.0)
        )
    return pd.DataFrame(
        rows, columns=["date", "source", "visitors", "paying_buyers", "gmv", "cost"]
    )


def test_source_structure_explains_the_change():
    st = metrics.source_structure(sources_frame(), "2026-10-08").set_index("source")
    assert st.loc["搜索", "share"] == pytest.approx(200 / 300)
    assert st.loc["搜索", "share_change"] == pytest.approx(200 / 300 - 0.5)
    assert st.loc["搜索", "explains_visitors"] == pytest.approx(1.0)
    assert st.loc["直通车", "cost_per_visitor"] == pytest.approx(3.0)
    assert st.loc["直通车", "roi"] == pytest.approx(200 / 300)
    assert st.loc["直通车", "gmv_change"] == pytest.approx(-200)


def test_paid_source_trend():
    df = sources_frame()
    df.loc[df["source"] == "直通车", "cost"] = [100.0] * 4 + [200.0] * 4
    p = metrics.paid_source_trend(df, "2026-10-08", window=4).set_index("source")
    assert list(p.index) == ["直通车"]  # a source with no cost is not paid
    assert p.loc["直通车", "cost_change"] == pytest.approx(1.0)
    assert p.loc["直通车", "buyers_change"] == pytest.approx(14 / 16 - 1)
    assert p.loc["直通车", "cost_per_buyer"] == pytest.approx(800 / 14)


# ---------------------------------------------------------------- page health, profit


def test_page_health_status_and_run_length():
    days = pd.date_range("2026-10-01", periods=10)
    df = shop(
        days,
        100,
        5,
        500.0,
        bounce_rate=[0.5] * 6 + [0.74] * 4,
        pages_per_visit=[3.6] * 10,
        avg_stay_s=[40.0] * 10,
    )
    h = metrics.page_health(df, None, "2026-10-10").set_index("metric")
    assert h.loc["bounce_rate", "status"] == "bad" and h.loc["bounce_rate", "days"] == 4
    assert h.loc["pages_per_visit", "status"] == "good"
    assert h.loc["avg_stay_s", "status"] == "ok"
    assert "aov_vs_hero" not in h.index  # no items: the check is skipped


def test_store_aov_against_hero_aov():
    days = pd.date_range("2026-10-01", periods=2)
    df = shop(days, 100, 10, 1200.0, bounce_rate=0.5)
    items = pd.DataFrame(
        {
            "date": days,
            "item_id": "1",
            "visitors": 50,
            "paying_buyers": 10,
            "gmv": 1000.0,
            "is_hero": True,
        }
    )
    h = metrics.page_health(df, items, "2026-10-02").set_index("metric")
    assert h.loc["aov_vs_hero", "value"] == pytest.approx(1.2)
    assert h.loc["aov_vs_hero", "status"] == "bad" and h.loc["aov_vs_hero", "days"] == 2


def test_profit_view():
    df = shop(["2026-10-01"], 100, 5, 1000.0, refund_amount=100.0)
    src = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-01"] * 2),
            "source": ["a", "b"],
            "visitors": [50, 50],
            "cost": [150.0, 50.0],
        }
    )
    p = metrics.profit_view(df, src, "2026-10-01", commission_rate=0.05).iloc[0]
    assert p["ad_spend"] == 200 and p["commission"] == pytest.approx(45)
    assert p["net"] == pytest.approx(1000 - 100 - 200 - 45)


# ---------------------------------------------------------------- stage


@pytest.mark.parametrize("growth,stage", [(0.02, "rising"), (-0.02, "declining"), (0.0, "stable")])
def test_shop_stage(growth, stage):
    days = pd.date_range("2026-09-01", periods=45)
    gmv = 1000 * (1 + growth) ** np.arange(45)
    s = metrics.shop_stage(shop(days, 100, 5, gmv), days[-1])
    assert s["stage"] == stage
    assert s["slope_short"] == pytest.approx(growth, abs=1e-9)
    assert len(s["detail"]) == 15


# ---------------------------------------------------------------- hero items, pre-sale


def test_hero_items_conversion_collapse_reviews_and_cover():
    days = pd.date_range("2026-10-01", periods=30)
    buyers = [5] * 28 + [1, 1]
    items = pd.DataFrame(
        {
            "date": days,
            "item_id": "H",
            "title": "收纳盒",
            "visitors": 100,
            "paying_buyers": buyers,
            "units": buyers,
            "gmv": np.array(buyers) * 50.0,
            "stock": 30,
            "is_hero": True,
            "fav_cart": 10,
            "refund_amount": 0.0,
        }
    )
    reviews = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-29", "2026-10-30", "2026-10-01"]),
            "item_id": "H",
            "rating": [1.0, 1.0, 1.0],
            "text": ["差", "坏", "旧"],
        }
    )
    h = metrics.hero_items(items, reviews, "2026-10-30").iloc[0]
    assert h["conversion"] == pytest.approx(0.01) and h["conversion_base"] == pytest.approx(0.05)
    assert h["low_days"] == 2
    assert h["lost_gmv"] == pytest.approx((0.05 - 0.01) * 100 * 50)
    assert h["bad_reviews"] == 2 and h["bad_since"] == pd.Timestamp("2026-10-29")
    # last 7 days: 5 days × 5 units + 2 × 1 = 27 units → 27/7 a day
    assert h["cover_days"] == pytest.approx(30 / (27 / 7))


def test_presale_days():
    df = shop(["2026-10-20", "2026-10-21"], 100, [0, 3], [0.0, 300.0], orders=[40, 3])
    assert metrics.presale_days(df).tolist() == [True, False]
