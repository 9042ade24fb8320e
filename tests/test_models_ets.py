"""ETS: pinned to statsmodels' ETSModel (same form, same data), selection, simulation."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from forecast.errors import ModelError
from forecast.models import ETS
from forecast.models import _ets_kernel as K

Y = np.log(np.array([1083., 1159, 1266, 1381, 1462, 1545, 1630, 1683, 1780, 1911, 2018, 2102,
                     2135, 2213, 2339, 2450, 2506, 2614, 2739, 2846, 2929, 3038.]))
FORMS = [("add", None, False), ("add", "add", False), ("add", "add", True),
         ("mul", None, False), ("mul", "add", True)]


def _sm(y, e, t, d):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ETSModel(y, error=e, trend=t, damped_trend=d).fit(disp=False)


@pytest.mark.parametrize("form", FORMS)
def test_optimum_at_least_statsmodels_and_same_likelihood_at_same_params(form):
    e, t, d = form
    fit = K.fit_form(Y, e, t, d, refine=True)
    res = _sm(Y, e, t, d)
    # our optimiser profiles the initial states exactly: never worse than statsmodels
    assert fit.loglik >= res.llf - 1e-6
    # at our parameters statsmodels computes the same likelihood, AICc and forecasts
    params = [fit.alpha] + ([fit.beta] if t else []) + ([fit.phi] if d else []) + [fit.l0] + (
        [fit.b0] if t else [])
    mod = ETSModel(Y, error=e, trend=t, damped_trend=d)
    same = mod.smooth(np.array(params))
    assert same.llf == pytest.approx(fit.loglik, abs=1e-8)
    assert same.aicc == pytest.approx(fit.aicc, abs=1e-8)
    np.testing.assert_allclose(K.point_forecast(fit, 4), same.forecast(4), rtol=1e-10)


def test_simple_form_matches_statsmodels_estimates():
    # ETS(A,N,N) has a well-defined optimum: both optimisers reach it
    fit = K.fit_form(Y, "add", None, False)
    res = _sm(Y, "add", None, False)
    assert fit.loglik == pytest.approx(res.llf, abs=1e-5)
    np.testing.assert_allclose(K.point_forecast(fit, 3), res.forecast(3), rtol=1e-6)


ALL_FORMS = [(e, t, d) for e in ("add", "mul") for t, d in ((None, False), ("add", False),
                                                            ("add", True))]


def _sm_label(e, t, d):
    return f"ETS({e[0].upper()},{'N' if t is None else ('Ad' if d else 'A')},N)"


def _example(series):
    rng = np.random.default_rng(11)
    t = np.arange(30)
    if series == "additive trend":
        return 50 + 3.0 * t + rng.normal(0, 1.0, 30)
    if series == "multiplicative growth":
        return 10 * np.exp(0.12 * t + rng.normal(0, 0.08, 30))
    return 100 + 40 * (1 - 0.8**t) / 0.2 + rng.normal(0, 1.0, 30)  # damped


@pytest.mark.parametrize("series", ["additive trend", "multiplicative growth", "damped"])
def test_auto_selects_the_form_statsmodels_ranks_first(series):
    # oracle: statsmodels' own AICc of every form; the series are chosen so that its best
    # form wins by a clear margin, so the choice cannot be a tie broken by optimiser noise
    y = _example(series)
    ranked = sorted((_sm(y, *f).aicc, _sm_label(*f)) for f in ALL_FORMS)
    assert ranked[1][0] - ranked[0][0] > 2  # the oracle's choice is clear
    m = ETS(positive=False).fit(y)
    assert m.model_ == ranked[0][1]
    # and our optimiser is never worse than statsmodels' on the chosen form
    assert m.aicc_ <= ranked[0][0] + 1e-6


def test_simulation_matches_hand_computed_recursion():
    fit = K.fit_form(Y, "add", "add", True, refine=False)
    eps = np.array([[0.5, -1.0, 2.0]])
    s = np.sqrt(fit.sigma2)
    lvl, b, out = fit.level, fit.slope, []
    for z in eps[0]:
        mu = lvl + fit.phi * b
        e = s * z
        out.append(mu + e)
        lvl, b = mu + fit.alpha * e, fit.phi * b + fit.beta * e
    np.testing.assert_allclose(K.simulate(fit, 3, eps)[0], out, rtol=1e-12)


def test_seed_reproduces_and_shapes():
    y = np.exp(Y)
    m = ETS(refine=False).fit(y)
    a = m.predict(5, n_paths=50, seed=3)
    b = m.predict(5, n_paths=50, seed=3)
    assert a.paths.shape == (50, 5)
    assert np.array_equal(a.paths, b.paths)
    assert not np.array_equal(a.paths, m.predict(5, n_paths=50, seed=4).paths)


def test_bad_settings_and_short_series():
    with pytest.raises(ModelError):
        ETS(error="xyz").fit(np.arange(1.0, 10))
    with pytest.raises(ModelError):
        ETS().fit([1.0, 2.0, 3.0])


def test_clone_unfitted_equal_params():
    m = ETS(error="add", damped=True).fit(np.exp(Y))
    c = m.clone()
    assert c.get_params() == m.get_params()
    assert not hasattr(c, "fit_")


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(0.0, 1e4), min_size=6, max_size=25))
def test_no_negative_paths_positive(values):
    f = ETS(refine=False).fit(np.array(values)).predict(4, n_paths=30, seed=0)
    assert np.all(f.paths >= 0)
    assert np.all(np.isfinite(f.paths))


@pytest.mark.parametrize("error", ["add", "mul"])
def test_simulation_driven_by_the_fitted_errors_reproduces_the_data(error):
    # fitting and simulation run the same recursion: shocks equal to the in-sample errors
    # must give back the observations and the final states
    fit = K.fit_form(Y, error, "add", True, refine=False)
    n = len(Y)
    mu, err = np.empty(n), np.empty(n)
    K.damped_trend(Y.tolist(), fit.l0, fit.b0, fit.alpha, fit.beta, fit.phi, mu=mu, err=err)
    sigma = np.sqrt(fit.sigma2)
    z = err / sigma if error == "add" else err / (mu * sigma)
    mu2, err2 = np.empty((n, 2)), np.empty((n, 2))
    lvl, slp = K.damped_trend(np.c_[z, z], np.full(2, fit.l0), np.full(2, fit.b0), fit.alpha,
                              fit.beta, fit.phi, mu=mu2, err=err2, shock=error, sigma=sigma)
    np.testing.assert_allclose(mu2 + err2, np.c_[Y, Y], rtol=1e-12)
    np.testing.assert_allclose([lvl[0], slp[0]], [fit.level, fit.slope], rtol=1e-9, atol=1e-12)
