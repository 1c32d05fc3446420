"""Uploading files through the import page: one submission of ``--upload-files`` files
(the seeds, the real pages and PDFs when present, a generated PDF, then copies of them
with other bytes), by a signed-in team editor, into a new team each time (so that every
file makes a new article). Timed: the POST's response, and until the job is done
(``ImportJob.status``), with the worker embedded (a thread of this process) and inline
(in the request)."""

from __future__ import annotations

import threading
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from corpus.models import ImportItem, ImportJob, ImportStatus, Membership, Team

from .inputs import InputFile, generated_pdf_file, seed_files, variant, wild_files

WORKERS = ("embedded", "inline")
DONE_WITHIN = 300  # seconds: a job not done by then is reported as such


def upload_files(count: int) -> list[InputFile]:
    """``count`` files: the seeds, the real pages and PDFs, the generated PDF, and then
    copies of them (other bytes, same text) until there are enough."""
    pool = [*seed_files(), *wild_files("html"), *wild_files("pdf")]
    generated = generated_pdf_file()
    if generated is not None:
        pool.append(generated)
    files = pool[:count]
    number = 1
    while len(files) < count:
        files.extend(variant(file, number) for file in pool[: count - len(files)])
        number += 1
    return files


def _worker_threads() -> list[threading.Thread]:
    """The embedded worker's threads still running (named "crossread-…")."""
    return [
        thread
        for thread in threading.enumerate()
        if thread is not threading.current_thread()
        and thread.name.startswith("crossread")
        and thread.is_alive()
    ]


def _wait_for_workers(timeout: float = 60) -> None:
    """Let the embedded worker's thread finish (it closes its database connection as
    it ends; PostgreSQL will not drop a database still in use)."""
    for thread in _worker_threads():
        thread.join(timeout)


def _wait_until_done(job: ImportJob, started: float) -> tuple[float | None, str]:
    """When the job was done (perf_counter), or None and why not: no worker left to
    run it for a second (the request or the worker failed: see the log), or the time
    limit."""
    idle_since = None
    while time.perf_counter() - started < DONE_WITHIN:
        if ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).exists():
            return time.perf_counter(), ""
        if _worker_threads():
            idle_since = None
        elif idle_since is None:
            idle_since = time.perf_counter()
        elif time.perf_counter() - idle_since > 1:
            # The thread may have finished the job just now: ask once more.
            if ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).exists():
                return time.perf_counter(), ""
            status = ImportJob.objects.filter(pk=job.pk).values_list("status", flat=True).first()
            return (
                None,
                f"not done (status {status!r}) and no worker running any more (it failed: see the log)",
            )
        time.sleep(0.01)
    return None, f"not done within {DONE_WITHIN} s"


def run(bench, count: int = 20) -> None:
    files = upload_files(count)
    formats = Counter(file.source_format for file in files)
    size = sum(len(file.data) for file in files)
    bench.heading(
        f"Upload through /import/: {len(files)} files ("
        + ", ".join(f"{n} {kind}" for kind, n in formats.items())
        + f"; {size / 1_048_576:.1f} MB) by a team editor"
    )
    User = get_user_model()
    editor = User.objects.create_user("bench-uploader")
    client = Client(raise_request_exception=False)  # a server error is a figure too
    client.force_login(editor)
    url = reverse("annotations:import")
    for number, worker in enumerate(WORKERS, start=1):
        team = Team.objects.create(name=f"Bench uploads {number}", slug=f"bench-uploads-{number}")
        Membership.objects.create(user=editor, team=team, role="editor")
        uploads = [SimpleUploadedFile(file.name, file.data) for file in files]
        last = ImportJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with override_settings(CROSSREAD_IMPORT_WORKER=worker):
            started = time.perf_counter()
            response = client.post(url, {"team": str(team.pk), "files": uploads, "text": ""})
            responded = time.perf_counter()
            job = ImportJob.objects.filter(user=editor, pk__gt=last).order_by("pk").first()
            done, why = _wait_until_done(job, started) if job is not None else (None, "")
        _wait_for_workers()
        bench.stdout.write(f"  worker {worker!r}:")
        bench.report(
            "    POST /import/ (the response)",
            f"{(responded - started) * 1000:,.0f} ms, status {response.status_code}",
        )
        if job is None:
            bench.report("    job", "none was created")
            continue
        if done is None:
            bench.report("    until the job is done", why)
            continue
        statuses = Counter(ImportItem.objects.filter(job=job).values_list("status", flat=True))
        elapsed = done - started
        bench.report(
            "    until the job is done (POST + worker)",
            f"{elapsed:.2f} s, {elapsed / len(files) * 1000:.0f} ms a file",
        )
        bench.report(
            "    results", ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
        )
