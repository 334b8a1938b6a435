"""Execute the report notebooks with papermill, render HTML with nbconvert, write the index.

One process runs the notebooks side by side (threads; each notebook gets its own kernel).
A failing notebook does not stop the others; its HTML still renders with the error shown.
The day's folder is built in a temporary directory and swapped in whole.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..exports.cache import default_cache
from ..locking import locked
from ..page.i18n import Messages, unusable_text
from ..page.report_page import (
    SUMMARY_FILE,
    index_html,
    read_history,
    render_report,
    report_outputs,
    summary,
)
from ..paths import NOTEBOOKS_DIR, OUTPUT_MARKER, mark_output
from .output_folder import output_error, recover
from .warm_kernels import engine_options

__all__ = [
    "KERNEL_NAME",
    "ReportResult",
    "RunResult",
    "ensure_kernel",
    "run_reports",
    "available_notebooks",
    "period_notebooks",
    "default_report_date",
]

KERNEL_NAME = "ecomops"
KERNEL_DISPLAY = "ecomops (project venv)"
KERNEL_LOG = "--IPKernelApp.log_level=CRITICAL"
TIMEOUT_SECONDS = 1800.0  # a cell running longer stops its report (a hung kernel): --timeout
# errors of a notebook that mean its data cannot answer: the report is skipped, not failed
SKIP_ERRORS = ("MissingExportError", "NoUsableExportError")
WAIT_SECONDS = 600.0  # how long a run waits for another one writing the same folder: --wait


REPORT_ORDER = (
    "daily_review",
    "competitor_tracking",
    "paid_ads_audit",
    "customer_segmentation",
    "weekly_review",
)


def available_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """Names of the report notebooks (without ``.ipynb``): the operator's morning order first."""
    names = [p.stem for p in notebooks_dir.glob("*.ipynb")]
    rank = {n: i for i, n in enumerate(REPORT_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def period_notebooks(
    period: str, report_date: str, notebooks_dir: Path = NOTEBOOKS_DIR
) -> list[str]:
    """The notebooks a run of ``period`` renders for ``report_date``.

    ``week``: the weekly ones (``metadata.ecomops.period`` is ``week``); ``day``: the others,
    plus the weekly ones when the report date is a Monday.
    """
    from ..weekly.weeks import PERIODS, runs_weekly

    if period not in PERIODS:
        raise ValueError(f"period {period!r}: expected one of {', '.join(PERIODS)}")
    names = available_notebooks(notebooks_dir)
    weekly = [n for n in names if _meta(notebooks_dir / f"{n}.ipynb").get("period") == "week"]
    if period == "week":
        return weekly
    return [n for n in names if n not in weekly or runs_weekly(report_date)]


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Install this interpreter as Jupyter kernel ``name`` into ``sys.prefix`` when missing.

    The kernelspec starts the kernel logging only what is CRITICAL, so kernel chatter (start-up
    notes, "KeyboardInterrupt caught in kernel" as the client shuts it down) does not reach
    the CLI's output: errors in a report reach its page. Returns the kernel name.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", KERNEL_LOG]
    ksm = KernelSpecManager()
    try:
        spec = ksm.get_kernel_spec(name)
        if (
            spec.argv
            and spec.argv[1:] == argv[1:]
            and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()
        ):
            return name
    except NoSuchKernel:
        pass
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": argv,
                    "display_name": KERNEL_DISPLAY,
                    "language": "python",
                    "metadata": {"debugger": True},
                }
            )
        )
        ksm.install_kernel_spec(tmp, kernel_name=name, prefix=sys.prefix)
    return name


@dataclass
class ReportResult:
    """How one notebook's run went."""

    name: str
    status: str  # ok | failed | skipped (an export the notebook requires is absent)
    seconds: float
    html: Path | None = None
    error: str = ""
    actions: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # optional inputs it could not use
    headline: list[dict] = field(default_factory=list)  # KPI numbers, for the index's trends
    notes: list[str] = field(default_factory=list)  # what the report assumed (its header says)


@dataclass
class RunResult:
    """A whole run: the day's folder and each report's result."""

    date: str
    folder: Path
    reports: list[ReportResult]
    unrecognised: list[str] = field(default_factory=list)  # files of the data folder, and why

    @property
    def ok(self) -> bool:
        """True when no report failed (a skipped report is not a failure)."""
        return all(r.status != "failed" for r in self.reports)

    @property
    def index(self) -> Path:
        """The run's ``index.html``."""
        return self.folder / "index.html"


def default_report_date(data_dir: str | Path, out_dir: str | Path, date_order: str = "auto") -> str:
    """The date a run reports on when none is given: the last day the exports cover.

    The reports folder is left out of the scan, wherever it sits.
    """
    from ..sources import open_folder

    folder = open_folder(data_dir, date_order, exclude=(out_dir,))
    return f"{folder.last_date():%Y-%m-%d}"


def _meta(source: Path) -> dict:
    """A notebook's ``metadata.ecomops``: the kinds it requires and the folders it writes."""
    return json.loads(source.read_text(encoding="utf-8")).get("metadata", {}).get("ecomops", {})


def _required_kinds(source: Path) -> tuple[list[str], list[str]]:
    """Export kinds a notebook needs: all of ``requires``, and one of ``requires_any``.

    Both come from the notebook's ``metadata.ecomops`` (the paid-ads audit runs on any one
    of the keyword, search-term and campaign reports).
    """
    meta = _meta(source)
    return list(meta.get("requires", [])), list(meta.get("requires_any", []))


def _own_files(name: str, source: Path) -> set[str]:
    """The names in a day's folder that belong to one report: its page, notebook, folders."""
    return {f"{name}.ipynb", f"{name}.html", *_meta(source).get("writes", [])}


def _link_or_copy(src, dst) -> None:
    """A hard link where the file system has them (no bytes copied), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _keep_others(
    final: Path, tmp: Path, rerun: dict[str, Path], others: dict[str, Path] | None = None
) -> list[ReportResult]:
    """Carry the day's reports that this run does not render into ``tmp``; their results.

    A rerun of some reports (``others`` None) copies everything of the day's folder except
    the rerun reports' own files and the index and summary, which are rebuilt from all
    reports. A whole run of one period copies only the own files of ``others`` (the other
    period's reports, by name and notebook): anything else of the day is replaced.
    """
    if not final.is_dir():
        return []
    try:
        before = json.loads((final / SUMMARY_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        before = {"reports": []}
    replaced = {SUMMARY_FILE, "index.html", OUTPUT_MARKER}
    for name, source in rerun.items():
        replaced |= _own_files(name, source)
    kept_names = None
    if others is not None:
        done = {r.get("name") for r in before.get("reports", [])}
        others = {n: s for n, s in others.items() if n in done and n not in rerun}
        kept_names = set().union(*(_own_files(n, s) for n, s in others.items()))
    for item in final.iterdir():
        if item.name in replaced or item.name == "screenshots":
            continue
        if kept_names is not None and item.name not in kept_names:
            continue
        target = tmp / item.name
        if item.is_dir():
            shutil.copytree(item, target, copy_function=_link_or_copy)
        else:
            _link_or_copy(item, target)
    kept = []
    for r in before.get("reports", []):
        if r.get("name") in rerun or "seconds" not in r:
            continue
        if others is not None and r.get("name") not in others:
            continue
        html_path = tmp / f"{r['name']}.html"
        kept.append(
            ReportResult(
                name=r["name"],
                status=r["status"],
                seconds=r["seconds"],
                html=html_path if html_path.exists() else None,
                error=r.get("error", ""),
                actions=r.get("actions", []),
                warnings=r.get("warnings", []),
                headline=r.get("headline", []),
                notes=r.get("notes", []),
            )
        )
    return kept


def _scan(sources: dict[str, Path], data_dir: Path, date_order: str, T: Messages, exclude=()):
    """One scan of the data folder: per notebook why it cannot run, and unrecognised files.

    A notebook is skipped when an export kind it requires is absent, or when every file of
    that kind is a header without rows, or when none of its ``requires_any`` kinds has rows.
    """
    from ..exports.folder import unused_line
    from ..sources import open_folder

    required = {name: _required_kinds(path) for name, path in sources.items()}
    if not any(a or b for a, b in required.values()):  # notebooks that read no exports (tests)
        return {name: "" for name in sources}, []
    folder = open_folder(data_dir, date_order, exclude=exclude)

    def left_out(kinds) -> str:  # why a kind has no file: its files were left out
        return "; ".join(x.reason for x in folder.left_out_of(kinds))

    skip = {}
    for name in sources:
        reasons = []
        every, any_of = required[name]
        usable = [k for k in any_of if folder.has(k) and not folder.is_empty(k)]
        if any_of and not usable:
            kinds = "/".join(T.kind(k) for k in any_of)
            reasons.append(unusable_text(T, kinds, data_dir, left_out(any_of)))
        for kind in every:
            if not folder.has(kind):
                reasons.append(unusable_text(T, kind, data_dir, left_out([kind])))
            elif folder.is_empty(kind):
                files = ", ".join(f.path.name for f in folder.files_of(kind))
                reasons.append(T("reasons.header_only", kind=T.kind(kind), files=files))
        skip[name] = "; ".join(reasons)
    unused = [x.text() for x in folder.left_out_of(None)]
    unused += [unused_line(f) for f in folder.unmatched if not f.near_miss]
    return skip, unused


def _io_without_chdir() -> None:
    """Make papermill read and write notebooks without changing the process's directory.

    papermill's local file handler wraps every read and write in ``os.chdir`` to the folder
    it recorded at the start of a run, and restores whatever it found (nteract/papermill#473,
    open: "not thread-safe usage of cwd"). Two reports written at once by two threads can then
    leave the whole process in another folder, and a relative ``--data`` or ``--out`` given
    later points nowhere (it failed the mornings test now and then). The runner passes
    absolute paths only, so the handler reads and writes them as they are.
    """
    from papermill.iorw import LocalHandler, papermill_io

    class AbsolutePathHandler(LocalHandler):
        def read(self, path):
            with open(path, encoding="utf-8") as f:
                return f.read()

        def listdir(self, path):
            return [os.path.join(path, fn) for fn in os.listdir(path)]

        def write(self, buf, path):
            folder = os.path.dirname(path)
            if folder and not os.path.exists(folder):
                raise FileNotFoundError(f"output folder {folder} doesn't exist.")
            with open(path, "w", encoding="utf-8") as f:
                f.write(buf)

    local = papermill_io.get_handler("report.ipynb")  # the handler papermill registered
    if isinstance(local, LocalHandler) and type(local) is LocalHandler:
        local.__class__ = AbsolutePathHandler


def _run_one(
    name: str,
    source: Path,
    folder: Path,
    parameters: dict,
    kernel: str,
    show_code: bool,
    skip: str,
    timeout: float = TIMEOUT_SECONDS,
    engine: dict | None = None,
) -> ReportResult:
    import nbformat
    import papermill as pm

    if skip:
        return ReportResult(name=name, status="skipped", seconds=0.0, error=skip)

    out = folder / f"{name}.ipynb"
    start = time.perf_counter()
    error = ""
    try:
        declared = pm.inspect_notebook(str(source))  # pass only what the notebook declares
        given = {**parameters, "output_dir": str(folder)}
        pm.execute_notebook(
            str(source),
            str(out),
            parameters={k: v for k, v in given.items() if k in declared},
            kernel_name=kernel,
            execution_timeout=timeout,
            progress_bar=False,
            log_output=False,
            report_mode=False,
            resources={"metadata": {"path": str(source.parent)}},
            **(engine or {}),
        )
    except pm.PapermillExecutionError as err:
        if err.ename in SKIP_ERRORS:  # the data cannot answer: say why, not a failure
            skip = err.evalue
        else:
            error = f"{err.ename}: {err.evalue}"
    except TimeoutError:  # a hung kernel: this report stops, the others go on
        error = f"stopped: a cell ran longer than {timeout:g} s (--timeout)"
    except OSError as err:
        if output_error(err, folder) is not None:
            raise  # a full disk or a read-only folder ends the run with its own line
        error = f"{type(err).__name__}: {err}"
    except Exception as err:  # kernel died, notebook unreadable: still report it
        error = f"{type(err).__name__}: {err}"
    html_path, found = None, {"actions": [], "warnings": [], "headline": [], "notes": []}
    try:
        nb = nbformat.read(out, as_version=4) if out.exists() else None
    except (ValueError, nbformat.reader.NotJSONError) as err:
        nb, error = None, error or f"the executed notebook could not be read back ({err})"
    if nb is not None:
        found = report_outputs(nb)
        try:
            html_path = render_report(
                out, nb, show_code=show_code, lang=parameters["language"], skipped=skip
            )
        except OSError as err:
            if output_error(err, folder) is not None:
                raise
            error = error or f"rendering failed: {err}"
        except Exception as err:
            error = error or f"rendering failed: {err}"
    return ReportResult(
        name=name,
        status="failed" if error else ("skipped" if skip else "ok"),
        seconds=time.perf_counter() - start,
        html=html_path,
        error=error or skip,
        actions=found["actions"],
        warnings=found["warnings"],
        headline=found["headline"],
        notes=found["notes"],
    )


def _swap_in(tmp: Path, final: Path) -> None:
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
    tmp.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def run_reports(
    data_dir: str | Path,
    report_date: str,
    out_dir: str | Path,
    notebooks: list[str] | None = None,
    lang: str = "zh",
    show_code: bool = False,
    workers: int | None = None,
    kernel_name: str = KERNEL_NAME,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    progress=print,
    date_order: str = "auto",
    explain: bool = False,
    currency: str = "CNY",
    timeout: float = TIMEOUT_SECONDS,
    wait: float = WAIT_SECONDS,
    settings: dict | None = None,
    period: str = "day",
    warm: bool = True,
) -> RunResult:
    """Run the report notebooks for ``report_date`` into ``out_dir/<date>/`` and index them.

    Every path is resolved here, against the caller's working directory, before it reaches
    a kernel (kernels run in ``notebooks/``). One run at a time writes a reports folder (a
    second waits up to ``wait`` s); a cell running past ``timeout`` s fails its report only.
    A full disk or a folder that cannot be written raises :class:`OutputError`
    (:mod:`ecomops_helpers.locking`), yesterday's reports kept. ``settings``: more notebook
    parameters (a shop's thresholds); each notebook gets those it declares. Without
    ``notebooks``, ``period`` chooses them (:func:`period_notebooks`). ``warm``: kernels
    forked from a process with the imports done (:mod:`.warm_kernels`), else cold ones.
    """
    data_dir, out_dir = Path(data_dir).resolve(), Path(out_dir).resolve()
    notebooks_dir = Path(notebooks_dir).resolve()
    names = notebooks or period_notebooks(period, report_date, notebooks_dir)
    unknown = [n for n in names if not (notebooks_dir / f"{n}.ipynb").exists()]
    if unknown:
        raise ValueError(
            f"unknown notebook(s) {', '.join(unknown)}; "
            f"available: {', '.join(available_notebooks(notebooks_dir))}"
        )
    try:
        with locked(out_dir, wait, progress):
            kernel = ensure_kernel(kernel_name)
            engine = engine_options(warm, progress)
            _io_without_chdir()
            # nbconvert takes about a second to import; do it while the kernels compute
            threading.Thread(
                target=importlib.import_module, args=("nbconvert",), daemon=True
            ).start()
            if (cache := default_cache()) is not None:
                cache.prune()  # parsed exports of files gone or unchanged for months
            logging.getLogger("papermill").setLevel(logging.ERROR)
            sources = {n: notebooks_dir / f"{n}.ipynb" for n in names}
            skip, unrecognised = _scan(
                sources, data_dir, date_order, Messages(lang), exclude=(out_dir,)
            )
            for line in unrecognised:
                progress(f"  {line}")
            mark_output(out_dir)
            for line in recover(out_dir):
                progress(f"  {line}")
            final = out_dir / report_date
            tmp = out_dir / f".{report_date}.tmp-{os.getpid()}"
            shutil.rmtree(tmp, ignore_errors=True)
            mark_output(tmp)
            parameters = {
                "data_dir": str(data_dir),
                "report_date": report_date,
                "language": lang,
                "date_order": date_order,
                "explain": explain,
                "currency": currency,
                **(settings or {}),
            }
            workers = workers or min(len(names), os.cpu_count() or 1)
            results: list[ReportResult] = []
            try:
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    futures = {
                        pool.submit(
                            _run_one,
                            n,
                            sources[n],
                            tmp,
                            parameters,
                            kernel,
                            show_code,
                            skip[n],
                            timeout,
                            engine,
                        ): n
                        for n in names
                    }
                    progress(
                        f"running {len(names)} report(s) for {report_date} on {workers} worker(s)"
                    )
                    for fut in as_completed(futures):
                        res = fut.result()
                        results.append(res)
                        mark = {"ok": "ok", "failed": "FAILED", "skipped": "skipped"}[res.status]
                        extra = (
                            f" — {len(res.actions)} action(s)"
                            if res.status == "ok"
                            else f" — {res.error}"
                        )
                        if res.warnings:
                            extra += f"; {len(res.warnings)} warning(s): " + " | ".join(
                                res.warnings
                            )
                        if res.notes:
                            extra += "; assumed: " + " | ".join(res.notes)
                        progress(
                            f"  [{len(results)}/{len(names)}] {res.name}: {mark} "
                            f"in {res.seconds:.1f} s{extra}"
                        )
                # a rerun of some reports keeps the day's others; a whole period's run keeps
                # the other period's reports (a week's review beside the day's four)
                other_period = {
                    n: notebooks_dir / f"{n}.ipynb"
                    for n in available_notebooks(notebooks_dir)
                    if n not in names
                }
                results += _keep_others(final, tmp, sources, None if notebooks else other_period)
                order = available_notebooks(notebooks_dir)
                results.sort(key=lambda r: order.index(r.name) if r.name in order else len(order))
                day = summary(report_date, lang, results)
                (tmp / SUMMARY_FILE).write_text(
                    json.dumps(day, ensure_ascii=False), encoding="utf-8"
                )
                history = [
                    d for d in read_history(out_dir, report_date) if d["date"] != report_date
                ]
                (tmp / "index.html").write_text(
                    index_html(report_date, results, data_dir, unrecognised, lang, [*history, day]),
                    encoding="utf-8",
                )
                _swap_in(tmp, final)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            for r in results:
                if r.html is not None:
                    r.html = final / r.html.name
            return RunResult(
                date=report_date, folder=final, reports=results, unrecognised=unrecognised
            )
    except OSError as err:  # a full disk, a read-only folder: one line, an exit code of its own
        raise output_error(err, out_dir) or err from None
