"""The operator's answers on 同款 pairs: read back, respected, and learned from."""

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.rivals.review import build_rival_review, twins_file, write_tables
from ecomops_helpers.rivals.shop_answers import (
    ANSWERS_TO_LEARN,
    answer_of,
    line_of,
    refit,
    shop_probabilities,
)
from ecomops_helpers.rivals.title_match import MATCH_THRESHOLD, pair_log_odds

SETS = Path(__file__).resolve().parents[2] / "shared" / "data" / "product_matching"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from pairs import read_pairs  # noqa: E402  (the labelled-pair reader the benchmarks use)


def _precision(pred, label):
    return float(np.sum(pred & (label == 1)) / pred.sum()) if pred.sum() else 0.0


def test_answers_are_read_as_operators_write_them():
    assert [answer_of(x) for x in ("是", "否", "yes", "No", " 1 ", "0", "", None, "maybe")] == [
        True,
        False,
        True,
        False,
        True,
        False,
        None,
        None,
        None,
    ]


def test_the_twins_file_comes_back_rejected_pairs_never_return_confirmed_ones_stay(
    sample_dir, tmp_path
):
    shop = tmp_path / "shop"
    shutil.copytree(sample_dir, shop)
    first = build_rival_review(shop, lang="zh")
    assert len(first.matches) >= 1
    written = write_tables(first, tmp_path / "out")["twins"]
    answers = pd.read_csv(written, dtype=str, encoding="utf-8-sig")
    assert {"item_id", "rival_item", "是否同款"} <= set(answers.columns)  # zh report: zh header
    assert answers["是否同款"].fillna("").eq("").all()  # nothing answered yet

    # the operator rejects today's pair and confirms a pair the matcher did not make
    rejected = answers.iloc[0]
    listings = ExportFolder(shop).load("competitor_listings")
    other = listings[~listings["item_id"].isin(answers["rival_item"])]["item_id"].iloc[0]
    mine = first.mine["item_id"].iloc[-1]
    answers["是否同款"] = "否"
    extra = answers.iloc[:1].assign(rival_item=other, item_id=mine, 是否同款="是")
    pd.concat([answers, extra]).to_csv(shop / "我的同款确认.csv", index=False)

    second = build_rival_review(shop, lang="zh")
    pairs = set(zip(second.matches["rival_item"], second.matches["item_id"]))
    assert (rejected["rival_item"], rejected["item_id"]) not in pairs
    assert (other, mine) in pairs
    again = twins_file(second)
    row = again[(again["rival_item"] == other) & (again["item_id"] == mine)]
    assert row["是否同款"].tolist() == ["是"]  # earlier answers come filled in
    assert second.learned_from == 0  # fewer than ANSWERS_TO_LEARN: the shipped model


def test_a_simulated_operator_over_five_runs_raises_precision_on_pairs_held_apart():
    """WDC shoe offers (titles only): the shipped line lets through many colour variants.
    Each run the operator answers the 10 pairs the report shows (at random among the
    matches); from ANSWERS_TO_LEARN answers on the shop's line is refitted to them."""
    d = read_pairs(SETS / "WDC-shoes-valid.txt")
    z, _ = pair_log_odds(d["title_a"], d["title_b"])
    y = d["label"].to_numpy()
    order = np.random.default_rng(0).permutation(len(d))
    held, pool = order[: len(d) // 2], order[len(d) // 2 :]
    shown = pool[shop_probabilities(z[pool], None) >= MATCH_THRESHOLD]
    shop, answered, precision = None, [], []
    for run in range(5):
        p = shop_probabilities(z, shop)
        precision.append(_precision(p[held] >= MATCH_THRESHOLD, y[held]))
        answered += list(shown[run * 10 : run * 10 + 10])
        if len(answered) >= ANSWERS_TO_LEARN:
            shop = refit(z[answered], y[answered], MATCH_THRESHOLD)
    precision.append(_precision(shop_probabilities(z, shop)[held] >= MATCH_THRESHOLD, y[held]))
    assert len(answered) == min(50, len(shown)) >= ANSWERS_TO_LEARN
    assert shop["answers"] == len(answered) and shop["shift"] > 0
    assert precision[1] == precision[0]  # 10 answers: not enough to learn from
    assert precision[-1] > precision[0] + 0.05, precision


def test_answers_below_the_line_can_lower_it_and_ties_keep_it():
    z = np.array([2.0, 1.0, -0.2, -0.4, -3.0])
    line = np.log(MATCH_THRESHOLD / (1 - MATCH_THRESHOLD))
    said_all_yes = refit(z + line, [True, True, True, True, False], MATCH_THRESHOLD)
    assert said_all_yes["shift"] < 0  # the operator confirmed pairs below the line
    only_shown = refit(np.array([2.0, 1.5, 1.0]) + line, [True, True, True], MATCH_THRESHOLD)
    assert only_shown["shift"] == 0  # nothing to learn: the line stays


def test_the_report_says_where_the_shops_line_moved():
    from ecomops_helpers.page.i18n import Messages
    from ecomops_helpers.rivals.review import RivalReview, RivalReviewThresholds, answers_lines

    assert line_of(0.36, {"shift": 0.0}) == pytest.approx(0.36)
    moved = line_of(0.36, {"shift": 1.0})
    assert moved > 0.36 and shop_probabilities([np.log(moved / (1 - moved))], {"shift": 1.0})[
        0
    ] == pytest.approx(0.36)  # a pair on the moved line scores the old line
    r = RivalReview(
        report_date=pd.Timestamp("2026-10-21"),
        thresholds=RivalReviewThresholds(match_threshold=0.36),
        lang="en",
        listings=pd.DataFrame(),
        renames=[],
        changes=pd.DataFrame(),
        recent_changes=pd.DataFrame(),
        learned_from=40,
        line=moved,
    )
    said = " ".join(answers_lines(r, Messages("en")))
    assert "Learned from 40" in said and f"0.36 to {moved:.2f}" in said


def test_an_english_answers_file_is_recognised_too(export_dir):
    (export_dir / "twins (1).csv").write_text(
        "title,shop,rival_title,score,item_id,rival_item,same_product\n"
        "Storage bin,Rival,Storage bin 6 pack,0.52,A1,R9,yes\nShelf,Rival,Shelf 3 tier,0.40,A2,R7,\n",
        encoding="utf-8",
    )
    folder = ExportFolder(export_dir, cache=None)
    assert [f.kind for f in folder.files] == ["twin_answers"]
    rows = folder.load("twin_answers")
    said = {r: answer_of(a) for r, a in zip(rows["rival_item"], rows["same_product"])}
    assert said == {"R9": True, "R7": None}
