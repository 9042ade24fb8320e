"""forecast.backtest.reproduce (nox -s backtest): two runs write byte-identical files."""

import numpy as np
import pandas as pd
import pytest

import forecast as fc
from forecast.backtest import reproduce
from forecast.errors import ForecastError
from forecast.models import Drift, Mean, Naive


def _series():
    rng = np.random.default_rng(2)
    idx = pd.period_range("2005", periods=12, freq="Y")
    return {
        "alpha": pd.Series(1000 + np.cumsum(rng.normal(50, 40, 12)), index=idx),
        "beta": pd.Series(np.abs(rng.normal(300, 60, 12)), index=idx),
        "tiny": pd.Series([1.0, 2.0, 3.0], index=idx[:3]),
    }


def _files(path):
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_two_runs_are_byte_identical(tmp_path):
    models = {"Naive": Naive(), "Drift": Drift(), "Mean": Mean()}
    a = reproduce(tmp_path / "a", quiet=True, series=_series(), models=models, n_paths=200)
    b = reproduce(tmp_path / "b", quiet=True, series=_series(), models=models, n_paths=200,
                  n_jobs=2)
    files = _files(tmp_path / "a")
    assert set(files) == {"alpha.csv", "beta.csv", "scores.csv", "summary.md"}
    assert files == _files(tmp_path / "b")
    assert a["skipped"] == ["tiny (3 points)"] == b["skipped"]
    summary = files["summary.md"].decode()
    assert "## alpha" in summary and "| Drift |" in summary
    table = pd.read_csv(tmp_path / "a" / "alpha.csv")
    assert set(table["model"]) == set(models)


def test_bundled_series_reproduce(tmp_path):
    try:
        names = [n for n in fc.datasets.names()
                 if fc.datasets.info(n).get("frequency") == "annual"
                 and fc.datasets.info(n).get("kind") == "series"]
    except ForecastError as exc:
        pytest.skip(f"bundled datasets not available: {exc}")
    if not names:
        pytest.skip("no bundled annual series")
    series = {names[0]: fc.datasets.load(names[0])}
    models = {"Naive": Naive(), "Drift": Drift()}
    reproduce(tmp_path / "a", quiet=True, series=series, models=models, n_paths=100)
    reproduce(tmp_path / "b", quiet=True, series=series, models=models, n_paths=100)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
