"""The stock-flow kernel: stranded people at the border, one day per step, numpy only.

For path ``p`` and day ``t`` (all counts are integers)::

    x  = S[t] + A[t]                              # stranded plus today's arrivals
    K  = min(capacity[t], x)                      # corridor: up to capacity cross
    y  = x - K
    L  = floor(y * rate[t] + u1[t])               # crossing share (open, documents, leak)
    B  = min(batch[t], y - L)                     # scheduled flight / bus
    D  = floor((y - L - B) * dispersal[t] + u2[t])   # leave the border area
    S[t+1] = y - L - B - D                        # so S[t+1]-S[t] = A - (K+L) - B - D

``floor(n * r + u)`` with ``u ~ U[0, 1)`` drawn in advance is stochastic rounding: its mean
is ``n * r`` (like a binomial draw, with less variance), it never exceeds ``n`` when ``r <= 1``,
and, because the uniforms do not depend on the regime, the map from the stock to tomorrow's
stock is non-decreasing. That makes the scenario comparisons path-wise: with the same draws,
a lower crossing rate (closing the border) never lowers the stock and a larger corridor
capacity never raises it. Arrivals are negative-binomial (a gamma-Poisson mixture with size
``k``, the parameter ``arrival_size``) around a daily mean built by
:func:`forecast.scenarios.calibrate.simulate` (pool, hazard, intent, deterrence of a known
closure, a random walk); they are drawn before the loop, so the monotonicity above holds
for given arrivals. The pool is not depleted by departures (they are < 5% of it over the
window).

:func:`step_stock` runs the loop above; :func:`draw_arrivals`, :func:`crossing_rates` and
:func:`uniforms` prepare its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Integer codes of the border regimes in the kernel.
OPEN, CLOSED, DOCUMENTS, CORRIDOR = 0, 1, 2, 3
REGIME_CODES = {"open": OPEN, "closed": CLOSED, "documents": DOCUMENTS, "corridor": CORRIDOR}
COUNT = np.int64
#: Cap of a day's Poisson mean (far above any crossing; keeps extreme parameter draws finite).
MAX_DAILY_MEAN = 1e8


@dataclass(frozen=True)
class Flows:
    """Every flow of every path: ``stock`` has shape (P, T+1), the others (P, T)."""

    stock: np.ndarray
    arrivals: np.ndarray
    crossings: np.ndarray
    batch: np.ndarray
    dispersal: np.ndarray

    def balance_error(self) -> int:
        """Largest absolute violation of the mass balance over all paths and days (0 if exact)."""
        change = np.diff(self.stock, axis=1)
        net = self.arrivals - self.crossings - self.batch - self.dispersal
        return int(np.abs(change - net).max(initial=0))


def draw_arrivals(rng: np.random.Generator, mean: np.ndarray, size: np.ndarray,
                  poisson_rng: np.random.Generator | None = None, gamma=None) -> np.ndarray:
    """Negative-binomial counts with the given mean (P, T) and size k (P,).

    Gamma-Poisson: lambda ~ Gamma(k, mean/k), count ~ Poisson(lambda); variance mean + mean^2/k.
    The standard gamma variates (day-major (T, P)) come from ``rng`` unless given as
    ``gamma`` (they do not depend on the mean, so scenarios can share them); the Poisson
    draws from ``poisson_rng`` (default ``rng``, after the gammas). Returns a (P, T) view.
    """
    mean_t = np.asarray(mean, dtype=float).T
    size = np.asarray(size, dtype=float)
    if gamma is None:
        gamma = standard_gammas(rng, size, mean_t.shape[0])
    with np.errstate(over="ignore", invalid="ignore"):
        lam = gamma * (mean_t / size)
    # a mean that overflowed (a product of extreme multipliers) times a zero gamma variate is
    # 0 x inf: no arrivals, the limit of the gamma-Poisson draw; never NaN (numpy refuses it)
    np.nan_to_num(lam, copy=False, nan=0.0, posinf=MAX_DAILY_MEAN)
    np.minimum(lam, MAX_DAILY_MEAN, out=lam)
    return (poisson_rng or rng).poisson(lam).astype(COUNT).T


def standard_gammas(rng: np.random.Generator, size, t_len: int) -> np.ndarray:
    """Gamma(k, 1) variates, day-major (T, P), for :func:`draw_arrivals`."""
    size = np.asarray(size, dtype=float)
    return rng.standard_gamma(np.broadcast_to(size, (t_len, size.size)))


def crossing_rates(codes, leak, open_rate, documents_share) -> np.ndarray:
    """Daily crossing share per path and day (P, T) from regime codes (T,) and parameters (P,).

    Never below the leak, so any regime lets out at least as many as ``closed``.
    """
    codes = np.asarray(codes)
    leak = np.asarray(leak, dtype=float)[:, None]
    open_rate = np.asarray(open_rate, dtype=float)[:, None]
    docs = np.asarray(documents_share, dtype=float)[:, None]
    rate = np.broadcast_to(leak, (leak.shape[0], codes.shape[0])).copy()
    rate = np.where(codes == OPEN, np.maximum(open_rate, leak), rate)
    rate = np.where(codes == DOCUMENTS, docs + (1 - docs) * leak, rate)
    return np.clip(rate, 0.0, 1.0)


def step_stock(stock0, arrivals, rate, capacity, batch, dispersal, u_cross, u_disp) -> Flows:
    """Step the stock through T days; deterministic given the pre-drawn inputs.

    Parameters
    ----------
    stock0 : int array (P,)          stranded at the start
    arrivals : int array (P, T)      arrivals at the border per day
    rate : float array (P, T)        crossing share per day, in [0, 1]
    capacity : int array (T,) or (P, T)   corridor capacity per day (0 when no corridor)
    batch : int array (T,)           seats of scheduled flights/buses per day
    dispersal : float array (P,) or (P, T)   daily share leaving the border area, in [0, 1]
    u_cross, u_disp : float arrays (P, T) in [0, 1)   uniforms for stochastic rounding

    Internally the arrays are day-major (T, P) so each step reads contiguous memory; the
    returned flows are (P, T) views of them.
    """
    arr = _day_major(arrivals, COUNT)
    t_len, n = arr.shape
    cap = np.floor(np.asarray(capacity, dtype=float)).astype(COUNT)
    cap = np.ascontiguousarray(cap.T if cap.ndim == 2 else
                               np.broadcast_to(cap[:, None], (t_len, n)))
    rate = _day_major(np.broadcast_to(np.asarray(rate, dtype=float), (n, t_len)), float)
    u1 = _day_major(u_cross, float)
    u2 = _day_major(u_disp, float)
    seats = np.floor(np.asarray(batch, dtype=float)).astype(COUNT)
    dispersal = np.asarray(dispersal, dtype=float)
    daily = dispersal.ndim == 2
    if daily:
        dispersal = _day_major(dispersal, float)
    stock = np.empty((t_len + 1, n), dtype=COUNT)
    crossings = np.empty((t_len, n), dtype=COUNT)
    batched = np.empty((t_len, n), dtype=COUNT)
    dispersed = np.empty((t_len, n), dtype=COUNT)
    y = np.empty(n, dtype=COUNT)
    tmp = np.empty(n, dtype=float)
    s = np.asarray(stock0, dtype=COUNT).copy()
    stock[0] = s
    for t in range(t_len):
        x = s + arr[t]
        through = np.minimum(cap[t], x)
        np.subtract(x, through, out=y)
        np.multiply(y, rate[t], out=tmp)
        tmp += u1[t]
        crossed = np.floor(tmp).astype(COUNT)
        # y*rate + u can round up to y+1 in floating point when rate == 1 and u ~ 1
        np.minimum(crossed, y, out=crossed)
        np.add(through, crossed, out=crossings[t])
        r = y - crossed
        b = np.minimum(seats[t], r)
        batched[t] = b
        r -= b
        np.multiply(r, dispersal[t] if daily else dispersal, out=tmp)
        tmp += u2[t]
        d = np.floor(tmp).astype(COUNT)
        np.minimum(d, r, out=d)
        dispersed[t] = d
        s = r - d
        stock[t + 1] = s
    return Flows(stock=stock.T, arrivals=arr.T, crossings=crossings.T, batch=batched.T,
                 dispersal=dispersed.T)


def _day_major(a, dtype):
    """(T, P) C-contiguous from a (P, T) array; free when ``a`` is already a view of one."""
    return np.ascontiguousarray(np.asarray(a, dtype=dtype).T)


def uniforms(rng: np.random.Generator, n: int, t_len: int) -> np.ndarray:
    """U[0, 1) draws for stochastic rounding, drawn day-major, returned as a (P, T) view."""
    return rng.random((t_len, n)).T
