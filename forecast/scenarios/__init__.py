"""Stranding projections: a calibrated stock-flow Monte Carlo with scenarios as data.

    import forecast as fc
    spec = fc.scenarios.load(fc.scenarios.DEFAULT_SCENARIO)
    proj = fc.scenarios.project(spec, n_paths=10_000, seed=0)
    proj.daily(); proj.peaks(); proj.needs(); proj.save("reports/out/projection")
    proj.fan_chart("status-quo"); proj.comparison_chart()
    fc.scenarios.replay().replay_chart()          # 2023 episode: calibrate to 30 Apr, project May
    scores = fc.scenarios.evaluate()              # out-of-sample scores, leave-one-episode-out
    fc.scenarios.evaluation_summary(scores)

Modules: ``spec`` (TOML format and validation), ``dates`` (the one coercion of a given date
to a calendar day), ``schedule`` (dated items -> daily arrays), ``stockflow`` (the numpy
kernel, :func:`~forecast.scenarios.stockflow.step_stock`), ``observations``
(interval-censored press counts), ``population`` (behaviour shared across episodes,
hierarchically), ``calibrate`` (posterior draws), ``projection`` (the Monte Carlo and the
`Projection`), ``evaluate`` (scores against persistence and decay baselines),
``headline`` (people stranded on the file's key dates, chances over its thresholds),
``context`` and ``evidence`` (what the scenario report shows besides the projection:
forecasts of related series, backtests, a replayed episode scored), ``memory`` (what a
projection or calibration needs, checked against what the machine has before it runs).
"""

from __future__ import annotations

from pathlib import Path

import forecast
from forecast.scenarios.calibrate import Posterior, calibrate
from forecast.scenarios.evaluate import evaluate, evaluation_summary
from forecast.scenarios.observations import Observations
from forecast.scenarios.population import Population, learn
from forecast.scenarios.projection import Projection, project, replay
from forecast.scenarios.spec import ScenarioSpec, load, parse
from forecast.scenarios.stockflow import Flows


def _scenario_dir() -> Path:
    """Bundled scenario files: inside an installed wheel (forecast/_scenarios), else the
    checkout's reports/scenarios."""
    package = Path(forecast.__file__).resolve().parent
    installed = package / "_scenarios"
    if (installed / "inauguration-2026.toml").is_file():
        return installed
    return package.parent / "reports" / "scenarios"


SCENARIO_DIR = _scenario_dir()
#: The default scenario file: 28 Nov 2025 -> 11 Mar 2026, four scenarios.
DEFAULT_SCENARIO = SCENARIO_DIR / "inauguration-2026.toml"
#: The April-May 2023 episode (reference for calibration and the replay).
REPLAY_SCENARIO = SCENARIO_DIR / "replay-2023.toml"

__all__ = ["DEFAULT_SCENARIO", "REPLAY_SCENARIO", "SCENARIO_DIR", "Flows", "Observations",
           "Population", "Posterior", "Projection", "ScenarioSpec", "calibrate", "evaluate",
           "evaluation_summary", "learn", "load", "parse", "project", "replay"]
