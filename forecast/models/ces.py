"""`CES`: complex exponential smoothing (Svetunkov & Kourentzes), non-seasonal.

Numerics in :mod:`forecast.models._ces_kernel`. The level and its imaginary companion move
together, so CES follows trends and their changes without a separate trend component;
statsforecast's ``AutoCES`` is its reference. Sample paths come from the model's own
recursion driven by Gaussian one-step errors with the in-sample variance
``SSE / (n - 3 - 1)`` (statsforecast's ``sigma2``: three estimated quantities besides the
initial state's backcast).
"""

from __future__ import annotations

import numpy as np

from forecast.models import _ces_kernel as K
from forecast.models.base import BaseModel


class CES(BaseModel):
    """Non-seasonal complex exponential smoothing with backcast initial state.

    Parameters
    ----------
    positive : "auto", True or False
        Fit on the log scale so paths stay non-negative ("auto": when y >= 0).
    """

    min_obs = 4

    def __init__(self, positive="auto"):
        self.positive = positive

    def _fit(self, y, X=None):
        return self._set_fit(y, K.fit(y))

    def _fit_batch(self, models, values):
        for m, y, found in zip(models, values, K.fit_many(values), strict=True):
            m._set_fit(y, found)

    def _set_fit(self, y, found):
        a0, a1, state, init, sse = found
        self.alpha0_, self.alpha1_ = a0, a1
        self.state_, self.init_state_ = state, init
        self.sse_ = sse
        self.sigma2_ = sse / max(len(y) - 4, 1)
        return self

    def _simulate(self, h, n_paths, rng, X_future=None):
        a0, a1 = self.alpha0_, self.alpha1_
        point = K.paths(self.state_, a0, a1, np.zeros((1, h)))[0]
        noise = rng.standard_normal((n_paths, h)) * np.sqrt(self.sigma2_)
        return point, K.paths(self.state_, a0, a1, noise)
