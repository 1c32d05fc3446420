"""Renaming and merging annotation tags: one transaction, nothing tagged loses its tag."""

from __future__ import annotations

from dataclasses import dataclass

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotations.history import recorded
from annotations.models import Annotation, AnnotationTag, TaggedAnnotation, Visibility
from annotations.services.vocabularies import check_tag_names, tags_for_names


@dataclass(frozen=True, slots=True)
class TagRename:
    """What a rename did: the tag the passages now carry, on how many of them, and
    whether it was a merge into a tag the editor could already see."""

    tag: AnnotationTag
    passages: int
    merged: bool


def _record_rename(editor, passage_ids: list[int], old_names, target, *, merged: bool) -> None:
    """The rename in the history: every passage it changed, with its tags after it;
    in a team's activity when the passages are all that team's."""
    old = ", ".join(sorted(old_names))
    action = (
        f"merged the tag {old} into {target.name}"
        if merged
        else f"renamed the tag {old} to {target.name}"
    )
    changed = list(Annotation.objects.filter(pk__in=passage_ids).order_by("pk"))
    shared = all(row.visibility != Visibility.PRIVATE for row in changed)
    teams = {row.team_id for row in changed}
    team_id = teams.pop() if shared and len(teams) == 1 else None
    with recorded(editor, action, team_id=team_id):
        for row in changed:
            reversion.add_to_revision(row)


def tag_rename(*, editor, slug: str, new_name: str) -> TagRename:
    """Give the passages tagged ``slug`` that ``editor`` may change the tag
    ``new_name`` instead; when a tag of that name exists, this merges the two. The
    passages others keep to themselves (their private ones, other teams') keep the
    old tag: an editor renames within what they may change. Every changed passage
    has its version raised, so an edit made before the rename is refused, not lost."""
    names = check_tag_names([new_name])
    if not names:
        raise ValidationError({"name": "A tag needs a name with letters or digits."})
    name = names[0]
    with transaction.atomic():
        passage_ids = list(
            Annotation.objects.editable_by(editor)
            .filter(tags__slug=slug)
            .order_by()
            .values_list("pk", flat=True)
            .distinct()
        )
        if not passage_ids:
            raise ValidationError({"name": "You may not change any of the passages with this tag."})
        # Lock the passages: a concurrent edit of their tags waits for the rename.
        list(
            Annotation.objects.filter(pk__in=passage_ids)
            .order_by()  # the default order joins the (nullable) paragraph
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        old_rows = AnnotationTag.objects.filter(slug=slug)
        old_names = set(old_rows.values_list("name", flat=True))
        if old_names == {name}:
            raise ValidationError({"name": f"The tag is called “{name}” already."})
        target = tags_for_names(user=editor, names=[name])[0]
        merged = target.slug != slug
        if not merged and target.name != name:
            # A new spelling of the same tag ("iran" → "Iran"): a row of its own, so
            # that passages the editor may not change keep the spelling they had.
            target = AnnotationTag.objects.create(name=name)
        links = TaggedAnnotation.objects.filter(
            content_object_id__in=passage_ids, tag__slug=slug
        ).exclude(tag=target)
        carrying_target = TaggedAnnotation.objects.filter(
            content_object_id__in=passage_ids, tag=target
        ).values("content_object_id")
        # A passage with both tags keeps one link to the survivor.
        TaggedAnnotation.objects.filter(
            pk__in=list(
                links.filter(content_object_id__in=carrying_target).values_list("pk", flat=True)
            )
        ).delete()
        TaggedAnnotation.objects.filter(pk__in=list(links.values_list("pk", flat=True))).update(
            tag=target
        )
        Annotation.objects.filter(pk__in=passage_ids).update(
            version=F("version") + 1, updated=timezone.now()
        )
        _record_rename(editor, passage_ids, old_names, target, merged=merged)
        # Rows of the old name that nothing carries any more are gone with it.
        old_rows.filter(tagged_items__isnull=True).exclude(pk=target.pk).delete()
    return TagRename(tag=target, passages=len(passage_ids), merged=merged)
