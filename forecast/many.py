"""Forecast many series with one model: ids, dates and parallelism around the numeric models.

As in statsforecast's ``core.py``, this module owns the orchestration (grouping, seeding,
parallel execution, assembling the tidy frame) and no model maths; the models see plain float
arrays.

Rules
-----
* **Input.** A long frame with columns ``unique_id``, ``ds``, ``y`` (other columns are ignored)
  or a dict mapping ids to Series indexed by date. ``ds`` may be integers (years), dates or
  periods.
* **Sorting.** Rows may come in any order: each series is sorted by ``ds`` (stably) before
  fitting. Series are processed, and reported, in sorted ``unique_id`` order (first-appearance
  order if the ids cannot be sorted), so the result does not depend on the row order.
* **Validation.** Missing columns, an empty input, missing ids, dates or values, non-numeric
  ``y`` and duplicate ``(unique_id, ds)`` pairs raise :class:`forecast.errors.DataError`
  naming the column and the offending id. A model that cannot fit a series raises its own
  :class:`~forecast.errors.ForecastError` subclass with the id prefixed to the message.
* **Seeding.** Series ``uid`` is simulated with ``numpy.random.default_rng([seed,
  stable_hash(uid)])`` where ``stable_hash`` is the first 8 bytes of the BLAKE2b digest of
  ``str(uid)`` (:func:`series_seed`). The stream of a series depends only on the seed and its
  id, never on the order of the series, the number of jobs, the chunking or the worker, so the
  result is identical for every ``n_jobs`` and backend. (Python's ``hash`` is salted per
  process and would not do.)
* **Parallelism.** Series are split into contiguous chunks; each chunk is one task that fits
  ``model.clone()`` per series and returns numpy summaries. ``backend=None`` uses joblib's
  default (loky processes) with ``n_jobs`` workers; any other joblib backend name
  (``"threading"``, ``"multiprocessing"``, ``"loky"``) is passed through. ``backend="dask"``
  submits the chunks to a ``dask.distributed`` cluster: the ``client=`` given, else the
  current default client (``distributed.Client(...)`` created in this process, or inside
  ``with client:``); with neither, it raises an error telling you to start a Client. Passing
  ``client=`` alone implies ``backend="dask"``.
* **Exogenous regressors** are not supported here; fit such models one series at a time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from forecast.errors import DataError, ForecastError
from forecast.models.base import future_index, validate_horizon
from forecast.models.distribution import DEFAULT_QUANTILES, _check_levels, quantile_column
from forecast.parallel import run_chunks

REQUIRED = ("unique_id", "ds", "y")


def predict_many(
    model,
    data,
    h: int,
    *,
    n_paths: int = 1000,
    seed: int | None = 0,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    n_jobs: int = 1,
    backend: str | None = None,
    client=None,
) -> pd.DataFrame:
    """Fit a clone of ``model`` to every series and summarise its sample paths.

    Parameters
    ----------
    model : BaseModel
        Unfitted template; each series gets ``model.clone()``.
    data : DataFrame or dict
        Long frame (``unique_id``, ``ds``, ``y``) or ``{unique_id: Series indexed by ds}``.
    h : int
        Horizon (periods after each series' last date).
    n_paths : int
        Sample paths per series.
    seed : int or None
        Base seed; each series derives its own from ``(seed, unique_id)``. ``None`` draws a
        fresh base seed (results then differ between calls).
    quantiles : sequence of float
        Quantile levels, written as columns ``q2.5``, ``q10``, ...
    n_jobs : int
        joblib workers (``-1``: all cores). Ignored by the dask backend.
    backend : None, "loky", "threading", "multiprocessing" or "dask"
        Where the chunks run; see the module docstring.
    client : distributed.Client, optional
        The dask client to use (implies ``backend="dask"``).

    Returns
    -------
    DataFrame
        One row per series and step: ``unique_id, ds, model, step, point, mean, median`` and
        the quantile columns, i.e. ``unique_id`` followed by the columns of
        :meth:`Forecast.to_frame`.
    """
    h = validate_horizon(h)
    if isinstance(n_paths, bool) or int(n_paths) < 1:
        raise ForecastError(f"n_paths must be an integer >= 1; got {n_paths!r}")
    levels = [float(q) for q in quantiles]
    _check_levels(levels)

    ids, ds_sorted, bounds, y_sorted = _group(data)
    base = int(np.random.SeedSequence().entropy) if seed is None else _check_seed(seed)
    seeds = [series_seed(base, uid) for uid in ids]
    series = [y_sorted[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    tasks = list(zip(ids, seeds, series, strict=True))

    template = model.clone()
    summaries = run_chunks(_forecast_chunk, tasks, args=(template, h, int(n_paths), levels),
                           n_jobs=n_jobs, backend=backend, client=client)

    k = len(ids)
    values = np.concatenate(summaries, axis=0) if k else np.empty((0, 3 + len(levels)))
    columns = ["point", "mean", "median", *(quantile_column(q) for q in levels)]
    frame = pd.DataFrame(values, columns=columns)
    frame.insert(0, "step", np.tile(np.arange(1, h + 1), k))
    frame.insert(0, "model", template.name)
    frame.insert(0, "ds", _future_ds(ds_sorted, bounds, h))
    frame.insert(0, "unique_id", ids.repeat(h))
    return frame


def series_seed(seed: int, uid) -> list[int]:
    """Seed entropy of series ``uid``: ``[seed, first 8 bytes of blake2b(str(uid))]``.

    Use as ``np.random.default_rng(series_seed(seed, uid))`` or ``predict(..., seed=...)``.
    """
    digest = hashlib.blake2b(str(uid).encode("utf-8"), digest_size=8).digest()
    return [int(seed), int.from_bytes(digest, "little")]


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise ForecastError(f"seed must be a non-negative integer or None; got {seed!r}")
    return int(seed)


# -- input --------------------------------------------------------------------------------
def _group(data):
    """Sorted ids, ds sorted within id, chunk boundaries and y values (numpy, grouped once)."""
    if isinstance(data, Mapping):
        data = _long_from_dict(data)
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            f"data must be a long DataFrame (unique_id, ds, y) or a dict of Series; "
            f"got {type(data).__name__}"
        )
    missing = [c for c in REQUIRED if c not in data.columns]
    if missing:
        raise DataError(
            f"data is missing column(s) {missing}; expected {list(REQUIRED)}, "
            f"got {list(map(str, data.columns))}"
        )
    if len(data) == 0:
        raise DataError("data is empty: no rows to forecast")

    uid = data["unique_id"]
    if uid.isna().any():
        row = data.index[np.flatnonzero(uid.isna().to_numpy())[0]]
        raise DataError(f"column 'unique_id' has missing values (first at row {row!r})")
    try:
        codes, ids = pd.factorize(uid, sort=True)
    except TypeError:  # ids of mixed types cannot be sorted
        codes, ids = pd.factorize(uid, sort=False)
    ids = pd.Index(ids)

    try:
        y = pd.to_numeric(data["y"], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise DataError(f"column 'y' must be numeric: {exc}") from None
    _first_bad(~np.isfinite(y), codes, ids, "column 'y' has missing or infinite values")
    ds = data["ds"]
    _first_bad(ds.isna().to_numpy(), codes, ids, "column 'ds' has missing dates")

    keyed = pd.DataFrame({"c": codes, "ds": ds.array})
    try:
        order = keyed.sort_values(["c", "ds"], kind="stable").index.to_numpy()
    except TypeError as exc:
        raise DataError(f"column 'ds' has values that cannot be ordered: {exc}") from None
    codes_s = codes[order]
    ds_s = ds.iloc[order].reset_index(drop=True)
    dup = keyed.iloc[order].duplicated().to_numpy()
    if dup.any():
        i = np.flatnonzero(dup)[0]
        raise DataError(
            f"duplicate (unique_id, ds) pair: series {ids[codes_s[i]]!r} has more than one "
            f"row for ds={ds_s.iloc[i]!r}; aggregate or drop duplicates first"
        )
    bounds = np.r_[0, np.flatnonzero(np.diff(codes_s)) + 1, len(codes_s)]
    return ids, ds_s, bounds, y[order]


def _first_bad(mask, codes, ids, what):
    if mask.any():
        i = np.flatnonzero(mask)[0]
        n = int(mask.sum())
        raise DataError(f"{what}: {n} row(s), first in series {ids[codes[i]]!r}")


def _long_from_dict(data: Mapping) -> pd.DataFrame:
    if not data:
        raise DataError("data is empty: the dict has no series")
    frames = []
    for uid, s in data.items():
        if isinstance(s, pd.DataFrame) and s.shape[1] == 1:
            s = s.iloc[:, 0]
        if not isinstance(s, pd.Series):
            s = pd.Series(np.asarray(s))
        if len(s) == 0:
            raise DataError(f"series {uid!r} is empty")
        frames.append(s)
    lengths = [len(s) for s in frames]
    keys = pd.Index(list(data.keys()))
    return pd.DataFrame(
        {
            "unique_id": keys.repeat(lengths),
            "ds": _concat_index([s.index for s in frames]),
            "y": np.concatenate([np.asarray(s.to_numpy(), dtype=object) for s in frames]),
        }
    )


def _concat_index(indexes):
    out = indexes[0]
    return out.append(list(indexes[1:])) if len(indexes) > 1 else out


# -- output -------------------------------------------------------------------------------
def _future_ds(ds_sorted: pd.Series, bounds: np.ndarray, h: int):
    """The h dates after each series' last date, as one array (same rule as the models)."""
    last = bounds[1:] - 1
    first = bounds[:-1]
    steps = np.arange(1, h + 1)
    dtype = ds_sorted.dtype
    if isinstance(dtype, pd.PeriodDtype):
        ordinals = ds_sorted.array.asi8
        out = _extend(ordinals, first, last, steps)
        return pd.PeriodIndex.from_ordinals(out.ravel(), freq=dtype.freq)
    if pd.api.types.is_integer_dtype(dtype):
        return _extend(ds_sorted.to_numpy(dtype=np.int64), first, last, steps).ravel()
    # dates or anything else: the models' own rule, one series at a time
    parts = [
        future_index(pd.Index(ds_sorted.iloc[a:b].to_numpy()), h)
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    return _concat_index(parts)


def _extend(values, first, last, steps):
    """For integer-like values: last + step * k, the step being the last difference (or 1)."""
    end = values[last]
    gap = np.where(last > first, end - values[np.maximum(last - 1, first)], 1)
    return end[:, None] + gap[:, None] * steps[None, :]


# -- execution ----------------------------------------------------------------------------
def _forecast_chunk(tasks, model, h, n_paths, levels):
    """Fit and simulate each series of a chunk; returns one (h, 3 + q) array per series."""
    out = []
    for uid, seed, y in tasks:
        try:
            fc = model.clone().fit(y).predict(h, n_paths=n_paths, seed=seed)
        except ForecastError as exc:
            raise type(exc)(f"series {uid!r}: {exc}") from exc
        except Exception as exc:
            exc.add_note(f"while forecasting series {uid!r}")
            raise
        # the same summaries as Forecast.to_frame, kept as numpy (no pandas per series)
        p = fc.paths
        cols = [
            fc._point[:, None],
            p.mean(axis=0)[:, None],
            np.median(p, axis=0)[:, None],
        ]
        if levels:
            cols.append(np.quantile(p, levels, axis=0).T)
        out.append(np.hstack(cols))
    return out


