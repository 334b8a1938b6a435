"""The operator's yes/no answers on 同款 pairs, and the shop's line refitted on them.

The shipped model was fitted on other shops' listings; a shop's own answers (是/否 beside each
pair in the twins file) say how often its calls are right here. The refit moves the shop's line
on the shipped model's log-odds to where the answers are best served, precision first (F0.5).
A richer refit (a ridge logistic layer on the 24 pieces of pair evidence) was measured on the
valid splits: with 50 answers it lowered held-out precision on most sets, so it is not used
(``benchmarks/bench_answers.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .pair_model import logit, sigmoid

ANSWERS_TO_LEARN = 30  # the operator's answers needed before they adjust the model
PRECISION_WEIGHT = 0.5  # β of the F-score the line is chosen by: precision counts double
_YES = {"是", "是的", "同款", "yes", "y", "1", "true", "same"}
_NO = {"否", "不是", "不同", "no", "n", "0", "false", "different"}


def answer_of(text) -> bool | None:
    """An operator's 是/否 (yes/no, 1/0) as True/False; None when blank or unreadable."""
    t = str(text).strip().lower() if text is not None and not pd.isna(text) else ""
    return True if t in _YES else False if t in _NO else None


def refit(log_odds, answers, threshold: float) -> dict:
    """The shift of the shop's line that serves its answered pairs best.

    ``threshold`` is the probability the report takes for 同款. Every answered pair's
    log-odds is a candidate line; the one with the highest F0.5 on the answers wins (ties:
    the smallest move). Answers only on pairs the report showed can raise the line, never
    lower it; pairs the operator added below the line can lower it. Returns the shift
    (subtracted from the log-odds) and how many answers it came from.
    """
    z = np.asarray(log_odds, float)
    y = np.asarray(answers, bool)
    line = float(logit(threshold))
    b2 = PRECISION_WEIGHT**2
    best, shift = -1.0, 0.0
    for s in sorted(np.r_[0.0, z - line + 1e-9], key=abs):
        kept = z - s >= line
        tp = float(np.sum(kept & y))
        if tp:
            p, r = tp / kept.sum(), tp / y.sum()
            f = (1 + b2) * p * r / (b2 * p + r)
            if f > best + 1e-12:
                best, shift = f, float(s)
    return {"shift": shift, "answers": int(len(y))}


def line_of(threshold: float, shop: dict) -> float:
    """The shop's line as a probability of the shipped model: where ``threshold`` moved to."""
    return float(sigmoid(logit(threshold) + shop["shift"]))


def shop_probabilities(log_odds, shop: dict | None) -> np.ndarray:
    """The probability each pair is one product, through the shop's line when there is one."""
    return sigmoid(np.asarray(log_odds, float) - (shop["shift"] if shop else 0.0))
