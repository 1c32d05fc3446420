"""Passages built to make the suggestion patterns backtrack, and how long they take.

Every regular expression that reads a selected passage must take time linear in the
passage: a security probe found the parenthetical citation pattern doubling its time
with each name of "(Syria, Iran, Russia, ...)". Each case below aims at one shape the
patterns could stumble on (ambiguous separators, long runs, near misses, a huge word);
``tests/test_pathological_suggestions.py`` asserts on them, and the benchmark command
prints ``pathological_timings()``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import cycle, islice, product
from typing import Protocol

from annotations.anchoring import locate
from annotations.citations.known_sources import KNOWN_SOURCES
from annotations.citations.references import parse_reference
from annotations.citations.source_matcher import SourceMatcher
from annotations.citations.suggest import suggest_source

PASSAGE_CHARS = 10_000

COUNTRIES = (
    *("Syria", "Iran", "Russia", "Turkey", "Iraq", "Lebanon", "Jordan", "Israel", "Egypt"),
    *("Yemen", "Oman", "Qatar", "Kuwait", "Bahrain", "Libya", "Tunisia", "Algeria"),
    *("Morocco", "Sudan", "Cyprus", "Greece", "Armenia", "Georgia", "Azerbaijan"),
    *("Pakistan", "India", "China", "Japan", "France", "Germany", "Saudi Arabia"),
)


@dataclass(frozen=True, slots=True)
class Timing:
    case: str
    chars: int
    seconds: float


@dataclass(frozen=True, slots=True)
class PathologicalCase:
    """A named passage shape; ``build(chars)`` gives a passage of exactly that length."""

    name: str
    build: Callable[[int], str]


class _RegionIds(Protocol):
    def region_ids(self, text: str) -> list: ...


def _repeat(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def _groups(inner: str, chars: int, *, group_chars: int = 390) -> str:
    """``inner`` repeated inside parentheses of about ``group_chars`` characters (the
    citation parser reads parentheses of up to 400), the groups repeated to ``chars``."""
    return _repeat("(" + _repeat(inner, group_chars - 3) + ") ", chars)


def _distinct_names(count: int) -> list[str]:
    """Surnames that differ and share their first letter, so that no cache helps and
    every one is compared with every synthetic reference of its year."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["S" + "".join(pair) + "ith" for pair in islice(product(letters, repeat=3), count)]


def _country_list(chars: int) -> str:
    names = ", ".join(islice(cycle(COUNTRIES), 40))
    return _repeat(f"({names}) ", chars)


def _distinct_citations(chars: int) -> str:
    names = _distinct_names(chars // 14 + 1)
    return "".join(f"({name}, 2019) " for name in names)[:chars]


def huge_reference_entry(chars: int) -> str:
    """A reference entry whose URL goes on in pieces cut by spaces (as PDF extraction
    cuts them at line ends: "/page.ht ml"), which the parser joins again."""
    head = 'Smith, John & Jane Doe (2019), "A Long Title," Journal, http://www.example.org/a'
    return head + _repeat(" /v.ht ml", chars - len(head))


CASES: tuple[PathologicalCase, ...] = (
    # The reported one: a list of names without a year, 40 to a pair of parentheses.
    PathologicalCase("country names in parentheses, no year", _country_list),
    PathologicalCase(
        "one parenthesis of country names, never closed",
        lambda chars: ("(" + _repeat(", ".join(COUNTRIES) + ", ", chars))[:chars],
    ),
    PathologicalCase(
        "country names with '&' and 'and', no year",
        lambda chars: _groups("Syria & Iran and Russia, & Turkey, and ", chars),
    ),
    PathologicalCase(
        "open parenthesis then 'Smith, ' repeated", lambda c: "(" + _repeat("Smith, ", c - 1)
    ),
    PathologicalCase("'Smith, ' repeated in parentheses", lambda c: _groups("Smith, ", c)),
    PathologicalCase("capitalised words", lambda c: _repeat("Grajewski Nejat Mohseni ", c)),
    PathologicalCase(
        "capitalised words before a parenthesis without a year",
        lambda c: _repeat("As Abdollah Khani Jafari Valadani and Rafiei Basiri et al. (p. 4) ", c),
    ),
    PathologicalCase("'et al.' repeated", lambda c: _repeat("Mohseni et al. ", c)),
    PathologicalCase("'et al.' repeated in parentheses", lambda c: _groups("Mohseni et al., ", c)),
    PathologicalCase(
        "spaces inside parentheses", lambda c: _repeat("(Smith" + " " * 380 + ",x) ", c)
    ),
    PathologicalCase("spaces", lambda c: "Smith" + " " * (c - 10) + "(2019"),
    PathologicalCase("newlines and spaces", lambda c: _repeat("Nejat \n \n", c)),
    PathologicalCase("commas inside parentheses", lambda c: _groups("Smith ,, ", c)),
    PathologicalCase("'&' inside parentheses", lambda c: _groups("Smith & & ", c)),
    PathologicalCase("'and' inside parentheses", lambda c: _groups("Smith and and ", c)),
    PathologicalCase("years without names", lambda c: _groups("2019, ", c)),
    PathologicalCase(
        "page list that ends badly",
        lambda c: _repeat("(Nejat, 2014, pp. " + _repeat("1 - 2 ,   ", 360) + "x) ", c),
    ),
    PathologicalCase("the same citation many times", lambda c: _repeat("(Smith, 2019) ", c)),
    PathologicalCase("distinct citations against 200 references", _distinct_citations),
    PathologicalCase(
        "narrative citations and parentheses interleaved",
        lambda c: _repeat("(Nejat, 2014) Grajewski (2021) ", c),
    ),
    PathologicalCase("one huge reference entry", huge_reference_entry),
    PathologicalCase("a 10,000-character word", lambda c: "A" + "a" * (c - 1)),
    PathologicalCase("a hyphenated word", lambda c: "A" + _repeat("-ab", c - 1)),
    PathologicalCase(
        "unicode capitals", lambda c: _groups("Ćurić, Łódź Żółć, Ōtsuka Ārif, Ψυχή, ", c)
    ),
    PathologicalCase(
        "officials without a reporting verb",
        lambda c: _repeat("U.S. officials in Damascus have repeatedly ", c),
    ),
    PathologicalCase("'according to' repeated", lambda c: _repeat("according to some ", c)),
    PathologicalCase(
        "titled officials without a reporting verb",
        lambda c: _repeat("Foreign Minister Sergei Viktorovich Lavrov Junior, of Moscow, ", c),
    ),
    PathologicalCase(
        "near misses of known source names",
        lambda c: _repeat("The Washington Institute for Near East Royal Institute of ", c),
    ),
    PathologicalCase(
        "a known source name and a run of spaces", lambda c: "Washington" + " " * (c - 10)
    ),
    PathologicalCase(
        "near misses of region names",
        lambda c: _repeat("Persian Syrian Arab Golan Republic of the South ", c),
    ),
    PathologicalCase(
        "region names in capitals and mixed case",
        lambda c: _repeat("UK UAE USA U.S. U.S.A Turkey TURKEY turkey TuRkEy ", c),
    ),
    PathologicalCase("hyphens", lambda c: _repeat("Iran-", c)),
)


def known_source_matcher() -> SourceMatcher:
    """A matcher over ``KNOWN_SOURCES``, each source's id being its index in the list."""
    return SourceMatcher(
        (index, source["name"], source["aliases"]) for index, source in enumerate(KNOWN_SOURCES)
    )


def synthetic_references(count: int = 200) -> list[str]:
    """A reference list of ``count`` entries of one year whose first authors share a
    first letter with the cited names of the cases: the most comparisons per citation."""
    return [
        f'{name}, John & Jane Doe (2019), "Study number {number}," Journal {number}, pp. 1-20.'
        for number, name in enumerate(_distinct_names(count))
    ]


def best_seconds(call: Callable[[], object], *, runs: int = 3) -> float:
    """The fastest of ``runs`` calls: the work itself, without the machine's noise."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def _once(call: Callable[[], object]) -> float:
    return best_seconds(call, runs=1)


def pathological_timings(
    *,
    chars: int = PASSAGE_CHARS,
    references: Sequence[str] | None = None,
    region_matcher: _RegionIds | None = None,
) -> list[Timing]:
    """One suggestion call on each case at ``chars`` characters, and parsing, anchoring
    (and, given a ``RegionMatcher``, region finding) on the worst inputs for them.

    The region matcher is a parameter because ``annotations.gazetteer`` imports Django,
    which this package does not.
    """
    matcher = known_source_matcher()
    entries = list(references) if references is not None else synthetic_references()
    suggest_source("", matcher=matcher, references=entries)  # parse the list once, as in use
    timings = []
    for case in CASES:
        passage = case.build(chars)
        seconds = _once(lambda p=passage: suggest_source(p, matcher=matcher, references=entries))
        timings.append(Timing(f"suggest_source: {case.name}", len(passage), seconds))
        if region_matcher is not None:
            seconds = _once(lambda p=passage: region_matcher.region_ids(p))
            timings.append(Timing(f"region_ids: {case.name}", len(passage), seconds))
    entry = huge_reference_entry(chars)
    timings.append(
        Timing("parse_reference: one huge entry", chars, _once(lambda: parse_reference(entry)))
    )
    text, quote = "a" * chars, "a" * (chars // 2)
    seconds = _once(lambda: locate(text, exact=quote, prefix="a", suffix="a"))
    timings.append(Timing("locate: a quote that overlaps itself", chars, seconds))
    return timings
