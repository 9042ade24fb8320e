"""Evidence for a scenario report: how well the models forecast the bundled series, and how
the stranding engine did on an earlier episode replayed out of sample.

    from forecast.scenarios.evidence import backtest_evidence, replay_evidence
    backtests = backtest_evidence(seed=0)                 # [BacktestEvidence], one per run
    replay = replay_evidence(spec.report.replay, seed=0)  # ReplayEvidence
    fc.reports.scenario_report(proj, out=..., backtests=backtests, replay=replay)

The backtests are those of ``nox -s backtest`` (:func:`forecast.backtest.reproduce.run`); the
replay is calibrated with the behaviour learned on the other bundled episodes only and scored
by :func:`forecast.scenarios.evaluate` against the persistence and decay baselines.

:func:`episode_evaluation` gives the scores of every bundled episode, leave-one-episode-out,
as ``nox -s scenario_backtest`` computed them (minutes of work, so they ship in
:data:`EVALUATION_STORE`); they are returned only while their key, a hash of every bundled
episode's calibration key (:func:`forecast.scenarios.population.episode_key`), the engine's
code, the evaluation's code, the seed and the paths, matches the code and data at hand, and
``None`` otherwise: a report never shows scores of another engine.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from forecast.atomicwrite import write_atomic
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


# -- leave-one-episode-out scores of every bundled episode -------------------------------------
#: Per-report scores of ``nox -s scenario_backtest`` (see the module docstring).
EVALUATION_STORE = Path(__file__).with_name("evaluation_store.json")
#: Modules whose source the scores depend on besides the engine's (population.ENGINE_MODULES).
EVALUATION_MODULES = ("forecast.scenarios.evaluate", "forecast.scenarios.projection",
                      "forecast.metrics")
_STORED_COLUMNS = ("episode", "method", "log_score", "in50", "in80", "in90")


def evaluation_key(seed: int = 0, n_paths: int = 2000) -> str:
    """Hash of what the bundled evaluation depends on (see the module docstring)."""
    from forecast.scenarios.population import (
        DEFAULT_SIZES,
        engine_hash,
        episode_files,
        episode_key,
        source_hash,
    )
    from forecast.scenarios.spec import load

    episodes = sorted(episode_key(load(f), int(seed), DEFAULT_SIZES) for f in episode_files())
    payload = json.dumps([episodes, engine_hash(), source_hash(EVALUATION_MODULES), int(seed),
                          int(n_paths)])
    return hashlib.sha256(payload.encode()).hexdigest()


def write_evaluation_store(scores: pd.DataFrame, *, seed: int, n_paths: int,
                           path=None) -> Path:
    """Write the per-report scores of :func:`forecast.scenarios.evaluate` (every bundled
    episode) with their key, whole or not at all."""
    target = Path(path) if path is not None else EVALUATION_STORE
    rows = scores[list(_STORED_COLUMNS)].copy()
    for col in ("in50", "in80", "in90"):
        rows[col] = rows[col].astype(bool)
    from forecast.scenarios.population import computed_with

    text = json.dumps({"key": evaluation_key(seed, n_paths), "seed": int(seed),
                       "n_paths": int(n_paths), "computed_with": computed_with(),
                       "rows": [list(r) for r in rows.itertuples(index=False)]},
                      indent=0, sort_keys=True) + "\n"
    return write_atomic(target, text)


def episode_evaluation(*, seed: int = 0, n_paths: int = 2000, path=None):
    """``(scores, seed, n_paths)`` of the shipped leave-one-episode-out evaluation, or None
    when it is missing or does not match the code and data at hand.

    Raises :class:`~forecast.errors.ScenarioError` when the file is not an
    evaluation store (unreadable JSON, missing keys, rows of the wrong shape)."""
    from forecast.errors import ScenarioError

    source = Path(path) if path is not None else EVALUATION_STORE
    if not source.is_file():
        return None
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
        key, rows = str(raw["key"]), raw["rows"]
        if not isinstance(rows, list) or any(not isinstance(r, list)
                                             or len(r) != len(_STORED_COLUMNS) for r in rows):
            raise ValueError(f"rows must be lists of {len(_STORED_COLUMNS)} values "
                             f"({', '.join(_STORED_COLUMNS)})")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ScenarioError(f"{source}: not an evaluation store ({exc}); regenerate it with "
                            f"`nox -s scenario_backtest`") from None
    if key != evaluation_key(seed, n_paths):
        return None
    return pd.DataFrame(rows, columns=list(_STORED_COLUMNS)), int(seed), int(n_paths)
