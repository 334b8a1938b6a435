"""A hero item's traffic drop traced the same day: which source, which search term lost it.

Pure functions on the ``item_sources`` and ``item_keywords`` rows (canonical columns). 生意参谋
writes each level of 流量来源 as rows of their own, a level-1 row repeating the sums of its
level-2 rows: every sum here is taken over one level only (:func:`one_level`). Sources renamed
by the platform are one source under their current name (:data:`RENAMES`) wherever the current
name appears, so a rename inside the baseline window is not a drop. The shop's own 流量来源
(:func:`shop_sources`) is read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "RENAMES",
    "PAID_SOURCES",
    "SEARCH",
    "Trace",
    "canonical_source",
    "source_levels",
    "one_level",
    "shop_sources",
    "item_drops",
    "source_losses",
    "keyword_losses",
    "off_first_page",
    "keyword_history",
    "trace_drops",
]

# old name → current name. 2024 万相台无界: 直通车 became 关键词推广, 引力魔方 became 人群推广
# (ad platform schemas note "关键词推广(原直通车)", "人群推广(原引力魔方)").
RENAMES = {"直通车": "关键词推广", "引力魔方": "人群推广"}
SEARCH = "手淘搜索"  # the source whose search terms the keyword export breaks down
PAID_SOURCES = frozenset({"关键词推广", "人群推广", "全站推广", "淘宝客", *RENAMES})  # 推广's
_SUMMARY = {"汇总", "-", "--", "", "nan", "<NA>"}  # a level column that names no source
_MEASURES = ("visitors", "paying_buyers", "gmv", "cost")
_HIERARCHY = ("source_l1", "parent", "level")  # columns of a file that writes source levels


def canonical_source(names: pd.Series) -> pd.Series:
    """Source names as one source across the platform's renames (直通车 → 关键词推广).

    An old name becomes the current one only where the current name also appears: a history
    written wholly before the rename keeps the name the operator downloaded.
    """
    text = names.astype("string").str.strip()
    present = set(text.dropna())
    return text.replace({old: new for old, new in RENAMES.items() if new in present})


def _named(col: pd.Series | None, index) -> pd.Series:
    """Whether each cell names a source (not empty, not 汇总 or -)."""
    if col is None:
        return pd.Series(False, index=index)
    return ~col.astype("string").str.strip().fillna("").isin(_SUMMARY)


def source_levels(rows: pd.DataFrame) -> pd.DataFrame:
    """Each row's level (1–3), its source name at that level and its level-1 group.

    The level is the export's 来源层级 where given, else read from which of 一级/二级/三级
    name a source (a level-2 row's 三级流量来源 reads 汇总); in the 2024 layout (来源名称 and
    上级来源名称) a row whose parent is itself or empty is level 1.
    """
    idx = rows.index
    if "source_l1" in rows:
        named2, named3 = _named(rows.get("source_l2"), idx), _named(rows.get("source_l3"), idx)
        inferred = pd.Series(np.select([named3, named2], [3, 2], 1), index=idx)
        names = [rows.get(f"source_l{n}", pd.Series(pd.NA, index=idx)) for n in (1, 2, 3)]
        group = rows["source_l1"]
    else:
        parent = rows.get("parent", pd.Series(pd.NA, index=idx)).astype("string")
        own_parent = ~_named(parent, idx) | parent.eq(rows["source"].astype("string")).fillna(False)
        inferred = pd.Series(np.where(own_parent, 1, 2), index=idx)
        names = [rows["source"], rows["source"], rows["source"]]
        group = rows["source"].where(own_parent, parent)
    level = rows["level"].fillna(inferred) if "level" in rows else inferred
    level = level.astype(int)
    name = np.select([level == 1, level == 2], [names[0], names[1]], names[2])
    return pd.DataFrame(
        {
            "level": level,
            "source": canonical_source(pd.Series(name, index=idx)),
            "group": canonical_source(group),
        },
        index=idx,
    )


def one_level(
    rows: pd.DataFrame, level: int = 2, keys: tuple[str, ...] = ("date", "item_id")
) -> pd.DataFrame:
    """The rows of one level (level 2 where the export has it), summed per ``keys`` × source.

    Rows of other levels are dropped, never added: a level-1 row repeats its children's sums.
    Two names of one renamed source on a day add up into one row.
    """
    lv = source_levels(rows)
    use = level if (lv["level"] == level).any() else int(lv["level"].min())
    keep = lv["level"] == use
    df = rows.loc[keep, list(keys)].assign(source=lv.loc[keep, "source"])
    measures = [c for c in _MEASURES if c in rows]
    df[measures] = rows.loc[keep, measures]
    out = df.groupby([*keys, "source"], as_index=False)[measures].sum(min_count=1)
    return out.assign(level=use)


def shop_sources(rows: pd.DataFrame) -> pd.DataFrame:
    """The shop's 流量来源 as one row per date × source, renamed sources as one.

    A file that writes levels gives one level (never a level-1 row added to its children).
    """
    if any(c in rows for c in _HIERARCHY):
        out = one_level(rows, keys=("date",)).drop(columns="level")
    else:
        named = rows.assign(source=canonical_source(rows["source"]))
        measures = [c for c in _MEASURES if c in rows]
        out = named.groupby(["date", "source"], as_index=False)[measures].sum(min_count=1)
    out.attrs = rows.attrs
    return out.sort_values(["date", "source"], ignore_index=True)


def _window(df: pd.DataFrame, when: pd.Timestamp, window: int) -> pd.DataFrame:
    return df[(df["date"] < when) & (df["date"] >= when - pd.Timedelta(days=window))]


def _mean_by(df: pd.DataFrame, keys: list[str], value: str, days: pd.Series) -> pd.Series:
    """Mean of ``value`` per ``keys`` over each item's days in the window (absent rows are 0)."""
    total = df.groupby(keys)[value].sum()
    n = days.reindex(total.index.get_level_values("item_id")).to_numpy()
    return total / np.maximum(n, 1)


def item_drops(
    sources: pd.DataFrame, when, window: int = 7, drop: float = 0.3, items=None
) -> pd.DataFrame:
    """Per item: its visitors on ``when`` against the mean of the ``window`` days before.

    ``sources`` are :func:`one_level` rows; ``items`` limits the items (the hero items).
    ``dropped`` marks visitors < (1 − ``drop``) × the mean.
    """
    when = pd.Timestamp(when)
    df = sources if items is None else sources[sources["item_id"].isin(list(items))]
    today = df[df["date"] == when].groupby("item_id")["visitors"].sum()
    base_rows = _window(df, when, window)
    days = base_rows.groupby("item_id")["date"].nunique()
    base = base_rows.groupby("item_id")["visitors"].sum() / days
    out = pd.DataFrame({"visitors": today, "visitors_base": base}).dropna(subset=["visitors_base"])
    out["visitors"] = out["visitors"].fillna(0)
    out["visitors_change"] = out["visitors"] - out["visitors_base"]
    out["change_pct"] = out["visitors"] / out["visitors_base"] - 1
    out["dropped"] = out["visitors"] < (1 - drop) * out["visitors_base"]
    out["base_days"] = days.reindex(out.index)
    return out.rename_axis("item_id").reset_index()


def _losses(df: pd.DataFrame, when, window: int, keys: list[str]) -> pd.DataFrame:
    """Visitors on ``when`` and the window's mean per ``keys`` (item_id first); losses first."""
    when = pd.Timestamp(when)
    base_rows = _window(df, when, window)
    days = base_rows.groupby("item_id")["date"].nunique()
    base = _mean_by(base_rows, keys, "visitors", days)
    today = df[df["date"] == when].groupby(keys)["visitors"].sum()
    out = pd.DataFrame({"visitors": today, "visitors_base": base}).fillna(0)
    out["visitors_change"] = out["visitors"] - out["visitors_base"]
    return out.reset_index().sort_values(["item_id", "visitors_change"], kind="stable")


def source_losses(sources: pd.DataFrame, when, window: int = 7, items=None) -> pd.DataFrame:
    """Per item and source: visitors on ``when``, the window's mean, the change; losses first."""
    df = sources if items is None else sources[sources["item_id"].isin(list(items))]
    return _losses(df, when, window, ["item_id", "source"]).reset_index(drop=True)


def _search_rows(keywords: pd.DataFrame) -> pd.DataFrame:
    """The search terms of 手淘搜索 (all of them when the export names no search type)."""
    if "search_type" not in keywords:
        return keywords
    kind = canonical_source(keywords["search_type"])
    return keywords[kind.eq(SEARCH) | kind.isna()]


def keyword_losses(keywords: pd.DataFrame, when, window: int = 7, items=None) -> pd.DataFrame:
    """Per item and 手淘搜索 search term: visitors, the window's mean, the change, the rank.

    ``rank`` is the day's rank and ``rank_base`` the median rank of the window, where the
    export has ranks (NaN otherwise).
    """
    when = pd.Timestamp(when)
    df = _search_rows(keywords)
    if items is not None:
        df = df[df["item_id"].isin(list(items))]
    out = _losses(df, when, window, ["item_id", "keyword"])
    if "rank" in df:
        keys = ["item_id", "keyword"]
        rank = df[df["date"] == when].groupby(keys)["rank"].min()
        base = _window(df, when, window).groupby(keys)["rank"].median()
        out = out.join(rank.rename("rank"), on=keys).join(base.rename("rank_base"), on=keys)
    else:
        out = out.assign(rank=np.nan, rank_base=np.nan)
    return out.reset_index(drop=True)


def off_first_page(
    keywords: pd.DataFrame, when, window: int = 7, first_page_rank: int = 44, items=None
) -> pd.DataFrame:
    """Search terms that fell out of the first page on ``when``.

    Rank today > ``first_page_rank`` while the median rank of the window was on it. Empty when
    the export has no rank.
    """
    losses = keyword_losses(keywords, when, window, items)
    out = losses[(losses["rank"] > first_page_rank) & (losses["rank_base"] <= first_page_rank)]
    return out.reset_index(drop=True)


def keyword_history(
    keywords: pd.DataFrame, item_id: str, when, days: int = 30, top: int = 3
) -> pd.DataFrame:
    """The daily rank (else visitors) of an item's ``top`` search terms over ``days``.

    The terms are those with the most visitors over the period; columns date, keyword, value,
    and ``measure`` (rank or visitors) in ``attrs``.
    """
    when = pd.Timestamp(when)
    df = _search_rows(keywords)
    df = df[
        (df["item_id"] == item_id)
        & (df["date"] > when - pd.Timedelta(days=days))
        & (df["date"] <= when)
    ]
    measure = "rank" if "rank" in df and df["rank"].notna().any() else "visitors"
    chosen = df.groupby("keyword")["visitors"].sum().nlargest(top).index
    out = (
        df[df["keyword"].isin(chosen)]
        .groupby(["date", "keyword"], as_index=False)[measure]
        .min()
        .rename(columns={measure: "value"})
    )
    out.attrs["measure"] = measure
    return out


@dataclass
class Trace:
    """The trace of the report date: items, sources, search terms, first-page exits."""

    items: pd.DataFrame  # per traced item: visitors, visitors_base, change, dropped
    sources: pd.DataFrame  # per dropped item and source, biggest loss first
    keywords: pd.DataFrame | None  # per dropped item and 手淘搜索 term; None: no export
    off_page: pd.DataFrame | None  # terms that left the first page; None: no ranks
    history: dict[str, pd.DataFrame]  # item → its top terms' rank (or visitors) by day
    window: int

    @property
    def has_rank(self) -> bool:
        """Whether the search-term export carries ranks (else the charts use visitors)."""
        return self.off_page is not None


def trace_drops(
    item_sources: pd.DataFrame,
    item_keywords: pd.DataFrame | None,
    when,
    items=None,
    *,
    window: int = 7,
    drop: float = 0.3,
    first_page_rank: int = 44,
    history_days: int = 30,
) -> Trace:
    """Everything the trace section shows: see :class:`Trace`."""
    sources = one_level(item_sources)
    drops = item_drops(sources, when, window, drop, items)
    titles = item_sources.drop_duplicates("item_id", keep="last").set_index("item_id")
    if "title" in titles:
        drops.insert(1, "title", drops["item_id"].map(titles["title"]).fillna(drops["item_id"]))
    else:
        drops.insert(1, "title", drops["item_id"])
    dropped = drops.loc[drops["dropped"], "item_id"]
    keywords = off_page = None
    history: dict[str, pd.DataFrame] = {}
    if item_keywords is not None:
        keywords = keyword_losses(item_keywords, when, window, dropped)
        has_rank = "rank" in item_keywords and item_keywords["rank"].notna().any()
        if has_rank:
            off_page = off_first_page(item_keywords, when, window, first_page_rank, items)
        for item in drops["item_id"]:
            h = keyword_history(item_keywords, item, when, history_days)
            if len(h):
                history[item] = h
    return Trace(
        items=drops,
        sources=source_losses(sources, when, window, dropped),
        keywords=keywords,
        off_page=off_page,
        history=history,
        window=window,
    )
