"""Calibration: posterior draws of the stock-flow parameters from interval-censored press counts.

Method: adaptive importance sampling with a simulated likelihood (sampling-importance-
resampling over pairs of parameters and simulated paths).

1. Model. :func:`simulate` steps the stock from ``history.start`` (stock 0). Daily arrivals are
   negative-binomial around ``pool x hazard x intensity x intent(t) x deterrence(t) x
   exp(w_t)``: ``intent`` is the calendar's multipliers; ``deterrence = 1 - deterred x (1 -
   exp(-age / deterrence_days))`` on closed and documents-only days, where ``age`` counts the
   days since the closure began (1 on open and corridor days: a reopening draws people
   back); ``w`` is a random walk
   with daily steps ``N(0, drift^2)`` that lets new counts move the intensity. A crowd can
   dissolve: on the first day of a regime marked ``shock`` (a declared change) and, with
   daily probability ``clearance``, on any day (an undeclared clearance: police, organised
   transport), a share ``shock`` of the stranded leave at once (on top of the daily
   ``dispersal``).
2. Likelihood. For a parameter vector theta, R simulated paths up to the last observed day;
   path r gets the log-likelihood ``l_r(theta)`` of the counts
   (:func:`forecast.scenarios.observations.loglik`); ``L(theta) = mean_r exp(l_r)`` is an
   unbiased estimate (pseudo-marginal).
3. Priors. The file's own priors (the pool, ...) and, for every shared behaviour parameter it
   does not set, the population prior learned on other episodes
   (:mod:`forecast.scenarios.population`).
4. Proposals. Round 1 draws M thetas from the prior; each later round fits a Gaussian to the
   weighted draws on an unconstrained scale (log for positive parameters, logit for rates),
   widens it (covariance x 2) and draws M thetas from the defensive mixture q = 1/2 prior +
   1/2 Gaussian; weights are ``prior(theta) / q(theta) x L(theta)``; the rounds are pooled.
5. Draws. Pairs (theta, path r) are resampled with probability proportional to
   ``w(theta) x exp(l_r) / sum_r exp(l_r)``; each draw keeps its own path's stock and
   random-walk state at the as-of date, so a projection starts where its parameters and the
   counts seen so far put it (a particle approximation of the filtering distribution).

Every draw comes from numpy Generators spawned from the caller's seed; results are cached
per process on (file content, as-of date, observations, population, seed, sizes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecast.errors import ScenarioError
from forecast.scenarios import observations as obsmod
from forecast.scenarios import schedule
from forecast.scenarios.population import from_z, log_jacobian, to_z
from forecast.scenarios.spec import PARAMETERS, ScenarioSpec
from forecast.scenarios.stockflow import crossing_rates, draw_arrivals, run, uniforms

#: Values of parameters a file may omit.
DEFAULTS = {"intensity": 1.0, "open_rate": 0.9, "documents_share": 0.0}
CHUNK = 50_000
_CACHE: dict = {}


@dataclass(frozen=True)
class Posterior:
    """Parameter draws (one value per draw and parameter) and the stock at ``as_of``."""

    values: dict
    stock0: np.ndarray
    as_of: dt.date
    start: dt.date
    method: str
    ess: float
    n_obs: int
    diagnostics: dict = field(default_factory=dict)
    drift0: np.ndarray | None = None     # random-walk state (log intensity) at as_of

    def __len__(self) -> int:
        return self.stock0.size

    def take(self, idx) -> dict:
        return {k: v[idx] for k, v in self.values.items()}

    def summary(self) -> pd.DataFrame:
        """Median and 90% interval of every parameter and of the stock at as_of."""
        rows = []
        for name, v in [*self.values.items(), ("stock_at_as_of", self.stock0)]:
            q = np.quantile(v, [0.05, 0.25, 0.5, 0.75, 0.95])
            rows.append(dict(parameter=name, q5=q[0], q25=q[1], median=q[2], q75=q[3],
                             q95=q[4], unique=len(np.unique(v)),
                             meaning=PARAMETERS.get(name, "stranded people at the as-of date")))
        return pd.DataFrame(rows)


# -- simulation of a dated window --------------------------------------------------------------
def baseline_items(spec: ScenarioSpec):
    """Regimes, batches and events known before the as-of date, extended by the first scenario."""
    first = spec.scenarios[0]
    return ((*spec.history.regimes, *first.regimes), (*spec.history.batches, *first.batches),
            (*spec.calendar, *first.calendar))


STAGES = ("intent", "arrivals", "cross", "disperse", "drift", "clearance")
#: The random walk of log intensity is held within +-10 (a factor of 22,000 either way).
WALK_BOUND = 10.0


def simulate(theta: dict, stock0, dates, regimes, batches, events, rngs: dict, cache=None,
             origin=None, drift0=None):
    """Flows for parameters ``theta`` (arrays of length P) over ``dates`` (days after stock0).

    ``rngs`` holds one Generator per stage (:data:`STAGES`). ``origin`` is the day the
    timeline starts (the history's start; default the day before ``dates``): the deterrence
    of a closure counts from the closure's first day on that timeline. ``drift0`` (P,) is the
    random walk's state on the day before ``dates`` (0 by default). ``cache`` (a dict shared by
    scenarios drawn with the same Generators) reuses arrivals when the scenarios' arrival means
    are identical. Returns ``(flows, drift)`` with the random walk's state on the last day.
    """
    n = np.asarray(stock0).size
    t_len = len(dates)
    origin = (pd.Timestamp(dates[0]) - pd.Timedelta(days=1)).date() if origin is None \
        else origin
    codes, capacity = schedule.regimes(regimes, dates)
    seats = schedule.batches(batches, dates)
    intent = schedule.intent(events, dates, rngs["intent"], n)
    age = schedule.closed_age(regimes, dates, origin).astype(float)
    th = theta
    scale = np.maximum(th["deterrence_days"], 1e-6)[:, None]
    deter = np.where(age[None, :] >= 0,
                     1.0 - th["deterred"][:, None] * -np.expm1(-np.maximum(age, 0) / scale),
                     1.0)
    steps = rngs["drift"].standard_normal((t_len, n)).T * th["drift"][:, None]
    walk = np.cumsum(steps, axis=1)
    if drift0 is not None:
        walk += np.asarray(drift0, dtype=float)[:, None]
    base = th["pool"] * th["hazard"] * th["intensity"]
    mean = base[:, None] * intent * deter * np.exp(np.clip(walk, -WALK_BOUND, WALK_BOUND))
    key = None
    if cache is not None:
        key = hashlib.sha1(mean.tobytes() + np.asarray(th["dispersion"]).tobytes()).digest()
    if key is not None and key in cache:
        arrivals = cache[key]
    else:
        arrivals = draw_arrivals(rngs["arrivals"], mean, th["dispersion"])
        if key is not None:
            cache[key] = arrivals
    rate = crossing_rates(codes, th["leak"], th["open_rate"], th["documents_share"])
    # dissolution: a declared change (regime marked shock) or, on any day with probability
    # `clearance`, an undeclared one (police clearance, organised transport) moves `shock`
    declared = schedule.shocks(regimes, dates)[None, :]
    event = declared | (rngs["clearance"].random((t_len, n)).T < th["clearance"][:, None])
    keep = 1.0 - np.where(event, th["shock"][:, None], 0.0)
    dispersal = 1.0 - (1.0 - th["dispersal"][:, None]) * keep
    u_cross = uniforms(rngs["cross"], n, t_len)
    u_disp = uniforms(rngs["disperse"], n, t_len)
    flows = run(stock0, arrivals, rate, capacity, seats, dispersal, u_cross, u_disp)
    last = walk[:, -1] if t_len else (np.zeros(n) if drift0 is None else np.asarray(drift0))
    return flows, last


def _stages(seed_seq: np.random.SeedSequence) -> dict:
    return {k: np.random.default_rng(s) for k, s in zip(STAGES, seed_seq.spawn(len(STAGES)),
                                                        strict=True)}


def _complete(theta: dict, n: int) -> dict:
    out = dict(theta)
    for name, value in DEFAULTS.items():
        out.setdefault(name, np.full(n, value))
    return out


def _path_loglik(theta, n_rep, spec, obs, upto, seed_seq):
    """Log-likelihood (M, R) of R simulated paths per theta, their stock and walk at ``upto``."""
    m = next(iter(theta.values())).size
    regimes, batches, events = baseline_items(spec)
    start = spec.history.start
    dates = pd.date_range(start + dt.timedelta(days=1), upto, freq="D")
    rep = {k: np.repeat(v, n_rep) for k, v in _complete(theta, m).items()}
    total = m * n_rep
    ll = np.empty(total)
    last = np.empty(total, dtype=np.int64)
    walk = np.empty(total)
    chunks = range(0, total, CHUNK)
    for i, seq in zip(chunks, seed_seq.spawn(len(chunks)), strict=True):
        part = {k: v[i:i + CHUNK] for k, v in rep.items()}
        size = next(iter(part.values())).size
        flows, w = simulate(part, np.zeros(size, dtype=np.int64), dates, regimes, batches,
                            events, _stages(seq), origin=start)
        values = obsmod.statistic(flows.stock, obs, start)
        ll[i:i + size] = obsmod.loglik(values, obs, part["obs_noise"])
        last[i:i + size] = flows.stock[:, -1]
        walk[i:i + size] = w
    return ll.reshape(m, n_rep), last.reshape(m, n_rep), walk.reshape(m, n_rep)


def _weighted_resample(rng, logw, n):
    w = np.exp(logw - logw.max())
    w /= w.sum()
    ess = 1.0 / np.sum(w**2)
    return rng.choice(w.size, size=n, p=w), ess


def _logmeanexp(a, axis):
    top = a.max(axis=axis, keepdims=True)
    return (top + np.log(np.mean(np.exp(a - top), axis=axis, keepdims=True))).squeeze(axis)


# -- public entry points -----------------------------------------------------------------------
def priors_for(spec: ScenarioSpec, population=None) -> dict:
    """The file's priors, completed by the population prior of every shared parameter."""
    from forecast.scenarios import population as popmod

    if population is None:
        population = popmod.learn(popmod.default_files(spec))
    priors = {**population.priors(skip=spec.priors), **spec.priors}
    _require(spec, [k for k in ("pool", *popmod.SHARED) if k not in priors])
    return priors


def calibrate(spec: ScenarioSpec, *, observations=None, seed: int = 0, upto=None,
              population=None, n_draws: int = 4000, n_theta: int = 10_000, n_rep: int = 20,
              n_rounds: int = 3) -> Posterior:
    """Posterior draws for ``spec`` from its episode's counts up to ``upto`` (default as_of).

    ``observations`` (an :class:`Observations` or a ``border_stranding_counts`` frame)
    replaces the bundled dataset; the file's episode is selected from a frame.
    ``population`` (:class:`forecast.scenarios.population.Population`) gives the priors of the
    shared parameters; by default it is learned on :func:`population.default_files`.
    """
    upto = spec.as_of if upto is None else _date(upto)
    obs = _observations(spec, observations, upto)
    priors = priors_for(spec, population)
    key = (_file_key(spec), upto, obs.key(), int(seed), n_draws, n_theta, n_rep, n_rounds,
           repr(sorted((k, p.describe()) for k, p in priors.items())))
    if key not in _CACHE:
        _CACHE[key] = _calibrate(spec, priors, obs, seed, upto, n_draws, n_theta, n_rep,
                                 n_rounds)
    return _CACHE[key]


def calibrate_episode(spec: ScenarioSpec, *, observations=None, seed: int = 0,
                      n_draws: int = 4000, n_theta: int = 6000, n_rep: int = 16,
                      n_rounds: int = 3) -> Posterior:
    """Posterior of one whole episode from weak priors: every count, the observed scenario's
    regimes and departures (what a population of episodes is learned from)."""
    from forecast.scenarios.population import Population

    obs = all_observations(spec, observations)
    if len(obs) == 0:
        raise ScenarioError(f"{spec.path}: episode {spec.history.episode!r} has no counts to "
                            f"learn from")
    last = min(pd.Timestamp(obs.dates.max()).date(), spec.end)
    whole = spec.with_as_of(max(last, spec.history.start))
    return calibrate(whole, observations=obs, seed=seed, population=Population((), (), {}),
                     n_draws=n_draws, n_theta=n_theta, n_rep=n_rep, n_rounds=n_rounds)


def _calibrate(spec, priors, obs, seed, upto, n_draws, n_theta, n_rep, n_rounds):
    root = np.random.SeedSequence([int(seed), 20230418])
    s_prior, s_sim1, s_prop, s_pick = root.spawn(4)
    rng = np.random.default_rng(s_prior)
    theta = {k: p.sample(rng, n_theta) for k, p in priors.items()}
    ll, last, walk = _path_loglik(theta, n_rep, spec, obs, upto, s_sim1)
    logw_theta = np.zeros(n_theta)
    history, pooled = [], [(theta, logw_theta, ll, last, walk)]
    if len(obs):
        for seq in s_prop.spawn(n_rounds):
            theta, logw_theta, ll, last, walk, ess_round = _adapt(
                priors, theta, logw_theta, ll, seq, spec, obs, upto, n_theta, n_rep)
            history.append(round(ess_round, 1))
            pooled.append((theta, logw_theta, ll, last, walk))
    # every round is an unbiased importance sample of the same posterior: pool them all
    theta = {k: np.concatenate([r[0][k] for r in pooled]) for k in priors}
    logw_theta, ll, last, walk = (np.concatenate([r[i] for r in pooled]) for i in (1, 2, 3, 4))
    method = (f"adaptive importance sampling with simulated likelihood: {n_theta} prior "
              f"draws, then {len(history)} rounds of {n_theta} draws from 1/2 prior + 1/2 "
              f"Gaussian fitted to the previous round (covariance x 2), rounds pooled; "
              f"{n_rep} simulated paths per theta")
    # pair weights: theta weight x path likelihood / sum over the theta's paths
    logw = logw_theta[:, None] + ll - np.log(n_rep)
    pick, ess = _weighted_resample(np.random.default_rng(s_pick), logw.ravel(), n_draws)
    rows, cols = np.divmod(pick, n_rep)
    full = _complete(theta, logw_theta.size)
    values = {k: np.asarray(v, dtype=float)[rows] for k, v in full.items()}
    return Posterior(values=values, stock0=last[rows, cols], as_of=upto,
                     start=spec.history.start, method=method, ess=float(ess), n_obs=len(obs),
                     diagnostics={"ess_by_round": history}, drift0=walk[rows, cols])


def _adapt(priors, theta, logw_theta, ll, seed_seq, spec, obs, upto, n_theta, n_rep):
    """One adaptive importance round: Gaussian fitted to the weighted draws, defensive mixture."""
    from scipy.stats import multivariate_normal

    s_fit, s_draw, s_sim = seed_seq.spawn(3)
    free = [k for k, p in priors.items() if p.dist != "fixed"]
    logw = logw_theta + _logmeanexp(ll, axis=1)
    pick, ess = _weighted_resample(np.random.default_rng(s_fit), logw, 4000)
    z = np.column_stack([to_z(k, theta[k][pick]) for k in free])
    mu = z.mean(axis=0)
    cov = np.atleast_2d(np.cov(z, rowvar=False)) * 2.0 + np.eye(len(free)) * 1e-6
    rng = np.random.default_rng(s_draw)
    from_prior = rng.random(n_theta) < 0.5
    prior_draws = {k: p.sample(rng, n_theta) for k, p in priors.items()}
    zg = rng.multivariate_normal(mu, cov, size=n_theta)
    new = {k: np.where(from_prior, prior_draws[k], from_z(k, zg[:, free.index(k)]))
           if k in free else prior_draws[k] for k in priors}
    logp = sum(priors[k].logpdf(new[k]) for k in free)
    zz = np.column_stack([to_z(k, new[k]) for k in free])
    logg = multivariate_normal(mu, cov, allow_singular=True).logpdf(zz)
    logg = logg + sum(log_jacobian(k, new[k]) for k in free)
    logq = np.logaddexp(np.log(0.5) + logp, np.log(0.5) + logg)
    new_logw = np.where(np.isfinite(logp), logp - logq, -np.inf)
    new_ll, last, walk = _path_loglik(new, n_rep, spec, obs, upto, s_sim)
    return new, new_logw, new_ll, last, walk, float(ess)


def _require(spec, missing):
    if missing:
        raise ScenarioError(
            f"{spec.path}: priors: missing {', '.join(missing)} (needed to simulate; "
            f"valid keys: {', '.join(PARAMETERS)})"
        )


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _observations(spec, observations, upto):
    first = spec.history.start + dt.timedelta(days=1)
    return all_observations(spec, observations).between(first, upto)


def all_observations(spec: ScenarioSpec, observations=None) -> obsmod.Observations:
    """Every count of the file's episode: the bundled dataset, a frame or Observations."""
    if isinstance(observations, obsmod.Observations):
        return observations
    exclude = spec.history.exclude_sides
    if observations is None and spec.history.counts is not None:
        from forecast.datasets import read_counts

        frame = read_counts(spec.history.counts, episode=spec.history.episode)
        return obsmod.from_frame(frame, exclude_sides=exclude, source=str(spec.history.counts))
    if observations is None:
        return obsmod.load(spec.history.episode, exclude_sides=exclude)
    return obsmod.from_frame(observations, spec.history.episode, exclude_sides=exclude)


def _file_key(spec) -> str:
    return hashlib.sha256(repr(spec).encode()).hexdigest()


