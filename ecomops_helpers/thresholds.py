"""The base of every report's rule thresholds, shared by the arithmetic and the reviews.

Kept apart from the report page so that the arithmetic modules import no report module.
"""

from __future__ import annotations

from dataclasses import fields

__all__ = ["Thresholds"]


class Thresholds:
    """Base of the rule-threshold dataclasses: build one from a notebook's parameters."""

    @classmethod
    def from_namespace(cls, namespace: dict):
        """Thresholds taken from same-named variables (a notebook's parameters cell)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in namespace.items() if k in names})
