"""Same and near-same products (同款) across shops, by title, without a word segmenter.

Chinese titles have no spaces between words, so a title is represented by its character
bigrams (收纳 纳箱 箱大 …) plus, for Latin text, its words and numbers with their units
(``6pack``, ``10件``). Features are weighted by TF-IDF over all titles compared, so words every
title carries (收纳, storage) count little and the rare ones that name a product count much;
two titles' similarity is the cosine of their vectors. Marketing words that name no product
(包邮, 新款, free shipping …) are dropped first.

``score_pairs`` scores given pairs; ``best_matches`` finds, for each rival title, the most
similar of mine in one sparse matrix product (5,000 × 25,000 titles in about a second).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "MATCH_THRESHOLD",
    "NOISE_WORDS",
    "features",
    "tfidf",
    "score_pairs",
    "best_matches",
    "shared_terms",
]

CHUNK = 2000  # rival titles scored against all of mine per dense block
TOP_K = 10  # candidates per rival title checked for price band and category
MATCH_THRESHOLD = 0.40  # cosine at or above which two titles are taken for one product
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


def _normal(title: str) -> str:
    text = unicodedata.normalize("NFKC", str(title)).lower()
    text = _NOISE.sub(" ", text)
    return re.sub(r"[^\w\u3400-\u9fff.]+", " ", text)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def features(title: str) -> list[str]:
    """A title's features: CJK character bigrams, Latin words (plural folded), numbers+units.

    Bare numbers are left out: ``22`` in two titles says nothing about the product.
    """
    text = _normal(title)
    out = []
    for run in _CJK.findall(text):
        out += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
    latin = _CJK.sub(" ", text)
    for token in _LATIN.findall(latin):
        token = token.replace(" ", "")
        if not token.isdigit():  # a bare number (a model no., "22") names no product
            out.append(_stem(token))
    for num, unit in re.findall(r"(\d+)\s*([\u3400-\u9fff])", text):  # 10件, 20只
        out.append(num + unit)
    return out


def tfidf(titles) -> sparse.csr_matrix:
    """Rows of L2-normalised TF-IDF weights, one per title, IDF over these titles.

    Each title's features are extracted once; callers compare rows of the one matrix.
    """
    docs = [features(t) for t in titles]
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, doc in enumerate(docs):
        counts: dict[int, int] = {}
        for f in doc:
            j = vocab.setdefault(f, len(vocab))
            counts[j] = counts.get(j, 0) + 1
        rows += [i] * len(counts)
        cols += list(counts)
        vals += [1 + np.log(c) for c in counts.values()]
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
    doc_freq = np.bincount(cols, minlength=len(vocab))
    m = m @ sparse.diags(np.log((1 + len(docs)) / (1 + doc_freq)) + 1)
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
    return (sparse.diags(1 / np.where(norms > 0, norms, 1)) @ m).tocsr()


def score_pairs(a, b) -> np.ndarray:
    """Cosine similarity of each pair of titles ``a[i]``, ``b[i]`` (IDF over both lists)."""
    a, b = list(a), list(b)
    m = tfidf(a + b)
    return np.asarray(m[: len(a)].multiply(m[len(a) :]).sum(axis=1)).ravel()


def best_matches(
    mine: pd.DataFrame,
    theirs: pd.DataFrame,
    threshold: float = MATCH_THRESHOLD,
    price_band: float = 2.0,
) -> pd.DataFrame:
    """For each of ``theirs`` (title, price, category?), the most similar of ``mine``.

    A match needs a score ≥ ``threshold``, prices within a factor ``price_band`` of each
    other (a ¥9.9 sample and a ¥199 set are not one product) and, where both sides give a
    category, the same category. Returns their index, my index and the score.
    """
    m = tfidf(list(mine["title"]) + list(theirs["title"]))
    m_t, t_t = m[: len(mine)].T.tocsr(), m[len(mine) :]
    mine_price = mine["price"].to_numpy(dtype=float)
    their_price = theirs["price"].to_numpy(dtype=float)
    cat_mine = mine["category"].to_numpy(dtype=object) if "category" in mine else None
    cat_their = theirs["category"].to_numpy(dtype=object) if "category" in theirs else None
    out = []
    for lo in range(0, t_t.shape[0], CHUNK):  # dense blocks: one product, then top-k per row
        sims = (t_t[lo : lo + CHUNK] @ m_t).toarray()
        k = min(TOP_K, sims.shape[1])
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]  # the k best, unordered
        order = np.argsort(-np.take_along_axis(sims, part, axis=1), axis=1)
        top = np.take_along_axis(part, order, axis=1)
        for r, cands in enumerate(top):
            i = lo + r
            for j in cands:
                score = sims[r, j]
                if score < threshold:
                    break
                ratio = their_price[i] / mine_price[j] if mine_price[j] else np.inf
                if not (1 / price_band <= ratio <= price_band):
                    continue
                if cat_mine is not None and cat_their is not None:
                    a, b = cat_their[i], cat_mine[j]
                    if pd.notna(a) and pd.notna(b) and a != b:
                        continue
                out.append((theirs.index[i], mine.index[j], float(score)))
                break
    return pd.DataFrame(out, columns=["theirs", "mine", "score"])


def shared_terms(a: str, b: str, n: int = 5) -> list[str]:
    """The features two titles share, longest first: what made them a match."""
    common = set(features(a)) & set(features(b))
    return sorted(common, key=lambda f: (-len(f), f))[:n]
