"""Which team a recorded change belongs to, for the team's activity page. The changes
themselves are django-reversion's revisions (``annotations.history``)."""

from django.db import models
from reversion.models import Revision

from corpus.models import Team


class RevisionTeam(models.Model):
    # A foreign key: one action may touch several teams' work (a bulk action in the
    # admin), and nested recordings each name theirs.
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="team_links")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="revisions")

    class Meta:
        indexes = [models.Index(fields=["team", "revision"], name="revision_team_idx")]

    def __str__(self) -> str:
        return f"{self.team} · {self.revision_id}"
