"""Memory estimates: checked against measured peaks, and requests that cannot fit refused
before anything is allocated, with the figures."""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
import tracemalloc
from dataclasses import replace

import numpy as np
import pytest

import forecast.scenarios as sc
from forecast.cli import main
from forecast.errors import ScenarioError
from forecast.scenarios import memory
from forecast.scenarios.population import VAGUE

cal = importlib.import_module("forecast.scenarios.calibrate")
GIB = 2**30


@pytest.fixture(scope="module")
def spec():
    return sc.load(sc.DEFAULT_SCENARIO)


@pytest.fixture(scope="module")
def priors(spec):
    return {**VAGUE, "pool": spec.priors["pool"]}


def _peak(run) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("n_paths, scenarios", [(600, 1), (1500, 4)])
def test_the_projection_estimate_covers_the_measured_peak_without_wild_excess(
        spec, priors, n_paths, scenarios):
    obs = cal._observations(spec, None, spec.as_of)
    posterior = cal._calibrate(spec, priors, obs, 0, spec.as_of, 500, 200, 2, 1)
    small = replace(spec, scenarios=spec.scenarios[:scenarios])

    def run():   # what `forecast project --out` computes
        proj = sc.project(small, n_paths=n_paths, seed=0, posterior=posterior)
        proj.to_frames()

    peak = _peak(run)
    estimate = memory.projection_bytes(n_paths, len(spec.dates), scenarios)
    assert peak <= estimate <= 1.6 * peak


@pytest.mark.parametrize("days", [30, 120])
def test_the_calibration_estimate_covers_one_particle_filter_pass(spec, priors, days):
    early = replace(spec, history=replace(spec.history,
                                          start=spec.as_of - dt.timedelta(days=days)))
    obs = cal._observations(early, None, early.as_of)
    n_theta, n_rep = 1000, 12
    theta = {k: p.sample(np.random.default_rng(0), n_theta) for k, p in priors.items()}
    peak = _peak(lambda: cal._path_loglik(theta, n_rep, early, obs, early.as_of,
                                          np.random.SeedSequence(1)))
    estimate = memory.calibration_bytes(n_theta * n_rep, days)
    assert peak <= estimate <= 1.6 * peak + memory.CALIBRATION_FIXED


def _machine(monkeypatch, available_gib=8, total_gib=16):
    monkeypatch.setattr(memory, "available_bytes",
                        lambda: (available_gib * GIB, total_gib * GIB))


def test_ten_million_paths_are_refused_at_once_with_the_figures(monkeypatch, capsys):
    from forecast.scenarios import population

    _machine(monkeypatch)
    monkeypatch.setattr(population, "learn", lambda *a, **k: pytest.fail("learned first"))
    assert main(["project", "--paths", "10000000"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0] == (f"forecast: error: {sc.DEFAULT_SCENARIO}: projecting 10,000,000 paths x "
                      "103 days x 4 scenario(s) needs about 311 GiB of memory; this machine "
                      "has 16 GiB (8.0 GiB available): lower n_paths (--paths) or end the "
                      "window earlier (window.end)")


def test_a_history_from_1900_is_refused_before_calibrating(tmp_path, monkeypatch):
    _machine(monkeypatch)
    folder = tmp_path / "scenarios"
    shutil.copytree(sc.SCENARIO_DIR, folder)
    path = folder / "long.toml"
    path.write_text(sc.DEFAULT_SCENARIO.read_text(encoding="utf-8").replace(
        "start = 2025-11-20", "start = 1900-01-01"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"long\.toml: calibrating 48,000 particles over "
                                            r"the 45,987 days from history\.start 1900-01-01 "
                                            r"to 2025-11-28 needs about 370 GiB of memory; "
                                            r"this machine has 16 GiB .*start the history "
                                            r"later"):
        sc.project(path, n_paths=10, seed=0)


def test_what_fits_runs_and_what_does_not_is_refused(monkeypatch):
    _machine(monkeypatch, available_gib=1)
    memory.check(memory.projection_bytes(100, 103, 4), "projecting", "lower")
    with pytest.raises(ScenarioError, match=r"projecting needs about 1\.2 GiB of memory; this "
                                            r"machine has 16 GiB \(1\.0 GiB available\): lower"):
        memory.check(int(1.2 * GIB), "projecting", "lower")


def test_the_machine_reports_its_memory():
    available, total = memory.available_bytes()
    assert total is None or total > 0
    assert available is None or 0 <= available <= (total or available)


@pytest.mark.parametrize("n, text", [(17 * GIB, "17 GiB"), (1.25 * GIB, "1.2 GiB"),
                                     (340 * 2**20, "340 MiB"), (3 * 2**40, "3.0 TiB"),
                                     (512, "512 bytes")])
def test_format_bytes(n, text):
    assert memory.format_bytes(n) == text
