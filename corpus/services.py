"""Writes to the corpus: importing article files.

One file is one transaction. Parsing happens before it (no database work), so a
file that cannot be read or parsed never touches the database, and a file whose
write fails leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import reduce
from itertools import islice
from operator import or_
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, ProtectedError, Q
from django.utils.text import slugify
from taggit.models import Tag

from corpus.markup import html_to_text, render_markdown, render_plain
from corpus.models import Article, Paragraph, ParagraphKind, TaggedArticle, paragraph_hash
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
            text = paragraph.markup  # the parser's markup is clean, single-spaced text
            if "  " in text or text != text.strip():
                text = " ".join(text.split())
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


@dataclass
class PreparedFile:
    """A file read, hashed and (unless it looked unchanged) parsed: no database work yet."""

    path: Path
    name: str
    content_hash: str = ""
    text: str = ""
    encoding: str = ""
    parsed: ParsedArticle | None = None
    paragraphs: list[RenderedParagraph] = field(default_factory=list)
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
        existing = _find_existing(source_file=name, content_hash=prepared.content_hash)
        if existing and not force and _is_current(existing, prepared.content_hash):
            return ImportOutcome(path=name, status="unchanged", article=existing)
        if prepared.parsed is None:
            _parse_prepared(prepared)
        article, status = article_save_parsed(
            parsed=prepared.parsed,
            paragraphs=prepared.paragraphs,
            raw_text=prepared.text,
            content_hash=prepared.content_hash,
            source_file=name,
            encoding=prepared.encoding,
            existing_pk=existing.pk if existing else None,
        )
    except ImportFailedError as error:
        return ImportOutcome(path=name, status="failed", error=str(error))
    except ProtectedError as error:
        count = len(error.protected_objects)
        return ImportOutcome(
            path=name,
            status="failed",
            error=(
                f"this version drops paragraphs that carry {count} annotation{'s' if count != 1 else ''}; "
                "the article was left as it was (move or delete those annotations first)"
            ),
        )
    except Exception as error:  # a bug or a database error: report it, go on with the next file
        logger.debug("import of %s failed", name, exc_info=True)
        return ImportOutcome(path=name, status="failed", error=f"{type(error).__name__}: {error}")
    return ImportOutcome(
        path=name,
        status=status,
        article=article,
        paragraph_kinds=Counter(paragraph.kind for paragraph in prepared.paragraphs),
    )


def article_import_file(*, path: Path, force: bool = False) -> ImportOutcome:
    """Import one file: create its article, update it in place, or leave it as it is."""
    return article_import_prepared(prepare_article_file(path), force=force)


def import_article_files(
    paths: Iterable[Path], *, force: bool = False, read_ahead: int | None = None
) -> Iterator[ImportOutcome]:
    """Import many files, in order, one transaction each.

    On PostgreSQL a worker thread reads and parses the next files while this thread
    writes the current one, so the parser's CPU work overlaps the database's round
    trips (only this thread touches the database). SQLite answers in-process, with
    nothing to overlap: there the files are simply taken one after the other.
    """
    if read_ahead is None:
        read_ahead = 4 if connection.vendor == "postgresql" else 0
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
    # The writer waits on the network most of the time; let it take the interpreter
    # back from the parser as soon as its answer arrives (the default is 5 ms).
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
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
    finally:
        sys.setswitchinterval(switch_interval)


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


@transaction.atomic
def article_save_parsed(
    *,
    parsed: ParsedArticle,
    paragraphs: list[RenderedParagraph],
    raw_text: str,
    content_hash: str,
    source_file: str,
    encoding: str,
    existing_pk: int | None = None,
) -> tuple[Article, str]:
    """Create or update the article of one file, with its paragraphs and keywords."""
    if connection.vendor == "postgresql":
        # An import can always be redone: do not wait for the WAL flush at commit. A
        # crash may lose the last imports of a run, never leave one half written.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
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
    article.source_url = parsed.source_url
    article.source_encoding = encoding
    article.markup_format = parsed.markup_format
    article.raw_text = raw_text
    article.content_hash = content_hash
    article.parser_version = PARSER_VERSION
    # The slug is unique by construction (and by the database's constraint).
    article.full_clean(validate_unique=False)
    article.save()
    if status == "created":
        _create_paragraphs(article, paragraphs)
    else:
        _update_paragraphs(article, paragraphs)
    _set_keywords(article, parsed.keywords, new=status == "created")
    return article, status


def _set_keywords(article: Article, names: list[str], *, new: bool) -> None:
    """The article's keywords, in a few statements rather than taggit's few per tag."""
    names = list(dict.fromkeys(name for name in names if name))
    if new and not names:
        return
    tags = []
    if names:
        known = {
            tag.name.casefold(): tag
            for tag in Tag.objects.filter(reduce(or_, (Q(name__iexact=name) for name in names)))
        }
        for name in names:
            tag = known.get(name.casefold())
            if tag is None:
                tag = known[name.casefold()] = Tag.objects.create(name=name)
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


def _create_paragraphs(article: Article, paragraphs: list[RenderedParagraph]) -> None:
    _insert_paragraphs(
        article,
        paragraphs,
        indexes=range(len(paragraphs)),
        parents=heading_parents(paragraphs),
        ids=[None] * len(paragraphs),
    )


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
    kept: list[Paragraph | None] = [None] * len(paragraphs)
    unused: list[Paragraph] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            kept[new_start:new_end] = old[old_start:old_end]
            continue
        reusable = old[old_start:old_end]
        for new_index in range(new_start, new_end):
            if reusable:
                kept[new_index] = reusable.pop(0)
        unused.extend(reusable)
    if unused:
        Paragraph.objects.filter(pk__in=[row.pk for row in unused]).delete()
    reused = [row for row in kept if row is not None]
    if reused:
        # Move the kept rows out of the way so that renumbering never collides.
        Paragraph.objects.filter(pk__in=[row.pk for row in reused]).update(
            position=F("position") + len(old) + len(paragraphs) + 1
        )
    parents = heading_parents(paragraphs)
    ids = [row.pk if row is not None else None for row in kept]
    _insert_paragraphs(
        article,
        paragraphs,
        indexes=[index for index, row in enumerate(kept) if row is None],
        parents=parents,
        ids=ids,
    )
    for index, row in enumerate(kept):
        if row is None:
            continue
        paragraph = paragraphs[index]
        row.position = index + 1
        row.kind = paragraph.kind
        row.level = paragraph.level
        row.text = paragraph.text
        row.html = paragraph.html
        row.content_hash = paragraph.content_hash
        row.heading_id = ids[parents[index]] if parents[index] is not None else None
    if reused:
        Paragraph.objects.bulk_update(
            reused,
            ["position", "kind", "level", "text", "html", "content_hash", "heading"],
            batch_size=500,
        )


def heading_parents(paragraphs: list[RenderedParagraph]) -> list[int | None]:
    """For each paragraph, the index of the heading it falls under: the nearest heading
    above it; for a heading, the nearest one above it of a higher rank."""
    parents: list[int | None] = []
    open_headings: list[int] = []
    for index, paragraph in enumerate(paragraphs):
        if paragraph.kind == ParagraphKind.HEADING:
            level = paragraph.level or 2
            while open_headings and (paragraphs[open_headings[-1]].level or 2) >= level:
                open_headings.pop()
            parents.append(open_headings[-1] if open_headings else None)
            open_headings.append(index)
        else:
            parents.append(open_headings[-1] if open_headings else None)
    return parents


def _insert_paragraphs(
    article: Article,
    paragraphs: list[RenderedParagraph],
    *,
    indexes,
    parents: list[int | None],
    ids: list[int | None],
) -> None:
    """Insert the paragraphs at ``indexes``, filling in ``ids``.

    Level-1 headings go first, then level 2, ..., then the other paragraphs: every
    heading has its id before the rows that point at it, so no second pass of
    updates is needed to link them.
    """
    if connection.vendor == "postgresql":
        _copy_paragraphs(article, paragraphs, indexes=list(indexes), parents=parents, ids=ids)
        return
    waves: dict[int, list[int]] = {}
    for index in indexes:
        paragraph = paragraphs[index]
        rank = (paragraph.level or 2) if paragraph.kind == ParagraphKind.HEADING else 99
        waves.setdefault(rank, []).append(index)
    for rank in sorted(waves):
        rows = []
        for index in waves[rank]:
            rows.append(_row(article, paragraphs, index, parents, ids))
        new_ids = _bulk_insert(rows)
        for index in waves[rank]:
            ids[index] = new_ids[index + 1]


def _copy_paragraphs(
    article: Article,
    paragraphs: list[RenderedParagraph],
    *,
    indexes: list[int],
    parents: list[int | None],
    ids: list[int | None],
) -> None:
    """PostgreSQL: take the ids from the sequence, then COPY every row in one stream.

    With the ids known up front, headings and the paragraphs under them go in
    together; COPY is the fastest way in, and two round trips is all it takes.
    """
    if not indexes:
        return
    quote = connection.ops.quote_name
    table = Paragraph._meta.db_table
    columns = ", ".join(map(quote, ("id", *_INSERT_COLUMNS)))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(indexes)],
        )
        for index, (pk,) in zip(indexes, cursor.fetchall(), strict=True):
            ids[index] = pk
        copy_sql = f"COPY {quote(table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for index in indexes:
                copy.write_row((ids[index], *_row(article, paragraphs, index, parents, ids)))


def _row(article, paragraphs, index: int, parents, ids) -> tuple:
    """The values of _INSERT_COLUMNS for the paragraph at ``index``."""
    paragraph, parent = paragraphs[index], parents[index]
    return (
        article.pk,
        index + 1,
        paragraph.kind,
        paragraph.level,
        paragraph.text,
        paragraph.html,
        paragraph.content_hash,
        ids[parent] if parent is not None else None,
    )


_INSERT_COLUMNS = (
    "article_id",
    "position",
    "kind",
    "level",
    "text",
    "html",
    "content_hash",
    "heading_id",
)
_INSERT_BATCH = 100  # 8 parameters a row: under SQLite's oldest limit of 999


def _bulk_insert(rows: list[tuple]) -> dict[int, int]:
    """INSERT ... RETURNING in batches; the new ids by position.

    The importer's hot path: ``bulk_create`` spends more time building model
    instances and preparing values than the database spends storing them. Both
    supported databases (PostgreSQL, SQLite 3.35+) return the new ids.
    """
    quote = connection.ops.quote_name
    table = quote(Paragraph._meta.db_table)
    columns = ", ".join(map(quote, _INSERT_COLUMNS))
    row_placeholder = "(" + ", ".join(["%s"] * len(_INSERT_COLUMNS)) + ")"
    ids: dict[int, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _INSERT_BATCH):
            batch = rows[start : start + _INSERT_BATCH]
            placeholders = ", ".join([row_placeholder] * len(batch))
            returning = f"{quote('id')}, {quote('position')}"
            cursor.execute(
                # Identifiers are quoted constants; every value goes through a parameter.
                f"INSERT INTO {table} ({columns}) VALUES {placeholders} RETURNING {returning}",  # noqa: S608
                [value for row in batch for value in row],
            )
            ids.update((position, pk) for pk, position in cursor.fetchall())
    return ids
