"""predict_many: equality with one-at-a-time fits, identical results for any n_jobs/backend,
input validation naming the offending series, the jobs' error policy."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import KNeighborsRegressor

import forecast as fc
from forecast.errors import DataError, ForecastError, ModelError
from forecast.jobs import job_seed
from forecast.models import Drift, Naive, Regression


def long_frame(n_series=6, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_series):
        n = 8 + i
        y = np.abs(100 + np.cumsum(rng.normal(3, 10, n)))
        rows.append(pd.DataFrame({"unique_id": f"s{i}", "ds": np.arange(2000, 2000 + n),
                                  "y": y}))
    return pd.concat(rows, ignore_index=True)


DF = long_frame()


def test_each_series_equals_a_single_fit_with_its_derived_seed():
    out = fc.predict_many(Drift(), DF, h=3, n_paths=200, seed=11)
    assert list(out.columns[:7]) == ["unique_id", "ds", "model", "step", "point", "mean",
                                     "median"]
    assert len(out) == 6 * 3
    for uid, g in DF.groupby("unique_id"):
        y = pd.Series(g["y"].to_numpy(), index=g["ds"].to_numpy())
        f = Drift().fit(y).predict(3, n_paths=200, seed=job_seed(11, uid, "Drift", y.index[-1]))
        expected = f.to_frame()
        got = out[out["unique_id"] == uid].drop(columns="unique_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=0, atol=0)


def test_future_dates_follow_each_series():
    out = fc.predict_many(Naive(), DF, h=2, n_paths=10)
    last = DF.groupby("unique_id")["ds"].max()
    for uid, g in out.groupby("unique_id"):
        assert list(g["ds"]) == [last[uid] + 1, last[uid] + 2]
        assert list(g["step"]) == [1, 2]
    assert (out["model"] == "Naive").all()


def test_period_and_datetime_dates():
    df = DF.assign(ds=pd.PeriodIndex.from_ordinals(DF["ds"] - 1970, freq="Y"))
    out = fc.predict_many(Naive(), df, h=2, n_paths=10)
    assert isinstance(out["ds"].dtype, pd.PeriodDtype)
    assert str(out["ds"].iloc[0]) == "2008"
    dt = DF.assign(ds=pd.to_datetime(DF["ds"].astype(str) + "-01-01"))
    out_dt = fc.predict_many(Naive(), dt, h=2, n_paths=10)
    assert out_dt["ds"].iloc[0] == pd.Timestamp("2008-01-01")
    np.testing.assert_array_equal(out_dt["point"], out["point"])


def test_joblib_n_jobs_1_and_2_identical():
    a = fc.predict_many(Drift(), DF, h=4, n_paths=300, seed=3, n_jobs=1)
    b = fc.predict_many(Drift(), DF, h=4, n_paths=300, seed=3, n_jobs=2)
    c = fc.predict_many(Drift(), DF, h=4, n_paths=300, seed=3, n_jobs=2, backend="threading")
    pd.testing.assert_frame_equal(a, b, rtol=0, atol=0)
    pd.testing.assert_frame_equal(a, c, rtol=0, atol=0)


def test_row_order_does_not_matter_and_dates_are_sorted():
    a = fc.predict_many(Regression(lags=2), DF, h=3, n_paths=100, seed=1)
    shuffled = DF.sample(frac=1.0, random_state=4)
    b = fc.predict_many(Regression(lags=2), shuffled, h=3, n_paths=100, seed=1)
    pd.testing.assert_frame_equal(a, b, rtol=0, atol=0)
    # a subset of series keeps each series' own stream
    sub = fc.predict_many(Regression(lags=2), DF[DF["unique_id"] == "s3"], h=3, n_paths=100,
                          seed=1)
    pd.testing.assert_frame_equal(
        sub, a[a["unique_id"] == "s3"].reset_index(drop=True), rtol=0, atol=0
    )


def test_dict_input_equals_long_frame():
    data = {uid: pd.Series(g["y"].to_numpy(), index=g["ds"].to_numpy())
            for uid, g in DF.groupby("unique_id")}
    a = fc.predict_many(Naive(), DF, h=3, n_paths=100, seed=5)
    b = fc.predict_many(Naive(), data, h=3, n_paths=100, seed=5)
    pd.testing.assert_frame_equal(a, b, rtol=0, atol=0)


def test_seed_changes_results_and_quantile_columns_follow_request():
    a = fc.predict_many(Naive(), DF, h=2, n_paths=100, seed=0, quantiles=[0.05, 0.95])
    b = fc.predict_many(Naive(), DF, h=2, n_paths=100, seed=1, quantiles=[0.05, 0.95])
    assert list(a.columns[-2:]) == ["q5", "q95"]
    assert not np.array_equal(a["mean"], b["mean"])
    assert np.all(a["q5"] <= a["median"]) and np.all(a["median"] <= a["q95"])


def test_stable_seed_derivation():
    # blake2b, not Python's salted hash: fixed values across processes and runs
    assert job_seed(0, "s1", "Naive", 2001).entropy == job_seed(0, "s1", "Naive", 2001).entropy
    assert job_seed(0, "s1", "Naive", 2001).entropy != job_seed(0, "s2", "Naive", 2001).entropy
    # the key is text: an id 7 and an id "7" are the same series
    assert job_seed(3, 7, "Naive", 2001).entropy == job_seed(3, "7", "Naive", "2001").entropy
    assert job_seed(3, 7, "Naive", 2001).entropy[0] == 3


@pytest.mark.parametrize(
    ("mutate", "error", "match"),
    [
        (lambda d: d.drop(columns="y"), DataError, r"missing column\(s\) \['y'\]"),
        (lambda d: d.rename(columns={"ds": "date"}), DataError, "'ds'"),
        (lambda d: d.iloc[:0], DataError, "empty"),
        (lambda d: d.assign(y=np.where(d.index == 20, np.nan, d["y"])), DataError,
         r"series 's2': y has 1 missing \(NaN\).*first at 2003"),
        (lambda d: d.assign(y=d["y"].astype(object).where(d.index != 3, "n/a")), DataError,
         "series 's0': y must be numeric; found 'n/a'"),
        (lambda d: d.assign(ds=d["ds"].where(d.index != 9, None)), DataError,
         "series 's1': y has missing dates"),
        (lambda d: pd.concat([d, d[d["unique_id"] == "s4"].iloc[[2]]]), DataError,
         "series 's4': y has more than one value for 2002"),
        (lambda d: d.assign(unique_id=d["unique_id"].where(d.index != 5, None)), DataError,
         "'unique_id' has missing values"),
        (lambda d: d[(d["unique_id"] != "s1") | (d["ds"] < 2002)], ModelError,
         "series 's1': Drift needs at least 3 observations; got 2"),
    ],
)
def test_bad_input_names_the_problem(mutate, error, match):
    with pytest.raises(error, match=match):
        fc.predict_many(Drift(), mutate(DF), h=2, n_paths=10)


def test_bad_arguments():
    with pytest.raises(DataError, match="dict of Series"):
        fc.predict_many(Naive(), [1, 2, 3], h=2)
    with pytest.raises(DataError, match="series 'b': y is empty"):
        fc.predict_many(Naive(), {"a": pd.Series([1.0, 2.0]), "b": pd.Series([], dtype=float)},
                        h=2)
    with pytest.raises(ForecastError, match="backend"):
        fc.predict_many(Naive(), DF, h=2, backend="spark")
    with pytest.raises(ModelError, match="horizon"):
        fc.predict_many(Naive(), DF, h=0)


@pytest.mark.parametrize(("n_jobs", "backend"), [(1, None), (2, None), (2, "threading")])
def test_errors_one_line_for_ours_traceback_and_note_for_bugs(n_jobs, backend):
    bad = DF.assign(y=np.where((DF["unique_id"] == "s1") & (DF["ds"] == 2003), -1.0, DF["y"]))
    with pytest.raises(ModelError) as ours:
        fc.predict_many(Drift(positive=True), bad, h=2, n_paths=10, n_jobs=n_jobs,
                        backend=backend)
    assert str(ours.value).startswith("series 's1', model 'Drift', origin 2008: Drift: ")
    assert "\n" not in str(ours.value)
    # not one of ours: scikit-learn refuses 6 neighbours among the 5 rows of series s0
    knn = Regression(estimator=KNeighborsRegressor(n_neighbors=6), lags=3)
    with pytest.raises(ValueError, match="n_neighbors") as bug:
        fc.predict_many(knn, DF, h=2, n_paths=10, n_jobs=n_jobs, backend=backend)
    assert not isinstance(bug.value, ForecastError)
    assert bug.value.__notes__ == ["while forecasting series 's0', model 'Regression', "
                                   "origin 2007"]


def test_n_paths_and_seed_checks():
    for bad in (2.5, 0, True, "10"):
        with pytest.raises(ModelError, match="n_paths must be an integer >= 1"):
            fc.predict_many(Naive(), DF, h=2, n_paths=bad)
    for bad in (-1, 1.5, "0"):
        with pytest.raises(ModelError, match="seed must be a non-negative integer or None"):
            fc.predict_many(Naive(), DF, h=2, seed=bad)
    a = fc.predict_many(Naive(), DF, h=2, n_paths=50, seed=None)
    b = fc.predict_many(Naive(), DF, h=2, n_paths=50, seed=None)
    assert not np.array_equal(a["q10"], b["q10"])  # None: a fresh root seed each call


def test_dask_without_client_says_to_start_one(monkeypatch):
    distributed = pytest.importorskip("distributed")

    def no_client():
        raise ValueError("No clients found")

    monkeypatch.setattr(distributed, "default_client", no_client)
    with pytest.raises(ForecastError, match="start one"):
        fc.predict_many(Naive(), DF, h=2, backend="dask")


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=logging.ERROR,
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_backend_gives_the_identical_frame(dask_client):
    expected = fc.predict_many(Regression(lags=2), DF, h=3, n_paths=200, seed=2)
    explicit = fc.predict_many(Regression(lags=2), DF, h=3, n_paths=200, seed=2,
                               client=dask_client)
    default = fc.predict_many(Regression(lags=2), DF, h=3, n_paths=200, seed=2,
                              backend="dask")
    pd.testing.assert_frame_equal(explicit, expected, rtol=0, atol=0)
    pd.testing.assert_frame_equal(default, expected, rtol=0, atol=0)


def test_dask_backend_reports_the_failing_series(dask_client):
    # fails inside the job, on a worker: positive=True on a series with a negative value
    bad = DF.assign(y=np.where((DF["unique_id"] == "s5") & (DF["ds"] == 2003), -1.0, DF["y"]))
    with pytest.raises(ModelError, match="series 's5', model 'Drift', origin 2012: Drift: "
                                         "positive=True but y has negative values"):
        fc.predict_many(Drift(positive=True), bad, h=2, n_paths=10, client=dask_client)
