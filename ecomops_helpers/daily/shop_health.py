"""Shop health the platform scores: DSR against peers, 店铺层级 distance, bad reviews, 问大家.

Pure functions on the loaded exports (``shop_scores``, ``shop_daily``, ``reviews``,
``questions``); they never open files or know about reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..exports.catalogue.health import DSR_ITEMS
from .anomalies import run_length
from .voice import cause_counts, cause_flags

__all__ = [
    "DSR_KEYS",
    "TIER_THRESHOLDS",
    "Tier",
    "vs_peer",
    "dsr_table",
    "good_rate",
    "gmv_30d",
    "parse_thresholds",
    "parse_tier",
    "tier_position",
    "report_moment",
    "new_bad_reviews",
    "voices",
    "open_questions",
    "ShopHealth",
    "build_shop_health",
]

DSR_KEYS = tuple(DSR_ITEMS)  # description, service, logistics
# 30-day paid GMV entering 店铺层级 2…7: a practice default, category-specific in truth
TIER_THRESHOLDS = "22000,110000,350000,1000000,3000000,10000000"

_PCT = re.compile(r"([+\-−]?\d+(?:\.\d+)?)\s*%?")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}


def vs_peer(cells: pd.Series) -> pd.Series:
    """Peer-comparison cells as signed fractions: 高 12.34% → 0.1234, 低于同行 3.2% → −0.032.

    持平 is 0; 高/低 without a number is NaN (the side is known, the size is not); ``-``,
    ``--`` and empty cells are missing (NaN), never 0.
    """

    def one(text) -> float:
        if text is None or pd.isna(text):
            return np.nan
        t = str(text).strip()
        if t in ("", "-", "--", "—"):
            return np.nan
        if "持平" in t or t.lower() in ("flat", "same", "equal"):
            return 0.0
        m = _PCT.search(t.replace(",", ""))
        if m is None:
            return np.nan
        value = abs(float(m.group(1).replace("−", "-"))) / 100
        low = "低" in t or m.group(1).startswith(("-", "−")) or "lower" in t.lower()
        return -value if low else value

    return cells.map(one).astype(float)


def dsr_table(scores: pd.DataFrame, when) -> pd.DataFrame:
    """Each DSR item on the last day at or before ``when``: score, peer average, vs peer.

    ``dsr_vs_peer`` comes from the export's comparison cell, else from its industry-average
    column (score / average − 1). ``dsr_days_below`` counts the days up to that day the item has
    been below its peers. Items the export lacks are left out.
    """
    s = scores[scores["date"] <= pd.Timestamp(when)].sort_values("date").set_index("date")
    rows = []
    for item in DSR_KEYS:
        score = f"dsr_{item}"
        if score not in s or s[score].dropna().empty:
            continue
        rel = pd.Series(np.nan, index=s.index)
        if f"{score}_vs_peer" in s:
            rel = vs_peer(s[f"{score}_vs_peer"])
        peer = s[f"{score}_peer"] if f"{score}_peer" in s else pd.Series(np.nan, index=s.index)
        rel = rel.fillna(s[score] / peer - 1)
        peer = peer.fillna(s[score] / (1 + rel))
        last = s.index[-1]
        rows.append(
            {
                "dsr_item": f"dsr_{item}",
                "dsr_score": float(s[score].iloc[-1]),
                "dsr_peer": float(peer.iloc[-1]),
                "dsr_vs_peer": float(rel.iloc[-1]),
                "dsr_days_below": run_length(rel.lt(0).astype(int), last),
                "date": last,
            }
        )
    return pd.DataFrame(rows)


def good_rate(
    scores: pd.DataFrame | None, reviews: pd.DataFrame | None, when, days: int
) -> tuple[float, str]:
    """The good-review rate and where it comes from.

    The export's 好评率 ("export"), else the share of reviews rated 4–5 over the last ``days``
    ("reviews"); ``(nan, "")`` when neither.
    """
    when = pd.Timestamp(when)
    if scores is not None and "good_rate" in scores:
        known = scores[(scores["date"] <= when) & scores["good_rate"].notna()]
        if len(known):
            return float(known.sort_values("date")["good_rate"].iloc[-1]), "export"
    if reviews is not None and len(reviews):
        day = reviews["date"].dt.normalize()
        recent = reviews[(day > when - pd.Timedelta(days=days)) & (day <= when)]
        if len(recent):
            return float(recent["rating"].ge(4).mean()), "reviews"
    return float("nan"), ""


def gmv_30d(shop: pd.DataFrame, when) -> float:
    """Paid GMV of the 30 days ending ``when`` (the figure 店铺层级 is ranked by)."""
    when = pd.Timestamp(when)
    window = shop[(shop["date"] > when - pd.Timedelta(days=30)) & (shop["date"] <= when)]
    return float(window["gmv"].sum())


def parse_thresholds(text: str) -> list[float]:
    """The tier thresholds parameter as ascending amounts (``1.1万`` is read too).

    "22000, 110000, …" is the 30-day GMV that enters tier 2, tier 3 …
    """
    out = []
    for part in re.split(r"[,，;；\s]+", text.strip()):
        if part:
            wan = part.endswith("万")
            out.append(float(part.rstrip("万")) * (10_000 if wan else 1))
    if out != sorted(out):
        raise ValueError(f"tier thresholds {text!r}: expected ascending amounts, tier 2 first")
    return out


def parse_tier(text) -> int | None:
    """第五层级 / 第5层级 / 5 / L5 / tier 5 → 5; ``None`` when the cell names no tier."""
    if text is None or pd.isna(text):
        return None
    t = str(text)
    m = re.search(r"\d+", t)
    if m:
        return int(m.group(0))
    return next((n for ch, n in _CN_DIGITS.items() if ch in t), None)


@dataclass(frozen=True)
class Tier:
    """Where the shop stands among 店铺层级 by 30-day paid GMV."""

    tier: int
    gmv_30d: float
    floor: float  # 30-day GMV the current tier needs (0 for tier 1)
    next_gmv: float  # 30-day GMV the next tier needs (nan at the top tier)
    from_export: bool  # thresholds read from the export (else the parameter, assumed)

    @property
    def to_next(self) -> float:
        """GMV still missing for the next tier."""
        return max(self.next_gmv - self.gmv_30d, 0.0)

    @property
    def below_floor(self) -> bool:
        """The 30-day GMV no longer holds the current tier: it drops at the next update."""
        return self.gmv_30d < self.floor


def tier_position(gmv: float, thresholds: list[float], latest: pd.Series | None = None) -> Tier:
    """The shop's tier and its two boundaries.

    ``latest`` is the shop_scores row of the day: its 店铺层级 names the tier and its
    门槛 columns the boundaries where present; what it lacks comes from ``thresholds``
    (ascending 30-day GMV entering tier 2, 3 …; the tier itself from ``gmv`` when not named).
    """
    bounds = [0.0, *thresholds]
    named = parse_tier(latest.get("tier")) if latest is not None else None
    tier = named or int(np.searchsorted(bounds, gmv, side="right"))
    tier = min(max(tier, 1), len(bounds))

    def given(name):
        v = latest.get(name) if latest is not None else None
        return None if v is None or pd.isna(v) else float(v)

    floor, nxt = given("tier_floor"), given("next_tier_gmv")
    return Tier(
        tier=tier,
        gmv_30d=gmv,
        floor=floor if floor is not None else bounds[tier - 1],
        next_gmv=nxt if nxt is not None else (bounds[tier] if tier < len(bounds) else np.nan),
        from_export=floor is not None or nxt is not None,
    )


def report_moment(when, report_time: str = "") -> pd.Timestamp:
    """The moment the report is read: ``report_time`` (HH:MM) on ``when``, else the day's end."""
    day = pd.Timestamp(when).normalize()
    if report_time:
        return day + pd.Timedelta(
            report_time + ":00" if report_time.count(":") == 1 else report_time
        )
    return day + pd.Timedelta(days=1)


def new_bad_reviews(
    reviews: pd.DataFrame, now: pd.Timestamp, days: int, rating_max: float
) -> pd.DataFrame:
    """中差评 (rating ≤ ``rating_max``) posted in the ``days`` before ``now``, newest first.

    ``review_hours`` since posting; ``review_replied`` is ``None`` without a reply column.
    """
    r = reviews[
        reviews["rating"].le(rating_max)
        & reviews["date"].gt(now - pd.Timedelta(days=days))
        & reviews["date"].le(now)
    ]
    out = pd.DataFrame(
        {
            "item_id": r["item_id"],
            "posted_at": r["date"],
            "review_rating": r["rating"],
            "review_hours": (now - r["date"]).dt.total_seconds() / 3600,
            "review_text": r["text"] if "text" in r else "",
            "review_replied": r["reply"].fillna("").astype(str).str.strip().ne("")
            if "reply" in r
            else None,
        }
    )
    return out.sort_values("posted_at", ascending=False).reset_index(drop=True)


def voices(
    reviews: pd.DataFrame | None, questions: pd.DataFrame | None, rating_max: float
) -> pd.DataFrame:
    """The buyers' complaints as one table: bad review texts and 问大家 questions.

    Columns ``at``, ``text``, ``source``, for :func:`ecomops_helpers.daily.voice.cause_counts`.
    """
    parts = []
    if reviews is not None and "text" in reviews:
        bad = reviews[reviews["rating"].le(rating_max)]
        parts.append(pd.DataFrame({"at": bad["date"], "text": bad["text"], "source": "review"}))
    if questions is not None:
        parts.append(
            pd.DataFrame(
                {"at": questions["asked_at"], "text": questions["question"], "source": "question"}
            )
        )
    if not parts:
        return pd.DataFrame(columns=["at", "text", "source"])
    return pd.concat(parts, ignore_index=True)


def open_questions(
    questions: pd.DataFrame, items: set[str], now: pd.Timestamp, titles: dict | None = None
) -> pd.DataFrame:
    """Unanswered 问大家 questions on ``items`` that name a complaint cause, oldest first.

    With ``question_hours`` open and the ``question_causes`` they name.
    """
    q = questions[questions["item_id"].isin(items) & questions["asked_at"].le(now)]
    if "answers" in q:
        unanswered = q["answers"].fillna(0).eq(0)
    else:
        unanswered = q["answer"].fillna("").astype(str).str.strip().eq("")
    flags = cause_flags(q["question"])
    worry = flags.any(axis=1)
    q, flags = q[unanswered & worry], flags[unanswered & worry]
    return (
        pd.DataFrame(
            {
                "item_id": q["item_id"],
                "title": q["item_id"].map(titles or {}).fillna(q["item_id"]),
                "question_text": q["question"],
                "asked_at": q["asked_at"],
                "question_hours": (now - q["asked_at"]).dt.total_seconds() / 3600,
                "question_causes": flags.apply(lambda r: [c for c in r.index if r[c]], axis=1),
            }
        )
        .sort_values("asked_at")
        .reset_index(drop=True)
    )


@dataclass
class ShopHealth:
    """Everything the shop-health section shows; a part is ``None`` when its export is absent."""

    now: pd.Timestamp  # the moment hours are counted to
    tier: Tier | None  # None: no 店铺层级 (a shop whose exports are not a Chinese platform's)
    good_rate: float
    good_rate_from: str  # "export", "reviews" or "" (unknown)
    dsr: pd.DataFrame | None = None
    bad_reviews: pd.DataFrame | None = None
    timed: bool = True  # the reviews carry a time of day (else hours count from midnight)
    causes: pd.DataFrame | None = None
    questions: pd.DataFrame | None = None


def build_shop_health(
    shop: pd.DataFrame,
    scores: pd.DataFrame | None,
    reviews: pd.DataFrame | None,
    questions: pd.DataFrame | None,
    heroes: dict[str, str] | None,
    when,
    th,
    tiered: bool = True,
) -> ShopHealth:
    """The shop-health figures for ``when``.

    ``heroes`` maps hero item IDs to titles; ``th`` holds the thresholds (``DailyThresholds``).
    ``tiered``: the platform ranks shops in 店铺层级 (Taobao/Tmall; Shopify and Amazon do not).
    """
    now = report_moment(when, th.report_time)
    latest = None
    if scores is not None and len(scores[scores["date"] <= pd.Timestamp(when)]):
        latest = scores[scores["date"] <= pd.Timestamp(when)].sort_values("date").iloc[-1]
    dsr = dsr_table(scores, when) if scores is not None else None
    rate, rate_from = good_rate(scores, reviews, when, th.review_window_days)
    out = ShopHealth(
        now=now,
        tier=tier_position(gmv_30d(shop, when), parse_thresholds(th.tier_thresholds), latest)
        if tiered
        else None,
        good_rate=rate,
        good_rate_from=rate_from,
        dsr=dsr if dsr is not None and len(dsr) else None,
    )
    if reviews is not None:
        out.bad_reviews = new_bad_reviews(reviews, now, th.new_bad_days, th.bad_rating_max)
        out.timed = bool((reviews["date"] != reviews["date"].dt.normalize()).any())
    said = voices(reviews, questions, th.bad_rating_max)
    if len(said):
        out.causes = cause_counts(said, now, th.cause_days, th.cause_base_days)
    if questions is not None and heroes is not None:
        out.questions = open_questions(questions, set(heroes), now, heroes)
    return out
