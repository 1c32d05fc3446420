"""The team's review of its annotations: annotators submit, editors and owners approve
or reject (with a reason the annotator sees on the card), and adopting one reading of a
passage that members read differently. Every step raises the annotation's version (a
stale form is refused, as for an edit) and is recorded in the history."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotations.history import recorded
from annotations.models import (
    WRITING_ROLES,
    Annotation,
    ReviewStatus,
    Visibility,
    may_review,
)
from annotations.services.annotations import (
    _check_version,
    lock_editable,
    team_roles,
)

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 500


def _lock_for_review(annotation: Annotation, user, expected_version) -> Annotation:
    locked = (
        Annotation.objects.select_for_update()
        .filter(pk=annotation.pk, deleted_at__isnull=True)
        .order_by()
        .first()
    )
    if locked is None or not may_review(
        user, team_id=locked.team_id, visibility=locked.visibility, roles=team_roles(user)
    ):
        raise PermissionDenied("Only the team's editors and owners review its annotations.")
    _check_version(locked, expected_version)
    return locked


def _save_review(locked: Annotation, user, status: str, reason: str) -> Annotation:
    locked.review_status = status
    locked.review_reason = reason
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.version += 1  # the row is locked: no one else moves it meanwhile
    locked.save(
        update_fields=[
            "review_status",
            "review_reason",
            "reviewed_by",
            "reviewed_at",
            "version",
            "updated",
        ]
    )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def annotation_submit(*, annotation: Annotation, user, expected_version: int) -> Annotation:
    """Submit a draft (or a rejected annotation, once changed) for the team's review."""
    locked = lock_editable(annotation, user)
    _check_version(locked, expected_version)
    if locked.team_id is None or locked.visibility == Visibility.PRIVATE:
        raise ValidationError(
            "Share it with a team first: a private annotation has nobody to review it."
        )
    if team_roles(user).get(locked.team_id) not in WRITING_ROLES:
        raise PermissionDenied("Only the team's annotators, editors and owners submit.")
    if locked.review_status == ReviewStatus.SUBMITTED:
        raise ValidationError("It already awaits review.")
    with recorded(user, "submitted the annotation for review", team_id=locked.team_id):
        locked.review_status = ReviewStatus.SUBMITTED
        locked.version += 1  # the row is locked: no one else moves it meanwhile
        locked.save(update_fields=["review_status", "version", "updated"])
        locked.refresh_from_db()
    logger.info("annotation %s submitted by %s", locked.pk, user)
    return locked


@transaction.atomic
def annotation_approve(*, annotation: Annotation, user, expected_version: int) -> Annotation:
    locked = _lock_for_review(annotation, user, expected_version)
    with recorded(user, "approved the annotation", team_id=locked.team_id):
        locked = _save_review(locked, user, ReviewStatus.APPROVED, "")
    logger.info("annotation %s approved by %s", locked.pk, user)
    return locked


def clean_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why, for its author: a rejection needs a reason."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"Keep the reason under {REASON_MAX_LENGTH} characters."})
    return reason


@transaction.atomic
def annotation_reject(
    *, annotation: Annotation, user, expected_version: int, reason: str
) -> Annotation:
    reason = clean_reason(reason)
    locked = _lock_for_review(annotation, user, expected_version)
    with recorded(user, f"rejected the annotation: {reason}", team_id=locked.team_id):
        locked = _save_review(locked, user, ReviewStatus.REJECTED, reason)
    logger.info("annotation %s rejected by %s", locked.pk, user)
    return locked


@transaction.atomic
def reading_adopt(
    *, adopted: Annotation, others: Sequence[Annotation], user, expected_versions: dict[int, int]
) -> Annotation:
    """Settle a passage read differently: ``adopted`` is approved, the ``others`` (the
    same passage, the same team) are rejected with a reason naming the reading adopted.
    Nothing is deleted; the history keeps every reading. ``expected_versions`` maps
    each annotation's id to the version the reviewer saw."""
    ids = [adopted.pk, *(other.pk for other in others)]
    if len(set(ids)) != len(ids):
        raise ValidationError("Each reading once.")
    locked = {
        pk: _lock_for_review(Annotation(pk=pk), user, expected_versions.get(pk)) for pk in ids
    }
    chosen = locked[adopted.pk]
    if any(row.team_id != chosen.team_id for row in locked.values()):
        raise ValidationError("The readings to settle are of one team.")
    if any(row.paragraph_id != chosen.paragraph_id for row in locked.values()):
        raise ValidationError("The readings to settle are of one passage.")
    author = chosen.author.username
    reason = f"The team adopted {author}'s reading ({chosen.get_stance_display() or 'no stance'})."
    with recorded(user, f"adopted {author}'s reading of a passage", team_id=chosen.team_id):
        chosen = _save_review(chosen, user, ReviewStatus.APPROVED, "")
        for pk in ids[1:]:
            _save_review(locked[pk], user, ReviewStatus.REJECTED, reason)
    logger.info("annotation %s adopted by %s over %s", chosen.pk, user, ids[1:])
    return chosen
