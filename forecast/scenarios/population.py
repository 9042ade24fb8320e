"""Behaviour shared across episodes: a hierarchical prior for a new episode's parameters.

Every episode (a scenario file with counts) has its own behaviour parameters (:data:`SHARED`:
hazard, arrival_size, dispersal, leak, deterrence, shock, clearance, clearance_share, drift,
noise, cut ...). They are drawn around shared means with a between-episode spread learned from the
episodes, instead of carrying one episode's posterior over as the next one's prior:

1. Each training episode is calibrated on all its counts, with its observed scenario's
   regimes and departures, starting from the weak priors :data:`VAGUE` for every shared
   parameter it does not set. On the unconstrained scale z (log for positive parameters,
   logit for rates) its posterior is summarised by a mean ``m_e`` and variance ``v_e``.
2. Per parameter, ``m_e ~ N(theta_e, v_e)``, ``theta_e ~ N(mu, tau^2)``, with a flat prior on
   ``mu`` and a half-normal prior of scale :data:`TAU_SCALE` on ``tau`` (normal-normal
   hierarchical model; Gelman et al., *Bayesian Data Analysis*, 3rd ed., section 5.4).
   ``mu`` is integrated out exactly and ``tau`` on a grid, so the predictive of a new
   episode's ``theta`` is a mixture of normals ``N(mu_hat(tau), V_mu(tau) + tau^2)`` over the
   grid, weighted by ``p(tau | m)``. With one training episode ``tau`` keeps its prior: the
   predictive is wide, which is honest.
3. :meth:`Population.prior` returns that predictive as a prior (``sample``, ``logpdf``) for
   the calibration of the episode at hand; the parameters are independent a priori (their
   posterior correlations within an episode are not carried over).

Without any training episode the prior is :data:`VAGUE` itself. Parameters are pooled one by
one; the file's own priors (the pool, ``intensity``) always win over the population.

Step 1 is the slow part (seconds per episode) and depends only on the episode's file, its
counts, the seed, the sampler's sizes and the engine's code. Its result for the bundled
episodes (seed 0, default sizes) ships in :data:`STORE` (``population_store.json``, written by
:func:`write_store`, ``nox -s population``), keyed by a hash of exactly those inputs
(:func:`episode_key`: the file's content wherever it lies, its counts, the seed, the sizes and
the source of the engine's modules :data:`ENGINE_MODULES`). :func:`learn` reads an episode's
summary from there when the key matches and calibrates it otherwise, so a changed file, count,
seed or engine is never answered from a stale entry; ``tests/test_population_store.py``
fails when the shipped entries no longer match the bundled episodes and code. The store also
records the Python, numpy and scipy versions it was computed with (:func:`computed_with`):
they are not in the key. A fresh calibration with other library builds or on another CPU
(other floating-point kernels) can differ by the sampler's Monte Carlo noise, as rounding
differences change which particles a resampling step keeps (seen between two machines with
the same numpy: up to 0.9 on the z scale for one parameter of the 2021 Belarus-Poland
episode, within its posterior spread), so the store is also what pins the shipped numbers.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from forecast.atomicwrite import write_atomic
from forecast.errors import ScenarioError
from forecast.scenarios.spec import RATES, Prior, ScenarioSpec
from forecast.scenarios.spec import load as load_spec

#: Weak priors of the shared parameters (what an episode is calibrated from on its own).
VAGUE = {
    "hazard": Prior("hazard", "loguniform", {"low": 1e-6, "high": 1e-2},
                    "weak prior: 0.1 to 10,000 arrivals a day from a pool of 100,000"),
    "arrival_size": Prior("arrival_size", "loguniform", {"low": 0.3, "high": 30.0},
                          "weak prior: from very bursty (groups, buses) to near-Poisson "
                          "arrivals"),
    "dispersal": Prior("dispersal", "uniform", {"low": 0.0, "high": 0.5},
                       "weak prior: daily share of stranded people who leave the border area"),
    "leak": Prior("leak", "uniform", {"low": 0.0, "high": 0.3},
                  "weak prior: daily share crossing through unofficial paths when closed"),
    "obs_noise": Prior("obs_noise", "uniform", {"low": 0.2, "high": 0.8},
                       "weak prior: log-scale error of a press count between ~20% and ~120%"),
    "deterred": Prior("deterred", "uniform", {"low": 0.0, "high": 1.0},
                      "weak prior: long-run share of arrivals a known closure deters"),
    "deterrence_days": Prior("deterrence_days", "loguniform", {"low": 1.0, "high": 60.0},
                             "weak prior: a closure becomes known within a day to two months"),
    "shock": Prior("shock", "uniform", {"low": 0.0, "high": 1.0},
                   "weak prior: share leaving at once when a declared change starts"),
    "clearance": Prior("clearance", "loguniform", {"low": 1e-3, "high": 0.3},
                       "weak prior: an undeclared clearance of the crowd once in 3 to 1,000 "
                       "days"),
    "clearance_share": Prior("clearance_share", "uniform", {"low": 0.0, "high": 1.0},
                             "weak prior: share leaving when the crowd is cleared"),
    "drift": Prior("drift", "loguniform", {"low": 0.01, "high": 0.3},
                   "weak prior: daily s.d. of the random walk of log arrival intensity"),
    "outlier": Prior("outlier", "uniform", {"low": 0.0, "high": 0.3},
                     "weak prior: up to three press counts in ten may be outliers (a rumour, "
                     "another group, an old figure)"),
    "cut": Prior("cut", "uniform", {"low": 0.0, "high": 1.0},
                 "weak prior: share of arrivals a cut on the near side (visas stopped, "
                 "checkpoints, a police line) stops while it lasts"),
}
SHARED = tuple(VAGUE)
#: Scale of the half-normal prior on the between-episode s.d. tau (z scale): a priori,
#: episodes differ by a factor of about e^1 ~ 2.7 in a positive parameter.
TAU_SCALE = 1.0
_TAU_GRID = np.linspace(0.0, 4.0 * TAU_SCALE, 161)[1:]
_CACHE: dict = {}


def to_z(name, x):
    x = np.asarray(x, dtype=float)
    if name in RATES:
        x = np.clip(x, 1e-9, 1 - 1e-9)
        return np.log(x) - np.log1p(-x)
    return np.log(np.maximum(x, 1e-300))


def from_z(name, z):
    z = np.asarray(z, dtype=float)
    return 1 / (1 + np.exp(-z)) if name in RATES else np.exp(z)


def log_jacobian(name, x):
    """log |dz/dx| (density of x = density of z x |dz/dx|)."""
    x = np.asarray(x, dtype=float)
    if name in RATES:
        x = np.clip(x, 1e-9, 1 - 1e-9)
        return -np.log(x) - np.log1p(-x)
    return -np.log(np.maximum(x, 1e-300))


@dataclass(frozen=True)
class PopulationPrior:
    """Predictive of a new episode's parameter: a mixture of normals on the z scale."""

    name: str
    means: np.ndarray     # component means (z scale)
    sds: np.ndarray       # component standard deviations
    weights: np.ndarray   # component weights (sum 1)
    note: str
    dist: str = "population"

    @property
    def params(self) -> dict:
        mean = float(np.sum(self.weights * self.means))
        var = float(np.sum(self.weights * (self.sds**2 + (self.means - mean) ** 2)))
        return {"z_mean": mean, "z_sd": float(np.sqrt(var))}

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        k = rng.choice(self.weights.size, size=n, p=self.weights)
        z = self.means[k] + self.sds[k] * rng.standard_normal(n)
        return from_z(self.name, z)

    def logpdf(self, x) -> np.ndarray:
        z = to_z(self.name, x)
        # components whose weight is below 1e-300 of the largest add nothing a double can hold
        keep = self.weights > self.weights.max() * 1e-300
        mu, sd, lw = self.means[keep], self.sds[keep], np.log(self.weights[keep])
        comp = (-0.5 * ((z[..., None] - mu) / sd) ** 2 - np.log(sd) - 0.5 * np.log(2 * np.pi)
                + lw)
        top = comp.max(axis=-1)
        return (top + np.log(np.exp(comp - top[..., None]).sum(axis=-1))
                + log_jacobian(self.name, x))

    def median(self) -> float:
        grid = np.linspace(self.means.min() - 6 * self.sds.max(),
                           self.means.max() + 6 * self.sds.max(), 4001)
        from scipy.stats import norm

        cdf = (self.weights * norm.cdf(grid[:, None], self.means, self.sds)).sum(axis=1)
        return float(from_z(self.name, np.interp(0.5, cdf, grid)))

    def describe(self) -> str:
        q = self.params
        lo, hi = from_z(self.name, q["z_mean"] - 1.645 * q["z_sd"]), from_z(
            self.name, q["z_mean"] + 1.645 * q["z_sd"])
        return f"population(median={self.median():.3g}, ~90% {lo:.3g}-{hi:.3g})"


def hierarchical(m, v, tau_scale: float = TAU_SCALE):
    """Predictive mixture (means, sds, weights) of a new group in a normal-normal model.

    ``m`` and ``v`` are the groups' estimates and their variances; flat prior on the mean,
    half-normal(``tau_scale``) on the between-group s.d., integrated on a grid.
    """
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    tau = _TAU_GRID * tau_scale / TAU_SCALE
    w = 1.0 / (v[None, :] + tau[:, None] ** 2)                 # (G, E)
    v_mu = 1.0 / w.sum(axis=1)
    mu_hat = (w * m[None, :]).sum(axis=1) * v_mu
    log_post = (-0.5 * tau**2 / tau_scale**2 + 0.5 * np.log(v_mu)
                + 0.5 * np.log(w).sum(axis=1)
                - 0.5 * (w * (m[None, :] - mu_hat[:, None]) ** 2).sum(axis=1))
    weights = np.exp(log_post - log_post.max())
    weights /= weights.sum()
    return mu_hat, np.sqrt(v_mu + tau**2), weights


@dataclass(frozen=True)
class Population:
    """The episodes learned from and, per shared parameter, each episode's posterior."""

    episodes: tuple           # episode codes
    files: tuple              # their scenario files
    estimates: dict           # name -> (m array (E,), v array (E,))

    def prior(self, name: str):
        if name not in VAGUE:
            raise KeyError(name)
        if not self.episodes:
            return VAGUE[name]
        m, v = self.estimates[name]
        means, sds, weights = hierarchical(m, v)
        note = (f"population of {len(self.episodes)} episode(s) ({', '.join(self.episodes)}):"
                f" hierarchical normal model, between-episode s.d. with half-normal({TAU_SCALE})"
                f" prior")
        return PopulationPrior(name, means, sds, weights, note)

    def priors(self, skip=()) -> dict:
        return {k: self.prior(k) for k in SHARED if k not in skip}

    def table(self):
        """Per parameter and episode: posterior median and 90% interval; and the prior."""
        import pandas as pd

        rows = []
        for name in SHARED:
            if self.episodes:
                m, v = self.estimates[name]
                for code, mi, vi in zip(self.episodes, m, v, strict=True):
                    sd = np.sqrt(vi)
                    rows.append(dict(parameter=name, episode=code,
                                     median=float(from_z(name, mi)),
                                     q05=float(from_z(name, mi - 1.645 * sd)),
                                     q95=float(from_z(name, mi + 1.645 * sd))))
            rows.append(dict(parameter=name, episode="(new episode)",
                             median=self.prior(name).median() if self.episodes else np.nan,
                             q05=np.nan, q95=np.nan, prior=self.prior(name).describe()))
        return pd.DataFrame(rows)


def learn(files, *, seed: int = 0, n_theta: int = 4000, n_rep: int = 12, n_draws: int = 4000,
          n_rounds: int = 3, store: bool = True) -> Population:
    """Calibrate every episode file on all its counts and pool them (see the module docstring).

    An episode whose :func:`episode_key` is in the shipped :data:`STORE` is read from there
    (``store=False`` calibrates every episode afresh).
    """
    specs = [f if isinstance(f, ScenarioSpec) else load_spec(f) for f in files]
    sizes = dict(n_theta=int(n_theta), n_rep=int(n_rep), n_draws=int(n_draws),
                 n_rounds=int(n_rounds))
    key = (tuple(_spec_key(s) for s in specs), int(seed), n_theta, n_rep, n_draws, n_rounds,
           bool(store))
    if key in _CACHE:
        return _CACHE[key]
    estimates = {k: ([], []) for k in SHARED}
    stored = _stored() if store else {}
    for spec in specs:
        entry = stored.get(episode_key(spec, seed, sizes))
        summary = entry["estimates"] if entry is not None else episode_summary(spec, seed, sizes)
        for name in SHARED:
            estimates[name][0].append(float(summary[name][0]))
            estimates[name][1].append(float(summary[name][1]))
    pop = Population(episodes=tuple(s.history.episode for s in specs),
                     files=tuple(str(s.path) for s in specs),
                     estimates={k: (np.array(a), np.array(b)) for k, (a, b) in
                                estimates.items()})
    _CACHE[key] = pop
    return pop


def _spec_key(spec) -> str:
    return hashlib.sha256(repr(spec).encode()).hexdigest()


def episode_summary(spec: ScenarioSpec, seed: int, sizes: dict) -> dict:
    """Step 1 for one episode: ``{name: (mean, variance)}`` of its posterior on the z scale."""
    from forecast.scenarios.calibrate import calibrate_episode

    post = calibrate_episode(spec, seed=seed, **sizes)
    out = {}
    for name in SHARED:
        z = to_z(name, post.values[name])
        out[name] = (float(z.mean()), float(max(z.var(), 1e-4)))
    return out


# -- the shipped store of episode summaries ---------------------------------------------------
#: Episode summaries of the bundled episodes (seed 0, default sizes), see :func:`write_store`.
STORE = Path(__file__).with_name("population_store.json")
#: Modules whose source determines an episode's summary (with the counts, file, seed, sizes).
ENGINE_MODULES = ("forecast.scenarios.calibrate", "forecast.scenarios.dates",
                  "forecast.scenarios.observations", "forecast.scenarios.population",
                  "forecast.scenarios.schedule", "forecast.scenarios.spec",
                  "forecast.scenarios.stockflow", "forecast.datasets.wording")
_PATH_RE = re.compile(r"(?:Posix|Windows)Path\('([^']*)'\)")


#: Calibration sizes of the shipped summaries and scores (:func:`learn`'s defaults).
DEFAULT_SIZES = dict(n_theta=4000, n_rep=12, n_draws=4000, n_rounds=3)


def source_hash(modules) -> str:
    """sha256 of the named modules' source files, each preceded by its name (line endings
    normalised, so a checkout and an installed wheel agree)."""
    import importlib.util

    h = hashlib.sha256()
    for name in modules:
        origin = importlib.util.find_spec(name).origin
        h.update(name.encode() + b"\0")
        h.update(Path(origin).read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return h.hexdigest()


def computed_with() -> dict:
    """Versions of Python, numpy and scipy a store was computed with: not part of its keys
    (the same code and data read the same store everywhere), but a fresh calibration with
    other versions may differ by Monte Carlo noise, and a reproducer needs to know."""
    import platform

    import scipy

    return {"python": platform.python_version(), "numpy": np.__version__,
            "scipy": scipy.__version__}


@functools.lru_cache(maxsize=1)
def engine_hash() -> str:
    """:func:`source_hash` of :data:`ENGINE_MODULES`."""
    return source_hash(ENGINE_MODULES)


def _content_repr(spec: ScenarioSpec) -> str:
    """The spec's repr with every path inside its folder written relative to it, so the same
    file gives the same key in a checkout and in an installed package."""
    folder = str(Path(spec.path).resolve().parent) if spec.path is not None else None

    def rel(match):
        p = match.group(1)
        if folder is not None:
            full = str(Path(p).resolve())
            if full.startswith(folder + os.sep):
                p = full[len(folder) + 1:].replace(os.sep, "/")
        return f"Path({p!r})"

    return _PATH_RE.sub(rel, repr(spec))


def all_observations_of(spec: ScenarioSpec, observations=None):
    """Every count of the file's episode (:func:`forecast.scenarios.calibrate.all_observations`)."""
    from forecast.scenarios.calibrate import all_observations

    return all_observations(spec, observations)


def episode_key(spec: ScenarioSpec, seed: int, sizes: dict) -> str:
    """Hash of everything an episode's summary depends on (see the module docstring)."""
    obs = all_observations_of(spec)
    payload = json.dumps([_content_repr(spec), repr(obs.key()), int(seed),
                          sorted((k, int(v)) for k, v in sizes.items()), engine_hash()])
    return hashlib.sha256(payload.encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def _stored() -> dict:
    if not STORE.is_file():
        return {}
    try:
        raw = json.loads(STORE.read_text(encoding="utf-8"))
        return {k: v for k, v in raw["entries"].items()
                if set(v["estimates"]) == set(SHARED)}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ScenarioError(f"{STORE}: not a population store ({exc}); regenerate it with "
                            f"`nox -s population`") from None


def store_entries(files=None, seed: int = 0, **sizes) -> dict:
    """Fresh summaries of ``files`` (default: the bundled episodes), keyed by episode_key."""
    sizes = {**DEFAULT_SIZES, **sizes}
    specs = [load_spec(f) for f in (files if files is not None else episode_files())]
    out = {}
    for spec in specs:
        summary = episode_summary(spec, seed, sizes)
        out[episode_key(spec, seed, sizes)] = {
            "episode": spec.history.episode, "file": Path(spec.path).name, "seed": int(seed),
            "sizes": sizes, "estimates": {k: list(v) for k, v in summary.items()}}
    return out


def write_store(path=None, files=None, seed: int = 0) -> Path:
    """Calibrate the bundled episodes and write their summaries to ``path`` (default
    :data:`STORE`) whole or not at all."""
    target = Path(path) if path is not None else STORE
    text = json.dumps({"engine": engine_hash(), "entries": store_entries(files, seed),
                       "computed_with": computed_with()}, indent=1, sort_keys=True) + "\n"
    write_atomic(target, text)
    _stored.cache_clear()
    _CACHE.clear()
    return target


def episode_files(directory=None) -> list:
    """Bundled scenario files, one per episode (the first file by name for each episode)."""
    from pathlib import Path

    from forecast.scenarios import SCENARIO_DIR

    folder = Path(directory) if directory is not None else SCENARIO_DIR
    seen, out = set(), []
    for path in sorted(folder.glob("*.toml")):
        spec = load_spec(path)
        if spec.history.episode not in seen:
            seen.add(spec.history.episode)
            out.append(path)
    return out


def default_files(spec: ScenarioSpec) -> list:
    """The file's ``history.population``, else every bundled episode other than the file's own
    whose counts all precede its as-of date (nothing published later informs it)."""
    if spec.history.population is not None:
        files = list(spec.history.population)
        for path in files:
            if load_spec(path).history.episode == spec.history.episode:
                raise ScenarioError(
                    f"{spec.path}: history.population: {path.name} is episode "
                    f"{spec.history.episode!r}, this file's own: its counts would inform the "
                    f"priors they are then fitted with; name files of other episodes")
        return files
    from forecast.scenarios.calibrate import all_observations

    out = []
    for path in episode_files():
        other = load_spec(path)
        if other.history.episode == spec.history.episode:
            continue
        obs = all_observations(other)
        if len(obs) and obs.dates.max() < np.datetime64(spec.as_of, "D"):
            out.append(path)
    return out
