from ecomops_helpers.actions import Finding, actions_html, fmt_money, fmt_pct


def test_action_list_is_ordered_by_severity_and_escaped():
    html = actions_html(
        [
            Finding(3, "x", "low <b>", "r", "a"),
            Finding(1, "x", "high", "bounce 74 % > 70 %", "fix", "since 2026-10-15"),
        ]
    )
    assert html.index("high") < html.index("low &lt;b&gt;")
    assert "since 2026-10-15" in html and "<th style='text-align:left'>起始</th>" in html


def test_since_column_only_when_a_finding_has_one():
    html = actions_html([Finding(2, "crm", "list: 5", "rule", "send")], lang="en")
    assert ">since<" not in html and ">what to do<" in html


def test_empty_action_list_says_so():
    assert "Nothing needs a decision today" in actions_html([], lang="en")


def test_formats():
    assert fmt_pct(0.7412) == "74.1 %" and fmt_pct(0.05, 0) == "5 %"
    assert fmt_money(35990.7) == "¥35,991" and fmt_money(12.5) == "¥12.50"


def test_from_template_accepts_any_number_name():
    f = Finding.from_template(("{n} items", "{texts}", "go"), 2, "crm", "", n=3, texts="a；b")
    assert (f.what, f.rule, f.action, f.severity) == ("3 items", "a；b", "go", 2)
