import re

from ecomops_helpers.page.actions import Finding, actions_html, keep_numbers_whole
from ecomops_helpers.page.i18n import Messages

EN, ZH = Messages("en"), Messages("zh")


def test_action_list_is_ordered_by_severity_and_escaped():
    html = actions_html(
        [
            Finding(3, "x", "low <b>", "r", "a"),
            Finding(1, "x", "high", "bounce 74 % > 70 %", "fix", "since 2026-10-15"),
        ],
        ZH,
    )
    assert html.index("high") < html.index("low &lt;b&gt;")
    assert "起始" in html and 'since <span class="num">2026-10-15</span>' in html


def test_hints_fold_below_the_days_decisions_unless_they_are_all_there_is():
    high, low = Finding(1, "x", "decide", "r", "a"), Finding(3, "x", "hint", "r", "a")
    html = actions_html([low, high, low], EN)
    fold = html.index('<details class="ecomops-more">')
    assert html.index("decide") < fold < html.index("hint")
    assert "2 more hints (low priority)" in html
    alone = actions_html([low], EN)
    assert "ecomops-more" not in alone and "hint" in alone  # nothing to fold under


def test_since_line_only_when_a_finding_has_one():
    html = actions_html([Finding(2, "crm", "list: 5", "rule", "send")], EN)
    assert ">Since<" not in html and ">Do<" in html and ">medium<" in html


def test_empty_action_list_says_so():
    assert "Nothing needs a decision today" in actions_html([], EN)


def test_numbers_are_kept_whole_and_text_stays_escaped():
    html = keep_numbers_whole("MTD ¥1,054,512 is 83.3 % of the shop's ¥4.02万 (9–33 days) <x>")
    spans = re.findall(r'<span class="num">([^<]*)</span>', html)
    assert spans == ["¥1,054,512", "83.3 %", "¥4.02万", "9–33"]
    assert "&#x27;" in html and "&lt;x&gt;" in html  # entities are never split by a span


def test_from_catalogue_fills_every_text():
    f = Finding.from_catalogue(EN, "customers.cart", 2, "crm", n=3, days=3, items=5, path="p.csv")
    assert (f.what, f.severity) == ("Carted, not bought: 3", 2)
    assert "5 items" in f.rule and f.action.endswith("p.csv")
