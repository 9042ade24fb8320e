"""`ARIMA`: non-seasonal ARIMA with automatic order selection (Hyndman & Khandakar 2008).

d is chosen by repeated KPSS tests; (p, q) and the constant (a mean for d = 0, a drift for
d = 1) by a stepwise AICc search as in R's ``auto.arima``. Coefficients are exact maximum
likelihood estimates (kernel: :mod:`forecast.models._arima_kernel`); sample paths simulate
the fitted ARMA recursion with Gaussian innovations and integrate it d times.
"""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from forecast.errors import ModelError
from forecast.models import _arima_kernel as K
from forecast.models.base import BaseModel


class ARIMA(BaseModel):
    """ARIMA(p, d, q) with optional constant/drift; automatic where a setting is None.

    Parameters
    ----------
    order : tuple (p, d, q) or None
        Fixed order; None searches (stepwise, AICc) with d from KPSS tests.
    constant : bool or None
        Include a mean (d = 0) or drift (d = 1); None lets the search decide. Never with d = 2.
    max_p, max_q : int
        Largest AR and MA orders the search visits.
    positive : "auto", True or False
        Fit on the log scale so paths stay non-negative ("auto": when y >= 0).
    """

    min_obs = 5

    def __init__(self, order=None, constant=None, max_p=3, max_q=3, positive="auto"):
        self.order = order
        self.constant = constant
        self.max_p = max_p
        self.max_q = max_q
        self.positive = positive

    def _fit(self, y, X=None):
        with threadpool_limits(1):  # BLAS threads only slow down 50x50 factorisations
            fit = self._search(y)
        self.fit_ = fit
        self.order_ = (fit.p, fit.d, fit.q)
        self.constant_ = fit.mean
        self.ar_, self.ma_, self.mu_ = fit.ar, fit.ma, fit.mu
        self.sigma2_, self.loglik_, self.aicc_ = fit.sigma2, fit.loglik, fit.aicc
        return self

    def _search(self, y):
        if self.order is not None:
            try:
                p, d, q = (int(v) for v in self.order)
            except (TypeError, ValueError):
                raise ModelError(f"ARIMA: order must be (p, d, q); got {self.order!r}") from None
            if min(p, d, q) < 0 or d > 2:
                raise ModelError(f"ARIMA: order needs p, q >= 0 and 0 <= d <= 2; got {self.order}")
        else:
            d = K.ndiffs(y)
        w = np.diff(y, n=d) if d else y
        if len(w) < 2:
            raise ModelError(f"ARIMA: {len(y)} observations are too few for d={d}")
        consts = [False] if d == 2 else ([True, False] if self.constant is None
                                         else [bool(self.constant)])
        if np.ptp(w) == 0:
            return K.fit_arma(w, 0, 0, False, d) if d else K.fit_arma(w, 0, 0, True, d)
        cache = {}

        def fit(p_, q_, c_):
            key = (p_, q_, c_)
            if key not in cache:
                k = p_ + q_ + int(c_) + 1
                cache[key] = (K.fit_arma(w, p_, q_, c_, d) if len(w) - k - 1 > 0 or
                              self.order is not None else None)
            return cache[key]

        if self.order is not None:
            fits = [fit(p, q, c) for c in consts]
            return min((f for f in fits if f is not None), key=lambda f: f.aicc)
        max_p, max_q = int(self.max_p), int(self.max_q)
        starts = [(2, 2), (0, 0), (1, 0), (0, 1)]
        best = None
        for p_, q_ in starts:
            for c in consts:
                f = fit(min(p_, max_p), min(q_, max_q), c)
                if f is not None and (best is None or f.aicc < best.aicc):
                    best = f
        if best is None:
            return K.fit_arma(w, 0, 0, consts[0], d)
        improved = True
        while improved:
            improved = False
            p0, q0, c0 = best.p, best.q, best.mean
            moves = [(p0 + dp, q0 + dq, c0) for dp, dq in
                     ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1))]
            moves += [(p0, q0, not c0)] if len(consts) > 1 else []
            for p_, q_, c in moves:
                if 0 <= p_ <= max_p and 0 <= q_ <= max_q:
                    f = fit(p_, q_, c)
                    if f is not None and f.aicc < best.aicc - 1e-9:
                        best, improved = f, True
        return best

    def _simulate(self, h, n_paths, rng, X_future=None):
        f = self.fit_
        eps = rng.standard_normal((n_paths, h)) * np.sqrt(f.sigma2)
        point = K.simulate(self.transform_.forward(self.y_), f, h, np.zeros((1, h)))[0]
        return point, K.simulate(self.transform_.forward(self.y_), f, h, eps)
