"""BG/NBD and Gamma-Gamma against Fader, Hardie & Lee (2005) on the CDNOW sample."""

from dataclasses import astuple
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.customers import clv
from ecomops_helpers.customers.segments import clean_orders
from ecomops_helpers.exports import ExportFolder

CDNOW = Path(__file__).parent / "fixtures" / "cdnow"  # a copy of shared/data/CDNOW_sample.txt
CALIBRATION_END = "1997-09-30"


@pytest.fixture(scope="module")
def cdnow():
    """The real path: export loader (header-less CDNOW layout) → purchases → summary."""
    orders = ExportFolder(CDNOW).load("orders")
    purchases, report = clean_orders(orders, zero_lines="keep")
    summary = clv.rfm_summary(purchases, CALIBRATION_END, period_days=7)
    return purchases, summary, report


def test_cdnow_summary(cdnow):
    purchases, summary, report = cdnow
    assert report.lines == 6919 and report.kept == 6919
    assert len(summary) == 2357
    assert (summary["frequency"] > 0).sum() == 946


def test_bgnbd_reproduces_the_published_fit(cdnow):
    _, s, _ = cdnow
    m = clv.fit_bgnbd(s["frequency"], s["recency"], s["T"])
    assert m.r == pytest.approx(0.243, abs=0.005)
    assert m.alpha == pytest.approx(4.414, abs=0.005)
    assert m.a == pytest.approx(0.793, abs=0.005)
    assert m.b == pytest.approx(2.426, abs=0.005)
    assert m.expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=0.002)


def test_gamma_gamma_reproduces_the_published_fit(cdnow):
    _, s, _ = cdnow
    g = clv.fit_gamma_gamma(s["frequency"], s["monetary"])
    assert g.n == 946
    assert g.p == pytest.approx(6.25, abs=0.02)
    assert g.q == pytest.approx(3.74, abs=0.02)
    assert g.gamma == pytest.approx(15.44, abs=0.02)


def test_holdout_predictions_track_actuals(cdnow):
    purchases, _, _ = cdnow
    _, table = clv.holdout_check(purchases, CALIBRATION_END, "1998-06-30")
    assert list(table.index) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["customers"].sum() == 2357
    # the model's known behaviour on CDNOW: it ranks the groups right, slightly
    # under-forecasts the total (≈ 12 % here), and no group is off by 0.6 purchases
    assert table["predicted"].is_monotonic_increasing
    total_a = (table["actual"] * table["customers"]).sum()
    total_p = (table["predicted"] * table["customers"]).sum()
    assert total_p == pytest.approx(total_a, rel=0.15)
    assert (table["predicted"] - table["actual"]).abs().max() < 0.6


def test_customer_value_is_finite_and_non_negative(cdnow):
    _, s, _ = cdnow
    m = clv.fit_bgnbd(s["frequency"], s["recency"], s["T"])
    g = clv.fit_gamma_gamma(s["frequency"], s["monetary"])
    v = clv.customer_value(s, m, g, horizon=52, margin=0.3)
    assert np.isfinite(v.to_numpy()).all() and (v.to_numpy() >= 0).all()
    assert v["p_alive"].between(0, 1).all()
    one_timer = s[s["frequency"] == 0].index[0]
    assert v.loc[one_timer, "p_alive"] == 1.0  # BG/NBD: no repeat yet, not yet dropped out


def test_summary_by_hand():
    p = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b"],
            "date": pd.to_datetime(
                ["2026-01-01", "2026-01-01", "2026-01-08", "2026-01-15", "2026-01-10"]
            ),
            "amount": [10.0, 5.0, 20.0, 40.0, 7.0],
        }
    )
    s = clv.rfm_summary(p, "2026-01-29", period_days=7)
    a, b = s.loc["a"], s.loc["b"]
    assert (a["frequency"], a["recency"], a["T"]) == (2, 2.0, 4.0)
    assert a["monetary"] == 30.0 and a["total"] == 75.0  # first day (15) excluded from mean
    assert (b["frequency"], b["recency"], b["monetary"]) == (0, 0.0, 0.0)
    assert clv.rfm_summary(p, "2026-01-09").loc["a", "frequency"] == 1  # later days ignored


def test_fit_without_repeat_customers_says_why():
    with pytest.raises(clv.FitError, match="repeat"):
        clv.fit_bgnbd([0, 0, 0], [0, 0, 0], [5, 6, 7])
    with pytest.raises(clv.FitError, match="at least 10 repeat customers"):
        clv.fit_gamma_gamma([1, 0], [10.0, 0])


def test_the_likelihood_gradients_are_the_finite_differences(cdnow):
    from scipy import optimize

    _, s, _ = cdnow
    x, t_x, T, w = clv._compress(s["frequency"], s["recency"], s["T"])
    dx = clv._Distinct(x)
    w_x = np.bincount(dx.at, weights=w)
    args = (dx, clv._Distinct(t_x), clv._Distinct(T), w, w_x)
    repeat = s[(s["frequency"] > 0) & (s["monetary"] > 0)]
    xs, m, ws = clv._compress(repeat["frequency"], repeat["monetary"])
    gg = (clv._Distinct(xs), np.log(m), m * xs, ws)
    for nll, p, extra in (
        (clv._bgnbd_nll, np.log([0.3, 5.0, 0.7, 2.0]), args),
        (clv._gg_nll, np.log([5.0, 3.0, 15.0]), gg),
    ):
        value, grad = nll(p, *extra)
        numeric = optimize.approx_fprime(p, lambda q, f=nll, e=extra: f(q, *e)[0], 1e-7)
        np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-3)


def test_a_fit_on_distinct_tuples_with_weights_is_the_fit_on_customers(cdnow):
    _, s, _ = cdnow
    t = s.groupby(["frequency", "recency", "T"]).size().reset_index(name="n")
    by_customer = clv.fit_bgnbd(s["frequency"], s["recency"], s["T"])
    assert astuple(clv.fit_bgnbd(t["frequency"], t["recency"], t["T"], weights=t["n"])) == (
        astuple(by_customer)
    )
    g = s.groupby(["frequency", "monetary"]).size().reset_index(name="n")
    assert astuple(clv.fit_gamma_gamma(g["frequency"], g["monetary"], weights=g["n"])) == (
        astuple(clv.fit_gamma_gamma(s["frequency"], s["monetary"]))
    )


def test_starts_run_on_rounded_tuples_and_the_best_is_refined(cdnow, monkeypatch):
    _, s, _ = cdnow
    exact = clv.fit_bgnbd(s["frequency"], s["recency"], s["T"])
    exact_gg = clv.fit_gamma_gamma(s["frequency"], s["monetary"])
    monkeypatch.setattr(clv, "COARSE_SHARE", 1.0)  # CDNOW's few tuples: force the rounding
    refined = clv.fit_bgnbd(s["frequency"], s["recency"], s["T"])
    refined_gg = clv.fit_gamma_gamma(s["frequency"], s["monetary"])
    # the same optimum, within the optimizer's tolerance (the likelihood is flat along p/q)
    for a, b in ((refined, exact), (refined_gg, exact_gg)):
        assert a.loglik == pytest.approx(b.loglik, rel=1e-7)
        assert astuple(a)[:-2] == pytest.approx(astuple(b)[:-2], rel=0.01)
