"""Headline numbers of a `Projection`: people stranded on the file's key dates, and the chance
of crossing its thresholds, the figures the report's summary and ``forecast project`` print.

    from forecast.scenarios.headline import headline, key_dates, peak_exceedance
    key_dates(proj)                 # {date: label}: [[report.key_date]] in the window + last day
    headline(proj)                  # scenario, date, label, q10, q50, q90, p_over_<k> per k
    peak_exceedance(proj, "status-quo", 500)   # P(more than 500 on some day of the window)

The dates and thresholds come from the scenario file's ``[report]`` table
(:class:`~forecast.scenarios.spec.ReportSettings`), so nothing here is about one border.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

#: The label of the window's last day, always a key date.
END_LABEL = "end of the projection window"


def thresholds(proj) -> tuple:
    """The file's thresholds (people), lowest first."""
    return tuple(proj.spec.report.thresholds)


def key_dates(proj) -> dict:
    """``{date: label}``: the file's key dates inside the projected days, and always the last
    day, in date order."""
    first, last = proj.dates[1].date(), proj.dates[-1].date()
    out = {d: label for d, label in proj.spec.report.key_dates if first <= d <= last}
    out.setdefault(last, END_LABEL)
    return dict(sorted(out.items()))


def exceedance(proj, scenario: str, day: dt.date, k: int) -> float:
    """Probability that more than ``k`` people are stranded on ``day``."""
    i = proj.dates.get_loc(pd.Timestamp(day))
    return float((proj.stock(scenario)[:, i] > k).mean())


def peak_exceedance(proj, scenario: str, k: int) -> float:
    """Probability that the number stranded exceeds ``k`` on some day of the window."""
    return float((proj.stock(scenario)[:, 1:].max(axis=1) > k).mean())


def headline(proj) -> pd.DataFrame:
    """One row per scenario and key date: label, median and 80% band (q10, q90) of people
    stranded, and ``p_over_<k>`` (the chance of more than ``k`` that day) per threshold."""
    dates = key_dates(proj)
    at = proj.at(list(dates))[["scenario", "date", "q10", "q50", "q90"]].copy()
    at.insert(2, "label", [dates[d.date()] for d in at["date"]])
    for k in thresholds(proj):
        at[f"p_over_{k}"] = np.array([exceedance(proj, r.scenario, r.date.date(), k)
                                      for r in at.itertuples()], dtype=float)
    return at
