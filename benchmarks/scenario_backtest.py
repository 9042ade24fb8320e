"""Out-of-sample backtest of the stranding engine against persistence and decay baselines.

    python benchmarks/scenario_backtest.py [--paths 2000] [--seed 0]

Every bundled episode is scored leave-one-episode-out at every as-of date (see
forecast.scenarios.evaluate). Writes reports/benchmarks/scenario_backtest.csv (every score),
scenario_backtest.md (summaries, timings) and scenario_backtest.png (the 80% bands of each
method against the counts at each as-of date). The CSV, the Markdown tables of scores and the
PNG are the same bytes on every run with the same seed; the timing lines are not scores.
"""

from __future__ import annotations

import argparse
import platform
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

import forecast.scenarios as sc
from forecast.atomicwrite import write_atomic, write_figure

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "reports" / "benchmarks"
COLOURS = {"persistence": "C1", "decay": "C2", "engine": "C0"}


def _table(frame: pd.DataFrame) -> str:
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---:" if frame[c].dtype.kind in
                                                             "fi" else "---" for c in cols) + "|"]
    for row in frame.itertuples(index=False):
        cells = []
        for v in row:
            if isinstance(v, float):
                cells.append(f"{v:.3f}")
            else:
                cells.append(str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def chart(scores: pd.DataFrame, path: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    episodes = list(dict.fromkeys(scores["episode"]))
    fig, axes = plt.subplots(len(episodes), 1, figsize=(9, 3.6 * len(episodes)), squeeze=False)
    for ax, code in zip(axes[:, 0], episodes, strict=True):
        part = scores[scores["episode"] == code]
        as_ofs = sorted(part["as_of"].unique())
        methods = [m for m in dict.fromkeys(part["method"]) if m != "stack"]  # no quantiles
        # bands of one report sit side by side: methods apart, as-of dates within a method
        span = (part["date"].max() - min(as_ofs)) / pd.Timedelta(hours=1)
        unit = max(span / 120.0, 3.0)
        for i, day in enumerate(as_ofs):
            for j, method in enumerate(methods):
                rows = part[(part["as_of"] == day) & (part["method"] == method)]
                shift = pd.Timedelta(hours=unit * (j - 1) + unit * 0.8 * i / len(as_ofs))
                ax.vlines(rows["date"] + shift, rows["q10"], rows["q90"],
                          color=COLOURS.get(method, "0.5"), lw=1.2, alpha=0.7,
                          label=f"{method} 80% band" if i == 0 else None)
        obs = part[part["method"] == methods[0]].drop_duplicates(["date", "low", "high"])
        top = np.where(np.isinf(obs["high"]), obs["low"] * 1.5, obs["high"])
        ax.vlines(obs["date"], obs["low"], top, color="black", lw=3, label="reported range")
        # a single figure (low = high, 0 included) is a range of no height: mark it
        point = obs["low"] == top
        ax.scatter(obs["date"][point], obs["low"][point], marker="_", s=120, lw=2.5,
                   color="black", zorder=3)
        for day in as_ofs:
            ax.axvline(day, color="0.7", lw=0.6, ls=":")
        ax.set_yscale("symlog", linthresh=10)
        finite = obs["high"][np.isfinite(obs["high"])]
        ax.set_ylim(0, 10 * max(float(finite.max()) if len(finite) else 10.0, 10.0))
        ax.set_title(f"episode {code}: 80% bands from each as-of date (dotted) vs reported "
                     f"counts (axis cut at 10x the largest count)", fontsize="medium")
        ax.set_ylabel("people (symlog)")
        locator = mdates.AutoDateLocator(maxticks=12)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    write_figure(fig, path, metadata={"Software": None}, dpi=110)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    scores = sc.evaluate(n_paths=args.paths, seed=args.seed)
    # the report's evidence section reads these scores from the package
    from forecast.scenarios.evidence import write_evaluation_store

    write_evaluation_store(scores, seed=args.seed, n_paths=args.paths)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    OUT.mkdir(parents=True, exist_ok=True)
    rounded = scores.copy()
    for col in rounded.select_dtypes("float").columns:
        rounded[col] = rounded[col].round(6)
    write_atomic(OUT / "scenario_backtest.csv", rounded.to_csv(index=False, lineterminator="\n"))
    by_episode = sc.evaluation_summary(scores, by=("episode", "method"))
    pooled = sc.evaluation_summary(scores)
    chart(rounded, OUT / "scenario_backtest.png")   # the figures of the CSV, to the byte
    wins = []
    for code, part in by_episode.groupby("episode", sort=False):
        s = part.set_index("method")["log_score"]
        best = max(s.get("persistence", -np.inf), s.get("decay", -np.inf))
        wins.append(f"- {code}: engine {s['engine']:.3f} vs best baseline {best:.3f}: "
                    f"{'engine at least as good' if s['engine'] >= best else 'engine LOSES'}")
    md = [
        "# Stranding engine: out-of-sample backtest",
        "",
        "`nox -s scenario_backtest` (`benchmarks/scenario_backtest.py`). Every bundled episode",
        "is scored leave-one-episode-out: the engine's shared behaviour (population prior) and",
        "the baselines' constants are learned on the other episodes only; at each as-of date",
        "(every count date from the second on) each method forecasts every later count of the",
        "episode. Log score: interval-censored log-probability of the reported range under the",
        "predictive distribution of the reported count (higher is better, floor -23). Bands:",
        "share of later counts inside the central band by randomized PIT (nominal 50/80/90%).",
        "Interval score: 80% band on the log1p scale (lower is better). See",
        "`forecast/scenarios/evaluate.py` for the protocol.",
        "",
        f"Seed {args.seed}, {args.paths} paths per forecast.",
        "",
        "## By episode",
        "",
        _table(by_episode),
        "",
        "## Pooled over episodes",
        "",
        _table(pooled),
        "",
        "## Engine against the best baseline (mean log score, per episode)",
        "",
        *wins,
        "",
        "## Cost",
        "",
        f"Full evaluation: {seconds:.0f} s, peak memory {peak:.0f} MiB "
        f"({platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores). "
        "Timing varies between runs; everything above it does not.",
        "",
    ]
    write_atomic(OUT / "scenario_backtest.md", "\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
