"""`Ensemble`: combine members' sample paths path by path.

Members are cloned at fit. At predict every member is driven by the *same* random stream
(common random numbers), so path i of each member is that member's answer to the same future
shocks; combining the path matrices elementwise (median, mean or weighted mean) then keeps the
spread of the members instead of averaging it away. The point forecast combines the members'
point forecasts the same way.
"""

from __future__ import annotations

import warnings

import numpy as np

from forecast.errors import ModelError
from forecast.models.base import BaseModel, ExogByMembers, fit_batch

_COMBINE = ("median", "mean")


def median3(a, b, c):
    """Elementwise median of three arrays without sorting: ``max(min(a, b), min(max(a, b), c))``.

    Equal to ``np.median(np.stack([a, b, c]), axis=0)`` bit for bit (the median of three is one
    of them) for finite values, and several times faster on (n_paths, h) matrices.
    """
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    np.minimum(hi, c, out=hi)
    return np.maximum(lo, hi, out=lo)


class ShortSeriesWarning(UserWarning):
    """A member of an ensemble was dropped because the series is too short for it."""


class Ensemble(BaseModel):
    """Elementwise combination of the members' sample paths.

    Parameters
    ----------
    members : list of models
        Unfitted estimators; cloned at fit. Each applies its own ``positive`` setting.
    combine : "median", "mean" or sequence of weights
        How paths (and point forecasts) are combined across members; weights are normalised
        over the members that were fitted.
    spread : float
        Scale of the combined paths' deviations from the combined point (1 = as simulated).
    positive : "auto", True or False
        Clip combined paths at zero for non-negative series ("auto": when y >= 0).
    """

    handles_positivity = True  # members transform the data themselves
    uses_exog = ExogByMembers()  # X goes to every member, so every member must use it

    def __init__(self, members, combine="median", spread=1.0, positive="auto"):
        self.members = members
        self.combine = combine
        self.spread = spread
        self.positive = positive

    def _member_list(self):
        return self.members

    @property
    def min_obs(self) -> int:
        # the fewest any member needs: on a shorter series no member could be fitted
        try:
            return min(int(m.min_obs) for m in self._member_list())
        except (TypeError, ValueError, AttributeError):
            return 1  # not a list of models: fit names the problem

    def _weights(self, members):
        if isinstance(self.combine, str):
            if self.combine not in _COMBINE:
                raise ModelError(f"Ensemble: combine must be one of {_COMBINE} or weights; "
                                 f"got {self.combine!r}")
            return None
        w = np.asarray(self.combine, dtype=float)
        if w.shape != (len(members),) or np.any(w < 0) or not np.any(w > 0):
            raise ModelError(f"Ensemble: combine weights need one non-negative value per member "
                             f"({len(members)}), not all zero; got {self.combine!r}")
        return w

    def _fit(self, y, X=None):
        return self._fit_members(y, X, self._member_list())

    def _fit_members(self, y, X, members):
        # X reaches here only when every member uses it (``uses_exog``, checked by fit)
        clones = self._member_clones(y, members)
        for m in clones:
            if m is not None:
                # the ensemble's series, already prepared: each member only sets its transform
                m._fit(m._adopt(self.y_, self.index_), X)
        return self._set_members(y, members, clones)

    def _fit_batch(self, models, values):
        # member k of every ensemble is fitted with its counterparts in the other ensembles
        plans = [(m, m._member_list()) for m in models]
        clones = [m._member_clones(y, members) for (m, members), y in zip(plans, values,
                                                                          strict=True)]
        groups = {}  # clones of member k differ only in ``positive`` (see _member_clones)
        for e, row in enumerate(clones):
            for k, c in enumerate(row):
                if c is not None:
                    groups.setdefault((k, getattr(c, "positive", None)), []).append((e, c))
        for items in groups.values():
            members = [c for _, c in items]
            prepared = [c._adopt(models[e].y_, models[e].index_) for e, c in items]
            fit_batch(members[0], members, prepared)
        for (m, members), y, row in zip(plans, values, clones, strict=True):
            m._set_members(y, members, row)

    def _member_clones(self, y, members):
        """Unfitted clones of the members to fit on ``y``; None for a member the series is
        too short for (with a warning)."""
        if not members or not all(isinstance(m, BaseModel) for m in members):
            raise ModelError(f"{self.name}: members must be a non-empty list of models; "
                             f"got {members!r}")
        self._weights(members)  # names bad weights before anything is fitted
        out = []
        for member in members:
            m = member.clone()
            if not self.positive_ and getattr(m, "positive", None) == "auto":
                m.positive = False
            if len(y) < m.min_obs:
                warnings.warn(f"{self.name}: dropped {m!r}: needs {m.min_obs} observations, "
                              f"series has {len(y)}", ShortSeriesWarning, stacklevel=4)
                m = None
            out.append(m)
        return out

    def _set_members(self, y, members, clones):
        kept = [i for i, m in enumerate(clones) if m is not None]
        if not kept:
            raise ModelError(f"{self.name}: series of {len(y)} observations is too short for "
                             "every member")
        self.members_ = [clones[i] for i in kept]
        weights = self._weights(members)
        if weights is not None:
            w = weights[kept]
            if w.sum() == 0:
                w = np.ones(len(kept))
            self.weights_ = w / w.sum()
        else:
            self.weights_ = None
        return self

    def _combine(self, arrays):
        """Combine a list of equally shaped arrays (one per member) elementwise."""
        if self.weights_ is None and self.combine == "median" and len(arrays) == 3:
            return median3(*arrays)
        stack = np.stack(arrays)
        if self.weights_ is not None:
            return np.tensordot(self.weights_, stack, axes=1)
        if self.combine == "mean":
            return stack.mean(axis=0)
        return np.median(stack, axis=0)

    def _simulate(self, h, n_paths, rng, X_future=None):
        seed = int(rng.integers(2**63))
        points, paths = [], []
        for m in self.members_:  # X_future only when every member uses it (see _fit_members)
            point, member_paths = m._predict_arrays(h, n_paths, seed, X_future)
            points.append(point)
            paths.append(member_paths)
        point = self._combine(points)
        combined = self._combine(paths)
        return point, self._widen(point, combined, points)

    def _widen(self, point, combined, member_points):
        """The combined paths' final spread: scaled by ``spread`` (subclasses calibrate)."""
        if self.spread != 1.0:
            combined = point + float(self.spread) * (combined - point)
        return combined
