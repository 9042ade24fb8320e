"""Theta methods: the standard `Theta` and the optimised `OptimizedTheta` (OTM / DOTM).

Numerics in :mod:`forecast.models._theta_kernel`. Both simulate sample paths from the
model's own recursion driven by Gaussian errors with the in-sample one-step variance.
"""

from __future__ import annotations

import numpy as np

from forecast.models import _theta_kernel as K
from forecast.models.base import BaseModel


class Theta(BaseModel):
    """Standard theta method: SES plus half the OLS slope as drift (statsmodels' ThetaModel).

    Parameters
    ----------
    positive : "auto", True or False
        Fit on the log scale so paths stay non-negative ("auto": when y >= 0).
    """

    min_obs = 3

    def __init__(self, positive="auto"):
        self.positive = positive

    def _fit(self, y, X=None):
        return self._set_fit(y, K.fit_ses(y))

    def _fit_batch(self, models, values):
        for m, y, found in zip(models, values, K.fit_ses_many(values), strict=True):
            m._set_fit(y, found)

    def _set_fit(self, y, found):
        alpha, level, sse = found
        _, b0 = K.ols_line(y)
        self.alpha_ = alpha
        self.b0_ = b0
        self.level_ = level
        self.sigma2_ = sse / max(len(y) - 1, 1)
        return self

    def _simulate(self, h, n_paths, rng, X_future=None):
        a, n = self.alpha_, self.n_obs_
        steps = np.arange(h, dtype=float)
        if a > 0:
            steps += 1 / a - (1 - a) ** n / a
        point = self.level_ + 0.5 * self.b0_ * steps
        eps = rng.standard_normal((n_paths, h)) * np.sqrt(self.sigma2_)
        # SES forecast error at step j: eps_j + alpha * (eps_1 + ... + eps_{j-1})
        past = np.cumsum(eps, axis=1) - eps
        return point, point + eps + a * past


class OptimizedTheta(BaseModel):
    """Optimised theta method of Fiorucci et al. (2016): OTM, or DOTM when ``dynamic``.

    The initial level, alpha and theta minimise the in-sample one-step MSE (as statsforecast's
    ``OptimizedTheta`` / ``DynamicOptimizedTheta``).

    Parameters
    ----------
    dynamic : bool
        Update the trend line's intercept and slope at every step (DOTM) instead of using the
        full-sample OLS line (OTM).
    positive : "auto", True or False
        Fit on the log scale so paths stay non-negative ("auto": when y >= 0).
    """

    min_obs = 4

    def __init__(self, dynamic=True, positive="auto"):
        self.dynamic = dynamic
        self.positive = positive

    def _fit(self, y, X=None):
        return self._set_fit(y, K.fit_otm(y, bool(self.dynamic)))

    def _fit_batch(self, models, values):
        for dyn in (True, False):  # clones share ``dynamic``; grouped in case they do not
            group = [k for k, m in enumerate(models) if bool(m.dynamic) is dyn]
            found = K.fit_otm_many([values[k] for k in group], dyn)
            for k, f in zip(group, found, strict=True):
                models[k]._set_fit(values[k], f)

    def _set_fit(self, y, found):
        dyn = bool(self.dynamic)
        alpha, l0, theta, mse = found
        resid, states = K.otm_states(y, alpha, l0, theta, dyn)
        tail = resid[2:] if len(resid) >= 4 else resid
        self.alpha_, self.l0_, self.theta_, self.mse_ = alpha, l0, theta, mse
        self.sigma_ = float(np.std(tail, ddof=1)) if len(tail) > 1 else float(np.abs(tail[0]))
        self.states_ = states
        return self

    def _simulate(self, h, n_paths, rng, X_future=None):
        dyn = bool(self.dynamic)
        n = self.n_obs_
        point = K.otm_paths(n, self.states_, self.alpha_, self.theta_, dyn, h,
                            np.zeros((1, h)))[0]
        noise = rng.standard_normal((n_paths, h)) * self.sigma_
        paths = K.otm_paths(n, self.states_, self.alpha_, self.theta_, dyn, h, noise)
        return point, paths
