import json
from pathlib import Path

import pytest

from ecomops_helpers.run import runner
from ecomops_helpers.run.cli import main

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"


def run_ok(out, **kwargs):
    """Run the fixture notebook ``ok`` for 2026-10-21 into ``out``."""
    return runner.run_reports(
        ".",
        "2026-10-21",
        out,
        notebooks=["ok"],
        notebooks_dir=NOTEBOOKS,
        progress=lambda _: None,
        **kwargs,
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return runner.run_reports(
        ".", "2026-10-21", out, notebooks_dir=NOTEBOOKS, progress=lambda _: None
    )


def test_failing_notebook_does_not_stop_the_others(run):
    status = {r.name: r.status for r in run.reports}
    assert status == {"broken": "failed", "ok": "ok"}
    assert not run.ok
    broken = next(r for r in run.reports if r.name == "broken")
    assert "ValueError: planted failure" in broken.error
    html = broken.html.read_text(encoding="utf-8")
    assert "planted failure" in html and "before the failure" in html


def test_parameters_are_injected_and_actions_reach_the_index(run):
    ok = next(r for r in run.reports if r.name == "ok")
    assert ok.actions and ok.actions[0]["what"] == "report for 2026-10-21"
    nb = json.loads((run.folder / "ok.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and 'report_date = "2026-10-21"' in "".join(injected[0]["source"])
    index = run.index.read_text(encoding="utf-8")
    assert 'report for <span class="num">2026-10-21</span>' in index  # on the operations list
    assert "failed" in index and "ok.html" in index


def test_code_is_hidden_unless_asked(run):
    html = (run.folder / "ok.html").read_text(encoding="utf-8")
    assert "hl-ipython3" not in html and "display_actions" not in html


def test_rerun_replaces_the_day_whole(tmp_path):
    day = tmp_path / "2026-10-21"
    day.mkdir()
    (day / "stale.html").write_text("old")
    runner.run_reports(".", "2026-10-21", tmp_path, notebooks_dir=NOTEBOOKS, progress=print)
    assert sorted(p.name for p in day.iterdir()) == [
        ".ecomops-output",
        "broken.html",
        "broken.ipynb",
        "index.html",
        "ok.html",
        "ok.ipynb",
        "summary.json",
    ]
    # no temporary leftovers; the reports folder is marked as output, never read as exports
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".ecomops-output",
        ".ecomops.lock",
        "2026-10-21",
    ]


def test_a_week_run_and_a_day_run_keep_each_others_reports(tmp_path):
    """The weekly review and the day's reports share the day's folder, whichever runs last."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name, period in (("ok", None), ("weekly", "week")):
        nb = json.loads((NOTEBOOKS / "ok.ipynb").read_text(encoding="utf-8"))
        if period:
            nb["metadata"]["ecomops"] = {"period": period}
        (notebooks / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    out = tmp_path / "reports"

    def run(period):
        return runner.run_reports(
            ".", "2026-10-21", out, notebooks_dir=notebooks, period=period, progress=print
        )

    assert [r.name for r in run("day").reports] == ["ok"]
    (out / "2026-10-21" / "stale.html").write_text("old")
    week = run("week")
    assert sorted(r.name for r in week.reports) == ["ok", "weekly"]
    files = sorted(p.name for p in week.folder.iterdir())
    assert "ok.html" in files and "weekly.html" in files and "stale.html" not in files
    again = run("day")
    assert sorted(r.name for r in again.reports) == ["ok", "weekly"]
    assert (again.folder / "weekly.html").exists()
    assert "weekly.html" in again.index.read_text(encoding="utf-8")


def test_rerunning_one_report_keeps_the_days_others(tmp_path):
    """``--notebooks ok`` replaces ok's files only; broken's page and files stay, and the
    index is rebuilt from both."""
    first = runner.run_reports(
        ".", "2026-10-21", tmp_path, notebooks_dir=NOTEBOOKS, progress=lambda _: None
    )
    day = first.folder
    (day / "broken_lists").mkdir()
    (day / "broken_lists" / "ids.csv").write_text("id\n1\n")
    broken_page = (day / "broken.html").read_text(encoding="utf-8")
    again = run_ok(tmp_path)
    assert (day / "broken.html").read_text(encoding="utf-8") == broken_page
    assert (day / "broken_lists" / "ids.csv").read_text() == "id\n1\n"
    assert [r.name for r in again.reports] == ["broken", "ok"]
    assert next(r for r in again.reports if r.name == "broken").status == "failed"
    index = again.index.read_text(encoding="utf-8")
    assert "broken.html" in index and "ok.html" in index and "planted failure" in index
    summary = json.loads((day / "summary.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in summary["reports"]] == ["broken", "ok"]


def test_crash_before_the_swap_keeps_the_old_reports(tmp_path, monkeypatch):
    day = tmp_path / "2026-10-21"
    day.mkdir()
    (day / "index.html").write_text("yesterday's run")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runner, "index_html", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        run_ok(tmp_path)
    assert (day / "index.html").read_text() == "yesterday's run"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".ecomops-output",
        ".ecomops.lock",
        "2026-10-21",
    ]


def test_unknown_notebook_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown notebook.*available: broken, ok"):
        runner.run_reports(".", "2026-10-21", tmp_path, notebooks=["nope"], notebooks_dir=NOTEBOOKS)


def test_cli_exit_status_is_nonzero_when_a_report_fails(tmp_path, capsys):
    code = main(
        [
            "run",
            "--data",
            ".",
            "--date",
            "2026-10-21",
            "--out",
            str(tmp_path),
            "--notebooks-dir",
            str(NOTEBOOKS),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "broken: FAILED" in out and "ok: ok" in out and "index.html" in out


def test_show_code_keeps_the_code(tmp_path):
    run = run_ok(tmp_path, show_code=True)
    html = (run.folder / "ok.html").read_text(encoding="utf-8")
    assert "hl-ipython3" in html and "display_actions" in html


def test_index_draws_trends_from_earlier_days_in_the_reports_folder(tmp_path):
    first = run_ok(tmp_path, lang="en")
    assert "Last " not in first.index.read_text(encoding="utf-8")  # one run: no trend yet
    summary = json.loads((first.folder / "summary.json").read_text(encoding="utf-8"))
    entry = summary["reports"][0]
    assert {k: entry[k] for k in ("name", "status", "action_count", "headline", "error")} == {
        "name": "ok",
        "status": "ok",
        "action_count": 1,
        "headline": [],
        "error": "",
    }
    assert entry["actions"][0]["rule"] == "rule 1 > 0"  # a rerun of another report keeps it
    later = runner.run_reports(
        ".",
        "2026-10-22",
        tmp_path,
        notebooks=["ok"],
        notebooks_dir=NOTEBOOKS,
        progress=lambda _: None,
        lang="en",
    )
    index = later.index.read_text(encoding="utf-8")
    assert "Last 2 runs (2026-10-21 – 2026-10-22)" in index and "<polyline" in index


def test_a_run_never_changes_the_process_directory(tmp_path, monkeypatch):
    """papermill chdir()s around reads and writes, which two threads can leave in another
    folder (nteract/papermill#473); the runner's reports are read and written without it."""
    import os

    monkeypatch.chdir(tmp_path)
    moves = []
    real_chdir = os.chdir
    monkeypatch.setattr(os, "chdir", lambda path: (moves.append(path), real_chdir(path)))
    result = runner.run_reports(
        ".", "2026-10-21", "out", notebooks_dir=NOTEBOOKS, progress=lambda _: None, workers=2
    )
    assert {r.name for r in result.reports} == {"broken", "ok"}
    assert moves == [] and os.getcwd() == str(tmp_path)
