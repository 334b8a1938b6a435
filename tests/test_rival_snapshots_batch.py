"""Many daily snapshot files of one layout read as one table: the same frames, errors, cache."""

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.exports import ExportFolder, reading
from ecomops_helpers.exports import folder as export_folder
from ecomops_helpers.exports.cache import ExportCache
from ecomops_helpers.rivals.sample import write_dianzhentan

DAYS = pd.date_range("2026-09-01", periods=40, freq="D")


def snapshots(folder, shops=("甲店", "乙店"), encodings=("gb18030", "utf-8"), days=DAYS):
    rng = np.random.default_rng(7)
    for shop, encoding in zip(shops, encodings):
        for d, day in enumerate(days):
            n = 5 + d % 3
            t = pd.DataFrame(
                {
                    "shop": shop,
                    "title": [f"收纳箱 {i}" for i in range(n)],
                    "item_id": [f"66{hash(shop) % 97:02d}{i:04d}" for i in range(n)],
                    "price": rng.uniform(10, 99, n).round(1),
                    "sales": rng.integers(0, 500, n) * (1 if d % 4 else 1000),
                    "reviews": rng.integers(0, 50, n),
                    "listed_on": pd.Timestamp("2026-01-05") + pd.to_timedelta(np.arange(n), "D"),
                }
            )
            write_dianzhentan(t, folder, day, encoding)
    return sorted(folder.iterdir())


def alone(monkeypatch):
    monkeypatch.setattr(reading, "BATCH_MIN_FILES", 10**9)
    monkeypatch.setattr(export_folder, "BATCH_MIN_FILES", 10**9)


def test_files_read_together_equal_each_file_read_alone(tmp_path):
    infos = [reading.inspect_file(p) for p in snapshots(tmp_path)]
    together = reading.read_exports(infos)
    assert all(df is not None for df in together)
    for info, df in zip(infos, together):
        own = reading.read_export(info)
        pd.testing.assert_frame_equal(df, own)
        assert df.attrs == own.attrs


def test_a_folder_loads_the_same_with_and_without_reading_together(tmp_path, monkeypatch):
    snapshots(tmp_path)
    together = ExportFolder(tmp_path, cache=None).load("competitor_listings")
    alone(monkeypatch)
    pd.testing.assert_frame_equal(
        together, ExportFolder(tmp_path, cache=None).load("competitor_listings")
    )


def test_a_bad_cell_is_still_named_by_its_own_file_and_row(tmp_path):
    paths = snapshots(tmp_path)
    bad = next(p for p in paths if "甲店" in p.name and p.name.endswith("0907.csv"))
    text = bad.read_bytes().decode("gb18030").splitlines(keepends=True)
    cells = text[3].split(",")
    cells[4] = "很多"  # 30天销量
    text[3] = ",".join(cells)
    bad.write_bytes("".join(text).encode("gb18030"))
    infos = [reading.inspect_file(p) for p in paths]
    at = paths.index(bad)
    together = reading.read_exports(infos)
    assert together[at] is None  # read alone: its own error
    assert sum(df is None for df in together) < len(together) / 2  # the rest read together
    with pytest.raises(reading.ExportError, match=rf"{bad.name}: column '30天销量'.*row 4"):
        reading.read_export(infos[at])


def test_read_together_the_cache_keeps_one_bundle_and_a_changed_file_misses_alone(
    tmp_path, monkeypatch
):
    data = tmp_path / "data"
    data.mkdir()
    paths = snapshots(data)
    cache = ExportCache(tmp_path / "cache")
    first = ExportFolder(data, cache=cache).load("competitor_listings")
    stored = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert len(stored) == 3  # all files' sniffing (an index), their tables (Parquet, index)

    def boom(*args, **kwargs):
        raise AssertionError("parsed again")

    for name in ("read_export", "read_exports", "inspect_file"):
        monkeypatch.setattr(export_folder, name, boom)
    again = ExportFolder(data, cache=ExportCache(tmp_path / "cache")).load("competitor_listings")
    pd.testing.assert_frame_equal(first, again)
    monkeypatch.undo()

    changed = paths[3]
    changed.write_bytes(changed.read_bytes() + b"\r\n")  # new bytes, the same rows
    parsed = []
    real = export_folder.read_export
    monkeypatch.setattr(export_folder, "read_export", lambda i, *a: parsed.append(i) or real(i, *a))
    monkeypatch.setattr(export_folder, "read_exports", boom)
    third = ExportFolder(data, cache=ExportCache(tmp_path / "cache")).load("competitor_listings")
    assert [i.path for i in parsed] == [changed]
    pd.testing.assert_frame_equal(first, third)
