"""The scheduler examples: an Airflow DAG and a Dagster job, each imported (and the Dagster
job run on two shops) when its optional extra is installed, skipped with the reason if not."""

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _example(name: str, extra: str, tmp_path: Path, shop_only: Path, monkeypatch):
    """The example module, with two shops and an output folder in its environment."""
    pytest.importorskip(
        extra, reason=f"the {extra} extra is not installed: pip install -e '.[{extra}]'"
    )
    for shop in ("north", "south"):
        shutil.copytree(shop_only, tmp_path / "shops" / shop)
    monkeypatch.setenv("ECOMOPS_SHOPS", str(tmp_path / "shops"))
    monkeypatch.setenv("ECOMOPS_OUT", str(tmp_path / "out"))
    return _load(name)


def test_the_airflow_dag_has_a_task_per_shop_and_the_index(tmp_path, shop_only, monkeypatch):
    dag = _example("airflow_dag", "airflow", tmp_path, shop_only, monkeypatch).dag
    assert sorted(dag.task_ids) == ["index", "shop_north", "shop_south"]
    assert dag.get_task("index").trigger_rule == "all_done"
    assert {t.task_id for t in dag.get_task("index").upstream_list} == {
        "shop_north",
        "shop_south",
    }


@pytest.mark.slow
def test_the_dagster_job_runs_every_shop_and_writes_the_index(tmp_path, shop_only, monkeypatch):
    job = _example("dagster_job", "dagster", tmp_path, shop_only, monkeypatch).ecomops_morning
    assert job.execute_in_process().success
    record = json.loads((tmp_path / "out" / "shops.json").read_text(encoding="utf-8"))
    assert {r["shop"]: r["status"] for r in record["shops"]} == {"north": "ok", "south": "ok"}
    assert (tmp_path / "out" / "index.html").exists()
