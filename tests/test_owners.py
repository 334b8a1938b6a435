"""Every action card names the team that acts on it, and the run index lists the cards by team."""

import re

import pytest

from ecomops_helpers.ads.review import build_ad_audit
from ecomops_helpers.customers.review import build_customer_review
from ecomops_helpers.daily.review import build_daily_review
from ecomops_helpers.page.actions import OWNERS, Finding, actions_html
from ecomops_helpers.page.i18n import Messages
from ecomops_helpers.page.report_page import by_owner, index_html, summary
from ecomops_helpers.rivals.review import build_rival_review
from ecomops_helpers.run.runner import ReportResult

EN, ZH = Messages("en"), Messages("zh")
BUILDERS = {
    "daily_review": build_daily_review,
    "paid_ads_audit": build_ad_audit,
    "customer_segmentation": build_customer_review,
    "competitor_tracking": build_rival_review,
}
# (report, words of the finding's English text) → the team that acts on it
AUDIT = [
    ("daily_review", "stock runs short", "warehouse"),
    ("daily_review", "run of bad reviews", "service"),
    ("daily_review", "conversion collapsed", "operations"),
    ("daily_review", "behind plan", "operations"),
    ("daily_review", "Paid source", "ads"),
    ("daily_review", "bounce rate above its healthy range", "design"),
    ("paid_ads_audit", "", "ads"),
    ("customer_segmentation", "", "operations"),
    ("competitor_tracking", "sells my hero item", "operations"),
    ("competitor_tracking", "delisted its best seller", "ads"),
    ("competitor_tracking", "converts better", "design"),
]


@pytest.fixture(scope="module")
def findings(sample_dir) -> dict[str, list[Finding]]:
    """The sample shop's findings of the four reports, in English."""
    return {name: build(sample_dir, "", lang="en").findings for name, build in BUILDERS.items()}


def test_every_finding_of_the_sample_has_a_team(findings):
    for name, found in findings.items():
        assert found, name
        assert all(f.owner in OWNERS for f in found), name
    teams = {f.owner for found in findings.values() for f in found}
    assert teams == set(OWNERS)  # the sample's morning has work for every team


@pytest.mark.parametrize("report,words,team", AUDIT)
def test_each_card_goes_to_the_team_that_acts_on_it(findings, report, words, team):
    mine = [f for f in findings[report] if words.lower() in f.what.lower()]
    assert mine, f"the sample's {report} has no finding about {words!r}"
    assert {f.owner for f in mine} == {team}


def test_a_rival_more_card_follows_the_team_of_its_kind(sample_dir):
    from ecomops_helpers.rivals.review import RivalReviewThresholds

    few = RivalReviewThresholds(cards_per_kind=0)
    found = build_rival_review(sample_dir, "", few, lang="en").findings
    delisted = [f for f in found if "more best seller" in f.what and "delisted" in f.what]
    assert delisted and {f.owner for f in delisted} == {"ads"}
    twins = [f for f in found if "cheaper twin" in f.what]
    assert twins and {f.owner for f in twins} == {"operations"}


def test_a_finding_names_a_known_team_or_none():
    assert Finding(2, "stock", "w", "r", "a").owner == "warehouse"
    assert Finding(2, "profit", "w", "r", "a", owner="ads").owner == "ads"
    assert Finding(2, "something new", "w", "r", "a").owner == "operations"
    with pytest.raises(ValueError, match="owner 'boss'"):
        Finding(2, "stock", "w", "r", "a", owner="boss")
    old = {"severity": 1, "area": "reviews", "what": "w", "rule": "r", "action": "a"}
    assert Finding.from_dict(old).owner == "service"  # a summary written before owners
    f = Finding(1, "page", "w", "r", "a", "since x", "design")
    assert Finding.from_dict(f.as_dict()) == f


@pytest.mark.parametrize("T,label", [(ZH, "美工"), (EN, "design")], ids=["zh", "en"])
def test_the_card_shows_its_team(T, label):
    html = actions_html([Finding(2, "page", "bounce 74 % > 70 %", "r", "a")], T)
    assert f'<span class="owner" title="{T("ui.owner.label")}">{label}</span>' in html
    assert html.index('class="sev"') < html.index('class="owner"') < html.index('class="what"')


def test_team_names_in_both_languages():
    assert [ZH(f"ui.owner.{o}") for o in OWNERS] == ["推广", "美工", "客服", "仓库", "运营"]
    assert [EN(f"ui.owner.{o}") for o in OWNERS] == list(OWNERS)


def _results() -> list[ReportResult]:
    def card(sev, area, what, owner=""):
        return Finding(sev, area, what, f"rule of {what}", f"do {what}", owner=owner).as_dict()

    old = {"severity": 2, "area": "stock", "what": "restock B", "rule": "r", "action": "a"}
    return [
        ReportResult(
            "daily_review",
            "ok",
            1.0,
            actions=[card(3, "plan", "plan gap"), card(1, "page", "bounce high"), old],
        ),
        ReportResult(
            "paid_ads_audit",
            "ok",
            1.0,
            actions=[card(2, "ads", "pause kw"), card(1, "ads", "waste")],
        ),
        ReportResult("customer_segmentation", "failed", 1.0, error="boom"),
        ReportResult(
            "competitor_tracking", "ok", 1.0, actions=[card(1, "rivals", "undercut", "operations")]
        ),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_index_lists_the_cards_by_team_in_order_each_naming_its_report(lang):
    T = Messages(lang)
    page = index_html("2026-10-21", _results(), "/exports", lang=lang)
    starts = [page.index(f"<section class='owner-list' id='owner-{o}'>") for o in OWNERS]
    assert starts == sorted(starts)  # 推广 美工 客服 仓库 运营
    reports = page.index("<ul class='report-list'>")
    assert starts[-1] < reports  # the teams' lists first, the reports' status after them
    sections = dict(zip(OWNERS, [page[a:b] for a, b in zip(starts, [*starts[1:], reports])]))
    assert re.findall(r'class="what">([^<]*)<', sections["ads"]) == ["waste", "pause kw"]
    assert "restock B" in sections["warehouse"] and "bounce high" in sections["design"]
    ops = sections["operations"]
    assert ops.index("undercut") < ops.index("plan gap")  # most severe first
    assert T("reports.competitor_tracking") in ops and T("reports.daily_review") in ops
    assert T("ui.owners.none") in sections["service"]
    assert f"{T('ui.owner.ads')} · {T('ui.owners.count', n=2)}" in sections["ads"]
    assert 'class="owner"' not in page  # the list already says the team
    for name, status in [("daily_review", "ok"), ("customer_segmentation", "failed")]:
        assert f"<h2 id='{name}'>" in page[reports:]
        assert T(f"ui.status.{status}") in page[reports:]
    assert "boom" in page[reports:]


def test_summary_names_the_team_of_every_action():
    day = summary("2026-10-21", "en", _results())
    assert day["owners"] == {"ads": 2, "design": 1, "service": 0, "warehouse": 1, "operations": 2}
    actions = [a for r in day["reports"] for a in r["actions"]]
    assert len(actions) == 6 and all(a["owner"] in OWNERS for a in actions)
    assert next(a for a in actions if a["what"] == "restock B")["owner"] == "warehouse"


def test_by_owner_keeps_every_card_once():
    teams = by_owner(_results())
    assert list(teams) == list(OWNERS)
    assert sum(len(cards) for cards in teams.values()) == 6
    assert [name for _, name in teams["operations"]] == ["competitor_tracking", "daily_review"]
