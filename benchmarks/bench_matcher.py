"""The 同款 matcher on labelled listing pairs, beside a tuned character-n-gram baseline.

Run: ``.venv/bin/python benchmarks/bench_matcher.py FILE…`` (``make bench`` passes the valid
splits of ``../shared/data/product_matching``). For each file of labelled pairs (the shared
format, see ``pairs.py``) it prints precision, recall and F1 of

* ecomops: ``title_match.score_pairs`` at the default ``MATCH_THRESHOLD``;
* the baseline: the cosine of character 2–4-gram TF-IDF vectors, its threshold tuned for the
  best F1 on that same file (so the baseline is flattered; ecomops is not tuned per file).

Targets (issue 16): on every valid split, F1 above the tuned baseline and precision ≥ 0.85.
A file that cannot be read exits non-zero; the table says which targets are met.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pairs import baseline_scores, best_threshold, prf, read_pairs

from ecomops_helpers.rivals.title_match import MATCH_THRESHOLD, score_pairs


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    head = f"{'set':28s} {'pairs':>6s} {'same':>5s} | {'ecomops P':>9s} {'R':>5s} {'F1':>5s}"
    head += f" | {'baseline t':>10s} {'P':>5s} {'R':>5s} {'F1':>5s} | targets"
    print(f"ecomops at MATCH_THRESHOLD = {MATCH_THRESHOLD}\n{head}\n{'-' * len(head)}")
    met_all, start = True, time.perf_counter()
    for path in paths:
        d = read_pairs(path)
        if d.empty:
            print(f"{Path(path).name}: no labelled pairs read")
            return 1
        label = d["label"].to_numpy()
        ours = score_pairs(d["title_a"], d["title_b"], d["price_a"], d["price_b"])
        p, r, f = prf(ours >= MATCH_THRESHOLD, label)
        base = baseline_scores(d)
        t = best_threshold(base, label)
        bp, br, bf = prf(base >= t, label)
        met = f > bf and p >= 0.85
        met_all &= met
        print(
            f"{Path(path).stem:28s} {len(d):6d} {int(label.sum()):5d} | {p:9.3f} {r:5.3f} "
            f"{f:5.3f} | {t:10.3f} {bp:5.3f} {br:5.3f} {bf:5.3f} | "
            f"{'met' if met else 'NOT met'}"
        )
    print(
        f"\n{'every target met' if met_all else 'targets NOT met on every set'}"
        f" ({time.perf_counter() - start:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
