"""Writing files atomically: a temporary file in the target directory, then ``os.replace``.

A failed or interrupted run therefore never leaves a half-written file and never touches an
existing one until the new content is complete. Every file the package writes goes through
:func:`write_atomic`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path, data: bytes | str) -> Path:
    """Write ``data`` (bytes, or text written as UTF-8) to ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_figure(fig, path, **savefig_kw) -> Path:
    """Save a matplotlib figure atomically (format taken from the file suffix)."""
    import io

    buf = io.BytesIO()
    fmt = Path(path).suffix.lstrip(".") or "png"
    fig.savefig(buf, format=fmt, **savefig_kw)
    return write_atomic(path, buf.getvalue())
