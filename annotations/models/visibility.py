"""Who sees what, and who may change what: the rules, written once.

**Articles** come first (``corpus.models.visibility``): an annotation on a team's
article is seen by that team's members alone, whatever its own visibility says. Every
rule below starts from the article rule.

Every page, count, facet, type-ahead, suggestion, export and API reads through these
conditions, mostly by way of the ``visible_to(user)`` methods of the QuerySets.

**Annotations.** Public annotations are everyone's; team annotations are their team
members'; private ones are their author's alone. Nobody else sees them, staff
included. An annotation in the bin (deleted) is seen by nobody until it is restored.

**Cross-references** (links between two annotations) follow the annotation rule for
themselves (public, team, private) and are seen only by those who may also see both
annotations they link.

**Sources** (a shared vocabulary). A user sees a source when it is curated (the known
sources, and those staff add in the admin), when they created it, or when an
annotation they may see cites it. A source first named in a private annotation is
therefore nobody else's business, and stays so until an annotation citing it is
shared. Reuse follows the same rule: naming a source links to a source the user may
see, never to someone else's hidden one (a new one is made instead).

**Tags.** A user sees a tag when an annotation they may see carries it; reuse, as for
sources. **Regions** are the curated gazetteer: staff add places in the admin and
users pick from it, so every region is visible to everyone.

**Changing an annotation.** A private annotation is its author's alone. A shared one
(team or public; it always has a team) may be changed by the owners and editors of
its team, and by its author as long as they are a writing member of that team: an
author who leaves the team, or becomes a viewer, loses the right with the role.
Only the author moves an annotation to another team or makes it private; widening a
team annotation to public is for the author and the team's owners (not its editors:
publishing the team's work is the owners' decision).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q

from annotations.models.choices import CURATING_ROLES, WRITING_ROLES, Role, Visibility
from corpus.models import Membership, article_condition


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def _shared_with(user, prefix: str = "") -> Q:
    """What is public, the user's own, or shared with a team of theirs: the rule of a
    row with an author, a team and a visibility (annotations, cross-references)."""
    public = Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    if not _signed_in(user):
        return public
    my_teams = Membership.objects.filter(user=user).values("team_id")
    return (
        public
        | Q(**{f"{prefix}author": user})
        | Q(**{f"{prefix}visibility": Visibility.TEAM, f"{prefix}team_id__in": my_teams})
    )


def annotation_condition(user, prefix: str = "", *, deleted: bool = False) -> Q:
    """The annotations ``user`` may see, as a condition (``prefix`` reaches annotations
    from a related model, e.g. "annotation__"). ``deleted=True`` gives the same rule
    over the bin instead of the live annotations."""
    live = Q(**{f"{prefix}deleted_at__isnull": not deleted}) & article_condition(
        user, f"{prefix}article__"
    )
    return live & _shared_with(user, prefix)


def crossreference_condition(user, prefix: str = "") -> Q:
    """The cross-references ``user`` may see: the link's own rule, and both its ends
    (whoever may no longer see one end no longer sees the link)."""
    return (
        Q(**{f"{prefix}deleted_at__isnull": True})
        & _shared_with(user, prefix)
        & annotation_condition(user, f"{prefix}from_annotation__")
        & annotation_condition(user, f"{prefix}to_annotation__")
    )


def may_edit(
    user, *, author_id: int, team_id: int | None, visibility: str, roles: Mapping[int, str]
) -> bool:
    """Whether ``user`` may change or delete an annotation (which they may see).
    ``roles`` maps the user's teams to their role in each."""
    if not _signed_in(user):
        return False
    if visibility == Visibility.PRIVATE:
        return author_id == user.pk
    role = roles.get(team_id) if team_id is not None else None
    if role in CURATING_ROLES:
        return True
    return author_id == user.pk and role in WRITING_ROLES


def may_review(user, *, team_id: int | None, visibility: str, roles: Mapping[int, str]) -> bool:
    """Whether ``user`` may approve or reject an annotation: its team's editors and
    owners, for the annotations the team sees (a private one has no reviewer)."""
    if not _signed_in(user) or team_id is None or visibility == Visibility.PRIVATE:
        return False
    return roles.get(team_id) in CURATING_ROLES


def editable_condition(user) -> Q:
    """``may_edit`` as a condition on annotations (for querysets); a test holds the two
    equal over every role and visibility."""
    if not _signed_in(user):
        return Q(pk__in=[])
    curated = Membership.objects.filter(user=user, role__in=CURATING_ROLES).values("team_id")
    written = Membership.objects.filter(user=user, role__in=WRITING_ROLES).values("team_id")
    return (
        Q(author=user, visibility=Visibility.PRIVATE)
        | (~Q(visibility=Visibility.PRIVATE) & Q(team_id__in=curated))
        | (~Q(visibility=Visibility.PRIVATE) & Q(author=user, team_id__in=written))
    )


def visibility_change_refusal(
    user,
    *,
    author_id: int,
    old_team_id: int | None,
    old_visibility: str,
    new_team_id: int | None,
    new_visibility: str,
    roles: Mapping[int, str],
) -> str:
    """Why ``user`` (who may edit the annotation) may not give it this team and
    visibility, or "" when they may. The author's own rights on the target team (a
    writing role) are checked where annotations are written."""
    if (new_team_id, new_visibility) == (old_team_id, old_visibility):
        return ""
    if author_id == user.pk:
        return ""
    if new_team_id != old_team_id:
        return "Only the author can move an annotation to another team."
    if new_visibility == Visibility.PRIVATE:
        return "Only the author can make an annotation private."
    if new_visibility == Visibility.PUBLIC and roles.get(old_team_id) != Role.OWNER:
        return "Only the author and the team's owners can make a team annotation public."
    return ""


def source_condition(user) -> Q:
    """The sources ``user`` may see (see the module's docstring)."""
    from annotations.models.annotations import Annotation

    cited = Annotation.objects.filter(annotation_condition(user), source__isnull=False)
    condition = Q(curated=True) | Q(pk__in=cited.values("source_id"))
    if _signed_in(user):
        condition |= Q(created_by=user)
    return condition


def tag_condition(user) -> Q:
    """The annotation tags ``user`` may see: those on annotations they may see."""
    from annotations.models.annotations import TaggedAnnotation

    used = TaggedAnnotation.objects.filter(annotation_condition(user, "content_object__"))
    return Q(pk__in=used.values("tag_id"))


def region_condition(user) -> Q:
    """Every region: the gazetteer is curated, and public knowledge."""
    return Q()
