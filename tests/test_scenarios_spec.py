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
    # population files are resolved relative to the file: keep the real directory
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
    # what happened is a scenario, not an input: the status quo (first) has no departures
    assert spec.names == ["status-quo", "as-happened"] and not spec.scenarios[0].batches
    assert spec.observed_scenario.name == "as-happened"
    flight = spec.observed_scenario.batches[0]
    assert (flight.date, flight.capacity, flight.kind) == (dt.date(2023, 5, 7), 115, "flight")


def test_population_files_are_checked_and_may_not_name_the_file_itself(raw, tmp_path):
    with pytest.raises(ScenarioError, match="history.population: file not found"):
        _parse(raw, lambda d: d["history"].update(population=["missing.toml"]))
    with pytest.raises(ScenarioError, match="history.population: must be a list"):
        _parse(raw, lambda d: d["history"].update(population="replay-2023.toml"))


def test_observed_must_name_a_scenario_and_shock_must_be_boolean(raw):
    with pytest.raises(ScenarioError, match="history.observed: no scenario 'what'"):
        _parse(raw, lambda d: d["history"].update(observed="what"))

    def edit(d):
        d["scenario"][0]["regime"][0]["shock"] = "yes"
    with pytest.raises(ScenarioError, match=r"shock: must be true or false"):
        _parse(raw, edit)


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


@pytest.mark.parametrize("place", ["file", "scenario"])
def test_former_name_dispersion_gets_one_error_naming_file_key_and_new_name(raw, place):
    prior = {"dist": "loguniform", "low": 0.3, "high": 30.0, "rationale": "old file"}

    def edit(d):
        table = d["priors"] if place == "file" else d["scenario"][1].setdefault("priors", {})
        table["dispersion"] = prior
    where = r"priors" if place == "file" else r"scenario 'documents-reopen'\.priors"
    with pytest.raises(ScenarioError, match=rf"edited\.toml: {where}\.dispersion: 'dispersion' "
                                            rf"is now called 'arrival_size' .*rename the key "
                                            rf"to {where}\.arrival_size$"):
        _parse(raw, edit)


def test_arrival_size_is_a_prior_name(raw):
    prior = {"dist": "fixed", "value": 5.0, "rationale": "test"}
    spec = _parse(raw, lambda d: d["priors"].update(arrival_size=prior))
    assert spec.priors["arrival_size"].params == {"value": 5.0}
    from forecast.scenarios.population import VAGUE

    assert "arrival_size" in VAGUE and "dispersion" not in VAGUE


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


@pytest.mark.parametrize("path", sorted(sc.SCENARIO_DIR.glob("*.toml")), ids=lambda p: p.name)
def test_no_source_published_after_the_as_of_date_informs_a_file(path):
    """Dates cited in the notes of the history, priors, calendar and forecast scenarios are
    on or before window.as_of; only the observed scenario (what happened) may cite later."""
    import re

    spec = sc.load(path)
    notes = [spec.history.note, *(p.note for p in spec.priors.values())]
    notes += [e.note for e in spec.calendar] + [e.value.note for e in spec.calendar]
    observed = spec.observed_scenario if spec.history.observed else None
    for s in spec.scenarios:
        if s is observed:
            continue
        notes += [p.note for p in s.priors.values()] + [r.note for r in s.regimes]
        notes += [b.note for b in s.batches] + [e.note for e in s.calendar]
    cited = [dt.date.fromisoformat(d) for n in notes
             for d in re.findall(r"\b(\d{4}-\d{2}-\d{2})\b", n or "")]
    assert cited, "the notes cite dated sources"
    late = [d for d in cited if d > spec.as_of]
    assert not late, f"{path.name} cites sources dated after its as-of {spec.as_of}: {late}"


def _own_episode(tmp_path, counts_text):
    (tmp_path / "my-counts.csv").write_text(counts_text, encoding="utf-8")
    replay = sc.REPLAY_SCENARIO.resolve()
    (tmp_path / "border.toml").write_text(f"""
[window]
title = "Another border"
as_of = 2030-01-10
end = 2030-01-20
[history]
start = 2030-01-01
counts = "my-counts.csv"
population = ["{replay.as_posix()}"]
rationale = "test"
[[history.regime]]
start = 2030-01-02
end = 2030-01-10
kind = "closed"
rationale = "test"
[priors.pool]
dist = "lognormal"
median = 50000
sigma = 0.5
rationale = "test"
[[scenario]]
name = "closed"
[[scenario.regime]]
start = 2030-01-11
end = 2030-01-20
kind = "closed"
rationale = "test"
""", encoding="utf-8")
    return tmp_path / "border.toml"


def test_a_file_brings_its_own_counts_and_inherits_the_population(tmp_path):
    path = _own_episode(tmp_path, "date,low,high,count_words,reliability\n"
                                  "2030-01-04,30,40,,B\n2030-01-07,,,decenas,\n"
                                  "2030-01-09,60,80,,C\n")
    spec = sc.load(path)
    assert spec.history.episode == "my-counts" and spec.history.counts.name == "my-counts.csv"
    proj = sc.project(spec, n_paths=300, seed=0)
    assert proj.posterior.n_obs == 3
    # behaviour parameters it does not set come from the population (not fixed, not absent)
    assert len(set(proj.posterior.values["dispersal"])) > 50
    assert proj.stock("closed").shape == (300, 11)


@pytest.mark.parametrize("text, message", [
    ("date,low,high\n2030-01-04,40,30\n", r"my-counts\.csv: line 2: need low <= point <= high"),
    ("date,low,high\n2030-01-04,30,\n", r"my-counts\.csv: line 2: column 'high' is empty"),
    ("date,count_words\n2030-01-04,un monton\n", r"line 2: column 'count_words' has 'un monton'"),
    ("date,low,high,reliability\n2030-01-04,3,4,Z\n", r"line 2: column 'reliability' has 'Z'"),
    ("when,low,high\n2030-01-04,3,4\n", r"missing column\(s\) 'date'"),
])
def test_bad_counts_files_get_one_clear_error(tmp_path, text, message):
    from forecast.errors import ForecastError

    path = _own_episode(tmp_path, text)
    with pytest.raises(ForecastError, match=message):
        sc.project(sc.load(path), n_paths=10, seed=0)


@pytest.mark.parametrize("ref", ["../outside.csv", "/etc/passwd"])
def test_a_file_opens_nothing_outside_its_folder(tmp_path, ref):
    from forecast.errors import ScenarioError

    sub = tmp_path / "case"
    sub.mkdir()
    (tmp_path / "outside.csv").write_text("date,low,high\n2030-01-04,3,4\n", encoding="utf-8")
    path = _own_episode(sub, "date,low,high\n2030-01-04,3,4\n")
    path.write_text(path.read_text(encoding="utf-8").replace('"my-counts.csv"', f'"{ref}"'),
                    encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"history\.counts: .* is outside this file's folder"):
        sc.load(path)
