"""The catalogue of export kinds, split by domain: one entry per table a platform writes.

Adding a platform's export is adding its headers to one entry, or one entry to one file:
``shop.py`` (生意参谋 shop, traffic, items, plan, reviews), ``customers.py`` (orders, and
order tables split by order id), ``events.py`` (behaviour logs), ``ads.py`` (keyword,
search-term and plan reports of 直通车, 万相台, Google Ads, Amazon Sponsored Products),
``competitors.py`` (rival listing snapshots, rival keywords, industry search terms, the
operator's answers on 同款 pairs), ``campaigns.py`` (the platform campaigns' sign-up table),
``health.py`` (DSR and 店铺层级, 问大家 questions), ``traffic.py`` (each item's 流量来源 and
search terms), ``service.py`` (客服 询单到付款, with its 同行同层 rows), ``storefronts.py``
(Shopify's Analytics reports, stock snapshots such as Amazon's FBA inventory).
"""

from __future__ import annotations

from ...exports.catalogue import (
    ads,
    campaigns,
    competitors,
    customers,
    events,
    health,
    order_lines,
    service,
    shop,
    storefronts,
    traffic,
)
from ...exports.kinds import ExportKind

__all__ = ["KINDS"]

KINDS: dict[str, ExportKind] = {
    k.name: k
    for module in (
        shop,
        customers,
        events,
        ads,
        competitors,
        campaigns,
        health,
        traffic,
        order_lines,
        service,
        storefronts,
    )
    for k in module.KINDS
}
