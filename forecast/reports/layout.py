"""A4 pages as matplotlib figures: a flowing layout of headings, wrapped text, tables and charts.

A :class:`Document` keeps a cursor (inches from the top of the current page). Each block is
measured before it is drawn; when it does not fit, a new page starts. Page footers ("page N of
M") are drawn by :meth:`Document.finish`, once the number of pages is known. Sections record a
bookmark (title, page index) for the PDF outline.

Text is drawn as written: titles, names and notes come from scenario files, datasets and
users' CSV files, so ``$x^2$``, ``a_b`` or ``\\n`` must print as such, not be parsed as
mathtext (which would change them or fail while the page is drawn). Blocks set
``parse_math=False`` on their own text; charts go through :func:`literal_text`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

A4 = (8.27, 11.69)  # inches
MARGIN_X = 0.75
MARGIN_TOP = 0.7
MARGIN_BOTTOM = 0.75
BODY = 9.0           # points
SMALL = 7.5
CHAR_WIDTH = 0.53    # average glyph width of DejaVu Sans, in ems (used to wrap text)
LINE = 1.35          # line height, in ems
BAND = "#1f4e79"     # colour of the title bands


def chars_per_line(width_in: float, size: float) -> int:
    """How many characters of ``size`` points fit in ``width_in`` inches (conservatively)."""
    return max(8, int(width_in * 72 / (size * CHAR_WIDTH)))


def wrap(text: str, width_in: float, size: float, bold: bool = False) -> list[str]:
    """Lines of ``text`` wrapped to ``width_in`` inches; explicit newlines are kept."""
    n = chars_per_line(width_in, size * (1.12 if bold else 1.0))
    lines = []
    for para in str(text).split("\n"):
        lines.extend(textwrap.wrap(" ".join(para.split()), n, break_long_words=True,
                                   break_on_hyphens=False) or [""])
    return lines


def _text(fig, x, y, s, **kw):
    """``fig.text`` drawn literally (see the module docstring)."""
    return fig.text(x, y, s, parse_math=False, **kw)


def literal_text(fig) -> None:
    """Make every text of ``fig`` literal: titles, axis labels, legends, annotations and tick
    labels, except those of matplotlib's number formatters (scalar, log, engineering), which
    use mathtext on purpose (log axes: ``10^{3}``) and never hold a name."""
    from matplotlib.text import Text
    from matplotlib.ticker import EngFormatter, LogFormatter, ScalarFormatter

    numeric = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            numeric.add(id(axis.offsetText))
            for fmt, locs, ticks in (
                    (axis.get_major_formatter(), axis.get_majorticklocs, axis.get_major_ticks),
                    (axis.get_minor_formatter(), axis.get_minorticklocs, axis.get_minor_ticks)):
                # ticks are made lazily and a new tick does not copy parse_math: make them
                # all now (drawing asks for the same number, so it makes no new ones)
                made = ticks(len(locs()))
                if isinstance(fmt, ScalarFormatter | LogFormatter | EngFormatter):
                    numeric.update(id(t) for tick in made for t in (tick.label1, tick.label2))
    for text in fig.findobj(Text):
        if id(text) not in numeric:
            text.set_parse_math(False)


@dataclass
class Column:
    """A table column: header, width in inches, alignment ("left" or "right")."""

    header: str
    width: float
    align: str = "left"


class Document:
    """Pages of one report, in order, with their bookmarks."""

    def __init__(self, title: str, short_title: str | None = None):
        # PDF settings (TrueType fonts, compression) are applied when the pages are written
        # (forecast.reports.pdf.render, inside matplotlib.rc_context): nothing global changes
        self.title = title
        self.short_title = short_title or title
        self.pages = []
        self.bookmarks = []   # (title, page index, level)
        self.y = None
        self.fig = None

    # -- pages ---------------------------------------------------------------------------------
    @property
    def width(self) -> float:
        return A4[0] - 2 * MARGIN_X

    def new_page(self):
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=A4)
        self.pages.append(self.fig)
        self.y = MARGIN_TOP
        return self.fig

    def _fy(self, y_in: float) -> float:
        """Figure fraction of a position ``y_in`` inches from the top."""
        return 1 - y_in / A4[1]

    def _fx(self, x_in: float) -> float:
        return x_in / A4[0]

    def room(self) -> float:
        return A4[1] - MARGIN_BOTTOM - self.y

    def ensure(self, height: float):
        """Start a new page unless ``height`` inches fit below the cursor."""
        if self.fig is None or height > self.room():
            self.new_page()

    # -- blocks --------------------------------------------------------------------------------
    def section(self, title: str, subtitle: str | None = None):
        """A new page with a title band; records a top-level bookmark."""
        self.new_page()
        self.bookmarks.append((title, len(self.pages) - 1, 0))
        self._band(title, subtitle)

    def subsection(self, title: str, *, bookmark: bool = False, keep: float = 1.0):
        """A heading; ``keep`` inches of what follows must fit on the same page."""
        self.ensure(0.45 + keep)
        if bookmark:
            self.bookmarks.append((title, len(self.pages) - 1, 1))
        self.y += 0.12
        self._text(self._fx(MARGIN_X), self._fy(self.y), title, fontsize=11.5,
                      fontweight="bold", color=BAND, va="top")
        self.y += 0.3

    def _band(self, title, subtitle=None):
        from matplotlib.patches import Rectangle

        height = 0.75 if subtitle else 0.55
        self.fig.add_artist(Rectangle((0, self._fy(self.y + height)), 1,
                                      height / A4[1], transform=self.fig.transFigure,
                                      color=BAND, lw=0))
        self._text(self._fx(MARGIN_X), self._fy(self.y + 0.14), title, fontsize=16,
                      color="white", fontweight="bold", va="top")
        if subtitle:
            self._text(self._fx(MARGIN_X), self._fy(self.y + 0.47), subtitle, fontsize=9,
                          color="white", va="top")
        self.y += height + 0.25

    def paragraph(self, text: str, *, size: float = BODY, indent: float = 0.0,
                  color="black", weight="normal", gap: float = 0.08, family=None):
        """Wrapped text; flows onto the next page line by line if needed."""
        lines = wrap(text, self.width - indent, size, bold=weight == "bold")
        step = size * LINE / 72
        self.ensure(min(len(lines), 2) * step)
        for line in lines:
            self.ensure(step)
            self._text(self._fx(MARGIN_X + indent), self._fy(self.y), line, fontsize=size,
                          va="top", color=color, fontweight=weight, family=family)
            self.y += step
        self.y += gap

    def bullets(self, items, *, size: float = BODY):
        for item in items:
            lines = wrap(item, self.width - 0.2, size)
            step = size * LINE / 72
            self.ensure(min(len(lines), 2) * step)
            self._text(self._fx(MARGIN_X + 0.05), self._fy(self.y), "•", fontsize=size,
                          va="top")
            for line in lines:
                self.ensure(step)
                self._text(self._fx(MARGIN_X + 0.2), self._fy(self.y), line, fontsize=size,
                              va="top")
                self.y += step
            self.y += 0.04
        self.y += 0.06

    def table(self, columns: list[Column], rows: list[list[str]], *, size: float = 8.0,
              shade: bool = True, gap: float = 0.15):
        """Rows of text under a header; cells wrap in their column; header repeats on new
        pages; numbers in right-aligned columns line up on their right edge."""
        step = size * LINE / 72
        pad = 0.06
        scale = min(1.0, self.width / sum(c.width for c in columns))
        widths = [c.width * scale for c in columns]
        lefts = [MARGIN_X + sum(widths[:i]) for i in range(len(widths))]

        def cells(values, bold=False):
            wrapped = [wrap(v, w - 2 * pad, size, bold) if v else [""]
                       for v, w in zip(values, widths, strict=True)]
            return wrapped, max(len(w) for w in wrapped) * step + 0.05

        head, head_h = cells([c.header for c in columns], bold=True)
        body = [cells(r) for r in rows]

        def draw_row(wrapped, height, bold=False, fill=None):
            from matplotlib.patches import Rectangle

            if fill:
                self.fig.add_artist(Rectangle(
                    (self._fx(MARGIN_X), self._fy(self.y + height)), self._fx(sum(widths)),
                    height / A4[1], transform=self.fig.transFigure, color=fill, lw=0))
            for lines, left, w, col in zip(wrapped, lefts, widths, columns, strict=True):
                x = left + w - pad if col.align == "right" else left + pad
                for k, line in enumerate(lines):
                    self._text(self._fx(x), self._fy(self.y + 0.03 + k * step), line,
                                  fontsize=size, va="top", ha=col.align,
                                  fontweight="bold" if bold else "normal")
            self.y += height

        def header():
            draw_row(head, head_h, bold=True, fill="#d9e2ec")

        first = body[0][1] if body else 0
        self.ensure(head_h + first)
        header()
        for i, (wrapped, height) in enumerate(body):
            if height > self.room():
                self.new_page()
                header()
            draw_row(wrapped, height, fill="#f2f5f8" if shade and i % 2 else None)
        self.fig.add_artist(_hline(self, MARGIN_X, MARGIN_X + sum(widths), self.y))
        self.y += gap

    def chart(self, draw, height: float, *, ncols: int = 1, nrows: int = 1,
              gap: float = 0.2, left: float = 0.7, bottom: float = 0.45, top: float = 0.3,
              wspace: float = 0.6, hspace: float = 0.7):
        """Axes drawn on the page (vector) by ``draw(axes)``; ``height`` in inches."""
        self.ensure(height)
        total_w = self.width - left - 0.1
        cell_w = (total_w - (ncols - 1) * wspace) / ncols
        cell_h = (height - bottom - top - (nrows - 1) * hspace) / nrows
        axes = []
        for r in range(nrows):
            for c in range(ncols):
                x0 = MARGIN_X + left + c * (cell_w + wspace)
                y_top = self.y + top + r * (cell_h + hspace)
                axes.append(self.fig.add_axes(
                    [self._fx(x0), self._fy(y_top + cell_h), cell_w / A4[0], cell_h / A4[1]]))
        draw(axes if len(axes) > 1 else axes[0])
        literal_text(self.fig)  # names in titles, legends and labels come from files
        self.y += height + gap

    def _text(self, x, y, s, **kw):
        return _text(self.fig, x, y, s, **kw)

    def spacer(self, height: float):
        self.y += height

    # -- finishing -----------------------------------------------------------------------------
    def finish(self, footer: str = ""):
        """Footers with the report name and "page N of M" on every page."""
        n = len(self.pages)
        for i, fig in enumerate(self.pages, start=1):
            y = 0.4 / A4[1]
            _text(fig, self._fx(MARGIN_X), y, footer or self.short_title, fontsize=7,
                     color="0.4", va="bottom")
            _text(fig, 1 - self._fx(MARGIN_X), y, f"page {i} of {n}", fontsize=7, color="0.4",
                     va="bottom", ha="right")
        return self.pages


def _hline(doc, x0, x1, y):
    from matplotlib.lines import Line2D

    return Line2D([doc._fx(x0), doc._fx(x1)], [doc._fy(y), doc._fy(y)],
                  transform=doc.fig.transFigure, color="0.5", lw=0.6)
