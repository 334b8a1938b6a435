import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.daily.anomalies import flag_anomalies, robust_baseline, run_length


def weekly(n=90, seed=0):
    days = pd.date_range("2026-07-01", periods=n)
    rng = np.random.default_rng(seed)
    pattern = np.where(days.day_of_week >= 5, 1.3, 1.0)
    return pd.Series(1000 * pattern * rng.normal(1, 0.03, n), index=days)


def test_quiet_series_has_no_flags():
    a = flag_anomalies(weekly())
    assert (a["flag"] == 0).all()


def test_spike_is_flagged_the_same_day():
    s = weekly()
    s.iloc[-1] *= 1.6
    a = flag_anomalies(s)
    assert a["flag"].iloc[-1] == 1 and (a["flag"].iloc[:-1] == 0).all()
    assert a["relative_change"].iloc[-1] == pytest.approx(0.6, abs=0.15)


def test_weekend_high_is_not_an_anomaly_but_a_weekday_at_weekend_level_is():
    s = weekly()
    last_weekday = s.index[s.index.day_of_week < 5][-1]
    s[last_weekday] = s[s.index.day_of_week >= 5].median()  # +30 % on a weekday
    a = flag_anomalies(s, z_threshold=3.0)
    assert a.loc[last_weekday, "flag"] == 1
    assert (a.loc[a.index.day_of_week >= 5, "flag"] == 0).all()


def test_run_length_of_a_drop():
    s = weekly()
    s.iloc[-3:] *= 0.5
    a = flag_anomalies(s)
    assert a["flag"].iloc[-3:].tolist() == [-1, -1, -1]
    assert run_length(a["flag"]) == 3


def test_steady_series_still_flags_a_jump():
    s = pd.Series(100.0, index=pd.date_range("2026-07-01", periods=60))
    s.iloc[-1] = 150.0
    assert flag_anomalies(s)["flag"].iloc[-1] == 1


def test_baseline_uses_only_earlier_days():
    s = weekly()
    b1 = robust_baseline(s)
    s2 = s.copy()
    s2.iloc[-1] = 10 * s.iloc[-1]
    b2 = robust_baseline(s2)
    assert b1["expected"].iloc[-1] == b2["expected"].iloc[-1]


def test_run_length_edge_cases():
    assert run_length(pd.Series([], dtype=int)) == 0
    assert run_length(pd.Series([1, 1, 0])) == 0
    assert run_length(pd.Series([-1, -1, -1])) == 3
    assert run_length(pd.Series([1, -1, -1])) == 2
