"""Same and near-same products (同款) across shops: find the candidates, let the model decide.

``best_matches`` finds each rival title's candidates of mine in one sparse product of TF-IDF
rows (:mod:`.title_features`) and lets the pair model (:mod:`.pair_model`) decide the
survivors with their prices; pairs of two Chinese titles go to the model fitted on real Taobao
titles. An operator's yes/no answers move the shop's line (:mod:`.shop_answers`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .pair_model import (
    log_odds,
    logit,
    match_model,
    pair_features,
    prices,
    sigmoid,
    undecided,
)
from .shop_answers import shop_probabilities
from .title_features import _CJK, tfidf, title_text

__all__ = ["MATCH_THRESHOLD", "pair_log_odds", "score_pairs", "best_matches"]

CHUNK = 2000  # rival titles scored against all of mine per dense block
TOP_K = 5  # candidates per rival title (by cosine) the pair model scores
CANDIDATE_FLOOR = 0.10  # cosine below which a pair is not worth scoring
# probability at or above which two titles are taken for one product: chosen on the valid
# splits of the labelled sets when the model was trained (benchmarks/train_matcher.py)
MATCH_THRESHOLD = float(match_model()["threshold"])


NO_MATCH = -30.0  # the log-odds of a pair with a title that says nothing (empty, emoji only)


def pair_log_odds(a, b, price_a=None, price_b=None) -> tuple[np.ndarray, pd.DataFrame]:
    """Each pair's log-odds of being one product, and the evidence it was weighed on.

    English and mixed pairs go to the shipped model; pairs of two Chinese titles to the model
    fitted on real Taobao titles (``zh`` in ``match_model.json``), shifted so that its own
    threshold falls on :data:`MATCH_THRESHOLD`: one line decides every pair. A pair where a
    title has no features, or that its model is not trusted with (:func:`.undecided`), is
    never a match.
    """
    model = match_model()
    a, b = [title_text(x) for x in a], [title_text(x) for x in b]
    pa, pb = prices(price_a, len(a)), prices(price_b, len(b))
    feats = pair_features(a, b, pa, pb)
    chinese = np.array([bool(_CJK.search(x) and _CJK.search(y)) for x, y in zip(a, b)], bool)
    z = np.zeros(len(a))
    for rows, part in ((chinese, model["zh"]), (~chinese, model)):
        if rows.any():
            shift = logit(model["threshold"]) - logit(part["threshold"])
            z[rows] = log_odds(feats[rows], part) + shift
            z[rows & undecided(feats, part)] = NO_MATCH
    z[feats["words_fewest"].to_numpy() == 0] = NO_MATCH  # a title with no features
    return z, feats


def score_pairs(a, b, price_a=None, price_b=None) -> np.ndarray:
    """How likely each pair of titles ``a[i]``, ``b[i]`` (prices optional) is one product.

    A pair is taken for one product at :data:`MATCH_THRESHOLD` or above (see
    :func:`pair_log_odds`).
    """
    return sigmoid(pair_log_odds(a, b, price_a, price_b)[0])


def best_matches(
    mine: pd.DataFrame,
    theirs: pd.DataFrame,
    threshold: float | None = None,
    price_band: float = 2.0,
    shop: dict | None = None,
) -> pd.DataFrame:
    """For each of ``theirs`` (title, price, category?), the one of ``mine`` it is most likely.

    Candidates are each rival title's ``TOP_K`` most similar of mine by TF-IDF cosine (one
    sparse product in dense blocks); the pair model scores them with prices. A match needs a
    probability ≥ ``threshold`` (default :data:`MATCH_THRESHOLD`), prices within a factor
    ``price_band`` of each other (a ¥9.9 sample and a ¥199 set are not one product) and,
    where both sides give a category, the same category. ``shop`` (from
    :func:`.shop_answers.refit`) is the layer the shop's own answers fitted. Returns their
    index, my index and the probability.
    """
    threshold = MATCH_THRESHOLD if threshold is None else threshold
    m = tfidf(list(mine["title"]) + list(theirs["title"])).astype(np.float32)
    m_t, t_t = m[: len(mine)].T.tocsr(), m[len(mine) :]
    pairs = []
    for lo in range(0, t_t.shape[0], CHUNK):  # dense blocks: one product, then top-k per row
        sims = (t_t[lo : lo + CHUNK] @ m_t).toarray()
        k = min(TOP_K, sims.shape[1])
        part = np.argpartition(sims, -k, axis=1)[:, -k:]  # the k best, unordered
        rows = np.repeat(np.arange(part.shape[0]), k)
        keep = sims[rows, part.ravel()] >= CANDIDATE_FLOOR
        pairs.append(np.column_stack([rows[keep] + lo, part.ravel()[keep]]))
    cand = np.concatenate(pairs) if pairs else np.empty((0, 2), dtype=int)
    if len(cand) == 0:
        return pd.DataFrame(columns=["theirs", "mine", "score"])
    i, j = cand[:, 0], cand[:, 1]
    their_price = prices(theirs["price"], len(theirs))[i]
    mine_price = prices(mine["price"], len(mine))[j]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = their_price / mine_price
    ok = (ratio >= 1 / price_band) & (ratio <= price_band)
    if "category" in mine and "category" in theirs:
        a = theirs["category"].to_numpy(dtype=object)[i]
        b = mine["category"].to_numpy(dtype=object)[j]
        ok &= ~(pd.notna(a) & pd.notna(b) & (a != b))
    i, j = i[ok], j[ok]
    if len(i) == 0:
        return pd.DataFrame(columns=["theirs", "mine", "score"])
    z, _ = pair_log_odds(
        theirs["title"].to_numpy()[i], mine["title"].to_numpy()[j], their_price[ok], mine_price[ok]
    )
    probs = shop_probabilities(z, shop)
    found = pd.DataFrame({"i": i, "j": j, "score": probs})
    found = found[found["score"] >= threshold].sort_values("score", ascending=False)
    found = found.drop_duplicates("i")
    return pd.DataFrame(
        {
            "theirs": theirs.index[found["i"]],
            "mine": mine.index[found["j"]],
            "score": found["score"].astype(float).to_numpy(),
        }
    ).sort_values("theirs", kind="stable", ignore_index=True)
