"""Forecasting models: sklearn-style estimators whose ``predict`` returns sample paths.

Every model: ``fit(y, X=None) -> self``; ``predict(h, *, n_paths=1000, seed=None,
X_future=None) -> Forecast``; ``get_params``/``set_params``/``clone``.
"""

from forecast.models.arima import ARIMA
from forecast.models.auto import Auto
from forecast.models.base import BaseModel, GapWarning
from forecast.models.baselines import Drift, Mean, Naive, SeasonalNaive
from forecast.models.ces import CES
from forecast.models.damped import DampedTrend
from forecast.models.distribution import Forecast
from forecast.models.ensemble import Ensemble, ShortSeriesWarning
from forecast.models.ets import ETS
from forecast.models.growth import Growth
from forecast.models.nowcast import Nowcast
from forecast.models.regression import Regression
from forecast.models.theta import OptimizedTheta, Theta

__all__ = [
    "BaseModel",
    "GapWarning",
    "Forecast",
    "ARIMA",
    "Auto",
    "CES",
    "DampedTrend",
    "ETS",
    "Ensemble",
    "ShortSeriesWarning",
    "OptimizedTheta",
    "Theta",
    "Naive",
    "Drift",
    "Mean",
    "SeasonalNaive",
    "Growth",
    "Regression",
    "Nowcast",
]
