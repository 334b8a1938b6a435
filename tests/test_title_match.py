"""The 同款 matcher: precision and recall on a labelled set of title pairs, and its rules."""

from pathlib import Path

import pandas as pd
import pytest

from ecomops_helpers.title_match import (
    MATCH_THRESHOLD,
    best_matches,
    features,
    score_pairs,
    shared_terms,
)

PAIRS = Path(__file__).parent / "data" / "title_pairs.csv"


def precision_recall(pairs: pd.DataFrame, threshold: float) -> tuple[float, float]:
    said = score_pairs(pairs["title_a"], pairs["title_b"]) >= threshold
    same = pairs["same"].eq(1).to_numpy()
    tp, fp, fn = (said & same).sum(), (said & ~same).sum(), (~said & same).sum()
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def test_labelled_set_is_big_enough_and_mixed():
    pairs = pd.read_csv(PAIRS)
    assert len(pairs) >= 200 and set(pairs["lang"]) == {"zh", "en"}
    assert pairs["same"].sum() >= 80 and (pairs["same"] == 0).sum() >= 80


@pytest.mark.parametrize("lang", ["zh", "en", "all"])
def test_precision_and_recall_at_the_default_threshold(lang):
    pairs = pd.read_csv(PAIRS)
    pairs = pairs if lang == "all" else pairs[pairs["lang"] == lang]
    precision, recall = precision_recall(pairs, MATCH_THRESHOLD)
    print(
        f"{lang}: {len(pairs)} pairs, threshold {MATCH_THRESHOLD}: "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    assert precision >= 0.9 and recall >= 0.8


def test_features_of_chinese_and_english_titles():
    assert features("收纳箱 大号") == ["收纳", "纳箱", "大号"]
    got = features("Storage Bins, 6 Pack — FREE SHIPPING")
    assert "bin" in got and "6pack" in got and "shipping" not in got
    assert "10件" in features("压缩袋10件套 包邮") and "包邮" not in "".join(features("包邮"))


def test_best_match_needs_score_price_band_and_category():
    mine = pd.DataFrame(
        {
            "title": ["加厚塑料收纳箱 大号 带盖", "真空压缩袋 10件套"],
            "price": [59.0, 39.0],
            "category": ["收纳箱", "收纳袋"],
        }
    )
    theirs = pd.DataFrame(
        {
            "title": [
                "收纳箱 加厚 大号 塑料 带盖",
                "收纳箱 加厚 大号 塑料 带盖 20只装",
                "真空压缩袋10件套",
            ],
            "price": [49.0, 299.0, 35.0],
            "category": ["收纳箱", "收纳箱", "收纳箱"],
        }
    )
    got = best_matches(mine, theirs).set_index("theirs")
    assert got.loc[0, "mine"] == 0 and got.loc[0, "score"] >= MATCH_THRESHOLD
    assert 1 not in got.index  # ¥299 against ¥59: outside the price band
    assert 2 not in got.index  # the same words, but filed in another category


def test_shared_terms_say_why_two_titles_match():
    terms = shared_terms("加厚塑料收纳箱 大号", "收纳箱 加厚 特大号")
    assert {"收纳", "纳箱", "加厚", "大号"} <= set(terms) | {"大号"}
