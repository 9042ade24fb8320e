"""forecast.backtest.reproduce (nox -s backtest): the origin rule, common origins, and two runs
that write byte-identical files."""

import numpy as np
import pandas as pd
import pytest

import forecast as fc
from forecast.backtest import reproduce
from forecast.backtest.reproduce import INITIAL, common_origins, model_starts, origin_counts, run
from forecast.errors import BacktestError, ForecastError
from forecast.models import ETS, DampedTrend, Drift, Mean, Naive


def _series():
    rng = np.random.default_rng(2)
    idx = pd.period_range("2005", periods=12, freq="Y")
    return {
        "alpha": pd.Series(1000 + np.cumsum(rng.normal(50, 40, 12)), index=idx),
        "beta": pd.Series(np.abs(rng.normal(300, 60, 12)), index=idx),
        "tiny": pd.Series([1.0, 2.0, 3.0], index=idx[:3]),
    }


def _staggered_models():
    # first origins after 3 (Naive, Drift, the floor), 4 (ETS) and 5 (DampedTrend) values
    return {"Naive": Naive(), "Drift": Drift(), "ETS": ETS(), "DampedTrend": DampedTrend()}


def _hand_series():
    rng = np.random.default_rng(5)
    # 2010, then a gap, then 2012-2019: the backtest uses the 8 consecutive years
    years = [2010, *range(2012, 2020)]
    idx = pd.PeriodIndex([pd.Period(str(y), "Y") for y in years])
    return {
        "gapped": pd.Series(500 + np.cumsum(rng.normal(20, 15, len(idx))), index=idx),
        # 5 values: one origin (2017) for Naive and Drift; ETS and DampedTrend need 6 and 7
        "five": pd.Series([10.0, 12.0, 11.0, 15.0, 14.0],
                          index=pd.period_range("2015", periods=5, freq="Y")),
        # 4 values: no origin leaves 3 training values and 2 observed years
        "four": pd.Series([1.0, 2.0, 4.0, 3.0], index=pd.period_range("2015", periods=4,
                                                                      freq="Y")),
    }


def _files(path):
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_model_starts_floor_and_own_needs():
    assert INITIAL == 3
    starts = model_starts({"Naive": Naive(), "Mean": Mean(), **_staggered_models()})
    assert starts == {"Naive": 3, "Mean": 3, "Drift": 3, "ETS": 4, "DampedTrend": 5}
    assert model_starts({"Naive": Naive()}, initial=2) == {"Naive": 2}
    with pytest.raises(BacktestError, match="initial"):
        model_starts({"Naive": Naive()}, initial=0)


def test_origin_counts_per_series_by_hand():
    runs, skipped = run(series=_hand_series(), models=_staggered_models(), n_paths=50)
    assert skipped == ["four (4 points)"]
    # gapped: positions 0..7 = 2012..2019, h=2, last origin at position 5 (2017); a model
    # whose first window holds k values starts at position k-1
    counts = origin_counts(runs["gapped"]).set_index("model")
    assert counts.loc["Naive"].tolist() == [4, "2014", "2017"]
    assert counts.loc["Drift"].tolist() == [4, "2014", "2017"]
    assert counts.loc["ETS"].tolist() == [3, "2015", "2017"]
    assert counts.loc["DampedTrend"].tolist() == [2, "2016", "2017"]
    assert list(counts.index) == ["Naive", "Drift", "ETS", "DampedTrend"]
    shared = origin_counts(common_origins(runs["gapped"]))
    assert set(shared["n_origins"]) == {2} and set(shared["first_origin"]) == {"2016"}
    # five: only the models that fit with 3 values, at 2017 (position 2 = 5 - 2 - 1)
    five = origin_counts(runs["five"])
    assert five["model"].tolist() == ["Naive", "Drift"]
    assert five["n_origins"].tolist() == [1, 1] and set(five["first_origin"]) == {"2017"}
    # every origin has both steps
    for bt in runs.values():
        assert (bt.table.groupby(["model", "origin"])["step"].nunique() == 2).all()


def test_forecasts_do_not_depend_on_the_other_models():
    """A model's rows in the staggered backtest are those of a backtest of it alone from its
    own first origin (same seeds), so the own and common tables agree where they overlap."""
    y = _hand_series()["gapped"].iloc[1:].rename("gapped")  # the consecutive years
    runs, _ = run(series={"gapped": y}, models=_staggered_models(), n_paths=80)
    staggered = runs["gapped"].table
    alone = fc.backtest({"ETS": ETS()}, y, 2, initial=4, n_paths=80).table
    mine = staggered[staggered["model"] == "ETS"].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, alone, check_dtype=False)


def test_compared_models_share_their_origins(tmp_path):
    reproduce(tmp_path, quiet=True, series=_hand_series(), models=_staggered_models(),
              n_paths=80)
    scores = pd.read_csv(tmp_path / "scores.csv", dtype={"first_origin": str,
                                                         "last_origin": str})
    common = scores[scores["origins"] == "common"]
    for _, part in common.groupby("dataset"):
        assert part[["n_origins", "first_origin", "last_origin"]].nunique().eq(1).all()
        assert len(part) == part["model"].nunique()
    own = scores[scores["origins"] == "own"].set_index(["dataset", "model"])
    assert own.loc[("gapped", "DampedTrend"), "n_origins"] == 2
    # the skill column compares each model with the naive forecast on that model's rows
    table = pd.read_csv(tmp_path / "gapped.csv")
    for model, rows in table.groupby("model"):
        expected = 1 - (rows["point"] - rows["y"]).abs().mean() / \
            (rows["naive"] - rows["y"]).abs().mean()
        assert own.loc[("gapped", model), "skill"] == pytest.approx(expected, abs=2e-3)
    # and the common scores of a model are its scores on the common origins only
    dt = table[table["model"] == "DampedTrend"]
    drift = table[(table["model"] == "Drift") & table["origin"].isin(dt["origin"])]
    row = common.set_index(["dataset", "model"]).loc[("gapped", "Drift")]
    assert row["mae"] == pytest.approx((drift["point"] - drift["y"]).abs().mean(), rel=1e-3)
    summary = (tmp_path / "summary.md").read_text()
    assert "| DampedTrend | 2016 to 2017 (2) |" in summary
    assert "All 4 models on their common origins, 2016 to 2017 (2)" in summary
    assert "ETS: 4; DampedTrend: 5" in summary
    assert "Skipped: four (4 points)" in summary


def test_two_runs_are_byte_identical(tmp_path):
    models = {"Naive": Naive(), "Drift": Drift(), "Mean": Mean(), "ETS": ETS()}
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
