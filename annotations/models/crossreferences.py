"""Cross-references: a typed link between two annotated passages, usually in two
articles ("this passage contradicts that one"). Who sees a link is decided in
``annotations.models.visibility``: the link's own visibility, and both its ends."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from annotations.models.choices import Visibility
from annotations.models.visibility import crossreference_condition
from corpus.models import Team


class Relation(models.TextChoices):
    """How the first passage stands to the second. Each reads both ways: the label
    from the first passage's side, ``inverse`` from the second's."""

    SUPPORTS = "supports", "supports"
    CONTRADICTS = "contradicts", "contradicts"
    REPEATS = "repeats", "repeats"
    ELABORATES = "elaborates", "elaborates on"
    CITES = "cites", "cites"
    SAME_EVENT = "same_event", "reports the same event as"


RELATION_INVERSES = {
    Relation.SUPPORTS: "is supported by",
    Relation.CONTRADICTS: "is contradicted by",
    Relation.REPEATS: "is repeated in",
    Relation.ELABORATES: "is elaborated on in",
    Relation.CITES: "is cited by",
    Relation.SAME_EVENT: "reports the same event as",
}


def relation_phrase(relation: str, *, outgoing: bool) -> str:
    """The relation as read from one end: "contradicts" from the first passage,
    "is contradicted by" from the second."""
    return Relation(relation).label if outgoing else RELATION_INVERSES[Relation(relation)]


class CrossReferenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The live links ``user`` may see: the link itself and both its ends."""
        return self.filter(crossreference_condition(user))


class CrossReference(models.Model):
    from_annotation = models.ForeignKey(
        "annotations.Annotation", on_delete=models.CASCADE, related_name="links_out"
    )
    to_annotation = models.ForeignKey(
        "annotations.Annotation", on_delete=models.CASCADE, related_name="links_in"
    )
    relation = models.CharField(max_length=16, choices=Relation)
    note = models.TextField(blank=True, max_length=5000)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crossreferences"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="crossreferences"
    )
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PRIVATE)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set while the link is removed."
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CrossReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = "cross-reference"
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_annotation=F("to_annotation")),
                name="crossreference_two_passages",
                violation_error_message="A passage cannot be linked to itself.",
            ),
            models.CheckConstraint(
                condition=~Q(visibility=Visibility.TEAM) | Q(team__isnull=False),
                name="crossreference_team_visibility_has_team",
                violation_error_message="A team link needs a team.",
            ),
            models.UniqueConstraint(
                fields=["from_annotation", "to_annotation", "relation"],
                condition=Q(deleted_at__isnull=True),
                name="crossreference_unique_live",
                violation_error_message="These passages are linked that way already.",
            ),
        ]
        indexes = [
            # The visibility rule's team branch; the other ends have their FK indexes.
            models.Index(fields=["team", "visibility"], name="crossreference_team_idx"),
            models.Index(fields=["author"], name="crossreference_author_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.from_annotation_id} {self.get_relation_display()} #{self.to_annotation_id}"
