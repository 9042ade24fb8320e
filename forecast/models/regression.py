"""Autoregression with any scikit-learn regressor: lagged values, a trend and regressors X.

The design matrix row for time ``t`` is ``[y_{t-1}, ..., y_{t-p}, (t), X_t]`` (``p = lags``;
the trend ``t`` counts periods from the first observation). Forecasts are recursive: the
prediction for ``T+1`` becomes a lag for ``T+2``. Sample paths come from a residual
bootstrap: each path adds in-sample residuals, drawn with replacement, at every step *inside*
the recursion, so later steps of a path react to its own earlier shocks.
"""

from __future__ import annotations

import numpy as np

from forecast.errors import ModelError
from forecast.models.base import BaseModel


class Regression(BaseModel):
    """Recursive autoregression with a scikit-learn regressor.

    Parameters
    ----------
    estimator : scikit-learn regressor, optional
        Any object with ``fit``/``predict``; default ``LinearRegression()``. It is cloned at
        fit time (the fitted copy is ``estimator_``), so the parameter itself stays unfitted.
    lags : int
        Number of lagged values used as features (>= 1).
    trend : bool
        Add a linear time index as a feature.
    positive : bool or "auto"
        Model ``log(y)`` so that paths stay non-negative; "auto" does so when ``y >= 0``.

    ``fit(y, X)`` with exogenous regressors requires ``predict(h, X_future=...)`` with ``h``
    rows of the same columns.
    """

    uses_exog = True

    def __init__(self, estimator=None, lags=3, trend=False, positive="auto"):
        self.estimator = estimator
        self.lags = lags
        self.trend = trend
        self.positive = positive

    @property
    def min_obs(self) -> int:
        # lags rows are lost to lagging; two rows are the least a regression can be fitted on
        return _check_lags(self.lags) + 2

    def _fit(self, y, X=None):
        from sklearn.base import clone
        from sklearn.linear_model import LinearRegression

        p = _check_lags(self.lags)
        est = LinearRegression() if self.estimator is None else clone(self.estimator)
        design = lag_matrix(y, p, trend=bool(self.trend), X=X)
        target = y[p:]
        est.fit(design, target)
        self.estimator_ = est
        self.n_exog_ = 0 if X is None else X.shape[1]
        self.history_ = np.asarray(y[-p:], dtype=float).copy()
        self.resid_ = target - np.asarray(est.predict(design), dtype=float)
        return self

    def _simulate(self, h, n_paths, rng, X_future=None):
        if self.n_exog_ and X_future is None:
            raise ModelError(
                f"Regression was fitted with {self.n_exog_} regressor(s) X; "
                f"pass X_future with {h} rows"
            )
        if not self.n_exog_ and X_future is not None:
            raise ModelError("Regression was fitted without X; X_future must be None")
        if X_future is not None and X_future.shape[1] != self.n_exog_:
            raise ModelError(
                f"Regression: X_future has {X_future.shape[1]} column(s); "
                f"X had {self.n_exog_}"
            )
        point = self._recurse(h, np.zeros((1, h)), X_future)[0]
        shocks = rng.choice(self.resid_, size=(n_paths, h), replace=True)
        return point, self._recurse(h, shocks, X_future)

    def _recurse(self, h, shocks, X_future):
        """Run the recursion for each row of ``shocks`` (n, h); returns the (n, h) values."""
        n = shocks.shape[0]
        p = len(self.history_)
        # buf[:, :p] is the history, most recent last; the forecasts are appended after it
        buf = np.empty((n, p + h))
        buf[:, :p] = self.history_
        for j in range(h):
            lagged = buf[:, j : p + j][:, ::-1]  # y_{t-1}, ..., y_{t-p}
            cols = [lagged]
            if self.trend:
                cols.append(np.full((n, 1), float(self.n_obs_ + j)))
            if X_future is not None:
                cols.append(np.broadcast_to(X_future[j], (n, X_future.shape[1])))
            features = np.hstack(cols) if len(cols) > 1 else lagged
            pred = np.asarray(self.estimator_.predict(features), dtype=float).reshape(n)
            buf[:, p + j] = pred + shocks[:, j]
        return buf[:, p:]


def lag_matrix(y, lags: int, *, trend: bool = False, X=None) -> np.ndarray:
    """Design matrix with rows ``[y_{t-1}, ..., y_{t-lags}, (t), X_t]`` for ``t >= lags``."""
    y = np.asarray(y, dtype=float)
    T = len(y)
    cols = [y[lags - k : T - k] for k in range(1, lags + 1)]
    if trend:
        cols.append(np.arange(lags, T, dtype=float))
    design = np.column_stack(cols)
    if X is not None:
        design = np.hstack([design, np.asarray(X, dtype=float)[lags:]])
    return design


def _check_lags(lags) -> int:
    if isinstance(lags, bool) or not isinstance(lags, int | np.integer) or int(lags) < 1:
        raise ModelError(f"Regression: lags must be an integer >= 1; got {lags!r}")
    return int(lags)
