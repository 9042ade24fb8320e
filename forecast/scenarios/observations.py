"""Press counts of stranded people as interval-censored, noisy observations of the stock.

A report such as "400-500", "about a hundred" or "dozens" becomes an interval [low, high]:

* low and high given: that range ("more than 300" has no upper bound: high = inf);
* only a point ("about 450"): [0.85 x point, 1.15 x point] (0 stays [0, 0]);
* only words: the table ``VERBAL`` ("decenas" = [20, 99], "un centenar" = [80, 150] ...).

Observation model: a count c reported on day t relates to the true stock S_t through a
multiplicative error on the log1p scale, log(c + 1) = log(S_t + 1) + sigma_i * eps with
eps ~ N(0, 1). With the continuity margin of half a person, the probability of the report is

    P(low <= c <= high | S_t) = Phi((log(high + 1.5) - log(S_t + 1)) / sigma_i)
                               - Phi((log(low + 0.5) - log(S_t + 1)) / sigma_i)

(the second term is dropped when low = 0). sigma_i = obs_noise x a factor for the reliability
code (A 0.75, B 1, C 1.25) and x 1.5 when the date is approximate. Reports are treated as
conditionally independent given the stock. Rows with side "PE" are left out: they count
people already inside Peru (gatherings at La Yarada-Los Palos, people entering Tacna), not
people stranded between the two posts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import log_ndtr

from forecast.errors import ScenarioError

#: Intervals for counts reported only in words (Spanish press wording, lower case).
VERBAL = {
    "ninguna": (0, 0), "ninguno": (0, 0), "none": (0, 0), "cero": (0, 0),
    "decenas": (20, 99), "dozens": (20, 99),
    "un centenar": (80, 150), "about a hundred": (80, 150), "centenar": (80, 150),
    "más de un centenar": (100, 200), "mas de un centenar": (100, 200),
    "cientos": (200, 999), "centenares": (200, 999), "hundreds": (200, 999),
}
RELIABILITY = {"A": 0.75, "B": 1.0, "C": 1.25}
IMPRECISE_DATE = 1.5
POINT_SPREAD = 0.15
EXCLUDED_SIDES = ("PE",)
DATASET = "border_stranding_counts"


@dataclass(frozen=True)
class Observations:
    """Interval observations sorted by date (arrays of equal length)."""

    dates: np.ndarray        # datetime64[D]
    low: np.ndarray          # float, >= 0
    high: np.ndarray         # float, may be inf
    scale: np.ndarray        # noise factor per report
    label: tuple             # short text per report (for charts and tables)

    def __len__(self) -> int:
        return len(self.dates)

    def until(self, day) -> Observations:
        return self._take(self.dates <= np.datetime64(_as_day(day), "D"))

    def after(self, day) -> Observations:
        return self._take(self.dates > np.datetime64(_as_day(day), "D"))

    def between(self, first, last) -> Observations:
        d = self.dates
        lo, hi = np.datetime64(_as_day(first), "D"), np.datetime64(_as_day(last), "D")
        keep = (d >= lo) & (d <= hi)
        return self._take(keep)

    def _take(self, keep) -> Observations:
        idx = np.flatnonzero(keep)
        return Observations(self.dates[idx], self.low[idx], self.high[idx], self.scale[idx],
                            tuple(self.label[i] for i in idx))

    def offsets(self, start) -> np.ndarray:
        """Day index of each report counted from ``start`` (day 0)."""
        return (self.dates - np.datetime64(_as_day(start), "D")).astype(np.int64)

    def key(self) -> tuple:
        """Hashable content (for caching calibrations)."""
        return (tuple(self.dates.astype(str)), tuple(self.low), tuple(self.high),
                tuple(self.scale))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"date": pd.to_datetime(self.dates), "low": self.low,
                             "high": self.high, "noise_factor": self.scale,
                             "report": list(self.label)})


def _as_day(day) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    return pd.Timestamp(day).date()


def from_frame(frame: pd.DataFrame, episode: str | None = None) -> Observations:
    """Intervals from a ``border_stranding_counts`` frame (index ``date``), one episode or all."""
    df = frame.reset_index() if "date" not in frame.columns else frame.copy()
    if episode is not None:
        if "episode" not in df.columns:
            raise ScenarioError(f"{DATASET}: no 'episode' column to select episode {episode!r}")
        df = df[df["episode"].astype(str) == str(episode)]
    if "side" in df.columns:
        df = df[~df["side"].astype(str).str.upper().isin(EXCLUDED_SIDES)]
    dates, lows, highs, scales, labels = [], [], [], [], []
    for row in df.itertuples(index=False):
        interval = _interval(row)
        if interval is None:
            continue
        low, high = interval
        factor = RELIABILITY.get(str(_get(row, "reliability", "B")).strip().upper(), 1.0)
        precision = str(_get(row, "date_precision", "day") or "day").strip().lower()
        if precision not in ("day", "nan", ""):
            factor *= IMPRECISE_DATE
        dates.append(np.datetime64(pd.Timestamp(row.date).date(), "D"))
        lows.append(low)
        highs.append(high)
        scales.append(factor)
        text = _get(row, "verbal", "")
        text = text if isinstance(text, str) and text else _range_text(low, high)
        labels.append(f"{pd.Timestamp(row.date):%d %b %Y}: {text}")
    order = np.argsort(np.array(dates, dtype="datetime64[D]"), kind="stable")
    return Observations(
        dates=np.array(dates, dtype="datetime64[D]")[order],
        low=np.array(lows, dtype=float)[order],
        high=np.array(highs, dtype=float)[order],
        scale=np.array(scales, dtype=float)[order],
        label=tuple(labels[i] for i in order),
    )


def load(episode: str) -> Observations:
    """Reports of one episode ("2023-04", "2025-11") from ``forecast.datasets``."""
    from forecast import datasets

    frame = datasets.load(DATASET)
    return from_frame(frame, episode)


def _get(row, name, default):
    value = getattr(row, name, default)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return default
    return value


def _num(row, name):
    value = _get(row, name, np.nan)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return np.nan
    return value


def _interval(row):
    low, high, point = _num(row, "low"), _num(row, "high"), _num(row, "point")
    if not np.isnan(low) or not np.isnan(high):
        low = 0.0 if np.isnan(low) else low
        high = np.inf if np.isnan(high) else high
        return (low, high) if high >= low else (high, low)
    if not np.isnan(point):
        if point == 0:
            return 0.0, 0.0
        return point * (1 - POINT_SPREAD), point * (1 + POINT_SPREAD)
    verbal = str(_get(row, "verbal", "")).strip().lower()
    return VERBAL.get(verbal)


def _range_text(low, high):
    if np.isinf(high):
        return f">= {low:g}"
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def loglik(stock, obs: Observations, sigma) -> np.ndarray:
    """Log-probability of every report given stocks (N, K) at the report days; returns (N,).

    ``sigma`` (N,) is the obs_noise of each path; see the module docstring for the model.
    """
    stock = np.asarray(stock, dtype=float)
    if obs.low.size == 0:
        return np.zeros(stock.shape[0])
    z = np.log1p(stock)
    s = np.asarray(sigma, dtype=float)[:, None] * obs.scale[None, :]
    upper = np.where(np.isinf(obs.high), np.inf, np.log(obs.high + 1.5))[None, :]
    lower = np.where(obs.low <= 0, -np.inf, np.log(obs.low + 0.5))[None, :]
    b = log_ndtr((upper - z) / s)
    a = log_ndtr((lower - z) / s)
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = b + np.log1p(-np.exp(np.minimum(a - b, 0.0)))
    ll = np.where(np.isfinite(ll), ll, -1e6)  # an impossible report: very unlikely, not NaN
    return ll.sum(axis=1)


def predictive(stock, sigma, rng: np.random.Generator) -> np.ndarray:
    """What a press count would read: stock x observation noise (same shape as ``stock``)."""
    stock = np.asarray(stock, dtype=float)
    eps = rng.standard_normal(stock.shape)
    sig = np.asarray(sigma, dtype=float).reshape(-1, *([1] * (stock.ndim - 1)))
    return np.maximum(np.expm1(np.log1p(stock) + sig * eps), 0.0)
