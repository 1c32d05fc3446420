"""Restoring an earlier version of an annotation: what it said (claim, stance, target,
source, regions, note, tags) comes back through ``annotation_update``, so the change is
checked, version-guarded and recorded like any other. Where it is and who sees it stay
as they are now: the text may have changed since (re-anchoring placed the quote), and a
restore never widens or narrows who sees an annotation behind its owner's back."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import formats, timezone

from annotations.history import annotation_versions, version_state
from annotations.models import Annotation, Region, Source, SourceKind
from annotations.services.annotations import annotation_update


def annotation_version_restore(
    *, annotation: Annotation, version_id: int, user, expected_version: int
) -> Annotation:
    version = annotation_versions(annotation).filter(pk=version_id).first()
    if version is None:
        raise ValidationError({"version": "No such version of this annotation."})
    state = version_state(version)
    source = Source.objects.filter(pk=state.source_id).first() if state.source_id else None
    when = formats.date_format(timezone.localtime(version.revision.date_created), "j M Y, H:i")
    return annotation_update(
        annotation=annotation,
        editor=user,
        expected_version=expected_version,
        claim=state.claim,
        stance=state.stance,
        stance_target=state.stance_target,
        source_name=source.name if source else "",
        source_kind=source.kind if source else SourceKind.OTHER,
        regions=list(Region.objects.filter(pk__in=state.region_ids)),
        note=state.note,
        tags=list(state.tag_names),
        team=annotation.team,
        visibility=annotation.visibility,
        action=f"restored the version of {when}",
    )
