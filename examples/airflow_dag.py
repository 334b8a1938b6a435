"""Airflow: every shop's morning as one task each, then the cross-shop index.

Copy this file into Airflow's ``dags/`` folder on a machine (or image) where ecomops is
installed (``pip install 'ecomops[airflow]'``), and set two Airflow Variables or
environment variables:

* ``ECOMOPS_SHOPS``: a folder of shop folders, or a ``shops.toml`` (see the README);
* ``ECOMOPS_OUT``: the reports folder, on a disk every Airflow worker sees.

Each shop is a ``PythonOperator`` calling :func:`ecomops_helpers.run.shops.run_shop`, so
Airflow's retries, pools and alerts apply per shop; the index task runs when all are done,
whatever each one's status. A shop's record says ``ok``, ``failed`` or ``error``; the task
itself fails only when its record is not ``ok``, so Airflow shows which shop to look at.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

try:  # Airflow 3
    from airflow.providers.standard.operators.python import PythonOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.7+
    from airflow import DAG
    from airflow.operators.python import PythonOperator

from ecomops_helpers.run.shops import read_shops, run_shop, write_index

SHOPS = Path(os.environ.get("ECOMOPS_SHOPS", "/srv/ecomops/shops"))
OUT = Path(os.environ.get("ECOMOPS_OUT", "/srv/ecomops/reports"))


def _shops():
    return read_shops(SHOPS, OUT) if SHOPS.exists() else []


def morning(shop_name: str) -> dict:
    """One shop's reports; raises when they are not all ok, after writing what could be."""
    [shop] = [s for s in _shops() if s.name == shop_name]
    record = run_shop(shop, OUT)
    if record["status"] != "ok":
        raise RuntimeError(f"{shop_name}: {record['status']}: {record.get('error', '')}")
    return record


def index(**context) -> None:
    """The cross-shop index from every shop task's record (failed ones included)."""
    shops = _shops()
    records = []
    for shop in shops:
        record = context["ti"].xcom_pull(task_ids=f"shop_{shop.name}")
        records.append(record or {"shop": shop.name, "status": "error", "error": "task failed"})
    write_index(shops, records, OUT)


with DAG(
    dag_id="ecomops_morning",
    schedule="0 7 * * *",  # after the platforms' exports land
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10)},
    tags=["ecomops"],
) as dag:
    shop_tasks = [
        PythonOperator(task_id=f"shop_{shop.name}", python_callable=morning, op_args=[shop.name])
        for shop in _shops()
    ]
    shop_tasks >> PythonOperator(task_id="index", python_callable=index, trigger_rule="all_done")
