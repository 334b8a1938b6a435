"""The 同款 matcher on labelled listing pairs, beside the current matcher and a tuned baseline.

Run: ``.venv/bin/python benchmarks/bench_matcher.py FILE…`` (``make bench`` passes the valid
splits of ``../shared/data/product_matching`` and, when converted, EMBER's Chinese Taobao
pairs). For each file of labelled pairs (the shared format, see ``pairs.py``) it prints
precision, recall and F1 of

* ecomops: the shipped gradient-boosted model (``title_match.score_pairs``) at the default
  ``MATCH_THRESHOLD``;
* current: the logistic matcher shipped before it (issue 16), its code and model read from git
  (``pairs.current_matcher``), at its own threshold;
* baseline: the cosine of character 2–4-gram TF-IDF vectors, its threshold tuned for the best
  F1 on that same file (so the baseline is flattered; ecomops is not tuned per file).

Targets (issue 26): on every valid split, precision ≥ 0.85 and F1 above the current matcher.
A file that cannot be read exits non-zero; the table says which targets are met.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pairs import baseline_scores, best_threshold, current_matcher, prf, read_pairs

from ecomops_helpers.rivals.title_match import MATCH_THRESHOLD, score_pairs

MIN_PRECISION = 0.85


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    current = current_matcher()
    head = f"{'set':24s} {'pairs':>5s} {'same':>4s} | {'ecomops P':>9s} {'R':>5s} {'F1':>5s}"
    head += f" | {'current P':>9s} {'R':>5s} {'F1':>5s}"
    head += f" | {'baseline t':>10s} {'P':>5s} {'R':>5s} {'F1':>5s} | targets"
    print(f"ecomops at MATCH_THRESHOLD = {MATCH_THRESHOLD}, current at {current.MATCH_THRESHOLD}")
    print(f"{head}\n{'-' * len(head)}")
    met_all, start = True, time.perf_counter()
    for path in paths:
        d = read_pairs(path)
        if d.empty:
            print(f"{Path(path).name}: no labelled pairs read")
            return 1
        label = d["label"].to_numpy()
        sides = d["title_a"], d["title_b"], d["price_a"], d["price_b"]
        p, r, f = prf(score_pairs(*sides) >= MATCH_THRESHOLD, label)
        cp, cr, cf = prf(current.score_pairs(*sides) >= current.MATCH_THRESHOLD, label)
        base = baseline_scores(d)
        t = best_threshold(base, label)
        bp, br, bf = prf(base >= t, label)
        met = p >= MIN_PRECISION and f > cf
        met_all &= met
        print(
            f"{Path(path).stem:24s} {len(d):5d} {int(label.sum()):4d} | {p:9.3f} {r:5.3f} "
            f"{f:5.3f} | {cp:9.3f} {cr:5.3f} {cf:5.3f} | {t:10.3f} {bp:5.3f} {br:5.3f} "
            f"{bf:5.3f} | {'met' if met else 'NOT met'}"
        )
    print(
        f"\n{'every target met' if met_all else 'targets NOT met on every set'}"
        f" ({time.perf_counter() - start:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
