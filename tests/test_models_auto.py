"""Auto: the default model on short, constant, zero and random positive series."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.errors import ModelError
from forecast.models import Auto, ShortSeriesWarning


def test_three_points_warns_and_gives_finite_output():
    with pytest.warns(ShortSeriesWarning):
        m = Auto().fit([120.0, 135.0, 150.0])
    f = m.predict(4, n_paths=50, seed=0)
    assert np.all(np.isfinite(f.paths)) and np.all(f.paths >= 0)
    assert len(m.members_) >= 1


def test_constant_series_gives_constant_point():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShortSeriesWarning)
        for n in (3, 6, 15):
            f = Auto().fit(np.full(n, 42.0)).predict(5, n_paths=20, seed=0)
            np.testing.assert_allclose(f.point, 42.0, rtol=1e-9)
            assert np.all(np.isfinite(f.paths))


def test_all_zero_series():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShortSeriesWarning)
        f = Auto().fit(np.zeros(8)).predict(3, n_paths=20, seed=0)
    np.testing.assert_allclose(f.point, 0.0, atol=1e-9)
    assert np.all(f.paths >= 0) and np.all(np.isfinite(f.paths))


def test_seed_reproducible_index_and_nesting():
    y = pd.Series([50.0, 54, 60, 61, 67, 70, 75, 74, 80, 86],
                  index=pd.period_range("2010", periods=10, freq="Y"))
    m = Auto().fit(y)
    a, b = m.predict(3, n_paths=200, seed=11), m.predict(3, n_paths=200, seed=11)
    assert np.array_equal(a.paths, b.paths) and a.paths.shape == (200, 3)
    assert str(a.index[0]) == "2020"
    i80, i95 = a.interval(0.8), a.interval(0.95)
    assert np.all(i95["lower"] <= i80["lower"]) and np.all(i80["upper"] <= i95["upper"])
    c = m.clone()
    assert c.get_params() == m.get_params() and not hasattr(c, "members_")


def test_negative_series_allowed_and_bad_input():
    f = Auto().fit(np.array([-3.0, -1, 2, 1, 4, 3, 6, 5])).predict(2, n_paths=20, seed=0)
    assert np.all(np.isfinite(f.paths))
    with pytest.raises(ModelError):
        Auto().fit([1.0, np.nan, 3.0])
    with pytest.raises(ModelError):
        Auto().fit([1.0, 2.0])


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(0.0, 1e6), min_size=3, max_size=30))
def test_positive_counts_never_negative(values):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShortSeriesWarning)
        f = Auto().fit(np.array(values)).predict(4, n_paths=30, seed=0)
    assert np.all(f.paths >= 0) and np.all(np.isfinite(f.paths))
    assert np.all(f.point.to_numpy() >= 0)


# -- Auto's fast paths give bit-identical numbers to the general array code ----------------
_SERIES = [np.cumsum(np.random.default_rng(s).gamma(2.0, 50.0, n)) + 1000
           for s, n in ((1, 14), (2, 20), (3, 41), (4, 70))]


@pytest.mark.parametrize("dynamic", [True, False])
def test_theta_scalar_search_is_bit_identical(dynamic):
    from forecast.models import _theta_kernel as K

    for y in _SERIES + [np.log(y) for y in _SERIES]:
        ab = K._ab_paths(y, dynamic)[:2]
        for a in (0.1, 0.2345, 0.5, 0.87, 0.99):
            mse, l0, w = K.profile_mse(y, np.array([a]), dynamic)
            assert K.profile_mse_one(y, a, ab) == (mse[0], l0[0], w[0])
            sse, lvl = K.ses_sse(y, np.array([a]))
            assert K.ses_sse_scalar(y.tolist(), a) == (sse[0], lvl[0])


@pytest.mark.parametrize("trend, damped", [(None, False), ("add", False), ("add", True)])
def test_ets_grid_cache_and_scalar_paths_are_bit_identical(trend, damped):
    from forecast.models import _ets_kernel as K

    a, b, p = K._grid(trend, damped)
    has = np.full(a.shape, trend is not None)
    K._UNIT.pop(("test", trend, damped), None)
    # long series first, then shorter ones (sliced cache), then a longer one (cache grows)
    for y in [_SERIES[2], _SERIES[0], _SERIES[1], _SERIES[3]]:
        cached = K.profile_add(y, a, b, p, has, grid_key=("test", trend, damped))
        plain = K.profile_add(y, a, b, p, has)
        for u, v in zip(cached, plain, strict=True):
            np.testing.assert_array_equal(u, v)
        # one parameter vector (float loops) against the same column of a two-column run
        i = len(a) // 2
        one = K.profile_add(y, a[[i]], b[[i]], p[[i]], has[[i]])
        two = K.profile_add(y, a[[i, i]], b[[i, i]], p[[i, i]], has[[i, i]])
        for u, v in zip(one, two, strict=True):
            assert u[0] == v[0]
        args = (a[[i, i]], b[[i, i]], p[[i, i]], plain[1][[i, i]], plain[2][[i, i]])
        mu2, l2, s2 = K.run(y, *args)
        mu1, l1, s1 = K.run(y, *(v[:1] for v in args))
        np.testing.assert_array_equal(mu1[:, 0], mu2[:, 0])
        assert (l1[0], s1[0]) == (l2[0], s2[0])
