"""Bounded scalar minimisation of many functions at once: Brent's method, vectorised.

:func:`minimize_bounded` runs the algorithm of scipy's ``minimize_scalar(method="bounded")``
(``scipy.optimize._optimize._minimize_scalar_bounded``: Brent's golden-section search with
parabolic interpolation, after Forsythe, Malcolm & Moler) on ``S`` independent problems side
by side. Each problem keeps its own bracket, history and stopping test, and each iteration
evaluates the objective once for every problem still searching, so one numpy call serves
the whole batch instead of one Python call per problem and step. For one problem it visits
the points scipy visits and returns the same minimiser (``tests/test_models_bounded.py``).

The kernels use it to polish a smoothing parameter for a whole chunk of series: the cost
of a step is then numpy's per-operation overhead once, not once per series.
"""

from __future__ import annotations

import math

import numpy as np

_SQRT_EPS = math.sqrt(2.2e-16)
_GOLDEN = 0.5 * (3.0 - math.sqrt(5.0))


def minimize_bounded(func, lo, hi, xatol=1e-5, maxiter=500):
    """Minimise ``func`` over ``[lo_s, hi_s]`` for each problem ``s``; returns ``(x, fx)``.

    ``func(x, active)`` takes an array ``x`` (S,) of points and a boolean mask of the
    problems still searching, and returns their objective values (S,) (values of inactive
    problems are ignored). ``lo``, ``hi``: arrays (S,) of bounds, ``lo <= hi``.
    """
    a = np.array(lo, dtype=float)
    b = np.array(hi, dtype=float)
    if a.shape != b.shape or a.ndim != 1 or np.any(a > b):
        raise ValueError("minimize_bounded: lo and hi must be 1-D of one shape, lo <= hi")
    n = a.shape[0]
    fulc = a + _GOLDEN * (b - a)
    nfc, xf = fulc.copy(), fulc.copy()
    rat = np.zeros(n)
    e = np.zeros(n)
    active = np.ones(n, dtype=bool)
    fx = np.asarray(func(xf.copy(), active.copy()), dtype=float).copy()
    ffulc, fnfc = fx.copy(), fx.copy()
    xm = 0.5 * (a + b)
    tol1 = _SQRT_EPS * np.abs(xf) + xatol / 3.0
    tol2 = 2.0 * tol1
    num = 1
    with np.errstate(invalid="ignore", divide="ignore"):
        while True:
            active &= np.abs(xf - xm) > (tol2 - 0.5 * (b - a))
            if not active.any():
                break
            # parabolic step where the last-but-one step was long enough and it is acceptable
            para = active & (np.abs(e) > tol1)
            r = (xf - nfc) * (fx - ffulc)
            q = (xf - fulc) * (fx - fnfc)
            p = (xf - fulc) * q - (xf - nfc) * r
            q = 2.0 * (q - r)
            p = np.where(q > 0.0, -p, p)
            q = np.abs(q)
            r_old = e
            e = np.where(para, rat, e)
            ok = para & (np.abs(p) < np.abs(0.5 * q * r_old)) & (p > q * (a - xf)) \
                & (p < q * (b - xf))
            x_par = xf + p / q
            near = ok & (((x_par - a) < tol2) | ((b - x_par) < tol2))
            si = np.sign(xm - xf) + ((xm - xf) == 0)
            rat = np.where(ok, np.where(near, tol1 * si, (p + 0.0) / q), rat)
            golden = active & ~ok
            e = np.where(golden, np.where(xf >= xm, a - xf, b - xf), e)
            rat = np.where(golden, _GOLDEN * e, rat)

            si = np.sign(rat) + (rat == 0)
            x = xf + si * np.maximum(np.abs(rat), tol1)
            fu = np.asarray(func(np.where(active, x, xf), active.copy()), dtype=float)
            num += 1

            better = active & (fu <= fx)
            worse = active & ~(fu <= fx)
            # better: the new point becomes the best, the old best the second
            a = np.where(better & (x >= xf), xf, a)
            b = np.where(better & (x < xf), xf, b)
            # worse: the new point narrows the bracket and may become second or third best
            a = np.where(worse & (x < xf), x, a)
            b = np.where(worse & ~(x < xf), x, b)
            second = worse & ((fu <= fnfc) | (nfc == xf))
            third = worse & ~second & ((fu <= ffulc) | (fulc == xf) | (fulc == nfc))
            fulc_new = np.where(better | second, nfc, np.where(third, x, fulc))
            ffulc_new = np.where(better | second, fnfc, np.where(third, fu, ffulc))
            nfc_new = np.where(better, xf, np.where(second, x, nfc))
            fnfc_new = np.where(better, fx, np.where(second, fu, fnfc))
            xf = np.where(better, x, xf)
            fx = np.where(better, fu, fx)
            fulc, ffulc, nfc, fnfc = fulc_new, ffulc_new, nfc_new, fnfc_new

            xm = 0.5 * (a + b)
            tol1 = _SQRT_EPS * np.abs(xf) + xatol / 3.0
            tol2 = 2.0 * tol1
            if num >= maxiter:
                break
    return xf, fx
