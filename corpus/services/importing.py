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
import secrets
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

from corpus.models import Article, ArticleVisibility, TaggedArticle, Team
from corpus.parsing import ParsedArticle
from corpus.services.formats import (
    IMPORTABLE_SUFFIXES,
    ImportFailedError,
    check_size,
    file_format,
    read_document,
)
from corpus.services.paragraphs import (
    NewParagraph,
    TextChange,
    article_text_replace,
    render_paragraph,
)

logger = logging.getLogger(__name__)

# Bump when the parser's output changes, so that re-importing an unchanged file
# applies the new rules instead of being skipped.
PARSER_VERSION = 2  # 2: web pages and PDFs
__all__ = ["IMPORTABLE_SUFFIXES", "ImportFailedError"]


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


def read_file_bytes(path: Path) -> bytes:
    """A file's bytes, or ImportFailedError with the reason (a link loop, a FIFO, a
    type Crossread does not import, too large...)."""
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
    file_format(path.name)
    check_size(path.stat().st_size)
    try:
        return path.read_bytes()
    except OSError as error:
        raise ImportFailedError(f"cannot read: {error.strerror or error}") from None


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
    """A file read, hashed and (unless it looked unchanged) parsed: no database work yet.
    ``name`` is how its article remembers it (``source_file``)."""

    name: str
    fallback_title: str = ""
    data: bytes = b""
    content_hash: str = ""
    source_format: str = ""
    text: str = ""  # what the article keeps as raw_text
    encoding: str = ""
    parsed: ParsedArticle | None = None
    paragraphs: list[NewParagraph] = field(default_factory=list)
    error: str = ""


def prepare_article_bytes(
    data: bytes, *, name: str, fallback_title: str, current: frozenset[str] = frozenset()
) -> PreparedFile:
    """Read and parse one file's bytes (an upload, or a file on disk). Safe to run in
    another thread: no database.

    ``current`` holds ``"<source file>\0<hash>"`` keys and bare hashes of articles
    already imported with this parser in the same collection: a file matching one is
    not parsed, since it is most likely unchanged (the database has the last word).
    """
    prepared = PreparedFile(name=name, fallback_title=fallback_title, data=data)
    try:
        prepared.source_format = file_format(name)
        check_size(len(data))
        prepared.content_hash = hashlib.sha256(data).hexdigest()
        if f"{name}\0{prepared.content_hash}" in current or prepared.content_hash in current:
            return prepared
        _parse_prepared(prepared)
    except ImportFailedError as error:
        prepared.error = str(error)
    except Exception as error:  # a parser bug: report it for this file, go on with the others
        logger.exception("parsing %s failed", name)
        prepared.error = f"the importer failed on this file ({type(error).__name__})"
    return prepared


def prepare_article_file(path: Path, *, current: frozenset[str] = frozenset()) -> PreparedFile:
    """Read and parse one file on disk (see prepare_article_bytes)."""
    name = source_name(path)
    try:
        data = read_file_bytes(path)
    except ImportFailedError as error:
        return PreparedFile(name=name, error=str(error))
    return prepare_article_bytes(
        data, name=name, fallback_title=path.stem.replace("_", " "), current=current
    )


def _parse_prepared(prepared: PreparedFile) -> None:
    document = read_document(
        prepared.data, source_format=prepared.source_format, fallback_title=prepared.fallback_title
    )
    prepared.text, prepared.encoding = document.raw_text, document.encoding
    prepared.source_format, prepared.parsed = document.source_format, document.parsed
    prepared.paragraphs = render_paragraphs(prepared.parsed)
    if not prepared.paragraphs:
        raise ImportFailedError("no article text found")


def article_import_prepared(
    prepared: PreparedFile, *, force: bool = False, team: Team | None = None
) -> ImportOutcome:
    """Write one prepared file into the team's collection (the public corpus without a
    team): create its article, update it in place, or leave it."""
    name = prepared.name
    if prepared.error:
        return ImportOutcome(path=name, status="failed", error=prepared.error)
    try:
        return _write_prepared(prepared, force=force, team=team)
    except ImportFailedError as error:
        return ImportOutcome(path=name, status="failed", error=str(error))
    except Exception as error:  # a bug or a database error: report it, go on with the next file
        logger.exception("import of %s failed", name)
        return ImportOutcome(
            path=name, status="failed", error=f"the import failed ({type(error).__name__})"
        )


@transaction.atomic
def _write_prepared(prepared: PreparedFile, *, force: bool, team: Team | None) -> ImportOutcome:
    """The file's article is looked up inside the transaction that writes it, under a
    lock on its name and content: two imports of one file at once make one article.
    A file is one article per collection: the same file imported by two teams is two
    articles, each seen by its team alone."""
    name = prepared.name
    scope = f"team:{team.pk}" if team else "public"
    _lock_import(f"{scope}:{name}", f"{scope}:{prepared.content_hash}")
    existing = _find_existing(source_file=name, content_hash=prepared.content_hash, team=team)
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
        source_format=prepared.source_format,
        encoding=prepared.encoding,
        existing_pk=existing.pk if existing else None,
        team=team,
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


def article_import_file(
    *, path: Path, force: bool = False, team: Team | None = None
) -> ImportOutcome:
    """Import one file: create its article, update it in place, or leave it as it is."""
    return article_import_prepared(prepare_article_file(path), force=force, team=team)


def current_files(team: Team | None) -> frozenset[str]:
    """Keys of the files already imported, with this parser, into the collection."""
    rows = Article.objects.filter(parser_version=PARSER_VERSION, team=team).values_list(
        "source_file", "content_hash"
    )
    return frozenset(
        key
        for source_file, content_hash in rows
        for key in (f"{source_file}\0{content_hash}", content_hash)
    )


def import_article_files(
    paths: Iterable[Path], *, force: bool = False, read_ahead: int = 0, team: Team | None = None
) -> Iterator[ImportOutcome]:
    """Import many files, in order, one transaction each.

    ``read_ahead`` > 0 (the import command, on PostgreSQL): one worker thread reads and
    parses up to that many files ahead while this thread writes, so that parsing
    overlaps the database's round trips. The worker touches no database and changes
    no setting of the interpreter; web requests import one file at a time, without it.
    """
    current = frozenset() if force else current_files(team)
    if read_ahead <= 0:
        for path in paths:
            yield article_import_prepared(
                prepare_article_file(path, current=current), force=force, team=team
            )
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
            yield article_import_prepared(prepared, force=force, team=team)


def _find_existing(*, source_file: str, content_hash: str, team: Team | None) -> Article | None:
    """The article of this file in the collection: by its path, else by its content
    (a copy elsewhere)."""
    candidates = list(
        Article.objects.filter(team=team)
        .filter(Q(source_file=source_file) | Q(content_hash=content_hash))
        .order_by("pk")
        .only("pk", "slug", "title", "source_file", "content_hash", "parser_version")
    )
    for candidate in candidates:
        if candidate.source_file == source_file:
            return candidate
    return candidates[0] if candidates else None


def _is_current(article: Article, content_hash: str) -> bool:
    return article.content_hash == content_hash and article.parser_version == PARSER_VERSION


def _unique_slug(title: str, *, exclude_pk: int | None = None, private: bool = False) -> str:
    """A free slug for the title. A team's article takes a random ending besides: its
    slug must not tell an outsider, whose own article of the same title would become
    "title-2", that a hidden one exists."""
    base = slugify(title)
    if len(base) > 80:
        base = base[:81].rsplit("-", 1)[0]  # cut at a word boundary
    base = base.strip("-") or "article"
    if private:
        base = f"{base}-{secrets.token_hex(4)}"
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
    source_format: str = "text",
    existing_pk: int | None = None,
    team: Team | None = None,
) -> tuple[Article, TextChange]:
    """Create or update the article of one file, with its paragraphs and keywords. A
    new article belongs to ``team`` (seen by its members alone), or to the public
    corpus; an updated one stays where it is."""
    article = None
    if existing_pk is not None:
        article = Article.objects.select_for_update().filter(pk=existing_pk).first()
    status = "updated" if article else "created"
    if article is None:
        article = Article(
            team=team,
            visibility=ArticleVisibility.TEAM if team else ArticleVisibility.PUBLIC,
        )
        article.slug = _unique_slug(parsed.title, private=team is not None)
    elif article.title != parsed.title:
        article.slug = _unique_slug(
            parsed.title,
            exclude_pk=article.pk,
            private=article.visibility == ArticleVisibility.TEAM,
        )
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
    article.source_format = source_format
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
            article.slug = _unique_slug(
                title, exclude_pk=article.pk, private=article.visibility == ArticleVisibility.TEAM
            )
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
