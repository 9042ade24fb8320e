"""forecast: probabilistic forecasts of migration series, honest backtests, stranding
scenario projections and planner-ready PDF reports.

    import forecast as fc
    y = fc.datasets.load("chile_foreign_population")
    f = fc.models.Auto().fit(y).predict(h=5, n_paths=2000, seed=0)
"""

from __future__ import annotations

import importlib

from forecast import datasets, errors, models
from forecast.models.distribution import Forecast

__version__ = "0.1.0"

# Heavier layers load on first use so `import forecast` stays quick.
_LAZY = {
    "predict_many": ("forecast.many", "predict_many"),
    "recalibrate": ("forecast.recalibration", "recalibrate"),
    "backtest": ("forecast.backtest", None),
    "metrics": ("forecast.metrics", None),
    "scenarios": ("forecast.scenarios", None),
    "reports": ("forecast.reports", None),
}


def __getattr__(name):
    if name in _LAZY:
        module, attr = _LAZY[name]
        mod = importlib.import_module(module)
        value = mod if attr is None else getattr(mod, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'forecast' has no attribute {name!r}")


__all__ = ["Forecast", "datasets", "errors", "models", *_LAZY]
