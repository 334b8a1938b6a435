"""The sample shop's 宝贝报表 (order lines), with planted co-purchase pairs.

Every order of the 订单报表 gets its line (title, price, quantity, status); one order in ten
gets a second item at random, and the planted pairs put a partner item into a share of a hero
item's orders, a few of those partner lines refunded (交易关闭 on the line only).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..sample_files import write_csv

__all__ = ["PLANTED_PAIRS", "PlantedPair", "order_detail_lines", "write_order_details"]

DETAIL_FILE = "ExportOrderDetailList_宝贝报表.csv"


@dataclass(frozen=True)
class PlantedPair:
    """A hero item (by its position in the catalogue) whose buyers often add a partner."""

    hero: int
    partner: int
    share: float  # of the hero's orders that also hold the partner


PLANTED_PAIRS = (PlantedPair(0, 12, 0.22), PlantedPair(2, 20, 0.12))


def order_detail_lines(orders: pd.DataFrame, items: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The order lines of ``orders`` (canonical): order_id, title, price, quantity, status.

    ``items`` is one row per item (item_id, title, price) in catalogue order.
    """
    rng = np.random.default_rng(seed)
    titles = items["title"].to_numpy()
    price_of = dict(zip(items["title"], items["price"]))
    base = orders[["order_id", "description", "quantity", "status"]].rename(
        columns={"description": "title"}
    )
    extra = base[rng.random(len(base)) < 0.10].assign(
        title=lambda d: titles[rng.integers(0, len(titles), len(d))], quantity=1
    )
    planted = []
    for p in PLANTED_PAIRS:
        if max(p.hero, p.partner) >= len(titles):  # a smaller shop has no such items
            continue
        of_hero = base[base["title"] == titles[p.hero]]
        chosen = of_hero[rng.random(len(of_hero)) < p.share]
        refunded = rng.random(len(chosen)) < 0.1
        status = np.where(refunded, "交易关闭", chosen["status"])
        planted.append(chosen.assign(title=titles[p.partner], quantity=1, status=status))
    lines = pd.concat([base, extra, *planted], ignore_index=True)
    lines = lines.drop_duplicates(["order_id", "title"]).sort_values("order_id", kind="stable")
    return lines.assign(price=lines["title"].map(price_of)).reset_index(drop=True)


def write_order_details(out: Path, shop, seed: int) -> list[Path]:
    """Write the 宝贝报表 (GB18030, the 千牛 header) for the sample shop's orders."""
    it = shop.items_daily
    sold = it[it["units"] > 0]
    price = (sold.groupby("item_id")["gmv"].sum() / sold.groupby("item_id")["units"].sum()).round(1)
    items = it.drop_duplicates("item_id")[["item_id", "title"]].reset_index(drop=True)
    items["price"] = items["item_id"].map(price)
    lines = order_detail_lines(shop.orders, items, seed)
    table = pd.DataFrame(
        {
            "订单编号": lines["order_id"],
            "标题": lines["title"],
            "价格": lines["price"].map("{:.2f}".format),
            "购买数量": lines["quantity"],
            "外部系统编号": "",
            "商品属性": "颜色分类：默认",
            "套餐信息": "",
            "备注": "",
            "订单状态": lines["status"],
            "商家编码": "",
        }
    )
    path = out / DETAIL_FILE
    write_csv(table, path, "gb18030")
    return [path]
