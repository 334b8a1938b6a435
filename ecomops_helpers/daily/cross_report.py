"""The daily review's cross-report rules: failing item pages, heroes undercut by a 同款 rival.

:func:`add_cross_report` fills the review's ``item_pages`` and ``undercuts`` (and the hero
table's ``undercut`` column) or says in ``missing`` why it cannot; :func:`cross_report_findings`
turns them into action cards. The twins are the competitor report's (one pair model).
"""

from __future__ import annotations

import pandas as pd

from ..page import formatting as fmt
from ..page.actions import Finding
from ..page.i18n import Messages, missing_kind_text
from ..rivals.changes import unify_renamed_shops
from ..rivals.review import RivalReviewThresholds, find_twins, why_text
from .item_health import absent_page_columns, failing_pages, page_health_by
from .item_health_text import failure_text, missing_columns_text
from .undercut import hero_undercuts

__all__ = ["add_cross_report", "cross_report_findings", "item_pages_view"]


def _item_pages(review, T: Messages) -> None:
    th, items = review.thresholds, review.items
    if items is None:
        review.missing["item_pages"] = review.missing.get("items_daily", "")
        return
    absent = absent_page_columns(items)
    if absent:
        review.missing["item_pages"] = missing_columns_text(T, absent)
        return
    health = page_health_by(items, review.report_date, th)
    bad = failing_pages(health)
    review.item_pages = bad.assign(
        fails=[failure_text(T, row, th, review.lang) for _, row in bad.iterrows()]
    )


def _undercut_text(u: pd.Series, lang: str) -> str:
    return (
        f"{u['shop']} {fmt.money(u['their_price'], lang, compact=False)} "
        f"({fmt.pct(u['price_gap'], 0, lang, sign=True)})"
    )


def _undercuts(review, folder, T: Messages) -> None:
    if review.heroes is None or review.heroes.empty:
        return  # no hero table to name them in
    listings, why = folder.load_optional("competitor_listings")
    if listings is None:
        kind = "competitor_listings"
        review.missing["undercut"] = T(
            "reasons.undercut_unchecked",
            why=missing_kind_text(T, folder, kind),
        )
        return
    when = review.report_date
    listings, _ = unify_renamed_shops(listings[listings["date"] <= when])
    answers, _ = folder.load_optional("twin_answers")
    rival_th = RivalReviewThresholds(currency=review.thresholds.currency)
    _, matches, _ = find_twins(listings, review.items, when, rival_th, answers)
    found = hero_undercuts(matches, review.heroes["item_id"], review.thresholds.undercut_gap_min)
    titles = review.heroes.set_index("item_id")["title"]
    review.undercuts = found.assign(title=found["item_id"].map(titles))
    text = {u["item_id"]: _undercut_text(u, review.lang) for _, u in found.iterrows()}
    review.heroes = review.heroes.assign(undercut=review.heroes["item_id"].map(text).fillna(""))


def item_pages_view(review) -> pd.DataFrame:
    """The failing item pages as the daily review shows them, busiest first."""
    t = review.item_pages.sort_values("visitors", ascending=False).rename(
        columns={
            "bounce_rate": "item_bounce",
            "avg_stay_s": "item_stay_s",
            "conversion": "item_conversion",
            "fails": "page_fails",
        }
    )
    cols = ["item_id", "title", "visitors", "item_bounce", "item_stay_s", "item_conversion"]
    return t[[*cols, "page_fails"]]


def add_cross_report(review, folder, T: Messages) -> None:
    """Fill ``review.item_pages`` and ``review.undercuts``; ``missing`` says why not."""
    _item_pages(review, T)
    _undercuts(review, folder, T)


def cross_report_findings(review, T: Messages) -> list[Finding]:
    """Cards for the busiest failing item pages (owner: design) and undercut heroes."""
    th, lang = review.thresholds, review.lang
    out = []
    if review.item_pages is not None:
        busiest = review.item_pages.sort_values("visitors", ascending=False)
        for _, p in busiest.head(th.item_page_cards).iterrows():
            out.append(
                Finding.from_catalogue(
                    T,
                    "daily.item_page",
                    2,
                    "page",
                    "",
                    title=p["title"],
                    fails=p["fails"],
                    days=th.item_page_days,
                    visitors=fmt.number(p["visitors"]),
                )
            )
    if review.undercuts is not None:
        for _, u in review.undercuts.iterrows():
            out.append(
                Finding.from_catalogue(
                    T,
                    "daily.undercut",
                    2,
                    "rivals",
                    "",
                    "operations",
                    title=u["title"],
                    shop=u["shop"],
                    rival_title=u["rival_title"],
                    why=why_text(u["why"], T),
                    theirs=fmt.money(u["their_price"], lang, compact=False),
                    mine=fmt.money(u["my_price"], lang, compact=False),
                    gap=fmt.pct(-u["price_gap"], 0, lang),
                    limit=fmt.pct(th.undercut_gap_min, 0, lang),
                )
            )
    return out
