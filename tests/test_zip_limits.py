"""ZIP exports: a zip bomb is refused before it is unpacked; several tables are named."""

import zipfile

from ecomops_helpers.exports import ExportFolder

CSV = "统计日期,访客数,支付买家数,支付金额\n2026-10-01,100,5,500\n"


def test_a_zip_bomb_is_refused_by_name_without_unpacking(export_dir):
    bomb = export_dir / "万相台_计划报表.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("report.csv", "w") as f:
        f.write(CSV.encode())
        for _ in range(100):  # 100 MB of zeros packs into about 100 KB
            f.write(bytes(2**20))
    assert bomb.stat().st_size < 2**20
    folder = ExportFolder(export_dir, cache=None)
    [f] = folder.unmatched
    assert "万相台_计划报表.zip: would unpack to 100 MB" in f.problem
    assert "ECOMOPS_MAX_ZIP_RATIO" in f.problem


def test_the_unpack_limit_is_a_setting(export_dir, monkeypatch):
    with zipfile.ZipFile(export_dir / "daily.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("daily.csv", CSV)
    assert ExportFolder(export_dir, cache=None).load("shop_daily")["visitors"].tolist() == [100]
    monkeypatch.setenv("ECOMOPS_MAX_UNZIP_MB", "0.00001")
    [f] = ExportFolder(export_dir, cache=None).unmatched
    assert "daily.zip: would unpack to" in f.problem


def test_two_tables_in_one_zip_are_named_as_such(export_dir):
    with zipfile.ZipFile(export_dir / "exports.zip", "w") as z:
        z.writestr("a.csv", CSV)
        z.writestr("b.csv", CSV)
    [f] = ExportFolder(export_dir, cache=None).unmatched
    assert "exports.zip: a ZIP holding 2 tables (a.csv, b.csv)" in f.problem
    assert "xlsx" not in f.problem
