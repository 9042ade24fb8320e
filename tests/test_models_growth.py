"""Growth curves: parameter recovery, scipy's curve_fit as oracle, bounds and positivity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import curve_fit

from forecast.errors import ModelError
from forecast.models import Growth
from forecast.models.growth import gompertz, logistic

T = np.arange(25.0)


@pytest.mark.parametrize("scale", ["log", "original"])
def test_recovers_logistic_parameters_from_exact_curve(scale):
    y = logistic(T, 5000.0, 0.45, 11.0)
    m = Growth(curve="logistic", scale=scale).fit(y)
    np.testing.assert_allclose(m.params_, [5000.0, 0.45, 11.0], rtol=1e-5)
    np.testing.assert_allclose(m.curve_values(T), y, rtol=1e-5)


def test_recovers_gompertz_parameters_from_exact_curve():
    y = gompertz(T, 800.0, 0.3, 9.0)
    m = Growth(curve="gompertz").fit(y)
    np.testing.assert_allclose(m.params_, [800.0, 0.3, 9.0], rtol=1e-5)


def test_hand_made_logistic_values():
    # K / (1 + e^{-r (t - t0)}) at t = t0 is K / 2
    assert logistic(4.0, 10.0, 2.0, 4.0) == pytest.approx(5.0)
    assert gompertz(4.0, 10.0, 2.0, 4.0) == pytest.approx(10.0 / np.e)


@pytest.mark.parametrize("curve", ["logistic", "gompertz"])
def test_matches_scipy_curve_fit_on_noisy_data(curve):
    rng = np.random.default_rng(5)
    f = logistic if curve == "logistic" else gompertz
    y = np.abs(f(T, 3000.0, 0.4, 10.0) + rng.normal(0, 60, T.size))
    m = Growth(curve=curve, scale="original").fit(y)
    ref, ref_cov = curve_fit(f, T, y, p0=[3500.0, 0.3, 12.0], maxfev=20_000)
    np.testing.assert_allclose(m.params_, ref, rtol=1e-4)
    # the same least-squares problem gives the same asymptotic covariance (in K, not log K)
    jac = np.diag([m.params_[0], 1.0, 1.0])  # d(K, r, t0)/d(log K, r, t0)
    np.testing.assert_allclose(jac @ m.theta_cov_ @ jac, ref_cov, rtol=0.02)


def test_saturation_level_is_bounded():
    y = logistic(np.arange(10.0), 1e6, 0.3, 30.0)  # early, unsaturated phase
    m = Growth(max_saturation=3 * y.max()).fit(y)
    assert m.params_[0] <= 3 * y.max() * (1 + 1e-9)
    f = m.predict(6, n_paths=2000, seed=0)
    assert np.all(np.isfinite(f.paths))


def test_paths_centre_on_curve_with_the_noise_of_the_data():
    rng = np.random.default_rng(0)
    y = logistic(T, 2000.0, 0.35, 12.0) * np.exp(rng.normal(0, 0.03, T.size))
    m = Growth().fit(y)
    assert m.scale_ == "log"
    f = m.predict(8, n_paths=4000, seed=1)
    truth = logistic(np.arange(25.0, 33.0), 2000.0, 0.35, 12.0)
    iv = f.interval(0.95)
    assert np.all((iv["lower"] < truth) & (truth < iv["upper"]))
    np.testing.assert_allclose(f.median, f.point, rtol=0.02)
    # past saturation the band is the data's own noise: log-width about 2 * 1.96 * 0.03
    # (sigma estimated from 25 points, hence the tolerance)
    log_width = np.log(iv["upper"] / iv["lower"]).to_numpy()
    np.testing.assert_allclose(log_width, 2 * 1.96 * 0.03, rtol=0.3)


def test_original_scale_is_chosen_with_zeros_and_paths_stay_non_negative():
    y = np.r_[0.0, 0.0, logistic(np.arange(2.0, 15.0), 100.0, 0.8, 7.0)]
    m = Growth().fit(y)
    assert m.scale_ == "original"
    f = m.predict(5, n_paths=1000, seed=0)
    assert np.all(f.paths >= 0)


def test_seeds_reproduce():
    y = logistic(T, 50.0, 0.5, 10.0) + np.sin(T)
    a = Growth().fit(y).predict(4, n_paths=300, seed=3)
    b = Growth().fit(y).predict(4, n_paths=300, seed=3)
    np.testing.assert_array_equal(a.paths, b.paths)


@settings(max_examples=20, deadline=None)
@given(
    st.lists(st.floats(0.5, 1e6), min_size=6, max_size=14),
    st.sampled_from(["logistic", "gompertz"]),
    st.integers(0, 2**32 - 1),
)
def test_no_negative_paths(values, curve, seed):
    f = Growth(curve=curve, positive=True).fit(np.array(values)).predict(4, n_paths=200,
                                                                        seed=seed)
    assert np.all(f.paths >= 0) and np.all(np.isfinite(f.paths))


@pytest.mark.parametrize(
    ("kwargs", "y", "match"),
    [
        ({"curve": "richards"}, np.arange(1.0, 9.0), "curve"),
        ({"scale": "sqrt"}, np.arange(1.0, 9.0), "scale"),
        ({"positive": False}, np.arange(-3.0, 5.0), "negative"),
        ({}, np.zeros(8), "all zeros"),
        ({"scale": "log"}, np.arange(0.0, 8.0), "scale='log'"),
        ({"max_saturation": 2.0}, np.arange(1.0, 9.0), "max_saturation"),
        ({}, np.arange(1.0, 5.0), "Growth: needs at least 5"),
    ],
)
def test_bad_input_raises(kwargs, y, match):
    with pytest.raises(ModelError, match=match):
        Growth(**kwargs).fit(y)
