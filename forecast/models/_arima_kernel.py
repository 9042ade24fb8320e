"""Numeric kernel of non-seasonal ARIMA: exact Gaussian likelihood, KPSS, simulation.

The ARMA(p, q) part of the (differenced) series w is fitted by exact maximum likelihood:
the exact autocovariances of the ARMA process (a small linear system, no truncated
MA(infinity) sum) give the n x n covariance matrix, whose Cholesky factor yields the exact
likelihood; the innovation variance and the mean (constant or drift) are concentrated out
in closed form (GLS), so the optimiser only sees the p + q coefficients. Stationarity and
invertibility are enforced by the partial-autocorrelation reparameterisation (Jones 1980),
as in statsmodels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import cholesky, solve_triangular, toeplitz
from scipy.optimize import minimize

_LOG2PI = np.log(2 * np.pi)


def constrain(u):
    """Unconstrained -> coefficients of a stationary polynomial (Jones 1980)."""
    r = np.tanh(u)
    k = len(r)
    y = r.copy()
    for j in range(1, k):
        a = r[j]
        y[:j] = y[:j] - a * y[:j][::-1]
    return y


def unconstrain(c):
    c = np.asarray(c, dtype=float).copy()
    k = len(c)
    r = np.zeros(k)
    for j in range(k - 1, -1, -1):
        a = c[j]
        r[j] = a
        if j:
            c[:j] = (c[:j] + a * c[:j][::-1]) / (1 - a * a)
    return np.arctanh(np.clip(r, -0.9999, 0.9999))


def acov(ar, ma, n):
    """Autocovariances 0..n-1 of ARMA with unit innovation variance, computed exactly.

    Multiplying x_t - sum_i ar_i x_{t-i} = e_t + sum_j ma_j e_{t-j} by x_{t-k} and taking
    expectations gives, for k = 0..m-1 with m = max(p, q) + 1, m linear equations in
    gamma(0..m-1) whose right-hand side is sum_{j>=k} ma_j psi_{j-k} (psi: the MA(infinity)
    weights, of which only psi_0..psi_q enter); beyond m the AR recursion
    gamma(k) = sum_i ar_i gamma(k-i) continues them (Brockwell & Davis 1991, eqs. 3.3.8-9;
    statsmodels' ``arma_acovf``). A truncated MA(infinity) sum would instead lose the tail,
    which near the stationarity bound is a sizeable part of the variance.
    Raises ``numpy.linalg.LinAlgError`` when the system is singular (a unit root).
    """
    # p, q <= a few and n <= a few hundred: plain floats beat numpy's per-call overhead here
    ar = [float(v) for v in ar]
    theta = [1.0] + [float(v) for v in ma]
    p, q = len(ar), len(theta) - 1
    m = max(p, q) + 1
    psi = []
    for j in range(q + 1):
        psi.append(theta[j] + sum(ar[i] * psi[j - 1 - i] for i in range(min(j, p))))
    rhs = np.zeros(m)
    for k in range(q + 1):
        rhs[k] = sum(theta[j] * psi[j - k] for j in range(k, q + 1))
    if p:
        lhs = np.eye(m)
        for k in range(m):
            for i in range(1, p + 1):
                lhs[k, abs(k - i)] -= ar[i - 1]
        rhs = np.linalg.solve(lhs, rhs)
    g = rhs.tolist()
    for k in range(m, n):
        g.append(sum(ar[i] * g[k - 1 - i] for i in range(p)))
    return np.array(g[:n])


def concentrated(w, ar, ma, mean):
    """Exact log-likelihood with sigma2 and (if ``mean``) the mean profiled out."""
    n = len(w)
    try:
        g = acov(ar, ma, n)
        if not np.all(np.isfinite(g)):
            return -np.inf, 0.0, np.nan
        L = cholesky(toeplitz(g), lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        return -np.inf, 0.0, np.nan
    if mean:
        Z = solve_triangular(L, np.c_[w, np.ones(n)], lower=True, check_finite=False)
        mu = float(Z[:, 0] @ Z[:, 1] / (Z[:, 1] @ Z[:, 1]))
        z = Z[:, 0] - mu * Z[:, 1]
    else:
        mu = 0.0
        z = solve_triangular(L, w, lower=True, check_finite=False)
    s2 = float(z @ z) / n
    if not s2 > 0:
        return -np.inf, mu, 0.0
    ll = -n / 2 * (_LOG2PI + np.log(s2) + 1) - float(np.sum(np.log(np.diag(L))))
    return ll, mu, s2


@dataclass
class ArmaFit:
    p: int
    d: int
    q: int
    mean: bool
    ar: np.ndarray
    ma: np.ndarray
    mu: float
    sigma2: float
    loglik: float
    aicc: float


def fit_arma(w, p, q, mean, d=0) -> ArmaFit:
    n = len(w)

    def unpack(x):
        return constrain(x[:p]) if p else np.zeros(0), -constrain(x[p:]) if q else np.zeros(0)

    def nll(x):
        ar, ma = unpack(x)
        ll, _, _ = concentrated(w, ar, ma, mean)
        return 1e10 if not np.isfinite(ll) else -ll

    if p + q:
        best = None
        # several starts: a common AR/MA factor makes the surface multimodal
        starts = [np.zeros(p + q), np.r_[np.full(p, 0.3), np.full(q, -0.3)],
                  np.r_[np.full(p, -0.3), np.full(q, 0.3)]]
        if p and q:
            starts.append(np.r_[np.full(p, 0.3), np.full(q, 0.3)])
        for x0 in starts:
            res = minimize(nll, x0, method="L-BFGS-B", bounds=[(-3.5, 3.5)] * (p + q),
                           options={"ftol": 1e-12, "gtol": 1e-7})
            if best is None or res.fun < best.fun:
                best = res
        x = best.x
    else:
        x = np.zeros(0)
    ar, ma = unpack(x)
    ll, mu, s2 = concentrated(w, ar, ma, mean)
    k = p + q + int(mean) + 1
    aicc = -2 * ll + 2 * k + (2 * k * (k + 1) / (n - k - 1) if n - k - 1 > 0 else np.inf)
    return ArmaFit(p, d, q, mean, ar, ma, mu, s2, ll, aicc)


def kpss_stat(y):
    """KPSS level-stationarity statistic with Bartlett window, lags trunc(3 sqrt(n) / 13)."""
    n = len(y)
    e = y - y.mean()
    s = np.cumsum(e)
    lags = int(3 * np.sqrt(n) / 13)
    lr = e @ e / n
    for j in range(1, lags + 1):
        lr += 2 * (1 - j / (lags + 1)) * (e[j:] @ e[:-j]) / n
    return float(s @ s / (n * n * lr)) if lr > 0 else np.inf


def ndiffs(y, max_d=2, crit=0.463):
    """Number of differences by repeated KPSS tests at the 5% level (as forecast::ndiffs)."""
    d = 0
    x = np.asarray(y, dtype=float)
    while d < max_d and len(x) > 3 and np.ptp(x) > 0 and kpss_stat(x) > crit:
        x = np.diff(x)
        d += 1
    return d


def residuals(w, fit: ArmaFit):
    """Conditional one-step residuals of the ARMA part (zero pre-sample errors)."""
    x = w - fit.mu
    if not (fit.p or fit.q):
        return x
    from scipy.signal import lfilter  # imported here: scipy.signal costs ~1 s to import

    return lfilter(np.r_[1.0, -fit.ar], np.r_[1.0, fit.ma], x)


def simulate(y, fit: ArmaFit, h, eps):
    """Paths (n_paths, h) of the original series; ``eps`` already scaled (n_paths, h)."""
    w = np.diff(y, n=fit.d) if fit.d else np.asarray(y, dtype=float)
    res = residuals(w, fit)
    p, q = fit.p, fit.q
    n_paths = eps.shape[0]
    xs = np.tile(w[len(w) - p :] - fit.mu if p else np.zeros(0), (n_paths, 1))
    es = np.tile(res[len(res) - q :] if q else np.zeros(0), (n_paths, 1))
    xs = np.concatenate([np.zeros((n_paths, max(p - xs.shape[1], 0))), xs], axis=1)
    es = np.concatenate([np.zeros((n_paths, max(q - es.shape[1], 0))), es], axis=1)
    out = np.empty((n_paths, h))
    for j in range(h):
        v = eps[:, j].copy()
        for i in range(p):
            v += fit.ar[i] * xs[:, -1 - i]
        for i in range(q):
            v += fit.ma[i] * es[:, -1 - i]
        out[:, j] = v + fit.mu
        if p:
            xs = np.concatenate([xs[:, 1:], v[:, None]], axis=1)
        if q:
            es = np.concatenate([es[:, 1:], eps[:, j : j + 1]], axis=1)
    # undo the differencing
    for k in range(fit.d, 0, -1):
        last = np.diff(y, n=k - 1)[-1] if k > 1 else y[-1]
        out = last + np.cumsum(out, axis=1)
    return out
