"""One way in for series: how ``fit``, ``predict_many`` and ``backtest`` read their input.

Every entry point goes through :func:`prepare` (one series) or :func:`prepare_panel` (many),
so a series gives the same training data, the same warning and the same error wherever it is
passed. The rules:

* **Input.** One series: a pandas Series (its index is the time axis), a one-column
  DataFrame or a 1-D array (positions 0, 1, ... as time). Many series: a long DataFrame with
  columns ``unique_id``, ``ds``, ``y`` (other columns are ignored), a dict
  ``{unique_id: Series}`` or one Series (its id is its name, else ``attrs["name"]``, else
  ``"y"``). Series are returned in sorted ``unique_id`` order (first-appearance order when
  the ids cannot be sorted), so nothing depends on the row order.
* **Values.** Numeric and finite, with no missing dates; anything else is an error naming the
  series and the first offending period.
* **Order.** Sorted, never refused: a series whose index is not increasing is sorted by its
  index (stably), and the rows of a long frame are sorted by ``ds`` within ``unique_id``, as
  statsforecast does. A period that appears twice is an error (aggregate first).
* **Gaps.** A series with a ``PeriodIndex`` that skips periods (2005, 2014, then 2017 onward)
  is cut to its last run of consecutive periods, with a :class:`GapWarning` saying what was
  dropped: treating the earlier points as consecutive would fake a trend. ``predict_many``
  and ``backtest`` apply the rule once per series, in the caller's process (a warning raised
  in a worker process would be lost), and hand the models the cut series, so a model fitted
  by a job never cuts again.
* **Arguments.** :func:`check_count` (``h``, ``n_paths``, ``step``: integers >= 1, so
  ``2.5`` is refused) and :func:`check_seed` (a non-negative integer or None) are the only
  checks of those arguments.

Errors raised on bad data are of the type the entry point passes (``ModelError`` from
``fit``, ``DataError`` from ``predict_many``, ``BacktestError`` from ``backtest``); a series
shorter than a model needs is always a ``ModelError``.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from forecast.errors import ForecastError, ModelError

REQUIRED = ("unique_id", "ds", "y")
#: Largest magnitude a series may hold: paths are simulated on the log scale and back-
#: transformed with exp, which overflows near 1e308.
MAX_VALUE = 1e300


class GapWarning(UserWarning):
    """A period-indexed series had gaps; the model was fitted on its last contiguous stretch."""


class Prepared(NamedTuple):
    """A series ready for a model: finite float values on an increasing, unique index."""

    values: np.ndarray
    index: pd.Index
    #: positions in the input of the kept values, in their new order; None: all, as given
    rows: np.ndarray | None


# -- arguments ----------------------------------------------------------------------------
def check_count(name: str, value, error: type[ForecastError] = ModelError) -> int:
    """``value`` as an int if it is an integer >= 1 (bools and floats such as 2.5 refused)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or int(value) < 1:
        raise error(f"{name} must be an integer >= 1; got {value!r}")
    return int(value)


def check_seed(seed, error: type[ForecastError] = ModelError):
    """A seed for ``numpy.random.default_rng``: None, an integer >= 0, or numpy's own seed
    objects (a SeedSequence, as :func:`forecast.jobs.job_seed` derives, or a Generator)."""
    if seed is None or isinstance(seed, np.random.SeedSequence | np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise error(f"seed must be a non-negative integer or None; got {seed!r}")
    return int(seed)


def root_seed(seed, error: type[ForecastError] = ModelError) -> int:
    """The root of a run's job seeds: ``seed``, or fresh entropy when it is None (results then
    differ between calls, as with numpy)."""
    if isinstance(seed, np.random.SeedSequence | np.random.Generator):
        raise error(f"seed must be a non-negative integer or None; got {seed!r}")
    seed = check_seed(seed, error)
    return int(np.random.SeedSequence().entropy) if seed is None else seed


# -- one series ---------------------------------------------------------------------------
def prepare(y, *, where: str, min_obs: int = 1, model: str | None = None,
            error: type[ForecastError] = ModelError) -> Prepared:
    """Validate, sort and cut one series (see the module docstring for the rules).

    ``where`` starts every message (a model's name, or ``"series 'a'"``); ``model`` names who
    needs ``min_obs`` observations when that is not ``where``.
    """
    raw, index = _unwrap(y, where, error)
    n = len(raw)
    if n == 0:
        raise error(f"{where}: y is empty")
    values = _as_float(raw, where, error)
    if index.hasnans:
        i = int(np.flatnonzero(pd.isna(index))[0])
        raise error(f"{where}: y has missing dates (the index), first at position {i}")
    index = _time_index(index, where, error)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise error(
            f"{where}: y has {bad.size} missing (NaN) or infinite value(s), first at "
            f"{index[bad[0]]}; fill or drop them first"
        )
    big = np.flatnonzero(np.abs(values) > MAX_VALUE)
    if big.size:
        raise error(f"{where}: y has a value beyond ±{MAX_VALUE:g} at {index[big[0]]} "
                    f"({values[big[0]]:g}); forecasts of such magnitudes overflow: rescale "
                    "the series (e.g. to thousands or millions)")
    if index.has_duplicates:
        raise error(f"{where}: y has more than one value for {index[index.duplicated()][0]}; "
                    "each period must appear once (aggregate or drop duplicates first)")
    rows = None
    if not index.is_monotonic_increasing:
        try:
            rows = np.asarray(index.argsort(kind="stable"))
        except TypeError as exc:
            raise error(f"{where}: y's dates cannot be ordered: {exc}") from None
        values, index = values[rows], index[rows]
    index = _daily_periods(index)
    start = _tail_start(index, where, min_obs, model)
    if start:
        rows = (np.arange(n) if rows is None else rows)[start:]
        values, index = values[start:], index[start:]
    if len(values) < min_obs:
        who = f"{model} " if model else ""
        raise ModelError(f"{where}: {who}needs at least {min_obs} observations; "
                         f"got {len(values)}")
    return Prepared(values, index, rows)


def take_rows(X, rows):
    """The rows of ``X`` (array or frame aligned row by row with y) that :func:`prepare` kept."""
    if rows is None or X is None:
        return X
    return X.iloc[rows] if hasattr(X, "iloc") else np.asarray(X)[rows]


def _unwrap(y, where, error):
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise error(f"{where}: y must be a Series or 1-D array, got a DataFrame with "
                        f"{y.shape[1]} columns")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        return y, y.index
    raw = np.asarray(y)
    if raw.ndim != 1:
        raise error(f"{where}: y must be 1-D; got shape {raw.shape}")
    return raw, pd.RangeIndex(len(raw))


def _time_index(index, where, error) -> pd.Index:
    """The index if it can be a time axis: periods, dates or integers (years, steps).

    Anything else (strings such as "2001", floats) is refused rather than renumbered 0, 1, ...:
    a renumbered axis would put forecasts at the wrong dates without a word."""
    if isinstance(index, pd.PeriodIndex | pd.DatetimeIndex):
        return index
    if pd.api.types.is_integer_dtype(index.dtype) and not pd.api.types.is_bool_dtype(
            index.dtype):
        return index
    if pd.api.types.is_float_dtype(index.dtype):
        v = index.to_numpy()
        if np.all(np.isfinite(v)) and np.all(v == np.round(v)):
            # whole numbers stored as floats (a column of years with a blank elsewhere)
            return pd.Index(v.astype(np.int64))
    first = index[0] if len(index) else None
    raise error(
        f"{where}: y's index must be periods, dates or integers (years); got "
        f"{index.dtype} values such as {first!r}; convert it first, e.g. "
        "y.index = pd.PeriodIndex(y.index, freq='Y'), or read the file with "
        "forecast.datasets.read_csv"
    )


def _as_float(raw, where, error) -> np.ndarray:
    try:
        if isinstance(raw, pd.Series):
            return raw.to_numpy(dtype=float, na_value=np.nan)
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        bad = next((v for v in np.asarray(raw, dtype=object) if not _is_number(v)), None)
        raise error(f"{where}: y must be numeric; found {bad!r}") from None


def _is_number(v) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def _daily_periods(index):
    """Whole-day dates with missing days as daily periods, so the gap rule sees the gaps.

    A ``DatetimeIndex`` of midnights one or more days apart with no regular frequency
    (2020-01-01, 02, 03, 07, 08) would otherwise be fitted as if consecutive and forecast at
    positions 5, 6 instead of dates."""
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 3 or index.freq is not None:
        return index
    if pd.infer_freq(index) is not None or (index != index.normalize()).any():
        return index
    steps = np.diff(index.asi8)
    day = pd.Timedelta(days=1).value
    if steps.min() == day and (steps % day == 0).all():
        return index.to_period("D")
    return index


def _tail_start(index, where, min_obs, model) -> int:
    """Position where the last run of consecutive periods starts (0: no gap), warning about
    what is dropped."""
    if not isinstance(index, pd.PeriodIndex) or len(index) < 2:
        return 0
    gaps = np.flatnonzero(np.diff(index.asi8) != index.freq.n)
    if gaps.size == 0:
        return 0
    start = int(gaps[-1]) + 1
    kept = len(index) - start
    if kept < min_obs:
        raise ModelError(
            f"{where}: y has gaps and its last contiguous stretch ({index[start]}–{index[-1]}, "
            f"{kept} points) is shorter than the {min_obs} {model or 'the model'} needs"
        )
    warnings.warn(
        f"{where}: y has gaps (after {', '.join(str(index[g]) for g in gaps)}); fitting on "
        f"the last contiguous stretch {index[start]}–{index[-1]} ({kept} points)",
        GapWarning,
        stacklevel=_caller_level(),
    )
    return start


def _caller_level() -> int:
    """``stacklevel`` of the first frame outside this package, for the caller's frame: the
    warning points at the user's ``fit``, ``predict_many`` or ``backtest`` call, however deep
    inside the package it was raised."""
    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


# -- many series --------------------------------------------------------------------------
def prepare_panel(data, *, error: type[ForecastError], min_obs: int = 1,
                  model: str | None = None) -> dict:
    """``{unique_id: Series}`` from a long frame, a dict of series or one Series, each
    prepared by :func:`prepare` (sorted, validated, cut to its last consecutive periods)."""
    if isinstance(data, pd.DataFrame):
        fast = _prepare_long(data, error=error, min_obs=min_obs, model=model)
        if fast is not None:
            return fast
    parts = _split(data, error)
    out = {}
    for uid, y in parts:
        p = prepare(y, where=f"series {uid!r}", min_obs=min_obs, model=model, error=error)
        out[uid] = pd.Series(p.values, index=p.index, name=uid)
    return out


def _prepare_long(data, *, error, min_obs, model):
    """:func:`prepare_panel` of a long frame in a few whole-frame numpy passes.

    The common case (integer or period ``ds``, numeric ``y``, every value valid) is validated,
    sorted and cut for all series at once, with no pandas object per series until the result.
    Anything this path does not handle, and every input with an error, returns None so that
    the per-series path gives the same result and the same message it always has; the two
    paths agree by construction and a test checks it.
    """
    missing = [c for c in REQUIRED if c not in data.columns]
    if missing or len(data) == 0:
        return None
    ds_col, y_col, uid_col = data["ds"], data["y"], data["unique_id"]
    period = isinstance(ds_col.dtype, pd.PeriodDtype)
    integer = (pd.api.types.is_integer_dtype(ds_col.dtype)
               and not pd.api.types.is_bool_dtype(ds_col.dtype))
    if not (period or integer) or not pd.api.types.is_numeric_dtype(y_col.dtype) \
            or pd.api.types.is_bool_dtype(y_col.dtype) or uid_col.isna().any():
        return None
    y = y_col.to_numpy(dtype=float, na_value=np.nan)
    if not np.all(np.isfinite(y)) or np.any(np.abs(y) > MAX_VALUE):
        return None
    if ds_col.isna().any():
        return None
    if period:
        key = ds_col.array.asi8
        freq = ds_col.dtype.freq
    else:
        key = ds_col.to_numpy(dtype=np.int64)
    codes, ids = _factorize(uid_col)
    order = np.lexsort((key, codes))
    c, k = codes[order], key[order]
    same = c[1:] == c[:-1]
    if np.any(same & (k[1:] == k[:-1])):
        return None  # a period given twice: the per-series path names it
    starts = np.r_[0, np.flatnonzero(~same) + 1]
    ends = np.r_[starts[1:], len(c)]
    if period:
        # start of each series' last run of consecutive periods
        gap = np.flatnonzero(same & (np.diff(k) != freq.n)) + 1
        cut = starts.copy()
        if gap.size:
            owner = np.searchsorted(starts, gap, side="right") - 1
            cut[owner] = gap  # gaps are increasing, so the last one per series wins
    else:
        cut = starts
    if np.any(ends - cut < min_obs):
        return None
    values = y[order]
    if period:
        index_all = pd.PeriodIndex.from_ordinals(k, freq=freq)
    else:
        index_all = pd.Index(ds_col.to_numpy()[order])  # the caller's integer dtype
    out = {}
    for i in np.flatnonzero(cut != starts) if period else ():
        a, g, b = starts[i], cut[i], ends[i]
        full = index_all[a:b]
        breaks = np.flatnonzero(np.diff(full.asi8) != freq.n)
        where = f"series {_py(ids[i])!r}"
        warnings.warn(
            f"{where}: y has gaps (after {', '.join(str(full[j]) for j in breaks)}); fitting "
            f"on the last contiguous stretch {index_all[g]}–{index_all[b - 1]} ({b - g} "
            "points)", GapWarning, stacklevel=_caller_level())
    for i, uid in enumerate(ids):
        uid = _py(uid)
        a, b = cut[i], ends[i]
        out[uid] = pd.Series(values[a:b], index=index_all[a:b], name=uid, copy=False)
    return out


def _split(data, error) -> list[tuple]:
    """``[(unique_id, raw series)]`` in sorted id order, before any validation of values."""
    if isinstance(data, pd.Series):
        uid = data.name if data.name is not None else data.attrs.get("name", "y")
        return [(uid, data)]
    if isinstance(data, Mapping):
        if not data:
            raise error("data is empty: the dict has no series")
        try:
            ids = sorted(data)
        except TypeError:  # ids of mixed types cannot be sorted
            ids = list(data)
        return [(uid, data[uid]) for uid in ids]
    if not isinstance(data, pd.DataFrame):
        raise error(
            f"data must be a long DataFrame (unique_id, ds, y), a dict of Series or a Series; "
            f"got {type(data).__name__}"
        )
    missing = [c for c in REQUIRED if c not in data.columns]
    if missing:
        raise error(
            f"data is missing column(s) {missing}; expected unique_id, ds, y "
            f"(has {', '.join(map(str, data.columns))})"
        )
    if len(data) == 0:
        raise error("data is empty: no rows to forecast")
    uid = data["unique_id"]
    if uid.isna().any():
        row = data.index[int(np.flatnonzero(uid.isna().to_numpy())[0])]
        raise error(f"column 'unique_id' has missing values (first at row {row!r})")
    codes, ids = _factorize(uid)
    # group rows by id, keeping their order inside each group; prepare sorts by ds
    order = np.argsort(codes, kind="stable")
    bounds = np.r_[0, np.flatnonzero(np.diff(codes[order])) + 1, len(order)]
    ds = data["ds"].array
    y = data["y"].to_numpy()
    return [
        (_py(ids[codes[order[a]]]),
         pd.Series(y[order[a:b]], index=pd.Index(ds[order[a:b]]), copy=False))
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]


def _factorize(uid: pd.Series):
    try:
        return pd.factorize(uid, sort=True)
    except TypeError:  # ids of mixed types cannot be sorted
        return pd.factorize(uid, sort=False)


def _py(value):
    return value.item() if isinstance(value, np.generic) else value
