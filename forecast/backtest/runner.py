"""Orchestration: series x models x origins -> one tidy table, in-process, joblib or dask.

Each (series, model, origin) is a *job*: clone the model, fit it on the data available at the
origin, simulate ``n_paths`` paths with a seed derived from the caller's seed and a stable hash
of the job's key, and summarise the paths (point, quantiles, CRPS) while they exist. Jobs are
grouped in chunks for the workers; results come back in job order whatever the backend, so
``n_jobs=1``, ``n_jobs=2`` and dask give identical tables.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping

import numpy as np
import pandas as pd

from forecast.backtest.origins import (
    check_vintages,
    contiguous_tail,
    origin_positions,
    real_time_series,
    train_slice,
    validate_h,
    validate_step,
    validate_window,
)
from forecast.backtest.result import Backtest
from forecast.errors import BacktestError, ForecastError
from forecast.metrics import crps_sample, insample_scale
from forecast.models.distribution import DEFAULT_QUANTILES, quantile_column
from forecast.parallel import run_chunks

QUANTILES = DEFAULT_QUANTILES


def backtest(models, data, h, *, initial=None, step=1, window="expanding", n_jobs=1,
             backend=None, vintage="latest", n_origins=None, n_paths=1000, seed=0,
             X=None, exog_model=None, exog_future=None, oracle_exog=False, vintages=None,
             season_length=1, quiet=False) -> Backtest:
    """Rolling-origin backtest of one or many models on one or many series.

    At every origin each model is cloned and refit on the data available at that origin
    only, then asked for ``h`` steps of ``n_paths`` sample paths. A period-indexed series
    with gaps is backtested on its last run of consecutive periods (see ``contiguous_tail``).

    Parameters
    ----------
    models : model, list of models or mapping ``{label: model}``
        Labels default to ``model.name`` (the ``repr`` when two models share a name).
    data : pandas Series, long DataFrame (``unique_id``, ``ds``, ``y``) or dataset name
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
        Sample paths per forecast; the root seed. Each job's seed is derived from ``seed`` and
        a stable hash of (unique_id, model, origin), so results do not depend on scheduling.
    X : DataFrame, optional
        Exogenous regressors aligned with the series (index like the series, or long with
        ``unique_id`` and ``ds`` columns). Their future values at each origin come from
        ``exog_future(unique_id, origin, h)`` (a scenario) if given, else from the point
        forecast of ``exog_model`` (default ``Naive()``) fitted on the regressors up to the
        origin; the realised future only with ``oracle_exog=True``.
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
    """
    h = validate_h(h)
    step = validate_step(step)
    labelled = _label_models(models)
    series = _as_series(data)
    min_train = max(max(_min_obs(m) for _, m in labelled), int(season_length) + 1)
    window = validate_window(window, min_train)
    if isinstance(n_paths, bool) or not isinstance(n_paths, int | np.integer) or n_paths < 1:
        raise BacktestError(f"n_paths must be an integer >= 1; got {n_paths!r}")
    realtime = _real_time_rows(vintage, data, series, vintages)
    exog = _as_exog(X, series)

    jobs = []
    for uid, y in series.items():
        # years before a gap are not a contiguous history (models would refuse or warn)
        y = series[uid] = contiguous_tail(y)
        positions = origin_positions(len(y), h, min_train=min_train, initial=initial,
                                     step=step, n_origins=n_origins, name=f"series {uid!r}")
        positions = _observed_horizons(y.index, positions, h, uid)
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
            for label, model in labelled:
                jobs.append({
                    "unique_id": uid, "model": label, "prototype": model, "origin": origin,
                    "train": train, "x_train": x_train, "x_future": x_future,
                    "y_future": y.to_numpy()[t + 1:t + 1 + h],
                    "seed": job_seed(seed, uid, label, origin),
                })

    settings = {"h": h, "n_paths": int(n_paths), "season_length": int(season_length)}
    outputs = _execute(jobs, settings, n_jobs=n_jobs, backend=backend, quiet=quiet)
    table = _assemble(jobs, outputs, series, h)
    meta = {
        "h": h, "initial": initial, "step": step, "window": window, "vintage": vintage,
        "n_origins": n_origins, "n_paths": int(n_paths), "seed": seed,
        "oracle_exog": bool(oracle_exog), "models": [label for label, _ in labelled],
        "model_params": {label: repr(m) for label, m in labelled},
    }
    return Backtest(table, meta=meta, history={k: v for k, v in series.items()})


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


def _min_obs(model) -> int:
    return int(getattr(model, "min_obs", 1))


def _as_series(data) -> dict:
    """``{unique_id: Series}`` with unique sorted index and finite values, or BacktestError."""
    if isinstance(data, str):
        from forecast import datasets

        try:
            y = datasets.load(data)
        except ForecastError as exc:
            raise BacktestError(f"cannot load dataset {data!r}: {exc}") from None
        return {data: _check_series(y.rename(data), data)}
    if isinstance(data, pd.Series):
        uid = data.name if data.name is not None else data.attrs.get("name", "y")
        return {uid: _check_series(data, uid)}
    if isinstance(data, pd.DataFrame):
        need = ["unique_id", "ds", "y"]
        missing = [c for c in need if c not in data.columns]
        if missing:
            raise BacktestError(
                f"the long frame lacks column(s) {missing}; expected unique_id, ds, y "
                f"(has {', '.join(map(str, data.columns))})"
            )
        dup = data.duplicated(["unique_id", "ds"], keep=False).to_numpy()
        if dup.any():
            row = data.iloc[int(np.flatnonzero(dup)[0])]
            raise BacktestError(
                f"the long frame has duplicate rows for unique_id={_py(row['unique_id'])!r}, "
                f"ds={row['ds']} (and {int(dup.sum()) - 1} more); each (unique_id, ds) "
                "must appear once"
            )
        out = {}
        for uid, part in data.groupby("unique_id", sort=True, observed=True):
            part = part.sort_values("ds", kind="stable")
            s = pd.Series(part["y"].to_numpy(), index=pd.Index(part["ds"].to_numpy()), name=uid)
            if isinstance(part["ds"].dtype, pd.PeriodDtype):
                s.index = pd.PeriodIndex(part["ds"])
            out[uid] = _check_series(s, uid)
        if not out:
            raise BacktestError("the long frame is empty")
        return out
    raise BacktestError(
        f"data must be a pandas Series, a long DataFrame (unique_id, ds, y) or a dataset "
        f"name; got {type(data).__name__}"
    )


def _py(value):
    return value.item() if isinstance(value, np.generic) else value


def _check_series(y: pd.Series, uid) -> pd.Series:
    if y.index.has_duplicates:
        dup = y.index[y.index.duplicated()][0]
        raise BacktestError(f"series {uid!r} has duplicate dates, first {dup}; each period "
                            "must appear once")
    try:
        values = y.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise BacktestError(f"series {uid!r}: y must be numeric") from None
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise BacktestError(
            f"series {uid!r} has {bad.size} missing (NaN) or infinite value(s) in y, first at "
            f"{y.index[bad[0]]}; fill or drop them before backtesting"
        )
    if not y.index.is_monotonic_increasing:
        y = y.sort_index(kind="stable")
    return pd.Series(y.to_numpy(dtype=float), index=y.index, name=uid)


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


def _observed_horizons(index, positions, h, uid):
    """Origins whose next ``h`` periods are all observed: with gaps in an annual series
    (2005, 2014, 2017, ...) the value after a gap is not the 1-step forecast of the one
    before it, so such origins are skipped."""
    if not isinstance(index, pd.PeriodIndex):
        return positions
    ordinals = index.asi8
    keep = positions[ordinals[positions + h] - ordinals[positions] == h]
    if keep.size == 0:
        raise BacktestError(
            f"series {uid!r}: no origin has its next {h} periods all observed (the series has "
            f"gaps: {', '.join(map(str, index))}); fill the gaps or use a smaller h"
        )
    return keep


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


# -- seeds -------------------------------------------------------------------------------
def job_seed(seed, uid, label, origin) -> np.random.SeedSequence:
    """Seed of one job: SeedSequence of the caller's seed and a stable hash of its key.

    blake2b, not Python's ``hash`` (salted per process), so every worker derives the same seed.
    """
    key = f"{uid}\x1f{label}\x1f{origin}".encode()
    digest = hashlib.blake2b(key, digest_size=16).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    root = [] if seed is None else [int(seed)]
    return np.random.SeedSequence([*root, *words])


# -- running -----------------------------------------------------------------------------
def run_job(job, settings) -> dict:
    """Fit one clone at one origin and summarise its paths (runs on workers)."""
    h, n_paths = settings["h"], settings["n_paths"]
    train = job["train"]
    try:
        model = job["prototype"].clone().fit(train, X=job["x_train"])
        kwargs = {} if job["x_future"] is None else {"X_future": job["x_future"]}
        fc = model.predict(h, n_paths=n_paths, seed=job["seed"], **kwargs)
    except Exception as exc:
        raise BacktestError(
            f"model {job['model']!r} failed on series {job['unique_id']!r} at origin "
            f"{job['origin']}: {type(exc).__name__}: {exc}"
        ) from exc
    paths = fc.paths
    values = train.to_numpy(dtype=float)
    scale_mae, scale_mse = insample_scale(values, settings["season_length"])
    return {
        "point": np.asarray(fc.point, dtype=float),
        "quantiles": np.quantile(paths, QUANTILES, axis=0),
        # scored here so the paths never travel back; y_future is not seen by the model
        "crps": crps_sample(paths.T, job["y_future"]),
        "naive": float(values[-1]),
        "scale_mae": scale_mae,
        "scale_mse": scale_mse,
    }


def run_chunk(chunk, settings):
    return [run_job(job, settings) for job in chunk]


def _execute(jobs, settings, *, n_jobs, backend, quiet):
    progress = Progress(len(jobs), quiet=quiet)
    try:
        if backend is None and (n_jobs is None or n_jobs == 1):
            return [_tick(run_job(job, settings), progress) for job in jobs]
        try:
            return run_chunks(run_chunk, jobs, args=(settings,), n_jobs=n_jobs,
                              backend=backend, on_done=progress.update)
        except ForecastError as exc:
            if isinstance(exc, BacktestError):
                raise
            raise BacktestError(str(exc)) from None
    finally:
        progress.close()


def _tick(result, progress):
    progress.update(1)
    return result


class Progress:
    """A one-line progress bar on stderr; silent when quiet or stderr is not a terminal."""

    def __init__(self, total: int, quiet: bool = False, label: str = "backtest", stream=None):
        self.total = max(int(total), 1)
        self.done = 0
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = (not quiet) and bool(isatty and isatty())

    def update(self, n: int = 1):
        self.done += n
        if self.enabled:
            frac = min(self.done / self.total, 1.0)
            bar = "#" * int(30 * frac)
            self.stream.write(f"\r{self.label} [{bar:<30}] {self.done}/{self.total}")
            self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


# -- assembling --------------------------------------------------------------------------
def _assemble(jobs, outputs, series, h) -> pd.DataFrame:
    n = len(jobs)
    steps = np.arange(1, h + 1)
    point = np.concatenate([o["point"] for o in outputs]) if n else np.empty(0)
    quant = np.concatenate([o["quantiles"] for o in outputs], axis=1) if n else \
        np.empty((len(QUANTILES), 0))
    ds, origin = [], []
    for job in jobs:
        y = series[job["unique_id"]]
        t = y.index.get_loc(job["origin"])
        ds.extend(y.index[t + 1:t + 1 + h])
        origin.extend([job["origin"]] * h)
    y_all = np.concatenate([j["y_future"] for j in jobs]) if n else np.empty(0)
    crps = np.concatenate([o["crps"] for o in outputs]) if n else np.empty(0)
    table = pd.DataFrame({
        "unique_id": np.repeat(np.array([j["unique_id"] for j in jobs], dtype=object), h),
        "model": np.repeat(np.array([j["model"] for j in jobs], dtype=object), h),
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
