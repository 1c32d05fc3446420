"""The bounds on Python-Markdown change nothing it renders in linear time.

Markup is compared with what Python-Markdown, set up as corpus.markup sets it up but
without the bounds, renders of it: random markup made of every piece of syntax
(short enough that no limit applies), and ordinary notes and paragraphs. Past the
limits, the markup the engine would have read for too long is shown as written.
"""

import random

import markdown
import pytest

from corpus import markup
from corpus.markup import html_to_text, render_markdown

SYNTAX = list("[[[]]](()))'\"``\\\\**__!<>&;# \n aab:/@.x-")
LINES = ["", "- ", "  - ", "    ", "> ", "> - ", "1. ", "# ", "## ", "---", "===", "[a]: /u"]


def unbounded(source: str) -> str:
    engine = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    engine.preprocessors.deregister("html_block")
    engine.inlinePatterns.deregister("html")
    return engine.convert(source)


def bounded(source: str) -> str:
    return markup._markdown().convert(source)


def engine_garbled(html: str) -> bool:
    """Python-Markdown leaks its own placeholders on some odd markup (emphasis or a
    link destination cut through an escape): such output is no reference."""
    return any(mark in html for mark in ("\x02", "\x03", "klzzwxh", "wzxhzdk"))


def random_markup(rng: random.Random, *, lines: bool) -> str:
    if not lines:
        return "".join(rng.choice(SYNTAX) for _ in range(rng.randint(1, 40)))
    return "\n".join(
        rng.choice(LINES) + "".join(rng.choice(SYNTAX[:-8]) for _ in range(rng.randint(0, 12)))
        for _ in range(rng.randint(1, 8))
    )


@pytest.mark.parametrize("lines", [False, True], ids=["inline", "blocks"])
def test_random_markup_renders_as_the_engine_renders_it(lines):
    rng = random.Random(20260611)
    for _ in range(1500):
        source = random_markup(rng, lines=lines)
        if rng.random() < 0.3:
            source = "[a]: /u\n[b]: /v 'T'\n\n" + source
        expected = unbounded(source)
        if not engine_garbled(expected):
            assert bounded(source) == expected, repr(source)


@pytest.mark.parametrize(
    "source",
    [
        "Some *emphasis*, **strong**, `code`, a [link](https://example.com/a_(b) 'title') "
        "and ![an image](/i.png), <https://example.com>, &amp; \\*escapes\\*.",
        "[reference][r] and [r], [unused][], [O'Brien](https://example.com/O'Brien) "
        "and [a [nested] link](/n)\n\n[r]: https://example.com/r",
        "# Title\n\nA paragraph  \nwith a break.\n\n- one\n- two\n    - nested\n\n"
        "1. first\n2. second\n\n> quoted\n> > twice\n\n    code [x](\n\n---\n\nSetext\n===",
        "[unclosed and (parenthesis and `tick and *star and _under and [[deep]]",
    ],
)
def test_ordinary_markdown_renders_as_the_engine_renders_it(source):
    assert bounded(source) == unbounded(source)


def test_a_long_paragraph_rendered_in_pieces_renders_as_a_whole():
    from corpus.markdown_bounds import PIECE_LENGTH

    sentence = "A *long* sentence with [a link](https://example.com/x) and `code`, " + 150 * "x"
    source = (sentence + ". ") * (4 * PIECE_LENGTH // len(sentence))
    assert bounded(source) == unbounded(source)


def test_unclosed_brackets_are_shown_as_written():
    assert html_to_text(render_markdown("[" * 3000 + "a", inline=True)) == "[" * 3000 + "a"


def test_brackets_nested_too_deep_are_shown_as_written_and_the_rest_still_links():
    html = render_markdown("[" * 10 + "a" + "]" * 10 + " [b](https://example.com)", inline=True)
    assert html_to_text(html) == "[" * 10 + "a" + "]" * 10 + " b"
    assert html.count("<a ") == 1


def test_past_the_inline_budget_markup_is_shown_as_written():
    html = render_markdown("*a* " * 10_000)
    assert 0 < html.count("<em>") < 10_000
    assert html_to_text(html).endswith("*a* *a*")


def test_headings_past_the_limit_in_one_block_stay_text():
    from corpus.markdown_bounds import MAX_BLOCK_SYNTAX_LINES

    html = render_markdown("#### a\n" * (MAX_BLOCK_SYNTAX_LINES + 10))
    assert html.count("<h4>") == MAX_BLOCK_SYNTAX_LINES
    assert "#### a" in html_to_text(html)


def test_quotes_past_the_nesting_limit_stay_text():
    from corpus.markdown_bounds import MAX_NESTING

    html = render_markdown("> " * (MAX_NESTING + 5) + "a")
    assert html.count("<blockquote>") == MAX_NESTING
    assert html_to_text(html) == "> " * 5 + "a"


def test_the_inline_patterns_are_those_whose_syntax_the_bounds_know():
    from corpus.markdown_bounds import INLINE_PATTERNS

    patterns = markup._markdown().inlinePatterns
    assert len(patterns) == len(INLINE_PATTERNS)
    assert all(name in patterns for name in INLINE_PATTERNS)


def test_the_characters_the_bounds_stand_in_for_never_leak():
    html = render_markdown("a \ufdd0 b \ufdef c [", inline=True)
    assert html == "a \ufffd b \ufffd c ["
