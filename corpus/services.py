"""Writes to the corpus: importing article files.

One file is one transaction. Parsing happens before it (no database work), so a
file that cannot be read or parsed never touches the database, and a file whose
write fails leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from corpus.markup import html_to_text, render_markdown, render_plain
from corpus.models import Article, Paragraph, ParagraphKind, paragraph_hash
from corpus.parsing import ParsedArticle, UnreadableFileError, decode_document, parse_document

logger = logging.getLogger(__name__)

# Bump when the parser's output changes, so that re-importing an unchanged file
# applies the new rules instead of being skipped.
PARSER_VERSION = 1
IMPORTABLE_SUFFIXES = (".txt", ".md", ".markdown")


class ImportFailedError(Exception):
    """A file could not be imported; the message says why in one line."""


@dataclass
class ImportOutcome:
    path: str
    status: str  # created, updated, unchanged or failed
    article: Article | None = None
    error: str = ""
    paragraph_kinds: Counter = field(default_factory=Counter)


@dataclass
class RenderedParagraph:
    kind: str
    level: int | None
    text: str
    html: str
    content_hash: str


def source_name(path: Path) -> str:
    """How an article remembers its file: relative to the project when inside it."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(resolved)


def read_article_file(path: Path) -> tuple[bytes, str, str]:
    """The file's bytes, decoded text and encoding, or ImportFailedError with the reason."""
    if not path.exists():
        raise ImportFailedError("no such file or directory")
    if not path.is_file():
        raise ImportFailedError("not a regular file")
    if path.suffix.lower() not in IMPORTABLE_SUFFIXES:
        raise ImportFailedError(
            f"unsupported file type {path.suffix or '(none)'!r}; Crossread imports "
            + ", ".join(IMPORTABLE_SUFFIXES)
        )
    size = path.stat().st_size
    limit = settings.CROSSREAD_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFailedError(
            f"too large ({size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.1f} MB)"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailedError(f"cannot read: {error.strerror or error}") from None
    try:
        text, encoding = decode_document(data)
    except UnreadableFileError as error:
        raise ImportFailedError(str(error)) from None
    return data, text, encoding


def render_paragraphs(parsed: ParsedArticle) -> list[RenderedParagraph]:
    rendered = []
    for paragraph in parsed.paragraphs:
        if parsed.markup_format == "markdown":
            html = render_markdown(paragraph.markup, inline=True)
            text = html_to_text(html)
        else:
            text = " ".join(paragraph.markup.split())
            html = render_plain(text)
        if not text:
            continue
        level = paragraph.level if paragraph.kind == ParagraphKind.HEADING else None
        rendered.append(
            RenderedParagraph(
                kind=paragraph.kind,
                level=level,
                text=text,
                html=html,
                content_hash=paragraph_hash(kind=paragraph.kind, level=level, html=html),
            )
        )
    return rendered


def article_import_file(*, path: Path, force: bool = False) -> ImportOutcome:
    """Import one file: create its article, update it in place, or leave it as it is."""
    name = source_name(path)
    try:
        data, text, encoding = read_article_file(path)
        content_hash = hashlib.sha256(data).hexdigest()
        existing = _find_existing(source_file=name, content_hash=content_hash)
        if existing and not force and _is_current(existing, content_hash):
            return ImportOutcome(path=name, status="unchanged", article=existing)
        parsed = parse_document(text, fallback_title=path.stem.replace("_", " "))
        paragraphs = render_paragraphs(parsed)
        if not paragraphs:
            raise ImportFailedError("no paragraphs of text found")
        article, status = article_save_parsed(
            parsed=parsed,
            paragraphs=paragraphs,
            raw_text=text,
            content_hash=content_hash,
            source_file=name,
            encoding=encoding,
        )
    except ImportFailedError as error:
        return ImportOutcome(path=name, status="failed", error=str(error))
    except Exception as error:  # a bug or a database error: report it, go on with the next file
        logger.debug("import of %s failed", name, exc_info=True)
        return ImportOutcome(path=name, status="failed", error=f"{type(error).__name__}: {error}")
    return ImportOutcome(
        path=name,
        status=status,
        article=article,
        paragraph_kinds=Counter(paragraph.kind for paragraph in paragraphs),
    )


def _find_existing(*, source_file: str, content_hash: str) -> Article | None:
    return (
        Article.objects.filter(source_file=source_file).first()
        or Article.objects.filter(content_hash=content_hash).first()
    )


def _is_current(article: Article, content_hash: str) -> bool:
    return article.content_hash == content_hash and article.parser_version == PARSER_VERSION


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)
    if len(base) > 90:
        base = base[:91].rsplit("-", 1)[0]  # cut at a word boundary
    base = base.strip("-") or "article"
    taken = set(
        Article.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


@transaction.atomic
def article_save_parsed(
    *,
    parsed: ParsedArticle,
    paragraphs: list[RenderedParagraph],
    raw_text: str,
    content_hash: str,
    source_file: str,
    encoding: str,
) -> tuple[Article, str]:
    """Create or update the article of one file, with its paragraphs and keywords."""
    article = (
        Article.objects.select_for_update().filter(source_file=source_file).first()
        or Article.objects.select_for_update().filter(content_hash=content_hash).first()
    )
    status = "updated" if article else "created"
    if article is None:
        article = Article(slug=_unique_slug(parsed.title))
    elif article.title != parsed.title:
        article.slug = _unique_slug(parsed.title, exclude_pk=article.pk)
    article.title = parsed.title[:500]
    article.authors = parsed.authors
    article.outlet = parsed.outlet[:200]
    article.published = parsed.published
    article.kind = parsed.kind
    article.abstract = parsed.abstract
    article.affiliations = parsed.affiliations
    article.received = parsed.received
    article.accepted = parsed.accepted
    article.outlet_labels = parsed.outlet_labels
    article.source_file = source_file
    article.source_url = parsed.source_url
    article.source_encoding = encoding
    article.markup_format = parsed.markup_format
    article.raw_text = raw_text
    article.content_hash = content_hash
    article.parser_version = PARSER_VERSION
    article.full_clean(exclude=["slug"] if status == "updated" else None)
    article.save()
    if status == "created":
        _create_paragraphs(article, paragraphs)
    else:
        _update_paragraphs(article, paragraphs)
    if parsed.keywords or status == "updated":
        article.keywords.set(parsed.keywords)
    return article, status


def _create_paragraphs(article: Article, paragraphs: list[RenderedParagraph]) -> None:
    rows = [
        Paragraph(
            article=article,
            position=position,
            kind=paragraph.kind,
            level=paragraph.level,
            text=paragraph.text,
            html=paragraph.html,
            content_hash=paragraph.content_hash,
        )
        for position, paragraph in enumerate(paragraphs, start=1)
    ]
    Paragraph.objects.bulk_create(rows, batch_size=500)
    _link_headings(rows)


def _update_paragraphs(article: Article, paragraphs: list[RenderedParagraph]) -> None:
    """Keep the rows of unchanged paragraphs (and their ids); rewrite, add or drop the rest.

    Paragraphs are matched by content hash in order (a diff), so an inserted or
    removed paragraph does not change the identity of the paragraphs around it.
    A changed paragraph that takes the place of an old one keeps the old row.
    """
    old = list(article.paragraphs.order_by("position"))
    matcher = SequenceMatcher(
        a=[row.content_hash for row in old],
        b=[paragraph.content_hash for paragraph in paragraphs],
        autojunk=False,
    )
    final: list[Paragraph | None] = [None] * len(paragraphs)
    unused: list[Paragraph] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(old_end - old_start):
                final[new_start + offset] = old[old_start + offset]
            continue
        reusable = old[old_start:old_end]
        for new_index in range(new_start, new_end):
            if reusable:
                final[new_index] = reusable.pop(0)
        unused.extend(reusable)

    if unused:
        Paragraph.objects.filter(pk__in=[row.pk for row in unused]).delete()
    # Move the kept rows out of the way so that renumbering never collides.
    offset = len(old) + len(paragraphs) + 1
    kept = [row for row in final if row is not None]
    if kept:
        Paragraph.objects.filter(pk__in=[row.pk for row in kept]).update(
            position=F("position") + offset
        )
    to_update, to_create = [], []
    for position, (row, paragraph) in enumerate(zip(final, paragraphs, strict=True), start=1):
        if row is None:
            row = Paragraph(article=article)
            to_create.append(row)
        else:
            to_update.append(row)
        row.position = position
        row.kind = paragraph.kind
        row.level = paragraph.level
        row.text = paragraph.text
        row.html = paragraph.html
        row.content_hash = paragraph.content_hash
        row.heading = None
        final[position - 1] = row
    if to_update:
        Paragraph.objects.bulk_update(
            to_update, ["position", "kind", "level", "text", "html", "content_hash"], batch_size=500
        )
    if to_create:
        Paragraph.objects.bulk_create(to_create, batch_size=500)
    _link_headings(final, clear_missing=True)


def _link_headings(rows: list[Paragraph], *, clear_missing: bool = False) -> None:
    """Point every paragraph at the heading it falls under (the nearest heading above
    it; for a heading, the nearest one of a higher rank)."""
    open_headings: list[Paragraph] = []
    changed = []
    for row in rows:
        if row.kind == ParagraphKind.HEADING:
            level = row.level or 2
            while open_headings and (open_headings[-1].level or 2) >= level:
                open_headings.pop()
            parent = open_headings[-1] if open_headings else None
            open_headings.append(row)
        else:
            parent = open_headings[-1] if open_headings else None
        if parent is not None or clear_missing:
            row.heading = parent
            changed.append(row)
    if changed:
        Paragraph.objects.bulk_update(changed, ["heading"], batch_size=500)
