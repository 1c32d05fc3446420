"""Suggesting the source a passage cites: citations, reference lists, known sources,
attributions (no database)."""

import re
import time

import pytest

from annotations.citations import (
    KNOWN_SOURCES,
    SOURCE_KINDS,
    Citation,
    Reference,
    SourceMatcher,
    match_citation,
    normalize_name,
    parse_citations,
    parse_reference,
    suggest_source,
)
from tests.conftest import ACADEMIC, GLOBAL_RESEARCH

NEJAT_2014 = (
    "Nejat, Ali (2014), \"The Islamic Republic of Iran's Foreign Policy Approach towards New "
    'Middle Eastern Developments," Politics Quarterly, Volume 1, Issue 4, pp. 61-76.'
)
NEJAT_2014_TITLE = (
    "The Islamic Republic of Iran's Foreign Policy Approach towards New Middle Eastern Developments"
)


def academic_lines() -> list[str]:
    return ACADEMIC.read_text(encoding="utf-8").split("\n")


def reference_entries() -> list[str]:
    """The paper's reference list as the importer stores it: one string per entry,
    without the "- ", a wrapped entry joined across its blank line."""
    lines = academic_lines()
    entries: list[str] = []
    for line in lines[lines.index("References") + 1 :]:
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            entries.append(line[2:])
        elif entries[-1].endswith("-") and line[:1].islower():
            entries[-1] += line
        else:
            entries[-1] += " " + line
    return [" ".join(entry.split()) for entry in entries]


def academic_paragraphs() -> list[str]:
    lines = academic_lines()
    body = "\n".join(lines[: lines.index("References")])
    return [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]


def paragraph_with(fragment: str) -> str:
    found = [paragraph for paragraph in academic_paragraphs() if fragment in paragraph]
    assert len(found) == 1, f"{fragment!r} is in {len(found)} paragraphs"
    return found[0]


@pytest.fixture(scope="module")
def references() -> list[Reference]:
    return [parse_reference(entry) for entry in reference_entries()]


@pytest.fixture(scope="module")
def matcher() -> SourceMatcher:
    return SourceMatcher(
        (index, source["name"], source["aliases"]) for index, source in enumerate(KNOWN_SOURCES)
    )


def source_id(name: str) -> int:
    return next(index for index, source in enumerate(KNOWN_SOURCES) if source["name"] == name)


def only_citation(text: str) -> Citation:
    citations = parse_citations(text)
    assert len(citations) == 1, citations
    return citations[0]


def reference_starting(references: list[Reference], start: str) -> Reference:
    return next(reference for reference in references if reference.raw.startswith(start))


# ----------------------------------------------------------------------- references


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


# ----------------------------------------------------------------------- citations


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


# ------------------------------------------------------------------------ matching


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


# ------------------------------------------------------------------- known sources


def test_known_sources_have_valid_kinds_and_distinct_names():
    assert {source["kind"] for source in KNOWN_SOURCES} <= set(SOURCE_KINDS)
    keys = [normalize_name(source["name"]) for source in KNOWN_SOURCES]
    assert len(keys) == len(set(keys))
    for source in KNOWN_SOURCES:
        assert set(source) == {"name", "kind", "aliases", "url"}
        assert len(source["name"]) <= 300


def test_known_sources_include_the_ones_the_corpus_cites():
    by_name = {source["name"]: source for source in KNOWN_SOURCES}
    assert by_name["RAND Corporation"]["kind"] == "think_tank"
    assert "RAND" in by_name["RAND Corporation"]["aliases"]
    assert by_name["The Washington Post"]["kind"] == "outlet"
    assert by_name["Associated Press"]["aliases"] == ["AP"]
    assert by_name["Reuters"]["aliases"] == ["Reuters"]
    assert by_name["U.S. Department of State"]["kind"] == "government"
    assert "State Department" in by_name["U.S. Department of State"]["aliases"]
    assert {"UN", "U.N."} <= set(by_name["United Nations"]["aliases"])
    assert "ECFR" in by_name["European Council on Foreign Relations"]["aliases"]


def test_normalize_name_is_the_source_models_rule():  # the model imports it from here
    from annotations.models import normalize_name as model_normalize_name

    for name in [
        "The Washington Post",
        "washington  post.",
        "U.S. Department of State",
        "Nejat (2014), The Islamic Republic of Iran's Foreign Policy",
        "Institut Montaigne",
        "Hürriyet",
        "The",
    ]:
        assert normalize_name(name) == model_normalize_name(name)


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


# --------------------------------------------------------------------- suggestions


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
