"""Context for a scenario report: forecasts of the migration series its file names.

    from forecast.scenarios.context import context_forecasts
    context = context_forecasts(spec.report.context, seed=0, as_of=spec.as_of)
    fc.reports.scenario_report(proj, out=..., context=context)  # {dataset: ContextForecast}

With ``as_of`` each series is the vintage published by that date (what a planner had then:
a value first published later is left out, a later revision is not used); without it, the
latest vintage. Each series is forecast by the default model
(:class:`~forecast.models.Auto`, or the model given); the result carries what the report
prints next to it (title, unit, the release and methodology of the last value, caveats, the
warnings raised while fitting), so the report only lays it out.
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
    series: pd.Series        # history (the vintage below)
    forecast: Forecast
    model: str               # e.g. "Auto (median of OptimizedTheta, Theta and ETS)"
    title: str               # a Text with the manifest's other-language titles (title_es)
    unit: str
    release: str             # release kind of the last value ("final", "provisional" ...)
    published: str           # when the last value was published (its vintage)
    methodology: str         # methodology of the last value
    caveats: tuple = ()
    notes: tuple = ()        # warnings raised while fitting, each once
    seed: int = 0
    as_of: str = ""          # the series as published by this date (ISO); "" = latest vintage
    # the model's parts, for a report to word in its language: its class, and for a
    # combination the rule and the members' classes
    model_parts: tuple = ()  # (name, combine, members) or (name,)


def model_parts(model) -> tuple:
    """``(name,)``, or for a combination ``(name, combine, (member, ...))`` (read from the
    fitted model)."""
    name = type(model).__name__
    members = getattr(model, "members_", None)
    combine = getattr(model, "combine", None)
    if not members or not isinstance(combine, str):
        return (name,)
    return (name, combine, tuple(type(m).__name__ for m in members))


def describe_model(model) -> str:
    """The model's name, and for a combination what it combines, in English."""
    parts = model_parts(model)
    if len(parts) == 1:
        return parts[0]
    name, combine, members = parts
    listed = members[0] if len(members) == 1 else f"{', '.join(members[:-1])} and {members[-1]}"
    return f"{name} ({combine} of {listed})"


def context_forecasts(names, *, model=None, h: int = H, n_paths: int = N_PATHS,
                      seed: int = 0, as_of=None) -> dict:
    """``{dataset: ContextForecast}`` for every bundled annual series in ``names``.

    ``model`` (default :class:`~forecast.models.Auto`) is cloned for each series; ``seed``
    seeds every forecast; ``as_of`` (a date) fits each series as published by then. A series
    with no value published by ``as_of`` is a :class:`~forecast.errors.ScenarioError` naming
    it and the date.
    """
    from forecast import datasets, models
    from forecast.errors import DataError, ScenarioError

    base = models.Auto() if model is None else model
    cutoff = None if as_of is None else pd.Timestamp(as_of)
    out = {}
    for name in names:
        meta = datasets.info(name)   # an unknown name is its own error
        try:
            y = datasets.load(name, vintage="latest" if cutoff is None else cutoff)
        except DataError:
            if cutoff is None:
                raise
            raise ScenarioError(f"report.context: no value of {name!r} was published by "
                                f"{cutoff.date()} (the as-of date); leave it out of "
                                f"report.context or move the as-of date") from None
        fitted = base.clone()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fc = fitted.fit(y).predict(h=h, n_paths=n_paths, seed=seed)
        last = str(y.index[-1])
        out[name] = ContextForecast(
            name=name, series=y, forecast=fc, model=describe_model(fitted),
            model_parts=model_parts(fitted),
            title=dataset_title(meta), unit=str(meta["unit"]),
            release=str(y.attrs.get("release", {}).get(last, "n/a")),
            published=_published(name, last, cutoff),
            methodology=str(y.attrs.get("methodology", {}).get(last, "n/a")),
            caveats=tuple(meta.get("caveats", [])),
            notes=tuple(sorted({str(w.message) for w in caught})), seed=int(seed),
            as_of="" if cutoff is None else str(cutoff.date()))
    return out


def dataset_title(meta: dict):
    """A dataset's title as a :class:`~forecast.scenarios.spec.Text`: the manifest's
    ``title`` and, for each other report language, its ``title_<code>`` when given."""
    from forecast.scenarios.spec import TEXT_LANGUAGES, Text

    return Text(str(meta["title"]), {code: str(meta[f"title_{code}"])
                                     for code in TEXT_LANGUAGES if f"title_{code}" in meta})


def _published(name, period, cutoff=None) -> str:
    """The latest vintage (by ``cutoff`` when given) of the primary value for ``period``
    ("n/a" if none)."""
    from forecast import datasets

    rows = datasets.table(name)
    rows = rows[(rows["period"].astype(str) == str(period)) & (rows["status"] == "primary")]
    if cutoff is not None:
        rows = rows[rows["vintage_date"] <= cutoff]
    return str(rows["vintage"].astype(str).max()) if len(rows) else "n/a"
