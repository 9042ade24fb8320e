"""Numeric kernel of complex exponential smoothing (CES, Svetunkov & Kourentzes), the
non-seasonal form, vectorised across candidate parameters and across sample paths.

With the complex smoothing parameter ``a0 + i a1`` and the state (level ``l``, imaginary
part ``c``), as statsforecast's ``AutoCES`` (``src/ces.cpp``):

    yhat_t = l_{t-1},   e_t = y_t - l_{t-1}
    l_t = l_{t-1} - (1 - a1) c_{t-1} + (a0 - a1) e_t
    c_t = l_{t-1} + (1 - a0) c_{t-1} + (a0 + a1) e_t

The initial state is ``l = mean(y[:10])``, ``c = l / 1.1``, refined by backcasting: a
forward pass, a backward pass over the reversed series started from the forward pass's
one-step-ahead state, and a final forward pass started from the backward pass's one-step
state. ``(a0, a1)`` minimise the final pass's SSE within statsforecast's bounds
``[0.01, 1.8] x [0.01, 1.9]``. statsforecast searches with Nelder-Mead from ``(1.3, 1.0)``;
here a grid over the whole box is refined on finer grids around its best point (see
:func:`fit`), which is not tied to one starting point where the surface has several basins.
"""

from __future__ import annotations

import numpy as np

A0_BOUNDS = (0.01, 1.8)
A1_BOUNDS = (0.01, 1.9)
N_INIT = 10  # observations averaged for the initial level


def initial_state(y):
    level = float(np.mean(y[:min(N_INIT, len(y))]))
    return level, level / 1.1


def _pass(y, a0, a1, lev, c):
    """One filtering pass over ``y`` (a list); returns SSE, final state and the next
    (one-step-ahead, zero-error) state. ``a0, a1, lev, c``: floats or arrays of one shape."""
    ca1, ca0, d, s = 1 - a1, 1 - a0, a0 - a1, a0 + a1  # constants of the recursion
    sse = 0.0 * a0
    for v in y:
        e = v - lev
        sse = sse + e * e
        lev, c = lev - ca1 * c + d * e, lev + ca0 * c + s * e
    return sse, (lev, c), (lev - ca1 * c, lev + ca0 * c)


def backcast_sse(y, a0, a1):
    """SSE of the final forward pass after backcasting, and that pass's final state."""
    ys = y.tolist() if isinstance(y, np.ndarray) else list(y)
    l0, c0 = initial_state(np.asarray(ys))
    l0, c0 = l0 + 0.0 * a0, c0 + 0.0 * a0
    _, _, nxt = _pass(ys, a0, a1, l0, c0)
    _, _, back = _pass(ys[::-1], a0, a1, *nxt)
    sse, state, _ = _pass(ys, a0, a1, *back)
    return sse, state, back


def fit(y):
    """``(a0, a1, (level, c) after the last observation, initial state, SSE)``: the one
    series of :func:`fit_many` (the same numbers as fitting it among others)."""
    return fit_many([y])[0]


def fit_many(ys):
    """:func:`fit` of each series in ``ys`` (a list of 1-D float arrays), searched together.

    A 24 x 24 grid over the bounds, then two rounds of a 15 x 15 grid spanning two cells
    either side of the best point so far (final cell about 0.003 x 0.003). One pass over
    the series costs numpy's per-operation overhead once for every candidate of every series
    of the batch, so the grids are large and the series are filtered side by side
    (:func:`_passes`); each series' numbers do not depend on the others in the batch. Where
    the SSE surface has a narrow ridge (near ``a1 = 1``) the grid can settle on a nearby
    point that statsforecast's Nelder-Mead improves on, and the other way round where the
    surface has several basins; ``tests/test_models_ces.py`` bounds both."""
    ys = [np.asarray(y, dtype=float) for y in ys]
    if not ys:
        return []
    batch = _Batch(ys)
    g0 = np.linspace(*A0_BOUNDS, 24)
    g1 = np.linspace(*A1_BOUNDS, 24)
    A0, A1 = np.meshgrid(g0, g1, indexing="ij")
    a0 = np.broadcast_to(A0.ravel(), (len(ys), A0.size))
    a1 = np.broadcast_to(A1.ravel(), (len(ys), A1.size))
    step0, step1 = g0[1] - g0[0], g1[1] - g1[0]
    rows = np.arange(len(ys))
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(3):
            sse, _, _ = batch.backcast(a0, a1)
            sse = np.where(np.isfinite(sse), sse, np.inf)
            i = np.argmin(sse, axis=1)
            b0, b1 = a0[rows, i], a1[rows, i]
            # the next grid is centred on (b0, b1), so no round loses the best point
            g0 = np.array([np.clip(np.linspace(v - 2 * step0, v + 2 * step0, 15), *A0_BOUNDS)
                           for v in b0.tolist()])
            g1 = np.array([np.clip(np.linspace(v - 2 * step1, v + 2 * step1, 15), *A1_BOUNDS)
                           for v in b1.tolist()])
            a0, a1 = np.repeat(g0, 15, axis=1), np.tile(g1, (1, 15))
            step0, step1 = step0 * 2 / 7, step1 * 2 / 7
        sse, state, init = batch.backcast(b0[:, None], b1[:, None])
    return [(float(b0[k]), float(b1[k]), (float(state[0][k, 0]), float(state[1][k, 0])),
             (float(init[0][k, 0]), float(init[1][k, 0])), float(sse[k, 0]))
            for k in range(len(ys))]


class _Batch:
    """Series of unequal length laid out for side-by-side filtering: sorted longest first,
    so the series still running at step ``t`` are the first ``live[t]`` rows."""

    def __init__(self, ys):
        n = np.array([len(y) for y in ys])
        self.order = np.argsort(-n, kind="stable")
        self.rank = np.empty_like(self.order)
        self.rank[self.order] = np.arange(len(ys))
        n_sorted = n[self.order]
        T = int(n_sorted[0])
        self.live = [int(np.sum(n_sorted > t)) for t in range(T)]
        fwd = np.zeros((T, len(ys)))
        bwd = np.zeros((T, len(ys)))
        for k, j in enumerate(self.order.tolist()):
            fwd[:len(ys[j]), k] = ys[j]
            bwd[:len(ys[j]), k] = ys[j][::-1]
        self.fwd, self.bwd = fwd, bwd
        init = [initial_state(ys[j]) for j in self.order.tolist()]
        self.l0 = np.array([v[0] for v in init])[:, None]
        self.c0 = np.array([v[1] for v in init])[:, None]

    def backcast(self, a0, a1):
        """SSE (S, G) of the final forward pass after backcasting, its final state and its
        start (the backward pass's one-step state), in the caller's series order."""
        a0, a1 = a0[self.order], a1[self.order]
        lev = self.l0 + 0.0 * a0
        c = self.c0 + 0.0 * a0
        _, _, nxt = _passes(self.fwd, self.live, a0, a1, lev, c)
        _, _, back = _passes(self.bwd, self.live, a0, a1, *nxt)
        sse, state, _ = _passes(self.fwd, self.live, a0, a1, *back)
        r = self.rank
        return sse[r], (state[0][r], state[1][r]), (back[0][r], back[1][r])


def _passes(Y, live, a0, a1, lev, c):
    """:func:`_pass` for every row of ``a0, a1, lev, c`` (S, G) at once, row ``k`` over the
    first values of column ``k`` of ``Y`` (T, S) while ``k < live[t]``; the same operations
    in the same order as :func:`_pass`, so each row's numbers are one series' own."""
    ca1, ca0, d, s = 1 - a1, 1 - a0, a0 - a1, a0 + a1
    sse = 0.0 * a0
    lev, c = lev.copy(), c.copy()
    for t, k in enumerate(live):
        v = Y[t, :k, None]
        lv, cv = lev[:k], c[:k]
        e = v - lv
        sse[:k] = sse[:k] + e * e
        lev[:k], c[:k] = lv - ca1[:k] * cv + d[:k] * e, lv + ca0[:k] * cv + s[:k] * e
    return sse, (lev, c), (lev - ca1 * c, lev + ca0 * c)


def residuals(y, a0, a1, init):
    """One-step errors of the final pass from the backcast initial state ``init``."""
    lev, c = init
    out = np.empty(len(y))
    for t, v in enumerate(np.asarray(y, dtype=float).tolist()):
        e = v - lev
        out[t] = e
        lev, c = lev - (1 - a1) * c + (a0 - a1) * e, lev + (1 - a0) * c + (a0 + a1) * e
    return out


def paths(state, a0, a1, noise):
    """Sample paths ``(n_paths, h)`` driven by one-step errors ``noise`` (zeros: the point
    forecast), started from ``state`` = (level, c) after the last observation."""
    n_paths, h = noise.shape
    lev = np.full(n_paths, state[0])
    c = np.full(n_paths, state[1])
    out = np.empty((n_paths, h))
    for j in range(h):
        e = noise[:, j]
        out[:, j] = lev + e
        lev, c = lev - (1 - a1) * c + (a0 - a1) * e, lev + (1 - a0) * c + (a0 + a1) * e
    return out
