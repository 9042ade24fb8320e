"""Running a function over chunks of work: in process, with joblib, or on dask.distributed.

Every job runner (:func:`forecast.jobs.run_jobs`, behind ``predict_many`` and ``backtest``)
fans work out through :func:`run_chunks`, so there is one chunking rule, one serial path and
one way of finding a dask cluster. Results come back in input order, so the output never
depends on the number of workers or the backend.
"""

from __future__ import annotations

import numpy as np

from forecast.errors import ForecastError

JOBLIB_BACKENDS = ("loky", "threading", "multiprocessing")
#: chunks per worker: enough to balance uneven series, few enough to keep overhead low
CHUNKS_PER_WORKER = 4


def chunk(items: list, n_chunks: int) -> list[list]:
    """Split ``items`` into at most ``n_chunks`` contiguous, nearly equal, non-empty parts."""
    n_chunks = max(1, min(int(n_chunks), len(items)))
    edges = np.linspace(0, len(items), n_chunks + 1).round().astype(int)
    return [items[a:b] for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def is_dask(backend, client=None) -> bool:
    return client is not None or backend == "dask" or hasattr(backend, "submit")


def run_chunks(func, items: list, *, args=(), n_jobs=1, backend=None, client=None,
               on_done=None, error: type[ForecastError] = ForecastError,
               serial_size: int = 1) -> list:
    """``func(chunk, *args)`` returns one result per item of ``chunk``; returns them all in
    the order of ``items``.

    ``backend``: ``None`` (joblib's default, loky) or a joblib backend name with ``n_jobs``
    workers; ``"dask"`` or a ``distributed.Client`` (also given as ``client=``) runs on that
    cluster, or on the current default client. ``on_done(k)`` is called as ``k`` more items
    finish (progress bars). ``error`` is the type raised for a bad backend or a missing dask
    client, so each entry point reports them with its own error type. In process (one
    worker), ``func`` gets ``serial_size`` items at a time.
    """
    on_done = on_done or (lambda k: None)
    if is_dask(backend, client):
        return _run_dask(func, items, args, client if client is not None else backend,
                         on_done, error)
    if backend not in (None, *JOBLIB_BACKENDS):
        raise error(f"backend must be None, 'dask', a distributed.Client or one of "
                            f"{', '.join(JOBLIB_BACKENDS)}; got {backend!r}")
    from joblib import Parallel, delayed, effective_n_jobs

    if n_jobs is not None and (isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer)
                               or int(n_jobs) == 0):
        raise error(f"n_jobs must be a non-zero integer (1, 2, ... workers, or -1 for all "
                    f"cores, -2 for all but one); got {n_jobs!r}")
    workers = effective_n_jobs(n_jobs)
    if workers == 1 and backend is None:
        out = []
        # small chunks keep progress moving
        for part in chunk(items, -(-len(items) // max(int(serial_size), 1))):
            out.extend(func(part, *args))
            on_done(len(part))
        return out
    out = []
    parallel = Parallel(n_jobs=n_jobs, backend=backend, return_as="generator")
    for part in parallel(delayed(func)(c, *args)
                         for c in chunk(items, CHUNKS_PER_WORKER * workers)):
        out.extend(part)
        on_done(len(part))
    return out


def _run_dask(func, items, args, client, on_done, error):
    try:
        from distributed import as_completed, default_client
    except ImportError:  # pragma: no cover - optional dependency
        raise error("backend='dask' needs dask.distributed: "
                            "pip install 'forecast[dask]'") from None
    if client is None or client == "dask":
        try:
            client = default_client()
        except ValueError:
            raise error(
                "backend='dask' found no dask.distributed Client: start one first, e.g. "
                "`from distributed import Client; client = Client()`, or pass client=..."
            ) from None
    threads = sum(client.nthreads().values()) or 1
    chunks = chunk(items, CHUNKS_PER_WORKER * threads)
    futures = [client.submit(func, c, *args, pure=False) for c in chunks]
    sizes = {f.key: len(c) for f, c in zip(futures, chunks, strict=True)}
    for done in as_completed(futures):
        on_done(sizes[done.key])
    return [r for part in client.gather(futures) for r in part]
