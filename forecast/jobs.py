"""Jobs: one model fitted on one series up to one origin, and the one runner for them.

``backtest`` makes a job per (series, model, origin); ``predict_many`` a job per series, with
the origin at the series' end. :func:`run_jobs` executes them through
:func:`forecast.parallel.run_chunks` (in process, joblib or dask) and returns one summary per
job, in job order, so the result never depends on the backend or the number of workers.

* **Seed.** A job's random stream is ``numpy.random.default_rng(job_seed(seed, unique_id,
  model, origin))``: the run's root seed and a stable hash of the job's key, never of its
  position, the chunking or the worker. (Python's ``hash`` is salted per process and would
  not do.) The same series, model label, origin and seed give the same paths from ``fit``/
  ``predict``, ``predict_many`` and ``backtest``.
* **Errors.** The package's own errors (:class:`~forecast.errors.ForecastError` and its
  subclasses) are re-raised as one line of the same type naming the series, model and
  origin. Anything else is a bug and keeps its traceback, with a note naming the job.
* **Summaries.** Paths stay on the worker: ``summarise(job, forecast)`` (a module-level
  function, or a ``functools.partial`` of one, so it pickles) turns each forecast into the
  numbers the caller keeps. With ``with_model=True`` it is called as ``summarise(job,
  forecast, model)``, with the fitted model too (recalibration reads the members' points).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.errors import ForecastError
from forecast.models.base import batches
from forecast.parallel import chunk as split
from forecast.parallel import run_chunks
from forecast.progress import Progress


@dataclass(frozen=True, eq=False)
class Job:
    """Fit ``prototype.clone()`` on ``train`` (whose last period is ``origin``) and forecast."""

    unique_id: object
    #: the model's label in the output
    model: str
    #: the last period the model sees
    origin: object
    prototype: object
    train: pd.Series
    x_train: np.ndarray | None = None
    x_future: np.ndarray | None = None
    #: the realised values after the origin, for scoring; never shown to the model
    actual: np.ndarray | None = None

    def describe(self) -> str:
        return f"series {self.unique_id!r}, model {self.model!r}, origin {self.origin}"


def job_seed(seed: int, unique_id, model: str, origin) -> np.random.SeedSequence:
    """Seed of one job: SeedSequence of the root seed and the blake2b hash of its key."""
    key = f"{unique_id}\x1f{model}\x1f{origin}".encode()
    digest = hashlib.blake2b(key, digest_size=16).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.SeedSequence([int(seed), *words])


def run_jobs(jobs: list[Job], summarise, *, h: int, n_paths: int, seed: int, n_jobs=1,
             backend=None, client=None, progress: Progress | None = None,
             error: type[ForecastError] = ForecastError, with_model: bool = False) -> list:
    """``[summarise(job, forecast) for job in jobs]``, computed where ``backend`` says.

    ``h`` and ``n_paths`` must be checked integers and ``seed`` the resolved root seed
    (:func:`forecast.panel.check_count`, :func:`forecast.panel.root_seed`). ``error`` is the
    type of the errors about the backend itself (no dask client, unknown backend).
    """
    progress = progress or Progress(len(jobs), quiet=True)
    with progress:
        return run_chunks(_run_chunk, jobs, args=(summarise, h, n_paths, seed, with_model),
                          n_jobs=n_jobs,
                          backend=backend, client=client, on_done=progress.update,
                          error=error, serial_size=BATCH)


def run_job(job: Job, summarise, h: int, n_paths: int, seed: int, fitted=None,
            with_model: bool = False):
    """Fit one clone (unless ``fitted`` is given), forecast, summarise (runs on workers)."""
    try:
        # X only when there is one: duck-typed models need not take it
        x = {} if job.x_train is None else {"X": job.x_train}
        x_future = {} if job.x_future is None else {"X_future": job.x_future}
        model = fitted if fitted is not None else job.prototype.clone().fit(job.train, **x)
        forecast = model.predict(h, n_paths=n_paths, **x_future,
                                 seed=job_seed(seed, job.unique_id, job.model, job.origin))
    except ForecastError as exc:
        raise type(exc)(f"{job.describe()}: {exc}") from None
    except Exception as exc:
        exc.add_note(f"while forecasting {job.describe()}")
        raise
    return summarise(job, forecast, model) if with_model else summarise(job, forecast)


#: Series fitted together (:meth:`BaseModel.fit_many`): large enough that numpy's overhead per
#: operation is shared, small enough that a batch's arrays stay in cache and memory is flat.
BATCH = 64


def _run_chunk(chunk, summarise, h, n_paths, seed, with_model=False):
    out = []
    for part in split(chunk, -(-len(chunk) // BATCH)):
        fitted, failure = _fit_together(part)
        out.extend(run_job(job, summarise, h, n_paths, seed, fitted=f, with_model=with_model)
                   for job, f in zip(part, fitted, strict=True))
        if failure is not None:
            # the batch failed where every series fits alone: a fault of the batched fit
            raise failure
    return out


def _fit_together(jobs):
    """``(models, failure)``: the jobs' fitted models, those sharing a prototype with a
    batched kernel fitted as one batch (:meth:`BaseModel.fit_many`), ``None`` for the jobs
    left to :func:`run_job` (regressors, models without one, duck-typed models). A batch that
    raises is left to :func:`run_job` too, which reports the failing series by name;
    ``failure`` is that exception, to raise if no series fails alone."""
    fitted = [None] * len(jobs)
    failure = None
    groups = {}
    for k, job in enumerate(jobs):
        if job.x_train is None and batches(job.prototype):
            groups.setdefault(id(job.prototype), []).append(k)
    for ks in groups.values():
        if len(ks) < 2:
            continue
        try:
            models = jobs[ks[0]].prototype.fit_many([jobs[k].train for k in ks])
        except Exception as exc:
            exc.add_note(f"while fitting {len(ks)} series together, from "
                         f"{jobs[ks[0]].describe()}")
            failure = failure or exc
            continue
        for k, m in zip(ks, models, strict=True):
            fitted[k] = m
    return fitted, failure
