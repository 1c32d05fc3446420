"""Read the text layer of a PDF into article text, from the position of every glyph.

This module is the engine behind ``corpus.parsing.pdf``. It imports nothing from the
project and only the standard library and pypdfium2, because it also runs on its own
as the child process of ``extract_pdf_text_safely`` (``python pdf_layout.py`` reads
the PDF on stdin and writes the text on stdout), where startup must stay cheap.

The steps, each on the geometry pdfium reports (points, y growing upwards):

1. Glyphs to lines: glyphs that follow each other in the content stream on the same
   row, without a wide gap, make a line; rotated glyphs (margin slugs, arXiv stamps)
   are dropped; pieces of one row written apart are merged.
2. Page furniture: line numbers (a column of consecutive integers in the margin, and
   on numbered pages whatever lies outside the numbered rows), running headers and
   footers (a line in the top or bottom rows repeated at the same place on several
   pages, digits ignored) and page numbers.
3. Columns: gutters are vertical strips that few lines cross; a line that crosses one
   spans the columns and cuts the page into bands, read top to bottom, each band
   column by column.
4. Paragraphs: a new paragraph starts at a change of type size or weight, a wider
   vertical gap than the usual line pitch, an indentation, or after a line that ends
   short (the next line's first word would have fitted on it). Small print at the
   bottom of a column (footnotes) is moved after the paragraph that the page ends in.
5. Lines of a paragraph are joined with spaces; words hyphenated at a line end are
   joined again (see ``join_lines``). Bold is the font's weight, or, for fonts that
   do not give one (the standard ``Times-Bold``), its name.
"""

from __future__ import annotations

import itertools
import re
import sys
import threading
from bisect import bisect_right
from dataclasses import dataclass, field

NOT_A_PDF = "not a PDF"
DAMAGED = "a damaged PDF: it cannot be opened"
ENCRYPTED = "the PDF is encrypted with a password: save a copy without the password"
NO_PAGES = "the PDF has no pages"
NO_TEXT = "the PDF has no text layer (a scanned image): OCR it first"


def too_many_pages(max_pages: int) -> str:
    return f"the PDF has more than {max_pages:,} pages"


def too_long(max_chars: int) -> str:
    return f"the PDF's text is longer than {max_chars:,} characters"


class PdfRefused(Exception):
    """The PDF cannot be read as an article; the message says why, in one line."""


# pdfium is not thread-safe, not even across documents: one extraction at a time.
_PDFIUM_LOCK = threading.Lock()

# --------------------------------------------------------------------------- thresholds
# Sizes are glyph heights from pdfium's "loose" boxes (the font's ascent to descent),
# about 1.15 em; gaps and indents below are in units of that height.

# A gap wider than this between two glyphs that follow each other ends the line: word
# spaces stay under ~0.5 (0.0-0.2 in the Federal Register), column gutters and the
# gap after a line number are wider.
MAX_GLYPH_GAP = 1.0
# Pieces of one row written apart in the content stream are merged only when they
# nearly touch, so that lines of neighbouring columns are never merged.
MAX_PIECE_GAP = 0.5
# Two lines are in the same row when their baselines differ by less than this.
ROW_TOLERANCE = 0.35
# Types differ when their sizes differ by more than this ratio (body 10 pt, heading
# 11.5 pt and up; footnotes 8 pt).
SIZE_RATIO = 1.12
# A distance between baselines this much wider than the usual pitch between lines of
# the same size separates paragraphs (the Federal Register adds 2 pt to its 10 pt pitch,
# 1.2; baselines of one paragraph stay within half a point of their pitch).
GAP_RATIO = 1.15
# A line that starts this much further right than the column's left edge is indented
# (a first-line indent is 1 to 2 em; justified lines start within a point).
INDENT = 0.4
# A gutter is a vertical strip crossed by at most this share of the lines that cross
# the busiest strip of the page (titles and spanning headings cross gutters).
GUTTER_SHARE = 0.15
# A column is at least this many sizes wide (a narrow column of the Federal Register
# is 18): narrower strips are list markers or table cells, read row by row.
MIN_COLUMN_WIDTH = 6.0
# A line wider than this share of the page's text is too wide for a column of two...
WIDE_LINE = 0.55
# ...and when at most this share of the lines are so wide, they span the columns.
WIDE_SHARE = 0.4
# Small print (footnotes) is at most this share of the body size.
SMALL_PRINT = 0.9
# A running header or footer is set at the same place on every page: within this many
# sizes of it (pages scanned and recognised shift by a few points).
RUNNING_LINE_SHIFT = 1.5
# An empty strip across the whole page at least this many sizes tall separates parts
# laid out differently (a masthead above the columns: 2.7 in the Federal Register).
# The gap between paragraphs is about one size, between a heading and its text under
# two, so columns are not cut where their gaps happen to line up.
BAND_GAP = 2.0

_LIGATURES = {
    0xFB00: "ff",
    0xFB01: "fi",
    0xFB02: "fl",
    0xFB03: "ffi",
    0xFB04: "ffl",
    0xFB05: "st",
    0xFB06: "st",
}
# pdfium reports a hyphen it takes for a line-end hyphenation as 0x02 (and 0xFFFE).
_PDFIUM_HYPHENS = {0x02, 0xFFFE}
_SPACES = {0x20, 0xA0, 0x2007, 0x202F, 0x3000, 0x09} | set(range(0x2000, 0x200B))
_BULLETS = "•◦▪▫●○■□►▸‣⁃"
# A font's flags (PDF 32000, 9.8.2): bit 19 forces bold glyphs.
_FORCE_BOLD = 1 << 18
# Font names that say bold when the weight is not given: Times-Bold, Arial-BoldMT,
# Helvetica-BoldOblique, Inter-SemiBold, Lato-Black, DejaVuSans-Heavy.
_BOLD_NAME = re.compile(r"(?:bold|black|heavy|demi)", re.IGNORECASE)


@dataclass(slots=True)
class Line:
    """A run of glyphs on one row, with its box; ``left`` and ``right`` are the edges
    of its column."""

    text: str
    x0: float
    x1: float
    baseline: float
    top: float
    bottom: float
    size: float
    bold: bool
    first_word: float
    page: int = 0
    band: int = 0  # which part of the page (see ``_bands``)
    left: float = 0.0
    right: float = 0.0


@dataclass(slots=True)
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def read_pages(data: bytes, *, max_pages: int, max_chars: int) -> list[Page]:
    """The lines of every page, in content order; refuses what cannot be read."""
    if b"%PDF-" not in data[:1024]:
        raise PdfRefused(NOT_A_PDF)
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if error.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise PdfRefused(ENCRYPTED) from None
            if error.err_code == pdfium_c.FPDF_ERR_SUCCESS:  # opened, but no page
                raise PdfRefused(NO_PAGES) from None
            raise PdfRefused(DAMAGED) from None  # it says it is a PDF: a broken one
        try:
            count = len(document)
            if count > max_pages:
                raise PdfRefused(too_many_pages(max_pages))
            pages = []
            chars = 0
            for number in range(count):
                try:
                    pdf_page = document[number]
                except pdfium.PdfiumError:
                    continue  # a broken page: read the others
                try:
                    width, height = pdf_page.get_size()
                    textpage = pdf_page.get_textpage()
                    try:
                        lines, page_chars = _read_lines(pdfium_c, textpage, number, width)
                    finally:
                        textpage.close()
                finally:
                    pdf_page.close()
                chars += page_chars
                if chars > max_chars:
                    raise PdfRefused(too_long(max_chars))
                pages.append(Page(number, width, height, lines))
            return pages
        finally:
            document.close()


class _LineBuilder:
    """Collects the glyphs of the line being read."""

    __slots__ = (
        "baseline",
        "bottom",
        "chars",
        "first_word",
        "heights",
        "ink",
        "ink_right",
        "right",
        "tallest",
        "top",
        "x0",
    )

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.ink: list[int] = []  # indices of the glyphs that are not spaces
        self.heights: list[float] = []  # of letters and digits

    def start(self, index, char, left, top, right, bottom, baseline) -> None:
        self.chars = [char]
        self.ink = [index]
        self.heights = [top - bottom] if char.isalnum() else []
        self.x0, self.right, self.ink_right = left, right, right
        self.top, self.bottom, self.baseline = top, bottom, baseline
        self.tallest = top - bottom
        self.first_word = None

    def same_row(self, top: float, bottom: float) -> bool:
        overlap = min(top, self.top) - max(bottom, self.bottom)
        return overlap >= 0.5 * min(top - bottom, self.tallest)


def _read_lines(pdfium_c, textpage, page_number: int, page_width: float):
    """The lines of a page and its number of characters."""
    import ctypes

    count = pdfium_c.FPDFText_CountChars(textpage)
    get_unicode = pdfium_c.FPDFText_GetUnicode
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    get_origin = pdfium_c.FPDFText_GetCharOrigin
    get_weight = pdfium_c.FPDFText_GetFontWeight
    get_font_info = pdfium_c.FPDFText_GetFontInfo
    get_angle = pdfium_c.FPDFText_GetCharAngle
    is_generated = pdfium_c.FPDFText_IsGenerated
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    origin_x_ref, origin_y_ref = ctypes.byref(origin_x), ctypes.byref(origin_y)

    font_name = ctypes.create_string_buffer(128)
    font_flags = ctypes.c_int()
    font_flags_ref = ctypes.byref(font_flags)

    def is_bold(index: int) -> bool:
        """By the font's weight; when the PDF does not say it (the standard fonts,
        ``Times-Bold``, have no descriptor), by the font's flags and name."""
        weight = get_weight(textpage, index)
        if weight > 0:
            return weight >= 600
        if not get_font_info(textpage, index, font_name, len(font_name), font_flags_ref):
            return False
        if font_flags.value & _FORCE_BOLD:
            return True
        return _BOLD_NAME.search(font_name.value.decode("latin-1")) is not None

    lines: list[Line] = []
    line = _LineBuilder()
    open_line = False
    chars = 0
    rotated = 0

    def close() -> None:
        text = " ".join("".join(line.chars).split())
        if not text:
            return
        probes = {line.ink[0], line.ink[len(line.ink) // 2], line.ink[-1]}
        bold = all(is_bold(probe) for probe in probes)
        first_word = line.first_word if line.first_word is not None else line.ink_right - line.x0
        lines.append(
            Line(
                text=text,
                x0=line.x0,
                x1=line.ink_right,
                baseline=line.baseline,
                top=line.top,
                bottom=line.bottom,
                size=max(line.heights, default=line.tallest),
                bold=bold,
                first_word=first_word,
                page=page_number,
            )
        )

    for index in range(count):
        code = get_unicode(textpage, index)
        if code in (10, 13):
            continue  # pdfium's own line breaks: the geometry decides
        if code in _SPACES:
            if open_line and line.chars[-1] != " ":
                if is_generated(textpage, index) or not get_box(textpage, index, rect_ref):
                    line.chars.append(" ")
                elif line.same_row(rect.top, rect.bottom):
                    line.chars.append(" ")
                    line.right = max(line.right, rect.right)
                if line.first_word is None:
                    line.first_word = line.ink_right - line.x0
            chars += 1
            continue
        if code in _PDFIUM_HYPHENS:
            char = "-"
        elif code < 32 or 0xD800 <= code <= 0xDFFF or code in (0xFFFF, 0xFEFF, 0xAD):
            continue
        else:
            char = _LIGATURES.get(code) or chr(code)
        chars += 1
        if not get_box(textpage, index, rect_ref):
            continue
        left, top, right, bottom = rect.left, rect.top, rect.right, rect.bottom
        if top <= bottom:
            continue
        height = top - bottom
        if (
            open_line
            and line.same_row(top, bottom)
            and line.x0 - height <= left <= line.right + MAX_GLYPH_GAP * height
        ):
            line.chars.append(char)
            line.ink.append(index)
            if char.isalnum():
                line.heights.append(height)
            line.right = max(line.right, right)
            line.ink_right = max(line.ink_right, right)
            line.top, line.bottom = max(line.top, top), min(line.bottom, bottom)
            if height > line.tallest:
                line.tallest = height
                get_origin(textpage, index, origin_x_ref, origin_y_ref)
                line.baseline = origin_y.value
            continue
        # A new line starts; text set at an angle (a slug in the margin) is dropped.
        angle = get_angle(textpage, index)
        if 0.02 < angle < 6.26:
            rotated += 1
            continue
        if open_line:
            close()
        get_origin(textpage, index, origin_x_ref, origin_y_ref)
        line.start(index, char, left, top, right, bottom, origin_y.value)
        open_line = True
    if open_line:
        close()
    if not lines and rotated:
        lines = _rotated_page_lines(textpage, page_number, page_width)
    return _merge_row_pieces(lines), chars


def _rotated_page_lines(textpage, page_number: int, page_width: float) -> list[Line]:
    """A page whose text is all set at an angle: pdfium's own lines, without geometry."""
    text = textpage.get_text_range().replace("\x02", "-").replace("\ufffe", "-")
    lines = []
    for position, raw_line in enumerate(text.splitlines()):
        line_text = " ".join(raw_line.split())
        if line_text:
            baseline = -12.0 * position
            lines.append(
                Line(
                    line_text, 0.0, page_width, baseline, baseline + 10, baseline - 2, 12.0,
                    False, 0.0, page_number,
                )
            )  # fmt: skip
    return lines


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped by row, rows from the top of the page, each row left to right."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda line: -line.baseline):
        row = rows[-1] if rows else None
        if row and row[0].baseline - line.baseline <= ROW_TOLERANCE * max(row[0].size, line.size):
            row.append(line)
        else:
            rows.append([line])
    for row in rows:
        row.sort(key=lambda line: line.x0)
    return rows


def _merge_row_pieces(lines: list[Line]) -> list[Line]:
    """Join pieces of one row that the content stream wrote apart (a bold label, a
    footnote mark): they nearly touch. Returns the lines in content order."""
    position = {id(line): number for number, line in enumerate(lines)}
    merged_away: set[int] = set()
    for row in _rows(lines):
        current = row[0]
        for line in row[1:]:
            gap = line.x0 - current.x1
            size = max(current.size, line.size)
            similar = max(current.size, line.size) <= 1.3 * min(current.size, line.size)
            if similar and -0.3 * size <= gap <= MAX_PIECE_GAP * size:
                separator = " " if gap > 0.1 * size else ""
                current.text = f"{current.text}{separator}{line.text}"
                current.x1 = max(current.x1, line.x1)
                current.top, current.bottom = (
                    max(current.top, line.top),
                    min(current.bottom, line.bottom),
                )
                current.bold = current.bold and line.bold
                merged_away.add(id(line))
            else:
                current = line
    if not merged_away:
        return lines
    return sorted(
        (line for line in lines if id(line) not in merged_away),
        key=lambda line: position[id(line)],
    )


# --------------------------------------------------------------------------- furniture

_NUMBER = re.compile(r"\d{1,4}")
_PAGE_NUMBER = re.compile(
    r"(?:page|p\.|seite|página|pagina)?\s*[-–—(\[]?\s*"
    r"(?:\d{1,5}|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))\s*[-–—)\]]?"
    r"(?:\s*(?:/|of|de|sur|von)\s*\d{1,5})?",
    re.IGNORECASE,
)


def _drop_line_numbers(page: Page) -> None:
    """Remove a column of consecutive integers in a margin (transcripts, pleadings,
    manuscripts); on a page numbered line by line, also what lies above the first or
    below the last numbered row (a page header, the page number, the reporter's name)."""
    numbers = [line for line in page.lines if _NUMBER.fullmatch(line.text)]
    if len(numbers) < 5:
        return
    others = [line for line in page.lines if not _NUMBER.fullmatch(line.text)]
    if not others:
        return
    text_left = _percentile([line.x0 for line in others], 0.5)
    text_right = _percentile([line.x1 for line in others], 0.5)
    # Right-aligned in the left margin, left-aligned in the right margin.
    groups: dict[tuple[str, int], list[Line]] = {}
    for line in numbers:
        if line.x1 <= text_left:
            groups.setdefault(("left", round(line.x1 / 3)), []).append(line)
        elif line.x0 >= text_right:
            groups.setdefault(("right", round(line.x0 / 3)), []).append(line)
    for group in groups.values():
        group.sort(key=lambda line: -line.baseline)
        values = [int(line.text) for line in group]
        steps = [after - before for before, after in itertools.pairwise(values)]
        step = max(set(steps), key=steps.count) if steps else 0
        if step <= 0 or steps.count(step) < 4 or steps.count(step) < 0.6 * len(steps):
            continue
        numbered = set(map(id, group))
        if step == 1 and len(group) >= 10:
            pitch = _percentile([a.baseline - b.baseline for a, b in itertools.pairwise(group)], 0.5)  # fmt: skip
            top, bottom = group[0].baseline + 0.6 * pitch, group[-1].baseline - 0.6 * pitch
            page.lines = [
                line
                for line in page.lines
                if id(line) not in numbered and bottom <= line.baseline <= top
            ]
        else:
            page.lines = [line for line in page.lines if id(line) not in numbered]


def _edge_rows(page: Page, count: int = 2) -> list[Line]:
    rows = _rows(page.lines)
    if len(rows) <= count:
        return [line for row in rows for line in row]
    return [line for row in rows[:count] + rows[-count:] for line in row]


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def _edge_place(page: Page, line: Line) -> tuple[str, float]:
    """Where a line of the top or bottom rows sits: its distance from that edge."""
    if line.baseline > page.height / 2:
        return "top", page.height - line.top
    return "bottom", line.bottom


def _drop_running_lines(pages: list[Page]) -> None:
    """Remove running headers and footers: lines in the top or bottom two rows of a
    page whose text, digits aside, recurs at the same place on other pages (on at least
    3 pages, or on 2 pages out of at most 6); and page numbers in those rows.

    The place matters: the first page's title block is in its top rows too, and its
    author's name or the paper's title is often the running header of the next pages,
    set higher up."""
    edges = {page.number: _edge_rows(page) for page in pages}
    places: dict[str, list[tuple[int, str, float]]] = {}
    for page in pages:
        for line in edges[page.number]:
            places.setdefault(_furniture_key(line.text), []).append(
                (page.number, *_edge_place(page, line))
            )
    needed = 2 if len(pages) <= 6 else 3
    for page in pages:
        furniture = set()
        for line in edges[page.number]:
            if _PAGE_NUMBER.fullmatch(line.text):
                furniture.add(id(line))
                continue
            side, distance = _edge_place(page, line)
            tolerance = RUNNING_LINE_SHIFT * line.size
            pages_there = {
                number
                for number, other_side, other_distance in places[_furniture_key(line.text)]
                if other_side == side and abs(other_distance - distance) <= tolerance
            }
            if len(pages_there) >= needed:
                furniture.add(id(line))
        if furniture:
            page.lines = [line for line in page.lines if id(line) not in furniture]


# --------------------------------------------------------------------------- columns


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _gutters(lines: list[Line], body_size: float) -> list[tuple[float, float]]:
    """Vertical strips between columns: crossed by few lines, with a column of text on
    each side at least ``MIN_COLUMN_WIDTH`` sizes wide."""
    if len(lines) < 6:
        return []
    start = int(min(line.x0 for line in lines))
    width = int(max(line.x1 for line in lines)) - start + 2
    if width < 2 * MIN_COLUMN_WIDTH * body_size:
        return []
    # Lines wider than a column can be (an abstract above the columns) would hide the
    # gutters: when they are a minority, the gutters are looked for without them.
    narrow = [line for line in lines if line.x1 - line.x0 <= WIDE_LINE * width]
    if len(narrow) >= (1 - WIDE_SHARE) * len(lines):
        lines = narrow
    changes = [0] * (width + 1)
    for line in lines:
        changes[int(line.x0) - start] += 1
        changes[int(line.x1) - start + 1] -= 1
    coverage = []
    running = 0
    for change in changes[:width]:
        running += change
        coverage.append(running)
    low = GUTTER_SHARE * max(coverage)
    gutters = []
    position = 0
    while position < width:
        if coverage[position] <= low:
            end = position
            while end < width and coverage[end] <= low:
                end += 1
            if position > 0 and end < width:
                gutters.append((float(start + position), float(start + end)))
            position = end
        else:
            position += 1
    # Drop the gutters next to strips too narrow or too empty to be columns.
    while gutters:
        edges = [float(start)] + [x for gutter in gutters for x in gutter] + [float(start + width)]
        strips = list(zip(edges[::2], edges[1::2], strict=True))
        counts = [0] * len(strips)
        for line in lines:
            middle = (line.x0 + line.x1) / 2
            for number, (strip_start, strip_end) in enumerate(strips):
                if strip_start <= middle <= strip_end and line.x1 - line.x0 < strip_end - strip_start + body_size:  # fmt: skip
                    counts[number] += 1
                    break
        bad = [
            number
            for number, (strip_start, strip_end) in enumerate(strips)
            if strip_end - strip_start < MIN_COLUMN_WIDTH * body_size or counts[number] < 3
        ]
        if not bad:
            break
        number = bad[0]
        # Remove the narrower of the gutters that border the strip.
        candidates = [index for index in (number - 1, number) if 0 <= index < len(gutters)]
        gutters.pop(min(candidates, key=lambda index: gutters[index][1] - gutters[index][0]))
    return gutters


def _reading_order(page: Page, body_size: float) -> list[list[Line]]:
    """The page as runs of lines (a column within a band), in reading order; sets
    each line's ``left`` and ``right`` to its column's edges."""
    runs: list[list[Line]] = []
    for number, band in enumerate(_bands(page.lines, body_size)):
        for line in band:
            line.band = number
        runs.extend(_band_runs(band, body_size))
    return runs


def _bands(lines: list[Line], body_size: float) -> list[list[Line]]:
    """The lines cut where an empty strip crosses the whole page, at least ``BAND_GAP``
    sizes tall: parts laid out differently (a masthead above the columns)."""
    if not lines:
        return []
    ordered = sorted(lines, key=lambda line: -line.top)
    bands = [[ordered[0]]]
    floor = ordered[0].bottom
    for line in ordered[1:]:
        if floor - line.top >= BAND_GAP * body_size:
            bands.append([line])
        else:
            bands[-1].append(line)
        floor = min(floor, line.bottom)
    return bands


def _band_runs(lines: list[Line], body_size: float) -> list[list[Line]]:
    gutters = _gutters(lines, body_size)
    edges = [x for gutter in gutters for x in gutter]
    spanning: list[Line] = []
    columns: list[list[Line]] = [[] for _ in range(len(gutters) + 1)]
    for row in _rows(lines):
        # A row with a line across a gutter is read as a whole (a table row).
        if any(
            line.x0 < gutter_start - body_size and line.x1 > gutter_end + body_size
            for line in row
            for gutter_start, gutter_end in gutters
        ):
            spanning.extend(row)
            continue
        for line in row:
            middle = (line.x0 + line.x1) / 2
            columns[bisect_right(edges, middle) // 2].append(line)
    for column in columns:
        if column:
            _set_edges(column, column)
    if spanning:
        _set_edges(spanning, lines)
    # Lines that span the columns cut the band further; each part is read column by column.
    spanning_rows = _rows(spanning)
    cuts = [-row[0].baseline for row in spanning_rows]
    parts: list[list[list[Line]]] = [[[] for _ in columns] for _ in range(len(spanning_rows) + 1)]
    for number, column in enumerate(columns):
        for line in column:
            parts[bisect_right(cuts, -line.baseline)][number].append(line)
    # Spanning rows with no column text between them (a title block, an abstract across
    # the page) are one run, so that their vertical gaps tell their paragraphs apart.
    runs: list[list[Line]] = []
    after_spanning = False
    for part_number, part in enumerate(parts):
        column_runs = [_joined_rows(column) for column in part if column]
        if column_runs:
            runs.extend(column_runs)
            after_spanning = False
        if part_number < len(spanning_rows):
            row = _joined_rows(spanning_rows[part_number])
            if after_spanning:
                runs[-1].extend(row)
            else:
                runs.append(row)
            after_spanning = True
    return runs


def _joined_rows(lines: list[Line]) -> list[Line]:
    """The lines of a column from the top, the pieces of a row in the same type joined
    (a party's name and the colon of a court caption far to its right, table cells)."""
    joined: list[Line] = []
    for row in _rows(lines):
        current = row[0]
        for piece in row[1:]:
            if _same_type(current, piece):
                current = Line(
                    text=f"{current.text} {piece.text}",
                    x0=current.x0,
                    x1=max(current.x1, piece.x1),
                    baseline=current.baseline,
                    top=max(current.top, piece.top),
                    bottom=min(current.bottom, piece.bottom),
                    size=max(current.size, piece.size),
                    bold=current.bold,
                    first_word=current.first_word,
                    page=current.page,
                    band=current.band,
                    left=current.left,
                    right=current.right,
                )
            else:
                joined.append(current)
                current = piece
        joined.append(current)
    return joined


def _same_type(above: Line, below: Line) -> bool:
    big, small = max(above.size, below.size), min(above.size, below.size)
    return big <= SIZE_RATIO * small and above.bold == below.bold


def _set_edges(lines: list[Line], reference: list[Line]) -> None:
    """A column's left and right edges, robust to a line sticking out."""
    meaningful = [line for line in reference if len(line.text) > 1] or reference
    left = _percentile([line.x0 for line in meaningful], 0.1)
    right = _percentile([line.x1 for line in meaningful], 0.9)
    for line in lines:
        line.left, line.right = left, right


# --------------------------------------------------------------------------- paragraphs

_TERMINAL = tuple(".!?:;")
_CLOSERS = "\"'”’)]»"
_WORDS = re.compile(r"\w+(?:[-‐]\w+)*")


def _terminated(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(_TERMINAL)


def _median(values: list[float], default: float) -> float:
    return _percentile(values, 0.5) if values else default


@dataclass
class _Paragraph:
    lines: list[Line]

    @property
    def first_page(self) -> int:
        return self.lines[0].page

    @property
    def last_page(self) -> int:
        return self.lines[-1].page


class _Paragraphs:
    """Splits runs of lines into paragraphs (see ``breaks``)."""

    def __init__(self, runs: list[list[Line]], body_size: float) -> None:
        self.body_size = body_size
        self.pitches = self._pitches(runs)
        self.indent_style = self._uses_first_line_indent(runs)

    @staticmethod
    def _size_class(size: float) -> int:
        return round(size * 2)

    def _pitches(self, runs: list[list[Line]]) -> dict[int, float]:
        """The usual distance between baselines, for each size of type."""
        samples: dict[int, list[float]] = {}
        for run in runs:
            for above, below in itertools.pairwise(run):
                pitch = above.baseline - below.baseline
                if _same_type(above, below) and 0.5 * above.size < pitch < 4 * above.size:
                    samples.setdefault(self._size_class(above.size), []).append(pitch)
        return {size: _median(values, 0) for size, values in samples.items() if len(values) >= 3}

    def pitch(self, line: Line) -> float:
        return self.pitches.get(self._size_class(line.size)) or 1.25 * line.size

    def _uses_first_line_indent(self, runs: list[list[Line]]) -> bool:
        """Whether paragraphs start indented, judging by the lines after short lines."""
        indented = flush = 0
        for run in runs:
            for above, below in itertools.pairwise(run):
                if _same_type(above, below) and self.ends_short(above, below):
                    if self.indented(below):
                        indented += 1
                    else:
                        flush += 1
        return indented >= 3 and indented >= 0.6 * (indented + flush)

    # -- the signs
    @staticmethod
    def indented(line: Line) -> bool:
        return line.x0 - line.left >= INDENT * line.size

    def is_display(self, line: Line) -> bool:
        return line.bold or line.size > SIZE_RATIO * self.body_size

    @staticmethod
    def ends_short(above: Line, below: Line) -> bool:
        """The first word of ``below`` would have fitted at the end of ``above``: the
        line was ended on purpose. A hyphen at its end, or a lowercase continuation of an
        unfinished sentence (text flowing around a figure), says otherwise."""
        room = above.right - above.x1
        if room <= below.first_word + 0.4 * below.size:
            return False
        if above.text.endswith(("-", "‐", "–", "—", "/")):
            return False
        return not (below.text[:1].islower() and not _terminated(above.text))

    def breaks(self, above: Line, below: Line, after: Line | None, same_run: bool) -> bool:
        """Whether ``below`` starts a paragraph after ``above``; ``after`` is the line
        below it in its run, if any."""
        if not _same_type(above, below):
            return True
        if below.text[:1] in _BULLETS:
            return True
        if not same_run:
            # The vertical gap says nothing across columns and pages. Across an empty
            # strip of the page, only a sentence that goes on in lowercase continues.
            if above.page == below.page and above.band != below.band:
                return not (below.text[:1].islower() and not _terminated(above.text))
            if self.indent_style:
                if self.indented(below):
                    return after is None or not after.x0 >= below.x0 - INDENT * below.size
                return False
            return _terminated(above.text) or self.ends_short(above, below)
        if above.baseline - below.baseline > GAP_RATIO * self.pitch(above):
            return True
        shift = below.x0 - above.x0
        first = self.current is not None and self.current.lines[0] is above
        if shift > INDENT * below.size:
            # Further right: a first-line indent or a quotation starts; unless the line
            # above is the first of its paragraph and ran full: then this is the second
            # line of an entry set with a hanging indent (references, court captions).
            return not first or self.ends_short(above, below)
        if shift < -INDENT * below.size and not first:
            # Back to the left after indented lines: a quotation ended, or the next
            # entry with a hanging indent starts. (After an indented first line, this
            # is the second line of the paragraph.)
            return True
        if self.is_display(above) and self.is_display(below):
            return False  # a heading on several lines
        return self.ends_short(above, below)

    def split(self, runs: list[list[Line]]) -> list[_Paragraph]:
        paragraphs: list[_Paragraph] = []
        self.current: _Paragraph | None = None
        previous: Line | None = None
        for run in runs:
            for position, line in enumerate(run):
                after = run[position + 1] if position + 1 < len(run) else None
                if previous is None or self.breaks(previous, line, after, position > 0):
                    self.current = _Paragraph([line])
                    paragraphs.append(self.current)
                else:
                    self.current.lines.append(line)
                previous = line
        return paragraphs


# --------------------------------------------------------------------------- joining


class Vocabulary:
    """The words of the document, to tell a line-end hyphenation ("secu-rity") from a
    compound broken at its hyphen ("military-security").

    Built from the paragraphs' lines (``of_paragraphs``), it leaves out the two halves
    of every word broken at a line end: "secu" and "rity" are fragments, not words of
    the document, unless they occur elsewhere."""

    def __init__(self, texts) -> None:
        self.words: set[str] = set()
        self.compounds: set[str] = set()
        for text in texts:
            for word in _WORDS.findall(text.casefold()):
                (self.compounds if "-" in word or "‐" in word else self.words).add(word)

    @classmethod
    def of_paragraphs(cls, paragraphs) -> Vocabulary:
        """The vocabulary of paragraphs, each a list of its lines' texts."""
        texts = []
        for lines in paragraphs:
            for number, text in enumerate(lines):
                if number > 0 and _broken_word(lines[number - 1], text):
                    text = _FIRST_WORD.sub("", text, count=1)
                if number + 1 < len(lines) and _broken_word(text, lines[number + 1]):
                    text = _LAST_WORD.sub("", text)
                texts.append(text)
        return cls(texts)

    def keeps_hyphen(self, left: str, right: str) -> bool:
        """Keep the hyphen of ``left-`` + ``right`` when the document writes the compound
        with a hyphen elsewhere and never as one word, or when both halves are words of
        the document and their join is not ("well-known", "cross-border"); otherwise the
        hyphen was the typesetter's and goes ("secu-rity")."""
        left, right = left.casefold(), right.casefold()
        if left + right in self.words:
            return False
        if f"{left}-{right}" in self.compounds:
            return True
        return left in self.words and right in self.words and len(left) > 1


_LAST_WORD = re.compile(r"(\w+)[-‐]$")
_FIRST_WORD = re.compile(r"^(\w+)")
_URL_END = re.compile(r"(?:https?://|www\.)\S*$|\S+@$")


def _broken_word(line: str, following: str) -> bool:
    """Whether a line ends in a word broken at a hyphen that the next line finishes."""
    return (
        line.endswith(("-", "‐"))
        and line[-2:-1].isalpha()
        and following[:1].islower()
        and _LAST_WORD.search(line) is not None
        and _FIRST_WORD.match(following) is not None
    )


def join_lines(texts: list[str], vocabulary: Vocabulary) -> str:
    """The lines of a paragraph as one line.

    - ``secu-`` + ``rity``: one word (the hyphen goes, unless ``Vocabulary`` says the
      compound is real: ``military-`` + ``security``);
    - ``Russia-`` + ``Iran``, ``737-`` + ``9``: the hyphen stays, no space (a hyphen
      before a capital or a digit is part of a name or a number);
    - ``2018–`` + ``23``, ``so—`` + ``then``: a dash at a line end stays, no space
      (unless the dash has a space before it: ``so —`` + ``then``);
    - ``https://`` + ``www.example.org``, ``someone@`` + ``example.org``: no space;
    - otherwise a space.
    """
    pieces = [texts[0]]
    for text in texts[1:]:
        last = pieces[-1]
        if last.endswith(("-", "‐")) and last[-2:-1].isalpha():
            right = _FIRST_WORD.match(text)
            left = _LAST_WORD.search(last)
            if text[:1].islower() and left and right:
                if vocabulary.keeps_hyphen(left[1], right[1]):
                    pieces.append(text)
                else:
                    pieces[-1] = last[:-1]
                    pieces.append(text)
            else:
                pieces.append(text)
        elif (
            (last.endswith(("–", "—", "-", "‐")) and last[-2:-1] != " ")
            or (last.endswith("/") and _URL_END.search(last))
            or last.endswith("@")
        ):
            pieces.append(text)
        else:
            pieces.append(" " + text)
    return "".join(pieces)


# --------------------------------------------------------------------------- the text


def layout_text(pages: list[Page]) -> str:
    """The article text of the pages: paragraphs separated by a blank line."""
    _drop_furniture(pages)
    lines = [line for page in pages for line in page.lines]
    if not lines:
        return ""
    body_size = _body_size(lines)
    runs_by_page = {page.number: _reading_order(page, body_size) for page in pages}
    every_run = [run for runs in runs_by_page.values() for run in runs]
    following = {
        id(run): every_run[number + 1][0] if number + 1 < len(every_run) else None
        for number, run in enumerate(every_run)
    }
    runs: list[list[Line]] = []
    notes: dict[int, list[list[Line]]] = {}
    for page_number, page_runs in runs_by_page.items():
        body_runs, page_notes = _separate_small_print(page_runs, body_size, following)
        runs.extend(body_runs)
        if page_notes:
            notes[page_number] = page_notes
    splitter = _Paragraphs(every_run, body_size)
    paragraphs = splitter.split(runs)
    note_paragraphs = {number: splitter.split(page_notes) for number, page_notes in notes.items()}
    every_paragraph = paragraphs + [p for page in note_paragraphs.values() for p in page]
    vocabulary = Vocabulary.of_paragraphs(
        [line.text for line in paragraph.lines] for paragraph in every_paragraph
    )

    def texts(paragraphs: list[_Paragraph]) -> list[str]:
        return [
            join_lines([line.text for line in paragraph.lines], vocabulary)
            for paragraph in paragraphs
        ]

    blocks: list[str] = []
    pending = sorted(note_paragraphs)
    for number, paragraph in enumerate(paragraphs):
        blocks.extend(texts([paragraph]))
        # Footnotes go after the paragraph that their page ends in.
        next_page = paragraphs[number + 1].first_page if number + 1 < len(paragraphs) else None
        while pending and (next_page is None or pending[0] < next_page):
            blocks.extend(texts(note_paragraphs[pending.pop(0)]))
    for page_number in pending:
        blocks.extend(texts(note_paragraphs[page_number]))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _drop_furniture(pages: list[Page]) -> None:
    for page in pages:
        _drop_line_numbers(page)
    if len(pages) > 1:
        _drop_running_lines(pages)
        return
    for page in pages:  # one page: only its page number can be told
        edges = set(map(id, _edge_rows(page, 1)))
        page.lines = [
            line
            for line in page.lines
            if id(line) not in edges or not _PAGE_NUMBER.fullmatch(line.text)
        ]


def _body_size(lines: list[Line]) -> float:
    """The size of the type that most characters are set in."""
    counts: dict[float, int] = {}
    for line in lines:
        size = round(line.size, 1)
        counts[size] = counts.get(size, 0) + len(line.text)
    return max(counts, key=counts.__getitem__)


def _separate_small_print(
    runs: list[list[Line]], body_size: float, following: dict[int, Line | None]
) -> tuple[list[list[Line]], list[list[Line]]]:
    """Split off the small print at the foot of each column (footnotes): the last
    lines of the column's last run, smaller than the body, in the lower part of the page
    (starting under 60% of the height of its text, reaching its lowest 20%), unless the
    next column or page starts in the same type (then it is text set small, going on)."""
    lines = [line for run in runs for line in run]
    if not any(line.size > SMALL_PRINT * body_size for line in lines):
        return runs, []
    low = min(line.baseline for line in lines)
    high = max(line.baseline for line in lines)
    last_run_of_column = {(run[0].left, run[0].right): number for number, run in enumerate(runs)}
    bottoms = set(last_run_of_column.values())
    body: list[list[Line]] = []
    notes: list[list[Line]] = []
    for number, run in enumerate(runs):
        cut = len(run)
        if number in bottoms and run[-1].baseline <= low + 0.2 * (high - low):
            while cut > 0 and run[cut - 1].size <= SMALL_PRINT * body_size:
                cut -= 1
            after = following[id(run)]
            if cut < len(run) and (
                run[cut].baseline > low + 0.6 * (high - low)
                or (after is not None and _same_type(after, run[cut]))
            ):
                cut = len(run)
        if cut:
            body.append(run[:cut])
        if cut < len(run):
            notes.append(run[cut:])
    return body, notes


def extract_text(data: bytes, *, max_pages: int, max_chars: int) -> str:
    """The article text of a PDF; raises ``PdfRefused`` with the reason."""
    pages = read_pages(data, max_pages=max_pages, max_chars=max_chars)
    text = layout_text(pages)
    if not text.strip():
        raise PdfRefused(NO_TEXT)
    return text


# --------------------------------------------------------------------------- child process

EXIT_REFUSED = 2
EXIT_MEMORY = 3


def _child(argv: list[str]) -> int:
    """Read a PDF on stdin, write its text on stdout, within a memory limit."""
    import argparse
    import resource

    parser = argparse.ArgumentParser(description="The article text of a PDF read on stdin.")
    parser.add_argument("--max-pages", type=int, required=True)
    parser.add_argument("--max-chars", type=int, required=True)
    parser.add_argument("--memory-bytes", type=int, required=True)
    arguments = parser.parse_args(argv)
    limit = arguments.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        data = sys.stdin.buffer.read()
        text = extract_text(data, max_pages=arguments.max_pages, max_chars=arguments.max_chars)
    except PdfRefused as refusal:
        sys.stderr.write(str(refusal))
        return EXIT_REFUSED
    except MemoryError:
        return EXIT_MEMORY
    sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
