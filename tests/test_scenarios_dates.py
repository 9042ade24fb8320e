"""One date coercion for the scenario layer: what it accepts, what it refuses, and that every
place taking a date from outside (files, arguments, frames, schedules) behaves alike."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import forecast.scenarios as sc
from forecast.errors import ScenarioError
from forecast.scenarios import observations as obsmod
from forecast.scenarios import schedule
from forecast.scenarios.dates import as_date
from forecast.scenarios.evaluate import evaluate

DAY = dt.date(2023, 5, 4)


@pytest.mark.parametrize("value", [
    DAY,
    dt.datetime(2023, 5, 4, 23, 59),
    pd.Timestamp("2023-05-04 06:00"),
    np.datetime64("2023-05-04"),
    np.datetime64("2023-05-04T18:30:00.000000000"),
    "2023-05-04",
    " 2023-05-04 ",
])
def test_every_accepted_form_gives_the_calendar_day(value):
    out = as_date(value)
    assert out == DAY and type(out) is dt.date


@pytest.mark.parametrize("value", [
    None, pd.NaT, np.datetime64("NaT"), 20230504, 1.5, "04/05/2023", "4 May 2023",
    "20230504", "2023-05-04T00:00", "2023-02-30", "",
])
def test_refused_values_name_the_place_the_value_and_what_is_valid(value):
    with pytest.raises(ScenarioError) as err:
        as_date(value, "my.toml: window.as_of")
    message = str(err.value)
    assert message.startswith("my.toml: window.as_of: expected a date: a 'YYYY-MM-DD' string")
    assert repr(value) in message


def test_datetime_subclass_is_cut_to_its_day_not_returned_as_is():
    # a datetime is a date too; returning it unchanged would compare unequal to the date
    assert as_date(pd.Timestamp("2023-05-04 12:00")) == DAY
    assert not isinstance(as_date(pd.Timestamp("2023-05-04 12:00")), dt.datetime)


@pytest.fixture(scope="module")
def replay():
    return sc.load(sc.REPLAY_SCENARIO)


def _frame():
    return pd.DataFrame({"date": pd.to_datetime(["2023-05-01", "2023-05-08"]),
                         "episode": ["2023-04", "2023-04"], "low": [100.0, 200.0],
                         "high": [150.0, 250.0]}).set_index("date")


def test_every_entry_point_refuses_the_same_value_with_the_same_message(replay, tmp_path):
    obs = obsmod.from_frame(_frame(), "2023-04")
    calls = {
        "as_of": lambda: replay.with_as_of("04/05/2023"),
        "Observations.until": lambda: obs.until("04/05/2023"),
        "Observations.between: first": lambda: obs.between("04/05/2023", DAY),
        "Observations.offsets: start": lambda: obs.offsets("04/05/2023"),
        "calibrate upto": lambda: sc.calibrate(replay, upto="04/05/2023"),
        "evaluate as_of": lambda: evaluate(replay, as_of="04/05/2023", methods=("persistence",)),
        "schedule dates": lambda: schedule.batches(replay.history.batches, ["04/05/2023"]),
        "row 2: date": lambda: obsmod.from_frame(
            _frame().reset_index().assign(date=["2023-05-01", "04/05/2023"]), "2023-04"),
    }
    for where, call in calls.items():
        with pytest.raises(ScenarioError, match=rf"{where}: expected a date: a 'YYYY-MM-DD' "
                                                r"string.*got '04/05/2023'"):
            call()


def test_scenario_file_dates_use_the_same_rule(replay):
    import tomllib

    with open(sc.REPLAY_SCENARIO, "rb") as fh:
        raw = tomllib.load(fh)
    raw["window"]["end"] = "2023-05-15"          # an ISO string is a date, as in TOML
    assert sc.parse(raw, "edited.toml").end == dt.date(2023, 5, 15)
    raw["window"]["end"] = "15 May 2023"
    with pytest.raises(ScenarioError, match=r"edited\.toml: window\.end: expected a date: "
                                            r"a 'YYYY-MM-DD' string.*got '15 May 2023'"):
        sc.parse(raw, "edited.toml")


def test_observation_filters_agree_for_every_form_of_a_day():
    obs = obsmod.from_frame(_frame(), "2023-04")
    forms = [dt.date(2023, 5, 1), "2023-05-01", pd.Timestamp("2023-05-01 20:00"),
             np.datetime64("2023-05-01")]
    assert {len(obs.until(d)) for d in forms} == {1}
    assert {len(obs.after(d)) for d in forms} == {1}
    assert {tuple(obs.offsets(d)) for d in forms} == {(0, 7)}
