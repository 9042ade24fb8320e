"""`Auto`: the default model, a robust combination for short annual series.

A median of optimised theta (DOTM), the standard theta method and ETS, each fitted as far as
the series allows (members needing more observations than the series has are dropped with a
:class:`~forecast.models.ensemble.ShortSeriesWarning`; the theta method works from three).
"""

from __future__ import annotations

from forecast.models.ensemble import Ensemble
from forecast.models.ets import ETS
from forecast.models.theta import OptimizedTheta, Theta


def default_members():
    return [OptimizedTheta(positive=False), Theta(), ETS(error="add", refine=False, positive=False)]


class Auto(Ensemble):
    """The default model: median of DOTM, theta and ETS sample paths (see module docstring).

    Parameters
    ----------
    members : list of models or None
        None uses :func:`default_members`.
    combine, spread : see :class:`~forecast.models.ensemble.Ensemble`.
    positive : "auto", True or False
        Clip paths at zero for non-negative series ("auto": when y >= 0).
    """

    def __init__(self, members=None, combine="median", spread=1.6, positive="auto"):
        self.members = members
        self.combine = combine
        self.spread = spread
        self.positive = positive

    def _member_list(self):
        return default_members() if self.members is None else self.members
