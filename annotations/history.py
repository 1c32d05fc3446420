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

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
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
from corpus.models import Team

COMMENT_LENGTH = 300
# A merge first records the rows as they were, to be undone (annotations.services.
# merges): such a revision is no change of the annotation's own.
SNAPSHOT_PREFIX = "the state before revision "


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
        .exclude(revision__comment__startswith=SNAPSHOT_PREFIX)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


@dataclass(frozen=True, slots=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class VersionState:
    """What an annotation said at one recorded version, as a reader reads it."""

    claim: str
    stance: str
    stance_target: str
    source_id: int | None
    source: str
    region_ids: tuple[int, ...]
    regions: str
    tag_names: tuple[str, ...]
    note: str
    exact: str
    visibility: str
    team: str
    review_status: str
    review_reason: str
    in_bin: bool

    def shown(self) -> dict[str, str]:
        return {
            "Quote": self.exact,
            "Claim": self.claim,
            "Stance": self.stance or "none",
            "Toward": self.stance_target,
            "Source": self.source,
            "Regions": self.regions,
            "Tags": ", ".join(self.tag_names),
            "Note": self.note,
            "Who sees it": self.visibility,
            "Team": self.team,
            "Review": self.review_status,
            "Reason": self.review_reason,
            "In the bin": "yes" if self.in_bin else "no",
        }


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    version_id: int
    when: object  # datetime
    who: str
    action: str
    changes: list[FieldChange]
    state: VersionState
    current: bool  # the newest recorded version


def _states(versions: list[Version]) -> list[VersionState]:
    """Each version's fields, with the names of its source, regions, tags and team
    (four queries however many versions)."""
    tag_type = ContentType.objects.get_for_model(TaggedAnnotation)
    fields = [version.field_dict for version in versions]
    tag_links: dict[int, list[int]] = {}
    for row in Version.objects.filter(
        revision_id__in=[version.revision_id for version in versions], content_type=tag_type
    ).values("revision_id", "serialized_data"):
        data = json.loads(row["serialized_data"])[0]["fields"]
        tag_links.setdefault(row["revision_id"], []).append(
            (data.get("content_object"), data.get("tag"))
        )
    source_ids = {f.get("source_id") for f in fields if f.get("source_id")}
    region_ids = {pk for f in fields for pk in f.get("regions") or ()}
    tag_ids = {tag for links in tag_links.values() for _, tag in links}
    team_ids = {f.get("team_id") for f in fields if f.get("team_id")}
    sources = dict(Source.objects.filter(pk__in=source_ids).values_list("pk", "name"))
    regions = dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "name"))
    tags = dict(AnnotationTag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    teams = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    states = []
    for version, field_dict in zip(versions, fields, strict=True):
        own_tags = sorted(
            tags.get(tag, "(a removed tag)")
            for annotation_id, tag in tag_links.get(version.revision_id, [])
            if str(annotation_id) == str(version.object_id)
        )
        ids = tuple(sorted(field_dict.get("regions") or ()))
        source_id = field_dict.get("source_id")
        states.append(
            VersionState(
                claim=field_dict.get("claim", ""),
                stance=field_dict.get("stance", ""),
                stance_target=field_dict.get("stance_target", ""),
                source_id=source_id,
                source=sources.get(source_id, "(a removed source)") if source_id else "",
                region_ids=ids,
                regions=", ".join(sorted(regions.get(pk, "(a removed region)") for pk in ids)),
                tag_names=tuple(own_tags),
                note=field_dict.get("note", ""),
                exact=field_dict.get("exact", ""),
                visibility=field_dict.get("visibility", ""),
                team=teams.get(field_dict.get("team_id"), ""),
                review_status=field_dict.get("review_status", ""),
                review_reason=field_dict.get("review_reason", ""),
                in_bin=bool(field_dict.get("deleted_at")),
            )
        )
    return states


def version_state(version: Version) -> VersionState:
    return _states([version])[0]


def annotation_history(annotation: Annotation) -> list[HistoryEntry]:
    """The annotation's recorded versions, newest first, each with what changed from
    the one before it."""
    versions = list(annotation_versions(annotation))
    states = _states(versions)
    entries = []
    for index, (version, state) in enumerate(zip(versions, states, strict=True)):
        before = states[index + 1].shown() if index + 1 < len(states) else {}
        after = state.shown()
        changes = [
            FieldChange(label=label, before=before.get(label, ""), after=value)
            for label, value in after.items()
            if before.get(label, "") != value
        ]
        user = version.revision.user
        entries.append(
            HistoryEntry(
                version_id=version.pk,
                when=version.revision.date_created,
                who=user.get_username() if user else "(the system)",
                action=version.revision.comment,
                changes=changes,
                state=state,
                current=index == 0,
            )
        )
    return entries
