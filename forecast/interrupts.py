"""Interrupts: SIGTERM unwinds like Ctrl-C, short critical sections hold both off, and
clean-up survives them.

Python turns SIGINT into ``KeyboardInterrupt``; SIGTERM, by default, kills the process where it
stands, so ``finally`` blocks never run and temporary files stay behind. :func:`sigterm_unwinds`
makes SIGTERM raise :class:`Terminated`, a ``KeyboardInterrupt``, so every clean-up path written
for Ctrl-C also runs for ``kill``. :func:`deferred` delays both signals over a few file renames
that must not be cut in half (see :mod:`forecast.outputset`); a signal that arrives meanwhile is
delivered as soon as the section ends. :func:`remove_file` and :func:`remove_tree` finish
removing temporary files even when an interrupt cuts the first attempt short.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import threading
from pathlib import Path

#: The signals the command line unwinds on, and the exit status of each (128 + number).
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(KeyboardInterrupt):
    """Raised on SIGTERM inside :func:`sigterm_unwinds`."""

    signum = signal.SIGTERM


def _raise_terminated(signum, frame):
    raise Terminated(f"terminated by signal {signum}")


@contextlib.contextmanager
def sigterm_unwinds():
    """Inside the block SIGTERM raises :class:`Terminated`; the previous handler is restored
    afterwards (outside the main thread, where handlers cannot be set, nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def exit_status(exc: KeyboardInterrupt) -> int:
    """The shell's status for a run ended by ``exc``: 143 after SIGTERM, 130 after Ctrl-C."""
    return 128 + int(getattr(exc, "signum", signal.SIGINT))


@contextlib.contextmanager
def deferred():
    """Hold SIGINT and SIGTERM off inside the block; deliver them when it ends.

    Handlers can only be swapped in the main thread; elsewhere the block runs unprotected
    (Python delivers signals to the main thread only, so a worker thread is not interrupted by
    them anyway).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending = []
    previous = {}
    try:
        for signum in SIGNALS:
            if signal.getsignal(signum) is not None:  # None: set outside Python, keep it
                previous[signum] = signal.signal(signum, lambda n, f: pending.append(n))
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(pending):
            # the restored handler decides: KeyboardInterrupt, Terminated, or the default
            signal.raise_signal(signum)


def remove_file(path) -> None:
    """Remove ``path`` if it exists, even when an interrupt cuts the first attempt short (the
    interrupt still propagates, but the file is gone: clean-up code calls this)."""
    path = Path(path)
    try:
        path.unlink(missing_ok=True)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def remove_tree(path) -> None:
    """:func:`remove_file` for a folder and everything in it."""
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
