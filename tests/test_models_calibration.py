"""Interval calibration of combined paths: the learner against statsmodels, the path map
against hand-computed values, and the shipped table."""

import numpy as np
import pytest
from scipy.stats import norm

from forecast.errors import ModelError
from forecast.models import Auto
from forecast.models import calibration as C


def synthetic(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    step = rng.integers(1, 5, n)
    ldis = rng.normal(-0.5, 0.6, n)
    n_obs = rng.integers(8, 50, n)
    a = np.array([0.1, 0.3, 0.45, 0.55])
    lz = a[step - 1] + 0.3 * ldis - 0.2 * np.log(n_obs) + rng.logistic(0, 0.4, n)
    w = rng.uniform(0.5, 2.0, n)
    return step, ldis, n_obs, lz, w


def test_learn_is_weighted_least_squares_as_statsmodels():
    import statsmodels.api as sm

    step, ldis, n_obs, lz, w = synthetic()
    cal = C.learn(step, ldis, n_obs, lz, w)
    X = np.column_stack([(step == k).astype(float) for k in range(1, 5)]
                        + [ldis, np.log(n_obs)])
    ref = sm.WLS(lz, X, weights=w).fit().params
    np.testing.assert_allclose(cal.step_intercepts + (cal.disagreement, cal.length), ref,
                               rtol=1e-9, atol=1e-12)
    # and it recovers the generating coefficients
    np.testing.assert_allclose(cal.disagreement, 0.3, atol=0.05)
    np.testing.assert_allclose(cal.length, -0.2, atol=0.05)


def test_weighted_quantile_with_equal_weights_is_hazen():
    v = np.random.default_rng(1).normal(size=101)
    p = np.linspace(0.02, 0.98, 25)
    np.testing.assert_allclose(C.weighted_quantile(v, p, np.ones(101)),
                               np.quantile(v, p, method="hazen"), rtol=1e-12)
    # integer weights act as repeated values
    w = np.arange(1, 102) % 3 + 1
    np.testing.assert_allclose(C.weighted_quantile(v, [0.5], w),
                               np.quantile(np.repeat(v, w), [0.5], method="hazen"), atol=0.05)


def normal_table(scale=1.0, h=3):
    """A calibration saying: |y - point| / sd is |N(0, scale^2)| whatever the features."""
    probs = np.linspace(0.005, 0.995, 199)
    q = np.log(norm.ppf(0.5 + probs / 2))  # quantiles of log|Z|
    return C.Calibration(step_intercepts=(np.log(scale),) * h, disagreement=0.0, length=0.0,
                         residual_probs=tuple(probs), residual_quantiles=tuple(q),
                         ln_range=(0.0, 10.0), ldis_range=(-10.0, 10.0))


def test_apply_maps_paths_to_the_calibrated_distribution():
    rng = np.random.default_rng(2)
    raw = rng.standard_t(4, size=(20000, 3)) * np.array([1.0, 2.0, 3.0])  # heavy, unequal
    point = np.zeros(3)
    sd = C.path_scale(point, raw)
    out = C.apply(normal_table(scale=1.5), point, raw, np.zeros((3, 3)), np.arange(10.0))
    # each step becomes N(0, (1.5 sd_k)^2): central intervals at every level
    for level in (0.5, 0.8, 0.95):
        hi = np.quantile(np.abs(out), level, axis=0)
        np.testing.assert_allclose(hi, 1.5 * sd * norm.ppf(0.5 + level / 2), rtol=0.02)
    # ranks and signs are kept: a monotone map of each step's deviations
    for k in range(3):
        order = np.argsort(np.abs(raw[:, k]), kind="stable")
        assert np.all(np.diff(np.abs(out[order, k])) >= 0)
    assert np.array_equal(np.sign(out), np.sign(raw))


def test_apply_hand_computed_and_flat_steps_untouched():
    # 4 paths, one step: deviations -3, -1, 2, 0.5 from point 10 -> |dev| ranks 3, 1, 2, 0
    paths = np.array([[7.0, 5.0], [9.0, 5.0], [12.0, 5.0], [10.5, 5.0]])
    point = np.array([10.0, 5.0])
    cal = C.Calibration(step_intercepts=(0.2, 0.2), disagreement=0.5, length=0.1,
                        residual_probs=(0.1, 0.9), residual_quantiles=(-1.0, 1.0),
                        ln_range=(0.0, 10.0), ldis_range=(-10.0, 10.0))
    y = np.array([1.0, 2.0, 4.0, 8.0])
    members = np.array([[10.0, 5.0], [11.0, 5.0]])
    out = C.apply(cal, point, paths, members, y)
    sd = (np.quantile(paths[:, 0], 0.9) - np.quantile(paths[:, 0], 0.1)) / (2 * C.Z90)
    pts = np.array([10.0, 11.0, 8.0, 8.0 + 7.0 / 3])  # members, naive, drift at step 1
    pred = 0.2 + 0.5 * np.log(pts.std() / sd) + 0.1 * np.log(4)
    probs = (np.array([3, 1, 2, 0]) + 0.5) / 4
    q = np.interp(probs, [0.1, 0.9], [-1.0, 1.0])
    expect = 10 + np.array([-1, -1, 1, 1]) * sd * np.exp(pred + q)
    np.testing.assert_allclose(out[:, 0], expect, rtol=1e-12)
    np.testing.assert_array_equal(out[:, 1], paths[:, 1])  # no spread: left as it is


def test_apply_equals_a_step_by_step_loop_with_ties_in_path_order():
    # antithetic paths tie in |deviation|: tied paths get their ranks in path order (a
    # stable sort), step by step, as this plain loop does it
    rng = np.random.default_rng(4)
    half = rng.standard_normal((50, 4)).round(1)  # rounding adds ties inside a half too
    point = np.array([1.0, -2.0, 0.5, 3.0])
    paths = point + np.vstack([half, -half])
    cal = C.Calibration(step_intercepts=(0.1, 0.3, 0.4, 0.5), disagreement=0.2, length=-0.3,
                        residual_probs=(0.05, 0.5, 0.95), residual_quantiles=(-2.0, 0.0, 1.0),
                        ln_range=(0.0, 10.0), ldis_range=(-10.0, 10.0))
    members = point + rng.standard_normal((3, 4))
    y = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])
    out = C.apply(cal, point, paths, members, y)
    sd = C.path_scale(point, paths)
    pred = cal.log_scale(C.log_disagreement(members, y, sd), len(y), 4)
    n = len(paths)
    q = np.interp((np.arange(n) + 0.5) / n, cal.residual_probs, cal.residual_quantiles)
    for k in range(4):
        dev = paths[:, k] - point[k]
        ranked = sorted(range(n), key=lambda i: abs(dev[i]))  # Python's sort is stable
        expect = np.empty(n)
        for r, i in enumerate(ranked):
            expect[i] = point[k] + np.sign(dev[i]) * sd[k] * np.exp(pred[k]) * np.exp(q[r])
        np.testing.assert_allclose(out[:, k], expect, rtol=1e-13, atol=0)
    assert out.flags.c_contiguous


def test_intercepts_continue_on_log_step_never_down():
    cal = normal_table()
    up = C.Calibration(**{**cal.__dict__, "step_intercepts": (0.0, 0.2, 0.5)})
    a = up.intercepts(5)
    slope = 0.3 / np.log(3 / 2)
    np.testing.assert_allclose(a, [0.0, 0.2, 0.5, 0.5 + slope * np.log(4 / 3),
                                   0.5 + slope * np.log(5 / 3)])
    down = C.Calibration(**{**cal.__dict__, "step_intercepts": (0.0, 0.5, 0.4)})
    np.testing.assert_allclose(down.intercepts(5), [0.0, 0.5, 0.4, 0.4, 0.4])


def test_features_clipped_to_the_learned_range():
    cal = C.Calibration(**{**normal_table().__dict__, "length": -0.3,
                           "ln_range": (np.log(7), np.log(52))})
    long = cal.log_scale(np.zeros(3), 1000, 3)
    np.testing.assert_allclose(long, cal.log_scale(np.zeros(3), 52, 3))


def test_json_round_trip_and_bad_tables():
    cal = normal_table()
    assert C.Calibration.from_json(cal.to_json()) == cal
    with pytest.raises(ModelError, match="inconsistent"):
        C.Calibration.from_json(C.Calibration(
            **{**cal.__dict__, "residual_quantiles": cal.residual_quantiles[::-1]}).to_json())
    with pytest.raises(ModelError, match="not a calibration table"):
        C.Calibration.from_json('{"step_intercepts": [1]}')
    with pytest.raises(ModelError, match="calibration must be"):
        Auto(calibration="wide").fit(np.arange(10.0))


def test_shipped_table_is_what_auto_uses():
    cal = C.default()
    assert sorted(cal.source["learned_on"]) == ["M1", "M3", "Tourism"]
    assert Auto().fit(np.arange(1.0, 12.0)).calibration_ == cal
    raw = Auto(calibration=None).fit(np.arange(1.0, 12.0) ** 1.5).predict(4, n_paths=400,
                                                                           seed=0)
    wide = Auto().fit(np.arange(1.0, 12.0) ** 1.5).predict(4, n_paths=400, seed=0)
    np.testing.assert_array_equal(raw.point, wide.point)  # calibration moves only the paths


def test_disagreement_of_huge_points_does_not_overflow():
    # a member extrapolating a jump on the log scale can reach 1e206; the spread stays finite
    members = np.array([[1.0, 4e206], [2.0, 1.0]])
    with np.errstate(over="raise", invalid="raise"):
        ldis = C.log_disagreement(members, np.array([1e-207, 1.0, 1.0]), np.array([1.0, 1.0]))
    assert np.isfinite(ldis).all()
    pts = np.array([[1.0, 2.0, 1.0, 1.5], [4e206, 1.0, 1.0, 2.0]])  # members, naive, drift
    np.testing.assert_allclose(ldis[0], np.log(pts[0].std()))
    np.testing.assert_allclose(ldis[1], np.log(4e206 * (pts[1] / 4e206).std()))
