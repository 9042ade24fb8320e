"""The 2x2 normal-equation solve shared by the ETS and theta kernels, against numpy's lstsq."""

import numpy as np
import pytest

from forecast.models._normal_equations import cross_sums, solve_two


def _problems(seed, n=30, g=5):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(n, g)), rng.normal(size=(n, g))
    r = 2.0 * a - 0.7 * b + rng.normal(scale=0.1, size=(n, g))
    return r, a, b


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_joint_solution_is_least_squares(seed):
    r, a, b = _problems(seed)
    x, z, sse = solve_two(*cross_sums(r, a, b), tol=1e-12)
    for j in range(r.shape[1]):
        coef, res, *_ = np.linalg.lstsq(np.c_[a[:, j], b[:, j]], r[:, j], rcond=None)
        np.testing.assert_allclose([x[j], z[j]], coef, rtol=1e-10)
        assert sse[j] == pytest.approx(res[0], rel=1e-8)


def test_without_z_and_singular_columns_fall_back_to_one_unknown():
    r, a, b = _problems(3)
    b[:, 1] = 2 * a[:, 1]  # singular normal equations in column 1
    use = np.array([True, True, False, True, True])
    x, z, sse = solve_two(*cross_sums(r, a, b), tol=1e-12, use_z=use)
    assert z[1] == 0.0 and z[2] == 0.0
    for j in (1, 2):
        xj = a[:, j] @ r[:, j] / (a[:, j] @ a[:, j])
        assert x[j] == pytest.approx(xj, rel=1e-12)
        assert sse[j] == pytest.approx(np.sum((r[:, j] - xj * a[:, j]) ** 2), rel=1e-9)


def test_bounded_z_is_the_constrained_optimum():
    r, a, b = _problems(4)  # unconstrained z is about -0.7: the bound 0 binds
    x, z, sse = solve_two(*cross_sums(r, a, b), tol=1e-14, z_bounds=(0.0, 1.0))
    assert np.all(z == 0.0)
    rng = np.random.default_rng(5)
    for j in range(r.shape[1]):
        for xt, zt in zip(rng.normal(x[j], 0.5, 50), rng.uniform(0, 1, 50), strict=True):
            assert sse[j] <= np.sum((r[:, j] - xt * a[:, j] - zt * b[:, j]) ** 2) + 1e-12


def test_one_problem_as_1d_inputs_gives_floats_equal_to_its_column():
    r, a, b = _problems(6, g=1)
    col = solve_two(*cross_sums(r, a, b), tol=1e-14, z_bounds=(-5.0, 5.0))
    one = solve_two(*cross_sums(r[:, 0], a[:, 0], b[:, 0]), tol=1e-14, z_bounds=(-5.0, 5.0))
    assert all(isinstance(v, float) for v in one)
    assert one == tuple(float(v[0]) for v in col)
