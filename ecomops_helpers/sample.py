"""A deterministic sample shop written in real export formats, with planted incidents.

The bundled ``data/sample/`` is what :func:`write_sample_shop` writes with its defaults: a
home-storage shop on Taobao, one year of days ending on :data:`SAMPLE_END`. Files use the
platforms' own quirks: Chinese headers with units, GB18030 with 生意参谋 title rows, percent
strings, ``1,234`` amounts, ``-`` for missing, an HTML-table ``.xls`` and overlapping downloads.

Planted incidents the daily review must find (see :data:`PLANTED`):

* a hero item's conversion collapses for the last 4 days;
* 直通车 cost per visitor climbs over the last 10 days while its buyers stay flat;
* bounce rate above 70 % for the last 7 days;
* a run of 差评 on another hero item in the last 3 days;
* a third hero item's stock covers fewer days than remain until 双12.

Each report's part lives beside it: the daily exports in :mod:`.daily.sample`, orders and
the behaviour log in :mod:`.customers.sample`, the ad exports (直通车, 万相台, Google Ads,
Amazon) in :mod:`.ads.sample`, the rivals' exports in :mod:`.rivals.sample`; each plants the
cases its report must find. The file formats are in :mod:`.sample_files`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .ads.sample import write_ad_exports
from .customers.sample import PlantedCustomers, generate_customers, write_customer_exports
from .daily.campaigns_sample import plant_past_campaign, write_campaign_exports
from .daily.matrix_sample import write_order_details
from .daily.peers_sample import write_service_exports
from .daily.sample import generate_daily, write_daily_exports
from .daily.shop_health_sample import write_health_exports
from .daily.trace_sample import plant_traffic_drop, write_trace_exports
from .rivals.sample import PLANTED_RIVALS, write_rival_exports

__all__ = [
    "SAMPLE_END",
    "SEED",
    "SampleShop",
    "generate_shop",
    "write_sample_shop",
]

SAMPLE_END = date(2026, 10, 21)
SEED = 20261021


@dataclass
class SampleShop:
    """The generated tables, in canonical columns, before they are written as exports."""

    shop_daily: pd.DataFrame
    traffic_sources: pd.DataFrame
    items_daily: pd.DataFrame
    plan: pd.DataFrame
    reviews: pd.DataFrame
    orders: pd.DataFrame | None = None
    events: pd.DataFrame | None = None
    planted_customers: PlantedCustomers | None = None


def generate_shop(
    end: date = SAMPLE_END,
    days: int = 365,
    items: int = 40,
    heroes: int = 4,
    seed: int = SEED,
    customers: int = 2500,
) -> SampleShop:
    """Generate a believable shop's tables (canonical columns) with the planted incidents."""
    tables, items_of = generate_daily(end, days, items, heroes, seed)
    tables = plant_past_campaign(tables)
    orders, events, planted = generate_customers(
        np.random.default_rng(seed + 1),
        pd.Timestamp(end),
        days,
        customers,
        items_of.item_ids,
        items_of.titles,
        items_of.price,
    )
    return SampleShop(**tables, orders=orders, events=events, planted_customers=planted)


def write_sample_shop(
    out: str | Path,
    end: date = SAMPLE_END,
    days: int = 365,
    items: int = 40,
    heroes: int = 4,
    seed: int = SEED,
) -> list[Path]:
    """Write a sample shop's exports into ``out`` in real platform formats; returns the files."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    shop = generate_shop(end=end, days=days, items=items, heroes=heroes, seed=seed)
    plant_traffic_drop(shop.items_daily)
    written = write_daily_exports(out, shop, end)
    written += write_service_exports(out, shop.shop_daily, end)
    written += write_trace_exports(out, shop.items_daily, seed)
    written += write_health_exports(out, shop, end)
    written += write_customer_exports(out, shop)
    written += write_campaign_exports(out, shop.items_daily, end)
    written += write_order_details(out, shop, seed)
    it = shop.items_daily
    items = it.drop_duplicates("item_id")[["item_id", "title"]].reset_index(drop=True)
    written += write_ad_exports(out, end, items)
    week = it[
        (it["item_id"] == PLANTED_RIVALS.undercut_item)
        & (it["date"] > it["date"].max() - pd.Timedelta(days=7))
    ]
    written += write_rival_exports(out, end, week["gmv"].sum() / max(week["units"].sum(), 1))
    return written
