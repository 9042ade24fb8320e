"""Checking, before any work, that an output folder can be created and written.

A run that computes for minutes and then finds that ``--out`` is a file, or read-only, wastes
the user's time; :func:`check_writable` finds out in a millisecond. It probes with a real file
(permissions, read-only mounts and access-control lists all answer) and creates nothing that
stays: a folder that does not exist yet is checked through its nearest existing parent.
Messages name the folder the user gave and the reason, never the probe's name.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from forecast import interrupts
from forecast.errors import OutputError

#: How common failures are worded; anything else uses the system's own words.
_WORDS = {
    "EACCES": "permission denied",
    "EPERM": "permission denied",
    "EROFS": "read-only file system",
    "ENOSPC": "no space left on device",
    "EDQUOT": "disk quota exceeded",
    "ENOTDIR": "a part of the path is a file, not a folder",
    "EISDIR": "it is a folder, not a file",
    "ENAMETOOLONG": "the name is too long",
}
REASONS = {getattr(errno, k): v for k, v in _WORDS.items() if hasattr(errno, k)}


def reason(exc: OSError) -> str:
    """Why an OS call failed, in words and without file names (``exc`` may name a temp file)."""
    if isinstance(getattr(exc, "reason", None), str):  # an OutputError from output_error
        return exc.reason
    if exc.errno in REASONS:
        return REASONS[exc.errno]
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def output_error(message: str, exc: OSError) -> OutputError:
    """``OutputError("<message>: <reason>")`` keeping the reason as ``.reason``, so a caller
    that rewords it (see :mod:`forecast.outputset`) still knows why, without the file names."""
    why = reason(exc)
    err = OutputError(f"{message}: {why}")
    err.reason = why
    return err


def check_writable(out_dir, names=()) -> Path:
    """Raise :class:`~forecast.errors.OutputError` unless files ``names`` can be written in
    the folder ``out_dir`` (created, with its missing parents, when the outputs are written).

    Checked: ``out_dir`` or a parent is a file; a file of ``names`` is a folder; the folder
    (or, when missing, its nearest existing parent) refuses new files: permission denied,
    read-only, full. Returns ``out_dir`` as a Path.
    """
    out = Path(out_dir)
    if str(out_dir) == "":
        raise OutputError("cannot write to '': the output folder name is empty")
    existing = out
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():  # a dangling link: mkdir would fail on it
            raise OutputError(f"cannot write to {out}: {existing} is a broken symbolic link")
        existing = existing.parent
    if not existing.is_dir():
        where = "it is" if existing == out else f"{existing} is"
        raise OutputError(f"cannot write to {out}: {where} a file, not a folder")
    if existing == out:
        for name in names:
            if (out / name).is_dir():
                raise OutputError(f"cannot write {out / name}: it is a folder, not a file")
    _probe(existing, out)
    return out


def _probe(folder: Path, out: Path) -> None:
    """Create and remove a hidden file in ``folder`` (removed even when interrupted)."""
    probe = folder / f".forecast-probe-{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except OSError as exc:
        err = output_error(f"cannot write to {out}", exc)
        if folder != out:
            err.args = (f"{err} (cannot create folders in {folder})",)
        raise err from None
    finally:
        interrupts.remove_file(probe)
