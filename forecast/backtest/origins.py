"""Rolling-origin splitting and real-time (vintage) training data.

An *origin* is the position ``t`` (0-based) of the last observation a model may see; the
forecast covers positions ``t + 1 .. t + h``. Only origins whose whole horizon has been
observed are used, so every origin contributes ``h`` rows and no score mixes horizons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.errors import BacktestError
from forecast.panel import check_count


def min_train_length(models, season_length: int = 1) -> int:
    """The fewest training values every origin needs: what the most demanding model needs,
    and at least ``season_length + 1`` so the in-sample scales (MASE, ...) exist."""
    return max(max(int(getattr(m, "min_obs", 1)) for m in models), int(season_length) + 1)


def min_length(models, h: int, season_length: int = 1) -> int:
    """The shortest series a backtest of ``models`` with horizon ``h`` can use: one origin."""
    return min_train_length(models, season_length) + h


def validate_window(window, min_train: int):
    """``"expanding"`` or a fixed training length of at least ``min_train`` observations."""
    if isinstance(window, str):
        if window != "expanding":
            raise BacktestError(f"window must be 'expanding' or an integer; got {window!r}")
        return window
    if isinstance(window, bool) or not isinstance(window, int | np.integer):
        raise BacktestError(f"window must be 'expanding' or an integer; got {window!r}")
    if int(window) < min_train:
        raise BacktestError(
            f"window={int(window)} is shorter than the {min_train} observations the models "
            f"need; use window >= {min_train} or 'expanding'"
        )
    return int(window)


def origin_positions(n: int, h: int, *, min_train: int, initial=None, step: int = 1,
                     n_origins=None, name: str = "series") -> np.ndarray:
    """Positions ``t`` of the origins for a series of length ``n``.

    * ``initial``: size of the first training window (the first origin is ``initial - 1``);
      the origins then advance by ``step`` while ``t + h <= n - 1``.
    * ``n_origins`` (with ``initial=None``): the last ``n_origins`` origins, ``step`` apart,
      ending at ``n - h - 1``.
    * neither: every origin from the first the models allow (``min_train - 1``), ``step``
      apart, ending at ``n - h - 1``.

    Raises :class:`BacktestError` naming the series and the minimum length when no origin fits.
    """
    min_len = min_train + h  # the rule of min_length
    if n < min_len:
        raise BacktestError(
            f"{name} has {n} observations; a backtest with h={h} needs at least {min_len} "
            f"({min_train} to fit the models plus {h} to score)"
        )
    last = n - h - 1
    if initial is not None:
        if n_origins is not None:
            raise BacktestError("pass either initial or n_origins, not both")
        if isinstance(initial, bool) or not isinstance(initial, int | np.integer):
            raise BacktestError(f"initial must be an integer; got {initial!r}")
        initial = int(initial)
        if initial < min_train:
            raise BacktestError(
                f"initial={initial} is below the {min_train} observations the models need; "
                f"use initial >= {min_train}"
            )
        if initial - 1 > last:
            raise BacktestError(
                f"initial={initial} leaves no origin for {name}: with {n} observations and "
                f"h={h}, initial can be at most {n - h}"
            )
        return np.arange(initial - 1, last + 1, step)
    if n_origins is not None:
        n_origins = check_count("n_origins", n_origins, BacktestError)
        first = last - step * (n_origins - 1)
        if first < min_train - 1:
            fit = (last - (min_train - 1)) // step + 1
            raise BacktestError(
                f"{name} has {n} observations: room for {fit} origin(s) with h={h}, "
                f"step={step}, not n_origins={n_origins}"
            )
        return np.arange(first, last + 1, step)
    start = last - ((last - (min_train - 1)) // step) * step
    return np.arange(start, last + 1, step)


def train_slice(t: int, window) -> slice:
    """Positions of the training window for origin ``t``."""
    if window == "expanding":
        return slice(0, t + 1)
    return slice(max(0, t + 1 - window), t + 1)


# -- real-time vintages ------------------------------------------------------------------
def check_vintages(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Primary rows of a vintages frame (period, value, vintage_date[, status]), sorted."""
    need = {"period", "value", "vintage_date"}
    missing = need - set(frame.columns)
    if missing:
        raise BacktestError(
            f"vintages of {name} lack column(s) {sorted(missing)}; need period, value, "
            "vintage_date (and optionally status)"
        )
    rows = frame
    if "status" in rows.columns:
        rows = rows[rows["status"].eq("primary")]
    rows = rows[["period", "value", "vintage_date"]].copy()
    rows["vintage_date"] = pd.to_datetime(rows["vintage_date"])
    if rows["value"].isna().any() or rows["vintage_date"].isna().any():
        raise BacktestError(f"vintages of {name} have missing values or vintage dates")
    return rows.sort_values(["period", "vintage_date"], kind="stable").reset_index(drop=True)


def real_time_series(rows: pd.DataFrame, origin, name: str = "series") -> pd.Series:
    """What a planner had at ``origin``: the real-time training series.

    Rule: let ``D`` be the date the value for period ``origin`` was *first* published (the
    earliest ``vintage_date`` among its primary rows). The training series holds, for every
    period ``p <= origin`` with a value public by ``D``, the *latest* value whose
    ``vintage_date <= D``. So the origin's own value is its first release, earlier periods
    carry the revisions published up to that day, and nothing published later is used.
    """
    own = rows.loc[rows["period"] == origin, "vintage_date"]
    if own.empty:
        raise BacktestError(
            f"{name}: no published vintage for origin period {origin}; a real-time backtest "
            "needs a first release of every origin period"
        )
    cutoff = own.min()
    known = rows[(rows["vintage_date"] <= cutoff) & (rows["period"] <= origin)]
    latest = known.drop_duplicates("period", keep="last")
    index = pd.Index(latest["period"].to_numpy())
    if isinstance(origin, pd.Period):
        index = pd.PeriodIndex(latest["period"], freq=origin.freq)
    return pd.Series(latest["value"].to_numpy(dtype=float), index=index, name=name)
