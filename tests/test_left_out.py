"""A file is the unit of failure: one unusable file is left out and named, the rest runs."""

import pytest

from ecomops_helpers.errors import MissingExportError
from ecomops_helpers.exports import ExportFolder, near_miss_error
from ecomops_helpers.exports.platforms import platform_of
from ecomops_helpers.page.i18n import Messages, source_warnings
from ecomops_helpers.run.cli import main
from ecomops_helpers.run.runner import _scan, run_reports

# a file of each of four kinds, one required column short (what lands in a Taobao shop's folder)
STRAYS = {
    # Amazon's Sales and Traffic by Date without its sessions: sales, no visitors
    "amazon_by_date_no_sessions.csv": (
        "shop_daily",
        "Date,Ordered Product Sales,Units Ordered,Total Order Items,Unit Session Percentage\n"
        '10/20/26,"$1,200.00",50,48,2.5%\n10/21/26,$900.00,40,39,3.1%\n',
    ),
    # 商品效果 without 支付金额, holding a day no other item file covers
    "商品效果_无金额.csv": (
        "items_daily",
        "统计日期,商品ID,商品名称,商品访客数\n2026-10-22,6630000001,收纳盒,40\n",
    ),
    # a rival snapshot without prices
    "店侦探_北欧家居_20261021.csv": (
        "competitor_listings",
        "店铺,商品名称,月销量\n北欧家居,收纳盒,12\n",
    ),
    # a keyword report without 花费
    "关键词报表_无花费.csv": (
        "ad_keywords",
        "推广计划名称,关键词,展现量,点击量\n计划A,收纳盒,100,5\n",
    ),
}

# the reports that read each kind, where a left-out file of it must be named at the top
CLAIMED_BY = {
    "shop_daily": ("daily_review", "paid_ads_audit"),
    "items_daily": ("daily_review", "competitor_tracking"),
    "competitor_listings": ("competitor_tracking",),
    "ad_keywords": ("paid_ads_audit",),
}


def _with(sample_links, names) -> object:
    """The sample shop's files (linked: parsed once a session) and the stray files ``names``."""
    shop = sample_links("shop")
    for name in names:
        (shop / name).write_text(STRAYS[name][1], encoding="gb18030")
    return shop


@pytest.mark.parametrize("name", sorted(STRAYS))
def test_one_stray_file_is_left_out_and_every_report_can_run(sample_links, name, capsys):
    shop = _with(sample_links, [name])
    sources = {n: p for n, p in _notebooks().items()}
    skip, unused = _scan(sources, shop, "auto", Messages("en"))
    assert skip == {n: "" for n in sources}  # no report is lost to the file
    assert any(line.startswith(f"left out: {name} ({STRAYS[name][0]})") for line in unused)
    assert main(["check", "--data", str(shop)]) == 2  # a file left out: check says so
    out = capsys.readouterr().out
    assert f"left out: {name} ({STRAYS[name][0]})" in out
    assert "ERROR" not in out and "1 left out" in out


def _notebooks():
    from ecomops_helpers.paths import NOTEBOOKS_DIR
    from ecomops_helpers.run.runner import available_notebooks

    return {n: NOTEBOOKS_DIR / f"{n}.ipynb" for n in available_notebooks()}


def test_all_stray_files_together_four_reports_each_file_named_where_the_user_looks(
    sample_links,
):
    shop = _with(sample_links, list(STRAYS))
    said = []
    run = run_reports(shop, "2026-10-21", shop / "reports", lang="en", progress=said.append)
    assert [r.status for r in run.reports] == ["ok"] * 4, [r.error for r in run.reports]
    index = (run.folder / "index.html").read_text(encoding="utf-8")
    printed = "\n".join(said)
    for name, (kind, _) in STRAYS.items():
        assert f"left out: {name} ({kind})" in printed  # the CLI line
        assert f"left out: {name} ({kind})" in index  # the index
        for report in CLAIMED_BY[kind]:  # the top of every report whose kind it claimed
            result = next(r for r in run.reports if r.name == report)
            assert any(name in w for w in result.warnings), (report, result.warnings)
            page = (run.folder / f"{report}.html").read_text(encoding="utf-8")
            body = page[page.index("<body") :]
            first_chart = body.find("<img")  # the warnings sit above every chart and table
            assert -1 < body.find(name) < (first_chart if first_chart > 0 else len(body))
    daily = next(r for r in run.reports if r.name == "daily_review")
    items = next(w for w in daily.warnings if "商品效果_无金额.csv" in w)
    assert "only it held the rows of 2026-10-22" in items


def test_a_file_with_a_bad_cell_is_left_out_and_its_days_named(export_dir):
    head = "统计日期,访客数,支付买家数,支付金额\n"
    (export_dir / "整体看板_1.csv").write_text(
        head + "2026-10-01,100,5,500\n2026-10-02,110,6,600\n2026-10-03,120,7,700\n",
        encoding="gb18030",
    )
    (export_dir / "整体看板_2.csv").write_text(
        head + "2026-10-03,120,7,700\n2026-10-04,abc,7,700\n2026-10-05,90,3,300\n",
        encoding="gb18030",
    )
    folder = ExportFolder(export_dir, cache=None)
    df = folder.load("shop_daily")
    assert len(df) == 3  # the usable file's days, nothing of the broken one
    gone = folder.left_out["整体看板_2.csv"]
    assert gone.kind == "shop_daily" and "column '访客数' (visitors), row 3" in gone.reason
    assert [d.isoformat() for d in gone.uncovered] == ["2026-10-04", "2026-10-05"]
    zh, en = (source_warnings(Messages(lang), folder) for lang in ("zh", "en"))
    assert "整体看板_2.csv" in zh[0] and "2026-10-04 … 2026-10-05" in zh[0]
    assert "incomplete" in en[0] and "2026-10-04 … 2026-10-05" in en[0]


def test_a_kind_whose_every_file_is_left_out_is_missing_with_their_reasons(export_dir):
    (export_dir / "整体看板.csv").write_text(
        "统计日期,访客数,支付买家数,支付金额\n2026-10-01,abc,5,500\n", encoding="gb18030"
    )
    folder = ExportFolder(export_dir, cache=None)
    with pytest.raises(MissingExportError, match=r"整体看板.csv: column '访客数'"):
        folder.load("shop_daily")
    df, why = folder.load_optional("shop_daily")
    assert df is None and "整体看板.csv" in why


def test_check_lists_every_left_out_file_not_only_the_first(export_dir, capsys):
    for name in ("amazon_by_date_no_sessions.csv", "关键词报表_无花费.csv"):
        (export_dir / name).write_text(STRAYS[name][1], encoding="utf-8")
    (export_dir / "整体看板.csv").write_text(
        "统计日期,访客数,支付买家数,支付金额\n2026-10-01,100,5,500\n", encoding="utf-8"
    )
    assert main(["check", "--data", str(export_dir)]) == 2
    out = capsys.readouterr().out
    assert "left out: amazon_by_date_no_sessions.csv (shop_daily)" in out
    assert "left out: 关键词报表_无花费.csv (ad_keywords)" in out
    assert "shop_daily                   1 row from 1 file(s)" in out
    assert out.rstrip().endswith("1 file(s) read, 2 left out, 0 not recognised, 0 error(s)")


def test_skipped_report_page_shows_the_reason_never_a_traceback(export_dir, tmp_path):
    (export_dir / "整体看板.csv").write_text(
        "统计日期,访客数,支付买家数,支付金额\n2026-10-01,abc,5,500\n", encoding="gb18030"
    )
    run = run_reports(
        export_dir, "2026-10-01", tmp_path / "out", ["daily_review"], progress=lambda _: None
    )
    (daily,) = run.reports
    assert daily.status == "skipped" and "整体看板.csv" in daily.error
    page = (run.folder / "daily_review.html").read_text(encoding="utf-8")
    assert "整体看板.csv: column" in page and "此报告已跳过" in page
    assert "Traceback" not in page and "NoUsableExportError" not in page


def _headers(line: str) -> list[str]:
    return line.split(",")


@pytest.mark.parametrize(
    "headers, platform",
    [
        ("统计日期,访客数,支付买家数", "生意参谋 / 直通车"),
        ("Day,Sessions,Added to cart,Reached checkout,Sessions converted", "Shopify"),
        ("Day,Orders,Gross sales,Discounts,Returns,Net sales,Total sales", "Shopify"),
        (
            "(Parent) ASIN,(Child) ASIN,Title,Sessions - Total,Page Views - Total,"
            "Units Ordered,Unit Session Percentage,Ordered Product Sales",
            "Amazon Seller Central",
        ),
        (
            "Session default channel group,Sessions,Engaged sessions,Engagement rate",
            "Google Analytics 4",
        ),
        ("Day,Campaign,Impr.,Clicks,Cost,Conv. value", "Google Ads"),
        ("Date,Visitors,Notes", None),
    ],
)
def test_platform_of_a_file_from_its_headers(headers, platform):
    found = platform_of(_headers(headers))
    assert (found.name if found else None) == platform


def _near(export_dir, name: str, text: str):
    (export_dir / name).write_text(text, encoding="utf-8")
    (info,) = ExportFolder(export_dir, cache=None).files
    assert info.near_miss
    return str(near_miss_error(info))


def test_advice_to_tick_columns_only_where_the_platform_lets_a_user_tick_them(export_dir):
    taobao = _near(export_dir, "a.csv", "统计日期,访客数,支付买家数\n2026-10-01,100,5\n")
    assert "Export it again with those columns ticked" in taobao
    (export_dir / "a.csv").unlink()
    amazon = _near(export_dir, "b.csv", STRAYS["amazon_by_date_no_sessions.csv"][1])
    assert "ticked" not in amazon
    assert "Amazon Seller Central's Business Reports" in amazon
    assert "not of a shop_daily export" in amazon and "sessions - total" in amazon.lower()
    (export_dir / "b.csv").unlink()
    unknown = _near(export_dir, "c.csv", "Date,Visitors,Notes\n2026-10-01,100,x\n")
    assert "ticked" not in unknown and "not those of a platform ecomops knows" in unknown


def test_check_refuses_two_currencies_in_one_report_as_run_does(export_dir, capsys):
    (export_dir / "daily.csv").write_text(
        'Date,Visitors,Buyers,Sales\n2026-10-01,100,5,"$500.00"\n', encoding="utf-8"
    )
    (export_dir / "sources.csv").write_text(
        "Date,Source,Visitors,Buyers,Revenue\n2026-10-01,Search,60,3,£300.00\n", encoding="utf-8"
    )
    assert main(["check", "--data", str(export_dir)]) == 2
    out = capsys.readouterr().out
    assert "currency ERROR (daily_review)" in out and "more than one currency" in out


def _break_last_row(path, encoding, cell):
    """The file with a count in its last row made unreadable (a broken download)."""
    lines = path.read_bytes().decode(encoding).splitlines()
    cells = lines[-1].split(",")
    cells[cell] = "abc"
    lines[-1] = ",".join(cells)
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))


def test_a_day_only_a_left_out_file_held_is_never_shown_as_whole(shop_only):
    from ecomops_helpers.daily.review import build_daily_review

    _break_last_row(shop_only / "商品效果明细_2026-10.csv", "utf-8-sig", 3)
    review = build_daily_review(shop_only, "2026-10-21", lang="en")
    assert review.items is None  # no hero table from a day with no usable item rows
    assert (
        "the item" in review.missing["items_daily"]
        and "2026-10-21" in review.missing["items_daily"]
    )
    assert any("商品效果明细_2026-10.csv" in w for w in review.warnings)
    daily = next(shop_only.glob("*2026-10-01_2026-10-21.csv"))
    _break_last_row(daily, "gb18030", 1)
    with pytest.raises(MissingExportError, match="2026-10-07"):
        build_daily_review(shop_only, "2026-10-07", lang="en")


# headers as Shopify and Amazon Seller Central write them (copied from public code that reads
# these downloads: Shopify's sessions by day, Amazon's Sales and Traffic by date and by child)
REAL_FOREIGN = {
    "Online_store_sessions_by_day.csv": "Day,Online store visitors,Sessions,Sessions with cart "
    "additions,Sessions that reached checkout,Sessions that completed checkout,Average session "
    "duration,Pageviews\n2026-10-21,398,511,28,10,7,41,1760\n",
    "BusinessReport-10-21-26.csv": "Date,Ordered Product Sales,Ordered Product Sales - B2B,Units "
    "Ordered,Units Ordered - B2B,Total Order Items,Total Order Items - B2B,Sessions - Total,"
    'Sessions - Total - B2B,Order Item Session Percentage\n01/04/26,"₹75,565.26",₹0.00,39,0,38,'
    '0,"1,514",30,2.51%\n',
    "BusinessReport_child.csv": "(Parent) ASIN,(Child) ASIN,Title,SKU,Sessions - Total,Page "
    "Views - Total,Featured Offer (Buy Box) Percentage,Units Ordered,Unit Session Percentage,"
    'Ordered Product Sales\nB0CKPQNSHN,B096MCMDPL,"Cast Net, 3ft",5K-SC4U-PO06,"12,131",'
    '"17,004",99.80%,683,5.63%,"$12,905.25"\n',
}


def test_real_shopify_and_amazon_reports_in_a_taobao_folder_are_read_and_the_mix_refused(
    export_dir, capsys
):
    """Shopify and Amazon reports are kinds of their own now: read, and never added to yuan."""
    for name, text in REAL_FOREIGN.items():
        (export_dir / name).write_text(text, encoding="utf-8")
    (export_dir / "整体看板.csv").write_text(
        "统计日期,访客数,支付买家数,支付金额\n2026-10-21,100,5,500\n", encoding="utf-8"
    )
    assert main(["check", "--data", str(export_dir)]) == 2
    out = capsys.readouterr().out
    assert "store_sessions               1 row from 1 file(s)" in out
    money = next(ln for ln in out.splitlines() if "currency ERROR (daily_review)" in ln)
    assert "INR (BusinessReport-10-21-26.csv)" in money and "CNY (整体看板.csv)" in money
    child = next(ln for ln in out.splitlines() if "BusinessReport_child.csv" in ln)
    assert child.startswith("  left out:") and "ChildItem_2026-10-21.csv" in child
