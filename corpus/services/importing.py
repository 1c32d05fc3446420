"""Importing article files.

One file is one transaction. Parsing happens before it (no database work), so a
file that cannot be read or parsed never touches the database, and a file whose
write fails leaves the database as it was. Paragraphs are written through the one
write path of ``corpus.services.paragraphs``: an edited file updates its article in
place, and what is anchored to changed paragraphs is placed again.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify
from taggit.models import Tag

from corpus.models import Article, TaggedArticle
from corpus.parsing import ParsedArticle, UnreadableFileError, decode_document, parse_document
from corpus.services.paragraphs import (
    NewParagraph,
    TextChange,
    article_text_replace,
    render_paragraph,
)

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
    # For an update: paragraphs kept, changed, added and removed, and what the
    # change did to what builds on the text (e.g. "annotations": kept, moved...).
    paragraphs: Counter = field(default_factory=Counter)
    effects: dict[str, Counter] = field(default_factory=dict)


def source_name(path: Path) -> str:
    """How an article remembers its file: relative to the project when inside it. (A
    name that is not UTF-8 is kept printable; such a file is refused when read.)"""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a link loop: reported when the file is read
        return str(path)
    try:
        return str(resolved.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(resolved)


def read_article_file(path: Path) -> tuple[bytes, str, str]:
    """The file's bytes, decoded text and encoding, or ImportFailedError with the reason."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise ImportFailedError("the file's name is not valid UTF-8: rename the file") from None
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ImportFailedError("a symbolic link loop") from None
        if path.is_symlink():
            raise ImportFailedError(
                "a dangling symbolic link (its target does not exist)"
            ) from None
        raise ImportFailedError(
            error.strerror.lower() if error.strerror else "cannot read it"
        ) from None
    if not stat.S_ISREG(mode):
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
    if "\x00" in text:
        # Beyond the first bytes the binary check reads; PostgreSQL stores no NUL.
        raise ImportFailedError(
            f"a NUL character at offset {text.index(chr(0)):,}: binary data, not text"
        )
    return data, text, encoding


def render_paragraphs(parsed: ParsedArticle) -> list[NewParagraph]:
    rendered = []
    for paragraph in parsed.paragraphs:
        new = render_paragraph(
            kind=paragraph.kind,
            level=paragraph.level,
            markup=paragraph.markup,
            markup_format=parsed.markup_format,
        )
        if new.text:
            rendered.append(new)
    return rendered


@dataclass
class PreparedFile:
    """A file read, hashed and (unless it looked unchanged) parsed: no database work yet."""

    path: Path
    name: str
    content_hash: str = ""
    text: str = ""
    encoding: str = ""
    parsed: ParsedArticle | None = None
    paragraphs: list[NewParagraph] = field(default_factory=list)
    error: str = ""


def prepare_article_file(path: Path, *, current: frozenset[str] = frozenset()) -> PreparedFile:
    """Read, decode and parse one file. Safe to run in another thread: no database.

    ``current`` holds ``"<source file>\0<hash>"`` keys and bare hashes of articles
    already imported with this parser: a file matching one is not parsed, since it
    is most likely unchanged (the database has the last word, in the writer).
    """
    prepared = PreparedFile(path=path, name=source_name(path))
    try:
        data, prepared.text, prepared.encoding = read_article_file(path)
        prepared.content_hash = hashlib.sha256(data).hexdigest()
        if (
            f"{prepared.name}\0{prepared.content_hash}" in current
            or prepared.content_hash in current
        ):
            return prepared
        _parse_prepared(prepared)
    except ImportFailedError as error:
        prepared.error = str(error)
    except Exception as error:  # a parser bug: report it for this file, go on with the others
        logger.debug("parsing %s failed", prepared.name, exc_info=True)
        prepared.error = f"{type(error).__name__}: {error}"
    return prepared


def _parse_prepared(prepared: PreparedFile) -> None:
    prepared.parsed = parse_document(
        prepared.text, fallback_title=prepared.path.stem.replace("_", " ")
    )
    prepared.paragraphs = render_paragraphs(prepared.parsed)
    if not prepared.paragraphs:
        raise ImportFailedError("no paragraphs of text found")


def article_import_prepared(prepared: PreparedFile, *, force: bool = False) -> ImportOutcome:
    """Write one prepared file: create its article, update it in place, or leave it."""
    name = prepared.name
    if prepared.error:
        return ImportOutcome(path=name, status="failed", error=prepared.error)
    try:
        return _write_prepared(prepared, force=force)
    except ImportFailedError as error:
        return ImportOutcome(path=name, status="failed", error=str(error))
    except Exception as error:  # a bug or a database error: report it, go on with the next file
        logger.exception("import of %s failed", name)
        return ImportOutcome(path=name, status="failed", error=f"{type(error).__name__}: {error}")


@transaction.atomic
def _write_prepared(prepared: PreparedFile, *, force: bool) -> ImportOutcome:
    """The file's article is looked up inside the transaction that writes it, under a
    lock on its name and content: two imports of one file at once make one article."""
    name = prepared.name
    _lock_import(name, prepared.content_hash)
    existing = _find_existing(source_file=name, content_hash=prepared.content_hash)
    if existing and not force and _is_current(existing, prepared.content_hash):
        return ImportOutcome(path=name, status="unchanged", article=existing)
    if prepared.parsed is None:
        _parse_prepared(prepared)
    article, change = article_save_parsed(
        parsed=prepared.parsed,
        paragraphs=prepared.paragraphs,
        raw_text=prepared.text,
        content_hash=prepared.content_hash,
        source_file=name,
        encoding=prepared.encoding,
        existing_pk=existing.pk if existing else None,
    )
    return ImportOutcome(
        path=name,
        status="updated" if existing else "created",
        article=article,
        paragraph_kinds=Counter(paragraph.kind for paragraph in prepared.paragraphs),
        paragraphs=change.summary if existing else Counter(),
        effects=change.effects,
    )


def _lock_import(*keys: str) -> None:
    """PostgreSQL: transaction-scoped advisory locks on the file's name and content.
    SQLite's transactions take the write lock as they begin (IMMEDIATE), which
    serialises imports already."""
    if connection.vendor != "postgresql":
        return
    numbers = sorted(
        int.from_bytes(
            hashlib.sha256(f"crossread-import:{key}".encode()).digest()[:8], "big", signed=True
        )
        for key in keys
    )
    with connection.cursor() as cursor:  # in this order in every transaction: no deadlock
        cursor.execute("SELECT " + ", ".join(["pg_advisory_xact_lock(%s)"] * len(numbers)), numbers)


def article_import_file(*, path: Path, force: bool = False) -> ImportOutcome:
    """Import one file: create its article, update it in place, or leave it as it is."""
    return article_import_prepared(prepare_article_file(path), force=force)


def import_article_files(
    paths: Iterable[Path], *, force: bool = False, read_ahead: int = 0
) -> Iterator[ImportOutcome]:
    """Import many files, in order, one transaction each.

    ``read_ahead`` > 0 (the import command, on PostgreSQL): one worker thread reads and
    parses up to that many files ahead while this thread writes, so that parsing
    overlaps the database's round trips. The worker touches no database and changes
    no setting of the interpreter; web requests import one file at a time, without it.
    """
    current: frozenset[str] = frozenset()
    if not force:
        rows = Article.objects.filter(parser_version=PARSER_VERSION).values_list(
            "source_file", "content_hash"
        )
        current = frozenset(
            key
            for source_file, content_hash in rows
            for key in (f"{source_file}\0{content_hash}", content_hash)
        )
    if read_ahead <= 0:
        for path in paths:
            yield article_import_prepared(prepare_article_file(path, current=current), force=force)
        return
    paths = iter(paths)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crossread-parse") as pool:
        pending: deque[Future[PreparedFile]] = deque(
            pool.submit(prepare_article_file, path, current=current)
            for path in islice(paths, read_ahead)
        )
        while pending:
            prepared = pending.popleft().result()
            if (path := next(paths, None)) is not None:
                pending.append(pool.submit(prepare_article_file, path, current=current))
            yield article_import_prepared(prepared, force=force)


def _find_existing(*, source_file: str, content_hash: str) -> Article | None:
    """The article of this file: by its path, else by its content (a copy elsewhere)."""
    candidates = list(
        Article.objects.filter(Q(source_file=source_file) | Q(content_hash=content_hash))
        .order_by("pk")
        .only("pk", "slug", "title", "source_file", "content_hash", "parser_version")
    )
    for candidate in candidates:
        if candidate.source_file == source_file:
            return candidate
    return candidates[0] if candidates else None


def _is_current(article: Article, content_hash: str) -> bool:
    return article.content_hash == content_hash and article.parser_version == PARSER_VERSION


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)
    if len(base) > 90:
        base = base[:91].rsplit("-", 1)[0]  # cut at a word boundary
    base = base.strip("-") or "article"
    if not Article.objects.filter(slug=base).exclude(pk=exclude_pk).exists():
        return base  # the common case, on the unique index
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


@transaction.atomic(savepoint=False)
def article_save_parsed(
    *,
    parsed: ParsedArticle,
    paragraphs: list[NewParagraph],
    raw_text: str,
    content_hash: str,
    source_file: str,
    encoding: str,
    existing_pk: int | None = None,
) -> tuple[Article, TextChange]:
    """Create or update the article of one file, with its paragraphs and keywords."""
    article = None
    if existing_pk is not None:
        article = Article.objects.select_for_update().filter(pk=existing_pk).first()
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
    article.source_url = _valid_url(parsed.source_url)
    article.source_encoding = encoding
    article.markup_format = parsed.markup_format
    article.raw_text = raw_text
    article.content_hash = content_hash
    article.parser_version = PARSER_VERSION
    article.full_clean(validate_unique=False)
    _save_with_a_free_slug(article, parsed.title)
    change = article_text_replace(article=article, paragraphs=paragraphs, new=status == "created")
    _set_keywords(article, parsed.keywords, new=status == "created")
    return article, change


def _save_with_a_free_slug(article: Article, title: str) -> None:
    """Save the article; if another import took its slug meanwhile (two files of one
    title at once), take the next free one. The unique constraint decides."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                article.save()
            return
        except IntegrityError:
            if not Article.objects.filter(slug=article.slug).exclude(pk=article.pk).exists():
                raise  # not the slug: a real error
            article.slug = _unique_slug(title, exclude_pk=article.pk)
    raise ImportFailedError("many articles of this title are being imported at once: try again")


def _keyword_tag(name: str) -> Tag:
    """The keyword's tag, created; or, if another import created it meanwhile, theirs."""
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name)
    except IntegrityError:
        found = Tag.objects.filter(name__iexact=name).first()
        if found is None:
            raise
        return found


KEYWORD_MAX_LENGTH = 100  # taggit's Tag.name
KEYWORDS_PER_ARTICLE = 100


def clean_keywords(names: list[str]) -> list[str]:
    """The keywords worth keeping: spaces collapsed, repeats (ignoring case) dropped, a
    keyword longer than a tag can be cut at a word, at most KEYWORDS_PER_ARTICLE of
    them (a paper has a handful; thousands are a broken file, not keywords)."""
    cleaned: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())
        if len(name) > KEYWORD_MAX_LENGTH:
            name = (
                name[: KEYWORD_MAX_LENGTH + 1].rsplit(" ", 1)[0][:KEYWORD_MAX_LENGTH].rstrip(" ,;")
            )
        if name and name.casefold() not in cleaned:
            cleaned[name.casefold()] = name
        if len(cleaned) == KEYWORDS_PER_ARTICLE:
            break
    return list(cleaned.values())


def _valid_url(url: str) -> str:
    """The source URL the file gives, if it is one Crossread can keep; else none."""
    if not url or len(url) > 1000:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


def _set_keywords(article: Article, names: list[str], *, new: bool) -> None:
    """The article's keywords, in a few statements rather than taggit's few per tag."""
    names = clean_keywords(names)
    if new and not names:
        return
    tags = []
    if names:
        known = {
            tag.name.casefold(): tag
            for tag in Tag.objects.annotate(folded=Lower("name")).filter(
                folded__in=[name.lower() for name in names]
            )
        }
        for name in names:
            tag = known.get(name.casefold())
            if tag is None:
                tag = known[name.casefold()] = _keyword_tag(name)
            tags.append(tag)
    wanted = {tag.pk for tag in tags}
    if not new:
        TaggedArticle.objects.filter(content_object=article).exclude(tag_id__in=wanted).delete()
        wanted -= set(
            TaggedArticle.objects.filter(content_object=article).values_list("tag_id", flat=True)
        )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=article, tag_id=tag_id) for tag_id in sorted(wanted)
    )
