"""Importing from the browser: the files of one submission become a job, and a
worker imports them one by one through the same importer as the command
(``importing.prepare_article_bytes`` then ``article_import_prepared``), so that a
request never waits for twenty PDFs.

Where the worker runs is a setting, ``CROSSREAD_IMPORT_WORKER``:

- ``embedded`` (the default): a thread of the web process, started when a job is
  submitted and ending when none waits; nothing else to run (``make run``).
- ``external``: ``python manage.py import_worker`` processes, on this machine or
  others; on PostgreSQL they claim jobs with ``SKIP LOCKED``, so several can run.
- ``inline``: in the request itself (the tests, and small installations that prefer it).

The queue is the job table the page needs anyway for its result lines.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from corpus.models import (
    WRITING_ROLES,
    ImportItem,
    ImportJob,
    ImportStatus,
    ItemStatus,
    Membership,
    Team,
)
from corpus.services.formats import ImportFailedError, check_size, file_format
from corpus.services.importing import article_import_prepared, prepare_article_bytes

logger = logging.getLogger(__name__)

# A job left "running" this long (its worker died) is taken up again.
STALE_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Upload:
    """A file as submitted: its name as given and its bytes. ``size`` is the size the
    upload announced, for a file too large to have been read (``data`` then empty)."""

    name: str
    data: bytes
    size: int | None = None


@dataclass(frozen=True)
class ScreenedFile:
    """A file as checked at the door, before any parsing: kept for the importer, or
    refused with the reason (``status`` "failed"). Reads like an import's result line."""

    name: str
    size: int
    data: bytes | None
    error: str = ""
    article = None
    paragraphs = 0

    @property
    def status(self) -> str:
        return ItemStatus.FAILED if self.error else ItemStatus.QUEUED

    def get_status_display(self) -> str:
        return ItemStatus(self.status).label


class UploadRefusedError(Exception):
    """No file of a submission can be imported: each one's reason, nothing stored."""

    def __init__(self, files: list[ScreenedFile]) -> None:
        super().__init__("; ".join(f"{file.name}: {file.error}" for file in files))
        self.files = files


def may_import_into(user, team: Team | None) -> bool:
    """Who may import where: a team's writers into its collection; staff into the
    public corpus."""
    if not user.is_authenticated:
        return False
    if team is None:
        return user.is_staff
    role = Membership.objects.filter(user=user, team=team).values_list("role", flat=True).first()
    return role in WRITING_ROLES


def clean_upload_name(name: str) -> str:
    """A file name as the article keeps it: its last part only (no folders, whatever
    the client sent), without control or format characters (a right-to-left override
    that would show "fdp.txt" as "txt.pdf"), at most 200 characters; "" when nothing
    is left."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = " ".join(name.split())
    if len(name) > 200:
        dot = name.rfind(".")
        suffix = name[dot:] if dot > 0 and len(name) - dot <= 10 else ""
        name = name[: 200 - len(suffix)] + suffix
    return name


def screen_upload(upload: Upload) -> ScreenedFile:
    """The checks that need no parsing: a usable name, a type Crossread imports, the
    size limit, and a PDF's signature."""
    name = clean_upload_name(upload.name)
    size = upload.size if upload.size is not None else len(upload.data)
    try:
        if not name or name.startswith("."):
            shown = upload.name[:60].encode("unicode_escape").decode("ascii")
            raise ImportFailedError(f"no usable file name ({shown!r}): rename the file")
        source_format = file_format(name)
        check_size(size)
        if source_format == "pdf" and b"%PDF-" not in upload.data[:1024]:
            raise ImportFailedError("not a PDF (the file does not start as a PDF does)")
    except ImportFailedError as error:
        return ScreenedFile(name=name or "(no name)", size=size, data=None, error=str(error))
    return ScreenedFile(name=name, size=size, data=upload.data)


@transaction.atomic
def import_job_create(
    *, user, team: Team | None, uploads: list[Upload], text: str = ""
) -> ImportJob:
    """A job for the files (and pasted text) of one submission. A file refused at the
    door (name, type, size) gets its failed line and is not stored; when every file is
    refused, ``UploadRefusedError`` says why and nothing is stored at all."""
    if not may_import_into(user, team):
        raise PermissionDenied(
            "You may import into a team you write for; into the public corpus, staff only."
        )
    text = text.strip()
    if not uploads and not text:
        raise ValidationError({"files": "Choose files to import, or paste text."})
    limit = settings.CROSSREAD_IMPORT_MAX_FILES
    if len(uploads) + bool(text) > limit:
        raise ValidationError({"files": f"At most {limit} files at once ({len(uploads)} sent)."})
    if text:
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()[:12]
        uploads = [Upload(name=f"pasted-text-{digest}.txt", data=data), *uploads]
    screened = [screen_upload(upload) for upload in uploads]
    if all(file.error for file in screened):
        raise UploadRefusedError(screened)
    job = ImportJob.objects.create(user=user, team=team)
    ImportItem.objects.bulk_create(
        ImportItem(
            job=job,
            position=position,
            name=file.name,
            size=file.size,
            data=file.data,
            status=file.status,
            error=file.error[:500],
        )
        for position, file in enumerate(screened, start=1)
    )
    logger.info(
        "import job %s: %s files by %s into %s", job.pk, len(screened), user, team or "public"
    )
    return job


def import_job_run(job: ImportJob) -> None:
    """Import the job's waiting files, one transaction each; each gets its result."""
    for item in job.items.filter(status=ItemStatus.QUEUED).order_by("position"):
        prepared = prepare_article_bytes(
            bytes(item.data or b""), name=item.name, fallback_title=_title_of(item.name)
        )
        outcome = article_import_prepared(prepared, team=job.team)
        item.status = outcome.status
        item.error = outcome.error[:500]
        item.article = outcome.article
        item.paragraphs = sum(outcome.paragraph_kinds.values())
        item.data = None
        item.save(update_fields=["status", "error", "article", "paragraphs", "data"])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, finished=timezone.now())


def _title_of(name: str) -> str:
    stem = name.rsplit(".", 1)[0]
    return stem.replace("_", " ").replace("-", " ").strip() or "Untitled"


def claim_job(pk: int | None = None) -> ImportJob | None:
    """The oldest job waiting (or left by a worker that died), now this worker's; or
    job ``pk`` if it still waits."""
    with transaction.atomic():
        waiting = ImportJob.objects.filter(status=ImportStatus.QUEUED) | ImportJob.objects.filter(
            status=ImportStatus.RUNNING, started__lt=timezone.now() - STALE_AFTER
        )
        if pk is not None:
            waiting = waiting.filter(pk=pk)
        # of=("self",): the job's row alone (PostgreSQL locks no nullable outer join).
        locked = waiting.order_by("created").select_for_update(
            skip_locked=connection.features.has_select_for_update_skip_locked, of=("self",)
        )
        job = locked.select_related("team").first()
        if job is None:
            return None
        job.status, job.started = ImportStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started"])
        return job


def run_pending_jobs() -> int:
    """Run jobs until none waits; how many ran."""
    ran = 0
    while True:
        try:
            job = claim_job()
        except Exception:
            logger.exception("claiming an import job failed")
            raise
        if job is None:
            return ran
        try:
            import_job_run(job)
        except Exception:  # a bug: the job's files stay queued for the next worker
            logger.exception("import job %s failed", job.pk)
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, started=None)
            raise
        ran += 1


class EmbeddedWorker:
    """One thread of this process that runs the waiting jobs, started on demand."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._more = False

    def kick(self) -> None:
        with self._lock:
            self._more = True
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="crossread-import", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._more:
                        self._thread = None
                        return
                    self._more = False
                try:
                    run_pending_jobs()
                except Exception:  # logged in run_pending_jobs; try again on the next kick
                    with self._lock:
                        self._thread = None
                    return
        finally:
            close_old_connections()
            connection.close()


embedded_worker = EmbeddedWorker()


def import_job_submit(job: ImportJob) -> bool:
    """Have the job run, where the settings say; whether it ran here and is done.

    A small submission (``CROSSREAD_IMPORT_INLINE_FILES`` files at most: a few seconds
    at worst) runs in the request whatever the worker, so that its result, or its
    refusal, is the response itself.
    """
    mode = settings.CROSSREAD_IMPORT_WORKER
    waiting = job.items.filter(status=ItemStatus.QUEUED).count()
    if mode == "inline" or waiting <= settings.CROSSREAD_IMPORT_INLINE_FILES:
        claimed = claim_job(job.pk)
        if claimed is not None:
            import_job_run(claimed)
        return True
    if mode == "embedded":
        transaction.on_commit(embedded_worker.kick)
    # "external": an import_worker process picks it up.
    return False


def import_job_discard_if_nothing_imported(job: ImportJob) -> list[ImportItem] | None:
    """For a job that ran in the request: when no file of it was imported, its result
    lines, and the job removed (the submission leaves nothing behind); else None."""
    items = list(job.items.order_by("position"))
    if any(item.status != ItemStatus.FAILED for item in items):
        return None
    job.delete()
    return items
