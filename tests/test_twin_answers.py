"""The operator's answers on 同款 pairs: read back, respected, and learned from."""

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.rivals.review import build_rival_review, twins_file, write_tables
from ecomops_helpers.rivals.title_match import (
    ANSWERS_TO_LEARN,
    MATCH_THRESHOLD,
    answer_of,
    calibrated,
    recalibrate,
    score_pairs,
)

SETS = Path(__file__).resolve().parents[2] / "shared" / "data" / "product_matching"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from pairs import read_pairs  # noqa: E402  (the labelled-pair reader the benchmarks use)


def _prf(pred, label):
    tp = float(np.sum(pred & (label == 1)))
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / (label == 1).sum()
    return 2 * p * r / (p + r) if p + r else 0.0


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


def test_a_simulated_operator_over_five_runs_raises_f1_on_pairs_held_apart():
    """WDC shoe offers (titles only): the shipped threshold is too strict for them. Each run
    the operator answers the 10 pairs the report shows (the highest scores) and the 5 nearest
    the line; from ANSWERS_TO_LEARN answers on the model is refitted to them."""
    d = read_pairs(SETS / "WDC-shoes-valid.txt")
    s = score_pairs(d["title_a"], d["title_b"])
    y = d["label"].to_numpy()
    order = np.random.default_rng(0).permutation(len(d))
    held, pool = order[: len(d) // 2], list(order[len(d) // 2 :])
    cal, answered, f1 = (1.0, 0.0), [], [_prf(s[held] >= MATCH_THRESHOLD, y[held])]
    for _ in range(5):
        p = calibrated(s, *cal)
        open_ = [i for i in pool if i not in answered]
        shown = sorted(open_, key=lambda i: -p[i])[:10]
        near = [
            i for i in sorted(open_, key=lambda i: abs(p[i] - MATCH_THRESHOLD)) if i not in shown
        ]
        answered += shown + near[:5]
        if len(answered) >= ANSWERS_TO_LEARN:
            cal = recalibrate(s[answered], y[answered])
        f1.append(_prf(calibrated(s, *cal)[held] >= MATCH_THRESHOLD, y[held]))
    assert len(answered) == 75
    assert f1[1] == f1[0]  # 15 answers: not enough to learn from
    assert f1[-1] > f1[0] + 0.05, f1


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
