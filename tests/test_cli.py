import json

import pandas as pd
import pytest

from ecomops_helpers.cli import main
from ecomops_helpers.paths import NOTEBOOKS_DIR
from ecomops_helpers.sample import PLANTED, generate_shop


@pytest.fixture(scope="module")
def daily_run(sample_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    code = main(["run", "--data", str(sample_dir), "--out", str(out)])
    return code, out


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
    assert "> 70.0 %" in bounce["rule"] and f"连续 {PLANTED.bounce_days} 天" in bounce["rule"]
    # 4. run of bad reviews on hero item 2
    assert f"差评 {PLANTED.bad_reviews} 条" in by_area["reviews"][0]["rule"]
    # 5. stock of hero item 3 short of the promotion
    assert "加厚置物架 3号" in by_area["stock"][0]["what"]
    assert "2026-11-11" in by_area["stock"][0]["rule"]
    # the plan gap, and the action list both at the top of the report and in the index
    assert by_area["plan"]
    for a in actions:
        assert a["what"] in index
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
    assert "整体看板.csv: column '跳失率' (bounce_rate), row 3" in out
    assert "found 1.74" in out
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


def test_report_without_optional_exports_says_why_sections_are_hidden(shop_only, tmp_path, capsys):
    assert main(["run", "--data", str(shop_only), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "customer_segmentation: skipped in 0.0 s — no orders export" in out
    assert "done (skipped: customer_segmentation)" in out
    index = next(tmp_path.glob("*/index.html")).read_text(encoding="utf-8")
    assert "skipped" in index and "no orders export" in index
    html = next(tmp_path.glob("*/daily_review.html")).read_text(encoding="utf-8")
    assert "本节已隐藏：no plan export" in html
    assert "本节已隐藏：no traffic_sources export" in html


def test_customer_report_lists_the_planted_groups_with_their_id_files(daily_run, sample_dir):
    code, out = daily_run
    day = out / "2026-10-21"
    nb = json.loads((day / "customer_segmentation.ipynb").read_text(encoding="utf-8"))
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
