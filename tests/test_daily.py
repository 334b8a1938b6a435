import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.daily import metrics
from ecomops_helpers.daily.review import (
    DailyReview,
    DailyThresholds,
    build_daily_review,
    daily_findings,
)
from ecomops_helpers.daily.views import headline


def test_missing_optional_exports_hide_their_sections(shop_only):
    r = build_daily_review(shop_only)
    assert set(r.missing) == {
        "traffic_sources",
        "plan",
        "reviews",
        "item_sources",
        "item_keywords",
        "shop_scores",
        "questions",
        "campaigns",
        "copurchase",
    }
    assert all(r.missing.values())  # each hidden section says why
    assert "没有流量来源导出" in r.missing["traffic_sources"]  # zh is the default language
    en = build_daily_review(shop_only, lang="en")
    assert "no traffic sources export" in en.missing["traffic_sources"]
    assert r.sources is None and r.pacing is None and r.source_table is None
    assert not r.profit.attrs["ad_spend_known"]
    areas = {f.area for f in r.findings}
    assert "conversion" in areas and "plan" not in areas and "reviews" not in areas


def _tiny_shop(tmp_path, last_buyers=40, last_orders=42):
    days = pd.date_range("2026-09-01", "2026-10-20")
    n = len(days)
    buyers = np.full(n, 40)
    buyers[-1] = last_buyers
    orders = np.full(n, 42)
    orders[-1] = last_orders
    gmv = buyers * 100.0
    body = pd.DataFrame(
        {
            "统计日期": days.strftime("%Y-%m-%d"),
            "访客数": 1000,
            "支付买家数": buyers,
            "下单买家数": orders,
            "支付金额": gmv,
        }
    )
    body.to_csv(tmp_path / "看板.csv", index=False)
    return tmp_path


def test_presale_day_is_judged_by_order_conversion(tmp_path):
    r = build_daily_review(_tiny_shop(tmp_path, last_buyers=0, last_orders=55), lang="en")
    presale = [f for f in r.findings if f.what.startswith("Pre-sale")]
    assert len(presale) == 1
    assert "55 ordering buyers" in presale[0].rule and "5.50 %" in presale[0].action


def test_findings_carry_rule_and_numbers_in_english(tmp_path):
    r = build_daily_review(_tiny_shop(tmp_path, last_buyers=10), lang="en")
    gmv = next(f for f in r.findings if f.area == "anomaly" and f.what.startswith("GMV"))
    assert gmv.what == "GMV unusually low"
    assert "¥1,000" in gmv.rule and "-75 %" in gmv.rule
    assert gmv.since == "since Tue 20 Oct (1 day)"


def test_thresholds_are_parameters(tmp_path):
    folder = _tiny_shop(tmp_path, last_buyers=10)
    loose = DailyThresholds(anomaly_min_change=0.9)
    assert not [f for f in build_daily_review(folder, "", loose).findings if f.area == "anomaly"]
    ns = {"bounce_max": 0.8, "data_dir": "x", "unrelated": 1}
    assert DailyThresholds.from_namespace(ns).bounce_max == 0.8


def test_headline_against_the_day_before(tmp_path):
    folder = _tiny_shop(tmp_path, last_buyers=20)
    r = build_daily_review(folder, lang="en")
    h = {i["key"]: i for i in headline(r)}
    assert (h["gmv"]["text"], h["gmv"]["change"]) == ("¥2,000", "-50.0 % vs day before")
    assert h["gmv"]["value"] == 2000 and h["conversion"]["text"] == "2.00 %"
    zh = {i["key"]: i for i in headline(build_daily_review(folder, lang="zh"))}
    assert zh["conversion"]["label"] == "转化率" and zh["gmv"]["change"] == "-50.0% 对比前一日"


def test_report_date_outside_the_exports(tmp_path):
    with pytest.raises(LookupError, match="2027-01-01 is not in the shop_daily export"):
        build_daily_review(_tiny_shop(tmp_path), "2027-01-01")


@pytest.mark.parametrize("lang, above, below", [("zh", "高于", "低于"), ("en", "above", "below")])
def test_page_cards_say_which_way_the_figure_left_its_band(lang, above, below):
    days = pd.date_range("2026-10-01", "2026-10-03")
    shop = pd.DataFrame(
        {"date": days, "visitors": 1000, "paying_buyers": 40, "gmv": 4000.0}
        | {"bounce_rate": 0.725, "pages_per_visit": 2.36}
    )
    review = DailyReview(
        **dict.fromkeys(("sources", "items", "plan", "reviews", "pacing"), None),
        **dict.fromkeys(("source_table", "paid", "heroes"), None),
        report_date=days[-1],
        thresholds=DailyThresholds(),
        lang=lang,
        shop=shop,
        bridge=pd.DataFrame(),
        health=metrics.page_health(shop, None, days[-1]),
        profit=pd.DataFrame(),
        stage={"stage": "stable"},
        anomalies={},
    )
    cards = {f.rule: f.what for f in daily_findings(review)}
    bounce, ppv = (next(w for r, w in cards.items() if x in r) for x in ("72.5", "2.36"))
    assert above in bounce and below not in bounce
    assert below in ppv and above not in ppv
