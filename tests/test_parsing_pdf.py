"""PDFs: a paper set in two columns reads as its paragraphs, in order, whole; what
cannot be read is refused with the reason, and a PDF built to exhaust the reader is
refused quickly by the child process that reads it, not by the importer's death."""

import re
import resource
import time

import pytest

from corpus.models import Article, Paragraph
from corpus.parsing.pdf import extract_pdf_text_safely
from corpus.services.formats import ImportFailedError, read_document
from corpus.services.importing import article_import_prepared, prepare_article_bytes
from tests import documents

SCAN_REASON = "the PDF has no text layer (a scanned image): OCR it first"


def read_pdf(data: bytes):
    return read_document(data, source_format="pdf", fallback_title="paper")


def refusal(data: bytes) -> str:
    with pytest.raises(ImportFailedError) as error:
        read_pdf(data)
    return str(error.value)


@pytest.fixture(scope="module")
def paper_blocks() -> list[str]:
    """The paper's text layer as the importer reads it: one block per paragraph."""
    return extract_pdf_text_safely(documents.two_column_pdf()).rstrip("\n").split("\n\n")


@pytest.fixture(scope="module")
def paper():
    return read_pdf(documents.two_column_pdf()).parsed


def test_the_paper_is_set_as_a_test_needs_it():
    """The fixture has what the tests below look for."""
    layout = documents.two_column_pdf_layout()
    assert layout.pages >= 2
    assert len(layout.hyphenated) >= 5
    assert layout.across_pages and layout.across_columns


def test_the_text_layer_reads_as_the_papers_paragraphs_in_reading_order(paper_blocks):
    """The front matter across the page, then the left column before the right one,
    page after page; headings on their own; every paragraph whole."""
    expected = [
        documents.PAPER_TITLE,
        documents.PAPER_AUTHOR,
        documents.PAPER_AFFILIATION,
        documents.PAPER_ABSTRACT,
    ]
    for heading, paragraphs in documents.PAPER_SECTIONS:
        expected += [heading, *paragraphs]
    expected += ["References", *documents.PAPER_REFERENCES]
    assert paper_blocks == expected


def test_words_hyphenated_at_line_ends_are_whole_again(paper_blocks):
    text = " ".join(paper_blocks)
    for word in documents.two_column_pdf_layout().hyphenated:
        assert re.search(rf"\b{word}\b", text, re.IGNORECASE), word
    # No fragment of a broken word is left ("operat-ion"): the paper has no compound.
    assert re.findall(r"[a-z]+-[a-z]+", text) == []


def test_the_running_header_and_the_page_numbers_are_gone(paper_blocks):
    text = "\n".join(paper_blocks)
    assert documents.PAPER_RUNNING_HEADER not in text
    assert not [block for block in paper_blocks if block.strip().isdigit()]
    # The author's name in the running header goes; under the title, it stays.
    assert paper_blocks.count(documents.PAPER_AUTHOR) == 1
    assert text.count(documents.PAPER_AUTHOR) == 1


def test_a_paragraph_cut_by_a_page_or_a_column_break_is_one_paragraph(paper_blocks):
    layout = documents.two_column_pdf_layout()
    for paragraph in layout.across_pages + layout.across_columns:
        assert paragraph in paper_blocks


def test_the_paper_has_its_title_author_and_abstract(paper):
    assert paper.title == documents.PAPER_TITLE
    assert paper.authors == [documents.PAPER_AUTHOR]
    assert paper.abstract == documents.PAPER_ABSTRACT.removeprefix("Abstract. ")
    assert paper.kind == "academic"


def test_the_body_paragraphs_come_whole_and_in_reading_order(paper):
    body = [p.markup for p in paper.paragraphs if p.kind == "body"]
    text = "\n".join(body)
    position = 0
    for paragraph in documents.PAPER_BODY:
        found = text.find(paragraph, position)
        assert found >= 0, f"missing or out of order: {paragraph[:60]}"
        position = found + len(paragraph)
    assert documents.PAPER_RUNNING_HEADER not in text
    assert not any(p.markup.isdigit() for p in paper.paragraphs)


def test_the_references_are_reference_paragraphs(paper):
    references = " ".join(p.markup for p in paper.paragraphs if p.kind == "reference")
    others = " ".join(p.markup for p in paper.paragraphs if p.kind != "reference")
    for entry in documents.PAPER_REFERENCES:
        assert entry in references
        assert entry[:30] not in others
    assert ("heading", "References") in [(p.kind, p.markup) for p in paper.paragraphs]


def test_each_reference_is_a_paragraph_of_its_own(paper):
    references = [p.markup for p in paper.paragraphs if p.kind == "reference"]
    assert references == documents.PAPER_REFERENCES


def test_the_numbered_section_headings_are_headings(paper):
    headings = [p.markup for p in paper.paragraphs if p.kind == "heading"]
    assert headings == [*documents.PAPER_HEADINGS, "References"]
    assert paper.affiliations == [documents.PAPER_AFFILIATION]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Just some text, named as a PDF.", "not a PDF"),
        (b"<html><body><p>A web page saved as .pdf</p></body></html>", "not a PDF"),
        (bytes(range(256)) * 20, "not a PDF"),
        (b"", "not a PDF"),
        (documents.two_column_pdf()[:3000], "a damaged PDF: it cannot be opened"),
    ],
    ids=["text", "a web page", "binary", "empty", "cut short"],
)
def test_what_is_not_a_readable_pdf_is_refused_with_what_it_is(data, reason):
    assert refusal(data) == reason


def test_a_scanned_pdf_is_refused_asking_for_ocr():
    assert refusal(documents.scanned_pdf()) == SCAN_REASON


def test_a_pdf_locked_with_a_password_is_refused_with_what_to_do():
    assert refusal(documents.encrypted_pdf()) == (
        "the PDF is encrypted with a password: save a copy without the password"
    )


def test_a_pdf_encrypted_without_a_password_to_open_it_reads():
    """Only its permissions are protected (no copying, no printing): it opens."""
    document = read_pdf(documents.encrypted_pdf(user_password=""))
    assert documents.NEWS_BODY[0] in " ".join(p.markup for p in document.parsed.paragraphs)


def test_a_decompression_bomb_is_refused_quickly_and_the_importer_lives_on():
    bomb = documents.pdf_bomb()
    assert len(bomb) < 100_000  # gigabytes once inflated
    started = time.monotonic()
    assert refusal(bomb) == (
        "the PDF needs more memory than allowed to read (a decompression bomb?)"
    )
    assert time.monotonic() - started < 15
    # The child that read it was held to its limit (512 MB), and this process goes on.
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert child_peak < 600 * 2**20
    assert read_pdf(documents.one_page_pdf()).parsed.title == "Talks in Damascus"


def test_a_pdf_over_the_page_limit_is_refused_with_the_limit(settings):
    settings.CROSSREAD_IMPORT_PDF_MAX_PAGES = 10
    assert refusal(documents.many_pages_pdf(11)) == "the PDF has more than 10 pages"
    assert len(read_pdf(documents.many_pages_pdf(10)).parsed.paragraphs) >= 1


def test_a_pdf_with_more_text_than_allowed_is_refused_with_the_limit(settings):
    settings.CROSSREAD_IMPORT_MAX_CHARS = 2_000
    assert refusal(documents.two_column_pdf()) == "the PDF's text is longer than 2,000 characters"


def test_a_pdf_that_takes_too_long_is_refused_with_the_limit(settings):
    settings.CROSSREAD_IMPORT_PDF_SECONDS = 0.01  # less than the child takes to start
    assert refusal(documents.two_column_pdf()) == "reading the PDF took longer than 0.01 s"


def test_a_pdf_imports_as_an_article_with_its_paragraphs(db):
    outcome = article_import_prepared(
        prepare_article_bytes(documents.two_column_pdf(), name="brokers.pdf", fallback_title="x")
    )
    assert outcome.status == "created", outcome.error
    article = Article.objects.get()
    assert (article.source_format, article.title) == ("pdf", documents.PAPER_TITLE)
    assert article.authors == [documents.PAPER_AUTHOR]
    texts = list(article.paragraphs.order_by("position").values_list("text", flat=True))
    assert documents.PAPER_BODY[1] in texts
    assert documents.PAPER_RUNNING_HEADER not in article.raw_text


@pytest.mark.parametrize(
    "data",
    [documents.scanned_pdf(), documents.pdf_bomb(), b"%PDF-1.7\n%%EOF\n"],
    ids=["scan", "bomb", "empty PDF"],
)
def test_a_refused_pdf_leaves_the_database_as_it_was(db, data):
    outcome = article_import_prepared(
        prepare_article_bytes(data, name="refused.pdf", fallback_title="refused")
    )
    assert outcome.status == "failed" and outcome.error
    assert not Article.objects.exists() and not Paragraph.objects.exists()
