"""Writes of the annotations app: annotations, their anchoring, vocabularies, teams."""

from annotations.services.annotations import (
    AnnotationConflictError,
    annotation_bin_empty,
    annotation_create,
    annotation_delete,
    annotation_reattach,
    annotation_restore,
    annotation_update,
    check_annotation_update,
    render_note,
    team_roles,
    writable_teams,
)
from annotations.services.crossreferences import (
    crossreference_create,
    crossreference_create_to_passage,
    crossreference_delete,
    crossreference_restore,
)
from annotations.services.merges import (
    annotations_regions_change,
    annotations_source_set,
    merge_undo,
    regions_merge,
    sources_merge,
    tags_merge,
)
from annotations.services.review import (
    annotation_approve,
    annotation_reject,
    annotation_submit,
    reading_adopt,
)
from annotations.services.tags import TagRename, tag_rename
from annotations.services.teams import (
    membership_add,
    membership_change_role,
    membership_remove,
    team_create,
)
from annotations.services.vocabularies import (
    parse_tag_names,
    source_for_name,
    tags_for_names,
)

__all__ = [
    "AnnotationConflictError",
    "TagRename",
    "annotation_approve",
    "annotation_bin_empty",
    "annotation_create",
    "annotation_delete",
    "annotation_reattach",
    "annotation_reject",
    "annotation_restore",
    "annotation_submit",
    "annotation_update",
    "annotations_regions_change",
    "annotations_source_set",
    "check_annotation_update",
    "crossreference_create",
    "crossreference_create_to_passage",
    "crossreference_delete",
    "crossreference_restore",
    "membership_add",
    "membership_change_role",
    "membership_remove",
    "merge_undo",
    "parse_tag_names",
    "reading_adopt",
    "regions_merge",
    "render_note",
    "source_for_name",
    "sources_merge",
    "tag_rename",
    "tags_for_names",
    "tags_merge",
    "team_create",
    "team_roles",
    "writable_teams",
]
