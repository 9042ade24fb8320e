"""Numeric kernel of non-seasonal ETS: recursions vectorised across parameter vectors.

Models ETS(E, T, N) with error E in {add, mul} and trend T in {none, add, add damped}, in
the state-space form of Hyndman et al. (2008). With a non-seasonal additive (or no) trend the
state update is the same for both error types when written with the raw error y - mu:

    mu_t = l_{t-1} + phi b_{t-1}
    l_t  = mu_t + alpha (y_t - mu_t)
    b_t  = phi b_{t-1} + beta (y_t - mu_t)

so the one-step predictions are *linear in the initial states* (l0, b0). For additive errors
the Gaussian likelihood is a least-squares problem in (l0, b0), which we solve in closed form
for every candidate (alpha, beta, phi) at once: one pass of the recursion over the time steps
evaluates a whole grid of smoothing parameters. The recursion itself is written once, in
:func:`damped_trend`, which fitting, residuals and simulation all run. Multiplicative errors
change only the likelihood: -n/2 log(sum(((y - mu)/mu)^2)) - sum(log|mu|).

Parameter bounds follow statsmodels' ``ETSModel`` ("usual" region): 1e-4 <= alpha <= 1-1e-4,
beta = beta_star * alpha with 1e-4 <= beta_star <= 1-1e-4, 0.8 <= phi <= 0.98.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from forecast.models._normal_equations import cross_sums, solve_two

LO, HI = 1e-4, 1 - 1e-4
PHI_LO, PHI_HI = 0.8, 0.98
_LOG2PI = np.log(2 * np.pi)


@dataclass
class ETSFit:
    error: str  # "add" | "mul"
    trend: str | None  # None | "add"
    damped: bool
    alpha: float
    beta: float
    phi: float
    l0: float
    b0: float
    loglik: float
    aicc: float
    sigma2: float
    level: float  # final level l_n
    slope: float  # final slope b_n
    n_params: int

    @property
    def label(self) -> str:
        t = "N" if self.trend is None else ("Ad" if self.damped else "A")
        return f"ETS({self.error[0].upper()},{t},N)"


def n_params(trend, damped) -> int:
    """Free parameters plus one for the error variance (as statsmodels' df_model)."""
    k = 2 if trend is None else 4
    return k + int(damped) + 1


def aicc(loglik, n, k):
    if n - k - 1 <= 0:
        return np.inf
    return -2 * loglik + 2 * k + 2 * k * (k + 1) / (n - k - 1)


def damped_trend(drive, lvl, slp, alpha, beta, phi, mu=None, err=None, shock=None,
                 sigma=1.0):
    """The recursion of ETS(., Ad, N) over the rows of ``drive``; returns the final (l, b).

        mu_t = l_{t-1} + phi b_{t-1},  l_t = mu_t + alpha e_t,  b_t = phi b_{t-1} + beta e_t

    With ``shock`` None the rows are observations and e_t = y_t - mu_t (fitting, residuals);
    with ``shock`` "add" or "mul" they are standard-normal draws z_t and e_t = sigma z_t or
    mu_t sigma z_t (simulation). mu_t goes to ``mu[t]`` and e_t to ``err[t]`` where given.
    No trend is phi = 1, beta = 0, b = 0. The states and parameters may be floats (one
    parameter vector: no numpy overhead per operation) or arrays broadcasting over parameter
    vectors, channels or paths; the operations and their order are the same either way, so
    one column of an array run equals the float run bit for bit.
    """
    for t, v in enumerate(drive):
        pb = phi * slp
        m = lvl + pb
        if shock is None:
            e = v - m
        elif shock == "add":
            e = sigma * v
        else:
            e = m * sigma * v
        if mu is not None:
            mu[t] = m
        if err is not None:
            err[t] = e
        lvl = m + alpha * e
        slp = pb + beta * e
    return lvl, slp


def one_step_predictions(y, alpha, beta, phi, l0, b0):
    """One-step predictions mu (n, G) and final states (G,) for G parameter vectors."""
    ys = y.tolist()
    mu = np.empty((len(ys), np.shape(alpha)[0]))
    if mu.shape[1] == 1:
        lvl, slp = damped_trend(ys, float(np.ravel(l0)[0]), float(np.ravel(b0)[0]),
                                float(alpha[0]), float(beta[0]), float(phi[0]), mu=mu[:, 0])
        return mu, np.array([lvl]), np.array([slp])
    lvl, slp = damped_trend(ys, np.asarray(l0, dtype=float), np.asarray(b0, dtype=float),
                            alpha, beta, phi, mu=mu)
    return mu, lvl, slp


def _errors_one(y, alpha, beta, phi):
    """The (n, 3, 1) error channels of :func:`profile_add` for one parameter vector."""
    out = np.empty((len(y), 3, 1))
    for ch, (lvl, slp) in enumerate(((0.0, 0.0), (1.0, 0.0), (0.0, 1.0))):
        inputs = y.tolist() if ch == 0 else [0.0] * len(y)
        damped_trend(inputs, lvl, slp, alpha, beta, phi, err=out[:, ch, 0])
    return out


_UNIT: dict = {}  # grid key -> (E1, E2): unit-state error channels, shape (N, G)


def _unit_channels(key, alpha, beta, phi, n):
    """Channels 1 and 2 of :func:`profile_add` (unit l0 or b0, y = 0) for a fixed grid.

    They depend on the parameters and t only, not on y, so they are computed once per grid
    (per process) for the longest series seen and sliced; row t is the same whatever n is.
    """
    got = _UNIT.get(key)
    if got is None or got[0].shape[0] < n:
        N = max(n, 64, 2 * got[0].shape[0] if got is not None else 0)
        G = alpha.shape[0]
        out = []
        for lvl0, slp0 in ((1.0, 0.0), (0.0, 1.0)):
            out.append(np.empty((N, G)))
            damped_trend([0.0] * N, np.full(G, lvl0), np.full(G, slp0), alpha, beta, phi,
                         err=out[-1])
        got = _UNIT[key] = tuple(out)
    return got[0][:n], got[1][:n]


def profile_add(y, alpha, beta, phi, has_trend, grid_key=None):
    """Least-squares initial states for every parameter vector (additive error).

    Returns (sse, l0, b0), each of shape (G,). Rows with ``has_trend`` False keep b0 = 0.
    ``grid_key`` names a fixed parameter grid (see :func:`_grid`) whose y-free channels may
    be cached across series.
    """
    n = len(y)
    G = alpha.shape[0]
    # channel 0: y with zero initial states; 1: unit l0, y = 0; 2: unit b0, y = 0
    if G == 1:
        E = _errors_one(y, float(alpha[0]), float(beta[0]), float(phi[0]))
    elif grid_key is not None:
        # only channel 0 depends on y: run it alone, take 1 and 2 from the cache
        e1, e2 = _unit_channels(grid_key, alpha, beta, phi, n)
        e0 = np.empty((n, G))
        damped_trend(y.tolist(), np.zeros(G), np.zeros(G), alpha, beta, phi, err=e0)
        return _solve_states(e0, e1, e2, has_trend)
    else:
        lvl = np.zeros((3, G))
        lvl[1] = 1.0
        slp = np.zeros((3, G))
        slp[2] = 1.0
        inputs = np.zeros((n, 3, 1))
        inputs[:, 0, 0] = y
        E = np.empty((n, 3, G))
        damped_trend(inputs, lvl, slp, alpha, beta, phi, err=E)
    return _solve_states(E[:, 0], E[:, 1], E[:, 2], has_trend)


def _solve_states(e0, e1, e2, has_trend):
    """Minimise |e0 + l0 e1 + b0 e2|^2 over (l0, b0); b0 = 0 where ``has_trend`` is False."""
    s00, s01, s02, s11, s12, s22 = cross_sums(e0, e1, e2)
    # as |r - x a - z b|^2 with a = -e1, b = -e2: negating the sums is exact
    l0, b0, sse = solve_two(s00, -s01, -s02, s11, s12, s22, tol=1e-12, use_z=has_trend)
    return sse, l0, b0


def loglik_add(sse, n):
    s2 = np.maximum(sse / n, 1e-300)
    return -n / 2 * (_LOG2PI + np.log(s2) + 1)


def loglik_mul(y, mu):
    n = mu.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (y[:, None] - mu) / mu
        s2 = np.maximum(np.mean(r * r, axis=0), 1e-300)
        ll = -n / 2 * (_LOG2PI + np.log(s2) + 1) - np.sum(np.log(np.abs(mu)), axis=0)
    bad = ~np.isfinite(ll) | np.any(mu <= 0, axis=0)
    return np.where(bad, -np.inf, ll)


# -- search ---------------------------------------------------------------------------
_A_GRID = np.array([0.0001, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
                    0.9999])
_BS_GRID = np.array([0.0001, 0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 0.9999])
_PHI_GRID = np.array([0.8, 0.86, 0.92, 0.98])


def _grid(trend, damped):
    key = (trend, bool(damped))
    if key not in _GRIDS:
        _GRIDS[key] = tuple(np.array(v) for v in _make_grid(trend, damped))
        for v in _GRIDS[key]:
            v.flags.writeable = False
    return _GRIDS[key]


_GRIDS: dict = {}


def _make_grid(trend, damped):
    if trend is None:
        a = _A_GRID
        return a, np.zeros_like(a), np.ones_like(a)
    phis = _PHI_GRID if damped else np.array([1.0])
    a, bs, p = np.meshgrid(_A_GRID, _BS_GRID, phis, indexing="ij")
    return a.ravel(), (a * bs).ravel(), p.ravel()


def _unpack(theta, trend, damped):
    """Optimiser vector -> (alpha, beta, phi, rest); theta has shape (k, G)."""
    alpha = theta[0]
    if trend is None:
        return alpha, np.zeros_like(alpha), np.ones_like(alpha), theta[1:]
    beta = theta[1] * alpha
    if damped:
        return alpha, beta, theta[2], theta[3:]
    return alpha, beta, np.ones_like(alpha), theta[2:]


def _bounds(trend, damped, with_states):
    b = [(LO, HI)]
    if trend is not None:
        b.append((LO, HI))
        if damped:
            b.append((PHI_LO, PHI_HI))
    if with_states:
        b += [(None, None)] * (1 if trend is None else 2)
    return b


def _objective(y, trend, damped, error):
    """Vectorised negative log-likelihood over columns of theta (k, G)."""
    n = len(y)
    has_trend = trend is not None

    def f(theta):
        alpha, beta, phi, rest = _unpack(theta, trend, damped)
        if error == "add":
            sse, _, _ = profile_add(y, alpha, beta, phi, np.full(alpha.shape, has_trend))
            return -loglik_add(sse, n)
        l0 = rest[0]
        b0 = rest[1] if has_trend else np.zeros_like(l0)
        mu, _, _ = one_step_predictions(y, alpha, beta, phi, l0, b0)
        return -loglik_mul(y, mu)

    return f


def _fd_minimize(f, x0, bounds, maxiter=200):
    """L-BFGS-B with central-difference gradients computed in one vectorised pass."""
    k = len(x0)
    lo = np.array([-np.inf if b[0] is None else b[0] for b in bounds])
    hi = np.array([np.inf if b[1] is None else b[1] for b in bounds])
    scale = np.maximum(np.abs(x0), 1.0)

    def fg(x):
        step = 1e-6 * np.maximum(np.abs(x), scale * 1e-2)
        X = np.repeat(x[:, None], 2 * k + 1, axis=1)
        idx = np.arange(k)
        xp = np.minimum(x + step, hi)
        xm = np.maximum(x - step, lo)
        X[idx, 1 + idx] = xp
        X[idx, 1 + k + idx] = xm
        v = f(X)
        if not np.all(np.isfinite(v)):
            v = np.where(np.isfinite(v), v, 1e100)
        g = (v[1 : 1 + k] - v[1 + k :]) / (xp - xm)
        return v[0], g

    res = minimize(fg, x0, jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": maxiter, "ftol": 1e-12, "gtol": 1e-9})
    return res.x, res.fun


def fit_form(y, error, trend, damped, refine=True) -> ETSFit:
    """Fit one ETS form by grid search, then (optionally) L-BFGS-B from the best grid point."""
    n = len(y)
    has_trend = trend is not None
    a, b, p = _grid(trend, damped)
    sse, l0, b0 = profile_add(y, a, b, p, np.full(a.shape, has_trend),
                              grid_key=(trend, bool(damped)))
    if error == "add":
        nll = -loglik_add(sse, n)
    else:
        mu, _, _ = one_step_predictions(y, a, b, p, l0, b0)
        nll = -loglik_mul(y, mu)
    i = int(np.argmin(nll))
    if not np.isfinite(nll[i]):
        raise FloatingPointError("no admissible parameters")
    x = [a[i]]
    if has_trend:
        x.append(b[i] / a[i])
        if damped:
            x.append(p[i])
    if error == "mul":
        x += [l0[i]] + ([b0[i]] if has_trend else [])
    x = np.array(x)
    if refine:
        f = _objective(y, trend, damped, error)
        x_new, fun = _fd_minimize(f, x, _bounds(trend, damped, error == "mul"))
        if np.isfinite(fun) and fun <= nll[i]:
            x = x_new
    alpha, beta, phi, rest = _unpack(x[:, None], trend, damped)
    alpha, beta, phi = float(alpha[0]), float(beta[0]), float(phi[0])
    if error == "add":
        sse1, l01, b01 = profile_add(y, np.array([alpha]), np.array([beta]), np.array([phi]),
                                     np.array([has_trend]))
        l0v, b0v = float(l01[0]), float(b01[0])
    else:
        l0v = float(rest[0, 0])
        b0v = float(rest[1, 0]) if has_trend else 0.0
    mu, lvl, slp = one_step_predictions(y, np.array([alpha]), np.array([beta]),
                                        np.array([phi]), np.array([l0v]), np.array([b0v]))
    mu = mu[:, 0]
    if error == "add":
        resid = y - mu
        ll = float(loglik_add(np.array([resid @ resid]), n)[0])
    else:
        resid = (y - mu) / mu
        ll = float(loglik_mul(y, mu[:, None])[0])
    k = n_params(trend, damped)
    return ETSFit(error, trend, bool(damped), alpha, beta, phi, l0v, b0v, ll,
                  float(aicc(ll, n, k)), float(np.mean(resid**2)), float(lvl[0]),
                  float(slp[0]), k)


def point_forecast(fit: ETSFit, h: int) -> np.ndarray:
    if fit.trend is None:
        return np.full(h, fit.level)
    damp = np.cumsum(fit.phi ** np.arange(1, h + 1))
    return fit.level + damp * fit.slope


def simulate(fit: ETSFit, h: int, eps: np.ndarray) -> np.ndarray:
    """Sample paths (n_paths, h) driven by standard-normal draws ``eps`` of that shape."""
    n_paths = eps.shape[0]
    mu = np.empty((h, n_paths))
    err = np.empty((h, n_paths))
    damped_trend(eps.T, np.full(n_paths, fit.level), np.full(n_paths, fit.slope), fit.alpha,
                 fit.beta, fit.phi, mu=mu, err=err, shock=fit.error, sigma=np.sqrt(fit.sigma2))
    return (mu + err).T
