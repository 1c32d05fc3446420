"""Writes to teams and memberships. Every change to a team's members locks the team's
row first, so that two owners acting at once cannot leave it without an owner."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from annotations.models import Membership, Role, Team

TEAM_NAME_MAX_LENGTH = 200


def _free_slug(name: str) -> str:
    """The team's slug: its name's, numbered after those taken (one query)."""
    base = slugify(name)[:90].strip("-") or "team"
    pattern = re.compile(rf"^{re.escape(base)}(?:-(\d+))?$")
    taken = [
        pattern.match(slug)
        for slug in Team.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    ]
    numbers = [int(match[1] or 1) for match in taken if match]
    if not numbers:
        return base
    return f"{base}-{max(numbers) + 1}"


def team_create(*, name: str, owner) -> Team:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "A team needs a name."})
    if len(name) > TEAM_NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": f"A team name has at most {TEAM_NAME_MAX_LENGTH} characters."}
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                team = Team(name=name, slug=_free_slug(name))
                team.full_clean(validate_unique=False)
                team.save()
                Membership.objects.create(team=team, user=owner, role=Role.OWNER)
                return team
        except IntegrityError:
            continue  # someone took that slug meanwhile: count again
    raise ValidationError({"name": "Many teams of that name are being created: try again."})


def _lock_team(team: Team) -> Team:
    return Team.objects.select_for_update().get(pk=team.pk)


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


def membership_add(*, team: Team, actor, username: str, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    username = username.strip()
    try:
        with transaction.atomic():
            team = _lock_team(team)
            _require_owner(team, actor)
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise ValidationError({"username": f"No user is called “{username}”."})
            if Membership.objects.filter(team=team, user=user).exists():
                raise ValidationError({"username": f"{user.get_username()} is already a member."})
            return Membership.objects.create(team=team, user=user, role=role)
    except IntegrityError:  # added at the same moment by another request
        raise ValidationError({"username": f"{username} is already a member."}) from None


@transaction.atomic
def membership_change_role(*, membership: Membership, actor, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    team = _lock_team(membership.team)
    membership = Membership.objects.filter(pk=membership.pk, team=team).first()
    if membership is None:
        raise ValidationError({"role": "That member has left the team."})
    _require_owner(team, actor)
    if role != Role.OWNER:
        _keep_an_owner(team, membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    team = _lock_team(membership.team)
    membership = Membership.objects.filter(pk=membership.pk, team=team).first()
    if membership is None:
        return  # removed meanwhile: the outcome the actor wanted
    _require_owner(team, actor)
    _keep_an_owner(team, membership)
    membership.delete()


@transaction.atomic
def team_review_setting(*, team: Team, actor, review_required: bool) -> Team:
    """Turn the team's review on (new annotations await an editor's approval) or off
    (they start approved). Owners only; what is already written keeps its status."""
    locked = _lock_team(team)
    if not Membership.objects.filter(team=locked, user=actor, role=Role.OWNER).exists():
        raise PermissionDenied("Only the team's owners change how it reviews.")
    locked.review_required = review_required
    locked.save(update_fields=["review_required"])
    return locked
