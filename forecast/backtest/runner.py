"""Orchestration: series x models x origins -> one tidy table, in-process, joblib or dask.

Each (series, model, origin) is a :class:`forecast.jobs.Job`: clone the model, fit it on the
data available at the origin, simulate ``n_paths`` paths with the job's seed
(:func:`forecast.jobs.job_seed`: the caller's seed and a stable hash of the job's key), and
summarise the paths (point, quantiles, CRPS) while they exist. Series are read by
:func:`forecast.panel.prepare_panel`, as ``fit`` and ``predict_many`` read them, so a job's
forecast is the one ``predict_many`` makes from the same data up to the origin. Results come
back in job order whatever the backend, so ``n_jobs=1``, ``n_jobs=2`` and dask give identical
tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import numpy as np
import pandas as pd

from forecast.backtest.origins import (
    check_vintages,
    min_train_length,
    origin_positions,
    real_time_series,
    train_slice,
    validate_window,
)
from forecast.backtest.result import Backtest
from forecast.errors import BacktestError, ForecastError
from forecast.jobs import Job, run_jobs
from forecast.metrics import crps_sample, insample_scale
from forecast.models.base import require_exog
from forecast.models.distribution import DEFAULT_QUANTILES, quantile_column
from forecast.panel import check_count, prepare_panel, root_seed
from forecast.progress import Progress

QUANTILES = DEFAULT_QUANTILES


def backtest(models, data, h, *, initial=None, step=1, window="expanding", n_jobs=1,
             backend=None, vintage="latest", n_origins=None, n_paths=1000, seed=0,
             X=None, exog_model=None, exog_future=None, oracle_exog=False, vintages=None,
             season_length=1, quiet=False) -> Backtest:
    """Rolling-origin backtest of one or many models on one or many series.

    At every origin each model is cloned and refit on the data available at that origin
    only, then asked for ``h`` steps of ``n_paths`` sample paths. A period-indexed series
    with gaps is backtested on its last run of consecutive periods, with a ``GapWarning``
    (the rule of :mod:`forecast.panel`, as in ``fit`` and ``predict_many``).

    Parameters
    ----------
    models : model, list of models or mapping ``{label: model}``
        Labels default to ``model.name`` (the ``repr`` when two models share a name).
    data : pandas Series, long DataFrame (``unique_id``, ``ds``, ``y``), dict of Series or
        dataset name
        A string loads the bundled dataset ``forecast.datasets.load(data)``.
    h : int
        Forecast horizon (>= 1). Only origins whose whole horizon is observed are used.
    initial : int, optional
        Size of the first training window. Default: the first origin the models allow,
        or the last ``n_origins`` origins when ``n_origins`` is given.
    step : int
        Periods between consecutive origins.
    window : "expanding" or int
        Expanding training window, or a rolling one of this many observations.
    n_jobs : int
        joblib workers (``-1``: all cores); ignored with ``backend="dask"``.
    backend : None, "dask" or a ``distributed.Client``
        ``"dask"`` uses the current default ``distributed`` client and raises an error
        saying to start one if there is none (see :mod:`forecast.parallel`).
    vintage : "latest" or "real-time"
        ``"real-time"``: at each origin, train on the values as they were published then
        (see :func:`forecast.backtest.origins.real_time_series` for the exact rule) and score
        against ``data`` (the latest values). Vintages come from ``vintages`` or, for bundled
        datasets, from ``forecast.datasets.vintages(name)``.
    n_origins : int, optional
        Use the last ``n_origins`` origins (instead of ``initial``).
    n_paths, seed : int
        Sample paths per forecast; the root seed (None: a fresh one). Each job's seed is
        derived from ``seed`` and a stable hash of (unique_id, model, origin), so results do
        not depend on scheduling.
    X : DataFrame, optional
        Exogenous regressors aligned with the series (index like the series, or long with
        ``unique_id`` and ``ds`` columns); every model must use them (``uses_exog``). Their
        future values at each origin come from ``exog_future(unique_id, origin, h)`` (a
        scenario) if given, else from the point forecast of ``exog_model`` (default
        ``Naive()``) fitted on the regressors up to the origin; the realised future only with
        ``oracle_exog=True``.
    vintages : DataFrame or mapping ``{unique_id: DataFrame}``, optional
        Published rows (``period``, ``value``, ``vintage_date``, optional ``status``) for
        ``vintage="real-time"``.
    season_length : int
        Season of the in-sample scales (MASE, RMSSE, MSIS); 1 for annual data.
    quiet : bool
        No progress bar (it is also off when stderr is not a terminal).

    Returns
    -------
    Backtest
        ``table`` columns: unique_id, model, origin, ds, step, y, point, q2.5 ... q97.5,
        crps, naive, scale_mae, scale_mse.

    Errors about the request or the data are :class:`~forecast.errors.BacktestError`; a job
    that fails raises the error of its model, naming series, model and origin
    (:mod:`forecast.jobs`).
    """
    h = check_count("horizon h", h, BacktestError)
    step = check_count("step (periods between origins)", step, BacktestError)
    n_paths = check_count("n_paths", n_paths, BacktestError)
    root = root_seed(seed, BacktestError)
    labelled = _label_models(models)
    if X is not None:
        for _, model in labelled:
            require_exog(model, "X")  # before any job runs
    series = _as_series(data)
    min_train = min_train_length([m for _, m in labelled], season_length)
    window = validate_window(window, min_train)
    realtime = _real_time_rows(vintage, data, series, vintages)
    exog = _as_exog(X, series)

    jobs = []
    for uid, y in series.items():
        positions = origin_positions(len(y), h, min_train=min_train, initial=initial,
                                     step=step, n_origins=n_origins, name=f"series {uid!r}")
        for t in positions:
            origin = y.index[t]
            if realtime is not None:
                train = real_time_series(realtime[uid], origin, name=str(uid))
                train = train[train.index >= y.index[0]]
                train = train.iloc[train_slice(len(train) - 1, window)]
                if len(train) < min_train:
                    raise BacktestError(
                        f"series {uid!r}: only {len(train)} values were published by the "
                        f"first release of {origin}; the models need {min_train}"
                    )
            else:
                train = y.iloc[train_slice(t, window)]
            x_train, x_future = _exog_at(exog, uid, train.index, y.index[t + 1:t + 1 + h],
                                         origin, h, exog_model, exog_future, oracle_exog)
            actual = y.to_numpy()[t + 1:t + 1 + h]
            jobs.extend(Job(uid, label, origin, model, train, x_train, x_future, actual)
                        for label, model in labelled)

    outputs = run_jobs(jobs, partial(_score, season_length=int(season_length)), h=h,
                       n_paths=n_paths, seed=root, n_jobs=n_jobs, backend=backend,
                       progress=Progress(len(jobs), quiet=quiet, label="backtest"),
                       error=BacktestError)
    table = _assemble(jobs, outputs, series, h)
    meta = {
        "h": h, "initial": initial, "step": step, "window": window, "vintage": vintage,
        "n_origins": n_origins, "n_paths": n_paths, "seed": root,
        "oracle_exog": bool(oracle_exog), "models": [label for label, _ in labelled],
        "model_params": {label: repr(m) for label, m in labelled},
    }
    return Backtest(table, meta=meta, history=dict(series))


# -- inputs ------------------------------------------------------------------------------
def _label_models(models):
    if isinstance(models, Mapping):
        pairs = [(str(k), v) for k, v in models.items()]
    elif isinstance(models, list | tuple):
        pairs = [(_name(m), m) for m in models]
    else:
        pairs = [(_name(models), models)]
    if not pairs:
        raise BacktestError("models is empty; pass a model, a list of models or {label: model}")
    for label, m in pairs:
        if not (hasattr(m, "fit") and hasattr(m, "predict") and hasattr(m, "clone")):
            raise BacktestError(f"model {label!r} ({m!r}) is not a forecast model with "
                                "fit/predict/clone")
    labels = [label for label, _ in pairs]
    if len(set(labels)) < len(labels):
        if not isinstance(models, Mapping):
            pairs = [(repr(m), m) for _, m in pairs]
            labels = [label for label, _ in pairs]
        if len(set(labels)) < len(labels):
            raise BacktestError(f"two models share a label: {labels}; pass {{label: model}}")
    return pairs


def _name(model):
    return getattr(model, "name", type(model).__name__)


def _as_series(data) -> dict:
    """``{unique_id: Series}`` prepared by :func:`forecast.panel.prepare_panel`; a string
    loads that bundled dataset."""
    if isinstance(data, str):
        from forecast import datasets

        try:
            y = datasets.load(data)
        except ForecastError as exc:
            raise BacktestError(f"cannot load dataset {data!r}: {exc}") from None
        data = y.rename(data)
    return prepare_panel(data, error=BacktestError)


def _real_time_rows(vintage, data, series, vintages):
    if isinstance(vintage, str) and vintage == "latest":
        if vintages is not None:
            raise BacktestError("vintages were given but vintage='latest'; pass "
                                "vintage='real-time' to use them")
        return None
    if not (isinstance(vintage, str) and vintage == "real-time"):
        raise BacktestError(f"vintage must be 'latest' or 'real-time'; got {vintage!r}")
    out = {}
    for uid in series:
        if isinstance(vintages, pd.DataFrame):
            frame = vintages
            if "unique_id" in frame.columns:
                frame = frame[frame["unique_id"] == uid]
            elif len(series) > 1:
                raise BacktestError("vintages for many series need a unique_id column")
        elif isinstance(vintages, Mapping):
            if uid not in vintages:
                raise BacktestError(f"no vintages given for series {uid!r}")
            frame = vintages[uid]
        else:
            name = data if isinstance(data, str) else getattr(series[uid], "name", uid)
            if isinstance(data, pd.Series):
                name = data.attrs.get("name", name)
            frame = _dataset_vintages(str(name))
        out[uid] = check_vintages(frame, f"series {uid!r}")
    return out


def _dataset_vintages(name: str) -> pd.DataFrame:
    from forecast import datasets

    getter = getattr(datasets, "vintages", None)
    if getter is None:
        raise BacktestError("vintage='real-time' needs forecast.datasets.vintages or "
                            "a vintages frame (vintages=...)")
    try:
        return getter(name)
    except ForecastError as exc:
        raise BacktestError(
            f"vintage='real-time': no published vintages for {name!r} ({exc}); pass "
            "vintages=DataFrame(period, value, vintage_date)"
        ) from None


# -- exogenous regressors ----------------------------------------------------------------
def _as_exog(X, series):
    if X is None:
        return None
    if not isinstance(X, pd.DataFrame):
        X = pd.DataFrame(X)
    out = {}
    if {"unique_id", "ds"} <= set(X.columns):
        for uid in series:
            part = X[X["unique_id"] == uid].drop(columns="unique_id")
            idx = pd.Index(part["ds"].to_numpy())
            if isinstance(part["ds"].dtype, pd.PeriodDtype):
                idx = pd.PeriodIndex(part["ds"])
            out[uid] = part.drop(columns="ds").set_axis(idx, axis=0).astype(float)
    elif len(series) == 1:
        out[next(iter(series))] = X.astype(float)
    else:
        raise BacktestError("X for many series must be long, with unique_id and ds columns")
    for uid, frame in out.items():
        missing = series[uid].index.difference(frame.index)
        if len(missing):
            raise BacktestError(f"X has no row for series {uid!r} at {missing[0]}; X must "
                                "cover every period of the series")
        if not np.all(np.isfinite(frame.to_numpy())):
            raise BacktestError(f"X for series {uid!r} has missing or infinite values")
    return out


def _exog_at(exog, uid, train_index, future_index, origin, h, exog_model, exog_future, oracle):
    if exog is None:
        return None, None
    frame = exog[uid]
    x_train = frame.loc[train_index].to_numpy()
    if oracle:
        return x_train, frame.loc[future_index].to_numpy()
    if exog_future is not None:
        future = np.asarray(exog_future(uid, origin, h), dtype=float)
        if future.ndim == 1:
            future = future[:, None]
        if future.shape != (h, frame.shape[1]):
            raise BacktestError(
                f"exog_future({uid!r}, {origin}, {h}) returned shape {future.shape}; expected "
                f"({h}, {frame.shape[1]})"
            )
        return x_train, future
    from forecast.models import Naive

    proto = Naive() if exog_model is None else exog_model
    known = frame.loc[frame.index <= origin]
    cols = []
    for name in frame.columns:
        fit = proto.clone().fit(known[name])
        cols.append(fit.predict(h, n_paths=1, seed=0).point.to_numpy())
    return x_train, np.column_stack(cols)


# -- scoring (on the workers) -------------------------------------------------------------
def _score(job, fc, season_length) -> dict:
    """Point, quantiles and CRPS of one job's forecast, and the scales of its training data."""
    paths = fc.paths
    values = job.train.to_numpy(dtype=float)
    scale_mae, scale_mse = insample_scale(values, season_length)
    return {
        "point": np.asarray(fc.point, dtype=float),
        "quantiles": np.quantile(paths, QUANTILES, axis=0),
        # scored here so the paths never travel back; the model never saw job.actual
        "crps": crps_sample(paths.T, job.actual),
        "naive": float(values[-1]),
        "scale_mae": scale_mae,
        "scale_mse": scale_mse,
    }


# -- assembling --------------------------------------------------------------------------
def _assemble(jobs, outputs, series, h) -> pd.DataFrame:
    n = len(jobs)
    steps = np.arange(1, h + 1)
    point = np.concatenate([o["point"] for o in outputs]) if n else np.empty(0)
    quant = np.concatenate([o["quantiles"] for o in outputs], axis=1) if n else \
        np.empty((len(QUANTILES), 0))
    ds, origin = [], []
    for job in jobs:
        y = series[job.unique_id]
        t = y.index.get_loc(job.origin)
        ds.extend(y.index[t + 1:t + 1 + h])
        origin.extend([job.origin] * h)
    y_all = np.concatenate([j.actual for j in jobs]) if n else np.empty(0)
    crps = np.concatenate([o["crps"] for o in outputs]) if n else np.empty(0)
    table = pd.DataFrame({
        "unique_id": np.repeat(np.array([j.unique_id for j in jobs], dtype=object), h),
        "model": np.repeat(np.array([j.model for j in jobs], dtype=object), h),
        "origin": pd.Series(origin, dtype=_index_dtype(series)),
        "ds": pd.Series(ds, dtype=_index_dtype(series)),
        "step": np.tile(steps, n),
        "y": y_all,
        "point": point,
    })
    for q, row in zip(QUANTILES, quant, strict=True):
        table[quantile_column(q)] = row
    table["crps"] = crps
    table["naive"] = np.repeat([o["naive"] for o in outputs], h)
    table["scale_mae"] = np.repeat([o["scale_mae"] for o in outputs], h)
    table["scale_mse"] = np.repeat([o["scale_mse"] for o in outputs], h)
    return table


def _index_dtype(series):
    dtypes = {s.index.dtype for s in series.values()}
    return dtypes.pop() if len(dtypes) == 1 else object
