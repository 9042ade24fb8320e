"""The reproducible backtest behind ``nox -s backtest`` and the README's figures.

:func:`reproduce` backtests every bundled annual series with enough points with every model
available in :mod:`forecast.models` and writes, under ``out_dir``:

* ``<dataset>.csv``: the backtest table (floats to 6 significant digits);
* ``scores.csv``: scores by dataset and model, twice: each model on all its own origins
  (``origins = "own"``) and every model on the origins all of them share (``"common"``);
* ``summary.md``: the settings, the origin rule and the two score tables per dataset.

The origin rule (:func:`model_starts`). Each model is refitted at every origin that leaves it
at least ``initial`` training values (:data:`INITIAL`) and at least what the model itself
needs, and whose whole horizon is observed. Models needing more values join later, so the
models of one series do not all have the same origins: only the "common" scores compare models
with each other, and the "own" scores say how many origins each model has. Skill (against the
naive forecast from the same origin) is computed on the same rows as the model's other scores,
so it always compares a model with Naive on the origins they share.

Nothing in the files depends on the time, the machine or the number of workers, so two runs
give byte-identical files.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from forecast.atomicwrite import write_atomic
from forecast.backtest.origins import min_train_length
from forecast.backtest.result import Backtest, format_floats, write_csv
from forecast.backtest.runner import backtest
from forecast.errors import BacktestError
from forecast.models.ensemble import Ensemble, ShortSeriesWarning
from forecast.outputset import output_set
from forecast.panel import GapWarning, check_count, prepare_panel
from forecast.writable import check_writable

#: Models tried in order; those not (yet) in forecast.models are skipped.
MODEL_NAMES = ("Naive", "Drift", "Mean", "ETS", "DampedTrend", "Theta", "OptimizedTheta",
               "ARIMA", "Auto")
#: Columns of the summary tables.
SUMMARY = ("mae", "mase", "smape", "coverage80", "coverage95", "crps", "skill")
H = 2
N_PATHS = 1000
SEED = 0
#: Fewest training values at a model's first origin: what Drift, Theta and the default Auto
#: need. Naive and Mean could start one year earlier, but origins scored by them alone would
#: compare no model with anything, and their in-sample scale would rest on one difference.
INITIAL = 3


def default_models() -> dict:
    """``{name: model}`` for every name of :data:`MODEL_NAMES` that forecast.models has."""
    from forecast import models

    out = {}
    for name in MODEL_NAMES:
        cls = getattr(models, name, None)
        if cls is not None:
            out[name] = cls()
    return out


def annual_series() -> dict:
    """``{name: Series}`` for every bundled series dataset with annual frequency."""
    from forecast import datasets

    out = {}
    for name in datasets.names():
        meta = datasets.info(name)
        if meta.get("kind") != "series" or meta.get("frequency") != "annual":
            continue
        out[name] = datasets.load(name)
    return out


def model_starts(models, initial: int = INITIAL) -> dict:
    """``{label: training values at the model's first origin}``: ``initial``, or what the
    model needs (its ``min_obs``, and two values for the in-sample scales) if that is more."""
    initial = check_count("initial (training values at the first origin)", initial,
                          BacktestError)
    return {k: max(initial, min_train_length([m])) for k, m in dict(models).items()}


def reproduce(out_dir="reports/backtests", quiet: bool = False, *, series=None, models=None,
              h: int = H, n_paths: int = N_PATHS, seed: int = SEED, n_jobs: int = 1,
              initial: int = INITIAL) -> dict:
    """Backtest every bundled annual series with every model; write CSVs and summary.md.

    See :func:`run` for what is backtested. Returns ``{"tables": {name: path}, "scores":
    path, "summary": path, "skipped": [...]}``.
    """
    out = check_writable(out_dir)  # before the backtests, not after
    models = default_models() if models is None else dict(models)
    runs, skipped = run(series=series, models=models, h=h, n_paths=n_paths, seed=seed,
                        n_jobs=n_jobs, quiet=quiet, initial=initial)
    score_frames, sections = [], []
    for key, result in runs.items():
        own, common = _scores(result)
        for kind, frame in (("own", own), ("common", common)):
            score_frames.append(frame.assign(dataset=key, origins=kind))
        sections.append(_section(key, result, own, common))
    # the tables, scores and summary are one set: an interrupted run leaves the previous one
    with output_set(out) as staged:
        for key, result in runs.items():
            result.to_csv(staged.path(f"{key}.csv"))
        if score_frames:
            scores = pd.concat(score_frames, ignore_index=True)
            lead = ["dataset", "origins", "model", "n_origins", "first_origin", "last_origin"]
            scores = scores[lead + [c for c in scores.columns if c not in lead]]
            write_csv(scores, staged.path("scores.csv"), digits=4)
        _write_text(staged.path("summary.md"),
                    _summary(sections, skipped, models, h, n_paths, seed,
                             model_starts(models, initial), initial))
    return {"tables": {key: out / f"{key}.csv" for key in runs}, "scores": out / "scores.csv",
            "summary": out / "summary.md", "skipped": skipped}


def run(*, series=None, models=None, h: int = H, n_paths: int = N_PATHS, seed: int = SEED,
        n_jobs: int = 1, quiet: bool = True, initial: int = INITIAL):
    """The reproducible backtests in memory: ``({key: Backtest}, [skipped ...])``.

    ``series`` (``{name: Series}``) and ``models`` (``{name: model}``) default to
    :func:`annual_series` and :func:`default_models`. Each series is cut to its last run of
    consecutive years. Each model is scored at every origin that leaves it the training
    values of :func:`model_starts` and has ``h`` observed years after it, origins advancing
    one year at a time (expanding window); a model with no such origin is left out of that
    series. So models needing more values have fewer origins: :func:`common_origins` keeps
    the origins every model has. Series with revised vintages get a second, real-time
    backtest under the key ``<name>_realtime``. Series too short for every model are listed
    as skipped.
    """
    series = annual_series() if series is None else dict(series)
    models = default_models() if models is None else dict(models)
    starts = model_starts(models, initial)
    h = check_count("horizon h", h, BacktestError)
    runs, skipped = {}, []
    with warnings.catch_warnings():
        # the summary states that series are cut to their consecutive years, and that an
        # ensemble fitted on few values combines the members those values allow
        warnings.simplefilter("ignore", GapWarning)
        warnings.simplefilter("ignore", ShortSeriesWarning)
        for name in sorted(series):
            y = prepare_panel({name: series[name]}, error=BacktestError)[name]
            usable = {k: m for k, m in models.items() if len(y) >= starts[k] + h}
            if not usable:
                skipped.append(f"{name} ({len(y)} points)")
                continue
            vintages = ["latest", "real-time"] if _has_revisions(name) else ["latest"]
            for vintage in vintages:
                key = name if vintage == "latest" else f"{name}_realtime"
                bt = _staggered(usable, {k: starts[k] for k in usable}, y, h, n_paths=n_paths,
                                seed=seed, n_jobs=n_jobs, quiet=quiet, vintage=vintage)
                bt.meta["n_values"] = len(y)
                runs[key] = bt
    return runs, skipped


def _staggered(models, starts, y, h, **kwargs) -> Backtest:
    """One backtest of ``y`` in which each model starts at its own first origin.

    Models with the same start run as one :func:`backtest`. A job's seed depends on the series,
    the model and the origin only, so a model's forecasts are those it would make in a
    backtest with any other models.
    """
    parts, first = [], None
    for start in sorted(set(starts.values())):
        group = {k: m for k, m in models.items() if starts[k] == start}
        bt = backtest(group, y, h, initial=start, **kwargs)
        parts.append(bt.table)
        first = first or bt
    table = pd.concat(parts, ignore_index=True)
    # model by model in the order given (so Backtest.models keeps it), origins in time order
    order = pd.Categorical(table["model"], categories=list(models)).codes
    table = table.assign(_order=np.asarray(order))
    table = table.sort_values(["_order", "origin", "step"], kind="stable")
    table = table.drop(columns="_order").reset_index(drop=True)
    meta = dict(first.meta, models=list(models), initial=dict(starts),
                model_params={k: repr(m) for k, m in models.items()})
    return Backtest(table, meta=meta, history=first.history)


def common_origins(bt: Backtest) -> Backtest:
    """``bt`` restricted to the origins at which every one of its models was scored (per
    series), the only rows on which the models' scores compare them with each other."""
    t = bt.table
    n_models = t.groupby("unique_id", sort=False)["model"].transform("nunique")
    per_origin = t.groupby(["unique_id", "origin"], sort=False)["model"].transform("nunique")
    table = t[per_origin.to_numpy() == n_models.to_numpy()].reset_index(drop=True)
    return Backtest(table, meta=dict(bt.meta, origins="common"), history=bt.history)


def origin_counts(bt: Backtest) -> pd.DataFrame:
    """One row per model: ``n_origins``, ``first_origin``, ``last_origin`` (as text)."""
    t = bt.table.assign(model=pd.Categorical(bt.table["model"], categories=bt.models))
    g = t.groupby("model", observed=True)["origin"]
    out = pd.DataFrame({"n_origins": g.nunique(), "first_origin": g.min().astype(str),
                        "last_origin": g.max().astype(str)})
    out.index = out.index.astype(object)
    return out.rename_axis("model").reset_index()


def _scores(bt: Backtest):
    """Scores by model on each model's own origins and on the common origins."""
    out = []
    for b in (bt, common_origins(bt)):
        scores = b.scores(by="model")
        out.append(origin_counts(b).merge(scores, on="model", how="left", validate="1:1"))
    return out


def _has_revisions(name) -> bool:
    from forecast import datasets

    if name not in datasets.names() or datasets.info(name)["kind"] != "series":
        return False
    return bool((datasets.vintages(name)["release"] == "revision").any())


def _span(first, last, n) -> str:
    return f"{first} ({n})" if first == last else f"{first} to {last} ({n})"


def _table(scores, with_origins: bool) -> list:
    head = ["model", *(["origins"] if with_origins else []), *SUMMARY]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in scores.itertuples(index=False):
        cells = [str(row.model)]
        if with_origins:
            cells.append(_span(row.first_origin, row.last_origin, row.n_origins))
        cells += format_floats([getattr(row, c) for c in SUMMARY], 4)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _section(name, bt, own, common) -> str:
    origins = bt.table["origin"]
    years = next(iter(bt.history.values()), None)
    span = f" ({years.index[0]} to {years.index[-1]})" if years is not None else ""
    data = ("training data as first published by each origin (real-time vintages), scored "
            "against the latest values" if bt.meta["vintage"] == "real-time" else
            "latest values")
    lines = [f"## {name}", "",
             f"{bt.meta['n_values']} consecutive annual values{span}; origins "
             f"{_span(origins.min(), origins.max(), origins.nunique())}; {data}.", ""]
    if own["n_origins"].nunique() == 1:
        lines += ["Every model is scored at the same origins.", "", *_table(own, False)]
        return "\n".join(lines)
    c = common.iloc[0]
    lines += ["Each model at all its own origins (rows with different origins do not compare "
              "models with each other):", "", *_table(own, True), "",
              f"All {len(common)} models on their common origins, "
              f"{_span(c.first_origin, c.last_origin, c.n_origins)} (these rows compare "
              "models):", "", *_table(common, False)]
    return "\n".join(lines)


def _starts_text(models, starts, initial) -> str:
    by_start = {}
    for k in models:
        by_start.setdefault(starts[k], []).append(k)
    text = f"at least {initial} training values"
    if initial in by_start:
        text += f" ({', '.join(by_start.pop(initial))} start there)"
    if by_start:
        text += " or, for models that need more, as many as they need (" + "; ".join(
            f"{', '.join(names)}: {s}" for s, names in sorted(by_start.items())) + ")"
    return text


def _ensemble_text(models, initial) -> str:
    names = [k for k, m in models.items() if isinstance(m, Ensemble)]
    if not names:
        return ""
    return (f" {', '.join(names)} combine{'s' if len(names) == 1 else ''} the members that "
            f"the training values at hand allow: at {initial} values, those that need no more.")


def _summary(sections, skipped, models, h, n_paths, seed, starts, initial) -> str:
    lines = ["# Backtests of the bundled annual series", "",
             f"Rolling origin, expanding window, step 1, horizon h={h}, {n_paths} sample paths "
             f"per forecast, seed {seed}. Models: {', '.join(models)}.",
             "Generated by `nox -s backtest` (`forecast.backtest.reproduce`); "
             "do not edit by hand.", "",
             f"Origins: each model is refitted and scored at every origin whose {h} following "
             f"years are observed and that leaves it {_starts_text(models, starts, initial)}. "
             "Origins whose horizon is not observed yet are not scored, so every origin "
             f"contributes all {h} steps and no score mixes horizons. Models that need more "
             "values therefore have fewer origins. The first table of a series scores each "
             "model on all its own origins and gives their span and count; the second scores "
             "every model on the origins all of them share, and only rows of the same table "
             "with the same origins compare models with each other (a series whose models all "
             "have the same origins has one table). A forecast's sample paths "
             "depend on the seed, the series, the model and the origin only, so a model's "
             "scores at an origin are the same in both tables." + _ensemble_text(models, initial),
             "",
             "Columns: MAE; MASE (scaled by the in-sample naive MAE of each training window); "
             "sMAPE (%); coverage of the 80% and 95% intervals; CRPS from the sample paths; "
             "MAE skill relative to Naive (1 - MAE / MAE of the naive forecast from the same "
             "origins, so it compares each model with Naive on that model's origins).",
             "Each series is backtested on its last stretch of consecutive years (years before "
             "a gap, e.g. 2005 and 2014 in chile_foreign_population, are left out).", ""]
    for sec in sections:
        lines += [sec, ""]
    if skipped:
        lines += ["Skipped: " + ", ".join(skipped), ""]
    return "\n".join(lines)


def _write_text(path, text):
    write_atomic(path, text)
