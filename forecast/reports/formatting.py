"""How numbers appear in the reports (tests use the same functions to find them in the text)."""

from __future__ import annotations

import math

import pandas as pd


def format_count(value) -> str:
    """A count of people, rounded to the nearest whole person: ``1,916``."""
    v = float(value)
    if not math.isfinite(v):
        return "n/a"
    return f"{round(v):,d}"


def format_band(lo, hi) -> str:
    """An interval of counts: ``102–402``."""
    return f"{format_count(lo)}–{format_count(hi)}"


def format_prob(p) -> str:
    """A probability in percent: ``36%``, ``<1%``, ``>99%``."""
    p = float(p)
    if p <= 0:
        return "0%"
    if p < 0.005:
        return "<1%"
    if p >= 1:
        return "100%"
    if p > 0.995:
        return ">99%"
    return f"{round(100 * p):d}%"


def format_date(day) -> str:
    """``14 Dec 2025``."""
    ts = pd.Timestamp(day)
    return f"{ts.day} {ts:%b %Y}"


def format_big(value, unit: str = "") -> str:
    """Large quantities: ``1.3 million litres``, ``6,706 m²``."""
    v = float(value)
    if abs(v) >= 1e6:
        text = f"{v / 1e6:.1f} million"
    else:
        text = format_count(v)
    return f"{text} {unit}".strip()


def format_number(value, digits: int = 3) -> str:
    """A score with ``digits`` significant digits (``0.556``, ``135,300``)."""
    v = float(value)
    if not math.isfinite(v):
        return "n/a"
    if abs(v) < 1e-9:  # rounding noise, e.g. a skill of -1.3e-15
        return "0"
    mag = math.floor(math.log10(abs(v)))
    if mag >= digits - 1:
        return f"{round(v, -(mag - digits + 1)):,.0f}"
    return f"{v:.{digits - 1 - mag}f}"
