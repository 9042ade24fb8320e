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
    """``(a0, a1, (level, c) after the last observation, initial state, SSE)``.

    A 24 x 24 grid over the bounds, then two rounds of a 15 x 15 grid spanning two cells
    either side of the best point so far (final cell about 0.003 x 0.003). A pass costs
    about the same for one candidate as for several hundred (numpy's per-operation overhead
    dominates on short series), so the grids are few and large. Where the SSE surface has a
    narrow ridge (near ``a1 = 1``) the grid can settle on a nearby point that
    statsforecast's Nelder-Mead improves on, and the other way round where the surface has
    several basins; ``tests/test_models_ces.py`` bounds both."""
    y = np.asarray(y, dtype=float)
    g0 = np.linspace(*A0_BOUNDS, 24)
    g1 = np.linspace(*A1_BOUNDS, 24)
    step0, step1 = g0[1] - g0[0], g1[1] - g1[0]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(3):
            A0, A1 = np.meshgrid(g0, g1, indexing="ij")
            a0, a1 = A0.ravel(), A1.ravel()
            sse, _, _ = backcast_sse(y, a0, a1)
            sse = np.where(np.isfinite(sse), sse, np.inf)
            i = int(np.argmin(sse))
            b0, b1 = float(a0[i]), float(a1[i])
            # the next grid is centred on (b0, b1), so no round loses the best point
            g0 = np.clip(np.linspace(b0 - 2 * step0, b0 + 2 * step0, 15), *A0_BOUNDS)
            g1 = np.clip(np.linspace(b1 - 2 * step1, b1 + 2 * step1, 15), *A1_BOUNDS)
            step0, step1 = step0 * 2 / 7, step1 * 2 / 7
        sse, state, init = backcast_sse(y, b0, b1)
    return b0, b1, (float(state[0]), float(state[1])), (float(init[0]), float(init[1])), \
        float(sse)


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
