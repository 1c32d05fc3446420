"""Matching a citation to the entry of the reference list it points to (no database)."""

import pytest

from annotations.citations import Reference, match_citation, parse_reference
from tests.citation_helpers import only_citation, parsed_reference_entries


@pytest.fixture(scope="module")
def references() -> list[Reference]:
    return parsed_reference_entries()


def test_coauthored_citation_matches_the_2013_nejat_entry(references):
    reference = match_citation(only_citation("(Nejat & Jafari Valadani, 2013, p. 39)"), references)
    assert reference.raw.startswith("Nejat, Seyed Ali & Asghar Jafari Valadani (2013)")


def test_single_author_citation_matches_the_2014_nejat_entry(references):
    reference = match_citation(only_citation("(Nejat, 2014, p. 74)"), references)
    assert reference.raw.startswith("Nejat, Ali (2014)")


@pytest.mark.parametrize(
    ("cited", "entry"),
    [
        ("(Abdollahi Khani, 2004, p. 62)", "Abdollah Khani, Ali (2004)"),
        ("(Abdollahkhani, 2004, p. 59)", "Abdollah Khani, Ali (2004)"),
        ("Darayandeh and colleagues (2019)", "Darayandeh, Ruhollah (2019)"),
        ("Vafaifard and colleagues (2019)", "Vafaei Fard, Farhad & Ruhollah Talebi Arani (2019)"),
        ("Rafiei Basiri and colleagues (2023)", "Rafiei Basiri, Morteza et al., (2023)"),
        ("Ammar Jelo (2024)", "Jalo, Ammar (2024)"),
        ("(Mir-Hosseini, 2017, p. 5)", "Mir Hosseini, Seyed Mohsen (2017)"),
        ("(Mohseni et al., 2015, p. 13)", "Mohseni, Payam and Others (2015)"),
        ("(Gholamhosseini & Khajeh, 2013, p. 109)", "Gholamhossein, Khajeh (2013)"),
        ("(Ghodousi et al, 2009, p. 12)", "Ghodsi, Amir & Colleagues (2009)"),
        ("(Cathail, 2011, p. 12)", "Cathail, maidhc (November19,2011)"),
    ],
)
def test_citation_matches_its_reference_despite_spelling(references, cited, entry):
    reference = match_citation(only_citation(cited), references)
    assert reference is not None and reference.raw.startswith(entry)


@pytest.mark.parametrize(
    "cited",
    [
        "(Kozhanov, 2015, p. 3)",  # not in the list
        "(Nejat, 2017, p. 48)",  # the author is, not that year
        "(Abdollahkhani, 2010, p. 59)",
        "(Hosseini, 2015, p. 3)",
        "(Kayhan Newspaper, 2017, p. 4)",
        "Grajewski (2021)",
        "Darayandeh and Ahmadi (2018)",
    ],
)
def test_citation_without_its_reference_matches_nothing(references, cited):
    assert match_citation(only_citation(cited), references) is None


def test_hosseini_is_not_mir_hosseini():
    reference = parse_reference('Mir Hosseini, Seyed Mohsen (2017), "Saudi Arabia\'s Failures".')
    assert match_citation(only_citation("(Hosseini, 2017, p. 3)"), [reference]) is None


def test_coauthors_decide_between_references_of_one_author_and_year():
    alone = parse_reference('Nejat, Ali (2013), "Iran and the Arab Spring," Politics Quarterly.')
    together = parse_reference(
        'Nejat, Seyed Ali & Asghar Jafari Valadani (2013), "Examining the Role," Quarterly.'
    )
    both = [alone, together]
    assert match_citation(only_citation("(Nejat & Jafari Valadani, 2013, p. 39)"), both) is together
    assert match_citation(only_citation("(Nejat, 2013, p. 5)"), both) is alone


def test_undecidable_citation_matches_nothing():
    first = parse_reference('Nejat, Ali (2013), "One Paper," Politics Quarterly.')
    second = parse_reference('Nejat, Ali (2013), "Another Paper," Politics Quarterly.')
    assert match_citation(only_citation("(Nejat, 2013, p. 5)"), [first, second]) is None
