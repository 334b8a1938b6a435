"""The customer report end to end on 10 M order lines read from a history store.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_customers_10m.py [--lines N]``).

The lines (2 years, a customer per 8 lines, repeat buyers skewed) are generated once into
stores outside the repository (``big_shop.py``). Measured, side by side in one run:

* ecomops: ``ecomops run`` renders the customer report from the store as an operator's
  morning would (DuckDB reads the order lines; only what the page shows comes back); its
  seconds, and the peak memory and CPU seconds of its kernel (the largest process the run
  starts; CPU seconds say what the report costs whatever else the machine runs);
* baseline: the same report on a tenth of the lines (how far from linear it scales);
* equality, on a fifth of the lines: the review in process from the store (DuckDB) and the
  pandas reference (the lines loaded as a frame, ``engine="pandas"``): their seconds and
  every difference between them (summary, scores, segments, lists, cohorts, models).

Targets (issue 25): under 60 s and under 4 GB, and no difference. Exits 1 when a report
fails; a missed target is printed (NOT met) and the next benchmark runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAX_SECONDS, MAX_GB = 60.0, 4.0


def _watch(pid: int, stop: threading.Event, seen: dict) -> None:
    """Poll every process under ``pid`` until ``stop``: each one's peak memory and CPU time.

    ``seen``: pid → (peak resident memory, VmHWM, in GB; CPU seconds).
    """
    import psutil

    tick = os.sysconf("SC_CLK_TCK")
    while not stop.is_set():
        try:
            children = psutil.Process(pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return
        for child in children:
            try:
                status = Path(f"/proc/{child.pid}/status").read_text()
                fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            hwm = next((ln for ln in status.splitlines() if ln.startswith("VmHWM:")), "0 0")
            gb, cpu = int(hwm.split()[1]) / 1024**2, (int(fields[11]) + int(fields[12])) / tick
            old = seen.get(child.pid, (0.0, 0.0))
            seen[child.pid] = (max(old[0], gb), max(old[1], cpu))
        stop.wait(0.1)


def _report(store: Path, day: str, out: Path) -> tuple[float, float, float]:
    """The report run in a process of its own: seconds, and its kernel's peak memory (GB) and
    CPU seconds (the kernel: the largest process the run starts)."""
    code = (
        "import time\n"
        "from ecomops_helpers.run.runner import run_reports\n"
        "t = time.perf_counter()\n"
        f"r = run_reports({str(store)!r}, {day!r}, {str(out)!r},"
        " notebooks=['customer_segmentation'], progress=lambda _: None)\n"
        "rep = r.reports[0]\n"
        "print(rep.status, time.perf_counter() - t, (rep.error or '').replace(chr(10), ' '))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stop, seen = threading.Event(), {}
    watch = threading.Thread(target=_watch, args=(proc.pid, stop, seen), daemon=True)
    watch.start()
    stdout, stderr = proc.communicate()
    stop.set()
    watch.join()
    last = (stdout.strip().splitlines() or [""])[-1].split(" ", 2)
    if proc.returncode != 0 or last[0] != "ok":
        print(f"REPORT FAILED: customer_segmentation on {store.name}: {last} {stderr[-2000:]}")
        sys.exit(1)
    gb, cpu = max(seen.values(), default=(0.0, 0.0))
    return float(last[1]), gb, cpu


def _equality(store: Path, day: str) -> dict:
    """Both engines in a process of their own: their seconds and their differences."""
    code = (
        "import json, time\n"
        "from ecomops_helpers.customers.review import build_customer_review, differences\n"
        "t = time.perf_counter()\n"
        f"duck = build_customer_review({str(store)!r}, {day!r})\n"
        "t1 = time.perf_counter()\n"
        f"ref = build_customer_review({str(store)!r}, {day!r}, engine='pandas')\n"
        "t2 = time.perf_counter()\n"
        "print(json.dumps({'duckdb': t1 - t, 'pandas': t2 - t1, "
        "'customers': duck.base['customers'], 'differences': differences(ref, duck)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"REPORT FAILED: the review in process on {store.name}: {done.stderr[-2000:]}")
        sys.exit(1)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from big_shop import END, orders_store

    day = f"{END:%Y-%m-%d}"
    big, tenth, fifth = args.lines, args.lines // 10, args.lines // 5
    stores = {n: orders_store(n, n // 8) for n in (tenth, fifth, big)}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ECOMOPS_CACHE_DIR"] = str(Path(tmp) / "cache")
        s_big, gb_big, cpu_big = _report(stores[big], day, Path(tmp) / "out-big")
        s_tenth, gb_tenth, cpu_tenth = _report(stores[tenth], day, Path(tmp) / "out-tenth")
    same = _equality(stores[fifth], day)
    width = 58
    print(
        f"\n{'customer report from a store':{width}s} {'seconds':>8s} {'peak GB':>8s} {'CPU s':>8s}"
    )
    print(
        f"{f'{big:,} order lines, end to end':{width}s} {s_big:8.1f} {gb_big:8.2f} {cpu_big:8.1f}"
    )
    name = f"{tenth:,} order lines, end to end (baseline: a tenth)"
    print(f"{name:{width}s} {s_tenth:8.1f} {gb_tenth:8.2f} {cpu_tenth:8.1f}")
    print(f"{f'{fifth:,} order lines in process, DuckDB (a store)':{width}s} {same['duckdb']:8.1f}")
    print(f"{f'{fifth:,} order lines in process, pandas reference':{width}s} {same['pandas']:8.1f}")
    met = s_big < MAX_SECONDS and gb_big < MAX_GB
    print(
        f"10× the lines: {s_big / s_tenth:.1f}× the time; target < {MAX_SECONDS:.0f} s and "
        f"< {MAX_GB:.0f} GB: {'met' if met else 'NOT met'}"
    )
    diffs = same["differences"]
    print(
        f"{fifth:,} lines ({same['customers']:,} customers), DuckDB against the pandas "
        f"reference: {'equal' if not diffs else f'{len(diffs)} difference(s)'}; "
        f"target equal: {'met' if not diffs else 'NOT met'}"
    )
    for line in diffs:
        print(f"  {line}")


if __name__ == "__main__":
    main()
