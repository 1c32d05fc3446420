"""Saved web pages: what a reader of the imported article notices. The article's text,
in order and with its kinds (subheading, quote, list, caption, reader comments); none
of the page's furniture; none of its scripts, in the paragraphs or in the page kept
as the article's source; and a clear refusal of what is not an article page."""

import gzip
import re

import pytest

from corpus.models import Article, Paragraph
from corpus.services.formats import ImportFailedError, read_document
from corpus.services.importing import article_import_prepared, prepare_article_bytes
from corpus.services.paragraphs import render_paragraph
from tests import documents
from tests.data.xss_vectors import VECTORS
from tests.documents import active_content


def read_page(data: bytes, *, fallback_title: str = "saved page"):
    return read_document(data, source_format="html", fallback_title=fallback_title)


@pytest.fixture(scope="module")
def news():
    return read_page(documents.news_page_html())


def kinds_and_texts(document, *, comments: bool = False) -> list[tuple[str, str]]:
    return [
        (paragraph.kind, paragraph.markup)
        for paragraph in document.parsed.paragraphs
        if comments or paragraph.kind != "reader_comment"
    ]


def test_the_title_byline_date_and_outlet_are_taken_from_the_page(news):
    article = news.parsed
    assert article.title == documents.NEWS_TITLE  # without the outlet's " | The Levant Ledger"
    assert article.authors == [documents.NEWS_AUTHOR]
    assert article.published.isoformat() == documents.NEWS_DATE
    assert article.outlet == documents.NEWS_OUTLET
    assert article.source_url == documents.NEWS_URL
    assert article.kind == "news"
    assert news.source_format == "html"


def test_the_article_text_is_kept_in_order_with_its_heading_quote_list_and_caption(news):
    first, second, third, fourth, fifth, sixth = documents.NEWS_BODY
    introduction = (
        "The positions that matter most to the two governments, according to a report "
        "published this month by a research centre in Amman, are these:"
    )
    assert kinds_and_texts(news) == [
        ("caption", documents.NEWS_CAPTION),
        ("body", first),
        ("body", second),
        ("body", third),
        ("heading", documents.NEWS_SUBHEADING),
        ("body", fourth),
        ("quote", documents.NEWS_QUOTE),
        ("body", introduction),
        *[("list_item", item) for item in documents.NEWS_LIST],
        ("body", fifth),
        ("body", sixth),
    ]
    heading = next(p for p in news.parsed.paragraphs if p.kind == "heading")
    assert heading.level == 2


@pytest.mark.parametrize("furniture", documents.NEWS_FURNITURE)
def test_the_pages_furniture_is_in_no_paragraph(news, furniture):
    """The menu, the cookie banner, the share buttons, the "Read more:" teaser and the
    related articles are the site's, not the article's."""
    assert not [p.markup for p in news.parsed.paragraphs if furniture in p.markup]


def test_reader_comments_are_kept_apart_as_reader_comments(news):
    comments = [p.markup for p in news.parsed.paragraphs if p.kind == "reader_comment"]
    assert comments == documents.NEWS_COMMENTS
    # Who wrote them and when is the comment widget's, not a paragraph.
    everything = " ".join(p.markup for p in news.parsed.paragraphs)
    assert "levant_watcher" not in everything and "hours ago" not in everything
    # ...and they come after the article, not inside it.
    kinds = [p.kind for p in news.parsed.paragraphs]
    assert kinds[-2:] == ["reader_comment", "reader_comment"]


def test_script_text_is_never_an_article_paragraph(news):
    everything = " ".join(p.markup for p in news.parsed.paragraphs)
    assert documents.NEWS_SCRIPT_TEXT not in everything
    assert "dataLayer" not in everything and "copyLink" not in everything


def test_the_stored_page_keeps_its_json_ld_and_nothing_that_runs(news):
    page = news.raw_text
    assert active_content(page) == []
    scripts = re.findall(r"<script\b[^>]*>", page, re.IGNORECASE)
    assert scripts == ['<script type="application/ld+json">']
    assert '"@type": "NewsArticle"' in page  # the metadata stays, as data
    for gone in ("dataLayer", "document.write", "navigator.clipboard", "onclick", "onerror"):
        assert gone not in page
    assert "javascript:" not in page.lower()
    # What a reader sees of the page is still there.
    assert documents.NEWS_BODY[0] in page and documents.NEWS_CAPTION in page


def test_the_stored_page_reads_as_the_same_article_so_the_import_can_be_redone(news):
    again = read_page(news.raw_text.encode("utf-8"))
    assert again.parsed.paragraphs == news.parsed.paragraphs
    for field in ("title", "authors", "published", "outlet", "source_url", "kind"):
        assert getattr(again.parsed, field) == getattr(news.parsed, field), field
    assert again.raw_text == news.raw_text  # cleaning a clean page changes nothing


@pytest.mark.parametrize("vector", VECTORS, ids=range(len(VECTORS)))
def test_an_attack_in_the_article_runs_neither_from_the_stored_page_nor_a_paragraph(vector):
    page = documents.news_page_html().replace(
        b"<p>" + documents.NEWS_BODY[2].encode(),
        vector.encode() + b"<p>" + documents.NEWS_BODY[2].encode(),
    )
    document = read_page(page)
    assert active_content(document.raw_text) == []
    texts = [p.markup for p in document.parsed.paragraphs]
    # The text before it is kept (some vectors leave an element open that swallows the
    # rest, as they would in a browser).
    assert documents.NEWS_BODY[0] in texts and documents.NEWS_BODY[1] in texts
    for paragraph in document.parsed.paragraphs:
        # The paragraphs are inline markdown, and the tags in them are text.
        rendered = render_paragraph(
            kind=paragraph.kind, level=paragraph.level, markup=paragraph.markup,
            markup_format=document.parsed.markup_format,
        ).html  # fmt: skip
        assert active_content(f"<html><body>{rendered}</body></html>") == [], rendered
        assert "<script" not in rendered.lower() and "<img" not in rendered.lower()


@pytest.mark.parametrize(
    "page",
    [
        documents.script_only_page_html(),
        b"<html><head><title>Syria live</title></head><body><nav><ul><li><a href='/'>Home"
        b"</a></li><li><a href='/world'>World</a></li></ul></nav></body></html>",
        b"<html><head><title>Syria live</title></head><body></body></html>",
        b"<html><body><figure><img src='a.jpg'><figcaption>Damascus at night, 2023."
        b"</figcaption></figure></body></html>",
    ],
    ids=["text written by scripts", "a menu alone", "an empty body", "a captioned image alone"],
)
def test_a_page_without_article_text_is_refused_as_such(page):
    with pytest.raises(ImportFailedError, match=r"^no article text found$"):
        read_page(page)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bytes(range(256)) * 40, "not an HTML page (binary data)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500), "not an HTML page (binary data)"),
        (documents.one_page_pdf(), "not an HTML page (it is a PDF)"),
        (b"", "not an HTML page (no document in it)"),
    ],
    ids=["random bytes", "an image", "a PDF", "an empty file"],
)
def test_a_file_named_html_that_is_no_page_is_refused_with_what_it_is(data, reason):
    with pytest.raises(ImportFailedError) as error:
        read_page(data)
    assert str(error.value) == reason


def test_a_gzip_compressed_page_is_refused_not_inflated():
    with pytest.raises(ImportFailedError) as error:
        read_page(gzip.compress(documents.news_page_html()))
    assert str(error.value) == (
        "a compressed file (gzip, brotli or the like), not an HTML page: save the page uncompressed"
    )


def test_a_page_saved_in_utf16_or_windows_1252_reads_as_the_same_article(news):
    page = documents.news_page_html().decode("utf-8")
    assert read_page(page.encode("utf-16")).parsed.paragraphs == news.parsed.paragraphs
    legacy = page.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "Mediterranean", "Méditerranée"
    )
    document = read_page(legacy.encode("cp1252"))
    assert ("heading", "A corridor to the Méditerranée") in kinds_and_texts(document)


def test_a_web_page_imports_as_an_article_with_its_paragraphs(db):
    prepared = prepare_article_bytes(
        documents.news_page_html(), name="levant-ledger.html", fallback_title="levant ledger"
    )
    outcome = article_import_prepared(prepared)
    assert outcome.status == "created", outcome.error
    article = Article.objects.get()
    assert article.source_format == "html"
    assert article.title == documents.NEWS_TITLE
    assert article.authors == [documents.NEWS_AUTHOR]
    assert article.outlet == documents.NEWS_OUTLET
    assert article.published.isoformat() == documents.NEWS_DATE
    assert article.source_url == documents.NEWS_URL
    assert active_content(article.raw_text) == []
    rows = list(article.paragraphs.order_by("position").values_list("kind", "text"))
    assert rows[:3] == [
        ("caption", documents.NEWS_CAPTION),
        ("body", documents.NEWS_BODY[0]),
        ("body", documents.NEWS_BODY[1]),
    ]
    assert ("heading", documents.NEWS_SUBHEADING) in rows
    assert ("quote", documents.NEWS_QUOTE) in rows
    assert [text for kind, text in rows if kind == "list_item"] == documents.NEWS_LIST
    assert [text for kind, text in rows if kind == "reader_comment"] == documents.NEWS_COMMENTS
    assert not Paragraph.objects.filter(html__icontains="<script").exists()

    # The same page again is the same article, left as it was.
    again = article_import_prepared(
        prepare_article_bytes(
            documents.news_page_html(), name="levant-ledger.html", fallback_title="x"
        )
    )
    assert again.status == "unchanged"
    assert Article.objects.count() == 1
