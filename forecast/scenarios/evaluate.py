"""Out-of-sample scores of stranding projections: the engine against persistence and decay.

    import forecast as fc
    scores = fc.scenarios.evaluate()                 # every bundled episode, leave-one-out
    fc.scenarios.evaluation_summary(scores)          # one row per method (and episode)
    fc.scenarios.evaluate("my-border.toml")          # a file's own counts

Protocol. An *episode* is a scenario file and the counts of its ``history.episode``. For each
scored episode and each as-of date (by default every count date from the second on, while a
later count exists), every method forecasts what each later report of the episode, up to the
file's ``window.end``, will read, using only

* the episode's counts up to the as-of date, its regimes and departures known by then (the
  file's ``observed`` scenario up to the as-of date, its first scenario, the status quo,
  after it; when the crossing has changed since the file's own as-of date, the regime in
  force on the as-of date carried forward instead: :meth:`ScenarioSpec.status_quo_at`), and
* whatever the method learns from the *other* episodes (leave-one-episode-out): nothing is
  learned on the episode being scored.

Methods (column ``method``):

``persistence``
    The last count carries forward: ``log(C + 1) ~ N(log(c_last + 1), a + b h)`` at horizon
    ``h`` days, ``a`` and ``b`` fitted by maximum likelihood on the other episodes' pairs of
    (as-of count, later report).
``decay``
    Exponential decay toward zero: ``log(C + 1) ~ N(log(c_last e^{-h / tau} + 1), a + b h)``,
    ``tau``, ``a`` and ``b`` fitted the same way.
``engine``
    The stock-flow model of :mod:`forecast.scenarios`: calibrated on the episode's counts up to
    the as-of date, projected under the first scenario; the predictive distribution of a
    report is the simulated quantity it describes (stock, peak or average) times the
    observation error of that report, usual or outlying, as weighted mixture components per
    path (:func:`forecast.scenarios.observations.components`).

``stack``
    (only when every bundled episode is scored) the mixture ``sum_m w_m p_m`` of the three
    predictive distributions, with weights fitted by maximum likelihood (EM for mixture
    weights) on the *other* episodes' scores: stacking of predictive distributions (Yao et
    al., 2018, "Using stacking to average Bayesian predictive distributions"). Its PIT is
    the weighted PIT of its members (they share the uniform draws); its quantiles and
    interval score are not computed.

``c_last`` is the geometric midpoint of the last report before the as-of date (the median of
them when a day has several). Scores (:func:`forecast.metrics.censored_count_scores`): the
interval-censored log score of the reported range, the randomized PIT and the central
50/80/90% coverage it implies, and the interval score of the 80% band on the log1p scale.
Reports of one day are scored one by one (marginally).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import log_ndtr

from forecast.errors import ScenarioError
from forecast.metrics import censored_count_scores
from forecast.panel import check_count
from forecast.scenarios import observations as obsmod
from forecast.scenarios.calibrate import all_observations, check_seed, no_counts
from forecast.scenarios.dates import as_date
from forecast.scenarios.population import episode_files, learn
from forecast.scenarios.spec import ScenarioSpec
from forecast.scenarios.spec import load as load_spec

METHODS = ("persistence", "decay", "engine")
#: The combination scored when every bundled episode is (see ``stack`` above).
STACK = "stack"
_SCORE_COLUMNS = ("log_score", "pit", "in50", "in80", "in90", "interval_score", "q05", "q10",
                  "q25", "q50", "q75", "q90", "q95")


# -- episodes ----------------------------------------------------------------------------------
def _spec(value) -> ScenarioSpec:
    return value if isinstance(value, ScenarioSpec) else load_spec(value)


def _episode_obs(spec, observations):
    return all_observations(spec, observations).between(
        spec.history.start + dt.timedelta(days=1), spec.end)


def default_as_of(obs: obsmod.Observations) -> list[dt.date]:
    """Every count date from the second one on that has a later count."""
    days = np.unique(obs.dates)
    return [as_date(d, "count dates") for d in days[1:-1]]


# -- the two baselines ------------------------------------------------------------------------
def _last_value(obs: obsmod.Observations, as_of) -> float:
    """log1p of the geometric midpoint of the last reports on or before ``as_of``."""
    seen = obs.until(as_of)
    if len(seen) == 0:
        raise ScenarioError(f"no count on or before {as_of}: nothing to carry forward")
    last = seen.dates.max()
    keep = seen.dates == last
    lo = np.log1p(seen.low[keep])
    hi = np.where(np.isinf(seen.high[keep]), lo, np.log1p(np.where(np.isinf(seen.high[keep]),
                                                                     0, seen.high[keep])))
    return float(np.median(0.5 * (lo + hi)))


def _pairs(spec, obs, as_of_dates):
    """(x_last, h, low, high) for every later report of every as-of date of one episode."""
    rows = []
    for day in as_of_dates:
        x = _last_value(obs, day)
        later = obs.after(day)
        h = (later.dates - np.datetime64(day, "D")).astype(float)
        rows.extend(zip([x] * len(later), h, later.low, later.high, strict=True))
    return rows


def _baseline_mean(method, params, x, h):
    if method == "persistence":
        return np.asarray(x, dtype=float) + 0 * h
    tau = np.exp(params[2])
    return np.log1p(np.expm1(x) * np.exp(-h / tau))


def _baseline_sd(params, h):
    return np.sqrt(np.exp(params[0]) + np.exp(params[1]) * h)


def fit_baseline(method: str, pairs) -> np.ndarray:
    """Maximum-likelihood parameters (log a, log b[, log tau]) on (x, h, low, high) pairs."""
    if not pairs:
        raise ScenarioError(f"baseline {method!r} needs counts of at least one other episode "
                            f"with two count dates")
    x, h, low, high = (np.array(v, dtype=float) for v in zip(*pairs, strict=True))
    upper = np.where(np.isinf(high), np.inf, np.log(high + 1.5))
    lower = np.where(low <= 0, -np.inf, np.log(low + 0.5))

    def nll(p):
        m, s = _baseline_mean(method, p, x, h), _baseline_sd(p, h)
        b, a = log_ndtr((upper - m) / s), log_ndtr((lower - m) / s)
        with np.errstate(divide="ignore", invalid="ignore"):
            ll = b + np.log1p(-np.exp(np.minimum(a - b, 0.0)))
        return -np.sum(np.where(np.isfinite(ll), ll, -50.0))

    start = [np.log(0.25), np.log(0.02)] + ([np.log(7.0)] if method == "decay" else [])
    best = minimize(nll, start, method="Nelder-Mead",
                    options=dict(maxiter=4000, xatol=1e-6, fatol=1e-9))
    return np.clip(best.x, -12, 12)


# -- the engine -------------------------------------------------------------------------------
def _engine_components(spec, obs_all, as_of, later, n_paths, seed, training, sizes):
    """(m, s, w): the predictive of every later report as weighted log1p-normal components
    (:func:`forecast.scenarios.observations.components`)."""
    from forecast.scenarios.calibrate import calibrate
    from forecast.scenarios.projection import project

    at = spec.status_quo_at(as_of)
    population = learn(training, seed=seed, **sizes)
    posterior = calibrate(at, observations=obs_all, seed=seed, population=population, **sizes)
    proj = project(at, n_paths=n_paths, seed=seed, observations=obs_all, posterior=posterior)
    name = at.scenarios[0].name
    return obsmod.components(proj.stock(name), later, as_of, proj.params[name]["obs_noise"],
                             proj.params[name].get("outlier"))


# -- evaluation -------------------------------------------------------------------------------
def evaluate(spec=None, *, as_of=None, n_paths: int = 2000, seed: int = 0, methods=METHODS,
             observations=None, files=None, n_theta: int = 4000, n_rep: int = 12,
             n_rounds: int = 3) -> pd.DataFrame:
    """Tidy scores: one row per (episode, as_of, later report, method).

    ``spec`` None scores every bundled episode leave-one-episode-out (``files`` overrides the
    bundled list); a path or :class:`ScenarioSpec` scores that file's own counts, with the
    baselines (and the engine's shared behaviour) learned on the bundled episodes of other
    episodes. ``as_of`` restricts the as-of dates to one. Columns: ``episode, as_of, date,
    horizon, method, low, high, statement, report``, then the scores of
    :func:`forecast.metrics.censored_count_scores`. ``n_theta``, ``n_rep`` and ``n_rounds``
    size every calibration (see :func:`forecast.scenarios.calibrate.calibrate`).
    """
    if isinstance(methods, str):
        methods = (methods,)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ScenarioError(f"unknown method(s) {', '.join(map(str, unknown))}; valid: "
                            f"{', '.join(METHODS)}")
    if not methods:
        raise ScenarioError(f"methods is empty; valid: {', '.join(METHODS)}")
    n_paths = check_count("n_paths", n_paths, ScenarioError)
    n_theta, n_rep, n_rounds = (check_count(name, value, ScenarioError) for name, value in
                                (("n_theta", n_theta), ("n_rep", n_rep),
                                 ("n_rounds", n_rounds)))
    seed = check_seed(seed)
    bundled = [_spec(f) for f in (files if files is not None else episode_files())]
    if spec is None:
        scored = bundled
    else:
        scored = [_spec(spec)]
    frames = []
    for target in scored:
        training = [s for s in bundled if s.history.episode != target.history.episode]
        sizes = dict(n_theta=int(n_theta), n_rep=int(n_rep), n_rounds=int(n_rounds))
        frames.append(_evaluate_episode(target, training, as_of, n_paths, seed, methods,
                                        observations if spec is not None else None, sizes))
    frames = [f for f in frames if len(f)]
    if not frames:
        raise ScenarioError("no as-of date with a later count: nothing to score")
    out = pd.concat(frames, ignore_index=True)
    if spec is None and set(METHODS) <= set(methods) and out["episode"].nunique() > 1:
        out = pd.concat([out, _stack(out)], ignore_index=True)
    return out


def stacking_weights(log_scores: np.ndarray, iterations: int = 500) -> np.ndarray:
    """Mixture weights maximising ``sum_i log sum_m w_m exp(l_im)`` (EM; rows i, columns m)."""
    ls = np.asarray(log_scores, dtype=float)
    w = np.full(ls.shape[1], 1.0 / ls.shape[1])
    p = np.exp(ls - ls.max(axis=1, keepdims=True))
    for _ in range(iterations):
        r = p * w
        r /= r.sum(axis=1, keepdims=True)
        w = r.mean(axis=0)
    return w


def _stack(scores: pd.DataFrame) -> pd.DataFrame:
    """Rows of method ``stack`` for every episode, weights learned on the other episodes."""
    members = list(METHODS)
    keys = ["episode", "as_of", "date", "report", "low", "high"]
    wide = {m: scores[scores["method"] == m].reset_index(drop=True) for m in members}
    base = wide[members[0]]
    for m in members[1:]:
        if not wide[m][keys].equals(base[keys]):
            raise ScenarioError("stacking needs the same reports scored by every method")
    ls = np.column_stack([wide[m]["log_score"].to_numpy() for m in members])
    pit = np.column_stack([wide[m]["pit"].to_numpy() for m in members])
    rows = []
    for code in base["episode"].unique():
        here = (base["episode"] == code).to_numpy()
        w = stacking_weights(ls[~here])
        frame = base[here].copy()
        frame["method"] = STACK
        top = ls[here].max(axis=1)
        frame["log_score"] = top + np.log(np.exp(ls[here] - top[:, None]) @ w)
        frame["pit"] = pit[here] @ w
        for level in (50, 80, 90):
            frame[f"in{level}"] = np.abs(frame["pit"] - 0.5) <= level / 200
        for col in ("interval_score", "q05", "q10", "q25", "q50", "q75", "q90", "q95"):
            frame[col] = np.nan
        frame["weights"] = ", ".join(f"{m} {v:.2f}" for m, v in zip(members, w, strict=True))
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def _evaluate_episode(spec, training, as_of, n_paths, seed, methods, observations, sizes):
    obs = _episode_obs(spec, observations)
    if len(obs) == 0:
        raise no_counts(spec, observations, spec.end)
    dates = default_as_of(obs)
    if as_of is not None:
        day = as_date(as_of, f"{spec.path}: evaluate as_of")
        if len(obs.after(day)) == 0 or len(obs.until(day)) == 0:
            raise ScenarioError(f"{spec.path}: as_of {day}: need a count on or before it and "
                                f"one after it (counts from {obs.dates.min()} to "
                                f"{obs.dates.max()})")
        dates = [day]
    baselines = {}
    for method in ("persistence", "decay"):
        if method in methods:
            pairs = []
            for other in training:
                other_obs = _episode_obs(other, None)
                pairs.extend(_pairs(other, other_obs, default_as_of(other_obs)))
            baselines[method] = fit_baseline(method, pairs)
    rows = []
    for k, day in enumerate(dates):
        later = obs.after(day)
        h = (later.dates - np.datetime64(day, "D")).astype(float)
        u = np.random.default_rng(np.random.SeedSequence([int(seed), 9, k])).random(len(later))
        x = _last_value(obs, day)
        for method in methods:
            if method == "engine":
                m, s, w = _engine_components(spec, obs, day, later, n_paths, seed, training,
                                             sizes)
            else:
                p = baselines[method]
                m, s = _baseline_mean(method, p, x, h)[None, :], _baseline_sd(p, h)[None, :]
                w = None
            scores = censored_count_scores(m, s, later.low, later.high, u, weights=w)
            frame = pd.DataFrame({
                "episode": spec.history.episode, "as_of": pd.Timestamp(day),
                "date": pd.to_datetime(later.dates), "horizon": h.astype(int),
                "method": method, "low": later.low, "high": later.high,
                "statement": later.statements, "report": list(later.label)})
            for col in _SCORE_COLUMNS:
                frame[col] = scores[col]
            rows.append(frame)
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def evaluation_summary(scores: pd.DataFrame, by=("method",)) -> pd.DataFrame:
    """Mean log score, coverage of the 50/80/90% bands, mean interval score and counts."""
    by = list(by)
    g = scores.groupby(by, sort=False)
    out = pd.DataFrame({
        "reports": g.size(),
        "as_of_dates": g["as_of"].nunique(),
        "log_score": g["log_score"].mean(),
        "cover50": g["in50"].mean(),
        "cover80": g["in80"].mean(),
        "cover90": g["in90"].mean(),
        "interval_score80": g["interval_score"].mean(),
    })
    return out.reset_index()
