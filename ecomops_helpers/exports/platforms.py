"""Which platform's report a file's headers look like: the advice an unusable file gets.

A file one column short of a kind is told to "export it again with those columns ticked" only
where its platform lets the user choose the columns of a download (生意参谋's 选择指标, Google
Ads' *Modify columns*). A Shopify or Amazon report dropped into a Taobao shop's folder is told
what it is instead. Known by headers only that its platform writes and no other does.
"""

from __future__ import annotations

from dataclasses import dataclass

from .reading import CJK

__all__ = ["Platform", "PLATFORMS", "TAOBAO", "platform_of"]


@dataclass(frozen=True)
class Platform:
    """A platform's reports: its name, what they are called, where columns can be ticked."""

    name: str
    report: str
    tick_where: str  # where a download's columns are chosen; "" where they cannot be
    headers: frozenset[str] = frozenset()  # lower-case headers only its reports write


PLATFORMS = (
    Platform(
        "Shopify",
        "Analytics reports (Sessions over time, Sales over time, conversion over time)",
        "",
        frozenset(
            {
                "sessions converted",
                "reached checkout",
                "added to cart",
                "sessions with cart additions",
                "sessions that reached checkout",
                "sessions that completed checkout",
                "online store visitors",
                "gross sales",
                "net sales",
                "total sales",
                "shipping charges",
                "additional fees",
                "duties",
            }
        ),
    ),
    Platform(
        "Amazon Seller Central",
        "Business Reports (Sales and Traffic)",
        "",
        frozenset(
            {
                "(parent) asin",
                "(child) asin",
                "sessions - total",
                "page views - total",
                "unit session percentage",
                "ordered product sales",
                "units ordered",
                "total order items",
                "buy box percentage",
                "featured offer (buy box) percentage",
                "sessions - b2b",
                "ordered product sales - b2b",
            }
        ),
    ),
    Platform(
        "Google Analytics 4",
        "Traffic acquisition report",
        "",
        frozenset(
            {
                "session default channel group",
                "first user default channel group",
                "engaged sessions",
                "engagement rate",
                "key events",
                "average engagement time per session",
                "events per session",
            }
        ),
    ),
    Platform(
        "Google Ads",
        "reports",
        "Columns → Modify columns",
        frozenset({"impr.", "conv. value", "cost / conv.", "interactions", "avg. cpc", "ctr"}),
    ),
)

# Chinese headers: 生意参谋, 直通车/万相台 and rival tools let a download's metrics be chosen
TAOBAO = Platform("生意参谋 / 直通车", "downloads", "选择指标 / 自定义列")
MIN_HITS = 2  # headers only one platform writes that a file must carry to be called its own


def platform_of(headers: list[str]) -> Platform | None:
    """The platform whose reports ``headers`` look like, or ``None`` when none is known.

    Chinese headers are 生意参谋's (its downloads let the user choose the metrics); English
    ones are the platform with the most headers of its own, at least :data:`MIN_HITS`.
    """
    named = [h.strip() for h in headers if h and h.strip()]
    if named and sum(bool(CJK.search(h)) for h in named) * 2 > len(named):
        return TAOBAO
    lower = {h.lower() for h in named}
    hits = [(len(lower & p.headers), p) for p in PLATFORMS]
    best, platform = max(hits, key=lambda hp: hp[0])
    return platform if best >= MIN_HITS else None
