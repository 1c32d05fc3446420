"""Teams: who an article belongs to (besides the public corpus), and who writes
annotations together. The corpus holds them because articles do; the annotation app
builds on them. Their tables keep the names they had when the annotation app held
them (``annotations_team``, ``annotations_membership``)."""

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    ANNOTATOR = "annotator", "Annotator"
    VIEWER = "viewer", "Viewer"


# Roles that may write for a team (annotations, imports), and roles that may curate
# its shared work (edit its annotations, change who sees its articles).
WRITING_ROLES = frozenset({Role.OWNER, Role.EDITOR, Role.ANNOTATOR})
CURATING_ROLES = frozenset({Role.OWNER, Role.EDITOR})


class Team(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    review_required = models.BooleanField(
        default=False,
        help_text="Review on: new annotations await an editor's approval. Off: they "
        "start approved.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        db_table = "annotations_team"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role, default=Role.ANNOTATOR)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotations_membership"
        ordering = ["team", "user__username"]
        constraints = [
            # Also the index behind "which teams is this user in" (user first), which
            # every visibility check asks.
            models.UniqueConstraint(fields=["user", "team"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"
