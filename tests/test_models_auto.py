"""Auto: the default model on short, constant, zero and random positive series."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.errors import ModelError
from forecast.models import ETS, Auto, ShortSeriesWarning


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


# -- statsforecast as oracle -----------------------------------------------------------------
_T = np.arange(20.0)
_RNG = np.random.default_rng(7)
#: series whose ETS form is clear: statsforecast's AICc of the chosen form beats the others by
#: more than 4 (checked in the test)
CLEAR = {
    "ETS(A,N,N)": 500 + _RNG.normal(0, 30, 20),
    "ETS(A,A,N)": 1000 + 60 * _T + _RNG.normal(0, 20, 20),
    "ETS(A,Ad,N)": 1000 + 800 * (1 - 0.8**_T) + _RNG.normal(0, 5, 20),
}


def _sf_aicc(sf, y):
    forms = {"ETS(A,N,N)": {"model": "ANN"}, "ETS(A,A,N)": {"model": "AAN", "damped": False},
             "ETS(A,Ad,N)": {"model": "AAN", "damped": True}}
    return {label: sf.AutoETS(**kw).fit(y).model_["aicc"] for label, kw in forms.items()}


@pytest.mark.parametrize("form", list(CLEAR))
def test_ets_selects_the_form_statsforecast_selects(form):
    import statsforecast.models as sf  # in the test extra: CI runs this oracle, never skips

    y = CLEAR[form]
    aicc = _sf_aicc(sf, y)
    best = min(aicc, key=aicc.get)
    assert best == form and sorted(aicc.values())[1] - aicc[best] > 4  # the choice is clear
    assert sf.AutoETS(model="AZN").fit(y).model_["method"] == form
    # ETS as it is combined in Ensembles (additive errors, grid optimum, no log scale)
    assert ETS(error="add", refine=False, positive=False).fit(y).model_ == form


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
            assert K.profile_mse(y, np.array([a]), dynamic, ab) == (mse[0], l0[0], w[0])
            sse, lvl = K.ses_sse(y, np.array([a]))
            assert K.ses_sse(y.tolist(), a) == (sse[0], lvl[0])


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
        mu2, l2, s2 = K.one_step_predictions(y, *args)
        mu1, l1, s1 = K.one_step_predictions(y, *(v[:1] for v in args))
        np.testing.assert_array_equal(mu1[:, 0], mu2[:, 0])
        assert (l1[0], s1[0]) == (l2[0], s2[0])
