"""Growth curves for stocks that saturate: logistic and Gompertz.

Both curves have three parameters, a saturation level ``K``, a rate ``r`` (per period; negative
for a declining stock) and an inflection time ``t0`` (in periods from the first observation,
``t = 0, 1, ..., T-1``):

    logistic  K / (1 + exp(-r (t - t0)))
    gompertz  K * exp(-exp(-r (t - t0)))

The curve is fitted by bounded non-linear least squares (``scipy.optimize.least_squares``),
on the log scale (``log y - log curve``; the default when every value is positive, since stocks
span orders of magnitude) or on the original scale. Initial values come from linearising the
curve for a few candidate saturation levels; the saturation level is bounded to
``[max(y) / 2, max_saturation]`` (default ten times the largest observation) and optimised
as ``log K``.

Sample paths combine

* parameter uncertainty: each path draws ``(log K, r, t0)`` from the asymptotic normal
  distribution of the least-squares estimate (covariance ``s^2 (J'J)^-1``), truncated to
  the bounds, and follows the drawn curve's growth from the fitted value of the last observed
  period (its ratio on the log scale, its difference on the original scale). Anchoring keeps
  the weakly identified draws of an unsaturated series from jumping away from the known
  current level; and
* residual noise: the residuals around the curve follow an AR(1) process (estimated from the
  fitted residuals, ``0 <= phi <= 0.95``), so a forecast starts from the last observation and
  relaxes towards the curve, with the AR(1) innovations drawn from a normal distribution.

The curve is positive, so paths are kept ``>= 0`` whatever ``positive`` says (on the log scale
by construction, on the original scale by clipping).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import least_squares

from forecast.errors import ModelError
from forecast.models.base import BaseModel

CURVES = ("logistic", "gompertz")
_SCALES = ("auto", "log", "original")
_R_MAX = 3.0  # per period: steeper than this is a step, not a growth curve
_PHI_MAX = 0.95


def logistic(t, K, r, t0):
    """Logistic curve ``K / (1 + exp(-r (t - t0)))``."""
    return K / (1.0 + np.exp(np.clip(-r * (np.asarray(t, dtype=float) - t0), -700, 700)))


def gompertz(t, K, r, t0):
    """Gompertz curve ``K exp(-exp(-r (t - t0)))``."""
    return K * np.exp(-np.exp(np.clip(-r * (np.asarray(t, dtype=float) - t0), -700, 700)))


_CURVE_FUNCS = {"logistic": logistic, "gompertz": gompertz}


def _log_curve(curve, t, logK, r, t0):
    """log of the curve, computed without under- or overflow."""
    z = np.clip(-r * (np.asarray(t, dtype=float) - t0), -700, 700)
    if curve == "logistic":
        return logK - np.logaddexp(0.0, z)
    return logK - np.exp(z)


class Growth(BaseModel):
    """Logistic or Gompertz growth curve with parameter and residual uncertainty.

    Parameters
    ----------
    curve : {"logistic", "gompertz"}
        Shape of the curve.
    scale : {"auto", "log", "original"}
        Least squares on ``log y`` or on ``y``; "auto" picks "log" when every value is > 0.
    max_saturation : float, optional
        Upper bound of the saturation level ``K``; default ``10 * max(y)``.
    positive : bool or "auto"
        Kept for the common contract; growth curves are positive, so paths never go below 0.

    Fitted attributes: ``params_`` (array K, r, t0); ``theta_`` and ``theta_cov_``, the
    estimate of (log K, r, t0) and its covariance, from which paths draw their parameters;
    ``scale_``; ``resid_``; ``phi_`` and ``sigma_`` (AR(1) coefficient and innovation sd of
    the residuals).
    """

    min_obs = 5  # three parameters, plus residual variance and autocorrelation
    handles_positivity = True

    def __init__(self, curve="logistic", scale="auto", max_saturation=None, positive="auto"):
        self.curve = curve
        self.scale = scale
        self.max_saturation = max_saturation
        self.positive = positive

    # -- fitting -------------------------------------------------------------------------
    def _fit(self, y, X=None):
        if self.curve not in CURVES:
            raise ModelError(f"Growth: curve must be one of {CURVES}; got {self.curve!r}")
        if self.scale not in _SCALES:
            raise ModelError(f"Growth: scale must be one of {_SCALES}; got {self.scale!r}")
        if np.any(y < 0):
            raise ModelError(
                f"Growth: growth curves model non-negative stocks; y has negative values "
                f"(min {y.min():g})"
            )
        ymax = float(y.max())
        if ymax <= 0:
            raise ModelError("Growth: y is all zeros; a growth curve needs a positive value")
        scale = self.scale
        if scale == "auto":
            scale = "log" if np.all(y > 0) else "original"
        if scale == "log" and np.any(y <= 0):
            raise ModelError("Growth: scale='log' needs every value > 0; use scale='original'")

        # work in units of max(y) so K, r and t0 are all of order one
        unit = ymax
        u = y / unit
        t = np.arange(len(y), dtype=float)
        cap = (self.max_saturation if self.max_saturation is not None else 10 * ymax) / unit
        if not np.isfinite(cap) or cap <= 0.5:
            raise ModelError(
                f"Growth: max_saturation must be a number above max(y)/2 = {ymax / 2:g}; "
                f"got {self.max_saturation!r}"
            )
        f = _CURVE_FUNCS[self.curve]
        T = len(y)
        # optimise over (log K, r, t0): K stays positive and its uncertainty is multiplicative
        lower = np.array([np.log(0.5), -_R_MAX, -3.0 * T])
        upper = np.array([np.log(cap), _R_MAX, 4.0 * T])

        def curve(q):
            return f(t, np.exp(q[0]), q[1], q[2])

        if scale == "log":
            logu = np.log(u)

            def resid(q):
                return np.log(np.maximum(curve(q), 1e-300)) - logu
        else:

            def resid(q):
                return curve(q) - u

        best = None
        for p0 in _initial_values(self.curve, t, u, cap):
            q0 = np.clip([np.log(p0[0]), p0[1], p0[2]], lower + 1e-9, upper - 1e-9)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                sol = least_squares(resid, q0, bounds=(lower, upper), x_scale="jac")
            if best is None or sol.cost < best.cost:
                best = sol
        q = best.x
        e = best.fun  # fitted - observed, on the fitting scale
        s2 = float(e @ e) / max(T - 3, 1)
        cov = s2 * np.linalg.pinv(best.jac.T @ best.jac)

        shift = np.array([np.log(unit), 0.0, 0.0])  # back to the units of y
        self.scale_ = scale
        self.theta_ = q + shift  # (log K, r, t0)
        self.theta_cov_ = 0.5 * (cov + cov.T)
        self.theta_lower_ = lower + shift
        self.theta_upper_ = upper + shift
        self.params_ = np.array([np.exp(self.theta_[0]), q[1], q[2]])
        # residuals observed - fitted, on the fitting scale (units of y if "original")
        self.resid_ = -e * (unit if scale == "original" else 1.0)
        self.phi_, self.sigma_ = _ar1(self.resid_)
        return self

    def curve_values(self, t) -> np.ndarray:
        """The fitted curve at times ``t`` (periods from the first observation)."""
        return _CURVE_FUNCS[self.curve](t, *self.params_)

    # -- simulation ----------------------------------------------------------------------
    def _simulate(self, h, n_paths, rng, X_future=None):
        f = _CURVE_FUNCS[self.curve]
        tf = np.arange(self.n_obs_, self.n_obs_ + h, dtype=float)
        decay = self.phi_ ** np.arange(1, h + 1)
        last = self.resid_[-1]

        draws = _draw_params(
            self.theta_, self.theta_cov_, n_paths, rng, self.theta_lower_, self.theta_upper_
        )
        # each drawn curve is anchored at the fitted value of the last observed period, so the
        # parameter uncertainty spreads the future growth, not the (known) current level
        times = np.arange(self.n_obs_ - 1, self.n_obs_ + h, dtype=float)[None, :]
        logK, r, t0 = draws[:, :1], draws[:, 1:2], draws[:, 2:3]
        now = float(self.curve_values(self.n_obs_ - 1.0))
        # AR(1) residuals continuing from the last fitted residual
        shocks = rng.standard_normal((n_paths, h)) * self.sigma_
        noise = np.empty((n_paths, h))
        prev = np.full(n_paths, last)
        for j in range(h):
            prev = self.phi_ * prev + shocks[:, j]
            noise[:, j] = prev
        base = self.curve_values(tf)
        if self.scale_ == "log":
            logs = _log_curve(self.curve, times, logK, r, t0)
            growth = logs[:, 1:] - logs[:, :1]
            point = base * np.exp(np.minimum(last * decay, 700.0))
            log_now = _log_curve(self.curve, self.n_obs_ - 1.0, *self.theta_)
            paths = np.exp(np.minimum(log_now + growth + noise, 700.0))
        else:
            drawn = f(times, np.exp(logK), r, t0)
            curves = now + drawn[:, 1:] - drawn[:, :1]
            point = np.maximum(base + last * decay, 0.0)
            paths = np.maximum(curves + noise, 0.0)
        return point, paths


def _initial_values(curve, t, u, cap):
    """Starting points from linearising the curve for a few saturation levels."""
    starts = []
    top = float(u.max())
    for mult in (1.05, 1.5, 3.0):
        K = min(mult * top, cap)
        if K <= top:
            K = cap
        frac = np.clip(u / K, 1e-6, 1 - 1e-6)
        # logistic: log(f / (1 - f)) = r (t - t0);  gompertz: -log(-log f) = r (t - t0)
        z = np.log(frac / (1 - frac)) if curve == "logistic" else -np.log(-np.log(frac))
        slope, intercept = np.polyfit(t, z, 1)
        r = float(np.clip(slope, -_R_MAX, _R_MAX))
        if abs(r) < 1e-3:
            r = 1e-3 if r >= 0 else -1e-3
        t0 = -intercept / r
        starts.append(np.array([K, r, t0]))
    return starts


def _draw_params(theta, cov, n, rng, lower, upper, rounds: int = 20):
    """Normal draws truncated to the bounds (redrawn, then clipped after ``rounds`` tries).

    A singular covariance is replaced by its positive semi-definite part. Truncating rather
    than clipping keeps mass from piling up at a bound, which for a weakly identified
    saturation level would mean many paths saturating at once.
    """
    vals, vecs = np.linalg.eigh(cov)
    root = vecs * np.sqrt(np.clip(vals, 0.0, None))
    draws = theta + rng.standard_normal((n, len(theta))) @ root.T
    for _ in range(rounds):
        bad = np.flatnonzero(np.any((draws < lower) | (draws > upper), axis=1))
        if not bad.size:
            break
        draws[bad] = theta + rng.standard_normal((bad.size, len(theta))) @ root.T
    return np.clip(draws, lower, upper)


def _ar1(e):
    """AR(1) coefficient (lag-1 autocorrelation, clipped to [0, 0.95]) and innovation sd."""
    e = np.asarray(e, dtype=float)
    denom = float(e @ e)
    phi = float(e[1:] @ e[:-1]) / denom if denom > 0 else 0.0
    phi = float(np.clip(phi, 0.0, _PHI_MAX))
    innov = e[1:] - phi * e[:-1]
    sigma = float(np.sqrt(innov @ innov / max(len(innov) - 1, 1)))
    return phi, sigma
