"""Big generated histories for the scale benchmarks, written once as history stores.

Kept outside the repository, under ``$ECOMOPS_BENCH_CACHE`` (default
``~/.cache/ecomops-bench``), one folder per size, so ``make bench`` generates each once per
machine. Both are written in the layout ``ecomops ingest`` writes (one Parquet file per
day under ``kind=…/month=…``, and a manifest), with the columns and types the readers give:

* orders: a Taobao order export's lines; repeat buyers skewed as real shops' are (a few buy
  often, most once); 3 % closed, 2 % unpaid;
* events: a Taobao user-behaviour log (pv / fav / cart / buy in the UserBehavior data set's
  proportions, 89 / 3 / 6 / 2 %).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ecomops_helpers.store.layout import MANIFEST, part_path

CACHE = Path(os.environ.get("ECOMOPS_BENCH_CACHE", Path.home() / ".cache" / "ecomops-bench"))
END = pd.Timestamp("2026-10-31")
CATEGORIES = [f"类目{i:02d}" for i in range(40)]


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    """``prefix`` + zero-padded numbers as an Arrow string array, without Python strings."""
    text = pc.utf8_lpad(pa.array(numbers).cast(pa.string()), 8, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), text, "")


def _manifest(store: Path, kind: str) -> None:
    notes = {"currencies": {"generated.csv": ["CNY"]}} if kind == "orders" else {}
    manifest = {"version": 1, "files": {}, "kinds": {kind: notes}}
    (store / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def _done(store: Path) -> bool:
    return (store / MANIFEST).exists()  # written last: a generation cut short starts over


def _days(total: int, days: int):
    """``(day, rows)`` for each of ``days`` days ending at END, ``total`` rows spread evenly."""
    per_day = np.full(days, total // days)
    per_day[: total - per_day.sum()] += 1
    for k, n in enumerate(per_day):
        yield END - pd.Timedelta(days=days - 1 - k), int(n)


def orders_store(lines: int, customers: int, days: int = 730, seed: int = 11) -> Path:
    """A store of ``lines`` order lines over ``days`` days (cached); returns its path."""
    store = CACHE / f"orders-{lines}-{customers}-{days}"
    if _done(store):
        return store
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    first_order = 3_900_000_000_000
    row = 0
    for day, n in _days(lines, days):
        who = (customers * rng.random(n) ** 2.2).astype(np.int64)  # a few buy often
        status = rng.choice(["交易成功", "交易关闭", "等待买家付款"], n, p=[0.95, 0.03, 0.02])
        item = rng.integers(0, 2000, n)
        table = pa.table(
            {
                "order_id": pa.array((first_order + row + np.arange(n)).astype(str)),
                "customer_id": _ids("tb", who),
                "paid_at": pa.array(
                    (day + pd.to_timedelta(rng.integers(0, 86400, n), unit="s")).to_numpy(),
                    pa.timestamp("us"),
                ),
                "amount": np.round(rng.lognormal(4.0, 0.6, n), 2),
                "quantity": np.ones(n),
                "description": _ids("收纳 ", item),
                "category": pa.array(np.array(CATEGORIES)[item % len(CATEGORIES)]),
                "status": pa.array(status),
                "coupon_id": pa.nulls(n, pa.string()),
                "currency": pa.array(np.full(n, "CNY")),
                "_file": pa.array(np.full(n, "generated.csv")),
                "_row": np.arange(row, row + n),
            }
        )
        path = part_path(store, "orders", f"{day:%Y-%m-%d}")
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path)
        row += n
    _manifest(store, "orders")
    print(f"(generated {lines:,} order lines in {time.perf_counter() - start:.0f} s: {store})")
    return store


def events_store(events: int, users: int, days: int = 30, seed: int = 12) -> Path:
    """A store of ``events`` behaviour events over ``days`` days (cached); returns its path."""
    store = CACHE / f"events-{events}-{users}-{days}"
    if _done(store):
        return store
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    for day, n in _days(events, days):
        who = (users * rng.random(n) ** 1.5).astype(np.int64)
        item = rng.integers(0, 50_000, n)
        seconds = np.sort(rng.integers(0, 86400, n))
        table = pa.table(
            {
                "user_id": _ids("u", who),
                "item_id": _ids("i", item),
                "category_id": _ids("c", item % 300),
                "behavior": pa.array(
                    rng.choice(["pv", "fav", "cart", "buy"], n, p=[0.89, 0.03, 0.06, 0.02])
                ),
                "ts": pa.array(
                    day.to_datetime64() + seconds.astype("timedelta64[s]"), pa.timestamp("us")
                ),
            }
        )
        path = part_path(store, "events", f"{day:%Y-%m-%d}")
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path)
    _manifest(store, "events")
    print(f"(generated {events:,} events in {time.perf_counter() - start:.0f} s: {store})")
    return store
