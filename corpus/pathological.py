"""The worst inputs for markup rendering and import, and how long they take.

Each shape repeats one construct that made Python-Markdown or the parser
re-read text super-linearly before it was bounded (see ``corpus.markdown_bounds``
and ``corpus.parsing.markdown_syntax``). ``pathological_timings()`` measures them
for the team's benchmark: every note shape at a note's maximum length, and every
import shape as a file of about a megabyte (the work of an import without its
database write, which is linear in the number of paragraphs whatever they hold).
"""

from __future__ import annotations

import gc
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NOTE_MAX_LENGTH = 20_000  # annotations.forms: the note field's max_length


def repeat(unit: str, length: int) -> str:
    """``unit`` repeated to exactly ``length`` characters."""
    return (unit * (length // len(unit) + 1))[:length]


def _nested(opening: str, closing: str, length: int) -> str:
    half = length // (len(opening) + len(closing))
    return opening * half + closing * half


def _lines(make_line: Callable[[int], str], length: int) -> str:
    lines: list[str] = []
    size = 0
    index = 0
    while size < length:
        line = make_line(index) + "\n"
        lines.append(line)
        size += len(line)
        index += 1
    return "".join(lines)[:length]


def _ticks(length: int) -> str:
    """Backtick runs of growing length, none closed by a run of its own length."""
    runs: list[str] = []
    size = 0
    count = 1
    while size < length:
        runs.append("`" * count + "a")
        size += count + 1
        count += 1
    return "".join(runs)[:length]


_PROSE = "The *quick* fox [jumps](https://example.com/x) over the **lazy** dog & `cat`. "

# Markdown a note (block markdown) or a paragraph (inline markdown) may hold.
NOTE_SHAPES: dict[str, Callable[[int], str]] = {
    "nested brackets": lambda n: _nested("[", "]", n),
    "open brackets": lambda n: "[" * n,
    "link openings": lambda n: repeat("[a](", n),
    "links": lambda n: repeat("[a](b) ", n),
    "unclosed link titles": lambda n: repeat('[a](b "c) ', n),
    "quotes in destinations": lambda n: repeat("[a](b') ", n),
    "references": lambda n: repeat("[x][y]", n),
    "reference openings": lambda n: repeat("[x][", n),
    "image openings": lambda n: repeat("![a](", n),
    "nested images": lambda n: _nested("![", "]", n),
    "entities": lambda n: repeat("&amp;", n),
    "numeric entities": lambda n: repeat("&#123;", n),
    "emphasis": lambda n: repeat("*a* ", n),
    "mixed emphasis": lambda n: repeat("*_", n),
    "strong emphasis": lambda n: repeat("**a** ", n),
    "backticks": lambda n: "`" * n,
    "code spans": lambda n: repeat("`a` ", n),
    "backtick runs": _ticks,
    "autolinks": lambda n: repeat("<http://a> ", n),
    "angle brackets": lambda n: "<" * n,
    "backslashes": lambda n: "\\" * n,
    "escaped brackets": lambda n: repeat("\\[", n),
    "deep list": lambda n: _lines(lambda i: "  " * i + "- a", n),
    "deep quote": lambda n: repeat("> ", n),
    "quoted lists": lambda n: repeat("> - ", n),
    "list item over a sub-list": lambda n: "- " + repeat("*a* ", n - 10) + "\n    - b",
    "headings": lambda n: repeat("# a\n", n),
    "setext headings": lambda n: repeat("a\n=\n", n),
    "rules": lambda n: repeat("* * *\n", n),
    "reference definitions amid text": lambda n: repeat("[a]: /u\nb\n", n),
    "one long line": lambda n: repeat("word ", n),
    "short lines": lambda n: repeat("a\n", n),
    "paragraphs": lambda n: repeat("a\n\n", n),
    "line breaks": lambda n: repeat("a  \n", n),
    "prose": lambda n: repeat(_PROSE, n),
}

# Bodies of article files; each is imported as markdown (under a "# " title) and as
# plain text (under a plain title line), unless its own syntax makes it markdown.
IMPORT_SHAPES: dict[str, Callable[[int], str]] = {
    **{
        name: NOTE_SHAPES[name]
        for name in (
            "nested brackets",
            "open brackets",
            "link openings",
            "references",
            "image openings",
            "entities",
            "emphasis",
            "mixed emphasis",
            "code spans",
            "backslashes",
            "angle brackets",
            "deep list",
            "one long line",
            "short lines",
            "prose",
        )
    },
    "prose paragraphs": lambda n: repeat(_PROSE + "\n\n", n),
    "heading with a run of spaces": lambda n: "## a" + " " * (n - 6) + "b",
    "heading with a run of hashes": lambda n: "## a" + "#" * (n - 6) + "b",
    "emphasis-wrapped heading": lambda n: "## " + "**" * (n // 4) + "x" + "**" * (n // 4),
    "unfinished paragraphs": lambda n: repeat("word\n\n", n),
    "list item continued on many lines": lambda n: "- a\n" + repeat("b\n", n - 4),
    "reference continued on many lines": lambda n: (
        "## References\n\n[1] Entry\n" + repeat("continuation line\n", n - 30)
    ),
    "running headers": lambda n: repeat("The Title Of The Article ... text\n", n),
    "run of underscores": lambda n: "a" + "_" * (n - 2) + "a",
    "link signal openings": lambda n: repeat("](a", n),
    "spaces before an ellipsis": lambda n: "a" + " " * (n - 6) + "b ...",
}


def note_source(shape: str, length: int = NOTE_MAX_LENGTH) -> str:
    return NOTE_SHAPES[shape](length)


def article_file_text(shape: str, size: int, *, markdown: bool) -> str:
    """The text of an article file of about ``size`` characters."""
    title = "# The Title Of The Article" if markdown else "The Title Of The Article"
    return f"{title}\n\n{IMPORT_SHAPES[shape](size)}\n"


@dataclass(frozen=True)
class Timing:
    case: str
    size: int
    seconds: float


def time_note(source: str, *, repeats: int = 3) -> float:
    """The best of ``repeats`` renderings of ``source`` as a note, in seconds."""
    from corpus.markup import render_markdown  # the shapes alone need no Django

    gc.collect()
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        render_markdown(source)
        best = min(best, time.perf_counter() - started)
    return best


def time_import_work(text: str, *, suffix: str = ".md") -> float:
    """Seconds to read, parse and render ``text`` as the importer does a file."""
    from corpus.services import prepare_article_file

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"article{suffix}"
        path.write_text(text, encoding="utf-8")
        gc.collect()
        started = time.perf_counter()
        prepared = prepare_article_file(path)
        seconds = time.perf_counter() - started
    if prepared.error:
        raise ValueError(f"the importer refused the file: {prepared.error}")
    return seconds


def pathological_timings(
    *, note_length: int = NOTE_MAX_LENGTH, file_size: int = 1_000_000
) -> list[Timing]:
    """How long every worst note takes to render at ``note_length`` characters, and
    every worst file takes to import (without the database write) at ``file_size``."""
    timings = [
        Timing(f"note: {shape}", note_length, time_note(note_source(shape, note_length)))
        for shape in NOTE_SHAPES
    ]
    for shape in IMPORT_SHAPES:
        for markdown in (True, False):
            text = article_file_text(shape, file_size, markdown=markdown)
            kind = "markdown" if markdown else "plain"
            seconds = time_import_work(text, suffix=".md" if markdown else ".txt")
            timings.append(Timing(f"import ({kind} file): {shape}", len(text), seconds))
    return timings
