"""Calendar days: the one coercion of a date given by a user, a TOML file or a frame.

The scenario layer counts in whole days (``datetime.date``). Every place that takes a date
from outside (scenario files, ``as_of``/``upto`` arguments, count frames, observation
filters, kernel schedules) goes through :func:`as_date`, so every one accepts the same
values and fails with the same message:

* a ``datetime.date``;
* a ``datetime.datetime`` or pandas ``Timestamp`` (its calendar day; the time is dropped);
* a ``numpy.datetime64`` of any unit (its calendar day);
* a string ``YYYY-MM-DD`` (ISO 8601, nothing else: "03/04/2025" is ambiguous).

Anything else (None, NaT, numbers, other string forms, impossible days such as 2025-02-30)
raises :class:`forecast.errors.ScenarioError` naming where the value came from, the value, and
what would be valid.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from forecast.errors import ScenarioError

VALID = ("a date: a 'YYYY-MM-DD' string, datetime.date, datetime.datetime, pandas Timestamp "
         "or numpy datetime64")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_date(value, where: str = "date") -> dt.date:
    """The calendar day of ``value``; ``where`` names it in the error (e.g. "file: window.end")."""
    if isinstance(value, dt.datetime):      # before dt.date: a datetime is also a date
        if value is not pd.NaT:
            return value.date()
    elif isinstance(value, dt.date):
        return value
    elif isinstance(value, np.datetime64):
        day = value.astype("datetime64[D]").item()
        if isinstance(day, dt.date):        # not NaT, inside the years 1-9999
            return day
    elif isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ScenarioError(f"{where}: expected {VALID}; got {value!r} ({exc})") from None
    raise ScenarioError(f"{where}: expected {VALID}; got {value!r}")
