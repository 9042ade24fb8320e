"""Benchmark methods: naive, random walk with drift, mean and seasonal naive.

Each is simulated from its own stochastic form with Gaussian innovations, and the innovation
scale is estimated as in Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*
(3rd ed.) §5.5 and fable's ``NAIVE``/``RW``/``MEAN``/``SNAIVE``, so that with
``positive=False`` the simulated quantiles converge to the fpp3 normal intervals:

==============  ===============================  ============================================
method          sigma (from the T observations)   h-step forecast sd
==============  ===============================  ============================================
Naive           sqrt(mean((y_t - y_{t-1})^2))     sigma * sqrt(h)
Drift           sd(y_t - y_{t-1})  (T-2 d.o.f.)   sigma * sqrt(h * (1 + h / (T - 1)))
Mean            sd(y)              (T-1 d.o.f.)   sigma * sqrt(1 + 1 / T)
SeasonalNaive   sqrt(mean((y_t - y_{t-m})^2))     sigma * sqrt(floor((h - 1) / m) + 1)
==============  ===============================  ============================================

The extra terms of Drift and Mean are the estimation uncertainty of the drift and of the
mean: each path draws its own drift (or level) from the estimator's sampling distribution.
With ``positive=True`` (or ``"auto"`` on non-negative data) all of this happens on the log
scale and the paths are back-transformed, so the point forecast is the back-transformed
log-scale forecast (a median, not a mean, on the original scale).
"""

from __future__ import annotations

import numpy as np

from forecast.errors import ModelError
from forecast.models.base import BaseModel


class Naive(BaseModel):
    """Random walk: every future value equals the last observation, plus accumulated noise.

    Parameters
    ----------
    positive : bool or "auto"
        Model ``log(y)`` so that paths stay non-negative; "auto" does so when ``y >= 0``.
    """

    min_obs = 2  # sigma needs at least one difference

    def __init__(self, positive="auto"):
        self.positive = positive

    def _fit(self, y, X=None):
        diffs = np.diff(y)
        self.last_ = float(y[-1])
        self.sigma_ = float(np.sqrt(np.mean(diffs**2)))
        return self

    def _simulate(self, h, n_paths, rng, X_future=None):
        point = np.full(h, self.last_)
        steps = rng.standard_normal((n_paths, h)) * self.sigma_
        return point, self.last_ + np.cumsum(steps, axis=1)


class Drift(BaseModel):
    """Random walk with drift: the line from the first to the last observation, extended.

    The drift ``b = (y_T - y_1) / (T - 1)`` is the mean of the differences; each path draws its
    own drift from ``N(b, sigma^2 / (T - 1))`` so intervals include the drift's uncertainty.
    """

    min_obs = 3  # sd of the differences needs two of them

    def __init__(self, positive="auto"):
        self.positive = positive

    def _fit(self, y, X=None):
        diffs = np.diff(y)
        self.last_ = float(y[-1])
        self.drift_ = float(diffs.mean())
        self.sigma_ = float(diffs.std(ddof=1))
        self.drift_se_ = self.sigma_ / np.sqrt(len(diffs))
        return self

    def _simulate(self, h, n_paths, rng, X_future=None):
        steps = np.arange(1, h + 1)
        point = self.last_ + self.drift_ * steps
        drift = self.drift_ + self.drift_se_ * rng.standard_normal((n_paths, 1))
        noise = np.cumsum(rng.standard_normal((n_paths, h)) * self.sigma_, axis=1)
        return point, self.last_ + drift * steps + noise


class Mean(BaseModel):
    """Every future value equals the historical mean; paths are i.i.d. around a drawn level."""

    min_obs = 2  # sd needs two observations

    def __init__(self, positive="auto"):
        self.positive = positive

    def _fit(self, y, X=None):
        self.level_ = float(y.mean())
        self.sigma_ = float(y.std(ddof=1))
        self.level_se_ = self.sigma_ / np.sqrt(len(y))
        return self

    def _simulate(self, h, n_paths, rng, X_future=None):
        point = np.full(h, self.level_)
        level = self.level_ + self.level_se_ * rng.standard_normal((n_paths, 1))
        return point, level + self.sigma_ * rng.standard_normal((n_paths, h))


class SeasonalNaive(BaseModel):
    """Each future value equals the last observed value of the same season.

    Parameters
    ----------
    season_length : int
        Number of periods in a season (e.g. 4 for quarterly data with a yearly cycle).
    positive : bool or "auto"
        As in :class:`Naive`.
    """

    def __init__(self, season_length=1, positive="auto"):
        self.season_length = season_length
        self.positive = positive

    @property
    def min_obs(self) -> int:
        # sigma needs at least one seasonal difference
        return _check_season_length(self.season_length) + 1

    def _fit(self, y, X=None):
        m = _check_season_length(self.season_length)
        diffs = y[m:] - y[:-m]
        self.last_season_ = np.asarray(y[-m:], dtype=float).copy()
        self.sigma_ = float(np.sqrt(np.mean(diffs**2)))
        return self

    def _simulate(self, h, n_paths, rng, X_future=None):
        m = len(self.last_season_)
        n_seasons = -(-h // m)  # ceil
        point = np.tile(self.last_season_, n_seasons)[:h]
        # one random walk per season position: cumulate the noise across seasons
        noise = rng.standard_normal((n_paths, n_seasons, m)) * self.sigma_
        walk = np.cumsum(noise, axis=1).reshape(n_paths, n_seasons * m)[:, :h]
        return point, point + walk


def _check_season_length(m) -> int:
    if isinstance(m, bool) or not isinstance(m, int | np.integer) or int(m) < 1:
        raise ModelError(f"SeasonalNaive: season_length must be an integer >= 1; got {m!r}")
    return int(m)
