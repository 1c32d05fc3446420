"""An annotation's tags read in bulk: one prefetch of the link rows with their tag.

django-taggit's own ``prefetch_related("tags")`` builds a queryset per annotation (a
third of an export's time, measured); the writers of exports read ``tag_links``."""

from __future__ import annotations

from django.db.models import Prefetch

from annotations.models import Annotation, TaggedAnnotation


def tag_links() -> Prefetch:
    return Prefetch(
        "taggedannotation_set",
        queryset=TaggedAnnotation.objects.select_related("tag"),
        to_attr="tag_links",
    )


def tag_names(annotation: Annotation) -> list[str]:
    """Its tags' names, sorted, from ``tag_links`` when prefetched so."""
    links = getattr(annotation, "tag_links", None)
    if links is not None:
        return sorted({link.tag.name for link in links})
    return sorted({tag.name for tag in annotation.tags.all()})
