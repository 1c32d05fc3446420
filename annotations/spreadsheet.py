"""Annotations as a CSV file for a spreadsheet: one row per annotation, streamed (a
selection of every annotation is written as it is read, never held whole).

UTF-8 with a byte order mark, which spreadsheets need to read it as UTF-8. A cell
that a spreadsheet would run as a formula (one starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return: a claim may quote "=HYPERLINK(...)") is written
with a leading apostrophe, which spreadsheets show as text."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from annotations.models import Annotation
from annotations.tag_links import tag_links, tag_names

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500  # annotations read at a time

COLUMNS = (
    ("article", "Article"),
    ("outlet", "Outlet"),
    ("date", "Date"),
    ("paragraph", "Paragraph position"),
    ("quote", "Quote"),
    ("claim", "Claim"),
    ("stance", "Stance"),
    ("stance_target", "Stance target"),
    ("source", "Source"),
    ("regions", "Regions"),
    ("tags", "Tags"),
    ("author", "Author"),
    ("team", "Team"),
    ("review_status", "Review status"),
    ("created", "Created"),
    ("updated", "Updated"),
)


def spreadsheet_safe(value) -> str:
    """The cell as text a spreadsheet will not run."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def export_row(annotation: Annotation) -> list[str]:
    article, paragraph = annotation.article, annotation.paragraph
    values = {
        "article": article.title,
        "outlet": article.outlet,
        "date": article.published.isoformat() if article.published else "",
        "paragraph": paragraph.position if paragraph else "",
        "quote": annotation.exact,
        "claim": annotation.claim,
        "stance": annotation.stance,
        "stance_target": annotation.stance_target,
        "source": annotation.source.name if annotation.source else "",
        "regions": "; ".join(region.name for region in annotation.regions.all()),
        "tags": "; ".join(tag_names(annotation)),
        "author": annotation.author.get_username(),
        "team": annotation.team.name if annotation.team else "",
        "review_status": annotation.review_status,
        "created": timezone.localtime(annotation.created).isoformat(timespec="seconds"),
        "updated": timezone.localtime(annotation.updated).isoformat(timespec="seconds"),
    }
    return [spreadsheet_safe(values[key]) for key, _label in COLUMNS]


class _Line:
    """A file-like object handing back what csv.writer writes to it."""

    def write(self, value: str) -> str:
        return value


def export_lines(annotations: QuerySet[Annotation]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([label for _key, label in COLUMNS])
    rows = (
        annotations.select_related("article", "paragraph", "source", "author", "team")
        .prefetch_related(None)  # whatever the caller prefetched: these are the CSV's
        .prefetch_related("regions", tag_links())
        .order_by("article__title", "article_id", "paragraph__position", "start", "pk")
    )
    for annotation in rows.iterator(chunk_size=CHUNK):
        yield writer.writerow(export_row(annotation))


def export_response(annotations: QuerySet[Annotation], *, name: str = "") -> StreamingHttpResponse:
    """The CSV as a download named ``name``.csv (by default, the time it was made)."""
    name = name or f"crossread-annotations-{timezone.localtime().strftime('%Y-%m-%d-%H%M')}"
    response = StreamingHttpResponse(
        export_lines(annotations), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.csv")
    return response
