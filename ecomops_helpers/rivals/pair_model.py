"""The evidence that two listings are one product (同款), and the model that weighs it.

:func:`pair_features` turns a pair of titles (and prices) into named evidence a reader can
check: the same model code, a clashing size, another colour, the price ratio. The shipped
model (``match_model.json``) is scikit-learn's gradient boosting fitted on labelled listing
pairs (``make matcher`` runs ``benchmarks/train_matcher.py``); its trees are kept as plain
arrays, so scoring needs numpy only. :func:`reasons` says, for one pair, what spoke for and
against it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from .title_features import (
    _CJK,
    _normal,
    char_ngrams,
    features,
    is_word,
    tfidf,
    title_facts,
    title_text,
)

PAIR_FEATURES = (
    "cos_words",  # TF-IDF cosine of the word / code / unit features
    "cos_chars",  # TF-IDF cosine of character 2–4-grams (typos, joined words)
    "jaccard",  # shared share of the feature sets
    "containment",  # share of the shorter title's features found in the other
    "cos_product",  # cos_words × cos_chars: both agree
    "unmatched_most",  # the larger share of a title's TF-IDF weight the other lacks
    "unmatched_least",  # the smaller such share
    "words_fewest",  # features of the shorter title: "Air Presto" says little
    "code_shared",  # a model code in both
    "code_conflict",  # both carry codes, none shared: another model
    "code_near",  # codes one letter apart or one the start of the other: a variant
    "code_in_other",  # a code of one written with spaces or dots in the other
    "unit_shared",  # a size, capacity or count in both
    "unit_conflict",  # the same unit with other values: 16gb vs 32gb, 10件 vs 20件
    "number_shared",
    "number_conflict",  # versions, model numbers: office 2007 vs 2010
    "numbers_one_side",  # numbers only one title carries
    "numbers_each_side",  # each title carries a number the other lacks: 82 vs 92
    "colour_shared",
    "colour_conflict",  # both name colours, none in common: black vs white
    "edition_differs",  # upgrade / mac / kids … in one and not the other
    "accessory_one_side",  # a part word (case, charger, 手机壳) in one title only
    "brand_same",  # the first word (the brand, where titles lead with it) is the same
    "price_gap",  # |log(price a / price b)|, 0 when a price is unknown
    "price_known",
)
MODEL_PATH = Path(__file__).with_name("match_model.json")


def _incidence(sets: list) -> sparse.csr_matrix:
    """One row per title, one column per distinct member of the ``sets``: 1 where it holds it."""
    flat = [m for members in sets for m in members]
    codes, vocab = pd.factorize(pd.Series(flat, dtype=object))
    rows = np.repeat(np.arange(len(sets)), [len(m) for m in sets])
    m = sparse.csr_matrix(
        (np.ones(len(flat)), (rows, codes)), shape=(len(sets), max(len(vocab), 1))
    )
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


class _Pairs:
    """The titles of many pairs, each distinct title read once; set evidence as sparse rows."""

    def __init__(self, a: list[str], b: list[str]):
        self.titles = list(dict.fromkeys(a + b))
        where = {t: i for i, t in enumerate(self.titles)}
        self.ia = np.array([where[t] for t in a], dtype=np.int64)
        self.ib = np.array([where[t] for t in b], dtype=np.int64)
        self.facts = [title_facts(t) for t in self.titles]

    def counts(self, sets: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each pair: how many members the left set, the right set and both hold."""
        m = _incidence(sets)
        size = m.getnnz(axis=1)
        both = np.asarray(m[self.ia].multiply(m[self.ib]).sum(axis=1)).ravel()
        return size[self.ia], size[self.ib], both

    def fact(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.counts([f[key] for f in self.facts])

    def where(self, rows: np.ndarray, test) -> np.ndarray:
        """``test(left facts, right facts)`` on the pairs at ``rows`` only; 0 elsewhere."""
        out = np.zeros(len(self.ia))
        for r in np.flatnonzero(rows):
            out[r] = float(test(self.facts[self.ia[r]], self.facts[self.ib[r]]))
        return out

    def similarities(self, featurize=None) -> tuple[np.ndarray, ...]:
        """Each pair's TF-IDF cosine and the share of each side's weight the other lacks.

        IDF over the distinct titles, each counted once.
        """
        m = tfidf(self.titles, featurize)
        ma, mb = m[self.ia], m[self.ib]
        cos = np.asarray(ma.multiply(mb).sum(axis=1)).ravel()
        if featurize is not None:
            return (cos,)
        lacks_a = 1 - np.asarray(ma.multiply(ma).multiply(mb != 0).sum(axis=1)).ravel()
        lacks_b = 1 - np.asarray(mb.multiply(mb).multiply(ma != 0).sum(axis=1)).ravel()
        return cos, lacks_a, lacks_b


def _near(fx: dict, fy: dict) -> bool:
    """Two codes one letter apart, or one the start of the other (dscw150 / dscw150r)."""
    for x in fx["codes"]:
        for y in fy["codes"]:
            short, long_ = sorted((x, y), key=len)
            if len(short) >= 4 and long_.startswith(short):
                return True
            if len(x) == len(y) and sum(c != d for c, d in zip(x, y)) == 1:
                return True
    return False


def _in_other(fx: dict, fy: dict) -> bool:
    """A code of one title written with spaces or dots in the other (ivisa 50 light)."""
    return any(c in fy["squashed"] for c in fx["codes"] - fy["codes"]) or any(
        c in fx["squashed"] for c in fy["codes"] - fx["codes"]
    )


def _unit_clash(fx: dict, fy: dict) -> bool:
    """The same unit with other values: 16gb vs 32gb, 10件 vs 20件."""
    ux = {fx["unit_kinds"][u] for u in fx["units"] - fy["units"]}
    return any(fy["unit_kinds"][u] in ux for u in fy["units"] - fx["units"])


def pair_features(a, b, price_a=None, price_b=None) -> pd.DataFrame:
    """The evidence for and against each pair ``a[i]``, ``b[i]`` being one product.

    One row per pair, the columns of :data:`PAIR_FEATURES`; IDF over both title lists. An
    empty title has no features: every similarity of its pairs is 0.
    """
    a, b = [title_text(x) for x in a], [title_text(x) for x in b]
    p = _Pairs(a, b)
    out = {}
    wa, wb, w = p.counts([features(t) for t in p.titles])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["jaccard"] = np.where(wa + wb > 0, w / (wa + wb - w), 0.0)
        out["containment"] = np.where((wa > 0) & (wb > 0), w / np.minimum(wa, wb), 0.0)
    out["words_fewest"] = np.minimum(wa, wb).astype(float)
    ca, cb, c = p.fact("codes")
    conflict = (ca > 0) & (cb > 0) & (c == 0)
    out["code_shared"], out["code_conflict"] = c > 0, conflict
    out["code_near"] = p.where(conflict, _near)
    out["code_in_other"] = p.where((ca > c) | (cb > c), _in_other)
    ua, ub, u = p.fact("units")
    out["unit_shared"], out["unit_conflict"] = u > 0, p.where((ua > u) & (ub > u), _unit_clash)
    na, nb, n = p.fact("numbers")
    out["number_shared"] = n > 0
    out["number_conflict"] = (na > 0) & (nb > 0) & (n == 0)
    out["numbers_one_side"] = np.minimum(na + nb - 2 * n, 5)
    out["numbers_each_side"] = (na > n) & (nb > n)
    ka, kb, k = p.fact("colours")
    out["colour_shared"], out["colour_conflict"] = k > 0, (ka > 0) & (kb > 0) & (k == 0)
    ea, eb, e = p.fact("editions")
    out["edition_differs"] = ea + eb - 2 * e > 0
    xa, xb, _ = p.fact("accessories")
    out["accessory_one_side"] = (xa > 0) != (xb > 0)
    words = pd.Series([(_normal(t).split() or [""])[0] for t in p.titles])
    first = np.where(words == "", -1, pd.factorize(words)[0])
    out["brand_same"] = (first[p.ia] == first[p.ib]) & (first[p.ia] >= 0)
    cos, lacks_a, lacks_b = p.similarities()
    out["cos_words"] = cos
    out["cos_chars"] = p.similarities(char_ngrams)[0]
    out["cos_product"] = cos * out["cos_chars"]
    empty = (wa == 0) | (wb == 0)
    out["unmatched_most"] = np.where(empty, 1.0, np.maximum(lacks_a, lacks_b))
    out["unmatched_least"] = np.where(empty, 1.0, np.minimum(lacks_a, lacks_b))
    pa, pb = prices(price_a, len(a)), prices(price_b, len(b))
    known = (pa > 0) & (pb > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["price_gap"] = np.where(known, np.abs(np.log(pa / pb)), 0.0)
    out["price_known"] = known
    return pd.DataFrame({c: np.asarray(out[c], dtype=float) for c in PAIR_FEATURES})


def undecided(feats: pd.DataFrame, model: dict) -> np.ndarray:
    """Pairs the model is not trusted with.

    Word similarity below its ``word_floor``, or below the higher floor of ``short_titles``
    where the shorter title has fewer features than nearly all the model learned from (one
    shared word is much of a short title).
    """
    cos = feats["cos_words"].to_numpy()
    out = cos < model.get("word_floor", 0.0)
    if short := model.get("short_titles"):
        few = feats["words_fewest"].to_numpy() < short["below_words"]
        out |= few & (cos < short["word_floor"])
    return out


def prices(values, n: int) -> np.ndarray:
    """Prices as floats (NaN where none was given or the cell is not a number)."""
    if values is None:
        return np.full(n, np.nan)
    return pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").to_numpy(float)


@cache
def match_model() -> dict:
    """The shipped pair models: English, and Chinese under ``zh``.

    Each with its threshold and the valid-split figures it was chosen on.
    """
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def logit(p):
    """Probability → log-odds."""
    p = np.asarray(p, float)
    return np.log(p / (1 - p))


def sigmoid(z):
    """Log-odds → probability."""
    return 1 / (1 + np.exp(-np.asarray(z, float)))


def log_odds(feats: pd.DataFrame, model: dict) -> np.ndarray:
    """The trees' log-odds that each pair of :func:`pair_features` is one product.

    Gradient boosting: a start value plus the learning rate times each tree's leaf. The
    trees compare float32 values, as scikit-learn fitted them.
    """
    x = feats[model["features"]].to_numpy(float).astype(np.float32).astype(float)
    base = np.arange(len(x)) * x.shape[1]
    flat = x.ravel()
    total = np.full(len(x), float(model["init"]))
    for tree in model["trees"]:
        children, feature, threshold, value = _arrays(tree)
        node = np.zeros(len(x), dtype=np.int64)
        for _ in range(model["depth"]):  # a leaf points to itself: extra steps stay there
            right = flat[base + feature[node]] > threshold[node]
            node = children[right.astype(np.int64), node]
        total += model["learning_rate"] * value[node]
    return total


def _arrays(tree: dict) -> tuple[np.ndarray, ...]:
    """One tree as arrays.

    Children (a row of left and a row of right; a leaf is its own child), split feature,
    threshold (a leaf's is infinite) and leaf value.
    """
    left, right = np.asarray(tree["left"]), np.asarray(tree["right"])
    leaf = left < 0
    own = np.arange(len(left))
    return (
        np.vstack([np.where(leaf, own, left), np.where(leaf, own, right)]),
        np.asarray(tree["feature"]),
        np.where(leaf, np.inf, np.asarray(tree["threshold"], float)),
        np.asarray(tree["value"], float),
    )


def probabilities(feats: pd.DataFrame, model: dict) -> np.ndarray:
    """The model's probability that each pair of :func:`pair_features` is one product."""
    return sigmoid(log_odds(feats, model))


def trees_of(estimator, features: list[str]) -> dict:
    """A fitted scikit-learn ``GradientBoostingClassifier`` (binary, log-loss) as plain arrays.

    Read from its documented attributes (``estimators_[i, 0].tree_``, ``learning_rate``);
    the start value is what its decision function adds to the trees.
    """
    trees = [e[0].tree_ for e in estimator.estimators_]
    x0 = np.zeros((1, len(features)))
    init = float(
        estimator.decision_function(x0)[0]
        - estimator.learning_rate
        * sum(float(t.predict(x0.astype(np.float32))[0, 0]) for t in trees)
    )
    return {
        "kind": "trees",
        "features": list(features),
        "init": init,
        "learning_rate": float(estimator.learning_rate),
        "depth": int(max(t.max_depth for t in trees)),
        "trees": [
            {
                "left": t.children_left.tolist(),
                "right": t.children_right.tolist(),
                "feature": np.maximum(t.feature, 0).tolist(),
                "threshold": t.threshold.tolist(),
                "value": t.value[:, 0, 0].tolist(),
            }
            for t in trees
        ],
    }


def _listed(values) -> str:
    return "/".join(sorted(values)) or "—"


REASONS = (  # what reasons() can say, strongest first
    "code_shared",
    "code_conflict",
    "unit_shared",
    "unit_conflict",
    "number_conflict",
    "colour_shared",
    "colour_conflict",
    "edition_differs",
    "accessory",
    "words_shared",
    "price_ratio",
)


def shared_words(a: str, b: str, n: int = 4) -> list[str]:
    """The words two titles share that a reader recognises, longest first.

    A Chinese character pair counts only when it is a word (in jieba's dictionary) and no
    longer shared word holds it: 化妆品, not 化妆 妆品 品收.
    """
    common = sorted(set(features(a)) & set(features(b)), key=lambda f: (-len(f), f))
    out: list[str] = []
    for term in common:
        if _CJK.fullmatch(term) and (len(term) == 2 and not is_word(term)):
            continue
        if not any(term in kept for kept in out):
            out.append(term)
    return out[:n]


def reasons(a: str, b: str, price_a=None, price_b=None) -> list[tuple[str, dict]]:
    """What speaks for and against ``a`` and ``b`` being one product, strongest first.

    Each reason is a key and its values, for a report to word: ``("code_shared",
    {"code": "55le5400"})``, ``("price_ratio", {"ratio": "0.96"})`` (``a``'s price over
    ``b``'s). The keys are :data:`REASONS`.
    """
    a, b = title_text(a), title_text(b)
    fa, fb = title_facts(a), title_facts(b)
    out: list[tuple[str, dict]] = []
    if codes := fa["codes"] & fb["codes"]:
        out.append(("code_shared", {"code": _listed(codes)}))
    elif fa["codes"] and fb["codes"]:
        out.append(("code_conflict", {"a": _listed(fa["codes"]), "b": _listed(fb["codes"])}))
    if units := fa["units"] & fb["units"]:
        out.append(("unit_shared", {"unit": _listed(units)}))
    kinds = {fa["unit_kinds"][u] for u in fa["units"] - fb["units"]}
    kinds &= {fb["unit_kinds"][u] for u in fb["units"] - fa["units"]}
    clash = [
        (
            sorted(u for u in fa["units"] - fb["units"] if fa["unit_kinds"][u] == k),
            sorted(u for u in fb["units"] - fa["units"] if fb["unit_kinds"][u] == k),
        )
        for k in sorted(kinds)
    ]
    for x, y in clash:
        if x and y:
            out.append(("unit_conflict", {"a": _listed(x), "b": _listed(y)}))
    if fa["numbers"] and fb["numbers"] and not fa["numbers"] & fb["numbers"]:
        out.append(("number_conflict", {"a": _listed(fa["numbers"]), "b": _listed(fb["numbers"])}))
    if colours := fa["colours"] & fb["colours"]:
        out.append(("colour_shared", {"colour": _listed(colours)}))
    elif fa["colours"] and fb["colours"]:
        out.append(("colour_conflict", {"a": _listed(fa["colours"]), "b": _listed(fb["colours"])}))
    if fa["editions"] != fb["editions"]:
        out.append(
            ("edition_differs", {"a": _listed(fa["editions"]), "b": _listed(fb["editions"])})
        )
    if bool(fa["accessories"]) != bool(fb["accessories"]):
        out.append(("accessory", {"word": _listed(fa["accessories"] | fb["accessories"])}))
    if terms := shared_words(a, b):
        out.append(("words_shared", {"terms": " ".join(terms)}))
    pa, pb = prices([price_a], 1)[0], prices([price_b], 1)[0]
    if pa > 0 and pb > 0:
        out.append(("price_ratio", {"ratio": f"{pa / pb:.2f}"}))
    return out
