"""Writes to annotations and teams: validated, atomic, raising errors the views show.

Views call these and never save annotations, sources or memberships themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify

from annotations.anchoring import QuoteNotFoundError, locate
from annotations.models import (
    WRITING_ROLES,
    Annotation,
    Membership,
    Region,
    Role,
    Source,
    SourceKind,
    Stance,
    Team,
    Visibility,
    normalize_name,
)
from corpus.markup import render_markdown
from corpus.models import Paragraph

logger = logging.getLogger(__name__)


class AnnotationConflictError(Exception):
    """The annotation changed since the editor loaded it (optimistic concurrency)."""

    def __init__(self, current: Annotation) -> None:
        super().__init__(f"Annotation {current.pk} is at version {current.version}.")
        self.current = current


def writable_teams(user) -> list[Team]:
    """The teams a user may annotate for, by name."""
    return list(
        Team.objects.filter(memberships__user=user, memberships__role__in=WRITING_ROLES).order_by(
            "name"
        )
    )


def _check_stance(stance: str) -> None:
    if stance not in Stance.values:
        raise ValidationError(
            {"stance": f"Unknown stance {stance!r}: choose {', '.join(Stance.values)}."}
        )


def render_note(note: str) -> str:
    """A note's markdown as sanitized HTML (empty for an empty note)."""
    return render_markdown(note) if note.strip() else ""


def _check_team_and_visibility(*, user, team: Team | None, visibility: str) -> None:
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": f"Unknown visibility {visibility!r}."})
    if team is not None:
        role = (
            Membership.objects.filter(user=user, team=team).values_list("role", flat=True).first()
        )
        if role not in WRITING_ROLES:
            raise ValidationError(
                {
                    "team": f"You cannot annotate for the team “{team}”: you are not one of its writers."
                }
            )
    elif visibility != Visibility.PRIVATE:
        raise ValidationError(
            {
                "team": "Team and public annotations belong to a team: choose one, or make it private."
            }
        )


def source_get_or_create(
    *, name: str, kind: str = SourceKind.OTHER, year: int | None = None, notes: str = ""
) -> Source:
    """The source of that name (spelling variants included), created if new."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"source_name": "A source needs a name."})
    if len(name) > 300:
        raise ValidationError({"source_name": "A source name has at most 300 characters."})
    if kind not in SourceKind.values:
        raise ValidationError({"source_kind": f"Unknown kind of source {kind!r}."})
    key = normalize_name(name)
    if not key:
        raise ValidationError({"source_name": "A source name needs letters or digits."})
    existing = Source.objects.filter(normalized_name=key).first()
    if existing:
        return existing
    source = Source(name=name, kind=kind, year=year, notes=notes)
    source.normalized_name = key
    source.full_clean(exclude=["normalized_name"])
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:  # created meanwhile by someone else: theirs is ours
        return Source.objects.get(normalized_name=key)
    return source


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
) -> Annotation:
    """Record a claim on a passage. Everything it writes (a new source included) is
    written together or not at all."""
    if not author.is_authenticated:
        raise PermissionDenied("Sign in to annotate.")
    _check_stance(stance)
    _check_team_and_visibility(user=author, team=team, visibility=visibility)
    try:
        anchor = locate(
            paragraph.text, exact=exact, start=start, end=end, prefix=prefix, suffix=suffix
        )
    except QuoteNotFoundError as error:
        raise ValidationError({"exact": str(error)}) from None
    source = (
        source_get_or_create(name=source_name, kind=source_kind) if source_name.strip() else None
    )
    annotation = Annotation(
        article_id=paragraph.article_id,
        paragraph=paragraph,
        start=anchor.start,
        end=anchor.end,
        exact=anchor.exact,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        claim=claim.strip(),
        stance=stance,
        stance_target=stance_target.strip(),
        source=source,
        note=note,
        note_html=render_note(note),
        author=author,
        team=team,
        visibility=visibility,
    )
    annotation.full_clean(exclude=["regions", "tags"])
    annotation.save()
    regions = list(regions)
    if regions:
        annotation.regions.set(regions)
    tags = [tag for tag in tags if tag.strip()]
    if tags:
        annotation.tags.set(tags)
    logger.info("annotation %s created by %s on paragraph %s", annotation.pk, author, paragraph.pk)
    return annotation


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
) -> Annotation:
    """Change an annotation's bodies. Refused if someone changed it since ``expected_version``."""
    locked = Annotation.objects.select_for_update().filter(pk=annotation.pk).first()
    if (
        locked is None
        or not Annotation.objects.editable_by(editor).filter(pk=annotation.pk).exists()
    ):
        raise PermissionDenied("You may not edit this annotation.")
    if locked.version != expected_version:
        raise AnnotationConflictError(locked)
    _check_stance(stance)
    if team != locked.team or visibility != locked.visibility:
        # The author chooses where their annotation lives; a team's editor keeps it there.
        if editor.pk != locked.author_id and (
            team != locked.team or visibility == Visibility.PRIVATE
        ):
            raise ValidationError(
                {
                    "team": "Only the author can move an annotation to another team or make it private."
                }
            )
        _check_team_and_visibility(
            user=editor if editor.pk == locked.author_id else locked.author,
            team=team,
            visibility=visibility,
        )
    locked.claim = claim.strip()
    locked.stance = stance
    locked.stance_target = stance_target.strip()
    locked.source = (
        source_get_or_create(name=source_name, kind=source_kind) if source_name.strip() else None
    )
    locked.note = note
    locked.note_html = render_note(note)
    locked.team = team
    locked.visibility = visibility
    locked.version = F("version") + 1
    locked.full_clean(exclude=["regions", "tags", "version"])
    locked.save()
    locked.regions.set(list(regions))
    locked.tags.set([tag for tag in tags if tag.strip()])
    locked.refresh_from_db()
    logger.info("annotation %s updated by %s to version %s", locked.pk, editor, locked.version)
    return locked


@transaction.atomic
def annotation_delete(*, annotation: Annotation, user, expected_version: int | None = None) -> None:
    locked = Annotation.objects.select_for_update().filter(pk=annotation.pk).first()
    if locked is None or not Annotation.objects.editable_by(user).filter(pk=annotation.pk).exists():
        raise PermissionDenied("You may not delete this annotation.")
    if expected_version is not None and locked.version != expected_version:
        raise AnnotationConflictError(locked)
    locked.delete()
    logger.info("annotation %s deleted by %s", annotation.pk, user)


# ------------------------------------------------------------------------ teams


@transaction.atomic
def team_create(*, name: str, owner) -> Team:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "A team needs a name."})
    base = slugify(name)[:90] or "team"
    slug, number = base, 2
    while Team.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    team = Team(name=name, slug=slug)
    team.full_clean()
    team.save()
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    return team


def _require_owner(team: Team, actor) -> None:
    if not Membership.objects.filter(team=team, user=actor, role=Role.OWNER).exists():
        raise PermissionDenied("Only the team's owners can change its members.")


def _keep_an_owner(team: Team, leaving: Membership) -> None:
    if (
        leaving.role == Role.OWNER
        and not Membership.objects.filter(team=team, role=Role.OWNER)
        .exclude(pk=leaving.pk)
        .exists()
    ):
        raise ValidationError(
            {"role": "A team keeps at least one owner: name another owner first."}
        )


@transaction.atomic
def membership_add(*, team: Team, actor, username: str, role: str) -> Membership:
    _require_owner(team, actor)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None:
        raise ValidationError({"username": f"No user is called “{username.strip()}”."})
    if Membership.objects.filter(team=team, user=user).exists():
        raise ValidationError({"username": f"{user.get_username()} is already a member."})
    return Membership.objects.create(team=team, user=user, role=role)


@transaction.atomic
def membership_change_role(*, membership: Membership, actor, role: str) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _require_owner(membership.team, actor)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if role != Role.OWNER:
        _keep_an_owner(membership.team, membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _require_owner(membership.team, actor)
    _keep_an_owner(membership.team, membership)
    membership.delete()
