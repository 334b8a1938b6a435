"""Rival listings over time: what changed since each rival's last snapshot, and over 7/30 days.

Snapshots miss days, items vanish and return, shops get renamed. Every change here is
measured against the item's own *last seen* snapshot, never against "yesterday":

* ``new``: first seen in the shop's latest snapshot, the shop having been seen before;
* ``returned``: in the latest snapshot, absent from the shop's previous one, seen earlier;
* ``removed``: in the shop's previous snapshot, absent from its latest; ``sold_out``: in the
  latest with stock 0;
* ``price_drop`` / ``price_rise``: the effective price (promo price where given, else price)
  against the last seen one, beyond ``price_move``;
* ``sales_jump``: monthly sales against the snapshot nearest ``sales_days`` before;
* ``review_surge``: reviews gained over ``review_days`` beyond both a share and a count.

A shop is known by its items: when an item's shop name changes, its history takes the new
name and the rename is reported (:func:`unify_renamed_shops`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .actions import Thresholds

__all__ = [
    "RivalThresholds",
    "unify_renamed_shops",
    "effective_price",
    "shop_snapshots",
    "changes",
    "CHANGE_KINDS",
    "CHANGE_COLUMNS",
    "keyword_overlap",
    "rising_terms",
    "launches_per_week",
    "tier_gap",
]

CHANGE_COLUMNS = ["shop", "item_id", "title", "change", "before", "after", "ratio"]
CHANGE_COLUMNS += ["last_seen", "date"]
CHANGE_KINDS = (
    "new",
    "returned",
    "removed",
    "sold_out",
    "price_drop",
    "price_rise",
    "sales_jump",
    "review_surge",
)


@dataclass(frozen=True)
class RivalThresholds(Thresholds):
    """Every number a rival rule compares with; defaults from Taobao operators' practice."""

    price_move: float = 0.10  # a price change beyond this share is a move (drop or rise)
    sales_jump: float = 0.5  # monthly sales up this share over sales_days: a jump
    sales_days: int = 7  # ... compared with the snapshot this many days before
    sales_jump_min: int = 100  # ... and by at least this many units (30 → 60 is noise)
    review_surge: float = 0.2  # reviews up this share over review_days ...
    review_surge_min: int = 100  # ... and by at least this many: a surge
    review_days: int = 7


def effective_price(rows: pd.DataFrame) -> pd.Series:
    """What a buyer pays: the promo price where given, else the price."""
    if "promo_price" not in rows:
        return rows["price"].astype(float)
    return rows["promo_price"].where(rows["promo_price"] > 0).fillna(rows["price"]).astype(float)


def unify_renamed_shops(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Give every item's history its shop's latest name; returns the rows and (old, new) renames.

    A shop is renamed when most of the items it listed under one name later appear under
    another; an item moving alone (rival shops swapping one listing) renames nothing.
    """
    latest = rows.sort_values("date").groupby("item_id")["shop"].last()
    now = rows["item_id"].map(latest)
    moved = rows.loc[rows["shop"] != now, ["shop", "item_id"]].assign(to=now)
    renames = []
    for (old, new), g in moved.groupby(["shop", "to"]):
        listed = rows.loc[rows["shop"] == old, "item_id"].nunique()
        if g["item_id"].nunique() >= 0.5 * listed:
            renames.append((old, new))
    mapping = dict(renames)
    out = rows.assign(shop=rows["shop"].replace(mapping)) if mapping else rows
    return out, renames


def shop_snapshots(rows: pd.DataFrame, when: pd.Timestamp) -> pd.DataFrame:
    """Per shop: its latest snapshot on or before ``when`` and the one before it (NaT: none)."""
    days = rows.loc[rows["date"] <= when, ["shop", "date"]].drop_duplicates()
    days = days.sort_values(["shop", "date"])
    latest = days.groupby("shop")["date"].max().rename("latest")
    previous = (days[days["date"] < days["shop"].map(latest)].groupby("shop")["date"].max()).rename(
        "previous"
    )
    return pd.concat([latest, previous], axis=1)


def _before(rows: pd.DataFrame, snaps: pd.DataFrame, days: int) -> pd.DataFrame:
    """Each item's row in its shop's last snapshot at least ``days`` before the latest."""
    target = rows["shop"].map(snaps["latest"]) - pd.Timedelta(days=days)
    old = rows[rows["date"] <= target]
    return old.sort_values("date").groupby(["shop", "item_id"]).last()


def changes(listings: pd.DataFrame, when, th: RivalThresholds | None = None) -> pd.DataFrame:
    """Every change of every rival item at its shop's latest snapshot, one row per change.

    Columns: shop, item_id, title, change (one of :data:`CHANGE_KINDS`), before, after,
    ratio (after / before − 1 where it applies), last_seen (the snapshot compared with),
    date (the shop's latest snapshot).
    """
    th = th or RivalThresholds()
    when = pd.Timestamp(when)
    rows = listings[listings["date"] <= when].copy()
    rows["paid"] = effective_price(rows)
    snaps = shop_snapshots(rows, when)
    rows = rows.join(snaps, on="shop")
    now = rows[rows["date"] == rows["latest"]].set_index(["shop", "item_id"])
    prev = rows[rows["date"] == rows["previous"]].set_index(["shop", "item_id"])
    earlier = rows[rows["date"] < rows["latest"]]
    last_seen = earlier.sort_values("date").groupby(["shop", "item_id"]).last()
    out = []

    def add(keys, change, before, after, seen):
        for key, b, a, s in zip(keys, before, after, seen):
            shop, item = key
            title = now["title"].get(key, prev["title"].get(key, ""))
            ratio = a / b - 1 if pd.notna(a) and pd.notna(b) and b else np.nan
            out.append((shop, item, title, change, b, a, ratio, s, snaps.loc[shop, "latest"]))

    seen_before = now.index.isin(last_seen.index)
    shop_has_history = now.index.get_level_values("shop").map(snaps["previous"]).notna()
    new = now.index[~seen_before & shop_has_history]
    add(new, "new", [np.nan] * len(new), now.loc[new, "paid"], [pd.NaT] * len(new))
    back = now.index[seen_before & ~now.index.isin(prev.index)]
    add(back, "returned", [np.nan] * len(back), now.loc[back, "paid"], last_seen.loc[back, "date"])
    observed = prev.index.get_level_values("shop").isin(now.index.get_level_values("shop"))
    gone = prev.index[observed & ~prev.index.isin(now.index)]
    add(gone, "removed", prev.loc[gone, "paid"], [np.nan] * len(gone), prev.loc[gone, "date"])
    if "stock" in now:
        out_of = now.index[(now["stock"] == 0).to_numpy()]
        add(
            out_of,
            "sold_out",
            [np.nan] * len(out_of),
            now.loc[out_of, "stock"],
            [pd.NaT] * len(out_of),
        )
    both = now.index[seen_before]
    before, after = last_seen.loc[both, "paid"], now.loc[both, "paid"]
    move = np.round(after.to_numpy() / before.to_numpy() - 1, 9)  # 90 / 100 − 1 is −0.0999…
    for change, hit in (
        ("price_drop", move <= -th.price_move),
        ("price_rise", move >= th.price_move),
    ):
        keys = both[hit]
        add(keys, change, before[hit], after[hit], last_seen.loc[keys, "date"])
    for col, change, share, least, days in (
        ("monthly_sales", "sales_jump", th.sales_jump, th.sales_jump_min, th.sales_days),
        ("review_count", "review_surge", th.review_surge, th.review_surge_min, th.review_days),
    ):
        if col not in now or now[col].isna().all():
            continue
        old = _before(rows, snaps, days)
        keys = now.index[now.index.isin(old.index)]
        b, a = old.loc[keys, col].astype(float), now.loc[keys, col].astype(float)
        hit = ((a.to_numpy() - b.to_numpy()) >= least) & (
            a.to_numpy() >= b.to_numpy() * (1 + share)
        )
        add(keys[hit], change, b[hit], a[hit], old.loc[keys[hit], "date"])
    table = pd.DataFrame(out, columns=CHANGE_COLUMNS)
    order = {c: i for i, c in enumerate(CHANGE_KINDS)}
    return table.sort_values(
        ["shop", "change", "item_id"], key=lambda s: s.map(order) if s.name == "change" else s
    ).reset_index(drop=True)


MY_SHOP_NAMES = ("本店", "本店铺", "我的店铺", "my shop", "mine")


def keyword_overlap(keywords: pd.DataFrame, when, my_shop: str = "") -> pd.DataFrame:
    """Each keyword that brings visitors to me and to a rival, on the latest day: who wins.

    My rows are those of ``my_shop`` (or 本店 / my shop, as 竞店 comparisons label them).
    Indices are compared, never added to money: a rival wins when its conversion index beats
    mine. Columns: keyword, rival, my and their visitor / conversion / trade index, rival_wins.
    """
    rows = keywords[keywords["date"] <= pd.Timestamp(when)]
    rows = rows[rows["date"] == rows["date"].max()]
    mine_mask = (
        rows["shop"].isin([my_shop, *MY_SHOP_NAMES])
        if my_shop
        else rows["shop"].isin(MY_SHOP_NAMES)
    )
    mine = rows[mine_mask].set_index("keyword")
    theirs = rows[~mine_mask]
    both = theirs[theirs["keyword"].isin(mine.index)]
    cols = ["visitors_index", "conversion_index", "trade_index"]
    cols = [c for c in cols if c in rows]
    out = both[["keyword", "shop", *cols]].rename(columns={"shop": "rival"})
    for c in cols:
        out[f"my_{c}"] = out["keyword"].map(mine[c])
    if "conversion_index" in out:
        out["rival_wins"] = out["conversion_index"] > out["my_conversion_index"]
    return out.sort_values(cols[-1], ascending=False).reset_index(drop=True)


def _contains(titles: list[str], term: str) -> bool:
    """Whether a title holds every part of ``term`` (parts are separated by spaces)."""
    parts = [p for p in str(term).lower().split() if p]
    return any(all(p in t for p in parts) for t in titles)


def rising_terms(
    industry: pd.DataFrame, my_titles, when, days: int = 7, min_rise: float = 0.2
) -> pd.DataFrame:
    """Industry search terms by rise in search popularity over ``days``, with competition.

    competition = search popularity per online item (higher: more searches per listing);
    ``in_my_titles`` says whether any of my titles holds the term; ``suggest`` marks the
    rising terms (≥ ``min_rise``) my titles miss.
    """
    when = pd.Timestamp(when)
    rows = industry[industry["date"] <= when]
    last = rows["date"].max()
    now = rows[rows["date"] == last].set_index("keyword")
    before_day = rows.loc[rows["date"] <= last - pd.Timedelta(days=days), "date"].max()
    out = now[["search_popularity"]].copy()
    if pd.notna(before_day):
        then = rows[rows["date"] == before_day].set_index("keyword")["search_popularity"]
        out["popularity_before"] = then.reindex(out.index)
        out["rise"] = out["search_popularity"] / out["popularity_before"] - 1
    else:
        out["popularity_before"], out["rise"] = np.nan, np.nan
    if "online_items" in now:
        out["competition"] = now["search_popularity"] / now["online_items"].where(
            now["online_items"] > 0
        )
    titles = [str(t).lower() for t in my_titles]
    out["in_my_titles"] = [_contains(titles, k) for k in out.index]
    out["suggest"] = (out["rise"] >= min_rise).fillna(False) & ~out["in_my_titles"]
    out = out.reset_index().rename(columns={"index": "keyword"})
    return out.sort_values("rise", ascending=False, na_position="last").reset_index(drop=True)


def launches_per_week(listings: pd.DataFrame, when) -> pd.DataFrame:
    """New listings per shop and week, with their monthly sales now.

    A launch is dated by 上架时间 where the export gives it, else by the snapshot it was first
    seen in; items already there in a shop's first snapshot have no known launch without it.
    """
    rows = listings[listings["date"] <= pd.Timestamp(when)]
    if "monthly_sales" not in rows:  # a snapshot without sales: launches are still counted
        rows = rows.assign(monthly_sales=np.nan)
    items = rows.sort_values("date").groupby(["shop", "item_id"])
    first = items.agg(first_seen=("date", "first"), sales=("monthly_sales", "last"))
    listed = items["listed_on"].min() if "listed_on" in rows else None
    start = first.index.get_level_values("shop").map(rows.groupby("shop")["date"].min())
    known = first["first_seen"].to_numpy() > start.to_numpy()
    first["launched"] = first["first_seen"].where(known)
    if listed is not None:
        first["launched"] = listed.reindex(first.index).fillna(first["launched"])
    first = first.dropna(subset=["launched"])
    first["week"] = first["launched"].dt.to_period("W-SUN").dt.start_time
    t = first.reset_index().groupby(["shop", "week"])
    return t.agg(launched=("item_id", "count"), sales=("sales", "sum")).reset_index()


def tier_gap(listings: pd.DataFrame, when, my_sales: float) -> pd.DataFrame:
    """Each tracked shop's 30-day sales against mine, and the gap to the next tier up.

    A shop's 30-day sales are its items' monthly sales at its latest snapshot; the next tier
    is the weakest shop selling more than me (``attrs["next_tier"]``: its name and the gap).
    Snapshots without a sales column give no tiers: ``None``.
    """
    if "monthly_sales" not in listings or listings["monthly_sales"].isna().all():
        return None
    rows = listings[listings["date"] <= pd.Timestamp(when)]
    latest = rows.groupby("shop")["date"].transform("max")
    sales = rows[rows["date"] == latest].groupby("shop")["monthly_sales"].sum().rename("sales_30d")
    t = sales.sort_values(ascending=False).to_frame()
    t["vs_mine"] = t["sales_30d"] / my_sales - 1 if my_sales else np.nan
    above = t[t["sales_30d"] > my_sales]
    t.attrs["next_tier"] = (
        (above.index[-1], float(above["sales_30d"].iloc[-1] - my_sales)) if len(above) else None
    )
    return t.reset_index()
