import pandas as pd

from ecomops_helpers.daily.review import DailyThresholds, build_daily_review
from ecomops_helpers.daily.sample import PLANTED
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.paths import SAMPLE_DIR
from ecomops_helpers.sample import SAMPLE_END, generate_shop


def test_generator_is_deterministic():
    a, b = generate_shop(days=60, items=10), generate_shop(days=60, items=10)
    pd.testing.assert_frame_equal(a.items_daily, b.items_daily)
    pd.testing.assert_frame_equal(a.reviews, b.reviews)


def test_bundled_sample_is_what_the_generator_writes(sample_dir):
    bundled, fresh = ExportFolder(SAMPLE_DIR), ExportFolder(sample_dir)
    for kind in (
        "shop_daily",
        "traffic_sources",
        "items_daily",
        "plan",
        "reviews",
        "orders",
        "events",
        "ad_keywords",
        "ad_search_terms",
        "ad_plans",
        "competitor_listings",
        "competitor_keywords",
        "industry_keywords",
        "campaigns",
        "shop_scores",
        "questions",
        "item_sources",
        "item_keywords",
        "order_details",
        "service_daily",
    ):
        pd.testing.assert_frame_equal(
            bundled.load(kind).drop(columns="_file"), fresh.load(kind).drop(columns="_file")
        )


def test_sample_uses_real_export_quirks(sample_dir):
    folder = ExportFolder(sample_dir)
    formats = {(f.fmt, f.encoding) for f in folder.files}
    assert ("text", "gb18030") in formats and ("text", "utf-8-sig") in formats
    assert any(f.fmt == "html" for f in folder.files) and any(f.fmt == "xlsx" for f in folder.files)
    assert any(f.header_row > 0 for f in folder.files)  # title rows above the header
    raw = next(sample_dir.glob("【生意参谋平台】*")).read_bytes().decode("gb18030")
    assert "%" in raw and '"1' in raw  # percent strings and quoted 1,234 amounts


def test_shop_totals_are_consistent():
    shop = generate_shop(days=90, items=12)
    gmv_items = shop.items_daily.groupby("date")["gmv"].sum().round(2)
    gmv_shop = shop.shop_daily.set_index("date")["gmv"]
    pd.testing.assert_series_equal(gmv_items, gmv_shop, check_names=False, atol=0.02)
    gmv_sources = shop.traffic_sources.groupby("date")["gmv"].sum()
    pd.testing.assert_series_equal(gmv_sources, gmv_shop, check_names=False, atol=0.05)


def test_planted_incidents_fire_and_nothing_else_is_high(sample_dir):
    review = build_daily_review(
        sample_dir, "", DailyThresholds(next_promo_date=PLANTED.promo_date.isoformat())
    )
    assert review.report_date == pd.Timestamp(SAMPLE_END)
    areas = {f.area for f in review.findings}
    assert {"plan", "conversion", "reviews", "stock", "traffic", "page"} <= areas
    assert review.left_out == set() and review.health_scores.tier is not None  # a Taobao shop
    assert review.currency == "CNY" and review.shop.attrs["basis"] == "paying_buyers"


def test_big_shop_for_benchmarks():
    shop = generate_shop(days=30, items=300, heroes=5)
    assert shop.items_daily["item_id"].nunique() == 300
    assert shop.items_daily.groupby("item_id")["is_hero"].first().sum() == 5
