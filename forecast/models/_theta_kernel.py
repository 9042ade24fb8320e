"""Numeric kernel of the theta methods, vectorised across the smoothing parameter.

Standard theta (Assimakopoulos & Nikolopoulos 2000, as statsmodels' ``ThetaModel``): simple
exponential smoothing started at ``l0 = y[0]`` with alpha minimising the in-sample SSE, plus
half the OLS slope b0 as drift:

    yhat_{n+h} = l_n + b0/2 * (h - 1 + 1/alpha - (1 - alpha)^n / alpha)

Optimised theta (Fiorucci et al. 2016, OTM and its dynamic version DOTM, in the state-space
form of statsforecast's ``(Dynamic)OptimizedTheta``):

    mu_i = L_{i-1} + w * (A_{i-1} (1-alpha)^i + B_{i-1} (1 - (1-alpha)^(i+1)) / alpha)
    L_i  = alpha y_i + (1 - alpha) L_{i-1},   L_0 = alpha y_0 + (1 - alpha) l0

with w = 1 - 1/theta and (A, B) the OLS intercept and slope of y_0..y_{i} (updated each step
for DOTM, full-sample for OTM). For fixed alpha, mu is linear in (l0, w), so the one-step MSE
is minimised over (l0, w in [0, 1)) in closed form for a whole grid of alphas at once; alpha
is then polished by a bounded scalar search. Bounds as statsforecast: 0.1 <= alpha <= 0.99,
theta >= 1.

Both searches run for many series at once (``fit_ses_many``, ``fit_otm_many``): the grids per
series, the polish for the whole batch, each series in its own column of :class:`_Layout`
(:func:`forecast.models._bounded_search.minimize_bounded`, scipy's bounded search vectorised).
A series' numbers never depend on the others in its batch; ``fit_ses`` and ``fit_otm`` are
the batch of one.
"""

from __future__ import annotations

import numpy as np

from forecast.models._bounded_search import minimize_bounded
from forecast.models._normal_equations import cross_sums, solve_two

W_MAX = 1 - 1e-10  # theta <= 1e10


# -- standard theta -------------------------------------------------------------------
def ses_sse(y, alpha):
    """SSE of SES started at y[0], and the final level, for alpha a float or an array (G,).

    The same lines run on floats and on arrays over a grid of alphas, in the same order: one
    grid column equals the float run bit for bit, and both equal the column of
    :meth:`_Layout.ses_sse` that the search polishes with.
    """
    ys = y.tolist() if isinstance(y, np.ndarray) else y
    lvl = ys[0] + 0.0 * alpha
    sse = 0.0 * alpha
    for v in ys[1:]:
        e = v - lvl
        sse = sse + e * e
        lvl = lvl + alpha * e
    return sse, lvl


def fit_ses(y):
    """alpha in [0, 1] minimising the SSE of SES with l0 = y[0]: the one series of
    :func:`fit_ses_many`."""
    return fit_ses_many([y])[0]


def fit_ses_many(ys):
    """``[(alpha, final level, SSE)]`` of SES for each series: a 41-point grid per series,
    then a bounded scalar search in the cells either side of its best point, run for all
    the series together (:func:`~forecast.models._bounded_search.minimize_bounded`, scipy's
    ``minimize_scalar(method="bounded")`` vectorised). The objective of the search is
    :func:`ses_sse` in the same operations, so each series' numbers are its own."""
    ys = [np.asarray(y, dtype=float) for y in ys]
    if not ys:
        return []
    grid = np.linspace(0.0, 1.0, 41)
    lo, hi, best, best_sse = [], [], [], []
    for y in ys:
        sse, _ = ses_sse(y, grid)
        i = int(np.argmin(sse))
        lo.append(grid[max(i - 1, 0)])
        hi.append(grid[min(i + 1, len(grid) - 1)])
        best.append(grid[i])
        best_sse.append(sse[i])
    lay = _Layout(ys)
    x, fx = minimize_bounded(lambda a, active: lay.ses_sse(a)[0], np.array(lo), np.array(hi),
                             xatol=1e-8)
    alpha = np.where(fx <= np.array(best_sse), x, np.array(best))
    sse, lvl = lay.ses_sse(alpha)
    return [(float(alpha[k]), float(lvl[k]), float(sse[k])) for k in range(len(ys))]


class _Layout:
    """Series of unequal length side by side, column ``k`` = series ``k``, zero-padded: the
    series still running at step ``t`` are those with ``t < n_k`` (``self.live[t]``)."""

    def __init__(self, ys, ab=None):
        self.n = np.array([len(y) for y in ys])
        T = int(self.n.max())
        self.Y = np.zeros((T, len(ys)))
        for k, y in enumerate(ys):
            self.Y[:len(y), k] = y
        self.live = [self.n > t for t in range(T)]
        self.on = [v.astype(float) for v in self.live]
        if ab is not None:
            self.A = np.zeros((T, len(ys)))
            self.B = np.zeros((T, len(ys)))
            for k, (a, b) in enumerate(ab):
                self.A[:len(a), k], self.B[:len(b), k] = a, b

    def ses_sse(self, alpha):
        """:func:`ses_sse` of each series at its own ``alpha`` (S,): the same float steps."""
        lvl = self.Y[0].copy()
        sse = np.zeros(len(lvl))
        for t in range(1, self.Y.shape[0]):
            m = self.live[t]
            e = self.Y[t] - lvl
            sse = np.where(m, sse + e * e, sse)
            lvl = np.where(m, lvl + alpha * e, lvl)
        return sse, lvl

    def profile_mse(self, alpha):
        """The one-step MSE of (D)OTM minimised over (l0, w), each series at its own
        ``alpha`` (S,), as :func:`profile_mse`; returns (mse, l0, w). Powers of ``1 - alpha``
        are running products and the sums are accumulated step by step, so a series' numbers
        do not depend on the other columns."""
        q = 1 - alpha
        Y, A, B = self.Y, self.A, self.B
        lvl = alpha * Y[0]
        pw = q.copy()                                  # q ** i at step i
        srr, sru, srd, suu, sud, sdd = (np.zeros(len(q)) for _ in range(6))
        for t in range(1, Y.shape[0]):
            m = self.on[t]                             # 1 while the series runs, else 0
            u = pw * m
            pw = pw * q
            d = (A[t - 1] * u + B[t - 1] * (1 - pw) / alpha) * m
            r = (Y[t] - lvl) * m
            lvl = alpha * Y[t] + q * lvl
            # a finished series adds exact zeros, so its sums are its own
            srr += r * r
            sru += r * u
            srd += r * d
            suu += u * u
            sud += u * d
            sdd += d * d
        sums = (srr, sru, srd, suu, sud, sdd)
        l0, w, sse = solve_two(*sums, tol=1e-14, z_bounds=(0.0, W_MAX))
        return sse / (self.n - 1), l0, w


def ols_line(y):
    """Intercept and slope of y on t = 0..n-1."""
    n = len(y)
    t = np.arange(n, dtype=float)
    if n == 1:
        return float(y[0]), 0.0
    tm = t.mean()
    b = float(np.dot(t - tm, y - y.mean()) / np.dot(t - tm, t - tm))
    return float(y.mean() - b * tm), b


# -- optimised theta ------------------------------------------------------------------
def _line_update(i, mean, B, v):
    """(mean, A, B) of the OLS line of y_0..y_i on t = 1..i+1, from the mean and slope B of
    y_0..y_{i-1} and y_i = v (DOTM's running trend line; floats or arrays over paths)."""
    new_mean = (i * mean + v) / (i + 1)
    B = ((i - 1) * B + 6 * (v - mean) / (i + 1)) / (i + 2)
    return new_mean, new_mean - B * (i + 2) / 2, B


def _ab_paths(y, dynamic):
    """A_{i}, B_{i} and the running mean for i = 0..n-1."""
    n = len(y)
    A = np.empty(n)
    B = np.empty(n)
    M = np.empty(n)
    if dynamic:
        A[0], B[0], M[0] = y[0], 0.0, y[0]
        for i in range(1, n):
            M[i], A[i], B[i] = _line_update(i, M[i - 1], B[i - 1], y[i])
    else:
        t1 = np.arange(1, n + 1, dtype=float)
        bn = 6 * (2 * np.mean(t1 * y) - (1 + n) * np.mean(y)) / (n**2 - 1)
        an = np.mean(y) - (n + 1) * bn / 2
        A[:], B[:] = an, bn
        M[:] = np.cumsum(y) / t1
    return A, B, M


def _design(y, alpha, dynamic, ab=None):
    """c, u, d, each (n-1, G) for alpha of shape (G,), with e_i = y_i - c - u l0 - w d.

    A float alpha runs the same lines on (n-1,) columns and a float level recursion; the
    values are those of a grid column (the batched search's :meth:`_Layout.profile_mse`
    agrees to rounding). ``ab``: the (A, B) of :func:`_ab_paths`, which do not depend on
    alpha (passed in so that they are computed once per series).
    """
    n = len(y)
    A, B = _ab_paths(y, dynamic)[:2] if ab is None else ab
    i, A, B = np.arange(1, n, dtype=float), A[:-1], B[:-1]
    if not isinstance(alpha, float):  # a grid: time down the rows, one column per alpha
        i, A, B = i[:, None], A[:, None], B[:, None]
    q = 1 - alpha
    u = np.power(q, i)
    d = A * u + B * (1 - np.power(q, i + 1)) / alpha
    c = np.empty(u.shape)
    lvl = alpha * float(y[0])
    for t, v in enumerate(y[1:].tolist()):
        c[t] = lvl
        lvl = alpha * v + q * lvl
    return c, u, d


def profile_mse(y, alpha, dynamic, ab=None):
    """Minimum one-step MSE over (l0, w in [0, W_MAX]) for each alpha; returns (mse, l0, w).

    ``alpha``: an array (G,) for a grid, or a float for one (then floats come back).
    """
    c, u, d = _design(y, alpha, dynamic, ab)
    r = (y[1:] if isinstance(alpha, float) else y[1:, None]) - c
    l0, w, sse = solve_two(*cross_sums(r, u, d), tol=1e-14, z_bounds=(0.0, W_MAX))
    return sse / len(r), l0, w


def fit_otm(y, dynamic=True):
    """(alpha, l0, theta, mse) of (D)OTM: the one series of :func:`fit_otm_many`."""
    return fit_otm_many([y], dynamic)[0]


def fit_otm_many(ys, dynamic=True):
    """``[(alpha, l0, theta, mse)]`` of (D)OTM for each series: a 30-point grid in alpha per
    series (:func:`profile_mse`), then a bounded scalar search in the cells either side of
    its best point, run for all the series together
    (:func:`~forecast.models._bounded_search.minimize_bounded`) on
    :meth:`_Layout.profile_mse`; (l0, theta) are profiled out in closed form throughout."""
    ys = [np.asarray(y, dtype=float) for y in ys]
    if not ys:
        return []
    grid = np.linspace(0.1, 0.99, 30)
    lo, hi, best, best_mse, abs_ = [], [], [], [], []
    for y in ys:
        ab = _ab_paths(y, dynamic)[:2]
        mse, _, _ = profile_mse(y, grid, dynamic, ab)
        i = int(np.argmin(mse))
        lo.append(grid[max(i - 1, 0)])
        hi.append(grid[min(i + 1, len(grid) - 1)])
        best.append(grid[i])
        best_mse.append(mse[i])
        abs_.append(ab)
    lay = _Layout(ys, abs_)
    x, fx = minimize_bounded(lambda a, active: lay.profile_mse(a)[0], np.array(lo),
                             np.array(hi), xatol=1e-6)
    alpha = np.where(fx <= np.array(best_mse), x, np.array(best))
    m, l0, w = lay.profile_mse(alpha)
    theta = 1.0 / (1.0 - w)
    return [(float(alpha[k]), float(l0[k]), float(theta[k]), float(m[k]))
            for k in range(len(ys))]


def otm_recursion(i0, lvl, line, alpha, theta, dynamic, drive, out, shock=False):
    """The (D)OTM recursion from step ``i0`` over the rows of ``drive``; the one copy of it.

        mu_i = L_{i-1} + w (A (1-alpha)^i + B (1 - (1-alpha)^(i+1)) / alpha),
        L_i = alpha y_i + (1 - alpha) L_{i-1}

    ``line`` is the trend line (mean, A, B) so far: updated with each y_i for DOTM, fixed
    (the full-sample line) for OTM. With ``shock`` False the rows are observations y_i and
    ``out[t]`` gets the residual y_i - mu_i (fitting); with ``shock`` True they are
    innovations, y_i = mu_i + innovation and ``out[t]`` gets y_i (simulation). States may be
    floats (one series) or arrays over paths. Returns the final (L, line).
    """
    w = 1 - 1 / theta
    q = 1 - alpha
    mean, A, B = line
    for t, v in enumerate(drive):
        i = i0 + t
        mu = lvl + w * (A * q**i + B * (1 - q ** (i + 1)) / alpha)
        yv = mu + v if shock else v
        out[t] = yv if shock else yv - mu
        lvl = alpha * yv + q * lvl
        if dynamic:
            mean, A, B = _line_update(i, mean, B, yv)
    return lvl, (mean, A, B)


def otm_states(y, alpha, l0, theta, dynamic):
    """Residuals e_1..e_{n-1} and final states (level, mean, A, B) after y_{n-1}."""
    A, B, M = _ab_paths(y, dynamic)
    # DOTM starts from the line through y_0 alone; OTM keeps the full-sample line throughout
    line = (M[0], A[0], B[0]) if dynamic else (M[-1], A[0], B[0])
    resid = np.empty(len(y) - 1)
    lvl, line = otm_recursion(1, alpha * y[0] + (1 - alpha) * l0, line, alpha, theta, dynamic,
                              y[1:].tolist(), resid)
    return resid, (lvl, *line)


def otm_paths(n, states, alpha, theta, dynamic, h, noise):
    """Continue the recursion h steps for each row of ``noise`` (n_paths, h; sigma included)."""
    lvl, mean, a, b = (np.full(noise.shape[0], v) for v in states)
    out = np.empty((h, noise.shape[0]))
    otm_recursion(n, lvl, (mean, a, b), alpha, theta, dynamic, noise.T, out, shock=True)
    return out.T
