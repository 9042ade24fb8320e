"""The reproducible backtest behind ``nox -s backtest`` and the README's figures.

:func:`reproduce` backtests every bundled annual series with enough points with every model
available in :mod:`forecast.models` and writes, under ``out_dir``:

* ``<dataset>.csv``: the backtest table (floats to 6 significant digits);
* ``scores.csv``: scores by dataset and model;
* ``summary.md``: the settings and one score table per dataset.

Nothing in the files depends on the time, the machine or the number of workers, so two runs
give byte-identical files.
"""

from __future__ import annotations

import warnings

import pandas as pd

from forecast.atomicwrite import write_atomic
from forecast.backtest.origins import min_length
from forecast.backtest.result import format_floats, write_csv
from forecast.backtest.runner import backtest
from forecast.errors import BacktestError
from forecast.outputset import output_set
from forecast.panel import GapWarning, prepare_panel
from forecast.writable import check_writable

#: Models tried in order; those not (yet) in forecast.models are skipped.
MODEL_NAMES = ("Naive", "Drift", "Mean", "ETS", "DampedTrend", "Theta", "OptimizedTheta",
               "ARIMA", "Auto")
#: Columns of the summary tables.
SUMMARY = ("mae", "mase", "smape", "coverage80", "coverage95", "crps", "skill")
H = 2
N_PATHS = 1000
SEED = 0


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


def reproduce(out_dir="reports/backtests", quiet: bool = False, *, series=None, models=None,
              h: int = H, n_paths: int = N_PATHS, seed: int = SEED, n_jobs: int = 1) -> dict:
    """Backtest every bundled annual series with every model; write CSVs and summary.md.

    See :func:`run` for what is backtested. Returns ``{"tables": {name: path}, "scores":
    path, "summary": path, "skipped": [...]}``.
    """
    out = check_writable(out_dir)  # before the backtests, not after
    models = default_models() if models is None else dict(models)
    runs, skipped = run(series=series, models=models, h=h, n_paths=n_paths, seed=seed,
                        n_jobs=n_jobs, quiet=quiet)
    score_frames, sections = [], []
    for key, result in runs.items():
        scores = result.scores(by="model")
        scores.insert(0, "dataset", key)
        score_frames.append(scores)
        origins = result.table["origin"]
        sections.append(_section(key, result.meta["n_values"], origins.min(), origins.max(),
                                 origins.nunique(), scores, result.meta["vintage"]))
    # the tables, scores and summary are one set: an interrupted run leaves the previous one
    with output_set(out) as staged:
        for key, result in runs.items():
            result.to_csv(staged.path(f"{key}.csv"))
        if score_frames:
            write_csv(pd.concat(score_frames, ignore_index=True), staged.path("scores.csv"),
                      digits=4)
        _write_text(staged.path("summary.md"),
                    _summary(sections, skipped, models, h, n_paths, seed))
    return {"tables": {key: out / f"{key}.csv" for key in runs}, "scores": out / "scores.csv",
            "summary": out / "summary.md", "skipped": skipped}


def run(*, series=None, models=None, h: int = H, n_paths: int = N_PATHS, seed: int = SEED,
        n_jobs: int = 1, quiet: bool = True):
    """The reproducible backtests in memory: ``({key: Backtest}, [skipped ...])``.

    ``series`` (``{name: Series}``) and ``models`` (``{name: model}``) default to
    :func:`annual_series` and :func:`default_models`. Each series is cut to its last run of
    consecutive years; the models that can be fitted with ``len - h`` points take part, the
    first origin leaves them the fewest points they all need and origins advance one year at
    a time (expanding window). Series with revised vintages get a second, real-time backtest
    under the key ``<name>_realtime``. Too-short series are listed as skipped.
    """
    series = annual_series() if series is None else dict(series)
    models = default_models() if models is None else dict(models)
    runs, skipped = {}, []
    with warnings.catch_warnings():
        # the summary states that series are cut to their consecutive years
        warnings.simplefilter("ignore", GapWarning)
        for name in sorted(series):
            y = prepare_panel({name: series[name]}, error=BacktestError)[name]
            usable = {k: m for k, m in models.items() if len(y) >= min_length([m], h)}
            if not usable:
                skipped.append(f"{name} ({len(y)} points)")
                continue
            vintages = ["latest", "real-time"] if _has_revisions(name) else ["latest"]
            for vintage in vintages:
                key = name if vintage == "latest" else f"{name}_realtime"
                bt = backtest(usable, y, h, n_paths=n_paths, seed=seed, n_jobs=n_jobs,
                              quiet=quiet, vintage=vintage)
                bt.meta["n_values"] = len(y)
                runs[key] = bt
    return runs, skipped


def _has_revisions(name) -> bool:
    from forecast import datasets

    if name not in datasets.names() or datasets.info(name)["kind"] != "series":
        return False
    return bool((datasets.vintages(name)["release"] == "revision").any())


def _section(name, n, first, last, n_origins, scores, vintage="latest") -> str:
    head = ["model", *SUMMARY]
    data = ("training data as first published by each origin (real-time vintages), scored "
            "against the latest values" if vintage == "real-time" else "latest values")
    lines = [f"## {name}", "",
             f"{n} consecutive annual values; origins {first} to {last} ({n_origins}); "
             f"{data}.", "",
             "| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    for row in scores.itertuples(index=False):
        cells = [str(row.model)] + format_floats([getattr(row, c) for c in SUMMARY], 4)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _summary(sections, skipped, models, h, n_paths, seed) -> str:
    lines = ["# Backtests of the bundled annual series", "",
             f"Rolling origin, expanding window, step 1, horizon h={h}, {n_paths} sample paths "
             f"per forecast, seed {seed}. Models: {', '.join(models)}.",
             "Generated by `nox -s backtest` (`forecast.backtest.reproduce`); "
             "do not edit by hand.", "",
             "Columns: MAE; MASE (scaled by the in-sample naive MAE of each training window); "
             "sMAPE (%); coverage of the 80% and 95% intervals; CRPS from the sample paths; "
             "MAE skill relative to Naive (1 - MAE / MAE of Naive).",
             "Each series is backtested on its last stretch of consecutive years (years before "
             "a gap, e.g. 2005 and 2014 in chile_foreign_population, are left out).", ""]
    for sec in sections:
        lines += [sec, ""]
    if skipped:
        lines += ["Skipped: " + ", ".join(skipped), ""]
    return "\n".join(lines)


def _write_text(path, text):
    write_atomic(path, text)
