"""How a report edition writes: its messages (from :mod:`forecast.reports.catalogue`) and its
conventions for numbers and dates.

    es = Language("es")
    es.count(1250)                    # "1.250"        (English: "1,250")
    es.decimal(1.25, 2)               # "1,25"         (English: "1.25")
    es.date("2026-03-11")             # "11 de marzo de 2026"   (English: "11 March 2026")
    es.short_date("2026-03-11")       # "11 mar 2026"  (tables, chart axes)
    es("brief.title")                 # a message of the catalogue in this language

Spanish follows the conventions of Chile and Peru: a point groups thousands (from 1.000 on),
a comma marks decimals. A number and its unit are joined by non-breaking spaces, so that no
line of a page starts with "million litres" (the layout wraps at ordinary spaces only).
"""

from __future__ import annotations

import math
import string

import pandas as pd

from forecast.errors import ReportError
from forecast.reports.catalogue import MESSAGES
from forecast.reports.formatting import format_prob

LANGUAGES = ("en", "es")
NBSP = "\u00a0"
MINUS = "\u2212"   # a minus sign, not a hyphen: the layout never breaks a line at it
DASH = "\u2013"    # the en dash of a band: 102–402

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}
_MONTHS_SHORT = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"),
}
_SEPARATORS = {"en": (",", "."), "es": (".", ",")}   # (thousands, decimal)


def check_language(lang) -> str:
    if lang not in LANGUAGES:
        raise ReportError(f"report language {lang!r} is not available; valid: "
                          f"{', '.join(LANGUAGES)}")
    return lang


def placeholders(template: str) -> set:
    """The named fields of a message template (``{n}`` -> ``{"n"}``)."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


class Language:
    """One edition's messages and number and date conventions."""

    def __init__(self, code: str = "en"):
        self.code = check_language(code)
        self._thousands, self._decimal = _SEPARATORS[self.code]

    def __call__(self, key: str, /, **values) -> str:
        """The message ``key`` in this language, its ``{fields}`` filled from ``values``."""
        try:
            template = MESSAGES[key][self.code]
        except KeyError:
            raise ReportError(f"report text {key!r} is not in forecast.reports.catalogue")\
                from None
        return template.format(**values) if values else template

    def has(self, key: str) -> bool:
        return key in MESSAGES

    def get(self, key: str, default: str, /, **values) -> str:
        """The message ``key`` (filled from ``values``) when the catalogue has it, else
        ``default``: words for values the files name (a unit, a release kind), which may be
        ones the catalogue does not know."""
        return self(key, **values) if key in MESSAGES else default

    # -- numbers -------------------------------------------------------------------------------
    def _group(self, digits: str) -> str:
        groups = []
        while len(digits) > 3:
            digits, tail = digits[:-3], digits[-3:]
            groups.insert(0, tail)
        return self._thousands.join([digits, *groups]) if groups else digits

    def text(self, value) -> str:
        """A text from a scenario file in this language when the file gives it
        (:class:`forecast.scenarios.spec.Text`), else as written."""
        from forecast.scenarios.spec import in_language

        return in_language(value, self.code)

    def count(self, value) -> str:
        """A count of people, rounded to a whole person: ``1,916`` / ``1.916``."""
        v = float(value)
        if not math.isfinite(v):
            return self("value.na")
        r = round(v)
        text = self._group(str(abs(r)))
        return (MINUS + text) if r < 0 else text

    def decimal(self, value, digits: int) -> str:
        """``value`` with ``digits`` decimals: ``-5.06`` / ``−5,06`` (a minus sign)."""
        v = float(value)
        if not math.isfinite(v):
            return self("value.na")
        text = f"{abs(v):.{digits}f}"
        whole, _, frac = text.partition(".")
        out = self._group(whole) + (self._decimal + frac if frac else "")
        negative = v < 0 and any(c not in "0." for c in text)
        return (MINUS + out) if negative else out

    def signed(self, value, digits: int = 0) -> str:
        """A change: ``+387`` / ``−44`` / ``0``."""
        v = float(value)
        text = self.decimal(v, digits) if digits else self.count(v)
        zero = all(c in "0.," for c in text.lstrip(MINUS))
        return text if text.startswith(MINUS) or zero else "+" + text

    def number(self, value, digits: int = 3) -> str:
        """A score or parameter with ``digits`` significant digits (``0.556``, ``135,300``)."""
        v = float(value)
        if not math.isfinite(v):
            return self("value.na")
        if abs(v) < 1e-9:  # rounding noise, e.g. a skill of -1.3e-15
            return "0"
        mag = math.floor(math.log10(abs(v)))
        if mag >= digits - 1:
            return self.count(round(v, -(mag - digits + 1)))
        return self.decimal(v, digits - 1 - mag)

    def band(self, lo, hi) -> str:
        """An interval of counts: ``102–402``."""
        return f"{self.count(lo)}{DASH}{self.count(hi)}"

    def prob(self, p) -> str:
        """A probability in percent: ``36%``, ``<1%``, ``>99%`` (the same in both languages,
        so :func:`forecast.reports.formatting.format_prob`)."""
        return format_prob(p)

    def signed_points(self, p) -> str:
        """A change of probability in percentage points: ``+12 pp`` / ``−3 pp``."""
        return f"{self.signed(round(100 * float(p)))}{NBSP}{self('unit.pp')}"

    def big(self, value, unit: str = "") -> str:
        """Large quantities, unit joined: ``1.3 million litres`` / ``1,3 millones de litros``."""
        v = float(value)
        if abs(v) >= 1e6:
            text = self("value.million", n=self.decimal(v / 1e6, 1))
            if unit:
                text = self("value.million_of", n=text, unit=unit)
        else:
            text = self.count(v) + (f" {unit}" if unit else "")
        return text.replace(" ", NBSP)

    # -- dates ---------------------------------------------------------------------------------
    def date(self, day) -> str:
        """``11 March 2026`` / ``11 de marzo de 2026``."""
        ts = pd.Timestamp(day)
        month = _MONTHS[self.code][ts.month - 1]
        if self.code == "es":
            return NBSP.join([str(ts.day), "de", month, "de", str(ts.year)])
        return NBSP.join([str(ts.day), month, str(ts.year)])

    def short_date(self, day) -> str:
        """``11 Mar 2026`` / ``11 mar 2026`` (tables)."""
        ts = pd.Timestamp(day)
        return NBSP.join([str(ts.day), _MONTHS_SHORT[self.code][ts.month - 1], str(ts.year)])

    def day_month(self, day) -> str:
        """``11 Mar`` / ``11 mar`` (chart ticks inside one year)."""
        ts = pd.Timestamp(day)
        return f"{ts.day}{NBSP}{_MONTHS_SHORT[self.code][ts.month - 1]}"

    def month(self, day) -> str:
        """``December 2025`` / ``diciembre de 2025`` (prose)."""
        ts = pd.Timestamp(day)
        month = _MONTHS[self.code][ts.month - 1]
        if self.code == "es":
            return NBSP.join([month, "de", str(ts.year)])
        return NBSP.join([month, str(ts.year)])

    def month_year(self, day) -> str:
        """``Dec 2025`` / ``dic 2025`` (chart axes)."""
        ts = pd.Timestamp(day)
        return f"{_MONTHS_SHORT[self.code][ts.month - 1]}{NBSP}{ts.year}"

    def join(self, items) -> str:
        """``a, b and c`` / ``a, b y c``."""
        items = [str(i) for i in items]
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self('word.and')} {items[-1]}"
