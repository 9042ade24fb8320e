"""`DampedTrend`: the additive damped-trend model ETS(A,Ad,N) (Gardner & McKenzie)."""

from __future__ import annotations

from forecast.models.ets import ETS


class DampedTrend(ETS):
    """Additive damped trend ETS(A,Ad,N); a fixed-form :class:`ETS`.

    Parameters
    ----------
    refine : bool
        Polish the grid optimum with L-BFGS-B (see :class:`ETS`).
    positive : "auto", True or False
        Fit on the log scale so paths stay non-negative ("auto": when y >= 0).
    """

    min_obs = 5

    def __init__(self, refine=True, positive="auto"):
        self.refine = refine
        self.positive = positive

    # fixed form: the ETS machinery reads these
    error = "add"
    trend = "add"
    damped = True
