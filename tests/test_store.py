"""The history store: ingest is idempotent, a re-export replaces its day, and every report
reads a store as it reads the folder the store was filled from.

The checks on a whole shop run on ``small_shop`` (the sample's generator on 180 days of 6
items: every kind of export the sample has), ingested once for the module.
"""

import json

import pandas as pd
import pytest

from ecomops_helpers.errors import ExportError
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.run.cli import main
from ecomops_helpers.sources import open_folder
from ecomops_helpers.store import ExportStore, ingest, is_store

DAILY = "统计日期,访客数,支付买家数,支付金额\n"


def _daily(folder, name, rows):
    folder.mkdir(parents=True, exist_ok=True)
    text = DAILY + "".join(f"{day},{v},5,500\n" for day, v in rows)
    (folder / name).write_text(text, encoding="utf-8")


def _snapshot(folder, shop, day, items):
    folder.mkdir(parents=True, exist_ok=True)
    text = "日期,店铺名称,商品ID,商品标题,价格\n" + "".join(
        f"{day},{shop},{i},收纳盒 {i},{p}\n" for i, p in items
    )
    (folder / f"rivals_{shop}_{day}.csv").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def small_store(small_shop, tmp_path_factory):
    """``small_shop`` ingested into a store of the module's: (the store, what ingest said).
    Tests read it or ingest the same files again, which must change nothing."""
    store = tmp_path_factory.mktemp("small-store") / "store"
    return store, ingest(small_shop, store)


def _tree(store):
    return {
        p.relative_to(store): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(store.rglob("*"))
        if p.is_file() and p.name != ".ecomops.lock"
    }


def test_a_sample_shop_reads_the_same_from_its_store_as_from_its_folder(small_shop, small_store):
    store, result = small_store
    assert not result.errors and is_store(store)
    stored, folder = open_folder(store), ExportFolder(small_shop, cache=None)
    assert isinstance(stored, ExportStore)
    assert set(stored.kinds) == {f.kind for f in folder.files}  # every kind the sample has
    for kind in stored.kinds:
        pd.testing.assert_frame_equal(stored.load(kind), folder.load(kind), check_like=True)
    assert stored.last_date() == folder.last_date()
    folder.load("orders")
    assert stored.currency(["orders"]) == folder.currency(["orders"])
    # every day of a kind is one file under its month: 180 days from 2026-04-25
    parts = stored.parts("shop_daily")
    assert len(parts) == 180 and parts[0].parent.name == "month=2026-04"


def test_ingesting_the_same_files_twice_changes_nothing(small_shop, small_store):
    store, _ = small_store
    before = _tree(store)
    again = ingest(small_shop, store)
    assert not any(again.new_files.values()) and again.days == {}
    assert _tree(store) == before


def test_a_re_export_of_a_day_replaces_that_day_and_keeps_the_others(tmp_path):
    store = tmp_path / "store"
    _daily(tmp_path / "mon", "daily_1.csv", [("2026-10-01", 100), ("2026-10-02", 200)])
    ingest(tmp_path / "mon", store)
    # the next morning: 10-02 re-exported (a late correction) and 10-03 new, yesterday's gone
    _daily(tmp_path / "tue", "daily_2.csv", [("2026-10-02", 250), ("2026-10-03", 300)])
    result = ingest(tmp_path / "tue", store)
    assert result.days["shop_daily"] == ["2026-10-02", "2026-10-03"]
    rows = ExportStore(store).load("shop_daily")
    assert rows["date"].dt.strftime("%m-%d").tolist() == ["10-01", "10-02", "10-03"]
    assert rows["visitors"].tolist() == [100, 250, 300]
    # a month boundary is a partition boundary; since= reads from a month on
    _daily(tmp_path / "nov", "daily_3.csv", [("2026-11-01", 400)])
    ingest(tmp_path / "nov", store)
    assert ExportStore(store).load("shop_daily", since="2026-11-01")["visitors"].tolist() == [400]
    assert len(ExportStore(store).load("shop_daily")) == 4


def test_one_rivals_re_export_keeps_the_other_rivals_of_its_day(tmp_path):
    store = tmp_path / "store"
    _snapshot(tmp_path / "a", "甲店", "2026-10-05", [(1, 10.0), (2, 20.0)])
    _snapshot(tmp_path / "a", "乙店", "2026-10-05", [(7, 70.0)])
    ingest(tmp_path / "a", store)
    _snapshot(tmp_path / "b", "甲店", "2026-10-05", [(1, 9.0)])
    ingest(tmp_path / "b", store)
    rows = ExportStore(store).load("competitor_listings")
    got = sorted(zip(rows["shop"], rows["item_id"], rows["price"]))
    assert got == [("乙店", "7", 70.0), ("甲店", "1", 9.0)]


def test_a_broken_kind_is_named_and_the_others_are_ingested(tmp_path, capsys):
    data = tmp_path / "data"
    _daily(data, "daily.csv", [("2026-10-01", 100)])
    (data / "orders.csv").write_text(
        "订单编号,买家会员名,订单付款时间,买家实际支付金额\nA1,u1,2026-10-01 10:00,abc\n",
        encoding="utf-8",
    )
    code = main(["ingest", "--data", str(data), "--store", str(tmp_path / "store")])
    out = capsys.readouterr().out
    assert code == 2
    assert "orders: not ingested" in out and "orders.csv" in out
    assert "shop_daily: 1 new file(s), 1 rows" in out
    assert ExportStore(tmp_path / "store").has("shop_daily")
    assert not ExportStore(tmp_path / "store").has("orders")


def test_the_next_ingest_removes_what_a_killed_ingest_left(tmp_path, capsys):
    data, store = tmp_path / "data", tmp_path / "store"
    _daily(data, "daily.csv", [("2026-10-01", 100)])
    ingest(data, store)
    month = store / "kind=shop_daily" / "month=2026-10"
    left = [month / ".2026-10-02.parquet.tmp-99999", store / ".ecomops-store.json.tmp-99999"]
    for p in left:
        p.write_bytes(b"PAR1 half")  # killed mid-write
    mine = [month / ".notes.tmp-1", store / "notes.parquet.tmp-2"]  # not ecomops' own
    for p in mine:
        p.write_text("kept")
    assert main(["ingest", "--data", str(data), "--store", str(store)]) == 0
    assert "removed 2 temporary file(s)" in capsys.readouterr().out
    assert not any(p.exists() for p in left) and all(p.exists() for p in mine)


def test_a_broken_day_file_is_named_and_ingesting_its_export_again_rewrites_it(tmp_path, capsys):
    data, store = tmp_path / "data", tmp_path / "store"
    _daily(data, "daily.csv", [("2026-10-01", 100), ("2026-10-02", 200)])
    ingest(data, store)
    part = store / "kind=shop_daily" / "month=2026-10" / "2026-10-02.parquet"
    part.write_bytes(part.read_bytes()[:100])  # a disk that filled up, a copy cut short
    stored = ExportStore(store)  # the broken day is left out, the others are read
    assert stored.load("shop_daily")["visitors"].tolist() == [100]
    (gone,) = stored.left_out_of({"shop_daily"})
    assert "Ingest the shop_daily export of 2026-10-02 again" in gone.reason
    assert gone.error.file == part and [str(d) for d in gone.uncovered] == ["2026-10-02"]
    part_1 = part.with_name("2026-10-01.parquet")
    saved = part_1.read_bytes()
    part_1.write_bytes(saved[:100])  # no day left: the kind is missing, for that reason
    with pytest.raises(ExportError, match="Ingest the shop_daily export of 2026-10-0. again"):
        ExportStore(store).load("shop_daily")
    part_1.write_bytes(saved)
    assert main(["check", "--data", str(store)]) == 2
    assert str(part) in capsys.readouterr().out
    assert ingest(data, store).days["shop_daily"] == ["2026-10-02"]  # the same export again
    assert ExportStore(store).load("shop_daily")["visitors"].tolist() == [100, 200]


@pytest.mark.parametrize("command", ["check", "run", "ingest"])
def test_a_broken_manifest_is_one_line_naming_it_and_how_to_rebuild(tmp_path, capsys, command):
    data, store = tmp_path / "data", tmp_path / "store"
    _daily(data, "daily.csv", [("2026-10-01", 100)])
    ingest(data, store)
    manifest = store / "ecomops-store.json"
    manifest.write_bytes(manifest.read_bytes()[:20])  # a crash or a full disk cut it short
    argv = {
        "check": ["check", "--data", str(store)],
        "run": ["run", "--data", str(store), "--out", str(tmp_path / "out")],
        "ingest": ["ingest", "--data", str(data), "--store", str(store)],
    }[command]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(manifest) in err
    assert f"remove the folder {store}" in err and "ecomops ingest --data DIR" in err


def test_a_store_inside_the_data_folder_is_never_read_as_exports(small_shop_only, capsys):
    shop = small_shop_only  # a shop's daily and item exports, 180 days
    assert main(["ingest", "--data", str(shop), "--store", str(shop / "store")]) == 0
    files = ExportFolder(shop, cache=None).files
    assert not any("store" in f.path.parts for f in files)
    assert main(["ingest", "--data", str(shop), "--store", str(shop / "store")]) == 0
    manifest = json.loads((shop / "store" / "ecomops-store.json").read_text(encoding="utf-8"))
    assert len(manifest["files"]) == len(files)
    capsys.readouterr()
    assert main(["check", "--data", str(shop / "store")]) == 0
    said = capsys.readouterr().out
    assert "history store" in said and "180 rows in 180 day file(s)" in said


@pytest.mark.slow
def test_every_report_on_a_store_says_what_it_says_on_the_folder(small_shop, small_store, tmp_path):
    from ecomops_helpers.run.runner import run_reports

    runs = [
        run_reports(data, "2026-10-21", tmp_path / out, explain=True, progress=lambda _: None)
        for data, out in ((small_shop, "folder"), (small_store[0], "store"))
    ]
    # every report rendered, none skipped: the small shop holds what each report reads
    assert all(r.status == "ok" for run in runs for r in run.reports), [
        r.error for run in runs for r in run.reports
    ]
    summaries = []
    for run in runs:
        summary = json.loads((run.folder / "summary.json").read_text(encoding="utf-8"))
        summaries.append(
            [{k: v for k, v in r.items() if k != "seconds"} for r in summary["reports"]]
        )
    assert summaries[0] == summaries[1]


def test_split_order_tables_are_kept_joined_with_what_the_join_said(export_dir, tmp_path):
    from test_order_shapes import _olist

    _olist(export_dir)
    ingest(export_dir, tmp_path / "store")
    stored, folder = ExportStore(tmp_path / "store"), ExportFolder(export_dir, cache=None)
    pd.testing.assert_frame_equal(stored.load("orders"), folder.load("orders"), check_like=True)
    assert stored.joins["orders"] == folder.joins["orders"]
    assert stored.join_parts["orders"] == folder.join_parts["orders"]
    assert stored.person_map["orders"] == folder.person_map["orders"]
    with pytest.raises(KeyError, match="keeps order_items joined into orders"):
        stored.load("order_items")
