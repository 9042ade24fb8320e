"""Theta (pinned to statsmodels' ThetaModel) and OptimizedTheta (DOTM/OTM)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.tsa.forecasting.theta import ThetaModel

from forecast.models import OptimizedTheta, Theta
from forecast.models import _theta_kernel as K

Y = np.array([3103.96, 3360.27, 3807.63, 4387.88, 4936.99, 5379.75, 6158.68, 6876.58,
              7851.91, 8407.84, 9156.01, 9923.04, 10723.8, 11329.8, 11634.7, 12130.4,
              12693.0, 13265.6, 13790.1, 14417.8])


@pytest.mark.parametrize("y", [Y, np.log(Y), np.r_[5.0, 3, 6, 4, 7, 6, 9, 7, 8, 10, 9, 12.0]])
def test_theta_matches_statsmodels(y):
    m = Theta(positive=False).fit(y)
    res = ThetaModel(y, deseasonalize=False).fit()
    assert m.b0_ == pytest.approx(res.params["b0"], rel=1e-9)
    assert m.alpha_ == pytest.approx(res.params["alpha"], abs=2e-3)
    np.testing.assert_allclose(m.predict(6, n_paths=10, seed=0).point, res.forecast(6),
                               rtol=1e-4)


def test_dotm_trend_line_is_running_ols():
    y = np.log(Y)
    A, B, _ = K._ab_paths(y, True)
    for i in range(2, len(y)):
        t = np.arange(1, i + 2, dtype=float)
        slope, intercept = np.polyfit(t, y[: i + 1], 1)
        assert B[i] == pytest.approx(slope, rel=1e-9)
        assert A[i] == pytest.approx(intercept, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("dynamic", [True, False])
def test_otm_optimum_beats_other_parameters(dynamic):
    y = Y
    m = OptimizedTheta(dynamic=dynamic, positive=False).fit(y)
    resid, _ = K.otm_states(y, m.alpha_, m.l0_, m.theta_, dynamic)
    assert np.mean(resid**2) == pytest.approx(m.mse_, rel=1e-8)
    rng = np.random.default_rng(0)
    for _ in range(30):
        a, l0, th = rng.uniform(0.1, 0.99), rng.normal(y[0], 500), rng.uniform(1, 5)
        r, _ = K.otm_states(y, a, l0, th, dynamic)
        assert np.mean(r**2) >= m.mse_ - 1e-9


def test_dotm_matches_statsforecast_recursion():
    import statsforecast.models as sf  # in the test extra: CI runs this oracle, never skips

    s = sf.DynamicOptimizedTheta().fit(Y)
    p = s.model_["par"]
    r, _ = K.otm_states(Y, p["alpha"], p["initial_smoothed"], p["theta"], True)
    np.testing.assert_allclose(r, s.model_["residuals"][1:], rtol=1e-8, atol=1e-6)
    assert OptimizedTheta(positive=False).fit(Y).mse_ <= np.mean(r**2) + 1e-9


def test_seeds_and_shapes():
    for m in (Theta(), OptimizedTheta()):
        m.fit(Y)
        a, b = m.predict(4, n_paths=25, seed=9), m.predict(4, n_paths=25, seed=9)
        assert a.paths.shape == (25, 4) and np.array_equal(a.paths, b.paths)
        q = a.quantile([0.1, 0.5, 0.9]).to_numpy()
        assert np.all(np.diff(q, axis=1) >= 0)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(0.0, 1e5), min_size=5, max_size=20))
def test_no_negative_paths(values):
    for m in (Theta(), OptimizedTheta()):
        f = m.fit(np.array(values)).predict(3, n_paths=20, seed=1)
        assert np.all(f.paths >= 0) and np.all(np.isfinite(f.paths))


@pytest.mark.parametrize("dynamic", [True, False])
def test_paths_driven_by_the_residuals_reproduce_the_data(dynamic):
    # fitting and simulation run one recursion (DOTM's running line included): innovations
    # equal to the in-sample residuals give back y_1..y_{n-1} and the fitted final states
    m = OptimizedTheta(dynamic=dynamic, positive=False).fit(Y)
    resid, states = K.otm_states(Y, m.alpha_, m.l0_, m.theta_, dynamic)
    A, B, M = K._ab_paths(Y, dynamic)
    line = (M[0], A[0], B[0]) if dynamic else (M[-1], A[0], B[0])
    lvl0 = m.alpha_ * Y[0] + (1 - m.alpha_) * m.l0_
    out = np.empty(len(Y) - 1)
    lvl, (mean, a, b) = K.otm_recursion(1, lvl0, line, m.alpha_, m.theta_, dynamic, resid, out,
                                        shock=True)
    np.testing.assert_allclose(out, Y[1:], rtol=1e-12)
    np.testing.assert_allclose([lvl, mean, a, b], states, rtol=1e-10)


def test_one_alpha_level_recursion_equals_a_grid_column():
    ab = K._ab_paths(Y, True)[:2]
    one = K._design(Y, np.array([0.37]), True, ab)
    grid = K._design(Y, np.array([0.2, 0.37, 0.9]), True, ab)
    for u, v in zip(one, grid, strict=True):
        np.testing.assert_array_equal(u[:, 0], v[:, 1])
