"""Context for a scenario report: forecasts of the migration series its file names.

    from forecast.scenarios.context import context_forecasts
    context = context_forecasts(spec.report.context, seed=0)     # {dataset: ContextForecast}
    fc.reports.scenario_report(proj, out=..., context=context)

Each series is forecast by the default model (:class:`~forecast.models.Auto`, or the model
given); the result carries what the report prints next to it (title, unit, the release and
methodology of the last value, caveats, the warnings raised while fitting), so the report
only lays it out.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd

from forecast.models.distribution import Forecast

#: Years ahead of the context forecasts.
H = 5
N_PATHS = 2000


@dataclass(frozen=True)
class ContextForecast:
    """One context series, its forecast and what the report says about them."""

    name: str                # the dataset
    series: pd.Series        # history (latest vintage)
    forecast: Forecast
    model: str               # e.g. "Auto (median of OptimizedTheta, Theta and ETS)"
    title: str
    unit: str
    release: str             # release kind of the last value ("final", "provisional" ...)
    published: str           # when the last value was published (its vintage)
    methodology: str         # methodology of the last value
    caveats: tuple = ()
    notes: tuple = ()        # warnings raised while fitting, each once
    seed: int = 0


def describe_model(model) -> str:
    """The model's name, and for a combination what it combines (read from the fitted model)."""
    name = type(model).__name__
    members = getattr(model, "members_", None)
    combine = getattr(model, "combine", None)
    if not members or not isinstance(combine, str):
        return name
    parts = [type(m).__name__ for m in members]
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{name} ({combine} of {listed})"


def context_forecasts(names, *, model=None, h: int = H, n_paths: int = N_PATHS,
                      seed: int = 0) -> dict:
    """``{dataset: ContextForecast}`` for every bundled annual series in ``names``.

    ``model`` (default :class:`~forecast.models.Auto`) is cloned for each series; ``seed``
    seeds every forecast.
    """
    from forecast import datasets, models

    base = models.Auto() if model is None else model
    out = {}
    for name in names:
        y = datasets.load(name)
        meta = datasets.info(name)
        fitted = base.clone()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fc = fitted.fit(y).predict(h=h, n_paths=n_paths, seed=seed)
        last = str(y.index[-1])
        out[name] = ContextForecast(
            name=name, series=y, forecast=fc, model=describe_model(fitted),
            title=str(meta["title"]), unit=str(meta["unit"]),
            release=str(y.attrs.get("release", {}).get(last, "n/a")),
            published=_published(name, last),
            methodology=str(y.attrs.get("methodology", {}).get(last, "n/a")),
            caveats=tuple(meta.get("caveats", [])),
            notes=tuple(sorted({str(w.message) for w in caught})), seed=int(seed))
    return out


def _published(name, period) -> str:
    """The latest vintage of the primary value for ``period`` ("n/a" if none)."""
    from forecast import datasets

    rows = datasets.table(name)
    rows = rows[(rows["period"].astype(str) == str(period)) & (rows["status"] == "primary")]
    return str(rows["vintage"].astype(str).max()) if len(rows) else "n/a"
