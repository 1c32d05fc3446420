"""Curating the vocabularies in bulk: merging duplicate sources, regions and tags,
undoing a merge, and giving many annotations a source or a region at once.

**A merge** points everything that pointed at the merged entries (annotations, their
tag links, sub-regions) at the survivor, deletes the merged entries and raises the
version of every annotation it touched (a form opened before it is refused, not
saved over it), in one transaction. It is recorded twice in the history: first the
state before it ("the state before revision N (...), kept to undo it": the merged
entries, the survivor, the sub-regions and the annotations with their tag links as
they were), then the merge itself ("merged sources A, B into C"), whose versions are
the rows as they are after it, like any other change. ``merge_undo`` reads the first
to put back the merged entries (same ids) and exactly the references the merge
moved, where they still point at the survivor.

**Who may merge.** Superusers, who run the installation, reach every annotation.
Other staff merge only entries they see, and only when every annotation pointing at
them is one they may change (or restore from their bin): a merge must not change
someone's private annotation, which nobody else may change. An undo is for
superusers and for the curator who merged.

**Bulk changes** (``annotations_source_set``, ``annotations_regions_change``) are
edits of the annotations: each row is the editor's to change (else refused, the rest
goes on), at the version the editor saw (else refused as changed meanwhile), all in
one transaction and one recorded change.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import or_

import reversion
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from reversion.models import Revision, Version

from annotations.history import SNAPSHOT_PREFIX, recorded
from annotations.models import (
    CURATING_ROLES,
    Annotation,
    AnnotationTag,
    Region,
    RegionAncestor,
    ReviewStatus,
    RevisionTeam,
    Source,
    TaggedAnnotation,
    Visibility,
    annotation_condition,
    editable_condition,
    may_edit,
    rebuild_region_ancestry,
)
from annotations.services.annotations import team_roles
from annotations.suggestions import vocabulary_changed

logger = logging.getLogger(__name__)

# The most entries one merge takes, and the most annotations one bulk change takes:
# each is one transaction holding its rows' locks.
MERGE_LIMIT = 50
BULK_LIMIT = 1000

SNAPSHOT_COMMENT = SNAPSHOT_PREFIX + "{merge} ({kind} {merged} into {survivor}), kept to undo it"
SNAPSHOT_PATTERN = re.compile(
    r"^the state before revision (?P<merge>\d+) \((?P<kind>\w+) (?P<merged>[\d, ]+) "
    r"into (?P<survivor>\d+)\)"
)
UNDO_PREFIX = "undid revision {merge}: "

RegionLink = Annotation.regions.through


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """One of the vocabularies that merge: its model and how it is named."""

    kind: str  # "sources": the word in the history's comments
    model: type[models.Model]
    noun: str
    plural: str


VOCABULARIES = {
    "sources": Vocabulary("sources", Source, "source", "sources"),
    "regions": Vocabulary("regions", Region, "region", "regions"),
    "tags": Vocabulary("tags", AnnotationTag, "tag", "tags"),
}


def vocabulary_of(model) -> Vocabulary:
    return next(v for v in VOCABULARIES.values() if v.model is model)


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What a merge (or its undo) did: the survivor, the names of the entries merged
    into it, how many annotations and sub-regions moved, and the revision recording
    it (the one to undo)."""

    kind: str
    survivor: models.Model
    merged: tuple[str, ...]
    annotations: int
    children: int
    revision_id: int


@dataclass(frozen=True, slots=True)
class BulkChange:
    """What a bulk change did to each selected annotation, by id."""

    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)  # not the editor's to change
    stale: list[int] = field(default_factory=list)  # changed since the editor saw it


class RegionChange(models.TextChoices):
    ADD = "add", "Add the region to each annotation"
    REMOVE = "remove", "Remove the region from each annotation"
    REPLACE = "replace", "Replace each annotation's regions with this one"


# ------------------------------------------------------------------------ who reaches what


def annotations_seen_by(user) -> QuerySet[Annotation]:
    """The annotations whose counts ``user`` is shown: superusers all of them (the bin
    included: they point at the vocabularies too), others what the rule shows them."""
    if user.is_superuser:
        return Annotation.objects.all()
    return Annotation.objects.visible_to(user)


def annotations_reached_by(user) -> QuerySet[Annotation]:
    """The annotations a merge by ``user`` may change: every one for a superuser; for
    other staff those they may change, live or in a bin they may restore from."""
    if user.is_superuser:
        return Annotation.objects.all()
    seen = annotation_condition(user) | annotation_condition(user, deleted=True)
    return Annotation.objects.filter(seen & editable_condition(user))


def entries_seen_by(user, model) -> QuerySet:
    """The entries of a vocabulary ``user`` sees (regions are everyone's)."""
    if user.is_superuser or model is Region:
        return model.objects.all()
    return model.objects.visible_to(user)


def pointing_annotations(kind: str, entry_ids: Iterable[int]) -> QuerySet[Annotation]:
    """Every annotation (the bin included) that points at one of the entries."""
    entry_ids = list(entry_ids)
    if kind == "sources":
        return Annotation.objects.filter(source_id__in=entry_ids)
    if kind == "regions":
        links = RegionLink.objects.filter(region_id__in=entry_ids)
    else:
        links = TaggedAnnotation.objects.filter(tag_id__in=entry_ids)
    column = "annotation_id" if kind == "regions" else "content_object_id"
    return Annotation.objects.filter(pk__in=links.values(column))


def _count(queryset: QuerySet, column: str):
    """A subquery counting the rows of ``queryset`` whose ``column`` is the outer row."""
    counted = (
        queryset.filter(**{column: OuterRef("pk")})
        .order_by()
        .values(column)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def with_usage(queryset: QuerySet, *, user) -> QuerySet:
    """The entries of ``queryset`` (sources, regions or tags) with ``annotation_count``:
    how many of the annotations ``user`` is shown point at each (one query, whatever
    the number of rows); regions also get ``child_count``."""
    seen = annotations_seen_by(user).order_by().values("pk")
    model = queryset.model
    if model is Source:
        return queryset.annotate(
            annotation_count=_count(Annotation.objects.filter(pk__in=seen), "source")
        )
    if model is Region:
        return queryset.annotate(
            annotation_count=_count(RegionLink.objects.filter(annotation_id__in=seen), "region"),
            child_count=_count(Region.objects.all(), "parent"),
        )
    return queryset.annotate(
        annotation_count=_count(TaggedAnnotation.objects.filter(content_object__in=seen), "tag")
    )


# ------------------------------------------------------------------------------ merging


def merge_refusal(*, user, kind: str, survivor, merged: Sequence) -> str:
    """Why ``user`` may not merge ``merged`` into ``survivor``, or "" when they may.
    (The confirmation page shows it; the merge raises it.)"""
    vocabulary = VOCABULARIES[kind]
    merged_ids = {entry.pk for entry in merged}
    if not merged_ids:
        return f"Choose at least two {vocabulary.plural}: one to keep, one to merge into it."
    if survivor.pk in merged_ids:
        return f"The {vocabulary.noun} kept cannot also be merged into itself."
    if len(merged_ids) + 1 > MERGE_LIMIT:
        return f"Merge at most {MERGE_LIMIT} {vocabulary.plural} at a time."
    seen = entries_seen_by(user, vocabulary.model).filter(pk__in=[survivor.pk, *merged_ids])
    if seen.count() != len(merged_ids) + 1:
        return f"You may only merge {vocabulary.plural} you can see."
    if (
        kind == "regions"
        and RegionAncestor.objects.filter(region=survivor, ancestor_id__in=merged_ids).exists()
    ):
        return (
            f"{survivor} lies within a region merged into it: keep the larger region, or "
            "move it out first."
        )
    if not user.is_superuser:
        beyond = pointing_annotations(kind, merged_ids).exclude(
            pk__in=annotations_reached_by(user).values("pk")
        )
        if beyond.exists():
            return (
                f"Some annotations with these {vocabulary.plural} are not yours to change: "
                "an administrator can merge them."
            )
    return ""


def sources_merge(*, user, survivor: Source, merged: Sequence[Source]) -> MergeResult:
    """Merge duplicate sources into ``survivor``: their annotations cite it instead."""
    return _merge(user=user, kind="sources", survivor=survivor, merged=merged)


def regions_merge(*, user, survivor: Region, merged: Sequence[Region]) -> MergeResult:
    """Merge regions into ``survivor``: their annotations (without a duplicate link)
    and their sub-regions move to it, their names and demonyms become its aliases
    and demonyms, and the hierarchy is rebuilt."""
    return _merge(user=user, kind="regions", survivor=survivor, merged=merged)


def tags_merge(*, user, survivor: AnnotationTag, merged: Sequence[AnnotationTag]) -> MergeResult:
    """Merge tags into ``survivor``: every annotation carrying one carries the
    survivor instead, once (as ``tag_rename`` does for a name)."""
    return _merge(user=user, kind="tags", survivor=survivor, merged=merged)


def _merge(*, user, kind: str, survivor, merged: Sequence) -> MergeResult:
    if reversion.is_active():
        # Inside another revision, the two records of the merge would become one.
        raise RuntimeError("A merge records its own revisions: call it outside a revision.")
    vocabulary = VOCABULARIES[kind]
    model = vocabulary.model
    with transaction.atomic():
        merged_ids = sorted({entry.pk for entry in merged})
        locked = {
            row.pk: row
            for row in model.objects.select_for_update()
            .filter(pk__in=[survivor.pk, *merged_ids])
            .order_by("pk")
        }
        if survivor.pk not in locked or any(pk not in locked for pk in merged_ids):
            raise ValidationError(f"A {vocabulary.noun} to merge was deleted meanwhile.")
        survivor = locked[survivor.pk]
        merged_rows = [locked[pk] for pk in merged_ids]
        refusal = merge_refusal(user=user, kind=kind, survivor=survivor, merged=merged_rows)
        if refusal:
            raise PermissionDenied(refusal)
        annotation_ids = list(
            pointing_annotations(kind, merged_ids).order_by("pk").values_list("pk", flat=True)
        )
        annotations = _lock_annotations(annotation_ids)
        children = (
            list(Region.objects.filter(parent_id__in=merged_ids).exclude(pk__in=merged_ids))
            if kind == "regions"
            else []
        )

        # The state before: what an undo puts back.
        with reversion.create_revision(atomic=False):
            if user.is_authenticated:
                reversion.set_user(user)
            reversion.set_comment(SNAPSHOT_PREFIX + "a merge")
            for row in (survivor, *merged_rows, *children, *annotations):
                reversion.add_to_revision(row)
        snapshot_id = _latest_revision_id(survivor)

        names = tuple(str(row) for row in merged_rows)
        action = f"merged {kind} {', '.join(names)} into {survivor}"
        with recorded(user, action):
            if kind == "sources":
                Annotation.objects.filter(pk__in=annotation_ids).update(source=survivor)
            elif kind == "regions":
                _move_links(RegionLink, "annotation_id", "region_id", survivor.pk, merged_ids)
                Region.objects.filter(parent_id__in=merged_ids).update(parent=survivor)
                _absorb_names(survivor, merged_rows)
            else:
                _move_links(
                    TaggedAnnotation, "content_object_id", "tag_id", survivor.pk, merged_ids
                )
            _raise_versions(annotation_ids)
            reversion.add_to_revision(survivor)
            for row in (
                *merged_rows,
                *Region.objects.filter(pk__in=[child.pk for child in children]),
                *Annotation.objects.filter(pk__in=annotation_ids),
            ):
                reversion.add_to_revision(row)
        merge_id = _latest_revision_id(survivor)
        Revision.objects.filter(pk=snapshot_id).update(
            comment=SNAPSHOT_COMMENT.format(
                merge=merge_id,
                kind=kind,
                merged=", ".join(str(pk) for pk in merged_ids),
                survivor=survivor.pk,
            )
        )
        model.objects.filter(pk__in=merged_ids).delete()
        if kind == "regions":
            rebuild_region_ancestry()
        _vocabulary_changed(kind)
    logger.info("%s by %s: %s annotations moved", action, user, len(annotation_ids))
    return MergeResult(
        kind=kind,
        survivor=survivor,
        merged=names,
        annotations=len(annotation_ids),
        children=len(children),
        revision_id=merge_id,
    )


def _vocabulary_changed(kind: str) -> None:
    """The suggestion matchers of every worker are rebuilt once this commits: a merge
    and its undo write the entries in bulk (``update``, ``bulk_create``), which no
    model signal reports."""
    if kind in ("sources", "regions"):
        vocabulary_changed(kind)


def _lock_annotations(ids: Sequence[int]) -> list[Annotation]:
    return list(
        Annotation.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")  # not the default order, which joins the (nullable) paragraph
    )


def _latest_revision_id(row) -> int:
    """The revision just recorded with ``row`` in it (``row`` is locked: no other
    change records it meanwhile)."""
    return (
        Version.objects.get_for_object(row).order_by("-pk").values_list("revision_id", flat=True)
    )[0]


def _move_links(link_model, owner: str, target: str, survivor_id: int, merged_ids) -> None:
    """Point the links (annotation to region, annotation to tag) from the merged
    entries at the survivor; an annotation linked to it already, or to two merged
    entries, keeps one link."""
    links = link_model.objects.filter(**{f"{target}__in": merged_ids}).order_by("pk")
    owners = links.values(owner)
    linked = set(
        link_model.objects.filter(**{target: survivor_id, f"{owner}__in": owners}).values_list(
            owner, flat=True
        )
    )
    duplicates, moving = [], []
    for pk, owner_id in links.values_list("pk", owner):
        if owner_id in linked:
            duplicates.append(pk)
        else:
            moving.append(pk)
            linked.add(owner_id)
    link_model.objects.filter(pk__in=duplicates).delete()
    link_model.objects.filter(pk__in=moving).update(**{target: survivor_id})


def _absorb_names(survivor: Region, merged: Sequence[Region]) -> None:
    """A merged region's name, aliases and demonyms become the survivor's: the name a
    gazetteer entry went by still finds it."""
    aliases, demonyms = list(survivor.aliases), list(survivor.demonyms)
    known = {name.casefold() for name in (survivor.name, *aliases)}
    for region in merged:
        for name in (region.name, *region.aliases):
            if name.casefold() not in known:
                known.add(name.casefold())
                aliases.append(name)
        demonyms += [name for name in region.demonyms if name not in demonyms]
    if (aliases, demonyms) != (survivor.aliases, survivor.demonyms):
        survivor.aliases, survivor.demonyms = aliases, demonyms
        # The queryset's update: Region.save would rebuild the hierarchy, done at the end.
        Region.objects.filter(pk=survivor.pk).update(aliases=aliases, demonyms=demonyms)


def _raise_versions(annotation_ids: Sequence[int]) -> None:
    Annotation.objects.filter(pk__in=annotation_ids).update(
        version=F("version") + 1, updated=timezone.now()
    )


# ------------------------------------------------------------------------------ undoing


@dataclass(frozen=True, slots=True)
class MergeRecord:
    """A merge as the history keeps it, for its undo page."""

    kind: str
    merge: Revision
    snapshot: Revision
    survivor_id: int
    merged_ids: tuple[int, ...]
    survivor: models.Model | None  # None when it was deleted since
    merged_names: tuple[str, ...]
    annotations: int  # annotations it moved
    undone_by: Revision | None

    @property
    def vocabulary(self) -> Vocabulary:
        return VOCABULARIES[self.kind]


def merge_record(revision_id: int) -> MergeRecord | None:
    """The merge recorded as revision ``revision_id``, or None if it is not one."""
    snapshot = (
        Revision.objects.filter(comment__startswith=f"{SNAPSHOT_PREFIX}{revision_id} (")
        .order_by("pk")
        .first()
    )
    merge = Revision.objects.filter(pk=revision_id).select_related("user").first()
    match = SNAPSHOT_PATTERN.match(snapshot.comment) if snapshot else None
    if merge is None or match is None or match["kind"] not in VOCABULARIES:
        return None
    kind = match["kind"]
    model = VOCABULARIES[kind].model
    survivor_id = int(match["survivor"])
    merged_ids = tuple(int(pk) for pk in match["merged"].split(",") if pk.strip())
    versions = _versions(snapshot, model)
    return MergeRecord(
        kind=kind,
        merge=merge,
        snapshot=snapshot,
        survivor_id=survivor_id,
        merged_ids=merged_ids,
        survivor=model.objects.filter(pk=survivor_id).first(),
        merged_names=tuple(versions[pk].object_repr for pk in merged_ids if pk in versions),
        annotations=_versions_of(snapshot, Annotation).count(),
        undone_by=Revision.objects.filter(
            comment__startswith=UNDO_PREFIX.format(merge=revision_id)
        ).first(),
    )


def merges_kept_in(survivor, revision_ids: Iterable[int]) -> list[int]:
    """Of these revisions, the merges into ``survivor`` not undone yet (two queries)."""
    ids = set(revision_ids)
    kind = vocabulary_of(type(survivor)).kind
    snapshots = Revision.objects.filter(
        comment__startswith=SNAPSHOT_PREFIX,
        comment__contains=f" ({kind} ",
        comment__endswith=f" into {survivor.pk}), kept to undo it",
    ).values_list("comment", flat=True)
    merges = []
    for comment in snapshots:
        match = SNAPSHOT_PATTERN.match(comment)
        if match and int(match["merge"]) in ids:
            merges.append(int(match["merge"]))
    if not merges:
        return []
    undone = Revision.objects.filter(
        reduce(or_, (Q(comment__startswith=UNDO_PREFIX.format(merge=pk)) for pk in merges))
    ).values_list("comment", flat=True)
    undone_ids = {int(comment.split()[2].rstrip(":")) for comment in undone}
    return [pk for pk in merges if pk not in undone_ids]


def undo_refusal(*, user, record: MergeRecord) -> str:
    """Why ``user`` may not undo the merge, or "" when they may."""
    if record.undone_by is not None:
        return "This merge was undone already."
    if record.survivor is None:
        return f"The {record.vocabulary.noun} the others were merged into was deleted since."
    if not user.is_superuser:
        if record.merge.user_id != user.pk:
            return "Only the curator who merged, or an administrator, can undo a merge."
        seen = entries_seen_by(user, record.vocabulary.model)
        if not seen.filter(pk=record.survivor_id).exists():
            return f"You can no longer see the {record.vocabulary.noun} kept."
        moved = [int(v.object_id) for v in _versions_of(record.snapshot, Annotation)]
        if (
            Annotation.objects.filter(pk__in=moved)
            .exclude(pk__in=annotations_reached_by(user).values("pk"))
            .exists()
        ):
            return (
                "Some annotations the merge moved are no longer yours to change: an "
                "administrator can undo it."
            )
    return ""


def merge_undo(*, user, revision_id: int) -> MergeResult:
    """Undo the merge recorded as ``revision_id``: the merged entries come back (with
    their ids), and the annotations, tag links and sub-regions it moved point at them
    again, those that still point at the survivor (a later change is not undone).
    Versions are raised; the undo is itself recorded."""
    if reversion.is_active():
        raise RuntimeError("An undo records its own revision: call it outside a revision.")
    with transaction.atomic():
        record = merge_record(revision_id)
        if record is None:
            raise ValidationError("That change is not a merge that can be undone here.")
        model = record.vocabulary.model
        survivor = model.objects.select_for_update().filter(pk=record.survivor_id).first()
        # Read again under the lock: an undo that ran meanwhile is seen.
        record = replace(merge_record(revision_id), survivor=survivor)
        refusal = undo_refusal(user=user, record=record)
        if refusal:
            raise PermissionDenied(refusal)
        entries = _versions(record.snapshot, model)
        before = {
            int(version.object_id): version.field_dict
            for version in _versions_of(record.snapshot, Annotation)
        }
        annotations = _lock_annotations(sorted(before))
        action = UNDO_PREFIX.format(merge=revision_id) + record.merge.comment
        with recorded(user, action):
            recreated = _recreate(record, entries)
            children = []
            if record.kind == "sources":
                moved = _sources_back(record, annotations, before)
            elif record.kind == "regions":
                had = {pk: set(fields.get("regions") or ()) for pk, fields in before.items()}
                moved = _links_back(
                    record, annotations, RegionLink, "annotation_id", "region_id", had
                )
                children = _children_back(record)
            else:
                had = _tags_before(record.snapshot)
                moved = _links_back(
                    record, annotations, TaggedAnnotation, "content_object_id", "tag_id", had
                )
            if record.kind == "regions":
                _names_back(record, entries)
            _raise_versions(moved)
            for row in (
                *recreated,
                *model.objects.filter(pk=record.survivor_id),
                *Region.objects.filter(pk__in=children),
                *Annotation.objects.filter(pk__in=moved),
            ):
                reversion.add_to_revision(row)
        if record.kind == "regions":
            rebuild_region_ancestry()
        _vocabulary_changed(record.kind)
        undo_id = _latest_revision_id(survivor)
    logger.info("%s by %s: %s annotations moved back", action, user, len(moved))
    return MergeResult(
        kind=record.kind,
        survivor=survivor,
        merged=tuple(str(row) for row in recreated),
        annotations=len(moved),
        children=len(children),
        revision_id=undo_id,
    )


def _versions_of(revision: Revision, model) -> QuerySet[Version]:
    return Version.objects.get_for_model(model).filter(revision=revision).order_by("pk")


def _versions(revision: Revision, model) -> dict[int, Version]:
    return {int(version.object_id): version for version in _versions_of(revision, model)}


def _recreate(record: MergeRecord, entries: dict[int, Version]) -> list[models.Model]:
    """The merged entries again, as they were, with their ids."""
    model = record.vocabulary.model
    existing = set(model.objects.filter(pk__in=record.merged_ids).values_list("pk", flat=True))
    rows = []
    for pk in record.merged_ids:
        if pk in existing or pk not in entries:
            continue
        row = entries[pk]._object_version.object
        if (
            model is Source
            and row.created_by_id is not None
            and not get_user_model().objects.filter(pk=row.created_by_id).exists()
        ):
            row.created_by_id = None  # the account was deleted since: as SET_NULL does
        if (
            model is Region
            and row.parent_id is not None
            and row.parent_id not in record.merged_ids
            and not Region.objects.filter(pk=row.parent_id).exists()
        ):
            raise ValidationError(
                f"The region {row} was within a region deleted since: it cannot come back."
            )
        try:
            row.validate_unique()
            row.validate_constraints()
        except ValidationError as error:
            raise ValidationError(f"{row} cannot come back: {' '.join(error.messages)}") from None
        rows.append(row)
    # Without save(): a region's would rebuild the hierarchy each time (done once, at the
    # end), and the stored rows carry their derived fields (normalized name, slug).
    model.objects.bulk_create(rows)
    return rows


def _sources_back(record: MergeRecord, annotations, before) -> list[int]:
    moved = []
    for annotation in annotations:
        source_id = before[annotation.pk].get("source_id")
        if annotation.source_id == record.survivor_id and source_id in record.merged_ids:
            moved.append(annotation.pk)
            Annotation.objects.filter(pk=annotation.pk).update(source_id=source_id)
    return moved


def _tags_before(snapshot: Revision) -> dict[int, set[int]]:
    """Each annotation's tags before the merge, from its tag links in the snapshot."""
    tags = defaultdict(set)
    for version in _versions_of(snapshot, TaggedAnnotation):
        fields = version.field_dict
        tags[fields["content_object_id"]].add(fields["tag_id"])
    return tags


def _links_back(record, annotations, link_model, owner, target, had) -> list[int]:
    """Links (annotation to region, to tag) back from the survivor to the merged
    entries, for the annotations still linked to the survivor. ``had``: each
    annotation's regions or tags before the merge."""
    survivor_links = set(
        link_model.objects.filter(
            **{target: record.survivor_id, f"{owner}__in": [a.pk for a in annotations]}
        ).values_list(owner, flat=True)
    )
    moved, new_links = [], []
    for annotation in annotations:
        before = had.get(annotation.pk, set())
        back = sorted(before & set(record.merged_ids))
        if not back or annotation.pk not in survivor_links:
            continue
        moved.append(annotation.pk)
        if record.survivor_id not in before:
            link_model.objects.filter(**{owner: annotation.pk, target: record.survivor_id}).delete()
        new_links += [link_model(**{owner: annotation.pk, target: pk}) for pk in back]
    link_model.objects.bulk_create(new_links, ignore_conflicts=True)
    return moved


def _children_back(record: MergeRecord) -> list[int]:
    """Sub-regions back under the merged regions, those still under the survivor."""
    moved = []
    for pk, version in _versions(record.snapshot, Region).items():
        parent_id = version.field_dict.get("parent_id")
        if pk in record.merged_ids or pk == record.survivor_id:
            continue
        if parent_id in record.merged_ids and Region.objects.filter(
            pk=pk, parent_id=record.survivor_id
        ).update(parent_id=parent_id):
            moved.append(pk)
    return moved


def _names_back(record: MergeRecord, entries: dict[int, Version]) -> None:
    """The survivor loses the aliases and demonyms the merge gave it."""
    before = entries.get(record.survivor_id)
    after = Version.objects.get_for_model(Region).filter(
        revision=record.merge, object_id=str(record.survivor_id)
    )
    after = after.first()
    if before is None or after is None:
        return
    survivor = Region.objects.get(pk=record.survivor_id)
    changes = {}
    for name in ("aliases", "demonyms"):
        added = [v for v in after.field_dict[name] if v not in before.field_dict[name]]
        kept = [v for v in getattr(survivor, name) if v not in added]
        if kept != getattr(survivor, name):
            changes[name] = kept
    if changes:
        Region.objects.filter(pk=survivor.pk).update(**changes)


# --------------------------------------------------------------------------- bulk changes


def annotations_source_set(
    *,
    user,
    annotations: Iterable[Annotation],
    source: Source | None,
    expected_versions: Mapping[int, int],
) -> BulkChange:
    """Give the annotations ``source`` (or none). The source is one ``user`` sees."""
    if (
        source is not None
        and not user.is_superuser
        and not Source.objects.visible_to(user).filter(pk=source.pk).exists()
    ):
        raise PermissionDenied("You may only cite a source you can see.")
    action = (
        f"set the source of {{count}} annotation(s) to {source}"
        if source
        else "removed the source of {count} annotation(s)"
    )
    target = source.pk if source else None

    def apply(annotation: Annotation) -> list[str]:
        annotation.source = source
        return ["source"]

    return _bulk(
        user,
        annotations,
        expected_versions,
        action,
        needs=lambda annotation: annotation.source_id != target,
        apply=apply,
    )


def annotations_regions_change(
    *,
    user,
    annotations: Iterable[Annotation],
    region: Region,
    how: str,
    expected_versions: Mapping[int, int],
) -> BulkChange:
    """Add ``region`` to the annotations, remove it, or make it their only region."""
    how = RegionChange(how)
    action = {
        RegionChange.ADD: f"added the region {region} to {{count}} annotation(s)",
        RegionChange.REMOVE: f"removed the region {region} from {{count}} annotation(s)",
        RegionChange.REPLACE: f"set the region of {{count}} annotation(s) to {region}",
    }[how]
    annotations = list(annotations)
    regions = defaultdict(set)
    for annotation_id, region_id in RegionLink.objects.filter(
        annotation_id__in=[a.pk for a in annotations]
    ).values_list("annotation_id", "region_id"):
        regions[annotation_id].add(region_id)

    def needs(annotation: Annotation) -> bool:
        has = regions[annotation.pk]
        if how == RegionChange.ADD:
            return region.pk not in has
        if how == RegionChange.REMOVE:
            return region.pk in has
        return has != {region.pk}

    def apply(annotation: Annotation) -> list[str]:
        if how == RegionChange.ADD:
            annotation.regions.add(region)
        elif how == RegionChange.REMOVE:
            annotation.regions.remove(region)
        else:
            annotation.regions.set([region])
        return []

    return _bulk(user, annotations, expected_versions, action, needs=needs, apply=apply)


def _bulk(user, annotations, expected_versions, action: str, *, needs, apply) -> BulkChange:
    """Lock the annotations, sort them into refused, stale, unchanged and to change,
    and change the last in one recorded change."""
    ids = sorted({annotation.pk for annotation in annotations})
    if len(ids) > BULK_LIMIT:
        raise ValidationError(f"Change at most {BULK_LIMIT} annotations at a time.")
    result = BulkChange()
    with transaction.atomic():
        rows = list(
            Annotation.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, deleted_at__isnull=True)
            .select_related("team")
            .order_by("pk")
        )
        result.refused.extend(sorted(set(ids) - {row.pk for row in rows}))  # binned meanwhile
        roles = team_roles(user)
        changing = []
        for row in rows:
            if not may_edit(
                user,
                author_id=row.author_id,
                team_id=row.team_id,
                visibility=row.visibility,
                roles=roles,
            ):
                result.refused.append(row.pk)
            elif expected_versions.get(row.pk) != row.version:
                result.stale.append(row.pk)
            elif needs(row):
                changing.append(row)
            else:
                result.unchanged.append(row.pk)
        if changing:
            comment = action.format(count=len(changing))
            with recorded(user, comment):
                for team_id in _activity_teams(changing):
                    reversion.add_meta(RevisionTeam, team_id=team_id)
                for row in changing:
                    fields = apply(row)
                    row.version += 1
                    row.review_status = _review_after_change(row, roles)
                    row.save(update_fields=[*fields, "version", "review_status", "updated"])
                    result.changed.append(row.pk)
                # Their versions as they are now, regions and tag links included.
                for row in Annotation.objects.filter(pk__in=result.changed):
                    reversion.add_to_revision(row)
            logger.info("%s (by %s)", comment, user)
    return result


def _activity_teams(rows: Sequence[Annotation]) -> list[int]:
    """The teams whose activity shows a change of these annotations: those whose
    shared work it changed (a private annotation's changes are its author's alone)."""
    return sorted(
        {row.team_id for row in rows if row.visibility != Visibility.PRIVATE and row.team_id}
    )


def _review_after_change(row: Annotation, roles: Mapping[int, str]) -> str:
    """As for an edit (``annotation_update``): in a team that reviews, a reviewed
    annotation changed by someone who does not curate the team awaits review again."""
    team = row.team
    if (
        team is not None
        and team.review_required
        and row.review_status in (ReviewStatus.APPROVED, ReviewStatus.REJECTED)
        and roles.get(team.pk) not in CURATING_ROLES
    ):
        return ReviewStatus.SUBMITTED
    return row.review_status


__all__ = [
    "BULK_LIMIT",
    "MERGE_LIMIT",
    "VOCABULARIES",
    "BulkChange",
    "MergeRecord",
    "MergeResult",
    "RegionChange",
    "Vocabulary",
    "annotations_reached_by",
    "annotations_regions_change",
    "annotations_seen_by",
    "annotations_source_set",
    "entries_seen_by",
    "merge_record",
    "merge_refusal",
    "merge_undo",
    "merges_kept_in",
    "pointing_annotations",
    "regions_merge",
    "sources_merge",
    "tags_merge",
    "undo_refusal",
    "vocabulary_of",
    "with_usage",
]
