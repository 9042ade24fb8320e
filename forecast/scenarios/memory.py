"""Memory a run needs, estimated before anything is allocated, and the memory there is.

A projection holds every path of every day of every scenario, and a calibration every
particle of every day since ``history.start``: ``forecast project --paths 10000000`` or
``history.start = 1900-01-01`` would exhaust the machine after minutes of work. The estimates
below are checked first and a request that does not fit is refused with the figures.

Bytes per cell were measured (peak of ``tracemalloc``, numpy 1.26; default scenario file,
103 projected days; 2,000 and 8,000 paths gave the same figures):

* projection, :func:`forecast.scenarios.project` plus the summaries and CSV frames
  ``forecast project`` prints and writes: 196 bytes per path-day with one scenario, 309 with
  four; about 160 + 40 per scenario (the five int64 flow arrays kept per scenario, and the
  kernel's working arrays of one scenario at a time);
* calibration, one particle-filter pass (:func:`forecast.scenarios.calibrate._path_loglik`)
  over a chunk of 48,000 particles: 168 bytes per particle-day over 60 and 200 days of
  history (the stock history kept for peak and average reports, the calendar multipliers
  and the kernel's working arrays), plus about 80 MB.

The estimates round these up; what is available is the smaller of the memory the operating
system reports as available (``MemAvailable``, else free pages) and what the process's
control group may still use.
"""

from __future__ import annotations

import os
from pathlib import Path

from forecast.errors import ScenarioError

#: Bytes per path and projected day: a base, plus this much per scenario.
PROJECTION_CELL = 160
PROJECTION_CELL_PER_SCENARIO = 40
#: Bytes per path whatever the window (parameter draws, starting state).
PROJECTION_PATH = 400
#: Bytes per particle and simulated day of a calibration pass, and its fixed part.
CALIBRATION_CELL = 180
CALIBRATION_FIXED = 100 * 2**20
_GIB = 2**30


def projection_bytes(n_paths: int, days: int, scenarios: int) -> int:
    """Peak bytes of projecting ``n_paths`` paths over ``days`` days under ``scenarios``."""
    cell = PROJECTION_CELL + PROJECTION_CELL_PER_SCENARIO * scenarios
    return int(n_paths) * (int(days) * cell + PROJECTION_PATH)


def calibration_bytes(particles: int, days: int) -> int:
    """Peak bytes of one particle-filter pass with ``particles`` per chunk over ``days``."""
    return int(particles) * (int(days) + 1) * CALIBRATION_CELL + CALIBRATION_FIXED


def available_bytes() -> tuple[int | None, int | None]:
    """(available, total) bytes of memory this process may use; None when unknown."""
    total = _sysconf("SC_PHYS_PAGES")
    available = _meminfo_available()
    if available is None:
        available = _sysconf("SC_AVPHYS_PAGES")
    limit, used = _cgroup()
    if limit is not None:
        total = limit if total is None else min(total, limit)
        room = max(limit - (used or 0), 0)
        available = room if available is None else min(available, room)
    return available, total


def check(need: int, what: str, advice: str) -> None:
    """Refuse ``what`` (a phrase: "projecting 10 paths x 5 days") when it needs more than the
    available memory; ``advice`` says what to lower."""
    available, total = available_bytes()
    if available is None or need <= available:
        return
    machine = f"this machine has {format_bytes(total)}" if total else "this machine has"
    raise ScenarioError(f"{what} needs about {format_bytes(need)} of memory; {machine} "
                        f"({format_bytes(available)} available): {advice}")


def format_bytes(n) -> str:
    """``17 GiB``, ``340 MiB``, ``1.2 TiB``: two significant figures at most."""
    n = float(n)
    for unit, size in (("TiB", 2**40), ("GiB", _GIB), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            v = n / size
            return f"{v:.1f} {unit}" if v < 10 else f"{v:,.0f} {unit}"
    return f"{n:.0f} bytes"


def _sysconf(name) -> int | None:
    try:
        pages, size = os.sysconf(name), os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    return pages * size if pages > 0 and size > 0 else None


def _meminfo_available() -> int | None:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("MemAvailable:"):
            parts = line.split()
            return int(parts[1]) * 1024 if len(parts) >= 2 and parts[1].isdigit() else None
    return None


def _cgroup() -> tuple[int | None, int | None]:
    """(limit, usage) of the memory controller of the process's control group, if limited.

    cgroup v2 (``memory.max``) or v1 (``memory.limit_in_bytes``), at the process's own group
    and at the mount's root (inside a container the root is the container's group).
    """
    own = {"v2": "", "v1": ""}
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            ident, _, rest = line.partition(":")
            controllers, _, group = rest.partition(":")
            if ident == "0" and not controllers:
                own["v2"] = group.lstrip("/")
            elif "memory" in controllers.split(","):
                own["v1"] = group.lstrip("/")
    except OSError:
        pass
    root = Path("/sys/fs/cgroup")
    candidates = [(root / own["v2"], "memory.max", "memory.current"), (root, "memory.max",
                  "memory.current"), (root / "memory" / own["v1"], "memory.limit_in_bytes",
                  "memory.usage_in_bytes"), (root / "memory", "memory.limit_in_bytes",
                  "memory.usage_in_bytes")]
    for folder, limit_file, usage_file in candidates:
        try:
            limit = (folder / limit_file).read_text().strip()
        except OSError:
            continue
        if not limit.isdigit() or int(limit) >= 2**60:   # "max" or v1's huge "no limit"
            return None, None
        try:
            used = (folder / usage_file).read_text().strip()
        except OSError:
            used = ""
        return int(limit), int(used) if used.isdigit() else None
    return None, None
