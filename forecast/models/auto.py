"""`Auto`: the default model, a robust combination for short annual series.

The median of optimised theta (DOTM), the standard theta method and complex exponential
smoothing (CES), each fitted as far as the series allows (members needing more observations
than the series has are dropped with a :class:`~forecast.models.ensemble.ShortSeriesWarning`;
the theta method works from three). The member set was chosen leave-one-collection-out over
M1, M3 and Tourism yearly (``benchmarks/yearly_loco.py``), as the median of three that
forecast best relative to statsforecast's best model on the collections it was chosen on.

Its paths are calibrated by :mod:`forecast.models.calibration` (horizon, disagreement between
the members and series length; learned on held-out forecasts of those collections), not
widened by one factor.
"""

from __future__ import annotations

from forecast.errors import ModelError
from forecast.models import calibration as C
from forecast.models.ces import CES
from forecast.models.ensemble import Ensemble
from forecast.models.theta import OptimizedTheta, Theta


def default_members():
    return [OptimizedTheta(positive=False), Theta(), CES(positive=False)]


class Auto(Ensemble):
    """The default model: median of DOTM, theta and CES sample paths, calibrated.

    Parameters
    ----------
    members : list of models or None
        None uses :func:`default_members`.
    combine : see :class:`~forecast.models.ensemble.Ensemble`.
    calibration : "default", None or Calibration
        "default": the shipped calibration (:func:`forecast.models.calibration.default`);
        None: the raw combined paths; or a :class:`~forecast.models.calibration.Calibration`
        learned with :func:`forecast.models.calibration.learn` on your own collection.
    positive : "auto", True or False
        Clip paths at zero for non-negative series ("auto": when y >= 0).
    """

    def __init__(self, members=None, combine="median", calibration="default",
                 positive="auto"):
        self.members = members
        self.combine = combine
        self.calibration = calibration
        self.positive = positive

    def _member_list(self):
        return default_members() if self.members is None else self.members

    def _fit(self, y, X=None):
        self.calibration_ = self._calibration()
        return super()._fit(y, X)

    def _fit_batch(self, models, values):
        for m in models:
            m.calibration_ = m._calibration()
        return super()._fit_batch(models, values)

    def _calibration(self):
        cal = self.calibration
        if cal is None or isinstance(cal, C.Calibration):
            return cal
        if isinstance(cal, str) and cal == "default":
            return C.default()
        raise ModelError(f"Auto: calibration must be 'default', None or a Calibration; "
                         f"got {cal!r}")

    def _widen(self, point, combined, member_points):
        if self.calibration_ is None:
            return combined
        return C.apply(self.calibration_, point, combined, member_points, self.y_)
