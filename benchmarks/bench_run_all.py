"""Many shops: ``ecomops run-all`` beside the named baseline, the same shops one by one.

Run: ``.venv/bin/python benchmarks/bench_run_all.py [SHOPS]`` (default 6). Each shop is a
generated sample shop (120 days, 10 items, every export kind) of its own seed. The baseline
runs ``ecomops run`` for each shop in turn (each run uses the machine's cores for its four
reports); ``run-all`` runs the shops in parallel processes. Both are measured in this run,
side by side, with the parse cache off. Target (issue 18): ≥ 1.8× on 2 cores. A shop that
does not end ok is printed first and the exit status is 1.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from run_timing import timed

from ecomops_helpers.run.runner import run_reports
from ecomops_helpers.run.shops import read_shops, run_all
from ecomops_helpers.sample import write_sample_shop

TARGET = 1.8


def _quiet(_line: str) -> None:
    """Progress lines are not printed while timing."""


END = date(2026, 10, 21)


def main(count: int) -> int:
    os.environ["ECOMOPS_CACHE_DIR"] = "off"  # both sides parse every file
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "shops"
        for i in range(count):
            write_sample_shop(root / f"shop{i:02d}", end=END, days=120, items=10, seed=100 + i)
        shops = read_shops(root)

        def one_by_one():
            out = Path(tmp) / "serial"
            return [run_reports(s.data, f"{END}", out / s.name, progress=_quiet) for s in shops]

        serial, serial_s = timed(one_by_one)
        records, parallel_s = timed(lambda: run_all(shops, Path(tmp) / "parallel", progress=_quiet))
    bad = [r.folder.parent.name for r in serial if not r.ok]
    bad += [r["shop"] for r in records if r["status"] != "ok"]
    if bad:
        print(f"REPORT FAILED for shop(s): {', '.join(sorted(set(bad)))}")
        return 1
    ratio = serial_s / parallel_s
    print(f"{count} shops on {os.cpu_count()} cores (cache off)")
    print(f"{'run':32s} {'seconds':>8s} {'per shop':>9s}")
    print(f"{'baseline: ecomops run, one by one':32s} {serial_s:8.1f} {serial_s / count:9.1f}")
    print(f"{'ecomops run-all':32s} {parallel_s:8.1f} {parallel_s / count:9.1f}")
    print(f"speed-up {ratio:.2f}× (target ≥ {TARGET}×): {'met' if ratio >= TARGET else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 6))
