"""Fixtures shared by the whole suite: the seed corpus, users, and a real browser."""

import copy
import functools
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's synchronous API runs an event loop in the test thread; the ORM calls
# that tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SEEDS = Path(settings.BASE_DIR) / "seeds"
GLOBAL_RESEARCH = SEEDS / "000_d911442452f9d8a6.txt"
SOUTHFRONT = SEEDS / "001_3707027aeb539fd2.txt"
ACADEMIC = SEEDS / "003_38ccf8f4c3724d70.txt"

CHROMIUM = os.environ.get("CROSSREAD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing takes half a second a user by design; the tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_suggestion_matchers():
    # The matchers are cached per process from the gazetteer; a test database that is
    # flushed and restored must not meet a matcher built from another one.
    from annotations import suggestions

    suggestions._matchers.clear()
    yield
    suggestions._matchers.clear()


@pytest.fixture
def reference_data(db):
    """The gazetteer and the known sources, which data migrations load. A browser test
    runs in a database that the test before it flushed, so it loads them again."""
    from annotations.citations import load_known_sources
    from annotations.gazetteer import load_gazetteer
    from annotations.models import Region, RegionAncestor, Source, rebuild_region_ancestry

    if not Region.objects.exists():
        load_gazetteer(Region)
    if not RegionAncestor.objects.exists():
        rebuild_region_ancestry()
    if not Source.objects.exists():
        load_known_sources(Source)


@functools.cache
def _parsed_seed(path: Path):
    """A seed read and parsed by the importer, once per run: parsing is two thirds of
    an import, and the same file always parses the same (tests/test_import_seeds.py
    runs the whole import, parse included, on its own)."""
    from corpus.services.importing import prepare_article_file

    return prepare_article_file(path)


@pytest.fixture
def seed_articles(db, reference_data):
    """The three seed documents, parsed by the real importer and written through its
    one write path (a fresh copy of the parse each time: the write may not share it)."""
    from corpus.services.importing import article_import_prepared

    articles = {}
    for key, path in (
        ("global_research", GLOBAL_RESEARCH),
        ("southfront", SOUTHFRONT),
        ("academic", ACADEMIC),
    ):
        outcome = article_import_prepared(copy.deepcopy(_parsed_seed(path)))
        assert outcome.status == "created", outcome.error
        articles[key] = outcome.article
    return articles


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists()


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def _uses_the_database(item) -> bool:
    return bool(item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames))


# Long runs about the parsers' and the views' robustness and time, which depend on no
# database's behaviour: the fuzzers and the importer's time budget run on SQLite alone.
SQLITE_PASS_ONLY = ("test_fuzz_parameters", "test_fuzz_importer", "test_import_pathological")


def _second_pass_runs(item) -> bool:
    """What CI's PostgreSQL pass runs: tests that open the database, but of the browser
    tests (which test the pages, not the database) only the import's, whose background
    worker claims jobs with PostgreSQL's row locks, and not ``SQLITE_PASS_ONLY``."""
    if "browser" in item.keywords:
        return "test_import_in_browser" in item.nodeid
    if any(name in item.nodeid for name in SQLITE_PASS_ONLY):
        return False

    return _uses_the_database(item)


# Tests that must have the machine to themselves: those that compare timings (a
# neighbour's load would skew a ratio) and those that race threads. ``make test`` runs
# the others on two workers (pytest-xdist; each browser test has its own Chromium and
# live server there), then these.
SERIAL = ("test_import_pathological", "test_markup_pathological", "test_races")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests run wherever Chromium is; CI (CROSSREAD_REQUIRE_BROWSER=1) demands them.

    CI runs the suite on SQLite, then on PostgreSQL with CROSSREAD_DATABASE_TESTS_ONLY=1:
    the second run leaves out the tests that never open the database (parsers, markup,
    geometry), which the first run has just passed, and says how many it left out."""
    for item in items:
        if any(name in item.nodeid for name in SERIAL):
            item.add_marker(pytest.mark.serial)
    if os.environ.get("CROSSREAD_DATABASE_TESTS_ONLY") == "1":
        kept = [item for item in items if _second_pass_runs(item)]
        left_out = [item for item in items if not _second_pass_runs(item)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = kept
    if _chromium_available() or os.environ.get("CROSSREAD_REQUIRE_BROWSER") == "1":
        return  # when required and missing, the tests run and fail at launch
    reason = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    if not _chromium_available():
        terminalreporter.write_line(
            f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM} (apt-get install chromium)",
            red=True,
        )


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser context per test; any JavaScript dialog fails the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not dialogs, f"a script ran and opened a dialog: {dialogs}"
    assert not errors, f"script errors or policy violations on the page: {errors}"


@pytest.fixture
def console_errors(page):
    """Every message the page logs as an error (``page`` itself fails on script errors
    and policy violations), failing the test at its end; a test may read or clear it."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    yield errors
    assert not errors, f"errors in the browser's console: {errors}"


# ----------------------------------------------------------------- teams and annotations

ROLES = ("owner", "editor", "annotator", "viewer")


@pytest.fixture
def people(db):
    """A team with one member of each role, the author (an annotator of the team),
    a signed-in outsider in no team, and a member of another team."""
    from django.contrib.auth import get_user_model

    from annotations.models import Membership, Team

    User = get_user_model()
    team = Team.objects.create(name="Levant Desk", slug="levant-desk")
    other_team = Team.objects.create(name="Gulf Desk", slug="gulf-desk")
    users = {"team": team, "other_team": other_team}
    for role in ROLES:
        users[role] = User.objects.create_user(role, password=f"pw-{role}-2026")
        Membership.objects.create(user=users[role], team=team, role=role)
    users["author"] = User.objects.create_user("author", password="pw-author-2026")
    Membership.objects.create(user=users["author"], team=team, role="annotator")
    users["outsider"] = User.objects.create_user("outsider", password="pw-outsider-2026")
    users["stranger"] = User.objects.create_user("stranger", password="pw-stranger-2026")
    Membership.objects.create(user=users["stranger"], team=other_team, role="owner")
    return users


def make_annotation(
    *, author, paragraph, exact, stance="supports", visibility="private", team=None, **fields
):
    from annotations.services import annotation_create

    return annotation_create(
        author=author,
        paragraph=paragraph,
        exact=exact,
        stance=stance,
        visibility=visibility,
        team=team,
        **fields,
    )
