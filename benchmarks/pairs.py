"""Labelled listing pairs in the shared format: ``LEFT<TAB>RIGHT<TAB>LABEL``.

Each side is ``COL name VAL value COL name VAL value …`` (title or name, price, brand …).
Only what a rival listing carries is taken: the title (or name) and the price.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

_FIELD = re.compile(r"COL (\w+) VAL (.*?)(?= COL \w+ VAL |$)")
_WDC_TAIL = re.compile(r'"@[a-z]{2}(?:-[A-Z]{2})?|"')


def _side(text: str) -> tuple[str, float]:
    fields = {k: v.strip() for k, v in _FIELD.findall(text.strip())}
    title = fields.get("title") or fields.get("name") or ""
    title = _WDC_TAIL.sub(" ", title)  # WDC offers: "…"@en
    try:
        price = float(fields.get("price") or "nan")
    except ValueError:
        price = np.nan
    return " ".join(title.split()), price if price and price > 0 else np.nan


def read_pairs(path: str | Path) -> pd.DataFrame:
    """One row per pair: title_a, price_a, title_b, price_b, label (1 same, 0 not)."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[2].strip().isdigit():
            continue
        (ta, pa), (tb, pb) = _side(parts[0]), _side(parts[1])
        rows.append((ta, pa, tb, pb, int(parts[2])))
    return pd.DataFrame(rows, columns=["title_a", "price_a", "title_b", "price_b", "label"])


def prf(pred: np.ndarray, label: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of boolean predictions against 0/1 labels."""
    tp = float(np.sum(pred & (label == 1)))
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / (label == 1).sum() if (label == 1).sum() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def baseline_scores(d: pd.DataFrame) -> np.ndarray:
    """The baseline: cosine of character 2–4-gram TF-IDF vectors, IDF over the file's titles."""
    from ecomops_helpers.rivals.title_features import char_ngrams, tfidf

    m = tfidf(list(d["title_a"]) + list(d["title_b"]), char_ngrams)
    n = len(d)
    return np.asarray(m[:n].multiply(m[n:]).sum(axis=1)).ravel()


def best_threshold(scores: np.ndarray, label: np.ndarray) -> float:
    """The score threshold with the highest F1 on these pairs."""
    candidates = np.unique(np.round(scores, 3))
    return float(max(candidates, key=lambda t: prf(scores >= t, label)[2]))


CURRENT_COMMIT = "6e1e598"  # the last commit with the logistic matcher of issue 16


def current_matcher():
    """The 同款 matcher as shipped before issue 26 (logistic, 14 features), from git.

    Its module and model file are read from :data:`CURRENT_COMMIT` into a temporary folder
    and imported there, so the comparison runs the old code as it was, not today's features
    under the old weights. Returns the module (``score_pairs``, ``MATCH_THRESHOLD``).
    """
    import importlib.util
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parents[1]
    folder = Path(tempfile.mkdtemp(prefix="ecomops-current-matcher-"))
    for name in ("title_match.py", "match_model.json"):
        text = subprocess.run(
            ["git", "show", f"{CURRENT_COMMIT}:ecomops_helpers/rivals/{name}"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (folder / name).write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("current_title_match", folder / "title_match.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
