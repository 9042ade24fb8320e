"""Daily inputs of the kernel from a scenario's dated items: regimes, batches, intent.

Dates in, numpy arrays out (one entry per simulated day), so the kernel never sees a date.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from forecast.scenarios.dates import as_date
from forecast.scenarios.stockflow import CLOSED, CORRIDOR, DOCUMENTS, REGIME_CODES


def _ordinals(dates) -> np.ndarray:
    return np.array([as_date(d, "schedule dates").toordinal() for d in dates], dtype=np.int64)


def regimes(items, dates) -> tuple[np.ndarray, np.ndarray]:
    """Regime code and corridor capacity per day; days no regime covers are ``closed``."""
    days = _ordinals(dates)
    codes = np.full(days.shape, CLOSED, dtype=np.int64)
    capacity = np.zeros(days.shape, dtype=np.int64)
    for r in items:
        on = (days >= r.start.toordinal()) & (days <= r.end.toordinal())
        codes[on] = REGIME_CODES[r.kind]
        if r.kind == "corridor":
            capacity[on] = int(np.floor(r.capacity))
    capacity[codes != CORRIDOR] = 0
    return codes, capacity


#: Age given to a closure once a declared change has made it fully known.
KNOWN = 10**6


def shocks(items, dates, flag: str = "shock") -> np.ndarray:
    """True on the first day of every regime marked ``flag``: ``shock`` (a declared change)
    or ``cleared`` (the crowd cleared)."""
    days = _ordinals(dates)
    out = np.zeros(days.shape, dtype=bool)
    for r in items:
        if getattr(r, flag):
            out |= days == r.start.toordinal()
    return out


def spans(items, dates, flag: str = "inflow_cut") -> np.ndarray:
    """True on every day of every regime marked ``flag`` (``inflow_cut``: arrivals cut on the
    near side while the regime lasts)."""
    days = _ordinals(dates)
    out = np.zeros(days.shape, dtype=bool)
    for r in items:
        if getattr(r, flag):
            out |= (days >= r.start.toordinal()) & (days <= r.end.toordinal())
    return out


def closed_age(items, dates, origin) -> np.ndarray:
    """Days since the current closure began (0 on its first day; -1 when not closed).

    ``closed`` and ``documents`` both count as closed: the pool is people without papers, for
    whom a documents-only border is as closed as a closed one. From a declared change (a
    regime marked ``shock``) on, the closure counts as fully known: its age is
    :data:`KNOWN` for the rest of the spell.

    Counted on the whole timeline from the day after ``origin`` (the history's start), so a
    projection that starts inside a closure knows how long it has been known.
    """
    days = _ordinals(dates)
    if days.size == 0:
        return np.zeros(0, dtype=np.int64)
    first = as_date(origin, "closed_age origin").toordinal() + 1
    span = np.arange(min(first, int(days[0])), int(days[-1]) + 1)
    codes, _ = regimes(items, [dt.date.fromordinal(int(d)) for d in span])
    closed = (codes == CLOSED) | (codes == DOCUMENTS)
    idx = np.arange(span.size)
    start = np.where(closed & np.r_[True, ~closed[:-1]], idx, 0)
    start = np.maximum.accumulate(start)
    declared = shocks(items, [dt.date.fromordinal(int(d)) for d in span]) & closed
    last_shock = np.maximum.accumulate(np.where(declared, idx, -1))
    age = np.where(closed, idx - start, -1)
    age = np.where(closed & (last_shock >= start), KNOWN, age)
    return age[days - span[0]]


def batches(items, dates) -> np.ndarray:
    """Seats of scheduled departures per day (several on one day add up)."""
    days = _ordinals(dates)
    seats = np.zeros(days.shape, dtype=np.int64)
    for b in items:
        seats[days == b.date.toordinal()] += int(b.capacity)
    return seats


def intent(events, dates, rng: np.random.Generator, n: int, cache=None) -> np.ndarray:
    """Multiplier of the departure hazard per path and day (n, T): the product of the events.

    countdown: rises geometrically from 1 on ``start`` to ``peak`` on ``deadline``, then
    ``after``; step: ``multiplier`` from ``start`` to ``end``. An event with probability p
    happens on a share p of the paths (e.g. one runoff outcome). Multipliers with a prior are
    drawn once per path, each event from its own stream (derived from ``rng`` and the event's
    name), so removing an event leaves the draws of the others unchanged; ``cache`` (a dict)
    keeps each event's factor for scenarios that share it.
    """
    days = _ordinals(dates).astype(float)
    out = np.ones((n, days.size))
    base = rng.bit_generator.seed_seq
    for e in events:
        key = ("intent", repr(e), n, days.tobytes(), repr(base.entropy), repr(base.spawn_key))
        if cache is not None and key in cache:
            out *= cache[key]
            continue
        factor = _event_factor(e, days, base, n)
        if cache is not None:
            cache[key] = factor
        out *= factor
    return out


def _event_factor(e, days, base, n):
    """One event's multiplier per path and day, from its own stream."""
    tag = int.from_bytes(hashlib.blake2b(e.name.encode(), digest_size=4).digest(), "little")
    own = np.random.default_rng(np.random.SeedSequence(base.entropy,
                                                       spawn_key=(*base.spawn_key, tag)))
    value = e.value.sample(own, n)[:, None]
    happens = own.random(n)[:, None] < e.probability
    if e.kind == "countdown":
        start, deadline = e.start.toordinal(), e.deadline.toordinal()
        frac = np.clip((days - start) / (deadline - start), 0.0, 1.0)[None, :]
        ramp = np.exp(np.log(np.maximum(value, 1e-12)) * frac)
        factor = np.where(days[None, :] < start, 1.0, ramp)
        factor = np.where(days[None, :] > deadline, e.after, factor)
    else:
        on = ((days >= e.start.toordinal()) & (days <= e.end.toordinal()))[None, :]
        factor = np.where(on, value, 1.0)
    return np.where(happens, factor, 1.0)
