"""Regression: exact recursion on noise-free series, statsmodels OLS as oracle, bootstrap paths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression, Ridge

from forecast.errors import ModelError
from forecast.models import Regression
from forecast.models.regression import lag_matrix


def ar1(n, start=1.0, c=2.0, phi=0.5):
    y = [start]
    for _ in range(n - 1):
        y.append(c + phi * y[-1])
    return np.array(y)


def test_noise_free_ar1_is_forecast_exactly():
    y = ar1(20)
    full = ar1(26)
    f = Regression(lags=1, positive=False).fit(y).predict(6, n_paths=50, seed=0)
    np.testing.assert_allclose(f.point, full[20:], rtol=1e-8)
    np.testing.assert_allclose(f.paths, np.broadcast_to(full[20:], (50, 6)), rtol=1e-8)


def test_coefficients_match_statsmodels_ols():
    rng = np.random.default_rng(0)
    y = np.cumsum(rng.normal(1, 2, 40)) + 50
    design = lag_matrix(y, 3, trend=True)
    ols = sm.OLS(y[3:], sm.add_constant(design)).fit()
    m = Regression(lags=3, trend=True, positive=False).fit(y)
    est = m.estimator_
    np.testing.assert_allclose(np.r_[est.intercept_, est.coef_], ols.params, rtol=1e-8)
    np.testing.assert_allclose(m.resid_, ols.resid, atol=1e-8)
    # the lag matrix has y_{t-1}, y_{t-2}, y_{t-3}, t in that order
    np.testing.assert_array_equal(design[0], [y[2], y[1], y[0], 3.0])


def test_exogenous_regressors_and_trend_exact():
    x = np.sin(np.arange(30.0))
    y = np.empty(30)
    y[0] = 1.0
    for t in range(1, 30):
        y[t] = 1.0 + 0.6 * y[t - 1] + 3.0 * x[t] + 0.1 * t
    m = Regression(lags=1, trend=True, positive=False).fit(y[:24], X=x[:24])
    f = m.predict(6, X_future=pd.DataFrame({"x": x[24:]}), n_paths=20, seed=0)
    np.testing.assert_allclose(f.point, y[24:], rtol=1e-8)


def test_bootstrap_paths_pass_residuals_through_the_recursion():
    rng = np.random.default_rng(1)
    y = ar1(30) + rng.normal(0, 0.3, 30)
    m = Regression(lags=1, positive=False).fit(y)
    a, b = m.estimator_.intercept_, m.estimator_.coef_[0]
    f = m.predict(3, n_paths=200, seed=2)
    resid = np.sort(m.resid_)
    e1 = f.paths[:, 0] - (a + b * y[-1])
    e2 = f.paths[:, 1] - (a + b * f.paths[:, 0])  # step 2 reacts to the path's own step 1
    for e in (e1, e2):
        idx = np.clip(np.searchsorted(resid, e), 0, len(resid) - 1)
        near = np.minimum(np.abs(resid[idx] - e), np.abs(resid[idx - 1] - e))
        assert np.all(near < 1e-9)
    np.testing.assert_allclose(f.point.iloc[1], a + b * (a + b * y[-1]))


def test_estimator_is_cloned_not_fitted_in_place():
    ridge = Ridge(alpha=3.0)
    m = Regression(estimator=ridge, lags=2).fit(np.arange(1.0, 15.0))
    assert m.estimator_ is not ridge
    assert not hasattr(ridge, "coef_")
    c = m.clone()
    assert c.estimator is not ridge and c.estimator.get_params() == ridge.get_params()
    assert isinstance(Regression().fit(np.arange(1.0, 10.0)).estimator_, LinearRegression)


def test_any_sklearn_regressor_works_and_reproduces():
    y = np.abs(np.sin(np.arange(25.0))) * 10 + np.arange(25.0)
    m = Regression(estimator=RandomForestRegressor(n_estimators=10, random_state=0), lags=2)
    a = m.fit(y).predict(4, n_paths=100, seed=9)
    b = m.clone().fit(y).predict(4, n_paths=100, seed=9)
    np.testing.assert_array_equal(a.paths, b.paths)
    assert np.all(a.paths >= 0)


@settings(max_examples=20, deadline=None)
@given(
    st.lists(st.floats(0, 1e4, allow_subnormal=False), min_size=6, max_size=15),
    st.integers(1, 3),
    st.integers(0, 2**32 - 1),
)
def test_no_negative_paths_with_positive(values, lags, seed):
    m = Regression(lags=lags, positive=True).fit(np.array(values))
    f = m.predict(4, n_paths=100, seed=seed)
    assert np.all(f.paths >= 0) and np.all(np.isfinite(f.paths))


def test_errors_name_the_problem():
    y = np.arange(1.0, 21.0)
    x = np.arange(20.0)
    m = Regression(lags=2).fit(y, X=x)
    with pytest.raises(ModelError, match="X_future"):
        m.predict(3)
    with pytest.raises(ModelError, match="X_future has 2 rows; expected 3"):
        m.predict(3, X_future=np.ones(2))
    with pytest.raises(ModelError, match="X_future has 2 column"):
        m.predict(3, X_future=np.ones((3, 2)))
    with pytest.raises(ModelError, match="without X"):
        Regression(lags=2).fit(y).predict(3, X_future=np.ones(3))
    with pytest.raises(ModelError, match="X has 5 rows; expected 20"):
        Regression().fit(y, X=np.ones(5))
    with pytest.raises(ModelError, match="Regression: needs at least 5 observations; got 4"):
        Regression(lags=3).fit(y[:4])
    with pytest.raises(ModelError, match="lags"):
        Regression(lags=0).fit(y)


# -- the exogenous-input capability -------------------------------------------------------
def test_uses_exog_is_declared_and_models_that_cannot_refuse_X():
    from forecast.models import Auto, Ensemble, Naive, Theta

    x = np.sin(np.arange(30.0))
    y = 1.0 + 0.6 * np.r_[0.0, ar1(29)] + 3.0 * x
    assert Regression.uses_exog is True and Naive.uses_exog is False
    with pytest.raises(ModelError, match="Naive does not use exogenous regressors, so it "
                                         "cannot take X; models that do: Regression"):
        Naive().fit(y, X=x)
    with pytest.raises(ModelError, match="Theta does not use .*X_future.*Regression"):
        Theta().fit(y).predict(3, X_future=np.ones(3))
    # combinations decide by their members: X goes to every member
    assert Ensemble.uses_exog is False and Auto().uses_exog is False
    both = Ensemble([Regression(lags=1), Regression(lags=2)], combine="mean")
    assert both.uses_exog is True
    mixed = Ensemble([Regression(lags=1), Naive()])
    with pytest.raises(ModelError, match="Ensemble does not use exogenous regressors"):
        mixed.fit(y, X=x)
    with_x = both.fit(y[:24], X=x[:24]).predict(6, X_future=x[24:], n_paths=20, seed=0)
    without = both.clone().fit(y[:24]).predict(6, n_paths=20, seed=0)
    assert not np.allclose(with_x.point, without.point)
