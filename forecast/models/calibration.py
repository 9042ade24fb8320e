"""Interval calibration of combined sample paths, learned across collections of series.

A combination's raw paths (its members driven by common random numbers) are too narrow on
short annual series: their one-step noise model leaves out parameter uncertainty and breaks in
trend, and how much wider the truth is grows with the horizon and with how strongly the
members disagree. This module models that, for step ``k`` of a series of ``n`` points, as

    log(|y - point| / sd_k) = a_k + b * log(disagreement_k / sd_k) + c * log(n) + e

where ``sd_k`` is the raw paths' scale at step ``k`` (their 10-90% range over 2 x 1.2816),
``disagreement_k`` the spread (standard deviation) of the members' point forecasts together
with the naive and drift forecasts, and ``e`` a residual whose distribution is kept as a table
of quantiles: no normality is assumed. The coefficients and the table are learned by
:func:`learn` from forecasts scored on held-out data (``benchmarks/yearly_loco.py`` learns
them leave-one-collection-out over M1, M3 and Tourism yearly and ships the fit on all three).

:func:`apply` then calibrates the paths themselves, not two quantile columns: at each step the
paths' absolute deviations from the point are ranked, and the path of rank ``p`` gets the
deviation ``sd_k * exp(a_k + b * ldis_k + c * log n + Q_e(p))``, keeping its sign. The map is
monotone in each step's deviations, so the paths keep their order (and so their joint
behaviour across steps), and every interval the paths give is calibrated, not one level.

Features are clipped to the range they were learned on (``ln_range``, ``ldis_range``): a
calibration learned on yearly series of 7 to 52 points says nothing about a series of 1,000,
and is not extrapolated to one. Steps beyond the last learned step continue the learned
``a_k`` on ``log k`` (the slope of the last two learned steps on ``log k``), never downwards.

:func:`adapt` moves a calibration toward one panel of series: given held-out errors of that
panel (its own rolling origins, :func:`forecast.recalibration.recalibrate`), each step's
intercept moves by the mean residual of that step's rows, shrunk by ``m / (m + strength)`` for
``m`` rows. How much a panel's history says about its future is itself learned across
collections (``adapt_strength``), so a panel of one short series barely moves the pooled
calibration and a collection of hundreds takes on its own level step by step.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from forecast.errors import ModelError

Z90 = 1.2815515655446004  # standard normal 0.9 quantile: sd from a 10-90% range
LZ_FLOOR = np.log(1e-3)  # log |z| of an exact hit, floored so that log stays finite
DEFAULT_FILE = Path(__file__).with_name("calibration_yearly.json")


@dataclass(frozen=True)
class Calibration:
    """Coefficients of the calibration model (see the module docstring)."""

    step_intercepts: tuple  # a_1, a_2, ... (log scale)
    disagreement: float  # b
    length: float  # c
    residual_probs: tuple  # probabilities of the residual quantile table
    residual_quantiles: tuple  # Q_e at those probabilities
    ln_range: tuple  # (min, max) of log n learned on
    ldis_range: tuple  # (min, max) of log(disagreement / sd) learned on
    source: dict = field(default_factory=dict)  # what it was learned on, for the record
    #: rows of held-out errors at which :func:`adapt` moves a step halfway to what a panel's
    #: own errors say (learned by ``benchmarks/yearly_loco.py``; None: not learned)
    adapt_strength: float | None = None

    # -- persistence ------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str = "calibration") -> Calibration:
        try:
            raw = json.loads(text)
            cal = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
        except (ValueError, TypeError) as exc:
            raise ModelError(f"{where}: not a calibration table ({exc})") from None
        cal.check(where)
        return cal

    def check(self, where: str = "calibration"):
        a = np.asarray(self.step_intercepts, dtype=float)
        p = np.asarray(self.residual_probs, dtype=float)
        q = np.asarray(self.residual_quantiles, dtype=float)
        ok = (a.ndim == 1 and a.size >= 1 and np.all(np.isfinite(a)) and p.shape == q.shape
              and p.size >= 2 and np.all(np.diff(p) > 0) and np.all(np.diff(q) >= 0)
              and p[0] > 0 and p[-1] < 1 and np.isfinite([self.disagreement, self.length]).all()
              and len(self.ln_range) == 2 and len(self.ldis_range) == 2
              and (self.adapt_strength is None or check_strength(self.adapt_strength)))
        if not ok:
            raise ModelError(f"{where}: calibration table is inconsistent (needs finite step "
                             "intercepts, increasing probabilities in (0, 1) and "
                             "non-decreasing quantiles of the same length, and a non-negative "
                             "adapt_strength or none)")

    # -- the model --------------------------------------------------------------------
    def intercepts(self, h: int) -> np.ndarray:
        """``a_k`` for k = 1..h, continued on log k beyond the learned steps."""
        a = np.asarray(self.step_intercepts, dtype=float)
        if h <= a.size:
            return a[:h]
        K = a.size
        slope = max((a[-1] - a[-2]) / np.log(K / (K - 1)), 0.0) if K >= 2 else 0.0
        extra = a[-1] + slope * np.log(np.arange(K + 1, h + 1) / K)
        return np.r_[a, extra]

    def log_scale(self, ldis, n_obs: int, h: int) -> np.ndarray:
        """Predicted ``log(|y - point| / sd_k)`` before the residual, k = 1..h."""
        ldis = np.clip(ldis, *self.ldis_range)
        ln = float(np.clip(np.log(n_obs), *self.ln_range))
        return self.intercepts(h) + self.disagreement * ldis + self.length * ln

    def predict_rows(self, step, ldis, n_obs) -> np.ndarray:
        """``log_scale`` for rows of (step, ldis, n_obs), as in :func:`learn`."""
        step = np.asarray(step, dtype=int)
        a = self.intercepts(int(step.max()))[step - 1]
        ld = np.clip(np.asarray(ldis, dtype=float), *self.ldis_range)
        ln = np.clip(np.log(np.asarray(n_obs, dtype=float)), *self.ln_range)
        return a + self.disagreement * ld + self.length * ln

    def quantile_score(self, step, ldis, n_obs, lz, probs=(0.8, 0.95)) -> float:
        """Mean pinball loss of the predicted quantiles of ``lz`` at ``probs`` (summed over
        ``probs``): how well the calibration's intervals of |error| fit held-out rows."""
        pred = self.predict_rows(step, ldis, n_obs)
        lz = np.asarray(lz, dtype=float)
        total = 0.0
        for p in probs:
            d = lz - (pred + np.interp(p, self.residual_probs, self.residual_quantiles))
            total += float(np.mean(np.maximum(p * d, (p - 1) * d)))
        return total


@functools.lru_cache(maxsize=1)
def default() -> Calibration:
    """The shipped calibration (learned on M1, M3 and Tourism yearly; see its ``source``).

    Read once per process: a Calibration is immutable, so every Auto can share it."""
    return Calibration.from_json(DEFAULT_FILE.read_text(encoding="utf-8"), str(DEFAULT_FILE))


# -- features -----------------------------------------------------------------------------
def path_scale(point, paths):
    """``sd_k``: the paths' 10-90% range at each step over 2 x 1.2816."""
    # steps as rows: the same numbers as along axis 0, faster selections
    lo, hi = np.quantile(np.ascontiguousarray(np.asarray(paths).T), [0.1, 0.9], axis=1)
    return (hi - lo) / (2 * Z90)


def reference_points(y, h: int) -> np.ndarray:
    """Naive and drift point forecasts, (2, h): the cheap references in the disagreement."""
    y = np.asarray(y, dtype=float)
    steps = np.arange(1, h + 1)
    slope = (y[-1] - y[0]) / (len(y) - 1) if len(y) > 1 else 0.0
    return np.vstack([np.full(h, y[-1]), y[-1] + slope * steps])


def log_disagreement(member_points, y, sd) -> np.ndarray:
    """``log(disagreement_k / sd_k)`` from the members' points (m, h) and the series."""
    member_points = np.atleast_2d(np.asarray(member_points, dtype=float))
    h = member_points.shape[1]
    pts = np.vstack([member_points, reference_points(y, h)])
    top = np.max(np.abs(pts), axis=0)
    if np.all(top < 1e150):
        spread = pts.std(axis=0)
    else:
        # points near the top of the float range (a member extrapolating a huge jump on the
        # log scale): scaled to at most 1 first, so that the squares do not overflow
        top = np.where(top > 0, top, 1.0)
        spread = (pts / top).std(axis=0) * top
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(sd > 0, spread / sd, 1.0)
    return np.log(np.maximum(ratio, 1e-3))


def log_abs_z(actual, point, sd) -> np.ndarray:
    """The learning target ``log(|y - point| / sd)``, floored for exact hits."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.abs(np.asarray(actual, float) - np.asarray(point, float)) / np.asarray(sd, float)
    return np.maximum(np.log(np.where(np.isfinite(z) & (z > 0), z, 1e-3)), LZ_FLOOR)


# -- calibrating paths --------------------------------------------------------------------
def apply(cal: Calibration, point, paths, member_points, y) -> np.ndarray:
    """Calibrated copy of ``paths`` (n_paths, h) around ``point`` (see the module docstring).

    Steps whose raw paths have no spread (a constant series) are left as they are."""
    point = np.asarray(point, dtype=float)
    paths = np.asarray(paths, dtype=float)
    n_paths, h = paths.shape
    sd = path_scale(point, paths)
    pred = cal.log_scale(log_disagreement(member_points, y, sd), len(y), h)
    dev = paths - point
    # the path of rank r (by |deviation|, at each step) gets the residual quantile at
    # probability (r + 1/2) / n_paths: one argsort per step, one interpolation for all steps
    order = np.argsort(np.abs(dev), axis=0, kind="stable")
    q = np.interp((np.arange(n_paths) + 0.5) / n_paths, cal.residual_probs,
                  cal.residual_quantiles)
    size = np.empty_like(dev)
    np.put_along_axis(size, order, np.exp(q)[:, None] * (sd * np.exp(pred))[None, :], axis=0)
    out = point + np.sign(dev) * size
    keep = ~(sd > 0)
    if keep.any():
        out[:, keep] = paths[:, keep]
    return out


# -- learning -----------------------------------------------------------------------------
def learn(step, ldis, n_obs, lz, weights=None, *, n_probs: int = 199,
          source: dict | None = None) -> Calibration:
    """Fit the calibration model by weighted least squares on rows (one per series and step)
    of forecasts scored on held-out data; the residual table is their weighted quantiles.

    ``weights`` lets every collection count equally however many series it has."""
    step = np.asarray(step, dtype=int)
    ldis, n_obs, lz = (np.asarray(a, dtype=float) for a in (ldis, n_obs, lz))
    w = np.ones(len(lz)) if weights is None else np.asarray(weights, dtype=float)
    if not (len(step) == len(ldis) == len(n_obs) == len(lz) == len(w)) or len(lz) < 10:
        raise ModelError("calibration.learn: needs equally long step, ldis, n_obs, lz "
                         "(and weights) arrays with at least 10 rows")
    if step.min() < 1:
        raise ModelError("calibration.learn: steps start at 1")
    K = int(step.max())
    missing = sorted(set(range(1, K + 1)) - set(step.tolist()))
    if missing:
        raise ModelError(f"calibration.learn: no rows for step(s) {missing}")
    ln = np.log(n_obs)
    X = np.zeros((len(lz), K + 2))
    X[np.arange(len(lz)), step - 1] = 1.0
    X[:, K] = ldis
    X[:, K + 1] = ln
    sw = np.sqrt(w)
    coef, *_ = np.linalg.lstsq(X * sw[:, None], lz * sw, rcond=None)
    resid = lz - X @ coef
    probs = np.linspace(0.5 / (n_probs + 1), 1 - 0.5 / (n_probs + 1), n_probs)
    return Calibration(
        step_intercepts=tuple(float(v) for v in coef[:K]),
        disagreement=float(coef[K]),
        length=float(coef[K + 1]),
        residual_probs=tuple(float(p) for p in probs),
        residual_quantiles=tuple(float(v) for v in weighted_quantile(resid, probs, w)),
        ln_range=(float(ln.min()), float(ln.max())),
        ldis_range=(float(ldis.min()), float(ldis.max())),
        source=dict(source or {}),
    )


def adapt(cal: Calibration, step, ldis, n_obs, lz, *, strength: float | None = None,
          source: dict | None = None) -> Calibration:
    """``cal`` with its step intercepts moved toward one panel's held-out errors.

    Rows as for :func:`learn` (one per series, origin and step, scored on values after the
    origin). Step ``k``'s intercept moves by ``m_k / (m_k + strength)`` times the mean of
    ``lz - prediction`` over its ``m_k`` rows; a step without rows moves as the last step
    before it that has some (a step beyond the panel's reach keeps the panel's last word, not
    the pooled level). The slope terms, the residual table and the feature ranges stay as
    learned: a panel's few hundred rows say more about its level than about its shape.

    Each residual is clipped to the residual table's range first: one series whose flat
    stretch gives a raw spread of almost nothing must not move a whole step.

    ``strength`` defaults to the calibration's ``adapt_strength``.
    """
    strength = resolve_strength(cal, strength)
    raw_step = np.asarray(step, dtype=float)
    ldis, n_obs, lz = (np.asarray(a, dtype=float) for a in (ldis, n_obs, lz))
    if not (len(raw_step) == len(ldis) == len(n_obs) == len(lz)) or len(lz) == 0:
        raise ModelError("calibration.adapt: needs equally long, non-empty step, ldis, n_obs "
                         "and lz arrays")
    bad = [name for name, ok in (
        ("step (whole numbers from 1)", np.all(np.isfinite(raw_step)) and raw_step.min() >= 1
         and np.all(raw_step == np.round(raw_step))),
        ("ldis (finite)", np.all(np.isfinite(ldis))),
        ("n_obs (finite, above 0)", np.all(np.isfinite(n_obs)) and n_obs.min() > 0),
        ("lz (finite)", np.all(np.isfinite(lz)))) if not ok]
    if bad:
        raise ModelError(f"calibration.adapt: bad rows in {', '.join(bad)}")
    step = raw_step.astype(int)
    K = max(int(step.max()), len(cal.step_intercepts))
    a = cal.intercepts(K)
    resid = np.clip(lz - cal.predict_rows(step, ldis, n_obs), cal.residual_quantiles[0],
                    cal.residual_quantiles[-1])
    m = np.bincount(step - 1, minlength=K).astype(float)
    total = np.bincount(step - 1, weights=resid, minlength=K)
    # mean * m / (m + strength) = total / (m + strength)
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = np.where(m > 0, total / (m + strength), 0.0)
    # steps without rows carry the last shift before them (the first steps always have rows
    # when any later step has: a step-k row needs an origin k periods before the end)
    shift = _carry_forward(shift, m > 0)
    rec = {"adapted_on": dict(source or {}), "rows_per_step": [int(v) for v in m],
           "shift": [float(v) for v in shift], "strength": float(strength),
           "pooled": cal.source}
    return replace(cal, step_intercepts=tuple(float(v) for v in a + shift), source=rec)


def _carry_forward(v, has):
    v = np.array(v, dtype=float)
    last = 0.0
    for i in range(len(v)):
        if has[i]:
            last = v[i]
        else:
            v[i] = last
    return v


def check_strength(value) -> bool:
    """A real, finite, non-negative number (not a bool or a string)."""
    return (isinstance(value, int | float | np.integer | np.floating)
            and not isinstance(value, bool) and bool(np.isfinite(value)) and value >= 0)


def resolve_strength(cal: Calibration, strength=None) -> float:
    """``strength``, else the calibration's learned ``adapt_strength``; one clear error when
    neither is a non-negative number."""
    if strength is not None:
        if not check_strength(strength):
            raise ModelError(f"calibration.adapt: strength must be a non-negative number of "
                             f"rows; got {strength!r}")
        return float(strength)
    if cal.adapt_strength is None:
        raise ModelError("calibration.adapt: this calibration has no learned adapt_strength "
                         "(a table from calibration.learn); pass strength=, a non-negative "
                         "number of rows")
    return float(cal.adapt_strength)


def weighted_quantile(values, probs, weights) -> np.ndarray:
    """Quantiles of ``values`` under ``weights`` (the weighted empirical distribution, with
    linear interpolation between the midpoints of the sorted values' weights; equal weights
    give numpy's ``method="hazen"``)."""
    order = np.argsort(values, kind="stable")
    v = np.asarray(values, dtype=float)[order]
    w = np.asarray(weights, dtype=float)[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(probs, cum, v)
