"""Forecast accuracy metrics: pure functions of a tidy forecast table.

Every metric has the same signature, in the spirit of utilsforecast's ``losses.py``::

    metric(df, by=None) -> float | pandas.Series

``df`` is a table with one row per forecast value (the schema of ``Backtest.table``):

=============  ===========================================================================
column         meaning
=============  ===========================================================================
``y``          the realised value
``point``      the model's point forecast
``q2.5`` ...   quantiles of the forecast distribution (names from ``quantile_column``)
``crps``       CRPS of the sample paths against ``y`` (see :func:`crps_sample`)
``scale_mae``  in-sample scale of the training window: mean |y_t - y_{t-m}|
``scale_mse``  in-sample scale of the training window: mean (y_t - y_{t-m})^2
``naive``      the Naive point forecast from the same origin (the last training value)
=============  ===========================================================================

``by=None`` returns one float over all rows; ``by=["model", "step"]`` (any columns) returns a
Series indexed by the groups. A metric only reads the columns it needs. Averages are over rows,
so a per-series figure (``by="unique_id"``) is the usual per-series metric (for example MASE
= mean |e| / scale with a fixed training window), and the overall figure is the mean over
series when every series contributes the same number of rows.

:func:`evaluate` applies a list of metrics and returns one column per metric. Helpers that
work on arrays (:func:`crps_sample`, :func:`insample_scale`) are what a backtest uses while
the sample paths still exist.

Notation: ``e = point - y`` (positive when the forecast is too high), ``l``/``u`` are the
bounds of the central interval with coverage ``1 - a``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from forecast.errors import ForecastError

__all__ = [
    "mae", "rmse", "bias", "mape", "smape", "mase", "rmsse", "coverage", "coverage80",
    "coverage95", "interval_score", "winkler80", "winkler95", "msis", "pinball", "crps",
    "skill", "crps_sample", "insample_scale", "evaluate", "DEFAULT_METRICS",
    "censored_count_scores", "LOG_SCORE_FLOOR",
]


# -- shared plumbing ---------------------------------------------------------------------
def _col(df: pd.DataFrame, name: str) -> np.ndarray:
    if name not in df.columns:
        raise ForecastError(
            f"metric needs column {name!r}; the table has: {', '.join(map(str, df.columns))}"
        )
    return df[name].to_numpy(dtype=float)


def _groups(df, by):
    if by is None:
        return None
    return [by] if isinstance(by, str) else list(by)


def _mean(df: pd.DataFrame, values: np.ndarray, by, name: str):
    """Mean of per-row ``values`` overall (float) or per group of ``by`` (Series)."""
    keys = _groups(df, by)
    if keys is None:
        return float(np.mean(values)) if len(values) else float("nan")
    frame = df[keys].copy()
    frame[name] = values
    return frame.groupby(keys, sort=True, observed=True)[name].mean()


def _quantile_col(q: float) -> str:
    # same rule as forecast.models.distribution.quantile_column, kept here so that this
    # module imports nothing from the package but its errors
    return f"q{round(100 * float(q), 6):g}"


def _bounds(df, level):
    a = 1.0 - float(level)
    if not 0 < a < 1:
        raise ForecastError(f"interval level must be in (0, 1); got {level}")
    return _col(df, _quantile_col(a / 2)), _col(df, _quantile_col(1 - a / 2)), a


# -- point metrics -----------------------------------------------------------------------
def mae(df, by=None):
    """Mean absolute error: ``mean(|point - y|)``."""
    return _mean(df, np.abs(_col(df, "point") - _col(df, "y")), by, "mae")


def rmse(df, by=None):
    """Root mean squared error: ``sqrt(mean((point - y)^2))`` (the root is taken per group)."""
    out = _mean(df, (_col(df, "point") - _col(df, "y")) ** 2, by, "rmse")
    return np.sqrt(out) if isinstance(out, pd.Series) else float(np.sqrt(out))


def bias(df, by=None):
    """Mean error: ``mean(point - y)``; positive when forecasts are too high."""
    return _mean(df, _col(df, "point") - _col(df, "y"), by, "bias")


def mape(df, by=None):
    """Mean absolute percentage error in percent: ``100 * mean(|point - y| / |y|)``."""
    y = _col(df, "y")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _mean(df, 100 * np.abs(_col(df, "point") - y) / np.abs(y), by, "mape")


def smape(df, by=None):
    """Symmetric MAPE as in the M3 competition, in percent (0 to 200):
    ``mean(200 * |point - y| / (|y| + |point|))``; a row with ``y = point = 0`` counts 0.
    """
    y, f = _col(df, "y"), _col(df, "point")
    den = np.abs(y) + np.abs(f)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(den > 0, 200 * np.abs(f - y) / den, 0.0)
    return _mean(df, values, by, "smape")


def mase(df, by=None):
    """Mean absolute scaled error (Hyndman & Koehler 2006): ``mean(|point - y| / scale_mae)``,
    where ``scale_mae = mean_t |y_t - y_{t-m}|`` over the training window of the row's origin.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.abs(_col(df, "point") - _col(df, "y")) / _col(df, "scale_mae")
    return _mean(df, values, by, "mase")


def rmsse(df, by=None):
    """Root mean squared scaled error (M5): ``sqrt(mean((point - y)^2 / scale_mse))``, where
    ``scale_mse = mean_t (y_t - y_{t-m})^2`` over the training window of the row's origin.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        values = (_col(df, "point") - _col(df, "y")) ** 2 / _col(df, "scale_mse")
    out = _mean(df, values, by, "rmsse")
    return np.sqrt(out) if isinstance(out, pd.Series) else float(np.sqrt(out))


def skill(df, by=None):
    """MAE skill relative to the Naive forecast from the same origin:
    ``1 - mean(|point - y|) / mean(|naive - y|)`` per group (1 is perfect, 0 is no better
    than Naive, negative is worse).
    """
    num = mae(df, by)
    den = _mean(df, np.abs(_col(df, "naive") - _col(df, "y")), by, "naive_mae")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1 - num / den
    return out if isinstance(out, pd.Series) else float(out)


# -- interval and distribution metrics ---------------------------------------------------
def coverage(df, by=None, *, level=0.8):
    """Share of ``y`` inside the central ``level`` interval: ``mean(l <= y <= u)``, with
    ``l, u`` the ``(1 - level)/2`` and ``(1 + level)/2`` quantile columns.
    """
    lo, hi, _ = _bounds(df, level)
    y = _col(df, "y")
    return _mean(df, ((lo <= y) & (y <= hi)).astype(float), by, "coverage")


def coverage80(df, by=None):
    """Coverage of the 80% interval (columns ``q10``, ``q90``); see :func:`coverage`."""
    return coverage(df, by, level=0.8)


def coverage95(df, by=None):
    """Coverage of the 95% interval (columns ``q2.5``, ``q97.5``); see :func:`coverage`."""
    return coverage(df, by, level=0.95)


def _winkler_values(df, level):
    lo, hi, a = _bounds(df, level)
    y = _col(df, "y")
    return (hi - lo) + (2 / a) * np.maximum(lo - y, 0) + (2 / a) * np.maximum(y - hi, 0)


def interval_score(df, by=None, *, level=0.95):
    """Interval (Winkler) score of the central ``level = 1 - a`` interval, lower is better
    (Gneiting & Raftery 2007): ``mean((u - l) + (2/a)(l - y)1{y < l} + (2/a)(y - u)1{y > u})``.
    """
    return _mean(df, _winkler_values(df, level), by, "interval_score")


def winkler80(df, by=None):
    """Interval score of the 80% interval (a = 0.2); see :func:`interval_score`."""
    return interval_score(df, by, level=0.8)


def winkler95(df, by=None):
    """Interval score of the 95% interval (a = 0.05); see :func:`interval_score`."""
    return interval_score(df, by, level=0.95)


def msis(df, by=None, *, level=0.95):
    """Mean scaled interval score (M4): the interval score of the 95% interval divided by
    ``scale_mae`` row by row: ``mean(IS_a(l, u, y) / scale_mae)``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        values = _winkler_values(df, level) / _col(df, "scale_mae")
    return _mean(df, values, by, "msis")


def pinball(df, by=None, *, levels=None):
    """Pinball (quantile) loss averaged over quantile levels ``tau`` (default: every ``q*``
    column in ``df``): ``mean_tau mean(max(tau (y - q_tau), (tau - 1)(y - q_tau)))``.
    """
    if levels is None:
        levels = _table_levels(df)
    if not levels:
        raise ForecastError("pinball needs quantile columns such as 'q10'; the table has none")
    y = _col(df, "y")
    total = np.zeros(len(df))
    for tau in levels:
        diff = y - _col(df, _quantile_col(tau))
        total += np.maximum(tau * diff, (tau - 1) * diff)
    return _mean(df, total / len(levels), by, "pinball")


def _table_levels(df) -> list[float]:
    levels = []
    for name in df.columns:
        if isinstance(name, str) and name.startswith("q"):
            try:
                levels.append(float(name[1:]) / 100)
            except ValueError:
                continue
    return sorted(levels)


def crps(df, by=None):
    """Mean continuous ranked probability score, ``mean(crps)``; the ``crps`` column holds
    ``E|X - y| - E|X - X'| / 2`` of each forecast's sample paths (see :func:`crps_sample`).
    """
    return _mean(df, _col(df, "crps"), by, "crps")


# -- array helpers -----------------------------------------------------------------------
def crps_sample(samples, y) -> np.ndarray:
    """CRPS of the empirical distribution of ``samples`` at ``y``, exactly, in O(n log n).

    ``samples`` has shape ``(..., n)`` (n draws per forecast) and ``y`` shape ``(...)``. With
    ``x_(1) <= ... <= x_(n)`` the sorted draws, the energy form
    ``CRPS = mean_i |x_i - y| - (1 / 2n^2) sum_ij |x_i - x_j|`` uses the identity
    ``sum_ij |x_i - x_j| = 2 sum_i (2i - n - 1) x_(i)``, so
    ``CRPS = mean_i |x_i - y| - (1 / n^2) sum_i (2i - n - 1) x_(i)``.
    This is the CRPS of the empirical CDF (the V-statistic, not the "fair" estimator).
    """
    x = np.sort(np.asarray(samples, dtype=float), axis=-1)
    y = np.asarray(y, dtype=float)
    n = x.shape[-1]
    if n < 1:
        raise ForecastError("crps_sample needs at least one sample per forecast")
    if x.shape[:-1] != y.shape:
        raise ForecastError(
            f"crps_sample: samples of shape {x.shape} need y of shape {x.shape[:-1]}; "
            f"got {y.shape}"
        )
    weights = 2 * np.arange(1, n + 1) - n - 1
    spread = (x @ weights) / n**2
    return np.abs(x - y[..., None]).mean(axis=-1) - spread


def insample_scale(y, season_length: int = 1) -> tuple[float, float]:
    """In-sample scales of a training window: ``(mean |y_t - y_{t-m}|, mean (y_t - y_{t-m})^2)``
    with ``m = season_length`` (1 for annual data): the denominators of MASE/MSIS and RMSSE.
    """
    y = np.asarray(y, dtype=float)
    m = int(season_length)
    if m < 1 or len(y) <= m:
        raise ForecastError(
            f"insample_scale needs more than season_length={m} values; got {len(y)}"
        )
    d = y[m:] - y[:-m]
    return float(np.mean(np.abs(d))), float(np.mean(d**2))


#: Smallest probability a censored log score can take (log 1e-10 = -23.0): one impossible
#: report then costs a bounded, stated amount instead of -inf.
LOG_SCORE_FLOOR = float(np.log(1e-10))


def censored_count_scores(m, s, low, high, u, levels=(0.5, 0.8, 0.9), weights=None) -> dict:
    """Scores of interval-censored counts under mixtures of log1p-normal predictives.

    Forecast ``k`` is a mixture over components ``j`` (one for a parametric baseline, one or
    more per sample path for a simulation): ``log(C + 1) ~ N(m[j, k], s[j, k]^2)``, with equal
    weights or ``weights`` (J,) (non-negative, normalised here).
    The report is the range ``[low_k, high_k]`` (``high`` may be inf) of a count; with the
    continuity margin of half a person its probability is ``P_k = F_k(high_k) - F_k^-(low_k)``
    with ``F(x) = mean_j Phi((log(x + 1.5) - m) / s)``, ``F^-(x) = mean_j Phi((log(x + 0.5) -
    m) / s)`` (0 for ``low = 0``). Returns arrays of length K:

    * ``log_score``: ``log P_k``, floored at :data:`LOG_SCORE_FLOOR` (higher is better);
    * ``pit``: randomized PIT ``F^-(low) + u (F(high) - F^-(low))`` with ``u ~ U[0, 1)``
      given by the caller: uniform on [0, 1] when the forecast is calibrated, however wide
      the reported range (a wide range spreads its PIT, it does not pass by construction);
    * ``in50``, ``in80``, ``in90`` (one per level): ``|pit - 1/2| <= level / 2``, the central
      band coverage of the randomized PIT;
    * ``q05`` ... ``q95``: quantiles of the predictive count (bisection on the mixture CDF);
    * ``interval_score``: interval score of the central 80% band on the log1p scale against
      ``log1p`` of the report's geometric midpoint ``sqrt((low + 1)(high + 1)) - 1`` (``low``
      when ``high`` is inf): ``(u - l) + 10 (l - y)+ + 10 (y - u)+`` (lower is better).
    """
    from scipy.special import ndtr

    m = np.atleast_2d(np.asarray(m, dtype=float))
    s = np.broadcast_to(np.atleast_2d(np.asarray(s, dtype=float)), m.shape)
    w = _mixture_weights(weights, m.shape[0])
    low = np.maximum(np.asarray(low, dtype=float), 0.0)
    high = np.asarray(high, dtype=float)
    u = np.asarray(u, dtype=float)
    if m.shape[1] != low.size or high.size != low.size or u.size != low.size:
        raise ForecastError(f"censored_count_scores: {m.shape[1]} forecasts need as many "
                            f"low, high and u values; got {low.size}, {high.size}, {u.size}")
    upper = np.where(np.isinf(high), np.inf, np.log(high + 1.5))
    lower = np.where(low <= 0, -np.inf, np.log(low + 0.5))
    f_hi = w @ ndtr((upper[None, :] - m) / s)
    f_lo = w @ ndtr((lower[None, :] - m) / s)
    prob = np.clip(f_hi - f_lo, 0.0, 1.0)
    out = {"log_score": np.maximum(np.log(np.maximum(prob, 1e-300)), LOG_SCORE_FLOOR)}
    pit = f_lo + u * (f_hi - f_lo)
    out["pit"] = pit
    for level in levels:
        out[f"in{round(level * 100)}"] = np.abs(pit - 0.5) <= level / 2
    qs = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
    zq = _mixture_quantiles(m, s, qs, weights=w)
    for q, row in zip(qs, zq, strict=True):
        out[f"q{round(q * 100):02d}"] = np.maximum(np.expm1(row), 0.0)
    y = np.where(np.isinf(high), np.log1p(low), 0.5 * (np.log1p(low) + np.log1p(high)))
    lo80, hi80 = zq[1], zq[5]
    out["interval_score"] = ((hi80 - lo80) + 10 * np.maximum(lo80 - y, 0)
                             + 10 * np.maximum(y - hi80, 0))
    return out


def _mixture_weights(weights, n: int) -> np.ndarray:
    if weights is None:
        return np.full(n, 1.0 / n)
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ForecastError(f"censored_count_scores: weights must be {n} finite non-negative "
                            f"numbers with a positive sum (one per component); got shape "
                            f"{w.shape}")
    return w / w.sum()


def _mixture_quantiles(m, s, levels, iterations: int = 60, weights=None,
                       grid: int = 33) -> np.ndarray:
    """Quantiles (len(levels), K) of normal mixtures (columns of m, s; equal weights unless
    ``weights`` (J,) are given).

    The mixture CDF is evaluated on ``grid`` points spanning every component's +-8 s.d.; each
    quantile is then bracketed by two grid points and found by safeguarded Newton steps (a
    step leaving the bracket is replaced by bisection), at most ``iterations`` of them. A
    column stops once its CDF is within 1e-12 of the level or its bracket is narrower than
    1e-9 (a quantile on a jump of the CDF, where Newton cannot help); only the columns still
    open are evaluated, so a few slow columns do not cost a pass over all of them. Same answer
    as bisection, in a fraction of the mixture evaluations.
    """
    from scipy.special import ndtr

    w = _mixture_weights(weights, m.shape[0])
    lo = (m - 8 * s).min(axis=0)
    hi = (m + 8 * s).max(axis=0)
    cols = np.arange(m.shape[1])
    xs = lo[None, :] + (hi - lo)[None, :] * np.linspace(0.0, 1.0, grid)[:, None]   # (G, K)
    cdf = np.array([w @ ndtr((x[None, :] - m) / s) for x in xs])                  # (G, K)
    inv_s = 1.0 / s
    root_2pi = np.sqrt(2 * np.pi)
    out = []
    for q in levels:
        k = np.clip((cdf < q).sum(axis=0), 1, grid - 1)
        a, b = xs[k - 1, cols], xs[k, cols]
        fa, fb = cdf[k - 1, cols], cdf[k, cols]
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(fb > fa, a + (q - fa) / (fb - fa) * (b - a), 0.5 * (a + b))
        open_ = cols
        for _ in range(iterations):
            mo, io = m[:, open_], inv_s[:, open_]
            xo, ao, bo = x[open_], a[open_], b[open_]
            zz = (xo[None, :] - mo) * io
            err = w @ ndtr(zz) - q
            done = (np.abs(err) < 1e-12) | (bo - ao < 1e-9)
            if done.all():
                break
            dens = w @ (np.exp(-0.5 * zz * zz) * io) / root_2pi
            below = err < 0
            ao = np.where(below, xo, ao)
            bo = np.where(below, bo, xo)
            with np.errstate(divide="ignore", invalid="ignore"):
                step = xo - err / dens
            ok = np.isfinite(step) & (step > ao) & (step < bo)
            xo = np.where(done, xo, np.where(ok, step, 0.5 * (ao + bo)))
            x[open_], a[open_], b[open_] = xo, ao, bo
            open_ = open_[~done]
        out.append(x)
    return np.array(out)


# -- many metrics at once ----------------------------------------------------------------
#: The metrics ``Backtest.scores`` reports, in order.
DEFAULT_METRICS: dict[str, Callable] = {
    "mae": mae,
    "rmse": rmse,
    "bias": bias,
    "mape": mape,
    "smape": smape,
    "mase": mase,
    "rmsse": rmsse,
    "coverage80": coverage80,
    "coverage95": coverage95,
    "winkler80": winkler80,
    "winkler95": winkler95,
    "msis": msis,
    "pinball": pinball,
    "crps": crps,
    "skill": skill,
}


def evaluate(df: pd.DataFrame, metrics=None, by=None) -> pd.DataFrame:
    """Apply metrics to a table: one row per group of ``by`` and one column per metric.

    ``metrics`` is a list of metric functions (columns named after ``__name__``), a mapping
    ``{column: metric}`` or None for :data:`DEFAULT_METRICS`. A metric whose columns are
    missing from ``df`` raises :class:`~forecast.errors.ForecastError`.
    """
    if metrics is None:
        metrics = DEFAULT_METRICS
    if not isinstance(metrics, Mapping):
        if callable(metrics) or not isinstance(metrics, Sequence):
            metrics = [metrics]
        metrics = {_metric_name(m): m for m in metrics}
    if len(df) == 0:
        raise ForecastError("evaluate: the table is empty")
    keys = _groups(df, by)
    if keys is not None:
        missing = [k for k in keys if k not in df.columns]
        if missing:
            raise ForecastError(
                f"evaluate: cannot group by {missing}; columns: {', '.join(map(str, df.columns))}"
            )
    columns = {name: fn(df, by) for name, fn in metrics.items()}
    if keys is None:
        return pd.DataFrame({name: [value] for name, value in columns.items()})
    return pd.DataFrame(columns).reset_index()


def _metric_name(fn) -> str:
    name = getattr(fn, "__name__", None) or getattr(getattr(fn, "func", None), "__name__", None)
    if name is None:
        raise ForecastError(f"metric {fn!r} has no name; pass a mapping {{name: metric}}")
    return name
