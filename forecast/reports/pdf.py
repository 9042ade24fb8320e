"""Writing a :class:`~forecast.reports.layout.Document` as a PDF: deterministic and atomic.

matplotlib draws the pages (PdfPages, no timestamps); pypdf adds the outline (bookmarks),
which matplotlib cannot write, and a file identifier derived from the content. The bytes go to
a temporary file in the destination directory, which replaces the target only when complete.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from forecast.atomicwrite import write_atomic
from forecast.errors import ReportError


def metadata(title: str, subject: str, keywords: str = "") -> dict:
    from forecast import __version__

    meta = {"Title": title, "Author": f"forecast {__version__}", "Subject": subject,
            "Creator": "forecast", "Producer": "forecast", "CreationDate": None,
            "ModDate": None}
    if keywords:
        meta["Keywords"] = keywords
    return meta


def render(doc, meta: dict) -> bytes:
    """The pages as PDF bytes from matplotlib (no outline yet)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 6}):
        with PdfPages(buf, metadata=meta) as pdf:
            for fig in doc.pages:
                pdf.savefig(fig)
    return buf.getvalue()


def add_outline(raw: bytes, bookmarks, meta: dict) -> bytes:
    """Copy the PDF adding the outline, the metadata and a content-derived /ID."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(raw))
    # matplotlib writes no file identifier and pypdf's own generator is random; an /ID put in
    # the source's trailer (a public attribute of the reader) is what clone_from copies
    reader.trailer[NameObject("/ID")] = file_id(raw)
    writer = PdfWriter(clone_from=reader)
    parents = {}
    for title, page, level in bookmarks:
        parent = parents.get(level - 1) if level else None
        parents[level] = writer.add_outline_item(title=title, page_number=page, parent=parent)
    writer.add_metadata({f"/{k}": str(v) for k, v in meta.items() if v is not None})
    writer.page_mode = NameObject("/UseOutlines")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def file_id(raw: bytes):
    """The /ID array: twice the MD5 of the pages' bytes (PDF 14.4: both equal when a file is
    first written), so the same content gives the same identifier, wherever it is written."""
    from pypdf.generic import ArrayObject, ByteStringObject

    digest = hashlib.md5(raw, usedforsecurity=False).digest()
    return ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])


def save(doc, path, meta: dict) -> Path:
    """Render, add bookmarks and write atomically; figures are released afterwards."""
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise ReportError(f"report path {str(path)!r} must end in .pdf")
    try:
        data = add_outline(render(doc, meta), doc.bookmarks, meta)
    finally:
        doc.pages.clear()
    return write_atomic(path, data)
