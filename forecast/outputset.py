"""Writing a set of files as a whole: after any run, a folder holds the old set or the new one.

``forecast project --out D`` writes nine CSVs, ``forecast fit --out D`` a CSV and its chart,
``forecast report`` a PDF. Written one by one, an interrupted run leaves some files new and
some old, which read together describe no run at all. Use instead::

    with output_set("D") as staged:
        staged.write("peaks.csv", text)
        staged.write_figure("forecast.png", fig, dpi=100)
        pdf.save(doc, staged.path("report.pdf"), meta)   # writers that take a path
    staged.written                                       # [D/peaks.csv, D/forecast.png, ...]

How. The block writes into a hidden staging folder inside ``D``, ``.forecast-set-<pid>-<random>``
(same file system, so renames out of it are atomic). When the block ends without an
exception the set is installed, with SIGINT and SIGTERM held off (:func:`forecast.interrupts.
deferred`):

1. each file of the set already in ``D`` is hard-linked (copied where links are not
   supported) into ``staging/old``; the file in ``D`` is not touched;
2. ``staging/journal.json`` lists the set's names and which of them were absent;
3. each new file is moved into ``D`` with ``os.replace``, one by one;
4. the journal is removed (the commit) and then the staging folder.

If any step raises (an OS error, ``KeyboardInterrupt``, ``SystemExit`` ...), the replaced files
are moved back from ``staging/old``, the set's files that did not exist before are removed, the
staging folder is removed and the exception propagates (an ``OSError`` as
:class:`~forecast.errors.OutputError` naming ``D``, never the staging folder). If the block
itself raises, nothing in ``D`` is touched and the staging folder is removed.

Guarantee. The set is the list of names written in one block. After the block, whatever
happened in it or during the install, the set's names in ``D`` hold exactly the old files
(those absent before stay absent) or exactly the new ones, and no staging folder or temporary
file is left. Files in ``D`` that are not in the set are never opened, moved or deleted, even
files an earlier, larger set wrote: a set should therefore always use the same names. Other
processes see each file change atomically, but may see the set half-installed for the
milliseconds of step 3; a process killed outright (SIGKILL, power loss) in that window leaves
the set mixed together with its journal, and the next :func:`output_set` on ``D`` (or
:func:`recover`) rolls it back to the old set once that process is gone. Two runs writing the
same set into the same ``D`` at the same time are not serialised: the last one to install wins,
each file atomically.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path

from forecast import interrupts
from forecast.atomicwrite import figure_bytes, write_atomic
from forecast.errors import OutputError
from forecast.writable import check_writable, output_error, reason

#: Staging folders are named ``<PREFIX><pid>-<random>`` inside the output folder.
PREFIX = ".forecast-set-"
#: Names of this process's staging folders still in use (the others are left-overs).
_ACTIVE: set[str] = set()


def output_set(out_dir) -> OutputSet:
    """A context manager writing a set of files into ``out_dir`` as a whole (see the module)."""
    return OutputSet(out_dir)


class OutputSet:
    """Files staged in a hidden folder of ``out_dir``, installed together when the block ends."""

    def __init__(self, out_dir):
        self.out = Path(out_dir)
        self.names: list[str] = []
        self.written: list[Path] = []
        self.staging: Path | None = None
        self._created: list[Path] = []

    # -- the block -------------------------------------------------------------------------
    def __enter__(self) -> OutputSet:
        check_writable(self.out)
        recover(self.out)
        missing = [p for p in (self.out, *self.out.parents) if not p.exists()]
        staging = self.out / f"{PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
        self._created = missing  # deepest first: the order to remove them in
        self.staging = staging
        _ACTIVE.add(staging.name)
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            (staging / "new").mkdir(parents=True)
            (staging / "old").mkdir()
        except OSError as exc:
            self._discard()
            raise output_error(f"cannot write to {self.out}", exc) from None
        except BaseException:
            self._discard()
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            staging = str(self.staging)
            self._discard()
            if isinstance(exc, OSError) and staging in str(exc):
                raise output_error(f"cannot write to {self.out}", exc) from None
            return False
        try:
            self._check_complete()
            self._install()
        except BaseException:
            self._discard()
            raise
        self.written = [self.out / n for n in self.names]
        return False

    # -- writing ---------------------------------------------------------------------------
    def path(self, name: str) -> Path:
        """Where to write the set's file ``name`` inside the block (a path in the staging
        folder: write it there, with any writer; it is installed as ``out_dir/name``)."""
        if self.staging is None:
            raise RuntimeError("OutputSet.path() is only valid inside its `with` block")
        if name in self.names:
            raise OutputError(f"{self.out / name} is written twice in one output set")
        if not name or name != Path(name).name or name.startswith("."):
            raise OutputError(f"output file name {name!r} must be a plain, non-hidden file name "
                              f"inside {self.out}")
        self.names.append(name)
        return self.staging / "new" / name

    def target(self, name: str) -> Path:
        """Where the file ``name`` ends up once the set is installed."""
        return self.out / name

    def write(self, name: str, data: bytes | str) -> Path:
        """Stage ``data`` (bytes, or text as UTF-8) as ``name``; returns its final path."""
        staged = self.path(name)
        try:
            write_atomic(staged, data)
        except OSError as exc:
            raise output_error(f"cannot write {self.target(name)}", exc) from None
        return self.target(name)

    def write_figure(self, name: str, fig, **savefig_kw) -> Path:
        """Stage a matplotlib figure as ``name`` (format from the suffix)."""
        return self.write(name, figure_bytes(fig, name, **savefig_kw))

    # -- installing ------------------------------------------------------------------------
    def _check_complete(self):
        for name in self.names:
            if not (self.staging / "new" / name).is_file():
                raise OutputError(f"{self.target(name)} was announced but not written")

    def _install(self):
        staging = self.staging
        with interrupts.deferred():
            try:
                absent = [n for n in self.names if not os.path.lexists(self.out / n)]
                self._swap(absent)
                # the commit: the journal goes first, so recover() never rolls back a set
                # whose old files are already deleted
                os.unlink(staging / "journal.json")
            finally:
                self._discard(keep_dirs=True)

    def _swap(self, absent):
        """Steps 1-3 of the install; on any exception the old set is put back."""
        out, staging, names = self.out, self.staging, self.names
        try:
            for name in names:
                if name not in absent:
                    _keep(out / name, staging / "old" / name)
            write_atomic(staging / "journal.json",
                         json.dumps({"names": names, "absent": absent}))
            _sync_dir(staging)
            for name in names:
                os.replace(staging / "new" / name, out / name)
            _sync_dir(out)
        except BaseException as exc:
            try:
                _roll_back(out, staging, names, absent)
            except BaseException as again:
                _ACTIVE.discard(staging.name)  # kept: it holds the old files; recover()
                self.staging = None             # puts them back on the next run
                if not isinstance(again, OSError):
                    raise
                why = reason(exc) if isinstance(exc, OSError) else "interrupted"
                raise OutputError(
                    f"cannot write to {out}: {why}, and cannot put the previous files back "
                    f"({reason(again)}); they are in {staging}/old and the next run into "
                    f"{out} restores them") from None
            if isinstance(exc, OSError):
                raise output_error(f"cannot write to {out}", exc) from None
            raise

    def _discard(self, keep_dirs: bool = False):
        """Remove the staging folder, and the folders the block created if they are empty."""
        if self.staging is not None:
            interrupts.remove_tree(self.staging)
            _ACTIVE.discard(self.staging.name)
            self.staging = None
        if not keep_dirs:
            for folder in self._created:
                try:
                    folder.rmdir()
                except OSError:  # not empty (another writer, the user) or already gone
                    break
            self._created = []


def _keep(src: Path, dst: Path):
    """A second name for ``src`` that survives its replacement: a hard link, else a copy."""
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _roll_back(out: Path, staging: Path, names, absent):
    """Put the old set back; idempotent, so it also serves :func:`recover` after a crash."""
    for name in names:
        old = staging / "old" / name
        if os.path.lexists(old):
            if not _same_file(old, out / name):  # a hard link to it: never replaced
                os.replace(old, out / name)
        elif name in absent:
            (out / name).unlink(missing_ok=True)


def _same_file(a: Path, b: Path) -> bool:
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except FileNotFoundError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _sync_dir(path: Path):
    """Make the renames in ``path`` durable in order (POSIX; elsewhere a no-op)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a directory; the renames still happened
        pass
    finally:
        os.close(fd)


def recover(out_dir) -> list[Path]:
    """Finish what runs killed outright left in ``out_dir``: roll back a half-installed set
    (its journal is still there) and remove staging folders. Folders of live processes are
    left alone. Returns the staging folders removed."""
    out = Path(out_dir)
    if not out.is_dir():
        return []
    removed = []
    for staging in sorted(out.glob(f"{PREFIX}*")):
        if not staging.is_dir() or _owner_alive(staging.name):
            continue
        journal = staging / "journal.json"
        if journal.is_file():
            try:
                state = json.loads(journal.read_text(encoding="utf-8"))
                _roll_back(out, staging, state["names"], state["absent"])
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise OutputError(f"cannot recover the interrupted output set in {out}: "
                                  f"{exc}; remove {staging} by hand once you have checked "
                                  f"the files") from None
        interrupts.remove_tree(staging)
        removed.append(staging)
    return removed


def _owner_alive(folder_name: str) -> bool:
    """Whether the process that named a staging folder may still be running (when unsure:
    yes, so a live run's files are never touched)."""
    try:
        pid = int(folder_name[len(PREFIX):].split("-")[0])
    except ValueError:
        return True
    if pid == os.getpid():
        return folder_name in _ACTIVE
    if os.name != "posix":  # on Windows os.kill(pid, 0) would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists under another user
        return True
    return True
