"""backend="dask" on a real LocalCluster gives the same table as n_jobs=1 and n_jobs=2."""

import numpy as np
import pandas as pd
import pytest

import forecast as fc
from forecast.models import Drift, Naive

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                       dashboard_address=None, processes=True)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_matches_joblib_and_serial(client):
    rng = np.random.default_rng(11)
    long = pd.concat([
        pd.DataFrame({"unique_id": f"s{i}",
                      "ds": pd.period_range("2000", periods=14, freq="Y"),
                      "y": 100 + np.cumsum(rng.normal(1, 3, 14))})
        for i in range(3)
    ], ignore_index=True)
    kw = dict(h=2, n_origins=3, n_paths=200, seed=5, quiet=True)
    models = [Naive(), Drift()]
    serial = fc.backtest(models, long, n_jobs=1, **kw).table
    joblib2 = fc.backtest(models, long, n_jobs=2, **kw).table
    dask = fc.backtest(models, long, backend="dask", **kw).table
    explicit = fc.backtest(models, long, backend=client, **kw).table
    pd.testing.assert_frame_equal(serial, joblib2)
    pd.testing.assert_frame_equal(serial, dask)
    pd.testing.assert_frame_equal(serial, explicit)


def test_dask_without_a_client_is_a_clear_error(monkeypatch):
    def no_client():
        raise ValueError("No clients found")

    monkeypatch.setattr(distributed, "default_client", no_client)
    y = pd.Series(np.arange(1.0, 13.0), index=pd.period_range("2000", periods=12, freq="Y"))
    with pytest.raises(fc.errors.BacktestError, match="no dask.distributed Client"):
        fc.backtest(Naive(), y, h=2, n_origins=2, backend="dask", quiet=True)
