from django.conf import settings
from django.db import models
from django.db.models import F, Q
from taggit.managers import TaggableManager
from taggit.models import ItemBase

from annotations.models.choices import AnchorStatus, ReviewStatus, Stance, Visibility
from annotations.models.visibility import annotation_condition, editable_condition
from annotations.models.vocabularies import AnnotationTag, Region, Source
from corpus.models import Team


class TaggedAnnotation(ItemBase):
    tag = models.ForeignKey(AnnotationTag, on_delete=models.CASCADE, related_name="tagged_items")
    content_object = models.ForeignKey("Annotation", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "annotation tag link"
        verbose_name_plural = "annotation tag links"
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="taggedannotation_unique"
            ),
        ]


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The live annotations a user may see (see ``annotations.models.visibility``)."""
        return self.filter(annotation_condition(user))

    def in_bin_of(self, user):
        """Deleted annotations that ``user`` may restore: those they could edit."""
        return self.filter(annotation_condition(user, deleted=True) & editable_condition(user))

    def editable_by(self, user):
        """Of what a user sees, what they may change or delete."""
        return self.visible_to(user).filter(editable_condition(user))

    def anchored(self):
        return self.exclude(anchor_status=AnchorStatus.ORPHANED)

    def orphaned(self):
        return self.filter(anchor_status=AnchorStatus.ORPHANED)


class Annotation(models.Model):
    """A claim recorded on a passage: the target (a quote in a paragraph, at offsets into
    its text) and the bodies (claim, stance, source, regions, note, tags).

    Invariant (pinned by tests): unless it is orphaned, ``paragraph.text[start:end] ==
    exact`` and ``article`` is the paragraph's article. When its paragraph's text
    changes, ``annotations.services.anchoring`` places it again, in the same transaction.
    """

    # The target
    article = models.ForeignKey(
        "corpus.Article", on_delete=models.CASCADE, related_name="annotations", editable=False
    )
    paragraph = models.ForeignKey(
        "corpus.Paragraph",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
        help_text="Empty when the annotation could not be placed after a change of text.",
    )
    start = models.PositiveIntegerField(help_text="Offset of the quote's first character.")
    end = models.PositiveIntegerField(help_text="Offset just past the quote's last character.")
    exact = models.TextField(help_text="The quote, as in the paragraph's text.")
    prefix = models.CharField(max_length=64, blank=True, help_text="Text just before the quote.")
    suffix = models.CharField(max_length=64, blank=True, help_text="Text just after the quote.")
    anchor_status = models.CharField(
        max_length=10, choices=AnchorStatus, default=AnchorStatus.ANCHORED, editable=False
    )
    previous_exact = models.TextField(
        blank=True,
        editable=False,
        help_text="The quote before it was placed fuzzily on reworded text.",
    )

    # The bodies
    claim = models.TextField(blank=True, help_text="The claim, in the annotator's words.")
    stance = models.CharField(
        max_length=10,
        choices=Stance,
        blank=True,
        default="",
        help_text="The article's position toward the claim; empty for a passage only tagged "
        "or highlighted.",
    )
    stance_target = models.CharField(max_length=300, blank=True, help_text="Toward what or whom.")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="annotations"
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="annotations")
    note = models.TextField(blank=True, help_text="Markdown.")
    note_html = models.TextField(blank=True, editable=False)
    tags = TaggableManager(through=TaggedAnnotation, blank=True)

    # The team's review
    review_status = models.CharField(
        max_length=10,
        choices=ReviewStatus,
        default=ReviewStatus.APPROVED,
        help_text="Draft, awaiting review, approved or rejected.",
    )
    review_reason = models.CharField(
        max_length=500, blank=True, help_text="Why it was rejected, for its author."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Who and when
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="annotations"
    )
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PRIVATE)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every change.")
    deleted_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set while the annotation is in the bin."
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["article", "paragraph__position", "start", "end", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="annotation_nonempty"),
            models.CheckConstraint(
                condition=~Q(visibility=Visibility.TEAM) | Q(team__isnull=False),
                name="annotation_team_visibility_has_team",
                violation_error_message="A team annotation needs a team.",
            ),
            models.CheckConstraint(
                condition=Q(anchor_status=AnchorStatus.ORPHANED) | Q(paragraph__isnull=False),
                name="annotation_placed_has_paragraph",
                violation_error_message="Only an orphaned annotation may lack a paragraph.",
            ),
        ]
        indexes = [
            # The article page: an article's annotations, by visibility.
            models.Index(fields=["article", "visibility"], name="annotation_article_vis_idx"),
            # "Mine" and the visibility rule's author branch.
            models.Index(fields=["author", "article"], name="annotation_author_idx"),
            # The team branch of the visibility rule, and the team filter.
            models.Index(fields=["team", "visibility"], name="annotation_team_idx"),
            # Filters of the annotation list (source, paragraph and the other foreign
            # keys have Django's own indexes: re-anchoring finds a paragraph's by it).
            models.Index(fields=["stance"], name="annotation_stance_idx"),
            # The review page: what awaits review in a team.
            models.Index(fields=["team", "review_status"], name="annotation_review_idx"),
            # The annotation list's order, newest first.
            models.Index(fields=["-created", "-id"], name="annotation_list_order_idx"),
            # The article page's "Could not be placed" list.
            models.Index(
                fields=["article"],
                condition=Q(anchor_status=AnchorStatus.ORPHANED),
                name="annotation_orphans_idx",
            ),
            # The bin.
            models.Index(
                fields=["deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="annotation_bin_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.exact[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#a-{self.pk}"

    def set_passage(self, paragraph_id: int, anchor) -> None:
        """Point the target at ``anchor`` (an ``annotations.anchoring.Anchor``) in the
        paragraph; the callers set the anchor status and the article."""
        self.paragraph_id = paragraph_id
        self.start, self.end = anchor.start, anchor.end
        self.exact, self.prefix, self.suffix = anchor.exact, anchor.prefix, anchor.suffix

    @property
    def is_orphaned(self) -> bool:
        return self.anchor_status == AnchorStatus.ORPHANED
