"""Finding the known sources a passage names (no database)."""

import time

import pytest

from annotations.citations import KNOWN_SOURCES, SourceMatcher
from tests.citation_helpers import (
    academic_paragraphs,
    known_source_matcher,
    reference_entries,
    source_id,
)


@pytest.fixture(scope="module")
def matcher() -> SourceMatcher:
    return known_source_matcher()


def test_matcher_finds_the_washington_post_in_the_global_research_article(matcher):
    text = 'The Washington Post in its article, "Syria\'s Assad visits Iran in rare trip abroad," would admit:'
    [match] = matcher.find(text)
    assert match.source_id == source_id("The Washington Post")
    assert (match.start, match.end, match.text) == (0, 19, "The Washington Post")


@pytest.mark.parametrize(
    "text", ["The RAND paper itself would note:", "RAND also noted Iran's preference"]
)
def test_matcher_finds_rand_in_capitals(matcher, text):
    [match] = matcher.find(text)
    assert (match.source_id, match.text) == (source_id("RAND Corporation"), "RAND")


@pytest.mark.parametrize(
    "text",
    ["a rand of land", "a brand new report", "Rand Paul said so", "the un-American way"],
)
def test_matcher_needs_capitals_for_short_aliases_and_whole_words(matcher, text):
    assert matcher.find(text) == []


def test_matcher_ignores_a_leading_the_and_case(matcher):
    washington_post = source_id("The Washington Post")
    for text in ("reported by Washington Post staff", "the washington post wrote"):
        assert [match.source_id for match in matcher.find(text)] == [washington_post]


def test_matcher_accepts_possessives(matcher):
    matches = matcher.find("RAND's study and the Washington Post’s reporters")
    assert [match.text for match in matches] == ["RAND", "the Washington Post"]


def test_matcher_prefers_the_longest_name_in_text_order(matcher):
    text = "the RAND Corporation's 2009 publication, cited by the U.N. and Al-Jazeera"
    matches = matcher.find(text)
    assert [match.text for match in matches] == ["RAND Corporation", "U.N.", "Al-Jazeera"]
    assert [match.source_id for match in matches] == [
        source_id("RAND Corporation"),
        source_id("United Nations"),
        source_id("Al Jazeera"),
    ]
    assert all(text[match.start : match.end] == match.text for match in matches)


def test_matcher_finds_the_sources_the_paper_names(matcher):
    text = "\n".join(reference_entries())
    names = {KNOWN_SOURCES[match.source_id]["name"] for match in matcher.find(text)}
    assert {
        "The Washington Institute for Near East Policy",
        "Institut Montaigne",
        "Chatham House",
        "Belfer Center for Science and International Affairs",
    } <= names


def test_matcher_stays_fast_with_thousands_of_sources():
    many = SourceMatcher(
        (index, f"Institute of {word} Studies {index}", [f"Centre {index} of {word}"])
        for index, word in enumerate(["Strategic", "Regional", "Eurasian"] * 1000)
    )
    paragraphs = academic_paragraphs()
    started = time.perf_counter()
    for paragraph in paragraphs:
        many.find(paragraph)
    elapsed = time.perf_counter() - started
    print(f"\n3000 sources, {len(paragraphs)} paragraphs: {elapsed * 1000:.1f} ms")
    assert elapsed < 2
    assert [m.source_id for m in many.find("the Institute of Regional Studies 4 said")] == [4]
