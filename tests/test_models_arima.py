"""ARIMA: exact ML pinned to statsmodels' ARIMA for fixed orders; KPSS; simulation."""

import warnings

import numpy as np
import pytest
from statsmodels.tsa.arima.model import ARIMA as SMARIMA
from statsmodels.tsa.arima_process import arma_acovf
from statsmodels.tsa.stattools import kpss

from forecast.errors import ModelError
from forecast.models import ARIMA
from forecast.models import _arima_kernel as K


def _arma(n, seed):
    rng = np.random.default_rng(seed)
    e = rng.standard_normal(n + 50)
    y = np.zeros(n + 50)
    for t in range(2, n + 50):
        y[t] = 0.5 * y[t - 1] - 0.2 * y[t - 2] + e[t] + 0.4 * e[t - 1]
    return y[50:] + 3.0


def _sm(y, order, trend):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SMARIMA(y, order=order, trend=trend).fit()


@pytest.mark.parametrize("order", [(1, 0, 0), (0, 0, 1), (1, 0, 1)])
def test_estimates_match_statsmodels_d0(order):
    y = _arma(60, 1)
    m = ARIMA(order=order, constant=True, positive=False).fit(y)
    res = _sm(y, order, "c")
    ours = np.r_[m.mu_, m.ar_, m.ma_, m.sigma2_]
    np.testing.assert_allclose(ours, res.params, rtol=2e-3, atol=2e-4)
    assert m.loglik_ == pytest.approx(res.llf, abs=1e-4)


def test_estimates_match_statsmodels_d1_drift():
    y = np.cumsum(_arma(50, 2))
    m = ARIMA(order=(1, 1, 1), constant=True, positive=False).fit(y)
    res = _sm(y, (1, 1, 1), "t")
    np.testing.assert_allclose(np.r_[m.mu_, m.ar_, m.ma_], res.params[:3], rtol=2e-3,
                               atol=2e-4)
    assert m.loglik_ == pytest.approx(res.llf, abs=1e-4)
    # point forecast: drift random walk with ARMA(1,1) errors, as statsmodels
    f = m.predict(4, n_paths=10, seed=0)
    np.testing.assert_allclose(f.point, res.forecast(4), rtol=1e-3)


@pytest.mark.parametrize("ar, ma", [([0.998], []), ([-0.998], []), ([0.5, -0.2], [0.4]),
                                    ([], [0.4, 0.3]), ([1.2, -0.25], [0.9]),
                                    ([0.3, 0.2, 0.45], [0.5, -0.3, 0.2]), ([], [])])
def test_autocovariances_are_exact_as_statsmodels(ar, ma):
    # at +-0.998 a truncated MA(infinity) sum (600 terms) lost about 9% of the variance
    ref = arma_acovf(np.r_[1.0, -np.array(ar, dtype=float)], np.r_[1.0, ma], nobs=50)
    np.testing.assert_allclose(K.acov(ar, ma, 50), ref, rtol=1e-10, atol=1e-12)


def test_autocovariances_hand_computed():
    for phi in (0.5, -0.9, 0.998):
        # AR(1): gamma(k) = phi^k sigma^2 / (1 - phi^2)
        expected = phi ** np.arange(5) / (1 - phi**2)
        np.testing.assert_allclose(K.acov([phi], [], 5), expected, rtol=1e-12)
    assert K.acov([0.998], [], 1)[0] == pytest.approx(250.25025025025, rel=1e-12)
    # MA(1): 1 + theta^2, theta, then zeros
    np.testing.assert_allclose(K.acov([], [0.6], 4), [1.36, 0.6, 0.0, 0.0], atol=1e-15)


def test_exact_likelihood_near_the_bound_matches_statsmodels():
    rng = np.random.default_rng(11)
    w = np.zeros(300)
    for t in range(1, 300):
        w[t] = 0.998 * w[t - 1] + rng.standard_normal()
    w = w[-60:]
    ll, _, s2 = K.concentrated(w, np.array([0.998]), np.zeros(0), mean=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = SMARIMA(w, order=(1, 0, 0), trend="n").smooth(np.array([0.998, s2]))
    assert ll == pytest.approx(ref.llf, abs=1e-8)


def test_kpss_statistic_matches_statsmodels():
    y = np.cumsum(_arma(40, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = kpss(y, regression="c", nlags=int(3 * np.sqrt(40) / 13))[0]
    assert K.kpss_stat(y) == pytest.approx(ref, rel=1e-10)
    assert K.ndiffs(y) >= 1
    assert K.ndiffs(_arma(40, 4)) == 0


def test_random_walk_with_drift_hand_computed():
    y = np.array([1.0, 3.0, 4.0, 7.0, 9.0, 10.0, 13.0])
    m = ARIMA(order=(0, 1, 0), constant=True, positive=False).fit(y)
    drift = np.mean(np.diff(y))
    assert m.mu_ == pytest.approx(drift)
    assert m.sigma2_ == pytest.approx(np.mean((np.diff(y) - drift) ** 2))
    np.testing.assert_allclose(m.predict(3, n_paths=5, seed=0).point, 13 + drift * np.arange(1, 4))


def test_auto_search_seed_shapes_positive():
    y = np.exp(np.cumsum(np.r_[5.0, np.full(24, 0.03)] + 0.05 * _arma(25, 5)))
    m = ARIMA().fit(y)
    a, b = m.predict(5, n_paths=40, seed=2), m.predict(5, n_paths=40, seed=2)
    assert a.paths.shape == (40, 5) and np.array_equal(a.paths, b.paths)
    assert np.all(a.paths >= 0)
    assert m.order_[1] in (0, 1, 2)
    with pytest.raises(ModelError):
        ARIMA(order=(1, 3, 0)).fit(y)
    with pytest.raises(ModelError):
        ARIMA().fit([1.0, 2.0, 3.0])
