"""Naive, Drift, Mean and SeasonalNaive against hand-computed values and the fpp3 formulas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from forecast.errors import ModelError
from forecast.models import Drift, Mean, Naive, SeasonalNaive

Y = np.array([5.0, 7.0, 6.0, 9.0, 11.0, 10.0, 13.0, 12.0])
T = len(Y)
H = 6
STEPS = np.arange(1, H + 1)
LEVELS = [0.025, 0.1, 0.9, 0.975]


def fpp3_sd():
    d = np.diff(Y)
    m = 2
    sd_naive = np.sqrt(np.mean(d**2)) * np.sqrt(STEPS)
    sigma_drift = np.sqrt(np.sum((d - d.mean()) ** 2) / (T - 2))
    sd_drift = sigma_drift * np.sqrt(STEPS * (1 + STEPS / (T - 1)))
    sd_mean = np.full(H, Y.std(ddof=1) * np.sqrt(1 + 1 / T))
    sd_snaive = np.sqrt(np.mean((Y[m:] - Y[:-m]) ** 2)) * np.sqrt((STEPS - 1) // m + 1)
    return {"Naive": sd_naive, "Drift": sd_drift, "Mean": sd_mean, "SeasonalNaive": sd_snaive}


HAND_POINTS = {
    "Naive": np.full(H, 12.0),
    "Drift": 12.0 + STEPS * (12.0 - 5.0) / 7,
    "Mean": np.full(H, Y.mean()),
    "SeasonalNaive": np.array([13.0, 12.0, 13.0, 12.0, 13.0, 12.0]),
}
MODELS = {
    "Naive": Naive(positive=False),
    "Drift": Drift(positive=False),
    "Mean": Mean(positive=False),
    "SeasonalNaive": SeasonalNaive(season_length=2, positive=False),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_point_forecasts_by_hand(name):
    f = MODELS[name].clone().fit(Y).predict(H, n_paths=10, seed=0)
    np.testing.assert_allclose(f.point, HAND_POINTS[name], rtol=1e-12)


@pytest.mark.parametrize("name", list(MODELS))
def test_simulated_quantiles_match_fpp3_normal_intervals(name):
    f = MODELS[name].clone().fit(Y).predict(H, n_paths=100_000, seed=1)
    sd = fpp3_sd()[name]
    for q in LEVELS:
        expected = HAND_POINTS[name] + norm.ppf(q) * sd
        np.testing.assert_allclose(f.quantile(q), expected, rtol=0, atol=0.03 * sd.max())
    np.testing.assert_allclose(f.paths.std(axis=0), sd, rtol=0.02)
    np.testing.assert_allclose(f.mean, HAND_POINTS[name], atol=0.02 * sd.max())


def test_fitted_sigmas_follow_fable_by_hand():
    # differences of Y: 2, -1, 3, 2, -1, 3, -1 (sum of squares 29, mean 1)
    assert Naive(positive=False).fit(Y).sigma_ == pytest.approx(np.sqrt(29 / 7))
    # deviations from the mean difference: 1, -2, 2, 1, -2, 2, -2 (sum of squares 22)
    drift = Drift(positive=False).fit(Y)
    assert drift.drift_ == pytest.approx(1.0)
    assert drift.sigma_ == pytest.approx(np.sqrt(22 / 6))
    assert drift.drift_se_ == pytest.approx(np.sqrt(22 / 6 / 7))
    # mean 73 / 8; sum of squared deviations 58.875
    mean = Mean(positive=False).fit(Y)
    assert mean.level_ == pytest.approx(9.125)
    assert mean.sigma_ == pytest.approx(np.sqrt(58.875 / 7))
    assert mean.level_se_ == pytest.approx(np.sqrt(58.875 / 7 / 8))
    # lag-2 differences: 1, 2, 5, 1, 2, 2 (sum of squares 39)
    assert SeasonalNaive(season_length=2, positive=False).fit(Y).sigma_ == pytest.approx(
        np.sqrt(39 / 6))


def test_naive_paths_are_random_walks():
    f = Naive(positive=False).fit(Y).predict(4, n_paths=50_000, seed=3)
    steps = np.diff(np.column_stack([np.full(50_000, 12.0), f.paths]), axis=1)
    corr = np.corrcoef(steps.T)
    np.testing.assert_allclose(corr[np.triu_indices(4, 1)], 0, atol=0.02)


def test_positive_models_work_on_the_log_scale():
    logy = np.log(Y)
    f = Drift().fit(Y).predict(3, n_paths=20_000, seed=0)
    expected = np.exp(logy[-1] + np.arange(1, 4) * (logy[-1] - logy[0]) / (T - 1))
    np.testing.assert_allclose(f.point, expected, rtol=1e-12)
    # the median of the back-transformed paths is the back-transformed median
    np.testing.assert_allclose(f.median, expected, rtol=0.01)
    assert Naive().fit(Y).predict(2).point.iloc[0] == pytest.approx(12.0, rel=1e-12)
    # zeros: log1p transform, paths still >= 0
    f0 = Naive().fit(np.array([0.0, 3, 0, 2, 1])).predict(3, n_paths=500, seed=0)
    assert f0.point.iloc[0] == pytest.approx(1.0, rel=1e-12)
    assert np.all(f0.paths >= 0)


def test_auto_positive_keeps_negative_series_on_original_scale():
    y = Y - 10
    m = Naive().fit(y)
    assert m.positive_ is False
    np.testing.assert_allclose(m.predict(3, seed=0).point, [2.0, 2.0, 2.0])


def test_seasonal_naive_partial_season_and_index():
    y = pd.Series([1.0, 2, 3, 4, 2, 3, 4, 5, 3, 4],
                  index=pd.period_range("2000Q1", periods=10, freq="Q"))
    f = SeasonalNaive(season_length=4, positive=False).fit(y).predict(5, seed=0)
    np.testing.assert_allclose(f.point, [4.0, 5.0, 3.0, 4.0, 4.0])
    assert str(f.index[0]) == "2002Q3"


def test_constant_series_gives_degenerate_paths():
    f = Drift(positive=False).fit(np.full(6, 4.0)).predict(3, n_paths=20, seed=0)
    np.testing.assert_allclose(f.paths, 4.0)


@pytest.mark.parametrize(
    ("model", "n", "match"),
    [
        (Naive(), 1, "Naive: needs at least 2"),
        (Drift(), 2, "Drift: needs at least 3"),
        (Mean(), 1, "Mean: needs at least 2"),
        (SeasonalNaive(season_length=4), 4, "SeasonalNaive: needs at least 5"),
    ],
)
def test_too_short_series_raise(model, n, match):
    with pytest.raises(ModelError, match=match):
        model.fit(Y[:n])


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "4"])
def test_bad_season_length_raises(bad):
    with pytest.raises(ModelError, match="season_length"):
        SeasonalNaive(season_length=bad).fit(Y)
