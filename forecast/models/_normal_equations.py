"""Least squares in two unknowns through the 2x2 normal equations, for many problems at once.

The ETS kernel (initial level and slope) and the optimised-theta kernel (initial level and
theta weight) both profile two linear coefficients out of a likelihood for a whole grid of
smoothing parameters: each column j of the inputs is one problem

    minimise over (x, z):  |r - x a - z b|^2

solved from its six sums of products, so no per-column ``lstsq`` call is needed. The same
lines take one problem as 1-D inputs, and then run on Python floats: the 1-D searches call
them dozens of times per series, where numpy's overhead on length-1 arrays or numpy scalars
would dominate. The few elementwise primitives below are what lets one body serve both.
"""

from __future__ import annotations

import numpy as np


def cross_sums(r, a, b):
    """The sums of products (rr, ra, rb, aa, ab, bb) over axis 0: arrays (G,) for (n, G)
    inputs, floats for 1-D ones."""
    if r.ndim == 2:
        return tuple(np.einsum("ij,ij->j", u, v)
                     for u, v in ((r, r), (r, a), (r, b), (a, a), (a, b), (b, b)))
    e = np.einsum
    return (float(e("i,i->", r, r)), float(e("i,i->", r, a)), float(e("i,i->", r, b)),
            float(e("i,i->", a, a)), float(e("i,i->", a, b)), float(e("i,i->", b, b)))


def _max(a, b):
    """Elementwise maximum, NaN in ``a`` kept (as ``np.maximum``)."""
    return max(a, b) if isinstance(a, float) else np.maximum(a, b)


def _ratio(num, den, ok, fallback):
    """num / den where ``ok``, else ``fallback``; den is never divided by where not ok."""
    if isinstance(num, float):
        return num / den if ok else fallback
    return np.divide(num, den, out=np.broadcast_to(fallback, np.shape(num)).astype(float),
                     where=ok)


def _clip(z, lo, hi):
    """z confined to [lo, hi], NaN counting as lo."""
    if isinstance(z, float):
        return min(z, hi) if z >= lo else lo
    return np.minimum(np.fmax(z, lo), hi)


def solve_two(srr, sra, srb, saa, sab, sbb, tol, use_z=True, z_bounds=None):
    """Minimiser (x, z) and minimum |r - x a - z b|^2 of each column, from its sums.

    Where the normal equations are nearly singular (|det| <= ``tol`` saa sbb) or ``use_z`` is
    False for the column, z = 0. Without ``z_bounds`` both unknowns are the joint solution
    (Cramer's rule), x = ra / aa where z = 0. With ``z_bounds`` (lo, hi) z is confined to
    them (a NaN z counts as lo) and x is then the best x for that z, which is the optimum of
    the bounded problem: the objective is a convex quadratic.
    """
    det = saa * sbb - sab * sab
    ok = use_z & (abs(det) > tol * _max(saa * sbb, 1e-300))
    z = _ratio(srb * saa - sra * sab, det, ok, 0.0)
    if z_bounds is None:
        x = _ratio(sra * sbb - srb * sab, det, ok, sra / _max(saa, 1e-300))
    else:
        z = _clip(z, *z_bounds)
        x = (sra - z * sab) / _max(saa, 1e-300)
    sse = srr - 2 * x * sra - 2 * z * srb + x * x * saa + 2 * x * z * sab + z * z * sbb
    return x, z, _max(sse, 0.0)
