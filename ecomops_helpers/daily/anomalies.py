"""Anomalies against a trailing, weekday-aware robust baseline, and how long a run has lasted."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["robust_baseline", "flag_anomalies", "run_length"]

MAD_TO_SIGMA = 1.4826


def robust_baseline(
    series: pd.Series, window: int = 28, profile_days: int = 56, min_scale_ratio: float = 0.01
) -> pd.DataFrame:
    """Expected value and robust spread for every day, from the days before it only.

    The weekday pattern is the median of each weekday over the trailing ``profile_days``
    divided by the median of those days. Each day's value is divided by its weekday factor,
    then compared with the median and MAD of the ``window`` deseasonalised days before it.

    Parameters
    ----------
    series : pd.Series
        Daily values indexed by date (gaps allowed; missing days are NaN).
    window, profile_days : int
        Days behind the baseline and behind the weekday profile.
    min_scale_ratio : float
        Floor of the spread as a share of the expected value.

    Returns
    -------
    pd.DataFrame
        Columns ``value``, ``expected`` (baseline × weekday factor), ``scale`` (robust σ in the
        value's units) and ``z``; NaN where fewer than ``window // 2`` earlier days exist.
    """
    s = series.astype(float).asfreq("D")
    weekday = pd.Series(s.index.day_of_week, index=s.index)
    factors = pd.DataFrame(index=s.index, columns=range(7), dtype=float)
    overall = s.shift(1).rolling(profile_days, min_periods=28).median()
    for wd in range(7):
        on_wd = s.where(weekday == wd)
        factors[wd] = on_wd.shift(1).rolling(profile_days, min_periods=4).median() / overall
    factor = factors.to_numpy()[np.arange(len(s)), weekday.to_numpy()]
    factor = np.where(np.isfinite(factor) & (factor > 0), factor, 1.0)
    deseason = s / factor
    past = deseason.shift(1).rolling(window, min_periods=window // 2)
    median = past.median()
    mad = (deseason.shift(1) - median).abs().rolling(window, min_periods=window // 2).median()
    expected = median * factor
    # a perfectly steady history has MAD 0: keep a floor so a real jump still scores
    scale = np.maximum(MAD_TO_SIGMA * mad * factor, min_scale_ratio * expected.abs())
    z = (s - expected) / scale.replace(0, np.nan)
    return pd.DataFrame({"value": s, "expected": expected, "scale": scale, "z": z})


def flag_anomalies(
    series: pd.Series,
    z_threshold: float = 3.5,
    min_relative_change: float = 0.15,
    window: int = 28,
) -> pd.DataFrame:
    """Flag days far from their baseline: ``flag`` is +1 (high), −1 (low) or 0.

    A day is flagged when its robust z-score passes ``z_threshold`` *and* it differs from the
    expected value by at least ``min_relative_change`` (so a very steady series does not flag
    trivial moves). The baseline uses only earlier days, so today is flagged today.
    """
    base = robust_baseline(series, window=window)
    rel = (base["value"] - base["expected"]) / base["expected"].abs()
    high = (base["z"] > z_threshold) & (rel >= min_relative_change)
    low = (base["z"] < -z_threshold) & (rel <= -min_relative_change)
    base["relative_change"] = rel
    base["flag"] = np.select([high, low], [1, -1], 0)
    return base


def run_length(flags: pd.Series, end=None) -> int:
    """How many consecutive days up to ``end`` carry the same non-zero flag as ``end``."""
    flags = flags.loc[:end] if end is not None else flags
    if flags.empty or flags.iloc[-1] == 0 or pd.isna(flags.iloc[-1]):
        return 0
    last = flags.iloc[-1]
    same = (flags == last).to_numpy()[::-1]
    return int(np.argmin(same)) if not same.all() else int(len(same))
