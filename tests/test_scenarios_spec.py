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

    def edit_cleared(d):
        d["scenario"][0]["regime"][0]["cleared"] = 1
    with pytest.raises(ScenarioError, match=r"regime\[0\]\.cleared: must be true or false"):
        _parse(raw, edit_cleared)


@pytest.mark.parametrize("flag, kept, words", [
    ("cleared", False, "crowd cleared"),                      # a one-off: it has happened
    ("inflow_cut", True, "arrivals cut on the near side"),    # a state: it runs on
])
def test_regime_flags_are_read_then_forgotten_or_kept_across_the_as_of_date(raw, flag, kept,
                                                                           words):
    def edit(d):
        d["scenario"][0]["regime"][0][flag] = True
    spec = _parse(raw, edit)
    first = spec.scenarios[0].regimes[0]
    assert getattr(first, flag) and not getattr(spec.scenarios[0].regimes[-1], flag)
    later = spec.with_as_of(first.start)   # the flagged regime runs across the as-of date
    assert any(getattr(r, flag) for s in later.scenarios for r in s.regimes) is kept
    assert any(words in r["value"] for r in spec.assumptions())

    def bad(d):
        d["scenario"][0]["regime"][0][flag] = "yes"
    with pytest.raises(ScenarioError, match=rf"regime\[0\]\.{flag}: must be true or false"):
        _parse(raw, bad)


def test_the_status_quo_at_a_later_date_carries_forward_the_regime_then_in_force():
    spec = sc.load(sc.SCENARIO_DIR / "penas-blancas-2015.toml")   # airlift (corridor) 9 Feb-14 Mar
    assert spec.regime_on("2016-02-18") == ("corridor", 125.0, True)
    assert spec.regime_on("2015-12-01") == ("closed", 0.0, False)
    # visas stopped on 18 Dec: closed as the status quo has it, but arrivals cut since
    assert spec.regime_on("2016-01-10") == ("closed", 0.0, True)
    (cut,) = spec.status_quo_at("2016-01-10").scenarios[0].regimes
    assert (cut.kind, cut.inflow_cut, cut.start) == ("closed", True, dt.date(2016, 1, 11))
    # before the visa stop the crossing is as the file's status quo has it: that scenario
    before = spec.status_quo_at("2015-12-15")
    assert before.scenarios == spec.with_as_of("2015-12-15").scenarios[:1]
    # in the corridor, the status quo is the corridor to the end, not a closure that day
    during = spec.status_quo_at("2016-02-18")
    (sq,) = during.scenarios
    assert sq.name == spec.scenarios[0].name and sq.batches == ()
    assert [(r.kind, r.capacity, r.start, r.end, r.shock, r.cleared, r.inflow_cut)
            for r in sq.regimes] == [
        ("corridor", 125.0, dt.date(2016, 2, 19), spec.end, False, False, True)]
    assert during.history == spec.with_as_of("2016-02-18").history
    # the file's own as-of date keeps the scenario it was written with
    assert spec.status_quo_at(spec.as_of).scenarios == spec.scenarios[:1]


def test_the_status_quo_keeps_a_change_it_planned_and_fills_days_before_the_files_as_of():
    import dataclasses

    spec = sc.load(sc.REPLAY_SCENARIO)   # as-happened: closed to 8 May, corridor 9-15 May
    seen = spec.scenario("as-happened")
    planned = dataclasses.replace(spec, scenarios=(seen, spec.scenarios[0]),
                                  history=dataclasses.replace(spec.history, observed=""))
    # on the eve of a change the status quo itself plans, the change stays
    (sq,) = planned.status_quo_at("2023-05-08").scenarios
    assert [(r.kind, r.start) for r in sq.regimes] == [("corridor", dt.date(2023, 5, 9))]
    assert [b.date for b in sq.batches] == []          # the 7 May flight has happened
    # an as-of date before the file's own: the regime then in force runs on until the
    # file's scenarios start (here a corridor in the history, 13-26 Apr)
    first, *rest = spec.history.regimes
    corridor = dataclasses.replace(first, kind="corridor", capacity=50.0)
    early = dataclasses.replace(spec, history=dataclasses.replace(
        spec.history, regimes=(corridor, *rest)))
    (sq,) = early.status_quo_at("2023-04-20").scenarios
    assert [(r.kind, r.capacity, r.start, r.end) for r in sq.regimes[:1]] == [
        ("corridor", 50.0, dt.date(2023, 4, 21), spec.as_of)]
    assert sq.regimes[1:] == early.scenarios[0].regimes


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


# -- encodings, nesting, references to the file itself ---------------------------------------
def _copy_of_default(tmp_path, name="edited.toml", edit=lambda text: text):
    from scenario_files import default_copy

    return default_copy(tmp_path, edit, name)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = _copy_of_default(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    spec = sc.load(path)
    assert spec.title == sc.load(sc.DEFAULT_SCENARIO).title and spec.names[0] == "status-quo"


def test_a_windows_1252_file_is_refused_naming_the_encodings_tried_and_the_fix(tmp_path):
    path = _copy_of_default(tmp_path, edit=lambda t: t.replace('title = "People', 'title = "Perú:'))
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(ScenarioError) as exc:
        sc.load(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: not UTF-8 (byte 0xFA at line ")
    assert "tried UTF-8, with and without a byte-order mark" in message
    assert "Windows-1252 ('ANSI'" in message and "save it again choosing UTF-8" in message


def test_a_utf16_file_is_refused_with_the_fix(tmp_path):
    path = _copy_of_default(tmp_path)
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(ScenarioError, match=r"saved as UTF-16 .*save it again choosing UTF-8"):
        sc.load(path)


def test_arrays_nested_too_deeply_are_one_error_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"deep\.toml: invalid TOML: .*nested too deeply"):
        sc.load(path)


def test_load_refuses_what_is_not_a_path_and_parse_what_is_not_a_table():
    with pytest.raises(ScenarioError, match="must be a path to a TOML file; got None"):
        sc.load(None)
    with pytest.raises(ScenarioError, match=r"must be a TOML table of tables .* got list"):
        sc.parse([1, 2], "x.toml")


def test_a_file_may_not_replay_itself_or_name_a_population_file_twice(tmp_path):
    path = _copy_of_default(tmp_path, "self.toml",
                            lambda t: t.replace('replay = "replay-2023.toml"',
                                                'replay = "self.toml"'))
    with pytest.raises(ScenarioError, match=r"self\.toml: report\.replay: 'self\.toml' is this "
                                            r"file itself"):
        sc.load(path)
    twice = _copy_of_default(tmp_path, "twice.toml", lambda t: t.replace(
        'episode = "2025-11"', 'episode = "2025-11"\n'
        'population = ["replay-2023.toml", "./replay-2023.toml"]'))
    with pytest.raises(ScenarioError, match=r"history\.population: names './replay-2023\.toml' "
                                            r"twice"):
        sc.load(twice)
    itself = _copy_of_default(tmp_path, "itself.toml", lambda t: t.replace(
        'episode = "2025-11"', 'episode = "2025-11"\npopulation = ["itself.toml"]'))
    with pytest.raises(ScenarioError, match=r"history\.population: 'itself\.toml' is this file "
                                            r"itself"):
        sc.load(itself)


def test_population_files_naming_each_other_do_not_recurse(tmp_path):
    """A names B as its population and B names A: learning A's population calibrates B on its
    counts alone (a population file's own population is not followed)."""
    from forecast.scenarios import population as popmod

    a = _copy_of_default(tmp_path, "a.toml", lambda t: t.replace(
        'episode = "2025-11"', 'episode = "2025-11"\npopulation = ["b.toml"]'))
    b = a.parent / "b.toml"
    b.write_text(sc.REPLAY_SCENARIO.read_text(encoding="utf-8").replace(
        'episode = "2023-04"', 'episode = "2023-04"\npopulation = ["a.toml"]'), encoding="utf-8")
    spec = sc.load(a)
    files = popmod.default_files(spec)
    assert files == [b]
    pop = popmod.learn(files, n_theta=200, n_rep=3, n_draws=200, n_rounds=1)
    assert pop.episodes == ("2023-04",)


def test_a_population_file_of_the_same_episode_is_refused(tmp_path):
    from forecast.scenarios import population as popmod

    twin = _copy_of_default(tmp_path, "twin.toml")
    path = _copy_of_default(tmp_path, "main.toml", lambda t: t.replace(
        'episode = "2025-11"', 'episode = "2025-11"\npopulation = ["twin.toml"]'))
    with pytest.raises(ScenarioError, match=r"main\.toml: history\.population: twin\.toml is "
                                            r"episode '2025-11', this file's own"):
        popmod.default_files(sc.load(path))
    assert twin.exists()


# -- numbers and dates the engine cannot take ---------------------------------------------------
@pytest.mark.parametrize("name, prior, message", [
    ("pool", {"dist": "lognormal", "median": 1e308, "sigma": 0.1},
     r"priors\.pool\.median: must be <= 1e\+10, got 1e\+308"),
    ("pool", {"dist": "lognormal", "median": 1000, "sigma": 0},
     r"priors\.pool\.sigma: must be > 0, got 0 \(for a value without uncertainty use "
     r"dist = \"fixed\""),
    ("pool", {"dist": "lognormal", "median": 1000, "sigma": -0.5},
     r"priors\.pool\.sigma: must be > 0"),
    ("pool", {"dist": "lognormal", "median": 1000, "sigma": 50},
     r"priors\.pool\.sigma: must be <= 5, got 50"),
    ("pool", {"dist": "fixed", "value": 10**30}, r"priors\.pool\.value: must be <= 1e\+10"),
    ("pool", {"dist": "fixed", "value": 10**400}, r"priors\.pool\.value: must be a number of"),
    ("pool", {"dist": "uniform", "low": 0, "high": 1e300}, r"priors\.pool\.high: must be <="),
    ("pool", {"dist": "loguniform", "low": 0, "high": 10}, r"priors\.pool\.low: must be > 0"),
    ("leak", {"dist": "beta", "a": 0, "b": 2}, r"priors\.leak\.a: must be > 0, got 0"),
    ("leak", {"dist": "beta", "a": 2, "b": -1}, r"priors\.leak\.b: must be > 0, got -1"),
    ("leak", {"dist": "beta", "a": 2, "b": 1e300}, r"priors\.leak\.b: must be <= 1e\+06"),
    ("drift", {"dist": "fixed", "value": float("inf")}, r"priors\.drift\.value: must be finite"),
])
def test_prior_parameters_out_of_range_are_refused_at_load_with_the_key(raw, name, prior,
                                                                        message):
    with pytest.raises(ScenarioError, match=rf"edited\.toml: {message}"):
        _parse(raw, lambda d: d["priors"].update({name: {**prior, "rationale": "test"}}))


def test_event_multipliers_and_capacities_are_bounded(raw):
    def peak(d):
        d["calendar"][0]["peak"] = {"dist": "lognormal", "median": 1e300, "sigma": 0.5}
    with pytest.raises(ScenarioError, match=r"calendar\[0\]\.peak\.median: must be <= 1e\+06"):
        _parse(raw, peak)

    def capacity(d):
        d["scenario"][2]["regime"][1]["capacity"] = 10**20
    with pytest.raises(ScenarioError, match=r"regime\[1\]\.capacity: must be <= 1e\+10"):
        _parse(raw, capacity)


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1600, 5, 1), dt.date(9999, 12, 31)])
def test_dates_beyond_what_the_engine_can_count_are_refused(raw, day):
    with pytest.raises(ScenarioError, match=rf"window\.end: {day} is outside the days a "
                                            r"scenario can hold \(1678-01-01 to 2261-12-31\)"):
        _parse(raw, lambda d: d["window"].update(end=day))


def test_uncalibrated_must_be_a_boolean_and_defaults_to_false(raw):
    assert not _parse(raw, lambda d: None).history.uncalibrated
    assert _parse(raw, lambda d: d["history"].update(uncalibrated=True)).history.uncalibrated
    with pytest.raises(ScenarioError, match=r"history\.uncalibrated: must be true or false"):
        _parse(raw, lambda d: d["history"].update(uncalibrated="yes"))


# -- texts in other languages -------------------------------------------------------------------
def test_texts_may_come_in_several_languages(raw):
    from forecast.scenarios.spec import Text, in_language

    def edit(d):
        d["window"]["title"] = {"es": "Varados", "en": "Stranded"}
        d["scenario"][0]["description"] = {"es": "solo en castellano"}
        d["report"]["key_date"][0]["label"] = "runoff"
        d["report"]["countries"] = ["Chile", {"en": "Peru", "es": "Perú"}]
        d["calendar"][0]["name"] = {"en": "countdown", "es": "cuenta regresiva"}

    spec = _parse(raw, edit)
    assert spec.calendar[0].name == "countdown"
    assert in_language(spec.calendar[0].name, "es") == "cuenta regresiva"
    assert spec.title == "Stranded" and in_language(spec.title, "es") == "Varados"
    assert isinstance(spec.title, Text) and repr(spec.title) == repr("Stranded")
    # only one language given: it is the default too
    first = spec.scenarios[0].description
    assert first == "solo en castellano" and in_language(first, "en") == "solo en castellano"
    assert in_language(spec.report.key_dates[0][1], "es") == "runoff"
    assert [in_language(c, "es") for c in spec.report.countries] == ["Chile", "Perú"]
    assert in_language("plain", "es") == "plain"


def test_translations_do_not_change_what_the_engine_sees(raw):
    """The model's inputs (and the cached calibrations keyed by them) ignore translations."""
    plain = _parse(raw, lambda d: None)
    def edit(d):
        d["window"]["title"] = {"en": plain.title, "es": "Otro título"}
    assert repr(_parse(raw, edit)) == repr(plain)


@pytest.mark.parametrize("value, match", [
    ({"fr": "x"}, r"window\.title: languages 'fr': .* en, es"),
    ({}, r"window\.title: languages \(none\)"),
    ({"en": ""}, r"window\.title\.en: must be a non-empty string"),
    ({"en": 3}, r"window\.title\.en: must be a non-empty string"),
    (3, r"window\.title: must be the report's title: a string or a table of languages"),
    ("  ", r"window\.title: is empty"),
])
def test_bad_texts_are_one_clear_error(raw, value, match):
    def edit(d):
        d["window"]["title"] = value
    with pytest.raises(ScenarioError, match=match):
        _parse(raw, edit)


def test_a_bad_country_translation_names_its_place_in_the_list(raw):
    def edit(d):
        d["report"]["countries"] = ["Chile", {"en": "Peru", "xx": "?"}]
    with pytest.raises(ScenarioError, match=r"report\.countries\[1\]: languages 'xx'"):
        _parse(raw, edit)


def test_text_languages_are_the_report_editions():
    from forecast.reports.language import LANGUAGES
    from forecast.scenarios.spec import TEXT_LANGUAGES

    assert TEXT_LANGUAGES == LANGUAGES


@pytest.mark.parametrize("value, match", [
    (5, r"scenario 'status-quo'\.label: must be a short name for tables and charts"),
    ({"fr": "x"}, r"scenario 'status-quo'\.label: languages 'fr'"),
    ("", r"scenario 'status-quo'\.label: is empty"),
])
def test_a_bad_scenario_label_is_one_clear_error(raw, value, match):
    def edit(d):
        d["scenario"][0]["label"] = value
    with pytest.raises(ScenarioError, match=match):
        _parse(raw, edit)


def test_a_scenario_label_is_optional(raw):
    def edit(d):
        d["scenario"][0].pop("label", None)
    spec = _parse(raw, edit)
    assert spec.scenarios[0].label == "" and spec.scenarios[1].label == "Reopening with documents"
