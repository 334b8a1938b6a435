"""What was assumed is said where the reader looks; no nan, no "1 clicks"."""

import numpy as np

from ecomops_helpers.daily import views
from ecomops_helpers.page.i18n import Messages
from ecomops_helpers.run.cli import main


def _ambiguous_orders(d):
    """An order log whose dates all read both ways (03/04/2025): the order is assumed."""
    rows = ["customer_id,date,amount"]
    for i in range(120):
        day, month = 1 + i % 12, 1 + (i * 5) % 12
        rows.append(f"c{i % 40},{month:02d}/{day:02d}/2025,{20 + i % 17}.50")
    (d / "orders.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_an_assumed_date_order_is_in_the_header_the_cli_line_and_the_index(
    export_dir, tmp_path, capsys
):
    _ambiguous_orders(export_dir)
    out = tmp_path / "r"
    code = main(
        [
            "run",
            "--data",
            str(export_dir),
            "--out",
            str(out),
            "--lang",
            "en",
            "--notebooks",
            "customer_segmentation",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    line = next(ln for ln in printed.splitlines() if "customer_segmentation:" in ln)
    assert "assumed:" in line and "month-first" in line and "--date-order dmy" in line
    day = next(p for p in out.iterdir() if p.is_dir())
    page = (day / "customer_segmentation.html").read_text(encoding="utf-8")
    header = page[: page.index("</header>")]
    assert "ecomops-assumed" in header and "--date-order dmy" in header
    assert "--date-order dmy" in (day / "index.html").read_text(encoding="utf-8")


def test_a_header_only_file_among_good_ones_is_named_by_check(export_dir, capsys):
    _ambiguous_orders(export_dir)
    (export_dir / "orders_today.csv").write_text("customer_id,date,amount\n", encoding="utf-8")
    main(["check", "--data", str(export_dir)])
    out = capsys.readouterr().out
    assert "orders_today.csv: header only, 0 rows" in out


def test_a_missing_average_stay_is_a_dash_not_nan():
    assert views.metric_text("avg_stay_s", np.nan, "en") == "–"
    assert views.metric_text("avg_stay_s", 42.0, "en") == "42 s"
    assert "nan" not in views.metric_text("gmv", float("nan"), "zh")


def test_one_of_a_thing_is_singular_in_english():
    T = Messages("en")
    rule = T("findings.ads.waste.rule", n=1, level="search term", share="37.8 %", alert="15 %")
    assert rule.startswith("1 search term with 0 orders")
    assert (
        T("findings.ads.waste.rule", n=2, level="search term", share="1 %", alert="15 %")[:15]
        == "2 search terms "
    )
    assert T("findings.daily.words.since", date="21 Oct", days=1) == "since 21 Oct (1 day)"
    assert T("findings.daily.words.since", date="21 Oct", days=11) == "since 21 Oct (11 days)"
