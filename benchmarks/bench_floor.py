"""The four reports on the sample shop beside the floor: four trivial notebooks, same runner.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_floor.py``).

The floor is what any papermill + nbconvert pipeline pays for four notebooks on 2 workers:
a kernel each, the parameters injected, one cell run, the HTML rendered, the day swapped in.
The four trivial notebooks (a parameters cell and one ``print``) go through ``ecomops run``'s
own runner, side by side with the four real reports on the bundled sample (parse cache warm,
as every morning after the first). Each is timed twice; the faster run counts.

Both run on warm kernels (forked from a process with the imports done), and again on cold
ones for comparison. Target (issues 18, 25): the reports within 2× the floor, warm.
Exits 1 when a report fails; a missed target is printed (NOT met) and the next benchmark runs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from ecomops_helpers.paths import SAMPLE_DIR
from ecomops_helpers.run.runner import run_reports

DAY = "2026-10-21"


def trivial_notebooks(folder: Path) -> Path:
    """Four notebooks that only take their parameters and print one line."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, 5):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {
            "name": "ecomops",
            "display_name": "ecomops",
            "language": "python",
        }
        params = nbformat.v4.new_code_cell('data_dir = "."\nreport_date = ""\nlanguage = "zh"')
        params.metadata["tags"] = ["parameters"]
        nb.cells = [
            nbformat.v4.new_markdown_cell(f"# trivial {i}"),
            params,
            nbformat.v4.new_code_cell('print("report for", report_date)'),
        ]
        nbformat.write(nb, folder / f"trivial_{i}.ipynb")
    return folder


def timed_run(**kwargs) -> float:
    start = time.perf_counter()
    result = run_reports(report_date=DAY, workers=2, progress=lambda _: None, **kwargs)
    seconds = time.perf_counter() - start
    bad = [f"{r.name}: {r.status} {r.error}" for r in result.reports if r.status != "ok"]
    if bad:
        print(f"REPORT FAILED: {'; '.join(bad)}")
        sys.exit(1)
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["ECOMOPS_CACHE_DIR"] = str(tmp / "cache")
        books = trivial_notebooks(tmp / "trivial")
        timed_run(data_dir=SAMPLE_DIR, out_dir=tmp / "warm")  # fills the parse cache
        best = {}
        for i in range(2):
            for warm in (True, False):
                floor = timed_run(
                    data_dir=Path("."), out_dir=tmp / f"f{i}{warm}", notebooks_dir=books, warm=warm
                )
                reports = timed_run(data_dir=SAMPLE_DIR, out_dir=tmp / f"r{i}{warm}", warm=warm)
                for key, seconds in (("floor", floor), ("reports", reports)):
                    best[key, warm] = min(seconds, best.get((key, warm), seconds))
    print(f"{'four notebooks on 2 workers, end to end':52s} {'warm':>7s} {'cold':>7s}")
    for key, label in (
        ("reports", "ecomops: the four reports on the sample shop"),
        ("floor", "floor: four trivial notebooks, same runner"),
    ):
        print(f"{label:52s} {best[key, True]:7.2f} {best[key, False]:7.2f}")
    ratio = best["reports", True] / best["floor", True]
    cold = best["reports", False] / best["floor", False]
    print(
        f"ratio reports / floor: {ratio:.2f}× warm ({cold:.2f}× cold kernels); target ≤ 2×: "
        f"{'met' if ratio <= 2 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
