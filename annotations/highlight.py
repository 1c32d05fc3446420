"""Highlights rendered on the server: <mark> elements inside a paragraph's HTML.

A paragraph's HTML shows exactly its text (the importer guarantees it), so an
annotation's offsets into the text are offsets into the HTML's text nodes. Passages
may overlap or nest: the text is cut at every boundary, and each piece is wrapped in
one <mark> that lists every annotation covering it. Marks never cross an element
boundary (a highlight over "<em>a</em> b" is two marks).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    annotation_id: int
    stance: str


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("tag", self.get_starttag_text()))

    def handle_startendtag(self, tag, attrs):
        self.tokens.append(("tag", self.get_starttag_text()))

    def handle_endtag(self, tag):
        self.tokens.append(("tag", f"</{tag}>"))

    def handle_data(self, data):
        self.tokens.append(("text", data))


def highlight(html: str, spans: list[Span]) -> str:
    """The paragraph's HTML with its annotated passages wrapped in <mark> elements."""
    if not spans:
        return html
    # Sweep the boundaries once: which spans cover each stretch between two of them.
    boundaries = sorted({span.start for span in spans} | {span.end for span in spans})
    starting: dict[int, list[Span]] = {}
    for span in spans:
        starting.setdefault(span.start, []).append(span)
    covering: list[tuple[Span, ...]] = []
    active: list[Span] = []
    for boundary in boundaries:
        active = [span for span in active if span.end > boundary] + starting.get(boundary, [])
        covering.append(tuple(active))
    first_piece = {span.annotation_id for span in spans}  # its first piece carries id="hl-N"
    opening: dict[tuple[int, ...], str] = {}

    def mark(piece: str, spans_here: tuple[Span, ...]) -> str:
        ids = tuple(span.annotation_id for span in spans_here)
        anchor = ""
        for annotation_id in ids:
            if annotation_id in first_piece:
                first_piece.discard(annotation_id)
                anchor = anchor or f' id="hl-{annotation_id}"'
        tag = opening.get(ids)
        if tag is None:
            stances = {span.stance for span in spans_here}
            stance = stances.pop() if len(stances) == 1 else "several"
            tag = opening[ids] = (
                f'<mark class="hl hl--{stance}"{{anchor}} data-annotation-ids="{" ".join(map(str, ids))}" '
                f'data-depth="{min(len(ids), 4)}">'
            )
        return tag.replace("{anchor}", anchor, 1) + escape(piece, quote=False) + "</mark>"

    if "<" in html:
        parser = _Tokens()
        parser.feed(html)
        parser.close()
        tokens = parser.tokens
    else:  # plain text, escaped: most paragraphs
        tokens = [("text", unescape(html))]
    out: list[str] = []
    offset = 0
    for kind, value in tokens:
        if kind == "tag":
            out.append(value)
            continue
        end_of_node = offset + len(value)
        cut = offset
        index = bisect_right(boundaries, offset)  # boundaries[index - 1] <= offset
        while cut < end_of_node:
            next_cut = boundaries[index] if index < len(boundaries) else end_of_node
            next_cut = min(next_cut, end_of_node)
            piece = value[cut - offset : next_cut - offset]
            spans_here = covering[index - 1] if index > 0 else ()
            out.append(mark(piece, spans_here) if spans_here else escape(piece, quote=False))
            cut = next_cut
            if index < len(boundaries) and boundaries[index] <= cut:
                index += 1
        offset = end_of_node
    return "".join(out)
