"""What the annotation form proposes as the source of a passage: known sources,
citations with and without a reference, attributions to officials (no database)."""

import time

import pytest

from annotations.citations import SourceMatcher, suggest_source
from tests.citation_helpers import (
    NEJAT_2014,
    NEJAT_2014_TITLE,
    academic_paragraphs,
    known_source_matcher,
    paragraph_with,
    reference_entries,
    source_id,
)


@pytest.fixture(scope="module")
def matcher() -> SourceMatcher:
    return known_source_matcher()


def test_unnamed_officials_are_proposed_as_an_anonymous_source(matcher):
    passage = (
        "U.S. officials said Trump's decision authorizing a small number of U.S. troops to "
        "stay is a key step in creating a larger multinational observer force"
    )
    [suggestion] = suggest_source(passage, matcher=matcher, references=[])
    assert suggestion.reason == "attribution"
    assert suggestion.kind == "anonymous"
    assert suggestion.name == "U.S. officials (unnamed)"
    assert suggestion.text == "U.S. officials said"
    assert suggestion.source_id is None
    assert suggestion.new_source["kind"] == "anonymous"


@pytest.mark.parametrize(
    ("passage", "name"),
    [
        (
            "A senior U.S. official, speaking on condition of anonymity, said",
            "U.S. officials (unnamed)",
        ),
        (
            "Some Iranian officials have expressed doubt about Tehran's support",
            "Iranian officials (unnamed)",
        ),
        (
            "Tel Aviv officials have repeatedly warned of the possibility",
            "Tel Aviv officials (unnamed)",
        ),
        ("Officials said the talks would resume.", "Officials (unnamed)"),
        (
            "according to some field reports from informed sources, 50% of the members",
            "Sources (unnamed)",
        ),
    ],
)
def test_attribution_names_are_plural_and_qualified(passage, name):
    [suggestion] = suggest_source(passage, matcher=None, references=[])
    assert (suggestion.name, suggestion.kind) == (name, "anonymous")


def test_kremlin_spokesman_is_a_titled_official(matcher):
    suggestions = suggest_source(
        "Kremlin spokesman Dmitry Peskov told reporters", matcher=matcher, references=[]
    )
    assert [(s.reason, s.name, s.kind) for s in suggestions] == [
        ("named", "The Kremlin", None),
        ("attribution", "Dmitry Peskov", "official"),
    ]


def test_titled_official_is_proposed_as_an_official():
    [suggestion] = suggest_source(
        "Foreign Minister Sergei Lavrov said on Monday that", matcher=None, references=[]
    )
    assert (suggestion.name, suggestion.kind) == ("Sergei Lavrov", "official")
    assert suggestion.new_source["notes"] == "Foreign Minister Sergei Lavrov"


def test_words_about_sources_are_not_attributions():
    passage = (
        "energy resources, and sources of disagreement; the source and copyright are acknowledged"
    )
    assert suggest_source(passage, matcher=None, references=[]) == []


def test_citation_matched_to_a_reference_proposes_an_academic_source(matcher):
    passage = paragraph_with("(Nejat, 2014, p. 74)")
    [suggestion] = [
        s
        for s in suggest_source(passage, matcher=matcher, references=reference_entries())
        if s.text == "(Nejat, 2014, p. 74)"
    ]
    assert suggestion.reason == "reference"
    assert suggestion.name == f"Nejat (2014), {NEJAT_2014_TITLE}"
    assert suggestion.new_source == {
        "name": f"Nejat (2014), {NEJAT_2014_TITLE}",
        "kind": "academic",
        "year": 2014,
        "notes": NEJAT_2014,
        "url": "",
    }
    assert passage[suggestion.start : suggestion.end] == "(Nejat, 2014, p. 74)"


def test_citation_without_a_reference_proposes_author_and_year(matcher):
    passage = paragraph_with("(Kozhanov, 2015, p. 3)")
    suggestions = suggest_source(passage, matcher=matcher, references=reference_entries())
    assert [(s.reason, s.name, s.kind) for s in suggestions] == [
        ("citation", "Kozhanov 2015", "academic")
    ]
    assert suggestions[0].new_source["year"] == 2015


def test_suggestions_come_best_first_and_each_source_once(matcher):
    passage = (
        "The Washington Post reported, citing U.S. officials who said so (Nejat, 2014, p. 74), "
        "that RAND agreed (Kozhanov, 2015, p. 3; Nejat, 2014, p. 80)."
    )
    suggestions = suggest_source(passage, matcher=matcher, references=[NEJAT_2014])
    assert [(s.reason, s.name) for s in suggestions] == [
        ("named", "The Washington Post"),
        ("named", "RAND Corporation"),
        ("reference", f"Nejat (2014), {NEJAT_2014_TITLE}"),
        ("citation", "Kozhanov 2015"),
        ("attribution", "U.S. officials (unnamed)"),
    ]
    assert [s.source_id for s in suggestions[:2]] == [
        source_id("The Washington Post"),
        source_id("RAND Corporation"),
    ]


def test_proposal_that_is_already_a_source_carries_its_id():
    known = SourceMatcher(
        [(7, "Kozhanov 2015", []), (8, "U.S. officials (unnamed)", ["Unnamed U.S. officials"])]
    )
    passage = "U.S. officials said so (Kozhanov, 2015, p. 3)."
    suggestions = suggest_source(passage, matcher=known, references=[])
    assert [(s.reason, s.source_id, s.new_source) for s in suggestions] == [
        ("citation", 7, None),
        ("attribution", 8, None),
    ]


def test_selection_inside_a_reference_entry_proposes_that_entry(matcher):
    entry = next(e for e in reference_entries() if e.startswith("Darayandeh, Ruhollah (2019)"))
    [suggestion] = suggest_source(entry[:60], matcher=matcher, references=reference_entries())
    assert suggestion.reason == "reference"
    assert suggestion.name.startswith("Darayandeh (2019), Examining the Grounds for Cooperation")
    assert suggestion.new_source["notes"] == entry


def test_body_text_that_shares_words_with_a_reference_title_is_not_that_reference(matcher):
    passage = "the Islamic Republic of Iran and Russia in the Syrian Crisis"
    assert suggest_source(passage, matcher=matcher, references=reference_entries()) == []


def test_long_reference_title_is_shortened_to_fit_a_source_name():
    entry = f'Nejat, Ali (2014), "{"Very Long Title " * 30}," Politics Quarterly.'
    [suggestion] = suggest_source("(Nejat, 2014, p. 74)", matcher=None, references=[entry])
    assert len(suggestion.name) <= 300
    assert suggestion.name.startswith("Nejat (2014), Very Long Title")
    assert suggestion.name.endswith("…")


def test_suggestion_as_dict_is_what_the_form_shows(matcher):
    [suggestion] = suggest_source("(Kozhanov, 2015, p. 3)", matcher=matcher, references=[])
    data = suggestion.as_dict()
    assert data["id"] is None and data["new"]
    assert (data["name"], data["kind"], data["year"]) == ("Kozhanov 2015", "academic", 2015)
    assert "not in the article's references" in data["why"]


def test_suggesting_for_every_paragraph_of_the_paper_is_fast(matcher):
    paragraphs = academic_paragraphs()
    entries = reference_entries()
    started = time.perf_counter()
    suggestions = [
        suggest_source(paragraph, matcher=matcher, references=entries) for paragraph in paragraphs
    ]
    elapsed = time.perf_counter() - started
    print(
        f"\nsuggest_source over {len(paragraphs)} paragraphs: {elapsed * 1000:.1f} ms, "
        f"{sum(map(len, suggestions))} suggestions"
    )
    assert elapsed < 5
