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
is then polished on a finer grid. Bounds as statsforecast: 0.1 <= alpha <= 0.99, theta >= 1.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

W_MAX = 1 - 1e-10  # theta <= 1e10


# -- standard theta -------------------------------------------------------------------
def ses_sse(y, alpha):
    """SSE of SES started at y[0] for each alpha (G,); also the final levels."""
    lvl = np.full(alpha.shape, y[0])
    sse = np.zeros(alpha.shape)
    for t in range(1, len(y)):
        e = y[t] - lvl
        sse += e * e
        lvl = lvl + alpha * e
    return sse, lvl


def ses_sse_scalar(ys, alpha):
    """:func:`ses_sse` for one alpha on a list of floats: (sse, final level).

    Plain float arithmetic in the same order as the array version, so the results are
    bit-identical, without numpy's per-call overhead (this runs inside the 1-D search).
    """
    lvl = ys[0]
    sse = 0.0
    for v in ys[1:]:
        e = v - lvl
        sse += e * e
        lvl = lvl + alpha * e
    return sse, lvl


def fit_ses(y):
    """alpha in [0, 1] minimising the SSE of SES with l0 = y[0]."""
    grid = np.linspace(0.0, 1.0, 41)
    sse, _ = ses_sse(y, grid)
    i = int(np.argmin(sse))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    ys = [float(v) for v in y]
    res = minimize_scalar(lambda a: ses_sse_scalar(ys, float(a))[0], bounds=(lo, hi),
                          method="bounded", options={"xatol": 1e-8})
    alpha = float(res.x) if res.fun <= sse[i] else float(grid[i])
    sse1, lvl = ses_sse_scalar(ys, alpha)
    return alpha, float(lvl), float(sse1)


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
def _ab_paths(y, dynamic):
    """A_{i}, B_{i} and the running mean for i = 0..n-1."""
    n = len(y)
    A = np.empty(n)
    B = np.empty(n)
    M = np.empty(n)
    if dynamic:
        A[0], B[0], M[0] = y[0], 0.0, y[0]
        for i in range(1, n):
            mean_old = M[i - 1]
            M[i] = (i * mean_old + y[i]) / (i + 1)
            B[i] = ((i - 1) * B[i - 1] + 6 * (y[i] - mean_old) / (i + 1)) / (i + 2)
            A[i] = M[i] - B[i] * (i + 2) / 2
    else:
        t1 = np.arange(1, n + 1, dtype=float)
        bn = 6 * (2 * np.mean(t1 * y) - (1 + n) * np.mean(y)) / (n**2 - 1)
        an = np.mean(y) - (n + 1) * bn / 2
        A[:], B[:] = an, bn
        M[:] = np.cumsum(y) / t1
    return A, B, M


def _design(y, alpha, dynamic, ab=None):
    """For each alpha (G,): c (n-1, G), u (n-1, G), d (n-1, G) with e_i = y_i - c - u l0 - w d.

    ``ab``: the (A, B) of :func:`_ab_paths`, which do not depend on alpha (passed in by the
    1-D search so that they are computed once per series).
    """
    n = len(y)
    A, B = _ab_paths(y, dynamic)[:2] if ab is None else ab
    i = np.arange(1, n, dtype=float)[:, None]
    q = 1 - alpha[None, :]
    d = A[:-1, None] * q**i + B[:-1, None] * (1 - q ** (i + 1)) / alpha[None, :]
    c = np.empty((n - 1, alpha.shape[0]))
    if alpha.shape[0] == 1:
        # one alpha (the scalar search): the same recursion in float arithmetic, same order
        a = float(alpha[0])
        b = 1 - a
        lvl = a * float(y[0])
        col = c[:, 0]
        for t, v in enumerate(y[1:].tolist()):
            col[t] = lvl
            lvl = a * v + b * lvl
    else:
        lvl = alpha * y[0]
        for t in range(1, n):
            c[t - 1] = lvl
            lvl = alpha * y[t] + (1 - alpha) * lvl
    u = q**i
    return c, u, d


def profile_mse(y, alpha, dynamic, ab=None):
    """Minimum one-step MSE over (l0, w in [0, W_MAX]) for each alpha; returns (mse, l0, w)."""
    c, u, d = _design(y, alpha, dynamic, ab)
    r = y[1:, None] - c
    suu = np.einsum("ij,ij->j", u, u)
    sdd = np.einsum("ij,ij->j", d, d)
    sud = np.einsum("ij,ij->j", u, d)
    sru = np.einsum("ij,ij->j", r, u)
    srd = np.einsum("ij,ij->j", r, d)
    srr = np.einsum("ij,ij->j", r, r)
    det = suu * sdd - sud * sud
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(np.abs(det) > 1e-14 * np.maximum(suu * sdd, 1e-300),
                     (suu * srd - sud * sru) / det, 0.0)
    # as clip(nan_to_num(w), 0, W_MAX): nan -> 0, +inf -> W_MAX, -inf -> 0
    w = np.clip(np.where(np.isnan(w), 0.0, w), 0.0, W_MAX)
    l0 = (sru - w * sud) / np.maximum(suu, 1e-300)
    sse = srr - 2 * l0 * sru - 2 * w * srd + l0 * l0 * suu + 2 * l0 * w * sud + w * w * sdd
    return np.maximum(sse, 0.0) / len(r), l0, w


def profile_mse_one(y, alpha, ab):
    """:func:`profile_mse` for one alpha, as floats ``(mse, l0, w)``.

    The 1-D search calls this a dozen times per series, where numpy's per-call overhead on
    length-1 columns dominates. The arithmetic is the array version's, operation for
    operation (the powers and the sums of products still go through numpy's own ``power``
    and ``einsum`` on the same values), so the result is bit-identical.
    """
    n = len(y)
    A, B = ab
    i = np.arange(1, n, dtype=float)
    a = float(alpha)
    q = 1 - a
    u = np.power(q, i)
    d = A[:-1] * u + B[:-1] * (1 - np.power(q, i + 1)) / a
    c = np.empty(n - 1)
    lvl = a * float(y[0])
    for t, v in enumerate(y[1:].tolist()):
        c[t] = lvl
        lvl = a * v + q * lvl
    r = y[1:] - c
    suu = float(np.einsum("i,i->", u, u))
    sdd = float(np.einsum("i,i->", d, d))
    sud = float(np.einsum("i,i->", u, d))
    sru = float(np.einsum("i,i->", r, u))
    srd = float(np.einsum("i,i->", r, d))
    srr = float(np.einsum("i,i->", r, r))
    det = suu * sdd - sud * sud
    w = (suu * srd - sud * sru) / det if abs(det) > 1e-14 * max(suu * sdd, 1e-300) else 0.0
    w = 0.0 if w != w else min(max(w, 0.0), W_MAX)
    l0 = (sru - w * sud) / max(suu, 1e-300)
    sse = srr - 2 * l0 * sru - 2 * w * srd + l0 * l0 * suu + 2 * l0 * w * sud + w * w * sdd
    return (sse if sse != sse else max(sse, 0.0)) / (n - 1), l0, w


def fit_otm(y, dynamic=True):
    """(alpha, l0, theta, mse) of (D)OTM by grid + bounded scalar search in alpha."""
    grid = np.linspace(0.1, 0.99, 30)
    ab = _ab_paths(y, dynamic)[:2]
    mse, _, _ = profile_mse(y, grid, dynamic, ab)
    i = int(np.argmin(mse))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    res = minimize_scalar(lambda a: profile_mse_one(y, a, ab)[0],
                          bounds=(lo, hi), method="bounded", options={"xatol": 1e-6})
    alpha = float(res.x) if res.fun <= mse[i] else float(grid[i])
    m, l0, w = profile_mse_one(y, alpha, ab)
    theta = 1.0 / (1.0 - w)
    return alpha, l0, theta, m


def otm_states(y, alpha, l0, theta, dynamic):
    """Residuals e_1..e_{n-1} and final states (level, mean, A, B) after y_{n-1}."""
    n = len(y)
    A, B, M = _ab_paths(y, dynamic)
    w = 1 - 1 / theta
    lvl = alpha * y[0] + (1 - alpha) * l0
    resid = np.empty(n - 1)
    q = 1 - alpha
    for i in range(1, n):
        mu = lvl + w * (A[i - 1] * q**i + B[i - 1] * (1 - q ** (i + 1)) / alpha)
        resid[i - 1] = y[i] - mu
        lvl = alpha * y[i] + q * lvl
    return resid, (lvl, M[-1], A[-1], B[-1])


def otm_paths(n, states, alpha, theta, dynamic, h, noise):
    """Continue the recursion h steps for each row of ``noise`` (n_paths, h; sigma included)."""
    lvl0, mean0, a0, b0 = states
    n_paths = noise.shape[0]
    lvl = np.full(n_paths, lvl0)
    mean = np.full(n_paths, mean0)
    A = np.full(n_paths, a0)
    B = np.full(n_paths, b0)
    w = 1 - 1 / theta
    q = 1 - alpha
    out = np.empty((n_paths, h))
    for j in range(h):
        i = n + j
        mu = lvl + w * (A * q**i + B * (1 - q ** (i + 1)) / alpha)
        yv = mu + noise[:, j]
        out[:, j] = yv
        lvl = alpha * yv + q * lvl
        if dynamic:
            new_mean = (i * mean + yv) / (i + 1)
            B = ((i - 1) * B + 6 * (yv - mean) / (i + 1)) / (i + 2)
            A = new_mean - B * (i + 2) / 2
            mean = new_mean
    return out
