"""同行同层 benchmarks as 生意参谋 writes them: in a header, or as rows under the shop's row.

A header names a peer figure when it wraps a figure's header in a peer marker:
``同行同层平均支付转化率``, ``同行同层优秀访客数``, ``同行同层均值客单价``, ``同行优秀跳失率``,
``同行同层支付转化率`` (the average), ``…日均值``, or ``支付转化率（同行同层平均）``. What is
wrapped is resolved by the kind's own aliases, so every figure the kind knows has peers.
A row is a peer row when a text cell of it (the label column) reads ``同行同层均值`` /
``同行同层平均`` / ``同行同层优秀`` (or ``同行平均`` / ``同行优秀``); its figures belong to the
shop's row above it.
"""

from __future__ import annotations

import re

import pandas as pd

from .kinds import ExportKind, peer_column

__all__ = ["peer_header", "peer_tier", "fold_peer_rows"]

_TIER = {"": "avg", "平均": "avg", "均值": "avg", "优秀": "top"}
_PEER = r"(?:同行同层|同层同行)(?P<tier>平均|均值|优秀)?|同行(?P<tier2>平均|均值|优秀)"
_BEFORE = re.compile(rf"^(?:{_PEER})(?P<figure>.+?)(?:日均值)?$")
_AFTER = re.compile(rf"^(?P<figure>.+?)[（(](?:{_PEER})(?:日均值)?[）)]$")
_LABEL = re.compile(rf"^(?:{_PEER})$")


def _tier(m: re.Match) -> str:
    return _TIER[m.group("tier") or m.group("tier2") or ""]


def peer_header(header: str) -> tuple[str, str] | None:
    """(tier, the figure's own header) when ``header`` names a peer figure, else None."""
    text = re.sub(r"\s+", "", str(header))
    m = _BEFORE.match(text) or _AFTER.match(text)
    return (_tier(m), m.group("figure")) if m else None


def peer_tier(label: object) -> str | None:
    """``avg`` or ``top`` when a row label reads as a peer row (同行同层均值 …), else None."""
    m = _LABEL.match(re.sub(r"\s+", "", str(label))) if isinstance(label, str) else None
    return _tier(m) if m else None


def fold_peer_rows(raw: pd.DataFrame, kind: ExportKind) -> pd.DataFrame:
    """``raw`` without its peer rows, their figures moved to the shop's row above each one.

    ``raw`` holds a file's cells under canonical names (and ``_label``, the first column).
    A peer row with no shop row above it is dropped. Cells stay text: they are read later,
    so ``-`` is missing as anywhere else.
    """
    names = {c.name: c.dtype for c in kind.columns}
    labels = [c for c in raw.columns if c == "_label" or names.get(c) in ("str", "date")]
    tiers = pd.Series(None, index=raw.index, dtype=object)
    for c in labels:
        tiers = tiers.where(tiers.notna(), raw[c].map(peer_tier))
    peer = tiers.notna()
    if not peer.any():
        return raw
    owner = pd.Series(raw.index.where(~peer), index=raw.index).ffill()
    out = raw.copy()
    for figure in [c for c in raw.columns if peer_column("avg", c) in names]:
        for tier in ("avg", "top"):
            rows = peer & tiers.eq(tier) & owner.notna()
            target = peer_column(tier, figure)
            if target not in out:
                out[target] = pd.Series(None, index=out.index, dtype=object)
            out.loc[owner[rows].astype(int).to_numpy(), target] = raw.loc[rows, figure].to_numpy()
    return out[~peer].reset_index(drop=True)
