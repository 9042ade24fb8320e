"""Scenario files (TOML): loading, validation and the typed specification they become.

A scenario file describes one projection window, what is known before it (the history used
to calibrate), the priors of the stock-flow model, a calendar of events that move departure
intent, and a list of alternative scenarios. Every number carries a ``source`` or
``rationale`` string, printed by the report as its Assumptions page.

File format (all dates are TOML dates ``YYYY-MM-DD``)::

    [window]
    as_of = 2025-11-28            # first projected day is as_of + 1; the stock at as_of comes
    end   = 2026-03-11            # from calibration on the observations up to as_of
    title = "..."                 # optional

    [history]                     # what happened before as_of (shared by all scenarios)
    start = 2025-11-20            # stock assumed 0 on this day
    episode = "2025-11"           # episode of forecast.datasets "border_stranding_counts"
    counts = "my-counts.csv"      # or: a counts file of your own, next to this one (columns
                                  # date, low, high; optional point, count_words, statement,
                                  # window_days, side, reliability, source_title, source_url,
                                  # source_date, quote, note); then `episode` is optional
    exclude_sides = ["PE"]        # optional: values of the counts' `side` column left out
    observed = "as-happened"      # optional: the scenario that describes what happened
                                  # (default: the first); used to learn from this episode and
                                  # to fill the days between as_of and a later as-of date
    population = ["replay-2023.toml"]   # optional: episode files the shared behaviour
                                  # parameters are learned on (default: every bundled episode
                                  # whose counts all precede as_of); see population.py
    uncalibrated = true           # optional (default false): project from the priors alone,
                                  # using no counts (a border with none yet). Without it, a
                                  # file whose episode has no counts up to as_of is an error,
                                  # and `forecast project` prints UNCALIBRATED when it is set
    rationale = "..."
    [[history.regime]]            # same tables as scenario regimes, inside [start, as_of]
    [[history.batch]]

    [priors.NAME]                 # NAME in PARAMETERS below
    dist = "lognormal"            # fixed(value) | uniform(low, high) | loguniform(low, high)
    median = 337000               # | lognormal(median, sigma) | beta(a, b)
    sigma = 0.1
    source = "..."                # or rationale = "..."

    [[calendar]]                  # multipliers of the departure hazard
    name = "ultimatum"
    kind = "countdown"            # countdown(start, deadline, peak[, after])
    start = 2025-11-14            # | step(start, end, multiplier)
    deadline = 2026-03-11
    peak = { dist = "lognormal", median = 2.0, sigma = 0.4, source = "..." }   # or a number
    probability = 1.0             # optional: share of paths on which the event happens
    rationale = "..."

    [[scenario]]
    name = "status-quo"           # identifier: CSV files and tidy frames use it
    label = "Status quo"          # optional: what the report calls it
    description = "..."
    [scenario.priors.leak]        # overrides of the file's priors for this scenario
    [[scenario.calendar]]         # extra events for this scenario
    [[scenario.regime]]
    start = 2025-11-29            # inclusive; regimes must not overlap; uncovered days are
    end = 2026-01-27              # "closed"
    kind = "closed"               # open | closed | documents | corridor
    capacity = 150                # corridor only: people per day (>= 0)
    shock = true                  # optional: a declared change (emergency, troops) on whose
                                  # first day the share `shock` of the stranded leave at once
    cleared = true                # optional: the crowd was cleared on its first day (police,
                                  # buses, a camp closed): the share `clearance_share` leave
    inflow_cut = true             # optional: the near side stops people reaching the crossing
                                  # while the regime lasts (visas stopped, checkpoints, a police
                                  # line): arrivals are multiplied by 1 - `cut`
    rationale = "..."
    [[scenario.batch]]
    date = 2025-12-20
    capacity = 200                # people removed from the border that day (>= 0)
    kind = "flight"               # flight | bus
    rationale = "..."

Parameters a file does not set come from the population distribution learned on other
episodes (:mod:`forecast.scenarios.population`); a file sets what is its own (the pool).

What the scenario report names and shows for the case (optional; the model never reads it;
without it the report speaks of "the border crossing" and shows no context or replay)::

    [report]
    crossings = ["North Gate", "South Gate"]   # the border posts where people are stranded
    countries = ["Country A", "Country B"]     # optional: the country of each post (same order)
    context = ["my_annual_series"]             # bundled annual series forecast as context
    replay = "earlier-episode.toml"            # an episode file (next to this one) replayed
                                               # and scored as evidence
    thresholds = [500, 1000]                   # people: the report gives the chance of more
                                               # than each (1-3 increasing whole numbers)
    [[report.key_date]]                        # dates planners ask about, shown when they
    date = 2030-02-01                          # fall inside the window (the last day always
    label = "election"                         # is); must not be after window.end

Texts in other languages: ``window.title``, a scenario's ``label`` (the short name tables and
charts give it; its ``name`` when absent) and ``description``, a calendar event's
``name``, a key date's ``label`` and the names in ``report.crossings`` and
``report.countries`` may each be a string
or a table of languages, ``title = { en = "People stranded ...", es = "Personas varadas
..." }`` (keys among :data:`TEXT_LANGUAGES`). The report writes each in its edition's
language when the file gives it, else in the file's default (``en``, or the first given);
the model never reads them. They become :class:`Text` values (strings with translations).

Regimes: ``open`` lets the share ``open_rate`` of stranded people cross each day; ``closed``
only the ``leak`` through unofficial paths, and deters arrivals as the closure becomes known;
``documents`` the share ``documents_share`` (people
holding papers) plus the leak among the rest; ``corridor`` a daily ``capacity`` plus the leak.
Any of them may be marked ``inflow_cut``: the near side stops people reaching the crossing
(visas stopped, checkpoints, a police line), which a closure on the far side does not; an
open or corridor regime still draws people otherwise, so a corridor of removals behind a
police line is a corridor marked ``inflow_cut``.
Validation raises :class:`forecast.errors.ScenarioError` naming the file and the key; a
parameter under a former name (:data:`RENAMED`: ``dispersion`` is now ``arrival_size``) gets
one error saying which key to rename. Files a scenario names (``history.counts``,
``history.population``, ``report.replay``) are resolved relative to it and must lie inside its
folder or the bundled scenario folder; no other path is opened; none may be the file itself
(``history.population``, ``report.replay``). Dates go through
:func:`forecast.scenarios.dates.as_date`, like every date the scenario layer is given, and
must lie in :data:`FIRST_DAY` .. :data:`LAST_DAY`. Prior parameters must give finite draws:
rates in [0, 1], other parameters up to :data:`MAXIMA`, lognormal ``0 < sigma <=``
:data:`MAX_SIGMA`, beta ``0 < a, b <=`` :data:`MAX_BETA`.

Encoding: a scenario file is UTF-8, as TOML requires; a UTF-8 byte-order mark (what Windows
editors write) is accepted. Anything else is refused with one error saying which encodings
were tried, what the file reads as (UTF-16, Windows-1252 "ANSI") and to save it as UTF-8: a
legacy code page is never decoded silently, because Windows-1252 decodes almost any bytes and
a file saved in another code page would put garbled names into the report.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from forecast.errors import ScenarioError
from forecast.scenarios.dates import as_date

#: Model parameters a [priors] table may set, with what each means (printed in reports).
PARAMETERS = {
    "pool": "people without papers who might head for the border",
    "hazard": "baseline daily probability that one person of the pool heads to the border",
    "intensity": "multiplier of the hazard specific to this file (default 1)",
    "arrival_size": "negative-binomial size k of daily arrivals (smaller = burstier)",
    "dispersal": "daily share of stranded people who leave the border area (inland, shelters)",
    "leak": "daily share of stranded people crossing through unofficial paths when closed",
    "open_rate": "daily share of stranded people who cross when the border is open",
    "documents_share": "share of stranded people holding documents the other side accepts",
    "obs_noise": "standard deviation of the log error of press counts (log(count+1))",
    "deterred": "long-run share of arrivals deterred while the border stays closed",
    "deterrence_days": "days for the deterrence of a known closure to build up (time constant)",
    "shock": "share of stranded people who leave at once when a declared change starts",
    "clearance": "daily probability of an undeclared clearance (police, organised transport)",
    "clearance_share": "share of stranded people who leave when the crowd is cleared",
    "drift": "daily standard deviation of the random walk of log arrival intensity",
    "outlier": "probability that a press count is an outlier (its error four times wider)",
    "cut": "share of arrivals stopped on the near side while a regime marked inflow_cut lasts",
}
#: Former parameter names -> current ones; a file using a former name gets an error saying
#: which key to rename (``dispersion`` read too much like ``dispersal``).
RENAMED = {"dispersion": "arrival_size"}
#: Parameters that are rates or shares: every value must lie in [0, 1].
RATES = ("hazard", "dispersal", "leak", "open_rate", "documents_share", "deterred", "shock",
         "clearance", "clearance_share", "outlier", "cut")
REGIMES = ("open", "closed", "documents", "corridor")
BATCH_KINDS = ("flight", "bus")
EVENT_KINDS = ("countdown", "step")
DISTRIBUTIONS = {
    "fixed": ("value",),
    "uniform": ("low", "high"),
    "loguniform": ("low", "high"),
    "lognormal": ("median", "sigma"),
    "beta": ("a", "b"),
}
_NOTE_KEYS = ("source", "rationale")
#: Days a scenario file may name: the range of pandas' daily timestamps (whole years). How
#: many days a run may simulate is a question of memory (:mod:`forecast.scenarios.memory`).
FIRST_DAY, LAST_DAY = dt.date(1678, 1, 1), dt.date(2261, 12, 31)
#: Largest value of a parameter that is not a rate (rates lie in [0, 1]): far beyond any
#: plausible value, small enough that the kernel's arithmetic stays finite.
MAXIMA = {
    "pool": 1e10,             # people: above the world's population
    "intensity": 1e6,
    "arrival_size": 1e6,      # beyond ~1e3 arrivals are Poisson anyway
    "obs_noise": 10.0,        # log scale: a factor of e^10 ~ 22,000
    "deterrence_days": 1e5,   # days: ~270 years
    "drift": 5.0,             # daily s.d. of log intensity
    "multiplier": 1e6,        # a calendar event's multiplier of departure intent
}
#: Largest lognormal sigma: e^(5 x 1.645) ~ 3,700 times the median at the 95th percentile;
#: wider is no longer a prior, and draws overflow.
MAX_SIGMA = 5.0
#: Largest beta a or b (a + b is the prior's weight in pseudo-observations).
MAX_BETA = 1e6
#: People per day a corridor or a departure can move (the pool's maximum).
MAX_PEOPLE = 1e10

_TOP_KEYS = ("window", "history", "priors", "calendar", "scenario", "report")
_REPORT_KEYS = ("crossings", "countries", "context", "replay", "thresholds", "key_date")
_KEY_DATE_KEYS = ("date", "label")
_WINDOW_KEYS = ("as_of", "end", "title", "rationale", "source")
_HISTORY_KEYS = ("start", "episode", "counts", "population", "exclude_sides", "observed",
                 "uncalibrated", "regime", "batch", "rationale", "source")
_SCENARIO_KEYS = ("name", "label", "description", "priors", "calendar", "regime", "batch")
_REGIME_KEYS = ("start", "end", "kind", "capacity", "shock", "cleared", "inflow_cut",
                "rationale", "source")
_BATCH_KEYS = ("date", "capacity", "kind", "rationale", "source")
_EVENT_KEYS = ("name", "kind", "start", "end", "deadline", "peak", "after", "multiplier",
               "probability", "rationale", "source")


# -- typed specification ---------------------------------------------------------------------
#: Languages a text of a scenario file may be given in (the report's editions).
TEXT_LANGUAGES = ("en", "es")


class Text(str):
    """A text from a scenario file: the string itself (the default language) and its
    ``translations`` ``{language: text}``; :meth:`in_language` picks one. It compares, hashes
    and prints as the plain string, so nothing computed from a file depends on them."""

    translations: dict

    def __new__(cls, default: str, translations=None):
        obj = super().__new__(cls, default)
        obj.translations = dict(translations or {})
        return obj

    def __reduce__(self):
        return (Text, (str(self), self.translations))

    def in_language(self, code: str) -> str:
        return self.translations.get(code, str(self))


def in_language(value, code: str) -> str:
    """``value`` in language ``code`` when it is a :class:`Text` that has it, else itself."""
    return value.in_language(code) if isinstance(value, Text) else value


@dataclass(frozen=True)
class Prior:
    """A distribution for one parameter, with where its values come from."""

    name: str
    dist: str
    params: dict
    note: str = ""

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        p = self.params
        if self.dist == "fixed":
            out = np.full(n, float(p["value"]))
        elif self.dist == "uniform":
            out = rng.uniform(p["low"], p["high"], n)
        elif self.dist == "loguniform":
            out = np.exp(rng.uniform(np.log(p["low"]), np.log(p["high"]), n))
        elif self.dist == "lognormal":
            out = p["median"] * np.exp(p["sigma"] * rng.standard_normal(n))
        else:  # beta
            out = rng.beta(p["a"], p["b"], n)
        if self.name in RATES:
            out = np.clip(out, 0.0, 1.0)
        return out

    def logpdf(self, x) -> np.ndarray:
        """Log density (up to a constant for fixed priors) used to reweight proposals."""
        from scipy import stats

        x = np.asarray(x, dtype=float)
        p = self.params
        if self.dist == "fixed":
            return np.where(np.isclose(x, p["value"]), 0.0, -np.inf)
        if self.dist == "uniform":
            return stats.uniform(p["low"], p["high"] - p["low"]).logpdf(x)
        if self.dist == "loguniform":
            return stats.loguniform(p["low"], p["high"]).logpdf(x)
        if self.dist == "lognormal":
            return stats.lognorm(p["sigma"], scale=p["median"]).logpdf(x)
        return stats.beta(p["a"], p["b"]).logpdf(x)

    def describe(self) -> str:
        args = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.dist}({args})"


@dataclass(frozen=True)
class Regime:
    start: dt.date
    end: dt.date
    kind: str
    capacity: float = 0.0
    note: str = ""
    shock: bool = False
    cleared: bool = False
    inflow_cut: bool = False   # the near side stops arrivals while it lasts (share `cut`)


@dataclass(frozen=True)
class Batch:
    date: dt.date
    capacity: int
    kind: str = "flight"
    note: str = ""


@dataclass(frozen=True)
class Event:
    """A multiplier of the departure hazard over part of the calendar."""

    name: str
    kind: str
    start: dt.date
    end: dt.date | None = None          # step: last day (inclusive); countdown: unused
    deadline: dt.date | None = None     # countdown: day intent peaks
    value: Prior | None = None          # countdown: peak multiplier; step: multiplier
    after: float = 1.0                  # countdown: multiplier after the deadline
    probability: float = 1.0
    note: str = ""


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    priors: dict
    calendar: tuple
    regimes: tuple
    batches: tuple
    label: str = ""   # what the report calls it (the name when empty)


@dataclass(frozen=True)
class History:
    start: dt.date
    episode: str
    population: tuple | None   # episode files the shared behaviour is learned on (None: bundled)
    regimes: tuple
    batches: tuple
    note: str = ""
    exclude_sides: tuple = ()
    observed: str = ""
    counts: Path | None = None   # a counts CSV of the file's own (instead of the bundled data)
    uncalibrated: bool = False   # project from the priors alone, no counts (asked explicitly)


@dataclass(frozen=True)
class ReportSettings:
    """The file's [report] table: what the scenario report names and shows for the case."""

    crossings: tuple = ()         # border posts where people are stranded
    countries: tuple = ()         # the country of each post, in the same order (or empty)
    key_dates: tuple = ()         # (date, label) pairs, in date order
    context: tuple = ()           # bundled annual series forecast as context
    replay: Path | None = None    # an episode file replayed and scored as evidence
    thresholds: tuple = (500, 1000)   # people: the report gives P(more than each)


@dataclass(frozen=True)
class ScenarioSpec:
    """A validated scenario file."""

    path: Path
    title: str
    as_of: dt.date
    end: dt.date
    history: History
    priors: dict
    calendar: tuple
    scenarios: tuple
    # presentation only: left out of repr (the calibration caches key on it) and equality
    report: ReportSettings = field(default=ReportSettings(), repr=False, compare=False)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    @property
    def dates(self):
        """Projected days: as_of + 1 ... end."""
        return _days(self.as_of + dt.timedelta(days=1), self.end)

    def scenario(self, name: str) -> Scenario:
        for s in self.scenarios:
            if s.name == name:
                return s
        raise ScenarioError(f"{self.path}: no scenario {name!r}; valid: {', '.join(self.names)}")

    def priors_for(self, name: str) -> dict:
        return {**self.priors, **self.scenario(name).priors}

    @property
    def observed_scenario(self) -> Scenario:
        """The scenario describing what happened (``history.observed``, else the first)."""
        return self.scenario(self.history.observed) if self.history.observed else \
            self.scenarios[0]

    def with_as_of(self, as_of) -> ScenarioSpec:
        """The file as a forecaster would have had it on another as-of date.

        What is known by ``as_of`` becomes history: the history's regimes and departures that
        started by then, and those of the observed scenario up to ``as_of`` (cut there). Every
        scenario keeps only what lies after ``as_of`` (a regime running across it starts on
        ``as_of + 1``, without its shock or clearance, which has happened). ``as_of`` may equal
        ``window.end`` (nothing left to project: used to calibrate a whole episode).
        """
        as_of = as_date(as_of, f"{self.path}: as_of")
        if not self.history.start <= as_of <= self.end:
            raise ScenarioError(
                f"{self.path}: as_of {as_of} must lie in [history.start {self.history.start},"
                f" window.end {self.end}]"
            )
        nxt = as_of + dt.timedelta(days=1)
        seen = self.observed_scenario
        regimes = [_replace(r, end=min(r.end, as_of)) for r in self.history.regimes
                   if r.start <= as_of]
        regimes += [_replace(r, end=min(r.end, as_of)) for r in seen.regimes if r.start <= as_of]
        batches = [b for b in (*self.history.batches, *seen.batches) if b.date <= as_of]
        history = _replace(self.history, regimes=tuple(sorted(regimes, key=lambda r: r.start)),
                           batches=tuple(sorted(batches, key=lambda b: b.date)))
        scenarios = tuple(_replace(
            sc,
            regimes=tuple(r if r.start > as_of else _replace(r, start=nxt, shock=False,
                                                                   cleared=False)
                          for r in sc.regimes if r.end > as_of),
            batches=tuple(b for b in sc.batches if b.date > as_of))
            for sc in self.scenarios)
        return _replace(self, as_of=as_of, history=history, scenarios=scenarios)

    def regime_on(self, day) -> tuple[str, float, bool]:
        """``(kind, capacity, inflow_cut)`` of what happened on ``day``: the history's and the
        observed scenario's regimes (days none covers are ``closed``, as everywhere)."""
        day = as_date(day, f"{self.path}: regime_on")
        return _state_on((*self.history.regimes, *self.observed_scenario.regimes), day)

    def status_quo_at(self, as_of) -> ScenarioSpec:
        """:meth:`with_as_of` with one scenario: the status quo as a forecaster had it then.

        That is the file's first scenario, unless the regime in force on ``as_of`` (what
        happened, :meth:`regime_on`: kind, capacity and inflow cut) is not the one that
        scenario has on that day: then a crossing that has changed since the file was written
        (a corridor opened, a border reopened, arrivals cut on the near side) stays as it is
        on ``as_of`` to the window's end, without batches; the first scenario's name, priors
        and calendar are kept. A change the first scenario plans after ``as_of`` is kept when
        the crossing is as it planned on ``as_of``. Before the file's own as-of date (which
        always gets the first scenario, as written), the regime in force runs on until the
        first scenario starts. Used to score the engine (:mod:`forecast.scenarios.evaluate`):
        a forecast of 18 Feb 2016 made as if an airlift running since 9 Feb had stopped that
        day would score a counterfactual.
        """
        at = self.with_as_of(as_of)
        first = at.scenarios[0]
        nxt = at.as_of + dt.timedelta(days=1)
        if nxt > at.end or at.as_of == self.as_of:
            return _replace(at, scenarios=(first,))
        kind, capacity, cut = self.regime_on(at.as_of)
        note = f"the regime in force on {at.as_of} (what happened), carried forward"
        if at.as_of < self.as_of:   # the file's scenarios start after its own as-of date
            kept = Regime(nxt, self.as_of, kind, capacity, inflow_cut=cut, note=note)
            return _replace(at, scenarios=(_replace(first, regimes=(kept, *first.regimes)),))
        if _state_on(self.scenarios[0].regimes, at.as_of) == (kind, capacity, cut):
            return _replace(at, scenarios=(first,))
        kept = Regime(nxt, at.end, kind, capacity, inflow_cut=cut,
                      note=note + " to the window's end")
        return _replace(at, scenarios=(_replace(first, regimes=(kept,), batches=()),))

    def assumptions(self) -> list[dict]:
        """Every prior, event, regime and batch with its source or rationale (tidy rows)."""
        rows = []
        for p in self.priors.values():
            rows.append(dict(scenario="(all)", item=f"prior {p.name}", value=p.describe(),
                             meaning=PARAMETERS[p.name], source=p.note))
        for e in self.calendar:
            rows.append(_event_row("(all)", e))
        for r in self.history.regimes:
            rows.append(_regime_row("(history)", r))
        for s in self.scenarios:
            for p in s.priors.values():
                rows.append(dict(scenario=s.name, item=f"prior {p.name}", value=p.describe(),
                                 meaning=PARAMETERS[p.name], source=p.note))
            rows.extend(_event_row(s.name, e) for e in s.calendar)
            rows.extend(_regime_row(s.name, r) for r in s.regimes)
            for b in s.batches:
                rows.append(dict(scenario=s.name, item=f"{b.kind} on {b.date}",
                                 value=f"{b.capacity} people", meaning="batch departure",
                                 source=b.note))
        return rows


def _state_on(regimes, day) -> tuple[str, float, bool]:
    """``(kind, capacity, inflow_cut)`` of the regime covering ``day`` (``closed`` if none)."""
    for r in regimes:
        if r.start <= day <= r.end:
            return r.kind, (float(r.capacity) if r.kind == "corridor" else 0.0), r.inflow_cut
    return "closed", 0.0, False


def _event_row(scenario, e):
    when = f"{e.start}..{e.deadline or e.end}"
    value = e.value.describe() if e.value is not None else ""
    if e.probability < 1:
        value += f", probability {e.probability:g}"
    return dict(scenario=scenario, item=f"{e.kind} '{e.name}' {when}", value=value,
                meaning="multiplier of departure intent", source=e.note)


def _regime_row(scenario, r):
    value = f"{r.capacity:g}/day" if r.kind == "corridor" else ""
    if r.shock:
        value = (value + ", " if value else "") + "shock on its first day"
    if r.cleared:
        value = (value + ", " if value else "") + "crowd cleared on its first day"
    if r.inflow_cut:
        value = (value + ", " if value else "") + "arrivals cut on the near side"
    return dict(scenario=scenario, item=f"regime {r.kind} {r.start}..{r.end}", value=value,
                meaning="border regime", source=r.note)


def _replace(spec, **changes):
    from dataclasses import replace

    return replace(spec, **changes)


def _days(start: dt.date, end: dt.date):
    import pandas as pd

    return pd.date_range(start, end, freq="D", name="date")


# -- loading and validation -------------------------------------------------------------------
#: Legacy encodings a file that is not UTF-8 is tried in, to say what it was saved as.
LEGACY_ENCODINGS = (("cp1252", "Windows-1252 ('ANSI', Western European)"),)


def load(path) -> ScenarioSpec:
    """Read and validate a scenario file; raise ScenarioError naming the file and key.

    The file must be UTF-8 (TOML requires it); a UTF-8 byte-order mark, which Windows editors
    write, is accepted. Any other encoding is refused with a hint (:func:`decode`).
    """
    if not isinstance(path, (str, Path)) or not str(path):
        raise ScenarioError(f"scenario file must be a path to a TOML file; got {path!r}")
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"scenario file not found: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario file: "
                            f"{exc.strerror or exc}") from None
    text = decode(data, path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:   # tomllib recurses into nested arrays and inline tables
        raise ScenarioError(f"{path}: invalid TOML: arrays or tables nested too deeply "
                            "(a scenario file nests at most a few levels)") from None
    return parse(raw, path)


def decode(data: bytes, path) -> str:
    """The text of a scenario file: UTF-8, with or without a byte-order mark.

    TOML files must be UTF-8, so nothing else is decoded silently: Windows-1252 ("ANSI")
    decodes almost any bytes, and a file saved in another code page (Polish, Cyrillic ...)
    would be read without error with its names garbled into the report. A file that is not
    UTF-8 is refused; the message says which encodings were tried, what the file looks like
    (UTF-16, Windows-1252) and to save it as UTF-8.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioError(f"{path}: saved as UTF-16 ('Unicode'); scenario files must be "
                            "UTF-8 (TOML requires it): save it again choosing UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        where = f"byte 0x{data[exc.start]:02X} at line {line}, column {column}"
    tried = "tried UTF-8, with and without a byte-order mark"
    for codec, label in LEGACY_ENCODINGS:
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        raise _not_utf8(path, where, f"{tried}; it reads as {label}")
    raise _not_utf8(path, where, f"{tried}, and {', '.join(c for c, _ in LEGACY_ENCODINGS)}")


def _not_utf8(path, where, tried) -> ScenarioError:
    return ScenarioError(f"{path}: not UTF-8 ({where}; {tried}): scenario files must be UTF-8 "
                         "(TOML requires it); save it again choosing UTF-8 as the encoding")


def parse(raw: dict, path: Path | str = "<scenario>") -> ScenarioSpec:
    """Validate an already-parsed TOML mapping (see the module docstring for the format)."""
    path = Path(path)
    ctx = _Ctx(path)
    if not isinstance(raw, dict):
        ctx.fail("(file)", f"must be a TOML table of tables ([window], [history], "
                 f"[[scenario]] ...), got {type(raw).__name__}")
    _keys(ctx, raw, _TOP_KEYS, "")
    for key in ("window", "history", "scenario"):
        if key not in raw:
            ctx.fail(key, "is required")
    window = _table(ctx, raw["window"], "window")
    _keys(ctx, window, _WINDOW_KEYS, "window")
    as_of = _req_date(ctx, window, "as_of", "window")
    end = _req_date(ctx, window, "end", "window")
    if end <= as_of:
        ctx.fail("window.end", f"{end} must be after window.as_of {as_of} (dates out of order)")

    history = _history(ctx, _table(ctx, raw["history"], "history"), as_of)
    priors = _priors(ctx, raw.get("priors", {}), "priors")
    calendar = tuple(_event(ctx, e, f"calendar[{i}]", history.start, end)
                     for i, e in enumerate(_array(ctx, raw.get("calendar", []), "calendar")))

    scenarios = []
    seen = set()
    items = _array(ctx, raw["scenario"], "scenario")
    if not items:
        ctx.fail("scenario", "must hold at least one [[scenario]]")
    for i, item in enumerate(items):
        where = f"scenario[{i}]"
        _keys(ctx, item, _SCENARIO_KEYS, where)
        name = item.get("name")
        if not isinstance(name, str) or not name:
            ctx.fail(f"{where}.name", "is required (a non-empty string)")
        if name in seen:
            ctx.fail(f"{where}.name", f"duplicate scenario name {name!r}")
        seen.add(name)
        where = f"scenario '{name}'"
        scenarios.append(Scenario(
            name=name,
            label=(_text(ctx, item["label"], f"{where}.label",
                         "a short name for tables and charts") if "label" in item else ""),
            description=(_text(ctx, item["description"], f"{where}.description",
                               "a sentence saying what the scenario assumes", empty_ok=True)
                         if "description" in item else Text("")),
            priors=_priors(ctx, item.get("priors", {}), f"{where}.priors"),
            calendar=tuple(_event(ctx, e, f"{where}.calendar[{j}]", as_of, end)
                           for j, e in enumerate(_array(ctx, item.get("calendar", []),
                                                        f"{where}.calendar"))),
            regimes=_regimes(ctx, item.get("regime", []), f"{where}.regime",
                             as_of + dt.timedelta(days=1), end),
            batches=_batches(ctx, item.get("batch", []), f"{where}.batch",
                             as_of + dt.timedelta(days=1), end),
        ))
    if history.observed and history.observed not in seen:
        ctx.fail("history.observed", f"no scenario {history.observed!r}; valid: "
                 f"{', '.join(s.name for s in scenarios)}")
    title = (_text(ctx, window["title"], "window.title", "the report's title")
             if "title" in window else Text(path.stem))
    return ScenarioSpec(path=path, title=title, as_of=as_of, end=end, history=history,
                        priors=priors, calendar=calendar, scenarios=tuple(scenarios),
                        report=_report(ctx, raw.get("report", {}), end))


class _Ctx:
    def __init__(self, path):
        self.path = path

    def fail(self, key, message):
        raise ScenarioError(f"{self.path}: {key}: {message}")

    def file(self, key, name, what):
        """The file ``name`` that key ``key`` refers to, resolved relative to this scenario
        file. It must exist and lie inside this file's folder or the bundled scenario
        folder: a scenario file opens no other path (``../../etc/passwd`` is refused)."""
        if not isinstance(name, str) or not name:
            self.fail(key, f"must be the name of {what} next to this file, got {name!r}")
        ref = Path(name)
        ref = ref if ref.is_absolute() else self.path.parent / ref
        from forecast.scenarios import SCENARIO_DIR

        allowed = [self.path.parent.resolve(), Path(SCENARIO_DIR).resolve()]
        real = ref.resolve()
        if not any(real.is_relative_to(folder) for folder in allowed):
            self.fail(key, f"{name!r} is outside this file's folder {allowed[0]}; put {what} "
                      "next to the scenario file (or in a folder below it)")
        if not real.is_file():
            self.fail(key, f"file not found: {ref}")
        return ref


def _keys(ctx, table, valid, where):
    for key in table:
        if key not in valid:
            place = f"{where}.{key}" if where else key
            ctx.fail(place, f"unknown key {key!r}; valid keys: {', '.join(valid)}")


def _table(ctx, value, where):
    if not isinstance(value, dict):
        ctx.fail(where, f"must be a table, got {type(value).__name__}")
    return value


def _array(ctx, value, where):
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        ctx.fail(where, "must be an array of tables ([[...]])")
    return value


def _req_date(ctx, table, key, where):
    if key not in table:
        ctx.fail(f"{where}.{key}", "is required (a date YYYY-MM-DD)")
    day = as_date(table[key], f"{ctx.path}: {where}.{key}")
    if not FIRST_DAY <= day <= LAST_DAY:
        ctx.fail(f"{where}.{key}", f"{day} is outside the days a scenario can hold "
                 f"({FIRST_DAY} to {LAST_DAY})")
    return day


def _within(ctx, key, day, lo, hi):
    if not lo <= day <= hi:
        ctx.fail(key, f"{day} is outside the window [{lo}, {hi}]")


def _note(ctx, table, where):
    note = table.get("source") or table.get("rationale")
    if not isinstance(note, str) or not note.strip():
        ctx.fail(where, "needs a 'source' or 'rationale' string saying where the value comes from")
    return note.strip()


def _number(ctx, value, key, *, minimum=None, maximum=None, integer=False, above=None):
    """``value`` as a float if it is a finite number in range (``above``: strict minimum)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        ctx.fail(key, f"must be a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:   # a TOML integer beyond any float
        ctx.fail(key, f"must be a number of sensible size, got {value!r}")
    if not np.isfinite(number):
        ctx.fail(key, f"must be finite, got {value!r}")
    if minimum is not None and number < minimum:
        ctx.fail(key, f"must be >= {minimum:g}, got {value!r}")
    if above is not None and number <= above:
        ctx.fail(key, f"must be > {above:g}, got {value!r}")
    if maximum is not None and number > maximum:
        ctx.fail(key, f"must be <= {maximum:g}, got {value!r}")
    if integer and number != int(number):
        ctx.fail(key, f"must be a whole number, got {value!r}")
    return number


def _history(ctx, table, as_of):
    _keys(ctx, table, _HISTORY_KEYS, "history")
    start = _req_date(ctx, table, "start", "history")
    if start > as_of:
        ctx.fail("history.start", f"{start} must not be after window.as_of {as_of}")
    counts = table.get("counts")
    if counts is not None:
        counts = ctx.file("history.counts", counts, "a CSV with columns date, low, high")
    episode = table.get("episode", counts.stem if counts is not None else None)
    if not isinstance(episode, str) or not episode:
        ctx.fail("history.episode", "is required (the dataset episode, e.g. '2025-11') unless "
                 "history.counts names a counts file")
    population = table.get("population")
    if population is not None:
        if not isinstance(population, list) or not all(isinstance(x, str) and x
                                                       for x in population):
            ctx.fail("history.population", "must be a list of scenario file names (episodes "
                     "the shared behaviour is learned on), e.g. [\"replay-2023.toml\"]")
        files = []
        for item in population:
            ref = ctx.file("history.population", item, "a scenario file")
            if ref.resolve() == ctx.path.resolve():
                ctx.fail("history.population", f"{item!r} is this file itself: an episode "
                         "cannot be its own population")
            if any(ref.resolve() == f.resolve() for f in files):
                ctx.fail("history.population", f"names {item!r} twice: each episode counts "
                         "once")
            files.append(ref)
        population = tuple(files)
    exclude = table.get("exclude_sides", [])
    if not isinstance(exclude, list) or not all(isinstance(x, str) and x for x in exclude):
        ctx.fail("history.exclude_sides", f"must be a list of side codes such as [\"PE\"]; "
                 f"got {exclude!r}")
    observed = table.get("observed", "")
    if not isinstance(observed, str):
        ctx.fail("history.observed", f"must be a scenario name (a string); got {observed!r}")
    uncalibrated = table.get("uncalibrated", False)
    if not isinstance(uncalibrated, bool):
        ctx.fail("history.uncalibrated", f"must be true or false; got {uncalibrated!r}")
    return History(
        start=start, episode=episode, population=population, exclude_sides=tuple(exclude),
        counts=counts, uncalibrated=uncalibrated,
        observed=observed,
        regimes=_regimes(ctx, table.get("regime", []), "history.regime", start, as_of),
        batches=_batches(ctx, table.get("batch", []), "history.batch", start, as_of),
        note=_note(ctx, table, "history"),
    )


def _priors(ctx, table, where):
    table = _table(ctx, table, where)
    out = {}
    for name, body in table.items():
        key = f"{where}.{name}"
        if name in RENAMED:
            ctx.fail(key, f"{name!r} is now called {RENAMED[name]!r} "
                     f"({PARAMETERS[RENAMED[name]]}): rename the key to "
                     f"{where}.{RENAMED[name]}")
        if name not in PARAMETERS:
            ctx.fail(key, f"unknown parameter {name!r}; valid keys: {', '.join(PARAMETERS)}")
        out[name] = _prior(ctx, name, body, key)
    return out


def _distribution(ctx, body, key, valid, minimum=None):
    """``dist`` (one of ``valid``) and its numeric parameters from a prior's table."""
    dist = body.get("dist")
    if dist not in valid:
        ctx.fail(f"{key}.dist", f"got {dist!r}; valid: {', '.join(valid)}")
    needed = DISTRIBUTIONS[dist]
    _keys(ctx, body, ("dist", *needed, *_NOTE_KEYS), key)
    params = {}
    for p in needed:
        if p not in body:
            ctx.fail(f"{key}.{p}", f"is required for dist={dist!r} ({', '.join(needed)})")
        params[p] = _number(ctx, body[p], f"{key}.{p}", minimum=minimum)
    return dist, params


def _prior(ctx, name, body, key):
    body = _table(ctx, body, key)
    dist, params = _distribution(ctx, body, key, tuple(DISTRIBUTIONS))
    if dist == "beta" and name not in RATES:
        ctx.fail(f"{key}.dist", f"beta is only for rates ({', '.join(RATES)})")
    _check_ranges(ctx, name, dist, params, key)
    return Prior(name=name, dist=dist, params=params, note=_note(ctx, body, key))


def _check_ranges(ctx, name, dist, params, key):
    """Every parameter of a distribution inside what the parameter ``name`` can take: [0, 1]
    for rates, [0, MAXIMA[name]] otherwise; positive scales (sigma, beta's a and b, a
    loguniform's bounds), so that no draw is infinite or undefined."""
    top = 1.0 if name in RATES else MAXIMA[name]
    if dist == "fixed":
        _number(ctx, params["value"], f"{key}.value", minimum=0, maximum=top)
    elif dist in ("uniform", "loguniform"):
        low = dict(minimum=0) if dist == "uniform" else dict(above=0)
        _number(ctx, params["low"], f"{key}.low", maximum=top, **low)
        _number(ctx, params["high"], f"{key}.high", maximum=top, **low)
        if params["high"] <= params["low"]:
            ctx.fail(f"{key}.high", f"must exceed low ({params['low']:g})")
    elif dist == "lognormal":
        _number(ctx, params["median"], f"{key}.median", above=0, maximum=top)
        if params["sigma"] <= 0:
            ctx.fail(f"{key}.sigma", f"must be > 0, got {params['sigma']:g} (for a value "
                     "without uncertainty use dist = \"fixed\" with value)")
        _number(ctx, params["sigma"], f"{key}.sigma", maximum=MAX_SIGMA)
    else:
        _number(ctx, params["a"], f"{key}.a", above=0, maximum=MAX_BETA)
        _number(ctx, params["b"], f"{key}.b", above=0, maximum=MAX_BETA)


def _multiplier(ctx, value, key, note):
    if isinstance(value, dict):
        return _prior_multiplier(ctx, value, key)
    v = _number(ctx, value, key, minimum=0, maximum=MAXIMA["multiplier"])
    return Prior(name="multiplier", dist="fixed", params={"value": v}, note=note)


def _prior_multiplier(ctx, body, key):
    # beta lives on [0, 1]: a multiplier must be able to exceed 1
    valid = tuple(d for d in DISTRIBUTIONS if d != "beta")
    dist, params = _distribution(ctx, body, key, valid, minimum=0)
    _check_ranges(ctx, "multiplier", dist, params, key)
    return Prior(name="multiplier", dist=dist, params=params,
                 note=body.get("source") or body.get("rationale") or "")


def _event(ctx, body, where, lo, hi):
    body = _table(ctx, body, where)
    _keys(ctx, body, _EVENT_KEYS, where)
    name = (_text(ctx, body["name"], f"{where}.name", "the event's name") if "name" in body
            else Text(where))
    kind = body.get("kind")
    if kind not in EVENT_KINDS:
        ctx.fail(f"{where}.kind", f"unknown event kind {kind!r}; valid: {', '.join(EVENT_KINDS)}")
    note = _note(ctx, body, where)
    start = _req_date(ctx, body, "start", where)
    probability = _number(ctx, body.get("probability", 1.0), f"{where}.probability",
                          minimum=0, maximum=1)
    if kind == "countdown":
        deadline = _req_date(ctx, body, "deadline", where)
        if deadline <= start:
            ctx.fail(f"{where}.deadline", f"{deadline} must be after start {start} "
                     "(dates out of order)")
        if "peak" not in body:
            ctx.fail(f"{where}.peak", "is required for a countdown (multiplier at the deadline)")
        return Event(name=name, kind=kind, start=start, deadline=deadline,
                     value=_multiplier(ctx, body["peak"], f"{where}.peak", note),
                     after=_number(ctx, body.get("after", 1.0), f"{where}.after", minimum=0,
                                   maximum=MAXIMA["multiplier"]),
                     probability=probability, note=note)
    end = _req_date(ctx, body, "end", where)
    if end < start:
        ctx.fail(f"{where}.end", f"{end} is before start {start} (dates out of order)")
    _within(ctx, f"{where}.end", end, lo, hi)
    if "multiplier" not in body:
        ctx.fail(f"{where}.multiplier", "is required for a step event")
    return Event(name=name, kind=kind, start=start, end=end,
                 value=_multiplier(ctx, body["multiplier"], f"{where}.multiplier", note),
                 probability=probability, note=note)


def _regimes(ctx, items, where, lo, hi):
    regimes = []
    for i, body in enumerate(_array(ctx, items, where)):
        key = f"{where}[{i}]"
        _keys(ctx, body, _REGIME_KEYS, key)
        kind = body.get("kind")
        if kind not in REGIMES:
            ctx.fail(f"{key}.kind", f"unknown regime {kind!r}; valid: {', '.join(REGIMES)}")
        start = _req_date(ctx, body, "start", key)
        end = _req_date(ctx, body, "end", key)
        if end < start:
            ctx.fail(f"{key}.end", f"{end} is before start {start} (dates out of order)")
        _within(ctx, f"{key}.start", start, lo, hi)
        _within(ctx, f"{key}.end", end, lo, hi)
        capacity = 0.0
        if kind == "corridor":
            if "capacity" not in body:
                ctx.fail(f"{key}.capacity", "is required for a corridor (people per day)")
            capacity = _number(ctx, body["capacity"], f"{key}.capacity", minimum=0,
                               maximum=MAX_PEOPLE)
        elif "capacity" in body:
            ctx.fail(f"{key}.capacity", f"only a corridor has a capacity, not {kind!r}")
        flags = {}
        for flag in ("shock", "cleared", "inflow_cut"):
            flags[flag] = body.get(flag, False)
            if not isinstance(flags[flag], bool):
                ctx.fail(f"{key}.{flag}", f"must be true or false; got {flags[flag]!r}")
        regimes.append(Regime(start=start, end=end, kind=kind, capacity=capacity,
                              note=_note(ctx, body, key), **flags))
    ordered = sorted(regimes, key=lambda r: r.start)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start <= a.end:
            ctx.fail(where, f"regimes overlap: {a.start}..{a.end} and {b.start}..{b.end}")
    return tuple(ordered)


def _batches(ctx, items, where, lo, hi):
    out = []
    for i, body in enumerate(_array(ctx, items, where)):
        key = f"{where}[{i}]"
        _keys(ctx, body, _BATCH_KEYS, key)
        day = _req_date(ctx, body, "date", key)
        _within(ctx, f"{key}.date", day, lo, hi)
        if "capacity" not in body:
            ctx.fail(f"{key}.capacity", "is required (people per departure)")
        cap = _number(ctx, body["capacity"], f"{key}.capacity", minimum=0, integer=True,
                      maximum=MAX_PEOPLE)
        kind = body.get("kind", "flight")
        if kind not in BATCH_KINDS:
            ctx.fail(f"{key}.kind", f"unknown batch kind {kind!r}; valid: {', '.join(BATCH_KINDS)}")
        out.append(Batch(date=day, capacity=int(cap), kind=kind, note=_note(ctx, body, key)))
    return tuple(sorted(out, key=lambda b: b.date))


def _report(ctx, table, end):
    """The [report] table (see the module docstring); every key optional."""
    table = _table(ctx, table, "report")
    _keys(ctx, table, _REPORT_KEYS, "report")
    crossings = _text_names(ctx, table.get("crossings", []), "report.crossings",
                            'border posts such as ["North Gate", "South Gate"]')
    countries = _text_names(ctx, table.get("countries", []), "report.countries",
                            'countries such as ["Country A", "Country B"]')
    if countries and len(countries) != len(crossings):
        ctx.fail("report.countries", f"names {len(countries)} countries for "
                 f"{len(crossings)} crossings; give one country per crossing, in order")
    context = _names(ctx, table.get("context", []), "report.context",
                     'bundled dataset names such as ["my_annual_series"]')
    if context:
        from forecast import datasets

        valid = [n for n in datasets.names() if datasets.info(n).get("kind") == "series"
                 and datasets.info(n).get("frequency") == "annual"]
        for name in context:
            if name not in valid:
                ctx.fail("report.context", f"{name!r} is not a bundled annual series; "
                         f"valid: {', '.join(valid)}")
    replay = table.get("replay")
    if replay is not None:
        replay = ctx.file("report.replay", replay, "a scenario file of an earlier episode")
        if replay.resolve() == ctx.path.resolve():
            ctx.fail("report.replay", f"{table['replay']!r} is this file itself: a replay is "
                     "evidence from an earlier episode; name that episode's scenario file")
    thresholds = table.get("thresholds", [500, 1000])
    if not isinstance(thresholds, list) or not 1 <= len(thresholds) <= 3:
        ctx.fail("report.thresholds", f"must be a list of 1 to 3 numbers of people such as "
                 f"[500, 1000], got {thresholds!r}")
    thresholds = tuple(int(_number(ctx, k, "report.thresholds", minimum=0, integer=True,
                                   maximum=MAX_PEOPLE)) for k in thresholds)
    if any(b <= a for a, b in zip(thresholds, thresholds[1:], strict=False)):
        ctx.fail("report.thresholds", f"must increase, got {list(thresholds)}")
    key_dates = []
    for i, body in enumerate(_array(ctx, table.get("key_date", []), "report.key_date")):
        where = f"report.key_date[{i}]"
        _keys(ctx, body, _KEY_DATE_KEYS, where)
        day = _req_date(ctx, body, "date", where)
        if day > end:
            ctx.fail(f"{where}.date", f"{day} is after window.end {end}")
        if "label" not in body:
            ctx.fail(f"{where}.label", "is required (a non-empty string saying what happens "
                     "that day)")
        key_dates.append((day, _text(ctx, body["label"], f"{where}.label",
                                     "a non-empty string saying what happens that day")))
    return ReportSettings(crossings=crossings, countries=countries,
                          key_dates=tuple(sorted(key_dates)), context=context, replay=replay,
                          thresholds=thresholds)


def _text(ctx, value, key, what, empty_ok: bool = False):
    """A string, or a table of languages (see the module docstring), as a :class:`Text`."""
    if isinstance(value, str):
        if not value.strip() and not empty_ok:
            ctx.fail(key, f"is empty; give {what}")
        return Text(value.strip())
    if isinstance(value, dict):
        bad = [k for k in value if k not in TEXT_LANGUAGES]
        if bad or not value:
            ctx.fail(key, f"languages {', '.join(map(repr, bad)) or '(none)'}: a table of "
                     f"texts takes the languages {', '.join(TEXT_LANGUAGES)} "
                     f"(e.g. {{ en = \"...\", es = \"...\" }})")
        for lang, text in value.items():
            if not isinstance(text, str) or not text.strip():
                ctx.fail(f"{key}.{lang}", f"must be a non-empty string ({what}), got "
                         f"{text!r}")
        texts = {k: v.strip() for k, v in value.items()}
        default = texts.get("en", next(iter(texts.values())))
        return Text(default, texts)
    ctx.fail(key, f"must be {what}: a string or a table of languages such as "
             f"{{ en = \"...\", es = \"...\" }}, got {type(value).__name__}")


def _names(ctx, value, key, example):
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        ctx.fail(key, f"must be a list of non-empty strings ({example}), got {value!r}")
    return tuple(v.strip() for v in value)


def _text_names(ctx, value, key, example):
    """A list of names, each a string or a table of languages (:func:`_text`)."""
    if not isinstance(value, list):
        ctx.fail(key, f"must be a list of names ({example}), got {value!r}")
    return tuple(_text(ctx, v, f"{key}[{i}]", f"a name ({example})")
                 for i, v in enumerate(value))
