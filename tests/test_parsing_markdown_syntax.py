"""The parser's markdown helpers: what the regular expressions gave, in linear time."""

import random
import re
import time

import pytest

from corpus.parsing import markdown_syntax, parse_document
from corpus.parsing.document import strip_running_headers


def _unwrapped(text: str) -> str:
    while wrapped := re.match(r"^(\*\*|__|\*|_)(.+)\1$", text):
        text = wrapped[2].strip()
    return text


def _heading(line: str):
    match = re.match(r"^(#{1,6})\s+(.+?)\s*#*\s*$", line)
    return (match[1], match[2]) if match else None


# helper, the expression it replaces, and the characters to make test strings of
CASES = {
    "has_inline_signal": (
        lambda text: bool(re.search(r"\*\*\S|\]\([^)\s]*\)", text)),
        "*]()[ a\n\t",
    ),
    "strip_dead_links": (
        lambda text: re.sub(r"\[([^\]\n]+)\]\(\s*#?\s*\)", r"\1", text),
        "[]()# \n\ta!",
    ),
    "strip_links": (lambda text: re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text), "[]()!a \n"),
    "markdown_heading": (_heading, "####  \t\u00a0a#b"),
    "unwrap_emphasis": (_unwrapped, "**__ a\t\u00a0"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_helper_gives_what_its_regular_expression_gave(name):
    expression, alphabet = CASES[name]
    helper = getattr(markdown_syntax, name)
    rng = random.Random(name)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert helper(text) == expression(text), repr(text)


def test_emphasis_marks_match_what_the_old_expression_matched():
    old = re.compile(r"(?<!\\)(?:\*+|(?<!\w)_+|_+(?!\w)|`+)")
    rng = random.Random("emphasis")
    for _ in range(5000):
        text = "".join(rng.choice("*_`\\a ._é") for _ in range(rng.randint(0, 14)))
        assert markdown_syntax.EMPHASIS_MARKS.sub("", text) == old.sub("", text), repr(text)


def test_running_headers_are_cut_as_before():
    title = "The Military & Security Cooperation between Iran and Syria"
    line = "which the The Military & Security Cooperation between ... report said"
    assert strip_running_headers(line, title) == "which the report said"
    assert strip_running_headers("nothing ... here", title) == "nothing ... here"


@pytest.mark.parametrize(
    "text",
    [
        "## a" + " " * 100_000 + "b",  # took minutes: the heading expression backtracked
        "## " + "**" * 50_000 + "x" + "**" * 50_000,
        "[a" * 100_000,
        "](a" * 100_000,
        "a" + "_" * 200_000 + "a",
        "The Title ... " * 20_000,
        "word\n\n" * 30_000,
    ],
)
def test_the_parser_reads_a_pathological_file_in_linear_time(text):
    started = time.perf_counter()
    parse_document("# The Title Of The Article\n\n" + text)
    assert time.perf_counter() - started < 2


def test_a_paragraph_cut_in_many_pieces_is_joined_whole():
    parsed = parse_document("Title\n\n" + "\n\n".join(["word"] * 50 + ["end."]))
    assert [paragraph.markup for paragraph in parsed.paragraphs] == [
        " ".join(["word"] * 50) + " end."
    ]
