"""``ecomops``: run the reports, check exports, keep a history store, write a sample shop."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

from ..errors import EcomopsError, NoUsableExportError
from ..exports import DATE_ORDERS, KINDS, open_folder
from ..exports.folder import unused_line
from ..exports.source import ONE_CURRENCY
from ..paths import NOTEBOOKS_DIR, REPORTS_DIR, SAMPLE_DIR
from ..sample import SEED
from ..store import ExportStore
from ..weekly.weeks import PERIODS
from .output_folder import OutputError

__all__ = ["main"]


def _cmd_run(args) -> int:
    from .runner import default_report_date, run_reports

    report_date = args.date or default_report_date(args.data, args.out, args.date_order)
    date.fromisoformat(report_date)
    start = time.perf_counter()
    result = run_reports(
        args.data,
        report_date,
        args.out,
        notebooks=[n.strip() for n in args.notebooks.split(",")] if args.notebooks else None,
        lang=args.lang,
        show_code=args.show_code,
        workers=args.workers,
        notebooks_dir=args.notebooks_dir,
        date_order=args.date_order,
        explain=args.explain,
        currency=args.currency,
        period=args.period,
        **{k: v for k, v in (("timeout", args.timeout), ("wait", args.wait)) if v is not None},
    )
    failed = [r.name for r in result.reports if r.status == "failed"]
    skipped = [r.name for r in result.reports if r.status == "skipped"]
    print(
        f"{'done' if not failed else 'FAILED: ' + ', '.join(failed)}"
        f"{' (skipped: ' + ', '.join(skipped) + ')' if skipped else ''} in "
        f"{time.perf_counter() - start:.1f} s"
    )
    print(f"index: {result.index.resolve()}")
    return 0 if result.ok else 1


def _cmd_run_all(args) -> int:
    from .shops import read_shops, run_all

    start = time.perf_counter()
    records = run_all(
        read_shops(args.shops, args.out),
        args.out,
        workers=args.workers,
        timeout=args.timeout,
        lang=args.lang,
        executor=args.executor,
    )
    bad = [r["shop"] for r in records if r["status"] != "ok"]
    print(
        f"{'done' if not bad else 'NOT ok: ' + ', '.join(bad)} in "
        f"{time.perf_counter() - start:.1f} s"
    )
    print(f"index: {(args.out / 'index.html').resolve()}")
    return 0 if not bad else 1


def _span(df) -> str:
    """The dates a loaded kind covers, e.g. ``, 2026-01-01 … 2026-10-21``.

    Ad rows without a date count by the period named above their file's header.
    """
    when = next((c for c in ("date", "paid_at", "ts") if c in df), None)
    first = df[when] if when else pd.Series(pd.NaT, index=df.index)
    last = first
    if "period_start" in df:
        first, last = first.fillna(df["period_start"]), last.fillna(df["period_end"])
    if first.notna().any():
        return f", {first.min():%Y-%m-%d} … {last.max():%Y-%m-%d}"
    if "month" in df and df["month"].notna().any():
        return f", {df['month'].min():%Y-%m} … {df['month'].max():%Y-%m}"
    return ""


def _snapshot_lines(folder, kind: str, files, df) -> list[str]:
    """Where files without a date column took their dates from (name, title row, period)."""
    lines = []
    dated = [f for f in files if f.path.name in folder.date_sources]
    last = df.groupby("_file")["date"].max() if dated and "date" in df else {}
    for f in files:
        if f.path.name in folder.date_sources and f.path.name in last:
            lines.append(
                f"      {f.path.name}: no date column; snapshot date "
                f"{last[f.path.name]:%Y-%m-%d} from its {folder.date_sources[f.path.name]}"
            )
        elif f.period and "date" not in f.mapping.values():
            lines.append(
                f"      {f.path.name}: no date column; period {f.period[0]} … "
                f"{f.period[1]} from the line above the header"
            )
    return lines


def _currency_errors(folder) -> list[str]:
    """The kinds a report adds up whose exports name two currencies, as ``run`` refuses them."""
    errors = []
    for report, kinds in ONE_CURRENCY.items():
        try:
            folder.currency([k for k in kinds if k in folder.currencies])
        except EcomopsError as err:
            errors.append(f"  currency ERROR ({report}) {err}")
    return errors


KIND_WIDTH = max(len(k) for k in KINDS)  # check's kind column


def _cmd_check(args) -> int:
    """Every file's verdict: read into its kind, left out with the reason, or not recognised."""
    folder = open_folder(args.data, args.date_order)
    errors = 0
    stored = isinstance(folder, ExportStore)  # rows, not export files
    print(f"{'history store' if stored else 'exports in'} {folder.path}:")
    for kind in KINDS:
        if not folder.has(kind) and not folder.left_out_of({kind}):
            continue
        try:
            df = folder.load(kind)
        except NoUsableExportError:
            print(f"  {kind:{KIND_WIDTH}s} no usable file: every file of it is left out (below)")
            continue
        except EcomopsError as err:
            errors += 1
            print(f"  {kind:{KIND_WIDTH}s} ERROR {err}")
            continue
        files = [f for f in folder.files_of(kind) if f.path.name not in folder.left_out]
        source = f"from {len(files)} file(s)" if files else folder.joins.get(kind, "")
        source = f"in {len(folder.parts(kind))} day file(s)" if stored else source
        empty = " (header only: an export with no rows)" if len(df) == 0 else ""
        print(f"  {kind:{KIND_WIDTH}s} {len(df):>9,} rows {source}{_span(df)}{empty}")
        if len(df):  # a header-only file among good ones: a download that came out empty?
            for f in files:
                if f.empty:
                    print(f"      {f.path.name}: header only, 0 rows — an empty download?")
        if args.verbose:
            for f in files:
                where = (
                    f"read by its rows — {f.layout}"
                    if f.layout
                    else f"header on row {f.header_row + 1}"
                )
                enc = f", {f.encoding}" if f.encoding else ""
                print(f"      {f.path.name} ({f.fmt}{enc}, {where})")
        for line in _snapshot_lines(folder, kind, files, df):
            print(line)
    for line in _currency_errors(folder):
        errors += 1
        print(line)
    for note in folder.date_notes:
        print(f"  dates: {note.text()}")
    if args.verbose:
        for path, why in folder.skipped:
            print(
                f"  skipped: {path.relative_to(folder.path) if path != folder.path else path}"
                f" ({why})"
            )
    left_out = folder.left_out_of(None)
    for gone in left_out:
        print(f"  {gone.text()}")
    unrecognised = [f for f in folder.unmatched if not f.near_miss]
    for f in unrecognised:
        print(f"  {unused_line(f)}")
    if stored:
        print(f"{len(folder.kinds)} kind(s) in the store, {errors} error(s)")
        return 0 if not (errors or left_out) else 2
    read = sum(1 for f in folder.files if f.kind and f.path.name not in folder.left_out)
    errors += sum(1 for f in unrecognised if f.problem)
    not_recognised = sum(1 for f in unrecognised if not f.problem)
    print(
        f"{read} file(s) read, {len(left_out)} left out, {not_recognised} not recognised, "
        f"{errors} error(s)"
    )
    return 0 if not (errors or not_recognised or left_out) else 2


def _cmd_ingest(args) -> int:
    from ..store import ingest

    start = time.perf_counter()
    result = ingest(args.data, args.store, date_order=args.date_order, wait=args.wait)
    print(f"store {result.store}:")
    for line in result.lines():
        print(line)
    print(
        f"{'done' if not result.errors else 'NOT ingested: ' + ', '.join(result.errors)} in "
        f"{time.perf_counter() - start:.1f} s"
    )
    return 0 if not result.errors else 2


def _cmd_sample(args) -> int:
    from ..sample import SAMPLE_END, write_sample_shop

    end = date.fromisoformat(args.end) if args.end else SAMPLE_END
    start = time.perf_counter()
    shape = dict(end=end, days=args.days, items=args.items, seed=args.seed)
    if args.platform == "taobao":
        files = write_sample_shop(args.out, **shape)
    else:  # a Shopify or Amazon seller's exports, in dollars
        from ..storefront_sample import write_storefront_shop

        files = write_storefront_shop(args.out, args.platform, **shape)
    size = sum(f.stat().st_size for f in files) / 1e6
    print(
        f"wrote {len(files)} files ({size:.1f} MB) to {args.out} "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return 0


def _cmd_screenshots(args) -> int:
    from .browser import check_reports, why_no_browser

    why = why_no_browser()
    if why:
        print(f"error: cannot open a browser: {why}", file=sys.stderr)
        return 2
    day = args.day
    if day is None:
        days = sorted(p for p in REPORTS_DIR.glob("[0-9]*-*-*") if p.is_dir())
        if not days:
            print(f"error: no reports in {REPORTS_DIR}; run `ecomops run` first", file=sys.stderr)
            return 2
        day = days[-1]
    try:
        checks = check_reports(day)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    problems = [p for c in checks for p in c.problems()]
    for c in checks:
        mark = "ok" if not c.problems() else "PROBLEM"
        print(f"  {c.page} at {c.width} px: {mark} → {c.screenshot}")
    for p in problems:
        print(f"  {p}")
    print(f"{len(checks)} page view(s) checked, {len(problems)} problem(s)")
    return 1 if problems else 0


def _cmd_kernel(args) -> int:
    from .runner import ensure_kernel

    print(f"kernel '{ensure_kernel(args.name)}' installed for {sys.executable}")
    return 0


_DATE_ORDER = dict(
    choices=DATE_ORDERS,
    default="auto",
    help="how to read dates like 03/04/2025 where no file proves it: dmy (day first), mdy "
    "(month first), ymd; auto (default) assumes month first and says so",
)


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    p = argparse.ArgumentParser(prog="ecomops", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="execute the report notebooks and render HTML")
    run.add_argument(
        "--data", type=Path, default=SAMPLE_DIR, help="folder of exports, or a history store"
    )
    run.add_argument("--date", default="", help="YYYY-MM-DD; default: last date in the exports")
    run.add_argument("--out", type=Path, default=REPORTS_DIR, help="reports folder")
    run.add_argument("--notebooks", default="", help="comma-separated, e.g. daily_review")
    run.add_argument(
        "--period",
        choices=PERIODS,
        default="day",
        help="day (default): the morning's reports, plus the weekly review when the date is a "
        "Monday; week: the weekly review only (the last complete Mon–Sun week); --notebooks wins",
    )
    run.add_argument("--lang", choices=["zh", "en"], default="zh")
    run.add_argument("--date-order", **_DATE_ORDER)
    run.add_argument(
        "--currency",
        default="CNY",
        type=str.upper,
        help="ISO code of amounts whose exports name no currency (default CNY; USD, GBP, "
        "BRL …); exports that name theirs ($, £, R$, Currency columns) keep it",
    )
    run.add_argument(
        "--explain",
        action="store_true",
        help="training mode: each section adds the why from practice",
    )
    run.add_argument("--show-code", action="store_true", help="keep code cells in the HTML")
    run.add_argument("--workers", type=int, default=None, help="notebooks at once (cores)")
    run.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds a cell may run before its report is stopped (a hung kernel; 1800)",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=None,
        help="seconds to wait for another run writing the same --out folder (600)",
    )
    run.add_argument(
        "--notebooks-dir",
        type=Path,
        default=NOTEBOOKS_DIR,
        help="folder of report notebooks (default: the project's)",
    )
    run.set_defaults(func=_cmd_run)

    many = sub.add_parser("run-all", help="run every shop of a folder or a TOML list at once")
    many.add_argument(
        "--shops", type=Path, required=True, help="a folder of shop folders, or a shops .toml"
    )
    many.add_argument("--out", type=Path, default=REPORTS_DIR, help="reports folder (one per shop)")
    many.add_argument("--workers", type=int, default=None, help="shops at once (cores)")
    many.add_argument("--timeout", type=float, default=None, help="seconds a cell may run")
    many.add_argument("--lang", choices=["zh", "en"], default="zh", help="the index's language")
    many.add_argument(
        "--executor",
        default="processes",
        help="where shops run: processes (default), dask (a local Dask cluster), "
        "dask://host:port (an existing Dask scheduler; shared paths)",
    )
    many.set_defaults(func=_cmd_run_all)

    check = sub.add_parser("check", help="validate a folder of exports without running")
    check.add_argument("--data", type=Path, default=SAMPLE_DIR)
    check.add_argument("-v", "--verbose", action="store_true", help="list every file")
    check.add_argument("--date-order", **_DATE_ORDER)
    check.set_defaults(func=_cmd_check)

    ingest = sub.add_parser(
        "ingest", help="append a folder's exports to a history store (Parquet, by kind and month)"
    )
    ingest.add_argument("--data", type=Path, required=True, help="folder of exports")
    ingest.add_argument("--store", type=Path, required=True, help="the store (made if absent)")
    ingest.add_argument("--date-order", **_DATE_ORDER)
    ingest.add_argument(
        "--wait", type=float, default=600.0, help="seconds to wait for another ingest (600)"
    )
    ingest.set_defaults(func=_cmd_ingest)

    sample = sub.add_parser("sample", help="write a generated sample shop")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--days", type=int, default=365)
    sample.add_argument("--items", type=int, default=40)
    sample.add_argument("--end", default="", help="last day, YYYY-MM-DD")
    sample.add_argument("--seed", type=int, default=SEED)
    sample.add_argument(
        "--platform",
        choices=("taobao", "shopify", "amazon"),
        default="taobao",
        help="whose exports: 生意参谋 (default), Shopify Analytics, Amazon Business Reports",
    )
    sample.set_defaults(func=_cmd_sample)

    shots = sub.add_parser(
        "screenshots",
        help="open a day's reports in headless Chromium at 390 and 1280 px, check and screenshot",
    )
    shots.add_argument(
        "day", nargs="?", type=Path, default=None, help="a day's folder (default: the latest)"
    )
    shots.set_defaults(func=_cmd_screenshots)

    kernel = sub.add_parser("install-kernel", help="install the Jupyter kernel the runs use")
    kernel.add_argument("--name", default="ecomops")
    kernel.set_defaults(func=_cmd_kernel)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ecomops`` command."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except OutputError as err:  # the reports cannot be written: its own exit code
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except (EcomopsError, LookupError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
