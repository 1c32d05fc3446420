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
from html import escape
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


def _mark(piece: str, covering: list[Span], first_of: set[int]) -> str:
    ids = " ".join(str(span.annotation_id) for span in covering)
    stances = {span.stance for span in covering}
    stance = stances.pop() if len(stances) == 1 else "several"
    anchor = ""
    starting = [span.annotation_id for span in covering if span.annotation_id in first_of]
    if starting:
        anchor = f' id="hl-{starting[0]}"'
        first_of.difference_update(starting)
    return (
        f'<mark class="hl hl--{stance}"{anchor} data-annotation-ids="{ids}" '
        f'data-depth="{min(len(covering), 4)}">{escape(piece, quote=False)}</mark>'
    )


def highlight(html: str, spans: list[Span]) -> str:
    """The paragraph's HTML with its annotated passages wrapped in <mark> elements."""
    if not spans:
        return html
    boundaries = sorted({span.start for span in spans} | {span.end for span in spans})
    first_of = {span.annotation_id for span in spans}  # the first piece of each gets an id
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    out: list[str] = []
    offset = 0
    for kind, value in parser.tokens:
        if kind == "tag":
            out.append(value)
            continue
        end_of_node = offset + len(value)
        cut = offset
        # Boundaries inside this text node split it into pieces.
        index = bisect_right(boundaries, offset)
        cuts = [b for b in boundaries[index:] if b < end_of_node] + [end_of_node]
        for next_cut in cuts:
            piece = value[cut - offset : next_cut - offset]
            if piece:
                covering = [s for s in spans if s.start <= cut and s.end >= next_cut]
                out.append(
                    _mark(piece, covering, first_of) if covering else escape(piece, quote=False)
                )
            cut = next_cut
        offset = end_of_node
    return "".join(out)
