"""An article as one plain text: what the W3C TextPositionSelector's positions count in.

Every paragraph's text, in reading order (``position``), separated by a blank line
(``SEPARATOR``); positions count Unicode code points (Python's string indices), as the
W3C Web Annotation model asks. ``/articles/<slug>/text/`` serves this text, so a
position in an export can be checked against it by anyone."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.db.models.functions import Length

from corpus.models import Article, Paragraph

SEPARATOR = "\n\n"


def article_plain_text(article: Article) -> str:
    return SEPARATOR.join(article.paragraphs.order_by("position").values_list("text", flat=True))


@dataclass(frozen=True, slots=True)
class ParagraphOffsets:
    """Where each paragraph of one article starts in its plain text."""

    starts: dict[int, int]  # paragraph id -> offset of its first character
    ordered: list[tuple[int, int, int]]  # (offset, end, paragraph id), in reading order

    def paragraph_at(self, position: int) -> tuple[int, int] | None:
        """(paragraph id, offset within it) of a position in the plain text, or None
        when it falls between paragraphs or past the end."""
        index = bisect.bisect_right(self.ordered, (position, float("inf"), 0)) - 1
        if index < 0:
            return None
        start, end, paragraph_id = self.ordered[index]
        return (paragraph_id, position - start) if position <= end else None

    @classmethod
    def from_lengths(cls, rows: Iterable[tuple[int, int]]) -> ParagraphOffsets:
        """From (paragraph id, length of its text), in reading order."""
        starts, ordered, offset = {}, [], 0
        for paragraph_id, length in rows:
            starts[paragraph_id] = offset
            ordered.append((offset, offset + length, paragraph_id))
            offset += length + len(SEPARATOR)
        return cls(starts=starts, ordered=ordered)


def paragraph_offsets(article_id: int) -> ParagraphOffsets:
    """One query, reading lengths, not texts."""
    return ParagraphOffsets.from_lengths(
        Paragraph.objects.filter(article_id=article_id)
        .order_by("position")
        .values_list("id", Length("text"))
    )


def paragraph_offsets_for(article_ids) -> dict[int, ParagraphOffsets]:
    """The offsets of several articles, in one query (a page of annotations)."""
    rows = (
        Paragraph.objects.filter(article_id__in=set(article_ids))
        .order_by("article_id", "position")
        .values_list("article_id", "id", Length("text"))
    )
    return {
        article_id: ParagraphOffsets.from_lengths((pid, length) for _, pid, length in group)
        for article_id, group in groupby(rows, key=itemgetter(0))
    }
