"""The competitor report: what rivals changed, who undercuts my items, which terms I miss.

``build_rival_review(folder, report_date, thresholds)`` reads the rival listing snapshots (and,
where present, the rival keywords, the industry search terms and my own items), and computes
the change log, the 同款 matches with prices and sales side by side, the keyword gap, the
launch timing and the tier gap, and turns them into findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..exports import ExportSource
from ..exports.source import ONE_CURRENCY
from ..page import formatting as fmt
from ..page.actions import Finding
from ..page.i18n import (
    Messages,
    date_note_text,
    missing_kind_text,
    settle_currency,
    source_warnings,
)
from ..safe_csv import write_csv
from ..sources import open_folder
from . import changes as comp
from .changes import RivalThresholds
from .pair_model import match_model, reasons
from .shop_answers import ANSWERS_TO_LEARN, answer_of, line_of, refit
from .title_match import MATCH_THRESHOLD, best_matches, pair_log_odds

__all__ = [
    "RivalReviewThresholds",
    "RivalReview",
    "build_rival_review",
    "safe_link",
    "change_counts",
    "headline",
    "write_tables",
    "undercuts",
    "find_twins",
    "why_text",
]

LINK_SCHEMES = ("http://", "https://")
COUNT_DAYS = 30  # the longest window of the change counts (7 and 30 days)
PRICED = ("price_drop", "removed")  # changes whose before/after are prices
# the rival changes that get action cards (catalogue: findings.rivals.<change>)
CARD_CHANGES = ("price_drop", "sales_jump", "removed", "sold_out", "review_surge")
CHANGE_SEVERITY = {"price_drop": 2, "sales_jump": 2, "removed": 2, "sold_out": 2}
# a rival's best seller gone: 推广 pushes my similar item; other changes stay with 运营
CHANGE_OWNER = {"removed": "ads", "sold_out": "ads"}


@dataclass(frozen=True)
class RivalReviewThresholds(RivalThresholds):
    """The rival rules' thresholds, and the report's own."""

    match_threshold: float = MATCH_THRESHOLD  # pair-model probability taken for one product
    currency: str = "CNY"  # the prices' currency where no export names one
    price_band: float = 2.0  # a match's prices within this factor of each other
    my_price_days: int = 7  # my price: GMV / units over this many days
    term_days: int = 7  # search popularity rise measured over this many days
    term_rise: float = 0.2  # a term rising this share is rising
    top_items: int = 5  # a rival's top items by monthly sales: their delisting is news
    cards_per_kind: int = 3  # action cards per finding kind; the rest in the tables
    my_shop: str = ""  # my shop's name in the keyword exports (本店 is always mine)


@dataclass
class RivalReview:
    """Everything the competitor-tracking notebook shows for one report date."""

    report_date: pd.Timestamp
    thresholds: RivalReviewThresholds
    lang: str
    listings: pd.DataFrame
    renames: list[tuple[str, str]]
    changes: pd.DataFrame
    recent_changes: pd.DataFrame  # the changes of each snapshot day in the last COUNT_DAYS
    mine: pd.DataFrame | None = None  # my items: item_id, title, price, units_30d, is_hero
    matches: pd.DataFrame | None = None
    keywords: pd.DataFrame | None = None
    terms: pd.DataFrame | None = None
    launches: pd.DataFrame | None = None
    tier: pd.DataFrame | None = None
    price_history: pd.DataFrame | None = None  # pair, series (mine or the rival), date, price
    answered: pd.DataFrame | None = None  # the operator's 是/否 on earlier 同款 pairs
    learned_from: int = 0  # answers the shop's line was refitted to (0: the shipped line)
    line: float | None = None  # the shop's line as a probability, once refitted
    missing: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    date_notes: list[str] = field(default_factory=list)
    currency: str = "CNY"  # what the prices are in: named by the exports, else the parameter
    assumed: list[str] = field(default_factory=list)  # what the header must say was assumed


def safe_link(url) -> str | None:
    """``url`` when it is an http(s) link, else None: a rival's link is untrusted text."""
    text = "" if url is None or (isinstance(url, float) and np.isnan(url)) else str(url).strip()
    return text if text.lower().startswith(LINK_SCHEMES) else None


def _units(items: pd.DataFrame) -> pd.Series:
    """Units sold per row of 商品效果: 支付件数 where exported, else paying buyers."""
    return items["units"] if "units" in items else items["paying_buyers"]


def _my_items(items: pd.DataFrame, when: pd.Timestamp, th: RivalReviewThresholds) -> pd.DataFrame:
    """My items at ``when``: title, selling price over the last days, 30-day units, hero flag."""
    recent = items[(items["date"] > when - pd.Timedelta(days=30)) & (items["date"] <= when)]
    last = recent[recent["date"] > when - pd.Timedelta(days=th.my_price_days)]
    g = last.groupby("item_id")
    units = _units(last).groupby(last["item_id"]).sum()
    price = (g["gmv"].sum() / units.where(units > 0)).rename("price")
    out = recent.sort_values("date").groupby("item_id").agg(title=("title", "last"))
    out = out.join(price)
    out["units_30d"] = _units(recent).groupby(recent["item_id"]).sum()
    out["is_hero"] = recent.groupby("item_id")["is_hero"].max() if "is_hero" in recent else False
    return out.dropna(subset=["title", "price"]).reset_index()


def find_twins(listings, items, when, th: RivalReviewThresholds, answers=None):
    """My items at ``when`` (商品效果) and their 同款 in the rivals' latest snapshots.

    Returns my items, the pairs (shop, rival_item, item_id, my_price, their_price, price_gap,
    is_hero …; empty when none) and the shop's line refitted on the operator's answers
    (``twin_answers``; None below ``ANSWERS_TO_LEARN``). The daily review names its undercut
    heroes from the same pairs.
    """
    mine = _my_items(items, when, th)
    matches, shop = _matches(listings, mine, th, _answered(answers))
    return mine, matches, shop


def _answered(answers: pd.DataFrame | None) -> pd.DataFrame:
    """The operator's answered pairs: rival_item, item_id, same (bool), the last answer kept."""
    if answers is None or answers.empty:
        return pd.DataFrame(columns=["rival_item", "item_id", "same"])
    a = answers.assign(same=answers["same_product"].map(answer_of))
    a = a.dropna(subset=["same"]).drop_duplicates(["rival_item", "item_id"], keep="last")
    return a[["rival_item", "item_id", "same"]].astype({"same": bool}).reset_index(drop=True)


def _learn(answered: pd.DataFrame, theirs: pd.DataFrame, mine: pd.DataFrame, threshold: float):
    """The shop's line its answers fit (:func:`.shop_answers.refit`).

    None below ``ANSWERS_TO_LEARN`` answers: the shipped line.
    """
    pairs = answered.merge(
        theirs[["item_id", "title", "paid"]].rename(columns={"item_id": "rival_item"}),
        on="rival_item",
    ).merge(mine[["item_id", "title", "price"]], on="item_id", suffixes=("_theirs", "_mine"))
    if len(pairs) < ANSWERS_TO_LEARN:
        return None
    z, _ = pair_log_odds(pairs["title_theirs"], pairs["title_mine"], pairs["paid"], pairs["price"])
    return refit(z, pairs["same"].to_numpy(), threshold)


def _matches(listings: pd.DataFrame, mine: pd.DataFrame, th, answered: pd.DataFrame):
    """The 同款 pairs, and the shop's line refitted on the operator's answers (or None)."""
    latest = listings[
        listings["date"] == listings["shop"].map(listings.groupby("shop")["date"].max())
    ]
    theirs = latest.assign(paid=comp.effective_price(latest)).reset_index(drop=True)
    shop = _learn(answered, theirs, mine, th.match_threshold)
    found = best_matches(
        mine[["title", "price"]],
        theirs.assign(price=theirs["paid"]),
        th.match_threshold,
        th.price_band,
        shop,
    )
    found = _apply_answers(found, answered, theirs, mine)
    if found.empty:
        return pd.DataFrame(), shop
    t = theirs.loc[found["theirs"]].reset_index(drop=True)
    m = mine.loc[found["mine"]].reset_index(drop=True)
    out = pd.DataFrame(
        {
            "shop": t["shop"],
            "rival_title": t["title"],
            "rival_item": t["item_id"],
            "title": m["title"],
            "item_id": m["item_id"],
            "score": found["score"].to_numpy(),
            # what spoke for and against each pair: (key, values), worded by the views
            "why": [
                reasons(a, b, pa, pb)
                for a, b, pa, pb in zip(t["title"], m["title"], t["paid"], m["price"])
            ],
            "my_price": m["price"],
            "their_price": t["paid"],
            "my_units": m["units_30d"],
            "their_sales": t.get("monthly_sales"),
            "is_hero": m["is_hero"].astype(bool),
            "url": t.get("url"),
        }
    )
    out["price_gap"] = out["their_price"] / out["my_price"] - 1
    out = out.sort_values(["is_hero", "price_gap"], ascending=[False, True])
    return out.reset_index(drop=True), shop


def _apply_answers(found, answered, theirs, mine) -> pd.DataFrame:
    """Rejected pairs never return; confirmed pairs stay matched while both items are listed."""
    if answered.empty:
        return found
    key = pd.MultiIndex.from_arrays(
        [theirs.loc[found["theirs"], "item_id"].to_numpy(), mine.loc[found["mine"], "item_id"]]
    )
    said = answered.set_index(["rival_item", "item_id"])["same"]
    verdict = pd.Series(key.map(said.to_dict().get), index=found.index)
    found = found[verdict.ne(False).to_numpy()]
    rival_at = pd.Series(theirs.index, index=theirs["item_id"]).groupby(level=0).last()
    mine_at = pd.Series(mine.index, index=mine["item_id"]).groupby(level=0).last()
    yes = answered[answered["same"]]
    yes = yes[yes["rival_item"].isin(rival_at.index) & yes["item_id"].isin(mine_at.index)]
    extra = pd.DataFrame(
        {
            "theirs": rival_at[yes["rival_item"]].to_numpy(),
            "mine": mine_at[yes["item_id"]].to_numpy(),
            "score": 1.0,  # the operator said so
        }
    )
    extra = extra[~extra["theirs"].isin(found["theirs"])]
    return pd.concat([found, extra], ignore_index=True)


def _price_history(items, listings, matches, when, th, days: int = 60) -> pd.DataFrame | None:
    """My daily selling price and each twin's snapshot prices, for my hero items' twins."""
    if matches is None or matches.empty:
        return None
    pairs = matches[matches["is_hero"]].head(th.cards_per_kind)
    if pairs.empty:
        return None
    since = when - pd.Timedelta(days=days)
    parts = []
    for _, m in pairs.iterrows():
        own = items[
            (items["item_id"] == m["item_id"]) & (items["date"] > since) & (items["date"] <= when)
        ]
        units = _units(own)
        parts.append(
            pd.DataFrame(
                {
                    "pair": m["title"],
                    "series": "mine",
                    "date": own["date"],
                    "price": own["gmv"] / units.where(units > 0),
                }
            )
        )
        theirs = listings[
            (listings["shop"] == m["shop"]) & (listings["item_id"] == m["rival_item"])
        ]
        theirs = theirs[theirs["date"] > since]
        parts.append(
            pd.DataFrame(
                {
                    "pair": m["title"],
                    "series": m["shop"],
                    "date": theirs["date"],
                    "price": comp.effective_price(theirs),
                }
            )
        )
    return pd.concat(parts, ignore_index=True).dropna(subset=["price"])


def change_counts(r: RivalReview, days: int) -> pd.DataFrame:
    """Per rival, how many items had each change over the last ``days`` (each item once).

    ``days`` is at most :data:`COUNT_DAYS`, the history computed once in the review.
    """
    t = r.recent_changes
    t = t[t["date"] > r.report_date - pd.Timedelta(days=days)]
    counts = t.drop_duplicates(["shop", "item_id", "change"]).pivot_table(
        index="shop", columns="change", values="item_id", aggfunc="count", fill_value=0
    )
    counts = counts.reindex(columns=list(comp.CHANGE_KINDS), fill_value=0)
    return counts.add_prefix("n_").reset_index()


def build_rival_review(
    data_dir: str | Path | ExportSource = "",
    report_date: str = "",
    thresholds: RivalReviewThresholds | None = None,
    lang: str = "zh",
    date_order: str = "auto",
) -> RivalReview:
    """Read the rival exports of ``data_dir`` and compute the review for ``report_date``.

    The report date defaults to the last snapshot. My items come from the 商品效果 export
    when present (the 同款, undercut, title-gap and tier sections need it).
    """
    th = thresholds or RivalReviewThresholds()
    T = Messages(lang)
    folder = open_folder(data_dir, date_order)
    listings = folder.load("competitor_listings")
    when = pd.Timestamp(report_date) if report_date else listings["date"].max()
    listings, renames = comp.unify_renamed_shops(listings[listings["date"] <= when])
    r = RivalReview(
        report_date=when,
        thresholds=th,
        lang=lang,
        listings=listings,
        renames=renames,
        changes=comp.changes(listings, when, th),
        recent_changes=comp.change_log(listings, when - pd.Timedelta(days=COUNT_DAYS), when, th),
        launches=comp.launches_per_week(listings, when),
        date_notes=[date_note_text(T, n) for n in folder.date_notes],
    )
    answers, _ = folder.load_optional("twin_answers")
    r.answered = _answered(answers)
    for kind, key in (
        ("items_daily", "mine"),
        ("competitor_keywords", "keywords"),
        ("industry_keywords", "terms"),
    ):
        df, why = folder.load_optional(kind)
        if df is None:
            r.missing[key] = missing_kind_text(T, folder, kind)
            continue
        if key == "mine":
            r.mine, r.matches, shop = find_twins(listings, df, when, th, answers)
            if shop:
                r.learned_from, r.line = shop["answers"], line_of(th.match_threshold, shop)
            r.price_history = _price_history(df, listings, r.matches, when, th)
            my_sales = float(r.mine["units_30d"].sum())
            r.tier = comp.tier_gap(listings, when, my_sales)
            if r.tier is None:
                r.missing["tier"] = T("reasons.rivals_no_sales")
        elif key == "keywords":
            r.keywords = comp.keyword_overlap(df, when, th.my_shop)
        else:
            titles = r.mine["title"] if r.mine is not None else []
            r.terms = comp.rising_terms(df, titles, when, th.term_days, th.term_rise)
    r.missing.update(_absent_columns(listings, T))
    r.currency, r.assumed = settle_currency(
        T, folder, ONE_CURRENCY["competitor_tracking"], th.currency
    )
    r.warnings = source_warnings(T, folder)
    r.findings = _findings(r, T)
    return r


# optional columns of the rival snapshots, and what the report cannot show without each
SNAPSHOT_COLUMNS = {
    "monthly_sales": "rivals_no_sales",
    "review_count": "rivals_no_reviews",
    "promo_price": "rivals_no_promo",
    "listed_on": "rivals_no_listed_on",
}


def _absent_columns(listings: pd.DataFrame, T: Messages) -> dict[str, str]:
    """For each optional snapshot column no file carries, what the report leaves out."""
    return {
        f"column_{c}": T(f"reasons.{key}")
        for c, key in SNAPSHOT_COLUMNS.items()
        if c not in listings or listings[c].isna().all()
    }


def matcher_figures(T: Messages) -> dict:
    """What the 同款 section says of the matcher: the figures it was measured at.

    The figures are the shipped models', English and Chinese, on the valid splits their
    thresholds were chosen on (``match_model.json``), never a set written for them.
    """

    def measured(valid: dict) -> str:
        return T("ui.list_sep").join(
            T(
                "rivals.twins.measured",
                set=name.removesuffix("-valid"),
                p=f"{v['precision']:.2f}",
                r=f"{v['recall']:.2f}",
            )
            for name, v in valid.items()
        )

    model = match_model()
    return {"measured": measured(model["valid"]), "measured_zh": measured(model["zh"]["valid"])}


def column_notes(r: RivalReview) -> list[str]:
    """What the report leaves out for the optional snapshot columns no file carries."""
    return [r.missing[f"column_{c}"] for c in SNAPSHOT_COLUMNS if f"column_{c}" in r.missing]


def _cards(rows: pd.DataFrame, n: int, make, more_key: str, T: Messages) -> list[Finding]:
    out = [make(row) for _, row in rows.head(n).iterrows()]
    if len(rows) > n:  # the "more" card goes to the team of the cards it continues
        team = make(rows.iloc[0]).owner
        out.append(
            Finding(
                3,
                "rivals",
                T(f"findings.rivals.more.{more_key}", n=len(rows) - n),
                T("findings.rivals.more.rule"),
                T("findings.rivals.more.action"),
                owner=team,
            )
        )
    return out


def _findings(r: RivalReview, T: Messages) -> list[Finding]:
    th, lang = r.thresholds, r.lang
    out: list[Finding] = []

    def money(x):
        return fmt.money(x, lang, compact=False)

    if r.matches is not None and not r.matches.empty:
        out += _cards(
            undercuts(r),
            th.cards_per_kind,
            lambda m: Finding.from_catalogue(
                T,
                "rivals.undercut",
                1,
                "rivals",
                "",
                shop=m["shop"],
                title=m["title"],
                rival_title=m["rival_title"],
                score=f"{m['score']:.2f}",
                why=why_text(m["why"], T),
                theirs=money(m["their_price"]),
                mine=money(m["my_price"]),
                gap=fmt.pct(m["price_gap"], 0, lang, sign=True),
            ),
            "undercut",
            T,
        )
    c = r.changes
    for key in CARD_CHANGES:
        rows = c[c["change"] == key]
        if key in ("removed", "sold_out"):  # news only for a rival's top items
            top = _top_items(r.listings, th.top_items)
            keep = [(s, i) in top for s, i in zip(rows["shop"], rows["item_id"])]
            rows = rows.loc[np.array(keep, dtype=bool)]
        rows = rows.sort_values("before", ascending=False)
        out += _cards(
            rows,
            th.cards_per_kind,
            lambda x, key=key: Finding.from_catalogue(
                T,
                f"rivals.{key}",
                CHANGE_SEVERITY.get(key, 3),
                "rivals",
                "",
                CHANGE_OWNER.get(key, ""),
                shop=x["shop"],
                title=x["title"],
                before=money(x["before"]) if key in PRICED else fmt.number(x["before"]),
                after=money(x["after"]) if key in PRICED else fmt.number(x["after"]),
                change=fmt.pct(x["ratio"], 0, lang, sign=True),
                seen=fmt.day(x["last_seen"], lang),
                days=th.sales_days if key == "sales_jump" else th.review_days,
            ),
            key,
            T,
        )
    new = c[c["change"] == "new"]
    for shop, g in new.groupby("shop"):
        out.append(
            Finding.from_catalogue(
                T,
                "rivals.new",
                3 if len(g) < 3 else 2,
                "rivals",
                "",
                shop=shop,
                n=len(g),
                titles=T("ui.list_sep").join(g["title"].astype(str).head(3)),
            )
        )
    if r.terms is not None:
        miss = r.terms[r.terms["suggest"]]
        out += _cards(
            miss,
            th.cards_per_kind,
            lambda t: Finding.from_catalogue(
                T,
                "rivals.term",
                2,
                "rivals",
                "",
                term=t["keyword"],
                rise=fmt.pct(t["rise"], 0, lang, sign=True),
                days=th.term_days,
                popularity=fmt.number(t["search_popularity"]),
            ),
            "term",
            T,
        )
    if r.keywords is not None and "rival_wins" in r.keywords:
        lost = r.keywords[r.keywords["rival_wins"]]
        out += _cards(
            lost,
            th.cards_per_kind,
            lambda k: Finding.from_catalogue(
                T,
                "rivals.keyword",
                3,
                "rivals",
                "",
                "design",  # their main image and detail page convert better on my keyword
                keyword=k["keyword"],
                shop=k["rival"],
                theirs=fmt.number(k["conversion_index"]),
                mine=fmt.number(k["my_conversion_index"]),
            ),
            "keyword",
            T,
        )
    return out


def _top_items(listings: pd.DataFrame, n: int) -> set[tuple[str, str]]:
    """Each shop's ``n`` best sellers at their last sighting (by sales, else by reviews).

    Snapshots with neither column name no best sellers: an empty set.
    """
    by = next((c for c in ("monthly_sales", "review_count") if c in listings), None)
    if by is None:
        return set()
    last = listings.sort_values("date").groupby(["shop", "item_id"]).last()
    top = last.sort_values(by, ascending=False).groupby(level="shop").head(n)
    return set(top.index)


def undercuts(r: RivalReview) -> pd.DataFrame:
    """The twins of my hero items that sell below my price."""
    m = r.matches
    return m[m["is_hero"] & (m["their_price"] < m["my_price"])]


def headline(r: RivalReview, T: Messages) -> list[dict]:
    """KPI cards: rivals tracked, changes today, undercuts of my hero items."""
    under = len(undercuts(r)) if r.matches is not None and not r.matches.empty else np.nan
    items = [
        ("rivals", r.listings["shop"].nunique()),
        ("changes", len(r.changes)),
        ("undercuts", under),
    ]
    return [
        {"key": k, "label": T(f"rivals.kpi.{k}"), "value": v, "text": fmt.number(v), "change": ""}
        for k, v in items
    ]


# ------------------------------------------------------------------------- what the notebook shows


def changes_view(r: RivalReview) -> pd.DataFrame:
    """Today's changes per rival: what, before and after, and the snapshot compared with."""
    t = r.changes.rename(
        columns={"title": "rival_title", "before": "before_value", "after": "after_value"}
    )
    t["change_kind"] = "change_" + t["change"]
    cols = ["shop", "change_kind", "rival_title", "before_value", "after_value", "ratio"]
    return t[[*cols, "last_seen"]]


# the answer column of rivals/twins.csv, headed in the report's language (both are headers
# the twin_answers kind reads)
ANSWER_COLUMN = {"zh": "是否同款", "en": "same_product"}


def twins_file(r: RivalReview) -> pd.DataFrame:
    """``rivals/twins.csv``: the 同款 table (why a twin worded), both item ids and the answer.

    The operator fills it with 是/否 (earlier answers come filled in) and drops the file back
    into the exports folder; the next run reads it as the ``twin_answers`` kind.
    """
    t = twins_view(r).assign(item_id=r.matches["item_id"], rival_item=r.matches["rival_item"])
    said = {(a.rival_item, a.item_id): a.same for a in r.answered.itertuples()}
    words = {True: "是" if r.lang == "zh" else "yes", False: "否" if r.lang == "zh" else "no"}
    column = ANSWER_COLUMN[r.lang]
    t[column] = [words.get(said.get((x, y)), "") for x, y in zip(t["rival_item"], t["item_id"])]
    return t


def answers_lines(r: RivalReview, T: Messages) -> list[str]:
    """What the operator's answers did, and how to give them."""
    a = r.answered if r.answered is not None else _answered(None)
    out = []
    if len(a):
        yes = int(a["same"].sum())
        out.append(T("rivals.twins.answers", n=len(a), yes=yes, no=len(a) - yes))
    if r.learned_from:
        line = {"before": f"{r.thresholds.match_threshold:.2f}", "after": f"{r.line:.2f}"}
        out.append(T("rivals.twins.learned", n=r.learned_from, min=ANSWERS_TO_LEARN, **line))
    out.append(T("rivals.twins.ask", min=ANSWERS_TO_LEARN))
    return out


def why_text(why: list[tuple[str, dict]], T: Messages) -> str:
    """A pair's reasons (:func:`.pair_model.reasons`) worded in ``T``'s language."""
    return T("ui.list_sep").join(T(f"rivals.why.{key}", **values) for key, values in why)


def twins_view(r: RivalReview) -> pd.DataFrame:
    """The 同款 table: both titles, the score and why a twin, prices, gap, sales, link."""
    T = Messages(r.lang)
    t = r.matches.copy()
    if "why" in t:  # no pairs: an empty table
        t["why"] = [why_text(w, T) for w in t["why"]]
    t["link"] = [safe_link(u) for u in t["url"]] if "url" in t else None
    cols = [
        "title",
        "shop",
        "rival_title",
        "score",
        "why",
        "my_price",
        "their_price",
        "price_gap",
        "my_units",
        "their_sales",
        "link",
    ]
    return t[[c for c in cols if c in t]]


def keywords_view(r: RivalReview) -> pd.DataFrame:
    """Shared keywords: the rival's and my indices, and who converts better."""
    t = r.keywords.copy()
    if "rival_wins" in t:
        t["rival_wins"] = t["rival_wins"].map({True: "yes", False: "no"})
    cols = ["keyword", "rival", "conversion_index", "my_conversion_index", "trade_index"]
    cols += ["my_trade_index", "rival_wins"]
    return t[[c for c in cols if c in t]]


def terms_view(r: RivalReview) -> pd.DataFrame:
    """Industry terms by rise, with competition and whether my titles hold them."""
    t = r.terms.copy()
    t["in_my_titles"] = t["in_my_titles"].map({True: "yes", False: "no"})
    cols = ["keyword", "search_popularity", "popularity_before", "rise", "competition"]
    return t[[c for c in [*cols, "in_my_titles"] if c in t]]


def suggestions(r: RivalReview) -> list[str]:
    """The rising terms my titles miss."""
    return r.terms.loc[r.terms["suggest"], "keyword"].astype(str).tolist()


def write_tables(r: RivalReview, out_dir: str | Path) -> dict[str, Path]:
    """Write today's changes, the 同款 table and the suggested terms as CSV under ``rivals/``.

    Rival titles and shop names are untrusted: cells a spreadsheet would run as a formula
    (starting ``= + - @``) are neutralised.
    """
    folder = Path(out_dir) / "rivals"
    written = {"changes": write_csv(changes_view(r), folder / "changes.csv")}
    if r.matches is not None and not r.matches.empty:
        written["twins"] = write_csv(twins_file(r), folder / "twins.csv")
    if r.terms is not None:
        written["terms"] = write_csv(terms_view(r), folder / "search_terms.csv")
    return written
