"""The load test (``python manage.py bench --only load``): the production server as
``make serve`` runs it (gunicorn with config/gunicorn.py, DEBUG off, static files
collected with hashed names), on 127.0.0.1, against the benchmark's PostgreSQL
database, driven by Locust (``annotations/bench/locustfile.py``) with a mix of

- readers: the article list, the seed articles, the academic seed carrying 1,000
  annotations (all visible to them), and searches;
- annotators: signed in, opening an article, asking for the suggestions of a passage
  (as selecting it does), creating annotations through the form, and editing their
  own (a conflict there would be a bug);
- editors of ONE shared annotation, all at once, through its edit form (a stale save
  is refused with 409) and, where the server has the API, with PUT and If-Match (412):
  afterwards its version must be 1 + the saves, and its text the last save's (no
  update lost);
- API clients paging the W3C Web Annotation container (/api/annotations/), when the
  server has it.

Bounded in time (``--load-seconds``) and in requests (``--load-max-requests``), for
1, 2 and 4 workers (``--load-workers``). Reported per kind of request: requests a
second, median and 95th percentile of the response time, errors (must be 0); and
updates lost (must be 0). ``--load-smoke`` is a run of a few seconds, for CI.

The load generator shares the machine with the server and the database: on a small
machine its own share of the processor is part of the figures.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from annotations.bench.pages import _bulk_annotations
from annotations.models import Annotation, Membership, Team
from annotations.services import annotation_create
from corpus.models import Article, ParagraphKind
from corpus.services import article_import_file

BASE_DIR = Path(settings.BASE_DIR)
ACADEMIC_SEED = BASE_DIR / "seeds" / "003_38ccf8f4c3724d70.txt"
BIG_ARTICLE_ANNOTATIONS = 1000
SEARCHES = (
    "Russia",
    "Iran Russia alliance",
    "Idlib",
    "Hezbollah",
    "military intervention 2015",
    "Putin Assad",
    '"buffer zone"',
)
SIGN_IN = "sign in"  # the locustfile's name for them
ALL = "all requests (but sign-ins)"
API_PAGES = 3  # pages of the container an API client reads before starting again
SHARED_CLAIM = "The shared annotation, as first written"


# ------------------------------------------------------------------------------ server


def database_url() -> str:
    """This process's database as a DATABASE_URL, for the server's processes."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(str(db['PASSWORD']), safe='')}" if db["PASSWORD"] else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


def production_environment(**overrides: str) -> dict[str, str]:
    """The environment of a production server on 127.0.0.1 without TLS, against this
    process's database, with a throwaway secret."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "STATIC_ROOT"}}
    environment.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "DATABASE_URL": database_url(),
            "CROSSREAD_STATIC_MANIFEST": "0",
            "GUNICORN_ACCESS_LOG": "",
        }
    )
    environment.update(overrides)
    return environment


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: list[str] = field(default_factory=list)  # gunicorn's and Django's stderr


@contextlib.contextmanager
def production_server(
    *, workers: int, environment: dict[str, str], options: tuple[str, ...] = ()
) -> Iterator[Server]:
    """gunicorn with config/gunicorn.py and ``workers`` workers at a free port of
    127.0.0.1, until the block ends; each worker has answered before it starts."""
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "config/gunicorn.py",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            str(workers),
            *options,
            "config.wsgi",
        ],
        cwd=BASE_DIR,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: stopped as one
    )
    server = Server(url="", process=process)
    listening = threading.Event()
    booted = threading.Semaphore(0)

    def read_log():
        for line in process.stderr:
            server.log.append(line)
            found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
            if found:
                server.url = found[1]
                listening.set()
            if "Booting worker with pid" in line:
                booted.release()
        listening.set()

    threading.Thread(target=read_log, daemon=True).start()
    try:
        if not listening.wait(60) or not server.url:
            raise CommandError("gunicorn did not start:\n" + "".join(server.log[-30:]))
        for _ in range(workers):
            if not booted.acquire(timeout=60):
                raise CommandError("gunicorn's workers did not boot:\n" + "".join(server.log))
        _warm_up(server.url, workers)
        yield server
    finally:
        _stop(process)


def _warm_up(url: str, workers: int) -> None:
    """Requests, ``workers`` at a time, until each worker has loaded the application."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=30).read()  # noqa: S310 (our server)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    threads = [
        threading.Thread(target=lambda: urllib.request.urlopen(url + "/", timeout=60).read())  # noqa: S310
        for _ in range(2 * workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # the master stops its workers gracefully
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def collect_static(environment: dict[str, str]) -> None:
    """collectstatic as `make serve` runs it, with hashed names and compressed copies."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
        capture_output=True,
    )


def api_available(url: str) -> bool:
    """Whether the server has the W3C container (another part of the work builds it)."""
    try:
        urllib.request.urlopen(f"{url}/api/annotations/", timeout=60).read()  # noqa: S310
    except urllib.error.HTTPError as error:
        return error.code != 404
    return True


# -------------------------------------------------------------------------------- data


@dataclass
class Seeded:
    plan: dict
    team: Team
    shared_author: object
    shared_paragraph: object
    big_article_visible: int


def users_for(total: int, *, api: bool) -> dict[str, int]:
    """How many of each kind of user: editors of the shared annotation, annotators,
    API clients, and readers for the rest."""
    editors = max(2, total // 5)
    annotators = max(1, total // 5)
    api_clients = max(1, total // 8) if api else 0
    readers = max(1, total - editors - annotators - api_clients)
    return {"reader": readers, "annotator": annotators, "editor": editors, "api": api_clients}


def seed(*, accounts: int) -> Seeded:
    """The seeds and the demo team, as `make run` has them; the load test's accounts
    (one password, hashed once: hashing is slow by design); 1,000 annotations on the
    academic seed, all visible to the reader; passages for annotators to annotate."""
    quiet = StringIO()
    call_command("import_articles", str(BASE_DIR / "seeds"), stdout=quiet, stderr=quiet)
    call_command("setup_demo", stdout=quiet)
    User = get_user_model()
    password = secrets.token_urlsafe(12)
    hashed = make_password(password)
    teams = [
        Team.objects.get_or_create(slug=f"load-team-{n}", defaults={"name": f"Load team {n}"})[0]
        for n in range(3)
    ]

    def account(name: str, memberships) -> object:
        user, _ = User.objects.update_or_create(username=name, defaults={"password": hashed})
        for team, role in memberships:
            Membership.objects.update_or_create(user=user, team=team, defaults={"role": role})
        return user

    authors = [account(f"load-author-{n}", [(teams[n % 3], "annotator")]) for n in range(9)]
    reader = account("load-reader", [(team, "viewer") for team in teams])
    names = {
        "reader": [reader.username],
        "annotator": [
            account(f"load-annotator-{n}", [(teams[0], "annotator")]).username
            for n in range(accounts)
        ],
        "editor": [
            account(f"load-editor-{n}", [(teams[0], "editor")]).username for n in range(accounts)
        ],
        "api": [reader.username],
    }

    big = article_import_file(path=ACADEMIC_SEED).article
    carried = Annotation.objects.filter(article=big, team__in=teams).count()
    if carried < BIG_ARTICLE_ANNOTATIONS:
        _bulk_annotations(big, authors, teams, BIG_ARTICLE_ANNOTATIONS - carried)
    with connection.cursor() as cursor:  # planner statistics as autovacuum keeps them
        cursor.execute("ANALYZE")

    targets = []
    for article in Article.objects.filter(team__isnull=True).order_by("pk"):
        paragraphs = article.paragraphs.filter(kind=ParagraphKind.BODY).order_by("position")
        for paragraph in [p for p in paragraphs if len(p.text) > 120][:10]:
            targets.append(
                {
                    "article": article.get_absolute_url(),
                    "create": reverse("annotations:create", args=[article.slug]),
                    "passage": {
                        "paragraph": paragraph.pk,
                        "exact": paragraph.text[:60],
                        "start": 0,
                        "end": 60,
                        "prefix": "",
                        "suffix": paragraph.text[60:92],
                    },
                }
            )
    plan = {
        "password": password,
        "accounts": names,
        "team": teams[0].pk,
        "articles": [a.get_absolute_url() for a in Article.objects.filter(team__isnull=True)],
        "big_article": big.get_absolute_url(),
        # The page marks every one of the 1,000 passages (its cards come a page at a time).
        "big_article_highlights": BIG_ARTICLE_ANNOTATIONS,
        "searches": list(SEARCHES),
        "targets": targets,
        "api_pages": API_PAGES,
    }
    return Seeded(
        plan=plan,
        team=teams[0],
        shared_author=authors[0],
        shared_paragraph=Annotation.objects.filter(article=big).first().paragraph,
        big_article_visible=Annotation.objects.visible_to(reader).filter(article=big).count(),
    )


def shared_annotation(seeded: Seeded) -> Annotation:
    """A new annotation for the editors to fight over (version 1)."""
    paragraph = seeded.shared_paragraph
    return annotation_create(
        author=seeded.shared_author,
        paragraph=paragraph,
        exact=paragraph.text[:40],
        start=0,
        end=40,
        stance="neutral",
        claim=SHARED_CLAIM,
        team=seeded.team,
        visibility="team",
    )


# ------------------------------------------------------------------------------ figures


@dataclass(frozen=True)
class KindFigures:
    requests: int
    per_second: float | None  # None: not a steady rate (the sign-ins, all at the start)
    median_ms: float
    p95_ms: float
    errors: int


@dataclass(frozen=True)
class SharedOutcome:
    """What became of the shared annotation: the editors' saves and refusals, and
    whether its version and text are what the saves made them."""

    statuses: dict[int, int]  # 302 saved by the form, 409 refused; 200 by the API, 412
    version: int
    last_text_kept: bool
    lost: int  # saves that left no trace: the version did not move, or moved from one twice
    unrecorded: int  # versions with no save the clients saw (a request cut short)

    @property
    def saved(self) -> int:
        return self.statuses.get(302, 0) + self.statuses.get(200, 0)

    @property
    def refused(self) -> int:
        return self.statuses.get(409, 0) + self.statuses.get(412, 0)

    def __str__(self) -> str:
        count = self.statuses.get
        text = "its text the last save's" if self.last_text_kept else "its text NOT the last save's"
        return (
            f"shared annotation: {self.saved + self.refused} concurrent saves, "
            f"{self.saved} saved ({count(302, 0)} form, {count(200, 0)} API), "
            f"{self.refused} refused as stale ({count(409, 0)} × 409, {count(412, 0)} × 412); "
            f"version {self.version} = 1 + {self.saved}, {text}; lost updates: {self.lost}"
        )


def shared_outcome(pk: int, edits: list[dict]) -> SharedOutcome:
    row = Annotation.objects.get(pk=pk)
    # Saved: the form's redirect, the API's 200. Refused as stale: 409 and 412.
    saved = sorted((e for e in edits if e["status"] in (200, 302)), key=lambda e: e["version"])
    expected = 1 + len(saved)
    # Each save moved the version on from the one its editor read: two saves from one
    # version, or a version that moved less than the saves, is an update lost.
    twice = len(saved) - len({e["version"] for e in saved})
    last = saved[-1]["claim"] if saved else SHARED_CLAIM
    statuses: dict[int, int] = {}
    for edit in edits:
        statuses[edit["status"]] = statuses.get(edit["status"], 0) + 1
    return SharedOutcome(
        statuses=statuses,
        version=row.version,
        last_text_kept=row.claim == last,
        lost=twice + max(0, expected - row.version) + (0 if row.claim == last else 1),
        unrecorded=max(0, row.version - expected),
    )


def _kind_figures(times: list[float], seconds: float | None, errors: int) -> KindFigures:
    times = sorted(times)
    return KindFigures(
        requests=len(times),
        per_second=len(times) / seconds if seconds else None,
        median_ms=statistics.median(times),
        p95_ms=times[round(0.95 * (len(times) - 1))],
        errors=errors,
    )


def figures(result: dict) -> dict[str, KindFigures]:
    """Each kind's figures over the measured time; the sign-ins, which come before it
    (every user signs in first), by their latency alone."""
    seconds, samples, failures = result["seconds"], result["samples"], result["failures"]
    out = {
        kind: _kind_figures(
            samples[kind], None if kind == SIGN_IN else seconds, failures.get(kind, 0)
        )
        for kind in result["kinds"]
        if samples.get(kind)
    }
    measured = [t for kind, times in samples.items() if kind != SIGN_IN for t in times]
    if measured:
        out[ALL] = _kind_figures(measured, seconds, sum(failures.values()))
    return out


# --------------------------------------------------------------------------------- run


@dataclass
class RunResult:
    workers: int
    seconds: float
    users: dict[str, int]
    api: bool
    figures: dict[str, KindFigures]
    shared: SharedOutcome
    failure_examples: dict[str, list[str]]
    exceptions: int  # errors in the users' own code (the load test's bugs)
    server_log: list[str]

    @property
    def errors(self) -> int:
        return self.exceptions + sum(f.errors for kind, f in self.figures.items() if kind != ALL)


def drive(*, url: str, plan: dict, scratch: Path, name: str) -> dict:
    """Run the locustfile's users against ``url`` in a process of their own."""
    plan_path, result_path = scratch / f"{name}-plan.json", scratch / f"{name}-result.json"
    plan_path.write_text(json.dumps({**plan, "host": url}))
    log = scratch / f"{name}-locust.log"
    with log.open("w") as output:
        finished = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "annotations.bench.locustfile",
                str(plan_path),
                str(result_path),
            ],
            cwd=BASE_DIR,
            env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=plan["seconds"] + 180,
            check=False,
        )
    if finished.returncode != 0 or not result_path.exists():
        raise CommandError("Locust failed:\n" + log.read_text()[-3000:])
    return json.loads(result_path.read_text())


def run_once(
    *,
    seeded: Seeded,
    workers: int,
    users: int,
    seconds: float,
    max_requests: int,
    scratch: Path,
    environment: dict[str, str],
) -> RunResult:
    shared = shared_annotation(seeded)
    with production_server(workers=workers, environment=environment) as server:
        api = api_available(server.url)
        plan = {
            **seeded.plan,
            "users": users_for(users, api=api),
            "shared_annotation": shared.pk,
            "api": api,
            "seconds": seconds,
            "max_requests": max_requests,
        }
        result = drive(url=server.url, plan=plan, scratch=scratch, name=f"{workers}-workers")
    return RunResult(
        workers=workers,
        seconds=result["seconds"],
        users=plan["users"],
        api=api,
        figures=figures(result),
        shared=shared_outcome(shared.pk, result["shared_edits"]),
        failure_examples={
            **result["failure_examples"],
            **({"load test's code": result["exceptions"]} if result["exceptions"] else {}),
        },
        exceptions=len(result["exceptions"]),
        server_log=server.log,
    )


def run(bench, *, seconds: float, workers: tuple[int, ...], users: int, max_requests: int) -> None:
    bench.heading("Load test: the production server under readers, annotators and API clients")
    if connection.vendor != "postgresql":
        bench.report(
            "skipped",
            "it needs PostgreSQL: DATABASE_URL=postgres://... python manage.py bench --only load",
        )
        return
    started = time.perf_counter()
    seeded = seed(accounts=max(2, users // 5))
    cache = "Redis" if os.environ.get("REDIS_URL") else "the database"
    bench.report(
        "seeded",
        f"3 seeds, the demo team, {seeded.big_article_visible} annotations on the academic "
        f"seed visible to the readers ({time.perf_counter() - started:.1f} s)",
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="crossread-load-") as scratch:
        scratch = Path(scratch)
        environment = production_environment(
            CROSSREAD_STATIC_MANIFEST="1", STATIC_ROOT=str(scratch / "static")
        )
        collect_static(environment)
        for count in workers:
            result = run_once(
                seeded=seeded,
                workers=count,
                users=users,
                seconds=seconds,
                max_requests=max_requests,
                scratch=scratch,
                environment=environment,
            )
            results.append(result)
            _report_run(bench, result, cache=cache)
    if len(results) > 1:
        _report_comparison(bench, results)
    bench.report("load test, all runs", f"{time.perf_counter() - started:.0f} s")
    problems = [
        f"{r.workers} worker(s): {r.errors} errors, {r.shared.lost} lost updates"
        for r in results
        if r.errors or r.shared.lost or r.shared.unrecorded
    ]
    if problems:
        raise CommandError("The load test found errors: " + "; ".join(problems))


def _report_run(bench, result: RunResult, *, cache: str) -> None:
    users = result.users
    api = (
        f", {users['api']} API clients"
        if result.api
        else " (no API clients: /api/annotations/ answers 404 on this server)"
    )
    bench.stdout.write(
        f"  {result.workers} worker(s), {result.seconds:.0f} s, cache in {cache}: "
        f"{users['reader']} readers, {users['annotator']} annotators, "
        f"{users['editor']} editors of one shared annotation{api}"
    )
    bench.stdout.write(
        f"    {'kind':<34} {'requests':>8} {'req/s':>7} {'median':>9} {'p95':>9} {'errors':>6}"
    )
    for kind, f in result.figures.items():
        rate = "–" if f.per_second is None else f"{f.per_second:.1f}"
        bench.stdout.write(
            f"    {kind:<34} {f.requests:>8} {rate:>7} {f.median_ms:>6.0f} ms "
            f"{f.p95_ms:>6.0f} ms {f.errors:>6}"
        )
    bench.stdout.write(f"    {result.shared}")
    for kind, examples in result.failure_examples.items():
        for example in examples:
            bench.stdout.write(f"    error ({kind}): {example}")
    if result.errors:
        errors = [line for line in result.server_log if "Error" in line or "Traceback" in line]
        for line in errors[-10:]:
            bench.stdout.write(f"    server: {line.rstrip()}")


def _report_comparison(bench, results: list[RunResult]) -> None:
    bench.stdout.write("  By number of workers: requests a second, median / p95 in ms")
    header = "".join(f"{f'{r.workers} worker(s)':>24}" for r in results)
    bench.stdout.write(f"    {'kind':<34}{header}")
    kinds = [kind for kind in results[0].figures if all(kind in r.figures for r in results)]
    for kind in kinds:
        cells = "".join(
            f"{f'{_rate(f)}{f.median_ms:.0f} / {f.p95_ms:.0f}':>24}"
            for f in (r.figures[kind] for r in results)
        )
        bench.stdout.write(f"    {kind:<34}{cells}")
    cells = "".join(f"{f'{r.errors} errors, {r.shared.lost} lost':>24}" for r in results)
    bench.stdout.write(f"    {'errors, lost updates':<34}{cells}")


def _rate(figures: KindFigures) -> str:
    return "" if figures.per_second is None else f"{figures.per_second:.1f}/s  "
