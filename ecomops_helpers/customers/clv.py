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
    a fraction of a second). Purchases
    after ``observation_end`` are ignored; several purchases on one day count as one
    purchase day with their amounts summed. ``recency`` (t_x) and ``T`` are in periods of
    ``period_days`` days (7 for weeks). ``monetary`` is the mean spend of the repeat purchase
    days (0 for one-time buyers); ``total`` includes the first day. Rows come in no
    particular order (sorting 200,000 IDs would cost a third of the time); sort if it matters.
    """
    end = pd.Timestamp(observation_end).normalize() + pd.Timedelta(days=1)
    query = """
        with days as (
            select c, cast(t as date) as day, sum(a) as a
            from frame where t < ? group by c, day
        )
        select c, count(*) - 1 as frequency, min(day) as first, max(day) as last,
               sum(a) as total, arg_min(a, day) as first_amount
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


def _multi_start(nll, starts: list[np.ndarray], what: str, names: tuple[str, ...]):
    best = None
    for x0 in starts:
        with np.errstate(all="ignore"):  # a start far off overflows; the best start is kept
            res = optimize.minimize(nll, x0, method="L-BFGS-B")
        if np.isfinite(res.fun) and (best is None or res.fun < best.fun):
            best = res
    if best is None or not best.success or not np.all(np.isfinite(np.exp(best.x))):
        msg = getattr(best, "message", "no start gave a finite likelihood")
        raise FitError(
            f"{what} fit did not converge ({msg}); too few repeat customers or a very short "
            "history. Lengthen the period or skip the model section.",
            "no_convergence",
            model=what,
        )
    return dict(zip(names, np.exp(best.x))), -best.fun


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


def _bgnbd_nll(log_params, x, t_x, T, weights, ux, inv):
    """Negative BG/NBD log-likelihood; terms that depend on x alone are computed per distinct x."""
    r, al, a, b = np.exp(log_params)
    per_x = (
        special.gammaln(r + ux)
        - special.gammaln(r)
        + r * np.log(al)
        + special.gammaln(a + b)
        + special.gammaln(b + ux)
        - special.gammaln(b)
        - special.gammaln(a + b + ux)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        log_dropout = np.where(ux > 0, np.log(a) - np.log(np.maximum(b + ux - 1, 1e-300)), -np.inf)
    rx = r + x
    a3 = -rx * np.log(al + T)
    a4 = log_dropout[inv] - rx * np.log(al + t_x)
    ll = per_x[inv] + np.logaddexp(a3, a4)
    return -np.sum(weights * ll)


def _compress(*cols) -> tuple[np.ndarray, ...]:
    """Unique rows of the columns and their counts: the likelihood is a sum over customers."""
    stacked = np.column_stack([np.asarray(c, float) for c in cols])
    uniq, counts = np.unique(stacked, axis=0, return_counts=True)
    return (*uniq.T, counts.astype(float))


def fit_bgnbd(frequency, recency, T) -> BGNBD:
    """Fit BG/NBD by maximum likelihood (log-parametrised, several starts, L-BFGS-B).

    Raises :class:`FitError` when no start converges to finite parameters.
    """
    x, t_x, TT, w = _compress(frequency, recency, T)
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
    ux, inv = np.unique(x, return_inverse=True)
    params, ll = _multi_start(
        lambda p: _bgnbd_nll(p, x, t_x, TT, w, ux, inv), starts, "BG/NBD", ("r", "alpha", "a", "b")
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


def _gg_nll(log_params, x, m, weights):
    p, q, g = np.exp(log_params)
    px = p * x
    ll = (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(g)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(g + m * x)
    )
    return -np.sum(weights * ll)


def fit_gamma_gamma(frequency, monetary) -> GammaGamma:
    """Fit Gamma-Gamma on repeat customers (frequency > 0, monetary > 0) by maximum likelihood."""
    f, m = np.asarray(frequency, float), np.asarray(monetary, float)
    keep = (f > 0) & (m > 0)
    if keep.sum() < 10:
        raise FitError(
            f"Gamma-Gamma needs at least 10 repeat customers; found {keep.sum()}.",
            "few_repeat",
            n=int(keep.sum()),
        )
    x, mm, w = _compress(f[keep], m[keep])
    mean = float(np.average(mm, weights=w))
    starts = [np.log([1.0, 1.0, mean]), np.log([5.0, 3.0, mean / 2]), np.log([2.0, 2.0, 1.0])]
    params, ll = _multi_start(
        lambda p: _gg_nll(p, x, mm, w), starts, "Gamma-Gamma", ("p", "q", "gamma")
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
    model = fit_bgnbd(cal["frequency"], cal["recency"], cal["T"])
    later = purchases[(purchases["date"] > cal_end) & (purchases["date"] <= obs_end)]
    actual = (
        later[later["customer_id"].isin(cal.index)]
        .groupby("customer_id")["date"]
        .nunique()
        .reindex(cal.index, fill_value=0)
    )
    horizon = (obs_end - cal_end).days / period_days
    predicted = model.expected_purchases(horizon, cal["frequency"], cal["recency"], cal["T"])
    group = cal["frequency"].clip(upper=max_frequency)
    table = (
        pd.DataFrame({"group": group, "actual": actual.to_numpy(), "predicted": predicted})
        .groupby("group")
        .agg(
            customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
        )
    )
    table.index = [f"{g}+" if g == max_frequency else str(g) for g in table.index]
    return model, table
