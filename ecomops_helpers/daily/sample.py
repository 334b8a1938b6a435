"""The sample shop's daily exports: 生意参谋's shop and item days, sources, plan and reviews.

They hold the incidents the daily review must find (:data:`PLANTED`):

* a hero item's conversion collapses for the last 4 days;
* 直通车 cost per visitor climbs over the last 10 days while its buyers stay flat;
* bounce rate above 70 % for the last 7 days;
* a run of 差评 on another hero item in the last 3 days;
* a third hero item's stock covers fewer days than remain until 双12.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..sample_files import money_text, percent_text, write_csv, write_html_xls, write_xlsx
from .cross_report_sample import with_page_figures
from .peers_sample import peer_export_columns
from .shop_health_sample import review_time_and_reply

__all__ = ["PLANTED", "Catalogue", "generate_daily", "items_export", "write_daily_exports"]

REVIEW_DAYS = 90  # 评价管理 exports cover the recent months

SOURCES = {  # share of visitors, conversion factor, cost model
    "手淘搜索": (0.38, 1.15, None),
    "直通车": (0.16, 1.05, "cpc"),
    "手淘推荐": (0.18, 0.60, None),
    "直接访问": (0.08, 1.70, None),
    "引力魔方": (0.08, 0.55, "cpm"),
    "淘宝客": (0.05, 1.30, "commission"),
    "其他": (0.07, 0.70, None),
}
_NOUNS = [
    "收纳盒",
    "收纳箱",
    "置物架",
    "衣架",
    "压缩袋",
    "抽屉柜",
    "整理袋",
    "挂钩",
    "鞋盒",
    "桌面收纳",
    "内衣收纳",
    "化妆品收纳",
]
_ADJ = ["北欧风", "日式", "加厚", "大号", "可折叠", "透明", "无痕", "多层", "免安装", "防尘"]
_BAD_TEXTS = [
    "质量太差，盖子一压就裂",
    "和图片不符，塑料味很重",
    "用了两天就坏了",
    "做工粗糙，有毛刺",
    "卡扣断了，客服不理人",
    "尺寸不对，退货麻烦",
]
_GOOD_TEXTS = [
    "很结实，装了很多东西",
    "颜色好看，性价比高",
    "物流快，包装好",
    "第二次买了，推荐",
    "容量大，衣柜整齐多了",
]


@dataclass(frozen=True)
class Planted:
    """Where and how big each planted incident is, for tests and the reader."""

    conversion_item: str
    conversion_days: int
    conversion_factor: float
    paid_source: str
    paid_days: int
    bounce_days: int
    bad_review_item: str
    bad_reviews: int
    stock_item: str
    promo_date: date


PLANTED = Planted(
    conversion_item="6510000001",
    conversion_days=4,
    conversion_factor=0.3,
    paid_source="直通车",
    paid_days=10,
    bounce_days=7,
    bad_review_item="6510000002",
    bad_reviews=6,
    stock_item="6510000003",
    promo_date=date(2026, 11, 11),
)


@dataclass(frozen=True)
class Catalogue:
    """The shop's items: IDs, titles and list prices, shared by orders, ads and rivals."""

    item_ids: np.ndarray
    titles: np.ndarray
    price: np.ndarray


def _calendar_factor(days: pd.DatetimeIndex) -> np.ndarray:
    weekday = np.array([0.95, 0.93, 0.94, 0.97, 1.02, 1.10, 1.12])[days.day_of_week]
    trend = np.linspace(0.85, 1.15, len(days))
    boost = np.ones(len(days))
    for year in sorted(set(days.year)):
        for start, peak, factor in (
            (pd.Timestamp(year, 5, 25), pd.Timestamp(year, 6, 18), 1.8),
            (pd.Timestamp(year, 10, 28), pd.Timestamp(year, 11, 11), 3.2),
            (pd.Timestamp(year, 12, 5), pd.Timestamp(year, 12, 12), 1.9),
        ):
            ramp = (days >= start) & (days < peak)
            span = max((peak - start).days, 1)
            boost[ramp] *= 1 + 0.25 * (days[ramp] - start).days.to_numpy() / span
            boost[days == peak] *= factor
            after = (days > peak) & (days <= peak + pd.Timedelta(days=3))
            boost[after] *= 0.8
    return weekday * trend * boost


def generate_daily(
    end: date, days: int, items: int, heroes: int, seed: int
) -> tuple[dict[str, pd.DataFrame], Catalogue]:
    """The shop's daily tables (canonical columns) with the planted incidents, and its items."""
    rng = np.random.default_rng(seed)
    end_ts = pd.Timestamp(end)
    month_end = end_ts + pd.offsets.MonthEnd(0)
    all_days = pd.date_range(end_ts - pd.Timedelta(days=days - 1), month_end, freq="D")
    n_days, n_items = len(all_days), items
    shown = all_days <= end_ts
    last = {k: all_days[shown][-k:] for k in (3, 4, 7, 10)}

    visitors = np.round(4200 * _calendar_factor(all_days) * rng.lognormal(0, 0.06, n_days)).astype(
        int
    )

    item_ids = np.array([f"65100{i + 1:05d}" for i in range(n_items)])
    hero = np.arange(n_items) < heroes
    titles = np.array(
        [f"{_ADJ[i % len(_ADJ)]}{_NOUNS[(i * 7) % len(_NOUNS)]} {i + 1}号" for i in range(n_items)]
    )
    price = np.where(hero, rng.uniform(59, 129, n_items), rng.uniform(19, 299, n_items)).round(1)
    weight = np.where(hero, 0.14, 1.0 / np.arange(1, n_items + 1) ** 0.9)
    weight[~hero] *= 0.44 / weight[~hero].sum() if (~hero).any() else 1
    weight /= weight.sum()
    conv = np.where(hero, rng.uniform(0.055, 0.075, n_items), rng.uniform(0.02, 0.05, n_items))

    item_vis = rng.poisson(np.outer(visitors, weight) * 1.35)
    conv_day = np.tile(conv, (n_days, 1)) * rng.lognormal(0, 0.08, (n_days, n_items))
    promo = _calendar_factor(all_days) / _calendar_factor(all_days).mean()
    conv_day *= np.clip(promo, 1, 1.4)[:, None]
    h1 = int(np.where(item_ids == PLANTED.conversion_item)[0][0]) if heroes else 0
    collapse = all_days.isin(last[PLANTED.conversion_days])
    conv_day[collapse, h1] *= PLANTED.conversion_factor
    buyers = rng.binomial(item_vis, np.clip(conv_day, 0, 1))
    units = buyers + rng.binomial(buyers, 0.15)
    discount = np.where(promo > 1.5, 0.85, 1.0)[:, None]
    gmv = (units * price[None, :] * discount).round(2)
    fav_cart = rng.binomial(item_vis, 0.11)
    refunds = (rng.binomial(buyers, 0.04) * price[None, :]).round(2)

    stock = np.zeros_like(units)
    level = (rng.uniform(20, 45, n_items) * np.maximum(units[:60].mean(axis=0), 1)).astype(int)
    for d in range(n_days):
        level = level - units[d]
        low = level < units[max(0, d - 7) : d + 1].mean(axis=0) * 10
        level = np.where(
            low, level + np.maximum(units[max(0, d - 30) : d + 1].sum(axis=0), 50) * 2, level
        )
        stock[d] = np.maximum(level, 0)
    if heroes >= 3:
        h3 = int(np.where(item_ids == PLANTED.stock_item)[0][0])
        end_i = int(np.where(all_days == end_ts)[0][0])
        daily = units[end_i - 6 : end_i + 1, h3].mean()
        stock[: end_i + 1, h3] = np.maximum(stock[: end_i + 1, h3], 1)
        stock[end_i - 6 : end_i + 1, h3] = (
            np.round(daily * 9)
            + units[end_i - 6 : end_i + 1, h3][::-1].cumsum()[::-1]
            - units[end_i - 6 : end_i + 1, h3]
        )

    items_df = pd.DataFrame(
        {
            "date": np.repeat(all_days, n_items),
            "item_id": np.tile(item_ids, n_days),
            "title": np.tile(titles, n_days),
            "visitors": item_vis.ravel(),
            "paying_buyers": buyers.ravel(),
            "units": units.ravel(),
            "gmv": gmv.ravel(),
            "fav_cart": fav_cart.ravel(),
            "refund_amount": refunds.ravel(),
            "stock": stock.ravel(),
            "is_hero": np.tile(hero, n_days),
        }
    )

    shop_buyers = np.round(buyers.sum(axis=1) * 0.96).astype(int)
    shop_gmv = gmv.sum(axis=1).round(2)
    bounce = np.clip(rng.normal(0.58, 0.02, n_days), 0.45, 0.68)
    bounce[all_days.isin(last[PLANTED.bounce_days])] = rng.uniform(0.72, 0.77, PLANTED.bounce_days)
    ppv = np.clip(rng.normal(3.2, 0.15, n_days) - (bounce - 0.58) * 6, 1.5, None).round(2)
    shop = pd.DataFrame(
        {
            "date": all_days,
            "visitors": visitors,
            "pageviews": np.round(visitors * ppv).astype(int),
            "paying_buyers": shop_buyers,
            "orders": np.round(shop_buyers * 1.04).astype(int),
            "gmv": shop_gmv,
            "bounce_rate": bounce.round(4),
            "pages_per_visit": ppv,
            "avg_stay_s": np.round(rng.normal(52, 4, n_days) - (bounce - 0.58) * 80, 1),
            "fav_buyers": rng.binomial(visitors, 0.05),
            "cart_buyers": rng.binomial(visitors, 0.08),
            "refund_amount": refunds.sum(axis=1).round(2),
            "new_buyers": np.round(shop_buyers * 0.72).astype(int),
        }
    )
    shop["returning_buyers"] = shop["paying_buyers"] - shop["new_buyers"]
    shop["conversion"] = (shop["paying_buyers"] / shop["visitors"]).round(4)
    shop["aov"] = (shop["gmv"] / shop["paying_buyers"].clip(lower=1)).round(2)

    names = list(SOURCES)
    shares = np.array([SOURCES[s][0] for s in names])
    conv_f = np.array([SOURCES[s][1] for s in names])
    src_vis = np.array([rng.multinomial(v, shares) for v in visitors])
    w = src_vis * conv_f
    src_buy = np.array([rng.multinomial(b, p / p.sum()) for b, p in zip(shop_buyers, w)])
    src_gmv = (src_buy / np.maximum(src_buy.sum(axis=1, keepdims=True), 1)) * shop_gmv[:, None]
    src_gmv = src_gmv.round(2)
    src_gmv[:, 0] += (shop_gmv - src_gmv.sum(axis=1)).round(2)
    cpc = rng.normal(1.25, 0.06, n_days)
    paid = all_days.isin(last[PLANTED.paid_days])
    cpc[paid] = np.linspace(1.5, 2.6, PLANTED.paid_days)
    k = names.index(PLANTED.paid_source)
    paid_buyers_mean = src_buy[~paid & shown, k][-21:].mean()
    src_buy[paid, k] = np.round(paid_buyers_mean * rng.uniform(0.95, 1.02, paid.sum()))
    src_vis[paid, k] = np.round(src_vis[paid, k] * np.linspace(1.0, 1.12, paid.sum()))
    cost = np.full(src_vis.shape, np.nan)
    for j, s in enumerate(names):
        model = SOURCES[s][2]
        if model == "cpc":
            cost[:, j] = src_vis[:, j] * cpc
        elif model == "cpm":
            cost[:, j] = src_vis[:, j] * rng.normal(0.75, 0.05, n_days)
        elif model == "commission":
            cost[:, j] = src_gmv[:, j] * 0.08
    sources_df = pd.DataFrame(
        {
            "date": np.repeat(all_days, len(names)),
            "source": np.tile(names, n_days),
            "visitors": src_vis.ravel(),
            "paying_buyers": src_buy.ravel(),
            "gmv": src_gmv.ravel(),
            "cost": cost.round(2).ravel(),
        }
    )

    months = pd.period_range(all_days[0], month_end, freq="M")
    month_gmv = shop.groupby(shop["date"].dt.to_period("M"))["gmv"].sum()
    factor = rng.uniform(0.95, 1.08, len(months))
    factor[-1] = 1.18
    plan = pd.DataFrame(
        {
            "month": months.to_timestamp(),
            "gmv_target": (month_gmv.reindex(months).to_numpy() * factor / 1000).round() * 1000,
            "visitors_target": (
                shop.groupby(shop["date"].dt.to_period("M"))["visitors"].sum().reindex(months)
                * 1.05
            )
            .round(-2)
            .astype(int)
            .to_numpy(),
        }
    )

    reviews = _reviews(rng, all_days[shown][-REVIEW_DAYS:], item_ids, buyers[shown][-REVIEW_DAYS:])
    keep = shop["date"] <= end_ts
    tables = {
        "shop_daily": shop[keep].reset_index(drop=True),
        "traffic_sources": sources_df[sources_df["date"] <= end_ts].reset_index(drop=True),
        "items_daily": with_page_figures(items_df[items_df["date"] <= end_ts]),
        "plan": plan,
        "reviews": reviews,
    }
    return tables, Catalogue(item_ids, titles, price)


def _reviews(rng, days, item_ids, buyers) -> pd.DataFrame:
    counts = rng.binomial(buyers, 0.12)
    d_idx, i_idx = np.nonzero(counts)
    reps = counts[d_idx, i_idx]
    day = np.repeat(days[d_idx], reps)
    item = np.repeat(item_ids[i_idx], reps)
    level = rng.choice(["好评", "中评", "差评"], size=len(day), p=[0.93, 0.05, 0.02])
    recent = day >= days[-7]
    bad_item = item == PLANTED.bad_review_item
    level[recent & bad_item & (level == "差评")] = "好评"  # the planted run is the only one
    text = np.where(
        level == "差评", rng.choice(_BAD_TEXTS, len(day)), rng.choice(_GOOD_TEXTS, len(day))
    )
    df = pd.DataFrame({"date": day, "item_id": item, "rating": level, "text": text})
    planted_days = np.array(days[-3:])[np.arange(PLANTED.bad_reviews) % 3]
    planted = pd.DataFrame(
        {
            "date": planted_days,
            "item_id": PLANTED.bad_review_item,
            "rating": "差评",
            "text": [_BAD_TEXTS[i % len(_BAD_TEXTS)] for i in range(PLANTED.bad_reviews)],
        }
    )
    df = pd.concat([df, planted], ignore_index=True).sort_values(["date", "item_id"], kind="stable")
    return df.reset_index(drop=True)


def items_export(it: pd.DataFrame) -> pd.DataFrame:
    """Canonical item rows as 生意参谋's 商品效果 export writes them (headers, amounts, 是/否)."""
    return pd.DataFrame(
        {
            "统计日期": it["date"].dt.strftime("%Y-%m-%d"),
            "商品ID": it["item_id"],
            "商品名称": it["title"],
            "商品访客数": it["visitors"],
            "支付买家数": it["paying_buyers"],
            "支付件数": it["units"],
            "支付金额(元)": money_text(it["gmv"]),
            "收藏加购人数": it["fav_cart"],
            "成功退款金额(元)": money_text(it["refund_amount"]),
            "库存": it["stock"],
            "主推": np.where(it["is_hero"], "是", "否"),
            "商品详情页跳出率": percent_text(it["bounce_rate"]),
            "平均停留时长": it["avg_stay_s"],
            "商品支付转化率": percent_text(it["paying_buyers"] / it["visitors"].replace(0, np.nan)),
        }
    )


def write_daily_exports(out: Path, shop, end: date) -> list[Path]:
    """Write the daily tables as 生意参谋 and the shop's tools export them; returns the files."""
    written: list[Path] = []
    d = shop.shop_daily.copy()
    start, end_s = d["date"].iloc[0].date(), d["date"].iloc[-1].date()
    daily = pd.DataFrame(
        {
            "统计日期": d["date"].dt.strftime("%Y-%m-%d"),
            "访客数": d["visitors"],
            "浏览量": d["pageviews"],
            "支付金额(元)": money_text(d["gmv"]),
            "支付买家数": d["paying_buyers"],
            "下单买家数": d["orders"],
            "支付转化率": percent_text(d["conversion"]),
            "客单价(元)": d["aov"].map("{:.2f}".format),
            "跳失率": percent_text(d["bounce_rate"]),
            "人均浏览量": d["pages_per_visit"],
            "平均停留时长(秒)": d["avg_stay_s"],
            "商品收藏买家数": d["fav_buyers"],
            "加购人数": d["cart_buyers"],
            "成功退款金额(元)": money_text(d["refund_amount"]),
            "新买家数": d["new_buyers"],
            "老买家数": d["returning_buyers"],
        }
    ).join(peer_export_columns(d))  # downloaded with 同行对比 ticked
    # Two overlapping downloads, as operators make them: the older one ends 5 days into the
    # latest month, the newer one starts on the 1st.
    month_start = pd.Timestamp(end_s).replace(day=1)
    split = month_start + pd.Timedelta(days=5)
    for part, lo, hi in (
        (daily[d["date"] <= split], start, min(split.date(), end_s)),
        (daily[d["date"] >= month_start], month_start.date(), end_s),
    ):
        if part.empty:
            continue
        path = out / f"【生意参谋平台】整体看板-日-{lo}_{hi}.csv"
        write_csv(
            part, path, "gb18030", ["生意参谋 > 取数 > 整体看板", f"统计时间：{lo} ~ {hi}", ""]
        )
        written.append(path)

    s = shop.traffic_sources
    sources = pd.DataFrame(
        {
            "统计日期": s["date"],
            "流量来源": s["source"],
            "访客数": s["visitors"],
            "支付买家数": s["paying_buyers"],
            "支付金额": s["gmv"],
            "花费": s["cost"].where(s["cost"].notna(), "-"),
        }
    )
    path = out / "流量来源构成-日.xlsx"
    write_xlsx(sources, path, title=f"流量来源 {start} 至 {end_s}")
    written.append(path)

    it = shop.items_daily
    items_out = items_export(it)
    for month, part in items_out.groupby(it["date"].dt.strftime("%Y-%m"), sort=True):
        path = out / f"商品效果明细_{month}.csv"
        write_csv(part, path, "utf-8-sig")
        written.append(path)

    p = shop.plan
    plan = pd.DataFrame(
        {
            "月份": p["month"].dt.strftime("%Y年%m月"),
            "目标销售额": p["gmv_target"],
            "目标访客数": p["visitors_target"],
        }
    )
    path = out / "月度目标.xlsx"
    write_xlsx(plan, path)
    written.append(path)

    r = shop.reviews
    timed = review_time_and_reply(r, end, PLANTED.bad_review_item)  # 评价时间 with the hour
    reviews = pd.DataFrame(
        {
            "评价时间": timed["评价时间"],
            "宝贝ID": r["item_id"],
            "评价等级": r["rating"],
            "评价内容": r["text"],
            "解释": timed["解释"],
        }
    )
    path = out / "评价管理_导出.xls"
    write_html_xls(reviews, path)
    written.append(path)
    return written
