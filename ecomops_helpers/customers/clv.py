"""Customer lifetime value: RFM summaries, BG/NBD and Gamma-Gamma fitted by maximum likelihood.

Models and formulas follow Fader, Hardie & Lee (2005), "Counting your customers the easy
way" (BG/NBD) and "RFM and CLV: using iso-value curves" (Gamma-Gamma). Frequency is the
number of *repeat* purchase days, recency and T are measured from each customer's first
purchase, monetary value is the mean spend of the repeat purchase days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from ..duck import connect, relation
from ..errors import EcomopsError

__all__ = [
    "FitError",
    "BGNBD",
    "GammaGamma",
    "rfm_summary",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "customer_value",
    "holdout_check",
    "holdout_fit",
]


FIT_PROBLEMS = ("no_convergence", "no_repeat", "few_repeat", "q_le_1", "bad_values")


class FitError(EcomopsError, RuntimeError):
    """A model fit did not converge to finite parameters.

    ``problem`` (one of :data:`FIT_PROBLEMS`) and ``values`` let a report say why in its own
    language; the message is the English for logs.
    """

    def __init__(self, message: str, problem: str, **values):
        super().__init__(message)
        self.problem, self.values = problem, values


def rfm_summary(
    purchases: pd.DataFrame,
    observation_end,
    *,
    period_days: float = 1.0,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
) -> pd.DataFrame:
    """Per customer: frequency, recency, T, monetary value, first/last purchase, totals.

    Computed in DuckDB (two group-bys, no per-customer Python: a million transactions take
    a fraction of a second); amounts are summed with compensated summation, so a total does
    not depend on the rows' order (ties in spend stay ties). Purchases after
    ``observation_end`` are ignored; several purchases on one day count as one
    purchase day with their amounts summed. ``recency`` (t_x) and ``T`` are in periods of
    ``period_days`` days (7 for weeks). ``monetary`` is the mean spend of the repeat purchase
    days (0 for one-time buyers); ``total`` includes the first day. Rows come in no
    particular order (sorting 200,000 IDs would cost a third of the time); sort if it matters.
    """
    end = pd.Timestamp(observation_end).normalize() + pd.Timedelta(days=1)
    query = """
        with days as (
            select c, cast(t as date) as day, fsum(a) as a
            from frame where t < ? group by c, day
        )
        select c, count(*) - 1 as frequency, min(day) as first, max(day) as last,
               fsum(a) as total, arg_min(a, day) as first_amount
        from days group by c
    """
    with connect() as con:
        relation(con, "frame", purchases, {customer_col: "c", date_col: "t", amount_col: "a"})
        d = con.execute(query, [end.to_pydatetime()]).df()
    first, last = pd.to_datetime(d["first"]), pd.to_datetime(d["last"])
    end_day = end - pd.Timedelta(days=1)
    frequency = d["frequency"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(frequency > 0, (d["total"] - d["first_amount"]) / frequency, 0.0)
    return pd.DataFrame(
        {
            "frequency": frequency,
            "recency": ((last - first).dt.days / period_days).to_numpy(),
            "T": ((end_day - first).dt.days / period_days).to_numpy(),
            "monetary": monetary,
            "total": d["total"].to_numpy(),
            "first": first.to_numpy(),
            "last": last.to_numpy(),
        },
        index=pd.Index(d["c"], name=customer_col),
    )


COARSE_SHARE = 0.5  # the starts run on rounded tuples when rounding leaves at most this share


def _multi_start(
    nll, starts: list[np.ndarray], what: str, names: tuple[str, ...], coarse=None
) -> tuple[dict, float]:
    """The best of L-BFGS-B runs from ``starts``; ``nll`` gives the value and its gradient.

    ``coarse``: the same likelihood over rounded tuples, far fewer than the customers'
    distinct ones: the starts run there and only the best is refined on ``nll``.
    """
    best = None
    for x0 in starts:
        with np.errstate(all="ignore"):  # a start far off overflows; the best start is kept
            res = optimize.minimize(coarse or nll, x0, method="L-BFGS-B", jac=True)
        if np.isfinite(res.fun) and (best is None or res.fun < best.fun):
            best = res
    if coarse is not None and best is not None:
        with np.errstate(all="ignore"):
            best = optimize.minimize(nll, best.x, method="L-BFGS-B", jac=True)
    if (
        best is None
        or not best.success
        or not np.isfinite(best.fun)
        or not np.all(np.isfinite(np.exp(best.x)))
    ):
        msg = getattr(best, "message", "no start gave a finite likelihood")
        raise FitError(
            f"{what} fit did not converge ({msg}); too few repeat customers or a very short "
            "history. Lengthen the period or skip the model section.",
            "no_convergence",
            model=what,
        )
    return dict(zip(names, np.exp(best.x))), -best.fun


def _merged(w: np.ndarray, *cols) -> tuple[np.ndarray, ...]:
    """Rows whose (integer-valued) columns are equal merged into one, their weights summed."""
    ints = [np.asarray(c).astype(np.int64) for c in cols]
    key = np.zeros(len(w), np.int64)
    for c in ints:
        c = c - c.min()
        key = key * (int(c.max()) + 1) + c
    _, first, at = np.unique(key, return_index=True, return_inverse=True)
    return (*(np.asarray(c, float)[first] for c in cols), np.bincount(at, weights=w))


@dataclass(frozen=True)
class BGNBD:
    """Fitted BG/NBD parameters: purchase rate Gamma(r, α), dropout Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float
    loglik: float
    n: int

    def p_alive(self, x, t_x, T) -> np.ndarray:
        """Probability that a customer with history (x, t_x, T) is still active."""
        x, t_x, T = (np.asarray(v, float) for v in (x, t_x, T))
        r, al, a, b = self.r, self.alpha, self.a, self.b
        with np.errstate(divide="ignore", invalid="ignore"):
            log_ratio = (
                np.log(a) - np.log(b + x - 1) + (r + x) * (np.log(al + T) - np.log(al + t_x))
            )
        odds = np.where(x > 0, np.exp(log_ratio), 0.0)
        return 1.0 / (1.0 + odds)

    def expected_purchases(self, t, x, t_x, T) -> np.ndarray:
        """Expected purchases in the next ``t`` periods given history (x, t_x, T)."""
        x, t_x, T = (np.asarray(v, float) for v in (x, t_x, T))
        r, al, a, b = self.r, self.alpha, self.a, self.b
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (al + T + t))
        head = (a + b + x - 1) / (a - 1)
        body = 1 - ((al + T) / (al + T + t)) ** (r + x) * hyp
        return head * body * self.p_alive(x, t_x, T)


def _dot(a, b) -> float:
    """Σ a·b without BLAS (its threads only wait on a busy machine)."""
    return float(np.einsum("i,i->", a, b))


class _Distinct:
    """Distinct values of a column and where each row's is: terms computed once per value."""

    def __init__(self, values: np.ndarray):
        self.values, self.at = np.unique(values, return_inverse=True)


def _bgnbd_nll(log_params, x: _Distinct, t_x: _Distinct, T: _Distinct, w, w_x):
    """Negative BG/NBD log-likelihood of the weighted tuples, and its gradient in log space.

    Terms of x, t_x or T alone are computed per distinct value (a few hundred), those of the
    tuple once per tuple.
    """
    r, al, a, b = np.exp(log_params)
    ux, xi = x.values, x.at
    lg_t, inv_t = np.log(al + T.values)[T.at], (1 / (al + T.values))[T.at]
    lg_tx, inv_tx = np.log(al + t_x.values)[t_x.at], (1 / (al + t_x.values))[t_x.at]
    repeat = ux > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_dropout = np.where(repeat, np.log(a) - np.log(np.where(repeat, b + ux - 1, 1)), -np.inf)
    rx = r + ux[xi]
    a3 = -rx * lg_t
    d = log_dropout[xi] - rx * (lg_tx - lg_t)  # a4 − a3; −inf without repeat purchases
    e = np.exp(-np.abs(d))
    lse = a3 + np.maximum(d, 0) + np.log1p(e)  # log(e^a3 + e^a4)
    s4 = np.where(d > 0, 1, e) / (1 + e)  # the a4 term's share: dropped out after the last
    s3 = 1 - s4
    per_x = (
        special.gammaln(r + ux)
        - special.gammaln(r)
        + r * np.log(al)
        + special.gammaln(a + b)
        + special.gammaln(b + ux)
        - special.gammaln(b)
        - special.gammaln(a + b + ux)
    )
    nll = -(_dot(w_x, per_x) + _dot(w, lse))
    ws4 = w * s4
    d_r = _dot(w_x, special.digamma(r + ux) - special.digamma(r) + np.log(al)) - (
        _dot(w * s3, lg_t) + _dot(ws4, lg_tx)
    )
    d_al = w_x.sum() * r / al - _dot(w * rx, s3 * inv_t + s4 * inv_tx)
    dg_ab, dg_abx = special.digamma(a + b), special.digamma(a + b + ux)
    d_a = _dot(w_x, dg_ab - dg_abx) + ws4.sum() / a
    d_b = _dot(w_x, dg_ab + special.digamma(b + ux) - special.digamma(b) - dg_abx) - _dot(
        ws4, (1 / np.where(repeat, b + ux - 1, 1))[xi]
    )
    return nll, -np.array([d_r * r, d_al * al, d_a * a, d_b * b])


def _compress(*cols, weights=None) -> tuple[np.ndarray, ...]:
    """Distinct rows of the columns and their customers: the likelihood is a sum over customers.

    ``weights`` says the rows are distinct already and how many customers each one stands for
    (DuckDB grouped them).
    """
    if weights is not None:
        return (*(np.asarray(c, float) for c in cols), np.asarray(weights, float))
    stacked = np.column_stack([np.asarray(c, float) for c in cols])
    uniq, counts = np.unique(stacked, axis=0, return_counts=True)
    return (*uniq.T, counts.astype(float))


def fit_bgnbd(frequency, recency, T, weights=None) -> BGNBD:
    """Fit BG/NBD by maximum likelihood (log-parametrised, several starts, L-BFGS-B).

    ``weights``: each row is a distinct (frequency, recency, T) and stands for that many
    customers. With many distinct tuples the starts run on recency and T rounded to whole
    periods, and the best is refined on the exact ones. Raises :class:`FitError` when no
    start converges to finite parameters.
    """
    x, t_x, TT, w = _compress(frequency, recency, T, weights=weights)
    if len(x) == 0 or np.all(x == 0):
        raise FitError(
            "BG/NBD needs customers with repeat purchases; none in this period.", "no_repeat"
        )
    scale = float(np.mean(TT)) or 1.0
    starts = [
        np.log([1.0, scale, 1.0, 1.0]),
        np.log([0.5, scale / 4, 0.5, 2.0]),
        np.log([0.2, 5.0, 0.8, 2.5]),
        np.zeros(4),
    ]

    def nll(x, t_x, TT, w):
        dx, dt_x, dT = _Distinct(x), _Distinct(t_x), _Distinct(TT)
        w_x = np.bincount(dx.at, weights=w, minlength=len(dx.values))
        return lambda p: _bgnbd_nll(p, dx, dt_x, dT, w, w_x)

    rounded = _merged(w, x, np.round(t_x), np.round(TT))  # whole periods
    params, ll = _multi_start(
        nll(x, t_x, TT, w),
        starts,
        "BG/NBD",
        ("r", "alpha", "a", "b"),
        coarse=nll(*rounded) if len(rounded[0]) <= COARSE_SHARE * len(x) else None,
    )
    return BGNBD(**params, loglik=ll, n=int(w.sum()))


@dataclass(frozen=True)
class GammaGamma:
    """Fitted Gamma-Gamma spend model: per-transaction spend ~ Gamma(p, ν), ν ~ Gamma(q, γ)."""

    p: float
    q: float
    gamma: float
    loglik: float
    n: int

    def expected_spend(self, x, monetary) -> np.ndarray:
        """Expected mean spend per purchase; the population mean for customers with x = 0."""
        x, m = np.asarray(x, float), np.asarray(monetary, float)
        p, q, g = self.p, self.q, self.gamma
        population = p * g / (q - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            cond = p * (g + x * m) / (p * x + q - 1)
        return np.where(x > 0, cond, population)


def _gg_nll(log_params, x: _Distinct, log_m, mx, w):
    """Negative Gamma-Gamma log-likelihood of weighted (x, m) pairs, and its log-space gradient.

    Terms of x alone are computed per distinct x.
    """
    p, q, g = np.exp(log_params)
    ux, xi = x.values, x.at
    px = p * ux
    log_gmx, inv_gmx = np.log(g + mx), 1 / (g + mx)
    xx = ux[xi]
    pxq = (px + q)[xi]
    per_x = special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + px * np.log(ux)
    w_x = np.bincount(xi, weights=w, minlength=len(ux))
    ll = _dot(w_x, per_x) + w.sum() * q * np.log(g) + _dot(w, (p * xx - 1) * log_m - pxq * log_gmx)
    dg_pxq = special.digamma(px + q)
    d_p = _dot(w_x, ux * (dg_pxq - special.digamma(px) + np.log(ux))) + _dot(
        w * xx, log_m - log_gmx
    )
    d_q = _dot(w_x, dg_pxq) - w.sum() * (special.digamma(q) - np.log(g)) - _dot(w, log_gmx)
    d_g = w.sum() * q / g - _dot(w, pxq * inv_gmx)
    return -ll, -np.array([d_p * p, d_q * q, d_g * g])


def fit_gamma_gamma(frequency, monetary, weights=None) -> GammaGamma:
    """Fit Gamma-Gamma on repeat customers (frequency > 0, monetary > 0) by maximum likelihood.

    ``weights``: each row is a distinct (frequency, monetary) standing for that many customers.
    With many distinct pairs the starts run on spend rounded to 0.5 % and the best is refined.
    """
    f, m = np.asarray(frequency, float), np.asarray(monetary, float)
    keep = (f > 0) & (m > 0)
    given = None if weights is None else np.asarray(weights, float)[keep]
    n = int(keep.sum()) if given is None else int(given.sum())
    if n < 10:
        raise FitError(
            f"Gamma-Gamma needs at least 10 repeat customers; found {n}.",
            "few_repeat",
            n=n,
        )
    x, mm, w = _compress(f[keep], m[keep], weights=given)
    mean = float(np.average(mm, weights=w))
    starts = [np.log([1.0, 1.0, mean]), np.log([5.0, 3.0, mean / 2]), np.log([2.0, 2.0, 1.0])]

    def nll(x, mm, w):
        dx, log_m = _Distinct(x), np.log(mm)
        return lambda p: _gg_nll(p, dx, log_m, mm * x, w)

    step = _merged(w, x, np.round(np.log(mm) * 100))  # spend within 0.5 %
    rounded = (step[0], np.exp(step[1] / 100), step[2])
    params, ll = _multi_start(
        nll(x, mm, w),
        starts,
        "Gamma-Gamma",
        ("p", "q", "gamma"),
        coarse=nll(*rounded) if len(rounded[0]) <= COARSE_SHARE * len(x) else None,
    )
    if params["q"] <= 1:
        raise FitError(
            f"Gamma-Gamma fit has q = {params['q']:.2f} ≤ 1: mean spend undefined.",
            "q_le_1",
            q=f"{params['q']:.2f}",
        )
    return GammaGamma(**params, loglik=ll, n=int(w.sum()))


def customer_value(
    summary: pd.DataFrame,
    bgnbd: BGNBD,
    gg: GammaGamma | None,
    horizon: float,
    margin: float = 1.0,
) -> pd.DataFrame:
    """Expected purchases over ``horizon`` periods, P(alive), expected spend and CLV.

    CLV = expected purchases × expected spend per purchase × ``margin`` (undiscounted). Every
    value is checked finite and non-negative: a model that gives otherwise raises FitError.
    """
    x, t_x, T = summary["frequency"], summary["recency"], summary["T"]
    out = pd.DataFrame(index=summary.index)
    out["p_alive"] = bgnbd.p_alive(x, t_x, T)
    out["expected_purchases"] = bgnbd.expected_purchases(horizon, x, t_x, T)
    if gg is not None:
        out["expected_spend"] = gg.expected_spend(x, summary["monetary"])
        out["clv"] = out["expected_purchases"] * out["expected_spend"] * margin
    bad = ~np.isfinite(out.to_numpy(float)).all(axis=1) | (out.to_numpy(float) < 0).any(axis=1)
    if bad.any():
        raise FitError(
            f"the fitted models give NaN or negative values for {int(bad.sum())} customers "
            f"(e.g. {out.index[bad][0]}); the fit is not usable for this shop.",
            "bad_values",
            n=int(bad.sum()),
        )
    return out


def holdout_check(
    purchases: pd.DataFrame,
    calibration_end,
    observation_end,
    *,
    period_days: float = 7.0,
    max_frequency: int = 7,
) -> tuple[BGNBD, pd.DataFrame]:
    """Fit BG/NBD on the calibration period; compare predicted and actual holdout purchases.

    Returns the fit and, per calibration frequency (capped at ``max_frequency``, "7+"), the
    number of customers and their mean actual and predicted repeat purchase days in the
    holdout period. Only customers whose first purchase is in the calibration period count.
    """
    cal_end, obs_end = pd.Timestamp(calibration_end), pd.Timestamp(observation_end)
    cal = rfm_summary(purchases, cal_end, period_days=period_days)
    later = purchases[(purchases["date"] > cal_end) & (purchases["date"] <= obs_end)]
    actual = (
        later[later["customer_id"].isin(cal.index)]
        .groupby("customer_id")["date"]
        .nunique()
        .reindex(cal.index, fill_value=0)
    )
    tuples = (
        cal[["frequency", "recency", "T"]]
        .assign(actual=actual.to_numpy())
        .groupby(["frequency", "recency", "T"])
        .agg(n=("actual", "size"), actual=("actual", "sum"))
        .reset_index()
    )
    return holdout_fit(tuples, (obs_end - cal_end).days / period_days, max_frequency)


def holdout_fit(
    tuples: pd.DataFrame, horizon: float, max_frequency: int = 7
) -> tuple[BGNBD, pd.DataFrame]:
    """:func:`holdout_check` from the calibration's distinct tuples.

    ``tuples``: each distinct (frequency, recency, T), its customers ``n`` and their purchase
    days in the ``horizon`` periods after (``actual``, summed).
    """
    f, n = tuples["frequency"].to_numpy(), tuples["n"].to_numpy()
    model = fit_bgnbd(f, tuples["recency"], tuples["T"], weights=n)
    predicted = model.expected_purchases(horizon, f, tuples["recency"], tuples["T"])
    sums = (
        pd.DataFrame(
            {"n": n, "actual": tuples["actual"].to_numpy(), "predicted": predicted * n},
            index=pd.Index(np.minimum(f, max_frequency), name="group"),
        )
        .groupby("group")
        .sum()
    )
    table = pd.DataFrame(
        {
            "customers": sums["n"],
            "actual": sums["actual"] / sums["n"],
            "predicted": sums["predicted"] / sums["n"],
        }
    )
    table.index = [f"{g}+" if g == max_frequency else str(g) for g in table.index]
    return model, table
