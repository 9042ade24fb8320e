"""Recalibrate ``Auto``'s intervals on a panel's own history (rolling origins inside the data).

The shipped calibration (:mod:`forecast.models.calibration`) is learned on three collections
of yearly series and is right for none of them in particular: held out, it covers 80%
intervals 72-86% of the time depending on the collection. A panel of your own says how hard
it is to forecast: :func:`recalibrate` refits the model's raw (uncalibrated) combination at
the last ``origins`` periods of every series, scores each forecast on the values that
followed inside the data, and moves the calibration's step intercepts toward those errors
(:func:`forecast.models.calibration.adapt`, shrunk by the learned ``adapt_strength``). The
result is an ``Auto`` with a fixed :class:`~forecast.models.calibration.Calibration`, so
``fit``/``predict``, ``predict_many`` and ``backtest`` give the same forecast for the same
series and seed, whatever else was in the panel.

* **Origins.** Series ``y`` of ``n`` points is cut at ``n - j`` for ``j = 1..origins``
  (default ``h``), and the forecast from ``n - j`` is scored at steps ``1..min(j, h)``: every
  score uses values the series already has. A cut shorter than the shortest series the
  pooled calibration was learned on (``exp(ln_range[0])`` points) is skipped: the calibration
  has nothing to say about such series and they would not inform it. So is a step whose raw
  paths have (almost) no spread (at most 1e-9 of the cut's largest absolute value: a flat
  stretch), as :func:`~forecast.models.calibration.apply` leaves such steps alone.
* **Features.** ``point`` and ``sd`` are read from the forecast's paths, as the rows the
  shipped calibration was learned on were (``benchmarks/yearly_loco.py``): for a non-negative
  series whose paths reach zero that is after the clip at zero, while ``apply`` calibrates
  the paths before it. Both sides of the shift use the same convention.
* **Seeds.** The job of series ``uid`` cut at period ``t`` draws from ``job_seed(seed, uid,
  label, t)``, as every job (:mod:`forecast.jobs`): the result does not depend on the order
  of the series, ``n_jobs`` or the backend.
* **Leakage.** The calibration sees the whole panel. To backtest a recalibrated model
  honestly, recalibrate on the data before the first backtest origin.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from forecast.errors import DataError, ModelError
from forecast.jobs import Job, run_jobs
from forecast.models import calibration as C
from forecast.models.auto import Auto
from forecast.panel import check_count, prepare_panel, root_seed
from forecast.progress import Progress

COLUMNS = ("unique_id", "origin", "step", "n", "point", "sd", "ldis", "actual", "lz")


def _auto(model):
    if not isinstance(model, Auto):
        raise ModelError(f"recalibrate: needs an Auto model (its calibration is what moves); "
                         f"got {model!r}")
    base = model.clone()._calibration()
    if base is None:
        raise ModelError("recalibrate: Auto(calibration=None) has no calibration to move; use "
                         "calibration='default' or a Calibration")
    return base


def rolling_errors(model, data, h: int, *, origins: int | None = None, n_paths: int = 1000,
                   seed: int | None = 0, n_jobs: int = 1, backend: str | None = None,
                   client=None, quiet: bool = False) -> pd.DataFrame:
    """Held-out errors of ``model``'s raw combination at rolling origins inside ``data``.

    One row per series, origin and step: ``unique_id, origin`` (the last period the model
    saw), ``step, n`` (points it saw), ``point, sd, ldis`` (the calibration's features, see
    :mod:`forecast.models.calibration`), ``actual`` and ``lz = log(|actual - point| / sd)``.
    """
    base = _auto(model)
    h = check_count("horizon h", h, DataError)
    n_paths = check_count("n_paths", n_paths, DataError)
    origins = h if origins is None else check_count("origins", origins, DataError)
    seed = root_seed(seed, DataError)
    raw = model.clone().set_params(calibration=None)
    shortest = max(int(raw.min_obs), int(round(np.exp(base.ln_range[0]))))
    series = prepare_panel(data, error=DataError, min_obs=raw.min_obs, model=raw.name)
    jobs = []
    for uid, y in series.items():
        for j in range(1, origins + 1):
            t = len(y) - j
            if t < shortest:
                break
            jobs.append(Job(uid, raw.name, y.index[t - 1], raw, y.iloc[:t],
                            actual=y.to_numpy(dtype=float)[t:t + min(j, h)]))
    if not jobs:
        raise DataError(f"recalibrate: no series is long enough for a rolling origin (a cut "
                        f"must keep at least {shortest} points and leave one to score)")
    parts = run_jobs(jobs, partial(_errors, h=h), h=h, n_paths=n_paths, seed=seed,
                     n_jobs=n_jobs, backend=backend, client=client, error=DataError,
                     progress=Progress(len(jobs), quiet=quiet, label="recalibrate"),
                     with_model=True)
    values = np.concatenate(parts, axis=0)
    sizes = [len(p) for p in parts]
    frame = pd.DataFrame(values, columns=[*COLUMNS[2:-1], "flat"])
    frame.insert(0, "origin", pd.Index([job.origin for job in jobs]).repeat(sizes))
    frame.insert(0, "unique_id", pd.Index([job.unique_id for job in jobs]).repeat(sizes))
    frame["step"] = frame["step"].astype(int)
    frame["n"] = frame["n"].astype(int)
    frame["lz"] = C.log_abs_z(frame["actual"], frame["point"], frame["sd"])
    frame = frame[frame["sd"] > frame.pop("flat")].reset_index(drop=True)
    if frame.empty:
        raise DataError("recalibrate: every rolling origin of the panel is flat (the raw paths "
                        "have no spread), so there is nothing to calibrate on")
    return frame


def features(model, forecast):
    """``(point, sd, ldis)`` of a raw ``Auto``'s forecast: the calibration's features as its
    learning rows have them (``benchmarks/yearly_loco.py`` computes them with this too)."""
    h = forecast.paths.shape[1]
    point = forecast._point
    sd = C.path_scale(point, forecast.paths)
    members = np.vstack([m._predict_arrays(h, 1, 0)[0] for m in model.members_])
    return point, sd, C.log_disagreement(members, model.y_, sd)


def _errors(job, forecast, model, h):
    """(steps scored, 7): step, n, point, sd, ldis, actual of one origin and the spread at or
    below which a step counts as flat (runs on workers)."""
    k = len(job.actual)
    point, sd, ldis = features(model, forecast)
    steps = np.arange(1, k + 1)
    flat = 1e-9 * float(np.max(np.abs(job.train.to_numpy(dtype=float))))
    return np.column_stack([steps, np.full(k, len(job.train)), point[:k], sd[:k], ldis[:k],
                            job.actual, np.full(k, flat)])


def recalibrate(model, data, h: int, *, origins: int | None = None,
                strength: float | None = None, n_paths: int = 1000, seed: int | None = 0,
                n_jobs: int = 1, backend: str | None = None, client=None,
                quiet: bool = False):
    """A clone of ``model`` (an :class:`~forecast.models.Auto`) whose calibration has moved
    toward ``data``'s own held-out errors (see the module docstring).

    ``strength`` defaults to the calibration's learned ``adapt_strength``; the new
    calibration's ``source`` records the rows per step, the shifts and the pooled source.
    """
    base = _auto(model)
    strength = C.resolve_strength(base, strength)  # before any fitting
    rows = rolling_errors(model, data, h, origins=origins, n_paths=n_paths, seed=seed,
                          n_jobs=n_jobs, backend=backend, client=client, quiet=quiet)
    cal = C.adapt(base, rows["step"], rows["ldis"], rows["n"], rows["lz"], strength=strength,
                  source={"series": int(rows["unique_id"].nunique()), "rows": len(rows),
                          "h": int(h), "origins": int(origins or h)})
    return model.clone().set_params(calibration=cal)
