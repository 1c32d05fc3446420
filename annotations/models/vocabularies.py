"""The shared vocabularies of annotations: sources, regions and tags. Who sees which
entry is decided in ``annotations.models.visibility``."""

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from taggit.models import TagBase

from annotations.citations import normalize_name  # one rule: the form, the matcher, the model
from annotations.models.choices import RegionKind, SourceKind
from annotations.models.visibility import region_condition, source_condition, tag_condition


class SourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(source_condition(user))


class Source(models.Model):
    """What a passage cites: an outlet, a think tank report, a government, a paper...

    Several sources may share a name: one named first in a private annotation stays
    its author's, and someone else naming it gets their own (curators merge them)."""

    name = models.CharField(max_length=300)
    normalized_name = models.CharField(max_length=300, editable=False)
    kind = models.CharField(max_length=16, choices=SourceKind, default=SourceKind.OTHER)
    aliases = models.JSONField(
        default=list, blank=True, help_text='Other names it goes by, e.g. ["RAND"].'
    )
    url = models.URLField(max_length=1000, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    curated = models.BooleanField(
        default=True,
        help_text="A known source, offered to everyone. Sources named by users in their "
        "annotations are not curated: only those who may see such an annotation see them.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # Reuse by name (the service's lookup) and the curated branch of the rule.
            models.Index(fields=["normalized_name"], name="source_normalized_name_idx"),
        ]
        constraints = [
            # Curated sources are the known list: one per name.
            models.UniqueConstraint(
                fields=["normalized_name"],
                condition=models.Q(curated=True),
                name="source_curated_name_unique",
                violation_error_message="A curated source of that name exists already.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(region_condition(user))


class Region(models.Model):
    """The gazetteer: supranational regions, every country, and the subdivisions and
    places the corpus needs, in a hierarchy. Curated: staff add places in the admin."""

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

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # Type-ahead and lookups by name.
            models.Index(fields=["name"], name="region_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        rebuild_region_ancestry()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        rebuild_region_ancestry()
        return result


class RegionAncestor(models.Model):
    """The region hierarchy, closed: one row for every region and each region above it
    (itself included, at depth 0). A claim about Idlib counts for Syria and for the
    Middle East by one join, in the filters, the facets and the region pages. Derived
    from ``Region.parent``; rebuilt whenever a region is saved."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="ancestry")
    ancestor = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="descendancy")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "ancestor"], name="regionancestor_unique"),
        ]
        indexes = [models.Index(fields=["ancestor", "region"], name="regionancestor_up_idx")]

    def __str__(self) -> str:
        return f"{self.region_id} within {self.ancestor_id}"


def region_ancestry_rows(parents: dict[int, int | None]) -> list[tuple[int, int, int]]:
    """(region, ancestor, depth) for every region and every region above it."""
    rows = []
    for region_id in parents:
        ancestor, depth, seen = region_id, 0, set()
        while ancestor is not None and ancestor not in seen:
            seen.add(ancestor)
            rows.append((region_id, ancestor, depth))
            ancestor, depth = parents.get(ancestor), depth + 1
    return rows


def rebuild_region_ancestry(region_model=None, ancestor_model=None) -> None:
    """Rebuild the closure of the hierarchy (a few thousand rows at most: regions are
    a curated gazetteer). Migrations pass their historical models."""
    region_model = region_model or Region
    ancestor_model = ancestor_model or RegionAncestor
    parents = dict(region_model.objects.values_list("id", "parent_id"))
    ancestor_model.objects.all().delete()
    ancestor_model.objects.bulk_create(
        ancestor_model(region_id=region, ancestor_id=ancestor, depth=depth)
        for region, ancestor, depth in region_ancestry_rows(parents)
    )


class AnnotationTagQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(tag_condition(user))


TAG_MAX_LENGTH = 100


class AnnotationTag(TagBase):
    """A tag on annotations (article keywords are another vocabulary).

    Neither the name nor the slug is unique: a tag is what its users see of it, and
    one first typed in a private annotation must not hand its spelling (or its
    existence, through a slug made unique) to anyone else. Pages and filters name a
    tag by its slug, so rows of one slug act as one tag."""

    name = models.CharField(max_length=TAG_MAX_LENGTH)
    slug = models.SlugField(max_length=TAG_MAX_LENGTH, allow_unicode=True)

    objects = AnnotationTagQuerySet.as_manager()

    class Meta:
        verbose_name = "annotation tag"
        verbose_name_plural = "annotation tags"
        ordering = ["name"]
        indexes = [
            # The tag filter and tag pages (by slug); reuse by name.
            models.Index(fields=["slug"], name="annotationtag_slug_idx"),
            models.Index(fields=["name"], name="annotationtag_name_idx"),
        ]

    def save(self, *args, **kwargs):
        self.slug = tag_slug(self.name)
        models.Model.save(self, *args, **kwargs)  # not TagBase's: no unique slug to find


def tag_slug(name: str) -> str:
    return slugify(name, allow_unicode=True)[:TAG_MAX_LENGTH]
