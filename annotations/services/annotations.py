"""Writes to annotations: validated, atomic, raising errors the views show.

Views and the admin call these and never save annotations themselves. Who may do
what is ``annotations.models.visibility``; an edit from an outdated form is refused
(``AnnotationConflictError``), never written over a newer version.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotations.anchoring import Anchor, QuoteNotFoundError, locate
from annotations.history import recorded
from annotations.models import (
    CURATING_ROLES,
    WRITING_ROLES,
    AnchorStatus,
    Annotation,
    CrossReference,
    Membership,
    Region,
    ReviewStatus,
    Role,
    SourceKind,
    Stance,
    Team,
    Visibility,
    may_edit,
    visibility_change_refusal,
)
from annotations.services.vocabularies import (
    check_source_name,
    check_tag_names,
    source_for_name,
    tags_for_names,
)
from corpus.markup import render_markdown
from corpus.models import Paragraph

logger = logging.getLogger(__name__)

CLAIM_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 20000
STANCE_TARGET_MAX_LENGTH = 300
QUOTE_MAX_LENGTH = 20000


class AnnotationConflictError(Exception):
    """The annotation changed since the editor loaded it (optimistic concurrency)."""

    def __init__(self, current: Annotation) -> None:
        super().__init__(f"Annotation {current.pk} is at version {current.version}.")
        self.current = current


def team_roles(user) -> dict[int, str]:
    """The user's role in each of their teams, by team id (one query)."""
    if not user.is_authenticated:
        return {}
    return dict(Membership.objects.filter(user=user).values_list("team_id", "role"))


def writable_teams(user) -> list[Team]:
    """The teams a user may annotate for, by name."""
    return list(
        Team.objects.filter(memberships__user=user, memberships__role__in=WRITING_ROLES).order_by(
            "name"
        )
    )


def render_note(note: str) -> str:
    """A note's markdown as sanitized HTML (empty for an empty note)."""
    return render_markdown(note) if note.strip() else ""


def _check_bodies(*, claim: str, stance: str, stance_target: str, note: str) -> None:
    errors = {}
    if stance and stance not in Stance.values:
        errors["stance"] = f"Unknown stance {stance!r}: choose {', '.join(Stance.values)}, or none."
    if len(claim) > CLAIM_MAX_LENGTH:
        errors["claim"] = f"A claim has at most {CLAIM_MAX_LENGTH} characters."
    if len(stance_target) > STANCE_TARGET_MAX_LENGTH:
        errors["stance_target"] = f"“Toward” has at most {STANCE_TARGET_MAX_LENGTH} characters."
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"A note has at most {NOTE_MAX_LENGTH:,} characters."
    if errors:
        raise ValidationError(errors)


def check_team_and_visibility(
    *, author, team: Team | None, visibility: str, roles: dict[int, str]
) -> None:
    """The author may write for the team; a shared annotation has one."""
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": f"Unknown visibility {visibility!r}."})
    if team is not None and roles.get(team.pk) not in WRITING_ROLES:
        raise ValidationError(
            {"team": f"You cannot annotate for the team “{team}”: you are not one of its writers."}
        )
    if team is None and visibility != Visibility.PRIVATE:
        raise ValidationError(
            {
                "team": "Team and public annotations belong to a team: choose one, or make it private."
            }
        )


def _anchor(paragraph: Paragraph, *, exact, start, end, prefix, suffix) -> Anchor:
    if len(exact or "") > QUOTE_MAX_LENGTH:
        raise ValidationError({"exact": f"A quote has at most {QUOTE_MAX_LENGTH:,} characters."})
    try:
        return locate(
            paragraph.text, exact=exact, start=start, end=end, prefix=prefix, suffix=suffix
        )
    except QuoteNotFoundError as error:
        raise ValidationError({"exact": str(error)}) from None


def _set_target(annotation: Annotation, paragraph: Paragraph, anchor: Anchor) -> None:
    """The one place that points an annotation at a passage: its article is always
    its paragraph's."""
    annotation.paragraph = paragraph
    annotation.article_id = paragraph.article_id
    annotation.set_passage(paragraph.pk, anchor)
    annotation.anchor_status = AnchorStatus.ANCHORED


def initial_review_status(team: Team | None, visibility: str, *, draft: bool = False) -> str:
    """Where a new annotation starts: a team's shared work awaits review when the team
    reviews (or stays a draft when its author says so); anything else is approved (a
    private note has nobody to review it)."""
    if team is None or visibility == Visibility.PRIVATE or not team.review_required:
        return ReviewStatus.APPROVED
    return ReviewStatus.DRAFT if draft else ReviewStatus.SUBMITTED


def activity_team(annotation: Annotation) -> int | None:
    """The team whose activity page shows a change to ``annotation`` (none for a
    private one: its changes are its author's alone)."""
    return None if annotation.visibility == Visibility.PRIVATE else annotation.team_id


@transaction.atomic
def annotation_create(
    *,
    author,
    paragraph: Paragraph,
    exact: str,
    start: int | None = None,
    end: int | None = None,
    prefix: str = "",
    suffix: str = "",
    claim: str = "",
    stance: str,
    stance_target: str = "",
    source_name: str = "",
    source_kind: str = SourceKind.OTHER,
    regions: Iterable[Region] = (),
    note: str = "",
    tags: Iterable[str] = (),
    team: Team | None = None,
    visibility: str = Visibility.PRIVATE,
    draft: bool = False,
) -> Annotation:
    """Record a claim on a passage. Everything it writes (a new source or tag
    included) is written together or not at all. ``draft``: in a team that reviews,
    kept back from review until its author submits it."""
    if not author.is_authenticated:
        raise PermissionDenied("Sign in to annotate.")
    claim, stance_target = claim.strip(), stance_target.strip()
    _check_bodies(claim=claim, stance=stance, stance_target=stance_target, note=note)
    check_team_and_visibility(
        author=author, team=team, visibility=visibility, roles=team_roles(author)
    )
    anchor = _anchor(paragraph, exact=exact, start=start, end=end, prefix=prefix, suffix=suffix)
    shared_with = None if visibility == Visibility.PRIVATE or team is None else team.pk
    # A new source or tag is part of the change, in the history as in the transaction.
    with recorded(author, "annotated a passage", team_id=shared_with):
        tag_objects = tags_for_names(user=author, names=tags)
        source = (
            source_for_name(user=author, name=source_name, kind=source_kind)
            if source_name.strip()
            else None
        )
        annotation = Annotation(
            claim=claim,
            stance=stance,
            stance_target=stance_target,
            source=source,
            note=note,
            note_html=render_note(note),
            author=author,
            team=team,
            visibility=visibility,
            review_status=initial_review_status(team, visibility, draft=draft),
        )
        _set_target(annotation, paragraph, anchor)
        annotation.full_clean(exclude=["regions", "tags"])
        annotation.save()
        regions = list(regions)
        if regions:
            annotation.regions.set(regions)
        if tag_objects:
            annotation.tags.set(tag_objects)
    logger.info("annotation %s created by %s on paragraph %s", annotation.pk, author, paragraph.pk)
    return annotation


def lock_editable(row, user, *, deleted: bool = False):
    """The annotation (or cross-reference: the same rule of author, team and
    visibility), locked, if ``user`` may change it; else PermissionDenied."""
    locked = (
        type(row)
        .objects.select_for_update()
        .filter(pk=row.pk, deleted_at__isnull=not deleted)
        .order_by()
        .first()
    )
    if locked is None or not may_edit(
        user,
        author_id=locked.author_id,
        team_id=locked.team_id,
        visibility=locked.visibility,
        roles=team_roles(user),
    ):
        raise PermissionDenied(f"You may not change this {row._meta.verbose_name}.")
    return locked


def _check_version(locked: Annotation, expected_version) -> None:
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise ValidationError({"version": "The form has no valid version: reload the page."})
    if locked.version != expected_version:
        raise AnnotationConflictError(locked)


def check_annotation_update(
    *,
    annotation: Annotation,
    editor,
    expected_version: int,
    claim: str,
    stance: str,
    stance_target: str = "",
    source_name: str = "",
    source_kind: str = SourceKind.OTHER,
    note: str = "",
    tags: Iterable[str] = (),
    team: Team | None = None,
    visibility: str,
    roles: dict[int, str] | None = None,
) -> None:
    """Every check of ``annotation_update``, without writing: raises what it would
    raise (the admin shows these on its form before saving)."""
    if roles is None:
        roles = team_roles(editor)
    if not may_edit(
        editor,
        author_id=annotation.author_id,
        team_id=annotation.team_id,
        visibility=annotation.visibility,
        roles=roles,
    ):
        raise PermissionDenied("You may not change this annotation.")
    _check_version(annotation, expected_version)
    _check_bodies(
        claim=claim.strip(), stance=stance, stance_target=stance_target.strip(), note=note
    )
    new_team_id = team.pk if team is not None else None
    refusal = visibility_change_refusal(
        editor,
        author_id=annotation.author_id,
        old_team_id=annotation.team_id,
        old_visibility=annotation.visibility,
        new_team_id=new_team_id,
        new_visibility=visibility,
        roles=roles,
    )
    if refusal:
        raise ValidationError({"visibility": refusal})
    if (new_team_id, visibility) != (annotation.team_id, annotation.visibility):
        author_roles = roles if editor.pk == annotation.author_id else team_roles(annotation.author)
        check_team_and_visibility(
            author=annotation.author, team=team, visibility=visibility, roles=author_roles
        )
    check_tag_names(tags)
    if source_name.strip():
        check_source_name(source_name, kind=source_kind)


@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    editor,
    expected_version: int,
    claim: str,
    stance: str,
    stance_target: str = "",
    source_name: str = "",
    source_kind: str = SourceKind.OTHER,
    regions: Iterable[Region] = (),
    note: str = "",
    tags: Iterable[str] = (),
    team: Team | None = None,
    visibility: str,
    action: str = "changed the annotation",
) -> Annotation:
    """Change an annotation's bodies. Refused if someone changed it since
    ``expected_version``. ``action`` is what the history says was done."""
    locked = lock_editable(annotation, editor)
    tags = list(tags)
    check_annotation_update(
        annotation=locked,
        editor=editor,
        expected_version=expected_version,
        claim=claim,
        stance=stance,
        stance_target=stance_target,
        source_name=source_name,
        source_kind=source_kind,
        note=note,
        tags=tags,
        team=team,
        visibility=visibility,
    )
    shared_with = None if visibility == Visibility.PRIVATE or team is None else team.pk
    with recorded(editor, action, team_id=shared_with):
        tag_objects = tags_for_names(user=editor, names=tags)
        locked.claim = claim.strip()
        locked.stance = stance
        locked.stance_target = stance_target.strip()
        locked.source = (
            source_for_name(user=editor, name=source_name, kind=source_kind)
            if source_name.strip()
            else None
        )
        locked.note = note
        locked.note_html = render_note(note)
        locked.team = team
        locked.visibility = visibility
        if (
            team is not None
            and team.review_required
            and locked.review_status in (ReviewStatus.APPROVED, ReviewStatus.REJECTED)
            and team_roles(editor).get(team.pk) not in CURATING_ROLES
        ):
            locked.review_status = ReviewStatus.SUBMITTED  # a change is reviewed again
        locked.version += 1  # the row is locked: no one else moves it meanwhile
        locked.full_clean(exclude=["regions", "tags"])
        locked.save()
        locked.regions.set(list(regions))
        locked.tags.set(tag_objects)
    locked.refresh_from_db()
    logger.info("annotation %s updated by %s to version %s", locked.pk, editor, locked.version)
    return locked


@transaction.atomic
def annotation_reattach(
    *,
    annotation: Annotation,
    editor,
    expected_version: int,
    paragraph: Paragraph,
    exact: str,
    start: int | None = None,
    end: int | None = None,
    prefix: str = "",
    suffix: str = "",
) -> Annotation:
    """Place an annotation on a passage a person chose, in its article: what re-anchoring
    could not do (an orphan), or did fuzzily."""
    locked = lock_editable(annotation, editor)
    _check_version(locked, expected_version)
    if paragraph.article_id != locked.article_id:
        raise ValidationError({"paragraph": "Choose a passage of the annotation's own article."})
    anchor = _anchor(paragraph, exact=exact, start=start, end=end, prefix=prefix, suffix=suffix)
    if anchor.exact != locked.exact and not locked.previous_exact:
        locked.previous_exact = locked.exact
    _set_target(locked, paragraph, anchor)
    locked.version += 1  # the row is locked: no one else moves it meanwhile
    with recorded(editor, "placed the annotation on its passage", team_id=activity_team(locked)):
        locked.save()
    locked.refresh_from_db()
    logger.info("annotation %s re-attached by %s to paragraph %s", locked.pk, editor, paragraph.pk)
    return locked


@transaction.atomic
def annotation_delete(*, annotation: Annotation, user, expected_version: int) -> None:
    """Move an annotation to the bin, from where those who may edit it restore it."""
    locked = lock_editable(annotation, user)
    _check_version(locked, expected_version)
    locked.deleted_at = timezone.now()
    locked.deleted_by = user
    locked.version += 1  # the row is locked: no one else moves it meanwhile
    with recorded(user, "moved the annotation to the bin", team_id=activity_team(locked)):
        locked.save(update_fields=["deleted_at", "deleted_by", "version", "updated"])
    logger.info("annotation %s deleted by %s", annotation.pk, user)


@transaction.atomic
def annotation_restore(*, annotation: Annotation, user) -> Annotation:
    locked = lock_editable(annotation, user, deleted=True)
    locked.deleted_at = None
    locked.deleted_by = None
    locked.version += 1  # the row is locked: no one else moves it meanwhile
    with recorded(user, "restored the annotation from the bin", team_id=activity_team(locked)):
        locked.save(update_fields=["deleted_at", "deleted_by", "version", "updated"])
    locked.refresh_from_db()
    logger.info("annotation %s restored by %s", annotation.pk, user)
    return locked


@transaction.atomic
def annotation_bin_empty(*, actor, team: Team | None) -> int:
    """Delete for good what lies in a bin: a team's (its shared annotations; owners
    only) or, with ``team`` None, the actor's own private ones. Their last versions, and
    those of the links that go with them, stay in the history. How many went."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in first.")
    binned = Annotation.objects.filter(deleted_at__isnull=False)
    if team is None:
        binned = binned.filter(author=actor, visibility=Visibility.PRIVATE)
        action, team_id = "emptied their own bin", None
    else:
        if team_roles(actor).get(team.pk) != Role.OWNER:
            raise PermissionDenied("Only the team's owners empty its bin.")
        binned = binned.filter(team=team).exclude(visibility=Visibility.PRIVATE)
        action, team_id = "emptied the team's bin", team.pk
    rows = list(binned.select_for_update().order_by("pk"))
    if not rows:
        return 0
    with recorded(actor, f"{action}: {len(rows)} annotation(s)", team_id=team_id):
        for row in rows:
            reversion.add_to_revision(row)
        for link in CrossReference.objects.filter(
            Q(from_annotation__in=rows) | Q(to_annotation__in=rows)
        ):
            reversion.add_to_revision(link)
    Annotation.objects.filter(pk__in=[row.pk for row in rows]).delete()
    logger.info("%s emptied a bin of %s annotations (team %s)", actor, len(rows), team_id)
    return len(rows)
