"""DampedTrend: ETS(A,Ad,N), pinned to statsmodels' ETSModel."""

import warnings

import numpy as np
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from forecast.models import ETS, DampedTrend

Y = np.array([12.0, 13.1, 14.5, 15.2, 16.8, 17.1, 18.9, 19.5, 20.2, 21.7, 22.0, 22.9, 23.1,
              24.0, 24.2])


def test_damped_is_aadn_and_at_least_statsmodels():
    m = DampedTrend(positive=False).fit(Y)
    assert m.model_ == "ETS(A,Ad,N)"
    assert 0.8 <= m.fit_.phi <= 0.98
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ETSModel(Y, error="add", trend="add", damped_trend=True).fit(disp=False)
    assert m.loglik_ >= res.llf - 1e-6


def test_same_as_ets_with_fixed_form():
    a = DampedTrend(positive=False).fit(Y).predict(3, n_paths=20, seed=1)
    b = ETS(error="add", trend="add", damped=True, positive=False).fit(Y).predict(
        3, n_paths=20, seed=1)
    assert np.array_equal(a.paths, b.paths)


def test_point_forecast_hand_computed_and_intervals_nest():
    m = DampedTrend(positive=False).fit(Y)
    f = m.predict(4, n_paths=400, seed=0)
    phi, lvl, b = m.fit_.phi, m.fit_.level, m.fit_.slope
    expected = [lvl + sum(phi**k for k in range(1, j + 1)) * b for j in range(1, 5)]
    np.testing.assert_allclose(f.point.to_numpy(), expected)
    i80, i95 = f.interval(0.8), f.interval(0.95)
    assert np.all(i95["lower"] <= i80["lower"]) and np.all(i80["upper"] <= i95["upper"])
    assert DampedTrend().clone().get_params() == {"refine": True, "positive": "auto"}
