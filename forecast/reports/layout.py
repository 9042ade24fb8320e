"""A4 pages as matplotlib figures: a flowing layout of headings, wrapped text, tables and charts.

A :class:`Document` keeps a cursor (inches from the top of the current page). Each block is
measured before it is drawn; when it does not fit, a new page starts. Page footers ("page N of
M") are drawn by :meth:`Document.finish`, once the number of pages is known. Sections record a
bookmark (title, page index) for the PDF outline.

Text is measured as matplotlib lays it out in the PDF (:func:`measure`: the font's own
advances and kerning, not an average glyph width) and wrapped at ordinary spaces only: a
non-breaking space joins a number to its unit, so numbers, bands and dates never split; a word
wider than its line (a URL) breaks after a separator (``/ . ? & - _ = #``), never inside a
number; headings wrap rather than being shortened; table columns widen to their longest
unbreakable word. Lines that still do not fit are recorded in ``Document.overflows``.

Text is drawn as written: titles, names and notes come from scenario files, datasets and
users' CSV files, so ``$x^2$``, ``a_b`` or ``\\n`` must print as such, not be parsed as
mathtext (which would change them or fail while the page is drawn). Blocks set
``parse_math=False`` on their own text; charts go through :func:`literal_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

A4 = (8.27, 11.69)  # inches
MARGIN_X = 0.75
MARGIN_TOP = 0.7
MARGIN_BOTTOM = 0.75
BODY = 9.0           # points
SMALL = 7.5
LINE = 1.35          # line height, in ems
BAND = "#1f4e79"     # colour of the title bands
NBSP = "\u00a0"
#: Where a word too long for its line (a URL, a file name) may be broken: after these.
BREAK_AFTER = "/.?&-_=#"
_NUMBER = re.compile(r"^[\d.,\u2013\u2212%+<>()\u00a0-]+$")
_SPACES = re.compile(r"[ \t]+")   # ordinary spaces only: a non-breaking space joins


@lru_cache(maxsize=2)
def _font(bold: bool):
    """A FreeType face of the report's font (matplotlib's default, DejaVu Sans), our own
    object, so matplotlib's shared faces keep their sizes; set at 100 points, 72 dpi."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    face = FT2Font(findfont(FontProperties(weight="bold" if bold else "normal")))
    face.set_size(100, 72)
    return face


@lru_cache(maxsize=4096)
def _advance(char: str, bold: bool) -> float:
    from matplotlib.ft2font import LoadFlags

    glyph = _font(bold).load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return glyph.linearHoriAdvance / 65536


@lru_cache(maxsize=65536)
def _kerning(pair: str, bold: bool) -> float:
    from matplotlib.ft2font import Kerning

    face = _font(bold)
    left, right = (face.get_char_index(ord(c)) for c in pair)
    return face.get_kerning(left, right, Kerning.UNFITTED) / 64


def measure(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in inches, as matplotlib lays it out in the PDF (DejaVu Sans,
    unhinted advances and kerning pairs, as :mod:`matplotlib._text_helpers` places glyphs;
    no mathtext). Per character and pair, cached: a page asks for the same ones many times,
    and matplotlib's own text layout costs about a millisecond a call."""
    if not text:
        return 0.0
    units = sum(_advance(c, bold) for c in text)
    units += sum(_kerning(text[i:i + 2], bold) for i in range(len(text) - 1))
    return units * size / 100 / 72


def _pieces(word: str) -> list[str]:
    """``word`` cut after each separator (``https://`` ``a.`` ``org/`` ``x``); numbers whole."""
    if _NUMBER.match(word):
        return [word]
    out, cur = [], ""
    for i, ch in enumerate(word):
        if ch == "%" and cur:   # percent-encoded bytes (%D1%81) stay whole: break before
            out.append(cur)
            cur = ""
        cur += ch
        # a separator between digits is part of a number (1.000, 2.5, 2025-11): no break
        inside_number = (0 < i < len(word) - 1 and word[i - 1].isdigit()
                         and word[i + 1].isdigit())
        if ch in BREAK_AFTER and not inside_number:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def _split_long(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word wider than the line, in lines broken at separators only (a piece without one
    that is still too wide stays whole: better a little past the margin than split)."""
    lines, cur = [], ""
    for piece in _pieces(word):
        if cur and measure(cur + piece, size, bold) > width:
            lines.append(cur)
            cur = piece
        else:
            cur += piece
    if cur:
        lines.append(cur)
    return lines


def wrap(text: str, width_in: float, size: float, bold: bool = False) -> list[str]:
    """Lines of ``text`` that fit ``width_in`` inches, measured; explicit newlines are kept.

    Lines break at ordinary spaces only, so numbers, bands and "number unit" pairs joined by
    non-breaking spaces never split; a word wider than a line breaks after a separator."""
    lines = []
    for para in str(text).split("\n"):
        words = [w for w in _SPACES.split(para.strip()) if w]
        cur = ""
        for word in words:
            trial = f"{cur} {word}" if cur else word
            if measure(trial, size, bold) <= width_in:
                cur = trial
                continue
            if cur:
                lines.append(cur)
            if measure(word, size, bold) <= width_in:
                cur = word
            else:
                *full, cur = _split_long(word, width_in, size, bold)
                lines.extend(full)
        lines.append(cur)
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
    whole: bool = False   # the cells' words (names) are never broken, even at a hyphen


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
        self.overflows = []   # lines wider than their room (a word that could not break)

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

    def subsection(self, title: str, *, bookmark: bool = False, keep: float = 1.0,
                   size: float = 11.5):
        """A heading, wrapped (never shortened); ``keep`` inches of what follows must fit on
        the same page."""
        lines = wrap(title, self.width, size, bold=True)
        step = size * 1.25 / 72
        self.ensure(0.2 + len(lines) * step + keep)
        if bookmark:
            self.bookmarks.append((title, len(self.pages) - 1, 1))
        self.y += 0.12 * size / 11.5
        for line in lines:
            self._text(self._fx(MARGIN_X), self._fy(self.y), line, fontsize=size,
                       fontweight="bold", color=BAND, va="top")
            self.y += step
        self.y += 0.12 * size / 11.5

    def _band(self, title, subtitle=None):
        from matplotlib.patches import Rectangle

        size = 16.0
        while size > 12 and measure(title, size, True) > self.width:
            size -= 1   # a long title first gets smaller, then wraps
        lines = wrap(title, self.width, size, bold=True)
        subs = wrap(subtitle, self.width, 9) if subtitle else []
        step, sub_step = size * 1.2 / 72, 9 * 1.3 / 72
        height = 0.28 + len(lines) * step + (0.06 + len(subs) * sub_step if subs else 0)
        self.fig.add_artist(Rectangle((0, self._fy(self.y + height)), 1,
                                      height / A4[1], transform=self.fig.transFigure,
                                      color=BAND, lw=0))
        y = self.y + 0.14
        for line in lines:
            self._text(self._fx(MARGIN_X), self._fy(y), line, fontsize=size, color="white",
                       fontweight="bold", va="top")
            y += step
        y += 0.06
        for line in subs:
            self._text(self._fx(MARGIN_X), self._fy(y), line, fontsize=9, color="white",
                       va="top")
            y += sub_step
        self.y += height + 0.25

    def _lines(self, x_in, lines, *, size, step, bold=False, check=None, **kw):
        """Lines drawn top-down from the cursor, one text each (a multi-line text would space
        lines with accented capitals further apart than ``step``), flowing onto new pages;
        ``check`` (inches) records lines wider than it."""
        if check is not None:
            self._check(lines, check, size, bold)
        for line in lines:
            self.ensure(step)
            self._text(self._fx(x_in), self._fy(self.y), line, fontsize=size, va="top",
                       fontweight="bold" if bold else "normal", **kw)
            self.y += step

    def _check(self, lines, width, size, bold):
        self.overflows.extend(line for line in lines if measure(line, size, bold) > width + 0.01)

    def paragraph(self, text: str, *, size: float = BODY, indent: float = 0.0,
                  color="black", weight="normal", gap: float = 0.08, family=None):
        """Wrapped text; flows onto the next page line by line if needed."""
        width = self.width - indent
        lines = wrap(text, width, size, bold=weight == "bold")
        step = size * LINE / 72
        self.ensure(min(len(lines), 2) * step)
        self._lines(MARGIN_X + indent, lines, size=size, step=step, bold=weight == "bold",
                    check=width, color=color, family=family)
        self.y += gap

    def bullets(self, items, *, size: float = BODY):
        for item in items:
            lines = wrap(item, self.width - 0.2, size)
            step = size * LINE / 72
            self.ensure(min(len(lines), 2) * step)
            self._text(self._fx(MARGIN_X + 0.05), self._fy(self.y), "•", fontsize=size,
                       va="top")
            self._lines(MARGIN_X + 0.2, lines, size=size, step=step, check=self.width - 0.2)
            self.y += 0.04
        self.y += 0.06

    def _cells(self, columns, rows, size):
        """Line step, cell padding, column widths (scaled to the page) and the wrapped header
        and rows with their heights."""
        step = size * LINE / 72
        pad = 0.06
        widths = _fit_widths(columns, rows, size, pad, self.width)
        if sum(widths) > self.width + 0.01:
            self.overflows.append(f"table wider than the page: {[c.header for c in columns]}")

        def cells(values, bold=False):
            wrapped = [wrap(v, w - 2 * pad, size, bold) if v else [""]
                       for v, w in zip(values, widths, strict=True)]
            return wrapped, max(len(w) for w in wrapped) * step + 0.05

        head, head_h = cells([c.header for c in columns], bold=True)
        return step, pad, widths, head, head_h, [cells(r) for r in rows]

    def table_height(self, columns, rows, *, size: float = 8.0) -> float:
        """Inches the table takes (to keep a heading with it)."""
        _, _, _, _, head_h, body = self._cells(columns, rows, size)
        return head_h + sum(h for _, h in body)

    def table(self, columns: list[Column], rows: list[list[str]], *, size: float = 8.0,
              shade: bool = True, gap: float = 0.15, whole: bool = False):
        """Rows of text under a header; cells wrap in their column; header repeats on new
        pages; numbers in right-aligned columns line up on their right edge. ``whole``: a
        table that fits on a page is not split (it starts a new page instead)."""
        step, pad, widths, head, head_h, body = self._cells(columns, rows, size)
        lefts = [MARGIN_X + sum(widths[:i]) for i in range(len(widths))]
        if whole and self.fig is not None:
            total = head_h + sum(h for _, h in body)
            if self.room() < total <= A4[1] - MARGIN_TOP - MARGIN_BOTTOM:
                self.new_page()

        def draw_row(wrapped, height, bold=False, fill=None):
            from matplotlib.patches import Rectangle

            if fill:
                self.fig.add_artist(Rectangle(
                    (self._fx(MARGIN_X), self._fy(self.y + height)), self._fx(sum(widths)),
                    height / A4[1], transform=self.fig.transFigure, color=fill, lw=0))
            for lines, left, w, col in zip(wrapped, lefts, widths, columns, strict=True):
                x = left + w - pad if col.align == "right" else left + pad
                self._check(lines, w - 2 * pad, size, bold)
                # one text per line: a multi-line text spaces some lines wider than ``step``
                for k, line in enumerate(lines):
                    if line:
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
    def finish(self, footer: str = "", page_label=None):
        """Footers with the report name and "page N of M" on every page; ``page_label(i, n)``
        words the page number in the report's language."""
        label = page_label or (lambda i, n: f"page {i} of {n}")
        n = len(self.pages)
        for i, fig in enumerate(self.pages, start=1):
            y = 0.4 / A4[1]
            _text(fig, self._fx(MARGIN_X), y, footer or self.short_title, fontsize=7,
                  color="0.4", va="bottom")
            _text(fig, 1 - self._fx(MARGIN_X), y, label(i, n), fontsize=7, color="0.4",
                  va="bottom", ha="right")
        return self.pages


def _longest_word(texts, size, bold, whole=False) -> float:
    """Inches of the widest piece a line of these texts cannot be broken in (with ``whole``,
    the widest word)."""
    best = 0.0
    for text in texts:
        for word in _SPACES.split(str(text).replace("\n", " ")):
            if word:
                pieces = [word] if whole else _pieces(word)
                best = max(best, max(measure(p, size, bold) for p in pieces))
    return best


def _fit_widths(columns, rows, size, pad, room) -> list[float]:
    """Column widths: as asked, but never narrower than a column's widest unbreakable word
    (numbers, dates, names), the slack of the other columns shrunk to fit the page."""
    need = [max(_longest_word([c.header], size, True),
                _longest_word([r[i] for r in rows], size, False, c.whole)) + 2 * pad + 0.01
            for i, c in enumerate(columns)]
    widths = [max(c.width, n) for c, n in zip(columns, need, strict=True)]
    excess = sum(widths) - room
    if excess > 0:
        slack = [w - n for w, n in zip(widths, need, strict=True)]
        total = sum(slack)
        if total > 0:
            cut = min(1.0, excess / total)
            widths = [w - s * cut for w, s in zip(widths, slack, strict=True)]
    return widths


def _hline(doc, x0, x1, y):
    from matplotlib.lines import Line2D

    return Line2D([doc._fx(x0), doc._fx(x1)], [doc._fy(y), doc._fy(y)],
                  transform=doc.fig.transFigure, color="0.5", lw=0.6)
