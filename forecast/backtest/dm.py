"""Diebold–Mariano test of equal predictive accuracy, with the Harvey–Leybourne–Newbold
small-sample correction.

For loss differentials ``d_t = L(e1_t) - L(e2_t)``, t = 1..T, of two ``h``-step forecasts:

* ``dbar = mean(d)``; autocovariances ``g_k = (1/T) sum_{t=k+1}^T (d_t - dbar)(d_{t-k} - dbar)``;
* ``V = (g_0 + 2 sum_{k=1}^{h-1} g_k) / T`` (h-step errors are MA(h-1) under the null);
  if that is not positive, ``V = g_0 / T``;
* ``DM = dbar / sqrt(V)``;
* HLN (1997): ``DM* = DM * sqrt((T + 1 - 2h + h(h - 1)/T) / T)``, compared with Student's t
  with ``T - 1`` degrees of freedom.

A negative statistic means model 1 has the smaller loss.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats

from forecast.errors import BacktestError

LOSSES = {
    "squared": lambda e: e**2,
    "absolute": np.abs,
}


class DMResult(NamedTuple):
    statistic: float
    pvalue: float
    n: int
    mean_diff: float


def diebold_mariano(e1, e2, h: int = 1, *, loss="squared",
                    alternative: str = "two-sided") -> DMResult:
    """Test whether forecasts with errors ``e1`` and ``e2`` are equally accurate.

    ``e1``, ``e2``: forecast errors in time order (same length); ``h``: forecast horizon;
    ``loss``: ``"squared"``, ``"absolute"`` or a function of the errors; ``alternative``:
    ``"two-sided"``, ``"less"`` (model 1 more accurate) or ``"greater"``.
    """
    e1 = np.asarray(e1, dtype=float)
    e2 = np.asarray(e2, dtype=float)
    if e1.shape != e2.shape or e1.ndim != 1:
        raise BacktestError(f"Diebold-Mariano needs two 1-D error series of equal length; "
                            f"got shapes {e1.shape} and {e2.shape}")
    if isinstance(h, bool) or not isinstance(h, int | np.integer) or h < 1:
        raise BacktestError(f"Diebold-Mariano horizon h must be an integer >= 1; got {h!r}")
    fn = LOSSES.get(loss) if isinstance(loss, str) else loss
    if fn is None:
        raise BacktestError(f"loss must be one of {sorted(LOSSES)} or a function; got {loss!r}")
    d = fn(e1) - fn(e2)
    T = len(d)
    if T < 2:
        raise BacktestError(f"Diebold-Mariano needs at least 2 forecast pairs; got {T}")
    dbar = float(d.mean())
    dev = d - dbar
    gamma = [float(dev[k:] @ dev[:T - k]) / T for k in range(min(h, T))]
    var = (gamma[0] + 2 * sum(gamma[1:])) / T
    if var <= 0:
        var = gamma[0] / T
    if var <= 0:
        raise BacktestError("Diebold-Mariano: the loss differential is constant; "
                            "the two models cannot be told apart by this test")
    dm = dbar / np.sqrt(var)
    correction = np.sqrt((T + 1 - 2 * h + h * (h - 1) / T) / T)
    stat = float(dm * correction)
    df = T - 1
    if alternative == "two-sided":
        p = 2 * stats.t.sf(abs(stat), df)
    elif alternative == "less":
        p = stats.t.cdf(stat, df)
    elif alternative == "greater":
        p = stats.t.sf(stat, df)
    else:
        raise BacktestError(f"alternative must be 'two-sided', 'less' or 'greater'; "
                            f"got {alternative!r}")
    return DMResult(stat, float(p), T, dbar)
