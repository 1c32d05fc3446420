"""Author-year citations in running text (no database)."""

import re

import pytest

from annotations.citations import parse_citations
from tests.citation_helpers import academic_paragraphs, only_citation, paragraph_with
from tests.conftest import GLOBAL_RESEARCH


@pytest.mark.parametrize(
    ("text", "surnames", "year", "pages"),
    [
        ("(Nejat, 2014, p. 74)", ["Nejat"], 2014, "74"),
        ("(Nejat & Jafari Valadani, 2013, p. 39)", ["Nejat", "Jafari Valadani"], 2013, "39"),
        ("(Nejat and Jafari Valadani, 2013, p. 135)", ["Nejat", "Jafari Valadani"], 2013, "135"),
        ("(Mohseni et al., 2015, p. 13)", ["Mohseni"], 2015, "13"),
        ("(Ghodousi et al, 2009, p. 12)", ["Ghodousi"], 2009, "12"),
        ("(Shouri, 2015, 14)", ["Shouri"], 2015, "14"),
        ("(Abdollahi Khani, 2004, p. 62)", ["Abdollahi Khani"], 2004, "62"),
        ("(Abdollahkhani, 2010, pp. 61-68)", ["Abdollahkhani"], 2010, "61-68"),
        ("(Kayhan Newspaper, 2017, p. 4)", ["Kayhan Newspaper"], 2017, "4"),
        ("(Mir-Hosseini, 2017, p. 5)", ["Mir-Hosseini"], 2017, "5"),
        ("(Gholamhosseini & Khajeh, 2013, p. 109)", ["Gholamhosseini", "Khajeh"], 2013, "109"),
        ("(Nejat 2014)", ["Nejat"], 2014, None),
        ("(Smith, Jones, & Brown, 2019, pp. 3-4)", ["Smith", "Jones", "Brown"], 2019, "3-4"),
    ],
)
def test_parenthetical_citation_is_parsed_with_its_span(text, surnames, year, pages):
    sentence = f"Iran sought to shift the regional balance {text} and more."
    citation = only_citation(sentence)
    assert (citation.surnames, citation.year, citation.pages) == (surnames, year, pages)
    assert citation.text == text
    assert sentence[citation.start : citation.end] == text


def test_et_al_is_marked_on_the_citation():
    assert only_citation("(Mohseni et al., 2015, p. 13)").et_al
    assert not only_citation("(Nejat, 2014, p. 74)").et_al


def test_several_citations_in_one_pair_of_parentheses():
    sentence = "as the authors hold (Nejat, 2014, p. 74; Shouri, 2015, 14; Mohseni et al., 2015)."
    first, second, third = parse_citations(sentence)
    assert [c.surnames for c in (first, second, third)] == [["Nejat"], ["Shouri"], ["Mohseni"]]
    assert first.text == "(Nejat, 2014, p. 74"
    assert second.text == "Shouri, 2015, 14"
    assert third.text == "Mohseni et al., 2015)"
    assert sentence[first.start : third.end] == (
        "(Nejat, 2014, p. 74; Shouri, 2015, 14; Mohseni et al., 2015)"
    )


@pytest.mark.parametrize(
    ("text", "surnames", "year", "et_al"),
    [
        ("Ammar Jelo (2024)", ["Ammar Jelo"], 2024, False),
        ("Grajewski (2021)", ["Grajewski"], 2021, False),
        ("Darayandeh and colleagues (2019)", ["Darayandeh"], 2019, True),
        ("Vafaifard and colleagues (2019)", ["Vafaifard"], 2019, True),
        ("Rafiei Basiri and colleagues (2023)", ["Rafiei Basiri"], 2023, True),
        ("Julien Barnes-Dacey and others (2013)", ["Julien Barnes-Dacey"], 2013, True),
        ("Darayandeh and Ahmadi (2018)", ["Darayandeh", "Ahmadi"], 2018, False),
    ],
)
def test_narrative_citation_in_the_paper_is_parsed(text, surnames, year, et_al):
    paragraph = paragraph_with(text)
    citation = only_citation(paragraph)
    assert (citation.surnames, citation.year, citation.et_al) == (surnames, year, et_al)
    assert citation.text == text
    assert paragraph[citation.start : citation.end] == text


def test_narrative_citation_drops_the_words_before_the_name():
    citation = only_citation("As Grajewski (2021, p. 5) shows, Moscow and Tehran converged.")
    assert (citation.surnames, citation.text, citation.pages) == (
        ["Grajewski"],
        "Grajewski (2021, p. 5)",
        "5",
    )


@pytest.mark.parametrize(
    "text",
    [
        "For the first time since war broke out in Syria in 2011, Syrian President Bashar Al Assad",
        "Before World War I (1914-1918), two great alliances existed in Europe",
        "Niccolò Machiavelli, an Italian politician and philosopher (1469–1527), in his books",
        "classical realism (up to the early 20th century), modern realism (1939-1979)",
        "from 2010 to 2017 (2010-2017), and neo-realism (after 1979).",
        "In a May 2017 meeting (May 2017), Donald Trump signed the arms deal",
        "Russia (2015) and Syria (2011) are places, not authors.",
        "selling better defense systems to Turkey and Saudi Arabia (S-400) than to Iran (S-300)",
    ],
)
def test_years_that_are_not_citations(text):
    assert parse_citations(text) == []


def test_every_author_year_parenthesis_of_the_paper_is_a_citation():
    body = "\n".join(academic_paragraphs())
    expected = set(re.findall(r"\([A-Z][^()]*?, (?:19|20)\d\d(?:, (?:p+\. )?[\d-]+)?\)", body))
    found = {citation.text for citation in parse_citations(body) if citation.text[0] == "("}
    assert len(expected) > 40
    assert expected == found


def test_global_research_article_has_no_citations():
    assert parse_citations(GLOBAL_RESEARCH.read_text(encoding="utf-8")) == []
