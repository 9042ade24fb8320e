"""`Forecast`: a forecast as a matrix of sample paths.

Following fable's forecasts-as-distributions, every summary (mean, median, quantiles,
intervals, CRPS, scenario differences) is computed from the sample paths, which are the one
source of truth. The model's own point forecast is kept separately in ``point`` because point
metrics score what the model claims, not a Monte Carlo estimate of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecast.errors import ModelError

#: Quantile levels written by :meth:`Forecast.to_frame` (80% and 95% intervals plus quartiles).
DEFAULT_QUANTILES = (0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975)


def quantile_column(q: float) -> str:
    """Column name of quantile ``q`` in tidy frames: 0.1 -> 'q10', 0.025 -> 'q2.5'."""
    pct = round(100 * float(q), 6)
    return f"q{pct:g}"


class Forecast:
    """Sample paths of a forecast over ``h`` future periods.

    Parameters
    ----------
    paths : array of shape (n_paths, h)
        Simulated future trajectories.
    index : pandas Index of length h
        The future periods.
    point : array of shape (h,), optional
        The model's point forecast; defaults to the median of the paths.
    model : str
        Name of the model that produced the forecast (for tables and legends).
    """

    def __init__(self, paths, index, point=None, model: str = "model", name=None):
        paths = np.asarray(paths, dtype=float)
        if paths.ndim != 2:
            raise ModelError(f"Forecast paths must be 2-D (n_paths, h); got shape {paths.shape}")
        if len(index) != paths.shape[1]:
            raise ModelError(
                f"Forecast index has {len(index)} periods but paths have h={paths.shape[1]}"
            )
        self.paths = paths
        self.index = index
        point = np.median(paths, axis=0) if point is None else np.asarray(point, dtype=float)
        if point.shape != (paths.shape[1],):
            raise ModelError(f"point must have shape ({paths.shape[1]},); got {point.shape}")
        self._point = point
        self.model = model
        self.name = name

    # -- shape ---------------------------------------------------------------------------
    @property
    def h(self) -> int:
        return self.paths.shape[1]

    @property
    def n_paths(self) -> int:
        return self.paths.shape[0]

    def __repr__(self) -> str:
        return f"Forecast(model={self.model!r}, n_paths={self.n_paths}, h={self.h})"

    def _series(self, values, name: str) -> pd.Series:
        return pd.Series(np.asarray(values, dtype=float), index=self.index, name=name)

    # -- summaries -----------------------------------------------------------------------
    @property
    def point(self) -> pd.Series:
        """The model's point forecast (what point metrics score)."""
        return self._series(self._point, "point")

    @property
    def mean(self) -> pd.Series:
        return self._series(self.paths.mean(axis=0), "mean")

    @property
    def median(self) -> pd.Series:
        return self._series(np.median(self.paths, axis=0), "median")

    def quantile(self, q):
        """Quantile(s) of the paths per period.

        A scalar ``q`` gives a Series; a sequence gives a DataFrame with one column per level
        (named like ``q10``). Quantiles are monotone in ``q`` by construction.
        """
        if np.ndim(q) == 0:
            _check_levels([q])
            return self._series(np.quantile(self.paths, float(q), axis=0), quantile_column(q))
        levels = [float(v) for v in q]
        _check_levels(levels)
        values = np.quantile(self.paths, levels, axis=0)
        return pd.DataFrame(
            values.T, index=self.index, columns=[quantile_column(v) for v in levels]
        )

    def interval(self, level: float = 0.8) -> pd.DataFrame:
        """Central prediction interval with coverage ``level`` (0 < level < 1)."""
        level = float(level)
        if not 0 < level < 1:
            raise ModelError(f"interval level must be in (0, 1); got {level}")
        lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
        values = np.quantile(self.paths, [lo, hi], axis=0)
        return pd.DataFrame({"lower": values[0], "upper": values[1]}, index=self.index)

    def to_frame(self, quantiles: Sequence[float] = DEFAULT_QUANTILES) -> pd.DataFrame:
        """Tidy frame: one row per period with ds, step, point, mean, median and quantiles."""
        frame = self.quantile(list(quantiles))
        frame.insert(0, "median", np.median(self.paths, axis=0))
        frame.insert(0, "mean", self.paths.mean(axis=0))
        frame.insert(0, "point", self._point)
        frame.insert(0, "step", np.arange(1, self.h + 1))
        frame.insert(0, "model", self.model)
        frame.index.name = "ds"
        return frame.reset_index()

    # -- plotting ------------------------------------------------------------------------
    def plot(self, ax=None, history=None, n_trajectories: int = 0, color="C0", label=None):
        """Fan chart: point forecast with 80% and 95% bands (and optional history/paths)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        x = _plot_x(self.index)
        if history is not None:
            ax.plot(_plot_x(history.index), np.asarray(history, dtype=float), color="black",
                    lw=1.5, label="observed")
        q = np.quantile(self.paths, [0.025, 0.1, 0.9, 0.975], axis=0)
        ax.fill_between(x, q[0], q[3], color=color, alpha=0.18, lw=0, label="95% interval")
        ax.fill_between(x, q[1], q[2], color=color, alpha=0.35, lw=0, label="80% interval")
        for path in self.paths[:n_trajectories]:
            ax.plot(x, path, color=color, lw=0.5, alpha=0.5)
        ax.plot(x, self._point, color=color, lw=2, label=label or f"{self.model} forecast")
        ax.legend(loc="best", fontsize="small")
        return ax


def _plot_x(index):
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp()
    return np.asarray(index)


def _check_levels(levels):
    for v in levels:
        if not 0 <= float(v) <= 1:
            raise ModelError(f"quantile levels must be in [0, 1]; got {v}")
