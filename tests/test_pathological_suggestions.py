"""Passages built to make the suggestion patterns backtrack take linear time.

A security probe found "(Syria, Iran, Russia, ...)" doubling the time of a suggestion
with each name. Each case of ``annotations.citations.pathological`` aims at one shape
the patterns could stumble on; here every one must take under 200 ms at 10,000
characters, and doubling the passage must not more than triple the time (quadratic
time would quadruple it). No database: the region matcher is built from the gazetteer
records themselves.
"""

import math
import signal
import time
from collections.abc import Callable

import pytest

from annotations.anchoring import locate
from annotations.citations import parse_citations, parse_reference, suggest_source
from annotations.citations.pathological import (
    CASES,
    COUNTRIES,
    PASSAGE_CHARS,
    huge_reference_entry,
    known_source_matcher,
    pathological_timings,
    synthetic_references,
)
from annotations.gazetteer import RegionMatcher, gazetteer_records
from tests.citation_helpers import reference_entries

LIMIT = 0.2  # seconds per call on a 10,000-character passage
# Below this a measurement is mostly the timer's and the machine's noise: the growth
# check doubles the passage until the smaller one takes at least this long.
MEASURABLE = 0.003
LONGEST = 80_000  # characters: the growth check goes no further


@pytest.fixture(autouse=True)
def fail_rather_than_hang():
    """A pattern that backtracks exponentially runs for hours: fail after 20 seconds
    instead (the regex engine checks for signals as it runs)."""

    def expire(signum, frame):
        raise TimeoutError("still running after 20 s: exponential backtracking?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, 20)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def matcher():
    return known_source_matcher()


@pytest.fixture(scope="module")
def references():
    """The academic seed's reference list, and 200 entries of one year whose authors
    share a first letter with the cited names: the most comparisons per citation."""
    entries = reference_entries() + synthetic_references(200)
    suggest_source("", matcher=None, references=entries)  # parsed once, as in use
    return entries


@pytest.fixture(scope="module")
def region_matcher():
    return RegionMatcher(
        (index, record["name"], record["aliases"], record["demonyms"])
        for index, record in enumerate(gazetteer_records())
    )


def best_of(runs: int, call: Callable[[str], object], text: str) -> float:
    """The least CPU time of ``runs`` calls. CPU time, not wall time: when the suite
    shares the machine, a call of 10 ms is preempted at every run and one of 3 ms only
    sometimes, which skews the growth ratio in wall time though the work is linear."""
    best = math.inf
    for _ in range(runs):
        started = time.process_time()
        call(text)
        best = min(best, time.process_time() - started)
    return best


def assert_linear(call: Callable[[str], object], build: Callable[[int], str]) -> None:
    """Doubling the input must not more than triple the time, measured on an input
    large enough to take a few milliseconds, as the best of interleaved runs.

    A quadratic cost quadruples the time at every attempt; a busy machine (the suite
    may share it) slows one run now and then, so the pair is measured again, up to
    three times, before the test fails.
    """
    chars = PASSAGE_CHARS
    estimate = best_of(2, call, build(chars))
    while estimate < MEASURABLE and 2 * chars < LONGEST:
        chars, estimate = 2 * chars, 2 * estimate
    small, large = build(chars), build(2 * chars)
    times = {small: math.inf, large: math.inf}
    for _attempt in range(3):
        for _ in range(3):
            for text in times:
                times[text] = min(times[text], best_of(1, call, text))
        if times[large] <= 3 * times[small] + 0.0005:
            return
    pytest.fail(
        f"{chars} characters: {times[small] * 1000:.1f} ms; "
        f"{2 * chars}: {times[large] * 1000:.1f} ms"
    )


CASE_IDS = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_suggesting_a_source_for_a_pathological_passage_takes_under_200_ms(
    case, matcher, references
):
    passage = case.build(PASSAGE_CHARS)
    assert len(passage) == PASSAGE_CHARS
    seconds = best_of(
        3, lambda text: suggest_source(text, matcher=matcher, references=references), passage
    )
    assert seconds < LIMIT, f"{seconds * 1000:.0f} ms"


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_finding_regions_in_a_pathological_passage_takes_under_200_ms(case, region_matcher):
    seconds = best_of(3, region_matcher.region_ids, case.build(PASSAGE_CHARS))
    assert seconds < LIMIT, f"{seconds * 1000:.0f} ms"


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_suggestion_time_grows_linearly_with_the_passage(case, matcher, references):
    assert_linear(
        lambda text: suggest_source(text, matcher=matcher, references=references), case.build
    )


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_region_time_grows_linearly_with_the_passage(case, region_matcher):
    assert_linear(region_matcher.region_ids, case.build)


def test_the_reported_list_of_thirty_countries_takes_well_under_a_millisecond_a_name(
    matcher, references
):
    passage = "(" + ", ".join(COUNTRIES[:30]) + ")"  # took hours before
    seconds = best_of(
        3, lambda text: suggest_source(text, matcher=matcher, references=references), passage
    )
    assert seconds < 0.03
    assert parse_citations(passage) == []


def test_names_in_parentheses_still_make_a_citation_once_a_year_follows():
    names = ", ".join(f"Author{letter}" for letter in "ABCDEFGHIJKLMNOPQRST")
    [citation] = parse_citations(f"({names}, & Smith, 2019, pp. 3 - 4 ,  7)")
    assert len(citation.surnames) == 21
    assert citation.surnames[-1] == "Smith"
    assert (citation.year, citation.pages) == (2019, "3-4, 7")


def test_parsing_a_10000_character_reference_entry_is_fast_and_joins_its_url():
    entry = huge_reference_entry(PASSAGE_CHARS)
    seconds = best_of(3, parse_reference, entry)
    reference = parse_reference(entry)
    assert seconds < LIMIT
    assert (reference.surnames, reference.year) == (["Smith", "Doe"], 2019)
    start = entry.index("http://")
    assert reference.url == entry[start:].replace(" ", "")  # every piece joined
    assert_linear(parse_reference, huge_reference_entry)


def test_anchoring_a_quote_that_overlaps_itself_is_linear():
    def anchor(text: str) -> None:
        locate(text, exact=text[: len(text) // 2], prefix="a", suffix="a")

    assert best_of(3, anchor, "a" * PASSAGE_CHARS) < LIMIT
    assert_linear(anchor, lambda chars: "a" * chars)
    assert_linear(anchor, lambda chars: "ab" * (chars // 2))


def test_probe_times_every_case_at_10000_characters(region_matcher):
    timings = pathological_timings(region_matcher=region_matcher)
    cases = {timing.case for timing in timings}
    assert {f"suggest_source: {case.name}" for case in CASES} <= cases
    assert {f"region_ids: {case.name}" for case in CASES} <= cases
    assert "parse_reference: one huge entry" in cases
    assert all(timing.chars == PASSAGE_CHARS for timing in timings)
    assert all(timing.seconds < LIMIT for timing in timings), [
        timing for timing in timings if timing.seconds >= LIMIT
    ]
