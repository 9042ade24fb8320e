"""The estimator contract (every model here) and the Forecast class."""

from __future__ import annotations

import inspect

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402

from forecast.errors import ForecastError, ModelError  # noqa: E402
from forecast.models import (  # noqa: E402
    Drift,
    Forecast,
    Growth,
    Mean,
    Naive,
    Regression,
    SeasonalNaive,
)

Y = pd.Series(
    [120.0, 135, 150, 171, 160, 190, 230, 260, 300, 310, 335, 360],
    index=pd.period_range("2010", periods=12, freq="Y"),
)


def make_models():
    return [
        Naive(),
        Drift(),
        Mean(),
        SeasonalNaive(season_length=2),
        Growth(curve="gompertz"),
        Regression(estimator=Ridge(alpha=0.5), lags=2, trend=True),
    ]


MODELS = make_models()
IDS = [type(m).__name__ for m in MODELS]


# -- the contract --------------------------------------------------------------------------
@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_constructor_stores_parameters_only(model):
    names = [p for p in inspect.signature(type(model).__init__).parameters if p != "self"]
    assert "positive" in names
    assert sorted(vars(model)) == sorted(names)
    assert model.positive == "auto"


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_fit_returns_self_and_learned_attributes_end_in_underscore(model):
    m = model.clone()
    before = set(vars(m))
    assert m.fit(Y) is m
    learned = set(vars(m)) - before
    assert learned
    assert all(name.endswith("_") for name in learned), learned
    # parameters are untouched by fitting
    assert {k: repr(v) for k, v in m.get_params(deep=False).items()} == {
        k: repr(v) for k, v in model.get_params(deep=False).items()
    }


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_clone_is_unfitted_with_equal_parameters(model):
    fitted = model.clone().fit(Y)
    c = fitted.clone()
    assert type(c) is type(model)
    assert not hasattr(c, "index_")
    assert repr(c) == repr(model)
    for name, value in fitted.get_params(deep=False).items():
        if hasattr(value, "get_params"):
            assert getattr(c, name) is not value  # sub-estimators are cloned, not shared
            assert getattr(c, name).get_params() == value.get_params()
        else:
            assert getattr(c, name) == value


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_seeds_reproduce_bit_identically(model):
    m = model.clone().fit(Y)
    a = m.predict(4, n_paths=200, seed=7)
    b = m.clone().fit(Y).predict(4, n_paths=200, seed=7)
    c = m.predict(4, n_paths=200, seed=8)
    np.testing.assert_array_equal(a.paths, b.paths)
    np.testing.assert_array_equal(a.point, b.point)
    assert not np.array_equal(a.paths, c.paths)
    assert a.paths.shape == (200, 4)
    assert list(a.index) == list(pd.period_range("2022", periods=4, freq="Y"))


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_predict_before_fit_raises(model):
    with pytest.raises(ModelError, match="not fitted"):
        model.clone().predict(3)


def test_get_set_params_and_repr():
    m = Regression(estimator=Ridge(alpha=2.0), lags=2)
    params = m.get_params()
    assert params["lags"] == 2 and params["estimator__alpha"] == 2.0
    assert m.set_params(lags=4, estimator__alpha=0.1) is m
    assert m.lags == 4 and m.estimator.alpha == 0.1
    assert repr(SeasonalNaive(season_length=4)) == "SeasonalNaive(season_length=4)"
    assert repr(Naive()) == "Naive()"
    assert repr(Drift(positive=False)) == "Drift(positive=False)"
    with pytest.raises(ModelError, match="lagz"):
        m.set_params(lagz=3)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_bad_input_raises_forecast_errors(model):
    with pytest.raises(ForecastError, match="missing"):
        model.clone().fit(Y.where(Y.index != Y.index[3]))
    with pytest.raises(ModelError, match="horizon"):
        model.clone().fit(Y).predict(0)
    with pytest.raises(ModelError, match="at least"):
        model.clone().fit(Y.iloc[:1])


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_positive_true_rejects_negative_values(model):
    with pytest.raises(ModelError, match="negative"):
        model.clone().set_params(positive=True).fit(Y - 200)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(0, 1e5, allow_subnormal=False), min_size=8, max_size=15),
    st.sampled_from(range(len(MODELS))),
    st.integers(0, 2**32 - 1),
)
def test_no_negative_paths_with_positive(values, which, seed):
    m = MODELS[which].clone().set_params(positive=True)
    assume(not isinstance(m, Growth) or max(values) > 0)  # all-zero: Growth raises
    f = m.fit(np.array(values)).predict(5, n_paths=100, seed=seed)
    assert np.all(f.paths >= 0)
    assert np.all(f.point >= 0)
    assert np.all(np.isfinite(f.paths))


# -- Forecast ------------------------------------------------------------------------------
def _forecast():
    paths = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0], [10.0, 50.0]])
    return Forecast(paths, pd.period_range("2024", periods=2, freq="Y"), point=[2.5, 25.0],
                    model="Toy")


def test_forecast_summaries_by_hand():
    f = _forecast()
    assert f.h == 2 and f.n_paths == 5
    np.testing.assert_allclose(f.mean, [4.0, 30.0])
    np.testing.assert_allclose(f.median, [3.0, 30.0])
    np.testing.assert_allclose(f.point, [2.5, 25.0])
    # numpy's default (linear) quantile: position q * (n - 1)
    np.testing.assert_allclose(f.quantile(0.25), [2.0, 20.0])
    np.testing.assert_allclose(f.quantile(0.9), [4 + 0.6 * 6, 46.0])
    iv = f.interval(0.5)
    np.testing.assert_allclose(iv["lower"], [2.0, 20.0])
    np.testing.assert_allclose(iv["upper"], [4.0, 40.0])
    assert list(f.quantile([0.1, 0.5]).columns) == ["q10", "q50"]
    assert "Toy" in repr(f)


def test_forecast_point_defaults_to_median_and_validates_shapes():
    paths = np.arange(12.0).reshape(4, 3)
    f = Forecast(paths, pd.RangeIndex(3))
    np.testing.assert_allclose(f.point, np.median(paths, axis=0))
    with pytest.raises(ModelError, match="2-D"):
        Forecast(np.arange(3.0), pd.RangeIndex(3))
    with pytest.raises(ModelError, match="index"):
        Forecast(paths, pd.RangeIndex(2))
    with pytest.raises(ModelError, match="point"):
        Forecast(paths, pd.RangeIndex(3), point=[1.0])
    with pytest.raises(ModelError, match="quantile"):
        f.quantile(1.5)
    with pytest.raises(ModelError, match="interval"):
        f.interval(1.0)


def test_to_frame_columns_and_values():
    f = _forecast()
    frame = f.to_frame()
    assert list(frame.columns) == [
        "ds", "model", "step", "point", "mean", "median",
        "q2.5", "q10", "q25", "q50", "q75", "q90", "q97.5",
    ]
    assert list(frame["step"]) == [1, 2]
    assert (frame["model"] == "Toy").all()
    assert list(frame["ds"]) == list(f.index)
    np.testing.assert_allclose(frame["q10"], f.quantile(0.1))
    np.testing.assert_allclose(frame["median"], frame["q50"])
    assert list(f.to_frame(quantiles=[0.5]).columns)[-1] == "q50"


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 50),
    st.integers(1, 5),
    st.integers(0, 2**32 - 1),
)
def test_quantiles_are_monotone(n_paths, h, seed):
    paths = np.random.default_rng(seed).standard_t(2, size=(n_paths, h)) * 100
    f = Forecast(paths, pd.RangeIndex(h))
    q = f.to_frame().loc[:, "q2.5":].to_numpy()
    assert np.all(np.diff(q, axis=1) >= 0)
    iv = f.interval(0.8)
    assert np.all(iv["lower"] <= iv["upper"])


def test_plot_returns_axes_with_two_bands_and_legend():
    f = Naive(positive=False).fit(Y).predict(5, n_paths=300, seed=0)
    ax = f.plot(history=Y, n_trajectories=3)
    try:
        assert isinstance(ax, plt.Axes)
        bands = [c for c in ax.collections if c.get_label().endswith("interval")]
        assert sorted(c.get_label() for c in bands) == ["80% interval", "95% interval"]
        legend = ax.get_legend()
        assert legend is not None
        texts = [t.get_text() for t in legend.get_texts()]
        assert "Naive forecast" in texts and "observed" in texts
    finally:
        plt.close(ax.figure)
