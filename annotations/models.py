from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from annotations.citations import normalize_name  # one rule: the form, the matcher, the model


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    ANNOTATOR = "annotator", "Annotator"
    VIEWER = "viewer", "Viewer"


# Roles that may write annotations for a team, and roles that may edit or delete
# any of the team's shared annotations.
WRITING_ROLES = frozenset({Role.OWNER, Role.EDITOR, Role.ANNOTATOR})
CURATING_ROLES = frozenset({Role.OWNER, Role.EDITOR})


class Team(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("annotations:team-detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role, default=Role.ANNOTATOR)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "user__username"]
        constraints = [
            # Also the index behind "which teams is this user in" (user first), which
            # every visibility check asks.
            models.UniqueConstraint(fields=["user", "team"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"


class SourceKind(models.TextChoices):
    OUTLET = "outlet", "News outlet"
    THINK_TANK = "think_tank", "Think tank"
    GOVERNMENT = "government", "Government or official body"
    ACADEMIC = "academic", "Academic work"
    OFFICIAL = "official", "Named official"
    ANONYMOUS = "anonymous", "Anonymous source"
    OTHER = "other", "Other"


class Source(models.Model):
    """What a passage cites: an outlet, a think tank report, a government, a paper..."""

    name = models.CharField(max_length=300)
    normalized_name = models.CharField(max_length=300, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=SourceKind, default=SourceKind.OTHER)
    aliases = models.JSONField(
        default=list, blank=True, help_text='Other names it goes by, e.g. ["RAND"].'
    )
    url = models.URLField(max_length=1000, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)


class RegionKind(models.TextChoices):
    SUPRANATIONAL = "supranational", "Supranational region"
    COUNTRY = "country", "Country"
    SUBDIVISION = "subdivision", "Subdivision"
    PLACE = "place", "City or place"


class Region(models.Model):
    """The gazetteer: supranational regions, every country, and the subdivisions and
    places the corpus needs, in a hierarchy."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=RegionKind)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.CharField(
        max_length=32,
        unique=True,
        help_text="ISO 3166 code (SY, SY-ID), GeoNames id (geonames:170063) or a curated key.",
    )
    aliases = models.JSONField(
        default=list, blank=True, help_text='Other names, e.g. ["Tehran"] for Iran\'s government.'
    )
    demonyms = models.JSONField(default=list, blank=True, help_text='e.g. ["Syrian", "Syrians"]')

    class Meta:
        ordering = ["name"]
        indexes = [
            # Type-ahead and lookups by name.
            models.Index(fields=["name"], name="region_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    OPPOSES = "opposes", "Opposes"
    NEUTRAL = "neutral", "Neutral"
    MIXED = "mixed", "Mixed"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private: only me"
    TEAM = "team", "Team: the team's members"
    PUBLIC = "public", "Public: everyone"


class TaggedAnnotation(TaggedItemBase):
    content_object = models.ForeignKey("Annotation", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "annotation tag"
        verbose_name_plural = "annotation tags"


def visibility_condition(user, prefix: str = "") -> Q:
    """THE visibility rule, as a condition on annotations (``prefix`` reaches them
    from a related model, e.g. "annotation__"). Every page, count, search, export and
    API goes through it, mostly by way of ``Annotation.objects.visible_to(user)``.

    Public annotations are everyone's; team annotations are their team members';
    private ones are their author's alone. Nobody else, staff included, sees them.
    """
    if user is None or not user.is_authenticated:
        return Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    my_teams = Membership.objects.filter(user=user).values("team_id")
    return (
        Q(**{f"{prefix}visibility": Visibility.PUBLIC})
        | Q(**{f"{prefix}author": user})
        | Q(**{f"{prefix}visibility": Visibility.TEAM, f"{prefix}team_id__in": my_teams})
    )


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The annotations a user may see (see ``visibility_condition``)."""
        return self.filter(visibility_condition(user))

    def editable_by(self, user):
        """Of what a user sees, what they may change or delete: their own annotations,
        and the shared ones of the teams they are an editor or owner of."""
        if user is None or not user.is_authenticated:
            return self.none()
        curated_teams = Membership.objects.filter(user=user, role__in=CURATING_ROLES).values(
            "team_id"
        )
        return self.visible_to(user).filter(
            Q(author=user) | (~Q(visibility=Visibility.PRIVATE) & Q(team_id__in=curated_teams))
        )


class Annotation(models.Model):
    """A claim recorded on a passage: the target (a quote in a paragraph, at offsets into
    its text) and the bodies (claim, stance, source, regions, note, tags)."""

    # The target
    article = models.ForeignKey(
        "corpus.Article", on_delete=models.CASCADE, related_name="annotations", editable=False
    )
    paragraph = models.ForeignKey(
        "corpus.Paragraph", on_delete=models.PROTECT, related_name="annotations"
    )
    start = models.PositiveIntegerField(help_text="Offset of the quote's first character.")
    end = models.PositiveIntegerField(help_text="Offset just past the quote's last character.")
    exact = models.TextField(help_text="The quote, as in the paragraph's text.")
    prefix = models.CharField(max_length=64, blank=True, help_text="Text just before the quote.")
    suffix = models.CharField(max_length=64, blank=True, help_text="Text just after the quote.")

    # The bodies
    claim = models.TextField(blank=True, help_text="The claim, in the annotator's words.")
    stance = models.CharField(
        max_length=10, choices=Stance, help_text="The article's position toward the claim."
    )
    stance_target = models.CharField(max_length=300, blank=True, help_text="Toward what or whom.")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="annotations"
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="annotations")
    note = models.TextField(blank=True, help_text="Markdown.")
    note_html = models.TextField(blank=True, editable=False)
    tags = TaggableManager(through=TaggedAnnotation, blank=True)

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
    version = models.PositiveIntegerField(default=1, help_text="Raised by every edit.")

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
        ]
        indexes = [
            # The article page: an article's annotations, by visibility.
            models.Index(fields=["article", "visibility"], name="annotation_article_vis_idx"),
            # "Mine" and the visibility rule's author branch.
            models.Index(fields=["author", "article"], name="annotation_author_idx"),
            # The team branch of the visibility rule, and the team filter.
            models.Index(fields=["team", "visibility"], name="annotation_team_idx"),
            # Filters of the annotation list.
            models.Index(fields=["stance"], name="annotation_stance_idx"),
            models.Index(fields=["-created"], name="annotation_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.exact[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#a-{self.pk}"
