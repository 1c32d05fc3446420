"""The inline markdown a text holds, found in linear time, and made cheap for the engine.

Python-Markdown's inline patterns scan forward from every "[" for its "]", from
every "](" for the ")" that ends the link, and from every opening backtick run for
its closing run. A scan that finds no end runs to the end of the text, and the next
"[" starts again: a text of unclosed brackets costs the square of its length.

``bound_inline`` finds, in one pass over the special characters, what those scans
would find, and neutralises the characters that would start a scan with no end
(an unclosed "[", a "(" whose link never closes, an opening backtick run with no
closing run) or a scan that is too deep or too long (brackets nested more than
``MAX_BRACKET_DEPTH`` deep, link text or destination longer than ``MAX_LINK_SPAN``).
A neutralised character is replaced by a sentinel that the engine ignores and that
``corpus.markdown_bounds`` turns back into the character after rendering: it is
shown exactly as the engine shows a character it could not pair. Backslash escapes
become sentinels too, which spares the engine one pattern match per escape.

Two more bounds keep the engine's own work linear. It rebuilds a text for every
element it makes of it: ``cuts`` tell where a long text can be cut in pieces that
it renders independently, outside any code span, link or autolink. And every
element costs it (and the sanitizer after it) some tens of microseconds: past a
budget of elements, the rest of the text is shown as written (``plain_from``).

Nothing here changes how text that the engine renders in linear time is rendered:
the engine's own regular expressions decide where code spans, escapes and link
destinations are, and what would have been rendered as a link, code or emphasis
still is, within the limits above.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from markdown import inlinepatterns, util

# Unicode reserves the noncharacters U+FDD0..U+FDEF for a program's internal use:
# text never carries them, so each can stand for one neutralised character.
SENTINEL_CHARS = "\\`*_{}[]()>#+-.!="
SENTINELS = {char: chr(0xFDD0 + index) for index, char in enumerate(SENTINEL_CHARS)}
SENTINEL_RANGE = re.compile("[\ufdd0-\ufdef]")
# An escape is padded to the length of the placeholder the engine puts in its place
# (util.INLINE_PLACEHOLDER): its emphasis pattern counts positions across
# placeholders, and renders some odd text differently when the lengths differ.
PADDING = "\ufdef"
ESCAPES = {
    char: sentinel + PADDING * (len(util.INLINE_PLACEHOLDER % "0000") - 1)
    for char, sentinel in SENTINELS.items()
}

MAX_BRACKET_DEPTH = 6
MAX_LINK_SPAN = 2048
LINK_WEIGHT = 6  # in a budget of elements: a link costs about as much as six emphases
MARKUP_PER_ELEMENT = 8  # markup characters read, at most, for each element of a budget

_BACKTICK = re.compile(inlinepatterns.BACKTICK_RE, re.DOTALL | re.UNICODE)
_TICK_RUN = re.compile(r"`+")
_ESCAPE = re.compile(inlinepatterns.ESCAPE_RE, re.DOTALL | re.UNICODE)
_LINK_OPENING = inlinepatterns.LinkInlineProcessor.RE_LINK
_AUTOLINKS = (
    re.compile(inlinepatterns.AUTOLINK_RE, re.DOTALL | re.UNICODE),
    re.compile(inlinepatterns.AUTOMAIL_RE, re.DOTALL | re.UNICODE),
)
_BRACKET = re.compile(r"[\[\]]")
_PARENTHESIS = re.compile(r"[()]")
_WHITESPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"[\\`*_\[\]()!<>&]")
_EMPHASIS_RUN = re.compile(r"\*+|_+")
_ENTITY = re.compile(inlinepatterns.ENTITY_RE)
_LINE_BREAK = re.compile(inlinepatterns.LINE_BREAK_RE)
# Where a long text may be cut: after a space that follows the end of a sentence,
# or failing that after any single space before a word.
_SENTENCE_CUT = re.compile(r"(?<=[.!?:;] )(?=\S)")
_WORD_CUT = re.compile(r"(?<=\S )(?=\S)")


@dataclass
class InlineBounds:
    text: str
    cuts: list[int] = field(default_factory=list)  # where the text may be split in pieces
    plain_from: int | None = None  # from here on, the text is to be shown as written
    spent: int = 0  # inline elements the engine will make of the text before that


def bound_inline(
    text: str,
    *,
    escaped_chars,
    references=(),
    piece_length: int | None = None,
    budget: int | None = None,
    max_depth: int = MAX_BRACKET_DEPTH,
    max_span: int = MAX_LINK_SPAN,
) -> InlineBounds:
    """``text`` with the characters that would start an unbounded scan neutralised.

    With ``piece_length``, also the places where a longer text can be cut in pieces
    of about that length that the engine renders independently: outside code spans,
    link text, link destinations and autolinks, after a space (preferably one that
    ends a sentence), so that no link or code span is cut.

    With ``budget``, the inline elements (emphasis, code, links, entities, ...) the
    engine may make of the text, counting a link as ``LINK_WEIGHT``: past the
    element that would overspend it, outside any code span or link, the text is to
    be shown as written (``plain_from``).
    """
    # Past the markup the budget can pay for, the text is shown as written anyway:
    # it is not worth reading.
    unread = ""
    if budget is not None:
        limit = _nth_markup(text, MARKUP_PER_ELEMENT * max(budget, 0) + 1)
        if limit is not None:
            text, unread = text[:limit], text[limit:]
    bounded = view = text
    code: list[tuple[int, int]] = []  # where the code spans are in the result
    regions: list[tuple[int, int]] = []
    elements: list[tuple[int, int]] = []  # link brackets: where, and at what cost
    if any(char in text for char in "\\`[]("):
        consumed, ticks = _code_spans(text)
        pieces: list[str] = []
        length = 0
        position = 0
        for start, end in [*consumed, (len(text), len(text))]:
            escaped = _escape_segment(text, position, start, ticks, escaped_chars)
            pieces.append(escaped)
            length += len(escaped)
            if end > start:
                pieces.append(text[start:end])
                code.append((length, length + end - start))
                length += end - start
            position = end
        bounded = view = "".join(pieces)
        # What the link patterns see: code spans are placeholders to them.
        if code:
            chars = list(bounded)
            for start, end in code:
                chars[start:end] = "x" * (end - start)
            view = "".join(chars)
        neutral, regions, elements = _links(
            view, references, max_depth=max_depth, max_span=max_span
        )
        if neutral:
            chars = list(bounded)
            for index in neutral:
                chars[index] = SENTINELS[chars[index]]
            bounded = "".join(chars)
    autolinks = []
    if "<" in view:
        autolinks = [(m.start(), m.end()) for pattern in _AUTOLINKS for m in pattern.finditer(view)]
    uncut = _Regions([*code, *regions, *autolinks])
    plain_from, spent = None, 0
    if budget is not None:
        plain_from, spent = _spend(view, code, elements, autolinks, uncut, budget)
        if unread:
            plain_from = len(bounded) if plain_from is None else plain_from
            spent = budget
    cuts = _cuts(bounded, uncut, piece_length)
    if plain_from is not None:
        cuts = [cut for cut in cuts if cut < plain_from]
    return InlineBounds(bounded + unread, cuts, plain_from, spent)


def _nth_markup(text: str, count: int) -> int | None:
    """Where the ``count``-th markup character of ``text`` is, if it has that many."""
    if count > len(text):
        return None
    for index, match in enumerate(_MARKUP.finditer(text), start=1):
        if index == count:
            return match.start()
    return None


def _spend(view, code, elements, autolinks, uncut, budget: int) -> tuple[int | None, int]:
    """Where the inline elements of ``view`` overspend ``budget``, if they do (never
    inside a code span, link or autolink), and how much of it they spend."""
    costs = [(start, 1) for start, _ in code]
    costs.extend(elements)
    costs.extend((start, LINK_WEIGHT) for start, _ in autolinks)
    # A run of n delimiters can open or close up to n emphases: count half of them.
    costs.extend((m.start(), (len(m.group()) + 1) // 2) for m in _EMPHASIS_RUN.finditer(view))
    for pattern in (_ENTITY, _LINE_BREAK):
        costs.extend((match.start(), 1) for match in pattern.finditer(view))
    total = sum(cost for _, cost in costs)
    if total <= budget:
        return None, total
    costs.sort()
    spent = 0
    index = 0
    while spent + costs[index][1] <= budget:
        spent += costs[index][1]
        index += 1
    position = costs[index][0]  # the first element the budget cannot pay for
    around = uncut.around(position)
    return (position if around is None else around[0]), budget


def _code_spans(text: str) -> tuple[list[tuple[int, int]], set[int]]:
    """The regions the backtick pattern consumes, and the backticks to neutralise.

    Follows the engine's ``BacktickInlineProcessor`` step by step: the same regular
    expression finds the next opening backtick (or run of escaped backslashes before
    one) from the same place, and the closing run is the first later run of the same
    length or, failing that, the first longest later run if it is shorter. What the
    engine finds by scanning to the end of the text for every opening run, this
    finds by looking the run lengths up.
    """
    runs = [(match.start(), match.end()) for match in _TICK_RUN.finditer(text)]
    if not runs:
        return [], set()
    starts = [start for start, _ in runs]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    # longest[i]: the first of the longest runs among runs[i:].
    longest = [0] * len(runs)
    best = len(runs) - 1
    for index in range(len(runs) - 1, -1, -1):
        if runs[index][1] - runs[index][0] >= runs[best][1] - runs[best][0]:
            best = index
        longest[index] = best

    consumed: list[tuple[int, int]] = []
    neutral: set[int] = set()
    position = 0
    forced: int | None = None  # an opening run right after escaped backslashes
    backslashes: tuple[int, int] | None = None
    while True:
        if forced is None:
            match = _BACKTICK.search(text, position)
            if match is None:
                break
            if match.group(1):
                backslashes = (match.start(), match.end())
                forced = match.end()
                continue
            begin = match.start()
        else:
            begin, forced = forced, None
        run = bisect_right(starts, begin) - 1
        run_end = runs[run][1]
        ticks = run_end - begin
        closing = None
        same = by_length.get(ticks)
        if same:
            index = bisect_left(same, run + 1)
            if index < len(same):
                closing = runs[same[index]]
        if closing is None and run + 1 < len(runs):
            start, end = runs[longest[run + 1]]
            if 0 < end - start < ticks:
                closing = (start, end)
        if closing is not None:
            if backslashes is not None:
                consumed.append(backslashes)
            consumed.append((begin, closing[1]))
            position = closing[1]
        else:
            # The engine skips the run and as many characters again.
            skip_end = run_end + ticks
            neutral.update(range(begin, run_end))
            index = run + 1
            while index < len(runs) and runs[index][0] < skip_end:
                neutral.update(range(runs[index][0], min(runs[index][1], skip_end)))
                index += 1
            position = skip_end
        backslashes = None
    return consumed, neutral


def _escape_segment(text: str, start: int, end: int, ticks: set[int], escaped_chars) -> str:
    """A stretch outside code spans with its backslash escapes (and the backticks in
    ``ticks``) replaced by sentinels, as the engine's escape pattern would read it."""
    segment = text[start:end]
    if "\\" not in segment and not ticks:
        return segment
    out: list[str] = []
    position = 0
    for match in _ESCAPE.finditer(segment):
        char = match.group(1)
        if char in escaped_chars and char in SENTINELS:
            out.append(_neutral_ticks(segment, position, match.start(), start, ticks))
            out.append(ESCAPES[char])
            position = match.end()
    out.append(_neutral_ticks(segment, position, len(segment), start, ticks))
    return "".join(out)


def _neutral_ticks(segment: str, start: int, end: int, offset: int, ticks: set[int]) -> str:
    part = segment[start:end]
    if not ticks or "`" not in part:
        return part
    sentinel = SENTINELS["`"]
    return "".join(
        sentinel if char == "`" and offset + start + index in ticks else char
        for index, char in enumerate(part)
    )


def _links(
    view: str, references, *, max_depth: int, max_span: int
) -> tuple[set[int], list[tuple[int, int]], list[tuple[int, int]]]:
    """The brackets and parentheses to neutralise, the link text and destinations
    (regions a text must not be cut in), and what the engine will make of the
    brackets it reads: where each pair starts, and what it costs."""
    neutral: set[int] = set()
    # Brackets, paired as the engine's getText pairs them. A "[" with no "]" is
    # neutralised (no other bracket pairs differently without it), and so are both
    # brackets of a pair nested too deep or spanning too much.
    matched: dict[int, int] = {}
    stack: list[int] = []
    for match in _BRACKET.finditer(view):
        position = match.start()
        if view[position] == "[":
            stack.append(position)
        elif stack:
            matched[stack.pop()] = position
    neutral.update(stack)
    # Depth counts the pairs around a pair: an unclosed "[" is no pair to the engine.
    pairs: dict[int, int] = {}
    closings: list[int] = []
    for opening in sorted(matched):
        closing = matched[opening]
        while closings and closings[-1] < opening:
            closings.pop()
        if len(closings) >= max_depth or closing - opening > max_span:
            neutral.update((opening, closing))
        else:
            pairs[opening] = closing
        closings.append(closing)
    if not pairs:
        return neutral, [], []
    regions = [(opening, closing + 1) for opening, closing in pairs.items()]

    # Reference links ("[text][id]") to defined references are replaced before links
    # are looked for; the patterns after them read their text again, on its own.
    referencing: list[tuple[int, int]] = []
    reference_edges: list[int] = []
    reference_ids: set[int] = set()  # the "[id]" of each, whose brackets must stay
    for opening, closing in pairs.items() if references else ():
        second = closing + 1
        if second < len(view) and view[second].isspace():
            second += 1
        if second not in pairs:
            continue
        id_end = view.find("]", second)
        reference = view[second + 1 : id_end].lower() or view[opening + 1 : closing].lower()
        if _WHITESPACE.sub(" ", reference) in references:
            referencing.append((opening, closing))
            reference_edges.extend((opening, closing, second, id_end))
            reference_ids.add(second)
    referencing.sort()
    reference_edges.sort()

    # Links first, then images, as the engine looks for them; to the image pattern a
    # link is a placeholder, but the link's text is read again on its own.
    images = [o for o in sorted(pairs) if o and view[o - 1] == "!"]
    links = [o for o in sorted(pairs) if not (o and view[o - 1] == "!")]
    budget = [2 * len(view) + 4096]  # for destinations read to the end of the text
    kept_links, failed = _destinations(
        view, pairs, links, referencing, reference_edges, budget, max_span
    )
    image_view = view
    if kept_links and images:
        chars = list(view)
        for opening, end in kept_links.items():
            chars[opening] = "x"
            chars[pairs[opening] : end] = "x" * (end - pairs[opening])
        image_view = "".join(chars)
    kept_images, failed_images = _destinations(
        image_view,
        pairs,
        images,
        sorted([*referencing, *((o, pairs[o]) for o in kept_links)]),
        reference_edges,
        budget,
        max_span,
    )
    for opening, end in [*kept_links.items(), *kept_images.items()]:
        regions.append((pairs[opening] + 1, end))
    for opening in [*failed, *failed_images]:
        closing = pairs[opening]
        text = _WHITESPACE.sub(" ", view[opening + 1 : closing].lower())
        if opening in reference_ids or text in references:
            neutral.add(closing + 1)  # keep the brackets for the reference patterns
        else:
            # Without its brackets the "(" stays where it is, for the other links'
            # destinations to read, exactly as when the engine gives up on the link.
            neutral.update((opening, closing))
    # Every pair costs the engine a few pattern matches; a link, a few more.
    links = {*kept_links, *kept_images}
    elements = [(opening, LINK_WEIGHT if opening in links else 1) for opening in pairs]
    return neutral, regions, elements


def _destinations(view, pairs, openings, elements_around, reference_edges, budget, max_span):
    """Which of the links (or images) at ``openings`` the engine would find a
    destination for in bounded time, and which to neutralise.

    ``elements_around``: the pairs whose text the engine reads again on its own (a
    destination inside one must end inside it). Returns ``({opening: end}, [opening])``.
    """
    scan = _DestinationScan(view)
    kept: dict[int, int] = {}
    failed: list[int] = []
    skip_until = -1
    around: list[tuple[int, int]] = []
    elements = iter(elements_around)
    upcoming = next(elements, None)
    for opening in openings:
        closing = pairs[opening]
        while upcoming is not None and upcoming[0] < opening:
            around.append(upcoming)
            upcoming = next(elements, None)
        while around and around[-1][1] < opening:
            around.pop()
        paren = closing + 1
        if paren >= len(view) or view[paren] != "(" or paren < skip_until:
            continue  # not a link, or inside the destination of a link before it
        end, outcome = scan.end(paren)
        if outcome == "closed":
            safe = (
                end - paren <= max_span
                and (not around or around[-1][1] >= end)
                and not _any_between(reference_edges, paren, end)
            )
        else:
            # [text](url'with a quote): the engine ends the link at the ")" after
            # reading the rest of the text for the quote's end; affordable a few times.
            safe = outcome == "backtracked" and budget[0] >= len(view) - paren
            budget[0] -= len(view) - paren if safe else 0
        if safe:
            kept[opening] = end
            skip_until = end
        else:
            failed.append(opening)
    return kept, failed


def _any_between(positions: list[int], start: int, end: int) -> bool:
    index = bisect_left(positions, start)
    return index < len(positions) and positions[index] < end


class _DestinationScan:
    """Where the engine's ``LinkInlineProcessor.getLink`` stops reading a destination,
    looked up instead of read character by character."""

    def __init__(self, view: str) -> None:
        self.view = view
        self.parens = parens = [match.start() for match in _PARENTHESIS.finditer(view)]
        self.paren_delta = [0]  # opening minus closing parentheses before parens[i]
        self.paren_match: dict[int, int] = {}
        open_parens: list[int] = []
        for position in parens:
            if view[position] == "(":
                self.paren_delta.append(self.paren_delta[-1] + 1)
                open_parens.append(position)
            else:
                self.paren_delta.append(self.paren_delta[-1] - 1)
                if open_parens:
                    self.paren_match[open_parens.pop()] = position
        self.quotes = {quote: [m.start() for m in re.finditer(quote, view)] for quote in "'\""}
        self.any_quote = sorted(self.quotes["'"] + self.quotes['"'])
        # For each kind of quote, the ")" right after one (spaces aside), with the
        # quote's position: where a link title can end.
        self.title_ends: dict[str, list[tuple[int, int]]] = {"'": [], '"': []}
        for position in parens:
            if view[position] == ")":
                before = position - 1
                while before >= 0 and view[before] == " ":
                    before -= 1
                if before >= 0 and view[before] in self.title_ends:
                    self.title_ends[view[before]].append((position, before))

    def end(self, paren: int) -> tuple[int, str]:
        """``(end, outcome)``: "closed" when the scan stops at ``end``; "backtracked"
        when it reads to the end of the text, then takes the link to end at ``end``;
        "open" when it reads to the end of the text and finds no link."""
        view = self.view
        match = _LINK_OPENING.match(view, paren)
        if match.group(1):
            return match.end(), "closed"  # [text](<url> "title")
        start = match.end()
        closing = self.paren_match.get(paren)
        quote = _first_at_or_after(self.any_quote, start)
        if closing is not None and (quote is None or closing < quote):
            return closing + 1, "closed"
        if quote is None:
            return len(view), "open"
        # From the first quote on, the engine reads a title: only a ")" right after
        # a later quote of the same kind (or a second one of the other kind) ends it.
        ends = []
        same = self._title_end(view[quote], quote)
        if same is not None:
            ends.append(same)
        other = "'" if view[quote] == '"' else '"'
        alternative = _first_at_or_after(self.quotes[other], quote + 1)
        if alternative is not None:
            other_end = self._title_end(other, alternative)
            if other_end is not None:
                ends.append(other_end)
        if ends:
            return min(ends) + 1, "closed"
        # No title end: the engine falls back to the ")" where its count of the
        # parentheses open at the quote runs out, if it does.
        parens = self.parens
        open_at_quote = 1 + (
            self.paren_delta[bisect_left(parens, quote)]
            - self.paren_delta[bisect_left(parens, start)]
        )
        first_after = bisect_right(parens, quote)
        if len(parens) - first_after >= open_at_quote:
            return parens[first_after + open_at_quote - 1] + 1, "backtracked"
        return len(view), "open"

    def _title_end(self, quote: str, after: int) -> int | None:
        """The first ")" right after a ``quote`` that comes after position ``after``."""
        ends = self.title_ends[quote]
        index = bisect_right(ends, (after, len(self.view)))
        for position, quote_position in ends[index : index + 2]:
            if quote_position > after:
                return position
        return None


def _first_at_or_after(positions: list[int], start: int) -> int | None:
    index = bisect_left(positions, start)
    return positions[index] if index < len(positions) else None


class _Regions:
    """Stretches of a text not to cut (code spans, link text and destinations,
    autolinks), merged into disjoint ones: whether a position is inside one is a
    single bisection."""

    def __init__(self, regions: list[tuple[int, int]]) -> None:
        self.merged: list[list[int]] = []
        for start, end in sorted(regions):
            if self.merged and start <= self.merged[-1][1]:
                self.merged[-1][1] = max(self.merged[-1][1], end)
            else:
                self.merged.append([start, end])
        self.starts = [start for start, _ in self.merged]

    def around(self, position: int) -> list[int] | None:
        """The region ``position`` is inside of (not at its edge), if any."""
        index = bisect_right(self.starts, position) - 1
        if index >= 0 and self.merged[index][0] < position < self.merged[index][1]:
            return self.merged[index]
        return None


def _cuts(text: str, uncut: _Regions, piece_length: int | None) -> list[int]:
    """Places to cut ``text`` into pieces of about ``piece_length``, outside ``uncut``."""
    if not piece_length or len(text) <= piece_length:
        return []
    cuts = []
    last = 0
    while len(text) - last > piece_length:
        target = last + piece_length // 2
        cut = None
        for pattern in (_SENTENCE_CUT, _WORD_CUT):
            search = target
            while (match := pattern.search(text, search, last + piece_length)) is not None:
                around = uncut.around(match.start())
                if around is None:
                    cut = match.start()
                    break
                search = around[1]
            if cut is not None:
                break
        if cut is None:
            # No space to cut at: cut anywhere outside the regions.
            cut = last + piece_length
            while cut < len(text) and (around := uncut.around(cut)) is not None:
                cut = around[1]
            if cut >= len(text):
                break
        cuts.append(cut)
        last = cut
    return cuts
