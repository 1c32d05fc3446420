"""Placing an annotation again after its article's text changed. Plain Python.

In order, the first that succeeds:

1. **kept**: its quote still stands at its offsets in its paragraph;
2. **moved**: its quote, found by its words and its context (W3C prefix and suffix),
   in its paragraph, then in the paragraphs that took the place of its stretch of
   text, then anywhere in the article, nearest first;
3. **fuzzy**: its quote reworded: the old offsets mapped through a diff of the
   paragraph's old and new text (or, when the paragraph is gone, the best fuzzy match
   in the paragraphs that took its place), accepted above ``FUZZY_THRESHOLD``; it
   takes the new words as its quote;
4. **orphaned**: nothing above; it keeps its old quote and waits for a person.

Nothing lands on wrong words: a quote found elsewhere than its own paragraph must
bring its context with it (or be long enough to be unmistakable), and a fuzzy match
must resemble the old quote and keep at least one side of its context.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from annotations.anchoring import Anchor, anchor_at


class Outcome(StrEnum):
    KEPT = "kept"
    MOVED = "moved"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


@dataclass(frozen=True, slots=True)
class Target:
    """Where an annotation was. ``paragraph_id`` is None for an orphan."""

    paragraph_id: int | None
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class Placement:
    outcome: Outcome
    paragraph_id: int | None = None
    anchor: Anchor | None = None


@dataclass
class ArticleText:
    """The article after the change, and what the places that changed held before.

    ``texts``: every paragraph's new text by id, in reading order. ``old_texts``: the
    text before the change of each paragraph that changed or was removed. ``near``:
    for those, the new paragraphs that took the place of their stretch of text.
    """

    texts: dict[int, str]
    old_texts: dict[int, str]
    near: dict[int, list[int]]

    def __post_init__(self) -> None:
        self.order = list(self.texts)
        self.rank = {paragraph_id: index for index, paragraph_id in enumerate(self.order)}
        self._diffs: dict[int, object] = {}

    def diff(self, paragraph_id: int):
        """How the paragraph's old text became its new one (computed once)."""
        if paragraph_id not in self._diffs:
            self._diffs[paragraph_id] = Indel.opcodes(
                self.old_texts[paragraph_id], self.texts[paragraph_id]
            )
        return self._diffs[paragraph_id]


# A quote found outside its own place is taken when the text around it resembles its
# context (rapidfuzz ratio of prefix or suffix, 0-100) at least this much, or when the
# quote alone is long enough to be unmistakable.
CONTEXT_THRESHOLD = 60
DISTINCTIVE_LENGTH = 40
# A reworded quote is taken when the new words resemble the old at least this much
# (rapidfuzz ratio, 0-100). On the edit test set (tests/test_reanchoring_edits.py) a
# fixed typo scores 99, a slight rewording of a sentence 90 ("US policy papers
# predating..." as "American policy papers that predate..."), while the best match
# left for a deleted quote or paragraph scores 39-52; 75 keeps a margin on both sides
# (a three-word quote with two words changed, 69, waits for a person).
FUZZY_THRESHOLD = 75


def place(target: Target, article: ArticleText) -> Placement:
    """Where ``target`` goes in the changed article (see the module's docstring)."""
    pid = target.paragraph_id
    own = article.texts.get(pid) if pid is not None else None
    old_text = article.old_texts.get(pid) if pid is not None else None
    if own is not None and own[target.start : target.end] == target.exact:
        return Placement(Outcome.KEPT, pid, anchor_at(own, target.start, target.end))
    diff = article.diff(pid) if own is not None and old_text is not None else None
    if own is not None:
        hint = _map(diff, target.start, end=False) if diff is not None else target.start
        found = _find_exact(target, own, hint=hint)
        if found is not None and not _context_holds(target, own, found):
            # The same words, but not among the same neighbours: when a paragraph that
            # took part of this one's place has them among their own, they went there
            # (a paragraph cut in two keeps its row for one part only).
            for paragraph_id in article.near.get(pid, ()):
                if paragraph_id != pid:
                    moved = _find_exact(
                        target, article.texts[paragraph_id], hint=None, elsewhere=True
                    )
                    if moved is not None and _context_holds(
                        target, article.texts[paragraph_id], moved
                    ):
                        return Placement(Outcome.MOVED, paragraph_id, moved)
        if found is not None:
            return Placement(Outcome.MOVED, pid, found)
    for paragraph_id in _search_order(pid, article):
        found = _find_exact(target, article.texts[paragraph_id], hint=None, elsewhere=True)
        if found is not None:
            return Placement(Outcome.MOVED, paragraph_id, found)
    if diff is not None:
        found = _fuzzy_through_diff(target, old_text, own, diff)
        if found is not None:
            return Placement(Outcome.FUZZY, pid, found)
    for paragraph_id in article.near.get(pid, ()):
        if paragraph_id == pid:
            continue
        found = _fuzzy_search(target, article.texts[paragraph_id])
        if found is not None:
            return Placement(Outcome.FUZZY, paragraph_id, found)
    return Placement(Outcome.ORPHANED)


def place_quote(target: Target, article: ArticleText) -> Placement:
    """Where a quote brought from elsewhere (an import) goes in an article: where
    ``place`` puts it; failing that, on the words most like it in its paragraph and
    the two on each side (in any paragraph, when it came with no position); else
    nowhere."""
    placement = place(target, article)
    if placement.outcome != Outcome.ORPHANED:
        return placement
    center = article.rank.get(target.paragraph_id)
    if center is None:
        candidates = article.order
    else:
        candidates = sorted(
            article.order[max(0, center - 2) : center + 3],
            key=lambda pid: abs(article.rank[pid] - center),
        )
    for paragraph_id in candidates:
        found = _fuzzy_search(target, article.texts[paragraph_id])
        if found is not None:
            return Placement(Outcome.FUZZY, paragraph_id, found)
    return placement


def _search_order(paragraph_id: int | None, article: ArticleText) -> Iterable[int]:
    """The paragraphs to look in besides its own: those that took its place first,
    then the others, nearest first."""
    near = [pid for pid in article.near.get(paragraph_id, ()) if pid != paragraph_id]
    yield from near
    skip = {*near, paragraph_id}
    center = article.rank.get(paragraph_id)
    if center is None and near:
        center = article.rank[near[0]]
    if center is None:
        yield from (pid for pid in article.order if pid not in skip)
        return
    others = sorted(
        (pid for pid in article.order if pid not in skip),
        key=lambda pid: abs(article.rank[pid] - center),
    )
    yield from others


def _side_score(stored: str, actual: str) -> float:
    if not stored and not actual:
        return 100.0
    if not stored or not actual:
        return 0.0
    return fuzz.ratio(stored, actual)


def _context_scores(target: Target, text: str, start: int, end: int) -> tuple[float, float]:
    before = text[max(0, start - len(target.prefix)) : start]
    after = text[end : end + len(target.suffix)]
    return _side_score(target.prefix, before), _side_score(target.suffix, after)


def _context_holds(target: Target, text: str, anchor: Anchor) -> bool:
    """Whether the words around ``anchor`` resemble the quote's stored context."""
    return max(_context_scores(target, text, anchor.start, anchor.end)) >= CONTEXT_THRESHOLD


def _find_exact(
    target: Target, text: str, *, hint: int | None, elsewhere: bool = False
) -> Anchor | None:
    """The best occurrence of the quote in ``text``: by context, then nearest the hint.
    Elsewhere than its own paragraph, or when the quote is short and repeated, the
    occurrence must bring some of its context along."""
    exact = target.exact
    positions = []
    position = text.find(exact)
    while position != -1:
        positions.append(position)
        position = text.find(exact, position + 1)
    if not positions:
        return None
    scored = []
    for position in positions:
        before, after = _context_scores(target, text, position, position + len(exact))
        distance = abs(position - hint) if hint is not None else 0
        scored.append((max(before, after), before + after, -distance, position))
    best_side, _, _, position = max(scored)
    must_match_context = elsewhere or len(positions) > 1
    if must_match_context and best_side < CONTEXT_THRESHOLD:
        distinctive = len(exact) >= DISTINCTIVE_LENGTH and len(positions) == 1
        if not distinctive:
            return None
    return anchor_at(text, position, position + len(exact))


def _map(opcodes, position: int, *, end: bool) -> int:
    """An offset into the old text, carried into the new one. An offset inside a
    changed stretch goes to the start (or, for an end, the end) of what replaced the
    whole stretch: "US policy" reworded as "American policy" keeps "American"."""
    run_start = None  # where the current stretch of changes starts in the new text
    opcodes = list(opcodes)
    for index, opcode in enumerate(opcodes):
        if opcode.tag == "equal":
            run_start = None
        elif run_start is None:
            run_start = opcode.dest_start
        inside = opcode.src_start <= position < opcode.src_end or (
            end and opcode.src_start < position <= opcode.src_end
        )
        if not inside:
            continue
        if opcode.tag == "equal":
            return opcode.dest_start + (position - opcode.src_start)
        if not end:
            return run_start
        run_end = opcode.dest_end
        for following in opcodes[index + 1 :]:
            if following.tag == "equal":
                break
            run_end = following.dest_end
        return run_end
    return opcodes[-1].dest_end if opcodes else 0


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words and trim the spaces at its ends."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _accept_fuzzy(target: Target, text: str, start: int, end: int) -> Anchor | None:
    start, end = _snap(text, start, end)
    if end <= start:
        return None
    if fuzz.ratio(target.exact, text[start:end]) < FUZZY_THRESHOLD:
        return None
    before, after = _context_scores(target, text, start, end)
    if max(before, after) < CONTEXT_THRESHOLD and len(target.exact) < DISTINCTIVE_LENGTH:
        return None
    return anchor_at(text, start, end)


def _fuzzy_through_diff(target: Target, old_text: str, new_text: str, opcodes) -> Anchor | None:
    if old_text[target.start : target.end] != target.exact:
        return _fuzzy_search(target, new_text)  # the offsets were stale already
    start = _map(opcodes, target.start, end=False)
    end = _map(opcodes, target.end, end=True)
    return _accept_fuzzy(target, new_text, start, end) or _fuzzy_search(target, new_text)


def _fuzzy_search(target: Target, text: str) -> Anchor | None:
    """The stretch of ``text`` most like the quote, if it is like it enough."""
    if not text:
        return None
    alignment = fuzz.partial_ratio_alignment(target.exact, text, score_cutoff=FUZZY_THRESHOLD)
    if alignment is None:
        return None
    return _accept_fuzzy(target, text, alignment.dest_start, alignment.dest_end)
