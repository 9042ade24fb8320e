"""Calibration: posterior draws of the stock-flow parameters from interval-censored press counts.

Method: adaptive importance sampling with a simulated likelihood (sampling-importance-
resampling over pairs of parameters and simulated paths).

1. Model. :func:`simulate` steps the stock from ``history.start`` (stock 0) with
   :func:`forecast.scenarios.stockflow.step_stock`. Daily arrivals are negative-binomial (size
   ``arrival_size``: smaller is burstier) around ``pool x hazard x intensity x intent(t) x
   deterrence(t) x (1 - cut on days of a regime marked inflow_cut) x exp(w_t)``: ``intent``
   is the calendar's multipliers; ``deterrence = 1 -
   deterred x (1 - exp(-age / deterrence_days))`` on closed and documents-only days, where
   ``age`` counts the days since the closure began, and counts as infinite from a declared
   change on (a regime marked ``shock``: the closure is then fully known); 1 on open and
   corridor days (a reopening draws people back); ``w`` is a random walk with daily steps ``N(0,
   drift^2)`` that lets new counts move the intensity. A crowd can shrink at once, on top of
   the daily ``dispersal``, in two ways with their own shares: on the first day of a regime
   marked ``shock`` (a declared change: an emergency, troops) the share ``shock`` leave; when
   the crowd is cleared (police, buses, a camp closed), on the first day of a regime marked
   ``cleared`` or, with daily probability ``clearance``, on any day (a clearance nobody
   announced), the share ``clearance_share`` leave. A declaration moves part of a crowd; a
   clearance moves most of it, and pooling the two in one share (as before) let neither be
   learned: the shares of the 2019 and 2021 clearances (0.92, 0.95) and of the 2023 and 2025
   declarations (0.47, 0.34; each episode's posterior mean on the logit scale, mapped back)
   are far apart.
2. Likelihood. For a parameter vector theta, a bootstrap particle filter with R particles
   (:func:`_path_loglik`): simulated to each count date, weighted by that date's reports
   (:func:`forecast.scenarios.observations.loglik`) and resampled; the product over dates
   of the mean weights is an unbiased estimate of the likelihood (pseudo-marginal).
3. Priors. The file's own priors (the pool, ...) and, for every shared behaviour parameter it
   does not set, the population prior learned on other episodes
   (:mod:`forecast.scenarios.population`).
4. Proposals. Round 1 draws M thetas from the prior; each later round fits a Gaussian to the
   previous round's draws weighted by ``prior / q x L^beta`` on an unconstrained scale (log
   for positive parameters, logit for rates), widens it (covariance x 2) and draws M thetas
   from the defensive mixture q = 1/2 prior + 1/2 Gaussian. The tempering exponent beta
   rises from 0 as fast as a conditional ESS of :data:`TEMPER_ESS` allows (Zhou, Johansen
   and Aston 2016), so the proposals approach a sharp posterior gradually. Every round's
   draws carry the weights ``prior(theta) / q(theta) x L(theta)`` and the rounds are pooled.
   Rounds stop once the exponent reaches 1 (at least ``n_rounds``, at most ``n_rounds +
   EXTRA_ROUNDS``); if it has not, the draws come from the power posterior at the exponent
   reached (``diagnostics["likelihood_power"]``), as if each report counted that much.
5. Draws. Thetas are resampled with probability proportional to their weight, each with one
   of its particles; a draw keeps that particle's stock and random-walk state at the as-of
   date, so a projection starts where its parameters and the counts seen so far put it (a
   particle approximation of the filtering distribution).

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
from forecast.panel import check_count
from forecast.scenarios import memory, schedule
from forecast.scenarios import observations as obsmod
from forecast.scenarios.dates import as_date
from forecast.scenarios.population import from_z, log_jacobian, to_z
from forecast.scenarios.spec import PARAMETERS, ScenarioSpec
from forecast.scenarios.stockflow import (
    crossing_rates,
    draw_arrivals,
    standard_gammas,
    step_stock,
    uniforms,
)

#: Values of parameters a file may omit.
DEFAULTS = {"intensity": 1.0, "open_rate": 0.9, "documents_share": 0.0}
CHUNK = 50_000
#: Adaptive rounds may go on this many rounds past n_rounds while the tempering exponent < 1.
EXTRA_ROUNDS = 3
#: Conditional ESS (share of the draws) each tempering step keeps when fitting a proposal.
TEMPER_ESS = 0.5
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


STAGES = ("intent", "arrivals", "cross", "disperse", "drift", "clearance", "poisson")
#: The random walk of log intensity is held within +-10 (a factor of 22,000 either way).
WALK_BOUND = 10.0


def simulate(theta: dict, stock0, dates, regimes, batches, events, rngs: dict, cache=None,
             origin=None, drift0=None, intent=None):
    """Flows for parameters ``theta`` (arrays of length P) over ``dates`` (days after stock0).

    ``rngs`` holds one Generator per stage (:data:`STAGES`). ``origin`` is the day the
    timeline starts (the history's start; default the day before ``dates``): the deterrence
    of a closure counts from the closure's first day on that timeline. ``drift0`` (P,) is the
    random walk's state on the day before ``dates`` (0 by default). ``cache`` (a dict shared by
    scenarios drawn with the same Generators) reuses what does not depend on the scenario's
    regime: calendar factors, gamma variates of arrivals, the random walk and the clearance
    days (each from its own stream, so a cached draw is the very draw a fresh call would
    make), and the arrivals themselves when the means are identical. ``intent`` (P, T)
    replaces the calendar's multipliers drawn from ``events`` (the particle filter draws them
    once for the whole window). Returns ``(flows, drift)`` with the random walk's state on the
    last day.
    """
    n = np.asarray(stock0).size
    t_len = len(dates)
    if origin is None:
        origin = as_date(dates[0], "simulate dates") - dt.timedelta(days=1)
    codes, capacity = schedule.regimes(regimes, dates)
    seats = schedule.batches(batches, dates)
    if intent is None:
        intent = schedule.intent(events, dates, rngs["intent"], n, cache=cache)
    age = schedule.closed_age(regimes, dates, origin).astype(float)
    th = theta
    scale = np.maximum(th["deterrence_days"], 1e-6)[:, None]
    deter = np.where(age[None, :] >= 0,
                     1.0 - th["deterred"][:, None] * -np.expm1(-np.maximum(age, 0) / scale),
                     1.0)
    def shared(tag, parts, make):
        if cache is None:
            return make()
        key = hashlib.sha1(tag.encode() + b"".join(np.ascontiguousarray(p).tobytes()
                                                   for p in parts)).digest()
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def make_walk():
        steps = rngs["drift"].standard_normal((t_len, n)).T * th["drift"][:, None]
        w = np.cumsum(steps, axis=1)
        if drift0 is not None:
            w += np.asarray(drift0, dtype=float)[:, None]
        return w, np.exp(np.clip(w, -WALK_BOUND, WALK_BOUND))

    start = np.array([t_len, n, as_date(dates[0], "simulate dates").toordinal() if t_len else 0])
    walk, growth = shared("walk", [start, th["drift"], np.zeros(0) if drift0 is None
                                   else drift0], make_walk)
    base = th["pool"] * th["hazard"] * th["intensity"]
    mean = base[:, None] * intent * deter * growth
    cut = schedule.spans(regimes, dates, "inflow_cut")
    if cut.any():   # the near side stops the share `cut` of arrivals while it lasts
        mean[:, cut] *= 1.0 - th["cut"][:, None]   # `mean` is this call's own array
    gamma = shared("gamma", [start, th["arrival_size"]],
                   lambda: standard_gammas(rngs["arrivals"], th["arrival_size"], t_len))
    arrivals = shared("arrivals", [mean, th["arrival_size"]],
                      lambda: draw_arrivals(rngs["arrivals"], mean, th["arrival_size"],
                                            poisson_rng=rngs["poisson"], gamma=gamma))
    rate = crossing_rates(codes, th["leak"], th["open_rate"], th["documents_share"])
    # a declared change (regime marked shock) moves the share `shock` at once; a clearance
    # (regime marked cleared or, on any day with probability `clearance`, an undeclared one:
    # police, organised transport) moves the share `clearance_share`
    chance = shared("clearance", [start], lambda: rngs["clearance"].random((t_len, n)).T)
    cleared = (schedule.shocks(regimes, dates, "cleared")[None, :]
               | (chance < th["clearance"][:, None]))
    keep = 1.0 - np.where(cleared, th["clearance_share"][:, None], 0.0)
    declared = schedule.shocks(regimes, dates)
    if declared.any():   # few days: scaled in place, no second (P, T) array
        keep[:, declared] *= 1.0 - th["shock"][:, None]
    dispersal = 1.0 - (1.0 - th["dispersal"][:, None]) * keep
    u_cross = uniforms(rngs["cross"], n, t_len)
    u_disp = uniforms(rngs["disperse"], n, t_len)
    flows = step_stock(stock0, arrivals, rate, capacity, seats, dispersal, u_cross, u_disp)
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
    """Particle-filter log-likelihood of every theta, and its particles' stock and walk at upto.

    A bootstrap particle filter with ``n_rep`` particles per theta: simulate to the next
    count date, weight each particle by the log-likelihood of that date's reports (whatever
    they describe: stock, peak or average over past days, so each particle keeps its
    history), add the log mean weight to its theta's log-likelihood (an unbiased estimate of
    the likelihood, as in particle marginal Metropolis-Hastings), and resample the theta's
    particles (systematic resampling). Calendar multipliers are drawn once per path and
    travel with their particle. Returns ``(ll, last, walk)`` of shape (M, R): every entry of
    row ``m`` of ``ll`` is theta m's estimate (its particles are equally weighted).
    """
    m = next(iter(theta.values())).size
    regimes, batches, events = baseline_items(spec)
    start = spec.history.start
    dates = pd.date_range(start + dt.timedelta(days=1), upto, freq="D")
    stops = np.unique(obs.offsets(start))        # day index (1 = the day after start)
    stops = np.unique(np.append(stops[(stops >= 1) & (stops <= len(dates))], len(dates)))
    full = _complete(theta, m)
    ll = np.zeros(m)
    last = np.empty(m * n_rep, dtype=np.int64)
    walk = np.empty(m * n_rep)
    per_chunk = max(1, CHUNK // n_rep)
    chunks = range(0, m, per_chunk)
    for i, seq in zip(chunks, seed_seq.spawn(len(chunks)), strict=True):
        part = {k: np.repeat(v[i:i + per_chunk], n_rep) for k, v in full.items()}
        size = part["pool"].size
        rngs = _stages(seq)
        pick = np.random.default_rng(seq.spawn(1)[0])
        intent = schedule.intent(events, dates, rngs["intent"], size)
        history = np.zeros((size, len(dates) + 1), dtype=np.int64)
        s, w, line = np.zeros(size, dtype=np.int64), np.zeros(size), np.arange(size)
        t0 = 0
        for t1 in stops:
            if t1 > t0:
                flows, w = simulate(part, s, dates[t0:t1], regimes, batches, events, rngs,
                                    origin=start, drift0=w, intent=intent[line, t0:t1])
                history[:, t0 + 1:t1 + 1] = flows.stock[:, 1:]
                s = flows.stock[:, -1]
            today = obs.between(dates[t1 - 1], dates[t1 - 1]) if t1 >= 1 else obs._take([])
            if len(today):
                values = obsmod.statistic(history[:, :t1 + 1], today, start)
                inc = obsmod.loglik(values, today, part["obs_noise"],
                                    part.get("outlier")).reshape(-1, n_rep)
                ll[i:i + per_chunk] += _logmeanexp(inc, axis=1)
                idx = _systematic(inc, pick)
                history, s, w, line = history[idx], s[idx], w[idx], line[idx]
            t0 = t1
        last[i * n_rep:i * n_rep + size] = s
        walk[i * n_rep:i * n_rep + size] = w
    return (np.repeat(ll[:, None], n_rep, axis=1), last.reshape(m, n_rep),
            walk.reshape(m, n_rep))


def _systematic(logw, rng) -> np.ndarray:
    """Systematic resampling within each row of ``logw`` (G, R); flat indices into G x R."""
    g, r = logw.shape
    w = np.exp(logw - logw.max(axis=1, keepdims=True))
    c = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
    u = (rng.random((g, 1)) + np.arange(r)[None, :]) / r
    idx = np.minimum((c[:, None, :] < u[:, :, None]).sum(axis=2), r - 1)
    return (idx + np.arange(g)[:, None] * r).ravel()


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
              population=None, n_draws: int = 4000, n_theta: int = 4000, n_rep: int = 12,
              n_rounds: int = 3) -> Posterior:
    """Posterior draws for ``spec`` from its episode's counts up to ``upto`` (default as_of).

    ``observations`` (an :class:`Observations` or a ``border_stranding_counts`` frame)
    replaces the bundled dataset; the file's episode is selected from a frame.
    ``population`` (:class:`forecast.scenarios.population.Population`) gives the priors of the
    shared parameters; by default it is learned on :func:`population.default_files`.

    No count between ``history.start`` and ``upto`` (an episode name that matches no counts,
    an as-of date before the first count, every side excluded) is an error naming the key to
    fix (:func:`no_counts`), raised before anything is learned: a calibration on nothing would
    silently be the priors. A file with ``history.uncalibrated = true`` asks for exactly that
    and gets the prior draws, with ``n_obs == 0``. A particle filter that would not fit in
    memory is refused first too (:mod:`forecast.scenarios.memory`).
    """
    upto = spec.as_of if upto is None else as_date(upto, f"{spec.path}: calibrate upto")
    n_draws, n_theta, n_rep, n_rounds = (
        check_count(name, value, ScenarioError) for name, value in
        (("n_draws", n_draws), ("n_theta", n_theta), ("n_rep", n_rep), ("n_rounds", n_rounds)))
    seed = check_seed(seed)
    if upto < spec.history.start:
        raise ScenarioError(f"{spec.path}: calibration date {upto} is before history.start "
                            f"{spec.history.start}")
    obs = _observations(spec, observations, upto)
    if spec.history.uncalibrated:
        obs = obs._take([])     # asked for explicitly: the priors alone
    elif len(obs) == 0:
        raise no_counts(spec, observations, upto)
    _check_memory(spec, upto, n_theta, n_rep)
    _require(spec, [] if "pool" in spec.priors else ["pool"])   # before minutes of learning
    priors = priors_for(spec, population)
    key = (_file_key(spec), upto, obs.key(), int(seed), n_draws, n_theta, n_rep, n_rounds,
           tuple(sorted((k, _prior_key(p)) for k, p in priors.items())))
    if key not in _CACHE:
        _CACHE[key] = _calibrate(spec, priors, obs, seed, upto, n_draws, n_theta, n_rep,
                                 n_rounds)
    return _CACHE[key]


def calibrate_episode(spec: ScenarioSpec, *, observations=None, seed: int = 0,
                      n_draws: int = 4000, n_theta: int = 4000, n_rep: int = 12,
                      n_rounds: int = 3) -> Posterior:
    """Posterior of one whole episode from weak priors: every count, the observed scenario's
    regimes and departures (what a population of episodes is learned from)."""
    from forecast.scenarios.population import Population

    if spec.history.uncalibrated:
        raise ScenarioError(f"{spec.path}: history.uncalibrated is true: an uncalibrated file "
                            "has no counts to teach the population of episodes; leave it out "
                            "of history.population")
    obs = all_observations(spec, observations)
    if len(obs) == 0:
        raise ScenarioError(f"{spec.path}: episode {spec.history.episode!r} has no counts to "
                            f"learn from")
    last = min(as_date(obs.dates.max(), f"{spec.path}: counts"), spec.end)
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
    beta, betas = 0.0, []
    if len(obs):
        for k, seq in enumerate(s_prop.spawn(n_rounds + EXTRA_ROUNDS)):
            beta = _next_beta(logw_theta, _logmeanexp(ll, axis=1), beta)
            theta, logw_theta, ll, last, walk, ess_round = _adapt(
                priors, theta, logw_theta, ll, seq, spec, obs, upto, n_theta, n_rep, beta)
            history.append(round(ess_round, 1))
            betas.append(round(beta, 4))
            pooled.append((theta, logw_theta, ll, last, walk))
            if k + 1 >= n_rounds and beta >= 1.0:
                break
    # every round is an unbiased importance sample of the same posterior: pool them all
    theta = {k: np.concatenate([r[0][k] for r in pooled]) for k in priors}
    logw_theta, ll, last, walk = (np.concatenate([r[i] for r in pooled]) for i in (1, 2, 3, 4))
    method = (f"adaptive importance sampling with a particle-filter likelihood: {n_theta} "
              f"prior draws, then {len(history)} rounds of {n_theta} draws from 1/2 prior + "
              f"1/2 Gaussian fitted to the previous round's tempered weights (covariance x 2),"
              f" rounds pooled; {n_rep} particles per theta")
    # pair weights: theta weight x likelihood (to the power reached by tempering: 1 unless
    # the rounds ran out first, then a power posterior, wider than the posterior)
    final = beta if len(obs) else 1.0
    logw = logw_theta[:, None] + final * ll - np.log(n_rep)
    pick, ess = _weighted_resample(np.random.default_rng(s_pick), logw.ravel(), n_draws)
    rows, cols = np.divmod(pick, n_rep)
    full = _complete(theta, logw_theta.size)
    values = {k: np.asarray(v, dtype=float)[rows] for k, v in full.items()}
    return Posterior(values=values, stock0=last[rows, cols], as_of=upto,
                     start=spec.history.start, method=method, ess=float(ess), n_obs=len(obs),
                     diagnostics={"ess_by_round": history, "tempering": betas,
                                  "likelihood_power": float(final)}, drift0=walk[rows, cols])


def _next_beta(logw_theta, loglik, beta, target: float = TEMPER_ESS) -> float:
    """The largest tempering exponent in [beta, 1] whose step keeps the conditional ESS.

    With ``W`` the draws' weights at the current exponent and ``v = L^(b - beta)`` the
    incremental weights, the conditional ESS ``(sum W v)^2 / sum W v^2`` (as a share of the
    draws; Zhou, Johansen and Aston 2016) must stay >= ``target``.
    """
    lw = logw_theta + beta * loglik
    ok = np.isfinite(lw) & np.isfinite(loglik)
    if not ok.any():
        return 1.0
    lw, ll = lw[ok], loglik[ok]
    w = np.exp(lw - lw.max())
    w /= w.sum()

    def cess(b):
        inc = (b - beta) * ll
        v = np.exp(inc - inc.max())
        return (w @ v) ** 2 / (w @ v**2)

    if cess(1.0) >= target:
        return 1.0
    lo, hi = beta, 1.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if cess(mid) >= target else (lo, mid)
    return lo


def _adapt(priors, theta, logw_theta, ll, seed_seq, spec, obs, upto, n_theta, n_rep,
           beta=1.0):
    """One adaptive importance round: a Gaussian fitted to the draws weighted by the
    likelihood to the power ``beta`` (tempering), in a defensive mixture with the prior."""
    from scipy.stats import multivariate_normal

    s_fit, s_draw, s_sim = seed_seq.spawn(3)
    free = [k for k, p in priors.items() if p.dist != "fixed"]
    logw = logw_theta + beta * _logmeanexp(ll, axis=1)
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


def _prior_key(prior) -> str:
    """The exact content of a prior (a population prior by its mixture arrays)."""
    if hasattr(prior, "means"):
        parts = (prior.means, prior.sds, prior.weights)
        return prior.name + hashlib.sha256(b"".join(np.asarray(a, dtype=float).tobytes()
                                                    for a in parts)).hexdigest()
    return repr((prior.name, prior.dist, sorted(prior.params.items())))


def _require(spec, missing):
    if missing:
        raise ScenarioError(
            f"{spec.path}: priors: missing {', '.join(missing)} (needed to simulate; "
            f"valid keys: {', '.join(PARAMETERS)})"
        )


def check_seed(seed) -> int:
    """The seed of a scenario run: an integer >= 0 (numpy's SeedSequence refuses others)."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise ScenarioError(f"seed must be a non-negative integer; got {seed!r}")
    return int(seed)


def _check_memory(spec, upto, n_theta, n_rep):
    """Refuse a calibration whose particle filter would not fit in memory (before it runs)."""
    particles = min(n_theta, max(1, CHUNK // n_rep)) * n_rep
    days = (upto - spec.history.start).days
    memory.check(memory.calibration_bytes(particles, days),
                 f"{spec.path}: calibrating {particles:,d} particles over the {days:,d} days "
                 f"from history.start {spec.history.start} to {upto}",
                 "start the history later (history.start: the border is taken as empty "
                 "that day)")


def no_counts(spec, observations, upto) -> ScenarioError:
    """The error of a calibration (or a scoring) that would see no count up to ``upto``: which
    key to fix, and how."""
    every = all_observations(spec, observations)
    episode = spec.history.episode
    priors_alone = "or set history.uncalibrated = true to project from the priors alone"
    if len(every) == 0:
        if spec.history.counts is not None:
            return ScenarioError(f"{spec.path}: history.counts: {spec.history.counts.name} "
                                 f"holds no counts; add dated counts, {priors_alone}")
        if spec.history.exclude_sides and len(_unfiltered(spec, observations)):
            return ScenarioError(
                f"{spec.path}: history.exclude_sides {list(spec.history.exclude_sides)} "
                f"leaves no count of episode {episode!r}; exclude fewer sides, {priors_alone}")
        known = obsmod.episodes() if observations is None else []
        valid = f" (episodes with counts: {', '.join(known)})" if known else ""
        where = obsmod.DATASET if observations is None else "the given observations"
        return ScenarioError(
            f"{spec.path}: history.episode: {episode!r} has no counts in {where}{valid}; "
            f"name an episode with counts, give a counts file in history.counts, "
            f"{priors_alone}")
    first, last = (as_date(d, "counts") for d in (every.dates.min(), every.dates.max()))
    if upto < first:
        return ScenarioError(
            f"{spec.path}: as_of {upto} is before the first count of episode {episode!r} "
            f"({first}): there is nothing to calibrate on; choose an as-of date (window.as_of,"
            f" --as-of) from {first} on, {priors_alone}")
    return ScenarioError(
        f"{spec.path}: no count of episode {episode!r} between history.start "
        f"{spec.history.start} (excluded) and as_of {upto}; its counts run from {first} to "
        f"{last}: move history.start before {first}, {priors_alone}")


def _unfiltered(spec, observations):
    from dataclasses import replace

    return all_observations(replace(spec, history=replace(spec.history, exclude_sides=())),
                            observations)


def _observations(spec, observations, upto):
    first = spec.history.start + dt.timedelta(days=1)
    return all_observations(spec, observations).between(first, upto)


def all_observations(spec: ScenarioSpec, observations=None) -> obsmod.Observations:
    """Every count of the file's episode: the bundled dataset, a frame or Observations."""
    if isinstance(observations, obsmod.Observations):
        return observations
    if observations is not None and not isinstance(observations, pd.DataFrame):
        raise ScenarioError(f"observations must be a {obsmod.DATASET} DataFrame or "
                            f"Observations; got {type(observations).__name__}")
    exclude = spec.history.exclude_sides
    if observations is None and spec.history.counts is not None:
        from forecast.datasets import read_counts

        frame = read_counts(spec.history.counts, episode=spec.history.episode)
        return obsmod.from_frame(frame, exclude_sides=exclude, source=str(spec.history.counts))
    if observations is None:
        return obsmod.load(spec.history.episode, exclude_sides=exclude)
    return obsmod.from_frame(observations, spec.history.episode, exclude_sides=exclude)


def _file_key(spec) -> str:
    """Hash of what a calibration reads of the file: its history, its calendar and its first
    scenario's regimes, departures and events (:func:`baseline_items`); the priors, counts and
    dates are keyed separately. Two files that differ only in later scenarios (a file and its
    first scenario alone, as the evaluation scores it) share one calibration."""
    first = spec.scenarios[0]
    return hashlib.sha256(repr((spec.history, spec.calendar, first.regimes, first.batches,
                                first.calendar)).encode()).hexdigest()


