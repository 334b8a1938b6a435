"""Paid-ads arithmetic: ratios from sums, shrunk conversion rates, one action per keyword.

* :func:`with_ratios`: CTR, CPC, CVR, ROAS, ACoS, cost per order from sums, never averaged;
* :func:`shrink_cvr`: each keyword's conversion rate shrunk toward its campaign's
  (beta-binomial) with a credible interval; :func:`prior_strength` estimates how hard;
* :func:`decide_keywords` / :func:`decide_terms`: raise, lower, pause, keep, watch, rework /
  add, negative, with the rule that fired;
* :func:`total_checks`, :func:`wasted_spend`, :func:`reallocate`.

Every threshold is a field of :class:`AdThresholds` (a notebook parameter of the same name).
:mod:`.ads_review` builds the report from these.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..daily.item_health import BOUNCE_MAX, CONVERSION_MIN, MIN_VISITORS, PAGE_DAYS, STAY_MIN_S
from ..exports.totals import PER_ROW_ROUNDING, compare
from ..thresholds import Thresholds

__all__ = [
    "AdThresholds",
    "ACTIONS",
    "SUMS",
    "with_ratios",
    "shrink_cvr",
    "prior_strength",
    "clicks_needed",
    "hidden_terms",
    "decide_keywords",
    "decide_terms",
    "total_checks",
    "wasted_spend",
    "reallocate",
    "sums",
    "aggregate",
    "fill_keys",
]

SUMS = ("impressions", "clicks", "cost", "orders", "gmv", "favs", "carts")
ACTIONS = ("pause", "negative", "lower", "raise", "add", "rework", "watch", "keep")
# every rule a keyword or search term can be decided by (catalogue: ads.rules.<rule>)
RULES = (
    "pause_clicks",
    "pause_cost",
    "pause_ctr",
    "watch_thin",
    "raise",
    "lower",
    "keep_roas",
    "keep_top_rank",
    "keep_untracked",
    "keep",
    "rework_ctr",
    "rework_quality",
    "protected",
    "add",
    "negative",
    "watch_term",
    "keep_term",
    "hold_page",
)
CHECKED_TOTALS = ("impressions", "clicks", "cost", "orders", "gmv")
MONEY_SUMS = ("cost", "gmv")
KEYWORD_KEY = ["currency", "campaign", "ad_group", "keyword", "match_type"]
TERM_KEY = ["currency", "campaign", "ad_group", "search_term", "match_type"]
_HANDLED_TERMS = {"added", "excluded", "added/excluded", "已添加", "已否定", "已屏蔽"}


@dataclass(frozen=True)
class AdThresholds(Thresholds):
    """Every number an ad rule compares with; defaults from 直通车 / Google Ads practice."""

    margin: float = 0.35  # gross margin: break-even ROAS = 1 / margin
    raise_roas_factor: float = 1.5  # raise a bid when ROAS ≥ this × break-even
    bid_step: float = 0.10  # bids move in steps of this share
    top_rank: float = 2.0  # an average rank at or above this leaves no room to raise
    k_orders: float = 2.0  # zero orders: pause once clicks ≥ k / campaign conversion rate
    target_cpa: float = 0.0  # target cost per order; 0: break-even = campaign AOV × margin
    ctr_ratio: float = 0.5  # rework when CTR < this × the campaign's CTR ...
    min_impressions: int = 1000  # ... over at least this many impressions
    min_quality_score: float = 5.0  # rework below this quality score (1–10)
    watch_days: int = 7  # low CTR this long before and after: pause (dated rows only)
    add_min_orders: float = 2.0  # a search term with this many orders and ROAS ≥ break-even: add
    top_converters: int = 3  # the keywords with the most orders are never paused
    prior_clicks: float = 0.0  # strength of the campaign prior in clicks; 0: from the data
    prior_clicks_default: float = 100.0  # ... used when a campaign has too few keywords
    credible: float = 0.9  # width of the conversion rate's credible interval
    realloc_share: float = 0.2  # move this share of a losing plan's spend
    marginal_factor: float = 0.7  # extra spend earns this × a plan's average ROAS
    waste_share_alert: float = 0.15  # wasted spend above this share of spend: a finding
    lookback_days: int = 30  # the audit window ends on the report date
    cards_per_action: int = 3  # action cards per action type; the rest in the table and CSV
    currency: str = "CNY"  # currency of rows whose export names none (直通车, 万相台)
    # item page health (商品效果): a raise on a failing page is held, the page fixed first
    bounce_max: float = BOUNCE_MAX  # an item page bouncing more than this fails
    stay_min_s: float = STAY_MIN_S  # ... or keeping visitors fewer seconds than this
    item_conversion_min: float = CONVERSION_MIN  # ... or converting below this
    item_page_days: int = PAGE_DAYS  # the page figures are summed over this many days
    item_page_min_visitors: int = MIN_VISITORS  # fewer visitors: the page is not judged

    @property
    def break_even(self) -> float:
        """The ROAS at which ad revenue pays its own cost of goods and the ad: 1 / margin."""
        return 1.0 / self.margin


# --------------------------------------------------------------------------- arithmetic


def with_ratios(t: pd.DataFrame) -> pd.DataFrame:
    """CTR, CPC, CVR, ROAS, ACoS, cost per order and fav+cart rate, from the sums in ``t``.

    Always computed from sums (after any aggregation), never averaged; a ratio whose
    denominator is 0 or whose numerator the export lacks is NaN.
    """
    t = t.copy()

    def div(a, b):
        if a not in t or b not in t:
            return np.nan
        den = t[b].astype(float)
        return t[a].astype(float) / den.where(den != 0)

    t["ctr"] = div("clicks", "impressions")
    t["cpc"] = div("cost", "clicks")
    t["cvr"] = div("orders", "clicks")
    t["roas"] = div("gmv", "cost")
    t["acos"] = div("cost", "gmv")
    t["cpa"] = div("cost", "orders")
    if "favs" in t or "carts" in t:
        parts = [t[c] for c in ("favs", "carts") if c in t]
        fc = sum(p.fillna(0) for p in parts).where(pd.concat(parts, axis=1).notna().any(axis=1))
        t["favcart_rate"] = fc / t["clicks"].where(t["clicks"] != 0)
    return t


def sums(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The additive columns (impressions … carts) summed per ``by``; all-missing stays NaN."""
    cols = [c for c in SUMS if c in df]
    return df.groupby(by, dropna=False, sort=False)[cols].sum(min_count=1).reset_index()


def prior_strength(orders: pd.Series, clicks: pd.Series, default: float) -> float:
    """How many clicks the campaign's conversion rate counts for (method of moments).

    The spread of the keywords' conversion rates beyond what binomial noise explains sets
    how far each keyword may stray from its campaign; with fewer than three keywords with
    clicks, ``default``.
    """
    mask = clicks > 0
    n, o = clicks[mask].astype(float), orders[mask].astype(float)
    if mask.sum() < 3 or n.sum() == 0:
        return default
    mean = o.sum() / n.sum()
    if mean <= 0 or mean >= 1:
        return default
    rates = o / n
    observed = float(np.average((rates - mean) ** 2, weights=n))
    noise = mean * (1 - mean) * len(n) / n.sum()
    between = observed - noise
    if between <= 0:
        return 5_000.0  # keywords differ no more than noise: lean hard on the campaign
    return float(np.clip(mean * (1 - mean) / between - 1, 10.0, 5_000.0))


def shrink_cvr(
    orders, clicks, prior_mean, strength, credible: float = 0.9
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Beta-binomial posterior of each keyword's conversion rate: mean, low, high.

    Prior Beta(m·s, (1−m)·s) with m the campaign's rate and s its strength in clicks; the
    posterior after ``orders`` in ``clicks`` is Beta(m·s + orders, (1−m)·s + clicks − orders).
    1 order in 3 clicks in a 4 % campaign with s = 100 gives about 4.9 %, not 33 %.
    """
    orders = np.asarray(orders, dtype=float)
    clicks = np.asarray(clicks, dtype=float)
    m = np.clip(np.asarray(prior_mean, dtype=float), 1e-6, 1 - 1e-6)
    s = np.asarray(strength, dtype=float)
    a = m * s + np.nan_to_num(orders)
    b = (1 - m) * s + np.clip(clicks - np.nan_to_num(orders), 0, None)
    tail = (1 - credible) / 2
    return a / (a + b), stats.beta.ppf(tail, a, b), stats.beta.ppf(1 - tail, a, b)


def clicks_needed(k: float, campaign_cvr) -> np.ndarray:
    """Clicks after which a keyword with no orders has had its chance: ⌈k / campaign CVR⌉."""
    cvr = np.asarray(campaign_cvr, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.where(cvr > 0, np.ceil(k / np.where(cvr > 0, cvr, 1) - 1e-9), np.inf)
    return need


def _norm(s: pd.Series) -> pd.Series:
    """Keyword text as matched: lower case, one space, no match-type marks ([x], "x", +x)."""
    text = s.astype("string").str.lower().str.replace(r'[\[\]"+]', " ", regex=True)
    return text.str.replace(r"\s+", " ", regex=True).str.strip()


def _campaign_stats(t: pd.DataFrame, th: AdThresholds) -> pd.DataFrame:
    """Per currency and campaign: CTR, CVR, AOV and the target cost per order."""
    c = with_ratios(sums(t, ["currency", "campaign"]))
    has_orders = "orders" in c and c["orders"].notna().any()
    if has_orders and "gmv" in c:
        aov = c["gmv"] / c["orders"].where(c["orders"] > 0)
        cur = t.groupby("currency")[["gmv", "orders"]].sum()
        account_aov = (cur["gmv"] / cur["orders"].where(cur["orders"] > 0)).rename("account_aov")
        aov = aov.fillna(c["currency"].map(account_aov))
    else:
        aov = pd.Series(np.nan, index=c.index)
    c["aov"] = aov
    c["target_cpa"] = th.target_cpa if th.target_cpa > 0 else aov * th.margin
    if has_orders:  # a campaign's own rate is thin too: shrink it toward the account's
        acc = t.groupby("currency")[["orders", "clicks"]].sum()
        acc_cvr = c["currency"].map(acc["orders"] / acc["clicks"].where(acc["clicks"] > 0))
        s = th.prior_clicks_default
        c["cvr_prior"] = (c["orders"].fillna(0) + acc_cvr.fillna(0) * s) / (c["clicks"] + s)
        c["need"] = clicks_needed(th.k_orders, c["cvr_prior"].fillna(0))
    else:
        c["cvr_prior"], c["need"] = np.nan, np.inf
    return c.set_index(["currency", "campaign"])


def _attach_campaign(t: pd.DataFrame, camp: pd.DataFrame) -> pd.DataFrame:
    cols = {"ctr": "campaign_ctr", "cvr_prior": "campaign_cvr", "aov": "aov"}
    cols |= {"target_cpa": "target_cpa", "need": "need"}
    joined = camp[list(cols)].rename(columns=cols)
    return t.join(joined, on=["currency", "campaign"])


def _shrunk(t: pd.DataFrame, th: AdThresholds) -> pd.DataFrame:
    """Adds cvr_shrunk, cvr_low, cvr_high and roas_est (ROAS at the shrunk rate)."""
    t = t.copy()
    if "orders" not in t or t["orders"].isna().all():
        for c in ("cvr_shrunk", "cvr_low", "cvr_high", "roas_est"):
            t[c] = np.nan
        return t
    strength = pd.Series(th.prior_clicks, index=t.index, dtype=float)
    if th.prior_clicks <= 0:
        per = {
            key: prior_strength(g["orders"].fillna(0), g["clicks"], th.prior_clicks_default)
            for key, g in t.groupby(["currency", "campaign"], dropna=False, sort=False)
        }
        strength = pd.Series(
            [per[k] for k in zip(t["currency"], t["campaign"])], index=t.index, dtype=float
        )
    prior = t["campaign_cvr"].fillna(0)
    mean, low, high = shrink_cvr(t["orders"], t["clicks"], prior, strength, th.credible)
    t["prior_clicks"] = strength
    t["cvr_shrunk"], t["cvr_low"], t["cvr_high"] = mean, low, high
    if "gmv" in t:
        value = t["gmv"] / t["orders"].where(t["orders"] > 0)
        t["roas_est"] = mean * t["clicks"] * value / t["cost"].where(t["cost"] > 0)
    else:
        t["roas_est"] = np.nan
    return t


def aggregate(df: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """One row per key: sums; the last bid and quality score; impression-weighted rank."""
    df = fill_keys(df, key)
    if "date" in df and df["date"].notna().any():
        df = df.sort_values("date", kind="stable")
    t = sums(df, key)
    g = df.groupby(key, dropna=False, sort=False)
    for c in ("bid", "quality_score", "status", "term_status", "keyword"):
        if c in df and c not in key:
            t[c] = g[c].last().to_numpy()
    if "avg_rank" in df and df["avg_rank"].notna().any():
        w = df["impressions"].where(df["avg_rank"].notna(), 0)
        num = (df["avg_rank"].fillna(0) * w).groupby([df[k] for k in key], sort=False).sum()
        den = w.groupby([df[k] for k in key], sort=False).sum()
        t["avg_rank"] = (num / den.where(den > 0)).to_numpy()
    return t


def _low_ctr(t: pd.DataFrame, th: AdThresholds) -> pd.Series:
    return (t["impressions"] >= th.min_impressions) & (
        t["ctr"] < th.ctr_ratio * t["campaign_ctr"]
    ).fillna(False)


def _low_ctr_before_and_after(df: pd.DataFrame, t: pd.DataFrame, th: AdThresholds) -> pd.Series:
    """Keywords whose CTR was low both before and during the last ``watch_days`` days."""
    if "date" not in df or df["date"].isna().all():
        return pd.Series(False, index=t.index)
    cut = df["date"].max() - pd.Timedelta(days=th.watch_days - 1)
    flags = []
    for part in (df[df["date"] < cut], df[df["date"] >= cut]):
        if part.empty:
            return pd.Series(False, index=t.index)
        p = with_ratios(aggregate(part, KEYWORD_KEY))
        p = _attach_campaign(p, _campaign_stats(fill_keys(part, KEYWORD_KEY), th))
        low = _low_ctr(p, th)
        flags.append(pd.MultiIndex.from_frame(p.loc[low, KEYWORD_KEY].astype(str)))
    both = flags[0].intersection(flags[1])
    here = pd.MultiIndex.from_frame(t[KEYWORD_KEY].astype(str))
    return pd.Series(here.isin(both), index=t.index)


def fill_keys(df: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """``df`` with every ``key`` column present, missing texts as "" (groupable)."""
    df = df.copy()
    for k in key:
        df[k] = df[k].fillna("") if k in df else ""
    return df


def decide_keywords(rows: pd.DataFrame, th: AdThresholds) -> pd.DataFrame:
    """One row per keyword with its sums, ratios, shrunk CVR, action, rule, numbers, new bid.

    Rules, in order (each a field of ``th``):

    * zero orders: **pause** once clicks ≥ ⌈k / campaign CVR⌉ or cost ≥ the target cost
      per order; before that **watch** (never pause on thin data);
    * with orders but fewer clicks than that: **watch**;
    * ROAS at the shrunk conversion rate < break-even: **lower** the bid one step;
      ≥ ``raise_roas_factor`` × break-even with rank headroom: **raise** one step; else keep;
    * a keep or watch whose CTR is below ``ctr_ratio`` × its campaign's over enough
      impressions, or whose quality score is low: **rework**; low before and during the last
      ``watch_days`` days (dated rows): **pause**;
    * the ``top_converters`` keywords by orders are never paused.
    """
    df = fill_keys(rows, KEYWORD_KEY)
    t = with_ratios(aggregate(df, KEYWORD_KEY))
    t = _shrunk(_attach_campaign(t, _campaign_stats(df, th)), th)
    has_orders = "orders" in t and t["orders"].notna().any()
    has_gmv = has_orders and "gmv" in t and t["gmv"].notna().any()
    be = th.break_even
    action = pd.Series("keep", index=t.index, dtype=object)
    rule = pd.Series("keep", index=t.index, dtype=object)
    if has_orders:
        zero = t["orders"].fillna(0) <= 0
        by_clicks = zero & (t["clicks"] >= t["need"])
        by_cost = zero & ~by_clicks & (t["cost"] >= t["target_cpa"]).fillna(False)
        thin = t["clicks"] < t["need"]
        action[zero], rule[zero] = "watch", "watch_thin"
        action[by_clicks], rule[by_clicks] = "pause", "pause_clicks"
        action[by_cost], rule[by_cost] = "pause", "pause_cost"
        converting = ~zero
        action[converting & thin], rule[converting & thin] = "watch", "watch_thin"
        if has_gmv:
            judged = converting & ~thin
            lower = judged & (t["roas_est"] < be)
            high = judged & (t["roas_est"] >= th.raise_roas_factor * be)
            if "avg_rank" in t:
                headroom = t["avg_rank"].isna() | (t["avg_rank"] > th.top_rank)
            else:
                headroom = pd.Series(True, index=t.index)
            action[lower], rule[lower] = "lower", "lower"
            action[high & headroom], rule[high & headroom] = "raise", "raise"
            rule[high & ~headroom] = "keep_top_rank"
            rule[judged & ~lower & ~high] = "keep_roas"
    else:
        rule[:] = "keep_untracked"
    open_ = action.isin(["keep", "watch"])
    low_ctr = _low_ctr(t, th) & open_
    low_qs = (
        (t["quality_score"] < th.min_quality_score).fillna(False) & open_ & ~low_ctr
        if "quality_score" in t
        else pd.Series(False, index=t.index)
    )
    action[low_ctr], rule[low_ctr] = "rework", "rework_ctr"
    action[low_qs], rule[low_qs] = "rework", "rework_quality"
    stale = low_ctr & _low_ctr_before_and_after(df, t, th)
    action[stale], rule[stale] = "pause", "pause_ctr"
    top = _top_converters(t, th.top_converters)
    guarded = top & (action == "pause")
    action[guarded], rule[guarded] = "keep", "protected"
    t["top_converter"] = top
    t["action"], t["rule"] = action, rule
    t["new_bid"] = _new_bid(t, th)
    return t.sort_values(["action", "cost"], key=_action_order, ascending=[True, False])


def _top_converters(t: pd.DataFrame, n: int) -> pd.Series:
    if "orders" not in t or n <= 0:
        return pd.Series(False, index=t.index)
    ranked = t[t["orders"].fillna(0) > 0].sort_values("orders", ascending=False)
    top = ranked.groupby("currency", sort=False).head(n).index
    return pd.Series(t.index.isin(top), index=t.index)


def _new_bid(t: pd.DataFrame, th: AdThresholds) -> pd.Series:
    if "bid" not in t:
        return pd.Series(np.nan, index=t.index)
    factor = t["action"].map({"raise": 1 + th.bid_step, "lower": 1 - th.bid_step})
    return (t["bid"] * factor).round(2)


def _action_order(s: pd.Series) -> pd.Series:
    if s.name == "action":
        return s.map({a: i for i, a in enumerate(ACTIONS)})
    return s


def decide_terms(
    rows: pd.DataFrame, th: AdThresholds, keywords: pd.Series | None = None
) -> pd.DataFrame:
    """One row per search term with an action: add (as a keyword), negative, watch or keep.

    * ``add_min_orders`` orders or more, ROAS ≥ break-even, and not yet a keyword (not in
      ``keywords``, not marked Added/Excluded by the platform): **add**;
    * zero orders past ⌈k / campaign CVR⌉ clicks or the target cost per order: **negative**;
      before that: **watch**. A top converter is never made negative.
    """
    df = fill_keys(rows, TERM_KEY)
    t = with_ratios(aggregate(df, TERM_KEY))
    t = _shrunk(_attach_campaign(t, _campaign_stats(df, th)), th)
    action = pd.Series("keep", index=t.index, dtype=object)
    rule = pd.Series("keep_term", index=t.index, dtype=object)
    if "orders" in t and t["orders"].notna().any():
        known = set(_norm(keywords).dropna()) if keywords is not None else set()
        if "keyword" in t:
            exact = _norm(t["keyword"]) == _norm(t["search_term"])
            known |= set(_norm(t.loc[exact.fillna(False), "search_term"]).dropna())
        handled = (
            _norm(t["term_status"]).isin(_HANDLED_TERMS).fillna(False)
            if "term_status" in t
            else pd.Series(False, index=t.index)
        )
        is_keyword = _norm(t["search_term"]).isin(known).fillna(False) | handled
        zero = t["orders"].fillna(0) <= 0
        roas = t["roas"] if "gmv" in t else pd.Series(np.nan, index=t.index)
        add = (t["orders"] >= th.add_min_orders) & (roas >= th.break_even) & ~is_keyword
        negative = zero & ~handled & ((t["clicks"] >= t["need"]) | (t["cost"] >= t["target_cpa"]))
        watch = zero & ~negative & ~handled & (t["clicks"] > 0)  # no click: nothing to judge
        action[add], rule[add] = "add", "add"
        action[negative], rule[negative] = "negative", "negative"
        action[watch], rule[watch] = "watch", "watch_term"
        t["is_keyword"] = is_keyword
    else:
        rule[:] = "keep_untracked"
    t["top_converter"] = _top_converters(t, th.top_converters)
    action[t["top_converter"] & (action == "negative")] = "keep"
    t["action"], t["rule"] = action, rule
    return t.sort_values(["action", "cost"], key=_action_order, ascending=[True, False])


def total_checks(
    rows: pd.DataFrame, totals: list[dict], per_row: float = PER_ROW_ROUNDING
) -> pd.DataFrame:
    """Each export's data-row sums against its own total row (合计, ``Total: Account``).

    One row per file and column: the data rows' sum, the total row's value, the difference
    and whether they agree. Platforms round each row before writing it, so a column of
    decimals agrees within ``per_row`` (a cent) per data row, plus half a cent for the
    total's own rounding; whole counts (impressions, clicks) must agree exactly. In a file
    whose rows hold more than one currency the money columns are not checked (its total row
    mixes them); counts still are.
    """
    out = []
    by_file = {f: g for f, g in rows.groupby("_file", sort=False)}
    for total in _main_totals(totals):
        data = by_file.get(total["file"])
        if data is None:
            continue
        currencies = data["currency"].dropna().unique() if "currency" in data else []
        label = total.get("label") or ""
        for c in CHECKED_TOTALS:
            if total.get(c) is None or c not in data or data[c].isna().all():
                continue
            got = compare(data[c], total[c], per_row)  # the one check the reader applies too
            out.append(
                {
                    "file": total["file"],
                    "label": label,
                    "column": c,
                    "rows_sum": got["rows_sum"],
                    "total_row": total[c],
                    "difference": got["difference"],
                    "agrees": got["agrees"],
                    "checked": len(currencies) <= 1 or c not in MONEY_SUMS,
                }
            )
    return pd.DataFrame(
        out,
        columns=[
            "file",
            "label",
            "column",
            "rows_sum",
            "total_row",
            "difference",
            "agrees",
            "checked",
        ],
    )


# Google's total rows, by what they sum. The rows shown: the whole listing, or all of it but
# the removed rows (which the export then leaves out too), or one campaign's export. The
# account: everything, also the rows not listed. Every other label (Total: Search, Total:
# Other search terms …) sums a part and is never checked against the rows.
ROWS_TOTAL_LABELS = (
    "total: search terms",
    "total: keywords",
    "total: filtered",
    "total: all but removed",
    "total: campaign",
    "total: ad group",
)
ACCOUNT_TOTAL_LABELS = (
    "total: account",
    "total: manager account",
    "total - account",
    "合计",
    "总计",
    "汇总",
    "total",
    "totals",
    "grand total",
)


def _main_totals(totals: list[dict]) -> list[dict]:
    """Per file, the total row that sums the data rows shown, else the account's, else the only one.

    Google writes ``Total: Search terms`` (the rows shown) beside ``Total: Account``, which
    also holds the ``Other search terms`` it hides; subtotals by campaign type (``Total:
    Search``, ``Total: Performance Max``) sum a part and are never checked.
    """
    by_file: dict[str, list[dict]] = {}
    for t in totals:
        if t.get("how", "sum") == "sum":  # an average row (平均值, Average) sums nothing
            by_file.setdefault(t["file"], []).append(t)
    out = []
    for rows in by_file.values():
        labels = [(t.get("label") or "").strip().lower() for t in rows]
        shown = [t for t, lab in zip(rows, labels) if lab.startswith(ROWS_TOTAL_LABELS)]
        account = [
            t for t, lab in zip(rows, labels) if lab.rstrip(":：").strip() in ACCOUNT_TOTAL_LABELS
        ]
        out += (shown or account)[:1] or (rows if len(rows) == 1 else [])
    return out


def hidden_terms(totals: list[dict]) -> list[dict]:
    """The ``Total: Other search terms`` rows: spend on terms Google does not list."""
    return [
        t for t in totals if (t.get("label") or "").strip().lower() == "total: other search terms"
    ]


def wasted_spend(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Cost with no orders per level (keyword, term, plan, item): name, currency, cost, share.

    ``tables`` maps a level to its rows already summed over the window (one row per entity,
    with ``name``, ``currency``, ``cost``, ``orders``); share is of the level's own spend.
    """
    out = []
    for level, t in tables.items():
        if t is None or t.empty or "orders" not in t or t["orders"].isna().all():
            continue
        spend = t.groupby("currency")["cost"].sum()
        waste = t[(t["orders"].fillna(0) <= 0) & (t["cost"] > 0)]
        for _, r in waste.iterrows():
            share = r["cost"] / spend[r["currency"]] if spend[r["currency"]] else np.nan
            out.append(
                {
                    "level": level,
                    "name": r["name"],
                    "currency": r["currency"],
                    "cost": r["cost"],
                    "clicks": r.get("clicks", np.nan),
                    "share": share,
                }
            )
    cols = ["level", "name", "currency", "cost", "clicks", "share"]
    return pd.DataFrame(out, columns=cols).sort_values(["level", "cost"], ascending=[True, False])


def reallocate(plans: pd.DataFrame, th: AdThresholds) -> pd.DataFrame:
    """Budget moves from plans below break-even ROAS to plans at the raise level or above.

    Each losing plan gives ``realloc_share`` of its spend, split among the winning plans of
    its currency by their spend. Only plans with enough clicks to judge (``need``: ⌈k /
    conversion rate⌉, when given) take part. The estimate assumes the giver loses its
    average ROAS on the money it gives up and the receiver earns ``marginal_factor`` × its
    average ROAS on the money it gets (returns fall as spend grows).
    """
    rows = []
    for cur, g in plans.groupby("currency", sort=False):
        judged = g["clicks"] >= g["need"] if "need" in g else pd.Series(True, index=g.index)
        givers = g[judged & (g["roas"].fillna(0) < th.break_even) & (g["cost"] > 0)]
        takers = g[judged & (g["roas"] >= th.raise_roas_factor * th.break_even)]
        if givers.empty or takers.empty:
            continue
        weights = takers["cost"] / takers["cost"].sum()
        for _, giver in givers.iterrows():
            moved = giver["cost"] * th.realloc_share
            for (_, taker), w in zip(takers.iterrows(), weights):
                amount = moved * w
                lost = amount * giver["roas"]
                gained = amount * th.marginal_factor * taker["roas"]
                rows.append(
                    {
                        "currency": cur,
                        "from_plan": giver["campaign"],
                        "to_plan": taker["campaign"],
                        "amount": amount,
                        "from_roas": giver["roas"],
                        "to_roas": taker["roas"],
                        "revenue_lost": lost,
                        "revenue_gained": gained,
                        "revenue_change": gained - lost,
                    }
                )
    cols = [
        "currency",
        "from_plan",
        "to_plan",
        "amount",
        "from_roas",
        "to_roas",
        "revenue_lost",
        "revenue_gained",
        "revenue_change",
    ]
    return pd.DataFrame(rows, columns=cols)
