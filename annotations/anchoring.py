"""Where a quote sits in a paragraph's text: the W3C TextQuoteSelector and
TextPositionSelector, checked against the text the server holds.

Plain Python: no Django. Offsets are character offsets into ``Paragraph.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

CONTEXT = 32  # characters of prefix and suffix kept with a quote, as the W3C selector has them


class QuoteNotFoundError(ValueError):
    """The quote cannot be anchored in the paragraph; the message says why."""


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def anchor_at(text: str, start: int, end: int) -> Anchor:
    return Anchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def _normalize_quote(quote: str) -> str:
    # A browser selection may carry line breaks or non-breaking spaces; the stored
    # text is single-spaced.
    return re.sub(r"\s+", " ", quote.replace("\u00a0", " ")).strip()


def _occurrences(text: str, exact: str) -> list[int]:
    """Every offset where ``exact`` starts in ``text``, overlapping ones included.

    Searching again one character after each find took quadratic time when the quote
    overlaps itself ("aaaa" in a paragraph of "a"s: every find re-reads the quote).
    Two occurrences are at least the quote's smallest period apart, and an occurrence
    that continues a run of them is recognised by the period's worth of text after the
    last one; otherwise the next one lies beyond the overlap, so the whole search reads
    the text a bounded number of times.
    """
    period = _smallest_period(exact)
    continuation = exact[len(exact) - period :]
    found, position = [], text.find(exact)
    while position != -1:
        found.append(position)
        if period < len(exact) and text.startswith(continuation, position + len(exact)):
            position += period
        else:
            position = text.find(exact, position + period)
    return found


def _smallest_period(word: str) -> int:
    """The smallest p > 0 with word[i] == word[i + p] throughout: its length less its
    longest proper border (Knuth-Morris-Pratt's failure function)."""
    border = [0] * len(word)
    length = 0
    for index in range(1, len(word)):
        while length and word[index] != word[length]:
            length = border[length - 1]
        if word[index] == word[length]:
            length += 1
        border[index] = length
    return len(word) - (border[-1] if word else 0) or 1


def locate(
    text: str,
    *,
    exact: str,
    start: int | None = None,
    end: int | None = None,
    prefix: str = "",
    suffix: str = "",
) -> Anchor:
    """Anchor ``exact`` in ``text``.

    Offsets that point at the quote are taken as they are. Otherwise the quote is
    looked up: a single occurrence is taken; among several, the one whose prefix
    and suffix best match the given context (and, for a tie, lies nearest the given
    offset). Offsets outside the text, an empty quote or a quote that is not in the
    text are refused with QuoteNotFoundError.
    """
    if start is not None or end is not None:
        if start is None or end is None:
            raise QuoteNotFoundError("Give both offsets, start and end, or neither.")
        if start < 0 or end > len(text) or start >= end:
            raise QuoteNotFoundError(
                f"Offsets {start}–{end} are outside the paragraph, which has {len(text)} characters."
            )
    exact = _normalize_quote(exact or "")
    if not exact:
        raise QuoteNotFoundError("The quote is empty: select or paste the passage to annotate.")
    if start is not None and text[start:end] == exact:
        return anchor_at(text, start, end)
    positions = _occurrences(text, exact)
    if not positions:
        raise QuoteNotFoundError("The quote is not in this paragraph's text.")
    if len(positions) > 1:
        positions.sort(
            key=lambda position: _context_score(text, position, exact, prefix, suffix, start)
        )
    return anchor_at(text, positions[0], positions[0] + len(exact))


def _context_score(
    text: str, position: int, exact: str, prefix: str, suffix: str, start: int | None
) -> tuple[float, int]:
    """Lower is better: context mismatch first, then distance from the hinted offset."""
    mismatch = 0.0
    if prefix:
        before = text[max(0, position - len(prefix)) : position]
        mismatch += 100 - fuzz.ratio(before, prefix)
    if suffix:
        after = text[position + len(exact) : position + len(exact) + len(suffix)]
        mismatch += 100 - fuzz.ratio(after, suffix)
    distance = abs(position - start) if start is not None else position
    return mismatch, distance
