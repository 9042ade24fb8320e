"""`ETS`: exponential smoothing state-space models with automatic form selection.

Non-seasonal ETS(E, T, N) as in R's ``forecast::ets`` and statsforecast's ``AutoETS`` for
yearly data: error additive or multiplicative, trend none, additive or additive damped, the
form chosen by AICc. Parameters are estimated by exact Gaussian maximum likelihood (initial
states included) with the kernel in :mod:`forecast.models._ets_kernel`; sample paths are the
fitted model's own simulation with Gaussian errors of the estimated variance.
"""

from __future__ import annotations

import numpy as np

from forecast.errors import ModelError
from forecast.models import _ets_kernel as K
from forecast.models.base import BaseModel

_ERRORS = ("auto", "add", "mul")
_TRENDS = ("auto", None, "add")
_DAMPED = ("auto", True, False)


class ETS(BaseModel):
    """Exponential smoothing (ETS) with AICc selection of error, trend and damping.

    Parameters
    ----------
    error : "auto", "add" or "mul"
        Error type; "auto" tries both (multiplicative only when the fitted scale is > 0).
    trend : "auto", None or "add"
        Trend component.
    damped : "auto", True or False
        Whether an additive trend is damped (ignored without a trend).
    refine : bool
        Polish the best point of the parameter grid with L-BFGS-B (exact optimum). False keeps
        the grid optimum: about ten times faster, used inside :class:`~forecast.models.Auto`.
    positive : "auto", True or False
        Fit on the log scale so paths stay non-negative ("auto": when y >= 0).
    """

    min_obs = 4

    def __init__(self, error="auto", trend="auto", damped="auto", refine=True, positive="auto"):
        self.error = error
        self.trend = trend
        self.damped = damped
        self.refine = refine
        self.positive = positive

    def _candidates(self, y):
        if self.error not in _ERRORS:
            raise ModelError(f"ETS: error must be one of {_ERRORS}; got {self.error!r}")
        if self.trend not in _TRENDS:
            raise ModelError(f"ETS: trend must be one of {_TRENDS}; got {self.trend!r}")
        if self.damped not in _DAMPED:
            raise ModelError(f"ETS: damped must be one of {_DAMPED}; got {self.damped!r}")
        errors = ["add", "mul"] if self.error == "auto" else [self.error]
        if self.error == "auto" and not np.all(y > 0):
            errors = ["add"]
        if self.error == "mul" and not np.all(y > 0):
            raise ModelError("ETS: error='mul' needs strictly positive (transformed) values")
        trends = [None, "add"] if self.trend == "auto" else [self.trend]
        forms = []
        for e in errors:
            for t in trends:
                damps = [False] if t is None else (
                    [False, True] if self.damped == "auto" else [bool(self.damped)])
                forms += [(e, t, d) for d in damps]
        return forms

    def _fit(self, y, X=None):
        forms = self._candidates(y)
        n = len(y)
        # AICc needs n > k + 1; on short series keep the forms it can rank
        usable = [f for f in forms if n >= K.n_params(f[1], f[2]) + 2] or forms[:1]
        if np.ptp(y) == 0:
            usable = [f for f in usable if f[1] is None] or usable
        best = None
        for e, t, d in usable:
            try:
                fit = K.fit_form(y, e, t, d, refine=self.refine)
            except FloatingPointError:
                continue
            if best is None or fit.aicc < best.aicc or (
                not np.isfinite(best.aicc) and fit.loglik > best.loglik
            ):
                best = fit
        if best is None:
            raise ModelError("ETS: no admissible model could be fitted")
        self.fit_ = best
        self.model_ = best.label
        self.aicc_ = best.aicc
        self.loglik_ = best.loglik
        self.sigma2_ = best.sigma2
        return self

    def _simulate(self, h, n_paths, rng, X_future=None):
        eps = rng.standard_normal((n_paths, h))
        return K.point_forecast(self.fit_, h), K.simulate(self.fit_, h, eps)
