"""No value of any parameter of any view is a server error.

The test walks the project's URL patterns (``get_resolver().url_patterns``, into
every include), so a view added later is fuzzed too: with what ``plans`` says it
reads, or, until it says, with every parameter any view reads (and a test asks for
its plan). It fills the URLs' arguments with real objects (an article of the seed
corpus, an annotation both signed-in users may edit, the team, a membership) and
sends every view, signed out, as an annotator of the team and as a superuser who
owns it, each value of ``tests/data/bad_values.py`` in each of its query parameters
and form fields in turn while the others stay valid; then bad values in the URL's own
arguments, and keys and bodies that no form sends. A 500 is a failure, and so is a
refused POST that changed the database. Every request runs in a savepoint that is
rolled back, so each starts from the same data; all failures of a view are collected
and reported together (method, URL, parameter, value, exception, the app's line).

The admin's own pages are Django's: the changelists with the most filters, the
autocomplete view and an annotation's change page (the app's own form) stand for
them. How the values are sampled to keep the run near a minute: see SHARE below.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from annotations import services
from annotations.history import annotation_versions
from annotations.models import (
    Annotation,
    AnnotationTag,
    ApiToken,
    CrossReference,
    Membership,
    Region,
    Source,
    Team,
)
from annotations.services.tokens import token_create
from corpus.models import Article, ImportJob, Paragraph
from tests.conftest import make_annotation
from tests.data.bad_values import BAD_PATH_VALUES, BAD_VALUES, MORE_VALUES

BASE_DIR = Path(settings.BASE_DIR)

# ------------------------------------------------------------------- the views


@dataclass(frozen=True)
class Route:
    name: str  # "annotations:edit", or the route itself when the pattern has no name
    route: str  # "annotations/<id:pk>/edit/"


def walk(patterns, prefix: str = "", namespaces: tuple = ()) -> Iterator[Route]:
    """Every URL pattern below ``patterns``, with its full route; the admin's own
    patterns are left out (a few of them are fuzzed apart, below)."""
    for entry in patterns:
        pattern = entry.pattern
        assert isinstance(pattern, RoutePattern), (
            f"{pattern!r} is a re_path: teach the fuzzer to fill its groups"
        )
        route = prefix + str(pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            if inner[:1] == ("admin",):
                continue
            yield from walk(entry.url_patterns, route, inner)
        else:
            assert isinstance(entry, URLPattern)
            name = ":".join((*namespaces, entry.name)) if entry.name else route
            yield Route(name=name, route=route)


ROUTES = list(walk(get_resolver().url_patterns))
ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def fill(route: str, arguments: dict) -> str:
    return "/" + ARGUMENT.sub(lambda m: quote(str(arguments[m["name"]]), safe=""), route)


# ------------------------------------------------------------------- the data


@dataclass
class World:
    """The objects the URLs and the valid form data name."""

    article: Article
    passages: dict[
        str, Paragraph
    ]  # body paragraphs: one annotated, one to re-attach to, one to annotate
    annotation: Annotation  # a team annotation by the annotator: both may edit it
    binned: Annotation  # in the bin: both may restore it
    team: Team
    other_team: Team
    membership: Membership  # the viewer's: the owner may change it
    region: Region
    users: dict
    foreign: list[str]  # real ids and slugs that are not the user's to use
    job: ImportJob  # the annotator's import
    link: CrossReference  # a team link from the annotation, by the annotator
    removed_link: CrossReference  # a removed one: both may bring it back
    token: ApiToken  # the annotator's API token (the superuser's revoke finds no such token)

    def argument(self, segment: str, converter: str):
        """A URL argument, by the path segment before it: /teams/<slug>/ is a team."""
        known = {
            "articles": self.article.slug,
            "teams": self.team.slug,
            "annotations": self.annotation.pk,
            "members": self.membership.pk,
            "import": self.job.pk,
            "tags": "alliances",
            "regions": self.region.pk,
            "sources": self.annotation.source_id,
            "links": self.link.pk,
        }
        if segment in known:
            return known[segment]
        return {"slug": self.article.slug, "id": self.annotation.pk, "int": 1}.get(converter, "x")


@pytest.fixture
def world(seed_articles, people, django_user_model) -> World:
    article = seed_articles["southfront"]
    body = list(article.paragraphs.filter(kind="body").order_by("position"))
    passages = {"annotation": body[0], "reattach": body[1], "create": body[2]}
    annotated = passages["annotation"]
    annotation = make_annotation(
        author=people["author"],
        paragraph=annotated,
        exact=annotated.text[:40],
        team=people["team"],
        visibility="team",
        tags=["alliances"],
        source_name="Reuters",
        regions=[Region.objects.get(code="SY")],
    )
    elsewhere = seed_articles["academic"].paragraphs.filter(kind="body")[3]
    far = make_annotation(
        author=people["author"],
        paragraph=elsewhere,
        exact=elsewhere.text[:30],
        team=people["team"],
        visibility="team",
    )
    link_to_far = {
        "author": people["author"],
        "from_annotation": annotation,
        "to_annotation": far,
        "team": people["team"],
        "visibility": "team",
    }
    link = services.crossreference_create(relation="supports", **link_to_far)
    removed_link = services.crossreference_create(relation="cites", **link_to_far)
    services.crossreference_delete(link=removed_link, user=people["author"])
    binned = make_annotation(
        author=people["author"],
        paragraph=annotated,
        exact=annotated.text[10:50],
        team=people["team"],
        visibility="team",
    )
    services.annotation_delete(annotation=binned, user=people["author"], expected_version=1)
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-2026")
    Membership.objects.create(user=root, team=people["team"], role="owner")
    other_article = seed_articles["academic"].paragraphs.filter(kind="body").first()
    return World(
        article=article,
        passages=passages,
        annotation=annotation,
        binned=binned,
        team=people["team"],
        other_team=people["other_team"],
        membership=Membership.objects.get(user=people["viewer"], team=people["team"]),
        region=Region.objects.get(code="SY"),
        users={"anonymous": None, "annotator": people["author"], "superuser": root},
        foreign=[str(people["other_team"].pk), people["other_team"].slug, str(other_article.pk)],
        job=ImportJob.objects.create(user=people["author"], team=people["team"]),
        link=link,
        removed_link=removed_link,
        token=token_create(user=people["author"], name="notebook").token,
    )


USERS = ("anonymous", "annotator", "superuser")

# -------------------------------------------------------------- what each view reads

# The annotation filters, parsed by one form for every page that lists annotations,
# and the two page numbers (the list's and the article panel's).
FILTERS = ("stance", "team", "region", "source", "tag", "author", "page", "cards")


@dataclass(frozen=True)
class Plan:
    """What a view reads: query parameters with valid values to send alongside, form
    fields with valid values (the POST that succeeds), URL arguments of its own."""

    query: tuple[str, ...] = ()
    query_base: dict = field(default_factory=dict)
    form: tuple[str, ...] = ()
    form_base: dict | None = None
    arguments: dict = field(default_factory=dict)
    # Parameters whose parser is fuzzed in full on another page (the same form or
    # field class): here each gets one value in SHARE, turning with the parameter.
    shared: frozenset[str] = frozenset()


def passage(paragraph, length: int) -> dict:
    return {
        "paragraph": paragraph.pk,
        "exact": paragraph.text[:length],
        "start": 0,
        "end": length,
        "prefix": "",
        "suffix": paragraph.text[length : length + 32],
    }


def body(world: World) -> dict:
    return {
        "claim": "Three armies agreed to coordinate",
        "stance": "supports",
        "stance_target": "the alliance",
        "source_name": "Institute for the Study of War",
        "source_kind": "think_tank",
        "regions": [world.region.pk],
        "region_names": "Iran; Iraq",
        "note": "See **also** the communiqué.",
        "tags": "alliances, Iran",
        "team": world.team.pk,
        "visibility": "team",
    }


BODY_FIELDS = (
    "claim",
    "stance",
    "stance_target",
    "source_name",
    "source_kind",
    "regions",
    "region_names",
    "note",
    "tags",
    "team",
    "visibility",
)
PASSAGE_FIELDS = ("paragraph", "exact", "start", "end", "prefix", "suffix")


def plans(world: World) -> dict[str, list[Plan]]:
    create = world.passages["create"]
    version = {"version": world.annotation.version}
    return {
        "corpus:article-list": [Plan(query=("outlet", "kind", "tag", "page"))],
        "corpus:article-detail": [Plan(query=FILTERS)],
        "annotations:list": [Plan(query=FILTERS)],
        "annotations:bin": [Plan()],
        "annotations:team-detail": [Plan()],
        "annotations:create": [
            Plan(
                query=("paragraph", "exact", *FILTERS),
                query_base={"paragraph": create.pk, "exact": create.text[:40]},
                form=(*PASSAGE_FIELDS, *BODY_FIELDS, "action"),
                form_base={**passage(create, 40), **body(world)},
                # The filters in full on the list and the article page, the passage
                # on re-attach, the bodies on edit.
                shared=frozenset((*FILTERS, *PASSAGE_FIELDS, *BODY_FIELDS)),
            ),
            # "Suggest" runs the passage through the suggestions instead of saving it.
            Plan(
                form=PASSAGE_FIELDS,
                form_base={**passage(create, 40), **body(world), "action": "suggest"},
                shared=frozenset(PASSAGE_FIELDS),
            ),
        ],
        "annotations:edit": [
            Plan(form=(*BODY_FIELDS, "version"), form_base={**body(world), **version})
        ],
        "annotations:reattach": [
            Plan(
                query=FILTERS,
                shared=frozenset(FILTERS),
                form=(*PASSAGE_FIELDS, "version"),
                form_base={**passage(world.passages["reattach"], 30), **version},
            )
        ],
        "annotations:delete": [Plan(form=("version",), form_base=version)],
        "annotations:restore": [Plan(form_base={}, arguments={"pk": world.binned.pk})],
        "annotations:team-list": [Plan(form=("name",), form_base={"name": "Maghreb Desk"})],
        "annotations:membership-add": [
            Plan(form=("username", "role"), form_base={"username": "outsider", "role": "editor"})
        ],
        "annotations:membership-role": [Plan(form=("role",), form_base={"role": "editor"})],
        "annotations:membership-remove": [Plan(form_base={})],
        "annotations:region-search": [Plan(query=("q",), query_base={"q": "Syr"})],
        "annotations:source-search": [Plan(query=("q",), query_base={"q": "Institute"})],
        "annotations:search": [
            Plan(
                query=("q", "article", "outlet", "kind", "from", "to", *FILTERS),
                query_base={"q": "Syria", "kind": "body", "from": "2019-01-01"},
                # The annotation filters and the page are fuzzed in full on the list.
                shared=frozenset(FILTERS),
            )
        ],
        "annotations:tag-list": [Plan()],
        "annotations:tag-detail": [Plan(query=("page",))],
        "annotations:tag-rename": [Plan(form=("name",), form_base={"name": "Alliance"})],
        "annotations:link": [
            Plan(
                query=("q",),
                query_base={"q": "Syria"},
                form=("target", "relation", "note", "team", "visibility"),
                form_base={
                    "target": f"p:{world.passages['create'].pk}",
                    "relation": "contradicts",
                    "note": "The dates differ.",
                    "team": world.team.pk,
                    "visibility": "team",
                },
            )
        ],
        "annotations:detail": [Plan()],
        "annotations:submit": [Plan(form=("version",), form_base=version)],
        "annotations:approve": [Plan(form=("version",), form_base=version)],
        "annotations:reject": [
            Plan(form=("version", "reason"), form_base={**version, "reason": "Too broad."})
        ],
        "annotations:restore-version": [
            Plan(
                form=("version",),
                form_base=version,
                arguments={"version_id": annotation_versions(world.annotation).last().pk},
            )
        ],
        "annotations:bin-empty": [Plan(form=("team",), form_base={"team": world.team.slug})],
        "annotations:team-review": [Plan(query=("article",), query_base={})],
        "annotations:team-review-adopt": [
            Plan(
                form=("reading", "adopt", f"version-{world.annotation.pk}"),
                form_base={
                    "reading": [world.annotation.pk, world.link.to_annotation_id],
                    "adopt": world.annotation.pk,
                    f"version-{world.annotation.pk}": world.annotation.version,
                },
            )
        ],
        "annotations:team-review-setting": [
            Plan(form=("review_required",), form_base={"review_required": "on"})
        ],
        "annotations:team-activity": [Plan(query=("page",))],
        "annotations:unlink": [Plan(form_base={})],
        "annotations:relink": [Plan(form_base={}, arguments={"pk": world.removed_link.pk})],
        "annotations:region-list": [Plan()],
        "annotations:region-detail": [Plan(query=FILTERS, shared=frozenset(FILTERS))],
        "annotations:source-list": [Plan(query=("page",))],
        "annotations:source-detail": [Plan(query=FILTERS, shared=frozenset(FILTERS))],
        "annotations:overview": [Plan(query=("pair",))],
        "annotations:suggest": [
            Plan(
                query=("paragraph", "exact", "start", "end"),
                query_base={
                    key: value
                    for key, value in passage(create, 40).items()
                    if key in ("paragraph", "exact", "start", "end")
                },
            )
        ],
        "annotations:import": [
            Plan(
                form=("team", "text", "files"),
                form_base={
                    "team": world.team.pk,
                    "text": "A Dossier on the Alliance\n\nThree armies met in Damascus.",
                },
            )
        ],
        "annotations:import-job": [Plan()],
        "annotations:import-job-status": [Plan()],
        "annotations:article-sharing": [
            Plan(
                form=("visibility", "team", "confirm"),
                form_base={"visibility": "team", "team": world.team.pk},
            )
        ],
        "corpus:article-text": [Plan()],
        "annotations:export": [
            Plan(
                query=("format", "article", *FILTERS),
                query_base={"format": "jsonld", "article": world.article.slug},
                shared=frozenset(FILTERS),
            )
        ],
        # The file itself is fuzzed as "a file in file" below and in test_webannotation.py:
        # without one the form is refused (400), which is what the plan's base checks.
        "annotations:import-annotations": [
            Plan(form=("visibility", "team", "file"), form_base={"visibility": "private"})
        ],
        "annotations:settings": [Plan()],
        "annotations:token-create": [Plan(form=("name",), form_base={"name": "notebook"})],
        "annotations:token-revoke": [Plan(form_base={}, arguments={"pk": world.token.pk})],
        # The API: its JSON bodies are fuzzed by schemathesis (.ci/run); here its query
        # parameters, URL arguments and form-encoded or odd bodies.
        "api:container": [
            Plan(query=("page", "iris", "article", *FILTERS), shared=frozenset(FILTERS))
        ],
        "api:container_options": [Plan()],
        "api:annotation_create": [Plan(form=("target",), form_base={})],
        "api:annotation_read": [Plan()],
        "api:annotation_options": [Plan()],
        "api:annotation_replace": [Plan()],
        "api:annotation_delete": [Plan()],
        "api:link_read": [Plan()],
        "api:api-root": [Plan()],
        "api:openapi-json": [Plan()],
        "login": [
            Plan(
                query=("next",),
                form=("username", "password", "next"),
                form_base={"username": "author", "password": "pw-author-2026", "next": "/"},
            )
        ],
        "logout": [Plan(form=("next",), form_base={"next": "/annotations/"})],
    }


def plans_for(route: Route, world: World) -> list[Plan]:
    """The view's plans; a view the fuzzer does not know yet gets every parameter and
    every field any view reads, with nothing valid alongside."""
    known = plans(world)
    if route.name in known:
        return known[route.name]
    every_query = sorted({name for ps in known.values() for p in ps for name in p.query})
    every_field = sorted({name for ps in known.values() for p in ps for name in p.form})
    return [Plan(query=tuple(every_query), form=tuple(every_field), form_base={})]


def arguments_for(route: Route, world: World, plan: Plan) -> dict:
    arguments = {}
    for match in ARGUMENT.finditer(route.route):
        segment = route.route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        arguments[match["name"]] = world.argument(segment, match["converter"] or "str")
    return {**arguments, **plan.arguments}


# -------------------------------------------------------------------- the values

# Sampling, to keep the run near a minute. A parameter in ``Plan.shared`` gets one
# value in SHARE. Requests that take the annotator's path again get a third of what
# the annotator's get (REPEAT_SHARE): the superuser's (the same forms, the same
# services) and the visitor's to a page that sends them to sign in (it reads nothing).
# Which values a parameter keeps turns with its position, so that a view's parameters
# do not all drop the same ones. CROSSREAD_FUZZ_FULL=1 turns the sampling off:
# every value in every parameter, as every user (five minutes on SQLite, eight on
# PostgreSQL).
# CI takes a coarser sample (CROSSREAD_FUZZ_SHARE=8,
# CROSSREAD_FUZZ_REPEAT_SHARE=6) to stay within its time.
SHARE = int(os.environ.get("CROSSREAD_FUZZ_SHARE", "4"))
REPEAT_SHARE = int(os.environ.get("CROSSREAD_FUZZ_REPEAT_SHARE", "3"))
FULL = os.environ.get("CROSSREAD_FUZZ_FULL") == "1"


def values_for(position: int, valid, world: World, *, share: int = 1) -> list:
    """The bad values one parameter gets: BAD_VALUES, a quarter of MORE_VALUES, real
    ids that are not the user's, and the same key twice (a valid value with a bad
    one, in both orders); ``share`` > 1 keeps one in ``share`` of them."""
    more = [value for index, value in enumerate(MORE_VALUES) if FULL or (index + position) % 4 == 0]
    valid = valid[0] if isinstance(valid, list) else valid
    valid = "1" if valid is None else str(valid)
    values = [*BAD_VALUES, *more, *world.foreign, [valid, "²"], ["²", valid]]
    return [value for index, value in enumerate(values) if index % share == position % share]


def describe(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(describe(item) for item in value) + "]"
    if len(value) > 24:
        return f"{value[:6]!r}… ({len(value)} characters)"
    return repr(value)


def database_state() -> tuple:
    """What a refused POST must leave as it was (three queries)."""
    quote_name = connection.ops.quote_name
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {quote_name(model._meta.db_table)})"  # noqa: S608 (no input)
        for model in (Team, Source, AnnotationTag, Region, Article, Paragraph, ImportJob)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        totals = cursor.fetchone()
    return (
        tuple(Annotation.objects.order_by("pk").values_list("pk", "version", "deleted_at")),
        tuple(Membership.objects.order_by("pk").values_list("pk", "team_id", "user_id", "role")),
        tuple(totals),
    )


def where(exc_info) -> str:
    """The exception, the last line of the app it left (not Django's, not the test's)
    and the line of Django it was raised from."""
    _, error, trace = exc_info
    frames = traceback.extract_tb(trace)
    ours = [
        frame
        for frame in frames
        if frame.filename.startswith(str(BASE_DIR))
        and "/.venv/" not in frame.filename
        and "/tests/" not in frame.filename
    ]
    message = " ".join(str(error).split())[:160]
    text = f"{type(error).__name__}: {message}"
    if ours:
        frame = ours[-1]
        path = Path(frame.filename).relative_to(BASE_DIR)
        text += f" at {path}:{frame.lineno} in {frame.name}: {frame.line}"
    below = frames[frames.index(ours[-1]) + 1 :] if ours else frames
    outside_db = [
        frame
        for frame in below
        if not any(part in frame.filename for part in ("/django/db/", "/psycopg/", "/sqlite3/"))
    ]
    shown = outside_db[-1:]
    if below and below[-1] not in shown:
        shown.append(below[-1])
    for frame in shown:
        text += f" (via {frame.filename.rsplit('site-packages/', 1)[-1]}:{frame.lineno})"
    return text


class Fuzzer:
    """Sends requests as one user, each in a savepoint rolled back after it (so each
    starts from the same data, and a database error cannot spoil the next ones), and
    collects what went wrong."""

    def __init__(self, user_label: str, world: World):
        self.user_label = user_label
        self.client = Client(raise_request_exception=False)
        user = world.users[user_label]
        if user is not None:
            self.client.force_login(user)
        self.failures: list[str] = []
        self.initial_state = None

    def send(self, method: str, url: str, what: str, *, data=None, **extra) -> None:
        cookies = copy.deepcopy(self.client.cookies)  # a login or logout changes them
        label = f"{method.upper()} {url[:120]} {what} as {self.user_label}"
        try:
            with transaction.atomic():
                if self.initial_state is None:
                    # Every request is rolled back: each starts from this state.
                    self.initial_state = database_state()
                response = getattr(self.client, method)(url, data, **extra)
                if response.status_code >= 500:
                    reason = where(response.exc_info) if response.exc_info else "no exception"
                    self.failures.append(f"{label}: {response.status_code} {reason}")
                elif (
                    method == "post"
                    and self.refused(response)
                    and database_state() != self.initial_state
                ):
                    self.failures.append(
                        f"{label}: refused with {response.status_code} but changed the database"
                    )
                transaction.set_rollback(True)
        except DatabaseError as error:  # the request left the transaction unusable
            self.failures.append(f"{label}: {type(error).__name__}: {error}")
        finally:
            self.client.cookies = cookies

    def refused(self, response) -> bool:
        return response.status_code >= 400 or self.user_label == "anonymous"

    def get(self, url: str, what: str, query: dict, **extra) -> None:
        self.send("get", url, what, data=query, **extra)

    def post(self, url: str, what: str, form: dict, **extra) -> None:
        # Urlencoded, as a browser sends these forms; multipart is tried apart.
        self.send(
            "post",
            url,
            what,
            data=urlencode(form, doseq=True),
            content_type="application/x-www-form-urlencoded",
            **extra,
        )

    def fuzz(self, method: str, url: str, world: World, names, base: dict, *, shares=None):
        """Each bad value in each parameter in turn, the others valid."""
        shares = shares or {}
        positions: dict[int, int] = {}
        for name in names:
            share = 1 if FULL else shares.get(name, 1)
            position = positions[share] = positions.get(share, -1) + 1
            for value in values_for(position, base.get(name), world, share=share):
                what = f"{name}={describe(value)}"
                send = self.get if method == "get" else self.post
                send(url, what, {**base, name: value})

    def check(self) -> None:
        if self.failures:
            shown = "\n".join(self.failures[:300])
            more = len(self.failures) - 300
            pytest.fail(
                f"{len(self.failures)} failures:\n{shown}"
                + (f"\n… and {more} more" if more > 0 else ""),
                pytrace=False,
            )


@pytest.fixture(autouse=True)
def quiet_refusals(caplog):
    """Thousands of refusals are logged as warnings; server errors stay in the log."""
    caplog.set_level(logging.ERROR, logger="django.request")
    caplog.set_level(logging.CRITICAL, logger="django.security")


# ---------------------------------------------------------------------- the tests


def route_params():
    return [
        pytest.param(route, user, id=f"{route.name}-{user}") for route in ROUTES for user in USERS
    ]


def test_the_fuzzer_walks_every_view_but_the_admins():
    names = {route.name for route in ROUTES}
    assert {
        "corpus:article-list",
        "corpus:article-detail",
        "annotations:create",
        "annotations:edit",
        "annotations:suggest",
        "annotations:membership-remove",
        "login",
        "logout",
    } <= names
    assert not [name for name in names if name.startswith("admin:")]


def test_the_fuzzer_knows_what_every_view_reads(world):
    """A view it does not know is fuzzed with every parameter any view reads; this
    asks for its own (``plans`` above), so that its bad values replace valid ones."""
    unknown = sorted(route.name for route in ROUTES if route.name not in plans(world))
    assert not unknown, f"add the parameters of {unknown} to plans() in {__name__}"


@pytest.mark.parametrize("user", ["annotator", "superuser"])
def test_the_valid_requests_of_the_fuzzer_go_through(world, user):
    """Each bad value replaces one valid value of a request that otherwise succeeds,
    so that it reaches as far into the view as it can."""
    client = Client()
    client.force_login(world.users[user])
    owner_only = 302 if user == "superuser" else 403
    expected = {
        "annotations:create": [302, 200],  # saved; suggestions shown
        "annotations:edit": [302],
        "annotations:reattach": [302],
        "annotations:delete": [302],
        "annotations:restore": [302],
        "annotations:team-list": [302],
        "annotations:membership-add": [owner_only],
        "annotations:membership-role": [owner_only],
        "annotations:membership-remove": [owner_only],
        "annotations:import": [302],
        "annotations:article-sharing": [owner_only],
        "annotations:tag-rename": [302],
        "annotations:link": [302],
        "annotations:unlink": [200],
        "annotations:relink": [302],
        "annotations:submit": [302],
        "annotations:approve": [owner_only],
        "annotations:reject": [owner_only],
        "annotations:restore-version": [302],
        "annotations:bin-empty": [owner_only],
        "annotations:team-review-adopt": [owner_only],
        "annotations:team-review-setting": [owner_only],
        "annotations:import-annotations": [400],
        "annotations:token-create": [201],
        "annotations:token-revoke": [200 if user == "annotator" else 404],
        "api:annotation_create": [400],
        "login": [302],
        "logout": [302],
    }
    known = plans(world)
    statuses = {}
    for route in ROUTES:
        for plan in known.get(route.name, []):
            url = fill(route.route, arguments_for(route, world, plan))
            if plan.query:
                response = client.get(url, plan.query_base)
                assert response.status_code == 200, (route.name, response.status_code)
            if plan.form_base is not None:
                with transaction.atomic():
                    response = client.post(url, plan.form_base)
                    statuses.setdefault(route.name, []).append(response.status_code)
                    transaction.set_rollback(True)
                client.force_login(world.users[user])  # after a logout, or a session rolled back
    assert statuses == expected
    if user == "superuser":
        url = reverse("admin:annotations_annotation_change", args=[world.annotation.pk])
        with transaction.atomic():
            response = client.post(url, admin_annotation_form(world))
            assert response.status_code == 302
            assert response["Location"] == reverse("admin:annotations_annotation_changelist")
            transaction.set_rollback(True)


def sends_visitors_to_sign_in(url: str) -> bool:
    response = Client().get(url)
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("route", "user"), route_params())
def test_no_value_of_a_parameter_is_a_server_error(world, route, user):
    fuzzer = Fuzzer(user, world)
    for plan in plans_for(route, world):
        url = fill(route.route, arguments_for(route, world, plan))
        names = (*plan.query, *plan.form)
        repeat = user == "superuser" or (user == "anonymous" and sends_visitors_to_sign_in(url))
        factor = REPEAT_SHARE if repeat else 1
        shares = {name: (SHARE if name in plan.shared else 1) * factor for name in names}
        fuzzer.fuzz("get", url, world, plan.query, plan.query_base, shares=shares)
        if plan.form_base is not None:
            fuzzer.fuzz("post", url, world, plan.form, plan.form_base, shares=shares)
    fuzzer.check()


LONG_KEY = "k" * 10_000
TOO_MANY_FIELDS = {
    f"f{number}": "1" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)
}
RAW_QUERIES = ["%", "%ff=%fe", "a=%zz", "&&==&&", ";;", "stance=%00", "%00=1", "=" * 1000]
RAW_BODIES = [
    (b"version=%ff&stance=%fe&%ff=1", "application/x-www-form-urlencoded"),
    (b"\xff\xfe\x00", "application/x-www-form-urlencoded"),
    (b'{"stance": "supports"}', "application/json"),
    (b"junk", "multipart/form-data; boundary=x"),
    (b"junk", "multipart/form-data"),
]


@pytest.mark.parametrize(("route", "user"), route_params())
def test_no_url_argument_or_odd_request_is_a_server_error(world, route, user):
    """Bad values in the URL's own arguments, and keys and bodies that no form sends."""
    fuzzer = Fuzzer(user, world)
    plan = plans_for(route, world)[0]
    arguments = arguments_for(route, world, plan)
    url = fill(route.route, arguments)
    form = plan.form_base if plan.form_base is not None else {}
    for name in arguments:
        for value in BAD_PATH_VALUES:
            bad_url = fill(route.route, {**arguments, name: value})
            what = f"<{name}>={describe(value)}"
            fuzzer.get(bad_url, what, plan.query_base)
            if plan.form_base is not None:
                fuzzer.post(bad_url, what, form)
    methods = [("get", fuzzer.get, plan.query_base)]
    if plan.form_base is not None:
        methods.append(("post", fuzzer.post, form))
    for method, send, base in methods:
        send(url, "a key of 10,000 characters", {**base, LONG_KEY: "1"})
        send(url, "a key with a NUL byte", {**base, "a\x00b": "1"})
        send(url, "a key of emoji", {**base, "😀" * 100: "1"})
        send(url, "too many fields", {**base, **TOO_MANY_FIELDS})
        if method == "get":
            for raw in RAW_QUERIES:
                fuzzer.get(url, f"the query string {describe(raw)}", {}, QUERY_STRING=raw)
        else:
            for raw, content_type in RAW_BODIES:
                what = f"the body {raw[:30]!r} as {content_type}"
                fuzzer.send("post", url, what, data=raw, content_type=content_type)
            # Multipart (which browsers send too): every field bad at once, and a file
            # where a field's text should be.
            fuzzer.send("post", url, "every field '²' (multipart)", data=dict.fromkeys(form, "²"))
            for name in form:
                fuzzer.send(
                    "post", url, f"a file in {name} (multipart)", data={**form, name: upload()}
                )
    fuzzer.check()


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("x.txt", b"\x00\xff" * 100, content_type="text/plain")


# ------------------------------------------------------------------------ the admin

ADMIN_SHARE = 4
# The changelists' own parameters: search, ordering, page, error, show all, popup.
CHANGELIST_PARAMS = ("q", "o", "p", "e", "all", "_popup", "_to_field")
ADMIN_CHANGELISTS = (
    "annotations_annotation",  # the visibility rule; filters on a foreign key
    "corpus_membership",
    "corpus_article",  # a date filter and a tag filter
)


def admin_pages():
    pages = [f"admin:{model}_changelist" for model in ADMIN_CHANGELISTS]
    pages += ["admin:annotations_annotation_change", "admin:autocomplete"]
    return [pytest.param(name, user, id=f"{name}-{user}") for name in pages for user in USERS]


def admin_annotation_form(world: World) -> dict:
    """The annotation's change form in the admin, as saved unchanged."""
    return {
        "claim": "",
        "stance": "supports",
        "stance_target": "",
        "source": "",
        "regions": [world.region.pk],
        "note": "",
        "tags": "alliances",
        "team": world.team.pk,
        "visibility": "team",
        "expected_version": world.annotation.version,
        "_save": "Save",
    }


ADMIN_ANNOTATION_FIELDS = (
    "claim",
    "stance",
    "stance_target",
    "source",
    "regions",
    "note",
    "tags",
    "team",
    "visibility",
    "expected_version",
)


@pytest.mark.parametrize(("name", "user"), admin_pages())
def test_no_value_of_an_admin_parameter_is_a_server_error(world, name, user):
    """The admin's own code, through the parameters its pages read, and the app's own
    form in it (the annotation's). The searches (where SQLite's LIKE limit is) get
    every value; the other parameters, Django's code more than ours, and the fields of
    the annotation's form, which the edit page's form shares its checks with, one
    value in ADMIN_SHARE."""
    fuzzer = Fuzzer(user, world)
    form: dict | None = None
    if name == "admin:autocomplete":
        url = reverse(name)
        base = {
            "app_label": "annotations",
            "model_name": "annotation",
            "field_name": "team",
            "term": "Lev",
        }
        params = (*base, "page")
    elif name == "admin:annotations_annotation_change":
        url = reverse(name, args=[world.annotation.pk])
        base, params = {}, ("_popup", "_to_field", "_changelist_filters")
        form = admin_annotation_form(world)
    else:
        url = reverse(name)
        base, params = {}, (*CHANGELIST_PARAMS, *changelist_filters(world, url))
    shares = {
        param: ADMIN_SHARE
        for param in (*params, *ADMIN_ANNOTATION_FIELDS)
        if param not in ("q", "term", "_to_field")
    }
    fuzzer.fuzz("get", url, world, params, base, shares=shares)
    if form is not None:
        fuzzer.fuzz("post", url, world, ADMIN_ANNOTATION_FIELDS, form, shares=shares)
    fuzzer.check()


def changelist_filters(world: World, url: str) -> list[str]:
    """The query parameters of a changelist's filters, as the admin itself lists them."""
    client = Client()
    client.force_login(world.users["superuser"])
    response = client.get(url)
    assert response.status_code == 200
    return sorted(
        {
            parameter
            for spec in response.context["cl"].filter_specs
            for parameter in spec.expected_parameters()
        }
    )
