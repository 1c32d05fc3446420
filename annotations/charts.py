"""The geometry of the overview's pictures: bars, stacked bars, and a small node-link
graph laid out on a circle. Plain Python (no Django): numbers in, shapes out, in the
units of an SVG ``viewBox`` that the templates draw as they are.

The sizes are chosen for a phone, where a chart is drawn about 340 pixels wide: a bar
chart is 360 units wide (its labels of 16 units read at about 15 pixels), the graph
400 (its labels beside the circle need the room). Links travel
through as opaque strings (``href``): the charts neither make nor check them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

WIDTH = 400  # the graph's
BAR_WIDTH = 360  # a bar chart's: drawn about as wide as a phone shows it
LABEL_SIZE = 16  # the name above a bar, a node's label
NUMBER_SIZE = 15  # numbers inside and after bars, on edges
CHAR_WIDTH = 0.56  # a sans-serif character's mean width, in ems: enough to size a label


# ------------------------------------------------------------------------ inputs


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of a bar: a stance's count, say (``key`` names it for the stylesheet)."""

    key: str
    label: str
    value: int
    href: str = ""


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, where the label leads, the total and where it leads, and the
    parts it is stacked from (one part for a plain bar)."""

    label: str
    parts: tuple[Part, ...]
    href: str = ""  # the label's link (the region's, source's or article's page)
    total_href: str = ""  # the total's link: the passages behind it

    @property
    def total(self) -> int:
        return sum(part.value for part in self.parts)


@dataclass(frozen=True, slots=True)
class GraphNode:
    key: str
    label: str
    href: str = ""


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """``weight`` things join two nodes (the order of the two does not matter)."""

    source: str
    target: str
    weight: int
    href: str = ""


# ----------------------------------------------------------------------- helpers


def truncate(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, an ellipsis saying when it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: max(1, limit - 1)].rstrip() + "…"


def wrap(text: str, width: int, max_lines: int = 2) -> tuple[str, ...]:
    """``text`` broken into at most ``max_lines`` lines of at most ``width`` characters,
    between words where it can (a longer word is cut); what does not fit ends the
    last line with an ellipsis."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not word:
            continue
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line or not lines:
        lines.append(line)
    if len(lines) <= max_lines:
        return tuple(lines)
    last = lines[max_lines - 1]
    last = (last if len(last) < width else last[: width - 1]).rstrip() + "…"
    return (*lines[: max_lines - 1], last)


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _r(value: float) -> float:
    return round(value, 2)


# -------------------------------------------------------------------------- bars


@dataclass(frozen=True, slots=True)
class Segment:
    """A part of a bar, placed: ``show_value`` when the number fits inside it."""

    key: str
    label: str
    value: int
    href: str
    x: float
    width: float
    text_x: float
    show_value: bool


@dataclass(frozen=True, slots=True)
class BarRow:
    label: str
    full_label: str
    href: str
    total: int
    total_href: str
    label_y: float  # baseline of the label
    bar_y: float
    bar_height: float
    segments: tuple[Segment, ...]
    total_x: float
    total_y: float  # baseline of the total

    @property
    def bar_width(self) -> float:
        return _r(sum(segment.width for segment in self.segments))


@dataclass(frozen=True, slots=True)
class BarChart:
    width: float
    height: float
    rows: tuple[BarRow, ...]
    label_size: float = LABEL_SIZE
    number_size: float = NUMBER_SIZE


def _segments(
    parts: Sequence[Part], *, x: float, scale: float, number_size: float
) -> tuple[Segment, ...]:
    segments = []
    for part in parts:
        if part.value <= 0:
            continue
        width = part.value * scale
        needed = text_width(str(part.value), number_size) + 6
        segments.append(
            Segment(
                key=part.key,
                label=part.label,
                value=part.value,
                href=part.href,
                x=_r(x),
                width=_r(width),
                text_x=_r(x + width / 2),
                show_value=len(parts) > 1 and width >= needed,
            )
        )
        x += width
    return tuple(segments)


def bar_chart(
    bars: Sequence[Bar],
    *,
    width: float = BAR_WIDTH,
    label_size: float = LABEL_SIZE,
    number_size: float = NUMBER_SIZE,
    bar_height: float = 22,
    gap: float = 14,
) -> BarChart:
    """Horizontal bars, one a row, each with its label on a line above it (so that a
    long name has the chart's whole width) and its total just after its end. The
    longest bar leaves room for its total."""
    total_room = text_width(str(max((bar.total for bar in bars), default=0)), number_size) + 10
    bar_room = width - total_room
    largest = max((bar.total for bar in bars), default=0)
    scale = bar_room / largest if largest else 0
    label_limit = max(4, int(width / (label_size * CHAR_WIDTH)))
    rows = []
    y = 0.0
    for bar in bars:
        label_y = y + label_size
        bar_y = label_y + 5
        segments = _segments(bar.parts, x=0.0, scale=scale, number_size=number_size)
        end = sum(segment.width for segment in segments)
        rows.append(
            BarRow(
                label=truncate(bar.label, label_limit),
                full_label=bar.label,
                href=bar.href,
                total=bar.total,
                total_href=bar.total_href,
                label_y=_r(label_y),
                bar_y=_r(bar_y),
                bar_height=bar_height,
                segments=segments,
                total_x=_r(end + 6),
                total_y=_r(bar_y + bar_height / 2 + number_size * 0.35),
            )
        )
        y = bar_y + bar_height + gap
    height = y - gap + 2 if rows else 0
    return BarChart(
        width=width,
        height=_r(height),
        rows=tuple(rows),
        label_size=label_size,
        number_size=number_size,
    )


@dataclass(frozen=True, slots=True)
class Strip:
    """One stacked bar alone, ``width`` units long: a breakdown drawn in a line."""

    width: float
    height: float
    segments: tuple[Segment, ...]


def strip(parts: Sequence[Part], *, width: float = 100, height: float = 10) -> Strip:
    """The parts side by side over the whole width (nothing when they add up to 0)."""
    total = sum(part.value for part in parts if part.value > 0)
    scale = width / total if total else 0
    segments = _segments(parts, x=0.0, scale=scale, number_size=0)
    return Strip(
        width=width,
        height=height,
        segments=tuple(
            Segment(
                key=s.key,
                label=s.label,
                value=s.value,
                href=s.href,
                x=s.x,
                width=s.width,
                text_x=s.text_x,
                show_value=False,
            )
            for s in segments
        ),
    )


# -------------------------------------------------------------------------- graph


@dataclass(frozen=True, slots=True)
class PlacedNode:
    key: str
    label: str
    href: str
    x: float
    y: float
    radius: float
    lines: tuple[str, ...]  # the label, wrapped
    label_x: float
    label_y: float  # baseline of the first line
    anchor: str  # "start", "middle" or "end": SVG's text-anchor
    degree: int  # the weight of the edges it has


@dataclass(frozen=True, slots=True)
class PlacedEdge:
    source: str
    target: str
    source_label: str
    target_label: str
    weight: int
    href: str
    x1: float
    y1: float
    x2: float
    y2: float
    stroke_width: float
    label_x: float
    label_y: float
    label_radius: float


@dataclass(frozen=True, slots=True)
class NodeLinkGraph:
    width: float
    height: float
    cx: float  # the circle's centre
    cy: float
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]
    label_size: float = LABEL_SIZE
    line_height: float = LABEL_SIZE * 1.2
    number_size: float = NUMBER_SIZE


def circle_graph(
    nodes: Sequence[GraphNode],
    edges: Sequence[GraphEdge],
    *,
    width: float = WIDTH,
    radius: float = 82,
    node_radius: float = 9,
    label_size: float = LABEL_SIZE,
    number_size: float = NUMBER_SIZE,
    lines: int = 2,
) -> NodeLinkGraph:
    """The nodes evenly on a circle, the first at the top and on clockwise; each
    label outside its node, away from the centre (so that no edge crosses it); an
    edge's weight on a badge along it, moved along the edge when it would cover
    another's. Edges whose ends are not both among the nodes are left out; two edges
    between the same nodes are one, their weights added."""
    line_height = label_size * 1.2
    gap = 8
    char = label_size * CHAR_WIDTH
    cx, cy = width / 2, 0.0  # moved down once the labels' extent is known

    weights: dict[tuple[str, str], int] = {}
    hrefs: dict[tuple[str, str], str] = {}
    keys = [node.key for node in nodes]
    order = {key: index for index, key in enumerate(keys)}
    for edge in edges:
        if edge.source not in order or edge.target not in order or edge.source == edge.target:
            continue
        pair = tuple(sorted((edge.source, edge.target), key=order.__getitem__))
        weights[pair] = weights.get(pair, 0) + edge.weight
        hrefs.setdefault(pair, edge.href)
    degree = dict.fromkeys(keys, 0)
    for (a, b), weight in weights.items():
        degree[a] += weight
        degree[b] += weight

    placed: dict[str, PlacedNode] = {}
    count = len(nodes)
    out = node_radius + gap
    # Beside the circle a label has little width but, with few nodes, height to spare.
    side_lines = lines + 1 if count <= 8 else lines
    for index, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        distance = radius if count > 1 else 0.0
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + distance * cos, cy + distance * sin
        if count > 1 and abs(cos) > 0.3:  # beside its node, centred on it, away from the circle
            anchor = "start" if cos > 0 else "end"
            label_x = x + out * (1 if cos > 0 else -1)
            room = width - label_x if cos > 0 else label_x
            wrapped = wrap(node.label, max(4, int((room - 2) / char)), side_lines)
            first = y - (len(wrapped) - 1) * line_height / 2 + label_size * 0.35
        else:  # above the node (or under it, in the lower half), centred on it
            anchor = "middle"
            label_x = x
            room = 2 * min(x, width - x)
            wrapped = wrap(node.label, max(4, int((room - 4) / char)), lines)
            if count > 1 and sin > 0:
                first = y + out + label_size * 0.8
            else:
                first = y - out - (len(wrapped) - 1) * line_height
        placed[node.key] = PlacedNode(
            key=node.key,
            label=node.label,
            href=node.href,
            x=_r(x),
            y=y,
            radius=node_radius,
            lines=wrapped,
            label_x=_r(label_x),
            label_y=first,
            anchor=anchor,
            degree=degree[node.key],
        )

    # The picture holds the nodes and their labels and no more: fit its height to them.
    pad = 4
    top = min(
        [node.y - node_radius for node in placed.values()]
        + [node.label_y - label_size for node in placed.values()],
        default=0.0,
    )
    bottom = max(
        [node.y + node_radius for node in placed.values()]
        + [
            node.label_y + (len(node.lines) - 1) * line_height + label_size * 0.3
            for node in placed.values()
        ],
        default=0.0,
    )
    shift = pad - top if placed else 0.0
    height = bottom - top + 2 * pad if placed else 0
    placed = {
        key: replace(node, y=_r(node.y + shift), label_y=_r(node.label_y + shift))
        for key, node in placed.items()
    }

    heaviest = max(weights.values(), default=1)
    badge = number_size * 0.9
    taken: list[tuple[float, float]] = []
    placed_edges = []
    for (a, b), weight in sorted(weights.items(), key=lambda item: (-item[1], item[0])):
        start, end = placed[a], placed[b]
        label_x, label_y = start.x, start.y
        for t in (0.5, 0.38, 0.62, 0.28, 0.72):
            label_x = start.x + (end.x - start.x) * t
            label_y = start.y + (end.y - start.y) * t
            if all(math.dist((label_x, label_y), point) >= 2 * badge + 2 for point in taken):
                break
        taken.append((label_x, label_y))
        placed_edges.append(
            PlacedEdge(
                source=a,
                target=b,
                source_label=start.label,
                target_label=end.label,
                weight=weight,
                href=hrefs[(a, b)],
                x1=start.x,
                y1=start.y,
                x2=end.x,
                y2=end.y,
                stroke_width=_r(1.5 + 4.5 * weight / heaviest),
                label_x=_r(label_x),
                label_y=_r(label_y),
                label_radius=_r(max(badge, text_width(str(weight), number_size) / 2 + 4)),
            )
        )
    return NodeLinkGraph(
        width=width,
        height=_r(height),
        cx=_r(cx),
        cy=_r(cy + shift),
        nodes=tuple(placed[key] for key in keys),
        edges=tuple(placed_edges),
        label_size=label_size,
        line_height=_r(line_height),
        number_size=number_size,
    )
