"""Rival titles, shop names and links are untrusted: a report built from hostile exports has no
injected element, attribute or script, and CSVs for people are neutralised."""

from html.parser import HTMLParser

import pandas as pd
import pytest

from ecomops_helpers.rivals.review import safe_link
from ecomops_helpers.run.cli import main

HOSTILE = [
    "<script>alert(1)</script>收纳箱",
    '=HYPERLINK("http://evil","点我") 收纳箱',
    '<img src=x onerror="alert(2)">收纳盒',
    "[点我](javascript:alert(3)) 收纳袋",
    '"><svg onload=alert(4)>',
]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile")
    rows = []
    for day in ("2026-10-20", "2026-10-21"):
        for i, text in enumerate(HOSTILE):
            rows.append(
                {
                    "date": day,
                    "shop": f"<b>店{i}</b>" if i % 2 else text,
                    "item_id": f"77{i}",
                    "title": text,
                    "price": 50 - (10 if day.endswith("21") else 0),
                    "link": "javascript:alert(5)"
                    if i == 0
                    else f"https://item.taobao.com/item.htm?id=77{i}",
                    "sales_30d": 300 if day.endswith("20") else 900,
                    "reviews": 10,
                }
            )
    pd.DataFrame(rows).to_csv(data / "rivals.csv", index=False)
    out = tmp_path_factory.mktemp("out")
    assert (
        main(["run", "--data", str(data), "--out", str(out), "--notebooks", "competitor_tracking"])
        == 0
    )
    return next(out.glob("*/competitor_tracking.html"))


def test_no_injected_element_attribute_or_script(hostile_report):
    hostile_report = hostile_report.read_text(encoding="utf-8")
    parsed = _Elements()
    parsed.feed(hostile_report)
    assert "svg" not in parsed.tags
    assert not [a for a in parsed.attrs if a[1].startswith("on")]  # onerror, onload
    assert not [a for a in parsed.attrs if "javascript:" in a[2]]
    assert not [a for a in parsed.attrs if a[0] == "img" and a[2] == "x"]
    assert parsed.tags.count("script") == 0  # the report itself runs no script
    for raw in ("<b>店", "<script>alert", "<img src=x", "<svg"):
        assert raw not in hostile_report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_report  # shown, as text
    assert "&lt;b&gt;店1&lt;/b&gt;" in hostile_report
    assert "[点我](javascript:alert(3))" in hostile_report  # Markdown is not rendered either


def test_csvs_for_people_neutralise_formulas(hostile_report):
    changes = pd.read_csv(hostile_report.parent / "rivals" / "changes.csv", dtype=str)
    cells = changes[["shop", "rival_title"]].stack()  # texts; numbers may be negative
    assert not cells.str.match(r"^[=+\-@]").any()
    assert cells.str.startswith("'=HYPERLINK").any()


def test_only_http_links_are_kept():
    assert (
        safe_link("https://item.taobao.com/item.htm?id=1")
        == "https://item.taobao.com/item.htm?id=1"
    )
    assert safe_link("javascript:alert(1)") is None
    assert safe_link(" data:text/html,<script>") is None
    assert safe_link(float("nan")) is None
