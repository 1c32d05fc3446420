"""Writes to cross-references: link two annotated passages, link to a passage not yet
annotated (it becomes a plain annotation), remove a link and bring it back."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.history import recorded
from annotations.models import Annotation, CrossReference, Relation, Team, Visibility
from annotations.services.annotations import (
    annotation_create,
    check_team_and_visibility,
    lock_editable,
    team_roles,
)
from corpus.models import Paragraph

logger = logging.getLogger(__name__)

LINK_NOTE_MAX_LENGTH = 5000


def _activity_team(link: CrossReference) -> int | None:
    return None if link.visibility == Visibility.PRIVATE else link.team_id


def _visible(user, annotation_id: int, field: str) -> Annotation:
    annotation = Annotation.objects.visible_to(user).filter(pk=annotation_id).first()
    if annotation is None:
        raise ValidationError({field: "There is no such passage among those you can see."})
    return annotation


@transaction.atomic
def crossreference_create(
    *,
    author,
    from_annotation: Annotation,
    to_annotation: Annotation,
    relation: str,
    note: str = "",
    team: Team | None = None,
    visibility: str = Visibility.PRIVATE,
) -> CrossReference:
    """Link two passages the author may see. The link has its own visibility, and is
    seen only by those who may also see both passages."""
    if not author.is_authenticated:
        raise PermissionDenied("Sign in to link passages.")
    source = _visible(author, from_annotation.pk, "from_annotation")
    target = _visible(author, to_annotation.pk, "to_annotation")
    if source.pk == target.pk:
        raise ValidationError({"to_annotation": "A passage cannot be linked to itself."})
    if relation not in Relation.values:
        raise ValidationError(
            {
                "relation": f"Unknown relation {relation!r}: choose one of {', '.join(Relation.values)}."
            }
        )
    note = note.strip()
    if len(note) > LINK_NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"A note has at most {LINK_NOTE_MAX_LENGTH:,} characters."})
    check_team_and_visibility(
        author=author, team=team, visibility=visibility, roles=team_roles(author)
    )
    if CrossReference.objects.filter(
        from_annotation=source, to_annotation=target, relation=relation, deleted_at__isnull=True
    ).exists():
        raise ValidationError({"relation": "These passages are linked that way already."})
    link = CrossReference(
        from_annotation=source,
        to_annotation=target,
        relation=relation,
        note=note,
        author=author,
        team=team,
        visibility=visibility,
    )
    try:
        with recorded(author, f"linked two passages: {relation}", team_id=_activity_team(link)):
            link.save()
    except IntegrityError:  # the same link, saved a moment ago by a second request
        raise ValidationError({"relation": "These passages are linked that way already."}) from None
    logger.info("link %s created by %s", link.pk, author)
    return link


@transaction.atomic
def crossreference_create_to_passage(
    *,
    author,
    from_annotation: Annotation,
    paragraph: Paragraph,
    exact: str,
    start: int | None = None,
    end: int | None = None,
    relation: str,
    note: str = "",
    team: Team | None = None,
    visibility: str = Visibility.PRIVATE,
) -> CrossReference:
    """Link to a passage nobody annotated yet: it becomes a plain annotation (no claim,
    no stance) with the link's team and visibility, and the link is made; both or
    neither."""
    target = annotation_create(
        author=author,
        paragraph=paragraph,
        exact=exact,
        start=start,
        end=end,
        stance="",
        team=team,
        visibility=visibility,
    )
    return crossreference_create(
        author=author,
        from_annotation=from_annotation,
        to_annotation=target,
        relation=relation,
        note=note,
        team=team,
        visibility=visibility,
    )


@transaction.atomic
def crossreference_delete(*, link: CrossReference, user) -> CrossReference:
    """Remove a link; it is kept, and whoever may change it can bring it back."""
    locked = lock_editable(link, user, deleted=False)
    locked.deleted_at = timezone.now()
    locked.deleted_by = user
    with recorded(user, "removed a link", team_id=_activity_team(locked)):
        locked.save(update_fields=["deleted_at", "deleted_by", "updated"])
    logger.info("link %s removed by %s", link.pk, user)
    return locked


@transaction.atomic
def crossreference_restore(*, link: CrossReference, user) -> CrossReference:
    locked = lock_editable(link, user, deleted=True)
    if CrossReference.objects.filter(
        from_annotation_id=locked.from_annotation_id,
        to_annotation_id=locked.to_annotation_id,
        relation=locked.relation,
        deleted_at__isnull=True,
    ).exists():
        raise ValidationError("These passages are linked that way again already.")
    locked.deleted_at = None
    locked.deleted_by = None
    with recorded(user, "restored a link", team_id=_activity_team(locked)):
        locked.save(update_fields=["deleted_at", "deleted_by", "updated"])
    logger.info("link %s restored by %s", link.pk, user)
    return locked
