"""Shared by the benchmarks: a timer, and ``ecomops run`` timed and split by cell timings."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ecomops_helpers.run.runner import run_reports

RUN_LABELS = ("first run, empty cache", "next run, cached parse")


def timed(fn):
    """``fn()`` and the seconds it took."""
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def run_twice(data: Path, date: str, out: Path, notebook: str, setup_marker: str):
    """Run one notebook as ``ecomops run`` does, with an empty then a warm parse cache.

    Returns the phase rows (setup cell, charts and tables, kernel, render, end to end, each
    from the executed notebook's own cell timings; the setup cell is the one whose source
    holds ``setup_marker``) and, per run, its status and seconds. A report that fails or is
    skipped ends the benchmark: the failure is printed first and the exit status is 1.
    """
    rows, runs = [], {}
    for label in RUN_LABELS:
        result, run_s = timed(
            lambda: run_reports(data, date, out, notebooks=[notebook], progress=lambda _: None)
        )
        report = result.reports[0]
        if report.status != "ok":  # a time measured on a failed report is no result
            print(f"REPORT FAILED ({label}): {notebook}: {report.status} — {report.error}")
            sys.exit(1)
        runs[label] = (report.status, run_s)
        nb = json.loads((result.folder / f"{notebook}.ipynb").read_text(encoding="utf-8"))
        cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
        durations = [c["metadata"].get("papermill", {}).get("duration") or 0 for c in cells]
        setup = next(i for i, c in enumerate(cells) if setup_marker in "".join(c["source"]))
        executed = nb["metadata"]["papermill"]["duration"]
        rows += [
            (f"{label}: setup cell (imports, load, compute)", durations[setup]),
            (f"{label}: charts and tables", sum(durations[setup + 1 :])),
            (f"{label}: kernel start + other", executed - sum(durations)),
            (f"{label}: HTML render + index + swap", run_s - executed),
            (f"{label}: END TO END", run_s),
        ]
    return rows, runs
