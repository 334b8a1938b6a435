"""The lock a reports folder and a history store share: one writer at a time."""

import os

import pytest

from ecomops_helpers.locking import EXIT_BUSY, EXIT_USAGE, FolderBusyError, OutputError, locked
from ecomops_helpers.store import ingest


def test_a_second_writer_waits_says_so_and_gives_up(tmp_path):
    said = []
    with locked(tmp_path, say=said.append):
        with pytest.raises(FolderBusyError) as busy:
            with locked(tmp_path, wait=0.3, say=said.append):
                pass
    assert busy.value.exit_code == EXIT_BUSY and f"pid {os.getpid()}" in str(busy.value)
    assert len(said) == 1 and said[0].endswith("waiting")
    with locked(tmp_path, wait=0):  # free once its holder is done
        pass


def test_an_ingest_waits_for_the_lock_a_run_would_hold(tmp_path):
    data, store = tmp_path / "data", tmp_path / "store"
    data.mkdir()
    (data / "daily.csv").write_text(
        "统计日期,访客数,支付买家数,支付金额\n2026-10-01,9,1,50\n", encoding="utf-8"
    )
    with locked(store, say=lambda _: None):
        with pytest.raises(FolderBusyError):
            ingest(data, store, wait=0.3)
    assert ingest(data, store, wait=0).days == {"shop_daily": ["2026-10-01"]}


def test_a_file_where_the_folder_goes_is_bad_usage(tmp_path):
    (tmp_path / "report.html").write_text("not a folder")
    with pytest.raises(OutputError, match="report.html is a file") as err:
        with locked(tmp_path / "report.html" / "sub"):
            pass
    assert err.value.exit_code == EXIT_USAGE
