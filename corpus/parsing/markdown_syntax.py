"""The markdown the parser reads in a file, found in time linear in its length.

Each function here gives exactly what the regular expression in its docstring
gives, which the parser used before. Those expressions restart their scan at every
"[", "](" or "#" that does not lead to a match, and re-read the rest of the text
each time: a file of unclosed brackets, or a heading line with a long run of spaces
in it, took minutes. Here a failed scan is never repeated from inside the stretch
it already read.
"""

from __future__ import annotations

import re

_LINK_TEXT = re.compile(r"[^\]]*")
_LINK_TEXT_ON_LINE = re.compile(r"[^\]\n]*")
_DESTINATION = re.compile(r"[^)]*")
_DESTINATION_WORD = re.compile(r"[^)\s]*")
_EMPTY_DESTINATION = re.compile(r"\(\s*#?\s*\)")
_STRONG_SIGNAL = re.compile(r"\*\*\S")
_HEADING_OPENING = re.compile(r"(#{1,6})(\s+)")

# (?<!\\)(?:\*+|(?<!\w)_+|_+(?!\w)|`+), without the third branch's retry at every
# underscore of a run that a letter follows: a run matches there from its start,
# or from its second underscore when a backslash escapes the first.
EMPHASIS_MARKS = re.compile(r"(?<!\\)(?:\*+|(?<!\w)_+|(?<![_\\])_++(?!\w)|(?<=\\_)_++(?!\w)|`+)")


def has_inline_signal(text: str) -> bool:
    r"""Bold or a link: ``re.search(r"\*\*\S|\]\([^)\s]*\)", text)``."""
    if "**" in text and _STRONG_SIGNAL.search(text):
        return True
    position = 0
    while (start := text.find("](", position)) != -1:
        end = _DESTINATION_WORD.match(text, start + 2).end()
        if text.startswith(")", end):
            return True
        position = end  # every "](" before ``end`` stops at ``end`` too
    return False


def strip_dead_links(markup: str) -> str:
    r"""Links to nowhere as their text: ``re.sub(r"\[([^\]\n]+)\]\(\s*#?\s*\)", r"\1", markup)``."""
    if "](" not in markup:
        return markup
    pieces: list[str] = []
    done = 0  # markup[:done] is in pieces
    search = 0
    while (start := markup.find("[", search)) != -1:
        end = _LINK_TEXT_ON_LINE.match(markup, start + 1).end()
        if end == len(markup):
            break  # no "]" after this "[", nor after any later one on its line or after
        tail = _EMPTY_DESTINATION.match(markup, end + 1) if markup[end] == "]" else None
        if tail is not None and end > start + 1:
            pieces.append(markup[done:start])
            pieces.append(markup[start + 1 : end])
            done = search = tail.end()
        else:
            search = end  # every "[" before ``end`` fails the same way
    pieces.append(markup[done:])
    return "".join(pieces)


def strip_links(markup: str) -> str:
    r"""Links and images as their text: ``re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markup)``."""
    if "](" not in markup:
        return markup
    pieces: list[str] = []
    done = 0
    search = 0
    while (start := markup.find("[", search)) != -1:
        end = _LINK_TEXT.match(markup, start + 1).end()
        if end == len(markup):
            break  # no "]" after this "[": none after any later one either
        if not markup.startswith("(", end + 1):
            search = end
            continue
        close = _DESTINATION.match(markup, end + 2).end()
        if close == len(markup):
            break  # no ")" left: no later link can close either
        opening = start - 1 if start > done and markup[start - 1] == "!" else start
        pieces.append(markup[done:opening])
        pieces.append(markup[start + 1 : end])
        done = search = close + 1
    pieces.append(markup[done:])
    return "".join(pieces)


def markdown_heading(line: str) -> tuple[str, str] | None:
    r"""The marks and text of a heading line:
    ``re.match(r"^(#{1,6})\s+(.+?)\s*#*\s*$", line)`` as ``(group 1, group 2)``."""
    if "\n" in line:
        match = re.match(r"^(#{1,6})\s+(.+?)\s*#*\s*$", line)
        return (match[1], match[2]) if match else None
    opening = _HEADING_OPENING.match(line)
    if opening is None:
        return None
    rest_start = opening.end()
    if rest_start == len(line):
        # Only spaces after the marks: the text is the last of them, if there are two.
        if len(opening[2]) < 2:
            return None
        return opening[1], line[-1]
    # The text ends where the closing run of spaces, "#" and spaces begins.
    end = len(line)
    while end > rest_start and line[end - 1].isspace():
        end -= 1
    while end > rest_start and line[end - 1] == "#":
        end -= 1
    while end > rest_start and line[end - 1].isspace():
        end -= 1
    return opening[1], line[rest_start : max(end, rest_start + 1)]


def unwrap_emphasis(text: str) -> str:
    r"""Text without the emphasis that wraps all of it, as many times as it does:
    ``while m := re.match(r"^(\*\*|__|\*|_)(.+)\1$", text): text = m[2].strip()``."""
    if "\n" in text:  # "." stops at a line end: the expression, as it was
        while wrapped := re.match(r"^(\*\*|__|\*|_)(.+)\1$", text):
            text = wrapped[2].strip()
        return text
    start, end = 0, len(text)
    while True:
        for mark in ("**", "__", "*", "_"):
            size = len(mark)
            if (
                end - start > 2 * size
                and text.startswith(mark, start)
                and text.endswith(mark, start, end)
            ):
                start, end = start + size, end - size
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                break
        else:
            return text[start:end]
