import os

import pandas as pd
import pytest

from ecomops_helpers import exports
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.exports import folder as export_folder
from ecomops_helpers.exports.cache import ExportCache, default_cache

CSV = "统计日期,访客数,支付买家数,支付金额\n2026-10-01,100,5,500\n"


def test_unchanged_file_is_parsed_once(export_dir, tmp_path, monkeypatch):
    (export_dir / "a.csv").write_text(CSV, encoding="utf-8")
    cache = ExportCache(tmp_path / "cache")
    first = ExportFolder(export_dir, cache=cache).load("shop_daily")

    def boom(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(export_folder, "read_export", boom)
    monkeypatch.setattr(export_folder, "inspect_file", boom)
    again = ExportFolder(export_dir, cache=cache).load("shop_daily")
    pd.testing.assert_frame_equal(first, again)


def test_changed_file_is_parsed_again(export_dir, tmp_path):
    path = export_dir / "a.csv"
    path.write_text(CSV, encoding="utf-8")
    cache = ExportCache(tmp_path / "cache")
    assert ExportFolder(export_dir, cache=cache).load("shop_daily")["visitors"].tolist() == [100]
    path.write_text(CSV.replace(",100,", ",120,"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert ExportFolder(export_dir, cache=cache).load("shop_daily")["visitors"].tolist() == [120]


def test_a_new_file_with_yesterdays_size_and_time_is_parsed_again(export_dir, tmp_path):
    """Unzipping or ``cp -p`` gives a new day's export the old time; its bytes decide."""
    path = export_dir / "a.csv"
    path.write_text(CSV, encoding="utf-8")
    before = path.stat()
    cache = ExportCache(tmp_path / "cache")
    assert ExportFolder(export_dir, cache=cache).load("shop_daily")["visitors"].tolist() == [100]
    path.unlink()
    path.write_text(CSV.replace(",100,", ",120,"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    fresh = ExportCache(tmp_path / "cache")  # the next morning's process
    assert ExportFolder(export_dir, cache=fresh).load("shop_daily")["visitors"].tolist() == [120]


def test_workbooks_sniffed_from_the_cache_still_load(tmp_path, fixture_copy):
    folder = fixture_copy("整体看板.xlsx", "整体看板_biff.xls", "整体看板_html.xls")
    cache = ExportCache(tmp_path / "cache")
    ExportFolder(folder, cache=cache)  # sniff only: no parsed tables cached yet
    df = ExportFolder(folder, cache=cache).load("shop_daily")
    assert df["visitors"].tolist() == [1234, 1500, 980]


def test_errors_are_not_cached(export_dir, tmp_path):
    (export_dir / "a.csv").write_text(CSV.replace(",100,", ",-1,"), encoding="utf-8")
    cache = ExportCache(tmp_path / "cache")
    for _ in range(2):
        with pytest.raises(exports.ExportError, match="visitors"):
            ExportFolder(export_dir, cache=cache).load("shop_daily")


def test_cache_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("ECOMOPS_CACHE_DIR", "off")
    assert default_cache() is None
    monkeypatch.setenv("ECOMOPS_CACHE_DIR", str(tmp_path))
    assert default_cache().directory == tmp_path


def test_prune_removes_old_entries(tmp_path):
    cache = ExportCache(tmp_path)
    old, new = tmp_path / "old.parquet", tmp_path / "new.parquet"
    old.write_text("x")
    new.write_text("x")
    os.utime(old, (0, 0))
    assert cache.prune(max_age_days=1) == 1 and not old.exists() and new.exists()
