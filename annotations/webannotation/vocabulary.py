"""The names Crossread uses in the W3C Web Annotation form: the context, the media
type, and the IRIs of its controlled values (stances, relations, review states,
regions, audiences), both ways.

Controlled values are IRIs, free text is a TextualBody. Crossread's own values use
``urn:crossread:<kind>:<value>``: the same in every deployment, so an export from
one Crossread reads into another. Regions use public IRIs: ISO 3166 codes the ISO
Online Browsing Platform's, GeoNames ids GeoNames' semantic web IRIs; a curated
region with neither (``region:middle-east``) gets a Crossread URN.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
# The context document itself, kept with the project: nothing is fetched at run time.
CONTEXT_FILE = Path(__file__).with_name("anno.jsonld")

URN = "urn:crossread:"
STANCE = URN + "stance:"
RELATION = URN + "relation:"
REVIEW = URN + "review:"
REGION = URN + "region:"
PRIVATE_AUDIENCE = URN + "audience:private"
PUBLIC_AUDIENCE = URN + "audience:public"

ISO_3166 = "https://www.iso.org/obp/ui/#iso:code:3166:"
GEONAMES = "https://sws.geonames.org/"
_ISO_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_GEONAMES_IRI = re.compile(r"^https?://(?:sws\.|www\.)?geonames\.org/(\d{1,12})(?:/.*)?$")


@cache
def context_document() -> dict:
    """The W3C context (for JSON-LD processing offline, and for the tests that check
    every term Crossread writes is defined in it)."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def region_iri(code: str) -> str:
    if _ISO_CODE.match(code):
        return ISO_3166 + code
    if code.startswith("geonames:"):
        return f"{GEONAMES}{code.removeprefix('geonames:')}/"
    return REGION + code


def region_code(iri: str) -> str | None:
    """The region code an IRI names, or None when it names no region."""
    if iri.startswith(ISO_3166):
        code = iri.removeprefix(ISO_3166)
        return code if _ISO_CODE.match(code) else None
    if match := _GEONAMES_IRI.match(iri):
        return f"geonames:{match[1]}"
    if iri.startswith(REGION):
        return iri.removeprefix(REGION) or None
    return None


def value_of(iri: str, prefix: str) -> str | None:
    """``supports`` for ``urn:crossread:stance:supports`` and the stance prefix."""
    return iri.removeprefix(prefix) if iri.startswith(prefix) else None
