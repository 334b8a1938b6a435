"""Fit the 同款 pair model on the train splits; choose its threshold on the valid splits.

Run: ``.venv/bin/python benchmarks/train_matcher.py [DIR]`` (default
``../shared/data/product_matching``). Writes ``ecomops_helpers/match_model.json``: the feature
scaling, the logistic weights, the threshold and the valid figures it was chosen on. The test
splits are never read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from pairs import baseline_scores, best_threshold, prf, read_pairs
from scipy import optimize

from ecomops_helpers.title_match import MODEL_PATH, PAIR_FEATURES, pair_features, probabilities

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "data" / "product_matching"
L2 = 1.0  # ridge on the standardised weights
MIN_PRECISION = 0.85


def features_of(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    d = read_pairs(path)
    feats = pair_features(d["title_a"], d["title_b"], d["price_a"], d["price_b"])
    return feats, d["label"].to_numpy()


def baseline_f1(path: Path) -> float:
    """The char-n-gram baseline's F1 at the threshold best for this file."""
    d = read_pairs(path)
    scores, label = baseline_scores(d), d["label"].to_numpy()
    return prf(scores >= best_threshold(scores, label), label)[2]


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by L-BFGS: weights and intercept."""

    def loss(w):
        z = x @ w[1:] + w[0]
        nll = np.sum(np.logaddexp(0, z) - y * z)
        p = 1 / (1 + np.exp(-z))
        grad = np.concatenate([[np.sum(p - y)], x.T @ (p - y)])
        grad[1:] += L2 * w[1:]
        return nll + 0.5 * L2 * w[1:] @ w[1:], grad

    res = optimize.minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B")
    return res.x[1:], float(res.x[0])


def main(folder: Path) -> int:
    train = [features_of(p) for p in sorted(folder.glob("*-train.txt"))]
    valid = {p.stem: features_of(p) for p in sorted(folder.glob("*-valid.txt"))}
    if not train or not valid:
        print(f"no train/valid pair files in {folder}")
        return 1
    x = pd.concat([f for f, _ in train], ignore_index=True)
    y = np.concatenate([lab for _, lab in train])
    mean, scale = x.mean().to_numpy(), x.std().replace(0, 1).to_numpy()
    coef, intercept = fit((x.to_numpy(float) - mean) / scale, y)
    model = {
        "features": list(PAIR_FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": coef.round(6).tolist(),
        "intercept": round(intercept, 6),
        "trained_on": [p.name for p in sorted(folder.glob("*-train.txt"))],
        "train_pairs": int(len(y)),
    }
    probs = {name: (probabilities(f, model), lab) for name, (f, lab) in valid.items()}
    base = {p.stem: baseline_f1(p) for p in sorted(folder.glob("*-valid.txt"))}

    def score(t):
        """Sets meeting both targets (precision, F1 above the tuned baseline), then mean F1."""
        figs = {name: prf(p >= t, lab) for name, (p, lab) in probs.items()}
        met = sum(f[0] >= MIN_PRECISION and f[2] > base[n] for n, f in figs.items())
        return met, np.mean([f[2] for f in figs.values()])

    grid = np.round(np.arange(0.20, 0.91, 0.01), 2)
    threshold = float(max(grid, key=score))
    model["threshold"] = threshold
    model["valid"] = {
        name: dict(zip(("precision", "recall", "f1"), np.round(prf(p >= threshold, lab), 3)))
        for name, (p, lab) in probs.items()
    }
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"{len(y):,} train pairs; threshold {threshold} chosen on {len(valid)} valid splits")
    for name, w in zip(PAIR_FEATURES, coef):
        print(f"  {name:16s} {w:+.3f}")
    for name, figs in model["valid"].items():
        print(f"  {name:28s} P {figs['precision']:.3f} R {figs['recall']:.3f} F1 {figs['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR))
