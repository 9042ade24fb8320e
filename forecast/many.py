"""Forecast many series with one model: ids, dates and parallelism around the numeric models.

As in statsforecast's ``core.py``, this module owns the orchestration and no model maths.
``predict_many`` is the job runner of :mod:`forecast.jobs` with one job per series and the
origin at the series' end:

* **Input, order, gaps, validation:** :func:`forecast.panel.prepare_panel`, the rules that
  ``fit`` and ``backtest`` follow too. A long frame ``unique_id``, ``ds``, ``y`` (rows in
  any order: sorted by ``ds`` within ``unique_id``), a dict ``{unique_id: Series}`` or one
  Series; series reported in sorted ``unique_id`` order. A period-indexed series with gaps is
  forecast from its last run of consecutive periods, with a ``GapWarning``. Bad data raises
  :class:`~forecast.errors.DataError` naming the series; a series too short for the model a
  :class:`~forecast.errors.ModelError`.
* **Seeding:** series ``uid`` is simulated with ``default_rng(job_seed(seed, uid,
  model.name, last ds))`` (:func:`forecast.jobs.job_seed`), which depends only on the seed
  and the job's key, never on the order of the series, the number of jobs, the chunking or
  the worker; so the result is identical for every ``n_jobs`` and backend, and equals
  ``model.fit(y).predict(h, n_paths=..., seed=job_seed(...))`` and the matching rows of
  ``backtest``.
* **Errors:** as every job (see :mod:`forecast.jobs`): the package's own errors become one
  line naming series, model and origin; any other exception keeps its traceback, with a note.
* **Parallelism:** :func:`forecast.parallel.run_chunks`. ``backend=None`` uses joblib's
  default (loky processes) with ``n_jobs`` workers; any other joblib backend name
  (``"threading"``, ``"multiprocessing"``, ``"loky"``) is passed through. ``backend="dask"``
  submits the chunks to a ``dask.distributed`` cluster: the ``client=`` given, else the
  current default client; with neither, it raises an error telling you to start a Client.
  Passing ``client=`` alone implies ``backend="dask"``.
* **Exogenous regressors** are not supported here; fit such models one series at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd

from forecast.errors import DataError, ModelError
from forecast.jobs import Job, run_jobs
from forecast.models.base import future_index
from forecast.models.distribution import DEFAULT_QUANTILES, _check_levels, quantile_column
from forecast.panel import check_count, prepare_panel, root_seed
from forecast.progress import Progress


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
    quiet: bool = False,
) -> pd.DataFrame:
    """Fit a clone of ``model`` to every series and summarise its sample paths.

    Parameters
    ----------
    model : BaseModel
        Unfitted template; each series gets ``model.clone()``.
    data : DataFrame, dict or Series
        Long frame (``unique_id``, ``ds``, ``y``), ``{unique_id: Series indexed by ds}`` or
        one Series (see :mod:`forecast.panel`).
    h : int
        Horizon (periods after each series' last date).
    n_paths : int
        Sample paths per series.
    seed : int or None
        Root seed; each series derives its own with :func:`forecast.jobs.job_seed` from
        ``(seed, unique_id, model.name, last ds)``. ``None`` draws a fresh root seed
        (results then differ between calls).
    quantiles : sequence of float
        Quantile levels, written as columns ``q2.5``, ``q10``, ...
    n_jobs : int
        joblib workers (``-1``: all cores). Ignored by the dask backend.
    backend : None, "loky", "threading", "multiprocessing" or "dask"
        Where the chunks run; see the module docstring.
    client : distributed.Client, optional
        The dask client to use (implies ``backend="dask"``).
    quiet : bool
        No progress bar (it is also off when stderr is not a terminal).

    Returns
    -------
    DataFrame
        One row per series and step: ``unique_id, ds, model, step, point, mean, median`` and
        the quantile columns, i.e. ``unique_id`` followed by the columns of
        :meth:`Forecast.to_frame`.
    """
    h = check_count("horizon h", h)
    n_paths = check_count("n_paths", n_paths)
    levels = [float(q) for q in quantiles]
    _check_levels(levels)
    seed = root_seed(seed)
    if not hasattr(model, "clone"):
        raise ModelError(f"model must be a forecast model with fit/predict/clone; got {model!r}")
    template = model.clone()
    series = prepare_panel(data, error=DataError, min_obs=template.min_obs,
                           model=template.name)
    jobs = [Job(uid, template.name, y.index[-1], template, y) for uid, y in series.items()]
    summaries = run_jobs(jobs, partial(_summary, levels=levels), h=h, n_paths=n_paths,
                         seed=seed, n_jobs=n_jobs, backend=backend, client=client,
                         progress=Progress(len(jobs), quiet=quiet, label="predict_many"))

    columns = ["point", "mean", "median", *(quantile_column(q) for q in levels)]
    frame = pd.DataFrame(np.concatenate(summaries, axis=0), columns=columns)
    frame.insert(0, "step", np.tile(np.arange(1, h + 1), len(jobs)))
    frame.insert(0, "model", template.name)
    frame.insert(0, "ds", _concat([future_index(y.index, h) for y in series.values()]))
    frame.insert(0, "unique_id", pd.Index(list(series)).repeat(h))
    return frame


def _concat(indexes):
    return indexes[0].append(list(indexes[1:])) if len(indexes) > 1 else indexes[0]


def _summary(job, fc, levels):
    """The summaries of Forecast.to_frame as one (h, 3 + len(levels)) array (no pandas)."""
    p = fc.paths
    pt = np.ascontiguousarray(p.T)  # steps as rows: the same numbers, faster selections
    cols = [fc._point[:, None], p.mean(axis=0)[:, None], np.median(pt, axis=1)[:, None]]
    if levels:
        cols.append(np.quantile(pt, levels, axis=1).T)
    return np.hstack(cols)
