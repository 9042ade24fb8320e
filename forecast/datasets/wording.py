"""The one table turning counts reported only in words into intervals of persons.

``border_stranding_counts.csv`` stores such a count in its ``count_words`` column (a key of
:data:`VERBAL`) and leaves ``low``/``high``/``point`` empty; the loader fills ``low`` and
``high`` from this table, so each wording has exactly one coding. Keys are lower case;
Spanish as published and the English of agency reports map to the same interval.

Reasoning per entry (bounds in persons, both inclusive):

* ``ninguna`` / ``ninguno`` / ``nadie`` / ``cero`` / ``none`` / ``no one`` -> [0, 0]:
  an explicit statement that nobody is there.
* ``prácticamente nula`` / ``practically none`` -> [0, 5]: "practically nil" (said of a
  presence): nobody or a handful, fewer than "unas pocas" would suggest.
* ``unas pocas`` / ``pocas personas`` / ``a few`` -> [2, 9]: a plural below one ten.
* ``una decena`` / ``about ten`` -> [8, 15]: "about ten"; press rounds 8-9 up and
  low teens down to "una decena" (below that it would say "unas pocas", above it
  "más de una decena" or "decenas").
* ``varias decenas`` / ``several dozen`` -> [30, 99]: "several" tens is at least three
  tens; still below a hundred (otherwise "un centenar").
* ``decenas`` / ``dozens`` -> [20, 99]: the literal minimum of a plural of "decena" is two
  tens; below a hundred. (The dataset previously coded 24-99, the English "two dozen"
  reading; the Spanish wording is what is reported, so 20 is used and the two 2025-11
  'decenas' rows move from 24 to 20. This is also the package's older scenario table.)
* ``medio centenar`` / ``about fifty`` -> [40, 60]: "half a hundred", +-10.
* ``un centenar`` / ``centenar`` / ``about a hundred`` -> [80, 130]: "about a hundred";
  as in the dataset's earlier manifest coding, a bit wider above than below because
  reporters round crowds down to the hundred more readily than up.
* ``al menos un centenar`` / ``más de un centenar`` / ``mas de un centenar`` /
  ``over a hundred`` / ``more than a hundred`` / ``at least a hundred`` -> [100, 200]:
  a lower bound of 100; above 200 the press says "cientos"/"centenares".
* ``decenas e incluso más de un centenar`` -> [20, 200]: the union of ``decenas`` and
  ``más de un centenar`` (Meganoticias, 27 Nov 2025: crowd size varies over the evening).
* ``cientos`` / ``centenares`` / ``hundreds`` -> [200, 999]: a plural of hundreds is at least
  two hundred and below a thousand.
* ``varios cientos`` / ``varios centenares`` / ``several hundred`` -> [300, 999]: "several"
  hundreds is at least three hundred (like ``varias decenas``).
* ``un millar`` / ``about a thousand`` -> [800, 1300]: "about a thousand", scaled like
  ``un centenar``.
* ``miles`` / ``thousands`` -> [2000, 9999]: a plural of thousands, below ten thousand
  (scaled like ``cientos``).

Use :func:`interval` to look a wording up; it lower-cases and strips, and an unknown
wording raises :class:`UnknownWording` (a ``ValueError``) listing the valid keys.
"""

from __future__ import annotations

_DECENAS = (20.0, 99.0)
_MAS_DE_UN_CENTENAR = (100.0, 200.0)

#: lower-case wording -> (low, high) persons; see the module docstring for each entry.
VERBAL: dict[str, tuple[float, float]] = {
    "ninguna": (0.0, 0.0), "ninguno": (0.0, 0.0), "nadie": (0.0, 0.0), "cero": (0.0, 0.0),
    "none": (0.0, 0.0), "no one": (0.0, 0.0),
    "prácticamente nula": (0.0, 5.0), "practically none": (0.0, 5.0),
    "unas pocas": (2.0, 9.0), "pocas personas": (2.0, 9.0), "a few": (2.0, 9.0),
    "una decena": (8.0, 15.0), "about ten": (8.0, 15.0),
    "varias decenas": (30.0, 99.0), "several dozen": (30.0, 99.0),
    "decenas": _DECENAS, "dozens": _DECENAS,
    "medio centenar": (40.0, 60.0), "about fifty": (40.0, 60.0),
    "un centenar": (80.0, 130.0), "centenar": (80.0, 130.0), "about a hundred": (80.0, 130.0),
    "al menos un centenar": _MAS_DE_UN_CENTENAR, "más de un centenar": _MAS_DE_UN_CENTENAR,
    "mas de un centenar": _MAS_DE_UN_CENTENAR, "over a hundred": _MAS_DE_UN_CENTENAR,
    "more than a hundred": _MAS_DE_UN_CENTENAR, "at least a hundred": _MAS_DE_UN_CENTENAR,
    "decenas e incluso más de un centenar": (_DECENAS[0], _MAS_DE_UN_CENTENAR[1]),
    "cientos": (200.0, 999.0), "centenares": (200.0, 999.0), "hundreds": (200.0, 999.0),
    "varios cientos": (300.0, 999.0), "varios centenares": (300.0, 999.0),
    "several hundred": (300.0, 999.0),
    "un millar": (800.0, 1300.0), "about a thousand": (800.0, 1300.0),
    "miles": (2000.0, 9999.0), "thousands": (2000.0, 9999.0),
}


class UnknownWording(ValueError):
    """A verbal count that is not a key of :data:`VERBAL`."""


def normalize(words: str) -> str:
    """Lower case, stripped, inner whitespace collapsed."""
    return " ".join(str(words).split()).lower()


def valid_keys() -> str:
    return ", ".join(repr(k) for k in sorted(VERBAL))


def interval(words: str) -> tuple[float, float]:
    """(low, high) persons for a verbal count; UnknownWording lists the valid keys."""
    key = normalize(words)
    try:
        return VERBAL[key]
    except KeyError:
        raise UnknownWording(
            f"unknown verbal count {words!r}; valid: {valid_keys()}"
        ) from None
