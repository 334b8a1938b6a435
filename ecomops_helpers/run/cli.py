"""``ecomops``: run the reports, check exports, keep a history store, write a sample shop."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import unicodedata
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pandas as pd

from ..errors import EcomopsError, NoUsableExportError
from ..exports import DATE_ORDERS, KINDS
from ..exports.folder import unused_line
from ..exports.source import ONE_CURRENCY
from ..locking import OutputError
from ..page.i18n import LANGUAGES, Messages, date_note_text, leaves, left_out_text
from ..paths import NOTEBOOKS_DIR, REPORTS_DIR, SAMPLE_DIR
from ..sample import SEED
from ..sources import open_folder
from ..store import ExportStore
from ..weekly.weeks import PERIODS

__all__ = ["main", "cli_language"]

LANG_ENV = "ECOMOPS_LANG"
LOCALE_ENV = ("LC_ALL", "LC_MESSAGES", "LANG")  # the first one set names the locale


def _asked_lang(argv: list[str]) -> str | None:
    """The last --lang X / --lang=X of ``argv``, read before argparse builds the help."""
    asked = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            asked = argv[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.partition("=")[2]
    return asked if asked in LANGUAGES else None


def cli_language(argv: list[str], env=os.environ) -> str:
    """The language of the command's output: --lang, ECOMOPS_LANG, the locale, else en."""
    asked = _asked_lang(argv) or env.get(LANG_ENV, "")
    if asked in LANGUAGES:
        return asked
    locale = next((env[name] for name in LOCALE_ENV if env.get(name)), "")
    return "zh" if locale.lower().startswith("zh") else "en"


def _took(T: Messages, what: str, start: float) -> str:
    return T("cli.done.took", what=what, seconds=f"{time.perf_counter() - start:.1f}")


def _cmd_run(args, T: Messages) -> int:
    from .runner import default_report_date, run_reports

    report_date = args.date or default_report_date(args.data, args.out, args.date_order)
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
        warm=not args.cold,
        **{k: v for k, v in (("timeout", args.timeout), ("wait", args.wait)) if v is not None},
    )
    failed = [r.name for r in result.reports if r.status == "failed"]
    skipped = [r.name for r in result.reports if r.status == "skipped"]
    what = T("cli.done.failed", names=", ".join(failed)) if failed else T("cli.done.ok")
    what += T("cli.done.skipped", names=", ".join(skipped)) if skipped else ""
    print(_took(T, what, start))
    print(T("cli.done.index", path=result.index.resolve()))
    return 0 if result.ok else 1


def _cmd_run_all(args, T: Messages) -> int:
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
    print(_took(T, T("cli.done.not_ok", names=", ".join(bad)) if bad else T("cli.done.ok"), start))
    print(T("cli.done.index", path=(args.out / "index.html").resolve()))
    return 0 if not bad else 1


def _span(T: Messages, df) -> str:
    """The dates a loaded kind covers, e.g. ``, 2026-01-01 … 2026-10-21``.

    Ad rows without a date count by the period named above their file's header.
    """
    when = next((c for c in ("date", "paid_at", "ts") if c in df), None)
    first = df[when] if when else pd.Series(pd.NaT, index=df.index)
    last = first
    if "period_start" in df:
        first, last = first.fillna(df["period_start"]), last.fillna(df["period_end"])
    if first.notna().any():
        return T("cli.check.span", first=f"{first.min():%Y-%m-%d}", last=f"{last.max():%Y-%m-%d}")
    if "month" in df and df["month"].notna().any():
        return T(
            "cli.check.span", first=f"{df['month'].min():%Y-%m}", last=f"{df['month'].max():%Y-%m}"
        )
    return ""


def _snapshot_lines(T: Messages, folder, kind: str, files, df) -> list[str]:
    """Where files without a date column took their dates from (name, title row, period)."""
    lines = []
    dated = [f for f in files if f.path.name in folder.date_sources]
    last = df.groupby("_file")["date"].max() if dated and "date" in df else {}
    for f in files:
        if f.path.name in folder.date_sources and f.path.name in last:
            day, source = last[f.path.name], folder.date_sources[f.path.name]
            lines.append(
                "      "
                + T("cli.check.snapshot", file=f.path.name, date=f"{day:%Y-%m-%d}", source=source)
            )
        elif f.period and "date" not in f.mapping.values():
            first, end = f.period
            lines.append("      " + T("cli.check.period", file=f.path.name, first=first, last=end))
    return lines


def _currency_errors(T: Messages, folder) -> list[str]:
    """The kinds a report adds up whose exports name two currencies, as ``run`` refuses them."""
    errors = []
    for report, kinds in ONE_CURRENCY.items():
        try:
            folder.currency([k for k in kinds if k in folder.currencies])
        except EcomopsError as err:
            errors.append("  " + T("cli.check.currency", report=report, error=err))
    return errors


KIND_WIDTH = max(len(k) for k in KINDS)  # check's kind column
ROWS_WIDTH = 14  # its rows column: "   14,600 rows"


def _columns(text: str) -> int:
    """The columns ``text`` takes in a terminal, where a Chinese character takes two."""
    return len(text) + sum(unicodedata.east_asian_width(c) in "WF" for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _columns(text))
    return fill + text if right else text + fill


def _said(T: Messages, thing, translated) -> str:
    """A line a deeper module writes in English (``thing.text()``), or the reports' translation."""
    return thing.text() if T.lang == "en" else translated(T, thing)


def _cmd_check(args, T: Messages) -> int:
    """Every file's verdict: read into its kind, left out with the reason, or not recognised."""
    folder = open_folder(args.data, args.date_order)
    errors = 0
    stored = isinstance(folder, ExportStore)  # rows, not export files
    print(
        T("cli.check.store", path=folder.path)
        if stored
        else T("cli.check.folder", path=folder.path)
    )
    head = [_pad(T("cli.check.kind"), KIND_WIDTH), _pad(T("cli.check.rows"), ROWS_WIDTH, True)]
    print(f"  {' '.join(head)} {T('cli.check.source')}")
    for kind in KINDS:
        if not folder.has(kind) and not folder.left_out_of({kind}):
            continue
        try:
            df = folder.load(kind)
        except NoUsableExportError:
            print(f"  {kind:{KIND_WIDTH}s} {T('cli.check.no_usable')}")
            continue
        except EcomopsError as err:
            errors += 1
            print(f"  {kind:{KIND_WIDTH}s} {T('cli.check.error', error=err)}")
            continue
        files = [f for f in folder.files_of(kind) if f.path.name not in folder.left_out]
        source = T("cli.check.files", n=len(files)) if files else folder.joins.get(kind, "")
        source = T("cli.check.day_files", n=len(folder.parts(kind))) if stored else source
        empty = T("cli.check.header_only") if len(df) == 0 else ""
        rows = _pad(T("cli.check.row_count", n=f"{len(df):,}"), ROWS_WIDTH, right=True)
        print(f"  {kind:{KIND_WIDTH}s} {rows} {source}{_span(T, df)}{empty}")
        if len(df):  # a header-only file among good ones: a download that came out empty?
            for f in files:
                if f.empty:
                    print("      " + T("cli.check.empty_file", file=f.path.name))
        if args.verbose:
            for f in files:
                where = (
                    T("cli.check.layout", layout=f.layout)
                    if f.layout
                    else T("cli.check.header_row", row=f.header_row + 1)
                )
                enc = f", {f.encoding}" if f.encoding else ""
                print(
                    "      "
                    + T("cli.check.file", file=f.path.name, fmt=f.fmt, encoding=enc, where=where)
                )
        for line in _snapshot_lines(T, folder, kind, files, df):
            print(line)
    for line in _currency_errors(T, folder):
        errors += 1
        print(line)
    for note in folder.date_notes:
        print("  " + T("cli.check.dates", note=_said(T, note, date_note_text)))
    if args.verbose:
        for path, why in folder.skipped:
            shown = path.relative_to(folder.path) if path != folder.path else path
            print("  " + T("cli.check.skipped", path=shown, why=why))
    left_out = folder.left_out_of(None)
    for gone in left_out:
        print(f"  {_said(T, gone, left_out_text)}")
    unrecognised = [f for f in folder.unmatched if not f.near_miss]
    for f in unrecognised:
        print(f"  {unused_line(f)}")
    if stored:
        print(T("cli.check.store_total", kinds=len(folder.kinds), errors=errors))
        return 0 if not (errors or left_out) else 2
    read = sum(1 for f in folder.files if f.kind and f.path.name not in folder.left_out)
    errors += sum(1 for f in unrecognised if f.problem)
    not_recognised = sum(1 for f in unrecognised if not f.problem)
    print(
        T(
            "cli.check.total",
            read=read,
            left_out=len(left_out),
            unknown=not_recognised,
            errors=errors,
        )
    )
    return 0 if not (errors or not_recognised or left_out) else 2


def _cmd_ingest(args, T: Messages) -> int:
    from ..store import ingest

    start = time.perf_counter()
    result = ingest(args.data, args.store, date_order=args.date_order, wait=args.wait)
    print(T("cli.done.store", path=result.store))
    for line in result.lines():
        print(line)
    names = ", ".join(result.errors)
    print(_took(T, T("cli.done.not_ingested", names=names) if names else T("cli.done.ok"), start))
    return 0 if not result.errors else 2


def _cmd_sample(args, T: Messages) -> int:
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
    seconds = f"{time.perf_counter() - start:.1f}"
    print(T("cli.done.sample", n=len(files), mb=f"{size:.1f}", out=args.out, seconds=seconds))
    return 0


def _error(T: Messages, error) -> None:
    print(T("cli.errors.line", error=error), file=sys.stderr)


def _cmd_screenshots(args, T: Messages) -> int:
    from .browser import check_reports, why_no_browser

    why = why_no_browser()
    if why:
        _error(T, T("cli.errors.no_browser", why=why))
        return 2
    day = args.day
    if day is None:
        days = sorted(p for p in REPORTS_DIR.glob("[0-9]*-*-*") if p.is_dir())
        if not days:
            _error(T, T("cli.errors.no_reports", folder=REPORTS_DIR))
            return 2
        day = days[-1]
    try:
        checks = check_reports(day)
    except FileNotFoundError as err:
        _error(T, err)
        return 2
    problems = [p for c in checks for p in c.problems()]
    for c in checks:
        mark = T("cli.done.page_problem") if c.problems() else T("cli.done.page_ok")
        print(T("cli.done.page", page=c.page, width=c.width, mark=mark, shot=c.screenshot))
    for p in problems:
        print(f"  {p}")
    print(T("cli.done.pages", n=len(checks), problems=len(problems)))
    return 1 if problems else 0


def _cmd_kernel(args, T: Messages) -> int:
    from .runner import ensure_kernel

    print(T("cli.done.kernel", name=ensure_kernel(args.name), python=sys.executable))
    return 0


_CJK = "\u2e80-\u9fff\uff00-\uffef"  # Chinese characters and punctuation, full-width forms
_CLOSING = set("，。、；：）」』！？")  # never at the start of a line


def _wrap(text: str, width: int) -> list[str]:
    """``text``'s lines of at most ``width`` columns, broken at spaces or between CJK characters."""
    lines = [""]
    for token in re.findall(rf"[{_CJK}]|[^\s{_CJK}]+|\s+", text):
        wide = _columns(lines[-1] + token.rstrip()) > width
        if lines[-1] and wide and token not in _CLOSING:
            lines.append("")
        if lines[-1] or not token.isspace():
            lines[-1] += " " if token.isspace() else token
    return [line.rstrip() for line in lines]


class _Formatter(argparse.HelpFormatter):
    """argparse's help, its texts wrapped by :func:`_wrap` (Chinese lines fit the terminal too)."""

    def _split_lines(self, text, width):
        return _wrap(" ".join(text.split()), width)

    def _fill_text(self, text, width, indent):
        return "\n".join(
            indent + line for line in _wrap(" ".join(text.split()), width - len(indent))
        )


@contextmanager
def _argparse_in(T: Messages):
    """The words argparse prints itself (usage, options, its errors) in ``T``'s language."""
    words = {
        leaf["en"]: leaf[T.lang]
        for key, leaf in leaves().items()
        if key.startswith("cli.argparse.")
    }
    before = argparse._
    argparse._ = lambda text: words.get(text, text)
    try:
        yield
    finally:
        argparse._ = before


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command-line interface, its help in ``lang``."""
    T = Messages(lang)

    def day(value: str) -> str:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise argparse.ArgumentTypeError(T("cli.errors.date", value=value)) from None
        return value

    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=T("cli.lang"))
    date_order = dict(choices=DATE_ORDERS, default="auto", help=T("cli.options.date_order"))
    p = argparse.ArgumentParser(
        prog="ecomops",
        description=T("cli.description"),
        epilog=T("cli.epilog"),
        parents=[lang],
        formatter_class=_Formatter,
    )
    sub = p.add_subparsers(dest="command", required=True)

    def command(name: str, about: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name, help=about, description=about, parents=[lang], formatter_class=_Formatter
        )

    run = command("run", T("cli.help.run"))
    run.add_argument("--data", type=Path, default=SAMPLE_DIR, help=T("cli.options.data"))
    run.add_argument("--date", type=day, default=None, help=T("cli.options.date"))
    run.add_argument("--out", type=Path, default=REPORTS_DIR, help=T("cli.options.out"))
    run.add_argument("--notebooks", default="", help=T("cli.options.notebooks"))
    run.add_argument("--period", choices=PERIODS, default="day", help=T("cli.options.period"))
    run.add_argument("--date-order", **date_order)
    run.add_argument("--currency", default="CNY", type=str.upper, help=T("cli.options.currency"))
    run.add_argument("--explain", action="store_true", help=T("cli.options.explain"))
    run.add_argument("--show-code", action="store_true", help=T("cli.options.show_code"))
    run.add_argument("--workers", type=int, default=None, help=T("cli.options.workers"))
    run.add_argument("--timeout", type=float, default=None, help=T("cli.options.timeout"))
    run.add_argument("--wait", type=float, default=None, help=T("cli.options.wait"))
    run.add_argument("--cold", action="store_true", help=T("cli.options.cold"))
    run.add_argument(
        "--notebooks-dir", type=Path, default=NOTEBOOKS_DIR, help=T("cli.options.notebooks_dir")
    )
    run.set_defaults(func=_cmd_run)

    many = command("run-all", T("cli.help.run_all"))
    many.add_argument("--shops", type=Path, required=True, help=T("cli.options.shops"))
    many.add_argument("--out", type=Path, default=REPORTS_DIR, help=T("cli.options.shops_out"))
    many.add_argument("--workers", type=int, default=None, help=T("cli.options.shop_workers"))
    many.add_argument("--timeout", type=float, default=None, help=T("cli.options.shop_timeout"))
    many.add_argument("--executor", default="processes", help=T("cli.options.executor"))
    many.set_defaults(func=_cmd_run_all)

    check = command("check", T("cli.help.check"))
    check.add_argument("--data", type=Path, default=SAMPLE_DIR, help=T("cli.options.data"))
    check.add_argument("-v", "--verbose", action="store_true", help=T("cli.options.verbose"))
    check.add_argument("--date-order", **date_order)
    check.set_defaults(func=_cmd_check)

    ingest = command("ingest", T("cli.help.ingest"))
    ingest.add_argument("--data", type=Path, required=True, help=T("cli.options.ingest_data"))
    ingest.add_argument("--store", type=Path, required=True, help=T("cli.options.store"))
    ingest.add_argument("--date-order", **date_order)
    ingest.add_argument("--wait", type=float, default=600.0, help=T("cli.options.ingest_wait"))
    ingest.set_defaults(func=_cmd_ingest)

    sample = command("sample", T("cli.help.sample"))
    sample.add_argument("--out", type=Path, required=True, help=T("cli.options.sample_out"))
    sample.add_argument("--days", type=int, default=365, help=T("cli.options.days"))
    sample.add_argument("--items", type=int, default=40, help=T("cli.options.items"))
    sample.add_argument("--end", type=day, default=None, help=T("cli.options.end"))
    sample.add_argument("--seed", type=int, default=SEED, help=T("cli.options.seed"))
    sample.add_argument(
        "--platform",
        choices=("taobao", "shopify", "amazon"),
        default="taobao",
        help=T("cli.options.platform"),
    )
    sample.set_defaults(func=_cmd_sample)

    shots = command("screenshots", T("cli.help.screenshots"))
    shots.add_argument("day", nargs="?", type=Path, default=None, help=T("cli.options.day"))
    shots.set_defaults(func=_cmd_screenshots)

    kernel = command("install-kernel", T("cli.help.install_kernel"))
    kernel.add_argument("--name", default="ecomops", help=T("cli.options.kernel_name"))
    kernel.set_defaults(func=_cmd_kernel)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ecomops command; its language is :func:`cli_language`'s."""
    argv = sys.argv[1:] if argv is None else argv
    T = Messages(cli_language(argv))
    with _argparse_in(T):
        args = build_parser(T.lang).parse_args(argv)
    asked = getattr(args, "lang", None)
    T = Messages(asked or T.lang)
    env = os.environ.get(LANG_ENV, "")
    if not asked and env and env not in LANGUAGES:
        _error(T, T("cli.errors.env_lang", value=env))
        return 2
    args.lang = asked or env or "zh"  # the reports' language; zh unless asked
    missing = [getattr(args, name, None) for name in ("data", "shops", "day")]
    missing = [path for path in missing if path is not None and not path.exists()]
    if missing:
        _error(T, T("cli.errors.missing", path=missing[0]))
        return 2
    try:
        return args.func(args, T)
    except OutputError as err:  # the reports cannot be written: its own exit code
        _error(T, err)
        return err.exit_code
    except (EcomopsError, LookupError, ValueError) as err:
        _error(T, err)
        return 2


if __name__ == "__main__":
    sys.exit(main())
