"""One way in for series: ``fit``/``predict``, ``predict_many`` and ``backtest`` read a series
the same way (order, gaps and their warning, argument checks) and, for the same series, model,
origin and seed, give bit-identical forecasts."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import forecast as fc
from forecast.errors import BacktestError, ForecastError, ModelError
from forecast.jobs import job_seed
from forecast.models import Drift, GapWarning, Naive, Theta
from forecast.models.distribution import DEFAULT_QUANTILES, quantile_column

Q = [quantile_column(q) for q in DEFAULT_QUANTILES]
N_PATHS = 300


def gapped(name="a"):
    """The issue's example: 2005, 2014, then 2017-2021."""
    idx = pd.PeriodIndex(["2005", "2014", "2017", "2018", "2019", "2020", "2021"], freq="Y")
    return pd.Series([60.0, 95.0, 100.0, 112.0, 119.0, 133.0, 141.0], index=idx, name=name)


def long(y: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": y.name, "ds": y.index, "y": y.to_numpy()})


def single(model, y, h, seed):
    """``fit``/``predict`` with the job seed of (series, model, origin = last period)."""
    m = model.clone().fit(y)
    return m.predict(h, n_paths=N_PATHS, seed=job_seed(seed, y.name, m.name, m.index_[-1]))


def gap_messages(record) -> list[str]:
    # the text after the prefix naming who read the series ("Drift: ", "series 'a': ")
    return [str(w.message).split(": ", 1)[1] for w in record if w.category is GapWarning]


def test_the_gap_example_is_forecast_alike_by_all_three():
    y = gapped()
    with pytest.warns(GapWarning) as w_fit:
        f = single(Drift(), y, 2, seed=0)
    with pytest.warns(GapWarning) as w_many:
        many = fc.predict_many(Drift(), long(y), h=2, n_paths=N_PATHS, seed=0)
    expected = f.to_frame()
    pd.testing.assert_frame_equal(many.drop(columns="unique_id"), expected,
                                  check_dtype=False, rtol=0, atol=0)
    # the years before the gap take no part: same forecast as from 2017-2021 alone
    with warnings.catch_warnings():
        warnings.simplefilter("error", GapWarning)  # no gap, no warning
        tail = fc.predict_many(Drift(), long(y.iloc[2:]), h=2, n_paths=N_PATHS, seed=0)
    pd.testing.assert_frame_equal(many, tail, rtol=0, atol=0)
    assert gap_messages(w_fit) == gap_messages(w_many) == [
        "y has gaps (after 2005, 2014); fitting on the last contiguous stretch 2017–2021 "
        "(5 points)"]

    # backtest: each origin's row is the forecast made from the data up to that origin
    with pytest.warns(GapWarning) as w_bt:
        bt = fc.backtest(Drift(), y, h=1, n_paths=N_PATHS, seed=0, quiet=True)
    assert len(gap_messages(w_bt)) == 1 and gap_messages(w_bt) == gap_messages(w_fit)
    assert bt.table["origin"].astype(str).tolist() == ["2019", "2020"]  # Drift needs 3
    for row in bt.table.itertuples():
        upto = y[y.index <= row.origin]
        with pytest.warns(GapWarning):
            one = single(Drift(), upto, 1, seed=0)
        assert row.point == one.point.iloc[0]
        np.testing.assert_array_equal(
            bt.table.loc[row.Index, Q].to_numpy(dtype=float),
            one.quantile(DEFAULT_QUANTILES).iloc[0].to_numpy())


def test_backtest_rows_equal_predict_many_on_each_origin():
    rng = np.random.default_rng(4)
    ys = [pd.Series(200 + np.cumsum(rng.normal(2, 5, 12)),
                    index=pd.period_range("2001", periods=12, freq="Y"), name=f"s{i}")
          for i in range(2)]
    frame = pd.concat([long(y) for y in ys], ignore_index=True)
    bt = fc.backtest([Naive(), Theta()], frame, h=2, n_origins=3, n_paths=N_PATHS, seed=9,
                     quiet=True).table
    for (uid, origin), part in bt.groupby(["unique_id", "origin"]):
        upto = frame[(frame["unique_id"] == uid) & (frame["ds"] <= origin)]
        for model in (Naive(), Theta()):
            many = fc.predict_many(model, upto, h=2, n_paths=N_PATHS, seed=9)
            rows = part[part["model"] == model.name]
            np.testing.assert_array_equal(rows["point"].to_numpy(), many["point"].to_numpy())
            np.testing.assert_array_equal(rows[Q].to_numpy(), many[Q].to_numpy())
            assert rows["ds"].tolist() == many["ds"].tolist()


# -- the one order rule: sort ---------------------------------------------------------------
def test_every_entry_point_sorts_rows_by_period():
    y = pd.Series(100 + np.arange(10.0) ** 1.3, index=pd.period_range("2010", periods=10,
                                                                       freq="Y"), name="s")
    shuffled = y.iloc[np.random.default_rng(0).permutation(len(y))]
    assert not shuffled.index.is_monotonic_increasing
    a, b = single(Drift(), y, 3, 1), single(Drift(), shuffled, 3, 1)
    np.testing.assert_array_equal(a.paths, b.paths)
    assert list(a.index) == list(b.index)
    for data in (shuffled, long(shuffled), {"s": shuffled}):
        pd.testing.assert_frame_equal(
            fc.predict_many(Drift(), data, h=3, n_paths=N_PATHS, seed=1),
            fc.predict_many(Drift(), y, h=3, n_paths=N_PATHS, seed=1), rtol=0, atol=0)
        pd.testing.assert_frame_equal(
            fc.backtest(Drift(), data, h=2, n_origins=3, n_paths=N_PATHS, quiet=True).table,
            fc.backtest(Drift(), y, h=2, n_origins=3, n_paths=N_PATHS, quiet=True).table)


def test_a_period_twice_is_refused_by_all_three():
    y = gapped().iloc[2:]
    twice = pd.concat([y, y.iloc[[1]]])
    with pytest.raises(ModelError, match="more than one value for 2018"):
        Drift().fit(twice)
    with pytest.raises(fc.errors.DataError, match="series 'a': y has more than one value "
                                                  "for 2018"):
        fc.predict_many(Drift(), twice, h=1)
    with pytest.raises(BacktestError, match="series 'a': y has more than one value for 2018"):
        fc.backtest(Drift(), twice, h=1)


# -- the one set of argument checks ---------------------------------------------------------
def _three(h=1, n_paths=10, seed=0):
    y = gapped().iloc[2:]
    return {
        "fit/predict": (ModelError,
                        lambda: Drift().fit(y).predict(h, n_paths=n_paths, seed=seed)),
        "predict_many": (ModelError,
                         lambda: fc.predict_many(Drift(), y, h=h, n_paths=n_paths, seed=seed)),
        "backtest": (BacktestError,
                     lambda: fc.backtest(Drift(), y, h=h, n_paths=n_paths, seed=seed)),
    }


@pytest.mark.parametrize("bad", [2.5, 0, -1, True, "3", None])
def test_n_paths_must_be_an_integer_of_at_least_one_everywhere(bad):
    for error, call in _three(n_paths=bad).values():
        with pytest.raises(error, match=r"n_paths must be an integer >= 1; got"):
            call()


@pytest.mark.parametrize("bad", [2.5, 0, True, "1"])
def test_h_must_be_an_integer_of_at_least_one_everywhere(bad):
    for error, call in _three(h=bad).values():
        with pytest.raises(error, match=r"horizon h must be an integer >= 1; got"):
            call()


@pytest.mark.parametrize("bad", [-1, 0.5, "0", False])
def test_seed_must_be_a_non_negative_integer_everywhere(bad):
    for error, call in _three(seed=bad).values():
        with pytest.raises(error, match="seed must be a non-negative integer or None"):
            call()


def test_numpy_integers_are_integers():
    y = gapped().iloc[2:]
    f = Drift().fit(y).predict(np.int64(2), n_paths=np.int32(5), seed=np.uint8(3))
    assert f.paths.shape == (5, 2)


# -- the identity, on any series -------------------------------------------------------------
@st.composite
def series(draw):
    n = draw(st.integers(4, 14))
    values = draw(st.lists(st.floats(1.0, 1e4, allow_nan=False), min_size=n, max_size=n))
    # years with some missing: consecutive runs separated by gaps of 1-3 years
    steps = draw(st.lists(st.sampled_from([1, 1, 1, 2, 4]), min_size=n - 1, max_size=n - 1))
    years = 1990 + np.concatenate([[0], np.cumsum(steps)])
    order = draw(st.permutations(range(n)))
    y = pd.Series(np.asarray(values)[order],
                  index=pd.PeriodIndex(years[order].astype(str), freq="Y"), name="u")
    return y


@settings(max_examples=30, deadline=None)
@given(series(), st.sampled_from([Naive(), Drift(), Theta()]), st.integers(0, 2**31),
       st.integers(1, 4))
def test_predict_many_equals_fit_predict_on_any_series(y, model, seed, h):
    def run(call):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return call(), gap_messages(caught)
            except ForecastError as exc:
                return type(exc), gap_messages(caught)

    one, w_one = run(lambda: single(model, y, h, seed))
    many, w_many = run(lambda: fc.predict_many(model, long(y), h=h, n_paths=N_PATHS,
                                               seed=seed))
    assert w_one == w_many
    if isinstance(one, type):  # too short after the gap: the same refusal
        assert one is many is ModelError
        return
    got = many.drop(columns="unique_id")
    pd.testing.assert_frame_equal(got, one.to_frame(), check_dtype=False, rtol=0, atol=0)


def test_daily_dates_with_missing_days_are_cut_like_periods():
    days = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-07", "2020-01-08",
                           "2020-01-09", "2020-01-10"])
    y = pd.Series([1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 13.0], index=days)
    with pytest.warns(GapWarning, match="last contiguous stretch"):
        f = Naive().fit(y).predict(2, n_paths=10, seed=0)
    assert [str(p) for p in f.point.index] == ["2020-01-11", "2020-01-12"]
    assert f.point.iloc[0] == 13.0


def test_values_too_large_to_forecast_are_refused_not_capped():
    y = pd.Series([1e304, 2e304, 3e304], index=pd.period_range("2001", periods=3, freq="Y"))
    with pytest.raises(ModelError, match="beyond"):
        Naive().fit(y)
    with pytest.raises(ForecastError, match="beyond"):
        fc.predict_many(Naive(), {"a": y}, h=1, n_paths=10)
