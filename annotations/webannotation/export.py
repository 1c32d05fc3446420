"""Crossread's annotations and cross-references as W3C Web Annotations (JSON-LD).

| Crossread            | W3C Web Annotation                                                  |
|----------------------|---------------------------------------------------------------------|
| passage              | target: SpecificResource on the article's page, with a              |
|                      | TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector |
|                      | (positions into ``corpus.plain_text``); an orphan has the quote only |
| claim                | TextualBody, purpose ``describing``                                 |
| note                 | TextualBody, purpose ``commenting``, format text/markdown           |
| tags                 | TextualBody each, purpose ``tagging``                               |
| stance               | SpecificResource, purpose ``classifying``, source urn:crossread:stance:… |
| stance target        | TextualBody, purpose ``classifying`` (what the stance is toward)    |
| regions              | SpecificResource each, purpose ``classifying``, source ISO 3166 / GeoNames IRI |
| source               | TextualBody, purpose ``identifying`` (its name), and a SpecificResource |
|                      | with its URL as source when it has one                               |
| review status, reason| SpecificResource, purpose ``moderating``, urn:crossread:review:…;   |
|                      | TextualBody, purpose ``moderating`` (the reason), for team work     |
| visibility, team     | audience: urn:crossread:audience:public or :private, and the team's  |
|                      | page (work for the team alone names the team only)                   |
| cross-reference      | motivation ``linking``, both passages as targets (the same target ids |
|                      | as their annotations'), the relation as a ``classifying`` body      |

Plain functions of rows already read: the selectors decide what is read (and who may
see it), these only write it out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from urllib.parse import urlencode

from annotations.models import Annotation, CrossReference, Visibility
from annotations.tag_links import tag_names
from annotations.webannotation import vocabulary as vocab
from corpus.plain_text import ParagraphOffsets


def iso(moment: datetime) -> str:
    """xsd:dateTime in UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def annotation_iri(base: str, pk: int) -> str:
    return f"{base}/api/annotations/{pk}"


def container_iri(base: str, filters: Mapping[str, str]) -> str:
    """The protocol container's IRI, narrowed by the list's filters (percent-encoded:
    a filter value may hold any character)."""
    query = urlencode(filters)
    return f"{base}/api/annotations/" + (f"?{query}" if query else "")


def link_iri(base: str, pk: int) -> str:
    return f"{base}/api/links/{pk}"


def article_iri(base: str, slug: str) -> str:
    return f"{base}/articles/{slug}/"


def team_iri(base: str, slug: str) -> str:
    return f"{base}/teams/{slug}/"


def generator(base: str) -> dict:
    return {"id": f"{base}/", "type": "Software", "name": "Crossread"}


def _creator(user) -> dict:
    name = user.get_full_name() or user.get_username()
    return {"type": "Person", "nickname": user.get_username(), "name": name}


def _textual(value: str, purpose: str, *, media: str = "text/plain") -> dict:
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": media}


def _specific(source: str, purpose: str) -> dict:
    return {"type": "SpecificResource", "purpose": purpose, "source": source}


def passage_target(annotation: Annotation, *, base: str, offsets: ParagraphOffsets | None) -> dict:
    """The passage: the quote always; its position when it is placed."""
    quote = {"type": "TextQuoteSelector", "exact": annotation.exact}
    if annotation.prefix:
        quote["prefix"] = annotation.prefix
    if annotation.suffix:
        quote["suffix"] = annotation.suffix
    selectors = [quote]
    paragraph_start = (
        offsets.starts.get(annotation.paragraph_id)
        if offsets is not None and annotation.paragraph_id is not None
        else None
    )
    if paragraph_start is not None:
        selectors.append(
            {
                "type": "TextPositionSelector",
                "start": paragraph_start + annotation.start,
                "end": paragraph_start + annotation.end,
            }
        )
    return {
        "id": f"{annotation_iri(base, annotation.pk)}#target",
        "type": "SpecificResource",
        "source": article_iri(base, annotation.article.slug),
        "selector": selectors,
    }


def _bodies(annotation: Annotation) -> list[dict]:
    bodies = []
    if annotation.claim:
        bodies.append(_textual(annotation.claim, "describing"))
    if annotation.stance:
        bodies.append(_specific(vocab.STANCE + annotation.stance, "classifying"))
    if annotation.stance_target:
        bodies.append(_textual(annotation.stance_target, "classifying"))
    source = annotation.source
    if source is not None:
        bodies.append(_textual(source.name, "identifying"))
        if source.url:
            bodies.append(_specific(source.url, "identifying"))
    bodies.extend(
        _specific(vocab.region_iri(region.code), "classifying")
        for region in sorted(annotation.regions.all(), key=lambda region: region.code)
    )
    if annotation.note:
        bodies.append(_textual(annotation.note, "commenting", media="text/markdown"))
    bodies.extend(_textual(name, "tagging") for name in tag_names(annotation))
    if annotation.team_id is not None:
        bodies.append(_specific(vocab.REVIEW + annotation.review_status, "moderating"))
        if annotation.review_reason:
            bodies.append(_textual(annotation.review_reason, "moderating"))
    return bodies


def _motivation(annotation: Annotation) -> str:
    if annotation.claim or annotation.note:
        return "commenting"
    if annotation.stance or annotation.source_id or annotation.stance_target:
        return "classifying"
    return "tagging" if tag_names(annotation) else "highlighting"


def _audience(row, base: str) -> list[dict]:
    """Who the row is for: the team it belongs to, and whether it is public or its
    author's alone (work for its team only names just the team)."""
    audience = []
    if row.visibility == Visibility.PUBLIC:
        audience.append({"id": vocab.PUBLIC_AUDIENCE, "type": "Audience"})
    elif row.visibility == Visibility.PRIVATE:
        audience.append({"id": vocab.PRIVATE_AUDIENCE, "type": "Audience"})
    if row.team_id is not None:
        audience.append(
            {"id": team_iri(base, row.team.slug), "type": "Audience", "name": row.team.name}
        )
    return audience


def annotation_document(
    annotation: Annotation,
    *,
    base: str,
    offsets: ParagraphOffsets | None,
    context: bool = True,
) -> dict:
    """One annotation. It expects ``article``, ``author``, ``team`` and ``source``
    selected with it and ``regions`` and its tags prefetched (``TAGS``). ``context``: False for
    an item of a page (it has the page's)."""
    document = {"@context": vocab.CONTEXT} if context else {}
    document.update(
        {
            "id": annotation_iri(base, annotation.pk),
            "type": "Annotation",
            "motivation": _motivation(annotation),
            "created": iso(annotation.created),
            "modified": iso(annotation.updated),
            "creator": _creator(annotation.author),
            "generator": generator(base),
        }
    )
    bodies = _bodies(annotation)
    if bodies:
        document["body"] = bodies
    document["target"] = passage_target(annotation, base=base, offsets=offsets)
    document["audience"] = _audience(annotation, base)
    return document


def link_document(
    link: CrossReference,
    *,
    base: str,
    offsets: dict[int, ParagraphOffsets],
    context: bool = True,
) -> dict:
    """A cross-reference: motivation ``linking``, the two passages as targets (in the
    link's direction: the first passage [relation] the second)."""
    document = {"@context": vocab.CONTEXT} if context else {}
    bodies = [_specific(vocab.RELATION + link.relation, "classifying")]
    if link.note:
        bodies.append(_textual(link.note, "commenting"))
    ends = (link.from_annotation, link.to_annotation)
    document.update(
        {
            "id": link_iri(base, link.pk),
            "type": "Annotation",
            "motivation": "linking",
            "created": iso(link.created),
            "modified": iso(link.updated),
            "creator": _creator(link.author),
            "generator": generator(base),
            "body": bodies,
            "target": [
                passage_target(end, base=base, offsets=offsets.get(end.article_id)) for end in ends
            ],
        }
    )
    document["audience"] = _audience(link, base)
    return document


def page_document(
    *,
    collection_id: str,
    page_id: str,
    items: Iterable[dict],
    start_index: int,
    next_id: str | None,
    prev_id: str | None,
    context: bool = True,
    total: int | None = None,
) -> dict:
    """A page of a collection; ``total``: name the collection with its total (as the
    protocol's pages do) rather than by its IRI alone."""
    document = {"@context": vocab.CONTEXT} if context else {}
    document.update(
        {
            "id": page_id,
            "type": "AnnotationPage",
            "partOf": collection_id if total is None else {"id": collection_id, "total": total},
            "startIndex": start_index,
        }
    )
    if next_id:
        document["next"] = next_id
    if prev_id:
        document["prev"] = prev_id
    document["items"] = list(items)
    return document


def collection_head(
    *, collection_id: str, label: str, total: int, first: str | None, last: str | None, base: str
) -> dict:
    document = {
        "@context": vocab.CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "generator": generator(base),
    }
    if first:
        document["first"] = first
        document["last"] = last
    return document


def pages_of(items: Iterator[dict], size: int) -> Iterator[list[dict]]:
    """The items in pages of ``size``, each read as it is needed."""
    page: list[dict] = []
    for item in items:
        page.append(item)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page
