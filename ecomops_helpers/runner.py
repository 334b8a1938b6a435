"""Execute the report notebooks with papermill, render HTML with nbconvert, write the index.

One process runs the notebooks side by side (threads; each notebook gets its own kernel).
A failing notebook does not stop the others; its HTML still renders with the error shown.
The day's folder is built in a temporary directory and swapped in whole.
"""

from __future__ import annotations

import html
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

from .actions import ACTIONS_MIME, SEVERITY, WARNINGS_MIME
from .export_cache import default_cache
from .paths import NOTEBOOKS_DIR

__all__ = [
    "KERNEL_NAME",
    "ReportResult",
    "RunResult",
    "ensure_kernel",
    "run_reports",
    "available_notebooks",
    "render_html",
]

KERNEL_NAME = "ecomops"
KERNEL_DISPLAY = "ecomops (project venv)"


REPORT_ORDER = ("daily_review", "competitor_tracking", "paid_ads_audit", "customer_segmentation")


def available_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """Names of the report notebooks (without ``.ipynb``): the operator's morning order first."""
    names = [p.stem for p in notebooks_dir.glob("*.ipynb")]
    rank = {n: i for i, n in enumerate(REPORT_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Install this interpreter as Jupyter kernel ``name`` into ``sys.prefix`` when missing.

    The kernelspec starts the kernel with warnings logged at ERROR only, so kernel start-up
    chatter does not reach the CLI's output. Returns the kernel name.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    try:
        spec = ksm.get_kernel_spec(name)
        if spec.argv and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return name
    except NoSuchKernel:
        pass
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [
                        sys.executable,
                        "-m",
                        "ipykernel_launcher",
                        "-f",
                        "{connection_file}",
                        "--IPKernelApp.log_level=ERROR",
                    ],
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


def render_html(notebook_path: Path, show_code: bool = False) -> Path:
    """Render an executed notebook to HTML beside it; code cells hidden unless ``show_code``."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook_path, as_version=4)
    exporter = HTMLExporter(
        exclude_input=not show_code, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": notebook_path.stem}})
    out = notebook_path.with_suffix(".html")
    out.write_text(body, encoding="utf-8")
    return out


def _outputs_of(notebook_path: Path) -> tuple[list[dict], list[str]]:
    """The action list and the warnings an executed notebook displayed."""
    nb = json.loads(notebook_path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data", {})
            if ACTIONS_MIME in data:
                return list(data[ACTIONS_MIME]), list(data.get(WARNINGS_MIME, []))
    return [], []


def _required_kinds(source: Path) -> list[str]:
    """Export kinds a notebook declares it needs (``metadata.ecomops.requires``)."""
    meta = json.loads(source.read_text(encoding="utf-8")).get("metadata", {})
    return list(meta.get("ecomops", {}).get("requires", []))


def _scan(sources: dict[str, Path], data_dir: Path, date_order: str):
    """One scan of the data folder: per notebook why it cannot run, and unrecognised files.

    A notebook is skipped when an export kind it requires is absent, or when every file of
    that kind is a header without rows.
    """
    from .exports import ExportFolder

    required = {name: _required_kinds(path) for name, path in sources.items()}
    if not any(required.values()):  # notebooks that read no exports (the runner's tests)
        return {name: "" for name in sources}, []
    folder = ExportFolder(data_dir, date_order=date_order)
    skip = {}
    for name in sources:
        reasons = []
        for kind in required[name]:
            if not folder.has(kind):
                reasons.append(f"no {kind} export in {data_dir}")
            elif folder.is_empty(kind):
                files = ", ".join(f.path.name for f in folder.files_of(kind))
                reasons.append(f"the {kind} export has 0 rows (header only: {files})")
        skip[name] = "; ".join(reasons)
    unrecognised = [f.unused_text() for f in folder.unmatched]
    return skip, unrecognised


def _run_one(
    name: str,
    source: Path,
    folder: Path,
    parameters: dict,
    kernel: str,
    show_code: bool,
    skip: str,
) -> ReportResult:
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
            progress_bar=False,
            log_output=False,
            report_mode=False,
            resources={"metadata": {"path": str(source.parent)}},
        )
    except pm.PapermillExecutionError as err:
        error = f"{err.ename}: {err.evalue}"
    except Exception as err:  # kernel died, notebook unreadable: still report it
        error = f"{type(err).__name__}: {err}"
    html_path, actions, warnings = None, [], []
    if out.exists():
        actions, warnings = _outputs_of(out)
        try:
            html_path = render_html(out, show_code=show_code)
        except Exception as err:
            error = error or f"rendering failed: {err}"
    return ReportResult(
        name=name,
        status="failed" if error else "ok",
        seconds=time.perf_counter() - start,
        html=html_path,
        error=error,
        actions=actions,
        warnings=warnings,
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
) -> RunResult:
    """Run the report notebooks for ``report_date`` into ``out_dir/<date>/`` and index them.

    Every path is resolved here, against the caller's working directory, before it reaches
    a kernel (kernels run in ``notebooks/``).
    """
    data_dir, out_dir = Path(data_dir).resolve(), Path(out_dir).resolve()
    notebooks_dir = Path(notebooks_dir).resolve()
    names = notebooks or available_notebooks(notebooks_dir)
    unknown = [n for n in names if not (notebooks_dir / f"{n}.ipynb").exists()]
    if unknown:
        raise ValueError(
            f"unknown notebook(s) {', '.join(unknown)}; "
            f"available: {', '.join(available_notebooks(notebooks_dir))}"
        )
    kernel = ensure_kernel(kernel_name)
    # nbconvert takes about a second to import; do it while the kernels compute
    threading.Thread(target=importlib.import_module, args=("nbconvert",), daemon=True).start()
    if (cache := default_cache()) is not None:
        cache.prune()  # parsed exports of files gone or unchanged for months
    logging.getLogger("papermill").setLevel(logging.ERROR)
    sources = {n: notebooks_dir / f"{n}.ipynb" for n in names}
    skip, unrecognised = _scan(sources, data_dir, date_order)
    for line in unrecognised:
        progress(f"  {line}")
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / report_date
    tmp = out_dir / f".{report_date}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    parameters = {
        "data_dir": str(data_dir),
        "report_date": report_date,
        "language": lang,
        "date_order": date_order,
    }
    workers = workers or min(len(names), os.cpu_count() or 1)
    results: list[ReportResult] = []
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(_run_one, n, sources[n], tmp, parameters, kernel, show_code, skip[n]): n
                for n in names
            }
            progress(f"running {len(names)} report(s) for {report_date} on {workers} worker(s)")
            for fut in as_completed(futures):
                res = fut.result()
                results.append(res)
                mark = {"ok": "ok", "failed": "FAILED", "skipped": "skipped"}[res.status]
                extra = (
                    f" — {len(res.actions)} action(s)" if res.status == "ok" else f" — {res.error}"
                )
                if res.warnings:
                    extra += f"; {len(res.warnings)} warning(s): " + " | ".join(res.warnings)
                progress(
                    f"  [{len(results)}/{len(names)}] {res.name}: {mark} "
                    f"in {res.seconds:.1f} s{extra}"
                )
        results.sort(key=lambda r: names.index(r.name))
        (tmp / "index.html").write_text(
            index_html(report_date, results, data_dir, unrecognised), encoding="utf-8"
        )
        _swap_in(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for r in results:
        if r.html is not None:
            r.html = final / r.html.name
    return RunResult(date=report_date, folder=final, reports=results, unrecognised=unrecognised)


def _colour(action: dict) -> str:
    return SEVERITY.get(action.get("severity", 3), SEVERITY[3])[1]


def index_html(
    report_date: str, results: list[ReportResult], data_dir, unrecognised: list[str] = ()
) -> str:
    """The day's index page: each report, its status, warnings and action list; unused files."""
    parts = []
    for r in results:
        colour = {"ok": "#2e7d32", "failed": "#c62828"}.get(r.status, "#78909c")
        link = f"<a href='{r.name}.html'>{html.escape(r.name)}</a>" if r.html else r.name
        items = "".join(
            f"<li><span style='color:{_colour(a)}'>●</span> "
            f"<b>{html.escape(a['what'])}</b> — {html.escape(a['rule'])}"
            + (f" <i>({html.escape(a['since'])})</i>" if a.get("since") else "")
            + "</li>"
            for a in sorted(r.actions, key=lambda a: a.get("severity", 3))
        )
        warned = "".join(
            f"<p class='warning' style='color:#c62828'>⚠ {html.escape(w)}</p>" for w in r.warnings
        )
        body = (f"<p style='color:{colour}'>{html.escape(r.error)}</p>" if r.error else "") + (
            warned
            + (f"<ul>{items}</ul>" if items else "<p>No actions.</p>" if r.status == "ok" else "")
        )
        parts.append(
            f"<section><h2>{link} <small style='color:{colour}'>{r.status}</small> "
            f"<small style='color:#78909c'>{r.seconds:.1f} s</small></h2>{body}</section>"
        )
    return (
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
        f"<title>ecomops {report_date}</title><style>body{{font-family:'Noto Sans CJK SC',"
        "'PingFang SC','Microsoft YaHei',sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;"
        "color:#263238}li{margin:4px 0}small{font-weight:normal;margin-left:8px}</style></head>"
        f"<body><h1>ecomops reports · {report_date}</h1>"
        f"<p style='color:#78909c'>exports: {html.escape(str(data_dir))}</p>{''.join(parts)}"
        + (
            "<section><h2>Files not used</h2><ul>"
            + "".join(f"<li>{html.escape(u)}</li>" for u in unrecognised)
            + "</ul></section>"
            if unrecognised
            else ""
        )
        + "</body></html>"
    )
