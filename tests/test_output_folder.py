"""The reports folder under crashes, concurrent runs, full disks and hung kernels."""

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from ecomops_helpers.locking import EXIT_BUSY, FolderBusyError, locked
from ecomops_helpers.run import runner
from ecomops_helpers.run.cli import main
from ecomops_helpers.run.output_folder import EXIT_DISK_FULL, EXIT_NOT_WRITABLE, recover

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
DAY = "2026-10-21"


def _run(out: Path, notebooks_dir=NOTEBOOKS, **kwargs):
    return runner.run_reports(
        ".", DAY, out, notebooks=["ok"], notebooks_dir=notebooks_dir, progress=print, **kwargs
    )


def test_the_next_run_removes_temp_folders_of_dead_runs_and_restores_a_half_swap(tmp_path):
    (tmp_path / f".{DAY}.tmp-99999").mkdir()  # a run killed while writing
    old = tmp_path / ".2026-10-20.old-99998"  # killed between the swap's two renames
    old.mkdir()
    (old / "index.html").write_text("yesterday's whole")
    done_old = tmp_path / f".{DAY}.old-99997"  # killed after the swap, before the clean-up
    done_old.mkdir()
    (tmp_path / DAY).mkdir()
    said = recover(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-10-20", DAY]
    assert (tmp_path / "2026-10-20" / "index.html").read_text() == "yesterday's whole"
    assert len(said) == 3 and any("restored 2026-10-20" in s for s in said)


def test_a_run_recovers_before_it_starts(tmp_path, capsys):
    (tmp_path / f".{DAY}.tmp-99999").mkdir()
    _run(tmp_path)
    assert "removed" in capsys.readouterr().out
    assert not list(tmp_path.glob(".*.tmp-*"))


def test_a_second_run_waits_and_then_gives_up_with_its_own_exit_code(tmp_path, capsys):
    with locked(tmp_path, say=lambda _: None):
        with pytest.raises(FolderBusyError, match="another ecomops run .* still writing"):
            _run(tmp_path, wait=0.5)
        assert "is writing into" in capsys.readouterr().out  # it said it was waiting
        code = main(
            ["run", "--data", ".", "--date", DAY, "--out", str(tmp_path), "--wait", "0.3"]
            + ["--notebooks", "ok", "--notebooks-dir", str(NOTEBOOKS)]
        )
    assert code == EXIT_BUSY
    assert _run(tmp_path).ok  # the lock is free once its holder is done


@pytest.mark.parametrize(
    "err, code, said",
    [
        (errno.ENOSPC, EXIT_DISK_FULL, "the disk is full"),
        (errno.EROFS, EXIT_NOT_WRITABLE, "read-only file system"),
        (errno.EACCES, EXIT_NOT_WRITABLE, "permission denied"),
    ],
)
def test_a_full_disk_or_read_only_folder_is_one_line_and_its_own_code(
    tmp_path, monkeypatch, capsys, err, code, said
):
    day = tmp_path / DAY
    day.mkdir()
    (day / "index.html").write_text("yesterday's run")

    def failing_write(*args, **kwargs):
        raise OSError(err, os.strerror(err), str(tmp_path / f".{DAY}.tmp-1" / "index.html"))

    monkeypatch.setattr(runner, "index_html", failing_write)
    exit_code = main(
        ["run", "--data", ".", "--date", DAY, "--out", str(tmp_path)]
        + ["--notebooks", "ok", "--notebooks-dir", str(NOTEBOOKS)]
    )
    err_text = capsys.readouterr().err
    assert exit_code == code and exit_code != 2
    assert err_text.count("\n") == 1 and said in err_text.lower()
    assert "Traceback" not in err_text and "JSON" not in err_text
    assert (day / "index.html").read_text() == "yesterday's run"


@pytest.mark.parametrize("command", ["run", "ingest"])
@pytest.mark.parametrize("where", ["report.html", "report.html/sub"])
def test_a_file_where_the_output_folder_goes_is_bad_usage_in_one_line(
    tmp_path, capsys, command, where
):
    (tmp_path / "report.html").write_text("not a folder")
    out = str(tmp_path / where)
    argv = {
        "run": ["run", "--data", ".", "--date", DAY, "--out", out, "--notebooks", "ok"]
        + ["--notebooks-dir", str(NOTEBOOKS)],
        "ingest": ["ingest", "--data", str(tmp_path), "--store", out],
    }[command]
    assert main(argv) == 2
    err_text = capsys.readouterr().err
    assert err_text.count("\n") == 1 and "Traceback" not in err_text
    assert f"{tmp_path / 'report.html'} is a file" in err_text


def test_a_hung_kernel_stops_its_report_only(tmp_path):
    books = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, books)
    nb = nbformat.read(books / "ok.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(120)"))
    nbformat.write(nb, books / "hang.ipynb")
    start = time.monotonic()
    result = runner.run_reports(
        ".",
        DAY,
        tmp_path / "out",
        notebooks=["hang", "ok"],
        notebooks_dir=books,
        progress=lambda _: None,
        timeout=3,
    )
    status = {r.name: (r.status, r.error) for r in result.reports}
    assert status["ok"][0] == "ok"
    assert status["hang"][0] == "failed" and "longer than 3 s" in status["hang"][1]
    assert time.monotonic() - start < 60


def _listing(day: Path) -> dict[str, bytes]:
    return {str(p.relative_to(day)): p.read_bytes() for p in sorted(day.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_yesterdays_day_whole_or_todays(tmp_path):
    """Each kill is followed by what the next run does first (recover): the day is then the
    previous run's, byte for byte, or a new run's complete day — never a mix."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ecomops_helpers.run.cli", "run", "--data", ".", "--date", DAY]
    command += ["--out", str(out), "--notebooks-dir", str(NOTEBOOKS)]
    subprocess.run(command, check=False, capture_output=True, timeout=120)
    before = _listing(out / DAY)
    assert "summary.json" in before
    rng = random.Random(7)
    outcomes = []
    for _ in range(6):
        proc = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 6.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        recover(out)
        now = _listing(out / DAY)
        if now == before:
            outcomes.append("yesterday")
            continue
        summary = json.loads(now["summary.json"])
        pages = {f"{r['name']}.html" for r in summary["reports"]} | {"index.html"}
        assert pages <= set(now), sorted(now)  # a new day is complete:
        assert set(now) == set(before)  # the same files as a whole day, none missing
        outcomes.append("today")
        before = now
    assert not list(out.glob(".*.tmp-*")) and not list(out.glob(".*.old-*"))
    print(outcomes)
