"""Evidence for a scenario report: how well the models forecast the bundled series, and how
the stranding engine did on an earlier episode replayed out of sample.

    from forecast.scenarios.evidence import backtest_evidence, replay_evidence
    backtests = backtest_evidence(seed=0)                 # [BacktestEvidence], one per run
    replay = replay_evidence(spec.report.replay, seed=0)  # ReplayEvidence
    fc.reports.scenario_report(proj, out=..., backtests=backtests, replay=replay)

The backtests are those of ``nox -s backtest`` (:func:`forecast.backtest.reproduce.run`); the
replay is calibrated with the behaviour learned on the other bundled episodes only and scored
by :func:`forecast.scenarios.evaluate` against the persistence and decay baselines.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from forecast.scenarios.projection import Projection


@dataclass(frozen=True)
class BacktestEvidence:
    """Scores by model of one reproducible backtest run."""

    key: str               # the run: the dataset, with "_realtime" for real-time vintages
    dataset: str
    vintage: str           # "latest" or "real-time"
    scores: pd.DataFrame   # one row per model (Backtest.scores(by="model"))
    first_origin: str
    last_origin: str
    n_origins: int
    h: int
    n_paths: int
    seed: int


@dataclass(frozen=True)
class ReplayEvidence:
    """An earlier episode projected from its as-of date, and its later counts scored."""

    projection: Projection   # the replay (its first scenario is the status quo of the day)
    scores: pd.DataFrame     # forecast.scenarios.evaluate rows at the replay's as-of date
    seed: int


def backtest_evidence(*, seed: int = 0, n_paths: int = 500, series=None, models=None,
                      h: int | None = None) -> list:
    """``[BacktestEvidence]`` of the reproducible backtests (every bundled annual series, with
    a real-time run where the series was revised); arguments as in
    :func:`forecast.backtest.reproduce.run`."""
    from forecast.backtest.reproduce import H, common_origins, run

    h = H if h is None else int(h)
    runs, _ = run(series=series, models=models, h=h, n_paths=n_paths, seed=seed)
    out = []
    for key, bt in runs.items():
        # models needing more values have fewer origins; one table compares them on the
        # origins they share (the "common" tables of reports/backtests/summary.md)
        bt = common_origins(bt)
        origins = bt.table["origin"].astype(str)
        realtime = key.endswith("_realtime")
        out.append(BacktestEvidence(
            key=key, dataset=key.removesuffix("_realtime") if realtime else key,
            vintage="real-time" if realtime else "latest", scores=bt.scores(by="model"),
            first_origin=origins.min(), last_origin=origins.max(),
            n_origins=int(origins.nunique()), h=h, n_paths=int(n_paths), seed=int(seed)))
    return out


def replay_evidence(path, *, seed: int = 0, n_paths: int = 2000,
                    score_paths: int = 1000) -> ReplayEvidence:
    """Replay the episode file ``path`` leave-one-episode-out and score it at its as-of date.

    The shared behaviour is learned on every other bundled episode; ``n_paths`` sizes the
    replay's projection, ``score_paths`` the scoring (:func:`forecast.scenarios.evaluate`).
    """
    from forecast.scenarios.evaluate import evaluate
    from forecast.scenarios.population import episode_files, learn
    from forecast.scenarios.projection import replay
    from forecast.scenarios.spec import load

    spec = load(path)
    others = [p for p in episode_files() if load(p).history.episode != spec.history.episode]
    rp = replay(path, n_paths=n_paths, seed=seed, population=learn(others, seed=seed))
    scores = evaluate(path, as_of=spec.as_of, n_paths=score_paths, seed=seed)
    return ReplayEvidence(projection=rp, scores=scores, seed=int(seed))
