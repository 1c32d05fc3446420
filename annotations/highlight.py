"""Highlights rendered on the server: <mark> elements inside a paragraph's HTML.

A paragraph's HTML shows exactly its text (the importer guarantees it), so an
annotation's offsets into the text are offsets into the HTML's text nodes. Passages
may overlap or nest: the text is cut at every boundary, and each piece is wrapped in
one <mark> that lists every annotation covering it. Marks never cross an element
boundary (a highlight over "<em>a</em> b" is two marks).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from html import escape, unescape


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    annotation_id: int
    stance: str


# A tag of sanitized HTML (every attribute value quoted, no comments): quoted values
# may hold ">". The alternatives start with different characters, so this is linear.
_TAG = re.compile(r"""<(?:"[^"]*"|'[^']*'|[^'">])*>""")


def _tokens(html: str) -> list[tuple[str, str]]:
    """The tags and the text (entities decoded) of a paragraph's sanitized HTML, in
    order. A regular expression rather than HTMLParser: on the article page with a
    thousand annotations, parsing was a third of the highlighting."""
    tokens: list[tuple[str, str]] = []
    position = 0
    for tag in _TAG.finditer(html):
        if tag.start() > position:
            tokens.append(("text", unescape(html[position : tag.start()])))
        tokens.append(("tag", tag.group()))
        position = tag.end()
    if position < len(html):
        tokens.append(("text", unescape(html[position:])))
    return tokens


def highlight(html: str, spans: list[Span]) -> str:
    """The paragraph's HTML with its annotated passages wrapped in <mark> elements.

    The piece where an annotation starts carries its anchor, ``id="hl-<id>"`` (when
    several start at the same character, the others get an empty anchor before it).
    """
    if not spans:
        return html
    # Sweep the boundaries once: the opening tag of the mark for each stretch between
    # two of them, and the anchors of the annotations starting at each.
    boundaries = sorted({span.start for span in spans} | {span.end for span in spans})
    starting: dict[int, list[Span]] = {}
    ending: set[int] = set()
    for span in spans:
        starting.setdefault(span.start, []).append(span)
        ending.add(span.end)
    openings: list[str] = []
    anchors: dict[int, tuple[str, str]] = {}  # boundary -> (id attribute, extra anchors)
    active: list[Span] = []
    tags: dict[tuple[int, ...], str] = {}
    for boundary in boundaries:
        begun = starting.get(boundary, [])
        if boundary in ending:
            active = [span for span in active if span.end > boundary]
        active = active + begun if begun else active
        ids = tuple(span.annotation_id for span in active)
        if ids and ids not in tags:
            stances = {span.stance for span in active}
            stance = (stances.pop() or "plain") if len(stances) == 1 else "several"
            depth = f' data-depth="{min(len(ids), 4)}"' if len(ids) > 1 else ""
            tags[ids] = (
                f'<mark class="hl hl--{stance}"{{}} data-annotation-ids="{" ".join(map(str, ids))}"{depth}>'
            )
        openings.append(tags[ids] if ids else "")
        if begun:
            anchors[boundary] = (
                f' id="hl-{begun[0].annotation_id}"',
                "".join(
                    f'<span class="hl-anchor" id="hl-{span.annotation_id}"></span>'
                    for span in begun[1:]
                ),
            )

    tokens = _tokens(html) if "<" in html else [("text", unescape(html))]
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
            next_cut = (
                min(boundaries[index], end_of_node) if index < len(boundaries) else end_of_node
            )
            piece = escape(value[cut - offset : next_cut - offset], quote=False)
            opening = openings[index - 1] if index > 0 else ""
            if opening:
                anchor = anchors.pop(cut, None) if cut == boundaries[index - 1] else None
                if anchor:
                    out.append(anchor[1] + opening.format(anchor[0]) + piece + "</mark>")
                else:
                    out.append(opening.format("") + piece + "</mark>")
            else:
                out.append(piece)
            cut = next_cut
            if index < len(boundaries) and boundaries[index] <= cut:
                index += 1
        offset = end_of_node
    return "".join(out)
