"""Projections: the Monte Carlo over scenarios and the `Projection` result (tidy frames, plots).

`project(spec, n_paths, seed)` draws one calibrated parameter set per path (parameter
uncertainty reaches the bands), applies each scenario's prior overrides, regimes, events and
batch departures, and runs the kernel of :mod:`forecast.scenarios.stockflow`. Scenarios share
their random numbers (same parameter draws, same uniforms): differences between scenarios are
paired, path by path.

Needs follow the Sphere minimum standards: water 15 litres per person per day; covered living
space 3.5 m2 per person. Both are sized at the 90th percentile: water on the person-days
stranded over the window (and on the peak day), shelter on the peak number of people.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.errors import ForecastError, ScenarioError
from forecast.models.distribution import quantile_column
from forecast.outputset import output_set
from forecast.panel import check_count
from forecast.scenarios import memory
from forecast.scenarios import observations as obsmod
from forecast.scenarios.calibrate import STAGES, Posterior, all_observations, calibrate, check_seed
from forecast.scenarios.calibrate import simulate as _simulate
from forecast.scenarios.dates import as_date
from forecast.scenarios.population import Population
from forecast.scenarios.spec import ScenarioSpec
from forecast.scenarios.spec import load as load_spec

QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
THRESHOLDS = (100, 500, 1000)
WATER_LITRES_PER_PERSON_DAY = 15.0   # Sphere minimum
SHELTER_M2_PER_PERSON = 3.5          # Sphere minimum covered living space
SIZING_QUANTILE = 0.9
FLOWS = ("arrivals", "crossings", "batch", "dispersal")


def _stage_seed(root: np.random.SeedSequence, tag: int) -> np.random.SeedSequence:
    """A child seed sequence that is the same every time it is asked for (common numbers)."""
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, tag))


def _name_tag(name: str) -> int:
    """A stable integer for a parameter name (not Python's salted hash)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest(), "little")


def _stages(seq: np.random.SeedSequence) -> dict:
    return {k: np.random.default_rng(_stage_seed(seq, i)) for i, k in enumerate(STAGES)}


def project(spec, n_paths: int = 10_000, seed: int = 0, as_of=None, *, observations=None,
            pool=None, posterior: Posterior | None = None, population=None) -> Projection:
    """Simulate every scenario of ``spec`` (a ScenarioSpec or a path to a TOML file).

    Parameters
    ----------
    n_paths : paths per scenario
    seed : the one source of randomness (calibration and projection)
    as_of : optional new as-of date (counts up to it inform the starting stock)
    observations : a ``border_stranding_counts`` frame replacing the bundled dataset
    pool : optional sample of the pool (array, or a Forecast whose first step is used)
    posterior : precomputed calibration draws (skips calibration)
    population : the population prior of the shared parameters (default: learned on the
        bundled episodes that precede the as-of date, see ``population.default_files``)

    Bad arguments (a seed < 0, ``n_paths`` < 1, an as-of date leaving no day to project) and
    a projection that would not fit in memory (:mod:`forecast.scenarios.memory`) raise
    :class:`ScenarioError` before any calibration; so does a file without counts to calibrate
    on (see :func:`forecast.scenarios.calibrate.calibrate`).
    """
    if not isinstance(spec, ScenarioSpec):
        spec = load_spec(spec)
    if as_of is not None:
        spec = spec.with_as_of(as_of)
    n_paths = check_count("n_paths", n_paths, ScenarioError)
    seed = check_seed(seed)
    days = len(spec.dates)
    if days == 0:
        raise ScenarioError(f"{spec.path}: as_of {spec.as_of} is window.end: no day is left to "
                            f"project; choose an as-of date before {spec.end}")
    memory.check(memory.projection_bytes(n_paths, days, len(spec.scenarios)),
                 f"{spec.path}: projecting {n_paths:,d} paths x {days:,d} days x "
                 f"{len(spec.scenarios)} scenario(s)",
                 "lower n_paths (--paths) or end the window earlier (window.end)")
    if posterior is not None and not isinstance(posterior, Posterior):
        raise ScenarioError(f"posterior must be a Posterior (from forecast.scenarios.calibrate)"
                            f"; got {type(posterior).__name__}")
    if population is not None and not isinstance(population, Population):
        raise ScenarioError(f"population must be a Population (from "
                            f"forecast.scenarios.learn); got {type(population).__name__}")
    if posterior is None:
        posterior = calibrate(spec, observations=observations, seed=seed,
                              population=population)
    root = np.random.SeedSequence([int(seed), 2026])
    rng = np.random.default_rng(_stage_seed(root, 0))
    idx = rng.integers(len(posterior), size=n_paths)
    theta = posterior.take(idx)
    stock0 = posterior.stock0[idx]
    drift0 = None if posterior.drift0 is None else posterior.drift0[idx]
    if pool is not None:
        theta["pool"] = _pool_sample(pool, n_paths, np.random.default_rng(_stage_seed(root, 1)))
    dates = spec.dates
    flows, params, cache = {}, {}, {}
    for scenario in spec.scenarios:
        th = dict(theta)
        for name, prior in scenario.priors.items():
            # one stream per parameter: scenarios overriding the same parameter draw the
            # same numbers for it, whatever else they override (paths stay paired)
            over = np.random.default_rng(_stage_seed(_stage_seed(root, 2), _name_tag(name)))
            th[name] = prior.sample(over, n_paths)
        regimes = (*spec.history.regimes, *scenario.regimes)
        batches = (*spec.history.batches, *scenario.batches)
        events = (*spec.calendar, *scenario.calendar)
        flows[scenario.name], _ = _simulate(th, stock0, dates, regimes, batches, events,
                                            _stages(_stage_seed(root, 3)), cache=cache,
                                            origin=spec.history.start, drift0=drift0)
        params[scenario.name] = th
    try:
        obs = all_observations(spec, observations)
    except ForecastError:  # the dataset is optional for the summaries; charts show what there is
        obs = None
    return Projection(spec=spec, flows=flows, params=params, posterior=posterior,
                      observations=obs, seed=int(seed),
                      start_state={"stock0": stock0, "drift0": drift0, "base": theta})


def replay(path=None, n_paths: int = 2000, seed: int = 0, observations=None,
           population=None) -> Projection:
    """The 2023 replay: calibrate up to 30 April 2023, project 1-15 May 2023 under each
    scenario of the file (the status quo first; what happened is a scenario, not an input)."""
    from forecast.scenarios import REPLAY_SCENARIO

    return project(path or REPLAY_SCENARIO, n_paths=n_paths, seed=seed,
                   observations=observations, population=population)


def _pool_sample(pool, n, rng):
    paths = getattr(pool, "paths", pool)
    values = np.asarray(paths, dtype=float)
    values = values[:, 0] if values.ndim == 2 else values.ravel()
    if values.size == 0 or np.any(~np.isfinite(values)) or np.any(values < 0):
        raise ScenarioError("pool sample must hold finite, non-negative values")
    return rng.choice(values, size=n, replace=True)


@dataclass
class Projection:
    """Every path of every scenario, and the summaries planners need."""

    spec: ScenarioSpec
    flows: dict
    params: dict
    posterior: Posterior
    observations: obsmod.Observations | None
    seed: int
    start_state: dict = field(default_factory=dict)   # stock0, drift0 of every path
    # results computed once per projection (scores): the paths never change after project()
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    # -- shape ---------------------------------------------------------------------------------
    @property
    def scenarios(self) -> list[str]:
        return list(self.flows)

    @property
    def dates(self) -> pd.DatetimeIndex:
        """as_of, as_of + 1, ..., end (the stock has one column per date)."""
        return pd.date_range(self.spec.as_of, self.spec.end, freq="D", name="date")

    @property
    def n_paths(self) -> int:
        return next(iter(self.flows.values())).stock.shape[0]

    @property
    def calibrated(self) -> bool:
        """Whether counts informed the starting stock and parameters (False only for a file
        with ``history.uncalibrated = true``: the priors alone)."""
        return self.posterior.n_obs > 0

    def stock(self, scenario: str) -> np.ndarray:
        """Stranded people (n_paths, days) including the as-of day."""
        return self._flows(scenario).stock

    def _flows(self, scenario):
        if scenario not in self.flows:
            raise ScenarioError(f"no scenario {scenario!r}; valid: {', '.join(self.flows)}")
        return self.flows[scenario]

    def __repr__(self) -> str:
        return (f"Projection({self.spec.path.name}, as_of={self.spec.as_of}, end={self.spec.end},"
                f" scenarios={self.scenarios}, n_paths={self.n_paths})")

    # -- tidy frames ---------------------------------------------------------------------------
    def daily(self) -> pd.DataFrame:
        """Per scenario and day: mean, quantiles of stranded people, P(stock > 100/500/1000)."""
        frames = []
        for name in self.scenarios:
            s = self.stock(name)
            q = np.quantile(s, QUANTILES, axis=0)
            frame = pd.DataFrame({"scenario": name, "date": self.dates, "mean": s.mean(axis=0)})
            for level, row in zip(QUANTILES, q, strict=True):
                frame[quantile_column(level)] = row
            for k in THRESHOLDS:
                frame[f"p_over_{k}"] = (s > k).mean(axis=0)
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def peaks(self) -> pd.DataFrame:
        """Peak size (quantiles) and peak date (quantiles and most likely day) per scenario."""
        rows = []
        dates = self.dates
        for name in self.scenarios:
            s = self.stock(name)[:, 1:]
            size = s.max(axis=1)
            day = s.argmax(axis=1)
            row = {"scenario": name}
            for level, v in zip(QUANTILES, np.quantile(size, QUANTILES), strict=True):
                row[f"peak_{quantile_column(level)}"] = v
            for level in (0.1, 0.5, 0.9):
                row[f"peak_date_{quantile_column(level)}"] = dates[1:][int(np.quantile(day, level,
                                                                            method="lower"))]
            counts = np.bincount(day, minlength=s.shape[1])
            row["peak_date_mode"] = dates[1:][int(counts.argmax())]
            row["p_peak_on_last_day"] = float((day == s.shape[1] - 1).mean())
            rows.append(row)
        return pd.DataFrame(rows)

    def peak_dates(self) -> pd.DataFrame:
        """Probability that each day is the peak day, per scenario."""
        frames = []
        for name in self.scenarios:
            day = self.stock(name)[:, 1:].argmax(axis=1)
            p = np.bincount(day, minlength=len(self.dates) - 1) / day.size
            frames.append(pd.DataFrame({"scenario": name, "date": self.dates[1:],
                                        "p_peak": p}))
        return pd.concat(frames, ignore_index=True)

    def totals(self) -> pd.DataFrame:
        """Cumulative flows over the window: arrivals, crossings, batch departures, dispersal."""
        rows = []
        for name in self.scenarios:
            f = self._flows(name)
            for flow in FLOWS:
                total = getattr(f, flow).sum(axis=1)
                row = {"scenario": name, "flow": flow, "mean": total.mean()}
                for level, v in zip(QUANTILES, np.quantile(total, QUANTILES), strict=True):
                    row[quantile_column(level)] = v
                rows.append(row)
        return pd.DataFrame(rows)

    def needs(self) -> pd.DataFrame:
        """Person-days stranded, water (15 L/person/day) and shelter (3.5 m2/person) per scenario.

        Water over the window is 15 L x the 90th percentile of person-days; water on the
        peak day is 15 L x the 90th percentile of the peak; shelter is 3.5 m2 x the 90th
        percentile of the peak.
        """
        rows = []
        for name in self.scenarios:
            s = self.stock(name)[:, 1:]
            person_days = s.sum(axis=1)
            peak = s.max(axis=1)
            pd_q = np.quantile(person_days, [0.1, 0.5, 0.9])
            peak90 = np.quantile(peak, SIZING_QUANTILE)
            rows.append({
                "scenario": name,
                "person_days_q10": pd_q[0], "person_days_median": pd_q[1],
                "person_days_q90": pd_q[2],
                "water_litres_window_q90": WATER_LITRES_PER_PERSON_DAY * pd_q[2],
                "water_litres_peak_day_q90": WATER_LITRES_PER_PERSON_DAY * peak90,
                "shelter_m2_q90": SHELTER_M2_PER_PERSON * peak90,
                "people_at_peak_q90": peak90,
            })
        return pd.DataFrame(rows)

    def at(self, dates) -> pd.DataFrame:
        """Median and 80% band (q10-q90) of stranded people on given dates, per scenario."""
        want = pd.DatetimeIndex([as_date(d, "Projection.at") for d in dates])
        daily = self.daily()
        out = daily[daily["date"].isin(want)]
        missing = want.difference(pd.DatetimeIndex(out["date"].unique()))
        if len(missing):
            raise ScenarioError(
                f"dates {', '.join(str(d.date()) for d in missing)} are outside the projection "
                f"{self.dates[0].date()}..{self.dates[-1].date()}"
            )
        cols = ["scenario", "date", "q10", "q50", "q90", "p_over_500", "p_over_1000"]
        return out[cols].reset_index(drop=True)

    def trajectories(self, n: int = 5) -> pd.DataFrame:
        """A few single paths per scenario (the same path numbers in every scenario)."""
        frames = []
        for name in self.scenarios:
            s = self.stock(name)
            for p in range(min(n, s.shape[0])):
                frames.append(pd.DataFrame({"scenario": name, "path": p, "date": self.dates,
                                            "stranded": s[p]}))
        return pd.concat(frames, ignore_index=True)

    def scores(self) -> pd.DataFrame:
        """The first scenario's forecast of every later count in the window, scored.

        One row per report after the as-of date: the interval-censored log score of its
        range under the predictive distribution of the reported count (what it describes:
        stock, peak or average, times that report's observation error), the randomized PIT,
        the 50/80/90% coverage it implies and the predictive quantiles
        (:func:`forecast.metrics.censored_count_scores`). Nothing is learned here: for
        baselines and leave-one-episode-out scores use :func:`forecast.scenarios.evaluate`.
        """
        if "scores" not in self._memo:
            self._memo["scores"] = self._scores()
        return self._memo["scores"].copy()

    def _scores(self) -> pd.DataFrame:
        from forecast.metrics import censored_count_scores

        if self.observations is None:
            return pd.DataFrame()
        later = self.observations.after(self.spec.as_of).until(self.spec.end)
        if len(later) == 0:
            return pd.DataFrame()
        name = self.scenarios[0]
        m, s, w = obsmod.components(self.stock(name), later, self.spec.as_of,
                                    self.params[name]["obs_noise"],
                                    self.params[name].get("outlier"))
        u = np.random.default_rng(np.random.SeedSequence([self.seed, 7])).random(len(later))
        out = censored_count_scores(m, s, later.low, later.high, u, weights=w)
        frame = pd.DataFrame({"date": pd.to_datetime(later.dates), "low": later.low,
                              "high": later.high, "statement": later.statements,
                              "report": list(later.label)})
        for col, v in out.items():
            frame[col] = v
        return frame

    def attribution(self, threshold: int = 500, *, fork: bool | None = None) -> pd.DataFrame:
        """What each assumption adds: every scenario re-run with one assumption switched off.

        Assumptions: each calendar event (the file's and the scenario's), each prior the
        scenario overrides (back to the calibrated draws), the scenario's regimes (replaced by
        the first scenario's, the status quo) and its batch departures (removed). The re-runs
        use the same random numbers, so differences are paired path by path. Columns: the
        label, its ``kind`` (calendar, prior, regimes, batches) and ``item`` (the event or
        parameter name, the scenario whose regimes replace these), the median peak, the
        median stock on the last day and P(peak > threshold), with and without the
        assumption, and the differences (with minus without).

        Every second re-run is computed in a forked process where a second CPU is free
        (``fork``; :class:`forecast.background.Background`); the numbers are the same either
        way.
        """
        from forecast.background import Background

        spec = self.spec
        first = spec.scenarios[0]
        tasks = []  # (scenario, label, kind, item, change)
        for sc in spec.scenarios:
            events = (*spec.calendar, *sc.calendar)
            # (label, kind, item, change): kind and item let a report word the label itself
            variants = [(f"calendar: {e.name}", "calendar", e.name,
                         dict(events=tuple(x for x in events if x is not e))) for e in events]
            variants += [(f"scenario prior: {name}", "prior", name, dict(theta={
                name: self.start_state["base"][name]})) for name in sc.priors
                if name in self.start_state["base"]]
            if sc is not first and sc.regimes != first.regimes:
                variants.append((f"regimes (vs {first.name})", "regimes", first.name,
                                 dict(regimes=first.regimes)))
            if sc.batches:
                variants.append(("batch departures", "batches", "", dict(batches=())))
            tasks += [(sc, *v) for v in variants]
        with Background(self._rerun_summaries, tasks[1::2], threshold,
                        fork=fork if len(tasks) > 1 else False) as odd:
            even = self._rerun_summaries(tasks[0::2], threshold)
            alts = [None] * len(tasks)
            alts[0::2], alts[1::2] = even, odd.result()
        bases = {sc.name: self._summary(self.stock(sc.name), threshold)
                 for sc in spec.scenarios}
        rows = []
        for (sc, label, kind, item, _), alt in zip(tasks, alts, strict=True):
            base = bases[sc.name]
            row = {"scenario": sc.name, "assumption": label, "kind": kind, "item": item}
            for k in base:
                row[k] = base[k]
                row[f"{k}_without"] = alt[k]
                row[f"{k}_effect"] = base[k] - alt[k]
            rows.append(row)
        return pd.DataFrame(rows)

    def _rerun_summaries(self, tasks, threshold) -> list[dict]:
        return [self._summary(self._rerun(sc, **change), threshold)
                for sc, _, _, _, change in tasks]

    @staticmethod
    def _summary(stock, threshold) -> dict:
        peak = stock[:, 1:].max(axis=1)
        return {"peak_median": float(np.median(peak)),
                "end_median": float(np.median(stock[:, -1])),
                f"p_peak_over_{threshold}": float((peak > threshold).mean())}

    def _rerun(self, sc, events=None, theta=None, regimes=None, batches=None):
        """The scenario's stock again with some inputs replaced (same random numbers)."""
        spec = self.spec
        th = dict(self.params[sc.name])
        th.update(theta or {})
        root = np.random.SeedSequence([int(self.seed), 2026])
        flows, _ = _simulate(
            th, self.start_state["stock0"], spec.dates,
            (*spec.history.regimes, *(sc.regimes if regimes is None else regimes)),
            (*spec.history.batches, *(sc.batches if batches is None else batches)),
            (*spec.calendar, *sc.calendar) if events is None else events,
            _stages(_stage_seed(root, 3)), origin=spec.history.start,
            drift0=self.start_state["drift0"])
        return flows.stock

    def to_frames(self) -> dict:
        """Every table as a tidy DataFrame, keyed by a short name (the CSV file stem)."""
        return {
            "daily": self.daily(),
            "peaks": self.peaks(),
            "peak_dates": self.peak_dates(),
            "totals": self.totals(),
            "needs": self.needs(),
            "trajectories": self.trajectories(),
            "posterior": self.posterior.summary(),
            "attribution": self.attribution(),
            "assumptions": pd.DataFrame(self.spec.assumptions()),
        }

    def save(self, out_dir) -> list[Path]:
        """Write every tidy frame as CSV under ``out_dir``, as one set: an interrupted or
        failed save leaves the previous CSVs, all of them, never a mix
        (:func:`forecast.outputset.output_set`). Returns the paths written."""
        frames = self.to_frames()  # computed before anything is written
        with output_set(out_dir) as staged:
            for name, frame in frames.items():
                staged.write(f"{name}.csv", frame.to_csv(index=False, lineterminator="\n"))
        return staged.written

    # -- plots ---------------------------------------------------------------------------------
    def fan_chart(self, scenario: str, ax=None, n_trajectories: int = 5):
        """Median with 50%, 80% and 90% bands of stranded people, and a few single paths."""
        s = self.stock(scenario)
        ax = _axes(ax)
        x = self.dates
        q = np.quantile(s, [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95], axis=0)
        ax.fill_between(x, q[0], q[6], color="C0", alpha=0.15, lw=0, label="90% band")
        ax.fill_between(x, q[1], q[5], color="C0", alpha=0.25, lw=0, label="80% band")
        ax.fill_between(x, q[2], q[4], color="C0", alpha=0.35, lw=0, label="50% band")
        for p in range(min(n_trajectories, s.shape[0])):
            ax.plot(x, s[p], color="0.35", lw=0.6, alpha=0.7,
                    label="single paths" if p == 0 else None)
        ax.plot(x, q[3], color="C0", lw=2, label="median")
        self._mark_observations(ax)
        self._mark_calendar(ax)
        return _finish(ax, f"{scenario}: people stranded at the border")

    def comparison_chart(self, ax=None):
        """Median and 80% band of every scenario on one chart."""
        ax = _axes(ax)
        x = self.dates
        for i, name in enumerate(self.scenarios):
            q = np.quantile(self.stock(name), [0.1, 0.5, 0.9], axis=0)
            ax.fill_between(x, q[0], q[2], color=f"C{i}", alpha=0.15, lw=0)
            ax.plot(x, q[1], color=f"C{i}", lw=2, label=f"{name} (median, 80% band)")
        self._mark_calendar(ax)
        return _finish(ax, "People stranded at the border: scenarios compared")

    def replay_chart(self, ax=None):
        """First scenario's 90% band (stock and predictive press count) against the reports."""
        ax = _axes(ax)
        name = self.scenarios[0]
        s = self.stock(name)
        x = self.dates
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, 7]))
        pred = obsmod.predictive(s, self.params[name]["obs_noise"], rng,
                                 self.params[name].get("outlier"))
        qp = np.quantile(pred, [0.05, 0.95], axis=0)
        qs = np.quantile(s, [0.05, 0.5, 0.95], axis=0)
        ax.fill_between(x, qp[0], qp[1], color="C1", alpha=0.15, lw=0,
                        label="90% band of a press count")
        ax.fill_between(x, qs[0], qs[2], color="C0", alpha=0.3, lw=0,
                        label="90% band of people stranded")
        ax.plot(x, qs[1], color="C0", lw=2, label="median")
        self._mark_observations(ax, everything=True)
        for b in self.spec.scenario(name).batches:
            ax.axvline(pd.Timestamp(b.date), color="C3", ls=":", lw=1)
            ax.annotate(f"{b.kind}: {b.capacity}", (pd.Timestamp(b.date), ax.get_ylim()[1]),
                        xytext=(3, -12), textcoords="offset points", fontsize="small",
                        color="C3")
        return _finish(ax, f"Replay: calibrated up to {self.spec.as_of:%d %b %Y}, "
                           f"projected to {self.spec.end:%d %b %Y}")

    def _mark_observations(self, ax, everything: bool = False):
        if self.observations is None or len(self.observations) == 0:
            return
        first = self.posterior.start if everything else self.spec.as_of
        obs = self.observations.between(first, self.spec.end)
        if len(obs) == 0:
            return
        d = pd.to_datetime(obs.dates)
        top = np.where(np.isinf(obs.high), obs.low * 1.5, obs.high)
        mid = (obs.low + top) / 2
        ax.errorbar(d, mid, yerr=[mid - obs.low, top - mid], fmt="o", color="black", ms=3,
                    capsize=3, lw=1, label="press reports (range)")

    def _mark_calendar(self, ax):
        """Dashed lines at the calendar's dated events (step starts, countdown deadlines)."""
        for e in self.spec.calendar:
            day = e.deadline if e.kind == "countdown" else e.start
            if self.spec.as_of <= day <= self.spec.end:
                ax.axvline(pd.Timestamp(day), color="0.5", ls="--", lw=0.8)
                ax.annotate(e.name, (pd.Timestamp(day), 1.0), xycoords=("data", "axes fraction"),
                            xytext=(2, -4), textcoords="offset points", fontsize="x-small",
                            rotation=90, va="top", ha="left", color="0.3")


def _axes(ax):
    """The caller's axes, or new ones of the size every chart of a projection has."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8, 4.5))
    return ax


def _finish(ax, title):
    """Title, date axis, people-stranded scale and legend shared by every projection chart."""
    import matplotlib.dates as mdates

    ax.set_title(title)
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("date")
    ax.set_ylabel("people stranded (persons)")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    return ax
