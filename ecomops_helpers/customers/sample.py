"""The sample shop's customers: a Taobao order export and a 30-day behaviour log.

They hold the planted groups the customer review must find (:class:`PlantedCustomers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..sample_files import write_csv

__all__ = ["CATEGORIES", "PlantedCustomers", "generate_customers", "write_customer_exports"]


@dataclass(frozen=True)
class PlantedCustomers:
    """Customer groups planted in the orders and events, with their IDs for tests."""

    lapsing_vip: tuple[str, ...]
    second_window: tuple[str, ...]
    cart_abandoners: tuple[str, ...]
    coupon_unused: tuple[str, ...]


CATEGORIES = ("收纳盒", "置物架", "衣架", "压缩袋", "鞋盒")
_SURNAMES = "王李张刘陈杨黄赵吴周"
_COUPON = "SHOP-10"


def generate_customers(rng, end: pd.Timestamp, days: int, n: int, item_ids, titles, price):
    """Orders and a 30-day behaviour log of ``n`` customers, with the planted groups.

    Purchases follow the BG/NBD story: each customer buys at their own rate and may drop out
    after any purchase. Planted: lapsing high-value regulars, one-time buyers 18–25 days after
    their purchase, cart abandoners and unused coupon claims in the last days.
    """
    start = end - pd.Timedelta(days=days - 1)
    ids = np.array([f"tb{100000 + i * 7919 % 900000:06d}" for i in range(n)])
    first = start + pd.to_timedelta(rng.integers(0, days, n), unit="D")
    rate = rng.gamma(0.6, 1 / 25, n)  # purchases per day while active
    drop = rng.beta(1.2, 3.0, n)
    spend = rng.gamma(4.0, 25.0, n) + 20
    pref = rng.integers(0, len(CATEGORIES), n)
    rows = [(ids, first)]
    t, alive = first.copy(), np.ones(n, bool)
    for _ in range(40):
        alive &= rng.random(n) > drop
        gap = rng.exponential(1 / np.maximum(rate, 1e-4))
        t = t + pd.to_timedelta(np.ceil(gap), unit="D")
        alive &= t <= end
        if not alive.any():
            break
        rows.append((ids[alive], t[alive]))
    cust = np.concatenate([r[0] for r in rows])
    when = pd.DatetimeIndex(np.concatenate([r[1].to_numpy() for r in rows]))

    vip = tuple(f"vip{i:03d}" for i in range(25))
    vip_rows = [
        (c, end - pd.Timedelta(days=int(rng.integers(60, 90)) + 20 * k))
        for c in vip
        for k in range(int(rng.integers(6, 12)))
    ]
    window = tuple(f"new{i:03d}" for i in range(30))
    window_rows = [(c, end - pd.Timedelta(days=int(rng.integers(18, 26)))) for c in window]
    cust = np.concatenate([cust, [c for c, _ in vip_rows], [c for c, _ in window_rows]])
    when = when.append(pd.DatetimeIndex([d for _, d in vip_rows + window_rows]))
    spend_of = dict(zip(ids, spend)) | {c: rng.uniform(350, 700) for c in vip}
    pref_of = dict(zip(ids, pref))
    m = len(cust)
    amount = np.array([spend_of.get(c, 80.0) for c in cust]) * rng.gamma(8, 1 / 8, m)
    cat = np.array(
        [CATEGORIES[(pref_of.get(c, 0) + (rng.random() < 0.25)) % len(CATEGORIES)] for c in cust]
    )
    item = rng.integers(0, len(item_ids), m)
    paid_at = when + pd.to_timedelta(rng.integers(8 * 3600, 23 * 3600, m), unit="s")
    status = rng.choice(["交易成功", "交易关闭", "等待买家付款"], m, p=[0.95, 0.03, 0.02])
    status[np.isin(cust, vip + window)] = "交易成功"  # planted groups: paid orders only
    coupon = np.where(rng.random(m) < 0.2, _COUPON, "")
    orders = (
        pd.DataFrame(
            {
                "order_id": [f"{3900000000000 + i * 104729}" for i in range(m)],
                "customer_id": cust,
                "paid_at": paid_at.where(status != "等待买家付款"),
                "created_at": paid_at - pd.Timedelta(minutes=3),
                "amount": amount.round(2),
                "status": status,
                "quantity": 1 + rng.poisson(0.3, m),
                "description": titles[item],
                "category": cat,
                "coupon_id": coupon,
                "receiver": [_SURNAMES[i % 10] + "先生" for i in range(m)],
                "phone": [f"138{i * 7 % 10**8:08d}" for i in range(m)],
            }
        )
        .sort_values("created_at", kind="stable")
        .reset_index(drop=True)
    )

    events = _events(rng, end, orders, item_ids, vip, window)
    abandon = tuple(ids[-20:])
    coupon_users = tuple(ids[-45:-20])
    extra = [
        (
            u,
            item_ids[i % len(item_ids)],
            CATEGORIES[i % 5],
            "cart",
            end + pd.Timedelta(hours=20 - 2 * i),
        )
        for i, u in enumerate(abandon)
    ]
    extra += [
        (u, "", "", "coupon", end - pd.Timedelta(days=5 + i % 5))
        for i, u in enumerate(coupon_users)
    ]
    planted_events = pd.DataFrame(
        extra, columns=["user_id", "item_id", "category_id", "behavior", "ts"]
    )
    planted_users = set(abandon) | set(coupon_users)
    events = events[
        ~(
            events["user_id"].isin(planted_users)
            & events["behavior"].isin(["buy", "cart", "coupon"])
        )
    ]
    orders = orders[
        ~(
            orders["customer_id"].isin(coupon_users)
            & (orders["paid_at"] > end - pd.Timedelta(days=15))
        )
    ]
    events = pd.concat([events, planted_events]).sort_values("ts", kind="stable")
    planted = PlantedCustomers(vip, window, abandon, coupon_users)
    return orders.reset_index(drop=True), events.reset_index(drop=True), planted


def _events(rng, end, orders, item_ids, vip, window) -> pd.DataFrame:
    """A 30-day behaviour log: browsing by recent and returning customers, carts, buys."""
    since = end - pd.Timedelta(days=29)
    recent = orders[orders["paid_at"] >= since]
    users = pd.unique(
        pd.concat([orders["customer_id"].sample(frac=0.4, random_state=1), recent["customer_id"]])
    )
    users = np.array([u for u in users if u not in set(vip) | set(window)])
    k = rng.poisson(6, len(users)) + 1
    user = np.repeat(users, k)
    n = len(user)
    item = rng.integers(0, len(item_ids), n)
    behavior = rng.choice(["pv", "fav", "cart"], n, p=[0.85, 0.05, 0.10])
    ts = since + pd.to_timedelta(rng.integers(0, 30 * 86400, n), unit="s")
    log = pd.DataFrame(
        {
            "user_id": user,
            "item_id": item_ids[item],
            "category_id": [CATEGORIES[i % 5] for i in item],
            "behavior": behavior,
            "ts": ts,
        }
    )
    buys = recent[recent["paid_at"].notna()]
    buy_log = pd.DataFrame(
        {
            "user_id": buys["customer_id"],
            "item_id": item_ids[0],
            "category_id": buys["category"],
            "behavior": "buy",
            "ts": buys["paid_at"],
        }
    )
    return pd.concat([log, buy_log], ignore_index=True)


def write_customer_exports(out: Path, shop) -> list[Path]:
    """Write the orders (订单报表, GB18030) and the behaviour log (no header, unix seconds)."""
    written: list[Path] = []
    o = shop.orders
    orders_out = pd.DataFrame(
        {
            "订单编号": o["order_id"],
            "买家会员名": o["customer_id"],
            "买家实际支付金额": o["amount"].map("{:.2f}".format),
            "订单状态": o["status"],
            "收货人姓名": o["receiver"],
            "联系手机": o["phone"],
            "订单创建时间": o["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
            "订单付款时间": o["paid_at"].dt.strftime("%Y-%m-%d %H:%M:%S").fillna(""),
            "宝贝标题": o["description"],
            "类目": o["category"],
            "宝贝总数量": o["quantity"],
            "店铺优惠券": o["coupon_id"],
        }
    )
    path = out / "ExportOrderList_订单报表.csv"
    write_csv(orders_out, path, "gb18030")
    written.append(path)
    e = shop.events
    log = e.assign(
        ts=(e["ts"] - pd.Timestamp("1970-01-01") - pd.Timedelta(hours=8)) // pd.Timedelta(seconds=1)
    )
    path = out / "UserBehavior.csv"  # the Taobao behaviour log: no header, unix seconds
    log.to_csv(path, index=False, header=False, lineterminator="\n")
    written.append(path)
    return written
