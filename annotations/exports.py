"""What an export holds and how it is written: the annotations a user may see (through
the one visibility rule and the one filter form), the cross-references between them,
as a W3C AnnotationCollection (JSON-LD) or a CSV file, streamed.

Streaming: rows are read ``CHUNK`` at a time and written as they are read; an
article's paragraph offsets are kept only while its annotations are written (they
come in article order). Memory stays flat however many annotations there are.

The JSON-LD file is one JSON-LD document holding the collection and its pages: a
top-level array ``[collection, page 1, page 2, ...]``, each page with its ``id``,
``partOf``, ``startIndex``, ``next`` and ``prev`` (JSON-LD allows a document of
several nodes; the collection names its ``first`` and ``last`` page)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from annotations.filters import AnnotationFilters
from annotations.models import Annotation, CrossReference
from annotations.tag_links import tag_links
from annotations.webannotation.export import (
    annotation_document,
    collection_head,
    link_document,
    page_document,
)
from corpus.plain_text import paragraph_offsets

CHUNK = 500  # rows read at a time
PAGE_SIZE = 1000  # annotations in a page of an export file


def for_export(annotations: QuerySet[Annotation]) -> QuerySet[Annotation]:
    """What the writers read of each annotation, in article order."""
    return (
        annotations.select_related("article", "author", "team", "source")
        .prefetch_related("regions", tag_links())
        .order_by("article_id", "paragraph_id", "start", "end", "pk")
    )


def exported_annotations(user, filters: AnnotationFilters) -> QuerySet[Annotation]:
    """The live annotations ``user`` may see that the filters keep, in article order."""
    return for_export(filters.apply(Annotation.objects.visible_to(user)))


def exported_links(
    user, annotations: QuerySet[Annotation], *, every: bool = False
) -> QuerySet[CrossReference]:
    """The links ``user`` may see whose two ends are both exported (an import can
    then make each again). ``every``: every live link (the admin's superusers)."""
    ids = annotations.order_by().values("pk")
    links = (
        CrossReference.objects.filter(deleted_at__isnull=True)
        if every
        else CrossReference.objects.visible_to(user)
    )
    return (
        links.filter(from_annotation__in=ids, to_annotation__in=ids)
        .select_related(
            "author",
            "team",
            "from_annotation__article",
            "to_annotation__article",
        )
        .order_by("pk")
    )


@dataclass(frozen=True, slots=True)
class ExportSelection:
    annotations: QuerySet[Annotation]
    links: QuerySet[CrossReference]

    @classmethod
    def for_user(cls, user, filters: AnnotationFilters) -> ExportSelection:
        annotations = exported_annotations(user, filters)
        return cls(annotations=annotations, links=exported_links(user, annotations))

    @classmethod
    def of(cls, user, annotations: QuerySet[Annotation]) -> ExportSelection:
        """A selection made in the admin, through its rule: superusers see every
        annotation there, and so every link between those they selected."""
        annotations = for_export(annotations)
        every = user.is_superuser
        return cls(annotations=annotations, links=exported_links(user, annotations, every=every))

    def documents(self, base: str) -> Iterator[dict]:
        """Every annotation, then every link, as W3C documents without @context."""
        # Rows come in article order: the offsets of the last few articles suffice.
        offsets = functools.lru_cache(maxsize=8)(paragraph_offsets)
        for annotation in self.annotations.iterator(chunk_size=CHUNK):
            yield annotation_document(
                annotation,
                base=base,
                offsets=offsets(annotation.article_id),
                context=False,
            )
        for link in self.links.iterator(chunk_size=CHUNK):
            ends = {link.from_annotation.article_id, link.to_annotation.article_id}
            yield link_document(
                link,
                base=base,
                offsets={article_id: offsets(article_id) for article_id in ends},
                context=False,
            )


def _snapshot() -> transaction.Atomic | None:
    """On PostgreSQL, one snapshot for the counts and the rows (a repeatable read):
    the collection's total and last page match what it holds. (Inside a transaction
    already, its snapshot is the one there is.)"""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    return transaction.atomic()


def jsonld_chunks(
    selection: ExportSelection,
    *,
    base: str,
    collection_id: str,
    label: str,
    page_size: int | None = None,
) -> Iterator[str]:
    """The export file, a piece at a time (see the module's docstring)."""
    page_size = page_size or PAGE_SIZE
    snapshot = _snapshot()
    if snapshot is not None:
        snapshot.__enter__()
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    try:
        total = selection.annotations.count() + selection.links.count()
        pages = -(-total // page_size)

        def page_id(number: int) -> str:
            return f"{collection_id}#page-{number}"

        head = collection_head(
            collection_id=collection_id,
            label=label,
            total=total,
            first=page_id(1) if pages else None,
            last=page_id(pages) if pages else None,
            base=base,
        )
        yield "[" + json.dumps(head, ensure_ascii=False)
        page: list[dict] = []
        number = 0

        def write(items: list[dict], *, last: bool) -> str:
            nonlocal number
            number += 1
            document = page_document(
                collection_id=collection_id,
                page_id=page_id(number),
                items=items,
                start_index=(number - 1) * page_size,
                next_id=None if last else page_id(number + 1),
                prev_id=page_id(number - 1) if number > 1 else None,
            )
            return ",\n" + json.dumps(document, ensure_ascii=False)

        for document in selection.documents(base):
            if len(page) == page_size:
                yield write(page, last=False)
                page = []
            page.append(document)
        if page:
            yield write(page, last=True)
        yield "]\n"
    finally:
        if snapshot is not None:
            snapshot.__exit__(None, None, None)


def jsonld_download(
    selection: ExportSelection, *, base: str, collection_id: str, label: str, name: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        jsonld_chunks(selection, base=base, collection_id=collection_id, label=label),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.jsonld")
    return response
