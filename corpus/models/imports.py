"""Imports from the browser: a job per submission, an item per file (or pasted text),
each with the result line the import page shows. The files wait in the item until the
worker has read them, then are dropped: the article keeps what it needs."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    RUNNING = "running", "Importing"
    DONE = "done", "Done"


class ItemStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    UNCHANGED = "unchanged", "Unchanged"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    team = models.ForeignKey(
        "corpus.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
        help_text="The collection imported into; empty for the public corpus.",
    )
    status = models.CharField(max_length=10, choices=ImportStatus, default=ImportStatus.QUEUED)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [
            # The worker's "next job to run".
            models.Index(
                fields=["created"],
                condition=~Q(status="done"),
                name="importjob_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} by {self.user} ({self.status})"


class ImportItem(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255, help_text="The file's name, as the article keeps it.")
    size = models.PositiveBigIntegerField(default=0)
    data = models.BinaryField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=ItemStatus, default=ItemStatus.QUEUED)
    error = models.CharField(max_length=500, blank=True)
    article = models.ForeignKey(
        "corpus.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paragraphs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="importitem_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.status}"
