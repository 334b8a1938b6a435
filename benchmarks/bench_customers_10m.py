"""The customer report end to end on 10 M order lines read from a history store.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_customers_10m.py [--lines N]``).

The lines (2 years, 1.25 M customers, repeat buyers skewed) are generated once into a store
outside the repository (``big_shop.py``). ``ecomops run`` renders the customer report from
the store as an operator's morning would; its seconds and the kernel's peak memory are
measured. The named baseline, side by side in the same run: the same report on a tenth of
the lines (how far from linear the report scales).

Target (issue 18): under 60 s and under 4 GB. Exits 1 when the report fails; a missed
target is printed (NOT met) and the next benchmark runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _run(store: Path, day: str, out: Path) -> tuple[float, float]:
    """The report in a fresh process of its own: seconds, and its kernel's peak memory (GB)."""
    import subprocess

    code = (
        "import sys, time, resource\n"
        "from ecomops_helpers.run.runner import run_reports\n"
        "t = time.perf_counter()\n"
        f"r = run_reports({str(store)!r}, {day!r}, {str(out)!r},"
        " notebooks=['customer_segmentation'], progress=lambda _: None)\n"
        "rep = r.reports[0]\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2\n"
        "error = (rep.error or '').replace(chr(10), ' ')\n"
        "print(rep.status, time.perf_counter() - t, peak, error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    last = (done.stdout.strip().splitlines() or [""])[-1].split(" ", 3)
    if done.returncode != 0 or last[0] != "ok":
        print(f"REPORT FAILED: customer_segmentation on {store.name}: {last} {done.stderr[-2000:]}")
        sys.exit(1)
    return float(last[1]), float(last[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from big_shop import END, orders_store

    day = f"{END:%Y-%m-%d}"
    sizes = [args.lines // 10, args.lines]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ECOMOPS_CACHE_DIR"] = str(Path(tmp) / "cache")
        for lines in sizes:
            store = orders_store(lines, lines // 8)
            seconds, peak = _run(store, day, Path(tmp) / f"out-{lines}")
            rows.append((lines, seconds, peak))
    print(f"\n{'customer report, end to end from a store':46s} {'seconds':>8s} {'kernel GB':>10s}")
    for lines, seconds, peak in rows:
        name = f"{lines:,} order lines" + (" (baseline: a tenth)" if lines != args.lines else "")
        print(f"{name:46s} {seconds:8.1f} {peak:10.2f}")
    (small, s_small, _), (big, s_big, gb_big) = rows
    met = s_big < 60 and gb_big < 4
    print(
        f"ratio {big // small}× the lines / baseline: {s_big / s_small:.1f}× the time; "
        f"target < 60 s and < 4 GB: {'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
