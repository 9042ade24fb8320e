"""Press counts of stranded people as interval-censored, noisy observations of the stock.

A report such as "400-500", "about a hundred" or "dozens" becomes an interval [low, high]:

* low and high given: that range ("more than 300" has no upper bound: high = inf);
* only a point ("about 450"): [0.85 x point, 1.15 x point] (0 stays [0, 0]);
* only words: the one table of :mod:`forecast.datasets.wording` ("decenas", "una decena",
  "un centenar" ...), applied when the dataset is read; unknown wording is an error there.

What a report describes (column ``statement``): ``stock``, the people present on its date
(the default); ``peak``, the highest stock over the ``window_days`` days ending on its date
("ha habido algún pico de cerca de 400"); ``average``, the mean stock over that window ("un
promedio entre 150 a 200"). :func:`statistic` turns simulated stock paths into the quantity
each report describes.

Observation model: the quantity q a report describes relates to the count c through a
multiplicative error on the log1p scale, log(c + 1) = log(q + 1) + sigma_i * e_i. With the
continuity margin of half a person, the probability of the report is

    P(low <= c <= high | q) = Phi((log(high + 1.5) - log(q + 1)) / sigma_i)
                             - Phi((log(low + 0.5) - log(q + 1)) / sigma_i)

(the second term is dropped when low = 0). sigma_i = obs_noise x a factor for the reliability
grade (:data:`NOISE_BY_RELIABILITY`: A 0.75, B 1, C 1.25) and x 1.5 when the date is
approximate. Reports of the same day
share part of their error (they often echo one another or one official figure):
e_i = sqrt(rho) eta_day + sqrt(1 - rho) eps_i with rho = :data:`SAME_DAY_CORRELATION`, so
each report keeps the marginal N(0, 1) error; the day term eta is integrated out by
Gauss-Hermite quadrature. Days with one report have the exact single-report probability.

Outlying reports (a contaminated normal; Box and Tiao, 1968): with probability ``outlier`` (a
behaviour parameter, pooled across episodes like the others) a report's error is
:data:`OUTLIER_SCALE` times the usual one and its own, not shared with the day: a rumour,
another group, an old figure repeated. One such report no longer drags the calibration, and
the predictive distribution of a report has the tails the press has. Out of sample it won the
2019-06 episode and brought the pooled 50% bands from 68% to 47%
(``reports/benchmarks/scenario_backtest.md``).

:func:`loglik` gives the probability of the reports, :func:`components` the predictive
distribution of a report as weighted log1p-normal components (what
:func:`forecast.metrics.censored_count_scores` scores) and :func:`predictive` draws from it.

Tried and not kept: a count describing the start of its day (the stock the night before)
instead of its end with probability 1/2. Leave-one-episode-out, alone it raised the engine's
mean log score on 2025-11 (+0.07) and 2023-04 (+0.14) but lowered it on 2019-06 (-0.24) and
2021-11 (-0.07); on top of the outliers it lowered all four (by 0.001 to 0.12). Counts
describe the end of their day.

Rows whose ``side`` a scenario file lists in ``history.exclude_sides`` are left out (e.g.
people already inside the destination country rather than stranded between the two posts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import log_ndtr

from forecast.errors import ScenarioError
from forecast.scenarios.dates import as_date

#: Factor of the observation noise per reliability grade of a report (A official ... C press;
#: grades are :data:`forecast.datasets.loader.RELIABILITY_GRADES`; others count as B).
NOISE_BY_RELIABILITY = {"A": 0.75, "B": 1.0, "C": 1.25}
IMPRECISE_DATE = 1.5
POINT_SPREAD = 0.15
#: Share of the log error that reports of the same day have in common (an assumption).
SAME_DAY_CORRELATION = 0.5
#: Statements a report can make and their integer codes.
STATEMENTS = {"stock": 0, "peak": 1, "average": 2}
_HERMITE = np.polynomial.hermite_e.hermegauss(8)
#: An outlying report's log error is this many times the usual one (an assumption, fixed
#: before the engine was scored: a report off by a factor of e^(4 x obs_noise) at one s.d.).
OUTLIER_SCALE = 4.0

DATASET = "border_stranding_counts"


@dataclass(frozen=True)
class Observations:
    """Interval observations sorted by date (arrays of equal length)."""

    dates: np.ndarray        # datetime64[D]
    low: np.ndarray          # float, >= 0
    high: np.ndarray         # float, may be inf
    scale: np.ndarray        # noise factor per report
    label: tuple             # short text per report (for charts and tables)
    kind: np.ndarray | None = None     # statement code per report (STATEMENTS); None = stock
    window: np.ndarray | None = None   # days a peak/average statement covers (1 for stock)

    def __post_init__(self):
        n = len(self.dates)
        if self.kind is None:
            object.__setattr__(self, "kind", np.zeros(n, dtype=np.int64))
        if self.window is None:
            object.__setattr__(self, "window", np.ones(n, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.dates)

    def until(self, day) -> Observations:
        return self._take(self.dates <= _day64(day, "until"))

    def after(self, day) -> Observations:
        return self._take(self.dates > _day64(day, "after"))

    def between(self, first, last) -> Observations:
        d = self.dates
        lo, hi = _day64(first, "between: first"), _day64(last, "between: last")
        keep = (d >= lo) & (d <= hi)
        return self._take(keep)

    def _take(self, keep) -> Observations:
        idx = np.flatnonzero(keep)
        return Observations(self.dates[idx], self.low[idx], self.high[idx], self.scale[idx],
                            tuple(self.label[i] for i in idx), self.kind[idx],
                            self.window[idx])

    def offsets(self, start) -> np.ndarray:
        """Day index of each report counted from ``start`` (day 0)."""
        return (self.dates - _day64(start, "offsets: start")).astype(np.int64)

    def key(self) -> tuple:
        """Hashable content (for caching calibrations)."""
        return (tuple(self.dates.astype(str)), tuple(self.low), tuple(self.high),
                tuple(self.scale), tuple(self.kind), tuple(self.window))

    @property
    def statements(self) -> list[str]:
        names = {v: k for k, v in STATEMENTS.items()}
        return [names[int(k)] for k in self.kind]

    def day_groups(self) -> np.ndarray:
        """Integer id per report: reports of the same date share an id (0, 1, ...)."""
        return np.unique(self.dates, return_inverse=True)[1].astype(np.int64)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"date": pd.to_datetime(self.dates), "low": self.low,
                             "high": self.high, "statement": self.statements,
                             "window_days": self.window, "noise_factor": self.scale,
                             "report": list(self.label)})


def _day64(value, where) -> np.datetime64:
    return np.datetime64(as_date(value, f"Observations.{where}"), "D")


def from_frame(frame: pd.DataFrame, episode: str | None = None,
               exclude_sides=(), source: str = DATASET) -> Observations:
    """Intervals from a ``border_stranding_counts`` frame (index ``date``), one episode or all.

    ``exclude_sides`` lists values of the ``side`` column to leave out; ``source`` names the
    file in error messages. A row that gives neither numbers nor known words is an error.
    """
    df = frame.reset_index() if "date" not in frame.columns else frame.copy()
    df.attrs = {}   # provenance is not needed here, and pandas deep-copies it at every step
    if episode is not None:
        if "episode" not in df.columns:
            raise ScenarioError(f"{source}: no 'episode' column to select episode {episode!r}")
        df = df[df["episode"].astype(str) == str(episode)]
    if "side" in df.columns and len(exclude_sides):
        excluded = [str(x).upper() for x in exclude_sides]
        df = df[~df["side"].astype(str).str.upper().isin(excluded)]
    dates, lows, highs, scales, labels, kinds, windows = [], [], [], [], [], [], []
    for i, row in enumerate(df.itertuples(index=False)):
        interval = _interval(row)
        if interval is None:
            raise ScenarioError(
                f"{source}: row {i + 1} ({row.date}): no count: give low/high, point or "
                f"count_words")
        low, high = interval
        statement = str(_get(row, "statement", "stock") or "stock").strip().lower()
        if statement not in STATEMENTS:
            raise ScenarioError(f"{source}: row {i + 1} ({row.date}): statement {statement!r}; "
                                f"valid: {', '.join(STATEMENTS)}")
        window = _num(row, "window_days")
        window = 1 if np.isnan(window) else int(window)
        if window < 1 or (statement == "stock" and window != 1):
            raise ScenarioError(f"{source}: row {i + 1} ({row.date}): window_days {window} "
                                f"(1 for a stock, >= 1 for a peak or average)")
        factor = NOISE_BY_RELIABILITY.get(str(_get(row, "reliability", "B")).strip().upper(), 1.0)
        precision = str(_get(row, "date_precision", "day") or "day").strip().lower()
        if precision not in ("day", "nan", ""):
            factor *= IMPRECISE_DATE
        day = as_date(row.date, f"{source}: row {i + 1}: date")
        dates.append(np.datetime64(day, "D"))
        lows.append(low)
        highs.append(high)
        scales.append(factor)
        kinds.append(STATEMENTS[statement])
        windows.append(window)
        text = _get(row, "verbal", "")
        text = text if isinstance(text, str) and text else _range_text(low, high)
        labels.append(f"{day:%d %b %Y}: {text}")
    order = np.argsort(np.array(dates, dtype="datetime64[D]"), kind="stable")
    return Observations(
        dates=np.array(dates, dtype="datetime64[D]")[order],
        low=np.array(lows, dtype=float)[order],
        high=np.array(highs, dtype=float)[order],
        scale=np.array(scales, dtype=float)[order],
        label=tuple(labels[i] for i in order),
        kind=np.array(kinds, dtype=np.int64)[order],
        window=np.array(windows, dtype=np.int64)[order],
    )


def load(episode: str, exclude_sides=()) -> Observations:
    """Reports of one episode ("2023-04", "2025-11") from ``forecast.datasets``."""
    return from_frame(dataset(), episode, exclude_sides=exclude_sides)


def episodes() -> list[str]:
    """The episodes of the bundled counts, in the order they first appear."""
    return list(dict.fromkeys(dataset()["episode"].astype(str)))


_DATASET_CACHE: dict = {}


def dataset() -> pd.DataFrame:
    """The bundled ``border_stranding_counts`` frame, read once per version of its file.

    A projection asks for it several times (its episode, every episode a population may be
    learned on, the charts); reading and validating the CSV each time cost most of a small
    run. The cache key is the file's path, size and modification time, so an edited file is
    read again. A copy is returned: callers may change their frame.
    """
    from forecast import datasets
    from forecast.datasets.registry import path_of

    path = path_of(DATASET)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:   # let the dataset layer say what is wrong with it
        return datasets.load(DATASET)
    if key not in _DATASET_CACHE:
        _DATASET_CACHE.clear()
        _DATASET_CACHE[key] = datasets.load(DATASET)
    return _DATASET_CACHE[key].copy()


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
    words = str(_get(row, "count_words", "") or "").strip()
    if words:
        from forecast.datasets.wording import interval

        try:
            return interval(words)
        except ValueError as exc:
            raise ScenarioError(str(exc)) from None
    return None


def _range_text(low, high):
    if np.isinf(high):
        return f">= {low:g}"
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def statistic(stock, obs: Observations, start) -> np.ndarray:
    """What each report describes, from stock paths (N, T) whose column 0 is day ``start``.

    Stock reports read the stock on their date; peak reports the maximum and average
    reports the mean over the ``window`` days ending on their date (cut at ``start``).
    Returns (N, K) floats.
    """
    stock = np.asarray(stock)
    cols = obs.offsets(start)
    if cols.size and (cols.min() < 0 or cols.max() >= stock.shape[1]):
        raise ScenarioError(f"reports from {obs.dates.min()} to {obs.dates.max()} fall outside "
                            f"the simulated days from {start}")
    out = stock[:, cols].astype(float)
    for k in np.flatnonzero(obs.kind != STATEMENTS["stock"]):
        first = max(int(cols[k]) - int(obs.window[k]) + 1, 0)
        span = stock[:, first:int(cols[k]) + 1]
        out[:, k] = span.max(axis=1) if obs.kind[k] == STATEMENTS["peak"] else span.mean(axis=1)
    return out


def _bounds(obs: Observations):
    upper = np.where(np.isinf(obs.high), np.inf, np.log(obs.high + 1.5))
    lower = np.where(obs.low <= 0, -np.inf, np.log(np.maximum(obs.low, 0) + 0.5))
    return lower, upper


def _log_prob(z, s, lower, upper):
    """log(Phi((upper - z)/s) - Phi((lower - z)/s)), stable, elementwise."""
    b = log_ndtr((upper - z) / s)
    a = log_ndtr((lower - z) / s)
    with np.errstate(divide="ignore", invalid="ignore"):
        ll = b + np.log1p(-np.exp(np.minimum(a - b, 0.0)))
    return np.where(np.isfinite(ll), ll, -1e6)  # an impossible report: very unlikely, not NaN


def _mix_logs(parts):
    """log sum_i exp(parts_i) for (log weight, log prob) pairs, elementwise."""
    terms = [lw + lp for lw, lp in parts]
    top = terms[0]
    for t in terms[1:]:
        top = np.maximum(top, t)
    top = np.where(np.isfinite(top), top, 0.0)
    return top + np.log(sum(np.exp(t - top) for t in terms))


def loglik(values, obs: Observations, sigma, outlier=None) -> np.ndarray:
    """Log-probability of every report given what they describe (N, K); returns (N,).

    ``values`` comes from :func:`statistic`; ``sigma`` (N,) is the obs_noise of each path and
    ``outlier`` (N,) its probability of an outlying report (none if omitted). See the module
    docstring for the model, including the error shared by reports of a day.
    """
    values = np.asarray(values, dtype=float)
    n = values.shape[0]
    if obs.low.size == 0:
        return np.zeros(n)
    z = np.log1p(values)
    eps = np.zeros(n) if outlier is None else np.clip(np.asarray(outlier, dtype=float), 0, 1)
    with np.errstate(divide="ignore"):
        l_in, l_out = np.log1p(-eps)[:, None], np.log(eps)[:, None]
    s = np.asarray(sigma, dtype=float)[:, None] * obs.scale[None, :]
    lower, upper = _bounds(obs)
    # the outlying part: its own error, wider, the same at every node of the day's error
    wide = _log_prob(z, OUTLIER_SCALE * s, lower, upper) + l_out                     # (N, K)
    groups = obs.day_groups()
    sizes = np.bincount(groups)
    sg = sizes[groups] == 1
    usual = _log_prob(z[:, sg], s[:, sg], lower[sg], upper[sg]) + l_in
    total = _mix_logs([(0.0, usual), (0.0, wide[:, sg])]).sum(axis=1)
    rho = SAME_DAY_CORRELATION
    nodes, weights = _HERMITE
    logw = np.log(weights / weights.sum())
    shared = ~sg
    if shared.any():
        # log prod_i P_i(eta) at each node eta (last axis): shift the mean by s_i sqrt(rho) eta
        zc, sc = z[:, shared, None], s[:, shared, None]
        at = _log_prob(zc + sc * np.sqrt(rho) * nodes, sc * np.sqrt(1 - rho),
                       lower[shared, None], upper[shared, None]) + l_in[:, :, None]
        at = _mix_logs([(0.0, at), (0.0, wide[:, shared, None])])         # (N, k, nodes)
        ids = groups[shared]
        for g in np.unique(ids):
            per_node = at[:, ids == g, :].sum(axis=1) + logw[None, :]
            top = per_node.max(axis=1, keepdims=True)
            total += top[:, 0] + np.log(np.exp(per_node - top).sum(axis=1))
    return total


def components(stock, obs: Observations, start, sigma, outlier=None):
    """The predictive distribution of every report as weighted log1p-normal components.

    ``stock`` (N, T) paths with column 0 on ``start``; ``sigma`` (N,) and ``outlier`` (N,)
    per path. Returns ``(m, s, w)``: ``m`` and ``s`` (C, K), ``w`` (C,) summing to 1, one
    component per path and usual/outlying error (C = 2N; marginal over the day's shared
    error). :func:`forecast.metrics.censored_count_scores` scores it.
    """
    z = np.log1p(statistic(stock, obs, start))
    n = z.shape[0]
    s = np.asarray(sigma, dtype=float)[:, None] * obs.scale[None, :]
    eps = np.zeros(n) if outlier is None else np.clip(np.asarray(outlier, dtype=float), 0, 1)
    return (np.concatenate([z, z]), np.concatenate([s, OUTLIER_SCALE * s]),
            np.concatenate([1.0 - eps, eps]) / n)


def predictive(stock, sigma, rng: np.random.Generator, outlier=None) -> np.ndarray:
    """What a press count would read on each day (same shape as ``stock``, (N, T)): the stock
    times the observation error, :data:`OUTLIER_SCALE` times wider with probability
    ``outlier`` (N,) per path."""
    stock = np.asarray(stock, dtype=float)
    n = stock.shape[0]
    eps = rng.standard_normal(stock.shape)
    sig = np.asarray(sigma, dtype=float).reshape(n, 1) * np.ones(stock.shape[1])
    if outlier is not None:
        wide = rng.random(stock.shape) < np.asarray(outlier, dtype=float).reshape(n, 1)
        sig = np.where(wide, OUTLIER_SCALE * sig, sig)
    return np.maximum(np.expm1(np.log1p(stock) + sig * eps), 0.0)
