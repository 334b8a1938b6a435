import json
import os
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import pandas as pd
import pytest

from ecomops_helpers.daily.sample import PLANTED
from ecomops_helpers.page.actions import keep_numbers_whole
from ecomops_helpers.paths import NOTEBOOKS_DIR, ROOT
from ecomops_helpers.run.cli import main
from ecomops_helpers.sample import generate_shop

BIN = Path(sys.executable).parent  # the venv's console scripts: ecomops, papermill


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _ecomops_run(cwd: Path, data: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """The installed `ecomops run` with --data and --out relative to ``cwd``, run from there."""
    before = _tree(NOTEBOOKS_DIR)
    relative = ["--data", os.path.relpath(data, cwd), "--out", os.path.relpath(out, cwd)]
    proc = subprocess.run(
        [str(BIN / "ecomops"), "run", *relative, *extra], cwd=cwd, capture_output=True, text=True
    )
    assert _tree(NOTEBOOKS_DIR) == before, "the run wrote under notebooks/"
    return proc


@pytest.fixture(scope="module")
def daily_run(sample_dir, tmp_path_factory):
    """`ecomops run` as cron calls it: relative --data and --out, from another directory."""
    cron = tmp_path_factory.mktemp("cron")
    out = tmp_path_factory.mktemp("reports")
    proc = _ecomops_run(cron, sample_dir, out)
    assert _tree(cron) == set(), "the run wrote into the caller's directory"
    return proc.returncode, out


def _files_the_actions_name(actions: list[dict]) -> list[str]:
    return [m for a in actions for m in re.findall(r"segments/\S+\.csv", a["action"])]


def test_relative_paths_from_the_repository_root_keep_the_id_files(sample_dir, tmp_path):
    """The README's `ecomops run --data … --out …` from the repository root, paths relative."""
    proc = _ecomops_run(
        ROOT, sample_dir, tmp_path / "reports", "--notebooks", "customer_segmentation"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    day = tmp_path / "reports" / "2026-10-21"
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        ".ecomops-output",
        ".ecomops.lock",
        "2026-10-21",
    ]
    nb = json.loads((day / "customer_segmentation.ipynb").read_text(encoding="utf-8"))
    named = _files_the_actions_name(_actions(nb))
    assert named and all((day / f).is_file() for f in named)
    assert len(list((day / "segments").glob("rfm_*.csv"))) >= 5
    index = proc.stdout.strip().splitlines()[-1]
    assert index == f"index: {day.resolve() / 'index.html'}"


def test_readme_papermill_line_runs_from_the_repository_root(tmp_path):
    """`papermill notebooks/daily_review.ipynb out.ipynb -k ecomops -p report_date …` as written."""
    out = os.path.relpath(tmp_path / "out.ipynb", ROOT)
    proc = subprocess.run(
        [str(BIN / "papermill"), "notebooks/daily_review.ipynb", out, "-k", "ecomops"]
        + ["-p", "report_date", "2026-10-21", "--no-progress-bar"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    nb = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    assert _actions(nb), "the bundled sample's action list"


def _actions(nb: dict) -> list[dict]:
    return next(
        o["data"]["application/vnd.ecomops.actions+json"]
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if "application/vnd.ecomops.actions+json" in o.get("data", {})
    )


def test_daily_review_on_the_sample_names_every_planted_incident(daily_run):
    code, out = daily_run
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".ecomops-output",
        ".ecomops.lock",
        "2026-10-21",
    ]
    day = out / "2026-10-21"  # --date defaults to the last date in the exports
    html = (day / "daily_review.html").read_text(encoding="utf-8")
    index = (day / "index.html").read_text(encoding="utf-8")
    nb = json.loads((day / "daily_review.ipynb").read_text(encoding="utf-8"))
    actions = next(
        o["data"]["application/vnd.ecomops.actions+json"]
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if "application/vnd.ecomops.actions+json" in o.get("data", {})
    )
    by_area = {}
    for a in actions:
        by_area.setdefault(a["area"], []).append(a)
    # 1. hero item 1's conversion collapsed 4 days ago
    conv = by_area["conversion"][0]
    assert (
        "北欧风收纳盒 1号" in conv["what"] and f"（{PLANTED.conversion_days} 天）" in conv["since"]
    )
    # 2. 直通车 cost up while buyers are not
    assert any(PLANTED.paid_source in a["what"] for a in by_area["traffic"])
    # 3. bounce over 70 % for 7 days
    bounce = next(a for a in by_area["page"] if "跳失率" in a["what"])
    assert "> 70.0%" in bounce["rule"] and f"连续 {PLANTED.bounce_days} 天" in bounce["rule"]
    # 4. run of bad reviews on hero item 2
    assert f"差评 {PLANTED.bad_reviews} 条" in by_area["reviews"][0]["rule"]
    # 5. stock of hero item 3 short of the promotion
    assert "加厚置物架 3号" in by_area["stock"][0]["what"]
    assert "距 11月11日 周三 大促" in by_area["stock"][0]["rule"]
    # the plan gap, and the action list both at the top of the report and in the index
    assert by_area["plan"]
    for a in actions:  # on its team's list
        assert keep_numbers_whole(a["what"]) in index
    assert html.index("ecomops-actions") < html.index("<img")
    assert "Warning" not in html and "Glyph" not in html


def test_check_reports_what_it_found(sample_dir, capsys):
    assert main(["check", "--data", str(sample_dir)]) == 0
    out = capsys.readouterr().out
    assert "shop_daily" in out and "365 rows from 2 file(s)" in out
    assert "items_daily" in out and "14,600 rows from 13 file(s)" in out


def test_check_names_file_column_and_row_of_a_broken_export(export_dir, capsys):
    (export_dir / "整体看板.csv").write_text(
        "统计日期,访客数,支付买家数,支付金额,跳失率\n2026-10-01,100,5,500,64%\n"
        "2026-10-02,100,5,500,174%\n",
        encoding="gb18030",
    )
    (export_dir / "notes.csv").write_text("备注,内容\n1,2\n", encoding="utf-8")
    assert main(["check", "--data", str(export_dir)]) == 2
    out = capsys.readouterr().out
    assert "left out: 整体看板.csv (shop_daily) — column '跳失率' (bounce_rate), row 3" in out
    assert "found 1.74" in out
    assert "Days no other file covers: 2026-10-01 … 2026-10-02." in out
    assert "not recognised: notes.csv — headers: 备注, 内容" in out


def test_run_on_a_missing_folder_is_an_error(tmp_path, capsys):
    assert main(["run", "--data", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_sample_command_writes_a_shop(tmp_path, capsys):
    assert main(["sample", "--out", str(tmp_path), "--days", "60", "--items", "12"]) == 0
    assert main(["check", "--data", str(tmp_path)]) == 0
    assert "60 rows" in capsys.readouterr().out


def test_the_project_has_the_daily_review():
    assert (NOTEBOOKS_DIR / "daily_review.ipynb").exists()


def test_report_without_optional_exports_says_why_sections_are_hidden(
    sample_links, tmp_path, capsys
):
    shop_only = sample_links("shop_only", ("【生意参谋平台】", "商品效果"))  # daily, item exports
    asked = ["--notebooks", "daily_review,paid_ads_audit,customer_segmentation"]  # asserted on
    assert main(["run", "--data", str(shop_only), "--out", str(tmp_path), *asked]) == 0
    out = capsys.readouterr().out
    assert "customer_segmentation: skipped in 0.0 s — 没有订单导出（shop_only）" in out
    assert "paid_ads_audit: skipped in 0.0 s — 没有关键词报表/搜索词报表/计划报表导出" in out
    assert re.search(r"done \(skipped: [a-z_, ]*customer_segmentation", out)
    index = next(tmp_path.glob("*/index.html")).read_text(encoding="utf-8")
    assert "跳过" in index and "没有订单导出" in index
    html = next(tmp_path.glob("*/daily_review.html")).read_text(encoding="utf-8")
    assert "本节已隐藏：没有月度计划导出（shop_only）。" in html
    assert "本节已隐藏：没有流量来源导出（shop_only）。" in html
    en = tmp_path / "en"
    args = ["run", "--data", str(shop_only), "--out", str(en), "--lang", "en"]
    assert main([*args, "--notebooks", "daily_review"]) == 0
    html = next(en.glob("*/daily_review.html")).read_text(encoding="utf-8")
    assert "Section hidden: no traffic sources export in shop_only." in html


def test_customer_report_lists_the_planted_groups_with_their_id_files(daily_run, sample_dir):
    code, out = daily_run
    day = out / "2026-10-21"
    nb = json.loads((day / "customer_segmentation.ipynb").read_text(encoding="utf-8"))
    assert all((day / f).is_file() for f in _files_the_actions_name(_actions(nb)))
    actions = {a["action"].split()[-1]: a for a in _actions(nb) if a["area"] == "crm"}
    planted = generate_shop().planted_customers
    for file, ids in [
        ("segments/at_risk_high_value.csv", planted.lapsing_vip),
        ("segments/second_purchase_window.csv", planted.second_window),
        ("segments/cart_abandoners.csv", planted.cart_abandoners),
        ("segments/coupon_unused.csv", planted.coupon_unused),
    ]:
        assert file in actions, file
        listed = pd.read_csv(day / file, dtype={"customer_id": str})["customer_id"]
        assert set(ids) <= set(listed)
        assert f"{len(listed)} 人" in actions[file]["what"]
    html = (day / "customer_segmentation.html").read_text(encoding="utf-8")
    index = (day / "index.html").read_text(encoding="utf-8")
    assert "高价值老客流失风险" in index
    # no full customer ID, name or phone number reaches the HTML report
    orders = pd.read_csv(next(sample_dir.glob("ExportOrderList*")), encoding="gb18030", dtype=str)
    for value in list(orders["买家会员名"].unique()[:300]) + list(orders["联系手机"][:50]):
        assert value not in html
    assert "先生" not in html
    assert "Warning" not in html and "Glyph" not in html and "Traceback" not in html


SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Id,Tags,Risk Level,Source,Lineitem discount,Phone,Vendor\n"
)


def test_a_quiet_days_header_only_orders_export(export_dir, tmp_path, capsys):
    (export_dir / "orders_export.csv").write_text(SHOPIFY_HEADER, encoding="utf-8")
    assert main(["check", "--data", str(export_dir)]) == 0
    out = capsys.readouterr().out
    assert "orders" in out and "0 rows" in out and "header only" in out
    assert out.rstrip().endswith("1 file(s) read, 0 left out, 0 not recognised, 0 error(s)")
    args = ["run", "--data", str(export_dir), "--out", str(tmp_path / "r")]
    code = main(
        args + ["--date", "2026-10-21", "--notebooks", "customer_segmentation", "--lang", "en"]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "customer_segmentation: skipped" in out
    assert "the orders export has 0 rows (header only: orders_export.csv)" in out
    assert "Traceback" not in out + err
    assert main(args) == 2  # no date to default to: a clear error, no traceback
    out, err = capsys.readouterr()
    assert "error: no export with dated rows" in err and "Traceback" not in out + err


@pytest.mark.parametrize(
    "files,code,summary,detail",
    [
        (
            {"notes.csv": "备注,内容\n1,2\n"},
            2,
            "0 file(s) read, 0 left out, 1 not recognised, 0 error(s)",
            "",
        ),
        (
            {
                "a.csv": "统计日期,访客数,支付买家数,支付金额\n2026-10-01,1,0,0\n",
                "b.csv": "日期,备注\n1,2\n",
            },
            2,
            "1 file(s) read, 0 left out, 1 not recognised, 0 error(s)",
            "not recognised: b.csv — headers: 日期, 备注 (closest kind: shop_daily, which needs "
            "visitors, gmv, paying_buyers or units or orders)",
        ),
        (
            {"a.csv": "统计日期,访客数,支付买家数,支付金额\n2026-10-01,1,0,0\n"},
            0,
            "1 file(s) read",
            "",
        ),
        (
            {"broken.xlsx": "PK\x03\x04 not a zip"},
            2,
            "0 file(s) read, 0 left out, 0 not recognised, 1 error(s)",
            "unreadable: broken.xlsx",
        ),
    ],
    ids=["nothing recognised", "one not recognised", "all read", "unreadable"],
)
def test_check_counts_and_exit_codes(export_dir, capsys, files, code, summary, detail):
    for name, text in files.items():
        (export_dir / name).write_text(text, encoding="utf-8")
    assert main(["check", "--data", str(export_dir)]) == code
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1].startswith(summary)
    assert detail in out


def test_broken_optional_export_hides_its_sections_and_warns(
    sample_dir, sample_links, tmp_path, capsys
):
    shop = sample_links("shop", ("ExportOrderList",))
    log = shop / "UserBehavior.csv"
    log.write_bytes((sample_dir / log.name).read_bytes())  # a copy: a line is added to it
    rows = log.read_text(encoding="utf-8").count("\n")
    with log.open("a", encoding="utf-8") as fh:  # an action code the reader does not know
        fh.write("tb000001,6510000010,鞋盒,share,1790006785\n")
    (shop / "notes.csv").write_text("备注,内容\n1,2\n", encoding="utf-8")
    code = main(["run", "--data", str(shop), "--out", str(tmp_path / "r"), "--lang", "en"])
    out = capsys.readouterr().out
    why = f"column 'behavior' (behavior), row {rows + 1}: expected one of"
    assert code == 0, out
    assert "left out UserBehavior.csv (behaviour log)" in out
    assert "customer_segmentation: ok" in out and "1 warning(s)" in out and why in out
    assert "not recognised: notes.csv" in out
    day = tmp_path / "r" / "2026-10-21"
    index = (day / "index.html").read_text(encoding="utf-8")
    assert "Files not used" in index and "notes.csv" in index
    assert escape(why) in index
    html = (day / "customer_segmentation.html").read_text(encoding="utf-8")
    assert html.count(why) >= 2  # above the action list, and where the funnel would be
    assert "Traceback" not in html
    assert not (day / "segments" / "cart_abandoners.csv").exists()
    assert (day / "segments" / "at_risk_high_value.csv").exists()


def test_without_training_mode_no_why_is_shown(daily_run):
    _, out = daily_run
    html = next(out.glob("*/daily_review.html")).read_text(encoding="utf-8")
    assert not re.search(r"class=.ecomops-explain.>", html) and "为什么（来自实践）" not in html


def test_ads_report_lists_every_planted_case_and_writes_the_bulk_file(daily_run):
    from ecomops_helpers.ads.sample import PLANTED_ADS

    code, out = daily_run
    day = out / "2026-10-21"
    nb = json.loads((day / "paid_ads_audit.ipynb").read_text(encoding="utf-8"))
    whats = [a["what"] for a in _actions(nb)]

    def listed(name, verb):
        return any(name in w and verb in w for w in whats)

    assert listed(PLANTED_ADS.spend_sink, "暂停")
    assert listed(PLANTED_ADS.earns_raise, "提高")
    assert listed(PLANTED_ADS.thin_data, "继续观察")
    assert listed(PLANTED_ADS.term_to_add, "加为关键词")
    assert listed(PLANTED_ADS.term_to_negate, "否定词")
    assert any(PLANTED_ADS.losing_plan in w for w in whats)  # budget moves away from it
    bulk = pd.read_csv(day / "ads" / "actions.csv", dtype=str).set_index("keyword_or_term")
    assert bulk.loc[PLANTED_ADS.spend_sink, "action"] == "pause"
    assert bulk.loc[PLANTED_ADS.earns_raise, "action"] == "raise"
    assert float(bulk.loc[PLANTED_ADS.earns_raise, "new_bid"]) == pytest.approx(
        1.45 * 1.1, abs=0.01
    )
    assert bulk.loc[PLANTED_ADS.term_to_negate, "action"] == "negative"


def test_competitor_report_lists_every_planted_event(daily_run):
    from ecomops_helpers.rivals.sample import PLANTED_RIVALS as P

    code, out = daily_run
    nb = json.loads((out / "2026-10-21" / "competitor_tracking.ipynb").read_text(encoding="utf-8"))
    cards = [f"{a['what']} | {a['rule']}" for a in _actions(nb)]

    def listed(*words):
        return any(all(w in c for w in words) for c in cards)

    assert listed(P.undercutter, "主推款", P.undercut_title)
    assert listed(P.promoter, "销量猛增", P.promoted_title)
    assert listed(P.delister, "下架", P.delisted_title)
    assert listed(P.launcher, f"上新 {P.launches} 款")
    assert listed(P.rising_term, "不在我的标题里")
    assert listed(P.keyword, P.keyword_rival, "转化更好")
