"""Fix the page first: bid raises held back on keywords whose item page fails its health check.

A keyword's unit (推广单元 / 宝贝名称) names the item it advertises: the item's id, its title, or
the start of its title (直通车 cuts long titles). :func:`unit_items` maps each unit to one
item of the 商品效果 export; :func:`hold_raises` turns a raise on a failing item into a keep
with the rule ``hold_page``, no new bid.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

__all__ = ["HOLD_RULE", "unit_items", "hold_raises"]

HOLD_RULE = "hold_page"


def _norm(text) -> str:
    """A title as compared: full-width folded, lower case, no spaces or punctuation."""
    s = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\s\W_]+", "", s)


def unit_items(units: pd.Series, items: pd.DataFrame) -> pd.Series:
    """The item_id each unit names, by id, exact title, else the one title it starts; NaN else."""
    catalogue = items.drop_duplicates("item_id", keep="last")
    ids = set(catalogue["item_id"].astype(str))
    titles = pd.Series(
        catalogue["item_id"].astype(str).to_numpy(), index=catalogue["title"].map(_norm)
    )
    exact = titles[~titles.index.duplicated(keep=False)]

    def one(unit) -> str | float:
        if pd.isna(unit) or str(unit).strip() == "":
            return np.nan
        raw, key = str(unit).strip(), _norm(unit)
        if raw in ids:
            return raw
        if key in exact.index:
            return exact[key]
        starts = titles[titles.index.str.startswith(key)] if len(key) >= 4 else titles.iloc[:0]
        return starts.iloc[0] if starts.nunique() == 1 else np.nan

    return units.map(one).astype("string")  # text ids, also when no unit names an item


def hold_raises(keywords: pd.DataFrame, health: pd.DataFrame) -> pd.DataFrame:
    """``keywords`` with each raise on a failing item page held: action keep, rule hold_page.

    Adds ``item_id`` (the unit's item, NaN when none matches), ``page_item`` (its title) and
    ``page_hold`` (True on the held rows); held rows lose their new bid.
    """
    t = keywords.copy()
    units = t["ad_group"] if "ad_group" in t else pd.Series(np.nan, index=t.index)
    t["item_id"] = unit_items(units, health)
    h = health.set_index("item_id")
    t["page_item"] = t["item_id"].map(h["title"])
    failing = t["item_id"].map(h["failing"].astype(object)).eq(True)  # no item: not failing
    held = (t["action"] == "raise") & failing
    t["page_hold"] = held
    t.loc[held, ["action", "rule"]] = ["keep", HOLD_RULE]
    if "new_bid" in t:
        t.loc[held, "new_bid"] = np.nan
    return t
