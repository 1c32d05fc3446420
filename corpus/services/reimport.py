"""Importing an article again from the text it keeps (``Article.raw_text``): after the
parser changed, or to undo curation of its paragraphs. It is an import like any other:
parsed by the importer's rules for the article's format, and written through the
importer's one write path (``article_save_parsed``, then ``article_text_replace``), so
that annotations on changed paragraphs are placed again."""

from __future__ import annotations

import logging
from collections import Counter

from django.db import transaction

from corpus.models import Article, Paragraph
from corpus.parsing import parse_document
from corpus.services.formats import Document, ImportFailedError, read_document
from corpus.services.importing import ImportOutcome, article_save_parsed, render_paragraphs

logger = logging.getLogger(__name__)

# What an article's state is compared on, to tell "unchanged" from "updated".
_UNCOMPARED_FIELDS = frozenset({"updated_at", "imported_at"})


class _Unchanged(Exception):
    """Raised to roll back a re-import that changed nothing."""


def article_reimport(*, article: Article) -> ImportOutcome:
    """Parse the article's raw text again and write the result: status "updated", or
    "unchanged" (nothing written: same fields, paragraphs and keywords as stored), or
    "failed" with the importer's reason (nothing written)."""
    name = article.source_file or article.slug
    try:
        return _reimport(article.pk, name)
    except ImportFailedError as error:
        return ImportOutcome(path=name, status="failed", article=article, error=str(error))
    except Article.DoesNotExist:
        return ImportOutcome(path=name, status="failed", error="the article no longer exists")


def _reimport(pk: int, name: str) -> ImportOutcome:
    try:
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=pk)
            before = _state(article)
            document = _read_again(article)
            paragraphs = render_paragraphs(document.parsed)
            if not paragraphs:
                raise ImportFailedError("no article text found in the stored raw text")
            article, change = article_save_parsed(
                parsed=document.parsed,
                paragraphs=paragraphs,
                raw_text=article.raw_text,
                # The file's own hash and encoding: the raw text is the file as read,
                # not its bytes (for a PDF, its text layer).
                content_hash=article.content_hash,
                source_file=article.source_file,
                encoding=article.source_encoding,
                source_format=document.source_format,
                existing_pk=article.pk,
                team=article.team,
            )
            if _state(article) == before:
                raise _Unchanged
    except _Unchanged:
        return ImportOutcome(
            path=name, status="unchanged", article=Article.objects.defer("raw_text").get(pk=pk)
        )
    logger.info("article %s re-imported from its raw text: %s", pk, dict(change.summary))
    return ImportOutcome(
        path=name,
        status="updated",
        article=article,
        paragraph_kinds=Counter(paragraph.kind for paragraph in paragraphs),
        paragraphs=change.summary,
        effects=change.effects,
    )


def _read_again(article: Article) -> Document:
    """The article in its raw text, by the rules of its format. A PDF keeps its text
    layer, which goes to the text parser as on the first import."""
    fallback_title = article.title or "Untitled"
    if article.source_format == "pdf":
        text = article.raw_text
        return Document(
            text,
            article.source_encoding,
            "pdf",
            parse_document(text, fallback_title=fallback_title),
        )
    return read_document(
        article.raw_text.encode("utf-8"),
        source_format=article.source_format,
        fallback_title=fallback_title,
    )


def _state(article: Article) -> tuple:
    """What a re-import may change: the article's fields, its paragraphs, its keywords."""
    names = [
        field.attname
        for field in Article._meta.concrete_fields
        if field.attname not in _UNCOMPARED_FIELDS
    ]
    fields = Article.objects.filter(pk=article.pk).values_list(*names).get()
    paragraphs = list(
        Paragraph.objects.filter(article_id=article.pk)
        .order_by("position")
        .values_list("kind", "level", "markup", "text", "html")
    )
    keywords = sorted(article.keywords.values_list("name", flat=True))
    return fields, paragraphs, keywords
