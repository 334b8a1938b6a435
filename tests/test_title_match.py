"""The 同款 matcher: precision and recall on a labelled set of title pairs, and its rules."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.rivals.pair_model import (
    PAIR_FEATURES,
    log_odds,
    match_model,
    pair_features,
    probabilities,
    reasons,
    trees_of,
)
from ecomops_helpers.rivals.title_features import features, title_facts
from ecomops_helpers.rivals.title_match import (
    MATCH_THRESHOLD,
    best_matches,
    pair_log_odds,
    score_pairs,
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
    # bigrams, and beside them the dictionary words: a bigram that is a word counts twice
    assert features("收纳箱 大号") == ["收纳", "纳箱", "收纳", "大号", "大号"]
    assert "空军一号" in features("空军一号板鞋") and "号板" in features("空军一号板鞋")
    got = features("Storage Bins, 6 Pack — FREE SHIPPING")
    assert "bin" in got and "6pk" in got and "shipping" not in got
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


def test_model_codes_units_and_numbers_are_kept_whole():
    assert "wh1000xm4" in features("Sony WH-1000XM4 Headphones")
    assert features("sony wh1000xm4 headphones")[:1] == ["wh1000xm4"]
    assert "kdl40w600b" in features("KDL-40W600B 40-inch TV") and "40in" in features("40-inch TV")
    assert "2007" in features("office 2007") and "1.7cu" in features("1.7 cu ft microwave")
    assert "lens" in features("camera lens") and "16gb" in features("16 GB card")
    assert "15.4in" in features('backpack for 15.4" laptops') and "10件" in features("压缩袋10件套")


def test_conflicting_codes_sizes_and_versions_count_against_a_match():
    f = pair_features(
        ["SanDisk Ultra 16GB SD card", "Sony WH-1000XM4 black", "Microsoft Office 2007"],
        ["SanDisk Ultra 32GB SD card", "Sony WH-1000XM3 black", "Microsoft Office 2010"],
    )
    assert f["unit_conflict"].tolist() == [1.0, 0.0, 0.0]
    assert f["code_conflict"].tolist() == [0.0, 1.0, 0.0]
    assert f["number_conflict"].tolist() == [0.0, 0.0, 1.0]


def test_the_neighbouring_model_is_not_the_same_product():
    a = ["Sony WH-1000XM4 Wireless Noise Cancelling Headphones Black"] * 2
    b = [
        "sony wh1000xm4 noise canceling headphones - black",
        "Sony WH-1000XM3 Wireless Noise Cancelling Headphones Black",
    ]
    same, neighbour = score_pairs(a, b, [348.0, 348.0], [329.0, 278.0])
    assert same >= MATCH_THRESHOLD > neighbour


def test_the_shipped_model_says_what_it_was_trained_and_measured_on():
    m = match_model()
    assert m["kind"] == "trees" and m["threshold"] == MATCH_THRESHOLD
    assert m["features"] == list(PAIR_FEATURES) and len(m["trees"]) >= 50
    assert all(name.endswith("-train.txt") for name in m["trained_on"])
    for model in (m, m["zh"]):
        assert set(model["valid"]) and all(
            {"precision", "recall", "f1"} <= set(v) for v in model["valid"].values()
        )
        assert set(model["current_f1"]) == set(model["valid"])


def test_exported_trees_give_scikit_learns_own_probabilities():
    from sklearn.ensemble import GradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.normal(size=(400, 3)), columns=["a", "b", "c"])
    y = (x["a"] + 0.5 * x["b"] ** 2 + rng.normal(scale=0.5, size=400) > 0.5).astype(int)
    boosting = GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=0)
    fitted = boosting.fit(x.to_numpy(), y)
    model = trees_of(fitted, ["a", "b", "c"])
    fresh = pd.DataFrame(rng.normal(size=(200, 3)), columns=["a", "b", "c"])
    want = fitted.predict_proba(fresh.to_numpy())[:, 1]
    assert probabilities(fresh, model) == pytest.approx(want, abs=1e-12)


def test_the_notebooks_default_threshold_is_the_models():
    import papermill

    from ecomops_helpers.paths import NOTEBOOKS_DIR

    declared = papermill.inspect_notebook(str(NOTEBOOKS_DIR / "competitor_tracking.ipynb"))
    assert float(declared["match_threshold"]["default"]) == MATCH_THRESHOLD


def test_two_chinese_titles_are_scored_by_the_model_fitted_on_taobao_titles():
    zh = match_model()["zh"]
    assert all(name.startswith("Ali-") for name in zh["trained_on"])
    a, b = (
        ["加厚塑料收纳箱 大号 带盖", "Sony WH-1000XM4 头戴式耳机"],
        ["收纳箱 加厚 大号", "sony wh1000xm4"],
    )
    z, feats = pair_log_odds(a, b)
    line = np.log(MATCH_THRESHOLD / (1 - MATCH_THRESHOLD))
    shift = line - np.log(zh["threshold"] / (1 - zh["threshold"]))
    assert z[0] == pytest.approx(log_odds(feats[:1], zh)[0] + shift)
    assert z[1] == pytest.approx(log_odds(feats[1:], match_model())[0])  # one title: English
    # on the common line: the Chinese model's own threshold lands on MATCH_THRESHOLD
    assert score_pairs(a, b).tolist() == pytest.approx((1 / (1 + np.exp(-z))).tolist())


@pytest.mark.parametrize(
    "bad", ["", "   ", "🔥🔥🔥", "😀 👍", None, float("nan"), "——", "!!!"], ids=repr
)
def test_a_title_that_says_nothing_is_never_a_match(bad):
    titles = [bad, "Sony WH-1000XM4 headphones"]
    assert (score_pairs(titles, [bad, bad]) < 1e-9).all()
    mine = pd.DataFrame({"title": [bad, "Sony WH-1000XM4 headphones"], "price": [99.0, 348.0]})
    theirs = pd.DataFrame({"title": [bad, bad], "price": [99.0, 348.0]})
    assert best_matches(mine, theirs).empty
    assert isinstance(reasons(bad, "Sony WH-1000XM4", 0, None), list)


@pytest.mark.parametrize("price", [0, 0.0, None, float("nan"), "", "abc", "--", -5])
def test_a_price_of_zero_or_missing_gives_no_match_and_no_crash(price):
    title = "Sony WH-1000XM4 Wireless Noise Cancelling Headphones Black"
    mine = pd.DataFrame({"title": [title], "price": [348.0]})
    theirs = pd.DataFrame({"title": [title], "price": [price]}, dtype=object)
    assert best_matches(mine, theirs).empty  # no price band can be checked
    f = pair_features([title], [title], [price], [348.0])
    assert f["price_known"].tolist() == [0.0] and f["price_gap"].tolist() == [0.0]
    assert all(key != "price_ratio" for key, _ in reasons(title, title, price, 348.0))


def test_colours_editions_and_accessories_are_read_in_several_languages():
    assert title_facts("Nike Air Max 90 - Blanco/Negro")["colours"] == {"white", "black"}
    assert title_facts("iPhone 13 手机壳 黑色")["colours"] == {"black"}
    assert title_facts("iPhone 13 手机壳 黑色")["accessories"] == {"手机壳"}
    assert title_facts("Photoshop CS3 upgrade for Mac")["editions"] == {"upgrade", "mac"}
    assert title_facts("Casio GA-110GB-1AER")["codes"] == {"ga110gb1aer"}
    assert title_facts("Nike Roshe One 511881-405")["codes"] == {"511881405"}
    f = pair_features(["Nike Roshe One black"], ["Nike Roshe One white"])
    assert f["colour_conflict"].tolist() == [1.0]
