"""Outputs are checked before the work, written as whole sets, and cleaned up on interrupts.

The install of a set is tested by injecting an interrupt at every file operation it makes
(before and after the operation takes effect): the folder must then hold exactly the old set
or exactly the new one, with the user's other files untouched and no temporary file left.
"""

import errno
import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from forecast import interrupts, outputset
from forecast.atomicwrite import write_atomic
from forecast.cli import main
from forecast.errors import ForecastError, OutputError
from forecast.outputset import output_set, recover
from forecast.writable import check_writable

OLD = {"a.csv": b"old a\n", "b.csv": b"old b\n", "c.png": b"old png"}
NEW = {"a.csv": "new a\n", "b.csv": "new b\n", "c.png": b"new png", "d.csv": "new d\n"}
USER = {"notes.txt": b"the user's own file", ".hidden-user-file": b"also theirs"}


def snapshot(folder: Path) -> dict:
    """Every entry of ``folder`` (hidden ones too) with its bytes; folders as None."""
    return {p.name: (None if p.is_dir() else p.read_bytes()) for p in folder.iterdir()}


def as_bytes(files: dict) -> dict:
    return {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}


def populate(folder: Path, files: dict):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data.encode() if isinstance(data, str) else data)


def write_new_set(folder: Path):
    with output_set(folder) as staged:
        for name, data in NEW.items():
            staged.write(name, data)
    return staged.written


class Faults:
    """Wrap file operations of ``os``; the k-th call raises ``exc`` before or after acting."""

    NAMES = ("replace", "rename", "link", "unlink", "open", "fsync")

    def __init__(self, monkeypatch, k, exc=KeyboardInterrupt, after=False):
        self.k, self.exc, self.after, self.calls = k, exc, after, 0
        for name in self.NAMES:
            monkeypatch.setattr(os, name, self._wrap(getattr(os, name)))

    def _wrap(self, real):
        def op(*args, **kwargs):
            self.calls += 1
            if self.calls == self.k and not self.after:
                raise self.exc()
            result = real(*args, **kwargs)
            if self.calls == self.k:
                raise self.exc()
            return result
        return op

    @property
    def fired(self):
        return self.calls >= self.k


# -- the install, interrupted everywhere ---------------------------------------------------
@pytest.mark.parametrize("after", [False, True], ids=["before-op", "after-op"])
@pytest.mark.parametrize("old", [OLD, {}], ids=["old-set", "first-run"])
def test_interrupt_at_every_step_leaves_old_or_new_set(tmp_path, monkeypatch, after, old):
    outcomes = set()
    k = 0
    while True:
        k += 1
        folder = tmp_path / f"run{k}"
        populate(folder, {**USER, **old})
        before = snapshot(folder)
        new = {**before, **as_bytes(NEW)}
        with monkeypatch.context() as m:
            faults = Faults(m, k, after=after)
            try:
                write_new_set(folder)
            except KeyboardInterrupt:
                assert faults.fired
            fired = faults.fired
        now = snapshot(folder)
        assert now in (before, new), f"interrupt at file operation {k}: a mixed folder"
        outcomes.add("old" if now == before else "new")
        if not fired:  # every operation of the write has been interrupted once
            break
    assert k > 10  # the staging writes, the links, the journal and the renames were all hit
    assert outcomes == {"old", "new"}


def test_system_exit_in_the_install_rolls_back(tmp_path, monkeypatch):
    populate(tmp_path, {**USER, **OLD})
    before = snapshot(tmp_path)
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == len(NEW) + 3:  # staging writes and journal done; inside step 3
            raise SystemExit(3)
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SystemExit):
        write_new_set(tmp_path)
    assert snapshot(tmp_path) == before


def test_real_signal_during_the_install_is_delivered_after_it(tmp_path, monkeypatch):
    """SIGINT arriving between two renames is held until the set is whole."""
    populate(tmp_path, {**USER, **OLD})
    real = os.replace
    sent = []

    def replace(src, dst):
        if Path(dst).parent == tmp_path and not sent:  # the first rename into the folder
            sent.append(dst)
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # give the handler every chance to run here, if it were armed
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    # start from Python's own Ctrl-C handler, whatever an earlier test or library left behind
    # (with SIGINT ignored there would be nothing to deliver)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            write_new_set(tmp_path)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
    assert sent
    assert snapshot(tmp_path) == {**as_bytes(USER), **as_bytes(NEW)}


def test_failure_inside_the_block_touches_nothing(tmp_path):
    populate(tmp_path, {**USER, **OLD})
    before = snapshot(tmp_path)
    with pytest.raises(RuntimeError, match="injected"):
        with output_set(tmp_path) as staged:
            staged.write("a.csv", "new a")
            raise RuntimeError("injected")
    assert snapshot(tmp_path) == before


def test_folders_created_for_a_failed_set_are_removed(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with output_set(tmp_path / "x" / "y") as staged:
            staged.write("a.csv", "new a")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_success_keeps_user_files_and_returns_paths(tmp_path):
    populate(tmp_path / "out", {**USER, **OLD})
    written = write_new_set(tmp_path / "out")
    assert written == [tmp_path / "out" / n for n in NEW]
    assert snapshot(tmp_path / "out") == {**as_bytes(USER), **as_bytes(NEW)}


def test_writers_that_take_a_path(tmp_path):
    with output_set(tmp_path) as staged:
        target = staged.path("x.csv")
        assert target.parent != tmp_path  # it is written in the staging folder first
        write_atomic(target, "x\n")
    assert snapshot(tmp_path) == {"x.csv": b"x\n"}
    assert staged.written == [tmp_path / "x.csv"]


def test_announced_but_unwritten_file_fails_cleanly(tmp_path):
    with pytest.raises(OutputError, match="x.csv was announced but not written"):
        with output_set(tmp_path) as staged:
            staged.path("x.csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["", "../x.csv", "sub/x.csv", ".x.csv"])
def test_set_names_are_plain_file_names(tmp_path, name):
    with pytest.raises(OutputError, match="plain, non-hidden file name"):
        with output_set(tmp_path) as staged:
            staged.write(name, "x")
    assert list(tmp_path.iterdir()) == []


def test_disk_error_in_the_install_names_the_folder_not_the_staging(tmp_path, monkeypatch):
    populate(tmp_path, OLD)
    before = snapshot(tmp_path)
    real = os.replace

    def replace(src, dst):
        if Path(dst).parent == tmp_path:
            raise OSError(errno.ENOSPC, "No space left on device", str(src))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError) as info:
        write_new_set(tmp_path)
    assert str(info.value) == f"cannot write to {tmp_path}: no space left on device"
    assert snapshot(tmp_path) == before


def test_failed_rollback_keeps_the_old_files_for_the_next_run(tmp_path, monkeypatch):
    populate(tmp_path, {**USER, **OLD})
    before = snapshot(tmp_path)
    with monkeypatch.context() as m:
        real, calls = os.replace, []

        def replace(src, dst):  # the second file's rename fails, and so does every later one
            if Path(dst).parent == tmp_path:
                calls.append(dst)
                if len(calls) >= 2:
                    raise OSError(errno.EIO, "Input/output error", str(src))
            return real(src, dst)

        m.setattr(os, "replace", replace)
        with pytest.raises(OutputError, match="cannot put the previous files back"):
            write_new_set(tmp_path)
    assert snapshot(tmp_path) != before
    assert recover(tmp_path)  # the next run (here: recover) puts the old set back
    assert snapshot(tmp_path) == before


def test_recover_rolls_back_a_set_whose_process_was_killed(tmp_path, monkeypatch):
    populate(tmp_path, {**USER, **OLD})
    before = snapshot(tmp_path)
    with monkeypatch.context() as m:
        # a process killed in step 3: no rollback, no clean-up, the journal stays
        m.setattr(outputset, "_roll_back", lambda *a: None)
        m.setattr(outputset.OutputSet, "_discard", lambda self, keep_dirs=False: None)
        real, calls = os.replace, []

        def replace(src, dst):
            if Path(dst).parent == tmp_path:
                calls.append(dst)
                if len(calls) == 2:
                    raise KeyboardInterrupt
            return real(src, dst)

        m.setattr(os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            write_new_set(tmp_path)
    assert snapshot(tmp_path) != before  # mixed, with the staging folder
    [staging] = tmp_path.glob(f"{outputset.PREFIX}*")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    staging.rename(tmp_path / f"{outputset.PREFIX}{dead}-killed")
    live = tmp_path / f"{outputset.PREFIX}{os.getppid()}-running"
    live.mkdir()
    assert recover(tmp_path) == [tmp_path / f"{outputset.PREFIX}{dead}-killed"]
    assert snapshot(tmp_path) == {**before, live.name: None}  # a live run is left alone
    live.rmdir()
    write_new_set(tmp_path)  # and the next set installs normally
    assert snapshot(tmp_path) == {**as_bytes(USER), **as_bytes(NEW)}


def test_projection_save_is_one_set(tmp_path, monkeypatch):
    import pandas as pd

    from forecast.scenarios.projection import Projection

    frames = {n: pd.DataFrame({"x": [i, i + 1]}) for i, n in enumerate(["daily", "peaks",
                                                                         "needs"])}
    fake = types.SimpleNamespace(to_frames=lambda: frames)
    populate(tmp_path, {"daily.csv": "old", "peaks.csv": "old", "needs.csv": "old", **USER})
    before = snapshot(tmp_path)
    with monkeypatch.context() as m:
        real, calls = os.replace, []

        def replace(src, dst):
            if Path(dst).parent == tmp_path:
                calls.append(dst)
                if len(calls) == 2:
                    raise KeyboardInterrupt  # the first CSV is in place, the others not
            return real(src, dst)

        m.setattr(os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            Projection.save(fake, tmp_path)
    assert snapshot(tmp_path) == before
    written = Projection.save(fake, tmp_path)
    assert [p.name for p in written] == ["daily.csv", "peaks.csv", "needs.csv"]
    assert (tmp_path / "peaks.csv").read_text() == "x\n1\n2\n"


# -- one file ------------------------------------------------------------------------------
@pytest.mark.parametrize("after", [False, True], ids=["before-op", "after-op"])
def test_write_atomic_interrupted_anywhere_leaves_old_file_only(tmp_path, monkeypatch, after):
    target = tmp_path / "x.csv"
    k = 0
    while True:
        k += 1
        target.write_bytes(b"old")
        with monkeypatch.context() as m:
            faults = Faults(m, k, after=after)
            try:
                write_atomic(target, "new")
            except KeyboardInterrupt:
                pass
            fired = faults.fired
        assert snapshot(tmp_path) in ({"x.csv": b"old"}, {"x.csv": b"new"}), k
        if not fired:
            break
    assert k > 3


def test_write_atomic_error_names_the_target(tmp_path, monkeypatch):
    def replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device", str(src))

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "x.csv", "new")
    assert str(info.value) == f"cannot write {tmp_path / 'x.csv'}: no space left on device"
    assert isinstance(info.value, OSError) and isinstance(info.value, ForecastError)
    assert list(tmp_path.iterdir()) == []


# -- checking --out before the work --------------------------------------------------------
def test_check_a_file_where_a_folder_is_needed(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match=r"cannot write to .*f: it is a file, not a folder$"):
        check_writable(tmp_path / "f")
    with pytest.raises(OutputError, match=r"cannot write to .*f/sub/dir: .*f is a file"):
        check_writable(tmp_path / "f" / "sub" / "dir")


def test_check_a_set_name_taken_by_a_folder(tmp_path):
    (tmp_path / "report.pdf").mkdir()
    with pytest.raises(OutputError, match="report.pdf: it is a folder, not a file"):
        check_writable(tmp_path, ["report.pdf"])


@pytest.mark.parametrize("code, words", [(errno.EACCES, "permission denied"),
                                         (errno.EROFS, "read-only file system")])
def test_check_refusals_name_the_folder_not_the_probe(tmp_path, monkeypatch, code, words):
    real = os.open

    def refuse(path, *args, **kwargs):
        if Path(path).parent == tmp_path:
            raise OSError(code, os.strerror(code), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(OutputError) as info:
        check_writable(tmp_path)
    assert str(info.value) == f"cannot write to {tmp_path}: {words}"
    with pytest.raises(OutputError) as info:
        check_writable(tmp_path / "new" / "dir")
    assert str(info.value) == (f"cannot write to {tmp_path / 'new' / 'dir'}: {words} "
                               f"(cannot create folders in {tmp_path})")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="needs POSIX permissions that apply (not root)")
def test_check_a_real_read_only_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="permission denied"):
            check_writable(locked / "out")
    finally:
        locked.chmod(0o755)


def test_check_creates_nothing(tmp_path):
    assert check_writable(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    check_writable(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", [["project", "--paths", "200"], ["fit", "chile_expulsions"],
                                  ["report", "--paths", "200"]])
def test_commands_check_out_before_working(tmp_path, capsys, argv):
    (tmp_path / "f").write_text("x")
    assert main([*argv, "--out", str(tmp_path / "f"), "--quiet"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no headline or forecast: it stopped before the work
    assert captured.err == (f"forecast: error: cannot write to {tmp_path / 'f'}: it is a "
                            "file, not a folder\n")


# -- SIGTERM unwinds like Ctrl-C -----------------------------------------------------------
def test_sigterm_in_main_exits_143_with_one_line(monkeypatch, capsys):
    from forecast.cli import datasets_cmd

    def killed(quiet=False):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends
        raise AssertionError("SIGTERM did not unwind")

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(datasets_cmd, "print_catalog", killed)
    assert main(["datasets"]) == 143
    assert capsys.readouterr().err == "forecast: terminated\n"
    assert signal.getsignal(signal.SIGTERM) == before  # restored for the caller
    assert interrupts.exit_status(KeyboardInterrupt()) == 130


def _caught_signals(pid) -> int:
    """The mask of signals ``pid`` has handlers for (Linux /proc)."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("SigCgt:"):
                return int(line.split()[1], 16)
    return 0


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum, status, line", [(signal.SIGTERM, 143, "forecast: terminated"),
                                                  (signal.SIGINT, 130, "forecast: interrupted")])
def test_interrupted_project_leaves_the_old_set(tmp_path, signum, status, line):
    names = ["daily", "peaks", "peak_dates", "totals", "needs", "trajectories", "posterior",
             "attribution", "assumptions"]
    out = tmp_path / "D"
    populate(out, {**{f"{n}.csv": f"old {n}\n" for n in names}, **USER})
    before = snapshot(out)
    proc = subprocess.Popen(
        [sys.executable, "-m", "forecast.cli", "project", "--out", str(out), "--paths", "2000",
         "--seed", "1"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
        # Python raises KeyboardInterrupt on SIGINT only if SIGINT was not ignored at start
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        # the run is working once forecast.cli.main has armed its SIGTERM handler
        while proc.poll() is None and not _caught_signals(proc.pid) & (1 << (signal.SIGTERM - 1)):
            time.sleep(0.05)
        time.sleep(1.0)  # into the computation (the outcome is checked, not the timing)
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=600)  # a hang guard, not a speed test
    finally:
        proc.kill()
    assert proc.returncode == status, stderr
    assert stderr.strip().splitlines()[-1] == line
    now = snapshot(out)
    new_names = {f"{n}.csv" for n in names} | set(USER)
    finished = set(now) == new_names and all(now[f"{n}.csv"] != before[f"{n}.csv"]
                                             for n in names)
    assert now == before or finished  # the old set or the whole new one, no temp files
