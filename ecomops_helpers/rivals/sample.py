"""The sample shop's rival exports, in the layouts tools write, with planted events.

* 生意参谋 竞品 export with a 统计日期 column, two top rivals, daily with missing days;
* 店侦探-style snapshots of two similar-size rivals, one GB18030 file per shop per date, the
  date only in the file name and the item id only inside 宝贝链接;
* 竞店 入店关键词 (本店 and the rivals: visitor, conversion and trade indices);
* 市场 搜索排行 (industry search terms by week).

Planted events (:data:`PLANTED_RIVALS`) the competitor report must list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["PLANTED_RIVALS", "PlantedRivals", "write_dianzhentan", "write_rival_exports"]

SEED = 20261023
DAYS = 60
TOP_SHOPS = ("北欧家居旗舰店", "简约生活馆")
SIMILAR_SHOPS = ("小户型收纳铺", "好物整理屋")
SNAPSHOT_DAYS_BACK = (35, 28, 14, 7, 3, 0)  # 店侦探 snapshots: irregular, as operators take them
_NOUNS = "压缩袋 收纳箱 鞋盒 衣架 整理袋 内衣收纳 化妆品收纳 抽屉柜 米桶 脏衣篮".split()
_ADJ = "大容量 宿舍 衣柜 床底 加高 分格 防潮 简约 ins风 实木".split()


@dataclass(frozen=True)
class PlantedRivals:
    """What the sample's rivals did, for tests and the reader."""

    launcher: str  # launches a batch of new-season items in its last snapshot
    launches: int
    undercutter: str  # lists my hero item's 同款 below my price
    undercut_item: str  # ... my hero item
    undercut_title: str
    promoter: str  # sales jump after a promotion
    promoted_title: str
    delister: str  # delists its best seller
    delisted_title: str
    rising_term: str  # rising industry term none of my titles hold
    keyword: str  # a keyword we share where the rival converts better
    keyword_rival: str


PLANTED_RIVALS = PlantedRivals(
    launcher="小户型收纳铺",
    launches=6,
    undercutter="简约生活馆",
    undercut_item="6510000001",
    undercut_title="北欧风收纳盒 1号 桌面 同款",  # a copied listing: my title and more
    promoter="北欧家居旗舰店",
    promoted_title="床底收纳箱 带轮 大容量",
    delister="好物整理屋",
    delisted_title="衣柜分格 内衣收纳 抽屉式",
    rising_term="理线器",
    keyword="收纳盒",
    keyword_rival="简约生活馆",
)


def _catalogue(rng, shop_no: int, n: int, end: pd.Timestamp) -> pd.DataFrame:
    titles = [
        f"{_ADJ[(i + shop_no) % len(_ADJ)]} {_NOUNS[(i * 3 + shop_no) % len(_NOUNS)]} "
        f"{_ADJ[(i * 7 + 2) % len(_ADJ)]} {i + 1}"
        for i in range(n)
    ]
    return pd.DataFrame(
        {
            "item_id": [f"66{shop_no}{i:07d}" for i in range(n)],
            "title": titles,
            "price": rng.uniform(19, 199, n).round(1),
            "sales": rng.integers(50, 900, n),
            "reviews": rng.integers(100, 5000, n),
            "listed_on": end - pd.to_timedelta(rng.integers(1, 420, n), "D"),
        }
    )


def _history(end: pd.Timestamp, my_price: float, rng) -> pd.DataFrame:
    """Every rival's listings on every day it was snapshotted, canonical columns."""
    days = pd.date_range(end - pd.Timedelta(days=DAYS - 1), end, freq="D")
    rows = []
    for no, shop in enumerate(TOP_SHOPS + SIMILAR_SHOPS):
        cat = _catalogue(rng, no, 24, end)
        missing = set(rng.choice(DAYS - 2, 4, replace=False))  # days the tool did not run
        for d, day in enumerate(days):
            if d in missing:
                continue
            t = cat[cat["listed_on"] <= day].copy()  # an item shows up once it is listed
            t["date"], t["shop"] = day, shop
            t["sales"] = (t["sales"] * rng.uniform(0.95, 1.05, len(t))).round().astype(int)
            t["reviews"] = t["reviews"] + d * 2
            t["promo"] = np.nan
            rows.append(t)
    df = pd.concat(rows, ignore_index=True)
    p = PLANTED_RIVALS
    last_week = df["date"] > end - pd.Timedelta(days=7)
    # the promoter: a promotion in the last week, monthly sales jump
    promoted = (df["shop"] == p.promoter) & (
        df["item_id"] == df.loc[df["shop"] == p.promoter, "item_id"].iloc[0]
    )
    df.loc[promoted, "title"] = p.promoted_title
    df.loc[promoted, "sales"] = 800
    df.loc[promoted & last_week, "sales"] = 1600
    df.loc[promoted & last_week, "promo"] = (df.loc[promoted & last_week, "price"] * 0.8).round(1)
    # the delister: its best seller is gone from the last snapshot
    top = (df["shop"] == p.delister) & (
        df["item_id"] == df.loc[df["shop"] == p.delister, "item_id"].iloc[1]
    )
    df.loc[top, "title"], df.loc[top, "sales"] = p.delisted_title, 2500
    df = df[~(top & (df["date"] == end))]
    # the undercutter: my hero item's 同款, priced above mine until the last snapshot
    twin = df[(df["shop"] == p.undercutter)].drop_duplicates("date").copy()
    twin["item_id"], twin["title"] = "6690000001", p.undercut_title
    twin["price"], twin["sales"], twin["reviews"] = round(my_price * 1.1, 1), 420, 800
    twin.loc[twin["date"] == end, "price"] = round(my_price * 0.85, 1)
    # the launcher: a batch of new-season items in its last snapshot
    new = _catalogue(rng, 9, p.launches, end).assign(date=end, shop=p.launcher, promo=np.nan)
    new["title"] = [f"2026秋冬新款 {t}" for t in new["title"]]
    new["listed_on"], new["sales"] = end - pd.Timedelta(days=2), rng.integers(5, 40, p.launches)
    return pd.concat([df, twin, new], ignore_index=True).sort_values(["date", "shop", "item_id"])


def _sycm(df: pd.DataFrame, path: Path) -> None:
    out = pd.DataFrame(
        {
            "统计日期": df["date"].dt.strftime("%Y-%m-%d"),
            "店铺名称": df["shop"],
            "商品ID": df["item_id"],
            "商品名称": df["title"],
            "一口价": df["price"].map("{:.2f}".format),
            "到手价": df["promo"].map(lambda v: "-" if pd.isna(v) else f"{v:.2f}"),
            "月销量": df["sales"].map("{:,}".format),
            "累计评价": df["reviews"].map("{:,}".format),
            "上架时间": df["listed_on"].dt.strftime("%Y-%m-%d"),
        }
    )
    title = "生意参谋 > 竞争 > 竞品分析\r\n\r\n"
    path.write_bytes((title + out.to_csv(index=False, lineterminator="\r\n")).encode("gb18030"))


def _dianzhentan(df: pd.DataFrame, out: Path) -> list[Path]:
    written = []
    end = df["date"].max()
    for shop in SIMILAR_SHOPS:
        for back in SNAPSHOT_DAYS_BACK:
            day = end - pd.Timedelta(days=back)
            t = df[(df["shop"] == shop) & (df["date"] == day)]
            if t.empty:
                continue
            written.append(write_dianzhentan(t, out, day))
    return written


def write_dianzhentan(t: pd.DataFrame, out: Path, day, encoding: str = "gb18030") -> Path:
    """One 店侦探 snapshot of one shop on ``day``: the date only in the file name.

    ``t``: one shop's listings (shop, title, item_id, price, sales, reviews, listed_on).
    """
    table = pd.DataFrame(
        {
            "店铺名": t["shop"],
            "宝贝标题": t["title"],
            "宝贝链接": [
                f"https://item.taobao.com/item.htm?spm=a1z10.3&id={i}" for i in t["item_id"]
            ],
            "价格": t["price"].map("{:.2f}".format),
            "30天销量": t["sales"],
            "评价数": t["reviews"],
            "上架时间": t["listed_on"].dt.strftime("%Y-%m-%d"),
        }
    )
    path = out / f"店侦探_{t['shop'].iloc[0]}_{pd.Timestamp(day):%Y%m%d}.csv"
    path.write_bytes(table.to_csv(index=False, lineterminator="\r\n").encode(encoding))
    return path


def _keywords(end: pd.Timestamp, path: Path) -> None:
    import openpyxl

    p = PLANTED_RIVALS
    rows = [
        ("本店", "收纳盒", 5200, 310, 16800),
        ("本店", "挂钩", 2100, 420, 6100),
        ("本店", "压缩袋", 1800, 380, 5200),
        (p.keyword_rival, p.keyword, 7400, 620, 31000),  # converts twice as well as we do
        (p.keyword_rival, "挂钩", 900, 300, 1900),
        ("北欧家居旗舰店", "收纳箱", 9800, 540, 42000),
        ("北欧家居旗舰店", "压缩袋", 2600, 350, 7300),
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "店铺名称", "关键词", "访客指数", "转化指数", "交易指数"])
    for shop, kw, v, c, t in rows:
        sheet.append([f"{end:%Y-%m-%d}", shop, kw, f"{v:,}", f"{c:,}", f"{t:,}"])
    book.save(path)


def _terms(end: pd.Timestamp, path: Path) -> None:
    p = PLANTED_RIVALS
    terms = {  # term: (popularity a week ago, now, online items)
        "收纳箱": (98000, 101000, 1_200_000),
        "收纳盒": (64000, 66500, 830_000),
        p.rising_term: (8200, 16900, 41_000),
        "压缩袋": (30500, 29800, 210_000),
        "挂钩": (21000, 21900, 560_000),
    }
    rows = []
    for back, k in ((7, 0), (0, 1)):
        for term, values in terms.items():
            rows.append(
                [
                    f"{end - pd.Timedelta(days=back):%Y-%m-%d}",
                    term,
                    f"{values[k]:,}",
                    f"{values[2]:,}",
                ]
            )
    table = pd.DataFrame(rows, columns=["统计日期", "搜索词", "搜索人气", "在线商品数"])
    path.write_bytes(table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig"))


def write_rival_exports(out: Path, end, my_hero_price: float, seed: int = SEED) -> list[Path]:
    """Write the sample's rival exports into ``out``; ``my_hero_price``: the undercut item's."""
    end = pd.Timestamp(end)
    rng = np.random.default_rng(seed)
    df = _history(end, my_hero_price, rng)
    paths = [out / "【生意参谋平台】竞争-竞品分析-日.csv"]
    _sycm(df[df["shop"].isin(TOP_SHOPS)], paths[0])
    paths += _dianzhentan(df, out)
    paths.append(out / "竞店分析-入店关键词.xlsx")
    _keywords(end, paths[-1])
    paths.append(out / "市场-搜索排行.csv")
    _terms(end, paths[-1])
    return paths
