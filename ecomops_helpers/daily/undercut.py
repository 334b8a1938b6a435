"""Hero items undercut by a 同款 rival: the cheapest twin of each hero below my price.

The twins come from the competitor report's pair model (:func:`..rivals.review.find_twins`);
this module only applies the daily review's rule to them: a rival's price more than
``gap_min`` below mine.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["UNDERCUT_COLUMNS", "hero_undercuts"]

UNDERCUT_COLUMNS = ["item_id", "shop", "rival_title", "their_price", "my_price", "price_gap", "why"]


def hero_undercuts(matches: pd.DataFrame, heroes, gap_min: float) -> pd.DataFrame:
    """Per hero item in ``heroes`` (ids), its cheapest twin when that is > ``gap_min`` cheaper.

    ``price_gap`` = their price / my price − 1 (−0.25: a quarter below mine).
    """
    if matches is None or matches.empty:
        return pd.DataFrame(columns=UNDERCUT_COLUMNS)
    m = matches[matches["item_id"].isin(set(heroes)) & (matches["price_gap"] < -gap_min)]
    cheapest = m.sort_values("price_gap").drop_duplicates("item_id")
    return cheapest[UNDERCUT_COLUMNS].reset_index(drop=True)
