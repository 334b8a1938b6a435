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

from ..thresholds import Thresholds

__all__ = [
    "RivalThresholds",
    "unify_renamed_shops",
    "effective_price",
    "change_log",
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


def change_log(listings: pd.DataFrame, first, last, th: RivalThresholds | None = None):
    """Every change of every rival item at each of its shop's snapshots in (``first``, ``last``].

    One pass over the rows of all days (each item's rows in date order, each shop's snapshot
    days in order), so a month of daily logs costs about what one day's does. At a shop's
    snapshot day, an item is:

    * ``new`` when never seen before and the shop had an earlier snapshot (a shop's first
      snapshot makes nothing new);
    * ``returned`` when seen before but missing from the shop's previous snapshot;
    * ``removed`` (at the shop's next snapshot) when in a snapshot and not in the next;
    * ``sold_out`` at stock 0;
    * ``price_drop`` / ``price_rise`` when the price a buyer pays moved by ``price_move``
      or more since the item was last seen;
    * ``sales_jump`` / ``review_surge`` against the item's row in the last snapshot at
      least ``sales_days`` / ``review_days`` before.

    Columns: shop, item_id, title, change (one of :data:`CHANGE_KINDS`), before, after,
    ratio (after / before − 1 where it applies), last_seen (the snapshot compared with),
    date (the shop's snapshot the change is found in).
    """
    th = th or RivalThresholds()
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    rows = listings.loc[listings["date"] <= last].copy()
    rows["paid"] = effective_price(rows)
    days = rows[["shop", "date"]].drop_duplicates().sort_values(["shop", "date"])
    by_shop = days.groupby("shop", sort=False)["date"]
    days["previous"], days["next"] = by_shop.shift(1), by_shop.shift(-1)
    rows = rows.merge(days, on=["shop", "date"], how="left")
    rows = rows.sort_values(["shop", "item_id", "date"], kind="stable").reset_index(drop=True)
    item = rows.groupby(["shop", "item_id"], sort=False)
    rows["seen"], rows["seen_paid"] = item["date"].shift(1), item["paid"].shift(1)
    rows["next_seen"] = item["date"].shift(-1)
    now = rows[(rows["date"] > first)]
    parts = []

    def add(hit, change, before, after, seen, date=None, at=None):
        at = now if at is None else at
        t = at.loc[hit, ["shop", "item_id", "title"]].copy()
        t["change"] = change
        t["before"] = before[hit] if isinstance(before, pd.Series) else before
        t["after"] = after[hit] if isinstance(after, pd.Series) else after
        t["last_seen"] = seen[hit] if isinstance(seen, pd.Series) else seen
        t["date"] = (date if date is not None else at["date"])[hit]
        parts.append(t)

    nothing = pd.Series(np.nan, index=now.index)
    seen_before = now["seen"].notna()
    add(~seen_before & now["previous"].notna(), "new", nothing, now["paid"], pd.NaT)
    add(
        seen_before & (now["seen"] != now["previous"]),
        "returned",
        nothing,
        now["paid"],
        now["seen"],
    )
    # an item in a snapshot and not in its shop's next one is removed at that next snapshot
    gone = rows["next"].notna() & (rows["next"] > first) & (rows["next_seen"] != rows["next"])
    add(gone, "removed", rows["paid"], np.nan, rows["date"], date=rows["next"], at=rows)
    if "stock" in now:
        add((now["stock"] == 0).fillna(False), "sold_out", nothing, now["stock"], pd.NaT)
    move = np.round(now["paid"] / now["seen_paid"] - 1, 9)  # 90 / 100 − 1 is −0.0999…
    add(
        seen_before & (move <= -th.price_move),
        "price_drop",
        now["seen_paid"],
        now["paid"],
        now["seen"],
    )
    add(
        seen_before & (move >= th.price_move),
        "price_rise",
        now["seen_paid"],
        now["paid"],
        now["seen"],
    )
    for col, change, share, least, days_back in (
        ("monthly_sales", "sales_jump", th.sales_jump, th.sales_jump_min, th.sales_days),
        ("review_count", "review_surge", th.review_surge, th.review_surge_min, th.review_days),
    ):
        if col not in now or now[col].isna().all():
            continue
        old = _row_at_or_before(rows, now, days_back, col)
        b, a = old[col].astype(float), now[col].astype(float)
        hit = ((a - b) >= least) & (a >= b * (1 + share))
        add(hit.fillna(False), change, b, a, old["date"])
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    table = table.reindex(columns=CHANGE_COLUMNS)
    known = table["before"].notna() & table["after"].notna() & (table["before"] != 0)
    table["ratio"] = (table["after"] / table["before"] - 1).where(known)
    return _in_change_order(table, ["date", "shop", "change", "item_id"])


def _in_change_order(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``table`` sorted by ``by``, changes in the order of :data:`CHANGE_KINDS`."""
    order = {c: i for i, c in enumerate(CHANGE_KINDS)}
    return table.sort_values(
        by, key=lambda s: s.map(order) if s.name == "change" else s
    ).reset_index(drop=True)


def _row_at_or_before(rows: pd.DataFrame, now: pd.DataFrame, days: int, col: str):
    """For each row of ``now``, the same item's last row dated ``days`` or more before it."""
    target = (now["date"] - pd.Timedelta(days=days)).astype("datetime64[ns]")
    left = now[["shop", "item_id"]].assign(target=target)
    left = left.reset_index().sort_values("target", kind="stable")
    right = rows[["shop", "item_id", col]].assign(at=rows["date"].astype("datetime64[ns]"))
    found = pd.merge_asof(
        left,
        right.sort_values("at", kind="stable"),
        left_on="target",
        right_on="at",
        by=["shop", "item_id"],
        direction="backward",
    )
    return found.set_index("index")[[col, "at"]].rename(columns={"at": "date"}).reindex(now.index)


def changes(listings: pd.DataFrame, when, th: RivalThresholds | None = None) -> pd.DataFrame:
    """Every change of every rival item at its shop's latest snapshot on or before ``when``.

    The :func:`change_log` of each shop's latest snapshot day.
    """
    when = pd.Timestamp(when)
    rows = listings[listings["date"] <= when]
    latest = rows.groupby("shop")["date"].max()
    if latest.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    log = change_log(rows, latest.min() - pd.Timedelta(days=1), when, th)
    log = log[log["date"] == log["shop"].map(latest)]
    return _in_change_order(log, ["shop", "change", "item_id"])


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
