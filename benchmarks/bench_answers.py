"""Does the matcher learn from an operator's yes/no answers? Precision before and after 50.

Run: ``.venv/bin/python benchmarks/bench_answers.py FILE…`` (``make bench`` passes the valid
splits). Each file of labelled pairs is cut in two at random: a held-out half, never answered,
and a pool. The simulated operator answers 50 pool pairs the report would show (those the
shipped model calls 同款, in random order; fewer when the pool holds fewer) with the file's
labels; the shop's line is refitted on them (``shop_answers.refit``) and both models decide
the held-out half at ``MATCH_THRESHOLD``. Five cuts per file; the table prints the mean
precision, recall and F1 before and after.

Target (issue 26): precision on the held-out half rises after 50 answers. A file that cannot
be read exits non-zero.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from pairs import prf, read_pairs

from ecomops_helpers.rivals.shop_answers import refit, shop_probabilities
from ecomops_helpers.rivals.title_match import MATCH_THRESHOLD, pair_log_odds

ANSWERS = 50
CUTS = 5


def one_cut(z, label, seed: int) -> tuple[tuple, tuple, int]:
    """Held-out (precision, recall, F1) before and after the answers, and how many."""
    order = np.random.default_rng(seed).permutation(len(label))
    held, pool = order[: len(order) // 2], order[len(order) // 2 :]
    shipped = shop_probabilities(z, None)
    shown = pool[shipped[pool] >= MATCH_THRESHOLD][:ANSWERS]
    before = prf(shipped[held] >= MATCH_THRESHOLD, label[held])
    shop = refit(z[shown], label[shown], MATCH_THRESHOLD)
    after_p = shop_probabilities(z[held], shop)
    return before, prf(after_p >= MATCH_THRESHOLD, label[held]), len(shown)


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    head = f"{'set':24s} {'answers':>7s} | {'before P':>8s} {'R':>5s} {'F1':>5s}"
    head += f" | {'after P':>7s} {'R':>5s} {'F1':>5s} | precision"
    print(f"{head}\n{'-' * len(head)}")
    rose = 0
    for path in paths:
        d = read_pairs(path)
        if d.empty:
            print(f"{Path(path).name}: no labelled pairs read")
            return 1
        z, _ = pair_log_odds(d["title_a"], d["title_b"], d["price_a"], d["price_b"])
        label = d["label"].to_numpy()
        runs = [one_cut(z, label, seed) for seed in range(CUTS)]
        before = np.mean([r[0] for r in runs], axis=0)
        after = np.mean([r[1] for r in runs], axis=0)
        n = np.mean([r[2] for r in runs])
        up = after[0] > before[0]
        rose += up
        print(
            f"{Path(path).stem:24s} {n:7.0f} | {before[0]:8.3f} {before[1]:5.3f} "
            f"{before[2]:5.3f} | {after[0]:7.3f} {after[1]:5.3f} {after[2]:5.3f} | "
            f"{'rose' if up else 'did NOT rise'}"
        )
    print(f"\nprecision rose on {rose} of {len(paths)} sets (mean of {CUTS} cuts each)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
