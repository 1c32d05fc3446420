"""Races: the same write sent several times at the same moment, by real threads.

Team changes go through HTTP to a live server, imports through the service; every
thread is released by one barrier. After each round the database must hold what
the responses said: at least one owner, one team per redirect, one membership,
one article per file, and never a server error.
"""

from __future__ import annotations

import http.client
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from annotations.models import Membership, Team
from annotations.services import team_create
from corpus.models import Article
from corpus.services import article_import_file

KEEP_AN_OWNER = "A team keeps at least one owner"


# ------------------------------------------------------------------ threads and HTTP


def at_once(*calls: Callable[[threading.Barrier], object]) -> list:
    """Run each call in its own thread; each call waits on the barrier it is given at
    the moment it is ready to act, so they all act together. Their results, in order;
    an exception in a thread is raised here."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call) -> None:
        try:
            results[index] = call(barrier)
        except BaseException as error:
            barrier.abort()
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection, not the test's

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    if errors:
        raise errors[0]
    return results


@dataclass
class Response:
    status: int
    body: str
    location: str
    cookies: dict[str, str]

    def summary(self) -> str:
        return f"{self.status} {self.location or self.body[:300]!r}"


class Visitor:
    """A signed-in browser: its session and CSRF cookies, a fresh connection per request."""

    def __init__(self, base_url: str, user) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        client = Client()
        client.force_login(user)
        self.cookies = {"sessionid": client.cookies["sessionid"].value}
        page = self.send("GET", reverse("annotations:team-list"))
        assert page.status == 200, page.summary()
        self.cookies["csrftoken"] = page.cookies["csrftoken"]

    def send(self, method: str, path: str, data: dict | None = None, barrier=None) -> Response:
        server = http.client.HTTPConnection(self.host, self.port, timeout=30)
        server.connect()  # before the barrier: the requests leave together
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if data is not None:
            token = self.cookies["csrftoken"]
            body = urlencode({**data, "csrfmiddlewaretoken": token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = token
        try:
            if barrier is not None:
                barrier.wait()
            server.request(method, path, body=body, headers=headers)
            answer = server.getresponse()
            cookies = SimpleCookie()
            for header in answer.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
            return Response(
                status=answer.status,
                body=answer.read().decode(),
                location=answer.getheader("Location") or "",
                cookies={name: morsel.value for name, morsel in cookies.items()},
            )
        finally:
            server.close()

    def post_at(self, path: str, data: dict | None = None):
        """A POST for at_once()."""
        return lambda barrier: self.send("POST", path, data or {}, barrier)


# ------------------------------------------------------------------------ databases


@pytest.fixture
def own_connections(transactional_db, tmp_path):
    """Every thread on its own connection to one database, as in production.

    PostgreSQL gives that already. SQLite's test database lives in memory (shared
    cache): a second writer there gets "database table is locked" at once, whatever
    the busy timeout, and the live server hands all its threads the test's single
    connection, so concurrent requests would interleave inside one transaction. On
    SQLite the test therefore runs on a file copy of the test database, opened with the
    app's own options (WAL, IMMEDIATE transactions), and goes back to memory after."""
    memory = connections["default"]
    if memory.vendor != "sqlite" or not memory.is_in_memory_db():
        yield False
        return
    memory.ensure_connection()
    path = tmp_path / "races.sqlite3"
    copy = sqlite3.connect(path)
    memory.connection.backup(copy)
    copy.close()
    memory_settings = connections.settings["default"]
    connections.settings["default"] = {**memory_settings, "NAME": str(path)}
    on_file = connections.create_connection("default")
    connections["default"] = on_file
    try:
        yield True
    finally:
        on_file.close()
        connections["default"] = memory
        connections.settings["default"] = memory_settings


@pytest.fixture
def server(request, own_connections, settings):
    """pytest-django's live server; on SQLite, one started for this test on the file copy
    (the session's server, if another test started it, talks to the in-memory database)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    if not own_connections:
        yield request.getfixturevalue("live_server").url
        return
    live = LiveServer("127.0.0.1:0")
    assert not live.thread.connections_override
    try:
        yield live.url
    finally:
        live.stop()


@pytest.fixture
def user_factory():
    User = get_user_model()

    def make(username: str):
        return User.objects.create_user(username, password=f"pw-{username}-2026")

    return make


def team_with(slug: str, **roles):
    """A team and its memberships, by username: team_with("x", alice="owner")."""
    User = get_user_model()
    team = Team.objects.create(name=slug.replace("-", " ").title(), slug=slug)
    memberships = {
        username: Membership.objects.create(
            team=team, user=User.objects.get(username=username), role=role
        )
        for username, role in roles.items()
    }
    return team, memberships


# ------------------------------------------------------------- two owners at once


ROLE = "annotations:membership-role"
REMOVE = "annotations:membership-remove"

# Who acts on whom: each owner on the other, or each on themself.
OWNER_RACES = {
    "demote-each-other": (ROLE, {"alice": "bob", "bob": "alice"}),
    "remove-each-other": (REMOVE, {"alice": "bob", "bob": "alice"}),
    "demote-themselves": (ROLE, {"alice": "alice", "bob": "bob"}),
    "leave-together": (REMOVE, {"alice": "alice", "bob": "bob"}),
}


@pytest.mark.parametrize("race", OWNER_RACES)
def test_two_owners_acting_at_once_leave_the_team_one_owner(server, user_factory, race):
    view, targets = OWNER_RACES[race]
    visitors = {name: Visitor(server, user_factory(name)) for name in ("alice", "bob")}
    problems = []
    for round_ in range(30):
        team, memberships = team_with(f"{race}-{round_}", alice="owner", bob="owner")
        calls = [
            visitors[actor].post_at(
                reverse(view, args=[team.slug, memberships[target].pk]),
                {"role": "editor"} if view == ROLE else {},
            )
            for actor, target in targets.items()
        ]
        responses = at_once(*calls)
        statuses = sorted(response.status for response in responses)
        owners = Membership.objects.filter(team=team, role="owner").count()
        for response in responses:
            # The loser was demoted or removed meanwhile (403, 404), or would have left
            # the team without an owner (400, saying so).
            if response.status not in (302, 400, 403, 404) or (
                response.status == 400 and KEEP_AN_OWNER not in response.body
            ):
                problems.append(f"round {round_}: {response.summary()}")
        if owners < 1 or owners != 2 - statuses.count(302):
            problems.append(f"round {round_}: responses {statuses}, {owners} owner(s) left")
        if race in ("demote-themselves", "leave-together") and statuses != [302, 400]:
            problems.append(f"round {round_}: responses {statuses}, expected [302, 400]")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------ double submits


def test_teams_of_one_name_created_at_once_get_distinct_slugs(server, user_factory):
    owner = user_factory("founder")
    founder = Visitor(server, owner)
    create = reverse("annotations:team-list")
    problems, slugs = [], []
    for round_ in range(20):
        before = set(Team.objects.values_list("pk", flat=True))
        responses = at_once(*[founder.post_at(create, {"name": "Night Desk"})] * 4)
        made = Team.objects.exclude(pk__in=before)
        redirected = [response for response in responses if response.status == 302]
        for response in responses:
            if response.status != 302:
                problems.append(f"round {round_}: {response.summary()}")
        if len(made) != len(redirected):
            problems.append(f"round {round_}: {len(made)} teams for {len(redirected)} redirects")
        if {response.location for response in redirected} != {
            reverse("annotations:team-detail", args=[team.slug]) for team in made
        }:
            problems.append(f"round {round_}: redirects {[r.location for r in redirected]}")
        if Membership.objects.filter(team__in=made, user=owner, role="owner").count() != len(made):
            problems.append(f"round {round_}: a new team without its owner")
        slugs += [team.slug for team in made]
    assert not problems, "\n".join(problems)
    assert len(slugs) == len(set(slugs)) == 80
    assert set(slugs) == {"night-desk"} | {f"night-desk-{number}" for number in range(2, 81)}


def test_one_member_added_at_once_joins_once(server, user_factory):
    owner = Visitor(server, user_factory("keeper"))
    problems = []
    for round_ in range(20):
        newcomer = user_factory(f"newcomer{round_}")
        team, _ = team_with(f"welcome-{round_}", keeper="owner")
        add = owner.post_at(
            reverse("annotations:membership-add", args=[team.slug]),
            {"username": newcomer.username, "role": "annotator"},
        )
        responses = at_once(add, add, add)
        statuses = sorted(response.status for response in responses)
        joined = Membership.objects.filter(team=team, user=newcomer).count()
        if statuses != [302, 400, 400] or joined != 1:
            problems.append(
                f"round {round_}: {joined} membership(s), responses "
                + "; ".join(response.summary() for response in responses)
            )
        for response in responses:
            if response.status == 400 and f"{newcomer.username} is already a member" not in (
                response.body
            ):
                problems.append(f"round {round_}: 400 without the reason: {response.summary()}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ free slugs


def test_a_free_slug_costs_the_same_queries_however_many_are_taken(db, user_factory):
    owner = user_factory("deskmaster")
    # Slugs that start alike but are not numbered copies of "desk" count for nothing.
    Team.objects.bulk_create(
        Team(name=name, slug=slug)
        for name, slug in (("Desktop", "desktop"), ("Desk 7b", "desk-7b"), ("Desks", "desks"))
    )
    Team.objects.bulk_create(
        [Team(name="Desk", slug="desk")]
        + [Team(name="Desk", slug=f"desk-{number}") for number in range(2, 11)]
    )

    def create_and_count() -> tuple[Team, int, int]:
        with CaptureQueriesContext(connection) as queries:
            team = team_create(name="Desk", owner=owner)
        selects = [query for query in queries if query["sql"].lstrip().upper().startswith("SELECT")]
        return team, len(queries), len(selects)

    few_taken, queries_few, selects_few = create_and_count()
    assert few_taken.slug == "desk-11"
    Team.objects.bulk_create(Team(name="Desk", slug=f"desk-{number}") for number in range(12, 1501))
    many_taken, queries_many, selects_many = create_and_count()
    assert many_taken.slug == "desk-1501"
    assert queries_many == queries_few
    assert selects_many == selects_few == 1


# ------------------------------------------------------------------- imports


def importing(path: Path):
    """An import of one file, for at_once()."""

    def run(barrier):
        barrier.wait()
        return article_import_file(path=path)

    return run


ARTICLE = """# Race Report {number}

By Iris Quill

Harbour Times, May {day}, 2024

The harbour board met twice on {number} May and agreed on nothing at all.

Its chair said the second meeting was called because of the first one.
"""


def test_one_file_imported_at_once_makes_one_article(own_connections, tmp_path):
    problems = []
    for round_ in range(10):
        path = tmp_path / f"race-{round_}.md"
        path.write_text(ARTICLE.format(number=round_ + 1, day=round_ + 1), encoding="utf-8")
        # A copy of the same text elsewhere is the same article (found by its content).
        copy = tmp_path / "copies" / path.name
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(path.read_bytes())

        outcomes = at_once(importing(path), importing(path), importing(copy))
        statuses = Counter(outcome.status for outcome in outcomes)
        articles = Article.objects.filter(title=f"Race Report {round_ + 1}")
        if statuses != Counter(created=1, unchanged=2) or articles.count() != 1:
            problems.append(
                f"round {round_}: {articles.count()} article(s); "
                + "; ".join(f"{outcome.status} {outcome.error}".strip() for outcome in outcomes)
            )
        elif {outcome.article.pk for outcome in outcomes} != {articles.get().pk}:
            problems.append(f"round {round_}: outcomes name different articles")
    assert not problems, "\n".join(problems)


def test_the_race_database_is_a_file_with_the_apps_sqlite_options(own_connections):
    """The tests above prove nothing on SQLite unless they run on what production runs."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL: every thread has its own connection already")
    assert own_connections and not connection.is_in_memory_db()
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_articles_of_one_title_and_new_keywords_imported_at_once_all_land(
    own_connections, tmp_path
):
    """Different files: the import lock does not order them. Their slug and their
    new keyword are taken at the same moment; every import must still succeed."""
    problems = []
    for round_ in range(10):
        calls = []
        for copy in range(3):
            path = tmp_path / f"same-title-{round_}-{copy}.md"
            path.write_text(
                f"# Harbour Board {round_}\n\nBy Iris Quill\n\n"
                f"Keywords: harbour policy {round_}, shared keyword {round_}\n\n"
                f"Copy {copy} of the board's story, told differently ({copy} times).\n",
                encoding="utf-8",
            )
            calls.append(importing(path))
        outcomes = at_once(*calls)
        statuses = Counter(outcome.status for outcome in outcomes)
        slugs = {outcome.article.slug for outcome in outcomes if outcome.article}
        if statuses != Counter(created=3) or len(slugs) != 3:
            problems.append(
                f"round {round_}: "
                + "; ".join(f"{outcome.status} {outcome.error}".strip() for outcome in outcomes)
            )
        elif Article.objects.filter(keywords__name=f"shared keyword {round_}").count() != 3:
            problems.append(f"round {round_}: the shared keyword is not on all three")
    assert not problems, "\n".join(problems)
