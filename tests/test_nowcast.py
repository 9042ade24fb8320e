"""`Nowcast`: shares of the year by hand, the precision-weighted combination, seeds, the
vintage rule on the bundled data, and ``forecast fit --as-of``."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import forecast as fc
from forecast.cli import main
from forecast.errors import DataError, ModelError
from forecast.models import Drift, Nowcast
from forecast.models import nowcast as nowcast_module
from forecast.models.nowcast import (
    annual_weight,
    as_of_date,
    fit_as_of,
    learn_prior,
    log_scale,
    pace_deviation,
    pace_predictive,
    public_from,
    year_fraction,
    year_to_date,
)

NAME = "chile_irregular_entries"
Y = pd.Series([1000.0, 1100, 1250, 1300, 1500, 1650, 1700, 1900],
              index=pd.period_range("2014", periods=8, freq="Y"))
#: past windows: 2019 and 2020 to 30 June (same window as the target), 2021 to 30 September
PARTIAL = pd.DataFrame({
    "period_start": ["2019-01-01", "2020-01-01", "2021-01-01", "2023-01-01"],
    "period_end": ["2019-06-30", "2020-06-30", "2021-09-30", "2023-06-30"],
    "value": [700.0, 800.0, 1400.0, 1100.0],
})


def days(start, end):
    return (pd.Timestamp(end) - pd.Timestamp(start)).days + 1


# -- the share of the year, by hand -------------------------------------------------------
def test_year_fraction_counts_days_of_that_year():
    assert year_fraction("2024-01-01", "2024-07-31") == 213 / 366  # leap year
    assert year_fraction("2023-01-01", "2023-06-30") == 181 / 365
    assert year_fraction("2023-01-01", "2023-01-01") == 1 / 365


def test_pace_deviation_by_hand():
    f = 181 / 365
    # even pace: the count is exactly its fraction of the year
    assert pace_deviation(f * 1000, 1000, f) == pytest.approx(0.0, abs=1e-12)
    z = pace_deviation(17039, 29269, 213 / 366)
    assert z == pytest.approx((np.log(17039 / 29269) - np.log(213 / 366)) / (1 - 213 / 366))


def test_pace_predictive_by_hand():
    loc, scale, df = pace_predictive([0.5, -0.5], prior_weight=1, prior_sd=1)
    # n=2, k=3, zbar=0, ss=0.5: s2 = (1 + 0.5 + 0) / 3; scale = sqrt(s2 (1 + 1/3))
    assert (loc, df) == (0.0, 3)
    assert scale == pytest.approx(np.sqrt(0.5 * 4 / 3))
    loc, scale, df = pace_predictive([1.0], prior_weight=1, prior_sd=1)
    # n=1, k=2: loc = 1/2; s2 = (1 + 0 + 1*1*1/2) / 2 = 0.75; scale = sqrt(0.75 * 1.5)
    assert (loc, df) == (0.5, 2)
    assert scale == pytest.approx(np.sqrt(1.125))
    assert pace_predictive([], prior_weight=2, prior_sd=0.5) == (0.0,
                                                                 pytest.approx(0.5 * np.sqrt(1.5)),
                                                                 2)


def test_annual_weight_and_log_scale_by_hand():
    assert annual_weight(0.3, 0.4) == pytest.approx(0.09 / 0.25)
    assert annual_weight(0.3, np.inf) == 0.0
    paths = np.exp(np.array([0.0, 1.0, 2.0, 3.0, 4.0]))
    m, s = log_scale(paths)
    assert m == pytest.approx(2.0) and s == pytest.approx(2.0 / 1.3489795, rel=1e-6)
    # a lower quartile at zero: nothing usable on the log scale
    assert log_scale(np.array([0.0, 0.0, 0.0, 5.0, 6.0]))[1] == np.inf


def test_learn_prior_prefers_the_spread_of_the_years():
    tight = learn_prior([0.01, -0.02, 0.015, -0.01, 0.0])
    wide = learn_prior([2.0, -2.5, 1.8, -1.9, 2.2])
    assert tight[1] < wide[1]
    assert learn_prior([0.3]) == (1.0, 1.0)  # one year: the a-priori value


# -- the fitted shares and the combination -----------------------------------------------
def fitted(**params):
    params = {"annual": Drift(), "prior_weight": 1.0, "prior_sd": 1.0, **params}
    return Nowcast(**params).fit(Y, partial=PARTIAL)


def test_shares_from_past_years_by_hand():
    m = fitted()
    t = m.targets_.iloc[0]
    f = days("2023-01-01", "2023-06-30") / 365
    assert t["year"] == 2023 and t["fraction"] == pytest.approx(f)
    f20 = days("2020-01-01", "2020-06-30") / 366  # a leap year
    f21 = days("2021-01-01", "2021-09-30") / 365
    z = [(np.log(700 / 1650) - np.log(f)) / (1 - f),        # 2019, same window
         (np.log(800 / 1700) - np.log(f20)) / (1 - f20),    # 2020, same window
         (np.log(1400 / 1900) - np.log(f21)) / (1 - f21)]   # 2021, mapped by fraction
    np.testing.assert_allclose(m.fitted_years_["z"], z)
    assert m.fitted_years_["same_window"].tolist() == [True, True, False]
    zbar, ss = np.mean(z), np.sum((np.array(z) - np.mean(z)) ** 2)
    s2 = (1.0 + ss + 3 * zbar**2 / 4) / 4
    assert t["z_loc"] == pytest.approx(3 * zbar / 4)
    assert t["z_scale"] == pytest.approx(np.sqrt(s2 * (1 + 1 / 4)))
    assert t["share"] == pytest.approx(f * np.exp((1 - f) * 3 * zbar / 4))
    assert t["past_years"] == [2019, 2020, 2021]


def test_precision_weighted_combination_by_hand():
    m = fitted()
    h, n, seed = 3, 4000, 7
    forecast, how = m.predict_explained(h, n_paths=n, seed=seed)
    alone = m.annual_.predict(h, n_paths=n, seed=seed)
    reference = m.annual_.predict(h, n_paths=nowcast_module._REFERENCE_PATHS,
                                  seed=nowcast_module._REFERENCE_SEED)
    t = m.targets_.iloc[0]
    f = t["fraction"]
    q25, q75 = np.quantile(reference.paths[:, 1], [0.25, 0.75])
    s_annual = np.log(q75 / q25) / 1.3489795
    s_share = (1 - f) * t["z_scale"]
    w = s_share**2 / (s_share**2 + s_annual**2)
    centre = np.log(1100) - np.log(f) - (1 - f) * t["z_loc"]
    point = np.exp(w * np.log(alone.point.iloc[1]) + (1 - w) * centre)
    assert how["basis"].tolist() == ["annual model", "nowcast", "annual model"]
    assert how["annual_weight"].iloc[1] == pytest.approx(w, rel=1e-6)
    assert forecast.point.iloc[1] == pytest.approx(point, rel=1e-9)
    # the year before the nowcast year is the annual model's, path for path
    np.testing.assert_array_equal(forecast.paths[:, 0], alone.paths[:, 0])
    # the median of the combined log paths sits at the weighted centre
    assert np.median(np.log(forecast.paths[:, 1])) == pytest.approx(np.log(point), abs=0.03)
    # later years move with the nowcast: the point by the nowcast's own factor
    assert forecast.point.iloc[2] == pytest.approx(
        alone.point.iloc[2] * point / alone.point.iloc[1])


def test_the_less_of_the_year_has_passed_the_more_the_annual_model_weighs():
    weights = {}
    for end in ("2023-03-31", "2023-06-30", "2023-10-31"):
        partial = PARTIAL.copy()
        partial.loc[3, "period_end"] = end
        m = Nowcast(annual=Drift(), prior_weight=1.0, prior_sd=1.0).fit(Y, partial=partial)
        weights[end] = m.predict_explained(2, n_paths=2000, seed=0)[1]["annual_weight"].iloc[1]
    assert weights["2023-03-31"] > weights["2023-06-30"] > weights["2023-10-31"] > 0


def test_seeds_reproduce_and_differ():
    a = fitted().predict(3, n_paths=500, seed=3)
    b = fitted().predict(3, n_paths=500, seed=3)
    c = fitted().predict(3, n_paths=500, seed=4)
    np.testing.assert_array_equal(a.paths, b.paths)
    assert not np.array_equal(a.paths[:, 1], c.paths[:, 1])
    np.testing.assert_array_equal(a.point, c.point)
    assert np.all(a.paths > 0)


def test_without_partial_counts_it_is_the_annual_model():
    m = Nowcast(annual=Drift()).fit(Y)
    np.testing.assert_array_equal(m.predict(3, n_paths=200, seed=1).paths,
                                  Drift().fit(Y).predict(3, n_paths=200, seed=1).paths)


def test_share_alone_when_the_annual_model_cannot_be_fitted():
    short = Y.iloc[-2:-1]  # 2020 alone: Drift needs 3 observations
    partial = PARTIAL.copy()
    m = Nowcast(annual=Drift(), prior_weight=1.0, prior_sd=1.0).fit(short, partial=partial)
    assert m.annual_ is None and "3" in m.annual_error_
    with pytest.raises(ModelError, match="lower h"):
        m.predict(2)
    # 2022 has no count: forecasting through it is refused; a count for it makes h=2 work
    extra = pd.concat([partial, pd.DataFrame({"period_start": ["2022-01-01"],
                                              "period_end": ["2022-08-31"],
                                              "value": [1300.0]})])
    f, how = Nowcast(annual=Drift(), prior_weight=1.0, prior_sd=1.0).fit(
        short, partial=extra).predict_explained(2, n_paths=300, seed=0)
    assert how["annual_weight"].tolist() == [0.0, 0.0] and np.all(f.paths > 0)
    with pytest.raises(ModelError):  # nothing to nowcast: the annual model's refusal
        Nowcast(annual=Drift()).fit(short)


@pytest.mark.parametrize("params, match", [
    ({"prior_sd": -1.0}, "prior_sd"),
    ({"prior_weight": "many"}, "prior_weight"),
    ({"annual": "Auto"}, "annual must be a model"),
    ({"positive": "yes"}, "positive"),
])
def test_bad_parameters_name_themselves(params, match):
    with pytest.raises(ModelError, match=match):
        Nowcast(**params).fit(Y, partial=PARTIAL)


def test_bad_partial_tables_name_the_problem():
    with pytest.raises(ModelError, match="period_end"):
        Nowcast().fit(Y, partial=PARTIAL.drop(columns="period_end"))
    with pytest.raises(ModelError, match="positive"):
        Nowcast().fit(Y, partial=PARTIAL.assign(value=[700.0, -1, 1400, 1100]))
    daily = pd.Series([1.0, 2, 3], index=pd.date_range("2024-01-01", periods=3))
    with pytest.raises(ModelError, match="annual series"):
        Nowcast(annual=Drift()).fit(daily, partial=PARTIAL)


# -- the vintage rule on the bundled data -------------------------------------------------
def test_public_from_is_the_end_of_the_stated_precision():
    assert public_from("2024-12") == pd.Timestamp("2024-12-31")
    assert public_from("2024") == pd.Timestamp("2024-12-31")
    assert public_from("2024-08-28") == pd.Timestamp("2024-08-28")
    assert pd.isna(public_from("")) and pd.isna(public_from(None))


@pytest.mark.parametrize("as_of", ["2021-09-30", "2023-07-15", "2024-08-31", "2025-12-31"])
def test_a_figure_dated_after_as_of_is_never_used(as_of):
    cutoff = pd.Timestamp(as_of)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = fit_as_of(NAME, as_of)
    used = m.used_
    # annual values: exactly the vintage-rule series of that day
    annual = used[used["kind"] == "annual"]
    expected = fc.datasets.load(NAME, vintage=as_of)
    assert annual["period"].tolist() == [str(p) for p in expected.index]
    vint = fc.datasets.vintages(NAME)
    for r in annual.itertuples(index=False):
        rows = vint[(vint["period"].astype(str) == r.period) & (vint["value"] == r.value)]
        assert rows["vintage_date"].min() <= cutoff
    # year-to-date counts: every one public by then, none later, no undated one
    every = year_to_date(NAME)
    public = every[every["public_from"].notna() & (every["public_from"] <= cutoff)]
    ytd = used[used["kind"] == "year-to-date"]
    assert len(ytd) == len(public)
    assert set(m.fitted_years_["year"]) <= set(public["year"])
    assert set(m.targets_["year"]) <= set(public["year"])
    assert all(public_from(d) <= cutoff for d in m.targets_["source_date"])
    late = every.drop(index=public.index)
    assert len(m.left_out_) == len(late)


def test_a_count_counts_from_the_day_it_was_published():
    every = year_to_date(NAME)
    row = every[every["public_from"].notna()].iloc[-1]
    day = row["public_from"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = fit_as_of(NAME, day - pd.Timedelta(days=1))
        on = fit_as_of(NAME, day)
    window = (row["period_start"], row["period_end"])
    windows = lambda m: set(zip(m.targets_["period_start"], m.targets_["period_end"],  # noqa: E731
                                strict=True))
    assert window not in windows(before)
    if row["year"] > on.index_[-1].year:  # the year's total was not out yet: it is nowcast
        assert window in windows(on)


def test_known_example_2024_from_january_to_july():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = fit_as_of(NAME, "2024-08-31")
        alone = fc.models.Auto().fit(fc.datasets.load(NAME, vintage="2024-08-31"))
    assert m.index_[-1] == pd.Period("2023", freq="Y")
    target = m.targets_.set_index("year").loc[2024]
    assert target["value"] == 17039 and target["period_end"] == pd.Timestamp("2024-07-31")
    nowcast = m.predict(1, n_paths=2000, seed=0).point.iloc[0]
    annual = alone.predict(1, n_paths=2000, seed=0).point.iloc[0]
    assert annual == pytest.approx(53_400, rel=0.02)  # the figure
    published = fc.datasets.load(NAME).loc[pd.Period("2024", freq="Y")]
    assert published == 29_269
    assert abs(nowcast - published) < abs(annual - published) / 2


def test_as_of_dates_are_checked():
    assert as_of_date("2024-02-29") == pd.Timestamp("2024-02-29")
    assert as_of_date(pd.Timestamp("2024-08-31 13:00")) == pd.Timestamp("2024-08-31")
    for bad in ("2023-02-29", "2024-13-01", "yesterday", "2024-8-1", "", 20240801, pd.NaT):
        with pytest.raises(DataError, match="as_of"):
            as_of_date(bad)
    with pytest.raises(DataError, match="public"):
        fit_as_of(NAME, "2000-01-01")


# -- forecast fit --as-of -----------------------------------------------------------------
def test_cli_as_of_names_the_figures_it_used(capsys):
    assert main(["fit", NAME, "--as-of", "2024-08-31", "--h", "2", "--paths", "300",
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    row = year_to_date(NAME).set_index("period_end").loc[pd.Timestamp("2024-07-31")]
    assert "as of 2024-08-31" in out
    assert "2023 44,235" in out and "2024 29,269" not in out  # 2024 was published later
    assert f"nowcast 2024: year-to-date 2024-01-01..2024-07-31 = 17,039 [{row['source_date']}]" \
        in out
    lines = [line.split() for line in out.splitlines() if line.startswith("  2024 ")
             or line.startswith("  2025 ")]
    assert [line[1] for line in lines] == ["nowcast", "annual"]


def test_cli_without_as_of_is_unchanged(capsys):
    assert main(["fit", NAME, "--h", "2", "--paths", "300", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "nowcast" not in out and "Auto forecast" in out


@pytest.mark.parametrize("value", ["2024-02-30", "31/08/2024", "soon"])
def test_cli_bad_as_of_is_one_error_exit_2(value, capsys):
    assert main(["fit", NAME, "--as-of", value]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("forecast: error: --as-of")
    assert "YYYY-MM-DD" in err[0]


def test_cli_as_of_refuses_csv_and_early_dates(tmp_path, capsys):
    csv = tmp_path / "mine.csv"
    csv.write_text("year,value\n2018,1\n2019,2\n2020,3\n")
    assert main(["fit", str(csv), "--as-of", "2024-08-31"]) == 2
    assert "bundled series" in capsys.readouterr().err
    assert main(["fit", NAME, "--as-of", "2000-01-01"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--as-of 2000-01-01" in err[0] and "first was public" in err[0]
