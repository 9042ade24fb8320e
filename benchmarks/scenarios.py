"""Benchmark of forecast.scenarios: projection and calibration speed, plus headline figures.

    python benchmarks/scenarios.py [--paths 10000] [--seed 0]

Prints the figures and writes reports/benchmarks/scenarios.md (and the comparison chart as PNG).
The out-of-sample scores are benchmarks/scenario_backtest.py's.
Targets from the issue: 10,000 paths x 4 scenarios x the 104-day window in under 1 s;
calibration in under 60 s. Not a test: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import time
from pathlib import Path

import numpy as np

import forecast.scenarios as sc
from forecast.atomicwrite import write_atomic, write_figure

# the package exports the function `calibrate`; the module holds the per-process cache
calmod = importlib.import_module("forecast.scenarios.calibrate")
popmod = importlib.import_module("forecast.scenarios.population")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "reports" / "benchmarks"


def _best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times)), result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    spec = sc.load(sc.DEFAULT_SCENARIO)
    calmod._CACHE.clear()
    t0 = time.perf_counter()
    population = sc.learn(popmod.default_files(spec), seed=args.seed, store=False)
    t_pop = time.perf_counter() - t0
    popmod._CACHE.clear()
    t0 = time.perf_counter()
    stored = sc.learn(popmod.default_files(spec), seed=args.seed)
    t_store = time.perf_counter() - t0
    same = all(np.array_equal(stored.estimates[k][i], population.estimates[k][i])
               for k in popmod.SHARED for i in (0, 1))
    t0 = time.perf_counter()
    posterior = sc.calibrate(spec, seed=args.seed, population=population)
    t_cal = time.perf_counter() - t0

    def run():
        return sc.project(spec, n_paths=args.paths, seed=args.seed, posterior=posterior)

    run()  # warm-up (imports, caches)
    best, median, proj = _best(run, args.repeat)
    t0 = time.perf_counter()
    attribution = proj.attribution()
    t_attr = time.perf_counter() - t0

    lines = ["# forecast.scenarios benchmark", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
             f"{platform.python_version()}, numpy {np.__version__}", "",
             "| task | seconds | target |", "|---|---:|---:|",
             f"| projection: {args.paths:,} paths x {len(spec.scenarios)} scenarios x "
             f"{len(proj.dates)} days (best / median of {args.repeat}) | {best:.3f} / "
             f"{median:.3f} | < 1 |",
             f"| population: calibrate {len(population.episodes)} earlier episodes "
             f"({', '.join(population.episodes)}) and pool them | {t_pop:.1f} | |",
             f"| population read from the shipped store (population_store.json; "
             f"{'identical to' if same else 'DIFFERS from'} the fresh one) | {t_store:.2f} | |",
             f"| calibration of the default file (2025 counts) | {t_cal:.1f} | < 60 |",
             f"| attribution: every assumption of every scenario switched off | {t_attr:.1f} | |",
             "", "## Population of episodes (posterior medians and 90% intervals)", "",
             _table(population.table().astype(object).fillna(""),
                    ["parameter", "episode", "median", "q05", "q95"]), "",
             f"## Calibration of the default file to {posterior.as_of}", "",
             f"{posterior.method}; pair ESS {posterior.ess:.0f}; "
             f"diagnostics {posterior.diagnostics}.", "",
             _table(posterior.summary(), ["parameter", "q5", "median", "q95"]), "",
             "## Headline figures (default file)", "",
             _table(proj.at(["2025-12-01", "2025-12-14", "2026-01-07", "2026-01-28",
                             str(spec.end)]),
                    ["scenario", "date", "q10", "q50", "q90", "p_over_500", "p_over_1000"]), "",
             _table(proj.peaks(), ["scenario", "peak_q10", "peak_q50", "peak_q90",
                                   "peak_date_q50", "peak_date_mode"]), "",
             _table(proj.needs(), ["scenario", "person_days_median", "person_days_q90",
                                   "water_litres_window_q90", "water_litres_peak_day_q90",
                                   "shelter_m2_q90"]), "",
             "## What each assumption adds (attribution, same random numbers)", "",
             _table(attribution, ["scenario", "assumption", "peak_median",
                                  "peak_median_effect", "end_median_effect",
                                  "p_peak_over_500_effect"]), ""]
    text = "\n".join(lines)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    write_atomic(OUT / "scenarios.md", text)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for name, draw in (("scenarios_comparison.png", lambda ax: proj.comparison_chart(ax=ax)),):
        fig, ax = plt.subplots(figsize=(8, 4.5))
        draw(ax)
        fig.tight_layout()
        write_figure(fig, OUT / name, dpi=110)
        plt.close(fig)


def _table(frame, cols):
    frame = frame[cols]
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        out.append("| " + " | ".join(_fmt(v) for v in row) + " |")
    return "\n".join(out)


def _fmt(v):
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, (float, np.floating)):
        if abs(v) >= 100 or v == int(v):
            return f"{v:,.0f}"
        return f"{v:.4g}"
    return str(v)


if __name__ == "__main__":
    main()
