"""Same and near-same products (同款) across shops, by title, without a word segmenter.

Chinese titles have no spaces between words, so a title is represented by its character
bigrams (收纳 纳箱 箱大 …) plus, for Latin text, its words, its model codes kept whole, its sizes
and counts with their units (``16gb``, ``10件``) and its bare numbers. Features are weighted by
TF-IDF over the titles compared, so words every title carries (收纳, storage) count little and
the rare ones that name a product count much. Marketing words that name no product (包邮, 新款,
free shipping …) are dropped first.

``score_pairs`` gives each pair a probability from a logistic model on pair evidence (cosines,
code / size / version matches and conflicts, the price gap), shipped as ``match_model.json``;
pairs with a Chinese title keep the cosine rule. ``best_matches`` finds each rival title's
candidates of mine in one sparse matrix product and lets the model decide; an operator's
answers can refit the model to a shop (``recalibrate``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "MATCH_THRESHOLD",
    "NOISE_WORDS",
    "features",
    "char_ngrams",
    "tfidf",
    "score_pairs",
    "best_matches",
    "shared_terms",
    "answer_of",
    "recalibrate",
    "calibrated",
]

CHUNK = 2000  # rival titles scored against all of mine per dense block
TOP_K = 5  # candidates per rival title (by cosine) the pair model scores
CANDIDATE_FLOOR = 0.10  # cosine below which a pair is not worth scoring
NOISE_WORDS = (
    "包邮 新款 正品 爆款 热卖 特价 官方 旗舰店 旗舰 清仓 限时 促销 推荐 家用 网红".split()
    + ["ins", "2025", "2026"]
    + ["free shipping", "best seller", "new", "premium", "upgraded", "of", "set of", "for", "with"]
)
_CJK = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[a-z]+|\d+(?:\.\d+)?\s*(?:[a-z]+|[\u3400-\u9fff])?")
_NOISE = re.compile(  # Latin words only as whole words: "ins" is not the end of "bins"
    "|".join(
        rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
        for w in sorted(NOISE_WORDS, key=len, reverse=True)
    )
)


@lru_cache(maxsize=1 << 17)  # the same titles come back in every pair and every TF-IDF
def _normal(title: str) -> str:
    text = unicodedata.normalize("NFKC", str(title)).lower()
    text = re.sub(r"(\d)\s*(?:\"|''|”|″)", r"\1in", text)  # 15.4" is 15.4 inches
    text = _NOISE.sub(" ", text)
    text = _join_codes(text)  # kdl-40w600b, wh-1000xm4, 293461-b21: one code each
    return re.sub(r"[^\w\u3400-\u9fff.]+", " ", text)


# a hyphen or slash inside a model code: letters before digits, or digits before a
# letter-and-digit part (never a range such as 16-50mm, nor 40-inch)
_CODE_JOIN = (
    re.compile(r"\b([a-z]\w*)[-/](\d\w*)"),
    re.compile(r"\b(\d+)[-/]([a-z]+\d\w*)"),
)


def _join_codes(text: str) -> str:
    for pattern in _CODE_JOIN:
        text = pattern.sub(r"\1\2", text)
    return text


UNITS = {  # how a size, capacity or count is written → one spelling per unit
    **dict.fromkeys(["tb", "gb", "mb", "mah", "mm", "cm", "ml", "oz", "mp", "ghz", "hz"], None),
    **dict.fromkeys(["w", "v", "m", "l", "k", "ft", "qt", "gal", "ct", "cu", "p"], None),
    "lbs": "lb",
    "lb": "lb",
    "inch": "in",
    "inches": "in",
    "in": "in",
    '"': "in",
    "pack": "pk",
    "pk": "pk",
    "pcs": "pc",
    "pc": "pc",
    "piece": "pc",
    "pieces": "pc",
    **dict.fromkeys(list("件只个包套片层寸双支袋卷瓶盒条张号"), None),
}
_UNIT_NUMBER = re.compile(
    r"(?<![a-z\d.])(\d+(?:\.\d+)?)\s*("
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    + r")(?![a-z])"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NO_STEM = ("ss", "us", "is", "ens", "ics")


def _stem(word: str) -> str:
    plural = len(word) > 3 and word.endswith("s") and not word.endswith(_NO_STEM)
    return word[:-1] if plural else word


def _units(text: str) -> set[str]:
    """Sizes, capacities and counts: ``16gb``, ``1.7cu``, ``10件``, ``15.4in``."""
    out = set()
    for num, unit in _UNIT_NUMBER.findall(text):
        out.add(f"{float(num):g}{UNITS[unit] or unit}")
    return out


@lru_cache(maxsize=1 << 17)
def title_facts(title: str) -> dict:
    """What a title says of its product beyond words: model codes, sizes and counts, numbers.

    Codes keep their letters and digits whole and lose their hyphens, slashes and case
    (``KDL-40W600B`` → ``kdl40w600b``); units are normalised (``16 GB`` → ``16gb``,
    ``15.4"`` → ``15.4in``, ``10件``); bare numbers are versions and model numbers (``2007``).
    """
    text = _normal(title)
    units = _units(text)
    rest = _UNIT_NUMBER.sub(" ", text)
    codes = frozenset(
        t for t in rest.split() if len(t) >= 3 and re.search(r"[a-z]", t) and re.search(r"\d", t)
    )
    numbers = frozenset(n for t in rest.split() if t not in codes for n in _NUMBER.findall(t))
    return {"codes": codes, "units": frozenset(units), "numbers": numbers}


def features(title: str) -> list[str]:
    """A title's features: CJK bigrams, Latin words, codes, sizes and counts, bare numbers.

    Latin words lose a plural ``s``; model codes stay whole; sizes and counts keep their
    units; bare numbers are versions and model numbers (``office 2007``).
    """
    return list(_features(str(title)))


@lru_cache(maxsize=1 << 17)
def _features(title: str) -> tuple[str, ...]:
    """The cached features of one title (see :func:`features`)."""
    text = _normal(title)
    out = []
    for run in _CJK.findall(text):
        out += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
    facts = title_facts(title)
    out += sorted(facts["codes"]) + sorted(facts["units"]) + sorted(facts["numbers"])
    latin = _UNIT_NUMBER.sub(" ", _CJK.sub(" ", text))
    for token in latin.split():
        if token not in facts["codes"] and not _NUMBER.fullmatch(token):
            word = re.sub(r"[\d.]+", "", token)
            if len(word) > 1:
                out.append(_stem(word))
    return tuple(out)


def char_ngrams(title: str, lo: int = 2, hi: int = 4) -> list[str]:
    """The character ``lo``- to ``hi``-grams of a title (lower case, spaces folded)."""
    text = " ".join(unicodedata.normalize("NFKC", str(title)).lower().split())
    return [text[i : i + n] for n in range(lo, hi + 1) for i in range(len(text) - n + 1)]


def tfidf(titles, featurize=None) -> sparse.csr_matrix:
    """Rows of L2-normalised TF-IDF weights, one per title, IDF over these titles.

    Each title's features (``featurize``, default :func:`features`) are extracted once;
    callers compare rows of the one matrix.
    """
    docs = [(featurize or features)(t) for t in titles]
    flat = list(chain.from_iterable(docs))
    codes, vocab = pd.factorize(pd.Series(flat, dtype=object))
    rows = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    m = sparse.csr_matrix(
        (np.ones(len(flat)), (rows, codes)), shape=(len(docs), max(len(vocab), 1))
    )
    m.sum_duplicates()  # term counts
    m.data = 1 + np.log(m.data)
    doc_freq = np.bincount(m.indices, minlength=m.shape[1])
    m = m @ sparse.diags(np.log((1 + len(docs)) / (1 + doc_freq)) + 1)
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
    return (sparse.diags(1 / np.where(norms > 0, norms, 1)) @ m).tocsr()


PAIR_FEATURES = (
    "cos_words",  # TF-IDF cosine of the word / code / unit features
    "cos_chars",  # TF-IDF cosine of character 2–4-grams (typos, joined words)
    "jaccard",  # shared share of the feature sets
    "containment",  # share of the shorter title's features found in the other
    "cos_product",  # cos_words × cos_chars: both agree
    "code_shared",  # a model code in both
    "code_conflict",  # both carry codes, none shared: another model
    "unit_shared",  # a size, capacity or count in both
    "unit_conflict",  # the same unit with other values: 16gb vs 32gb, 10件 vs 20件
    "number_shared",
    "number_conflict",  # versions, model numbers: office 2007 vs 2010
    "brand_same",  # the first word (the brand, where titles lead with it) is the same
    "price_gap",  # |log(price a / price b)|, 0 when a price is unknown
    "price_known",
)
MODEL_PATH = Path(__file__).with_name("match_model.json")
# probability at or above which two titles are taken for one product: chosen on the valid
# splits of the labelled sets when the model was trained (benchmarks/train_matcher.py)
MATCH_THRESHOLD = float(json.loads(MODEL_PATH.read_text(encoding="utf-8"))["threshold"])


def _cosines(a: list[str], b: list[str], featurize=None) -> np.ndarray:
    """Cosine of each pair's TF-IDF rows; IDF over the distinct titles (each counted once)."""
    unique = list(dict.fromkeys(a + b))
    where = {t: i for i, t in enumerate(unique)}
    m = tfidf(unique, featurize)
    ia, ib = [where[t] for t in a], [where[t] for t in b]
    return np.asarray(m[ia].multiply(m[ib]).sum(axis=1)).ravel()


def pair_features(a, b, price_a=None, price_b=None) -> pd.DataFrame:
    """The evidence for and against each pair ``a[i]``, ``b[i]`` being one product.

    One row per pair, the columns of :data:`PAIR_FEATURES`; IDF over both title lists.
    """
    a, b = [str(x) for x in a], [str(x) for x in b]
    facts = {t: title_facts(t) for t in set(a) | set(b)}
    feats = {t: set(features(t)) for t in facts}
    first = {t: (_normal(t).split() or [""])[0] for t in facts}
    rows = []
    for x, y in zip(a, b):
        fx, fy, sx, sy = facts[x], facts[y], feats[x], feats[y]
        common = len(sx & sy)
        row = [common / len(sx | sy) if sx | sy else 0.0]
        row.append(common / min(len(sx), len(sy)) if sx and sy else 0.0)
        for key in ("codes", "units", "numbers"):
            shared = fx[key] & fy[key]
            if key == "units":  # the same unit, another value: a different size or count
                ux = {re.sub(r"^[\d.]+", "", u) for u in fx[key] - shared}
                uy = {re.sub(r"^[\d.]+", "", u) for u in fy[key] - shared}
                conflict = bool(ux & uy)
            else:
                conflict = bool(fx[key]) and bool(fy[key]) and not shared
            row += [float(bool(shared)), float(conflict)]
        row.append(float(first[x] == first[y] and first[x] != ""))
        rows.append(row)
    out = pd.DataFrame(rows, columns=[c for c in PAIR_FEATURES[2:-2] if c != "cos_product"])
    out.insert(0, "cos_words", _cosines(a, b))
    out.insert(1, "cos_chars", _cosines(a, b, char_ngrams))
    out["cos_product"] = out["cos_words"] * out["cos_chars"]
    pa = _prices(price_a, out.index)
    pb = _prices(price_b, out.index)
    known = (pa > 0) & (pb > 0)
    out["price_gap"] = np.abs(np.log(pa.where(known) / pb.where(known))).fillna(0.0).to_numpy()
    out["price_known"] = known.astype(float).to_numpy()
    return out[list(PAIR_FEATURES)]


def _prices(prices, index) -> pd.Series:
    """Prices as floats on ``index`` (NaN where none was given)."""
    if prices is None:
        return pd.Series(np.nan, index=index, dtype=float)
    return pd.Series(np.asarray(prices, dtype=float), index=index)


@cache
def match_model() -> dict:
    """The shipped pair model: feature scaling, weights, threshold and what it was measured on."""
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def probabilities(feats: pd.DataFrame, model: dict | None = None) -> np.ndarray:
    """The model's probability that each pair of :func:`pair_features` is one product."""
    model = model or match_model()
    x = (feats[model["features"]].to_numpy(float) - model["mean"]) / model["scale"]
    return 1 / (1 + np.exp(-(x @ np.asarray(model["coef"]) + model["intercept"])))


def _on_common_scale(p: np.ndarray, threshold: float) -> np.ndarray:
    """Probabilities of a model chosen at ``threshold``, moved onto the common line.

    Shifted in log-odds so that ``threshold`` falls on :data:`MATCH_THRESHOLD`: one line
    decides every pair.
    """
    if threshold == MATCH_THRESHOLD:
        return p
    shift = _logit(np.array([MATCH_THRESHOLD]))[0] - _logit(np.array([threshold]))[0]
    return 1 / (1 + np.exp(-(_logit(p) + shift)))


def score_pairs(a, b, price_a=None, price_b=None) -> np.ndarray:
    """How likely each pair of titles ``a[i]``, ``b[i]`` (prices optional) is one product.

    A probability from the shipped logistic model on :func:`pair_features`; a pair is taken
    for one product at :data:`MATCH_THRESHOLD` or above. A pair of two Chinese titles is
    scored by the model fitted on real Taobao titles (``zh`` in ``match_model.json``), its
    threshold brought onto :data:`MATCH_THRESHOLD`.
    """
    a, b = [str(x) for x in a], [str(x) for x in b]
    n = len(a)
    pa, pb = _prices(price_a, range(n)), _prices(price_b, range(n))
    chinese = np.array([bool(_CJK.search(x) and _CJK.search(y)) for x, y in zip(a, b)], bool)
    scores = np.zeros(n)
    for rows, model in ((chinese, match_model()["zh"]), (~chinese, match_model())):
        if rows.any():
            at = np.flatnonzero(rows)
            feats = pair_features([a[i] for i in at], [b[i] for i in at], pa.iloc[at], pb.iloc[at])
            scores[rows] = _on_common_scale(probabilities(feats, model), model["threshold"])
    return scores


ANSWERS_TO_LEARN = 30  # the operator's answers needed before they adjust the model
_YES = {"是", "是的", "同款", "yes", "y", "1", "true", "same"}
_NO = {"否", "不是", "不同", "no", "n", "0", "false", "different"}


def answer_of(text) -> bool | None:
    """An operator's 是/否 (yes/no, 1/0) as True/False; None when blank or unreadable."""
    t = str(text).strip().lower() if text is not None and not pd.isna(text) else ""
    return True if t in _YES else False if t in _NO else None


def recalibrate(scores, answers) -> tuple[float, float]:
    """Slope and offset that fit the model's scores to the operator's answers (Platt).

    ``p' = σ(a · logit(p) + b)``, fitted on the answered pairs with a pull toward the shipped
    model (a = 1, b = 0), so a few answers move it little.
    """
    from scipy import optimize

    z = _logit(np.asarray(scores, float))
    y = np.asarray(answers, float)

    def loss(w):
        t = w[0] * z + w[1]
        return np.sum(np.logaddexp(0, t) - y * t) + 0.5 * ((w[0] - 1) ** 2 + w[1] ** 2)

    a, b = optimize.minimize(loss, [1.0, 0.0], method="L-BFGS-B", bounds=[(0.05, 20), (-20, 20)]).x
    return float(a), float(b)


def calibrated(scores, a: float = 1.0, b: float = 0.0) -> np.ndarray:
    """Scores through the shop's recalibration (identity by default)."""
    return 1 / (1 + np.exp(-(a * _logit(np.asarray(scores, float)) + b)))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def best_matches(
    mine: pd.DataFrame,
    theirs: pd.DataFrame,
    threshold: float | None = None,
    price_band: float = 2.0,
    calibration: tuple[float, float] = (1.0, 0.0),
) -> pd.DataFrame:
    """For each of ``theirs`` (title, price, category?), the one of ``mine`` it is most likely.

    Candidates are each rival title's ``TOP_K`` most similar of mine by TF-IDF cosine (one
    sparse product in dense blocks); the pair model scores them with prices. A match needs a
    probability ≥ ``threshold`` (default :data:`MATCH_THRESHOLD`), prices within a factor
    ``price_band`` of each other (a ¥9.9 sample and a ¥199 set are not one product) and,
    where both sides give a category, the same category. ``calibration`` (from
    :func:`recalibrate`) fits the scores to a shop's own answers. Returns their index, my
    index and the probability.
    """
    threshold = MATCH_THRESHOLD if threshold is None else threshold
    m = tfidf(list(mine["title"]) + list(theirs["title"]))
    m_t, t_t = m[: len(mine)].T.tocsr(), m[len(mine) :]
    pairs = []
    for lo in range(0, t_t.shape[0], CHUNK):  # dense blocks: one product, then top-k per row
        sims = (t_t[lo : lo + CHUNK] @ m_t).toarray()
        k = min(TOP_K, sims.shape[1])
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]  # the k best, unordered
        rows = np.repeat(np.arange(part.shape[0]), k)
        keep = sims[rows, part.ravel()] >= CANDIDATE_FLOOR
        pairs.append(np.column_stack([rows[keep] + lo, part.ravel()[keep]]))
    cand = np.concatenate(pairs) if pairs else np.empty((0, 2), dtype=int)
    if len(cand) == 0:
        return pd.DataFrame(columns=["theirs", "mine", "score"])
    i, j = cand[:, 0], cand[:, 1]
    their_price = theirs["price"].to_numpy(dtype=float)[i]
    mine_price = mine["price"].to_numpy(dtype=float)[j]
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
    probs = calibrated(
        score_pairs(
            theirs["title"].to_numpy()[i],
            mine["title"].to_numpy()[j],
            their_price[ok],
            mine_price[ok],
        ),
        *calibration,
    )
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


def shared_terms(a: str, b: str, n: int = 5) -> list[str]:
    """The features two titles share, longest first: what made them a match."""
    common = set(features(a)) & set(features(b))
    return sorted(common, key=lambda f: (-len(f), f))[:n]
