"""Fit the 同款 pair model on the train splits; choose its threshold on the valid splits.

Run: ``.venv/bin/python benchmarks/train_matcher.py [DIR [CHINESE_DIR]]`` (default DIR
``../shared/data/product_matching``; CHINESE_DIR holds the ``Ali-*`` files that
``ember_pairs.py`` writes). Writes ``ecomops_helpers/rivals/match_model.json``: the feature scaling,
the logistic weights, the threshold and the valid figures it was chosen on, for English
titles and (under ``zh``) for pairs with a Chinese title. The test splits are never read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from pairs import baseline_scores, best_threshold, prf, read_pairs
from scipy import optimize

from ecomops_helpers.rivals.title_match import (
    MODEL_PATH,
    PAIR_FEATURES,
    pair_features,
    probabilities,
)

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


def _fit_model(folder: Path, pattern: str = "*") -> tuple[dict, dict, dict]:
    """The logistic model on ``folder``'s train splits; its valid splits' probabilities and
    each valid split's tuned-baseline F1."""
    train = [features_of(p) for p in sorted(folder.glob(f"{pattern}-train.txt"))]
    valid_files = sorted(folder.glob(f"{pattern}-valid.txt"))
    if not train or not valid_files:
        raise SystemExit(f"no train/valid pair files in {folder}")
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
        "trained_on": [p.name for p in sorted(folder.glob(f"{pattern}-train.txt"))],
        "train_pairs": int(len(y)),
    }
    probs = {}
    for p in valid_files:
        feats, label = features_of(p)
        probs[p.stem] = (probabilities(feats, model), label)
    base = {p.stem: baseline_f1(p) for p in valid_files}
    return model, probs, base


def _targets_then_f1(probs: dict, base: dict):
    """Sets meeting both targets (precision, F1 above the tuned baseline), then mean F1."""

    def score(t):
        figs = {name: prf(p >= t, lab) for name, (p, lab) in probs.items()}
        met = sum(f[0] >= MIN_PRECISION and f[2] > base[n] for n, f in figs.items())
        return met, np.mean([f[2] for f in figs.values()])

    return score


def _mean_f_half(probs: dict, base: dict):
    """Mean F0.5 over the sets: precision weighs twice as much as recall.

    For the Chinese model, where no threshold both reaches precision 0.85 and beats the
    baseline: a false 同款 is a false undercut alert at the top of the report, a missed one
    costs less, and the operator's answers can still raise recall for the shop.
    """

    def score(t):
        figs = [prf(p >= t, lab) for p, lab in probs.values()]
        return np.mean([1.25 * p * r / (0.25 * p + r) if p + r else 0.0 for p, r, _ in figs])

    return score


def _choose(model: dict, probs: dict, base: dict, rule) -> None:
    grid = np.round(np.arange(0.20, 0.91, 0.01), 2)
    model["threshold"] = float(max(grid, key=rule(probs, base)))
    at = model["threshold"]
    model["valid"] = {
        name: dict(zip(("precision", "recall", "f1"), np.round(prf(p >= at, lab), 3)))
        for name, (p, lab) in probs.items()
    }
    model["baseline_f1"] = {name: round(f, 3) for name, f in base.items()}


def _print(title: str, model: dict) -> None:
    print(f"{title}: {model['train_pairs']:,} train pairs; threshold {model['threshold']}")
    for name, w in zip(PAIR_FEATURES, model["coef"]):
        print(f"  {name:16s} {w:+.3f}")
    for name, figs in model["valid"].items():
        print(
            f"  {name:28s} P {figs['precision']:.3f} R {figs['recall']:.3f} "
            f"F1 {figs['f1']:.3f} (baseline {model['baseline_f1'][name]:.3f})"
        )


def main(folder: Path, chinese: Path | None) -> int:
    model, probs, base = _fit_model(folder)
    _choose(model, probs, base, _targets_then_f1)
    _print("English", model)
    if chinese is not None:
        zh, probs, base = _fit_model(chinese, "Ali-*")
        _choose(zh, probs, base, _mean_f_half)
        model["zh"] = zh
        _print("Chinese", zh)
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(Path(args[0]) if args else DEFAULT_DIR, Path(args[1]) if len(args) > 1 else None))
