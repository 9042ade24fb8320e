"""Writing a :class:`~forecast.reports.layout.Document` as a PDF: deterministic and atomic.

matplotlib draws the pages (PdfPages, no timestamps) in :data:`PARTS` interleaved parts (page
1, 3, 5, ... and page 2, 4, 6, ...), each a PDF of its own, drawn side by side in a forked
process where a second CPU is free (:class:`forecast.background.Background`) and one after
the other otherwise: the parts, and so the bytes, are the same either way. pypdf puts the
pages back in order and adds the outline (bookmarks), which matplotlib cannot write, and a
file identifier derived from the content. The bytes go to a temporary file in the destination
directory, which replaces the target only when complete.
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


#: Parts the pages are drawn in (pages i, i + PARTS, ...): fixed, so the bytes never depend
#: on how many CPUs drew them.
PARTS = 2


def draw_pages(figures, meta: dict) -> bytes:
    """``figures`` as one PDF from matplotlib (no outline)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 6}):
        with PdfPages(buf, metadata=meta) as pdf:
            for fig in figures:
                pdf.savefig(fig)
    return buf.getvalue()


def render(doc, meta: dict, *, fork: bool | None = None) -> list[bytes]:
    """The pages as :data:`PARTS` PDFs, part ``i`` holding pages ``i, i + PARTS, ...``
    (no outline yet); every part but the first is drawn in a forked process when ``fork``
    (default: where a second CPU is free)."""
    from forecast.background import Background, can_fork

    fork = can_fork() if fork is None else fork
    parts = [doc.pages[i::PARTS] for i in range(PARTS)]
    others = [Background(draw_pages, part, meta, fork=fork) for part in parts[1:]]
    try:
        first = draw_pages(parts[0], meta)
        return [first, *(b.result() for b in others)]
    finally:
        for b in others:
            b.cancel()


def add_outline(raws: list[bytes], bookmarks, meta: dict) -> bytes:
    """One PDF of the interleaved parts (:func:`render`) with the outline, the metadata and
    a content-derived /ID."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    readers = [PdfReader(io.BytesIO(raw)) for raw in raws]
    # matplotlib writes no file identifier and pypdf's own generator is random; an /ID put in
    # the first part's trailer (a public attribute of the reader) is what clone_from copies
    readers[0].trailer[NameObject("/ID")] = file_id(b"".join(raws))
    n_pages = sum(len(r.pages) for r in readers)
    writer = PdfWriter(clone_from=readers[0])
    # the first part's pages are in place; the others' go in between, in page order
    order = [(k % len(readers), k // len(readers)) for k in range(n_pages)]
    for k, (part, index) in enumerate(order):
        if part:
            writer.insert_page(readers[part].pages[index], index=k)
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
    """The /ID array: twice the MD5 of the parts' bytes (PDF 14.4: both equal when a file is
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
