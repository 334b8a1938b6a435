"""Every catalogue key built at run time, enumerated from the code that builds it.

A key such as ``terms.same day last year`` is built from data (a baseline's name), so the
literal-key scan of ``test_messages`` cannot see it, and only a run on a long enough history
reaches it. Here each place that builds a key (``T(f"…{x}…")``, ``T.term(x)``, a vocabulary
column of a table) is registered with every value ``x`` can take, taken from the constants the
code itself uses; a new such place that is not registered fails the last test.
"""

import re
from pathlib import Path

import pytest

from ecomops_helpers import orders
from ecomops_helpers.ads import audit as ads
from ecomops_helpers.customers import clv, segments
from ecomops_helpers.daily import item_health, metrics
from ecomops_helpers.daily import peers as daily_peers
from ecomops_helpers.daily import review as daily_review
from ecomops_helpers.exports.catalogue.ads import AD_KINDS
from ecomops_helpers.exports.dates import DATE_ORDERS
from ecomops_helpers.exports.folder import JOIN_TEXT
from ecomops_helpers.exports.kinds import PEER_TIERS
from ecomops_helpers.page.actions import OWNERS, SEVERITY_COLOURS
from ecomops_helpers.page.i18n import LANGUAGES, Messages
from ecomops_helpers.rivals import changes as competitors
from ecomops_helpers.rivals import review as competitor_review
from ecomops_helpers.rivals.pair_model import REASONS
from ecomops_helpers.run.runner import available_notebooks

PACKAGE = Path(__file__).parents[1] / "ecomops_helpers"

# values of the vocabulary columns a table shows translated (show_table → T.term)
TERMS = {
    "baseline": metrics.BASELINES,
    "metric": (*metrics.FACTORS, "gmv", *metrics.HEALTH_METRICS),
    "status": metrics.HEALTH_STATUSES,
    "stage": metrics.STAGES,
    "period": ("last_30_days",),
    "segment": sorted({s for row in segments.RFM_SEGMENTS for s in row}),
    "activity": segments.ACTIVITY_LEVELS,
    "funnel": (*segments.FUNNEL, "all"),
    "dropped": segments.DropReport.REASONS,
    "action": ads.ACTIONS,
    "level": ("keyword", "term", "plan", "item"),
    "kind": AD_KINDS,
    "verdict": ("pays", "costs"),
    "flags": ("yes", "no"),
    "ad_columns": ads.CHECKED_TOTALS,
    "ad_headline": ("cost", "roas", "orders"),
    "change_kind": tuple(f"change_{c}" for c in competitors.CHANGE_KINDS),
    "cohorts": ("new", "returning"),
    "step": tuple(step for step, _, _ in metrics.FUNNEL),
}

# (module, the f-string a lookup is built from) → the keys it can ask for
SITES = {
    ("page/actions.py", "findings.{key}.{part}"): [],  # keys are literals: test_messages
    ("page/actions.py", "ui.severity.{f.severity}"): [f"ui.severity.{s}" for s in SEVERITY_COLOURS],
    ("page/actions.py", "ui.owner.{f.owner}"): [f"ui.owner.{o}" for o in OWNERS],
    ("page/report_page.py", "ui.owner.{owner}"): [f"ui.owner.{o}" for o in OWNERS],
    ("ads/review.py", "ads.rules.{r['rule']}"): [f"ads.rules.{r}" for r in ads.RULES],
    ("ads/review.py", "findings.ads.{action}.what"): [
        f"findings.ads.{a}.what" for a in ads.ACTIONS[:-1]
    ],
    ("ads/review.py", "findings.ads.{action}.action"): [
        f"findings.ads.{a}.action" for a in ads.ACTIONS[:-1]
    ],
    ("ads/review.py", "ads.kinds.{kind}"): [f"ads.kinds.{k}" for k in ("keyword", "term")],
    ("ads/review.py", "ads.kinds.{level}"): [f"ads.kinds.{k}" for k in TERMS["level"]],
    ("ads/review.py", "ads.skipped.{col}"): [
        f"ads.skipped.{c}" for c in ("bid", "avg_rank", "quality_score")
    ],
    ("rivals/review.py", "reasons.{key}"): [
        f"reasons.{k}" for k in competitor_review.SNAPSHOT_COLUMNS.values()
    ],
    ("rivals/review.py", "findings.rivals.more.{more_key}"): [
        f"findings.rivals.more.{k}"
        for k in ("undercut", *competitor_review.CARD_CHANGES, "term", "keyword")
    ],
    ("rivals/review.py", "rivals.{key}"): [
        f"findings.rivals.{k}.{part}"
        for k in competitor_review.CARD_CHANGES
        for part in ("what", "rule", "action")
    ],
    ("rivals/review.py", "rivals.why.{key}"): [f"rivals.why.{k}" for k in REASONS],
    ("rivals/review.py", "rivals.kpi.{k}"): [
        f"rivals.kpi.{k}" for k in ("rivals", "changes", "undercuts")
    ],
    ("customers/review.py", "customers.{key}"): [],  # keys are literals passed to add(): below
    ("customers/review.py", "customers.joins.{part}"): [f"customers.joins.{p}" for p in JOIN_TEXT],
    ("customers/review.py", "reasons.fit.{err.problem}"): [
        f"reasons.fit.{p}" for p in clv.FIT_PROBLEMS
    ],
    ("customers/review.py", "customers.base.zero_{d.zero_rule}"): [
        f"customers.base.zero_{r}" for r in orders.ZERO_RULES
    ],
    ("customers/review.py", "findings.customers.words.{'up' if row['change'] > 0 else 'down'}"): [
        f"findings.customers.words.{w}" for w in ("up", "down")
    ],
    ("daily/review.py", "daily.{key}"): [],  # keys are literals passed to add(): below
    ("daily/item_health_text.py", "cross_report.checks.{c}"): [
        f"cross_report.checks.{c}" for c in item_health.CHECKS
    ],
    ("daily/item_health_text.py", "cross_report.columns.{c}"): [
        f"cross_report.columns.{c}" for c in item_health.PAGE_COLUMNS
    ],
    ("weekly/review.py", "weekly.{key}"): [],  # keys are literals passed to add(): below
    ("page/plots_peers.py", "daily.peers.{tier}"): [f"daily.peers.{t}" for t in PEER_TIERS],
    ("daily/review.py", "daily.peers.step.{p.owner}"): [
        f"daily.peers.step.{o}"
        for o in {*daily_peers.OWNER_OF_FIGURE.values(), daily_peers.DEFAULT_OWNER}
    ],
    ("daily/review.py", "daily.campaigns.short.{n.short_of}"): [
        f"daily.campaigns.short.{f}" for f in ("units_30d", "max_price")
    ],
    ("daily/views.py", "daily.shop_health.dsr.good_{hs.good_rate_from}"): [
        f"daily.shop_health.dsr.good_{s}" for s in ("export", "reviews")
    ],
    ("daily/views.py", "daily.left_out.{k}"): [
        f"daily.left_out.{k}" for k in daily_review.TAOBAO_SECTIONS
    ],
    ("daily/views.py", "daily.bridge.basis.{basis}"): [
        f"daily.bridge.basis.{b}" for b in metrics.CONVERTED[1:]
    ],
    ("daily/views.py", "daily.plan.basis_{p.basis}"): [
        f"daily.plan.basis_{b}" for b in ("weekday", "even")
    ],
    ("page/i18n.py", "reasons.dates.{note.order}"): [
        f"reasons.dates.{o}" for o in DATE_ORDERS if o != "auto"
    ],
    ("page/i18n.py", "reasons.dates.{other}"): [f"reasons.dates.{o}" for o in ("dmy", "mdy")],
    ("page/notebook.py", "reports.{report}"): [f"reports.{n}" for n in available_notebooks()],
    ("page/notebook.py", "{key}.title"): [],  # section keys are literals: test_messages
    ("page/notebook.py", "{key}.text"): [],
    ("page/report_page.py", "reports.{name}"): [f"reports.{n}" for n in available_notebooks()],
    ("page/report_page.py", "reports.{r.name}"): [f"reports.{n}" for n in available_notebooks()],
    ("page/report_page.py", "ui.shops.{k}"): [
        f"ui.shops.{k}" for k in ("shop", "date", "status", "actions", "headline", "trend")
    ],
    ("page/report_page.py", "ui.status.{status}"): [f"ui.status.{s}" for s in ("ok", "failed")],
    ("page/report_page.py", "ui.status.{r.status}"): [
        f"ui.status.{s}" for s in ("ok", "failed", "skipped")
    ],
}
# T.term(x) lookups: every term any vocabulary above can hold
TERM_KEYS = sorted({f"terms.{v}" for values in TERMS.values() for v in values})

# a lookup whose key is an f-string: T(f"…"), Messages(…)(f"…"), from_catalogue(T, f"…")
DYNAMIC = re.compile(r"""(?:\bT\(|from_catalogue\(\s*T,)\s*f(["'])(.*?)\1""", re.S)
# add(severity, area, "key", …): the finding keys the daily and customer rules pass
ADDED = re.compile(r"""\badd\(\s*\d,\s*["'][a-z_]+["'],\s*["']([a-z_]+)["']""")


def _literal_finding_keys(module: str, prefix: str) -> list[str]:
    text = (PACKAGE / module).read_text(encoding="utf-8")
    return [f"findings.{prefix}.{k}.{p}" for k in ADDED.findall(text) for p in ("what", "rule")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_built_at_run_time_exists(lang):
    T = Messages(lang)
    keys = [k for ks in SITES.values() for k in ks] + TERM_KEYS
    keys += _literal_finding_keys("daily/review.py", "daily")
    keys += _literal_finding_keys("customers/review.py", "customers")
    keys += _literal_finding_keys("weekly/review.py", "weekly")
    assert len(keys) > 150
    missing = sorted({k for k in keys if not T.has(k)})
    assert not missing


def test_the_same_day_last_year_baseline_is_a_term():
    """The key whose absence failed the daily review on two years of history."""
    assert "terms.same day last year" in TERM_KEYS
    assert Messages("zh").term("same day last year") == "去年同日"


def test_every_place_that_builds_a_key_is_registered():
    found = {
        (path.relative_to(PACKAGE).as_posix(), m.group(2))
        for path in PACKAGE.rglob("*.py")
        for m in DYNAMIC.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(found) > 20  # the scan sees the lookups
    unregistered = sorted(found - set(SITES))
    assert not unregistered, "register these lookups in SITES with the values they can take"
    stale = sorted(set(SITES) - found)
    assert not stale, "these registered lookups are gone from the code"
