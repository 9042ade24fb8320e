"""forecast.background: a value computed in a forked process is the value computed here."""

import os
import signal
import time

import numpy as np
import pytest

from forecast.background import Background
from forecast.errors import DataError, ForecastError


def fork_exists() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


# these tests fork on purpose (fork=True), whatever the CPUs and threads of the test process
needs_fork = pytest.mark.skipif(not fork_exists(), reason="needs the fork start method")


def draws(seed, n):
    return np.random.default_rng(seed).normal(size=n)


def fail(kind):
    if kind == "data":
        raise DataError("file x.csv, row 3: low must be a number")
    raise ZeroDivisionError("a bug")


def pid():
    return os.getpid()


@pytest.mark.parametrize("fork", [True, False])
def test_the_value_is_the_same_in_a_child_or_here(fork):
    if fork and not fork_exists():
        pytest.skip("needs the fork start method")
    with Background(draws, 7, n=1000, fork=fork) as job:
        assert job.forked == fork
        got = job.result()
    np.testing.assert_array_equal(got, draws(7, 1000))


@needs_fork
def test_it_runs_in_another_process():
    with Background(pid, fork=True) as job:
        assert job.result() != os.getpid()


@pytest.mark.parametrize("fork", [True, False])
def test_errors_come_back_with_their_type_and_message(fork):
    if fork and not fork_exists():
        pytest.skip("needs the fork start method")
    with Background(fail, "data", fork=fork) as job:
        with pytest.raises(DataError, match="row 3: low must be a number"):
            job.result()
    with Background(fail, "bug", fork=fork) as job:
        with pytest.raises(ZeroDivisionError, match="a bug") as info:
            job.result()
    if fork:  # a bug keeps the child's traceback as a note
        assert "in the background process" in "".join(info.value.__notes__)


@needs_fork
def test_a_child_killed_before_answering_is_a_clear_error():
    with Background(time.sleep, 60, fork=True) as job:
        os.kill(job._process.pid, signal.SIGKILL)
        with pytest.raises(ForecastError, match="ended without a result .exit status -9"):
            job.result()


@needs_fork
def test_leaving_the_block_early_kills_the_child():
    with pytest.raises(RuntimeError), Background(time.sleep, 60, fork=True) as job:
        child = job._process
        raise RuntimeError("the parent failed")
    assert child._popen is None or child.exitcode is not None  # joined, not running
    assert job._process is None


@needs_fork
def test_the_child_ignores_ctrl_c_the_parent_decides():
    with Background(draws, 1, 10_000, fork=True) as job:
        os.kill(job._process.pid, signal.SIGINT)  # what Ctrl-C sends the process group
        assert job.result().shape == (10_000,)


def test_a_result_is_collected_once():
    job = Background(draws, 1, 3, fork=False)
    job.result()
    with pytest.raises(ForecastError, match="already collected"):
        job.result()


def test_no_fork_while_another_thread_runs(monkeypatch):
    import threading

    import forecast.background as bg

    monkeypatch.setattr(bg, "available_cpus", lambda: 2)
    alone = bg.can_fork()
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not bg.can_fork()
        assert not Background(draws, 1, 3).forked   # computed here, on result()
    finally:
        stop.set()
        worker.join()
    assert bg.can_fork() == alone


@needs_fork
def test_a_value_that_cannot_come_back_is_a_clear_error():
    import threading

    with Background(threading.Lock, fork=True) as job:   # a lock does not pickle
        with pytest.raises(ForecastError, match="could not be sent back from the background"):
            job.result()
