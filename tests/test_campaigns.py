"""Platform campaigns (活动): the sign-up table, eligibility, stock to prepare, the review."""

from __future__ import annotations

import pandas as pd
import pytest

from ecomops_helpers.daily import campaigns as c
from ecomops_helpers.daily.campaigns_sample import PLANTED_CAMPAIGNS
from ecomops_helpers.daily.review import build_daily_review
from ecomops_helpers.sources import open_folder

WHEN = pd.Timestamp("2026-10-21")


def _items(units_a=10, units_b=9, stock_a=50, price=20.0, days=30):
    """Two items selling steadily for ``days`` days up to WHEN."""
    dates = pd.date_range(end=WHEN, periods=days)
    rows = [
        {
            "date": d,
            "item_id": item,
            "title": item,
            "visitors": 100,
            "units": units,
            "gmv": units * price,
            "stock": stock,
        }
        for d in dates
        for item, units, stock in (("A", units_a, stock_a), ("B", units_b, 400))
    ]
    return pd.DataFrame(rows)


def _campaign(**kw):
    row = {
        "name": "聚划算",
        "start": pd.Timestamp("2026-11-01"),
        "end": pd.Timestamp("2026-11-03"),
        "deadline": pd.Timestamp("2026-10-25"),
        "min_units_30d": 300,
        "price_ratio": 0.9,
        "min_stock": 100,
        "min_dsr": 4.7,
        "uplift": float("nan"),
    }
    return pd.DataFrame([{**row, **kw}])


def test_item_recent_reads_units_price_stock_and_rate():
    r = c.item_recent(_items(), WHEN, rate_days=14).set_index("item_id")
    assert r.loc["A", "units_30d"] == 300
    assert r.loc["A", "avg_price"] == pytest.approx(20.0)
    assert r.loc["A", "stock"] == 50
    assert r.loc["A", "units_per_day"] == pytest.approx(10.0)


def test_eligibility_verdicts_and_units_to_stock():
    recent = c.item_recent(_items(), WHEN)
    e = c.eligibility(_campaign(), recent, uplift=3.0, near_gap=0.15).set_index("item_id")
    assert e.loc["A", "verdict"] == "qualifies"
    # 10/day × 3 days × 3.0 = 90, but the campaign asks stock ≥ 100: 100 − 50 on hand
    assert e.loc["A", "to_stock"] == 50
    assert e.loc["B", "verdict"] == "near"  # 270 of 300: 10 % short
    assert e.loc["B", "gap"] == pytest.approx(0.1)
    assert e.loc["B", "short_of"] == "units_30d"
    assert e.loc["A", "max_price"] == pytest.approx(18.0)  # 30-day low 20 × 0.9


def test_eligibility_far_short_price_too_deep_and_own_uplift():
    recent = c.item_recent(_items(units_b=5), WHEN)
    e = c.eligibility(_campaign(uplift=2.0), recent).set_index("item_id")
    assert e.loc["B", "verdict"] == "not_eligible"  # 150 of 300
    assert pd.isna(e.loc["B", "to_stock"])
    assert e.loc["A", "uplift"] == 2.0  # the table's own uplift wins
    deep = c.eligibility(_campaign(price_ratio=0.5), recent, price_floor=0.7)
    assert (deep["verdict"] == "not_eligible").all()  # 50 % of the 30-day low < 70 % floor
    assert deep.set_index("item_id").loc["A", "short_of"] == "max_price"


def test_shop_dsr_fails_every_item_only_when_known():
    recent = c.item_recent(_items(), WHEN)
    low = c.eligibility(_campaign(), recent, shop={"dsr": 4.6})
    assert (low["verdict"] == "not_eligible").all()
    unknown = c.eligibility(_campaign(), recent, shop={})
    assert "qualifies" in set(unknown["verdict"])
    scores = pd.DataFrame(
        {
            "date": [WHEN - pd.Timedelta(days=1), WHEN],
            "dsr_description": [4.8, 4.9],
            "dsr_service": [4.75, 4.65],
            "dsr_logistics": [4.9, 4.9],
        }
    )
    assert c.shop_figures(scores, WHEN) == {"dsr": 4.65}
    assert c.shop_figures(None, WHEN) == {}


def test_upcoming_keeps_open_campaigns_only():
    camps = pd.concat(
        [
            _campaign(name="open"),
            _campaign(name="closed", deadline=WHEN - pd.Timedelta(days=1)),
            _campaign(name="invited", deadline=pd.NaT),
        ],
        ignore_index=True,
    )
    assert list(c.upcoming(camps, WHEN)["name"]) == ["open", "invited"]


def test_campaign_review_uplift_new_buyers_refunds():
    dates = pd.date_range("2026-09-01", WHEN)
    shop = pd.DataFrame(
        {"date": dates, "gmv": 1000.0, "new_buyers": 10, "refund_amount": 30.0, "visitors": 1}
    )
    on = shop["date"].between("2026-09-18", "2026-09-20")
    shop.loc[on, ["gmv", "new_buyers"]] = [3000.0, 40]
    after = shop["date"].between("2026-09-21", "2026-09-25")
    shop.loc[after, "refund_amount"] = 500.0
    camp = _campaign(
        start=pd.Timestamp("2026-09-18"),
        end=pd.Timestamp("2026-09-20"),
        deadline=pd.Timestamp("2026-09-05"),
    )
    r = c.campaign_review(camp, shop, None, WHEN, review_days=45, refund_days=15).iloc[0]
    assert r["gmv_uplift"] == pytest.approx(3.0)
    assert r["promo_new_buyers"] == 120 and r["new_buyers_before"] == 30
    # 18 days from the start: refunds 13 × 30 + 5 × 500 over GMV 15 × 1000 + 3 × 3000
    assert r["refund_rate"] == pytest.approx((13 * 30 + 5 * 500) / (15 * 1000 + 3 * 3000))
    assert r["refund_rate_before"] == pytest.approx(0.03)
    gone = c.campaign_review(camp, shop, None, WHEN, review_days=20)
    assert gone.empty  # ended 31 days before: past the review days


def test_sign_up_table_read_from_its_headers(export_dir):
    pd.DataFrame(
        {
            "活动名称": ["淘抢购", "百亿补贴"],
            "活动开始时间": ["2030-01-10", "2026-09-01"],
            "活动结束时间": ["2030-01-10", "2026-09-03"],
            "报名截止时间": ["2030-01-05", "-"],
            "近30天销量": ["1,000", "--"],
            "价格要求": ["90%", "-"],
            "店铺DSR": ["4.7", "-"],
        }
    ).to_csv(export_dir / "报名.csv", index=False, encoding="utf-8-sig")
    camps = open_folder(export_dir).load("campaigns").set_index("name")
    assert camps.loc["淘抢购", "start"] == pd.Timestamp("2030-01-10")  # a date ahead is fine
    assert camps.loc["淘抢购", "min_units_30d"] == 1000
    assert camps.loc["淘抢购", "price_ratio"] == pytest.approx(0.9)
    assert pd.isna(camps.loc["百亿补贴", "deadline"])
    assert pd.isna(camps.loc["百亿补贴", "min_units_30d"])  # "--" is missing, never 0


def test_sample_plants_are_found(sample_dir):
    p = PLANTED_CAMPAIGNS
    r = build_daily_review(sample_dir, lang="en")
    e = r.campaigns.eligible
    e = e[e["promotion"] == p.upcoming].set_index("item_id")
    assert set(e.index[e["verdict"] == "qualifies"]) == set(p.qualifying)
    assert e.loc[p.near_item, "verdict"] == "near"
    assert (e["min_stock"] == 1000).all()  # 活动库存 read
    rules = {f.rule: f for f in r.findings if f.area == "campaigns"}
    signup = next(f for f in r.findings if "sign-up closes" in f.what)
    assert "3 items qualify" in signup.what
    assert f"{int(e.loc[list(p.qualifying), 'to_stock'].sum()):,}" in signup.action
    assert any(f.owner == "warehouse" for f in rules.values())
    assert any("just short" in f.what for f in rules.values())
    review = r.campaigns.review.set_index("promotion").loc[p.past]
    assert review["gmv_uplift"] > 1.8
    assert review["promo_new_buyers"] > 2 * review["new_buyers_before"]
    assert review["refund_rate"] == pytest.approx(p.past_refund_rate, abs=0.005)
    assert any("refunds high" in f.what for f in rules.values())


def test_no_sign_up_table_hides_the_section(shop_only):
    r = build_daily_review(shop_only, lang="zh")
    assert r.campaigns is None
    assert "活动报名表" in r.missing["campaigns"]
    assert not [f for f in r.findings if f.area == "campaigns"]
