"""Splitting a paragraph in two and merging two neighbours: changes of an article's
text like any other, through ``article_text_replace``, so that what is anchored to the
text (annotations) is placed again by the receivers of ``article_text_changed``.

A split is given as a position in the paragraph's *text* (what annotations count in),
but a paragraph is stored as its markup: in a markdown article the position is carried
into the markup, and the two halves are checked to render to exactly the two halves of
the text. A cut inside emphasis, strong text, code or a link closes the element in the
first part and opens it again in the second; when no cut renders right, the split is
refused with the reason.

The two parts of a split both take new rows (``NewParagraph.fresh``): every annotation
of the old paragraph is then looked for, by its words and its context, in the part
that took its stretch of text. Had the first part kept the old row, a quote of the
second half whose words also stand once in the first half would have been trusted to
that first occurrence. A merged paragraph keeps the first one's row (and kind): what
was on the first stays at its offsets, and what was on the second is found after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import product

from django.core.exceptions import ValidationError
from django.db import transaction
from rapidfuzz.distance import Indel

from corpus.models import Article, Paragraph
from corpus.services.paragraphs import (
    NewParagraph,
    TextChange,
    article_text_replace,
    paragraph_of,
    render_paragraph,
)

# How far from where the text's position falls in the markup a cut is looked for (in
# markup characters, each tried by rendering both halves).
CUT_SEARCH_RADIUS = 24
STALE_MESSAGE = "The paragraph changed since this page was opened: look at it again."


@dataclass(frozen=True, slots=True)
class SplitParts:
    """What a split makes of a paragraph: its first part and the new paragraph after it."""

    paragraph: Paragraph
    at: int
    first: NewParagraph
    second: NewParagraph


@dataclass(frozen=True, slots=True)
class MergedParagraph:
    first: Paragraph
    second: Paragraph
    merged: NewParagraph


def split_preview(*, paragraph: Paragraph, at: int, markup_format: str) -> SplitParts:
    """The two paragraphs a split at ``at`` would make, or ValidationError: nothing
    written. ``at`` is where the second part starts, counted in characters of the
    paragraph's text from 0; it must leave text on both sides."""
    text = paragraph.text
    if not isinstance(at, int) or not 1 <= at <= len(text) - 1:
        raise ValidationError(
            {
                "at": f"Split inside the text: at a position from 1 to {len(text) - 1} "
                f"(the paragraph has {len(text)} characters; {at} is not inside it)."
            }
        )
    want_first, want_second = text[:at].strip(), text[at:].strip()
    if not want_first or not want_second:
        side = "before" if not want_first else "after"
        raise ValidationError(
            {"at": f"Position {at} leaves only spaces {side} it: both parts need text."}
        )
    first_markup, second_markup = _cut_markup(paragraph, at, markup_format)
    common = {"kind": paragraph.kind, "level": paragraph.level, "markup_format": markup_format}
    first = render_paragraph(markup=first_markup, **common)
    second = render_paragraph(markup=second_markup, **common)
    return SplitParts(
        paragraph=paragraph,
        at=at,
        first=_fresh(first),
        second=_fresh(second),
    )


def merge_preview(*, first: Paragraph, second: Paragraph, markup_format: str) -> MergedParagraph:
    """The paragraph that merging ``second`` into ``first`` would make (the first's
    kind and level, its text, a space, the second's text), or ValidationError."""
    if first.pk == second.pk:
        raise ValidationError("A paragraph cannot be merged with itself.")
    if first.article_id != second.article_id:
        raise ValidationError("Only paragraphs of the same article can be merged.")
    if second.position != first.position + 1:
        raise ValidationError(
            f"Only neighbours can be merged: paragraph {second.position} does not directly "
            f"follow paragraph {first.position}."
        )
    markup = f"{first.markup.rstrip()} {second.markup.lstrip()}"
    merged = render_paragraph(
        kind=first.kind,
        level=first.level,
        markup=markup,
        markup_format=markup_format,
        continues=first.pk,
    )
    if merged.text != f"{first.text} {second.text}":
        raise ValidationError(
            "Joined, the markup of the two paragraphs would read differently than they do "
            "(markup of one pairs with the other's, e.g. a lone * in each): edit one of "
            "them first."
        )
    return MergedParagraph(first=first, second=second, merged=merged)


@transaction.atomic
def paragraph_split(*, paragraph: Paragraph, at: int, expected_hash: str = "") -> TextChange:
    """Split ``paragraph`` before the character ``at`` of its text: the second part
    becomes a paragraph of its own, of the same kind, right after it. ``expected_hash``:
    the paragraph's ``content_hash`` as the person saw it; a paragraph changed since is
    refused (the position would fall elsewhere)."""
    article, rows = _locked_article(paragraph.article_id)
    current = _current(rows, paragraph.pk)
    if expected_hash and current.content_hash != expected_hash:
        raise ValidationError(STALE_MESSAGE)
    parts = split_preview(paragraph=current, at=at, markup_format=article.markup_format)
    new: list[NewParagraph] = []
    for row in rows:
        if row.pk == current.pk:
            new.extend((parts.first, parts.second))
        else:
            new.append(paragraph_of(row))
    return article_text_replace(article=article, paragraphs=new)


@transaction.atomic
def paragraphs_merge(
    *, first: Paragraph, second: Paragraph, expected_hashes: tuple[str, str] | None = None
) -> TextChange:
    """Merge ``second`` into ``first``, its neighbour before it in the same article:
    one paragraph of the first's kind, whose text is the first's, a space, then the
    second's. ``expected_hashes``: their ``content_hash`` as the person saw them."""
    if first.article_id != second.article_id:
        raise ValidationError("Only paragraphs of the same article can be merged.")
    article, rows = _locked_article(first.article_id)
    current_first, current_second = _current(rows, first.pk), _current(rows, second.pk)
    if expected_hashes and expected_hashes != (
        current_first.content_hash,
        current_second.content_hash,
    ):
        raise ValidationError(STALE_MESSAGE)
    merged = merge_preview(
        first=current_first, second=current_second, markup_format=article.markup_format
    ).merged
    new = [
        merged if row.pk == current_first.pk else paragraph_of(row)
        for row in rows
        if row.pk != current_second.pk
    ]
    return article_text_replace(article=article, paragraphs=new)


def _locked_article(article_id: int) -> tuple[Article, list[Paragraph]]:
    """The article, locked against other changes of its text, and its paragraphs as
    they are now (not as the caller loaded them)."""
    article = Article.objects.select_for_update().defer("raw_text").get(pk=article_id)
    rows = list(Paragraph.objects.filter(article=article).order_by("position"))
    return article, rows


def _current(rows: list[Paragraph], pk: int) -> Paragraph:
    for row in rows:
        if row.pk == pk:
            return row
    raise ValidationError("That paragraph is no longer in the article.")


def _fresh(paragraph: NewParagraph) -> NewParagraph:
    return NewParagraph(
        kind=paragraph.kind,
        level=paragraph.level,
        markup=paragraph.markup,
        text=paragraph.text,
        html=paragraph.html,
        content_hash=paragraph.content_hash,
        fresh=True,
    )


def _cut_markup(paragraph: Paragraph, at: int, markup_format: str) -> tuple[str, str]:
    """The markup of the two parts, rendering to exactly the text before ``at`` and the
    text from ``at`` (spaces at the cut dropped), or ValidationError."""
    text = paragraph.text
    if markup_format != "markdown":
        return text[:at], text[at:]
    want = (text[:at].strip(), text[at:].strip())
    markup = paragraph.markup
    around = _mapped_position(text, markup, at)
    candidates = sorted(
        range(max(1, around - CUT_SEARCH_RADIUS), min(len(markup), around + CUT_SEARCH_RADIUS) + 1),
        key=lambda position: (abs(position - around), position),
    )
    for position in candidates:
        if _renders_as(markup[:position], markup[position:], want):
            return markup[:position], markup[position:]
    # The cut falls inside inline markup: close what is open in the first part and open
    # it again in the second ("*a b*" cut after "a" gives "*a*" and "*b*").
    # A cut just before an inner element's own delimiter leaves that one whole: the
    # outer elements alone are tried too.
    open_elements = _open_elements(paragraph.html, at)
    for depth in range(len(open_elements), 0, -1):
        for position in candidates[: CUT_SEARCH_RADIUS + 1]:
            for closing, opening in _wrappings(open_elements[:depth]):
                first = markup[:position].rstrip() + closing
                second = opening + markup[position:].lstrip()
                if _renders_as(first, second, want):
                    return first, second
    raise ValidationError(
        {
            "at": f"Position {at} cannot be cut in this paragraph's markup (it falls inside "
            "a link or other markup that does not survive the cut): choose a position "
            "beside it, or edit the markup first."
        }
    )


def _renders_as(first: str, second: str, want: tuple[str, str]) -> bool:
    if not first.strip() or not second.strip():
        return False
    return tuple(_text_of(markup) for markup in (first, second)) == want


def _text_of(markup: str) -> str:
    return render_paragraph(kind="body", level=None, markup=markup, markup_format="markdown").text


def _mapped_position(text: str, markup: str, at: int) -> int:
    """Where the text's position ``at`` most likely falls in the markup (the text is
    the markup less its syntax, mostly: an alignment of the two carries it over)."""
    for opcode in Indel.opcodes(text, markup):
        if opcode.src_start <= at < opcode.src_end:
            if opcode.tag == "equal":
                return opcode.dest_start + (at - opcode.src_start)
            return opcode.dest_start
    return len(markup)


# Inline elements a cut may close and open again: their markdown delimiters, in the
# spellings markdown allows (which one the markup uses is found by trying).
_DELIMITERS = {
    "em": ("*", "_"),
    "i": ("*", "_"),
    "strong": ("**", "__"),
    "b": ("**", "__"),
    "code": ("`",),
}


def _wrappings(open_elements: list[tuple[str, dict]]) -> list[tuple[str, str]]:
    """(closing markup, opening markup) for the elements open at the cut, outermost
    first in ``open_elements``; one pair for each spelling of their delimiters."""
    choices = []
    for tag, attrs in open_elements:
        if tag == "a":
            href = attrs.get("href") or ""
            if not href:
                return []
            choices.append(((f"]({href})", "["),))
        elif tag in _DELIMITERS:
            choices.append(tuple((mark, mark) for mark in _DELIMITERS[tag]))
        else:
            return []
    wrappings = []
    for combination in product(*choices):
        closing = "".join(close for close, _ in reversed(combination))
        opening = "".join(open_ for _, open_ in combination)
        wrappings.append((closing, opening))
    return wrappings


class _OpenAt(HTMLParser):
    """The inline elements open at a position of the text a fragment shows (counted as
    ``corpus.markup.html_to_text`` counts: spaces collapsed, the ends stripped)."""

    _BREAKS = frozenset({"br"})
    _VOID = frozenset({"br", "img", "hr", "wbr"})

    def __init__(self, at: int) -> None:
        super().__init__(convert_charrefs=True)
        self.at = at
        self.count = 0
        self.started = False
        self.space_pending = False
        self.stack: list[tuple[str, dict]] = []
        self.found: list[tuple[str, dict]] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self._BREAKS:
            self._text(" ")
        if tag not in self._VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data) -> None:
        self._text(data)

    def _text(self, data: str) -> None:
        for char in data:
            if self.found is not None:
                return
            if char.isspace():
                self.space_pending = self.started
                continue
            if self.space_pending:
                self._count_one()
                self.space_pending = False
                if self.found is not None:
                    return
            self._count_one()
            self.started = True

    def _count_one(self) -> None:
        if self.count == self.at:
            self.found = list(self.stack)
        self.count += 1


def _open_elements(html: str, at: int) -> list[tuple[str, dict]]:
    parser = _OpenAt(at)
    parser.feed(html)
    parser.close()
    return parser.found or []
