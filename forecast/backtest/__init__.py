"""Rolling-origin backtests: series x models x origins -> a tidy table and its scores.

    import forecast as fc
    bt = fc.backtest([fc.models.Naive(), fc.models.Drift()], y, h=3, initial=8)
    bt.table          # unique_id, model, origin, ds, step, y, point, q2.5 ... q97.5, crps ...
    bt.scores(by=["model", "step"])
    bt.dm("Drift", "Naive", step=1)

Modules: ``origins`` (rolling-origin splitting, real-time vintages, the minimum length),
``runner`` (the jobs of a backtest, run by :mod:`forecast.jobs`: in-process, joblib or dask),
``result`` (:class:`Backtest`), ``dm`` (Diebold–Mariano), ``reproduce`` (the ``nox -s
backtest`` run). Series are read by :mod:`forecast.panel`, as ``fit`` and ``predict_many``
read them.
"""

from __future__ import annotations

import sys
import types

from forecast.backtest.dm import DMResult, diebold_mariano
from forecast.backtest.origins import real_time_series
from forecast.backtest.reproduce import reproduce
from forecast.backtest.result import Backtest
from forecast.backtest.runner import backtest

__all__ = ["Backtest", "DMResult", "backtest", "diebold_mariano", "real_time_series",
           "reproduce"]


class _CallableModule(types.ModuleType):
    """``forecast.backtest`` is both this package and the function: once the package has been
    imported, Python binds the attribute ``forecast.backtest`` to the module, so the module
    forwards calls to :func:`backtest` and ``fc.backtest(...)`` works either way."""

    def __call__(self, *args, **kwargs):
        return backtest(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
