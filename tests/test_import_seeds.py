"""What the three seed documents must give once imported (the importer's fixtures)."""

import re
from datetime import date

import pytest

from corpus.markup import html_to_text
from corpus.models import ParagraphKind
from tests.conftest import ACADEMIC, GLOBAL_RESEARCH, SOUTHFRONT

PAGE_MARKS = ("JB", "Ŋß", "Įß.")
RUNNING_HEADER = "The Military & Security Cooperation between ..."
CLEAN_KINDS = (ParagraphKind.BODY, ParagraphKind.HEADING, ParagraphKind.QUOTE)


def paragraphs_of(article, kind=None):
    paragraphs = article.paragraphs.order_by("position")
    return list(paragraphs.filter(kind=kind) if kind else paragraphs)


def texts(article, kind=None):
    return [paragraph.text for paragraph in paragraphs_of(article, kind)]


def the_paragraph_containing(article, fragment):
    found = [p for p in paragraphs_of(article) if fragment in p.text]
    assert len(found) == 1, f"{fragment!r} is in {len(found)} paragraphs"
    return found[0]


# --------------------------------------------------------------------- Global Research


def test_global_research_metadata(seed_articles):
    article = seed_articles["global_research"]
    assert article.title == "Assad's Tehran Visit Signals Iran's Victory in Syria"
    assert article.authors == ["Tony Cartalucci"]
    assert article.outlet == "Global Research"
    assert article.published == date(2019, 3, 9)
    assert article.kind == "opinion"
    assert article.outlet_labels == {
        "Region": ["Middle East & North Africa"],
        "Theme": ["History"],
        "In-depth Report": ["SYRIA"],
    }


def test_global_research_labels_and_title_are_not_paragraphs(seed_articles):
    all_text = "\n".join(texts(seed_articles["global_research"]))
    for line in ("Region:", "Theme:", "In-depth Report:", "Middle East & North Africa", "By Tony"):
        assert line not in all_text
    assert "Assad's Tehran Visit Signals" not in all_text


def test_global_research_section_titles_are_headings_without_stars(seed_articles):
    headings = paragraphs_of(seed_articles["global_research"], ParagraphKind.HEADING)
    assert [h.text for h in headings] == [
        "Iran is in Syria for Good",
        "America’s Flagging Unipolar Order",
    ]
    assert all("**" not in h.html and "<strong>" not in h.html for h in headings)


def test_global_research_paragraphs_cut_by_blank_lines_are_joined(seed_articles):
    article = seed_articles["global_research"]
    joined = the_paragraph_containing(
        article, "across both Syria and Iraq to confront US and Persian Gulf-backed terrorists"
    )
    assert joined.kind == ParagraphKind.BODY
    assert joined.text.startswith("President Assad's visit to Iran")
    other = the_paragraph_containing(article, "a more muscular conventional military response")
    assert other.text.endswith("began to crumble.")


def test_global_research_quotes(seed_articles):
    quotes = texts(seed_articles["global_research"], ParagraphKind.QUOTE)
    assert len(quotes) == 3
    assert quotes[0].startswith("U.S. officials said Trump's decision")
    assert quotes[1].startswith("Iran's strategy is largely defensive")
    assert quotes[2].startswith("Some of Iran's asymmetric capabilities are threatening")


def test_global_research_dead_links_keep_their_text(seed_articles):
    article = seed_articles["global_research"]
    intro = the_paragraph_containing(article, "Syria's Assad visits Iran in rare trip abroad")
    assert intro.kind == ParagraphKind.BODY
    assert "](#)" not in intro.text and 'href="#"' not in intro.html
    rand = the_paragraph_containing(article, "Dangerous But Not Omnipotent")
    assert "[" not in rand.text and "](#" not in rand.html


def test_global_research_inline_emphasis_renders_as_html_not_stars(seed_articles):
    lead = paragraphs_of(seed_articles["global_research"])[0]
    assert lead.text.startswith("For the first time since war broke out in Syria in 2011")
    assert "<em>" in lead.html and "<strong>President Bashar Al Assad</strong>" in lead.html
    assert "*" not in lead.text


def test_global_research_footer_is_boilerplate(seed_articles):
    article = seed_articles["global_research"]
    boilerplate = "\n".join(texts(article, ParagraphKind.BOILERPLATE))
    for phrase in (
        "Note to readers: please click the share buttons",
        "Tony Cartalucci is Bangkok-based geopolitical researcher",
        "Copyright © Tony Cartalucci, Global Research, 2019",
        "Comment on Global Research Articles on our Facebook page",
        "Become a Member of Global Research",
        "Disclaimer:",
        "For media inquiries:",
    ):
        assert phrase in boilerplate, phrase
    body = "\n".join(texts(article, ParagraphKind.BODY))
    assert "Note to readers" not in body and "Copyright" not in body
    assert texts(article)[-1].startswith("For media inquiries")


# ------------------------------------------------------------------------- SouthFront


def test_southfront_metadata(seed_articles):
    article = seed_articles["southfront"]
    assert article.title == "An Alliance for Mutual Security"
    assert article.authors == ["Dennis M. Nilsen"]
    assert article.outlet == "SouthFront"
    assert article.published is None
    assert article.kind == "opinion"


def test_southfront_repeated_title_is_dropped(seed_articles):
    assert not [
        t for t in texts(seed_articles["southfront"]) if "An Alliance for Mutual Security" in t
    ]


def test_southfront_photo_caption(seed_articles):
    captions = texts(seed_articles["southfront"], ParagraphKind.CAPTION)
    assert len(captions) == 1
    assert captions[0].startswith("Rare meeting. Syrian Defence Minister")


def test_southfront_comment_widget_is_boilerplate_and_comments_are_reader_comments(seed_articles):
    article = seed_articles["southfront"]
    assert texts(article, ParagraphKind.BOILERPLATE) == [
        "Notify of",
        "Newest Most Voted",
        "Inline Feedbacks",
        "View all comments",
    ]
    comments = texts(article, ParagraphKind.READER_COMMENT)
    assert len(comments) == 2
    assert comments[0].startswith("Excellent step to stabilization")
    assert comments[1].startswith("Great initiative") and "Rothschilds" in comments[1]
    body = "\n".join(texts(article, ParagraphKind.BODY))
    assert "Excellent step" not in body and "Rothschilds" not in body


def test_southfront_non_breaking_spaces_leave_no_double_spaces(seed_articles):
    for text in texts(seed_articles["southfront"]):
        assert "  " not in text and "\xa0" not in text


# ------------------------------------------------------------------------- the paper


def test_paper_front_matter_is_metadata(seed_articles):
    article = seed_articles["academic"]
    assert article.title == (
        "The Military & Security Cooperation between Iran and Russia in the Syrian Crisis "
        "with the Approach of Realism 2010-2017"
    )
    assert article.authors == [
        "Mohammad Mosaddegh",
        "Garineh Keshishyan Siraki",
        "Hassan Khodaverdi",
    ]
    assert article.kind == "academic"
    assert article.published is None
    assert article.received == date(2023, 3, 15)
    assert article.accepted == date(2023, 5, 5)
    assert len(article.affiliations) == 2
    assert all("Islamic Azad University" in affiliation for affiliation in article.affiliations)
    assert not any(re.search(r"[¹²³]|\^\{", affiliation) for affiliation in article.affiliations)
    assert article.abstract.startswith("Iran, one of the powerful players in West Asia")
    assert article.abstract.endswith("by emphasizing military-security cooperation.")
    assert sorted(tag.name for tag in article.keywords.all()) == sorted(
        [
            "Syrian crisis",
            "civil war",
            "Russia's Military-security policy",
            "Iran's Military-security policy",
            "regional competition",
        ]
    )


def test_paper_front_matter_is_not_in_the_paragraphs(seed_articles):
    all_text = "\n".join(texts(seed_articles["academic"]))
    for fragment in ("Mohammad Mosaddegh", "Received:", "Abstract", "Keywords:", "Ph.D Candidate"):
        assert fragment not in all_text
    assert "Iran, one of the powerful players in West Asia, from the beginning" not in all_text


def test_paper_headings(seed_articles):
    headings = [
        (p.text, p.level) for p in paragraphs_of(seed_articles["academic"], ParagraphKind.HEADING)
    ]
    assert headings == [
        ("Introduction", 2),
        ("Research Background", 2),
        ("Theoretical Framework", 2),
        (
            "Military-Security Cooperation between the Islamic Republic of Iran and Russia in the West Asia Region",
            2,
        ),
        (
            "The Position of Syria in the Security-Military Policy of the Islamic Republic of Iran",
            2,
        ),
        ("Syria's Position in Russia's Security-Military Policy", 2),
        ("Military-Security Cooperation between Iran and Russia in the Syrian Crisis", 2),
        (
            "Extremism, Terrorism, and Their Impact on Iran-Russia Security Cooperation "
            "Considering the Syrian Crisis",
            3,
        ),
        ("The Syrian Crisis as a Threat to the Interests of Iran and Russia", 3),
        ("Conclusion", 2),
        ("References", 2),
    ]


def test_paper_run_in_headings_leave_their_sentence_in_the_body(seed_articles):
    article = seed_articles["academic"]
    after = the_paragraph_containing(article, "After the September 11, 2001, attacks on New York")
    assert after.kind == ParagraphKind.BODY and after.text.startswith("After the September 11")
    assert after.heading.text.startswith("Extremism, Terrorism, and Their Impact")
    since = the_paragraph_containing(article, "Since the formation of the Syrian crisis")
    assert since.text.startswith("Since the formation of the Syrian crisis")


def test_paper_page_marks_and_running_headers_are_gone(seed_articles):
    for paragraph in paragraphs_of(seed_articles["academic"]):
        assert paragraph.text not in PAGE_MARKS
        assert "Military & Security Cooperation between ..." not in paragraph.text
        assert "…" not in paragraph.text or paragraph.kind == ParagraphKind.REFERENCE


@pytest.mark.parametrize(
    "fragment",
    [
        "security, self-reliance in achieving security",  # cut by "Ŋß"
        "during the uprisings, particularly the Syrian crisis",  # cut by "Ŋß"
        "one of the key players in the Syrian crisis",  # cut by "Įß."
        "attacks on Iran's positions, which directly affects",  # cut by "JB"
        "the connecting link of the resistance axis",  # running header inside the sentence
        "Central Asian and Caucasus nationals",  # running header inside the sentence
        "the priority of commercial and economic issues",  # cut by a blank line
        "balance of power in the West Asia region",  # continues with a capital letter
    ],
)
def test_paper_paragraphs_cut_by_page_breaks_are_joined(seed_articles, fragment):
    assert the_paragraph_containing(seed_articles["academic"], fragment).kind == ParagraphKind.BODY


def test_paper_bullet_points_are_list_items(seed_articles):
    items = texts(seed_articles["academic"], ParagraphKind.LIST_ITEM)
    assert len(items) == 5
    assert (
        items[0]
        == "The threat to Russia's economic and commercial interests due to Middle East developments;"
    )
    assert items[1].endswith("in the port of Tartus;")
    assert not any(item.startswith("-") for item in items)


def test_paper_references_one_per_entry(seed_articles):
    references = texts(seed_articles["academic"], ParagraphKind.REFERENCE)
    assert len(references) == 37
    assert references[0].startswith("Abdollah Khani, Ali (2004)")
    assert references[-1].startswith("Zargar, Afshin (2013)")
    assert not any(reference.startswith("- ") for reference in references)
    mohseni = [r for r in references if r.startswith("Mohseni, Payam")]
    assert mohseni and "Perspectives on the Russian Intervention in Syria" in mohseni[0]
    rafiei = [r for r in references if r.startswith("Rafiei Basiri")]
    assert rafiei and 'between Iran and Russia in Syria," Iranian Policy Research' in rafiei[0]


def test_paper_every_sentence_is_imported_exactly_once(seed_articles):
    article = seed_articles["academic"]
    corpus_text = "\n".join(texts(article))
    raw_lines = ACADEMIC.read_text(encoding="utf-8").split("\n")
    body_start = next(i for i, line in enumerate(raw_lines) if line.strip() == "Introduction")
    raw_body = " ".join(" ".join(raw_lines[body_start:]).split())
    checked = 0
    for line in raw_lines[body_start:]:
        line = " ".join(line.split())
        if line.startswith("- ") or "..." in line:
            continue
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", line)
        # The first and last pieces of a line may be halves of a sentence cut by a page break.
        for sentence in sentences[1:-1]:
            if len(sentence) > 30:
                # Once, or as often as the paper itself repeats it.
                assert corpus_text.count(sentence) == raw_body.count(sentence) >= 1, sentence
                checked += 1
    assert checked > 100


# ----------------------------------------------------------------------- all three


@pytest.mark.parametrize("key", ["global_research", "southfront", "academic"])
def test_clean_paragraphs_carry_no_artifacts(seed_articles, key):
    for paragraph in paragraphs_of(seed_articles[key]):
        if paragraph.kind not in CLEAN_KINDS:
            continue
        assert paragraph.text not in PAGE_MARKS
        for artifact in ("**", "](#)", "  ", RUNNING_HEADER, "\xa0"):
            assert artifact not in paragraph.text, (artifact, paragraph.text[:80])
        assert paragraph.text == paragraph.text.strip()


@pytest.mark.parametrize("key", ["global_research", "southfront", "academic"])
def test_text_is_exactly_what_the_html_shows(seed_articles, key):
    # Annotations anchor to offsets into `text` and are highlighted in `html`.
    for paragraph in paragraphs_of(seed_articles[key]):
        assert html_to_text(paragraph.html) == paragraph.text


@pytest.mark.parametrize("key", ["global_research", "southfront", "academic"])
def test_every_paragraph_knows_its_heading(seed_articles, key):
    current = None
    for paragraph in paragraphs_of(seed_articles[key]):
        if paragraph.kind == ParagraphKind.HEADING:
            if current is not None and (paragraph.level or 2) > (current.level or 2):
                assert paragraph.heading == current
            current = paragraph
        else:
            assert paragraph.heading == current


@pytest.mark.parametrize("path", [GLOBAL_RESEARCH, SOUTHFRONT, ACADEMIC])
def test_raw_text_keeps_the_file_as_read(seed_articles, path):
    from corpus.models import Article

    article = Article.objects.get(source_file=f"seeds/{path.name}")
    assert article.raw_text == path.read_text(encoding="utf-8")
