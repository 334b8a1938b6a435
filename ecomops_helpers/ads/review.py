"""The paid-ads report: the audit of one report date, its findings and what the notebook shows.

``build_ad_audit(folder, report_date, thresholds)`` reads the ad exports (``ad_keywords``,
``ad_search_terms``, ``ad_plans``), keeps the rows of the audit window and computes:

* the headline per export and currency as the data rows add up, checked against the
  export's own total rows (``合计``, ``Total: Account``);
* every keyword's and search term's action (:mod:`.ads`);
* wasted spend, campaigns side by side with a budget reallocation estimate, visitor value
  against visitor cost, the spend needed to reach the month's target, and daily trends.

``write_actions`` writes the bulk-upload file ``ads/actions.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..daily.item_health import absent_page_columns, page_health_by
from ..daily.item_health_text import failure_text, missing_columns_text
from ..daily.trace import shop_sources
from ..errors import MissingExportError
from ..exports import ExportSource
from ..exports.catalogue.ads import AD_KINDS
from ..page import formatting as fmt
from ..page.actions import Finding
from ..page.i18n import Messages, date_note_text, missing_kind_text, source_warnings, unusable_text
from ..safe_csv import write_csv
from ..sources import open_folder
from . import audit as ads
from .audit import AdThresholds
from .page_hold import hold_raises

__all__ = [
    "AdAudit",
    "build_ad_audit",
    "write_actions",
    "headline",
    "keyword_view",
    "term_view",
    "plans_view",
    "headline_view",
    "page_hold_view",
    "sources_view",
    "checks_view",
    "waste_view",
    "visitor_view",
    "banner_lines",
]

CAMPAIGN_SOURCES = ("ad_plans", "ad_keywords", "ad_search_terms")  # most complete first
SEVERITY = {"pause": 1, "negative": 1, "lower": 2, "raise": 2, "add": 2, "rework": 3, "watch": 3}


# --------------------------------------------------------------------------- the audit


@dataclass
class AdAudit:
    """Everything the paid-ads notebook shows for one report date."""

    report_date: pd.Timestamp
    window: tuple[pd.Timestamp, pd.Timestamp]
    thresholds: AdThresholds
    lang: str
    rows: dict[str, pd.DataFrame]  # kind → rows of the window, currency filled
    sources: pd.DataFrame  # per file: kind, rows, period, currencies
    headline_table: pd.DataFrame  # per kind × currency: sums and ratios
    account: pd.DataFrame  # per currency, each campaign counted once
    checks: pd.DataFrame  # data rows vs total rows
    keywords: pd.DataFrame | None = None
    terms: pd.DataFrame | None = None
    waste: pd.DataFrame | None = None
    plans: pd.DataFrame | None = None
    realloc: pd.DataFrame | None = None
    visitor_value: pd.DataFrame | None = None
    target_spend: dict | None = None
    trends: pd.DataFrame | None = None  # date × campaign: cost, gmv, clicks, roas, cpc
    rule_starts: pd.DataFrame | None = None  # campaign, first day of its below-break-even run
    skipped: list[str] = field(default_factory=list)  # rules not run, and why
    left_out: list[str] = field(default_factory=list)  # files outside the window
    missing: dict[str, str] = field(default_factory=dict)  # section → why it is hidden
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    date_notes: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)  # the report date, when no row is dated
    span: tuple = (pd.NaT, pd.NaT)  # the first and last day the exports cover
    banners: list[str] = field(default_factory=list)  # undated files: where the period came from
    page_holds: pd.DataFrame | None = None  # raises held until the item page passes its check


def _period(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each row's first and last day: its date, else its file's period (NaT: unknown)."""
    date = df["date"] if "date" in df else pd.Series(pd.NaT, index=df.index)
    start = date.fillna(df["period_start"]) if "period_start" in df else date
    end = date.fillna(df["period_end"]) if "period_end" in df else date
    return pd.to_datetime(start), pd.to_datetime(end)


def _last_day(frames: dict[str, pd.DataFrame]) -> pd.Timestamp | None:
    ends = [_period(df)[1].max() for df in frames.values()]
    ends = [e for e in ends if pd.notna(e)]
    return max(ends) if ends else None


def _span(frames: dict[str, pd.DataFrame]) -> tuple:
    """The first and last day the ad exports cover (NaT when they carry no date)."""
    periods = [_period(df) for df in frames.values()]
    first = min((s.min() for s, _ in periods if s.notna().any()), default=pd.NaT)
    last = max((e.max() for _, e in periods if e.notna().any()), default=pd.NaT)
    return first, last


def _in_window(df: pd.DataFrame, lo, hi) -> pd.Series:
    start, end = _period(df)
    known = start.notna() & end.notna()
    return ~known | ((end >= lo) & (start <= hi))


def _sources(frames: dict[str, pd.DataFrame], raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    out = []
    for kind, df in raw.items():
        start, end = _period(df)
        for name, g in df.groupby("_file", sort=False):
            kept = frames[kind]
            cur = ", ".join(sorted(g["currency"].dropna().astype(str).unique()))
            out.append(
                {
                    "kind": kind,
                    "file": name,
                    "rows": len(g),
                    "rows_used": int((kept["_file"] == name).sum()),
                    "first": start[g.index].min(),
                    "last": end[g.index].max(),
                    "currency": cur,
                    "dated": "date" in g and g["date"].notna().any(),
                }
            )
    return pd.DataFrame(out)


def _by_kind(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    parts = []
    for kind, df in frames.items():
        t = ads.with_ratios(ads.sums(df, ["currency"]))
        t.insert(0, "kind", kind)
        parts.append(t)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _campaign_union(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per currency and campaign from its most complete export: plans, keywords, terms.

    A search-term report breaks down the same spend as the keyword report, and a campaign
    report holds both: adding them would count the money twice.
    """
    parts, seen = [], set()
    for kind in CAMPAIGN_SOURCES:
        df = frames.get(kind)
        if df is None or df.empty:
            continue
        t = ads.sums(df, ["currency", "campaign"])
        t = t[[(c, p) not in seen for c, p in zip(t["currency"], t["campaign"])]]
        seen |= set(zip(t["currency"], t["campaign"]))
        parts.append(t.assign(kind=kind))
    if not parts:
        return pd.DataFrame()
    return ads.with_ratios(pd.concat(parts, ignore_index=True))


def _rule_text(T: Messages, r: pd.Series, th: AdThresholds, lang: str) -> str:
    cur = r["currency"]

    def m(x):
        return fmt.money(x, lang, currency=cur, compact=False)

    values = {
        "clicks": fmt.number(r["clicks"]),
        "impressions": fmt.number(r["impressions"]),
        "need": fmt.number(r.get("need", np.nan)) if np.isfinite(r.get("need", np.inf)) else "∞",
        "k": f"{th.k_orders:g}",
        "cvr": fmt.pct(r.get("campaign_cvr", np.nan), 2, lang),
        "cost": m(r["cost"]),
        "cpa": m(r.get("target_cpa", np.nan)),
        "orders": fmt.number(
            r.get("orders", np.nan), 0 if float(r.get("orders") or 0).is_integer() else 1
        ),
        "roas": fmt.number(r.get("roas_est", r.get("roas", np.nan)), 2),
        "roas_raw": fmt.number(r.get("roas", np.nan), 2),
        "be": fmt.number(th.break_even, 2),
        "raise_at": fmt.number(th.raise_roas_factor * th.break_even, 2),
        "rank": fmt.number(r.get("avg_rank", np.nan), 1),
        "top": f"{th.top_rank:g}",
        "ctr": fmt.pct(r.get("ctr", np.nan), 2, lang),
        "campaign_ctr": fmt.pct(r.get("campaign_ctr", np.nan), 2, lang),
        "ratio": f"{th.ctr_ratio:g}",
        "qs": fmt.number(r.get("quality_score", np.nan), 0),
        "min_qs": f"{th.min_quality_score:g}",
        "days": th.watch_days,
        "shrunk": fmt.pct(r.get("cvr_shrunk", np.nan), 2, lang),
        "raw_cvr": fmt.pct(r.get("cvr", np.nan), 1, lang),
        "item": r.get("page_item", ""),
        "page": r.get("page_fails", ""),
    }
    return T(f"ads.rules.{r['rule']}", **values)


def _action_findings(t: pd.DataFrame, kind: str, T, th: AdThresholds, lang: str) -> list[Finding]:
    out = []
    name_col = "keyword" if kind == "keyword" else "search_term"
    for action in ads.ACTIONS[:-1]:
        rows = t[t["action"] == action]
        if rows.empty:
            continue
        order = "gmv" if action == "add" and "gmv" in rows else "cost"
        rows = rows.sort_values(order, ascending=False)
        for _, r in rows.head(th.cards_per_action).iterrows():
            bid = r.get("new_bid", np.nan)
            what = T(
                f"findings.ads.{action}.what",
                name=_unquoted(r[name_col]),
                campaign=str(r["campaign"]),
                kind=T(f"ads.kinds.{kind}"),
            )
            todo = T(
                f"findings.ads.{action}.action",
                bid=fmt.money(bid, lang, currency=r["currency"], compact=False)
                if pd.notna(bid)
                else T("ads.misc.no_bid"),
                step=fmt.pct(th.bid_step, 0, lang),
            )
            out.append(
                Finding(
                    SEVERITY[action],
                    "ads",
                    what[:1].upper() + what[1:],
                    _rule_text(T, r, th, lang),
                    todo,
                )
            )
        if len(rows) > th.cards_per_action:
            more = T(
                "findings.ads.more.what",
                n=len(rows) - th.cards_per_action,
                kind=T(f"ads.kinds.{kind}"),
                action=T.term(action),
            )
            out.append(
                Finding(3, "ads", more, T("findings.ads.more.rule"), T("findings.ads.more.action"))
            )
    return out


def _unquoted(text) -> str:
    """A phrase-match keyword without its own quotes: the finding's text quotes it once."""
    s = str(text).strip()
    return s[1:-1].strip() if len(s) > 1 and s[0] in '"“' and s[-1] in '"”' else s


def _skipped_rules(frames: dict[str, pd.DataFrame], T: Messages) -> list[str]:
    out = []
    for kind, df in frames.items():
        files = ", ".join(df["_file"].unique()[:3])
        label = T.kind(kind)

        def lacks(col, df=df):
            return col not in df or df[col].isna().all()

        if lacks("orders"):
            out.append(T("ads.skipped.orders", kind=label, files=files))
        elif lacks("gmv"):
            out.append(T("ads.skipped.gmv", kind=label, files=files))
        if kind == "ad_keywords":
            for col in ("bid", "avg_rank", "quality_score"):
                if lacks(col):
                    out.append(T(f"ads.skipped.{col}", kind=label, files=files))
        if lacks("date"):
            out.append(T("ads.skipped.date", kind=label, files=files))
    return out


def _plans_table(
    campaigns: pd.DataFrame, frames: dict[str, pd.DataFrame], th: AdThresholds
) -> pd.DataFrame:
    """The campaigns side by side: clicks needed to judge each, its scene where given."""
    t = campaigns.copy()
    if t.empty:
        return t
    if "orders" in t and t["orders"].notna().any():
        acc = t.groupby("currency")[["orders", "clicks"]].sum()
        acc_cvr = t["currency"].map(acc["orders"] / acc["clicks"].where(acc["clicks"] > 0))
        t["need"] = ads.clicks_needed(th.k_orders, acc_cvr.fillna(0))
    if "ad_plans" in frames and "scene" in frames["ad_plans"]:
        scene = frames["ad_plans"].groupby("campaign")["scene"].first()
        t["scene"] = t["campaign"].map(scene)
    return t.sort_values(["currency", "cost"], ascending=[True, False]).reset_index(drop=True)


def _waste_levels(frames, keywords, terms, plans) -> dict[str, pd.DataFrame]:
    levels = {}
    if keywords is not None:
        levels["keyword"] = keywords.assign(name=keywords["keyword"])
    if terms is not None:
        levels["term"] = terms.assign(name=terms["search_term"])
    if not plans.empty:
        levels["plan"] = plans.assign(name=plans["campaign"])
    items = frames.get("ad_plans")
    if items is not None and "item_id" in items and items["item_id"].notna().any():
        key = ["currency", "item_id"] + (["item_name"] if "item_name" in items else [])
        it = ads.sums(ads.fill_keys(items, key), key)
        label = it["item_name"].astype(str) if "item_name" in it else it["item_id"]
        levels["item"] = it.assign(name=label.where(label != "", it["item_id"]))
    return levels


def _trends(frames, th: AdThresholds) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Daily spend, ROAS and CPC per campaign, and when each fell below break-even.

    The second table holds, per campaign whose 7-day ROAS is below break-even on its last
    day, the first day of that run.
    """
    dated, seen = [], set()
    for kind in CAMPAIGN_SOURCES:  # each campaign from one export, as in the headline
        df = frames.get(kind)
        if df is None or "date" not in df or df["date"].isna().all():
            continue
        df = df[df["date"].notna()]
        pairs = pd.Series(list(zip(df["currency"], df["campaign"])), index=df.index)
        dated.append(df[~pairs.isin(seen)])
        seen |= set(pairs)
    if not dated:
        return None, None
    key = ["currency", "campaign", "date"]
    t = ads.sums(pd.concat(dated, ignore_index=True), key).sort_values(key, ignore_index=True)
    t = ads.with_ratios(t)
    t["_i"] = t.index
    starts = []
    t["roas_7d"] = np.nan
    for (cur, camp), g in t.groupby(["currency", "campaign"], sort=False):
        g = g.set_index("date").sort_index()
        if "gmv" not in g or g["gmv"].isna().all():
            continue
        rolled = g[["gmv", "cost"]].rolling("7D").sum()
        roas_7d = rolled["gmv"] / rolled["cost"].where(rolled["cost"] > 0)
        t.loc[g["_i"].to_numpy(), "roas_7d"] = roas_7d.to_numpy()
        below = roas_7d < th.break_even
        if below.iloc[-1]:
            run = below[::-1].cumprod()[::-1].astype(bool)
            starts.append({"currency": cur, "campaign": camp, "since": run[run].index.min()})
    return t, pd.DataFrame(starts, columns=["currency", "campaign", "since"])


def _channel(name, g: pd.DataFrame, visitors: str) -> dict:
    """One paid channel's visitors, cost, cost per visitor and revenue per visitor."""
    v = g[visitors].sum()
    return {
        "channel": name,
        "visitors": v,
        "cost": g["cost"].sum(),
        "cost_per_visitor": g["cost"].sum() / v if v else np.nan,
        "ad_revenue_per_visitor": g["gmv"].sum() / v if v and "gmv" in g else np.nan,
    }


def _visitor_value(folder: ExportSource, frames, window, th: AdThresholds, T, lang):
    """Paid cost per visitor per channel against the shop's revenue per visitor."""
    shop, why = folder.load_optional("shop_daily")
    if shop is None:
        return None, why
    lo, hi = window
    s = shop[(shop["date"] >= lo) & (shop["date"] <= hi)]
    if s.empty or s["visitors"].sum() == 0:
        return None, T("reasons.ads_no_shop_days", first=f"{lo:%Y-%m-%d}", last=f"{hi:%Y-%m-%d}")
    rpv = s["gmv"].sum() / s["visitors"].sum()
    rows = []
    for kind, df in frames.items():
        if kind == "ad_search_terms":
            continue
        d = df[df["currency"] == th.currency]
        if d.empty:
            continue
        group = "scene" if "scene" in d and d["scene"].notna().any() else None
        for name, g in d.groupby(group) if group else [(T.kind(kind), d)]:
            rows.append(_channel(name, g, "clicks"))
    sources, _ = folder.load_optional("traffic_sources")
    if sources is not None:
        sources = shop_sources(sources)  # one level of 流量来源: a level-1 row is no channel
    if sources is not None and "cost" in sources:
        src = sources[(sources["date"] >= lo) & (sources["date"] <= hi) & sources["cost"].notna()]
        rows += [_channel(name, g, "visitors") for name, g in src.groupby("source")]
    if not rows:
        return None, T("reasons.ads_no_channel", currency=th.currency)
    t = pd.DataFrame(rows)
    t["shop_revenue_per_visitor"] = rpv
    own = t["ad_revenue_per_visitor"]  # what the channel's own visitors bring, when known
    t["profit_per_visitor"] = own.fillna(rpv) * th.margin
    t["verdict"] = np.where(t["cost_per_visitor"] <= t["profit_per_visitor"], "pays", "costs")
    return t, ""


def _target_spend(folder: ExportSource, account: pd.DataFrame, when, th: AdThresholds, T):
    """The ad spend needed to close the month's GMV gap at the current ROAS."""
    plan, why = folder.load_optional("plan")
    if plan is None:
        return None, why
    shop, why = folder.load_optional("shop_daily")
    if shop is None:
        return None, why
    month = when.to_period("M").to_timestamp()
    target = plan.loc[plan["month"] == month, "gmv_target"]
    if target.empty:
        return None, T("reasons.ads_no_target", month=f"{month:%Y-%m}")
    mtd = shop[(shop["date"] >= month) & (shop["date"] <= when)]["gmv"].sum()
    row = account[account["currency"] == th.currency]
    if row.empty or pd.isna(row["roas"].iloc[0]) or row["roas"].iloc[0] <= 0:
        return None, T("reasons.ads_no_roas", currency=th.currency)
    roas = float(row["roas"].iloc[0])
    gap = float(target.iloc[0]) - mtd
    days_left = (month + pd.offsets.MonthEnd(1) - when).days
    return {
        "target": float(target.iloc[0]),
        "mtd": mtd,
        "gap": gap,
        "roas": roas,
        "spend": max(gap, 0) / roas,
        "days_left": days_left,
        "per_day": max(gap, 0) / roas / days_left if days_left > 0 else np.nan,
    }, ""


def build_ad_audit(
    data_dir: str | Path | ExportSource = "",
    report_date: str = "",
    thresholds: AdThresholds | None = None,
    lang: str = "zh",
    date_order: str = "auto",
) -> AdAudit:
    """Read the ad exports in ``data_dir`` and compute the audit for ``report_date``.

    The report date defaults to the last day the ad exports cover (a date column, else the
    end of the period named above the header). Rows dated inside the ``lookback_days``
    window, and undated rows whose period overlaps it, are audited; files wholly outside
    are left out and listed.
    """
    th = thresholds or AdThresholds()
    T = Messages(lang)
    folder = open_folder(data_dir, date_order)
    raw = {}
    for kind in AD_KINDS:
        df, _ = folder.load_optional(kind)
        if df is not None and not df.empty:
            df = df.copy()
            df["currency"] = (
                df["currency"].fillna(th.currency).str.upper() if "currency" in df else th.currency
            )
            raw[kind] = df
    if not raw:
        raise MissingExportError(unusable_text(T, "ad_keywords", folder.path, ""))
    last = _last_day(raw)
    assumed = []
    if last is None:  # "All time", or no date anywhere: date rules and trends are off
        when = pd.Timestamp(report_date) if report_date else pd.Timestamp.today().normalize()
        assumed.append(T("ads.headline.undated", day=f"{when:%Y-%m-%d}"))
    else:
        when = pd.Timestamp(report_date) if report_date else last
    lo = when - pd.Timedelta(days=th.lookback_days - 1)
    frames, left_out = {}, []
    for kind, df in raw.items():
        keep = _in_window(df, lo, when)
        for name in df.loc[~keep, "_file"].unique():
            if not keep[df["_file"] == name].any():
                start, end = _period(df[df["_file"] == name])
                left_out.append(
                    T(
                        "ads.misc.left_out",
                        file=name,
                        first=f"{start.min():%Y-%m-%d}",
                        last=f"{end.max():%Y-%m-%d}",
                    )
                )
        if keep.any():
            frames[kind] = df[keep].reset_index(drop=True)
    if not frames:
        raise MissingExportError(" ".join(left_out))
    campaigns = _campaign_union(frames)
    audit = AdAudit(
        report_date=when,
        window=(lo, when),
        thresholds=th,
        lang=lang,
        rows=frames,
        sources=_sources(frames, raw),
        headline_table=_by_kind(frames),
        account=_account(campaigns),
        checks=pd.concat(
            [ads.total_checks(raw[k], folder.totals.get(k, [])) for k in raw], ignore_index=True
        ).astype({"agrees": bool, "checked": bool}),
        left_out=left_out,
        date_notes=[date_note_text(T, n) for n in folder.date_notes],
        assumed=assumed,
        span=_span(raw),
    )
    audit.skipped = _skipped_rules(frames, T)
    audit.banners = banner_lines(folder.files, T)
    audit.banners += [
        T("ads.headline.one_campaign", file=name, campaign=campaign)
        for name, campaign in folder.named_from_file.items()
    ]
    audit.banners += _hidden_lines(folder.totals.get("ad_search_terms", []), T, lang)
    if "ad_keywords" in frames:
        audit.keywords = ads.decide_keywords(frames["ad_keywords"], th)
    else:
        audit.missing["keywords"] = unusable_text(T, "ad_keywords", folder.path, "")
    if "ad_search_terms" in frames:
        kw = frames["ad_keywords"]["keyword"] if "ad_keywords" in frames else None
        audit.terms = ads.decide_terms(frames["ad_search_terms"], th, kw)
    else:
        audit.missing["terms"] = unusable_text(T, "ad_search_terms", folder.path, "")
    if audit.keywords is not None:
        audit.keywords, why = _hold_for_pages(folder, audit.keywords, when, th, T, lang)
        if why:
            audit.missing["page_hold"] = why
        audit.page_holds = audit.keywords[audit.keywords["page_hold"]]
    audit.plans = _plans_table(campaigns, frames, th)
    audit.waste = ads.wasted_spend(_waste_levels(frames, audit.keywords, audit.terms, audit.plans))
    audit.realloc = ads.reallocate(audit.plans, th) if not audit.plans.empty else None
    audit.visitor_value, why = _visitor_value(folder, frames, audit.window, th, T, lang)
    if why:
        audit.missing["visitor_value"] = why
    audit.target_spend, why = _target_spend(folder, audit.account, when, th, T)
    if why:
        audit.missing["target_spend"] = why
    audit.trends, audit.rule_starts = _trends(frames, th)
    if audit.trends is None:
        audit.missing["trends"] = T("reasons.ads_no_dates")
    audit.warnings = source_warnings(T, folder)
    audit.findings = _findings(audit, T)
    return audit


def _hold_for_pages(folder: ExportSource, keywords, when, th: AdThresholds, T, lang):
    """Keywords with raises on failing item pages held (see :mod:`.page_hold`), and why not run.

    Without 商品效果 or its page columns nothing is held and the reason is returned.
    """
    items, _ = folder.load_optional("items_daily")
    absent = absent_page_columns(items)
    if items is None or absent:
        why = (
            missing_kind_text(T, folder, "items_daily")
            if items is None
            else missing_columns_text(T, absent)
        )
        return keywords.assign(page_hold=False), T("reasons.page_hold_unchecked", why=why)
    health = page_health_by(items, when, th)
    held = hold_raises(keywords, health)
    texts = {
        row["item_id"]: failure_text(T, row, th, lang)
        for _, row in health[health["failing"]].iterrows()
    }
    fails = [texts.get(i, "") if pd.notna(i) else "" for i in held["item_id"]]
    return held.assign(page_fails=fails), ""


def page_hold_view(a: AdAudit) -> pd.DataFrame:
    """The held raises: keyword, its item, what the page fails, the bid that was not raised."""
    t = a.page_holds.rename(columns={"roas_est": "held_roas"})
    cols = ["campaign", "keyword", "page_item", "page_fails", "held_roas", "bid", "currency"]
    return t[[c for c in cols if c in t]]


def _account(campaigns: pd.DataFrame) -> pd.DataFrame:
    """Per currency, each campaign counted once (see :func:`_campaign_union`)."""
    if campaigns.empty:
        return campaigns
    return ads.with_ratios(ads.sums(campaigns, ["currency"]))


def _findings(a: AdAudit, T: Messages) -> list[Finding]:
    th, lang = a.thresholds, a.lang
    out: list[Finding] = []
    bad = a.checks[a.checks["checked"] & ~a.checks["agrees"]]
    for (name, label), g in bad.groupby(["file", "label"], sort=False):
        parts = [
            T(
                "findings.ads.total_mismatch.part",
                column=T.term(c["column"]),
                rows=fmt.number(c["rows_sum"], 2 if c["column"] in ads.MONEY_SUMS else 0),
                total=fmt.number(c["total_row"], 2 if c["column"] in ads.MONEY_SUMS else 0),
            )
            for _, c in g.iterrows()
        ]
        out.append(
            Finding.from_catalogue(
                T,
                "ads.total_mismatch",
                2,
                "ads",
                "",
                file=name,
                label=label,
                parts=T("ui.list_sep").join(parts),
            )
        )
    if a.keywords is not None:
        out += _action_findings(a.keywords, "keyword", T, th, lang)
    if a.terms is not None:
        out += _action_findings(a.terms, "term", T, th, lang)
    if a.page_holds is not None and not a.page_holds.empty:
        h = a.page_holds
        out.append(
            Finding.from_catalogue(
                T,
                "ads.page_hold",
                2,
                "ads",
                "",
                n=len(h),
                keywords=T("ui.list_sep").join(
                    T("cross_report.held", keyword=_unquoted(k), item=i, page=p)
                    for k, i, p in zip(h["keyword"], h["page_item"], h["page_fails"])
                ),
            )
        )
    if a.waste is not None and not a.waste.empty:
        shares = a.waste.groupby(["currency", "level"])["share"].sum()
        for cur, by_level in shares.groupby(level=0):
            level, share = by_level.idxmax()[1], by_level.max()
            g = a.waste[(a.waste["currency"] == cur) & (a.waste["level"] == level)]
            if share > th.waste_share_alert:
                out.append(
                    Finding.from_catalogue(
                        T,
                        "ads.waste",
                        1,
                        "ads",
                        "",
                        level=T(f"ads.kinds.{level}"),
                        amount=fmt.money(g["cost"].sum(), lang, currency=cur),
                        share=fmt.pct(share, 1, lang),
                        alert=fmt.pct(th.waste_share_alert, 0, lang),
                        n=len(g),
                    )
                )
    if a.realloc is not None and not a.realloc.empty:
        for cur, g in a.realloc.groupby("currency"):
            out.append(
                Finding.from_catalogue(
                    T,
                    "ads.realloc",
                    2,
                    "ads",
                    "",
                    amount=fmt.money(g["amount"].sum(), lang, currency=cur),
                    givers=", ".join(g["from_plan"].unique()),
                    takers=", ".join(g["to_plan"].unique()),
                    change=fmt.money(g["revenue_change"].sum(), lang, currency=cur, sign=True),
                    be=fmt.number(th.break_even, 2),
                    factor=f"{th.marginal_factor:g}",
                )
            )
    if a.target_spend and a.target_spend["gap"] > 0:
        s = a.target_spend
        out.append(
            Finding.from_catalogue(
                T,
                "ads.target",
                3,
                "ads",
                "",
                gap=fmt.money(s["gap"], lang, currency=th.currency),
                roas=fmt.number(s["roas"], 2),
                spend=fmt.money(s["spend"], lang, currency=th.currency),
                per_day=fmt.money(s["per_day"], lang, currency=th.currency),
                days=s["days_left"],
            )
        )
    return out


def headline(a: AdAudit, T: Messages) -> list[dict]:
    """KPI cards per currency: spend, ROAS, orders, cost per order (each campaign once)."""
    items = []
    for _, r in a.account.iterrows():
        cur = r["currency"]
        suffix = f" · {cur}" if len(a.account) > 1 else ""
        items += [
            {
                "key": f"spend_{cur}",
                "label": T.term("cost") + suffix,
                "value": r["cost"],
                "text": fmt.money(r["cost"], a.lang, currency=cur),
                "change": "",
            },
            {
                "key": f"roas_{cur}",
                "label": T.term("roas") + suffix,
                "value": r["roas"],
                "text": fmt.number(r["roas"], 2),
                "change": "",
            },
            {
                "key": f"orders_{cur}",
                "label": T.term("orders") + suffix,
                "value": r.get("orders", np.nan),
                "text": fmt.number(r.get("orders", np.nan)),
                "change": "",
            },
        ]
    return items


ACTION_COLUMNS = [
    "campaign",
    "ad_group",
    "keyword_or_term",
    "match_type",
    "action",
    "new_bid",
    "currency",
    "rule",
]


def write_actions(a: AdAudit, out_dir: str | Path) -> Path:
    """Write every keyword's and search term's action to ``out_dir/ads/actions.csv``.

    For bulk upload: campaign, ad group, keyword or term, match type, action (the codes
    pause, negative, lower, raise, add, rework, watch), new bid, currency and the rule with
    its numbers in the report's language. Cells that a spreadsheet would run as a formula
    (starting ``= + - @``) are neutralised.
    """
    T = Messages(a.lang)
    parts = []
    for t, col in ((a.keywords, "keyword"), (a.terms, "search_term")):
        if t is None:
            continue
        p = with_rule_texts(a, t[t["action"] != "keep"], T)
        p = p.drop(columns="rule").rename(columns={col: "keyword_or_term", "rule_text": "rule"})
        if "new_bid" not in p:
            p["new_bid"] = np.nan
        parts.append(p.reindex(columns=ACTION_COLUMNS))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ACTION_COLUMNS)
    return write_csv(table, Path(out_dir) / "ads" / "actions.csv")


# ------------------------------------------------------------------------- what the notebook shows

KEYWORD_TABLE_ROWS = 40  # keywords shown in the report, by spend; all go to actions.csv


def _renamed(t: pd.DataFrame) -> pd.DataFrame:
    return t.rename(
        columns={"cost": "ad_cost", "orders": "ad_orders", "gmv": "ad_gmv", "roas_est": "roas_est"}
    )


def _interval(t: pd.DataFrame, lang: str) -> pd.Series:
    return pd.Series(
        [
            f"{fmt.pct(lo, 1, lang)}–{fmt.pct(hi, 1, lang)}" if pd.notna(lo) else "–"
            for lo, hi in zip(t["cvr_low"], t["cvr_high"])
        ],
        index=t.index,
    )


def with_rule_texts(a: AdAudit, t: pd.DataFrame, T: Messages) -> pd.DataFrame:
    """``t`` with each row's rule written out with its numbers, in the report language."""
    t = t.copy()
    t["rule_text"] = [_rule_text(T, r, a.thresholds, a.lang) for _, r in t.iterrows()]
    return t


def keyword_view(a: AdAudit, T: Messages, rows: int = KEYWORD_TABLE_ROWS) -> pd.DataFrame:
    """The keywords with the most spend: sums, raw and shrunk conversion, action and rule."""
    t = a.keywords.sort_values("cost", ascending=False).head(rows)
    t = with_rule_texts(a, t, T)
    t["cvr_interval"] = _interval(t, a.lang)
    cols = [
        "campaign",
        "keyword",
        "action",
        "rule_text",
        "impressions",
        "clicks",
        "ctr",
        "cost",
        "orders",
        "cvr",
        "cvr_shrunk",
        "cvr_interval",
        "roas",
        "avg_rank",
        "quality_score",
        "bid",
        "new_bid",
        "currency",
    ]
    return _renamed(t[[c for c in cols if c in t]])


def term_view(a: AdAudit, T: Messages, rows: int = KEYWORD_TABLE_ROWS) -> pd.DataFrame:
    """Search terms with an action first, then by spend."""
    t = a.terms[a.terms["action"] != "keep"].head(rows)
    t = with_rule_texts(a, t, T)
    cols = [
        "campaign",
        "search_term",
        "keyword",
        "action",
        "rule_text",
        "clicks",
        "cost",
        "orders",
        "gmv",
        "roas",
        "currency",
    ]
    return _renamed(t[[c for c in cols if c in t]])


def plans_view(a: AdAudit) -> pd.DataFrame:
    """Campaigns side by side: sums and every ratio recomputed from them."""
    cols = [
        "campaign",
        "scene",
        "kind",
        "impressions",
        "clicks",
        "ctr",
        "cpc",
        "cost",
        "orders",
        "cvr",
        "gmv",
        "roas",
        "cpa",
        "favcart_rate",
        "currency",
    ]
    return _renamed(a.plans[[c for c in cols if c in a.plans]])


def headline_view(a: AdAudit) -> pd.DataFrame:
    """Per export kind and currency: the data rows' sums (to the cent) and ratios."""
    cols = [
        "kind",
        "currency",
        "impressions",
        "clicks",
        "cost",
        "orders",
        "gmv",
        "roas",
        "ctr",
        "cpc",
        "cvr",
    ]
    t = a.headline_table[[c for c in cols if c in a.headline_table]].copy()
    for c in ("cost", "gmv"):
        if c in t:
            t[c] = t[c].round(2)
    return _renamed(t)


def sources_view(a: AdAudit) -> pd.DataFrame:
    """Each file read: kind, rows, rows in the window, period, currencies, dated or not."""
    t = a.sources.copy()
    t["dated"] = t["dated"].map({True: "yes", False: "no"})
    return t[["kind", "file", "rows", "rows_used", "first", "last", "currency", "dated"]]


def checks_view(a: AdAudit) -> pd.DataFrame:
    """The checked total rows, one row per file and column: counts whole, money to the cent."""
    t = a.checks[a.checks["checked"]].copy()
    for c in ("rows_sum", "total_row", "difference"):
        t[c] = [
            fmt.number(v, 2 if col in ads.MONEY_SUMS else 0, sign=c == "difference")
            for v, col in zip(t[c], t["column"])
        ]
    return t[["file", "label", "column", "rows_sum", "total_row", "difference"]]


def waste_view(a: AdAudit) -> pd.DataFrame:
    """Wasted spend, biggest first within each level."""
    t = a.waste.rename(columns={"cost": "ad_cost", "share": "waste_share"})
    return t[["level", "name", "clicks", "ad_cost", "waste_share", "currency"]]


def visitor_view(a: AdAudit) -> pd.DataFrame:
    """Cost per paid visitor per channel against the shop's revenue and profit per visitor."""
    return a.visitor_value.rename(
        columns={
            "visitors": "paid_visitors",
            "cost_per_visitor": "paid_cpv",
            "ad_revenue_per_visitor": "ad_rpv",
            "shop_revenue_per_visitor": "shop_rpv",
        }
    )[
        [
            "channel",
            "paid_visitors",
            "paid_cpv",
            "ad_rpv",
            "shop_rpv",
            "profit_per_visitor",
            "verdict",
        ]
    ]


def _hidden_lines(totals: list[dict], T: Messages, lang: str) -> list[str]:
    """What the search terms Google does not list cost, from its ``Total: Other search terms``."""
    out = []
    for t in ads.hidden_terms(totals):
        account = next(
            (
                x
                for x in totals
                if x["file"] == t["file"] and x["label"].lower() == "total: account"
            ),
            None,
        )
        share = t["cost"] / account["cost"] if account and account.get("cost") else np.nan
        out.append(
            T(
                "ads.headline.hidden",
                file=t["file"],
                clicks=fmt.number(t.get("clicks")),
                cost=fmt.number(t.get("cost"), 2),
                share=fmt.pct(share, 0, lang),
            )
        )
    return out


def window_line(a: AdAudit, T: Messages) -> str:
    """The audit window as a sentence; exports without any date are audited whole."""
    if a.assumed:
        return T("ads.headline.window_undated")
    first, last = (fmt.day(d, a.lang) for d in a.window)
    return T("ads.headline.window", first=first, last=last)


def banner_lines(folder_files, T: Messages) -> list[str]:
    """For each undated file, where its period came from (the line above its header)."""
    out = []
    for f in folder_files:
        if f.kind in AD_KINDS and f.banner and "date" not in f.mapping.values():
            banner = next(
                (b for b in f.banner if any(ch.isdigit() for ch in b) or "time" in b.lower()),
                f.banner[-1],
            )
            out.append(T("ads.headline.period_banner", file=f.path.name, banner=banner))
    return out


def all_agree(a: AdAudit) -> bool:
    """Whether every checked total row agrees with its data rows."""
    checked = a.checks[a.checks["checked"]]
    return bool(checked["agrees"].all())


def waste_chart_values(a: AdAudit, n: int = 10) -> pd.Series:
    """The keywords and search terms with the most spend and no order, in the main currency."""
    w = a.waste[a.waste["level"].isin(["keyword", "term"])]
    cur = _main_currency(a, w["currency"])
    w = w[w["currency"] == cur].nlargest(n, "cost")
    return pd.Series(w["cost"].to_numpy(), index=[f"{x} ({cur})" for x in w["name"]])


def _main_currency(a: AdAudit, present: pd.Series) -> str:
    """The report's currency when present, else the one with the most rows."""
    values = present.dropna()
    if (values == a.thresholds.currency).any() or values.empty:
        return a.thresholds.currency
    return str(values.value_counts().index[0])


def trend_of_currency(a: AdAudit) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The daily trends and rule starts of the main currency (one chart, one scale)."""
    cur = _main_currency(a, a.trends["currency"])
    starts = a.rule_starts[a.rule_starts["currency"] == cur]
    return a.trends[a.trends["currency"] == cur], starts


def rule_start_lines(a: AdAudit, T: Messages) -> list[str]:
    """One sentence per campaign whose 7-day ROAS is below break-even: since when."""
    return [
        T("ads.trends.since", campaign=r["campaign"], since=fmt.day(r["since"], a.lang))
        for _, r in a.rule_starts.iterrows()
    ]


def target_text(a: AdAudit, T: Messages) -> str:
    """The month's target, what is done and the ad spend the gap needs at the current ROAS."""
    s, cur = a.target_spend, a.thresholds.currency

    def m(x):
        return fmt.money(x, a.lang, currency=cur)

    if s["gap"] <= 0:
        return T("ads.visitors.target_met", target=m(s["target"]), mtd=m(s["mtd"]))
    return T(
        "ads.visitors.target",
        target=m(s["target"]),
        mtd=m(s["mtd"]),
        gap=m(s["gap"]),
        roas=fmt.number(s["roas"], 2),
        spend=m(s["spend"]),
        days=s["days_left"],
        per_day=m(s["per_day"]),
    )


def action_count(a: AdAudit) -> int:
    """Keywords and search terms with an action other than keep (the rows of actions.csv)."""
    return sum(int((t["action"] != "keep").sum()) for t in (a.keywords, a.terms) if t is not None)
