"""Work in a second process while the caller goes on: fork, compute, send the value back.

    with Background(report_inputs, spec, seed=0) as inputs:   # starts at once
        proj = project(spec)                                    # meanwhile, in this process
        extra = inputs.result()                                 # waits; value or exception

:class:`Background` runs ``func(*args, **kwargs)`` in a forked child process where fork
exists, more than one CPU is available to this process and no other Python thread is running
(forking a multi-threaded process can leave a lock held in the child: in a notebook, a web
server or a dask worker the work stays in process), and otherwise calls it in process when
:meth:`~Background.result` is first asked for. The value is the same either way: ``func``
must depend only on its arguments (every draw from its own seeded ``numpy.random.Generator``,
as everywhere in the package) and must not write files; it comes back pickled.

* **Errors.** An exception raised by ``func`` in the child is raised again by ``result()``
  in the parent, with the same type and message (a bug's traceback from the child added as
  a note). A child that dies without a value (killed, out of memory) is a
  :class:`~forecast.errors.ForecastError` naming ``func`` and its exit status.
* **Interrupts.** The child ignores SIGINT (Ctrl-C reaches the whole process group; the
  parent decides what to do) and dies on SIGTERM. Leaving the ``with`` block before the value
  was collected (an error or an interrupt in the parent) kills the child and waits for it, so
  no process outlives the run.
* **Output.** stdout and stderr are flushed before the fork, so nothing buffered is printed
  twice; the child prints nothing of its own.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback

from forecast.errors import ForecastError


def available_cpus() -> int:
    """CPUs this process may run on (its affinity where the platform tells, else all)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True where a second process can start by fork, has a CPU of its own, and this
    process runs no other Python thread."""
    import multiprocessing
    import threading

    return ("fork" in multiprocessing.get_all_start_methods() and available_cpus() > 1
            and threading.active_count() == 1)


#: Signals held off over the fork (see :class:`Background`).
_HELD = (signal.SIGINT, signal.SIGTERM)


def _child(conn, func, args, kwargs) -> None:  # pragma: no cover - runs in the child
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    try:
        outcome = ("value", func(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001 - every exception goes back to the parent
        if not isinstance(exc, ForecastError):
            exc.add_note("in the background process:\n" + "".join(
                traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip())
        outcome = ("error", exc)
    try:
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - an unpicklable value or exception
        payload = pickle.dumps(("error", ForecastError(
            f"{_name(func)}: its result could not be sent back from the background process "
            f"({type(exc).__name__}: {exc})")))
    try:
        conn.send_bytes(payload)
    except OSError:
        pass  # the parent is gone: nobody to tell
    finally:
        conn.close()


def _name(func) -> str:
    return getattr(func, "__qualname__", None) or repr(func)


class Background:
    """``func(*args, **kwargs)`` computed in a forked child process (see the module
    docstring); ``fork=False`` computes it in process, on :meth:`result`."""

    def __init__(self, func, *args, fork: bool | None = None, **kwargs):
        self._call = (func, args, kwargs)
        self._process = None
        self._conn = None
        self._done = False
        if fork is None:
            fork = can_fork()
        if fork:
            import multiprocessing

            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (AttributeError, OSError, ValueError):
                    pass
            self._process = context.Process(target=_child, args=(send, func, args, kwargs),
                                            name=f"forecast: {_name(func)}")
            # the child must not see a signal before it has set its own handlers: both are
            # held off over the fork (the child unblocks them once SIGINT is ignored)
            held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
            try:
                self._process.start()
            finally:
                send.close()
                self._conn = receive
                try:
                    signal.pthread_sigmask(signal.SIG_SETMASK, held)  # delivers what came
                except BaseException:
                    self.cancel()
                    raise

    @property
    def forked(self) -> bool:
        """True while the value is being computed in a child process."""
        return self._process is not None

    def result(self):
        """The value of ``func(*args, **kwargs)``, or its exception raised here; once."""
        if self._done:
            raise ForecastError(f"{_name(self._call[0])}: result() was already collected")
        func, args, kwargs = self._call
        if self._process is None:
            self._done = True
            return func(*args, **kwargs)
        try:
            payload = self._conn.recv_bytes()
        except EOFError:
            self._process.join()
            raise ForecastError(f"{_name(func)}: the background process ended without a "
                                f"result (exit status {self._process.exitcode})") from None
        finally:
            self._finish()
        try:
            kind, value = pickle.loads(payload)
        except Exception as exc:  # noqa: BLE001 - e.g. an exception type that cannot rebuild
            raise ForecastError(f"{_name(func)}: its result from the background process could "
                                f"not be read ({type(exc).__name__}: {exc})") from None
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Kill the child, if any, and wait for it; the value is then never collected."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
        self._finish()

    def _finish(self) -> None:
        self._done = True
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join()
            self._process.close()
            self._process = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.cancel()
        return False
