"""Scenario files: the bundled ones load; every kind of mistake is a ScenarioError naming
the file and the key."""

import copy
import datetime as dt
import tomllib

import pytest

import forecast.scenarios as sc
from forecast.errors import ScenarioError


@pytest.fixture(scope="module")
def raw():
    with open(sc.DEFAULT_SCENARIO, "rb") as fh:
        return tomllib.load(fh)


def _parse(raw, edit):
    data = copy.deepcopy(raw)
    edit(data)
    # the reference is resolved relative to the file: keep the real directory
    return sc.parse(data, sc.DEFAULT_SCENARIO.parent / "edited.toml")


def test_default_file_loads_with_window_and_four_scenarios():
    spec = sc.load(sc.DEFAULT_SCENARIO)
    assert spec.as_of == dt.date(2025, 11, 28)
    assert spec.end == dt.date(2026, 3, 11)
    assert len(spec.dates) + 1 == 104  # the 104-day window, as_of included
    assert spec.names == ["status-quo", "documents-reopen", "corridor-flights", "deadline-surge"]
    assert all(row["source"] for row in spec.assumptions())


def test_replay_file_loads():
    spec = sc.load(sc.REPLAY_SCENARIO)
    assert spec.as_of == dt.date(2023, 4, 30) and spec.end == dt.date(2023, 5, 15)
    flight = spec.scenarios[0].batches[0]
    assert (flight.date, flight.capacity, flight.kind) == (dt.date(2023, 5, 7), 115, "flight")


def test_unknown_top_level_key_lists_valid_keys(raw):
    with pytest.raises(ScenarioError, match=r"edited\.toml: colour: unknown key 'colour'; "
                                            r"valid keys: window, history, priors"):
        _parse(raw, lambda d: d.update(colour="red"))


def test_unknown_regime_key_lists_valid_keys(raw):
    def edit(d):
        d["scenario"][0]["regime"][0]["capcity"] = 10
    with pytest.raises(ScenarioError, match=r"regime\[0\]\.capcity: unknown key .*valid keys: "
                                            r"start, end, kind, capacity"):
        _parse(raw, edit)


def test_unknown_prior_name_lists_parameters(raw):
    def edit(d):
        d["priors"]["hazzard"] = {"dist": "fixed", "value": 0.1, "source": "x"}
    with pytest.raises(ScenarioError, match=r"priors\.hazzard: unknown parameter .*hazard"):
        _parse(raw, edit)


def test_dates_out_of_order(raw):
    def edit(d):
        d["scenario"][0]["regime"][0]["end"] = dt.date(2025, 11, 30)
        d["scenario"][0]["regime"][0]["start"] = dt.date(2025, 12, 5)
    with pytest.raises(ScenarioError, match=r"edited\.toml: scenario 'status-quo'\.regime\[0\]"
                                            r"\.end: .*out of order"):
        _parse(raw, edit)


def test_window_end_before_as_of(raw):
    with pytest.raises(ScenarioError, match=r"window\.end: .*out of order"):
        _parse(raw, lambda d: d["window"].update(end=dt.date(2025, 11, 1)))


def test_regime_outside_window(raw):
    def edit(d):
        d["scenario"][0]["regime"][1]["end"] = dt.date(2026, 4, 1)
    with pytest.raises(ScenarioError, match=r"regime\[1\]\.end: 2026-04-01 is outside the window"):
        _parse(raw, edit)


def test_batch_outside_window(raw):
    def edit(d):
        d["scenario"][2]["batch"][0]["date"] = dt.date(2025, 11, 1)
    with pytest.raises(ScenarioError, match=r"corridor-flights'\.batch\[0\]\.date: .*outside"):
        _parse(raw, edit)


def test_negative_capacity(raw):
    def edit(d):
        d["scenario"][2]["regime"][1]["capacity"] = -5
    with pytest.raises(ScenarioError, match=r"regime\[1\]\.capacity: must be >= 0, got -5"):
        _parse(raw, edit)


def test_negative_batch_capacity(raw):
    def edit(d):
        d["scenario"][2]["batch"][0]["capacity"] = -1
    with pytest.raises(ScenarioError, match=r"batch\[0\]\.capacity: must be >= 0"):
        _parse(raw, edit)


@pytest.mark.parametrize("prior", [
    {"dist": "fixed", "value": 1.5},
    {"dist": "uniform", "low": -0.1, "high": 0.5},
    {"dist": "lognormal", "median": 2.0, "sigma": 0.1},
])
def test_rate_outside_unit_interval(raw, prior):
    def edit(d):
        d["priors"]["leak"] = {**prior, "rationale": "test"}
    with pytest.raises(ScenarioError, match=r"edited\.toml: priors\.leak\.\w+: must be"):
        _parse(raw, edit)


def test_unknown_regime_kind(raw):
    def edit(d):
        d["scenario"][0]["regime"][0]["kind"] = "ajar"
    with pytest.raises(ScenarioError, match=r"kind: unknown regime 'ajar'; valid: open, closed, "
                                            r"documents, corridor"):
        _parse(raw, edit)


def test_missing_source_is_rejected(raw):
    def edit(d):
        del d["priors"]["pool"]["source"]
    with pytest.raises(ScenarioError, match=r"priors\.pool: needs a 'source' or 'rationale'"):
        _parse(raw, edit)


def test_overlapping_regimes(raw):
    def edit(d):
        d["scenario"][0]["regime"][1]["start"] = dt.date(2026, 1, 20)
    with pytest.raises(ScenarioError, match=r"regimes overlap"):
        _parse(raw, edit)


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ScenarioError, match="not found"):
        sc.load(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[window\n")
    with pytest.raises(ScenarioError, match=r"bad\.toml: invalid TOML"):
        sc.load(bad)


def test_scenario_error_is_a_value_error():
    assert issubclass(ScenarioError, ValueError)
