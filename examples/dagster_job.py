"""Dagster: a job that runs every shop's morning as a mapped op, then the cross-shop index.

Load it with ``dagster dev -f examples/dagster_job.py`` on a machine where ecomops is
installed (``pip install 'ecomops[dagster]'``); set ``ECOMOPS_SHOPS`` (a folder of shop
folders, or a ``shops.toml``) and ``ECOMOPS_OUT`` (the reports folder, on a disk every
worker sees). ``morning_schedule`` runs it at 07:00.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from dagster import DynamicOut, DynamicOutput, Failure, ScheduleDefinition, job, op

from ecomops_helpers.run.shops import read_shops, run_shop, write_index


def _paths() -> tuple[Path, Path]:
    return (
        Path(os.environ.get("ECOMOPS_SHOPS", "/srv/ecomops/shops")),
        Path(os.environ.get("ECOMOPS_OUT", "/srv/ecomops/reports")),
    )


@op(out=DynamicOut())
def shops():
    """One output per shop of ECOMOPS_SHOPS."""
    source, out = _paths()
    for shop in read_shops(source, out):
        yield DynamicOutput(shop.name, mapping_key=re.sub(r"\W", "_", shop.name) or "shop")


@op
def morning(shop_name: str) -> dict:
    """One shop's reports; its record, whatever its status (the index shows it)."""
    source, out = _paths()
    [shop] = [s for s in read_shops(source, out) if s.name == shop_name]
    return run_shop(shop, out)


@op
def index(records: list) -> None:
    """The cross-shop index; fails the run (after writing it) when a shop is not ok."""
    source, out = _paths()
    write_index(read_shops(source, out), records, out)
    bad = [r["shop"] for r in records if r["status"] != "ok"]
    if bad:
        raise Failure(f"not ok: {', '.join(bad)}")


@job
def ecomops_morning():
    """Every shop, then the index."""
    index(shops().map(morning).collect())


morning_schedule = ScheduleDefinition(job=ecomops_morning, cron_schedule="0 7 * * *")
