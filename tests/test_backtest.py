"""forecast.backtest: rolling origins, no look-ahead, real-time vintages, errors, output."""

import io
import re

import numpy as np
import pandas as pd
import pytest

import forecast as fc
from forecast.backtest import Backtest, diebold_mariano, real_time_series
from forecast.backtest.origins import origin_positions
from forecast.errors import BacktestError, ForecastError, ModelError
from forecast.jobs import job_seed
from forecast.metrics import DEFAULT_METRICS
from forecast.models import Drift, Mean, Naive, Regression
from forecast.models.base import BaseModel
from forecast.progress import Progress


def annual(values, start=2000, name="s"):
    idx = pd.period_range(str(start), periods=len(values), freq="Y")
    return pd.Series(np.asarray(values, dtype=float), index=idx, name=name)


@pytest.fixture
def y():
    rng = np.random.default_rng(7)
    return annual(50 + np.cumsum(rng.normal(1, 2, 20)), name="walk")


class Spy(BaseModel):
    """Point forecast = [number of training values, last training value, X_future...]."""

    min_obs = 2
    uses_exog = True

    def __init__(self):
        pass

    def _fit(self, y, X=None):
        self.n_ = len(y)
        self.last_ = float(y[-1])

    def _simulate(self, h, n_paths, rng, X_future=None):
        point = np.full(h, float(self.last_))
        point[0] = self.n_
        if X_future is not None:
            point[1:] = X_future[1:, 0]
        return point, np.tile(point, (n_paths, 1))


# -- origins ---------------------------------------------------------------------------
def test_origin_positions():
    assert list(origin_positions(10, 2, min_train=3)) == [2, 3, 4, 5, 6, 7]
    assert list(origin_positions(10, 2, min_train=3, initial=5, step=2)) == [4, 6]
    assert list(origin_positions(10, 2, min_train=3, n_origins=3, step=2)) == [3, 5, 7]


def test_table_schema_and_no_look_ahead(y):
    bt = fc.backtest([Spy(), Naive()], y, h=3, initial=8)
    t = bt.table
    q = ["q2.5", "q10", "q25", "q50", "q75", "q90", "q97.5"]
    assert list(t.columns) == ["unique_id", "model", "origin", "ds", "step", "y", "point", *q,
                               "crps", "naive", "scale_mae", "scale_mse"]
    assert isinstance(t["ds"].dtype, pd.PeriodDtype)
    origins = pd.period_range("2007", "2016", freq="Y")
    assert list(t["origin"].unique()) == list(origins)
    spy = t[(t.model == "Spy") & (t.step == 1)]
    # training length at origin 2007 is 8 (2000..2007), growing by one
    np.testing.assert_array_equal(spy["point"], np.arange(8, 18))
    two = t[(t.model == "Spy") & (t.step == 2)]
    np.testing.assert_allclose(two["point"], y.loc[origins].to_numpy())
    assert (t["ds"] - t["origin"]).map(lambda d: d.n).tolist() == t["step"].tolist()
    np.testing.assert_allclose(t["y"], y.loc[t["ds"]].to_numpy())
    np.testing.assert_allclose(t["naive"], y.loc[t["origin"]].to_numpy())
    qs = t[q].to_numpy()
    assert np.all(np.diff(qs, axis=1) >= 0)


def test_rolling_window_and_step(y):
    bt = fc.backtest(Spy(), y, h=2, initial=6, step=3, window=5)
    first = bt.table[bt.table.step == 1]
    assert first["point"].tolist() == [5.0] * len(first)
    assert first["origin"].astype(str).tolist() == ["2005", "2008", "2011", "2014", "2017"]


def test_scale_columns_are_training_window_naive_errors(y):
    bt = fc.backtest(Naive(), y, h=2, initial=10)
    row = bt.table.iloc[0]
    d = np.diff(y.iloc[:10].to_numpy())
    assert row["scale_mae"] == pytest.approx(np.mean(np.abs(d)))
    assert row["scale_mse"] == pytest.approx(np.mean(d**2))


def test_long_frame_many_series(y):
    other = annual(np.linspace(10, 30, 15), start=2005, name="line")
    long = pd.concat([
        pd.DataFrame({"unique_id": s.name, "ds": s.index, "y": s.to_numpy()})
        for s in (y, other)
    ], ignore_index=True)
    bt = fc.backtest({"naive": Naive(), "drift": Drift(positive=False)}, long, h=2, n_origins=3)
    t = bt.table
    assert sorted(t["unique_id"].unique()) == ["line", "walk"]
    assert t.groupby(["unique_id", "model"])["origin"].nunique().eq(3).all()
    assert list(t.loc[t.unique_id == "line", "origin"].astype(str).unique()) == [
        "2015", "2016", "2017"]
    s = bt.scores(by=["unique_id", "model"])
    line_drift = s[(s.unique_id == "line") & (s.model == "drift")]
    assert line_drift["mae"].item() == pytest.approx(0, abs=1e-8)


def test_seeds_do_not_depend_on_model_list_or_order(y):
    a = fc.backtest([Naive(), Drift()], y, h=2, n_origins=4, n_paths=200, seed=3).table
    b = fc.backtest([Drift()], y, h=2, n_origins=4, n_paths=200, seed=3).table
    pd.testing.assert_frame_equal(a[a.model == "Drift"].reset_index(drop=True), b)
    c = fc.backtest([Drift()], y, h=2, n_origins=4, n_paths=200, seed=4).table
    assert not np.allclose(b["q10"], c["q10"])
    s1, s2 = job_seed(0, "walk", "Naive", "2001"), job_seed(0, "walk", "Naive", "2001")
    assert s1.entropy == s2.entropy


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_failing_job_names_series_model_and_origin(y, n_jobs):
    bad = y.copy()
    bad.iloc[0] = -1.0
    with pytest.raises(ModelError) as err:
        fc.backtest([Naive(), Drift(positive=True)], bad, h=2, initial=10, n_jobs=n_jobs)
    # every origin fails; with two workers whichever fails first is reported
    assert re.match(r"series 'walk', model 'Drift', origin 20\d\d: Drift: positive=True but "
                    r"y has negative values", str(err.value))
    assert "\n" not in str(err.value)


def test_joblib_matches_serial(y):
    kw = dict(h=2, n_origins=5, n_paths=300, seed=1, quiet=True)
    one = fc.backtest([Naive(), Mean()], y, n_jobs=1, **kw).table
    two = fc.backtest([Naive(), Mean()], y, n_jobs=2, **kw).table
    pd.testing.assert_frame_equal(one, two)


# -- scores -----------------------------------------------------------------------------
def test_scores_are_a_pure_function_of_the_table(y, tmp_path):
    bt = fc.backtest([Naive(), Drift()], y, h=3, initial=10, n_paths=300)
    s = bt.scores()
    assert list(s.columns) == ["model", *DEFAULT_METRICS]
    assert s.loc[s.model == "Naive", "skill"].item() == pytest.approx(0, abs=1e-9)
    by_step = bt.scores(by=["model", "step"])
    assert len(by_step) == 6
    path = tmp_path / "bt.csv"
    bt.to_csv(path)
    back = pd.read_csv(path)
    again = Backtest(back).scores()
    np.testing.assert_allclose(again["mae"], s["mae"], rtol=1e-5)
    np.testing.assert_allclose(again["crps"], s["crps"], rtol=1e-5)
    assert bt.to_csv() == path.read_text()


def test_plot(y):
    import matplotlib.pyplot as plt

    bt = fc.backtest([Naive(), Drift()], y, h=3, initial=12, n_paths=100)
    fig = bt.plot()
    assert len(fig.axes) == 2
    plt.close(fig)


# -- real-time vintages ---------------------------------------------------------------------
@pytest.fixture
def vintage_rows():
    # period p first published at the end of p+1 with value 10p, revised at the end of p+2
    # to 10p + 1 (periods 0..9 as years 2000..2009)
    rows = []
    for i in range(10):
        p = pd.Period(str(2000 + i), freq="Y")
        rows.append((p, 10.0 * i + 100, pd.Timestamp(f"{2001 + i}-12-31"), "primary"))
        rows.append((p, 10.0 * i + 101, pd.Timestamp(f"{2002 + i}-12-31"), "primary"))
        rows.append((p, 999.0, pd.Timestamp(f"{2001 + i}-06-30"), "alternate"))
    return pd.DataFrame(rows, columns=["period", "value", "vintage_date", "status"])


def test_real_time_series_rule(vintage_rows):
    from forecast.backtest.origins import check_vintages

    rows = check_vintages(vintage_rows, "x")
    s = real_time_series(rows, pd.Period("2004", freq="Y"))
    # at the first release of 2004 (end of 2005): 2004 first release, 2003 and earlier revised
    assert s.index.astype(str).tolist() == ["2000", "2001", "2002", "2003", "2004"]
    assert s.tolist() == [101.0, 111.0, 121.0, 131.0, 140.0]


def test_real_time_backtest_trains_on_vintages_scores_on_latest(vintage_rows):
    latest = annual([10.0 * i + 101 for i in range(10)], name="x")
    bt = fc.backtest(Spy(), latest, h=2, initial=4, vintage="real-time",
                     vintages=vintage_rows)
    t = bt.table
    step2 = t[t.step == 2]
    # the spy's step-2 point is the last training value: the origin's first release
    assert step2["point"].tolist() == [10.0 * i + 100 for i in range(3, 8)]
    np.testing.assert_allclose(t["naive"], step2["point"].repeat(2).to_numpy())
    np.testing.assert_allclose(t["y"], latest.loc[t["ds"]].to_numpy())
    latest_bt = fc.backtest(Spy(), latest, h=2, initial=4)
    assert not np.allclose(latest_bt.table["naive"], t["naive"])


def test_real_time_missing_first_release(vintage_rows):
    latest = annual([10.0 * i + 101 for i in range(12)], name="x")
    with pytest.raises(BacktestError, match="no published vintage for origin period 2010"):
        fc.backtest(Spy(), latest, h=1, initial=11, vintage="real-time",
                    vintages=vintage_rows)


def _bundled(name):
    try:
        y = fc.datasets.load(name)
        fc.datasets.vintages(name)
    except (ForecastError, AttributeError) as exc:
        pytest.skip(f"bundled dataset {name} not available: {exc}")
    return y


def test_real_time_on_bundled_chile_foreign_population():
    y = _bundled("chile_foreign_population")
    with pytest.warns(fc.models.GapWarning, match="2017–"):  # 2005 and 2014 are left out
        bt = fc.backtest(Naive(), "chile_foreign_population", h=1, n_origins=3,
                         vintage="real-time", n_paths=100)
    t = bt.table
    assert len(t) == 3
    np.testing.assert_allclose(t["y"], y.loc[t["ds"]].to_numpy())  # scored on latest values
    # Naive forecasts the origin's value as first published, not its later revision
    rows = fc.datasets.vintages("chile_foreign_population")
    first = rows[rows["status"] == "primary"].sort_values("vintage_date").drop_duplicates(
        "period").set_index("period")["value"]
    np.testing.assert_allclose(t["point"], first.loc[t["origin"]].to_numpy())
    assert (t["point"].to_numpy() != y.loc[t["origin"]].to_numpy()).any()


# -- exogenous regressors ----------------------------------------------------------------
def test_exog_future_is_never_the_realised_future(y):
    X = pd.DataFrame({"x": np.arange(len(y), dtype=float) ** 2 + 1}, index=y.index)
    bt = fc.backtest(Spy(), y, h=3, initial=10, X=X)
    t = bt.table[bt.table.step == 3]
    # Naive forecast of x from the origin: the value at the origin
    np.testing.assert_allclose(t["point"], X.loc[t["origin"], "x"].to_numpy(), rtol=1e-9)
    oracle = fc.backtest(Spy(), y, h=3, initial=10, X=X, oracle_exog=True).table
    o3 = oracle[oracle.step == 3]
    np.testing.assert_allclose(o3["point"], X.loc[o3["ds"], "x"].to_numpy())
    scen = fc.backtest(Spy(), y, h=3, initial=10, X=X,
                       exog_future=lambda uid, origin, h: np.full(h, -5.0)).table
    assert (scen.loc[scen.step == 3, "point"] == -5.0).all()


def test_X_with_a_model_that_cannot_use_it_is_refused_before_any_job(y, monkeypatch):
    X = pd.DataFrame({"x": np.arange(len(y), dtype=float)}, index=y.index)

    def no_jobs(*args, **kwargs):
        raise AssertionError("jobs ran")

    monkeypatch.setattr("forecast.backtest.runner.run_jobs", no_jobs)
    with pytest.raises(ModelError, match="Naive does not use exogenous regressors.*Regression"):
        fc.backtest([Regression(lags=1), Naive()], y, h=2, initial=10, X=X)


def test_exog_of_a_regression_reaches_the_model(y):
    x = np.arange(len(y), dtype=float) ** 1.5
    yx = pd.Series(3.0 * x + 1.0, index=y.index, name="yx")
    X = pd.DataFrame({"x": x}, index=y.index)
    t = fc.backtest(Regression(lags=1, positive=False), yx, h=2, initial=10, X=X,
                    oracle_exog=True, n_paths=20).table
    # y is a linear function of x: with the realised future of x the forecast is exact
    np.testing.assert_allclose(t["point"], t["y"], rtol=1e-6)


# -- bad input -------------------------------------------------------------------------------
def test_bad_input_errors(y):
    with pytest.raises(BacktestError, match="h must be an integer >= 1"):
        fc.backtest(Naive(), y, h=0)
    for bad in (2.5, 0, True):
        with pytest.raises(BacktestError, match="n_paths must be an integer >= 1"):
            fc.backtest(Naive(), y, h=1, n_paths=bad)
    with pytest.raises(BacktestError, match="step .* must be an integer >= 1"):
        fc.backtest(Naive(), y, h=1, step=1.5)
    with pytest.raises(BacktestError, match="seed must be a non-negative integer"):
        fc.backtest(Naive(), y, h=1, seed=-3)
    with pytest.raises(BacktestError, match="initial can be at most 17"):
        fc.backtest(Naive(), y, h=3, initial=18)
    with pytest.raises(BacktestError, match="needs at least 6"):
        fc.backtest(Drift(), y.iloc[:5], h=3)
    bad = y.copy()
    bad.iloc[4] = np.nan
    with pytest.raises(BacktestError, match="series 'walk': y has 1 missing .NaN.*2004"):
        fc.backtest(Naive(), bad, h=1)
    long = pd.DataFrame({"unique_id": "a", "ds": list(range(10)) + [3], "y": 1.0})
    with pytest.raises(BacktestError, match="series 'a': y has more than one value for 3"):
        fc.backtest(Naive(), long, h=1)
    dup = pd.Series(np.ones(6), index=[0, 1, 2, 2, 3, 4])
    with pytest.raises(BacktestError, match="more than one value for 2"):
        fc.backtest(Naive(), dup, h=1)
    with pytest.raises(BacktestError, match="unique_id, ds, y"):
        fc.backtest(Naive(), pd.DataFrame({"y": [1.0]}), h=1)
    with pytest.raises(BacktestError, match="vintage"):
        fc.backtest(Naive(), y, h=1, vintage="yesterday")
    assert issubclass(BacktestError, ValueError)


# -- Diebold-Mariano --------------------------------------------------------------------------
def test_diebold_mariano_by_hand():
    e1 = np.array([1.0, -2.0, 2.5, 3.0, -1.0, 2.0])
    e2 = np.array([0.5, -1.0, 1.0, 1.0, -0.5, 1.5])
    d = e1**2 - e2**2  # [0.75, 3, 5.25, 8, 0.75, 1.75]
    T, dbar = 6, d.mean()
    g0 = np.sum((d - dbar) ** 2) / T
    g1 = np.sum((d[1:] - dbar) * (d[:-1] - dbar)) / T
    dm = dbar / np.sqrt((g0 + 2 * g1) / T)
    hln = dm * np.sqrt((T + 1 - 4 + 2 / T) / T)
    res = diebold_mariano(e1, e2, h=2)
    assert res.statistic == pytest.approx(hln)
    from scipy import stats

    assert res.pvalue == pytest.approx(2 * stats.t.sf(abs(hln), T - 1))
    assert g0 + 2 * g1 > 0
    assert res.mean_diff == pytest.approx(19.5 / 6)
    one = diebold_mariano(e1, e2, h=1, loss="absolute")
    da = np.abs(e1) - np.abs(e2)
    expected = da.mean() / np.sqrt(np.var(da) / T) * np.sqrt((T - 1) / T)
    assert one.statistic == pytest.approx(expected)


def test_diebold_mariano_falls_back_to_variance_when_long_run_variance_negative():
    d_alt = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 2.0])  # strongly negative lag-1
    e2 = np.ones_like(d_alt)
    e1 = np.sqrt(d_alt + 1)  # squared loss differential equals d_alt
    res = diebold_mariano(e1, e2, h=2)
    T = len(d_alt)
    expected = d_alt.mean() / np.sqrt(np.var(d_alt) / T) * np.sqrt((T + 1 - 4 + 2 / T) / T)
    assert res.statistic == pytest.approx(expected)


def test_backtest_dm_per_series(y):
    bt = fc.backtest([Naive(), Mean()], y, h=1, initial=8, n_paths=50)
    out = bt.dm("Naive", "Mean")
    assert out["statistic"].item() < 0  # Naive tracks a random walk better than Mean
    with pytest.raises(BacktestError, match="not in the backtest"):
        bt.dm("Naive", "ETS")


# -- progress bar ------------------------------------------------------------------------------
class _TTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal():
    tty = _TTY()
    bar = Progress(4, stream=tty)
    bar.update(2)
    bar.close()
    assert "2/4" in tty.getvalue()
    quiet = _TTY()
    bar = Progress(4, quiet=True, stream=quiet)
    bar.update(4)
    bar.close()
    assert quiet.getvalue() == ""
    pipe = io.StringIO()
    bar = Progress(4, stream=pipe)
    bar.update(4)
    assert pipe.getvalue() == ""


@pytest.mark.parametrize("n_jobs", [0, 1.5, True])
def test_bad_n_jobs_is_one_clear_error(y, n_jobs):
    with pytest.raises(BacktestError, match="n_jobs must be a non-zero integer"):
        fc.backtest(Naive(), y, h=1, n_origins=2, n_jobs=n_jobs)
    with pytest.raises(ForecastError, match="n_jobs must be a non-zero integer"):
        fc.predict_many(Naive(), {"a": y}, h=1, n_jobs=n_jobs)
