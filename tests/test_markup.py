"""The sanitizer: both engines (bleach and nh3) keep the same promises."""

import pytest

from corpus.markup import ENGINES, html_to_text, render_markdown, sanitize_html

pytestmark = pytest.mark.parametrize("engine", ENGINES)


def test_markdown_emphasis_and_links_render(engine):
    html = render_markdown(
        "*very* **bold** [RAND](https://www.rand.org/)", inline=True, engine=engine
    )
    assert "<em>very</em>" in html and "<strong>bold</strong>" in html
    assert 'href="https://www.rand.org/"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert html_to_text(html) == "very bold RAND"


def test_raw_html_in_markdown_is_shown_as_text(engine):
    html = render_markdown(
        "a <script>alert(1)</script> b <b onmouseover=x>c</b>", inline=True, engine=engine
    )
    assert "<script" not in html and "<b " not in html
    assert html_to_text(html) == "a <script>alert(1)</script> b <b onmouseover=x>c</b>"


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        "![x](javascript:alert(1))",
    ],
)
def test_dangerous_link_schemes_are_dropped(engine, source):
    html = render_markdown(source, engine=engine)
    lowered = html.lower()
    assert "javascript:" not in lowered and "vbscript:" not in lowered and "data:" not in lowered
    assert "<img" not in lowered


@pytest.mark.parametrize(
    "dirty",
    [
        '<img src=x onerror="alert(1)">',
        "<svg onload=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=//evil></iframe>",
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<scr<script>ipt>alert(1)</script>",
    ],
)
def test_sanitizer_removes_scriptable_markup(engine, dirty):
    clean = sanitize_html(dirty, engine=engine).lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "<svg",
        "<iframe",
        "javascript:",
        "style=",
        "<img",
    ):
        assert needle not in clean


def test_block_markdown_for_notes(engine):
    html = render_markdown("# Title\n\n- one\n- two\n\n> quoted", engine=engine)
    assert "<ul>" in html and "<li>one</li>" in html and "<blockquote>" in html
    assert "<h1>" not in html  # headings above h4 would fight the page's own


def test_a_leading_number_is_not_an_ordered_list_in_a_paragraph(engine):
    html = render_markdown("1979. The revolution changed the region.", inline=True, engine=engine)
    assert "<ol" not in html and html_to_text(html) == "1979. The revolution changed the region."


@pytest.mark.parametrize(
    "html",
    [
        "<em>a</em> &amp; <strong>b</strong>",
        "<p>one<br>two</p><ul><li>x</li></ul>",
        "plain &lt;script&gt; text",
    ],
)
def test_html_of_bare_allowed_tags_comes_back_as_the_sanitizer_would_return_it(engine, html):
    import nh3

    from corpus import markup

    if engine == "bleach":
        by_engine = markup._bleach_cleaner(markup.BLOCK_TAGS).clean(html)
    else:
        by_engine = nh3.clean(html, tags=set(markup.BLOCK_TAGS), link_rel=None)
    assert sanitize_html(html, engine=engine) == html == by_engine


@pytest.mark.parametrize(
    "html",
    [
        "<em>unclosed",
        "<em>a</strong>",
        "a <script>x</script>",
        "<b onclick=x>b</b>",
        "a < b <img",
        "&bogus",
    ],
)
def test_anything_else_goes_through_the_engine(engine, html):
    from corpus.markup import _only_bare_tags

    assert not _only_bare_tags(html, frozenset({"em", "strong", "b", "p", "br"}))
    assert "<script" not in sanitize_html(html, engine=engine)
