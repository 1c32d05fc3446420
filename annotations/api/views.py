"""The Web Annotation Protocol container at /api/annotations/ and its annotations, and
the read-only links at /api/links/<id>. Thin: the selectors read, the services write,
``annotations.webannotation`` speaks the format, ``protocol`` the headers. What the
services and readers refuse becomes a status once, in ``annotations.api``."""

from __future__ import annotations

from typing import Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router
from ninja.errors import HttpError

from annotations import services
from annotations.api import protocol
from annotations.api.auth import READ, WRITE
from annotations.api.schemas import Annotation as AnnotationSchema
from annotations.api.schemas import AnnotationIn, Container, Error, Page
from annotations.exports import exported_annotations
from annotations.filters import MAX_ID, AnnotationFilters
from annotations.models import Annotation, CrossReference, Region, Visibility, may_edit
from annotations.services.annotation_import import passage_for, team_from_iri
from annotations.tag_links import tag_links
from annotations.webannotation import vocabulary as vocab
from annotations.webannotation.export import (
    annotation_document,
    annotation_iri,
    container_iri,
    link_document,
    page_document,
)
from annotations.webannotation.reading import IncomingAnnotation, read_w3c_annotation
from corpus.plain_text import paragraph_offsets_for

router = Router(tags=["Web Annotation Protocol"])

PAGE_SIZE = 100
MAX_PAGE = 10**9
SLUG = r"^[-\w]+$"  # what the filter form's slug fields take
PK = Path(..., ge=1, le=MAX_ID, description="The annotation's number (the end of its IRI).")
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 413: Error}


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _visible(user, pk: int) -> Annotation:
    annotation = (
        Annotation.objects.visible_to(user)
        .select_related("article", "author", "team", "source")
        .prefetch_related("regions", tag_links())
        .filter(pk=pk)
        .first()
    )
    if annotation is None:
        raise HttpError(404, "No such annotation (or not one you may see).")
    return annotation


def _document(annotation: Annotation, request: HttpRequest) -> dict:
    offsets = paragraph_offsets_for([annotation.article_id]).get(annotation.article_id)
    return annotation_document(annotation, base=_base(request), offsets=offsets)


def _may_edit(user, annotation: Annotation) -> bool:
    return may_edit(
        user,
        author_id=annotation.author_id,
        team_id=annotation.team_id,
        visibility=annotation.visibility,
        roles=services.team_roles(user),
    )


def _annotation_response(request, annotation: Annotation, *, status: int = 200, **headers):
    return protocol.jsonld_response(
        _document(annotation, request),
        status=status,
        etag=protocol.annotation_etag(annotation.version),
        # What the resource supports; whether this caller may change it, a PUT or a
        # DELETE answers (403). (The same for everyone: a cache may share it.)
        allow=protocol.EDIT_ALLOW,
        head=request.method == "HEAD",
        headers=headers,
    )


# ------------------------------------------------------------------ the container


def _page_iri(container_id: str, number: int, *, iris: bool) -> str:
    joiner = "&" if "?" in container_id else "?"
    return f"{container_id}{joiner}page={number}" + ("&iris=1" if iris else "")


def _page(request, selection, *, container_id, total, number, pages, iris, context) -> dict:
    rows = list(selection[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    base = _base(request)
    if iris:
        items = [annotation_iri(base, row.pk) for row in rows]
    else:
        offsets = paragraph_offsets_for(row.article_id for row in rows)
        items = [
            annotation_document(row, base=base, offsets=offsets.get(row.article_id), context=False)
            for row in rows
        ]
    return page_document(
        collection_id=container_id,
        page_id=_page_iri(container_id, number, iris=iris),
        items=items,
        start_index=(number - 1) * PAGE_SIZE,
        next_id=_page_iri(container_id, number + 1, iris=iris) if number < pages else None,
        prev_id=_page_iri(container_id, number - 1, iris=iris) if number > 1 else None,
        context=context,
        total=total,
    )


@router.api_operation(
    ["GET", "HEAD"],
    "/annotations/",
    auth=READ,
    response={200: Container | Page, **ERRORS},
    summary="The container: the annotations you may see, in pages",
    description=(
        "Without `page`, the container (its `total`, `first` and `last` pages, and the "
        "first page embedded unless `Prefer` asks for a minimal container); with `page`, "
        "that page. Filters as on the annotation list. `iris=1` lists annotations by "
        'their IRIs (as `Prefer: return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"`).'
    ),
)
def container(
    request: HttpRequest,
    page: int | None = Query(None, ge=1, le=MAX_PAGE),
    iris: int = Query(0, ge=0, le=1),
    article: str | None = Query(None, pattern=SLUG, max_length=100),
    stance: Literal["supports", "opposes", "neutral", "mixed", "none"] | None = None,
    tag: str | None = Query(None, pattern=SLUG, max_length=100),
    region: int | None = Query(None, ge=1, le=MAX_ID),
    source: int | None = Query(None, ge=1, le=MAX_ID),
    team: str | None = Query(None, pattern=SLUG, max_length=100),
    author: str | None = Query(None, max_length=150),
):
    filters = AnnotationFilters.from_query(request.GET)
    selection = exported_annotations(request.auth, filters)
    total = selection.count()
    pages = max(1, -(-total // PAGE_SIZE))
    container_id = container_iri(_base(request), filters.active)
    preference = protocol.container_preference(request)
    as_iris = bool(iris) or preference.kind == protocol.ContainerPreference.IRIS
    head = request.method == "HEAD"
    if page is not None:
        if page > pages:
            raise HttpError(404, f"No page {page}: the last is {pages}.")
        document = _page(
            request,
            selection,
            container_id=container_id,
            total=total,
            number=page,
            pages=pages,
            iris=as_iris,
            context=True,
        )
        return protocol.jsonld_response(
            document, link=protocol.PAGE_LINK, allow=protocol.READ_ALLOW, head=head
        )
    document = {
        "@context": protocol.CONTAINER_CONTEXT,
        "id": container_id,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": "Crossread annotations",
        "total": total,
    }
    if preference.kind == protocol.ContainerPreference.MINIMAL:
        document["first"] = _page_iri(container_id, 1, iris=as_iris)
    else:
        document["first"] = _page(
            request,
            selection,
            container_id=container_id,
            total=total,
            number=1,
            pages=pages,
            iris=as_iris,
            context=False,
        )
    document["last"] = _page_iri(container_id, pages, iris=as_iris)
    headers = {"Accept-Post": vocab.MEDIA_TYPE, "Content-Location": container_id}
    if preference.applied:
        headers["Preference-Applied"] = "return=representation"
    return protocol.jsonld_response(
        document,
        link=protocol.CONTAINER_LINK,
        allow=protocol.CONTAINER_ALLOW,
        head=head,
        headers=headers,
    )


@router.api_operation(["OPTIONS"], "/annotations/", auth=READ, response={204: None})
def container_options(request: HttpRequest):
    return protocol.options_response(
        allow=protocol.CONTAINER_ALLOW,
        link=protocol.CONTAINER_LINK,
        headers={"Accept-Post": vocab.MEDIA_TYPE},
    )


# ------------------------------------------------------------------- one annotation


def _incoming(payload: AnnotationIn) -> IncomingAnnotation:
    document = payload.model_dump(by_alias=True, exclude_none=True)
    document.setdefault("type", "Annotation")
    item = read_w3c_annotation(document, "The annotation")
    if not isinstance(item, IncomingAnnotation):
        raise HttpError(400, "Links between passages are made on the pages, not here.")
    return item


def _regions(item: IncomingAnnotation) -> list[Region]:
    if item.unknown_regions:
        raise HttpError(400, f"{item.unknown_regions[0]} names no region Crossread knows.")
    codes = list(dict.fromkeys(item.region_codes))
    regions = list(Region.objects.filter(code__in=codes))
    missing = set(codes) - {region.code for region in regions}
    if missing:
        raise HttpError(400, f"No region {sorted(missing)[0]!r} in the gazetteer.")
    return regions


def _audience(item: IncomingAnnotation):
    team = team_from_iri(item.team_iri) if item.team_iri else None
    if item.team_iri and team is None:
        raise HttpError(400, f"No team at {item.team_iri}.")
    visibility = item.visibility or (Visibility.TEAM if team else Visibility.PRIVATE)
    return team, visibility


def _bodies(item: IncomingAnnotation) -> dict:
    return {
        "claim": item.claim,
        "stance": item.stance,
        "stance_target": item.stance_target,
        "source_name": item.source_name,
        "regions": _regions(item),
        "note": item.note,
        "tags": item.tags,
    }


@router.post(
    "/annotations/",
    auth=WRITE,
    response={201: AnnotationSchema, **ERRORS},
    summary="Create an annotation",
)
def annotation_create(request: HttpRequest, payload: AnnotationIn):
    user = request.auth
    item = _incoming(payload)
    placed = passage_for(item.passage, user=user)
    team, visibility = _audience(item)
    created = services.annotation_create(
        author=user,
        **placed.as_fields(),
        team=team,
        visibility=visibility,
        **_bodies(item),
    )
    annotation = _visible(user, created.pk)
    iri = annotation_iri(_base(request), annotation.pk)
    return _annotation_response(request, annotation, status=201, Location=iri)


@router.api_operation(
    ["GET", "HEAD"],
    "/annotations/{pk}",
    auth=READ,
    response={200: AnnotationSchema, **ERRORS},
    summary="An annotation",
)
def annotation_read(request: HttpRequest, pk: int = PK):
    return _annotation_response(request, _visible(request.auth, pk))


@router.api_operation(["OPTIONS"], "/annotations/{pk}", auth=READ, response={204: None, **ERRORS})
def annotation_options(request: HttpRequest, pk: int = PK):
    annotation = _visible(request.auth, pk)  # a hidden annotation is a 404 here too
    return protocol.options_response(
        allow=protocol.EDIT_ALLOW,
        link=protocol.ANNOTATION_LINK,
        etag=protocol.annotation_etag(annotation.version),
    )


def _expected_version(request: HttpRequest, annotation: Annotation) -> int:
    if "If-Match" not in request.headers:
        raise HttpError(
            428,
            "Send If-Match with the annotation's ETag: a change without it could undo another's.",
        )
    version = protocol.if_match_version(request)
    if version != annotation.version:
        raise HttpError(
            412, "The annotation changed since you read it: read it again, then send your change."
        )
    return version


def _editable(request: HttpRequest, pk: int) -> Annotation:
    annotation = _visible(request.auth, pk)
    if not _may_edit(request.auth, annotation):
        raise HttpError(403, "You may read this annotation, not change it.")
    return annotation


@router.put(
    "/annotations/{pk}",
    auth=WRITE,
    response={200: AnnotationSchema, 412: Error, 428: Error, **ERRORS},
    summary="Replace an annotation (If-Match required)",
)
def annotation_replace(request: HttpRequest, payload: AnnotationIn, pk: int = PK):
    user = request.auth
    annotation = _editable(request, pk)
    version = _expected_version(request, annotation)
    item = _incoming(payload)
    placed = passage_for(item.passage, user=user)
    if placed.paragraph.article_id != annotation.article_id:
        raise HttpError(400, "An annotation stays on its article: create a new one for another.")
    team, visibility = _audience(item)
    with transaction.atomic():
        updated = services.annotation_update(
            annotation=annotation,
            editor=user,
            expected_version=version,
            team=team,
            visibility=visibility,
            **_bodies(item),
        )
        moved = (placed.paragraph.pk, placed.anchor.start, placed.anchor.end) != (
            updated.paragraph_id,
            updated.start,
            updated.end,
        )
        if moved:
            services.annotation_reattach(
                annotation=updated,
                editor=user,
                expected_version=updated.version,
                **placed.as_fields(),
            )
    return _annotation_response(request, _visible(user, pk))


@router.delete(
    "/annotations/{pk}",
    auth=WRITE,
    response={204: None, 412: Error, 428: Error, **ERRORS},
    summary="Move an annotation to the bin (If-Match required)",
)
def annotation_delete(request: HttpRequest, pk: int = PK):
    annotation = _editable(request, pk)
    version = _expected_version(request, annotation)
    services.annotation_delete(annotation=annotation, user=request.auth, expected_version=version)
    response = HttpResponse(status=204)
    response["Vary"] = protocol.VARY
    return response


# -------------------------------------------------------------------------- links


@router.api_operation(
    ["GET", "HEAD"],
    "/links/{pk}",
    auth=READ,
    response={200: AnnotationSchema, **ERRORS},
    summary="A cross-reference between two passages (motivation linking)",
)
def link_read(request: HttpRequest, pk: int = PK):
    link = (
        CrossReference.objects.visible_to(request.auth)
        .select_related("author", "team", "from_annotation__article", "to_annotation__article")
        .filter(pk=pk)
        .first()
    )
    if link is None:
        raise HttpError(404, "No such link (or not one you may see).")
    ends = {link.from_annotation.article_id, link.to_annotation.article_id}
    document = link_document(link, base=_base(request), offsets=paragraph_offsets_for(ends))
    return protocol.jsonld_response(
        document,
        etag=protocol.annotation_etag(int(link.updated.timestamp())),
        head=request.method == "HEAD",
    )
