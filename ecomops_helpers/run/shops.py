"""Many shops in one run (``ecomops run-all``): one process per shop, one index over all.

Shops come from a folder (each sub-folder is a shop's exports, named by the folder) or from a
TOML list::

    [[shop]]
    name = "tmall-flagship"
    data = "exports/tmall"        # relative to the TOML file
    lang = "zh"                   # optional: zh / en
    currency = "CNY"              # optional
    [shop.thresholds]             # optional: any notebook parameter, e.g.
    bounce_max = 0.75

Each shop runs in its own process (up to ``workers`` at once, one kernel each; on this machine
or as a task of a Dask cluster, see :mod:`.executors`), into
``out/<shop>/<date>/``, so one shop's failure, even a crash, is only its own. ``out/index.html``
shows every shop's status, report date, action count, headline and the trend of its actions,
with a link to its day.
"""

from __future__ import annotations

import json
import os
import tomllib
from concurrent.futures import as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..paths import OUTPUT_MARKER, mark_output
from .executors import describe, shop_executor
from .warm_kernels import engine_options

__all__ = ["Shop", "read_shops", "run_all", "run_shop", "write_index", "SHOPS_FILE"]

SHOPS_FILE = "shops.json"  # the run's machine-readable record, beside the index


@dataclass
class Shop:
    """One shop: its name (its folder under the output), its exports and its settings."""

    name: str
    data: Path
    lang: str = "zh"
    currency: str = "CNY"
    date_order: str = "auto"
    thresholds: dict = field(default_factory=dict)


def read_shops(source: Path, out_dir: Path | None = None) -> list[Shop]:
    """The shops a folder (one sub-folder each) or a TOML list names."""
    source = Path(source)
    if source.is_dir():
        skip = {Path(out_dir).resolve()} if out_dir else set()
        shops = [
            Shop(name=p.name, data=p)
            for p in sorted(source.iterdir())
            if p.is_dir()
            and not p.name.startswith((".", "_"))
            and not (p / OUTPUT_MARKER).exists()
            and p.resolve() not in skip
        ]
    elif source.suffix.lower() == ".toml":
        listed = tomllib.loads(source.read_text(encoding="utf-8")).get("shop", [])
        shops = []
        for i, entry in enumerate(listed, 1):
            if "data" not in entry:
                raise ValueError(f'{source.name}: shop {i} has no data folder (data = "…")')
            data = (source.parent / entry["data"]).resolve()
            known = {k: entry[k] for k in ("lang", "currency", "date_order") if k in entry}
            shops.append(
                Shop(
                    name=str(entry.get("name") or data.name),
                    data=data,
                    thresholds=dict(entry.get("thresholds", {})),
                    **known,
                )
            )
    else:
        raise ValueError(f"{source}: expected a folder of shop folders or a .toml list of shops")
    if not shops:
        raise ValueError(f"no shops in {source}: expected one sub-folder of exports per shop")
    names = [s.name for s in shops]
    if len(set(names)) != len(names):
        raise ValueError(f"{source}: two shops share a name; names are their output folders")
    return shops


def run_shop(shop: Shop, out_dir: Path, timeout: float | None = None) -> dict:
    """One shop's reports into ``out_dir/<shop>/``; never raises (its error is its record).

    The unit a scheduler runs: ``run_all`` submits it per shop, and so can an Airflow or
    Dagster task (``examples/``). The record is plain JSON.
    """
    from .runner import default_report_date, run_reports

    record = {"shop": shop.name, "data": str(shop.data), "lang": shop.lang}
    target = Path(out_dir) / shop.name
    try:
        day = default_report_date(shop.data, target, shop.date_order)
        result = run_reports(
            shop.data,
            day,
            target,
            lang=shop.lang,
            currency=shop.currency,
            date_order=shop.date_order,
            workers=1,
            progress=lambda _: None,
            settings=shop.thresholds,
            **({"timeout": timeout} if timeout else {}),
        )
    except Exception as err:  # a shop that cannot run is its own failure, never the others'
        return {**record, "status": "error", "error": f"{type(err).__name__}: {err}"}
    return {
        **record,
        "status": "ok" if result.ok else "failed",
        "date": day,
        "index": f"{shop.name}/{day}/index.html",
        "reports": [
            {"name": r.name, "status": r.status, "actions": len(r.actions), "error": r.error}
            for r in result.reports
        ],
        "headline": [h for r in result.reports for h in r.headline][:4],
    }


def run_all(
    shops: list[Shop],
    out_dir: Path,
    workers: int | None = None,
    timeout: float | None = None,
    lang: str = "zh",
    progress=print,
    executor: str = "processes",
) -> list[dict]:
    """Run every shop (``workers`` at once) and write the cross-shop index.

    ``executor`` says where: ``processes`` on this machine, ``dask`` (a local Dask cluster)
    or ``dask://host:port`` (an existing one); see :mod:`.executors`.
    """
    out_dir = Path(out_dir).resolve()
    workers = workers or min(len(shops), os.cpu_count() or 1)
    where = describe(executor, workers)  # an unknown executor is refused before any write
    mark_output(out_dir)
    progress(f"running {len(shops)} shop(s) on {where}")
    if executor == "processes":  # one fork server, started before the workers fork, for all
        engine_options(True, progress)
    records = []
    with shop_executor(executor, workers) as pool:
        futures = {pool.submit(run_shop, s, out_dir, timeout): s for s in shops}
        for fut in as_completed(futures):
            shop = futures[fut]
            try:
                rec = fut.result()
            except Exception as err:  # the shop's process died (killed, out of memory)
                rec = {"shop": shop.name, "status": "error", "error": f"process died: {err}"}
            records.append(rec)
            said = rec.get("error") or ", ".join(
                f"{r['name']} {r['status']}" for r in rec.get("reports", [])
            )
            progress(f"  [{len(records)}/{len(shops)}] {rec['shop']}: {rec['status']} — {said}")
    return write_index(shops, records, out_dir, lang)


def write_index(shops: list[Shop], records: list[dict], out_dir: Path, lang: str = "zh"):
    """Write ``shops.json`` and the cross-shop ``index.html``; returns the records in order."""
    from ..page.report_page import shops_index_html

    out_dir = mark_output(Path(out_dir).resolve())
    order = [s.name for s in shops]
    records = sorted(records, key=lambda r: order.index(r["shop"]))
    (out_dir / SHOPS_FILE).write_text(
        json.dumps({"shops": records, "settings": [asdict(s) for s in shops]}, default=str),
        encoding="utf-8",
    )
    (out_dir / "index.html").write_text(shops_index_html(records, out_dir, lang), encoding="utf-8")
    return records
