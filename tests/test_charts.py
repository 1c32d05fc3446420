"""The geometry of the overview's charts (no Django, no database): bars in proportion,
stacked parts side by side, labels that fit, and a graph laid out on a circle."""

import math

import pytest

from annotations.charts import (
    CHAR_WIDTH,
    Bar,
    GraphEdge,
    GraphNode,
    Part,
    bar_chart,
    circle_graph,
    strip,
    text_width,
    truncate,
    wrap,
)


def stances(supports=0, opposes=0, none=0):
    return (
        Part("supports", "Supports", supports, "/s"),
        Part("opposes", "Opposes", opposes, "/o"),
        Part("none", "No stance", none, "/n"),
    )


# ------------------------------------------------------------------------ bars


def test_the_longest_bar_fills_the_width_but_leaves_room_for_its_total():
    chart = bar_chart([Bar("Syria", stances(6, 2)), Bar("Iran", stances(2, 0, 2))], width=400)
    syria, iran = chart.rows
    assert syria.total == 8 and iran.total == 4
    assert syria.total_x + text_width("8", chart.number_size) <= 400
    assert syria.bar_width > 300
    assert iran.bar_width == pytest.approx(syria.bar_width / 2, abs=0.05)


def test_the_parts_of_a_bar_sit_side_by_side_in_proportion():
    (row,) = bar_chart([Bar("Syria", stances(3, 1, 0))]).rows
    supports, opposes = row.segments  # a part of 0 draws nothing
    assert supports.x == 0
    assert opposes.x == pytest.approx(supports.width, abs=0.05)
    assert supports.width == pytest.approx(3 * opposes.width, abs=0.05)
    assert (supports.key, supports.href, opposes.key, opposes.href) == (
        "supports",
        "/s",
        "opposes",
        "/o",
    )


def test_a_number_is_written_inside_a_part_only_where_it_fits():
    (row,) = bar_chart([Bar("Syria", stances(60, 1, 0))]).rows
    supports, opposes = row.segments
    assert supports.show_value
    assert not opposes.show_value  # too narrow: its number is in the link's label instead


def test_rows_do_not_overlap_and_the_height_holds_them():
    chart = bar_chart([Bar(f"Row {n}", stances(n + 1)) for n in range(5)])
    for above, below in zip(chart.rows, chart.rows[1:], strict=False):
        assert above.bar_y + above.bar_height < below.label_y - chart.label_size
    last = chart.rows[-1]
    assert last.bar_y + last.bar_height <= chart.height


def test_a_long_label_is_cut_to_the_width_and_kept_whole_for_its_tooltip():
    title = "The Military & Security Cooperation between Iran and Russia in the Syrian Crisis"
    (row,) = bar_chart([Bar(title, stances(1))], width=400).rows
    assert row.label.endswith("…") and row.full_label == title
    assert text_width(row.label, 16) <= 400


def test_no_bars_make_an_empty_chart():
    chart = bar_chart([])
    assert chart.rows == () and chart.height == 0


def test_a_strip_spreads_the_parts_over_its_width():
    drawn = strip(stances(1, 1, 2), width=100)
    assert [segment.width for segment in drawn.segments] == [25, 25, 50]
    assert drawn.segments[-1].x + drawn.segments[-1].width == pytest.approx(100)
    assert strip(stances(), width=100).segments == ()


# ------------------------------------------------------------------------ labels


def test_wrap_breaks_between_words_and_ends_what_does_not_fit_with_an_ellipsis():
    assert wrap("An Alliance for Mutual Security", 14) == ("An Alliance", "for Mutual…")
    assert wrap("An Alliance", 14) == ("An Alliance",)
    assert wrap("Supercalifragilistic", 8, 2) == ("Supercal", "ifragil…")
    assert wrap("", 8) == ("",)
    assert all(len(line) <= 12 for line in wrap("The Military & Security Cooperation", 12, 3))


def test_truncate_keeps_short_text_and_cuts_long_text():
    assert truncate("Syria", 10) == "Syria"
    assert truncate("Syrian Arab Republic", 10) == "Syrian Ar…"
    assert len(truncate("x" * 50, 10)) == 10


# ------------------------------------------------------------------------ graph


def nodes(count):
    return [
        GraphNode(key=str(n), label=f"Article {n} on the war", href=f"/a/{n}") for n in range(count)
    ]


def test_nodes_lie_evenly_on_a_circle_the_first_at_the_top():
    graph = circle_graph(nodes(6), [], width=400, radius=80)
    cx, cy = graph.cx, graph.cy
    assert cx == 200
    for node in graph.nodes:
        assert math.dist((node.x, node.y), (cx, cy)) == pytest.approx(80, abs=0.05)
    first = graph.nodes[0]
    assert first.x == pytest.approx(cx) and first.y < cy
    gaps = [
        math.dist((a.x, a.y), (b.x, b.y))
        for a, b in zip(graph.nodes, graph.nodes[1:] + graph.nodes[:1], strict=True)
    ]
    assert max(gaps) - min(gaps) < 0.1


def test_labels_sit_outside_the_circle_and_inside_the_picture():
    graph = circle_graph(nodes(8), [], width=400)
    cx, cy = graph.cx, graph.cy
    for node in graph.nodes:
        assert math.dist((node.label_x, node.label_y), (cx, cy)) > math.dist(
            (node.x, node.y), (cx, cy)
        )
        longest = max(text_width(line, graph.label_size) for line in node.lines)
        left = {
            "start": node.label_x,
            "middle": node.label_x - longest / 2,
            "end": node.label_x - longest,
        }[node.anchor]
        assert left >= 0 and left + longest <= graph.width, node
        assert node.label_y - graph.label_size >= 0
        assert node.label_y + (len(node.lines) - 1) * graph.line_height <= graph.height
    anchors = {node.anchor for node in graph.nodes}
    assert anchors == {"start", "middle", "end"}


@pytest.mark.parametrize("count", [1, 2, 3, 5, 12])
def test_the_picture_is_as_tall_as_what_it_draws(count):
    graph = circle_graph(nodes(count), [])
    tops = [node.label_y - graph.label_size for node in graph.nodes]
    tops += [node.y - node.radius for node in graph.nodes]
    bottoms = [node.label_y + (len(node.lines) - 1) * graph.line_height for node in graph.nodes] + [
        node.y + node.radius for node in graph.nodes
    ]
    assert 0 <= min(tops) <= 8
    assert graph.height - 12 <= max(bottoms) <= graph.height


def test_edges_either_way_are_one_with_their_weights_added():
    graph = circle_graph(
        nodes(3),
        [GraphEdge("0", "1", 2, "/pair"), GraphEdge("1", "0", 1), GraphEdge("1", "2", 1)],
    )
    weights = {(edge.source, edge.target): edge.weight for edge in graph.edges}
    assert weights == {("0", "1"): 3, ("1", "2"): 1}
    heavy = next(edge for edge in graph.edges if edge.weight == 3)
    light = next(edge for edge in graph.edges if edge.weight == 1)
    assert heavy.stroke_width > light.stroke_width
    assert heavy.href == "/pair"
    assert (heavy.source_label, heavy.target_label) == (
        "Article 0 on the war",
        "Article 1 on the war",
    )
    assert {node.key: node.degree for node in graph.nodes} == {"0": 3, "1": 4, "2": 1}


def test_edges_to_nodes_left_out_and_loops_are_not_drawn():
    graph = circle_graph(
        nodes(2), [GraphEdge("0", "9", 5), GraphEdge("1", "1", 2), GraphEdge("0", "1", 1)]
    )
    assert [(edge.source, edge.target) for edge in graph.edges] == [("0", "1")]


def test_edge_numbers_do_not_cover_each_other_where_edges_cross():
    # A square and both its diagonals: the diagonals' middles are the same point.
    edges = [
        GraphEdge("0", "2", 1),
        GraphEdge("1", "3", 1),
        GraphEdge("0", "1", 1),
        GraphEdge("2", "3", 1),
    ]
    graph = circle_graph(nodes(4), edges)
    badges = [(edge.label_x, edge.label_y, edge.label_radius) for edge in graph.edges]
    for index, (x, y, r) in enumerate(badges):
        for other_x, other_y, other_r in badges[index + 1 :]:
            assert math.dist((x, y), (other_x, other_y)) >= r + other_r


def test_one_article_alone_sits_in_the_middle():
    (node,) = circle_graph(nodes(1), []).nodes
    assert node.anchor == "middle"
    assert node.label_y < node.y


def test_char_width_is_a_fair_guess_for_sizing_labels():
    assert 0.45 <= CHAR_WIDTH <= 0.65
