"""Notes are markdown, rendered through the one sanitizer module, with either engine."""

from html.parser import HTMLParser

import pytest

from corpus.markup import ENGINES
from tests.conftest import make_annotation
from tests.data.xss_vectors import VECTORS


@pytest.mark.parametrize("engine", ENGINES)
def test_notes_render_markdown_and_drop_everything_executable(
    seed_articles, people, settings, engine
):
    settings.CROSSREAD_SANITIZER = engine
    paragraph = seed_articles["academic"].paragraphs.get(text__startswith="Since September 2015")
    note = (
        "**Strong** claim, see [the paper](https://example.org/paper).\n\n- one\n- two\n\n"
        + "\n\n".join(VECTORS)
    )
    annotation = make_annotation(
        author=people["author"],
        paragraph=paragraph,
        exact="Iran has been his main ally",
        stance="supports",
        note=note,
    )
    html = annotation.note_html
    assert "<strong>Strong</strong>" in html and "<li>one</li>" in html
    assert (
        '<a href="https://example.org/paper" rel="nofollow noopener noreferrer">the paper</a>'
        in html
    )
    elements = elements_of(html)
    assert {tag for tag, _ in elements} <= {"p", "strong", "a", "ul", "li", "em", "code"}, engine
    for tag, attributes in elements:
        for name, value in attributes:
            assert not name.startswith("on"), (engine, tag, name)
            assert name in {"href", "rel", "title"}, (engine, tag, name)
            assert not (value or "").lower().startswith(("javascript", "data", "vbscript")), (
                engine,
                value,
            )
    # The vectors themselves are kept, as text a reader can see.
    assert (
        "&lt;script&gt;alert('XSS')&lt;/script&gt;" in html
        or "&lt;script&gt;alert(&#x27;XSS&#x27;)" in html
    )
    assert annotation.note == note  # stored as written


def test_an_unknown_engine_is_a_configuration_error(settings):
    from corpus.markup import render_markdown

    settings.CROSSREAD_SANITIZER = "tidy"
    with pytest.raises(ValueError, match="CROSSREAD_SANITIZER must be one of"):
        render_markdown("**x** <b>")


def elements_of(html: str) -> list[tuple[str, list]]:
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found
