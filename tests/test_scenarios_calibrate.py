"""Calibration sees counts, or says why not: nothing runs uncalibrated unless the file asks.

A file whose ``history.episode`` names no counts (a typo), an as-of date before the first
count, or sides excluded until nothing is left used to run from the priors alone and print
numbers several times too high. Each is now one error naming the key; a run from the priors
alone needs ``history.uncalibrated = true`` and says so.
"""

from __future__ import annotations

import pytest
from scenario_files import default_copy

import forecast.scenarios as sc
from forecast.cli import main
from forecast.errors import ScenarioError
from forecast.scenarios.calibrate import all_observations
from forecast.scenarios.observations import dataset
from forecast.scenarios.population import learn


def _variant(tmp_path, edit, name="case.toml"):
    return default_copy(tmp_path, edit, name)


def _fails_before_learning(monkeypatch):
    """Make learning the population fail the test: the errors below come before it."""
    from forecast.scenarios import population

    def learn(*args, **kwargs):
        raise AssertionError("the population was learned before the input was checked")

    monkeypatch.setattr(population, "learn", learn)


def test_an_episode_with_no_counts_is_an_error_naming_the_key_and_the_episodes(
        tmp_path, monkeypatch):
    _fails_before_learning(monkeypatch)
    path = _variant(tmp_path, lambda t: t.replace('episode = "2025-11"', 'episode = "1999-01"'))
    with pytest.raises(ScenarioError) as exc:
        sc.project(path, n_paths=10, seed=0)
    message = str(exc.value)
    assert message.startswith(f"{path}: history.episode: '1999-01' has no counts in "
                              "border_stranding_counts (episodes with counts: ")
    assert "2025-11" in message and "2023-04" in message
    assert message.endswith("or set history.uncalibrated = true to project from the priors "
                            "alone")


def test_an_as_of_date_before_the_first_count_is_an_error(monkeypatch):
    _fails_before_learning(monkeypatch)
    first = str(all_observations(sc.load(sc.DEFAULT_SCENARIO)).dates.min())
    with pytest.raises(ScenarioError, match=rf"as_of 2025-11-21 is before the first count of "
                                            rf"episode '2025-11' \({first}\): .* from {first} on"):
        sc.project(sc.DEFAULT_SCENARIO, n_paths=10, seed=0, as_of="2025-11-21")


def test_excluding_every_side_is_an_error_naming_exclude_sides(tmp_path, monkeypatch):
    _fails_before_learning(monkeypatch)
    spec = sc.load(sc.DEFAULT_SCENARIO)

    sides = sorted(set(dataset().query("episode == '2025-11'")["side"].astype(str)))
    path = _variant(tmp_path, lambda t: t.replace('exclude_sides = ["PE"]',
                                                  f"exclude_sides = {sides!r}".replace("'", '"')))
    assert len(all_observations(spec)) > 0
    with pytest.raises(ScenarioError, match=r"history\.exclude_sides .* leaves no count of "
                                            r"episode '2025-11'"):
        sc.project(path, n_paths=10, seed=0)


def test_a_history_starting_after_every_count_is_an_error(tmp_path, monkeypatch):
    _fails_before_learning(monkeypatch)
    path = _variant(tmp_path, lambda t: t.replace("start = 2025-11-20", "start = 2025-11-28")
                    .replace("start = 2025-11-21\nend = 2025-11-28", "start = 2025-11-28\n"
                             "end = 2025-11-28"))
    with pytest.raises(ScenarioError, match=r"no count of episode '2025-11' between "
                                            r"history\.start 2025-11-28 \(excluded\) and as_of "
                                            r"2025-11-28"):
        sc.project(path, n_paths=10, seed=0)


def _uncalibrated(tmp_path):
    # no population either, so the test learns nothing (weak priors)
    return _variant(tmp_path, lambda t: t.replace(
        'episode = "2025-11"', 'episode = "1999-01"\nuncalibrated = true\npopulation = []'),
        name="priors-alone.toml")


def test_an_uncalibrated_run_must_be_asked_for_and_is_one(tmp_path):
    proj = sc.project(_uncalibrated(tmp_path), n_paths=200, seed=0)
    assert not proj.calibrated and proj.posterior.n_obs == 0
    # from the priors alone: no adaptive round ran, and all 4,000 x 12 pairs of prior draw
    # and particle weigh the same
    assert proj.posterior.diagnostics["ess_by_round"] == []
    assert proj.posterior.ess == pytest.approx(4000 * 12)
    counted = _variant(tmp_path, lambda t: t.replace('episode = "2025-11"',
                                                     'episode = "2025-11"\npopulation = []'))
    proj = sc.project(counted, n_paths=50, seed=0)
    assert proj.calibrated and proj.posterior.diagnostics["ess_by_round"]


def test_the_command_line_says_so_loudly(tmp_path, capsys):
    assert main(["project", str(_uncalibrated(tmp_path)), "--paths", "50", "--quiet"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("UNCALIBRATED: priors-alone.toml sets history.uncalibrated = "
                            "true: no counts were used")


def test_an_uncalibrated_file_cannot_teach_a_population(tmp_path):
    path = _uncalibrated(tmp_path)
    with pytest.raises(ScenarioError, match=r"history\.uncalibrated is true: .* leave it out of "
                                            r"history\.population"):
        learn([path], n_theta=100, n_rep=2, n_draws=100, n_rounds=1)


@pytest.mark.parametrize("kwargs, message", [
    (dict(seed=-1), r"seed must be a non-negative integer; got -1"),
    (dict(seed=1.5), r"seed must be a non-negative integer; got 1\.5"),
    (dict(n_paths=0), r"n_paths must be an integer >= 1; got 0"),
    (dict(n_paths=2.5), r"n_paths must be an integer >= 1; got 2\.5"),
    (dict(as_of="2026-03-11"), r"as_of 2026-03-11 is window\.end: no day is left to project"),
])
def test_project_refuses_bad_arguments_before_any_work(monkeypatch, kwargs, message):
    _fails_before_learning(monkeypatch)
    with pytest.raises(ScenarioError, match=message):
        sc.project(sc.DEFAULT_SCENARIO, **{"n_paths": 10, "seed": 0, **kwargs})


@pytest.mark.parametrize("kwargs, message", [
    (dict(seed=-1), r"seed must be a non-negative integer"),
    (dict(n_paths=0), r"n_paths must be an integer >= 1"),
    (dict(n_theta=0), r"n_theta must be an integer >= 1"),
    (dict(methods=()), r"methods is empty; valid: persistence, decay, engine"),
])
def test_evaluate_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ScenarioError, match=message):
        sc.evaluate(sc.REPLAY_SCENARIO, **kwargs)


def test_evaluate_of_a_file_without_counts_names_the_episode(tmp_path):
    path = _variant(tmp_path, lambda t: t.replace('episode = "2025-11"', 'episode = "1999-01"'))
    with pytest.raises(ScenarioError, match=r"history\.episode: '1999-01' has no counts"):
        sc.evaluate(path, methods=("persistence",))
