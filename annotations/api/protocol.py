"""The W3C Web Annotation Protocol's part of a response: media type, ETag, Link, Allow,
Vary, Accept-Post, and the container preferences of the ``Prefer`` header."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from enum import StrEnum

from django.http import HttpRequest, HttpResponse

from annotations.webannotation.vocabulary import CONTEXT, MEDIA_TYPE

LDP = "http://www.w3.org/ns/ldp#"
OA = "http://www.w3.org/ns/oa#"
CONTAINER_CONTEXT = [CONTEXT, "http://www.w3.org/ns/ldp.jsonld"]
CONSTRAINED_BY = "http://www.w3.org/TR/annotation-protocol/"
CONTAINER_LINK = (
    f'<{LDP}BasicContainer>; rel="type", '
    f'<{CONSTRAINED_BY}>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
)
ANNOTATION_LINK = f'<{OA}Annotation>; rel="type", <{LDP}Resource>; rel="type"'
PAGE_LINK = f'<{LDP}Page>; rel="type"'
CONTAINER_ALLOW = "GET, HEAD, OPTIONS, POST"
READ_ALLOW = "GET, HEAD, OPTIONS"
EDIT_ALLOW = "GET, HEAD, OPTIONS, PUT, DELETE"
# Who asks changes the answer (what they may see, what they may do).
VARY = "Accept, Prefer, Authorization, Cookie"


class ContainerPreference(StrEnum):
    DESCRIPTIONS = "descriptions"  # the first page embedded, annotations in full
    IRIS = "iris"  # the first page embedded, annotations as their IRIs
    MINIMAL = "minimal"  # the container alone: its total, first and last pages


_INCLUDE = re.compile(r'include\s*=\s*"([^"]*)"')
_PREFERENCES = {
    f"{LDP}PreferMinimalContainer": ContainerPreference.MINIMAL,
    f"{OA}PreferContainedIRIs": ContainerPreference.IRIS,
    f"{OA}PreferContainedDescriptions": ContainerPreference.DESCRIPTIONS,
}


@dataclass(frozen=True, slots=True)
class Preference:
    kind: ContainerPreference
    applied: bool  # whether the client asked (Preference-Applied is then sent)


def container_preference(request: HttpRequest) -> Preference:
    """What the ``Prefer`` header asks of a container (descriptions when it asks
    nothing Crossread knows). Minimal wins over IRIs, IRIs over descriptions."""
    header = request.headers.get("Prefer", "")[:2000]
    asked = set()
    for match in _INCLUDE.finditer(header):
        for iri in match[1].split():
            if iri in _PREFERENCES:
                asked.add(_PREFERENCES[iri])
    for kind in (
        ContainerPreference.MINIMAL,
        ContainerPreference.IRIS,
        ContainerPreference.DESCRIPTIONS,
    ):
        if kind in asked:
            return Preference(kind, applied=True)
    return Preference(ContainerPreference.DESCRIPTIONS, applied=False)


def annotation_etag(version: int) -> str:
    """An annotation's ETag is its version: every change raises it, and the pages'
    edit forms check the same number."""
    return f'"{version}"'


def if_match_version(request: HttpRequest) -> int | None:
    """The version an If-Match header names, or None when it names none Crossread
    wrote (which fails the precondition)."""
    header = request.headers.get("If-Match", "").strip()
    match = re.fullmatch(r'"(\d{1,18})"', header)
    return int(match[1]) if match else None


def jsonld_response(
    document: dict | None,
    *,
    status: int = 200,
    etag: str | None = None,
    link: str = ANNOTATION_LINK,
    allow: str = READ_ALLOW,
    head: bool = False,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A protocol response; a HEAD has the GET's headers and no body. Without a
    given ETag, it is a digest of the body."""
    body = json.dumps(document, ensure_ascii=False) if document is not None else ""
    response = HttpResponse(b"" if head else body.encode(), status=status, content_type=MEDIA_TYPE)
    response["ETag"] = etag or f'W/"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    response["Link"] = link
    response["Allow"] = allow
    response["Vary"] = VARY
    if head:
        response["Content-Length"] = str(len(body.encode()))
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def options_response(
    *, allow: str, link: str, etag: str | None = None, headers: dict[str, str] | None = None
) -> HttpResponse:
    """An OPTIONS answer: what the resource supports, and no body."""
    response = HttpResponse(status=204)
    if etag:
        response["ETag"] = etag
    response["Allow"] = allow
    response["Link"] = link
    response["Vary"] = VARY
    for name, value in (headers or {}).items():
        response[name] = value
    return response
