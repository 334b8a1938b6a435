"""The sample shop's ad exports, in the layouts the platforms write, with planted cases.

* 直通车 keyword report by day (GB18030, title rows, a 合计 row at the bottom);
* 万相台无界 plan × item × day report, one CSV inside a ZIP;
* Google Ads search-terms report (UTF-16 tab-separated, title and period rows above the
  header, no date column, two currencies, ``Total: …`` rows as Google writes them: the rows
  shown, the ``Other search terms`` it hides, the account, one per campaign type);
* Amazon Sponsored Products search-term report (XLSX, Excel serial dates, ``$`` cells,
  headers with trailing spaces).

The planted cases the paid-ads audit must list (see :data:`PLANTED_ADS`).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..daily.cross_report_sample import with_held_raise

__all__ = ["PLANTED_ADS", "PlantedAds", "write_ad_exports", "keyword_days"]

AD_DAYS = 30
SEED = 20261022


@dataclass(frozen=True)
class PlantedAds:
    """The keywords and search terms planted in the sample's ad exports, and their action."""

    spend_sink: str  # 直通车 keyword: many clicks, no order → pause
    earns_raise: str  # 直通车 keyword: ROAS far above break-even, rank 5 → raise
    thin_data: str  # 直通车 keyword: 1 order in 3 clicks → watch, never raise
    term_to_add: str  # Google Ads search term: converting, not a keyword → add
    term_to_negate: str  # Google Ads search term: spending, no conversion → negative
    losing_plan: str  # 万相台 plan below break-even → budget moves away


PLANTED_ADS = PlantedAds(
    spend_sink="收纳箱 塑料 特价",
    earns_raise="加厚收纳箱",
    thin_data="衣柜收纳 抽屉式 分格",
    term_to_add="stackable storage bins with lids",
    term_to_negate="free storage box",
    losing_plan="新品加速-置物架",
)

# keyword, plan, unit, bid, quality, impressions/day, CTR, CPC, CVR, AOV, rank
_KEYWORDS = [
    ("收纳箱", "日常推广-收纳", "加厚收纳箱 大号", 1.30, 9, 2600, 0.050, 1.18, 0.042, 118, 3.0),
    (
        PLANTED_ADS.earns_raise,
        "日常推广-收纳",
        "加厚收纳箱 大号",
        1.45,
        9,
        1500,
        0.055,
        1.36,
        0.085,
        128,
        5.0,
    ),
    (
        "收纳箱 大号",
        "日常推广-收纳",
        "加厚收纳箱 大号",
        1.10,
        8,
        1800,
        0.045,
        1.02,
        0.040,
        105,
        4.0,
    ),
    (
        "塑料收纳箱 带盖",
        "日常推广-收纳",
        "加厚收纳箱 大号",
        0.95,
        8,
        1200,
        0.040,
        0.90,
        0.036,
        96,
        6.0,
    ),
    (
        PLANTED_ADS.spend_sink,
        "日常推广-收纳",
        "加厚收纳箱 大号",
        0.85,
        7,
        900,
        0.045,
        0.82,
        0.0,
        0,
        7.0,
    ),
    ("衣柜收纳", "日常推广-收纳", "日式收纳盒", 1.00, 8, 1400, 0.042, 0.96, 0.030, 89, 5.0),
    ("收纳盒 桌面", "日常推广-收纳", "日式收纳盒", 0.70, 7, 1100, 0.038, 0.66, 0.020, 62, 8.0),
    ("置物架 落地", "日常推广-收纳", "北欧风置物架", 1.60, 6, 1600, 0.012, 1.52, 0.020, 150, 11.0),
    ("整理箱", "日常推广-收纳", "加厚收纳箱 大号", 0.90, 8, 1000, 0.046, 0.86, 0.038, 99, 5.0),
    ("衣服收纳箱", "日常推广-收纳", "加厚收纳箱 大号", 1.05, 8, 1300, 0.047, 1.00, 0.041, 112, 4.0),
    ("压缩袋", "测款计划", "真空压缩袋", 0.60, 7, 700, 0.040, 0.58, 0.030, 45, 9.0),
    ("抽屉收纳盒", "测款计划", "日式收纳盒", 0.75, 7, 500, 0.036, 0.70, 0.032, 58, 9.0),
]
# term, match type, added/excluded, campaign, ad group, currency, clicks, impr, CPC, conv., value
_GOOGLE_TERMS = [
    (
        PLANTED_ADS.term_to_add,
        "Phrase match",
        "None",
        "US - Storage",
        "Bins",
        "USD",
        140,
        2300,
        0.52,
        9,
        359.10,
    ),
    (
        "storage bins",
        "Exact match",
        "Added",
        "US - Storage",
        "Bins",
        "USD",
        410,
        9800,
        0.61,
        16,
        622.40,
    ),
    (
        PLANTED_ADS.term_to_negate,
        "Broad match",
        "None",
        "US - Storage",
        "Bins",
        "USD",
        96,
        3900,
        0.42,
        0,
        0.0,
    ),
    (
        "storage box with lid",
        "Broad match",
        "None",
        "US - Storage",
        "Bins",
        "USD",
        58,
        1500,
        0.55,
        1,
        39.90,
    ),
    (
        "under bed storage bags",
        "Broad match",
        "None",
        "US - Storage",
        "Bags",
        "USD",
        12,
        640,
        0.47,
        0,
        0.0,
    ),
    (
        "aufbewahrungsbox mit deckel",
        "Phrase match",
        "None",
        "DE - Storage",
        "Boxen",
        "EUR",
        75,
        1900,
        0.38,
        4,
        143.60,
    ),
    (
        "aufbewahrungsbox",
        "Exact match",
        "Added",
        "DE - Storage",
        "Boxen",
        "EUR",
        160,
        4100,
        0.44,
        5,
        174.50,
    ),
]
# campaign, ad group, targeting, match, term, impressions/day, clicks/day, CPC, CVR, price
_AMAZON_TERMS = [
    (
        "SP - Storage - Auto",
        "Auto",
        "*",
        "-",
        "under bed storage containers",
        900,
        16,
        0.64,
        0.11,
        29.99,
    ),
    ("SP - Storage - Auto", "Auto", "*", "-", "b0c7storage", 300, 6, 0.71, 0.0, 29.99),
    (
        "SP - Storage - Exact",
        "Exact",
        "closet organizer",
        "EXACT",
        "closet organizer",
        600,
        11,
        0.92,
        0.07,
        34.99,
    ),
]
_WANXIANGTAI = [  # scene, plan id, plan, item index, impressions/day, CTR, CPC, CVR, AOV
    ("关键词推广", 3302, "拉新-收纳箱", 0, 10000, 0.036, 1.20, 0.062, 126),
    ("货品加速", 3301, PLANTED_ADS.losing_plan, 3, 18000, 0.022, 1.26, 0.011, 98),
    ("人群推广", 3303, "老客复购-衣架", 1, 6000, 0.030, 0.95, 0.030, 105),
]


def _money(values) -> list[str]:
    return [f"{v:,.2f}" for v in values]


def keyword_days(end: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    """The 直通车 keyword rows by day, canonical columns, with the planted keywords."""
    days = pd.date_range(end - pd.Timedelta(days=AD_DAYS - 1), end, freq="D")
    rows = []
    for kw, plan, unit, bid, qs, impr, ctr, cpc, cvr, aov, rank in _KEYWORDS:
        for d in days:
            shown = int(rng.poisson(impr))
            clicks = int(rng.binomial(shown, ctr))
            orders = int(rng.binomial(clicks, cvr)) if cvr else 0
            rows.append(
                {
                    "date": d,
                    "plan": plan,
                    "unit": unit,
                    "keyword": kw,
                    "bid": bid,
                    "quality": qs,
                    "impressions": shown,
                    "clicks": clicks,
                    "cost": round(clicks * cpc * rng.uniform(0.9, 1.1), 2),
                    "rank": round(rank * rng.uniform(0.8, 1.2), 1),
                    "orders": orders,
                    "gmv": round(orders * aov * rng.uniform(0.9, 1.1), 2),
                    "favs": int(rng.binomial(clicks, 0.05)),
                    "carts": int(rng.binomial(clicks, 0.09)),
                }
            )
    thin = [  # three clicks on three days, one order: a 33 % converter on paper only
        (days[-9], 1, 0, 0.0),
        (days[-5], 1, 1, 89.0),
        (days[-2], 1, 0, 0.0),
    ]
    for d, clicks, orders, gmv in thin:
        rows.append(
            {
                "date": d,
                "plan": "测款计划",
                "unit": "日式收纳盒",
                "keyword": PLANTED_ADS.thin_data,
                "bid": 0.65,
                "quality": 6,
                "impressions": 95,
                "clicks": clicks,
                "cost": 0.63 * clicks,
                "rank": 12.0,
                "orders": orders,
                "gmv": gmv,
                "favs": 0,
                "carts": orders,
            }
        )
    return pd.DataFrame(rows).sort_values(["date", "plan", "keyword"], kind="stable")


def _ztc_file(k: pd.DataFrame, path: Path) -> None:
    out = pd.DataFrame(
        {
            "日期": k["date"].dt.strftime("%Y-%m-%d"),
            "计划名称": k["plan"],
            "推广单元": k["unit"],
            "关键词": k["keyword"],
            "出价": k["bid"].map("{:.2f}".format),
            "质量分": k["quality"],
            "展现量": _money(k["impressions"]),
            "点击量": k["clicks"],
            "点击率": [f"{c / i:.2%}" if i else "-" for c, i in zip(k["clicks"], k["impressions"])],
            "花费": _money(k["cost"]),
            "平均点击花费": [f"{c / n:.2f}" if n else "-" for c, n in zip(k["cost"], k["clicks"])],
            "平均展现排名": k["rank"],
            "总成交笔数": k["orders"],
            "总成交金额": _money(k["gmv"]),
            "总收藏数": k["favs"],
            "总购物车数": k["carts"],
            "投入产出比": [f"{g / c:.2f}" if c else "-" for g, c in zip(k["gmv"], k["cost"])],
        }
    )
    cost, gmv = round(k["cost"].sum(), 2), round(k["gmv"].sum(), 2)
    total = {c: "" for c in out.columns}
    total.update(
        {
            "日期": "合计",
            "展现量": f"{k['impressions'].sum():,}",
            "点击量": k["clicks"].sum(),
            "点击率": f"{k['clicks'].sum() / k['impressions'].sum():.2%}",
            "花费": f"{cost:,.2f}",
            "总成交笔数": k["orders"].sum(),
            "总成交金额": f"{gmv:,.2f}",
            "总收藏数": k["favs"].sum(),
            "总购物车数": k["carts"].sum(),
            "投入产出比": f"{gmv / cost:.2f}",
        }
    )
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    first, last = k["date"].min().date(), k["date"].max().date()
    title = f"直通车 > 报表 > 关键词报表\r\n时间：{first} 至 {last}\r\n\r\n"
    body = out.to_csv(index=False, lineterminator="\r\n")
    path.write_bytes((title + body).encode("gb18030"))


def _wanxiangtai_zip(end, items: pd.DataFrame, rng, path: Path) -> None:
    days = pd.date_range(end - pd.Timedelta(days=AD_DAYS - 1), end, freq="D")
    rows = []
    for d in days:
        for scene, plan_id, plan, item, impr, ctr, cpc, cvr, aov in _WANXIANGTAI:
            shown = int(rng.poisson(impr))
            clicks = int(rng.binomial(shown, ctr))
            orders = int(rng.binomial(clicks, cvr))
            gmv = round(orders * aov * rng.uniform(0.9, 1.1), 2)
            cost = round(clicks * cpc * rng.uniform(0.9, 1.1), 2)
            rows.append(
                [
                    d.strftime("%Y-%m-%d"),
                    scene,
                    plan_id,
                    plan,
                    items["item_id"].iloc[item],
                    items["title"].iloc[item],
                    f"{shown:,}",
                    clicks,
                    f"{cost:,.2f}",
                    orders,
                    f"{gmv:,.2f}",
                    f"{gmv * 0.93:,.2f}",
                    int(rng.binomial(clicks, 0.08)),
                    f"{gmv / cost:.2f}" if cost else "-",
                    f"{gmv * 0.93 / cost:.2f}" if cost else "-",
                ]
            )
    header = "日期,场景名字,计划ID,计划名字,主体ID,主体名称,展现量,点击量,花费,总成交笔数,"
    header += "总成交金额,净成交金额,总购物车数,投入产出比,实际投产比"
    table = pd.DataFrame(rows, columns=header.split(","))
    text = "\ufeff" + table.to_csv(index=False, lineterminator="\r\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        name = f"万相台无界_计划报表_{days[0]:%Y-%m-%d}_{days[-1]:%Y-%m-%d}.csv"
        z.writestr(name, text.encode("utf-8"))
    path.write_bytes(buf.getvalue())


def _google_search_terms(end: pd.Timestamp, path: Path) -> None:
    first = end - pd.Timedelta(days=AD_DAYS - 1)
    head = [
        "Search term",
        "Match type",
        "Added/Excluded",
        "Campaign",
        "Ad group",
        "Clicks",
        "Impr.",
        "CTR",
        "Currency code",
        "Avg. CPC",
        "Cost",
        "Conv. rate",
        "Conversions",
        "Conv. value",
        "Cost / conv.",
    ]
    lines = [
        ["Search terms report"],
        [f"{first:%B} {first.day}, {first.year} - {end:%B} {end.day}, {end.year}"],
        head,
    ]
    cost_sum = clicks_sum = impr_sum = conv_sum = value_sum = 0.0
    for term, match, added, camp, group, cur, clicks, impr, cpc, conv, value in _GOOGLE_TERMS:
        cost = round(clicks * cpc, 2)
        lines.append(
            [
                term,
                match,
                added,
                camp,
                group,
                f"{clicks:,}",
                f"{impr:,}",
                f"{clicks / impr:.2%}",
                cur,
                f"{cpc:.2f}",
                f"{cost:,.2f}",
                f"{conv / clicks:.2%}",
                f"{conv:.2f}",
                f"{value:,.2f}",
                f"{cost / conv:.2f}" if conv else " --",
            ]
        )
        cost_sum += cost  # the account total adds the currencies up, as Google's does
        clicks_sum += clicks
        impr_sum += impr
        conv_sum += conv
        value_sum += value
    # As Google writes them: the rows shown, the terms it hides below its privacy threshold,
    # the account (both), then one subtotal per campaign type.
    shown = {"clicks": clicks_sum, "impr": impr_sum, "cost": cost_sum, "conv": conv_sum}
    shown["value"] = value_sum
    hidden = {"clicks": 37, "impr": 0, "cost": 18.35, "conv": 1, "value": 39.90}
    account = {k: shown[k] + hidden[k] for k in shown}
    zero = dict.fromkeys(shown, 0)
    for label, t in (
        ("Total: Search terms", shown),
        ("Total: Other search terms", hidden),
        ("Total: Account", account),
        ("Total: Search", account),
        ("Total: Performance Max", zero),
    ):
        lines.append(
            [
                label,
                "--",
                "--",
                "--",
                "--",
                f"{t['clicks']:,.0f}",
                f"{t['impr']:,.0f}",
                f"{t['clicks'] / t['impr']:.2%}" if t["impr"] else "--",
                " --",
                "--",
                f"{t['cost']:,.2f}",
                "--",
                f"{t['conv']:.2f}",
                f"{t['value']:,.2f}",
                "--",
            ]
        )
    text = "\r\n".join("\t".join(line) for line in lines) + "\r\n"
    path.write_bytes(text.encode("utf-16"))


def _amazon_search_terms(end: pd.Timestamp, rng, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "Date",
            "Portfolio name",
            "Currency",
            "Campaign Name",
            "Ad Group Name",
            "Targeting",
            "Match Type",
            "Customer Search Term",
            "Impressions",
            "Clicks",
            "Click-Thru Rate (CTR)",
            "Cost Per Click (CPC)",
            "Spend",
            "7 Day Total Sales ",
            "Total Advertising Cost of Sales (ACoS) ",
            "Total Return on Advertising Spend (RoAS)",
            "7 Day Total Orders (#)",
            "7 Day Total Units (#)",
            "7 Day Conversion Rate",
        ]
    )
    serial0 = (end - pd.Timestamp("1899-12-30")).days
    for back in range(13, -1, -1):
        for camp, group, target, match, term, impr, clicks, cpc, cvr, price in _AMAZON_TERMS:
            shown = int(rng.poisson(impr))
            n = int(rng.poisson(clicks))
            orders = int(rng.binomial(n, cvr))
            spend, sales = round(n * cpc, 2), round(orders * price, 2)
            sheet.append(
                [
                    serial0 - back,  # a date cell that lost its format: an Excel serial
                    "Not grouped",
                    "USD",
                    camp,
                    group,
                    target,
                    match,
                    term,
                    shown,
                    n,
                    round(n / shown, 4) if shown else 0,
                    f"${cpc:.2f}",
                    f"${spend:,.2f}",
                    f"${sales:,.2f}",
                    round(spend / sales, 4) if sales else None,
                    round(sales / spend, 2) if spend else 0,
                    orders,
                    orders,
                    round(orders / n, 4) if n else 0,
                ]
            )
    book.save(path)


def write_ad_exports(out: Path, end, items: pd.DataFrame, seed: int = SEED) -> list[Path]:
    """Write the sample's ad exports into ``out``; ``items``: item_id and title of the shop."""
    end = pd.Timestamp(end)
    rng = np.random.default_rng(seed)
    first = end - pd.Timedelta(days=AD_DAYS - 1)
    paths = {
        "ztc": out / f"直通车_关键词报表_{first:%Y%m%d}_{end:%Y%m%d}.csv",
        "wxt": out / "万相台无界_计划报表.zip",
        "google": out / "Search terms report.csv",
        "amazon": out / "Sponsored_Products_Search_term_report.xlsx",
    }
    _ztc_file(with_held_raise(keyword_days(end, rng), items), paths["ztc"])
    _wanxiangtai_zip(end, items, rng, paths["wxt"])
    _google_search_terms(end, paths["google"])
    _amazon_search_terms(end, rng, paths["amazon"])
    return list(paths.values())
