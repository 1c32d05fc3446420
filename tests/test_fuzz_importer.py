"""A fuzzer of the importer's three readers: text and markdown, web pages, PDFs.

Whatever the bytes (random ones, our fixtures with bytes flipped, cut short or spliced
with pieces of other files, web pages of odd trees, entities and scripts, text full of
markdown syntax), reading a file either gives a document or refuses it with a reason
(``ImportFailedError``), never another exception; a web page read keeps nothing that
runs, and reads the same again from the page stored; and through the import service,
either the article is stored with its paragraphs or the outcome is "failed", with a
reason of the importer's own and no row written.

The PDF reader runs in a child process, where an exception of ours would only show as
"the PDF could not be read": its tracebacks fail the test, and its layout engine is
also fuzzed in this process, on PDFs typeset at random and on random line geometry.

The runs are derandomized (the same examples on every machine and in CI) and bounded:
each reader gets its own number of examples, the PDF ones fewest since each spawns the
child process. The whole file takes well under a minute on two cores. Inputs that
found bugs are kept as explicit ``@example`` cases.
"""

from __future__ import annotations

import itertools
import logging
import os
import re

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from corpus.models import Article, Paragraph
from corpus.parsing import ParsedArticle
from corpus.parsing import pdf_layout as layout
from corpus.parsing.document import PARAGRAPH_KINDS
from corpus.services.formats import Document, ImportFailedError, read_document
from corpus.services.importing import article_import_prepared, prepare_article_bytes
from tests import documents
from tests.conftest import ACADEMIC, SOUTHFRONT
from tests.documents import active_content

# CROSSREAD_FUZZ_SCALE=20 runs twenty times as many examples, random ones: to hunt for
# bugs by hand. By default the examples are the same on every run.
SCALE = int(os.environ.get("CROSSREAD_FUZZ_SCALE", "1"))


def fuzz(examples: int, **options) -> settings:
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=SCALE == 1,
        database=None,  # nothing written under the project
        print_blob=True,
        **options,
    )


# The readers log what they refuse and trafilatura logs what it cannot parse: noise here.
QUIET = ("corpus", "trafilatura", "htmldate", "courlan", "justext", "readability")

# --------------------------------------------------------------------------- inputs

MARKDOWN_DOCUMENT = (
    "# Talks in Damascus\n\nBy Mariam Haddad\n\n"
    + "\n\n".join(documents.NEWS_BODY[:3])
    + "\n\n## A corridor\n\n> "
    + documents.NEWS_QUOTE
    + "\n\n"
    + "\n".join(f"- {item}" for item in documents.NEWS_LIST)
    + "\n\nSee [the report](https://example.org/report) and **the map**.\n"
).encode()

FIXTURES = {
    "text": [SOUTHFRONT.read_bytes()[:4000], ACADEMIC.read_bytes()[-5000:], MARKDOWN_DOCUMENT],
    "html": [documents.news_page_html(), documents.script_only_page_html()],
    "pdf": [
        documents.two_column_pdf(),
        documents.two_column_pdf(compress=False),
        documents.one_page_pdf(compress=False),
        documents.scanned_pdf(),
    ],
}
EVERY_FIXTURE = [data for group in FIXTURES.values() for data in group]

# Pieces that mean something to one of the readers, to splice in.
TOKENS = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x1f\x8b\x08",
    b"PK\x03\x04",
    b"%PDF-1.7\n",
    b"%%EOF",
    b"endstream",
    b"endobj",
    b"stream\n",
    b"/FlateDecode",
    b"/Length 999999999",
    b"xref\n0 1\n",
    b"<script>document.write('x')</script>",
    b"<![CDATA[",
    b"<!--",
    b"<svg onload=alert(1)>",
    b"&#0;",
    b"&#x110000;",
    b"\r\n\r\n",
    b"\n\n# ",
    b"\n> ",
    b"\n- ",
    b"[x](javascript:alert(1))",
    b"References\n\n",
    b"\xed\xa0\x80",  # a UTF-8-encoded surrogate
    b"\x80\x81\xfe",
]


@st.composite
def mutated(draw, originals: list[bytes]) -> bytes:
    """One of ``originals`` with a few bytes flipped, ranges dropped or repeated, pieces
    of other files or tokens spliced in, or cut short."""
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        operation = draw(st.sampled_from(["flip", "cut", "drop", "repeat", "splice", "token"]))
        if operation == "flip":
            for offset in range(draw(st.integers(1, 8))):
                data[(position + offset) % len(data)] = draw(st.integers(0, 255))
        elif operation == "cut":
            del data[position:]
        elif operation == "drop":
            del data[position : position + draw(st.integers(1, 2000))]
        elif operation == "repeat":
            length = draw(st.integers(1, 500))
            data[position:position] = data[position : position + length] * draw(st.integers(2, 20))
        elif operation == "splice":
            donor = draw(st.sampled_from(EVERY_FIXTURE))
            start = draw(st.integers(0, len(donor) - 1))
            data[position:position] = donor[start : start + draw(st.integers(1, 3000))]
        else:
            data[position:position] = draw(st.sampled_from(TOKENS))
    return bytes(data)


MARKDOWN_PIECES = [
    "# ", "## ", "###### ", "\n", "\n\n", "\n\n\n", "> ", ">> ", "- ", "* ", "+ ", "1. ",
    "12) ", "**", "*", "__", "_", "`", "```", "~~~", "[", "]", "(", ")", "](", "![", "<",
    ">", "&amp;", "&#x27;", "&bogus;", "\\", "|", "| --- |", "---", "***", "___", "   ",
    "\t", "\r", "\r\n", "\x0c", "\u200b", "\u00ad", "\ufeff", "\u202e", "\u2028", "—", "…",
    "“", "”", "References", "Bibliography", "Abstract", "Keywords:", "Received:",
    "By ", "Written by ", "Comments", "Reply", "Share this", "Global Research, March 09, 2019",
    "https://example.org/a_(b)", "<https://example.org>", "[1] ", "¹", "^{2}", "Page 3",
    "- 4 -", "Syria", "Iran", "Russia", "Title Case Heading", "end of a sentence.",
    "a sentence cut at the", "secu-", "rity", "Ŋß",
]  # fmt: skip


@st.composite
def markdown_text(draw) -> bytes:
    """Text made of markdown syntax, our words and random characters, in an encoding."""
    pieces = st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=12))
    text = "".join(draw(st.lists(pieces, max_size=120)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


TAGS = [
    "p", "div", "span", "b", "i", "em", "strong", "a", "ul", "ol", "li", "table", "tr",
    "td", "th", "h1", "h2", "h3", "h6", "blockquote", "figure", "figcaption", "img", "br",
    "hr", "pre", "code", "nav", "header", "footer", "aside", "article", "main", "section",
    "script", "noscript", "style", "svg", "math", "iframe", "object", "template",
    "textarea", "title", "meta", "time", "sup", "q", "dl", "dt", "dd", "form", "button",
]  # fmt: skip
ATTRIBUTES = [
    ' class="comment"', ' class="related"', ' id="comments"', ' role="navigation"',
    ' href="javascript:alert(1)"', ' href=" JaVa&#x09;Script:alert(1)"', ' href="/a"',
    ' src="x.jpg"', ' onclick="alert(1)"', ' onerror=alert(1)', ' ONLOAD="x()"',
    ' style="background:url(javascript:alert(1))"', ' srcdoc="<script>x()</script>"',
    ' type="application/ld+json"', ' datetime="2024-03-18"', ' lang="ar" dir="rtl"',
    ' itemprop="articleBody"', ' property="og:title" content="A title"', " hidden",
    ' http-equiv="refresh" content="0;url=javascript:alert(1)"', ' a="', " <",
]  # fmt: skip
TEXTS = [
    "&amp;", "&lt;script&gt;", "&nbsp;", "&#0;", "&#xD800;", "&#x110000;", "&bogus",
    "<!-- a comment -->", "<![CDATA[ x ]]>", "<?php echo 1; ?>", "</p>", "</div></div>",
    "<", ">", "document.write('<p>written</p>')", '{"@type": "NewsArticle"}',
]  # fmt: skip
SENTENCES = st.sampled_from(documents.NEWS_BODY + documents.NEWS_COMMENTS + [documents.NEWS_QUOTE])


def _element(tag: str, attributes: list[str], children: list[str], closed: bool) -> str:
    inner = "".join(children)
    return f"<{tag}{''.join(attributes)}>{inner}" + (f"</{tag}>" if closed else "")


def html_trees() -> st.SearchStrategy[str]:
    leaves = st.one_of(SENTENCES, st.sampled_from(TEXTS), st.text(max_size=30))
    return st.recursive(
        leaves,
        lambda children: st.builds(
            _element,
            st.sampled_from(TAGS),
            st.lists(st.sampled_from(ATTRIBUTES), max_size=3),
            st.lists(children, max_size=5),
            st.booleans(),
        ),
        max_leaves=40,
    )


@st.composite
def web_pages(draw) -> bytes:
    """A page of a random tree, with or without the usual head and body around it."""
    body = "".join(draw(st.lists(html_trees(), min_size=1, max_size=4)))
    head = draw(st.sampled_from(["", "<head><title>Talks in Damascus</title></head>"]))
    page = draw(
        st.sampled_from(
            [
                f"<!DOCTYPE html><html>{head}<body>{body}</body></html>",
                f"<html>{head}{body}",
                body,
            ]
        )
    )
    return page.encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])), errors="replace")


TEXT_INPUTS = st.one_of(st.binary(max_size=600), markdown_text(), mutated(FIXTURES["text"]))
HTML_INPUTS = st.one_of(st.binary(max_size=600), web_pages(), mutated(FIXTURES["html"]))
PDF_INPUTS = st.one_of(
    st.binary(max_size=300).map(lambda data: b"%PDF-1.7\n" + data), mutated(FIXTURES["pdf"])
)


# --------------------------------------------------------------------------- checks


@pytest.fixture(autouse=True)
def quiet_readers():
    levels = {name: logging.getLogger(name).level for name in QUIET}
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def read_or_refuse(data: bytes, source_format: str) -> Document | None:
    """The document, or None when it is refused with a reason; any other exception is
    the fuzzer's finding and goes up."""
    try:
        document = read_document(data, source_format=source_format, fallback_title="fuzzed")
    except ImportFailedError as refusal:
        reason = str(refusal)
        assert reason and "\n" not in reason, f"not a one-line reason: {reason!r}"
        event(f"refused: {re.sub(r'[0-9,.]+', '#', reason)[:60]}")
        return None
    event("read")
    assert isinstance(document, Document)
    assert isinstance(document.parsed, ParsedArticle)
    assert isinstance(document.raw_text, str) and "\x00" not in document.raw_text
    assert isinstance(document.parsed.title, str) and document.parsed.title
    for paragraph in document.parsed.paragraphs:
        assert paragraph.kind in PARAGRAPH_KINDS, paragraph
        assert isinstance(paragraph.markup, str)
    return document


# --------------------------------------------------------------------------- the readers


@fuzz(400)
@given(data=TEXT_INPUTS, source_format=st.sampled_from(["text", "markdown"]))
def test_a_text_file_reads_as_a_document_or_is_refused_with_a_reason(data, source_format):
    read_or_refuse(data, source_format)


@fuzz(150)
@given(data=HTML_INPUTS)
# A fragment whose first element lxml made the root: trafilatura's date finder failed
# (an AssertionError in lxml's drop_tree) trying to remove that root.
@example(data=b"<svg><A>html")
def test_a_web_page_reads_as_a_document_without_scripts_or_is_refused(data):
    document = read_or_refuse(data, "html")
    if document is not None:
        assert active_content(document.raw_text) == []
        # The import can be redone from what is stored.
        again = read_document(document.raw_text.encode(), source_format="html", fallback_title="x")
        assert again.parsed.paragraphs == document.parsed.paragraphs


class ChildFailures(logging.Handler):
    """What the PDF reader's child process wrote when it died of an exception (exit
    status 1, a Python traceback): a bug of ours, which the importer only reports as
    "the PDF could not be read"."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.tracebacks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.args and record.args[0] == 1:
            self.tracebacks.append(record.getMessage())


@pytest.fixture
def child_failures():
    handler = ChildFailures()
    logger = logging.getLogger("corpus.parsing.pdf")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


@fuzz(15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=PDF_INPUTS)
def test_a_pdf_reads_as_a_document_or_is_refused_with_a_reason(child_failures, data):
    with override_settings(CROSSREAD_IMPORT_PDF_SECONDS=15):
        read_or_refuse(data, "pdf")
    assert not child_failures.tracebacks, child_failures.tracebacks[-1]


WORDS = st.sampled_from(
    ["Syria", "Iran", "the", "secu-", "rity", "12", "iv", "Page 3", "•", "—", "Ref.",
     "talks.", "(2019)", "https://", "a@", "ﬁ", "", " ", "-", "Introduction"]
)  # fmt: skip


@st.composite
def pdf_lines(draw, page: int, width: float, height: float) -> layout.Line:
    size = draw(st.floats(0.5, 40))
    x0 = draw(st.floats(-50, width + 50))
    x1 = x0 + draw(st.floats(0, width))
    baseline = draw(st.floats(-50, height + 50))
    text = " ".join(draw(st.lists(WORDS, min_size=1, max_size=12))).strip() or "x"
    return layout.Line(
        text=text, x0=x0, x1=x1, baseline=baseline, top=baseline + 0.8 * size,
        bottom=baseline - 0.2 * size, size=size, bold=draw(st.booleans()),
        first_word=draw(st.floats(0, x1 - x0)), page=page,
    )  # fmt: skip


@st.composite
def pdf_pages(draw) -> list[layout.Page]:
    pages = []
    for number in range(draw(st.integers(1, 4))):
        width, height = draw(st.sampled_from([(612, 792), (595, 842), (200, 100), (1, 1)]))
        lines = draw(st.lists(pdf_lines(number, width, height), max_size=40))
        if draw(st.booleans()):  # a page of one layout repeated, as pages are
            lines = lines * 2
        pages.append(layout.Page(number, width, height, lines))
    return pages


@st.composite
def typeset_pdfs(draw) -> bytes:
    """A PDF of text set anywhere on its pages, in any of the standard fonts, at any
    size, some of it rotated: a text layer pdfium reads for real."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.core_fonts_encoding = "windows-1252"  # the standard fonts' own: "•", "—"
    pdf.set_auto_page_break(False)
    for _ in range(draw(st.integers(1, 3))):
        pdf.add_page()
        for _ in range(draw(st.integers(0, 30))):
            family = draw(st.sampled_from(["Helvetica", "Times", "Courier"]))
            pdf.set_font(
                family, draw(st.sampled_from(["", "B", "I", "BI"])), draw(st.floats(1, 60))
            )
            text = " ".join(draw(st.lists(WORDS, min_size=1, max_size=10))).replace("ﬁ", "fi")
            x, y = draw(st.floats(-20, pdf.w)), draw(st.floats(-20, pdf.h + 20))
            angle = draw(st.sampled_from([0, 0, 0, 90, 45, 180]))
            with pdf.rotation(angle, x, y):
                pdf.text(x, y, text)
    return bytes(pdf.output())


@fuzz(40)
@given(data=typeset_pdfs())
def test_the_text_layer_of_any_typeset_pdf_is_read_or_refused(data):
    """In this process (these PDFs are small and well formed): reading pages, lines and
    their layout from what pdfium reports."""
    try:
        text = layout.extract_text(data, max_pages=10, max_chars=100_000)
    except layout.PdfRefused as refusal:
        assert str(refusal) == layout.NO_TEXT
    else:
        assert text.strip()


@fuzz(200)
@given(pages=pdf_pages())
def test_the_layout_of_any_lines_on_any_pages_is_text(pages):
    """The layout engine, on the geometry pdfium could report, without a PDF: it runs in
    the child, where an exception would only say "the PDF could not be read"."""
    text = layout.layout_text(pages)
    assert isinstance(text, str)


# --------------------------------------------------------------------------- the service

_names = itertools.count()
SERVICE_INPUTS = st.one_of(
    st.tuples(st.sampled_from(["txt", "md"]), TEXT_INPUTS),
    st.tuples(st.just("html"), HTML_INPUTS),
    st.tuples(st.just("pdf"), PDF_INPUTS),
)
# What the service says when a reader failed in a way it did not plan for.
UNPLANNED = ("the importer failed on this file", "the import failed (")


@fuzz(40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=SERVICE_INPUTS)
def test_an_import_stores_an_article_with_paragraphs_or_fails_leaving_nothing(db, case):
    """One database for all the examples (the ``db`` fixture's transaction): each
    example counts the rows before and after."""
    suffix, data = case
    before = (Article.objects.count(), Paragraph.objects.count())
    with override_settings(CROSSREAD_IMPORT_PDF_SECONDS=15):
        prepared = prepare_article_bytes(
            data, name=f"fuzzed-{next(_names)}.{suffix}", fallback_title="fuzzed"
        )
        outcome = article_import_prepared(prepared)
    event(outcome.status)
    if outcome.status == "failed":
        assert outcome.error and not outcome.error.startswith(UNPLANNED), outcome.error
        assert (Article.objects.count(), Paragraph.objects.count()) == before
    else:
        assert outcome.status in {"created", "unchanged"}, outcome.status
        assert outcome.article is not None
        assert outcome.article.paragraphs.exists()
        if outcome.status == "created":
            assert Article.objects.count() == before[0] + 1
