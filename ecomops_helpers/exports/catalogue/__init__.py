"""The catalogue of export kinds, split by domain: one entry per table a platform writes.

Adding a platform's export is adding its headers to one entry, or one entry to one file:
``shop.py`` (生意参谋 shop, traffic, items, plan, reviews), ``customers.py`` (orders, and
order tables split by order id), ``events.py`` (behaviour logs).
"""

from __future__ import annotations

from ..kinds import ExportKind
from . import customers, events, shop

__all__ = ["KINDS"]

KINDS: dict[str, ExportKind] = {
    k.name: k for module in (shop, customers, events) for k in module.KINDS
}
