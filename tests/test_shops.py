"""Many shops in one run: a folder or a TOML list, processes apart, one index over all."""

import json
import shutil

import pytest

from ecomops_helpers.run.cli import main
from ecomops_helpers.run.shops import read_shops


def _shops(root, shop):
    shutil.copytree(shop, root / "tmall")
    (root / "broken").mkdir()
    (root / "broken" / "notes.csv").write_text("hello\n", encoding="utf-8")
    (root / ".hidden").mkdir()
    return root


def test_a_folder_of_shops_and_a_toml_list_are_read(tmp_path, small_shop_only):
    root = _shops(tmp_path / "shops", small_shop_only)
    assert [s.name for s in read_shops(root)] == ["broken", "tmall"]
    toml = tmp_path / "shops.toml"
    toml.write_text(
        '[[shop]]\nname = "flagship"\ndata = "shops/tmall"\nlang = "en"\ncurrency = "USD"\n'
        "[shop.thresholds]\nbounce_max = 0.5\n",
        encoding="utf-8",
    )
    [shop] = read_shops(toml)
    assert (shop.name, shop.lang, shop.currency) == ("flagship", "en", "USD")
    assert shop.data == (tmp_path / "shops" / "tmall").resolve()
    assert shop.thresholds == {"bounce_max": 0.5}
    toml.write_text('[[shop]]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="shop 1 has no data folder"):
        read_shops(toml)


@pytest.mark.slow
def test_one_shops_failure_is_its_own_and_the_index_shows_every_shop(
    tmp_path, small_shop_only, capsys
):
    root = _shops(tmp_path / "shops", small_shop_only)
    toml = tmp_path / "shops.toml"
    toml.write_text(
        '[[shop]]\nname = "tmall"\ndata = "shops/tmall"\nlang = "en"\n'
        "[shop.thresholds]\nbounce_max = 0.55\n"
        '[[shop]]\nname = "broken"\ndata = "shops/broken"\n',
        encoding="utf-8",
    )
    code = main(["run-all", "--shops", str(toml), "--out", str(tmp_path / "out"), "--lang", "en"])
    printed = capsys.readouterr().out
    assert code == 1, printed  # one shop could not run: the scheduler hears it
    record = json.loads((tmp_path / "out" / "shops.json").read_text(encoding="utf-8"))["shops"]
    status = {r["shop"]: r["status"] for r in record}
    assert status == {"tmall": "ok", "broken": "error"}
    tmall = next(r for r in record if r["shop"] == "tmall")
    day = tmp_path / "out" / tmall["index"]
    assert day.exists()
    executed = (day.parent / "daily_review.ipynb").read_text(encoding="utf-8")
    assert "bounce_max = 0.55" in executed  # the shop's own threshold reached its notebook
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "tmall/" in index and "broken" in index and "could not run" in index
    assert not list(root.glob("*/reports"))  # nothing written into the shops' exports


@pytest.mark.slow
def test_run_all_on_a_two_worker_dask_cluster(tmp_path, small_shop_only, capsys):
    root = tmp_path / "shops"
    for name in ("north", "south"):  # small shops: the check is that it runs on the cluster
        shutil.copytree(small_shop_only, root / name)
    out = tmp_path / "out"
    code = main(
        ["run-all", "--shops", str(root), "--out", str(out), "--executor", "dask", "--workers", "2"]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "a Dask LocalCluster of 2 worker(s)" in printed
    record = json.loads((out / "shops.json").read_text(encoding="utf-8"))["shops"]
    assert {r["shop"]: r["status"] for r in record} == {"north": "ok", "south": "ok"}
    for r in record:
        assert (out / r["index"]).exists()


def test_an_unknown_executor_is_refused_before_anything_runs(tmp_path, small_shop_only, capsys):
    shutil.copytree(small_shop_only, tmp_path / "shops" / "a")
    args = ["run-all", "--shops", str(tmp_path / "shops"), "--out", str(tmp_path / "out")]
    assert main([*args, "--executor", "spark"]) == 2
    assert "executor 'spark' is not one of processes, dask" in capsys.readouterr().err
