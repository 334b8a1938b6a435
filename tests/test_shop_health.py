"""Shop health the platform scores: DSR vs peers, 店铺层级, new 中差评, causes, 问大家."""

import math

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.daily import shop_health as sh
from ecomops_helpers.daily.review import DailyThresholds, build_daily_review
from ecomops_helpers.daily.shop_health_sample import PLANTED_HEALTH
from ecomops_helpers.daily.voice import cause_counts, cause_flags
from ecomops_helpers.sources import open_folder

DAY = pd.Timestamp("2026-10-21")

VS_PEER_CASES = [  # cell as 生意参谋 / shop pages write it → signed fraction
    ("高 12.34%", 0.1234),
    ("高于同行 1.25%", 0.0125),
    ("比同行高3.34%", 0.0334),
    ("低于同行 3.20%", -0.032),
    ("低 0.5%", -0.005),
    ("-2%", -0.02),
    ("+1.5%", 0.015),
    ("持平", 0.0),
]


@pytest.mark.parametrize(("cell", "expected"), VS_PEER_CASES)
def test_vs_peer_reads_the_platforms_cells(cell, expected):
    assert sh.vs_peer(pd.Series([cell])).iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize("cell", ["-", "--", "", None, "低于"])
def test_vs_peer_dash_or_no_number_is_missing_never_zero(cell):
    assert math.isnan(sh.vs_peer(pd.Series([cell], dtype=object)).iloc[0])


def test_dsr_table_from_industry_average_and_days_below():
    days = pd.date_range(end=DAY, periods=6)
    scores = pd.DataFrame(
        {
            "date": days,
            "dsr_logistics": [4.85, 4.84, 4.80, 4.75, 4.72, 4.71],
            "dsr_logistics_peer": [4.80] * 6,
            "dsr_service": [4.9] * 6,
            "dsr_service_vs_peer": ["高 2.00%"] * 5 + ["--"],  # today's cell missing
        }
    )
    t = sh.dsr_table(scores, DAY).set_index("dsr_item")
    row = t.loc["dsr_logistics"]
    assert row["dsr_vs_peer"] == pytest.approx(4.71 / 4.80 - 1)
    assert row["dsr_days_below"] == 3  # 4.80 = peer is not below; 4.75, 4.72, 4.71 are
    assert math.isnan(t.loc["dsr_service", "dsr_vs_peer"])
    assert t.loc["dsr_service", "dsr_days_below"] == 0
    assert "dsr_description" not in t.index  # not in the export: left out


def test_tier_from_parameter_and_from_export():
    bounds = sh.parse_thresholds("2.2万, 110000，350000")
    assert bounds == [22_000, 110_000, 350_000]
    t = sh.tier_position(200_000, bounds)
    assert (t.tier, t.floor, t.next_gmv, t.to_next) == (3, 110_000, 350_000, 150_000)
    assert not t.below_floor and not t.from_export
    named = pd.Series({"tier": "第四层级", "next_tier_gmv": 1_000_000.0})
    t = sh.tier_position(200_000, bounds, named)
    assert t.tier == 4 and t.floor == 350_000 and t.below_floor  # will drop a tier
    assert t.next_gmv == 1_000_000 and t.from_export
    assert math.isnan(sh.tier_position(500_000, bounds).next_gmv)  # top tier
    with pytest.raises(ValueError, match="ascending"):
        sh.parse_thresholds("100,50")


@pytest.mark.parametrize(
    ("text", "tier"), [("第五层级", 5), ("第5层级", 5), ("L7", 7), ("-", None)]
)
def test_parse_tier(text, tier):
    assert sh.parse_tier(text) == tier


def test_new_bad_reviews_hours_to_report_time():
    reviews = pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2026-10-21 08:00", "2026-10-20 09:30", "2026-10-21 07:00", "2026-10-10 08:00"]
            ),
            "item_id": ["a", "a", "b", "a"],
            "rating": [1.0, 3.0, 5.0, 1.0],
            "text": ["坏了", "尺寸偏小", "好", "旧的"],
            "reply": ["", "已处理", "", ""],
        }
    )
    now = sh.report_moment(DAY, "09:30")
    assert now == pd.Timestamp("2026-10-21 09:30")
    assert sh.report_moment(DAY) == pd.Timestamp("2026-10-22 00:00")
    b = sh.new_bad_reviews(reviews, now, days=3, rating_max=3.0)
    assert list(b["review_hours"]) == [1.5, 24.0]  # the 5-star and the old one are not new
    assert list(b["review_replied"]) == [False, True]


def test_causes_grouped_by_keywords_and_spike():
    flags = cause_flags(pd.Series(["卡扣断了，客服不理人", "Too small, wrong size", "很好"]))
    assert flags.loc[0, ["product", "service"]].all() and not flags.loc[0, "size"]
    assert flags.loc[1, "size"] and not flags.loc[2].any()
    now = DAY + pd.Timedelta(days=1)
    voices = pd.DataFrame(
        {
            "at": [DAY - pd.Timedelta(days=d) for d in (0, 1, 2, 3, 10, 20)],
            "text": ["物流太慢", "快递压坏了", "发货慢", "物流慢", "物流慢", "质量差"],
            "source": ["review"] * 5 + ["question"],
        }
    )
    c = cause_counts(voices, now, recent_days=7, base_days=28).set_index("cause")
    assert c.loc["cause_delivery", "cause_recent"] == 4
    assert c.loc["cause_delivery", "cause_expected"] == pytest.approx(1 * 7 / 28)
    assert c.loc["cause_delivery", "cause_ratio"] == pytest.approx(16.0)
    assert c.loc["cause_product", "cause_recent"] == 1  # 压坏: broken names the product too
    assert c.loc["cause_product", "cause_questions"] == 0  # the question is 20 days old


def test_open_questions_only_unanswered_worries_on_heroes():
    q = pd.DataFrame(
        {
            "item_id": ["h", "h", "h", "x"],
            "question": ["会不会裂？", "有白色的吗", "质量好吗", "会不会裂？"],
            "asked_at": pd.to_datetime(["2026-10-20 10:00"] * 4),
            "answers": [0, 0, 2, 0],
        }
    )
    out = sh.open_questions(q, {"h"}, DAY + pd.Timedelta(days=1), {"h": "主推款"})
    assert list(out["question_text"]) == ["会不会裂？"]
    assert out["question_hours"].iloc[0] == 38 and out["title"].iloc[0] == "主推款"


def test_real_headers_recognised(export_dir):
    """Headers as shop pages and crawls write them (宝贝与描述相符 … 比同行平均水平), GB18030."""
    (export_dir / "dsr.csv").write_text(
        "统计日期,宝贝与描述相符,宝贝与描述相符比同行平均水平,卖家的服务态度,"
        "卖家的服务态度比同行平均水平,物流服务的质量,物流服务的质量比同行平均水平,店铺层级,下一层级门槛\n"
        '2026-10-20,4.81,高于 1.20%,4.80,--,4.70,低于 2.10%,第三层级,"350,000"\n'
        '2026-10-21,4.81,高于 1.20%,4.80,持平,4.69,低于 2.30%,第三层级,"350,000"\n',
        encoding="gb18030",
    )
    (export_dir / "qa.csv").write_text(
        "商品ID,问题,提问时间,回答数\n651,会不会裂？,2026-10-20 10:00,0\n", encoding="utf-8"
    )
    folder = open_folder(str(export_dir))
    scores = folder.load("shop_scores")
    t = sh.dsr_table(scores, DAY).set_index("dsr_item")
    assert t.loc["dsr_logistics", "dsr_vs_peer"] == pytest.approx(-0.023)
    assert t.loc["dsr_logistics", "dsr_days_below"] == 2
    assert t.loc["dsr_service", "dsr_vs_peer"] == 0.0
    tier = sh.tier_position(200_000, [1e4, 1e5, 3e5], scores.iloc[-1])
    assert tier.tier == 3 and tier.next_gmv == 350_000
    assert folder.load("questions")["asked_at"].iloc[0] == pd.Timestamp("2026-10-20 10:00")


@pytest.fixture(scope="module")
def sample_review(sample_dir):
    return build_daily_review(str(sample_dir))


def _findings(review, word):
    return [f for f in review.findings if word in f.what]


def test_sample_plants_are_found(sample_review):
    r = sample_review
    hs = r.health_scores
    dsr = hs.dsr.set_index("dsr_item")
    assert dsr.loc["dsr_logistics", "dsr_vs_peer"] < 0
    assert dsr.loc["dsr_logistics", "dsr_days_below"] >= PLANTED_HEALTH.dsr_days
    logistics = [f for f in r.findings if "物流服务" in f.what and "同行" in f.what]
    assert len(logistics) == 1 and logistics[0].owner == "warehouse"
    assert "低于同行" in logistics[0].what and "%" in logistics[0].what
    assert list(hs.questions["question_text"]) == [PLANTED_HEALTH.question]
    asked = _findings(r, "问大家")
    assert len(asked) == 1 and asked[0].owner == "service"
    unreplied = _findings(r, "未回复")
    assert [f.owner for f in unreplied] == ["service"]
    assert unreplied[0].severity == 1  # the planted run is on a hero item
    assert _findings(r, "差评集中出现")  # the existing run is still found
    assert np.isfinite(hs.tier.gmv_30d) and hs.tier.tier >= 1
    assert _findings(r, "层级")  # distance to the next tier, as info
    assert hs.good_rate_from == "export"


def test_tier_line_names_the_distance_to_both_neighbouring_tiers(sample_review):
    from ecomops_helpers.daily.views import tier_line
    from ecomops_helpers.page import formatting as fmt

    t = sample_review.health_scores.tier
    assert 1 < t.tier < 7 and t.floor <= t.gmv_30d < t.next_gmv
    text = tier_line(sample_review)
    assert f"高出 {fmt.money(t.gmv_30d - t.floor, 'zh')}" in text  # to the previous tier
    assert f"第{t.tier - 1}层级" in text
    assert f"还差 {fmt.money(t.to_next, 'zh')}" in text  # to the next


def test_report_time_parameter_changes_hours(sample_dir, sample_review):
    early = build_daily_review(str(sample_dir), thresholds=DailyThresholds(report_time="08:00"))
    late = sample_review  # the default report time: the end of the day
    assert early.health_scores.now == pd.Timestamp(DAY) + pd.Timedelta(hours=8)
    both = early.health_scores.bad_reviews.merge(
        late.health_scores.bad_reviews, on=["item_id", "posted_at"]
    )
    assert len(both) and np.allclose(both["review_hours_y"] - both["review_hours_x"], 16)
    assert early.health_scores.bad_reviews["posted_at"].le(early.health_scores.now).all()


def test_missing_exports_hide_their_parts(sample_links):
    shop_only = sample_links("shop_only", ("【生意参谋平台】", "商品效果"))  # daily, item exports
    r = build_daily_review(str(shop_only))
    hs = r.health_scores
    assert hs.dsr is None and "shop_scores" in r.missing
    assert hs.questions is None and "questions" in r.missing
    assert hs.bad_reviews is None and hs.causes is None
    assert not hs.tier.from_export and hs.tier.gmv_30d > 0  # tier still from shop_daily


def test_reviews_without_reply_column_say_so(sample_links):
    d = sample_links("no_reply")
    xls = d / "评价管理_导出.xls"
    df = pd.read_html(xls, encoding="gbk")[0].drop(columns=["解释"])
    xls.unlink()  # the link: the sample's own file stays
    df.to_csv(d / "评价.csv", index=False, encoding="utf-8-sig")
    r = build_daily_review(str(d))
    assert "review_reply" in r.missing and "回复" in r.missing["review_reply"]
    assert not _findings(r, "未回复")
    assert len(r.health_scores.bad_reviews)  # the table still shows
