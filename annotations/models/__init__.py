"""The annotation models. Import order matters: the visibility rules build on teams,
the vocabularies and annotations on the rules."""

from annotations.citations import normalize_name  # the rule behind Source.normalized_name
from annotations.models.annotations import Annotation, TaggedAnnotation
from annotations.models.choices import (
    CURATING_ROLES,
    NO_STANCE,
    NO_STANCE_FILTER,
    WRITING_ROLES,
    AnchorStatus,
    RegionKind,
    ReviewStatus,
    Role,
    SourceKind,
    Stance,
    Visibility,
    stance_label,
)
from annotations.models.crossreferences import (
    RELATION_INVERSES,
    CrossReference,
    Relation,
    relation_phrase,
)
from annotations.models.history import RevisionTeam
from annotations.models.tokens import ApiToken, token_hash
from annotations.models.visibility import (
    annotation_condition,
    crossreference_condition,
    editable_condition,
    may_edit,
    may_review,
    source_condition,
    tag_condition,
    visibility_change_refusal,
)
from annotations.models.vocabularies import (
    TAG_MAX_LENGTH,
    AnnotationTag,
    Region,
    RegionAncestor,
    Source,
    rebuild_region_ancestry,
    tag_slug,
)
from corpus.models import Membership, Team

# The rule under the name the rest of the code has long used.
visibility_condition = annotation_condition

__all__ = [
    "CURATING_ROLES",
    "NO_STANCE",
    "NO_STANCE_FILTER",
    "RELATION_INVERSES",
    "TAG_MAX_LENGTH",
    "WRITING_ROLES",
    "AnchorStatus",
    "Annotation",
    "AnnotationTag",
    "ApiToken",
    "CrossReference",
    "Membership",
    "Region",
    "RegionAncestor",
    "RegionKind",
    "Relation",
    "ReviewStatus",
    "RevisionTeam",
    "Role",
    "Source",
    "SourceKind",
    "Stance",
    "TaggedAnnotation",
    "Team",
    "Visibility",
    "annotation_condition",
    "crossreference_condition",
    "editable_condition",
    "may_edit",
    "may_review",
    "normalize_name",
    "rebuild_region_ancestry",
    "relation_phrase",
    "source_condition",
    "stance_label",
    "tag_condition",
    "tag_slug",
    "token_hash",
    "visibility_change_refusal",
    "visibility_condition",
]
