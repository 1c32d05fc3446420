"""Bounds on what reaches Python-Markdown, so that any markup renders in linear time.

The budget, measured on the 2-core machine the tests run on (tests/
test_markup_pathological.py and tests/test_import_pathological.py hold it):

* a note of up to 20,000 characters (its maximum) renders in under 100 ms with
  either sanitizer, whatever it holds: nested or unclosed brackets, link and
  reference storms, entities, emphasis, backticks, escapes, deep lists and quotes,
  headings, one long line or many short ones;
* doubling the length of any markup at most triples the time it takes to render;
* a file imports in time proportional to its size, at most 10 s per megabyte.

Python-Markdown re-reads text in four ways, each bounded here without changing what
ordinary markup renders to (tests/test_markdown_bounds.py compares with the engine):

1. Inline scans with no end ("[" with no "]", "](" with no ")", a backtick run with
   no closing run): ``corpus.inline_bounds`` finds them in linear time, before the
   inline patterns run, and neutralises the character that would start them.
2. The inline patterns rebuild a text for every element they make of it, and read
   a text once more for every element when the text shares its parent with other
   elements: a text longer than ``PIECE_LENGTH`` is rendered as pieces of about
   that length, cut at a space outside any code span, link or autolink, and every
   text goes into an element of its own while they run.
3. Every inline element costs the engine and the sanitizer some tens of
   microseconds: past ``MAX_INLINE_ELEMENTS`` of them (a link counting as
   ``inline_bounds.LINK_WEIGHT``), the rest of the markup is shown as written.
4. Block processors re-read the rest of a block for every heading, rule or link
   definition in it, and once more for every level of nesting: a block holds at most
   ``MAX_BLOCK_SYNTAX_LINES`` lines that open a block of their own, and markup nests
   at most ``MAX_NESTING`` containers deep; beyond that, the line is kept as text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import deque
from itertools import pairwise

from markdown import util
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .inline_bounds import PADDING, SENTINEL_RANGE, SENTINELS, bound_inline

PIECE_LENGTH = 8192
MAX_INLINE_ELEMENTS = 2500
MAX_BLOCK_SYNTAX_LINES = 50
MAX_NESTING = 16

# The inline patterns, and what any of them starts with (code, escape, link, image,
# autolink, line break, entity, emphasis): a text without any is left atomic.
INLINE_PATTERNS = (
    "backtick",
    "escape",
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
    "autolink",
    "automail",
    "linebreak",
    "entity",
    "em_strong",
)
_INLINE_SYNTAX = re.compile(r"[`\\\[<&*_]|  \n")
_PIECE_TAG = "crossread-piece"  # not a tag the sanitizers keep, should one ever survive
_UNSENTINEL = {
    sentinel: {"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(char, char)
    for char, sentinel in SENTINELS.items()
}
_UNSENTINEL[PADDING] = ""
_ORIGINAL = {sentinel: char for char, sentinel in SENTINELS.items()}
_SENTINEL_ENTITY = re.compile(rf"&#(6[45]\d\d\d);((?:&#{ord(PADDING)};)*)")


class _DropSentinels(Preprocessor):
    """The sentinels mean "a neutralised character": one in the source would be
    read as such, so it becomes U+FFFD, the replacement character."""

    def run(self, lines: list[str]) -> list[str]:
        return [SENTINEL_RANGE.sub("\ufffd", line) for line in lines]


# The containers a line opens ("> ", "- ", "1. "), and what makes a line a block of
# its own that the engine splits a paragraph at: a heading, a rule or setext
# underline, a link reference definition.
_CONTAINERS = re.compile(r"(?:[ ]*+(?:>[ ]?|[*+-][ ]++|\d++\.[ ]++))*+")
_QUOTES = re.compile(r"(?:[ ]*+>[ ]?)*+")
_MAYBE_BLOCK_SYNTAX = re.compile(r"[ ]*+[#>*+\-_=\[\d]")
_CONTAINER = re.compile(r"[ ]*+(>|[*+-]|\d++\.)")
_SPLITTING_LINE = re.compile(r"[ ]*+(?:#|[-*_=][-*_= ]*+$|\[[^\]]*+\]:)")


class _BoundBlocks(Preprocessor):
    """Keep as text the lines that would make a block too costly (see the module):
    the first character of a heading, rule or definition line beyond
    ``MAX_BLOCK_SYNTAX_LINES`` in a block, and a container marker beyond
    ``MAX_NESTING`` in a line, become sentinels."""

    def run(self, lines: list[str]) -> list[str]:
        splitting = 0
        bounded = []
        for line in lines:
            if not line.strip():
                splitting = 0
                bounded.append(line)
                continue
            if not _MAYBE_BLOCK_SYNTAX.match(line):
                bounded.append(line)
                continue
            if len(line) > MAX_NESTING:  # shorter, it cannot nest deeper
                markers = list(_CONTAINER.finditer(line, 0, _CONTAINERS.match(line).end()))
                depth = len(markers) + (len(line) - len(line.lstrip(" "))) // 4
                if depth > MAX_NESTING and markers:
                    deepest = markers[min(MAX_NESTING, len(markers) - 1)]
                    line = _neutralise(line, deepest.start(1))
            # A rule ("* * *") is read before a list item: look past quotes only.
            syntax = _SPLITTING_LINE.match(line, _QUOTES.match(line).end())
            if syntax:
                splitting += 1
                if splitting > MAX_BLOCK_SYNTAX_LINES:
                    line = _neutralise(line, syntax.end() - len(syntax.group().lstrip(" ")))
            bounded.append(line)
        return bounded


def _neutralise(line: str, index: int) -> str:
    sentinel = SENTINELS.get(line[index])
    return line if sentinel is None else line[:index] + sentinel + line[index + 1 :]


class _BoundInline(Treeprocessor):
    """Neutralise unbounded inline scans and cut long texts in pieces (see the module).

    A piece goes into a wrapper element of its own, and so does every text of an
    element that also holds elements: the engine reads such a text's inline markup
    once more for every element it made of it, a square of their number.
    """

    def __init__(self, md, piece_length: int) -> None:
        super().__init__(md)
        self.piece_length = piece_length
        self.wrapping: list[etree.Element] = []  # the elements given wrappers this run

    def run(self, root: etree.Element) -> None:
        escaped_chars = frozenset(self.md.ESCAPED_CHARS)
        references = frozenset(self.md.references)
        budget = MAX_INLINE_ELEMENTS
        self.wrapping = []

        def pieces(text: str) -> list[str]:
            nonlocal budget
            if budget <= 0 or not _INLINE_SYNTAX.search(text):
                return [util.AtomicString(text)]
            bounds = bound_inline(
                text,
                escaped_chars=escaped_chars,
                references=references,
                piece_length=self.piece_length,
                budget=budget,
            )
            budget -= bounds.spent
            split = _split(bounds.text[: bounds.plain_from], bounds.cuts)
            split = [
                piece if _INLINE_SYNTAX.search(piece) else util.AtomicString(piece)
                for piece in split
                if piece
            ]
            if bounds.plain_from is not None:
                split.append(util.AtomicString(bounds.text[bounds.plain_from :]))
            return split or [util.AtomicString("")]

        for parent in list(root.iter()):
            children = list(parent)
            # The inline patterns read the text of every element but the root.
            text = parent.text if parent is not root and _needs_inline(parent.text) else None
            tails = [child for child in children if _needs_inline(child.tail)]
            if text is None and not tails:
                continue
            if not children and text is not None:
                split = pieces(text)
                if len(split) == 1:
                    parent.text = split[0]
                    continue
                parent.text = None
                parent.extend(_wrapped(split))
                self.wrapping.append(parent)
                continue
            # An element with elements in it: every text it holds goes in wrappers.
            for child in reversed(tails):
                split = pieces(child.tail)
                child.tail = None
                index = list(parent).index(child) + 1
                parent[index:index] = _wrapped(split)
            if text is not None:
                parent.text = None
                parent[0:0] = _wrapped(pieces(text))
            self.wrapping.append(parent)


def _needs_inline(text: str | None) -> bool:
    return bool(text) and not isinstance(text, util.AtomicString)


def _split(text: str, cuts: list[int]) -> list[str]:
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [text[start:end] for start, end in pairwise(bounds)]


def _wrapped(pieces: list[str]) -> list[etree.Element]:
    wrappers = []
    for piece in pieces:
        wrapper = etree.Element(_PIECE_TAG)
        wrapper.text = piece
        wrappers.append(wrapper)
    return wrappers


class _JoinPieces(Treeprocessor):
    """Once the inline patterns have run, put what each wrapper holds where the
    wrapper stood."""

    def __init__(self, md, bound_inline: _BoundInline) -> None:
        super().__init__(md)
        self.bound_inline = bound_inline

    def run(self, root: etree.Element) -> None:
        for parent in self.bound_inline.wrapping:
            children: list[etree.Element] = []
            text = parent.text or ""
            for child in list(parent):
                if child.tag != _PIECE_TAG:
                    children.append(child)
                    continue
                inner = child.text or ""
                if children:
                    children[-1].tail = (children[-1].tail or "") + inner
                else:
                    text += inner
                children.extend(child)
                if child.tail:
                    if children:
                        children[-1].tail = (children[-1].tail or "") + child.tail
                    else:
                        text += child.tail
            parent.text = text or None
            parent[:] = children


class _RestoreSentinels(Postprocessor):
    """Each neutralised character back as the engine shows a character it could not
    pair, and each escaped one as the engine shows an escaped one."""

    def run(self, text: str) -> str:
        if "&#6" in text:
            text = _SENTINEL_ENTITY.sub(_restore_entity, text)
        return SENTINEL_RANGE.sub(lambda match: _UNSENTINEL.get(match.group(), "\ufffd"), text)


def _restore_entity(match: re.Match[str]) -> str:
    """Automatic e-mail links spell every character as a character reference,
    escapes as the engine's placeholder for them (STX, code, ETX)."""
    char = _ORIGINAL.get(chr(int(match.group(1))))
    if char is None:
        return match.group()
    if not match.group(2):
        return f"&#{ord(char)};"
    return "&#2;" + "".join(f"&#{ord(digit)};" for digit in str(ord(char))) + "&#3;"


class _BlocksToParse(deque):
    """The blocks of a chunk still to parse, in a deque.

    The block processors take the next block from the front of the list and put
    what they leave of it back there (``pop(0)``, ``insert(0, rest)``): on a list,
    that moves every other block, for every block, a square of their number. A
    deque does both in constant time, and reads ``blocks[0]`` as fast as a list.
    """

    def pop(self, index: int = -1) -> str:
        return self.popleft() if index == 0 else super().pop()


class BoundsExtension(Extension):
    """Register the bounds with a ``markdown.Markdown`` instance."""

    def __init__(self, piece_length: int = PIECE_LENGTH) -> None:
        super().__init__()
        self.piece_length = piece_length

    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(_DropSentinels(md), "crossread_sentinels", 40)
        md.preprocessors.register(_BoundBlocks(md), "crossread_blocks", 25)
        bound_inline = _BoundInline(md, self.piece_length)
        md.treeprocessors.register(bound_inline, "crossread_bounds", 25)
        md.treeprocessors.register(_JoinPieces(md, bound_inline), "crossread_pieces", 15)
        md.postprocessors.register(_RestoreSentinels(md), "crossread_sentinels", 5)
        parser = md.parser

        def parse_chunk(parent: etree.Element, text: str) -> None:
            parser.parseBlocks(parent, _BlocksToParse(text.split("\n\n")))

        parser.parseChunk = parse_chunk  # the engine's own, with the blocks in a deque
