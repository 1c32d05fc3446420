"""Parse the text of one article into metadata and typed paragraphs.

The input is what news sites, blogs and PDF extractors produce: markdown-ish or
plain text with repeated titles, bylines, outlet labels, page marks, running
headers, paragraphs cut in two by page breaks, footers and reader comments.
The rules below are general (they look at the shape of the text, and at the data
tables in ``rules``), never at a file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from corpus.markup import markdown_to_text

from . import rules
from .markdown_syntax import (
    EMPHASIS_MARKS,
    has_inline_signal,
    markdown_heading,
    strip_dead_links,
    strip_links,
    unwrap_emphasis,
)

PARAGRAPH_KINDS = (
    "heading",
    "body",
    "quote",
    "caption",
    "list_item",
    "reference",
    "boilerplate",
    "reader_comment",
)


@dataclass
class ParsedParagraph:
    kind: str
    markup: str
    level: int | None = None


@dataclass
class ParsedArticle:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    outlet: str = ""
    published: date | None = None
    kind: str = "other"
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    received: date | None = None
    accepted: date | None = None
    outlet_labels: dict[str, list[str]] = field(default_factory=dict)
    source_url: str = ""
    markup_format: str = "plain"
    paragraphs: list[ParsedParagraph] = field(default_factory=list)


# --------------------------------------------------------------------------- text


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile("[\u00a0\u2007\u202f\u2009\u200a\t\u3000]")
_LIST_MARKER = re.compile(r"^(?:[-•*+▪●]|\d{1,2}[.)])\s+")
_REFERENCE_MARKER = re.compile(r"^(?:[-•*▪●]\s+|\[\d{1,3}\]\s*|\d{1,3}[.)]\s+)")
# A numbered section heading in sentence case: "2 Two kinds of intervention", "3.1 Aims".
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][^.!?;:,]{1,70}$")
_SEPARATOR = re.compile(r"^(?:\\?\*|(?:\\?\*\s*){3,}|-{3,}|_{3,}|={3,}|•|~{3,})$")
_MARKDOWN_BLOCK_SIGNAL = re.compile(r"^(?:#{1,6}|>)\s", re.MULTILINE)
_TERMINAL = set(".!?:;\"”’')]}»…")
_SUPERSCRIPT_MARKS = re.compile(r"\^\{[^}]*\}|[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§]+")
_BYLINE = re.compile(
    r"^(?:by|written by|authors?:)\s+(?P<names>.+?)"
    r"(?:\s+(?:exclusively\s+)?for\s+(?P<outlet>[^,.]{2,60}))?$",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|el|bin|ibn)){1,4}$")
_MONTHS = {
    name.lower(): number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    re.compile(
        rf"^(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$",
        re.I,
    ),
    re.compile(
        rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>\d{{4}})$",
        re.I,
    ),
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$"),
)


def normalize_text(text: str) -> str:
    """Unify line ends and spaces; drop invisible characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")


def approximate_plain(markup: str) -> str:
    """Markdown without its punctuation: links to their text, no emphasis marks."""
    if not re.search(r"[*_`\[\\]", markup):
        return collapse_spaces(markup)
    text = strip_links(markup)
    text = EMPHASIS_MARKS.sub("", text)
    return collapse_spaces(_MARKDOWN_ESCAPE.sub(r"\1", text))


def looks_like_markdown(text: str) -> bool:
    """Markdown headings, quotes, bold or links: the file was written in markdown."""
    if ("**" in text or "](" in text) and has_inline_signal(text):
        return True
    return bool(_MARKDOWN_BLOCK_SIGNAL.search(text))


def parse_date(text: str) -> date | None:
    """A date written out in full ("March 09, 2019", "15 March 2023", "2019-03-09")."""
    text = collapse_spaces(text).strip(" .")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        month = match["month"]
        month_number = int(month) if month.isdigit() else _MONTHS[month.lower()]
        try:
            return datetime(int(match["year"]), month_number, int(match["day"])).date()
        except ValueError:
            return None
    return None


def is_terminated(plain: str) -> bool:
    return bool(plain) and plain[-1] in _TERMINAL


def last_word(plain: str) -> str:
    words = plain.split()
    return words[-1].lower() if words else ""


def looks_like_title(plain: str, *, max_length: int = 150, min_words: int = 1) -> bool:
    """Title Case text: most words capitalised, short, no sentence punctuation at its end."""
    if not plain or len(plain) > max_length or plain[-1] in ".,;!?" or not plain[0].isupper():
        return False
    words = re.findall(r"[\w'’-]+", plain)
    significant = [word for word in words if word.lower() not in rules.MINOR_WORDS]
    if len(significant) < min_words:
        return False
    capitalised = sum(1 for word in significant if word[0].isupper() or word[0].isdigit())
    return capitalised / len(significant) >= 0.75


def is_page_mark(line: str) -> bool:
    """A PDF page number or a glyph mangled from one ("12", "JB", "Ŋß", "Įß.", "- 3 -")."""
    mark = line.strip()
    if len(mark) > 16:
        return False
    if re.fullmatch(
        r"(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?|[-–]\s*\d{1,4}\s*[-–]", mark, re.I
    ):
        return True
    if len(mark) > 4 or " " in mark or _SEPARATOR.match(mark):
        return False
    letters = mark.rstrip(".")
    if not letters:
        return False
    if re.fullmatch(r"[ivxlcdm]+|[IVXLCDM]+", letters):
        return True
    return any(ord(char) > 127 for char in letters) or (letters.isupper() and len(letters) <= 3)


# --------------------------------------------------------------------------- blocks


@dataclass
class Block:
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(Block(current))
            current = []
    if current:
        blocks.append(Block(current))
    return blocks


# A paragraph joined from more fragments than this is built once, at the end.
EXACT_JOINS = 8


class _Parser:
    def __init__(self, text: str, *, fallback_title: str) -> None:
        self.text = normalize_text(text)
        self.fallback_title = fallback_title
        self.article = ParsedArticle()
        self.markdown = looks_like_markdown(self.text)
        self.article.markup_format = "markdown" if self.markdown else "plain"
        self.listed_authors = False  # authors came as a paper's list, so affiliations may follow
        self._plain: dict[str, str] = {}  # blocks are asked about more than once
        # The paragraph being joined from fragments (see join).
        self._joining: ParsedParagraph | None = None
        self._pieces: list[str] = []
        self._last_plain = ""

    # -- helpers that depend on the format
    def plain(self, markup: str) -> str:
        """The text a reader sees for a piece of markup, closely enough to classify it.

        The exact text comes from the rendered HTML when the paragraph is stored; to
        decide what a block is, stripping the markdown punctuation is enough.
        """
        plain = self._plain.get(markup)
        if plain is None:
            plain = self._plain[markup] = (
                approximate_plain(markup) if self.markdown else collapse_spaces(markup)
            )
        return plain

    def exact_plain(self, markup: str) -> str:
        """The text a reader sees, exactly: for metadata, which is stored as it is."""
        return markdown_to_text(markup) if self.markdown else collapse_spaces(markup)

    def clean_markup(self, markup: str) -> str:
        markup = collapse_spaces(markup)
        if self.markdown:
            markup = strip_dead_links(markup)
        return markup

    # -- the passes
    def parse(self) -> ParsedArticle:
        blocks = split_blocks(self.text)
        blocks = self.take_title(blocks)
        blocks = self.drop_page_furniture(blocks)
        blocks = self.take_head(blocks)
        self.read_body(blocks)
        self.decide_kind()
        return self.article

    def take_title(self, blocks: list[Block]) -> list[Block]:
        title = ""
        for index, block in enumerate(blocks):
            match = markdown_heading(block.lines[0]) if self.markdown else None
            if match and len(match[0]) == 1:
                title = self.exact_plain(match[1])
                rest = block.lines[1:]
                blocks = blocks[:index] + ([Block(rest)] if rest else []) + blocks[index + 1 :]
                break
        if not title and blocks and not self.markdown:
            first = blocks[0]
            candidate = self.exact_plain(first.lines[0])
            if len(candidate) <= 300 and not candidate.endswith("."):
                title = candidate
                rest = first.lines[1:]
                blocks = ([Block(rest)] if rest else []) + blocks[1:]
        self.article.title = title or self.fallback_title
        # A web page repeats its title (the browser tab, the image alt text): drop the copies.
        key = self.article.title.casefold()
        return [
            block
            for block in blocks
            if len(block.text) > 2 * len(key) + 20 or self.plain(block.text).casefold() != key
        ]

    def drop_page_furniture(self, blocks: list[Block]) -> list[Block]:
        """Page marks and running headers of a PDF, also inside a line."""
        kept: list[Block] = []
        for block in blocks:
            lines = []
            for line in block.lines:
                if "..." in line or "…" in line:
                    line = strip_running_headers(line, self.article.title)
                if line and not is_page_mark(line):
                    lines.append(line)
            if lines:
                kept.append(Block(lines))
        return kept

    # -- the head: byline, dateline, labels, academic front matter
    def take_head(self, blocks: list[Block]) -> list[Block]:
        article = self.article
        index = 0
        expect_abstract = False
        while index < len(blocks):
            block = blocks[index]
            plain = self.exact_plain(block.text)
            if expect_abstract:
                article.abstract = plain
                expect_abstract = False
            elif match := re.match(r"^abstract\s*[:.]?\s*(.*)$", plain, re.I):
                if match[1]:
                    article.abstract = match[1]
                else:
                    expect_abstract = True
            elif match := re.match(
                r"^(?:keywords|key words|index terms)\s*[:.—–-]\s*(.+)$", plain, re.I
            ):
                article.keywords = [
                    collapse_spaces(word).rstrip(".")
                    for word in re.split(r"[;,]", match[1])
                    if word.strip(" .")
                ]
            elif dates := re.findall(
                r"\b(received|accepted|revised|published)\s*:\s*([^;|]+)", plain, re.I
            ):
                for label, value in dates:
                    parsed = parse_date(value)
                    if label.lower() == "received":
                        article.received = parsed
                    elif label.lower() == "accepted":
                        article.accepted = parsed
                    elif label.lower() == "published":
                        article.published = parsed
            elif not self.take_head_line(block, plain):
                break
            index += 1
        return blocks[index:]

    def take_head_line(self, block: Block, plain: str) -> bool:
        """Byline, dateline, outlet labels, author list and affiliations; False otherwise."""
        article = self.article
        if match := _BYLINE.match(plain):
            article.authors = split_names(match["names"])
            if match["outlet"]:
                article.outlet = match["outlet"].strip()
            return bool(article.authors)
        if (match := re.match(r"^(?P<outlet>[^,]{2,60}),\s+(?P<date>.+)$", plain)) and (
            published := parse_date(match["date"])
        ):
            article.outlet = article.outlet or match["outlet"].strip()
            article.published = published
            return True
        if (
            match := re.match(r"^(?P<label>[A-Za-z][A-Za-z -]{1,30}):\s*(?P<value>.+)$", plain)
        ) and (match["label"].strip().lower() in rules.OUTLET_LABELS):
            values = [value.strip() for value in match["value"].split(",") if value.strip()]
            article.outlet_labels[match["label"].strip()] = values
            return True
        if not article.authors and (names := author_list(plain)):
            article.authors = names
            self.listed_authors = True
            return True
        if self.listed_authors and all(is_affiliation(line) for line in block.lines):
            article.affiliations.extend(
                collapse_spaces(
                    _SUPERSCRIPT_MARKS.sub(" ", re.sub(r"^[\d,*\s]+(?=[A-Z])", "", line))
                )
                for line in block.lines
            )
            return True
        return False

    # -- the body
    def read_body(self, blocks: list[Block]) -> None:
        paragraphs = self.article.paragraphs
        zone = "body"
        continued = False  # whether the last paragraph may go on in the next block
        halfway = len(blocks) // 2
        for index, block in enumerate(blocks):
            markup = self.clean_markup(block.text)
            plain = self.plain(markup)
            lowered = plain.lower()
            previous = paragraphs[-1] if paragraphs else None

            if _SEPARATOR.match(block.text):
                continued = False
                continue
            if zone != "comments" and all(
                len(line) < 40 and collapse_spaces(line).lower() in rules.COMMENT_WIDGET_LINES
                for line in block.lines
            ):
                for line in block.lines:
                    paragraphs.append(ParsedParagraph("boilerplate", self.clean_markup(line)))
                if any(line.lower() in rules.COMMENT_WIDGET_MARKERS for line in block.lines):
                    zone = "comments"
                continued = False
                continue
            if zone == "comments":
                paragraphs.append(ParsedParagraph("reader_comment", markup))
                continue
            if index >= halfway and lowered.startswith(rules.FOOTER_OPENERS):
                zone = "footer"
            if zone == "footer" or lowered.startswith(rules.BOILERPLATE_PHRASES):
                paragraphs.append(ParsedParagraph("boilerplate", markup))
                continued = False
                continue

            heading = self.heading_of(block, markup, plain, previous, continued)
            if heading is not None:
                paragraphs.append(heading)
                zone = (
                    "references"
                    if plain.lower().rstrip(":") in rules.REFERENCE_HEADINGS
                    else "body"
                )
                continued = False
                continue
            if zone == "references":
                self.add_references(block, continued)
                continued = True
                continue
            if self.markdown and all(line.startswith(">") for line in block.lines):
                quoted = " ".join(line.lstrip("> ").strip() for line in block.lines)
                paragraphs.append(ParsedParagraph("quote", self.clean_markup(quoted)))
                continued = not is_terminated(self.plain(quoted))
                continue
            if _LIST_MARKER.match(block.lines[0]):
                self.add_list_items(block)
                continued = False
                continue
            if continued and previous is not None and previous.kind in {"body", "quote"}:
                self.join(previous, markup)
                continued = not is_terminated(self.ending(previous))
                continue
            continued = not is_terminated(plain)
            if is_caption(plain):
                paragraphs.append(ParsedParagraph("caption", markup))
                continued = False
                continue
            if (
                previous is not None
                and previous.kind == "body"
                and introduces_quote(self.ending(previous))
            ):
                paragraphs.append(ParsedParagraph("quote", markup))
                continue
            if not self.markdown and (split := split_run_in_heading(markup)):
                heading_text, level, rest = split
                paragraphs.append(ParsedParagraph("heading", heading_text, level=level))
                paragraphs.append(ParsedParagraph("body", rest))
                continue
            paragraphs.append(ParsedParagraph("body", markup))
        self.finish_joins()

    def join(self, paragraph: ParsedParagraph, markup: str) -> None:
        """Go on with ``paragraph`` (a page break or a blank line cut it): see
        ``join_fragments``. The first ``EXACT_JOINS`` fragments are joined at once;
        later ones are kept aside and joined by ``finish_joins``, so that a paragraph
        cut in thousands of pieces costs its length, not its length times the pieces."""
        if self._joining is not paragraph:
            self.finish_joins()
            self._joining, self._pieces, self._last_plain = paragraph, [paragraph.markup], ""
        last = self._pieces[-1]
        self._pieces.append(markup if _joins_without_space(last, markup) else " " + markup)
        if len(self._pieces) <= EXACT_JOINS + 1:
            paragraph.markup = "".join(self._pieces)
            self._last_plain = ""
        elif plain := self.plain(markup):
            self._last_plain = plain

    def ending(self, paragraph: ParsedParagraph) -> str:
        """The text a reader sees of a paragraph, to look at how it ends: all of it,
        or, once it is joined from many fragments, that of its last fragment with text
        (or of the first ``EXACT_JOINS + 1`` of them)."""
        if self._joining is paragraph and len(self._pieces) > EXACT_JOINS + 1:
            return self._last_plain or self.plain(paragraph.markup)
        return self.plain(paragraph.markup)

    def finish_joins(self) -> None:
        if self._joining is not None and len(self._pieces) > EXACT_JOINS + 1:
            self._joining.markup = "".join(self._pieces)
        self._joining = None

    def heading_of(
        self,
        block: Block,
        markup: str,
        plain: str,
        previous: ParsedParagraph | None,
        continued: bool,
    ) -> ParsedParagraph | None:
        if len(block.lines) != 1:
            return None
        if self.markdown:
            match = markdown_heading(block.lines[0])
            if not match:
                return None
            text = unwrap_emphasis(self.clean_markup(match[1]))
            return ParsedParagraph("heading", text, level=len(match[0]))
        numbered = _NUMBERED_HEADING.match(plain)
        if numbered is not None and continued:
            return None  # "2 divisions" going on with a sentence cut above
        if numbered is None and (not looks_like_title(plain) or _LIST_MARKER.match(plain)):
            return None
        if continued and previous is not None:
            # A short Title Case line after a sentence cut at "the", "of", "and" or a
            # comma is the rest of that sentence, not a heading.
            ending = self.ending(previous)
            if ending.endswith((",", "-")) or last_word(ending) in rules.MINOR_WORDS:
                return None
        return ParsedParagraph("heading", plain.rstrip(":"), level=2)

    def add_list_items(self, block: Block) -> None:
        items: list[list[str]] = []
        for line in block.lines:
            if _LIST_MARKER.match(line):
                items.append([_LIST_MARKER.sub("", line, count=1)])
            else:
                items[-1].append(line)
        self.article.paragraphs.extend(
            ParsedParagraph("list_item", self.clean_markup(" ".join(item))) for item in items
        )

    def add_references(self, block: Block, continued: bool) -> None:
        """One paragraph per entry; a line without a marker goes on with the entry above,
        unless it opens a block of its own, with a capital, after an entry that ended
        (an author-year list has no markers: each entry is a block)."""
        paragraphs = self.article.paragraphs
        for index, line in enumerate(block.lines):
            previous = paragraphs[-1] if paragraphs else None
            if _REFERENCE_MARKER.match(line):
                entry = _REFERENCE_MARKER.sub("", line, count=1)
                paragraphs.append(ParsedParagraph("reference", self.clean_markup(entry)))
            elif (
                index == 0
                and previous is not None
                and previous.kind == "reference"
                and line[:1].isupper()
                and is_terminated(self.ending(previous))
            ):
                paragraphs.append(ParsedParagraph("reference", self.clean_markup(line)))
            elif previous is not None and previous.kind == "reference":
                self.join(paragraphs[-1], self.clean_markup(line))
            else:
                paragraphs.append(ParsedParagraph("reference", self.clean_markup(line)))

    def decide_kind(self) -> None:
        article = self.article
        has_references = any(p.kind == "reference" for p in article.paragraphs)
        if article.abstract or article.keywords or article.received or has_references:
            article.kind = "academic"
        else:
            article.kind = rules.OUTLET_KINDS.get(article.outlet.casefold(), "other")


# From the start of a run of spaces only: from inside it, a search would re-read
# the rest of the run at every space.
_ELLIPSIS = re.compile(r"(?<!\s)\s*+(?:\.\.\.|…)")
_WORD = re.compile(r"\S+")


def strip_running_headers(line: str, title: str) -> str:
    """Remove the title cut short with an ellipsis ("The Military & Security
    Cooperation between ..."), as PDF running headers print it, also mid-line."""
    title_words, overlaps = _title_prefixes(title)
    if len(title_words) < 3:
        return line
    pieces = []
    position = 0
    for match in _ELLIPSIS.finditer(line):
        before = line[position : match.start()]
        # The longest run of words before the ellipsis that is a prefix of the title.
        count = _longest_prefix_ending(
            [word.casefold() for word in before.split()], title_words, overlaps
        )
        if count >= 3:
            starts = [word.start() for word in _WORD.finditer(before)]
            pieces.append(before[: starts[-count]].rstrip())
        else:
            pieces.append(line[position : match.end()])
        position = match.end()
    pieces.append(line[position:])
    return collapse_spaces(" ".join(pieces))


@lru_cache(maxsize=8)
def _title_prefixes(title: str) -> tuple[list[str], list[int]]:
    """The title's words, casefolded, and for each prefix of them the longest proper
    prefix that is also a suffix of it (Knuth-Morris-Pratt), to find in one pass the
    longest prefix of the title that a run of words ends with."""
    words = title.casefold().split()
    overlaps = [0] * len(words)
    length = 0
    for index in range(1, len(words)):
        while length and words[index] != words[length]:
            length = overlaps[length - 1]
        if words[index] == words[length]:
            length += 1
        overlaps[index] = length
    return words, overlaps


def _longest_prefix_ending(words: list[str], title_words: list[str], overlaps: list[int]) -> int:
    """How many of the title's first words ``words`` ends with, at most."""
    length = 0
    for word in words:
        while length and (length == len(title_words) or word != title_words[length]):
            length = overlaps[length - 1]
        if length < len(title_words) and word == title_words[length]:
            length += 1
    return length


def is_caption(plain: str) -> bool:
    """A photo caption: it ends with a credit ("(dpa)") or places people ("(L)", "(2nd R)")."""
    if len(plain) > 800:
        return False
    if plain.endswith(")") and rules.PHOTO_CREDIT_RE.search(plain[-80:]):
        return True
    return len(rules.PHOTO_POSITION_RE.findall(plain)) >= 2


def introduces_quote(plain: str) -> bool:
    """ "... would admit:" announces that the next paragraph quotes someone."""
    return plain.endswith(":") and bool(rules.QUOTE_INTRO_RE.search(plain[-40:]))


def join_fragments(first: str, second: str) -> str:
    """Join the two halves of a paragraph that a page break or a blank line cut."""
    if _joins_without_space(first, second):
        return first + second
    return f"{first} {second}"


def _joins_without_space(first: str, second: str) -> bool:
    """A word hyphenated across the cut goes on without a space."""
    return first.endswith("-") and second[:1].islower()


def split_names(names: str) -> list[str]:
    parts = re.split(r",\s*|\s+(?:and|&)\s+", collapse_spaces(names))
    return [part.strip() for part in parts if part.strip()]


def author_list(plain: str) -> list[str]:
    """Names separated by commas, as papers list their authors ("A. B¹, C. D^{2*}")."""
    if len(plain) > 300 or plain.endswith("."):
        return []
    names = split_names(_SUPERSCRIPT_MARKS.sub("", plain))
    names = [re.sub(r"\d+$", "", name).strip() for name in names]
    if names and all(_NAME.match(name) for name in names):
        return names
    return []


def is_affiliation(line: str) -> bool:
    if len(line) > 400:
        return False
    return bool(
        # A footnote mark, or an institution's name ("1 Department of …"); a plain
        # number alone is a numbered section heading ("1 Introduction") as often.
        re.match(r"^(?:\^\{|[¹²³⁴⁵⁶⁷⁸⁹⁰†‡§])", line) or rules.AFFILIATION_WORDS.search(line)
    )


def split_run_in_heading(markup: str) -> tuple[str, int, str] | None:
    """Split "Section Title: First sentence..." or "Section Title Since the ..." in two.

    Returns the heading, its level and the rest. A run of at least three Title Case
    words ending in a colon is a run-in heading, the typographic form of a
    subsection (level 3). A run of at least five Title Case words followed by a
    capitalised word that starts a sentence is a section title that PDF extraction
    ran into its first sentence (level 2).
    """
    colon = re.match(r"^([^:.;!?]{10,160}):\s+(?=[A-Z\"“])", markup)
    if colon and looks_like_title(colon[1], min_words=3):
        return colon[1].strip(), 3, markup[colon.end() :]
    words = markup.split(" ")
    run_end = 0
    for position, word in enumerate(words):
        bare = word.strip("'’\"“”")
        if not bare or not re.fullmatch(r"[\w'’-]+", bare):
            break
        if bare[0].isupper() or bare.lower() in rules.MINOR_WORDS:
            continue
        run_end = position
        break
    else:
        return None
    # The sentence starts at the last capitalised word of the run.
    start = run_end - 1
    while start > 0 and not words[start][0].isupper():
        start -= 1
    if start <= 0 or not words[start][0].isupper():
        return None
    heading = words[:start]
    if heading[-1].lower() in rules.MINOR_WORDS:
        return None
    significant = [word for word in heading if word.lower() not in rules.MINOR_WORDS]
    if len(significant) < 5 or not looks_like_title(" ".join(heading)):
        return None
    return " ".join(heading), 2, " ".join(words[start:])


def parse_document(text: str, *, fallback_title: str = "Untitled") -> ParsedArticle:
    """Parse the text of an article file."""
    return _Parser(text, fallback_title=fallback_title).parse()
