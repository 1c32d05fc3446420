"""Parsing the entries of a reference list (no database)."""

import pytest

from annotations.citations import Reference, parse_reference
from tests.citation_helpers import (
    NEJAT_2014,
    NEJAT_2014_TITLE,
    parsed_reference_entries,
    reference_starting,
)


@pytest.fixture(scope="module")
def references() -> list[Reference]:
    return parsed_reference_entries()


def test_paper_reference_list_parses_into_37_references_all_with_a_year(references):
    assert len(references) == 37
    assert all(reference is not None for reference in references)
    assert all(isinstance(reference.year, int) for reference in references)
    assert all(reference.surnames and reference.title for reference in references)


def test_reference_with_a_quoted_title():
    reference = parse_reference(NEJAT_2014)
    assert reference.surnames == ["Nejat"]
    assert reference.authors == "Nejat, Ali"
    assert reference.year == 2014
    assert reference.title == NEJAT_2014_TITLE
    assert reference.url == ""
    assert reference.raw == NEJAT_2014


def test_reference_with_an_unquoted_title_ends_it_at_the_first_comma(references):
    reference = reference_starting(references, "Abdollah Khani, Ali (2004)")
    assert reference.surnames == ["Abdollah Khani"]
    assert reference.year == 2004
    assert reference.title == (
        "Security Theories: An Introduction to National Security Doctrine Planning"
    )


@pytest.mark.parametrize(
    ("start", "surnames"),
    [
        ("Nejat, Seyed Ali & Asghar Jafari Valadani (2013)", ["Nejat", "Jafari Valadani"]),
        ("Ashrafi, Akbar & Babazadeh, Amir Saeed (2015)", ["Ashrafi", "Babazadeh"]),
        (
            "Anastasovski, I. Stojanovska, T. & Qazimi, A.",
            ["Anastasovski", "Stojanovska", "Qazimi"],
        ),
        ("Niakooyi, Seyed Amir & Hossein Behmanesh (2012)", ["Niakooyi", "Behmanesh"]),
        ("Vafaei Fard, Farhad & Ruhollah Talebi Arani", ["Vafaei Fard", "Talebi Arani"]),
    ],
)
def test_reference_authors_are_read_in_either_name_order(references, start, surnames):
    assert reference_starting(references, start).surnames == surnames


@pytest.mark.parametrize(
    ("start", "surnames"),
    [
        ("Masoud Nia, Hossein & Colleagues (2018)", ["Masoud Nia"]),
        ("Farshad Gohar, Nasser et al., (2017)", ["Farshad Gohar"]),
        ("Mohseni, Payam and Others (2015)", ["Mohseni"]),
        ("Ghodsi, Amir & Colleagues (2009)", ["Ghodsi"]),
    ],
)
def test_reference_et_al_and_colleagues_are_not_authors(references, start, surnames):
    reference = reference_starting(references, start)
    assert reference.surnames == surnames
    assert reference.et_al


@pytest.mark.parametrize(
    ("start", "year", "title"),
    [
        (
            "Duclos, Michel. (2019).",
            2019,
            "Russia and Iran in Syria—a Random Partnership or an Enduring Alliance",
        ),
        (
            "Cathail, maidhc (November19,2011)",
            2011,
            "Sanctioning Syria. The long road to Damanscus",
        ),
        (
            "Borshchevskaya, Anna (2016)",
            2016,
            "Russia in the Middle East: Motives, Consequences, Prospects",
        ),
    ],
)
def test_reference_year_forms(references, start, year, title):
    reference = reference_starting(references, start)
    assert (reference.year, reference.title) == (year, title)


def test_wrapped_entries_keep_their_whole_title(references):
    mohseni = reference_starting(references, "Mohseni, Payam")
    assert mohseni.title == (
        "Disrupting the Chessboard Perspectives on the Russian Intervention in Syria"
    )
    assert mohseni.url == "http://belfercenter.ksg.harvard.edu"
    rafiei = reference_starting(references, "Rafiei Basiri")
    assert rafiei.title.endswith("Strategic Alliance between Iran and Russia in Syria")


def test_reference_url_cut_by_a_line_break_is_joined_again(references):
    margelov = reference_starting(references, "Margelov, Mikhail (2013)")
    assert margelov.url == (
        "http://www.chathamhouse.org/sites/files/chathamhouse/home/chatham/public_html"
        "/sites/default/files/101213Russia.pdf"
    )
    mir_hosseini = reference_starting(references, "Mir Hosseini, Seyed Mohsen (2017)")
    assert mir_hosseini.url == "http://www.dana.ir/News/1113102.html"
    nouri = reference_starting(references, "Nouri, Alireza (2017)")
    assert nouri.url == "http://npps.ir/ArticlePreview.aspx?id=121909"


def test_text_without_author_and_year_is_not_a_reference():
    assert parse_reference("Professional Paper. 1.") is None
    assert parse_reference("References") is None
    assert parse_reference("(2019), a year without an author") is None


def test_reference_with_the_year_after_the_authors_without_parentheses():
    reference = parse_reference("Grajewski, N. 2021. The Evolution of Russia-Iran Cooperation.")
    assert (reference.surnames, reference.year) == (["Grajewski"], 2021)
    assert reference.title == "The Evolution of Russia-Iran Cooperation"
