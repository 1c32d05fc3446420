"""Highlights rendered into a paragraph's HTML (no database)."""

import re

from annotations.highlight import Span, highlight
from corpus.markup import html_to_text

HTML = "The <em>Washington Post</em> would admit: troops &amp; bases stay."
TEXT = "The Washington Post would admit: troops & bases stay."


def spans_of(html):
    return re.findall(
        r'<mark class="hl hl--(\w+)"[^>]*data-annotation-ids="([\d ]+)"[^>]*>([^<]*)</mark>', html
    )


def test_text_is_unchanged_by_highlighting():
    start = TEXT.index("Post would")
    html = highlight(HTML, [Span(start, start + 10, 1, "supports")])
    assert html_to_text(html) == TEXT


def test_a_highlight_across_an_element_is_cut_at_its_edge():
    start = TEXT.index("Post")
    html = highlight(HTML, [Span(start, start + len("Post would"), 7, "opposes")])
    assert spans_of(html) == [("opposes", "7", "Post"), ("opposes", "7", " would")]
    assert '<em>Washington <mark class="hl hl--opposes" id="hl-7"' in html
    assert html.count('id="hl-7"') == 1


def test_overlapping_passages_share_the_common_piece():
    a = TEXT.index("would")
    b = TEXT.index("admit")
    html = highlight(
        HTML, [Span(a, b + 5, 1, "supports"), Span(b, TEXT.index("bases") + 5, 2, "opposes")]
    )
    assert spans_of(html) == [
        ("supports", "1", "would "),
        ("several", "1 2", "admit"),
        ("opposes", "2", ": troops &amp; bases"),
    ]
    assert 'data-depth="2"' in html


def test_a_passage_nested_in_another():
    outer = (TEXT.index("would"), TEXT.index("stay"))
    inner = (TEXT.index("troops"), TEXT.index("troops") + 6)
    html = highlight(HTML, [Span(*outer, 3, "neutral"), Span(*inner, 4, "neutral")])
    assert [piece for _, _, piece in spans_of(html)] == ["would admit: ", "troops", " &amp; bases "]
    assert [ids for _, ids, _ in spans_of(html)] == ["3", "3 4", "3"]


def test_entities_count_as_one_character():
    start = TEXT.index("&")
    html = highlight(HTML, [Span(start, start + 1, 5, "mixed")])
    assert spans_of(html) == [("mixed", "5", "&amp;")]


def test_no_spans_leaves_the_html_as_it_is():
    assert highlight(HTML, []) == HTML


def test_markup_in_the_text_stays_text():
    html = highlight("a &lt;script&gt;alert(1)&lt;/script&gt; b", [Span(2, 10, 9, "supports")])
    assert "<script" not in html
    assert html_to_text(html) == "a <script>alert(1)</script> b"


def test_every_annotation_gets_an_anchor_even_when_two_start_together():
    start = TEXT.index("would")
    html = highlight(
        HTML, [Span(start, start + 5, 1, "supports"), Span(start, start + 11, 2, "opposes")]
    )
    assert html.count('id="hl-1"') == 1 and html.count('id="hl-2"') == 1
    assert html_to_text(html) == TEXT


def test_every_seed_paragraph_highlighted_word_by_word_reads_as_before(seed_articles):
    """Highlighting cuts sanitized HTML at text offsets: on every paragraph of the
    seeds (emphasis, links, entities), marking each word leaves the text unchanged and
    each mark holds exactly the words of its annotation."""
    import re

    from corpus.markup import html_to_text
    from corpus.models import Paragraph

    for paragraph in Paragraph.objects.all():
        words = [match.span() for match in re.finditer(r"\S+", paragraph.text)]
        spans = [Span(start, end, number, "neutral") for number, (start, end) in enumerate(words)]
        highlighted = highlight(paragraph.html, spans)
        assert html_to_text(highlighted) == paragraph.text, paragraph.pk
        for number, (start, end) in enumerate(words):
            pieces = re.findall(rf'data-annotation-ids="{number}"[^>]*>([^<]*)</mark>', highlighted)
            assert html_to_text("".join(pieces)) == paragraph.text[start:end], paragraph.pk
