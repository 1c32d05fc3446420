"""Naming sources and tags in annotations: reuse what the writer may see, create the
rest. Never hands back someone else's hidden entry (see ``annotations.models.visibility``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from annotations.citations import normalize_name
from annotations.models import TAG_MAX_LENGTH, AnnotationTag, Source, SourceKind, tag_slug

SOURCE_NAME_MAX_LENGTH = 300
TAGS_PER_ANNOTATION = 50


def source_for_name(*, user, name: str, kind: str = SourceKind.OTHER) -> Source:
    """The source of that name (spelling variants included) that ``user`` may see,
    curated first; else a new one, theirs, which others see only through the
    annotations they may see."""
    name, key = check_source_name(name, kind=kind)
    existing = (
        Source.objects.visible_to(user)
        .filter(normalized_name=key)
        .order_by("-curated", "pk")
        .first()
    )
    if existing:
        return existing
    source = Source(name=name, kind=kind, curated=False, created_by=user)
    source.full_clean(exclude=["normalized_name"])
    source.save()
    return source


def check_source_name(name: str, *, kind: str = SourceKind.OTHER) -> tuple[str, str]:
    """The name, spaces collapsed, and its key; or ValidationError saying what is wrong."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"source_name": "A source needs a name."})
    if len(name) > SOURCE_NAME_MAX_LENGTH:
        raise ValidationError(
            {"source_name": f"A source name has at most {SOURCE_NAME_MAX_LENGTH} characters."}
        )
    if kind not in SourceKind.values:
        raise ValidationError({"source_kind": f"Unknown kind of source {kind!r}."})
    key = normalize_name(name)
    if not key:
        raise ValidationError({"source_name": "A source name needs letters or digits."})
    return name, key


def parse_tag_names(text: str) -> list[str]:
    """Tags as typed: what stands between commas, spaces inside kept ("dual containment"
    is one tag), blanks and repeats (ignoring case) dropped."""
    names = []
    seen = set()
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def check_tag_names(names: Iterable[str]) -> list[str]:
    """The names, cleaned, or ValidationError saying what is wrong with them."""
    cleaned = []
    seen = set()
    for raw in names:
        name = " ".join(str(raw).split())
        if not name or name.casefold() in seen:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError(
                {
                    "tags": f"A tag has at most {TAG_MAX_LENGTH} characters: “{name[:40]}…” has {len(name)}."
                }
            )
        if not tag_slug(name):
            raise ValidationError({"tags": f"The tag “{name}” needs letters or digits."})
        seen.add(name.casefold())
        cleaned.append(name)
    if len(cleaned) > TAGS_PER_ANNOTATION:
        raise ValidationError(
            {
                "tags": f"An annotation has at most {TAGS_PER_ANNOTATION} tags; this one has {len(cleaned)}."
            }
        )
    return cleaned


def tags_for_names(*, user, names: Iterable[str]) -> list[AnnotationTag]:
    """A tag for each name: one ``user`` may see of that name (ignoring case), else a
    new one spelled as they typed it."""
    names = check_tag_names(names)
    if not names:
        return []
    known: dict[str, AnnotationTag] = {}
    for tag in (
        AnnotationTag.objects.visible_to(user)
        .filter(slug__in={tag_slug(name) for name in names})
        .order_by("pk")
    ):
        known.setdefault(tag.name.casefold(), tag)
    tags = []
    for name in names:
        tag = known.get(name.casefold())
        if tag is None:
            tag = known[name.casefold()] = AnnotationTag.objects.create(name=name)
        tags.append(tag)
    return tags
