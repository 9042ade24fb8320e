"""Calibration: posterior draws of the stock-flow parameters from interval-censored press counts.

Method: importance sampling with a simulated likelihood (sampling-importance-resampling).

1. Likelihood. For a parameter vector theta, simulate R stock paths from ``history.start``
   (stock 0) to the last observed day with the known regimes and departures. Each path r
   gets the interval-censored log-likelihood ``l_r(theta) = sum_i log P(low_i <= c_i <=
   high_i | S_{t_i})`` of :mod:`forecast.scenarios.observations` (log1p-normal error with
   standard deviation ``obs_noise`` x reliability factor). The simulated likelihood is
   ``L(theta) = mean_r exp(l_r)``, an unbiased estimate (pseudo-marginal).
2. Proposals. Without a reference episode the priors are proper parametric distributions:
   round 1 draws M thetas from the prior; round 2 fits a Gaussian to the weighted round-1
   draws on an unconstrained scale (log for positive parameters, logit for rates), widens it
   (covariance x 2) and draws M thetas from the defensive mixture q = 1/2 prior + 1/2
   Gaussian. Weights are ``prior(theta) / q(theta) x L(theta)``.
3. Draws. Pairs (theta, path r) are resampled with probability proportional to
   ``w(theta) x exp(l_r) / sum_r exp(l_r)``; each draw keeps the stock of its own path at the
   as-of date, so the starting stock of a projection is consistent with its parameters and
   with the counts seen up to then.

A file with ``history.reference`` (e.g. the 2025 window referring to the 2023 episode) is
calibrated in two steps (sequential Bayesian updating): the reference file is calibrated on
its whole episode (history plus its first scenario, which must describe what happened); its
draws of the parameters it sets (except the pool) form the prior here, combined with this
file's own priors for the rest (pool, intensity, ...); one importance round on this file's
counts up to the as-of date reweights them.

The first scenario of a file also supplies the regimes between the file's as-of date and a
later one (``project(..., as_of=...)``): it is the status quo by convention.
Every draw comes from numpy Generators spawned from the caller's seed; results are cached
per process on (file content, as-of date, observations, seed, sizes).
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
from forecast.scenarios.spec import PARAMETERS, RATES, ScenarioSpec
from forecast.scenarios.spec import load as load_spec
from forecast.scenarios.stockflow import crossing_rates, draw_arrivals, run, uniforms

#: Values of parameters a file may omit.
DEFAULTS = {"intensity": 1.0, "open_rate": 0.9, "documents_share": 0.0}
REQUIRED = ("pool", "hazard", "dispersion", "dispersal", "leak", "obs_noise")
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


def simulate(theta: dict, stock0, dates, regimes, batches, events, rngs: dict, cache=None):
    """Flows for parameters ``theta`` (arrays of length P) over ``dates`` (days after stock0).

    ``rngs`` holds one Generator per stage: intent, arrivals, cross, disperse. ``cache`` (a
    dict shared by scenarios drawn with the same Generators) reuses arrivals when the
    scenarios' arrival means are identical: arrivals never depend on the border regime.
    """
    n = np.asarray(stock0).size
    codes, capacity = schedule.regimes(regimes, dates)
    seats = schedule.batches(batches, dates)
    intent = schedule.intent(events, dates, rngs["intent"], n)
    mean = (theta["pool"] * theta["hazard"] * theta["intensity"])[:, None] * intent
    key = None
    if cache is not None:
        key = hashlib.sha1(mean.tobytes() + np.asarray(theta["dispersion"]).tobytes()).digest()
    if key is not None and key in cache:
        arrivals = cache[key]
    else:
        arrivals = draw_arrivals(rngs["arrivals"], mean, theta["dispersion"])
        if key is not None:
            cache[key] = arrivals
    rate = crossing_rates(codes, theta["leak"], theta["open_rate"], theta["documents_share"])
    u_cross = uniforms(rngs["cross"], n, len(dates))
    u_disp = uniforms(rngs["disperse"], n, len(dates))
    return run(stock0, arrivals, rate, capacity, seats, theta["dispersal"], u_cross, u_disp)


def _stages(seed_seq: np.random.SeedSequence) -> dict:
    names = ("intent", "arrivals", "cross", "disperse")
    return {k: np.random.default_rng(s) for k, s in zip(names, seed_seq.spawn(len(names)),
                                                        strict=True)}


def _complete(theta: dict, n: int) -> dict:
    out = dict(theta)
    for name, value in DEFAULTS.items():
        out.setdefault(name, np.full(n, value))
    return out


def _path_loglik(theta, n_rep, spec, obs, upto, seed_seq):
    """Log-likelihood (M, R) of R simulated paths per theta and their stock at ``upto``."""
    m = next(iter(theta.values())).size
    regimes, batches, events = baseline_items(spec)
    start = spec.history.start
    dates = pd.date_range(start + dt.timedelta(days=1), upto, freq="D")
    offsets = obs.offsets(start)
    rep = {k: np.repeat(v, n_rep) for k, v in _complete(theta, m).items()}
    total = m * n_rep
    ll = np.empty(total)
    last = np.empty(total, dtype=np.int64)
    chunks = range(0, total, CHUNK)
    for i, seq in zip(chunks, seed_seq.spawn(len(chunks)), strict=True):
        part = {k: v[i:i + CHUNK] for k, v in rep.items()}
        size = next(iter(part.values())).size
        flows = simulate(part, np.zeros(size, dtype=np.int64), dates, regimes, batches,
                         events, _stages(seq))
        ll[i:i + size] = obsmod.loglik(flows.stock[:, offsets], obs, part["obs_noise"])
        last[i:i + size] = flows.stock[:, -1]
    return ll.reshape(m, n_rep), last.reshape(m, n_rep)


# -- unconstrained scale for the Gaussian proposal --------------------------------------------
def _to_z(name, x):
    x = np.asarray(x, dtype=float)
    if name in RATES:
        x = np.clip(x, 1e-9, 1 - 1e-9)
        return np.log(x) - np.log1p(-x)
    return np.log(np.maximum(x, 1e-300))


def _from_z(name, z):
    return 1 / (1 + np.exp(-z)) if name in RATES else np.exp(z)


def _log_jacobian(name, x):
    """log |dz/dx| (density of x = density of z x |dz/dx|)."""
    x = np.asarray(x, dtype=float)
    if name in RATES:
        x = np.clip(x, 1e-9, 1 - 1e-9)
        return -np.log(x) - np.log1p(-x)
    return -np.log(np.maximum(x, 1e-300))


def _weighted_resample(rng, logw, n):
    w = np.exp(logw - logw.max())
    w /= w.sum()
    ess = 1.0 / np.sum(w**2)
    return rng.choice(w.size, size=n, p=w), ess


def _logmeanexp(a, axis):
    top = a.max(axis=axis, keepdims=True)
    return (top + np.log(np.mean(np.exp(a - top), axis=axis, keepdims=True))).squeeze(axis)


# -- public entry points -----------------------------------------------------------------------
def calibrate(spec: ScenarioSpec, *, observations=None, seed: int = 0, upto=None,
              n_draws: int = 4000, n_theta: int = 10_000, n_rep: int = 20,
              n_rounds: int = 3) -> Posterior:
    """Posterior draws for ``spec`` from its episode's counts up to ``upto`` (default as_of).

    ``observations`` (an :class:`Observations` or a ``border_stranding_counts`` frame)
    replaces the bundled dataset; the file's episode is selected from a frame.
    """
    upto = spec.as_of if upto is None else _date(upto)
    obs = _observations(spec, observations, upto)
    key = (_file_key(spec), upto, obs.key(), int(seed), n_draws, n_theta, n_rep, n_rounds,
           None if spec.history.reference is None else _file_key_path(spec.history.reference))
    if key not in _CACHE:
        _CACHE[key] = _calibrate(spec, obs, seed, upto, n_draws, n_theta, n_rep, n_rounds,
                                 observations)
    return _CACHE[key]


def _calibrate(spec, obs, seed, upto, n_draws, n_theta, n_rep, n_rounds, observations):
    root = np.random.SeedSequence([int(seed), 20230418])
    s_prior, s_sim1, s_prop, s_pick = root.spawn(4)
    priors = dict(spec.priors)
    if spec.history.reference is not None:
        ref_spec = load_spec(spec.history.reference)
        frame = None if isinstance(observations, obsmod.Observations) else observations
        ref = calibrate(ref_spec, observations=frame, seed=seed, upto=ref_spec.end,
                        n_draws=n_draws, n_theta=n_theta, n_rep=n_rep, n_rounds=n_rounds)
        shared = [k for k in ref_spec.priors if k != "pool"]
        missing = [k for k in REQUIRED if k not in priors and k not in shared]
        _require(spec, missing)
        rng = np.random.default_rng(s_prior)
        idx = rng.integers(len(ref), size=n_theta)
        theta = {k: ref.values[k][idx] for k in shared}
        for name, prior in priors.items():
            if name not in theta:
                theta[name] = prior.sample(rng, n_theta)
        ll, last = _path_loglik(theta, n_rep, spec, obs, upto, s_sim1)
        logw_theta = np.zeros(n_theta)
        method = (f"sequential importance resampling: prior of {', '.join(shared)} = draws "
                  f"of {ref_spec.path.name}; {n_theta} thetas x {n_rep} simulated paths")
        rounds = {"reference": ref}
    else:
        _require(spec, [k for k in REQUIRED if k not in priors])
        rng = np.random.default_rng(s_prior)
        theta = {k: p.sample(rng, n_theta) for k, p in priors.items()}
        ll, last = _path_loglik(theta, n_rep, spec, obs, upto, s_sim1)
        logw_theta = np.zeros(n_theta)
        history, pooled = [], []
        for seq in s_prop.spawn(n_rounds):
            theta, logw_theta, ll, last, ess_round = _adapt(
                priors, theta, logw_theta, ll, seq, spec, obs, upto, n_theta, n_rep)
            history.append(round(ess_round, 1))
            pooled.append((theta, logw_theta, ll, last))
        # every round is an unbiased importance sample of the same posterior: pool them all
        theta = {k: np.concatenate([r[0][k] for r in pooled]) for k in priors}
        logw_theta, ll, last = (np.concatenate([r[i] for r in pooled]) for i in (1, 2, 3))
        method = (f"adaptive importance sampling with simulated likelihood: {n_theta} prior "
                  f"draws, then {n_rounds} rounds of {n_theta} draws from 1/2 prior + 1/2 "
                  f"Gaussian fitted to the previous round (covariance x 2), rounds pooled; "
                  f"{n_rep} simulated paths per theta")
        rounds = {"ess_by_round": history}
    # pair weights: theta weight x path likelihood / sum over the theta's paths
    logw = logw_theta[:, None] + ll - np.log(n_rep)
    pick, ess = _weighted_resample(np.random.default_rng(s_pick), logw.ravel(), n_draws)
    rows, cols = np.divmod(pick, n_rep)
    full = _complete(theta, logw_theta.size)
    values = {k: np.asarray(v, dtype=float)[rows] for k, v in full.items()}
    return Posterior(values=values, stock0=last[rows, cols], as_of=upto,
                     start=spec.history.start, method=method, ess=float(ess), n_obs=len(obs),
                     diagnostics=rounds)


def _adapt(priors, theta, logw_theta, ll, seed_seq, spec, obs, upto, n_theta, n_rep):
    """One adaptive importance round: Gaussian fitted to the weighted draws, defensive mixture."""
    from scipy.stats import multivariate_normal

    s_fit, s_draw, s_sim = seed_seq.spawn(3)
    free = [k for k, p in priors.items() if p.dist != "fixed"]
    logw = logw_theta + _logmeanexp(ll, axis=1)
    pick, ess = _weighted_resample(np.random.default_rng(s_fit), logw, 4000)
    z = np.column_stack([_to_z(k, theta[k][pick]) for k in free])
    mu = z.mean(axis=0)
    cov = np.atleast_2d(np.cov(z, rowvar=False)) * 2.0 + np.eye(len(free)) * 1e-6
    rng = np.random.default_rng(s_draw)
    from_prior = rng.random(n_theta) < 0.5
    prior_draws = {k: p.sample(rng, n_theta) for k, p in priors.items()}
    zg = rng.multivariate_normal(mu, cov, size=n_theta)
    new = {k: np.where(from_prior, prior_draws[k], _from_z(k, zg[:, free.index(k)]))
           if k in free else prior_draws[k] for k in priors}
    logp = sum(priors[k].logpdf(new[k]) for k in free)
    zz = np.column_stack([_to_z(k, new[k]) for k in free])
    logg = multivariate_normal(mu, cov, allow_singular=True).logpdf(zz)
    logg = logg + sum(_log_jacobian(k, new[k]) for k in free)
    logq = np.logaddexp(np.log(0.5) + logp, np.log(0.5) + logg)
    new_logw = np.where(np.isfinite(logp), logp - logq, -np.inf)
    new_ll, last = _path_loglik(new, n_rep, spec, obs, upto, s_sim)
    return new, new_logw, new_ll, last, float(ess)


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
    if observations is None:
        obs = obsmod.load(spec.history.episode)
    elif isinstance(observations, obsmod.Observations):
        obs = observations
    else:
        obs = obsmod.from_frame(observations, spec.history.episode)
    return obs.between(spec.history.start + dt.timedelta(days=1), upto)


def _file_key(spec) -> str:
    return hashlib.sha256(repr(spec).encode()).hexdigest()


def _file_key_path(path) -> str:
    try:
        data = open(path, "rb").read()
    except OSError:
        data = str(path).encode()
    return hashlib.sha256(data).hexdigest()
