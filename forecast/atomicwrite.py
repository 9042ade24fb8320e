"""Writing one file atomically: a temporary file in the target directory, then ``os.replace``.

A failed or interrupted run (an exception, Ctrl-C, or SIGTERM through the command line's
handler) therefore never leaves a half-written file, never touches an existing one until the
new content is complete, and leaves no temporary file: the temporary name is chosen before the
file is created, and everything from its creation on runs inside the ``try`` that removes it.
Failures raise :class:`~forecast.errors.OutputError` naming ``path``, not the temporary file.

Every file the package writes goes through :func:`write_atomic`; several files that belong
together go through :func:`forecast.outputset.output_set`.
"""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path

from forecast import interrupts
from forecast.writable import output_error


def write_atomic(path, data: bytes | str) -> Path:
    """Write ``data`` (bytes, or text written as UTF-8) to ``path`` atomically."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(f"cannot write {path}", exc) from None
    tmp = temporary_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # outputs are shared: readable by all, whatever the umask
        os.replace(tmp, path)
    except OSError as exc:
        interrupts.remove_file(tmp)
        raise output_error(f"cannot write {path}", exc) from None
    except BaseException:
        interrupts.remove_file(tmp)
        raise
    return path


def temporary_name(path: Path) -> Path:
    """A hidden, unused name next to ``path`` (``.NAME.<random>.tmp``)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")


def write_figure(fig, path, **savefig_kw) -> Path:
    """Save a matplotlib figure atomically (format taken from the file suffix)."""
    return write_atomic(path, figure_bytes(fig, path, **savefig_kw))


def figure_bytes(fig, path, **savefig_kw) -> bytes:
    """The figure encoded in the format of ``path``'s suffix (png when it has none)."""
    buf = io.BytesIO()
    fmt = Path(path).suffix.lstrip(".") or "png"
    fig.savefig(buf, format=fmt, **savefig_kw)
    return buf.getvalue()
