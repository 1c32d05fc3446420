"""The history of every change: django-reversion, chosen over django-simple-history
because one action writes several rows that belong together (an annotation with its
tags and regions; a merge that moves a hundred annotations to another source), and a
reversion *revision* keeps them as one: who, when, what was done, and every row as it
was after. A revision is also an entry of the team's activity page.

Services record their writes inside ``recorded(...)``; the admin's own saves are
recorded by its version-aware admin classes. An earlier version is restored through
the services (``annotations.services.history``), never by writing the old row back:
the text may have changed since, and restoring is itself a change in the history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.db.models import QuerySet
from reversion.models import Version

from annotations.models import (
    Annotation,
    AnnotationTag,
    CrossReference,
    Region,
    RevisionTeam,
    Source,
    TaggedAnnotation,
)

COMMENT_LENGTH = 300


def register_models() -> None:
    """What the history keeps (AnnotationsConfig.ready; corpus registers its own)."""
    reversion.register(TaggedAnnotation)
    reversion.register(Annotation, follow=("taggedannotation_set",))
    reversion.register(CrossReference)
    reversion.register(Source)
    reversion.register(Region)
    reversion.register(AnnotationTag)


@contextmanager
def recorded(user, action: str, *, team_id: int | None = None) -> Iterator[None]:
    """Record the writes of the block as one change by ``user``, described by
    ``action`` ("approved the annotation", ...); ``team_id`` puts it in that team's
    activity (only for work the team sees)."""
    with reversion.create_revision(atomic=True):
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(action[:COMMENT_LENGTH])
        if team_id is not None:
            reversion.add_meta(RevisionTeam, team_id=team_id)
        yield


def annotation_versions(annotation: Annotation) -> QuerySet:
    """The recorded versions of an annotation, newest first, with who made them."""
    return (
        Version.objects.get_for_object(annotation)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


@dataclass(frozen=True, slots=True)
class FieldChange:
    label: str
    before: str
    after: str


# The fields a reader cares about, in the order a card shows them.
SHOWN_FIELDS = {
    "exact": "Quote",
    "claim": "Claim",
    "stance": "Stance",
    "stance_target": "Toward",
    "source": "Source",
    "regions": "Regions",
    "tags": "Tags",
    "note": "Note",
    "visibility": "Who sees it",
    "team": "Team",
    "review_status": "Review",
    "review_reason": "Reason",
    "deleted_at": "In the bin",
}
